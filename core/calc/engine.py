"""The calculation: resolve every field of every row, evaluate formulas, total the report.

Values are exact Decimals from input to output. Each resolved or computed
value keeps its provenance (input, measured, default with citation, computed,
the rule that substituted it, the unit conversion), so the trace can be
rendered later without recomputing anything. Resolving rows is
:mod:`mrv_engine.core.calc.resolve`'s work; the data it all produces is in
:mod:`mrv_engine.core.calc.results`.
"""

from __future__ import annotations

import re
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext

from ..base.errors import InputError
from ..base.findings import Finding
from ..base.numbers import (
    CONTEXT,
    RANGE_TEXT_ZH,
    NumberRange,
    round_half_up,
)
from ..formula import units as U
from ..rules.ruleset import CATEGORIES
from .compose import Composition, PageSpec, fill
from .resolve import (
    bound,
    check_months,
    check_refs,
    resolve_page,
    resolve_parameters,
    unit_text,
)
from .results import Collector, Emission, MonthEdition, PageResult, Prov, Result

_CATEGORY = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def calculate(comp: Composition, submission: dict, year: int, source_name: str = "", periods: list | None = None) -> Result:
    """Compute every figure of ``submission`` under ``comp``; :class:`InputError` lists all problems.

    ``periods`` [(Period, Composition)]: a reporting year split between editions (``comp`` is the
    annual report's, one of them). The rows of monthly pages are then resolved and evaluated under
    the edition of their month (its defaults, parameters and formulas) and carry it for the trace;
    page summaries, totals and the annual pages stay under ``comp``.
    """
    errors = Collector()
    calorie = str(submission.get("calorie", comp.calorie))
    refused: dict = {}  # grid parameters the rules cannot choose: reported where a formula needs one
    params = resolve_parameters(comp, year, submission.get("parameters", {}), errors, submission, refused)
    editions = _editions(comp, periods, year, submission, params, refused)
    env_base = {n: p.value for n, p in params.items()}
    pages_in = submission.get("pages", {}) or {}
    if not isinstance(pages_in, dict):
        errors.add("bad_pages", "$.pages", "pages must be an object keyed by page id")
        pages_in = {}
    known = {p.id for p in comp.pages}
    for pid in pages_in:
        if pid not in known:
            errors.add("unknown_page", f"$.pages.{pid}", f"page {pid!r} is not part of sector {comp.sector!r} for {year}; pages: {', '.join(sorted(known))}")
    results: list[PageResult] = []
    with localcontext(CONTEXT):
        for spec in comp.pages:
            if editions and spec.raw.get("months"):
                rows = _resolve_by_month(comp, spec, pages_in.get(spec.id, []), editions, calorie, errors)
            else:
                rows = resolve_page(comp, spec, pages_in.get(spec.id, []), params, calorie, errors)
            results.append(PageResult(spec, rows, []))
        unknown = check_refs(comp, results, errors)
        for pr in results:
            check_months(pr, unknown, errors)
        if errors.findings:
            raise InputError(_summary(errors.findings), errors.findings)
        for pr in results:
            if editions and spec_has_months(pr.spec):
                for e in editions:  # each month's rows under the formulas and parameters of its edition
                    rows = [r for r in pr.rows if r.edition is e]
                    if rows:
                        _evaluate_rows(PageResult(e.spec(pr.spec.id), rows, []), {n: p.value for n, p in e.params.items()},
                                       e.params, errors, year, e.refused)
            else:
                _evaluate_rows(pr, env_base, params, errors, year, refused)
        if errors.findings:
            raise InputError(_summary(errors.findings), errors.findings)
        by_id, indexes = {x.spec.id: x for x in results}, {}
        for pr in results:
            pr.summaries = _evaluate_summaries(pr, by_id, env_base, errors, indexes)
        if errors.findings:
            raise InputError(_summary(errors.findings), errors.findings)
        emissions = _emissions(comp, results, params)
        try:
            totals, gases, total, shares = _totals(comp, emissions)
        except NumberRange as exc:  # each figure rounded, their sum still too long to round exactly
            raise InputError(str(exc), [Finding("number_range", "$.totals", str(exc), f"排放总量超出允许范围：{RANGE_TEXT_ZH}")]) from None
    used, defaults, places = _used_params(results, params)
    return Result(comp, year, submission, params, results, emissions, totals, gases, total, shares, source_name, used,
                  used_defaults=defaults, findings=list(errors.warnings), editions=editions,
                  default_places=places)


def spec_has_months(spec: PageSpec) -> bool:
    return bool(spec.raw.get("months"))


def _editions(comp, periods, year, submission, params, refused) -> list[MonthEdition]:
    """One :class:`MonthEdition` per period of a split year (none when one edition governs it all):
    the annual composition with the report's parameters, the others with their own for the year."""
    if not periods or len(periods) < 2:
        return []
    out = []
    for period, pcomp in periods:
        if pcomp is comp:
            out.append(MonthEdition(period, comp, params, refused))
            continue
        prefused: dict = {}
        # The submission's own parameters were checked (and any slip reported) for the annual
        # report above; here they only apply to these months.
        pparams = resolve_parameters(pcomp, year, submission.get("parameters", {}), Collector(), submission, prefused)
        out.append(MonthEdition(period, pcomp, pparams, prefused))
    return out


_ROW_PLACE = re.compile(r"^\$\.pages\.([A-Za-z0-9_]+)\[(\d+)\]")


def _month_of(raw_row, field: str) -> int | None:
    if not isinstance(raw_row, dict):
        return None
    m = raw_row.get(field)
    if isinstance(m, bool):
        return None
    try:
        m = int(str(m).strip())
    except (TypeError, ValueError):
        return None
    return m if 1 <= m <= 12 else None


def _resolve_by_month(comp, spec, rows_in, editions, calorie, errors) -> list:
    """A monthly page's rows, each resolved under the edition governing its month (its defaults,
    substitution rules and parameters). Every edition reads every row, so a rule over the year's
    months (the mean of the measured months) sees the whole year; each row, and each finding at a
    row, is kept from its own month's edition, findings of the page as a whole from the annual one.
    A row whose month is not readable stays with the annual edition, which reports it."""
    annual = next(e for e in editions if e.comp is comp)
    field = spec.raw["months"]["field"]
    owner = {}
    for i, raw in enumerate(rows_in if isinstance(rows_in, list) else []):
        m = _month_of(raw, field)
        owner[i] = next((e for e in editions if m is not None and e.period.covers(m)), annual)
    kept: dict = {}
    for e in editions:
        if e is not annual and not any(o is e for o in owner.values()):
            continue
        try:
            espec = e.spec(spec.id)
        except KeyError:
            first = min(i for i, o in owner.items() if o is e)
            errors.add("unknown_page", f"$.pages.{spec.id}[{first}]",
                       f"page {spec.id!r} is not part of {e.period.ruleset.id}, which governs months "
                       f"{e.period.lo}-{e.period.hi} of the year", f"{e.period.ruleset.id} 无 {spec.id} 页")
            continue
        got = Collector()
        for r in resolve_page(e.comp, espec, rows_in, e.params, calorie, got):
            if owner.get(r.index) is e:
                r.edition = e
                kept[r.index] = r
        for target, found in ((errors.findings, got.findings), (errors.warnings, got.warnings)):
            for f in found:
                m = _ROW_PLACE.match(f.place or "")
                mine = owner.get(int(m.group(2)), annual) is e if m and m.group(1) == spec.id else e is annual
                if mine:
                    target.append(f)
    return [kept[i] for i in sorted(kept)]


def _used_params(results, params) -> tuple[set, dict, dict]:
    """The parameters the evaluated formulas named, the defaults they used, and where.

    Defaults are the ruleset figures (a parameter named by a fallback, or a lookup-table row)
    that filled a field which an evaluated case, one of the conditions tried before it, or a
    page summary reads: a default filled in but not read (the carbon content of a fuel
    reported by emission factor) was not used. ``{figure: verified}``, and
    ``{figure: [(page id, row index, field id)]}`` of the rows that read each.
    """
    used, defaults, places = set(), {}, {}
    for pr in results:
        pid = pr.spec.id
        named = set(_summary_names(pr.spec))  # what the formulas evaluated under the report's parameters named
        for r in pr.rows:
            e = r.edition
            if e is None or e.params is params:
                reads = _reads(pr.spec, r.binding, r.cases)
                named |= reads.expr
                read = reads.defaultable  # only a field with fallbacks holds a default of the rules
            else:  # a month under another edition: its formulas' parameters, with their own verified marks
                reads = _reads(e.spec(pid), r.binding, r.cases)
                read = reads.formulas | _summary_names(pr.spec)
                for n in reads.expr:
                    if n in e.params:
                        defaults[n] = defaults.get(n, True) and e.params[n].verified
            prov = r.prov
            for name in read:
                p = prov.get(name)
                if p is not None and p.kind == "default" and p.figure:
                    defaults[p.figure] = defaults.get(p.figure, True) and p.verified
                    places.setdefault(p.figure, []).append((pid, r.index, name))
        used.update(n for n in named if n in params)
    for rows in places.values():
        rows.sort()
    return used, defaults, places


def summary_names(pr) -> frozenset:
    """The names the page's summaries read."""
    return _summary_names(pr.spec)


def _summary_names(spec: PageSpec) -> frozenset:
    got = getattr(spec, "_summary_names", None)
    if got is None:
        got = spec._summary_names = frozenset(n for s in spec.summaries for _spec, c in s.formulas for n in c.names)
    return got


class _Reads:
    """What a row evaluated under a page spec with a unit binding and cases ({formula id: case
    index}) read. The same for every row of the same binding and cases, so worked out once per
    page spec (:func:`_reads`): a page's rows mostly take one or two paths through its formulas."""

    __slots__ = ("all", "defaultable", "expr", "formulas")

    def __init__(self, spec: PageSpec, binding: tuple, cases: dict):
        formulas = {f.id: f for f in spec.formulas}
        expr, read = set(), set()
        for fid, k in cases.items():
            fcases = formulas[fid].cases
            expr.update(fcases[k].expr[binding].names)
            for case in fcases[:k + 1]:
                if case.when:
                    read.update(case.when[binding].names)
        read |= expr
        #: the names of the evaluated cases' expressions
        self.expr = frozenset(expr)
        #: those and the names of the conditions tried before each case
        self.formulas = frozenset(read)
        #: those and the names of the page's summaries
        self.all = self.formulas | _summary_names(spec)
        #: the fields of ``all`` that the rules may fill with a default (they have fallbacks)
        self.defaultable = tuple(n for n in self.all if n in spec.fields and spec.fields[n].raw.get("fallbacks"))


def _reads(spec: PageSpec, binding: tuple, cases: dict) -> _Reads:
    memo = getattr(spec, "_reads", None)
    if memo is None:
        memo = spec._reads = {}
    key = (binding, tuple(cases.items()))
    got = memo.get(key)
    if got is None:
        got = memo[key] = _Reads(spec, binding, cases)
    return got


def names_read(pr, r) -> frozenset:
    """Names row ``r`` of page result ``pr`` read: each evaluated case, the conditions tried
    before it, and the page's summaries (a default filled in but not read was not used)."""
    if r.edition is None:
        return _reads(pr.spec, r.binding, r.cases).all
    spec = r.edition.spec(pr.spec.id)
    if spec is pr.spec:
        return _reads(spec, r.binding, r.cases).all
    return _reads(spec, r.binding, r.cases).formulas | _summary_names(pr.spec)


def _summary(findings: list[Finding]) -> str:
    first = findings[0]
    more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
    return f"{first.place}: {first.message}{more}"


# -- resolving fields ------------------------------------------------------------

# -- formulas --------------------------------------------------------------------

def _formula_plan(spec: PageSpec, binding: tuple) -> list:
    """The page's formulas as rows of one unit binding evaluate them, each case's condition and
    expression compiled for that binding: worked out once per page spec and binding."""
    plans = getattr(spec, "_formula_plans", None)
    if plans is None:
        plans = spec._formula_plans = {}
    plan = plans.get(binding)
    if plan is None:
        plan = plans[binding] = [
            (f, [(_compiled(case.when, binding) if case.when else None, _compiled(case.expr, binding)) for case in f.cases],
             f.decimals, bound(f.raw.get("minimum")), bound(f.raw.get("maximum")), Prov("computed", f.citation))
            for f in spec.formulas
        ]
    return plan


def _compiled(by_binding: dict, binding: tuple):
    """A case's condition or expression compiled for ``binding``, or a :class:`_NotCompiled`."""
    got = by_binding.get(binding)
    return got if got is not None else _NotCompiled(binding)


class _NotCompiled:
    """Stands for a case not compiled for a binding (a unit the rules do not list): evaluating it
    raises KeyError(binding), reported as the missing value it is."""

    def __init__(self, binding: tuple):
        self.binding = binding

    def func(self, _values, _params):
        raise KeyError(self.binding)


def _evaluate_rows(pr: PageResult, env_base: dict, params: dict, errors: Collector, year: int, refused: dict | None = None):
    spec = pr.spec
    for r in pr.rows:
        binding, values, prov, cases, unrounded = r.binding, r.values, r.prov, r.cases, r.unrounded
        plan = _formula_plan(spec, binding)
        for f, fcases, decimals, lo, hi, computed in plan:
            k = 0
            try:
                for when, expr in fcases:
                    if when is None or when.func(values, env_base):
                        value = expr.func(values, env_base)
                        break
                    k += 1
                else:
                    errors.add("no_case", _place(spec, r, f), f"no case of formula {f.id!r} applies to this row")
                    break
            except KeyError as exc:
                name = exc.args[0]
                if refused and name in refused:
                    # The grid rules could not choose the factor: say why once, at the field to give.
                    why = refused[name]
                    if why is not None and why.place is None:  # no factor for the year: at each figure, as any missing value
                        errors.add(why.code, _place(spec, r, f), why.message, why.message_zh)
                    elif why is not None:
                        errors.add(why.code, why.place, why.message, why.message_zh)
                        refused[name] = None
                    break
                why = f" ({r.no_default[name]})" if name in r.no_default else ""  # the table row's own reason, e.g. a rate by equipment
                errors.add("missing_value", _place(spec, r, f), _missing_message(spec, name, year, f) + why,
                           _missing_message_zh(spec, name, f) + why)
                break
            except (ZeroDivisionError, DivisionByZero, InvalidOperation) as exc:
                errors.add("arithmetic", _place(spec, r, f), f"formula {f.id!r} cannot be computed: {type(exc).__name__} (a divisor is zero?)")
                break
            except ArithmeticError as exc:  # decimal.Overflow: a result beyond any exponent
                errors.add("number_range", _place(spec, r, f), f"{f.raw['label']['en']} cannot be computed: {type(exc).__name__}",
                           f"{f.raw['label']['zh']}超出允许范围")
                break
            cases[f.id] = k
            if decimals is not None:
                unrounded[f.id] = value
                try:
                    value = round_half_up(value, decimals)
                except NumberRange as exc:
                    errors.add("number_range", _place(spec, r, f), f"{f.raw['label']['en']}: {exc}",
                               f"{f.raw['label']['zh']}超出允许范围：{RANGE_TEXT_ZH}")
                    break
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                errors.add("out_of_range", _place(spec, r, f), f"{f.raw['label']['en']} = {value}{unit_text(fill(f.raw['unit'], dict(binding)), ' ')} is outside [{lo if lo is not None else '−∞'}, {hi if hi is not None else '∞'}]",
                           f"{f.raw['label']['zh']} = {value} 超出允许范围")
            values[f.id] = value
            prov[f.id] = computed


def _place(spec, r, f) -> str:
    return f"$.pages.{spec.id}[{r.index}].{f.id}"


def _missing_message(spec, name, year, f):
    if name in spec.fields:
        return f"{f.raw['label']['en']} needs {spec.fields[name].label['en']} ({name}), which is neither given nor defaulted"
    if name.startswith("gwp_"):
        return f"{f.raw['label']['en']} needs the GWP of {name[4:]}, which the ruleset does not give"
    param = spec.ruleset.parameters.get(name)
    why = f" ({param.note.strip()})" if param is not None and param.note else ""
    return (f"{f.raw['label']['en']} needs parameter {name!r}, which has no value for reporting year {year} in the governing ruleset{why}"
            f"; supply it under $.parameters.{name} (it will be marked as supplied by the submission)")


def _missing_message_zh(spec, name, f):
    if name in spec.fields:
        return f"{f.raw['label']['zh']}缺少{spec.fields[name].label['zh']}"
    return f"{f.raw['label']['zh']}所需参数 {name} 在本报告年度无取值"


class _SummaryPlan:
    """What evaluating one page summary needs that is the same for every report under its page
    spec, worked out once: the columns its formulas read (of this page, or of another page as
    "page.field"), and each formula's decimals and bounds (as Decimals)."""

    def __init__(self, spec: PageSpec, s):
        self.summary = s
        self.group_by = s.group_by
        needed = set()
        for _f, c in s.formulas:
            needed |= set(c.names)
        own = set(spec.fields) | {f.id for f in spec.formulas}
        self.mine = [name for name in needed if "." not in name and name in own]
        self.others = [(name, *name.split(".", 1)) for name in needed if "." in name]  # (name, page id, column)
        self.formulas = [(f, c, f.decimals, bound(f.raw.get("minimum")), bound(f.raw.get("maximum"))) for f, c in s.formulas]


def _summary_plans(spec: PageSpec) -> list[_SummaryPlan]:
    plans = getattr(spec, "_summary_plans", None)
    if plans is None:
        plans = spec._summary_plans = [_SummaryPlan(spec, s) for s in spec.summaries]
    return plans


def _rows_by(pr: PageResult, fields: tuple, indexes: dict) -> dict:
    """The rows of ``pr`` by their values of ``fields``, indexed once per calculation (``indexes``)
    however many summaries and groups read that page."""
    key = (pr.spec.id, fields)
    index = indexes.get(key)
    if index is None:
        index = indexes[key] = {}
        for r in pr.rows:
            index.setdefault(tuple(map(r.values.get, fields)), []).append(r)
    return index


def _evaluate_summaries(pr: PageResult, by_id: dict, env_base, errors, indexes: dict) -> list[dict]:
    out = []
    for plan in _summary_plans(pr.spec):
        s, group_by = plan.summary, plan.group_by
        groups = _rows_by(pr, tuple(group_by), indexes) if group_by else {(): pr.rows}
        # Another page's rows by the values of the group's fields that page has too: a group reads
        # the rows that match it on those.
        columns = []
        for name, pid, col in plan.others:
            other = by_id[pid]
            shared = [i for i, g in enumerate(group_by) if g in other.spec.fields]
            columns.append((name, col, shared, _rows_by(other, tuple(group_by[i] for i in shared), indexes)))
        for key, rows in groups.items():
            env = dict(env_base)
            match = dict(zip(group_by, key))
            for name, col, shared, index in columns:
                sel = index.get(tuple([key[i] for i in shared]), ())
                env[name] = [r.values[col] for r in sel if col in r.values]
            for name in plan.mine:
                env[name] = [r.values[name] for r in rows if name in r.values]
            values, unrounded = {}, {}
            for spec, c, decimals, lo, hi in plan.formulas:
                try:
                    v = c.func(env, env)
                except KeyError as exc:
                    errors.add("missing_value", _summary_place(pr, s, match, spec), f"{spec.raw['label']['en']} needs {exc.args[0]!r}, which has no value")
                    break
                except (ZeroDivisionError, DivisionByZero, InvalidOperation):
                    errors.add("arithmetic", _summary_place(pr, s, match, spec), f"{spec.raw['label']['en']} cannot be computed: a divisor is zero")
                    break
                except ArithmeticError as exc:  # decimal.Overflow
                    errors.add("number_range", _summary_place(pr, s, match, spec), f"{spec.raw['label']['en']} cannot be computed: {type(exc).__name__}",
                               f"{spec.raw['label']['zh']}超出允许范围")
                    break
                if decimals is not None:
                    unrounded[spec.id] = v
                    try:
                        v = round_half_up(v, decimals)
                    except NumberRange as exc:
                        errors.add("number_range", _summary_place(pr, s, match, spec), f"{spec.raw['label']['en']}: {exc}",
                                   f"{spec.raw['label']['zh']}超出允许范围：{RANGE_TEXT_ZH}")
                        break
                if (lo is not None and v < lo) or (hi is not None and v > hi):
                    lo, hi = spec.raw.get("minimum"), spec.raw.get("maximum")  # as the ruleset wrote them
                    errors.add("out_of_range", _summary_place(pr, s, match, spec), f"{spec.raw['label']['en']} = {v}{unit_text(spec.raw['unit'], ' ')} is outside [{lo if lo is not None else '−∞'}, {hi if hi is not None else '∞'}]",
                               f"{spec.raw['label']['zh']} = {v} 超出允许范围")
                    break
                env[spec.id] = v
                values[spec.id] = v
            out.append({"summary": s.id, "group": match, "values": values, "unrounded": unrounded, "env": env})
    return out


def _summary_place(pr, s, match, f) -> str:
    return f"$.pages.{pr.spec.id}.summaries.{s.id}{match or ''}.{f.id}"


# -- the report ------------------------------------------------------------------

def _gas_formulas(spec: PageSpec) -> list:
    """The page's formulas that give an emission: (formula, gas, category template, the fields the
    template names or None, {binding: factor from the formula's unit to t of the gas}), once per page spec."""
    got = getattr(spec, "_gas_formulas", None)
    if got is None:
        got = spec._gas_formulas = [
            (f, f.raw["gas"], f.raw["category"], _CATEGORY.findall(f.raw["category"]) or None, {})  # a category like energy_direct_{kind}
            for f in spec.formulas if f.raw.get("gas")
        ]
    return got


def _emissions(comp, results, params) -> list[Emission]:
    out = []
    for pr in results:
        for f, gas, template, fields, to_tonnes in _gas_formulas(pr.spec):
            gwp = Decimal(1) if gas == "CO2" else params[f"gwp_{gas}"].value
            label = f.raw["label"]["en"]
            for r in pr.rows:
                k = to_tonnes.get(r.binding)
                if k is None:
                    k = to_tonnes[r.binding] = U.factor(fill(f.raw["unit"], dict(r.binding)), f"t{gas}")
                mass = r.values.get(f.id)
                if mass is None:  # a month whose edition has no such figure (a split year)
                    continue
                if k != 1:
                    mass = mass * k  # totals add tonnes of each gas, whatever unit a formula declares
                category = template if fields is None else template.format_map(r.values)
                out.append(Emission(pr.spec.id, r.index, f.id, gas, category, mass, mass if gas == "CO2" else mass * gwp, label))
    return out


def _totals(comp, emissions):
    decimals = comp.report["decimals"]
    # Sum per (category, gas) first: one dict update per emission, then per category and gas.
    sums: dict = {}
    for e in emissions:
        key = (e.category, e.gas)
        got = sums.get(key)
        sums[key] = (e.mass, e.co2e) if got is None else (got[0] + e.mass, got[1] + e.co2e)
    totals = {c: Decimal(0) for c in CATEGORIES}
    gases: dict = {}
    for (category, gas), (mass, co2e) in sums.items():
        totals[category] += co2e
        g = gases.setdefault(gas, {"mass": Decimal(0), "co2e": Decimal(0)})
        g["mass"] += mass
        g["co2e"] += co2e
    totals = {c: round_half_up(v, decimals) for c, v in totals.items()}
    for g in gases.values():
        g["mass"] = round_half_up(g["mass"], decimals)
        g["co2e"] = round_half_up(g["co2e"], decimals)
    total = sum(totals.values(), Decimal(0))
    sd = comp.report["share_decimals"]
    shares = {c: (round_half_up(v * 100 / total, sd) if total else None) for c, v in totals.items()}
    return totals, gases, total, shares
