"""Plausible ranges of figures, as the rulesets give them (``plausibility:``), and the figures they judge.

A range belongs to rows of a lookup table (a fuel of the fuel table, a unit category of the
allocation table): on every page that chooses from that table, the range's fields (a measured
field, a row formula, a page summary's formula) are checked against it. Ranges are data with a
citation, a basis (physical, documented, derived) and a ``verified`` mark like every figure;
this module only finds the figures and says which are outside.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..base.errors import UnitError
from ..base.numbers import to_decimal
from ..calc.compose import fill
from ..formula import units as U
from ..rules.ruleset import Citation


def _unit(unit: str) -> str:
    """A unit after a figure; nothing for a pure number (an oxidation rate given as a fraction)."""
    return "" if unit in ("1", "") else " " + U.display(unit)


@dataclass(frozen=True)
class Range:
    id: str
    kind: str  # fuel | intensity
    label: dict
    table: str
    rows: frozenset
    fields: tuple
    low: Decimal | None
    high: Decimal | None
    unit: str
    basis: str
    citation: Citation | None
    verified: bool
    note: str
    #: Fields of the row that must not be defaults for a row formula to be judged (its figure is the
    #: reporter's only when they were measured: power's carbon per unit heat = element carbon / NCV).
    measured: tuple
    ruleset: str

    def text(self) -> str:
        lo = "−∞" if self.low is None else format(self.low, "f")
        hi = "∞" if self.high is None else format(self.high, "f")
        return f"{lo}–{hi}{_unit(self.unit)}"

    def outside(self, value: Decimal) -> bool:
        return (self.low is not None and value < self.low) or (self.high is not None and value > self.high)


@dataclass(frozen=True)
class Judged:
    """A figure outside its range: where, what, in the range's unit."""

    range: Range
    place: str
    label: dict
    value: Decimal  # in the range's unit
    shown: str  # the figure as the report shows it, with its own unit
    table_row: str
    row_label: dict


def ranges_of(comp) -> list[Range]:
    """Every range of the composition's rulesets, built once per composition (it is cached on it)."""
    got = getattr(comp, "_ranges", None)
    if got is not None:
        return got
    out = []
    for rs in comp.rulesets:
        for rid, raw in rs.data.get("plausibility", {}).items():
            out.append(Range(
                rid, raw["kind"], raw["label"], raw["table"], frozenset(raw["rows"]), tuple(raw["fields"]),
                to_decimal(raw["min"]) if "min" in raw else None, to_decimal(raw["max"]) if "max" in raw else None,
                raw["unit"], raw["basis"], rs.citation(raw.get("source")), raw.get("verified", True),
                raw.get("note", ""), tuple(raw.get("measured", ())), rs.id))
    comp._ranges = out
    return out


def _converted(value, unit: str, rng: Range) -> Decimal | None:
    try:
        return value * U.factor(unit, rng.unit)
    except (UnitError, KeyError, ValueError, ArithmeticError):
        return None  # a range in a unit the figure cannot be converted to judges nothing (lint's concern)


def _label(comp, table: str, row: str) -> dict:
    try:
        return comp.tables[table][0]["rows"][row].get("label") or {"zh": row, "en": row}
    except KeyError:
        return {"zh": row, "en": row}


def _page_ranges(comp, spec, kind: str) -> tuple:
    """What judging a page needs of the rules alone, worked out once per composition, page spec and kind
    (it is cached on the composition, like :func:`ranges_of`): ``(formulas by id, summaries by id,
    [(table field, its ranges)])``, only the table fields that have ranges, in the page's order."""
    plans = getattr(comp, "_page_ranges", None)
    if plans is None:
        plans = comp._page_ranges = {}
    got = plans.get((id(spec), kind))
    if got is not None and got[0] is spec:
        return got[1]
    ranges = [r for r in ranges_of(comp) if r.kind == kind]
    choosers = []
    for tf in (f for f in spec.fields.values() if f.raw.get("table")):
        owner = comp.tables.get(tf.raw["table"], (None, None))[1]
        # a range judges the rows of its own ruleset's table, not a same-named table of another
        mine = [r for r in ranges if r.table == tf.raw["table"] and owner is not None and owner.id == r.ruleset]
        if mine:
            choosers.append((tf, mine))
    plan = ({f.id: f for f in spec.formulas}, {s.id: s for s in spec.summaries}, choosers)
    plans[(id(spec), kind)] = (spec, plan)
    return plan


def outside_ranges(result, kind: str) -> list[Judged]:
    """Figures of ``result`` outside the ranges of ``kind`` their rows' table rows carry."""
    if not any(r.kind == kind for r in ranges_of(result.comp)):
        return []
    out: list[Judged] = []
    for pr in result.pages:
        spec = pr.spec
        formulas, by_summary, choosers = _page_ranges(result.comp, spec, kind)
        for tf, mine in choosers:
            for row in pr.rows:
                key = row.values.get(tf.id)
                for rng in mine:
                    if key not in rng.rows:
                        continue
                    if any(row.prov.get(m) is None or row.prov[m].kind == "default" for m in rng.measured):
                        continue
                    for fid in rng.fields:
                        value = row.values.get(fid)
                        if not isinstance(value, Decimal):
                            continue
                        if fid in spec.fields:
                            prov = row.prov.get(fid)
                            if prov is None or prov.kind in ("default", "parameter"):
                                continue  # the rules' own figure, not the reporter's
                            f = spec.fields[fid]
                        elif fid in formulas:
                            f = formulas[fid]
                        else:
                            continue
                        unit = f.raw["unit"]
                        if unit and "{" in unit:  # a unit of the row's binding (fill leaves any other as it is)
                            unit = fill(unit, dict(row.binding))
                        v = _converted(value, unit, rng)
                        if v is not None and rng.outside(v):
                            out.append(Judged(rng, f"$.pages.{spec.id}[{row.index}].{fid}", f.raw["label"], v,
                                              f"{format(value, 'f')}{_unit(unit)}", key, _label(result.comp, rng.table, key)))
            # page summaries grouped by rows that all chose one table row (the allocation table's unit)
            for sres in pr.summaries:
                group = sres["group"]
                if not group:
                    continue
                members = [r for r in pr.rows if all(str(r.values.get(g)) == str(v) for g, v in group.items())]
                keys = {r.values.get(tf.id) for r in members}
                if len(keys) != 1:
                    continue
                key = keys.pop()
                s = by_summary[sres["summary"]]
                sformulas = {sf.id: sf for sf, _c in s.formulas}
                for rng in mine:
                    if key not in rng.rows:
                        continue
                    for fid in rng.fields:
                        value = sres["values"].get(fid)
                        if fid not in sformulas or not isinstance(value, Decimal) or value <= 0:
                            continue  # a summary of 0 says "nothing to divide by", not a figure
                        unit = sformulas[fid].raw["unit"]
                        v = _converted(value, unit, rng)
                        if v is not None and rng.outside(v):
                            g = "".join(f"[{k}={val}]" for k, val in group.items())
                            cat = _label(result.comp, rng.table, key)
                            who = ", ".join(str(val) for val in group.values())  # the unit, by the summary's group
                            out.append(Judged(rng, f"$.pages.{spec.id}.summary{g}.{fid}", sformulas[fid].raw["label"], v,
                                              f"{format(value, 'f')}{_unit(unit)}", key,
                                              {"zh": f"{who}（{cat['zh']}）", "en": f"{who} ({cat['en']})"}))
    return out


def fuel_ranged(comp, spec, row, fid: str) -> bool:
    """Whether a fuel range of the rules judges field ``fid`` of ``row``: then the range, not the
    generic screening band around the default, says whether the figure is plausible."""
    for tf in spec.fields.values():
        table = tf.raw.get("table")
        if not table:
            continue
        key = row.values.get(tf.id)
        if any(r.kind == "fuel" and r.table == table and key in r.rows and fid in r.fields for r in ranges_of(comp)):
            return True
    return False
