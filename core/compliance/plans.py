"""Allocation plans: one YAML file per plan edition, validated, compiled and indexed by compliance year.

A plan is data, like a ruleset: ``schemas/allocation-plan.schema.json`` checks its shape, and
loading checks it against itself (citations name declared sources, formulas use only the plan's
inputs, figures and earlier formulas, with the unit algebra of the formula language), so a bad
plan is refused with its file and line before any allowance is computed. Every formula is
compiled once, here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from ..base.errors import RulesetError, SelectionError
from ..base.numbers import NotANumber, to_decimal
from ..formula.language import Symbol, compile_formula, parse
from ..rules.cache import load_validated_cached
from ..rules.ruleset import Citation

#: Category of every unit when a plan reads none (one benchmark for the whole sector).
ALL = "all"


@dataclass(frozen=True)
class FigureValue:
    """One figure of a plan for one unit category and compliance year, with where it comes from."""

    name: str
    value: Decimal
    unit: str
    citation: Citation | None
    verified: bool
    note: str
    origin: str = "plan"  # plan | supplied


@dataclass
class PlanFormula:
    id: str
    label: dict
    unit: str
    cases: list  # [(when Compiled | None, when text | None, expr Compiled, expr text)]
    decimals: int | None
    citation: Citation | None
    verified: bool
    note: str
    where: str


@dataclass
class Plan:
    """One loaded, checked allocation plan."""

    id: str
    sector: str
    title: dict
    year_from: int
    year_to: int
    data: dict = field(repr=False)
    lines: dict = field(repr=False)
    path: str
    digest: str
    formulas: list[PlanFormula] = field(default_factory=list, repr=False)
    pre_formulas: list[PlanFormula] = field(default_factory=list, repr=False)

    def governs(self, year: int) -> bool:
        return self.year_from <= year <= self.year_to

    @property
    def years_text(self) -> str:
        return f"{self.year_from}–{self.year_to}"

    @property
    def sources(self) -> dict:
        return self.data["sources"]

    def where(self, path: tuple = ()) -> str:
        p = tuple(path)
        while p and p not in self.lines:
            p = p[:-1]
        return f"{self.path}:{self.lines.get(p, 1)}"

    def citation(self, raw: dict | None) -> Citation | None:
        if not raw:
            return None
        doc = self.sources.get(raw["doc"], {})
        return Citation(raw["doc"], raw.get("clause", ""), raw.get("note", ""), doc.get("title", ""), doc.get("number", ""))

    def figure(self, name: str, year: int, category: str) -> FigureValue | None:
        """The plan's figure ``name`` for a unit of ``category`` in compliance ``year`` (None: the plan gives none)."""
        raw = self.data["figures"][name]
        leaf = None
        if "value" in raw:
            leaf = raw["value"]
        elif "by_category" in raw:
            leaf = raw["by_category"].get(category)
        else:
            entry = raw["by_year"].get(str(year))
            if isinstance(entry, dict) and "by_category" in entry:
                leaf = entry["by_category"].get(category)
            else:
                leaf = entry
        if leaf is None:
            return None
        own = leaf if isinstance(leaf, dict) else {}
        value = own.get("value", leaf)
        return FigureValue(
            name, to_decimal(value), raw["unit"], self.citation(own.get("source") or raw["source"]),
            own.get("verified", raw.get("verified", True)), own.get("note", raw.get("note", "")),
        )

    def refused(self, year: int) -> dict | None:
        """Why the allocation of ``year`` cannot be computed yet ({zh, en}), or None."""
        return (self.data.get("refused_years") or {}).get(str(year))

    def deadline(self, year: int) -> dict | None:
        return self.data["compliance"]["deadlines"].get(str(year))

    def summary(self) -> dict:
        return {
            "id": self.id, "sector": self.sector, "title": self.title,
            "years": {"from": self.year_from, "to": self.year_to},
            "sources": [{"key": k, **{f: v for f, v in s.items() if f in ("title", "number", "date")}}
                        for k, s in self.sources.items()],
            "path": self.path, "sha256": self.digest, "unverified": self.unverified(),
        }

    def confirmation(self) -> tuple[int, int]:
        """(items, confirmed): every figure value (per category and year), formula, surrender rule and deadline
        of the plan, and how many of them are not marked ``verified: false`` (the README's count)."""
        total = confirmed = 0

        def count(raw: dict) -> None:
            nonlocal total, confirmed
            total += 1
            confirmed += raw.get("verified", True) is not False

        for f in self.data["figures"].values():
            for _path, _cat, _year, _leaf in figure_leaves(f):
                count(f)
        for f in self.data["formulas"] + (self.data.get("preallocation") or {}).get("formulas", []):
            count(f)
        for rule, body in self.data["compliance"].items():
            if rule == "deadlines":
                for d in body.values():
                    count(d)
            elif isinstance(body, dict):
                count(body)
        return total, confirmed

    def unverified(self) -> list[str]:
        """Every figure, formula and rule of the plan shipped with ``verified: false``."""
        out = []
        for name, f in self.data["figures"].items():
            if f.get("verified") is False:
                out.append(f"figures.{name}")
        for key in ("formulas",):
            for f in self.data[key]:
                if f.get("verified") is False:
                    out.append(f"formulas.{f['id']}")
        pre = self.data.get("preallocation") or {}
        for f in pre.get("formulas", []):
            if f.get("verified") is False:
                out.append(f"preallocation.formulas.{f['id']}")
        for rule, body in self.data["compliance"].items():
            if rule == "deadlines":
                for year, d in body.items():
                    if d.get("verified") is False:
                        out.append(f"compliance.deadlines.{year}")
            elif isinstance(body, dict) and body.get("verified") is False:
                out.append(f"compliance.{rule}")
        return out


def parse_plan(text: str, path: str) -> Plan:
    """Validate ``text`` (a plan YAML) and build a :class:`Plan` with its formulas compiled; refuse it otherwise."""
    data, lines, where_of = load_validated_cached(text, path, "allocation-plan.schema.json", RulesetError, "an allocation plan")
    years = data["years"]
    if years["to"] < years["from"]:
        raise RulesetError(f"years.to {years['to']} is before years.from {years['from']}", where_of(("years",)))
    plan = Plan(data["id"], data["sector"], data["title"], years["from"], years["to"], data, lines, path,
                hashlib.sha256(text.encode("utf-8")).hexdigest())
    _check_citations(plan, where_of)
    _check_numbers(plan, where_of)
    scope = _input_scope(plan, where_of)
    plan.formulas = _compile_all(plan, data["formulas"], scope, ("formulas",), where_of)
    if data["allowance"] not in {f.id for f in plan.formulas}:
        raise RulesetError(f"allowance names formula {data['allowance']!r}, which the plan does not define",
                           where_of(("allowance",)), code="undefined-name")
    pre = data.get("preallocation")
    if pre:
        pre_scope = dict(scope)
        pre_scope.update({f.id: Symbol(f.unit) for f in plan.formulas})
        for name, spec in pre["inputs"].items():
            pre_scope[name] = Symbol(spec["unit"])
        plan.pre_formulas = _compile_all(plan, pre["formulas"], pre_scope, ("preallocation", "formulas"), where_of)
        if pre["allowance"] not in {f.id for f in plan.pre_formulas}:
            raise RulesetError(f"preallocation.allowance names formula {pre['allowance']!r}, which the pre-allocation does not define",
                               where_of(("preallocation", "allowance")), code="undefined-name")
    emissions = data["compliance"]["emissions"]
    # An input figure, or a formula where the basis itself needs a rule (and its own citation and verification)
    if emissions not in data["input"]["figures"] and emissions not in {f.id for f in plan.formulas}:
        raise RulesetError(f"compliance.emissions names {emissions!r}, which is neither an input figure nor a formula of the plan",
                           where_of(("compliance", "emissions")), code="undefined-name")
    for cat in data.get("refused_categories") or {}:
        if cat not in (data.get("categories") or {}):
            raise RulesetError(f"refused_categories names {cat!r}, which is not among the plan's categories "
                               f"({', '.join(sorted(data.get('categories') or {})) or 'none'})",
                               where_of(("refused_categories", cat)), code="undefined-name")
    for year in data.get("refused_years") or {}:
        if not (year.isdigit() and plan.governs(int(year))):
            raise RulesetError(f"refused_years names {year!r}, which is not a compliance year the plan governs ({plan.years_text})",
                               where_of(("refused_years", year)), code="ruleset")
    category = data["input"].get("category")
    if category is not None and category not in data["input"]["rows"]:
        raise RulesetError(f"input.category names {category!r}, which input.rows does not define",
                           where_of(("input", "category")), code="undefined-name")
    return plan


def _check_citations(plan: Plan, where_of) -> None:
    sources = plan.sources

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "source" and isinstance(value, dict) and "doc" in value and value["doc"] not in sources:
                    raise RulesetError(f"cites source {value['doc']!r}, which is not declared under sources "
                                       f"(declared: {', '.join(sorted(sources))})", where_of(path + (key,)), code="undefined-name")
                walk(value, path + (key,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, path + (i,))

    walk(plan.data, ())


def figure_leaves(raw: dict):
    """(path inside the figure, category or None, year or None, leaf) of every value a figure gives."""
    if "value" in raw:
        yield ("value",), None, None, raw["value"]
    for cat, v in (raw.get("by_category") or {}).items():
        yield ("by_category", cat), cat, None, v
    for year, e in (raw.get("by_year") or {}).items():
        if isinstance(e, dict) and "by_category" in e:
            for cat, v in e["by_category"].items():
                yield ("by_year", year, "by_category", cat), cat, int(year), v
        else:
            yield ("by_year", year), None, int(year), e


def _check_numbers(plan: Plan, where_of) -> None:
    """Every figure is an exact decimal (read each once here, so a use never fails)."""
    for name, f in plan.data["figures"].items():
        for path, _cat, _year, leaf in figure_leaves(f):
            try:
                to_decimal(leaf["value"] if isinstance(leaf, dict) else leaf)
            except NotANumber as exc:
                raise RulesetError(str(exc), where_of(("figures", name) + path), code="ruleset") from None


def _input_scope(plan: Plan, where_of) -> dict[str, Symbol]:
    scope: dict[str, Symbol] = {}
    inputs = plan.data["input"]
    for name in inputs["rows"]:
        scope[name] = Symbol(None)
    for name, spec in inputs["figures"].items():
        scope[name] = Symbol(spec["unit"])
    for name, f in plan.data["figures"].items():
        if name in scope:
            raise RulesetError(f"figure {name!r} has the name of an input", where_of(("figures", name)), code="ruleset")
        scope[name] = Symbol(f["unit"], param=True)
    return scope


def _compile_all(plan: Plan, raws: list, scope: dict, base: tuple, where_of) -> list[PlanFormula]:
    scope = dict(scope)
    out = []
    for i, raw in enumerate(raws):
        where = where_of(base + (i,))
        if raw["id"] in scope:
            raise RulesetError(f"formula id {raw['id']!r} is already an input, figure or earlier formula", where, code="ruleset")
        cases = []
        for j, case in enumerate(raw.get("cases") or [{"expr": raw["expr"]}]):
            cwhere = where_of(base + (i, "cases", j)) if "cases" in raw else where
            when = case.get("when")
            cond = compile_formula(when, scope, "1", cwhere, condition=True) if when else None
            expr = compile_formula(str(case["expr"]), scope, raw["unit"], cwhere)
            cases.append((cond, when, expr, str(case["expr"])))
        out.append(PlanFormula(raw["id"], raw["label"], raw["unit"], cases, raw.get("decimals"),
                               plan.citation(raw["source"]), raw.get("verified", True), raw.get("note", ""), where))
        scope[raw["id"]] = Symbol(raw["unit"])
    return out


def formula_names(text: str) -> set[str]:
    """Names a formula text reads (for lint's unused-figure check)."""
    import ast

    try:
        return {n.id for n in ast.walk(parse(text, "")) if isinstance(n, ast.Name)}
    except RulesetError:
        return set()


class PlanIndex:
    """Every loaded plan, by id and by sector, with selection by compliance year."""

    def __init__(self):
        self.by_id: dict[str, Plan] = {}
        self.by_sector: dict[str, list[Plan]] = {}

    def add(self, plan: Plan) -> None:
        if plan.id in self.by_id:
            raise RulesetError(f"plan id {plan.id!r} is also defined in {self.by_id[plan.id].path}", plan.where(("id",)), code="duplicate-id")
        for other in self.by_sector.get(plan.sector, []):
            if max(plan.year_from, other.year_from) <= min(plan.year_to, other.year_to):
                raise RulesetError(f"plan {plan.id!r} ({plan.years_text}) overlaps {other.id!r} ({other.years_text}) "
                                   f"of sector {plan.sector!r}: exactly one plan must govern each compliance year",
                                   plan.where(("years",)), code="year-overlap")
        self.by_id[plan.id] = plan
        self.by_sector.setdefault(plan.sector, []).append(plan)
        self.by_sector[plan.sector].sort(key=lambda p: p.year_from)

    def select(self, sector: str, year: int) -> Plan:
        found = [p for p in self.by_sector.get(sector, []) if p.governs(year)]
        if not found:
            listing = ", ".join(f"{p.id} ({p.years_text})" for p in self.by_sector.get(sector, [])) or "none"
            raise SelectionError(f"no allocation plan of sector {sector!r} governs compliance year {year}; plans: {listing}",
                                 code="allocation.no_plan")
        return found[0]

    def get(self, plan_id: str) -> Plan:
        try:
            return self.by_id[plan_id]
        except KeyError:
            raise SelectionError(f"unknown allocation plan {plan_id!r}; known: {', '.join(sorted(self.by_id)) or 'none'}",
                                 code="allocation.unknown_plan") from None

    def all(self) -> list[Plan]:
        return [p for _, plans in sorted(self.by_sector.items()) for p in plans]


def bundled_plan_files() -> list:
    """The plan files shipped with mrv-engine (``allocation/plans/*.yaml``)."""
    folder = resources.files("mrv_engine").joinpath("allocation", "plans")
    return sorted((f for f in folder.iterdir() if f.name.endswith((".yaml", ".yml"))), key=lambda f: f.name)


@lru_cache(maxsize=1)
def bundled_plans() -> PlanIndex:
    """Every bundled plan, loaded and compiled once per process."""
    index = PlanIndex()
    for f in bundled_plan_files():
        index.add(parse_plan(f.read_text(encoding="utf-8"), f"allocation/plans/{f.name}"))
    return index
