"""Errors as RFC 9457 problem details (``application/problem+json``), never a traceback.

Each problem has a ``type`` (a URN naming the kind of problem, stable for clients to branch
on), the HTTP ``title`` and ``status``, a ``detail`` sentence and, for data the rules refuse,
``findings``: every :class:`mrv_engine` finding in its flat JSON form, each with the JSON path
of the value it is about (``$.pages.fuel_combustion[0].ncv``).
"""

from __future__ import annotations

import json
from http import HTTPStatus

from fastapi.responses import Response

MEDIA_TYPE = "application/problem+json"

#: problem type -> HTTP status; the URN is ``urn:mrv-engine:problem:<type>``
KINDS = {
    "malformed-request": 400,  # not JSON, a bad query parameter
    "not-found": 404,  # an unknown sector, year, ruleset, figure or route
    "method-not-allowed": 405,
    "body-too-large": 413,
    "unsupported-media-type": 415,
    "refused": 422,  # data the rules refuse: findings at their JSON paths
    "internal": 500,
}

#: What each error status means here, for the OpenAPI document.
KINDS_TEXT = {
    400: "Malformed: the body is not a JSON document, or a query parameter is invalid",
    404: "No such sector, reporting year, ruleset or figure",
    413: "The body is over the size limit",
    422: "The rules refuse the data: every finding with its JSON path",
}

#: The JSON Schema of a problem, for the OpenAPI document.
SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "severity", "place", "message"],
                "properties": {
                    "code": {"type": "string"}, "severity": {"type": "string"}, "place": {"type": "string"},
                    "message": {"type": "string"}, "message_zh": {"type": "string"},
                },
            },
        },
    },
}


class Problem(Exception):
    """Raised by a route to answer with a problem document."""

    def __init__(self, kind: str, detail: str, findings: list | None = None, status: int | None = None):
        super().__init__(detail)
        self.kind = kind
        self.status = status or KINDS[kind]
        self.detail = detail
        self.findings = findings


def problem_response(kind: str, detail: str, *, status: int | None = None, findings: list | None = None,
                     instance: str | None = None) -> Response:
    status = status or KINDS[kind]
    body = {"type": f"urn:mrv-engine:problem:{kind}", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    if findings is not None:
        body["findings"] = [f if isinstance(f, dict) else f.as_dict() for f in findings]
    return Response(json.dumps(body, ensure_ascii=False), status_code=status, media_type=MEDIA_TYPE)
