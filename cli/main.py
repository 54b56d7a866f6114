"""The ``mrv`` command: a thin click layer over :class:`mrv_engine.Engine`.

Exit codes: 0 success; 1 a finding in the user's data or rules; 2 a usage error.
Every :class:`~mrv_engine.core.base.errors.MrvError` becomes a one-line message in
one place (:class:`MrvGroup`), never a traceback.
"""

from __future__ import annotations

import sys

import click


class MrvGroup(click.Group):
    def invoke(self, ctx):
        from mrv_engine import InputError, MrvError

        try:
            return super().invoke(ctx)
        except InputError as exc:
            # a finding's JSON path is in the document _load read: name that file too
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


def _engine():
    from mrv_engine import Engine

    return Engine()


def _emit(text: str, output: str | None) -> None:
    if output and output != "-":
        from mrv_engine import write_atomic

        write_atomic(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _load(path: str):
    from mrv_engine import load_document

    data, name = load_document(path)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta["mrv.document"] = name
    return data, name


def _json(data) -> str:
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


def _year_or_ruleset(year, ruleset):
    if year is not None and ruleset is not None:
        raise click.UsageError("give --year or --ruleset, not both")


@click.group(cls=MrvGroup)
@click.version_option(package_name="mrv-engine", prog_name="mrv")
def cli():
    """mrv-engine: compute, explain and verify China's GHG reports under the rules of their year."""


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def sectors(fmt):
    """List sectors and plugins (broken ones with the reason)."""
    rows = _engine().sectors()
    if fmt == "json":
        click.echo(_json(rows), nl=False)
        return
    for r in rows:
        name = f"{r['name']['zh']} / {r['name']['en']}" if r["name"] else ""
        line = f"{r['id']:<12} {r['status']:<8} {name}"
        if r["rulesets"]:
            line += f"  [{', '.join(r['rulesets'])}]"
        if r["reason"]:
            line += f"\n             reason: {r['reason']}"
        click.echo(line)


@cli.command()
@click.option("--sector", "sector")
@click.option("--year", type=int)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def rulesets(sector, year, fmt):
    """List rule versions with the years they govern and their sources."""
    found = _engine().rulesets(sector, year)
    if fmt == "json":
        click.echo(_json([rs.summary() for rs in found]), nl=False)
        return
    for rs in found:
        click.echo(f"{rs.id:<28} {rs.sector:<10} {rs.years_text:<10} {rs.title['zh']}")
        for key, src in rs.sources.items():
            num = f" {src['number']}" if src.get("number") else ""
            click.echo(f"    {key}: {src['title']}{num}")
        if rs.unverified():
            click.echo(f"    unverified figures: {len(rs.unverified())}")


@cli.command()
@click.argument("sector")
@click.option("--year", type=int)
@click.option("--ruleset", "ruleset_id")
@click.option("-o", "--output")
def form(sector, year, ruleset_id, output):
    """The composed form of SECTOR for a reporting year, as JSON Schema."""
    _year_or_ruleset(year, ruleset_id)
    if year is None and ruleset_id is None:
        raise click.UsageError("give --year or --ruleset")
    _emit(_json(_engine().form(sector, year, ruleset_id)), output)


@cli.command()
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def validate(file, fmt):
    """Check a submission; exit 1 listing every finding."""
    data, name = _load(file)
    findings = _engine().validate(data)
    valid = not any(f.is_error for f in findings)
    if fmt == "json":
        click.echo(_json({"file": name, "valid": valid, "findings": [f.as_dict() for f in findings]}), nl=False)
    else:
        for f in findings:
            severity = "" if f.is_error else f"{f.severity}: "
            click.echo(f"{name}: {f.place}: {severity}{f.message}", err=True)
        if valid:
            click.echo(f"{name}: valid")
    sys.exit(0 if valid else 1)


@cli.command()
@click.argument("file")
@rules_options
@output_options(["table", "json", "markdown"], "table")
def calc(file, year, ruleset_id, fmt, lang, output):
    """Calculate a submission (FILE, or - for stdin)."""
    _year_or_ruleset(year, ruleset_id)
    data, name = _load(file)
    engine = _engine()
    result = engine.calculate(data, year, ruleset_id, source_name=name)
    _emit(engine.render(result, fmt, lang), output)


@cli.command()
@click.argument("file")
@rules_options
@output_options(["text", "json"], "text")
def explain(file, year, ruleset_id, fmt, lang, output):
    """Show how every figure was computed: formula, operands, sources, rounding."""
    _year_or_ruleset(year, ruleset_id)
    data, name = _load(file)
    engine = _engine()
    result = engine.calculate(data, year, ruleset_id, source_name=name)
    if fmt == "json":
        text = _json([n.as_dict() for n in engine.trace(result)])
    else:
        text = engine.explain(result, lang)
    _emit(text, output)


def main():
    cli(prog_name="mrv")


# Command groups of their own modules register themselves on ``cli`` when imported.
from mrv_engine.cli import verifier  # noqa: E402,F401  (mrv verify, mrv diff)
from mrv_engine.cli import maintainer  # noqa: E402,F401  (mrv lint, test, docs, new-sector)

if __name__ == "__main__":  # pragma: no cover
    # Run the registered module's cli, not this __main__ copy, so every command group is there.
    from mrv_engine.cli.main import main as _main

    _main()
