"""The reporting commands: ``mrv sectors``, ``rulesets``, ``form``, ``validate``, ``calc``, ``explain``."""

from __future__ import annotations

import sys

import click
from mrv_engine.cli import shared
from mrv_engine.cli.shared import (
    as_json,
    emit,
    fail_if,
    fail_on_option,
    lang_option,
    output_options,
    rules_options,
    show_findings,
    wide_option,
    year_or_ruleset,
)
from mrv_engine.cli.texts import say


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@lang_option
@wide_option
def sectors(fmt, lang, wide):
    """List sectors and plugins (broken ones with the reason)."""
    rows = shared.new_engine().sectors()
    if fmt == "json":
        click.echo(as_json(rows), nl=False)
        return
    if not rows:
        click.echo(say("no_sectors", lang), err=True)
        sys.exit(1)
    lines = []
    for r in rows:
        name = f"{r['name'][lang]}" if r["name"] else ""
        line = f"{r['id']:<12} {r['status']:<8} {name}"
        if r["rulesets"]:
            line += f"  [{', '.join(r['rulesets'])}]"
        lines.append(line)
        if r["reason"]:
            lines.append(f"             {say('reason', lang)}: {r['reason']}")
    emit("\n".join(lines) + "\n", None, wrap=not wide)


@click.command()
@click.option("--sector", "sector")
@click.option("--year", type=int)
@click.option("--programme", help="Only the editions of this programme (national, or a pilot's such as hubei_pilot).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@lang_option
@wide_option
def rulesets(sector, year, programme, fmt, lang, wide):
    """List rule versions with the years they govern, their programme and their sources."""
    engine = shared.new_engine()
    found = engine.rulesets(sector, year, programme)
    if fmt == "json":
        click.echo(as_json([rs.summary() for rs in found]), nl=False)
        return
    if not found:
        click.echo(say("no_rulesets", lang, why=_why_none(engine, sector, year, lang)), err=True)
        sys.exit(1)
    lines = []
    for rs in found:
        lines.append(f"{rs.id:<28} {rs.sector:<10} {rs.years_text:<10} {rs.title[lang]}")
        if rs.programme != "national":
            label = engine.programme_label(rs.programme)[lang]
            lines.append("    " + say("edition_programme", lang, id=rs.programme, label=label))
        for key, src in rs.sources.items():
            num = f" {src['number']}" if src.get("number") else ""
            lines.append(f"    {key}: {src['title']}{num}")
        for prog in rs.summary()["programmes"]:
            lines.append("    " + say("programme", lang, text=prog_text(prog, lang)))
        if rs.unverified():
            lines.append("    " + say("unverified", lang, n=len(rs.unverified()), m=len(rs.figures())))
    emit("\n".join(lines) + "\n", None, wrap=not wide)


def prog_text(prog: dict, lang: str = "zh") -> str:
    """One programme of `mrv rulesets`: its rules by years, or the parameters that follow it."""
    if "rules" not in prog:
        return say("programme_follows", lang, id=prog["id"], parameters=", ".join(prog["parameters"]))
    parts = []
    for r in prog["rules"]:
        years = f"{r['years']['from']}–{r['years']['to'] or ''}"
        if r.get("sectors"):
            who = f" ({', '.join(r['sectors'])})"
        elif r.get("except_sectors"):
            who = " (" + say("except_sectors", lang, sectors=", ".join(r["except_sectors"])) + ")"
        else:
            who = ""
        factor = {"regional": say("regional_factor", lang), None: say("no_factor", lang)}.get(r["factor"], r["factor"])
        parts.append(f"{years}{who} {factor}")
    pilot = say("pilot", lang) if prog["pilot"] else ""
    return f"{prog['id']} {prog['label'][lang]}{pilot}: " + "; ".join(parts)


def _why_none(engine, sector, year, lang) -> str:
    """Why ``mrv rulesets`` found nothing: the sector has no edition, or none for that year."""
    if sector is not None:
        editions = engine.rulesets(sector, None)
        if not editions:
            installed = ", ".join(s["id"] for s in engine.sectors())
            return say("no_sector_rulesets", lang, sector=sector, sectors=installed)
        listing = ", ".join(f"{rs.id} ({rs.years_text})" for rs in editions)
        return say("no_year", lang, sector=sector, year=year, editions=listing)
    return say("no_year_any", lang, year=year)


@click.command()
@click.argument("sector")
@click.option("--year", type=int)
@click.option("--ruleset", "ruleset_id")
@click.option("--programme", help="A provincial pilot's form (hubei_pilot); default: the national one.")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Titles in this language (default: both, 中文 / English).")
@click.option("-o", "--output")
def form(sector, year, ruleset_id, programme, lang, output):
    """The composed form of SECTOR for a reporting year, as JSON Schema (docs/forms.md)."""
    year_or_ruleset(year, ruleset_id)
    if year is None and ruleset_id is None:
        raise click.UsageError(say("need_year_ruleset", shared.current_lang()))
    emit(as_json(shared.new_engine().form(sector, year, ruleset_id, lang, programme=programme)), output)


@click.command()
@click.argument("file")
@rules_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@lang_option
@wide_option
@fail_on_option("error")
def validate(file, year, ruleset_id, fmt, lang, wide, fail_on):
    """Check a submission and list every finding (exit 1 on an error, or as --fail-on says)."""
    shared.year_or_ruleset(year, ruleset_id)
    name, findings = shared.validate_file(file, year, ruleset_id)
    errors = [f for f in findings if f.is_error]
    if fmt == "json":
        click.echo(as_json({"file": name, "valid": not errors, "findings": [shared.finding_dict(f) for f in findings]}), nl=False)
    else:
        show_findings(findings, lang, name)
        if errors:
            click.echo(say("invalid", lang, name=name, n=len(errors)), err=True)
        elif findings:
            click.echo(say("valid_with", lang, name=name, n=len(findings)))
        else:
            click.echo(say("valid", lang, name=name))
    fail_if(findings, fail_on, lang, explain=not errors and fmt != "json")


@click.command()
@click.argument("file")
@rules_options
@output_options(["table", "json", "markdown", "xlsx"], "table")
@fail_on_option("none")
def calc(file, year, ruleset_id, fmt, lang, wide, output, fail_on):
    """Calculate a submission (FILE: JSON, YAML, a filled template .xlsx, or - for stdin); findings that
    do not refuse it go to standard error."""
    if fmt == "xlsx" and (not output or output == "-"):
        raise click.UsageError(say("xlsx_needs_output", lang))
    data, name, engine = shared.submission_and_engine(file, year, ruleset_id)
    result = engine.calculate(data, year, ruleset_id, source_name=name)
    if fmt == "xlsx":
        shared.emit_bytes(engine.workbook(result, lang), output)
    else:
        emit(engine.render(result, fmt, lang), output, wrap=fmt == "table" and not wide)
    if fmt != "json":  # the JSON report carries its findings itself
        show_findings(result.findings, lang, name)
    fail_if(result.findings, fail_on, lang)


@click.command()
@click.argument("file")
@rules_options
@output_options(["text", "json"], "text")
@click.option("--figure", metavar="PATH", help="Only this figure (its JSON path, e.g. '$.pages.fuel_combustion[0].emissions'), "
                                              "or every figure of a row ('$.pages.fuel_combustion[0]').")
@click.option("--page", metavar="PAGE", help="Only the figures of this page (its id, e.g. fuel_combustion).")
def explain(file, year, ruleset_id, fmt, lang, wide, output, figure, page):
    """Show how figures were computed: formula, operands with units and sources, substitutions, rounding."""
    data, name, engine = shared.submission_and_engine(file, year, ruleset_id)
    result = engine.calculate(data, year, ruleset_id, source_name=name)
    if fmt == "json":
        text = as_json([n.as_dict() for n in engine.trace(result, figure, page)])
    else:
        text = engine.explain(result, lang, figure, page)
    emit(text, output, wrap=fmt == "text" and not wide)
