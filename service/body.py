"""Request bodies: read under a size limit, parsed as JSON with every number exact.

A JSON number is read from its text (``0.1`` is the decimal 0.1, never the binary float
nearest to it), by the public API's :func:`mrv_engine.load_json_text`, as ``mrv`` reads a file.
A body over the limit is refused while it streams in (413), before it is held whole; one
nested deeper than :data:`MAX_DEPTH` is refused (400) before the engine walks it.
"""

from __future__ import annotations

from fastapi import Request
from mrv_engine import InputError, load_json_text
from mrv_engine.service.problems import Problem

#: No submission nests deeper than about 6 (envelope, pages, rows, value objects, alternatives).
MAX_DEPTH = 32


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
    except RecursionError:
        raise Problem("malformed-request", f"the body nests deeper than {MAX_DEPTH} levels") from None
    if _depth_over(data, MAX_DEPTH):
        raise Problem("malformed-request", f"the body nests deeper than {MAX_DEPTH} levels")
    return data


def _depth_over(data, limit: int) -> bool:
    """Whether ``data`` nests deeper than ``limit`` (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False
