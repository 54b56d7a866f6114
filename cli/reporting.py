"""The reporting commands: ``mrv sectors``, ``rulesets``, ``form``, ``validate``, ``calc``, ``explain``."""

from __future__ import annotations

import sys

import click
from mrv_engine.cli import shared
from mrv_engine.cli.shared import (
    as_json,
    emit,
    output_options,
    rules_options,
    year_or_ruleset,
)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def sectors(fmt):
    """List sectors and plugins (broken ones with the reason)."""
    rows = shared.new_engine().sectors()
    if fmt == "json":
        click.echo(as_json(rows), nl=False)
        return
    for r in rows:
        name = f"{r['name']['zh']} / {r['name']['en']}" if r["name"] else ""
        line = f"{r['id']:<12} {r['status']:<8} {name}"
        if r["rulesets"]:
            line += f"  [{', '.join(r['rulesets'])}]"
        if r["reason"]:
            line += f"\n             reason: {r['reason']}"
        click.echo(line)


@click.command()
@click.option("--sector", "sector")
@click.option("--year", type=int)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def rulesets(sector, year, fmt):
    """List rule versions with the years they govern and their sources."""
    found = shared.new_engine().rulesets(sector, year)
    if fmt == "json":
        click.echo(as_json([rs.summary() for rs in found]), nl=False)
        return
    for rs in found:
        click.echo(f"{rs.id:<28} {rs.sector:<10} {rs.years_text:<10} {rs.title['zh']}")
        for key, src in rs.sources.items():
            num = f" {src['number']}" if src.get("number") else ""
            click.echo(f"    {key}: {src['title']}{num}")
        for prog in rs.summary()["programmes"]:
            click.echo(f"    programme {prog_text(prog)}")
        if rs.unverified():
            click.echo(f"    unverified figures: {len(rs.unverified())} of {len(rs.figures())}")


def prog_text(prog: dict) -> str:
    """One programme of `mrv rulesets`: its rules by years, or the parameters that follow it."""
    if "rules" not in prog:
        return f"{prog['id']}: {', '.join(prog['parameters'])} chosen by the host's grid rules"
    parts = []
    for r in prog["rules"]:
        years = f"{r['years']['from']}–{r['years']['to'] or ''}"
        who = f" ({', '.join(r['sectors'])})" if r.get("sectors") else (f" (not {', '.join(r['except_sectors'])})" if r.get("except_sectors") else "")
        factor = {"regional": "regional grid of the province", None: "none confirmed"}.get(r["factor"], r["factor"])
        parts.append(f"{years}{who} {factor}")
    pilot = " [provincial pilot]" if prog["pilot"] else ""
    return f"{prog['id']} {prog['label']['zh']}{pilot}: " + "; ".join(parts)


@click.command()
@click.argument("sector")
@click.option("--year", type=int)
@click.option("--ruleset", "ruleset_id")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Titles in this language (default: both, 中文 / English).")
@click.option("-o", "--output")
def form(sector, year, ruleset_id, lang, output):
    """The composed form of SECTOR for a reporting year, as JSON Schema (docs/forms.md)."""
    year_or_ruleset(year, ruleset_id)
    if year is None and ruleset_id is None:
        raise click.UsageError("give --year or --ruleset")
    emit(as_json(shared.new_engine().form(sector, year, ruleset_id, lang)), output)


@click.command()
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def validate(file, fmt):
    """Check a submission; exit 1 listing every finding."""
    name, findings = shared.validate_file(file)
    valid = not any(f.is_error for f in findings)
    if fmt == "json":
        click.echo(as_json({"file": name, "valid": valid, "findings": [shared.finding_dict(f) for f in findings]}), nl=False)
    else:
        for f in findings:
            severity = "" if f.is_error else f"{f.severity}: "
            click.echo(f"{shared.where(f.place, name)}: {severity}{f.message}", err=True)
        if valid:
            click.echo(f"{name}: valid")
    sys.exit(0 if valid else 1)


@click.command()
@click.argument("file")
@rules_options
@output_options(["table", "json", "markdown", "xlsx"], "table")
def calc(file, year, ruleset_id, fmt, lang, output):
    """Calculate a submission (FILE: JSON, YAML, a filled template .xlsx, or - for stdin)."""
    if fmt == "xlsx" and (not output or output == "-"):
        raise click.UsageError("--format xlsx writes a workbook: give -o FILE.xlsx")
    data, name, engine = shared.submission_and_engine(file, year, ruleset_id)
    result = engine.calculate(data, year, ruleset_id, source_name=name)
    if fmt == "xlsx":
        shared.emit_bytes(engine.workbook(result, lang), output)
        return
    emit(engine.render(result, fmt, lang), output)


@click.command()
@click.argument("file")
@rules_options
@output_options(["text", "json"], "text")
def explain(file, year, ruleset_id, fmt, lang, output):
    """Show how every figure was computed: formula, operands, sources, rounding."""
    data, name, engine = shared.submission_and_engine(file, year, ruleset_id)
    result = engine.calculate(data, year, ruleset_id, source_name=name)
    if fmt == "json":
        text = as_json([n.as_dict() for n in engine.trace(result)])
    else:
        text = engine.explain(result, lang)
    emit(text, output)
