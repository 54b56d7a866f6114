"""Request bodies: read under a size limit, parsed as JSON with every number exact.

A JSON number is read from its text (``0.1`` is the decimal 0.1, never the binary float
nearest to it), by the public API's :func:`mrv_engine.load_json_text`, as ``mrv`` reads a file.
A body over the limit is refused while it streams in (413), before it is held whole; one
nested too deep or with too many entries is refused (400) by the same bounds as a file
(``mrv_engine.LIMITS``), before the engine walks it.
"""

from __future__ import annotations

from fastapi import Request
from mrv_engine import InputError, load_json_text
from mrv_engine.service.problems import Problem

async def read_json(request: Request, limit: int):
    """The request's JSON document; :class:`Problem` 413 over ``limit`` bytes, 400 if not JSON."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Problem("body-too-large", f"the body is {int(declared)} bytes; the limit is {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem("body-too-large", f"the body is over the limit of {limit} bytes")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        raise Problem("malformed-request", "the body is empty: send a JSON document")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem("malformed-request", f"the body is not UTF-8 text (byte {exc.start})") from None
    try:
        data = load_json_text(text, "body")
    except InputError as exc:
        raise Problem("malformed-request", str(exc), findings=exc.all_findings()) from None
    return data
