"""What changed from one rule version (ruleset) of a sector to another, read from the two rulesets alone.

    from mrv_engine.core.diff.rulesets import ruleset_changes
    for c in ruleset_changes(old, new):
        c.kind, c.id, c.change, c.aspect, c.old, c.new, c.within, c.year

The methodology pages (``mrv docs``) list these as sentences. Fields, formulas and table
rows are compared by :mod:`.compare`, the comparison ``mrv diff`` makes of two compositions.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..rules.ruleset import Ruleset
from .compare import (
    EXPRESSION_KEYS,
    FIELD_KEYS,
    FORMULA_KEYS,
    is_verified,
    key_changes,
    row_changes,
)


@dataclass(frozen=True)
class Change:
    """One difference between two rule versions."""

    kind: str  # years, source, parameter, table, row, page, field, formula, gwp
    id: str  # the item's name; a formula of a page summary is ``summary.formula``
    change: str  # added, removed or changed
    aspect: str = ""  # what of a changed item: a key (unit, decimals...), a table column, value, verified, expression
    old: object = None  # the value before (a removed item: its whole entry)
    new: object = None  # the value after (an added item: its whole entry)
    within: str = ""  # the page of a field or formula, the table of a row
    year: int | None = None  # the reporting year of a parameter's figure given by year


def ruleset_changes(old: Ruleset, new: Ruleset) -> list[Change]:
    """Every difference from ``old`` to ``new``: reporting years, sources, parameters, tables, pages, GWP set."""
    out = []
    if (old.start, old.end) != (new.start, new.end):
        out.append(Change("years", "years", "changed", old=old.years_text, new=new.years_text))
    # a source kept under its key is the same document: only the keys added and removed are changes
    out += _items("source", dict(sorted(old.sources.items())), dict(sorted(new.sources.items())), lambda key, a, b: [])
    out += _items("parameter", old.data.get("parameters", {}), new.data.get("parameters", {}), _parameter)
    out += _items("table", old.data.get("tables", {}), new.data.get("tables", {}), _table)
    out += _items("page", {p["id"]: p for p in old.pages}, {p["id"]: p for p in new.pages}, _page)
    og, ng = old.data.get("gwp") or {}, new.data.get("gwp") or {}
    changed = key_changes(og, ng, ("set", "values"))
    if changed:  # aspect: the set when it changed (its values go with it), else the values alone
        out.append(Change("gwp", "gwp", "changed", changed[0][0], og or None, ng or None))
    return out


def _items(kind: str, a: dict, b: dict, compare, within: str = "") -> list[Change]:
    """Changes between two ``{id: entry}`` maps: each entry of ``b`` new or changed (``compare(id, old, new)``), in its order, then each of ``a`` removed."""
    out = []
    for key, entry in b.items():
        if key in a:
            out += compare(key, a[key], entry)
        else:
            out.append(Change(kind, key, "added", new=entry, within=within))
    return out + [Change(kind, key, "removed", old=entry, within=within) for key, entry in a.items() if key not in b]


def _parameter(name: str, a: dict, b: dict) -> list[Change]:
    """The changes of one parameter: unit, value, confirmation, then its figure for each year."""
    out = [Change("parameter", name, "changed", k, x, y) for k, x, y in key_changes(a, b, ("unit", "value"))]
    if is_verified(a) != is_verified(b):
        out.append(Change("parameter", name, "changed", "verified", is_verified(a), is_verified(b)))
    ay, by = a.get("by_year", {}), b.get("by_year", {})
    for year in sorted(set(ay) | set(by)):
        x, y = ay.get(year, {}), by.get(year, {})
        out += [Change("parameter", name, "changed", k, v, w, year=year) for k, v, w in key_changes(x, y, ("value",))]
        if year in ay and year in by and is_verified(x) != is_verified(y):
            out.append(Change("parameter", name, "changed", "verified", is_verified(x), is_verified(y), year=year))
    return out


def _table(name: str, a: dict, b: dict) -> list[Change]:
    """The rows of one table added, changed (by column, as :func:`.compare.row_changes` finds) or removed."""
    def row(rid, x, y):
        """The changes of one row present in both versions."""
        return [Change("row", rid, "changed", col, v, w, within=name) for col, v, w in row_changes(x, y, b["columns"])]

    return _items("row", a["rows"], b["rows"], row, name)


def _page(pid: str, a: dict, b: dict) -> list[Change]:
    """The fields, then the formulas (a summary's as ``summary.formula``), of one page added, changed or removed."""
    def field(fid, x, y):
        """The changes of one field present in both versions."""
        return [Change("field", fid, "changed", k, v, w, within=pid) for k, v, w in key_changes(x, y, FIELD_KEYS)]

    def formula(fid, x, y):
        """The changes of one formula present in both versions: what it computes, then its other keys."""
        changed = key_changes(x, y, FORMULA_KEYS)
        out = []
        if any(k in EXPRESSION_KEYS for k, _, _ in changed):
            # expr or cases: one change of what the formula computes, whichever form either side takes
            out.append(Change("formula", fid, "changed", "expression", _expression(x), _expression(y), within=pid))
        return out + [Change("formula", fid, "changed", k, v, w, within=pid) for k, v, w in changed if k not in EXPRESSION_KEYS]

    return (_items("field", {f["id"]: f for f in a.get("fields", [])}, {f["id"]: f for f in b.get("fields", [])}, field, pid)
            + _items("formula", _formulas(a), _formulas(b), formula, pid))


def _formulas(page: dict) -> dict:
    """``{id: formula}`` of a page's formulas, then of its summaries' formulas as ``summary.formula``."""
    found = {f["id"]: f for f in page.get("formulas", [])}
    for s in page.get("summaries", []):
        found.update({f"{s['id']}.{f['id']}": f for f in s["formulas"]})
    return found


def _expression(formula: dict) -> dict:
    """What a formula computes: its ``expr`` or its ``cases``."""
    return {k: formula[k] for k in EXPRESSION_KEYS if k in formula}
