"""``mrv verify`` and ``mrv diff``: the verifier's commands, registered on the ``mrv`` group.

Added to the ``mrv`` group by :mod:`mrv_engine.cli.main`; errors reach the group's
single handler like every other command's.

Exit codes of ``verify``: 0 when the report was made, whatever it found (``--fail-on error``
exits 1 on a finding of severity ``error`` or ``must_correct``, ``--fail-on warning`` on a
warning too; the report is written either way); 1 when the submission cannot be read; 2 usage.
"""

from __future__ import annotations

import click
from mrv_engine.cli import shared
from mrv_engine.cli.shared import (
    emit,
    fail_if,
    fail_on_option,
    load,
    output_options,
    rules_options,
)
from mrv_engine.cli.texts import say


@click.command()
@click.argument("submission")
@rules_options
@output_options(["table", "json", "markdown", "html", "xlsx"], "table")
@fail_on_option("none")
def verify(submission, year, ruleset_id, fmt, lang, wide, output, fail_on):
    """Recompute SUBMISSION under its year's rules, compare the reported figures and run every check."""
    if fmt == "xlsx" and (not output or output == "-"):
        raise click.UsageError(say("xlsx_needs_output", lang))
    data, name, engine = shared.submission_and_engine(submission, year, ruleset_id)
    book = shared.workbook_read()  # a workbook's findings name their cells
    report = engine.verify(data, year, ruleset_id, source_name=name, cell_of=book.cell_of if book is not None else None)
    if fmt == "xlsx":
        shared.emit_bytes(engine.workbook(report, lang), output)
    else:
        emit(engine.render(report, fmt, lang), output, wrap=fmt == "table" and not wide)
    fail_if(report.findings, fail_on, lang)


@click.command()
@click.argument("submission")
@click.option("--from", "a", required=True, help="A reporting year, a month of one (2022-04: the edition governing it) or a ruleset id.")
@click.option("--to", "b", required=True, help="A reporting year, a month of one (2022-04: the edition governing it) or a ruleset id.")
@output_options(["table", "json", "markdown"], "table")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE[ UNIT]",
              help="A parameter figure for a side whose rules give none for its year (e.g. a grid factor not yet "
                   "published); used only there, marked as supplied. Repeatable.")
def diff(submission, a, b, fmt, lang, wide, output, params):
    """What differs between two rule versions (years or ruleset ids), and its effect on SUBMISSION."""
    data, _name = load(submission)
    if params:
        data = dict(data, parameters=dict(data.get("parameters") or {}))
        for text in params:
            name, sep, value = text.partition("=")
            if not sep or not name.strip() or not value.strip():
                raise click.UsageError(f"--param {text!r}: expected NAME=VALUE, e.g. grid_ef=0.5703")
            number, _, unit = value.strip().partition(" ")
            entry = {"value": number, "note": "supplied on the command line (mrv diff --param)"}
            if unit.strip():
                entry["unit"] = unit.strip()
            data["parameters"][name.strip()] = entry
    engine = shared.new_engine()
    emit(engine.render(engine.diff(data, a, b), fmt, lang), output, wrap=fmt == "table" and not wide)
