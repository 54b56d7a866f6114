"""``mrv template``: the input workbook of a sector's composed form (and, filled, a submission).

A filled template is read back by every command that takes a file (through
:func:`mrv_engine.cli.shared.load`); ``calc`` and ``verify`` write workbooks with ``--format xlsx``.
"""

from __future__ import annotations

import click
from mrv_engine.cli import shared
from mrv_engine.cli.shared import lang_option
from mrv_engine.cli.texts import say


@click.command()
@click.argument("sector")
@click.option("--year", type=int, help="Reporting year: the rules of that year give the form.")
@click.option("--ruleset", "ruleset_id", help="Pin a ruleset id instead.")
@click.option("--programme", help="A provincial pilot's form (hubei_pilot); default: the --from submission's, else national.")
@lang_option
@click.option("--from", "source", metavar="FILE", help="Fill the template with this submission (JSON, YAML or a workbook).")
@click.option("-o", "--output", required=True, help="The .xlsx file to write, atomically.")
def template(sector, year, ruleset_id, programme, lang, source, output):
    """An Excel workbook of SECTOR's form for a reporting year: fill it in, then `mrv calc FILE.xlsx`."""
    shared.year_or_ruleset(year, ruleset_id)
    submission = None
    if source:
        submission, _name = shared.load(source)
        if year is None and ruleset_id is None and isinstance(submission, dict):
            year = submission.get("year")
    if year is None and ruleset_id is None:
        raise click.UsageError(say("need_year_ruleset_from", lang))
    if not output.lower().endswith(".xlsx"):
        raise click.UsageError(say("need_xlsx", lang))
    data = shared.new_engine().template(sector, year, ruleset_id, lang, submission, programme=programme)
    shared.emit_bytes(data, output)
