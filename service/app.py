"""The FastAPI application: the public API's operations as routes, and the web page at ``/``.

Why FastAPI (on uvicorn): it writes the OpenAPI document a Java or JavaScript host generates its
client from, runs on any ASGI server, and is the stack the project's brief prefers; the
calculation itself never touches it. Bodies are read by :mod:`.body` (exact numbers, size
limit), not by FastAPI's model parsing, which would make binary floats of JSON numbers.

Every operation runs on the Engine in a worker thread (the event loop stays free for
``/health`` and for reading other bodies); every error becomes a problem document
(:mod:`.problems`) in :func:`_call`, the one place where exceptions are mapped to statuses.
Nothing in a request names a file or loads code: sectors, years and ruleset ids select among
what the Engine loaded when the app was made.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from importlib import metadata
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from mrv_engine import (
    Engine,
    InputError,
    MrvError,
    SectorNotFound,
    SelectionError,
    to_json,
)
from mrv_engine.service import problems
from mrv_engine.service.body import read_json
from mrv_engine.service.problems import Problem, problem_response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

#: 5 MB: a power plant's year of monthly rows is about 0.2 MB.
DEFAULT_MAX_BODY = 5 * 1024 * 1024
STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger("mrv_engine.service")

#: Finding codes that mean "no such sector or rules for that year": 404, not 422.
NOT_FOUND_CODES = frozenset({"unknown_sector", "no_ruleset", "unknown_ruleset"})

_JSON = "application/json"


def _version() -> str:
    try:
        return metadata.version("mrv-engine")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def create_app(engine: Engine | None = None, max_body: int = DEFAULT_MAX_BODY) -> FastAPI:
    """The application over ``engine`` (a new :class:`Engine` by default), refusing bodies over
    ``max_body`` bytes."""
    engine = engine or Engine()
    engine.preload()  # every plugin and lazily imported part now, not racing in request threads
    app = FastAPI(
        title="mrv-engine", version=_version(),
        description="China's GHG monitoring, reporting and verification (MRV) methodologies as a service: "
                    "forms, validation, calculation with a trace of every figure, verification and rule-version "
                    "diffs. Bodies are the submission documents of `mrv` (schemas/submission.schema.json); JSON "
                    "numbers are read exactly from their text. Errors are RFC 9457 problem details.",
        docs_url="/docs", redoc_url=None,
    )
    app.state.engine = engine
    app.state.max_body = max_body
    _install_error_handlers(app)
    _install_openapi(app, engine)
    _routes(app, engine, max_body)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


async def _call(fn, *args, **kwargs):
    """Run an Engine operation in a worker thread; map its errors to problems."""
    try:
        return await run_in_threadpool(partial(fn, *args, **kwargs))
    except InputError as exc:
        findings = exc.all_findings()
        errors = [f for f in findings if f.is_error] or findings
        kind = "not-found" if all(f.code in NOT_FOUND_CODES for f in errors) else "refused"
        raise Problem(kind, _summary(errors, str(exc)), findings=findings) from None
    except (SectorNotFound, SelectionError) as exc:
        raise Problem("not-found", str(exc)) from None
    except MrvError as exc:
        raise Problem("refused", str(exc)) from None
    except RecursionError:
        raise Problem("refused", "the document nests too deeply to be read") from None
    except ArithmeticError as exc:  # decimal overflow of an absurd figure (1E+999999999)
        raise Problem("refused", f"a figure is out of the range the engine computes with ({type(exc).__name__})") from None


def _summary(errors, fallback: str) -> str:
    if not errors:
        return fallback
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{first.place}: {first.message}{more}"


def _json(data, status: int = 200) -> Response:
    return Response(to_json(data), status_code=status, media_type=_JSON)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        return problem_response(exc.kind, exc.detail, status=exc.status, findings=exc.findings, instance=request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError):
        findings = []
        for err in exc.errors():
            loc = [str(x) for x in err.get("loc", ())]
            place = f"{loc[0]} parameter {'.'.join(loc[1:])}" if loc else "request"
            findings.append({"code": "bad_request", "severity": "error", "place": place,
                             "message": err.get("msg", "invalid"), "message_zh": "请求参数无效"})
        detail = "; ".join(f"{f['place']}: {f['message']}" for f in findings) or "invalid request"
        return problem_response("malformed-request", detail, findings=findings, instance=request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        kind = {404: "not-found", 405: "method-not-allowed", 413: "body-too-large"}.get(exc.status_code, "malformed-request")
        detail = "no such route" if exc.status_code == 404 else str(exc.detail)
        return problem_response(kind, detail, status=exc.status_code, instance=request.url.path)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):  # a bug: logged here, never shown to the client
        log.exception("internal error on %s %s", request.method, request.url.path)
        return problem_response("internal", "internal error; the server's log has the details", instance=request.url.path)


def _routes(app: FastAPI, engine: Engine, max_body: int) -> None:
    body_doc = {"requestBody": {"required": True, "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Submission"}}}}}
    errors = {s: {"description": problems.KINDS_TEXT[s], "content": {problems.MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
              for s in (400, 404, 413, 422)}
    obj = {"content": {_JSON: {"schema": {"type": "object"}}}}
    arr = {"content": {_JSON: {"schema": {"type": "array", "items": {"type": "object"}}}}}

    def responses(ok: dict, *codes: int) -> dict:
        return {200: {"description": "OK", **ok}, **{c: errors[c] for c in codes}}

    Lang = Query("zh", pattern="^(zh|en)$", description="Language of titles and texts: zh or en.")

    @app.get("/", include_in_schema=False)
    async def page():
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/health", summary="Liveness", responses=responses(obj))
    async def health():
        return _json({"status": "ok", "version": app.version})

    @app.get("/sectors", summary="Sectors and plugins with their status and rulesets", responses=responses(arr))
    async def sectors():
        return _json(await _call(engine.sectors))

    @app.get("/rulesets", summary="Rule versions, the years they govern and their sources", responses=responses(arr, 400, 404))
    async def rulesets(sector: str | None = Query(None, max_length=64), year: int | None = Query(None, ge=1900, le=2200),
                       programme: str | None = Query(None, max_length=64, pattern=r"^[a-z][a-z0-9_]*$",
                                                     description="Only the editions of this programme: national, or a pilot's such as hubei_pilot.")):
        found = await _call(engine.rulesets, sector, year, programme)
        return _json([rs.summary() for rs in found])

    @app.get("/forms/{sector}", summary="The composed form of a sector and reporting year, as JSON Schema (docs/forms.md)",
             responses=responses(obj, 400, 404))
    async def form(sector: str, year: int = Query(..., ge=1900, le=2200), lang: str = Lang,
                   programme: str | None = Query(None, max_length=64, pattern=r"^[a-z][a-z0-9_]*$",
                                                 description="A provincial pilot's form (hubei_pilot); default: the national one.")):
        return _json(await _call(engine.form, sector, year, None, lang, programme))

    @app.post("/validate", summary="Every finding in a submission (200 whether or not it is valid)",
              responses=responses(obj, 400, 413), openapi_extra=body_doc)
    async def validate(request: Request):
        data = await read_json(request, max_body)
        findings = await _call(engine.validate, data)
        return _json({"valid": not any(f.is_error for f in findings), "findings": [f.as_dict() for f in findings]})

    @app.post("/calculate", summary="The report of a submission (schemas/report.schema.json)",
              responses=responses(obj, 400, 404, 413, 422), openapi_extra=body_doc)
    async def calculate(request: Request):
        data = await read_json(request, max_body)
        result = await _call(engine.calculate, data)
        return Response(await run_in_threadpool(engine.render, result, "json"), media_type=_JSON)

    @app.post("/explain", summary="How each figure was computed: formula, operands with units and sources, substitutions, rounding",
              responses=responses(obj, 400, 404, 413, 422), openapi_extra=body_doc)
    async def explain(request: Request, figure: str | None = Query(None, max_length=300, description="A figure's JSON path, e.g. $.pages.fuel_combustion[0].emissions; all figures when absent."),
                      lang: str = Lang):
        data = await read_json(request, max_body)
        result = await _call(engine.calculate, data)
        return _json(await run_in_threadpool(_explained, engine, result, figure, lang))

    @app.post("/verify", summary="Recompute under the year's rules, compare the reported figures, run every check",
              responses={**responses(obj, 400, 404, 413, 422), 200: {"description": "OK", "content": {_JSON: {"schema": {"type": "object"}}, "text/html": {"schema": {"type": "string"}}}}},
              openapi_extra=body_doc)
    async def verify(request: Request, format: str = Query("json", pattern="^(json|html)$"), lang: str = Lang):
        data = await read_json(request, max_body)
        report = await _call(engine.verify, data)
        text = await run_in_threadpool(engine.render, report, format, lang)
        return HTMLResponse(text) if format == "html" else Response(text, media_type=_JSON)

    @app.post("/diff", summary="What differs between two rule versions (years or ruleset ids) and its effect on a submission",
              responses=responses(obj, 400, 404, 413, 422), openapi_extra=body_doc)
    async def diff(request: Request, from_: str = Query(..., alias="from", max_length=64, description="A reporting year or a ruleset id."),
                   to: str = Query(..., max_length=64, description="A reporting year or a ruleset id.")):
        data = await read_json(request, max_body)
        result = await _call(engine.diff, data, from_, to)
        return Response(await run_in_threadpool(engine.render, result, "json"), media_type=_JSON)

    def amount():  # one Query per parameter: FastAPI keys a shared instance to one name
        return Query(None, max_length=40, pattern=r"^[0-9]+(\.[0-9]+)?$", description="An exact decimal number of allowances (tCO2).")

    def plan_id():
        return Query(None, max_length=64, description="An allocation plan id; default: the plan governing the submission's year.")

    def supplied():
        return Query([], description="A figure the plan does not give, as NAME[.CATEGORY]=VALUE (e.g. "
                     "b_gen.coal_300_below=0.8049); marked as supplied in the trace. Repeatable; at most 20 are read.")

    def figures_of(items: list[str]) -> dict | None:
        # "name=value" pairs; the engine checks the names and numbers and answers with findings
        return {k: v for k, _, v in (item.partition("=") for item in items[:20] if len(item) <= 120)} or None

    @app.post("/allocate", summary="The allowances of each unit and of the enterprise under the allocation plan of the year, each figure traced",
              responses=responses(obj, 400, 404, 413, 422), openapi_extra=body_doc)
    async def allocate(request: Request, plan: str | None = plan_id(), figure: list[str] = supplied()):
        data = await read_json(request, max_body)
        result = await _call(engine.allocate, data, plan, figures_of(figure))
        return Response(await run_in_threadpool(engine.render, result, "json"), media_type=_JSON)

    @app.post("/comply", summary="The surrender obligation under the plan's caps, exemptions and offset limit, and what remains to buy",
              responses=responses(obj, 400, 404, 413, 422), openapi_extra=body_doc)
    async def comply(request: Request, allowances: str | None = amount(), ccer: str | None = amount(), banked: str | None = amount(),
                     net_sold: str | None = amount(), plan: str | None = plan_id(), figure: list[str] = supplied()):
        data = await read_json(request, max_body)
        result = await _call(engine.comply, data, allowances, ccer, banked, net_sold, plan, figures_of(figure))
        return Response(await run_in_threadpool(engine.render, result, "json"), media_type=_JSON)

    @app.get("/calendar", summary="The deadlines of a data year's compliance chain, national and provincial, each cited (JSON or iCalendar)",
             responses={**responses(obj, 400, 404, 422), 200: {"description": "OK", "content": {_JSON: {"schema": {"type": "object"}}, "text/calendar": {"schema": {"type": "string"}}}}})
    async def calendar(year: int = Query(..., ge=2005, le=2100), province: str | None = Query(None, max_length=40),
                       sector: str | None = Query(None, max_length=64), format: str = Query("json", pattern="^(json|ics)$"), lang: str = Lang):
        cal = await _call(engine.calendar, year, province, sector)
        text = await run_in_threadpool(engine.render, cal, format, lang)
        return Response(text, media_type="text/calendar; charset=utf-8" if format == "ics" else _JSON)


def _explained(engine: Engine, result, figure: str | None, lang: str) -> dict:
    nodes = [n for n in engine.trace(result) if figure is None or n.place == figure]
    if figure is not None and not nodes:
        raise Problem("not-found", f"no figure at {figure}; the report's figures have places like $.pages.<page>[<row>].<figure>")
    return {"figures": [{**n.as_dict(), "text": engine.node_text(n, lang)} for n in nodes]}


def _install_openapi(app: FastAPI, engine: Engine) -> None:
    """The OpenAPI document with the submission's JSON Schema and the problem document as components."""
    from fastapi.openapi.utils import get_openapi

    def openapi():
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = doc.setdefault("components", {}).setdefault("schemas", {})
        submission = engine.schema("submission")
        for name, sub in submission.get("$defs", {}).items():
            components[f"Submission_{name}"] = _rebased(sub)
        components["Submission"] = _rebased({k: v for k, v in submission.items() if k not in ("$defs", "$schema", "$id")})
        components["Problem"] = problems.SCHEMA
        app.openapi_schema = doc
        return doc

    app.openapi = openapi


def _rebased(node):
    """``#/$defs/x`` references of the submission schema as references to its OpenAPI components."""
    if isinstance(node, dict):
        return {k: (f"#/components/schemas/Submission_{v.rsplit('/', 1)[1]}" if k == "$ref" and isinstance(v, str)
                    and v.startswith("#/$defs/") else _rebased(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rebased(x) for x in node]
    return node


def app_from_environment() -> FastAPI:
    """The app ``mrv serve`` starts in each worker: the body limit from ``MRV_MAX_BODY`` (bytes)."""
    raw = os.environ.get("MRV_MAX_BODY", "")
    return create_app(max_body=int(raw) if raw.isdigit() else DEFAULT_MAX_BODY)
