"""The methodology maintainer's commands: ``mrv lint``, ``mrv test``, ``mrv docs``, ``mrv new-sector``.

Added to the ``mrv`` group by :mod:`mrv_engine.cli.main`.
Exit codes as elsewhere: 0 success, 1 a finding (lint error, failing case, stale docs), 2 usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from mrv_engine.cli.shared import as_json, emit, lang_option, wide_option
from mrv_engine.cli.texts import say


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--sector", "sectors", multiple=True, help="Lint only this installed sector (repeatable; without PATH).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("-q", "--quiet", is_flag=True, help="Show errors only, not warnings.")
@lang_option
@wide_option
def lint(paths, sectors, fmt, strict, quiet, lang, wide):
    """Check rulesets and sector plugins; every finding names file and line.

    With PATHs, lint those ruleset / golden files, or every one under those directories.
    Without, lint every installed sector plugin and its rulesets.
    """
    from mrv_engine import maintain

    if paths and sectors:
        raise click.UsageError("give PATHs or --sector, not both")
    result = maintain.lint(list(paths), list(sectors) or None)
    if paths and not result.files and not result.findings:
        raise click.ClickException(f"no ruleset or golden file found in {', '.join(paths)}")
    shown = result.errors if quiet else result.findings
    shown = sorted(shown, key=lambda f: (f.file, f.line, f.code))
    failed = bool(result.errors) or (strict and bool(result.warnings))
    if fmt == "json":
        click.echo(as_json({"ok": not failed, "files": result.files, "findings": [maintain.lint_dict(f) for f in shown],
                            "figures": [c.as_dict() for c in result.counts]}), nl=False)
    else:
        # Each finding starts its own line with file:line (editors jump there); a long one wraps at
        # 100 columns with indented continuation lines, unless --wide keeps one finding per line for
        # tools that parse stdout (or --format json). The counts and the summary go to stderr.
        if shown:
            emit("".join(maintain.lint_line(f) + "\n" for f in shown), None, wrap=not wide)
        for c in result.counts:
            click.echo(say("figures_confirmed", lang, file=c.file, ruleset=c.ruleset, confirmed=c.confirmed,
                           figures=c.figures, unconfirmed=c.unconfirmed), err=True)
        if len(result.counts) > 1:
            total = sum(c.figures for c in result.counts)
            unconfirmed = sum(c.unconfirmed for c in result.counts)
            click.echo(say("figures_confirmed_all", lang, n=len(result.counts), confirmed=total - unconfirmed,
                           figures=total, unconfirmed=unconfirmed), err=True)
        click.echo(say("lint_summary", lang, errors=len(result.errors), warnings=len(result.warnings),
                       files=len(result.files)), err=True)
    sys.exit(1 if failed else 0)


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--sector", "sectors", multiple=True, help="Only the golden files of this installed sector (without PATH).")
@click.option("-k", "select", help="Only cases whose name contains this text.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", help="Language of the traces of failing cases.")
@click.option("-v", "--verbose", is_flag=True, help="List passing cases too.")
def test_cmd(paths, sectors, select, lang, verbose):
    """Run golden cases (*.golden.yaml): expected figures, with their decimals.

    With PATHs, the golden files there (or under those directories); without, the
    golden files next to every installed sector's rulesets.
    """
    from mrv_engine import maintain

    if paths and sectors:
        raise click.UsageError("give PATHs or --sector, not both")
    files = maintain.find_golden_files(paths) if paths else maintain.installed_golden_files(sectors=list(sectors) or None)
    if not files:
        raise click.ClickException("no golden test files (*.golden.yaml) found")
    passed = failed = 0
    for f, outcome in maintain.run_files(files, maintain.GoldenRunner(lang=lang), select):
        if isinstance(outcome, Exception):
            failed += 1
            kind = "invalid golden file" if isinstance(outcome, maintain.GoldenError) else "unreadable"
            click.echo(f"ERROR {kind}: {outcome}")
            continue
        if outcome.passed:
            passed += 1
            if verbose:
                click.echo(f"ok    {outcome.case.id}")
        else:
            failed += 1
            click.echo(f"FAIL  {outcome.case.id}")
            click.echo(outcome.report(lang))
    click.echo(f"{passed} passed, {failed} failed", err=True)
    sys.exit(1 if failed or not passed else 0)


@click.command()
@click.argument("sector", required=False)
@click.option("--year", type=int, help="Only the rule version governing this reporting year.")
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False), help="Write <ruleset-id>.md files into this directory.")
@click.option("--all", "all_sectors", is_flag=True, help="Every installed sector (with -o).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a file in -o DIR is missing or not current.")
def docs(sector, year, outdir, all_sectors, check):
    """Generate the Markdown methodology page of SECTOR from its rulesets."""
    from mrv_engine import Engine, maintain

    if bool(sector) == bool(all_sectors):
        raise click.UsageError("give a SECTOR or --all")
    if (check or all_sectors) and not outdir:
        raise click.UsageError("--check and --all need -o DIR")
    engine = Engine()
    ids = [sector] if sector else [s["id"] for s in engine.sectors() if s["status"] == "ok"]
    pages = {}
    for sid in ids:
        pages.update(maintain.sector_docs(engine, sid, year))
    if not outdir:
        click.echo("\n".join(pages.values()), nl=False)
        return
    out = Path(outdir)
    stale = []
    for name, text in pages.items():
        path = out / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if check:
            stale.append(str(path))
            continue
        out.mkdir(parents=True, exist_ok=True)
        from mrv_engine import write_atomic

        write_atomic(path, text)
        click.echo(f"wrote {path}")
    if stale:
        for s in stale:
            click.echo(f"not current: {s}", err=True)
        click.echo(f"run `mrv docs {sector or '--all'} -o {outdir}` and commit the result", err=True)
        sys.exit(1)


@click.command("new-sector")
@click.argument("sector_id")
@click.option("--name-zh", required=True, help="The sector's Chinese name, e.g. 石灰.")
@click.option("--name-en", required=True, help="The sector's English name, e.g. Lime.")
@click.option("-o", "--output", "outdir", type=click.Path(), help="Directory to create (default ./mrv-sector-<id>).")
@click.option("--year", type=int, help="First reporting year of the first ruleset (default: this year).")
def new_sector(sector_id, name_zh, name_en, outdir, year):
    """Scaffold an installable sector plugin: pyproject, plugin module, first ruleset, golden cases, README."""
    from mrv_engine import maintain

    target = maintain.new_sector(sector_id, name_zh, name_en, outdir, year)
    click.echo(f"created {target}")
    click.echo("next:")
    click.echo(f"  pip install -e {target}")
    click.echo(f"  mrv lint {target} && mrv test {target}")
