"""The allowances of each unit and of the enterprise, from a calculated report under an allocation plan.

The plan's inputs are read from the report's pages (the supplementary data table, whose boundary
is the unit's): text fields of each unit's rows and figures of page summaries grouped by the unit.
The plan's formulas are evaluated per unit in order, each a trace node with its formula, the case
taken, every operand with its value, unit, source and whether it is verified, and the rounding.
A figure the plan does not give for a unit's category and year is refused unless the caller
supplies it, and a supplied figure is marked as such wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext

from ..base.errors import InputError
from ..base.findings import Finding
from ..base.numbers import CONTEXT, NotANumber, fmt, round_half_up, to_decimal
from ..formula import units as U
from ..output.trace import Operand, TraceNode
from .plans import ALL, FigureValue, Plan, PlanFormula

SUPPLIED_NOTE = {"zh": "调用方提供（方案未给出该值）", "en": "supplied by the caller (the plan gives no value)"}


@dataclass(slots=True)
class PlanFigure(TraceNode):
    """A trace node of an allocation or compliance figure; its place is its own, not a page's."""

    where: str = ""

    @property
    def place(self) -> str:
        return self.where


@dataclass
class UnitAllocation:
    unit: str
    category: str
    inputs: dict
    values: dict
    nodes: list
    allowance: Decimal
    emissions: Decimal
    preallocation: Decimal | None = None


@dataclass
class Allocation:
    """The allocation of one enterprise's compliance year under one plan."""

    plan: Plan
    year: int
    sector: str
    enterprise: dict
    units: list[UnitAllocation]
    total: Decimal
    emissions: Decimal
    pre_total: Decimal | None
    supplied: dict = field(default_factory=dict)  # "name" or "name.category" -> Decimal
    notes: list = field(default_factory=list)  # [{zh, en}]
    used: set = field(default_factory=set)  # plan figure names used

    def nodes(self) -> list:
        return [n for u in self.units for n in u.nodes]

    def unverified(self) -> list[str]:
        """Every unverified plan figure and formula this allocation used."""
        out = []
        for name in sorted(self.used):
            if self.plan.data["figures"][name].get("verified") is False:
                out.append(f"figures.{name}")
        used_formulas = {n.id for n in self.nodes()}
        for f in self.plan.formulas + self.plan.pre_formulas:
            if not f.verified and f.id in used_formulas:
                out.append(f"formulas.{f.id}")
        return out

    def to_dict(self) -> dict:
        p = self.plan
        return {
            "plan": {"id": p.id, "title": p.title, "years": {"from": p.year_from, "to": p.year_to},
                     "sources": p.summary()["sources"], "unit_label": p.data["input"].get("label")},
            "year": self.year, "sector": self.sector, "enterprise": self.enterprise,
            "units": [{
                "unit": u.unit, "category": u.category,
                "category_label": ((p.data.get("categories") or {}).get(u.category)),
                "allowance": fmt(u.allowance),
                "preallocation": fmt(u.preallocation) if u.preallocation is not None else None,
                "emissions": fmt(u.emissions),
                "figures": {k: fmt(v) for k, v in u.values.items()},
                "trace": [n.as_dict() for n in u.nodes],
            } for u in self.units],
            "total": {"allowance": fmt(self.total), "emissions": fmt(self.emissions),
                      "preallocation": fmt(self.pre_total) if self.pre_total is not None else None},
            "supplied": {k: fmt(v) for k, v in self.supplied.items()},
            "unverified": self.unverified(),
            "notes": self.notes,
        }


def _error(code: str, place: str, en: str, zh: str) -> Finding:
    return Finding(code, place, en, zh)


def parse_supplied(plan: Plan, figures: dict | None) -> tuple[dict, list[Finding]]:
    """Figures the caller supplies (``name`` or ``name.category`` -> number), checked against the plan."""
    out, errors = {}, []
    categories = _categories(plan)
    for key, raw in (figures or {}).items():
        name, _, category = str(key).partition(".")
        place = f"figures.{key}"
        if name not in plan.data["figures"]:
            errors.append(_error("allocation.bad_figure", place, f"plan {plan.id} has no figure {name!r}; figures: {', '.join(sorted(plan.data['figures']))}",
                                 f"方案 {plan.id} 没有参数 {name}"))
            continue
        if category and categories and category not in categories:
            errors.append(_error("allocation.bad_figure", place, f"{category!r} is not a unit category of plan {plan.id}; categories: {', '.join(sorted(categories))}",
                                 f"{category} 不是方案 {plan.id} 的机组类别"))
            continue
        try:
            value = to_decimal(raw["value"] if isinstance(raw, dict) else raw)
        except (NotANumber, KeyError, TypeError) as exc:
            errors.append(_error("allocation.bad_figure", place, f"figure {key!r} is not a number: {exc}", f"参数 {key} 不是数值"))
            continue
        out[str(key)] = value
    return out, errors


def _categories(plan: Plan) -> set:
    if plan.data.get("categories"):
        return set(plan.data["categories"])
    cats = set()
    for f in plan.data["figures"].values():
        cats |= set(f.get("by_category") or {})
        for e in (f.get("by_year") or {}).values():
            if isinstance(e, dict) and "by_category" in e:
                cats |= set(e["by_category"])
    return cats


def _figure(plan: Plan, name: str, year: int, category: str, supplied: dict) -> FigureValue | None:
    own = plan.figure(name, year, category)
    if own is not None:
        return own
    raw = plan.data["figures"][name]
    for key in (f"{name}.{category}", name):
        if key in supplied:
            return FigureValue(name, supplied[key], raw["unit"], None, True, SUPPLIED_NOTE["en"], "supplied")
    return None


class _Reader:
    """A calculated report's values as a plan reads them, with labels and places for the trace."""

    def __init__(self, plan: Plan, result):
        self.plan, self.result = plan, result
        self.key = plan.data["input"]["key"]
        self.pages = {pr.spec.id: pr for pr in result.pages}

    def units(self) -> list[str]:
        found: list[str] = []
        for spec in self.plan.data["input"]["figures"].values():
            pr = self.pages.get(spec["page"])
            for s in pr.summaries if pr else []:
                u = s["group"].get(self.key)
                if s["summary"] == spec["summary"] and u is not None and u not in found:
                    found.append(u)
        return found

    def row(self, name: str, unit: str):
        """(value, Operand) of a text input of ``unit``, or None."""
        spec = self.plan.data["input"]["rows"][name]
        pr = self.pages.get(spec["page"])
        if pr is None:
            return None
        for r in pr.rows:
            if r.values.get(self.key) == unit and spec["field"] in r.values:
                value = r.values[spec["field"]]
                fs = pr.spec.fields.get(spec["field"])
                label = fs.label if fs else {"zh": name, "en": name}
                where = f"{pr.spec.raw.get('title', {}).get('zh', pr.spec.id)} $.pages.{pr.spec.id}[{r.index}].{spec['field']}"
                return value, Operand(name, label, value, "", "input", where)
        return None

    def figure(self, name: str, unit: str):
        """(value, Operand) of a number input of ``unit``, or None."""
        spec = self.plan.data["input"]["figures"][name]
        pr = self.pages.get(spec["page"])
        if pr is None:
            return None
        for s in pr.summaries:
            if s["summary"] == spec["summary"] and s["group"].get(self.key) == unit and spec["figure"] in s["values"]:
                value = s["values"][spec["figure"]]
                label = spec.get("label") or self._label(pr, spec)
                title = pr.spec.raw.get("title", {}).get("zh", pr.spec.id)
                where = f"{title} $.pages.{pr.spec.id}.summary[{self.key}={unit}].{spec['figure']}"
                return value, Operand(name, label, value, spec["unit"], "computed", where)
        return None

    @staticmethod
    def _label(pr, spec) -> dict:
        for s in pr.spec.summaries:
            if s.id == spec["summary"]:
                for fspec, _c in s.formulas:
                    if fspec.id == spec["figure"]:
                        return fspec.raw["label"]
        return {"zh": spec["figure"], "en": spec["figure"]}


def _figure_operand(fv: FigureValue, label: dict) -> Operand:
    if fv.origin == "supplied":
        return Operand(fv.name, label, fv.value, fv.unit, "submission", "", None, None, SUPPLIED_NOTE["zh"] + " / " + SUPPLIED_NOTE["en"])
    return Operand(fv.name, label, fv.value, fv.unit, "parameter", fv.citation.text() if fv.citation else "", None, None,
                   fv.note if not fv.verified else "", fv.verified)


def _citation(f: PlanFormula) -> str:
    text = f.citation.text() if f.citation else ""
    if not f.verified:
        text += f" [未核实 UNVERIFIED: {f.note}]" if f.note else " [未核实 UNVERIFIED]"
    return text


def evaluate(plan: Plan, formulas: list[PlanFormula], env: dict, operands: dict, place: str,
             unit: str, nodes: list, errors: list, figure_of) -> dict:
    """Evaluate ``formulas`` over ``env`` in order, appending a trace node per figure.

    ``figure_of(name)`` gives a plan figure's (value, Operand) on first use, or None; ``operands``
    holds the Operand of every input and earlier figure, by name.
    """
    values = {}
    labels = {f.id: f.label for f in formulas}
    with localcontext(CONTEXT):
        for f in formulas:
            fplace = f"{place}.{f.id}"
            while True:  # a plan figure is looked up when a case first reads it, then the case is evaluated again
                try:
                    taken = next(((when, when_text, expr, expr_text) for when, when_text, expr, expr_text in f.cases
                                  if when is None or when(env, env)), None)
                    if taken is None:
                        errors.append(_error("allocation.no_case", fplace, f"no case of {f.label['en']} applies to unit {unit!r}",
                                             f"机组 {unit} 不适用 {f.label['zh']} 的任何情形"))
                        return values
                    when, when_text, expr, expr_text = taken
                    value = expr(env, env)
                    break
                except KeyError as exc:
                    name = exc.args[0]
                    got = figure_of(name)
                    if got is None:
                        errors.append(_missing(plan, name, unit, fplace, f))
                        return values
                    env[name], operands[name] = got
                except (ZeroDivisionError, DivisionByZero, InvalidOperation) as exc:
                    errors.append(_error("allocation.arithmetic", fplace, f"{f.label['en']} cannot be computed for unit {unit!r}: {exc}",
                                         f"机组 {unit} 的{f.label['zh']}无法计算"))
                    return values
            unrounded = None
            if f.decimals is not None:
                unrounded, value = value, round_half_up(value, f.decimals)
            names = list(dict.fromkeys(list(when.names if when else ()) + list(expr.names)))
            ops = [operands[n] for n in names if n in operands]
            nodes.append(PlanFigure("allocation", None, {"unit": unit}, f.id, f.label, expr_text, when_text, ops,
                                    value, unrounded, f.decimals, f.unit, _citation(f), plan.id, fplace))
            env[f.id] = value
            values[f.id] = value
            operands[f.id] = Operand(f.id, labels[f.id], value, f.unit, "computed")
    return values


def _missing(plan: Plan, name: str, unit: str, place: str, f: PlanFormula) -> Finding:
    if name in plan.data["figures"]:
        label = plan.data["figures"][name]["label"]
        return _error("allocation.missing_figure", place,
                      f"{f.label['en']} of unit {unit!r} needs {label['en']} ({name}), which plan {plan.id} does not give for this "
                      f"unit's category and year (its text was not confirmed); supply it as {name}.<category>=VALUE "
                      f"(mrv allocate --figure), and it will be marked as supplied",
                      f"机组 {unit} 的{f.label['zh']}需要{label['zh']}（{name}），方案 {plan.id} 未给出该机组类别和年度的取值；可用 --figure 提供")
    return _error("allocation.missing_input", place, f"{f.label['en']} of unit {unit!r} needs {name!r}, which the report does not give",
                  f"机组 {unit} 的{f.label['zh']}需要 {name}，报告中没有")


def allocate(plan: Plan, result, figures: dict | None = None, base: dict | None = None, base_name: str = "base",
             year: int | None = None) -> Allocation:
    """The allocation of the calculated report ``result`` under ``plan`` (its compliance year is the report's year).

    :param figures: figures the plan does not give (``name`` or ``name.category`` -> number), marked as supplied.
    :param base: the base-year production of a pre-allocation, ``{"year": Y, "units": {unit: {input: number}}}``.
    :raises InputError: with every finding when a unit's allocation cannot be computed.
    """
    year = result.year if year is None else year  # a differ applies a plan's figures of a year it governs
    refused = plan.refused(year)
    if refused:
        raise InputError(f"$.year: {refused['en']}", [_error("allocation.year_refused", "$.year",
                         f"plan {plan.id} governs {year}, but its allocation cannot be computed: {refused['en']}",
                         f"方案 {plan.id} 适用于 {year} 年度，但无法计算：{refused['zh']}")])
    supplied, errors = parse_supplied(plan, figures)
    pre_inputs, base_errors = _base_inputs(plan, base, base_name)
    errors += base_errors
    reader = _Reader(plan, result)
    units = reader.units()
    if not units:
        spec = next(iter(plan.data["input"]["figures"].values()))
        errors.append(_error("allocation.missing_input", f"$.pages.{spec['page']}",
                             f"the report has no unit on page {spec['page']!r}, which plan {plan.id} allocates from",
                             f"报告的 {spec['page']} 页面没有任何机组，无法分配配额"))
    category_input = plan.data["input"].get("category")
    labels = {n: f["label"] for n, f in plan.data["figures"].items()}
    out_units, used, refused = [], set(), []
    for unit in units:
        place = f"$.allocation[{reader.key}={unit}]"
        env, operands = {}, {}
        missing = False
        for name in plan.data["input"]["rows"]:
            got = reader.row(name, unit)
            if got is not None:
                env[name], operands[name] = got
        for name in plan.data["input"]["figures"]:
            got = reader.figure(name, unit)
            if got is not None:
                env[name], operands[name] = got
        category = env.get(category_input, ALL) if category_input else ALL
        if category_input and category_input not in env:
            errors.append(_error("allocation.missing_input", place, f"unit {unit!r} has no {category_input!r} in the report",
                                 f"机组 {unit} 在报告中没有 {category_input}"))
            missing = True
        if missing:
            continue
        why = (plan.data.get("refused_categories") or {}).get(category)
        if why:
            # Left out, not failed: the enterprise's other units are still allocated, and the note says why
            cat = (plan.data.get("categories") or {}).get(category, {"zh": category, "en": category})
            refused.append(_error("allocation.category_refused", place,
                                  f"plan {plan.id} does not allocate to {reader.key} {unit!r} ({cat['en']}): {why['en']}",
                                  f"方案 {plan.id} 不向{unit}（{cat['zh']}）分配配额：{why['zh']}"))
            continue

        def figure_of(name, category=category):
            if name not in plan.data["figures"]:
                return None
            fv = _figure(plan, name, year, category, supplied)
            if fv is None:
                return None
            if fv.origin == "plan":
                used.add(name)
            return fv.value, _figure_operand(fv, labels[name])

        nodes, unit_errors = [], []
        values = evaluate(plan, plan.formulas, env, operands, place, unit, nodes, unit_errors, figure_of)
        pre = None
        if not unit_errors and pre_inputs is not None and plan.pre_formulas:
            given = pre_inputs.get(unit)
            if given is None:
                unit_errors.append(_error("allocation.bad_base", f"{base_name}: $.units", f"the base-year document gives no figures for unit {unit!r}",
                                          f"基准年文件缺少机组 {unit}"))
            else:
                for name, (value, op) in given.items():
                    env[name], operands[name] = value, op
                pre_values = evaluate(plan, plan.pre_formulas, env, operands, place, unit, nodes, unit_errors, figure_of)
                pre = pre_values.get(plan.data["preallocation"]["allowance"])
        errors += unit_errors
        if unit_errors:
            continue
        emissions = env.get(plan.data["compliance"]["emissions"], Decimal(0))
        out_units.append(UnitAllocation(unit, category, {k: v for k, v in env.items() if k in operands and k not in values},
                                        values, nodes, values[plan.data["allowance"]], emissions, pre))
    if refused and not out_units and not errors:
        errors = refused
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InputError(f"{first.place}: {first.message}{more}", errors)
    notes = [{"zh": f.message_zh, "en": f.message} for f in refused]
    if plan.data.get("preallocation") and pre_inputs is None:
        y = plan.data["preallocation"].get("base_year")
        notes.append({"zh": f"预分配需要基准年（{y}年）各机组产量：用 --base 提供", "en": f"Pre-allocation needs each unit's base-year ({y}) production: give it with --base"})
    total = sum((u.allowance for u in out_units), Decimal(0))
    emissions = sum((u.emissions for u in out_units), Decimal(0))
    pres = [u.preallocation for u in out_units if u.preallocation is not None]
    sub = result.submission
    return Allocation(plan, year, plan.sector, dict(sub.get("enterprise") or {}), out_units, total, emissions,
                      sum(pres, Decimal(0)) if pres else None, supplied, notes, used)


def _base_inputs(plan: Plan, base, base_name: str):
    """({unit: {input: (value, Operand)}}, findings) of a base-year document, or (None, []) without one."""
    if base is None:
        return None, []
    pre = plan.data.get("preallocation")
    if not pre:
        return None, [_error("allocation.bad_base", base_name, f"plan {plan.id} has no pre-allocation, so a base-year document has no use",
                             f"方案 {plan.id} 没有预分配，无需基准年文件")]
    errors = []
    if not isinstance(base, dict) or not isinstance(base.get("units"), dict):
        return None, [_error("allocation.bad_base", f"{base_name}: $", "a base-year document is an object {\"year\": Y, \"units\": {unit: {input: number}}}",
                             "基准年文件须为 {\"year\": 年, \"units\": {机组: {量: 数值}}}")]
    expected = pre.get("base_year")
    if expected is not None and base.get("year") != expected:
        errors.append(_error("allocation.bad_base", f"{base_name}: $.year", f"plan {plan.id} pre-allocates on {expected} production; the document is for {base.get('year')!r}",
                             f"方案 {plan.id} 按 {expected} 年产量预分配，文件年度为 {base.get('year')!r}"))
    out = {}
    specs = pre["inputs"]
    for unit, figures in base["units"].items():
        uplace = f"{base_name}: $.units.{unit}"
        if not isinstance(figures, dict):
            errors.append(_error("allocation.bad_base", uplace, "expected an object of input -> number", "须为对象"))
            continue
        got = {}
        for name, raw in figures.items():
            if name not in specs:
                errors.append(_error("allocation.bad_base", f"{uplace}.{name}", f"{name!r} is not a pre-allocation input; inputs: {', '.join(specs)}",
                                     f"{name} 不是预分配所需的量"))
                continue
            try:
                value = to_decimal(raw)
            except NotANumber as exc:
                errors.append(_error("allocation.bad_base", f"{uplace}.{name}", str(exc), f"{name} 不是数值"))
                continue
            if value < 0:
                errors.append(_error("allocation.bad_base", f"{uplace}.{name}", f"{name} is negative", f"{name} 为负数"))
                continue
            got[name] = (value, Operand(name, specs[name]["label"], value, specs[name]["unit"], "input",
                                        f"{base_name} $.units.{unit}.{name}"))
        for name in specs:
            if name not in got and not any(e.place.endswith(f".{name}") for e in errors):
                errors.append(_error("allocation.bad_base", uplace, f"unit {unit!r} lacks {name!r}", f"机组 {unit} 缺少 {name}"))
        out[unit] = got
    return out, errors


def unit_text(unit: str) -> str:
    return U.display(unit)
