"""``mrv allocate``, ``mrv comply`` and ``mrv calendar``: from a verified report to allowances, the
surrender obligation and the deadlines of the compliance chain.

Registered on the ``mrv`` group by :mod:`mrv_engine.cli.main`; errors reach the group's single
handler like every other command's. Thin: every figure comes from :class:`mrv_engine.Engine`.
"""

from __future__ import annotations

import click
from mrv_engine.cli import shared
from mrv_engine.cli.shared import emit, load, output_options
from mrv_engine.cli.texts import say


def _figures(texts) -> dict:
    """``--figure NAME[.CATEGORY]=VALUE`` options as a mapping."""
    out = {}
    for text in texts:
        name, sep, value = text.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise click.UsageError(f"--figure {text!r}: expected NAME=VALUE or NAME.CATEGORY=VALUE, e.g. b_gen.coal_above_300=0.7950")
        out[name.strip()] = value.strip()
    return out


def _plan_options(fn):
    fn = click.option("--base", "base", metavar="FILE",
                      help='Base-year production for the pre-allocation: {"year": Y, "units": {unit: {input: number}}}.')(fn)
    fn = click.option("--figure", "figures", multiple=True, metavar="NAME[.CATEGORY]=VALUE",
                      help="A figure the plan does not give (e.g. a benchmark not yet confirmed); marked as supplied. Repeatable.")(fn)
    return click.option("--plan", "plan_id", help="Apply this allocation plan id instead of the one governing the report's year.")(fn)


def _allocation(engine, submission: str, plan_id, figures, base):
    base_doc, base_name = load(base) if base else (None, "base")
    data, _name = load(submission)  # read last, so the error handler names this file for a $ place
    return engine.allocate(data, plan_id, _figures(figures), base_doc, base_name)


@click.command()
@click.argument("submission")
@_plan_options
@output_options(["table", "explain", "json", "markdown", "xlsx"], "table")
def allocate(submission, plan_id, figures, base, fmt, lang, wide, output):
    """The allowances of each unit of SUBMISSION and of the enterprise, under the allocation plan of its year.

    With --format xlsx -o FILE.xlsx, a workbook of the allocation (each unit's trace, a live total; written atomically)."""
    _xlsx_needs_output(fmt, output, lang)
    engine = shared.new_engine()
    _emit(engine, _allocation(engine, submission, plan_id, figures, base), fmt, lang, wide, output)


def _xlsx_needs_output(fmt, output, lang) -> None:
    if fmt == "xlsx" and (not output or output == "-"):  # refused before any work, like mrv calc
        raise click.UsageError(say("xlsx_needs_output", lang))


def _emit(engine, obj, fmt, lang, wide, output) -> None:
    if fmt == "xlsx":
        shared.emit_bytes(engine.workbook(obj, lang), output)
    else:
        emit(engine.render(obj, fmt, lang), output, wrap=fmt in ("table", "explain") and not wide)


@click.command()
@click.argument("submission")
@click.option("--allowances", metavar="N", help="Allowances held for the year (default: the allocation computed under the plan).")
@click.option("--ccer", metavar="N", help="CCER held for offsetting.")
@click.option("--banked", metavar="N", help="Allowances carried over from earlier years.")
@click.option("--net-sold", "net_sold", metavar="N", help="Net allowances sold, for a plan that caps banking by them.")
@click.option("--plan", "plan_id", help="Apply this allocation plan id instead of the one governing the report's year.")
@click.option("--figure", "figures", multiple=True, metavar="NAME[.CATEGORY]=VALUE",
              help="A figure the plan does not give; marked as supplied. Repeatable.")
@output_options(["table", "explain", "json", "xlsx"], "table")
def comply(submission, allowances, ccer, banked, net_sold, plan_id, figures, fmt, lang, wide, output):
    """The surrender obligation of SUBMISSION's enterprise, the plan's caps, CCER offsets, and what remains to buy.

    With --format xlsx -o FILE.xlsx, a workbook of the allocation and the obligation whose holdings are input
    cells and whose CCER limit, what remains to buy and surplus are live formulas (written atomically)."""
    _xlsx_needs_output(fmt, output, lang)
    engine = shared.new_engine()
    data, _name = load(submission)
    result = engine.comply(data, allowances, ccer, banked, net_sold, plan_id, _figures(figures))
    _emit(engine, result, fmt, lang, wide, output)


@click.command()
@click.argument("year", type=int)
@click.option("--province", help="Add the province's own deadlines (e.g. 重庆); without it, the national calendar.")
@click.option("--sector", help="Only the deadlines of this sector (power, or another sector id for the other sectors').")
@output_options(["table", "json", "ics"], "table")
def calendar(year, province, sector, fmt, lang, wide, output):
    """The deadlines of data YEAR's compliance chain: monitoring plan, monthly evidence, report, verification, surrender.

    With --format ics -o FILE.ics, an iCalendar file to import into a calendar (written atomically)."""
    engine = shared.new_engine()
    emit(engine.render(engine.calendar(year, province, sector), fmt, lang), output, wrap=fmt == "table" and not wide)


def register(group) -> None:
    """Add this module's commands to the ``mrv`` group."""
    for command in (allocate, comply, calendar):
        group.add_command(command)
