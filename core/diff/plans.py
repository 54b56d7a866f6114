"""What changes between two allocation plans, and what that does to one enterprise's allowances.

    d = diff_plans(engine, submission, "power-2019-2020", "power-2021-2022")
    d.figures   # every benchmark and factor per unit category: from, to, change, and the relative change
    d.units     # each unit's allowance under both plans and the difference

Each plan's figures are taken for the submission's year where the plan governs it, else for the
last year it governs. The submission is calculated once, under its own year's rules, and allocated
under both plans; a side that cannot allocate (a figure its plan does not give) says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..base.errors import InputError
from ..base.numbers import fmt, round_half_up
from ..compliance.allocate import allocate
from ..compliance.plans import Plan, figure_leaves
from ..output.text import _md_table, _signed, _text_table


@dataclass
class PlanSide:
    plan: Plan
    year: int
    allocation: object = None
    errors: list = field(default_factory=list)


@dataclass
class PlanDiff:
    a: PlanSide
    b: PlanSide
    figures: list[dict]
    units: list[dict]
    formulas: list[dict]

    def to_dict(self) -> dict:
        def side(s: PlanSide):
            return {"plan": s.plan.id, "year": s.year, "errors": [f.as_dict() for f in s.errors],
                    "total": fmt(s.allocation.total) if s.allocation else None}

        def plain(d):
            return {k: fmt(v) if isinstance(v, Decimal) else v for k, v in d.items()}

        return {"kind": "allocation-plans", "a": side(self.a), "b": side(self.b),
                "figures": [plain(f) for f in self.figures], "formulas": self.formulas,
                "units": [plain(u) for u in self.units]}


def _values(plan: Plan, year: int) -> dict:
    """(figure, category) -> (value, label, unit, verified) of ``plan`` for ``year``."""
    out = {}
    for name, raw in plan.data["figures"].items():
        for _path, cat, y, _leaf in figure_leaves(raw):
            if y is not None and y != year:
                continue
            fv = plan.figure(name, year, cat or "")
            if fv is not None:
                out[(name, cat)] = (fv.value, raw["label"], raw["unit"], fv.verified)
    return out


def _year(plan: Plan, year: int) -> int:
    return year if plan.governs(year) else plan.year_to


def diff_plans(engine, submission: dict, a: str, b: str) -> PlanDiff:
    pa, pb = engine.plan(a), engine.plan(b)
    year = submission.get("year") if isinstance(submission, dict) else None
    sa, sb = PlanSide(pa, _year(pa, year or pa.year_to)), PlanSide(pb, _year(pb, year or pb.year_to))
    va, vb = _values(pa, sa.year), _values(pb, sb.year)
    figures = []
    for key in sorted(set(va) | set(vb), key=lambda k: (k[0], k[1] or "")):
        x, y = va.get(key), vb.get(key)
        ref = x or y
        if x and y and x[0] == y[0]:
            continue
        change = "added" if x is None else "removed" if y is None else "changed"
        rel = round_half_up((y[0] - x[0]) / x[0] * 100, 2) if change == "changed" and x[0] else None
        figures.append({"figure": key[0], "category": key[1], "label": ref[1], "unit": ref[2], "change": change,
                        "from": x[0] if x else None, "to": y[0] if y else None, "percent": rel,
                        "verified": bool((x is None or x[3]) and (y is None or y[3]))})
    fa = {f.id: f for f in pa.formulas}
    fb = {f.id: f for f in pb.formulas}
    formulas = []
    for fid in sorted(set(fa) | set(fb)):
        ta = [c[3] for c in fa[fid].cases] if fid in fa else None
        tb = [c[3] for c in fb[fid].cases] if fid in fb else None
        if ta != tb:
            formulas.append({"formula": fid, "label": (fb.get(fid) or fa.get(fid)).label, "from": ta, "to": tb})
    units = []
    try:
        result = engine.calculate(submission)
    except InputError as exc:
        sa.errors = sb.errors = exc.all_findings()
        result = None
    if result is not None:
        for side in (sa, sb):
            try:
                side.allocation = allocate(side.plan, result, year=side.year)
            except InputError as exc:
                side.errors = exc.all_findings()
        ua = {u.unit: u for u in sa.allocation.units} if sa.allocation else {}
        ub = {u.unit: u for u in sb.allocation.units} if sb.allocation else {}
        for unit in list(dict.fromkeys(list(ua) + list(ub))):
            x, y = ua.get(unit), ub.get(unit)
            units.append({"unit": unit, "from": x.allowance if x else None, "to": y.allowance if y else None,
                          "difference": (y.allowance - x.allowance) if x and y else None})
    return PlanDiff(sa, sb, figures, units, formulas)


def render_plan_diff(d: PlanDiff, lang: str = "zh", markdown: bool = False) -> str:
    zh = lang == "zh"
    table = _md_table if markdown else _text_table
    lines = [f"{'配额分配方案对比' if zh else 'Allocation plans compared'}: {d.a.plan.id} ({d.a.year}) → {d.b.plan.id} ({d.b.year})", ""]
    heads = ["参数" if zh else "Figure", "类别" if zh else "Category", "原值" if zh else "From", "新值" if zh else "To",
             "变化(%)" if zh else "Change (%)"]
    rows = []
    for f in d.figures:
        cat = f["category"] or ""
        unv = "" if f["verified"] else " *"
        rows.append([f"{f['label'][lang]} ({f['figure']}, {f['unit']}){unv}", cat, fmt(f["from"]), fmt(f["to"]),
                     _signed(f["percent"]) if f["percent"] is not None else ("新增" if zh else "added") if f["change"] == "added"
                     else ("取消" if zh else "removed")])
    lines += table(heads, rows, right_from=2) if rows else ["（无变化）" if zh else "(no change)"]
    lines.append("")
    lines.append("* 未核实的取值" if zh else "* unverified figure")
    if d.formulas:
        lines += ["", "公式变化：" if zh else "Formulas changed:"]
        for f in d.formulas:
            lines.append(f"- {f['label'][lang]} ({f['formula']}): {' | '.join(f['from'] or ['—'])} → {' | '.join(f['to'] or ['—'])}")
    lines += ["", "对本企业配额的影响（tCO2）：" if zh else "Effect on this enterprise's allowances (tCO2):"]
    if d.units:
        urows = [[u["unit"], fmt(u["from"]), fmt(u["to"]), _signed(u["difference"])] for u in d.units]
        if d.a.allocation and d.b.allocation:
            urows.append(["合计" if zh else "Total", fmt(d.a.allocation.total), fmt(d.b.allocation.total),
                          _signed(d.b.allocation.total - d.a.allocation.total)])
        lines += table(["机组" if zh else "Unit", d.a.plan.id, d.b.plan.id, "差额" if zh else "Difference"], urows, right_from=1)
    for s in (d.a, d.b):
        for f in s.errors:
            lines.append(f"{s.plan.id}: {f.text(lang)}")
    return "\n".join(lines) + "\n"
