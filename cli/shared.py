"""What every ``mrv`` command shares: the group's one error handler, reading, writing, common options.

Exit codes: 0 success; 1 a finding in the user's data or rules; 2 a usage error.
Every :class:`~mrv_engine.MrvError` becomes a one-line message in one place
(:class:`MrvGroup`), never a traceback.

The engine is imported inside these functions, not at the top, so that ``mrv --help`` and
every command's ``--help`` start without loading the engine and its libraries
(tests/test_layers.py checks it); with cli/maintainer.py's, these are the CLI's only
function-local imports.
"""

from __future__ import annotations

import click


class MrvGroup(click.Group):
    def invoke(self, ctx):
        from mrv_engine import InputError, MrvError

        try:
            return super().invoke(ctx)
        except InputError as exc:
            # a finding's JSON path is in the document load() read: name that file too
            doc = ctx.meta.get("mrv.document")
            for f in exc.findings:
                click.echo(f"error: {where(f.place, doc)}: {f.message}", err=True)
            if not exc.findings:
                click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except MrvError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


def new_engine():
    """The engine; a workbook read before it is checked against the rules that now govern it."""
    from mrv_engine import Engine

    engine = Engine()
    ctx = click.get_current_context(silent=True)
    book = ctx.meta.get("mrv.workbook") if ctx is not None else None
    if book is not None and not ctx.meta.get("mrv.workbook_checked"):
        ctx.meta["mrv.workbook_checked"] = True
        for f in engine.check_workbook(book):
            click.echo(f"{f.severity}: {book.name}: {f.place}: {f.message}", err=True)
    return engine


def emit(text: str, output: str | None) -> None:
    if output and output != "-":
        from mrv_engine import write_atomic

        write_atomic(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def emit_bytes(data: bytes, output: str | None) -> None:
    """A binary output (a workbook) to a file, atomically; never to a terminal."""
    if not output or output == "-":
        raise click.UsageError("a workbook is written to a file: give -o FILE.xlsx")
    from mrv_engine import write_atomic

    write_atomic(output, data)


def load(path: str):
    """(document, display name) of a JSON, YAML or workbook file; a workbook's warnings go to
    stderr, and its cell map is kept so that every finding names its sheet and cell."""
    from mrv_engine import is_workbook, load_document, read_workbook

    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta["mrv.document"] = str(path)
    if is_workbook(path):
        got = read_workbook(path)
        data, name = got.submission, got.name
        if ctx is not None:
            ctx.meta["mrv.workbook"] = got
        for f in got.findings:
            click.echo(f"{f.severity}: {name}: {f.place}: {f.message}", err=True)
    else:
        data, name = load_document(path)
    if ctx is not None:
        ctx.meta["mrv.document"] = name
    return data, name


def finding_dict(f) -> dict:
    """A finding's JSON form, with ``cell`` (``sheet!cell``) when the document was a workbook."""
    out = f.as_dict()
    ctx = click.get_current_context(silent=True)
    book = ctx.meta.get("mrv.workbook") if ctx is not None else None
    if book is not None and book.cell_of(f.place):
        out["cell"] = book.cell_of(f.place)
    return out


def where(place: str, doc: str | None = None) -> str:
    """A finding's place for people: ``file: sheet!cell (JSON path)`` in a workbook, ``file: JSON path``
    otherwise; a file:line place as it is."""
    ctx = click.get_current_context(silent=True)
    book = ctx.meta.get("mrv.workbook") if ctx is not None else None
    doc = doc if doc is not None else (ctx.meta.get("mrv.document") if ctx is not None else None)
    if book is not None:
        shown = book.locate(place)
        return f"{doc}: {shown}" if doc and not shown.startswith(f"{doc}:") else shown
    return f"{doc}: {place}" if doc and place.startswith("$") else place


def validate_file(path: str):
    """(display name, findings) of the submission at ``path``; a document that cannot be read
    (not a file, too large, not UTF-8, malformed) is its one finding, as validation reports it."""
    from mrv_engine import InputError

    try:
        data, name = load(path)
    except InputError as exc:
        return ("<stdin>" if path == "-" else path), exc.all_findings()
    return name, new_engine().validate(data)


def as_json(data) -> str:
    from mrv_engine import to_json

    return to_json(data)


def rules_options(fn):
    """--year / --ruleset: which rules a command applies to a submission."""
    fn = click.option("--ruleset", "ruleset_id", help="Apply this ruleset id (pin the rules) instead.")(fn)
    return click.option("--year", type=int, help="Apply the rules of this reporting year (default: the submission's).")(fn)


def output_options(formats, default):
    """--format / --lang / -o, shared by every command that renders a result."""
    def decorate(fn):
        fn = click.option("-o", "--output", help="Write to this file, atomically (default: standard output).")(fn)
        fn = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Language of the text.")(fn)
        return click.option("--format", "fmt", type=click.Choice(formats), default=default)(fn)
    return decorate


def year_or_ruleset(year, ruleset):
    if year is not None and ruleset is not None:
        raise click.UsageError("give --year or --ruleset, not both")


def submission_and_engine(path: str, year, ruleset_id):
    """(submission, its display name, an engine) for a command over one submission under --year / --ruleset."""
    year_or_ruleset(year, ruleset_id)
    data, name = load(path)
    return data, name, new_engine()
