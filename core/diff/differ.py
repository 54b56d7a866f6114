"""What changes between two rule versions, and what that does to one submission.

    from mrv_engine.core.diff.differ import diff
    d = diff(Engine(), submission, "2022", "2023")      # years, or ruleset ids
    d.parameters, d.tables, d.rules, d.categories, d.figures

Each side is a reporting year (the rules that govern it) or a ruleset id (that
edition pinned; its parameters are taken for the submission's year when the
edition governs it, else for the nearest year it governs). The submission is
computed under both sides; parameters the submission supplies are dropped
where a side's rules give a value for its year, so the comparison is of rules,
not of the reporter's overrides.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..base.errors import InputError, SelectionError
from ..base.numbers import fmt, round_half_up
from ..calc.engine import calculate
from ..calc.resolve import resolve_parameters, rule_value
from ..calc.results import Collector as _Collector
from ..output.figures import figures_of
from ..rules.ruleset import CATEGORIES, programme_of
from .compare import (
    FIELD_KEYS,
    FORMULA_KEYS,
    key_changes,
    leaf_changes,
    map_leaves,
    row_changes,
)


@dataclass
class Side:
    spec: str
    year: int
    comp: object
    result: object = None
    error: list = field(default_factory=list)  # findings when the submission does not compute
    #: A year side whose year is split between editions: [(Period, Composition)], each month's rows
    #: computed under its own edition, as a report of that year is.
    periods: list | None = None

    @property
    def rulesets(self) -> list[str]:
        return [rs.id for rs in self.comp.rulesets]


@dataclass
class RulesetDiff:
    sector: str
    a: Side
    b: Side
    parameters: list[dict]
    tables: list[dict]
    rules: list[dict]  # pages, fields, formulas, summaries, report settings
    categories: list[dict]
    figures: list[dict]
    unchanged_figures: int = 0
    wording: list = field(default_factory=list)  # citation and wording changes (no figure changes with them)

    def needs_parameters(self) -> list[str]:
        """Parameters a side that does not compute lacks a figure for: supply them to see the effect."""
        out = []
        for p in self.parameters:
            if p["change"] == "no_value":
                side = self.a if p["from"] is None else self.b
                if side.error:
                    out.append(p["name"])
        return out

    def to_dict(self) -> dict:
        def side(s: Side):
            return {"spec": s.spec, "year": s.year, "rulesets": s.rulesets, "errors": s.error}

        def plain(x):
            return map_leaves(x, lambda v: fmt(v) if isinstance(v, Decimal) else v)

        return {"kind": "ruleset_diff", "sector": self.sector, "from": side(self.a), "to": side(self.b),
                "parameters": plain(self.parameters), "tables": plain(self.tables), "rules": plain(self.rules),
                "wording": plain(self.wording), "needs_parameters": self.needs_parameters(),
                "effect": {"categories": plain(self.categories), "figures": plain(self.figures),
                           "unchanged_figures": self.unchanged_figures}}


def _side(engine, submission: dict, spec) -> Side:
    sector = submission["sector"]
    text = str(spec).strip()
    if text.isdigit():
        year = int(text)
        comp = engine.composition(sector, year, programme=programme_of(submission))
        return Side(text, year, comp, periods=engine.month_periods({}, comp, year))
    month = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if month:  # a month of a year (2022-01): the edition governing that month, for the whole submission
        year, m = int(month.group(1)), int(month.group(2))
        if not 1 <= m <= 12:
            raise SelectionError(f"{text!r}: a month is 1 to 12")
        programme = programme_of(submission)
        engine.composition(sector, year, programme=programme)  # loads the sector; refuses a year no edition governs
        period = next((p for p in engine.host.index.periods(sector, year, programme) if p.covers(m)), None)
        if period is None:
            raise SelectionError(f"no ruleset of sector {sector!r} governs {text}")
        return Side(text, year, engine.composition(sector, year, period.ruleset.id))
    rs = engine.ruleset(text)
    year = submission["year"]
    if not rs.governs(year):
        year = rs.year_from if year < rs.year_from else rs.year_to
    if rs.sector == sector:
        comp = engine.composition(sector, year, text)
    elif rs.sector == "general":
        raise SelectionError(f"ruleset {text!r} is the host's general ruleset; compare sector {sector!r} by year instead")
    else:
        raise SelectionError(f"ruleset {text!r} is for sector {rs.sector!r}, not {sector!r}")
    return Side(text, year, comp)


def _without_rule_overrides(submission: dict, comp, year: int) -> dict:
    params = dict(submission.get("parameters") or {})
    kept = {n: v for n, v in params.items() if not (n in comp.parameters and rule_value(comp, n, year, submission) is not None)}
    if kept == params:
        return submission
    out = copy.deepcopy(submission)
    if kept:
        out["parameters"] = kept
    else:
        out.pop("parameters", None)
    return out


def _params(side: Side, submission: dict) -> dict:
    """The side's parameters for its year, plus those the submission supplies where the rules give none."""
    kept = _without_rule_overrides(submission, side.comp, side.year).get("parameters") or {}
    return resolve_parameters(side.comp, side.year, kept, _Collector(), submission)


def diff_parameters(a: Side, b: Side, submission: dict | None = None) -> list[dict]:
    pa, pb = _params(a, submission or {}), _params(b, submission or {})
    out = []
    for name in sorted(set(pa) | set(pb)):
        x, y = pa.get(name), pb.get(name)
        if x is not None and y is not None and x.value == y.value and x.unit == y.unit and x.origin == y.origin and x.verified == y.verified:
            continue
        label = None
        for side in (b, a):
            if name in side.comp.parameters:
                label = side.comp.parameters[name][0].label
                break
        if label is None:
            label = {"zh": name, "en": name}

        def one(p):
            if p is None:
                return None
            return {"value": p.value, "unit": p.unit, "citation": p.citation.text() if p.citation else "",
                    "verified": p.verified, "note": p.note, "origin": p.origin}

        change = "added" if x is None else "removed" if y is None else "changed"
        if change in ("added", "removed") and name in (a if x is None else b).comp.parameters:
            # defined by both sides' rules, but without a figure for one side's year (e.g. a grid
            # factor not yet published): not a removal from the rules
            change = "no_value"
        if change == "changed" and x.value == y.value and x.unit == y.unit:
            change = "origin"  # the same figure, once from the rules and once supplied by the submission
            if x.origin == y.origin:
                change = "verified"  # the same figure, confirmed under one edition only
        entry = {"name": name, "label": label, "change": change, "from": one(x), "to": one(y)}
        if change == "changed" and x.unit == y.unit and x.value:
            entry["share_percent"] = round_half_up((y.value - x.value) * 100 / x.value, 2)
        out.append(entry)
    return out


def diff_tables(a: Side, b: Side) -> list[dict]:
    out = []
    ta, tb = a.comp.tables, b.comp.tables
    for name in sorted(set(ta) | set(tb)):
        if name not in ta or name not in tb:
            out.append({"table": name, "change": "added" if name not in ta else "removed"})
            continue
        ra, rb = ta[name][0].get("rows", {}), tb[name][0].get("rows", {})
        cols = list(tb[name][0].get("columns", {}))
        for rid in sorted(set(ra) | set(rb)):
            if rid not in ra or rid not in rb:
                out.append({"table": name, "row": rid, "change": "added" if rid not in ra else "removed"})
                continue
            for col, va, vb in row_changes(ra[rid], rb[rid], cols):
                out.append({"table": name, "row": rid, "column": col, "change": "verified" if col == "verified" else "changed",
                            "from": va, "to": vb})
    return out


def diff_rules(a: Side, b: Side) -> list[dict]:
    out = []
    pa = {p.id: p for p in a.comp.pages}
    pb = {p.id: p for p in b.comp.pages}
    for pid in list(pa) + [p for p in pb if p not in pa]:
        if pid not in pb or pid not in pa:
            p = pa.get(pid) or pb.get(pid)
            out.append({"kind": "page", "page": pid, "title": p.title, "change": "removed" if pid not in pb else "added"})
            continue
        x, y = pa[pid], pb[pid]
        for kind, ia, ib, keys in (
            ("field", {f: v.raw for f, v in x.fields.items()}, {f: v.raw for f, v in y.fields.items()}, FIELD_KEYS),
            ("formula", {f.id: f.raw for f in x.formulas}, {f.id: f.raw for f in y.formulas}, FORMULA_KEYS),
            ("summary", {s.id: s for s in x.summaries}, {s.id: s for s in y.summaries}, None),
        ):
            for item in list(ia) + [i for i in ib if i not in ia]:
                if item not in ia or item not in ib:
                    out.append({"kind": kind, "page": pid, "id": item, "change": "added" if item not in ia else "removed"})
                    continue
                if keys is None:
                    fa = {s.id: s.raw for s, _ in ia[item].formulas}
                    fb = {s.id: s.raw for s, _ in ib[item].formulas}
                    for fid in sorted(set(fa) | set(fb)):
                        if key_changes(fa.get(fid) or {}, fb.get(fid) or {}, FORMULA_KEYS):
                            out.append({"kind": "summary", "page": pid, "id": f"{item}.{fid}", "change": "changed",
                                        "from": (fa.get(fid) or {}).get("expr"), "to": (fb.get(fid) or {}).get("expr")})
                    continue
                for k, ka, kb in key_changes(ia[item], ib[item], keys):
                    for aspect, va, vb in leaf_changes(ka, kb, k):
                        out.append({"kind": kind, "page": pid, "id": item, "aspect": aspect, "change": "changed", "from": va, "to": vb,
                                    "label": ib[item].get("label"), "wording": _is_wording(aspect)})
    for k in ("decimals", "share_decimals"):
        if a.comp.report.get(k) != b.comp.report.get(k):
            out.append({"kind": "report", "id": k, "change": "changed", "from": a.comp.report.get(k), "to": b.comp.report.get(k)})
    if a.comp.calorie != b.comp.calorie:
        out.append({"kind": "report", "id": "calorie", "change": "changed", "from": a.comp.calorie, "to": b.comp.calorie})
    return out


WORDING = {"source", "rule", "label", "help", "note", "choice_labels"}


def edition_wording(a: Side, b: Side) -> list[dict]:
    """What differs between the two sides' own editions without changing a figure: the months and
    years each governs, its title, the documents it cites, and the citation of a default-table row
    (the 9号 guideline's appendix against the 2022 revision's, for the same figures)."""
    x, y = a.comp.ruleset, b.comp.ruleset
    if x is y:
        return []
    out = []
    if x.years_text != y.years_text:
        out.append({"kind": "ruleset", "aspect": "years", "from": x.years_text, "to": y.years_text})
    if x.title != y.title:
        out.append({"kind": "ruleset", "aspect": "title", "from": x.title["zh"], "to": y.title["zh"]})
    for key in sorted(set(x.sources) ^ set(y.sources)):
        doc = (x.sources.get(key) or y.sources.get(key))
        text = doc.get("title", key) + (f"（{doc['number']}）" if doc.get("number") else "")
        out.append({"kind": "ruleset", "id": key, "aspect": "source",
                    "from": text if key in x.sources else None, "to": text if key in y.sources else None})
    ta, tb = a.comp.tables, b.comp.tables
    for name in sorted(set(ta) & set(tb)):
        ra, rb = ta[name][0].get("rows", {}), tb[name][0].get("rows", {})
        for rid in sorted(set(ra) & set(rb)):
            ca = a.comp.row_ruleset(name, rid).citation(ra[rid].get("source"))
            cb = b.comp.row_ruleset(name, rid).citation(rb[rid].get("source"))
            if (ca.text() if ca else "") != (cb.text() if cb else ""):
                out.append({"kind": "table", "page": name, "id": rid, "aspect": "source",
                            "from": ca.text() if ca else None, "to": cb.text() if cb else None})
    return out


def _is_wording(aspect: str) -> bool:
    """A change of citation or wording only (no figure can change with it)."""
    import re

    return bool(WORDING & set(re.split(r"[.\[\]]+", aspect)))


def _compute(side: Side, submission: dict) -> None:
    sub = _without_rule_overrides(submission, side.comp, side.year)
    try:
        side.result = calculate(side.comp, sub, side.year, periods=side.periods)
    except InputError as exc:
        side.error = [f.as_dict() for f in exc.all_findings()]


def diff(engine, submission: dict, a, b) -> RulesetDiff:
    """Compare the rules of ``a`` and ``b`` (years, months as ``2022-04``, or ruleset ids) and their effect on ``submission``."""
    engine.refuse(engine.check_envelope(submission))
    sa, sb = _side(engine, submission, a), _side(engine, submission, b)
    _compute(sa, submission)
    _compute(sb, submission)
    categories, figures, same = [], [], 0
    if sa.result is not None and sb.result is not None:
        fa, fb = figures_of(sa.result), figures_of(sb.result)
        for key in list(CATEGORIES) + ["total"]:
            x, y = fa[f"$.totals.{key}"], fb[f"$.totals.{key}"]
            categories.append({"category": key, "label": y.label, "from": x.value, "to": y.value, "difference": y.value - x.value,
                               "share_percent": round_half_up((y.value - x.value) * 100 / x.value, 2) if x.value else None})
        for place in list(fa) + [p for p in fb if p not in fa]:
            if place.startswith("$.totals."):
                continue
            x, y = fa.get(place), fb.get(place)
            if x is not None and y is not None and x.value == y.value:
                same += 1
                continue
            ref = y or x
            d = (y.value - x.value) if x is not None and y is not None else None
            figures.append({"place": place, "label": ref.label, "unit": ref.unit, "emission": ref.emission,
                            "from": x.value if x is not None else None, "to": y.value if y is not None else None, "difference": d,
                            "share_percent": round_half_up(d * 100 / x.value, 2) if d is not None and x.value else None})
        figures.sort(key=lambda f: (not f["emission"], -(abs(f["difference"]) if f["difference"] is not None else Decimal(0)),
                                    -(abs(f["share_percent"]) if f["share_percent"] is not None else Decimal(0)), f["place"]))
        head = [c for c in categories if c["category"] == "total"]
        body = sorted((c for c in categories if c["category"] != "total"), key=lambda c: -abs(c["difference"]))
        categories = body + head
    rules, wording = [], []
    for r in diff_rules(sa, sb):
        (wording if r.pop("wording", False) else rules).append(r)
    wording += edition_wording(sa, sb)
    return RulesetDiff(submission["sector"], sa, sb, diff_parameters(sa, sb, submission), diff_tables(sa, sb),
                       rules, categories, figures, same, wording)
