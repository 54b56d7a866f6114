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
                place = f"{doc}: {f.place}" if doc and f.place.startswith("$") else f.place
                click.echo(f"error: {place}: {f.message}", err=True)
            if not exc.findings:
                click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except MrvError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


def new_engine():
    from mrv_engine import Engine

    return Engine()


def emit(text: str, output: str | None) -> None:
    if output and output != "-":
        from mrv_engine import write_atomic

        write_atomic(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def load(path: str):
    from mrv_engine import load_document

    data, name = load_document(path)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta["mrv.document"] = name
    return data, name


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
