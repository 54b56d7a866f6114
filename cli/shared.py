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

import os
import sys

import click
from mrv_engine.cli.texts import say

#: Severities at or above each --fail-on level (must_correct counts as an error to fix).
FAIL_ON = {"none": (), "error": ("error", "must_correct"), "warning": ("error", "must_correct", "warning")}


def default_lang() -> str:
    """The language when no --lang is given: MRV_LANG, else the locale's, else Chinese."""
    if os.environ.get("MRV_LANG") in ("zh", "en"):
        return os.environ["MRV_LANG"]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value.startswith("zh"):
            return "zh"
        if value.startswith("en"):
            return "en"
    return "zh"


def current_lang() -> str:
    ctx = click.get_current_context(silent=True)
    return (ctx.meta.get("mrv.lang") if ctx else None) or default_lang()


def _remember_lang(ctx, _param, value):
    ctx.meta["mrv.lang"] = value
    return value


def lang_option(fn):
    """--lang zh|en; default MRV_LANG, then the locale (LANG, LC_ALL), then zh."""
    return click.option("--lang", type=click.Choice(["zh", "en"]), envvar="MRV_LANG", default=default_lang,
                        callback=_remember_lang, is_eager=True,
                        help="Language of the text (default: MRV_LANG, else the locale, else zh).")(fn)


def wide_option(fn):
    return click.option("--wide", is_flag=True, help="Do not wrap text lines at 100 columns.")(fn)


def fail_on_option(default: str):
    return click.option("--fail-on", type=click.Choice(list(FAIL_ON)), default=default, show_default=True,
                        help="Exit 1 when a finding of this severity or worse is found (none: only when refused).")


def fail_if(findings, fail_on: str, lang: str, explain: bool = True) -> None:
    """Exit 1 when ``findings`` hold a severity --fail-on asks to fail on, saying so (unless the
    command has already said it failed)."""
    hit = [f.severity for f in findings if f.severity in FAIL_ON[fail_on]]
    if hit:
        if explain:
            click.echo(say("failed_on", lang, severity=hit[0], fail_on=fail_on), err=True)
        sys.exit(1)


def show_findings(findings, lang: str, source: str = "") -> None:
    """Findings on standard error, one line each (never wrapped, so that each stays one line to
    read, grep or click in an editor), repeated ones grouped."""
    from mrv_engine import findings_text

    book = workbook_read()
    text = findings_text(findings, lang, source, book.locate if book is not None else None)
    if text:
        click.echo(text, err=True, nl=False)


class MrvGroup(click.Group):
    def invoke(self, ctx):
        from mrv_engine import InputError, MrvError

        try:
            return super().invoke(ctx)
        except InputError as exc:
            # a finding's JSON path is in the document load() read: name that file too
            show_findings(exc.all_findings(), current_lang(), ctx.meta.get("mrv.document", ""))
            ctx.exit(1)
        except MrvError as exc:
            lang = current_lang()
            click.echo(f"{say('error', lang)}: {exc.text(lang)}", err=True)
            ctx.exit(exc.exit_code)


def workbook_read():
    """The workbook this command read, if it read one (its cell map names every finding's cell)."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("mrv.workbook") if ctx is not None else None


def new_engine():
    """The engine; a workbook read before it is checked against the rules that now govern it."""
    from mrv_engine import Engine

    engine = Engine()
    ctx = click.get_current_context(silent=True)
    book = workbook_read()
    if book is not None and not ctx.meta.get("mrv.workbook_checked"):
        ctx.meta["mrv.workbook_checked"] = True
        show_findings(engine.check_workbook(book), current_lang(), book.name)
    return engine


def emit(text: str, output: str | None, wrap: bool = False) -> None:
    """``text`` to standard output, or written atomically to ``output`` saying so on standard error;
    ``wrap`` fits text (not JSON, Markdown or HTML) into 100 columns."""
    if wrap:
        from mrv_engine import fit

        text = fit(text)
    if output and output != "-":
        from mrv_engine import write_atomic

        write_atomic(output, text)
        click.echo(say("wrote", current_lang(), path=output, size=len(text.encode("utf-8"))), err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def emit_bytes(data: bytes, output: str | None) -> None:
    """A binary output (a workbook) to a file, atomically; never to a terminal."""
    if not output or output == "-":
        raise click.UsageError(say("xlsx_needs_output", current_lang()))
    from mrv_engine import write_atomic

    write_atomic(output, data)
    click.echo(say("wrote", current_lang(), path=output, size=len(data)), err=True)


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
        show_findings(got.findings, current_lang(), name)
    else:
        data, name = load_document(path)
    if ctx is not None:
        ctx.meta["mrv.document"] = name
    return data, name


def finding_dict(f) -> dict:
    """A finding's JSON form, with ``cell`` (``sheet!cell``) when the document was a workbook."""
    out = f.as_dict()
    book = workbook_read()
    if book is not None and book.cell_of(f.place):
        out["cell"] = book.cell_of(f.place)
    return out


def validate_file(path: str, year=None, ruleset_id=None):
    """(display name, findings) of the submission at ``path``; a document that cannot be read
    (not a file, too large, not UTF-8, malformed) is its one finding, as validation reports it."""
    from mrv_engine import InputError

    try:
        data, name = load(path)
    except InputError as exc:
        return ("<stdin>" if path == "-" else path), exc.all_findings()
    return name, new_engine().validate(data, year, ruleset_id)


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
        fn = lang_option(fn)
        if "table" in formats or "text" in formats:
            fn = wide_option(fn)
        return click.option("--format", "fmt", type=click.Choice(formats), default=default)(fn)
    return decorate


def year_or_ruleset(year, ruleset):
    if year is not None and ruleset is not None:
        raise click.UsageError(say("both_year_ruleset", current_lang()))


def submission_and_engine(path: str, year, ruleset_id):
    """(submission, its display name, an engine) for a command over one submission under --year / --ruleset."""
    year_or_ruleset(year, ruleset_id)
    data, name = load(path)
    return data, name, new_engine()
