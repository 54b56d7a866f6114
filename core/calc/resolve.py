"""Resolving a page's rows: inputs read and converted exactly, defaults and substitution
rules applied, keys, months and references checked.

Each page is planned once (bounds parsed, units filled, table defaults looked up once per
table row and unit), so a row costs a few dictionary lookups; every value keeps its
provenance for the trace.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from ..base.errors import UnitError
from ..base.numbers import (
    MAX_EXPONENT,
    MAX_NUMBER_CHARS,
    MAX_SIGNIFICANT_DIGITS,
    MIN_EXPONENT,
    RANGE_TEXT_ZH,
    NotANumber,
    NumberRange,
    out_of_range,
    round_half_up,
    to_decimal,
)
from ..formula import units as U
from ..rules.ruleset import ParamValue
from .compose import Composition, PageSpec, fill
from .results import FREQUENCIES, MEASURED_KINDS, Collector, Prov, RowState

_CAL = re.compile(r"(?<![A-Za-z_])(k?cal)(?![A-Za-z0-9_])")


def _unit_for(unit: str, calorie: str) -> str:
    return _CAL.sub(lambda m: m.group(1) + "20", unit) if calorie == "4.1816" else unit


def grid_context(submission: dict | None) -> tuple:
    """(programme, province) of a submission, as the grid rules read them."""
    submission = submission if isinstance(submission, dict) else {}
    enterprise = submission.get("enterprise")
    province = enterprise.get("province") if isinstance(enterprise, dict) else None
    programme = submission.get("programme")
    return (programme if isinstance(programme, str) else None), (province if isinstance(province, str) else None)


def select_grid(comp: Composition, name: str, year: int, submission: dict | None):
    """The grid rules' choice (GridChoice) or refusal (GridRefusal) for parameter ``name``."""
    return _grid_answer(comp, name, year, *grid_context(submission))[0]


def rule_value(comp: Composition, name: str, year: int, submission: dict | None = None) -> ParamValue | None:
    """The value the rules give parameter ``name`` for ``year`` (a grid factor: for the
    submission's programme and province), or None when they give none."""
    param = comp.parameters[name][0]
    if param.grid is None:
        return param.at(year)
    return _grid_answer(comp, name, year, *grid_context(submission))[1]


#: Most answers of the grid rules a composition keeps (a batch asks the same few thousands of
#: times; a province is untrusted text, so the number of different questions has no bound).
GRID_ANSWERS_KEPT = 4096


def _grid_answer(comp: Composition, name: str, year: int, programme: str | None, province: str | None) -> tuple:
    """(the grid rules' choice or refusal, the parameter's value or None) of grid parameter
    ``name`` for a report of ``year``, ``programme`` and ``province``: nothing else decides
    them (rules and answers are immutable), so they are kept with the composition."""
    memo = getattr(comp, "_grid_answers", None)
    if memo is None:
        memo = comp._grid_answers = {}
    key = (name, year, programme, province)
    got = memo.get(key)
    if got is None:
        param = comp.parameters[name][0]
        choice = comp.grid.select(year, comp.grid.programme_of(param.grid, programme), province, comp.sector, name)
        value = None
        if hasattr(choice, "value"):
            value = ParamValue(name, choice.value * U.factor(choice.unit, param.unit), param.unit, choice.citation,
                               choice.verified, choice.note, why=choice.why, grid=choice)
        if len(memo) >= GRID_ANSWERS_KEPT:
            memo.clear()
        got = memo[key] = (choice, value)
    return got


def year_values(comp: Composition, name: str, submission: dict | None = None) -> list[tuple[int, Decimal]]:
    """[(reporting year, value)] the rules give parameter ``name`` (a grid factor: for the
    submission's programme and province), to recognise another year's figure."""
    param = comp.parameters[name][0]
    if param.grid is None:
        return sorted((y, e[0]) for y, e in param.by_year.items())
    # A grid factor of another year may also be the one another programme took that year (the
    # national average where the legal-boundary report took a regional one): both count.
    _programme, province = grid_context(submission)
    out = set()
    for y in range(2005, 2041):
        pv = rule_value(comp, name, y, submission)
        if pv is not None:
            out.add((y, pv.value))
        if "supplementary" in comp.grid.programmes:
            got = comp.grid.select(y, "supplementary", province, comp.sector, name)
            if hasattr(got, "value"):
                out.add((y, got.value))
    return sorted(out)


def resolve_parameters(comp: Composition, year: int, overrides: dict, errors: Collector,
                       submission: dict | None = None, refused: dict | None = None) -> dict[str, ParamValue]:
    """Every parameter's value for ``year``: the ruleset's, the grid rules' choice for the
    submission's programme and province, or the submission's own. A grid parameter that
    cannot be chosen goes into ``refused`` (name -> GridRefusal), reported only if a formula needs it."""
    out: dict[str, ParamValue] = {}
    programme, _ = grid_context(submission)
    if programme is not None and comp.grid is not None and programme != "national" and programme not in comp.grid.pilot_programmes():
        known = ", ".join(["national", *comp.grid.pilot_programmes()])
        errors.add("unknown_programme", "$.programme", f"programme {programme!r} is not one the rules know ({known})",
                   f"未知的报告类型 {programme!r}（可选：{known}）")
    for name, (param, _rs) in comp.parameters.items():
        if param.grid is not None:
            if name in (overrides or {}):
                continue
            pv = rule_value(comp, name, year, submission)
            if pv is not None:
                out[name] = pv
            elif refused is not None:
                refused[name] = select_grid(comp, name, year, submission)
            continue
        pv = param.at(year)
        if pv is not None:
            out[name] = pv
    for name, raw in (overrides or {}).items():
        place = f"$.parameters.{name}"
        if name not in comp.parameters:
            errors.add("unknown_parameter", place, f"parameter {name!r} is not defined by the governing rulesets")
            continue
        param = comp.parameters[name][0]
        value, unit, note = (raw.get("value"), raw.get("unit", param.unit), raw.get("note", "")) if isinstance(raw, dict) else (raw, param.unit, "")
        if not isinstance(unit, str) or not isinstance(note, str):
            errors.add("bad_parameter", place, "a parameter's unit and note must be text", "参数的单位和说明须为文本")
            continue
        try:
            v = to_decimal(value) * U.factor(unit, param.unit)
        except (NotANumber, UnitError) as exc:
            errors.add("number_range" if isinstance(exc, NumberRange) else "bad_parameter", place, str(exc))
            continue
        out[name] = ParamValue(name, v, param.unit, None, True, note or "supplied by the submission", origin="submission")
    if comp.gwp:
        cit = comp.gwp_ruleset.citation(comp.gwp["source"])
        for gas, value in comp.gwp["values"].items():
            out[f"gwp_{gas}"] = ParamValue(
                f"gwp_{gas}", to_decimal(value), f"tCO2e/t{gas}", cit, comp.gwp.get("verified", True),
                f"GWP {comp.gwp['set']}",
            )
    return out


class _PagePlan:
    """What resolving a page's rows needs, worked out once per page (not per row)."""

    def __init__(self, comp, spec: PageSpec):
        self.field_ids = frozenset(spec.fields)
        self.text, self.numbers = [], []
        for fid, f in spec.fields.items():
            if f.numeric:
                # slow: even a bare text figure is read by _read_number, which checks what the quick
                # path does not (a measurement's frequency or priority, a whole number's fraction)
                slow = bool(f.raw.get("min_frequency") or f.raw.get("priority") or f.raw["type"] == "integer")
                self.numbers.append((fid, f, bound(f.raw.get("minimum")), bound(f.raw.get("maximum")), f.raw.get("decimals"), slow))
            else:
                choices = None
                if f.raw["type"] == "choice":
                    choices = list(comp.tables[f.raw["table"]][0]["rows"]) if f.raw.get("table") else f.raw.get("choices", [])
                self.text.append((fid, f, choices, frozenset(choices) if choices is not None else None, f.raw.get("default")))
        self.required = [(fid, f) for fid, f in spec.fields.items() if f.raw.get("required")]
        self.refs = [(fid, f, f.raw["ref"]) for fid, f in spec.fields.items() if f.raw.get("ref")]
        self.required_ids = frozenset(fid for fid, _ in self.required)
        self.table_field = next((f for f in spec.fields.values() if f.raw.get("table")), None)
        #: percent fields whose defaults are all far above 1 %: field id -> (lowest, highest) default
        self.percent = {fid: got for fid, f in spec.fields.items()
                        if f.numeric and f.raw.get("unit") == "%" and (got := _percent_defaults(comp, f, self.table_field))}
        self.fallbacks = {fid: [(fb, spec.ruleset.citation(fb.get("source"))) for fb in f.raw["fallbacks"]]
                          for fid, f in spec.fields.items() if f.raw.get("fallbacks")}
        self.var_fields = [v["field"] for v in spec.raw.get("unit_vars", {}).values()]
        self.bindings: dict = {}  # choices of the unit-deciding fields -> binding
        self.units: dict = {}  # (field id, binding) -> unit text
        self.columns: dict = {}  # (field id, fallback index, table row, unit) -> (value, Prov)
        self.defaults: dict = {}  # field id -> {(table row, binding): (value, Prov)}, the first fallback
        self.blank_notes: dict = {}  # key of self.columns -> the note of a row whose column is blank

    def unit(self, f, binding: tuple) -> str:
        key = (f.id, binding)
        unit = self.units.get(key)
        if unit is None:
            unit = self.units[key] = fill(f.raw["unit"], dict(binding))
        return unit


#: A percent field's defaults at or above this (in %) make a figure of at most 1 read like a
#: fraction slipped into a percent field ("0.99" for 99 %, as many sheets hold an oxidation rate).
PERCENT_TYPICAL_MIN = Decimal(10)


def _percent_defaults(comp, f, table_field) -> tuple[Decimal, Decimal] | None:
    """(lowest, highest) of every default the rules give field ``f`` (in %), when all are at least
    PERCENT_TYPICAL_MIN; None otherwise. The methodology's defaults are its typical range."""
    found = []
    for fb in f.raw.get("fallbacks", []):
        try:
            if "value" in fb:
                found.append(to_decimal(fb["value"]))
            elif "param" in fb and fb["param"] in comp.parameters:
                param = comp.parameters[fb["param"]][0]
                values = [param.value] if param.value is not None else [v[0] for v in param.by_year.values()]
                found += [v * U.factor(param.unit, "%") for v in values]
            elif "column" in fb and table_field is not None:
                table = comp.tables[table_field.raw["table"]][0]
                column = table["columns"].get(fb["column"], {})
                for row in table["rows"].values():
                    if row.get(fb["column"]) is not None:
                        unit = fill(column.get("unit", "%"), {c: str(row.get(c)) for c in table["columns"]})
                        found.append(to_decimal(row[fb["column"]]) * U.factor(unit, "%"))
        except (NotANumber, UnitError, KeyError, TypeError):
            continue
    if not found or min(found) < PERCENT_TYPICAL_MIN:
        return None
    return min(found), max(found)


def _short(value: Decimal) -> str:
    """A figure without trailing zeros past the point (99.00 -> 99)."""
    value = value.normalize()
    return format(value.quantize(Decimal(1)) if value == value.to_integral_value() else value, "f")


def _check_percent(plan, spec, i, raw_row, values, binding, errors) -> None:
    """Warn about a figure of at most 1 in a percent field whose defaults are far above it, saying
    what it would be as a fraction; a figure whose unit the submission states is not warned about."""
    for fid, (lo, hi) in plan.percent.items():
        value = values.get(fid)
        if value is None or not 0 < value <= 1:
            continue
        raw = raw_row.get(fid)
        if isinstance(raw, list) or (isinstance(raw, dict) and "unit" in raw):
            continue
        f = spec.fields[fid]
        if plan.unit(f, binding) != "%":
            continue
        v, pct = _short(value), _short(value * 100)
        band = _short(lo) if lo == hi else f"{_short(lo)}–{_short(hi)}"
        errors.warn(
            "percent_as_fraction", f"$.pages.{spec.id}[{i}].{fid}",
            f"{f.label['en']} is {v} %, far below the methodology's default{'s' if lo != hi else ''} of {band} %: "
            f"if {v} is a fraction, the figure is {pct} %. Say which by giving the unit: "
            f'{{"value": "{v}", "unit": "1"}} for a fraction, {{"value": "{v}", "unit": "%"}} for a percentage',
            f"{f.label['zh']}为 {v}%，远低于方法学缺省值 {band}%：如 {v} 是小数（比例），应为 {pct}%。"
            f'请注明单位：比例填 {{"value": "{v}", "unit": "1"}}，百分数填 {{"value": "{v}", "unit": "%"}}',
            value=v, as_fraction=pct, defaults=[_short(lo), _short(hi)],
        )


def unit_text(unit: str, lead: str = "") -> str:
    """A unit for a message; nothing for a pure number."""
    return "" if unit in ("1", "") else lead + U.display(unit)


def bound(raw):
    return None if raw is None else to_decimal(raw)


def _plan(comp, spec: PageSpec) -> _PagePlan:
    plan = getattr(spec, "_plan", None)
    if plan is None:
        plan = spec._plan = _PagePlan(comp, spec)
    return plan


_NONE = frozenset()
_EMPTY: dict = {}  # shared and never written to: rows without discarded measurements


def _with(items: frozenset, item) -> frozenset:
    return items | {item}


#: Integers below this in magnitude are figures in range (at most MAX_EXPONENT + 1 digits).
_INT_LIMIT = 10 ** (MAX_EXPONENT + 1)

PROV_INPUT = Prov("input")  # shared: inputs given as a bare figure carry nothing of their own
PROV_DEFAULT_CHOICE = Prov("default")


def resolve_page(comp, spec: PageSpec, rows_in, params, calorie, errors) -> list[RowState]:
    page_place = f"$.pages.{spec.id}"
    if not isinstance(rows_in, list):
        errors.add("bad_rows", page_place, "a page's rows must be a list")
        return []
    plan = _plan(comp, spec)
    has_vars = bool(spec.raw.get("unit_vars"))
    var0 = plan.var_fields[0] if len(plan.var_fields) == 1 else None
    rows: list[RowState] = []
    for i, raw_row in enumerate(rows_in):
        if not isinstance(raw_row, dict):
            errors.add("bad_row", f"{page_place}[{i}]", "a row must be an object of field values")
            continue
        if not plan.field_ids.issuperset(raw_row):
            for key in raw_row.keys() - plan.field_ids:
                errors.add("unknown_field", f"{page_place}[{i}].{key}",
                           f"page {spec.id!r} has no field {key!r}; fields: {', '.join(spec.fields)}")
        values, prov, bad = {}, {}, _NONE
        # Text and choice fields first: they decide the row's units.
        for fid, f, choices, choice_set, default in plan.text:
            raw = raw_row.get(fid)
            if type(raw) is str and (choice_set is None or raw in choice_set):
                values[fid] = raw
                prov[fid] = PROV_INPUT
                continue
            if raw is None:
                if default is not None:
                    values[fid], prov[fid] = default, PROV_DEFAULT_CHOICE
                continue
            if type(raw) is not str:
                if not isinstance(raw, int) or isinstance(raw, bool):
                    errors.add("bad_type", f"{page_place}[{i}].{fid}", f"{f.label['en']} must be text")
                    bad = _with(bad, fid)
                    continue
                raw = str(raw)
            if choice_set is not None and raw not in choice_set:
                errors.add("unknown_choice", f"{page_place}[{i}].{fid}", f"unknown {f.label['en'].lower()} {raw!r}; expected one of: {', '.join(choices)}",
                           f"未知的{f.label['zh']} {raw!r}")
                bad = _with(bad, fid)
                continue
            values[fid] = raw
            prov[fid] = PROV_INPUT
        # None when the choice that decides the units is missing: reported as required below
        if has_vars:
            key = values.get(var0) if var0 is not None else tuple(values.get(v) for v in plan.var_fields)
            binding = plan.bindings.get(key, False)
            if binding is False:
                binding = plan.bindings[key] = spec.binding_of(values, comp.tables)
        else:
            binding = ()
        discarded = _EMPTY
        for fid, f, lo, hi, decimals, slow in plan.numbers:
            raw = raw_row.get(fid)
            if raw is None:
                continue
            if binding is None:  # its unit is unknown until the choice is fixed, reported there
                bad = _with(bad, fid)
                # but every problem of the row is reported at once: what does not depend on the unit
                _check_unbound(f, raw, f"{page_place}[{i}].{fid}", errors, lo, hi)
                continue
            if not slow and type(raw) is str:
                # The common case, kept fast: a bare figure in the field's own unit.
                try:
                    value = Decimal(raw)
                    # inside the range of a figure (base/numbers.py), else read slowly, with the reason
                    ok = (value.is_finite() and "_" not in raw and len(raw) <= MAX_NUMBER_CHARS
                          and (not value or MIN_EXPONENT <= value.adjusted() <= MAX_EXPONENT)
                          and (len(raw) <= MAX_SIGNIFICANT_DIGITS or not out_of_range(value)))
                except InvalidOperation:
                    ok = False
                if ok and (lo is None or value >= lo) and (hi is None or value <= hi):
                    if decimals is not None:
                        rounded = round_half_up(value, decimals)
                        if rounded != value:
                            values[fid], prov[fid] = rounded, Prov("input", original=(raw, plan.unit(f, binding)))
                            continue
                    values[fid], prov[fid] = value, PROV_INPUT
                    continue
            elif type(raw) is int and -_INT_LIMIT < raw < _INT_LIMIT:
                # A whole number given as a JSON integer (a month, a count of units): what
                # _read_number would make of it, without the checks only a value object or text needs.
                value = Decimal(raw)
                if (lo is None or value >= lo) and (hi is None or value <= hi):
                    if decimals is not None:
                        rounded = round_half_up(value, decimals)
                        if rounded != value:
                            values[fid], prov[fid] = rounded, Prov("input", original=(format(value, "f"), plan.unit(f, binding)))
                            continue
                        value = rounded
                    values[fid], prov[fid] = value, PROV_INPUT
                    continue
            got = _read_number(f, raw, calorie, f"{page_place}[{i}].{fid}", errors, plan.unit(f, binding), lo, hi, decimals)
            if got is None:
                bad = _with(bad, fid)
            elif got[1].kind == "discarded":
                discarded = {**discarded, fid: got}
            else:
                values[fid], prov[fid] = got
        if plan.percent and binding is not None:
            _check_percent(plan, spec, i, raw_row, values, binding, errors)
        rows.append(RowState(i, values, prov, binding or (), {}, {}, discarded, bad))
    _fallbacks(comp, spec, plan, rows, params)
    for r in rows:
        if r.values.keys() >= plan.required_ids:
            continue
        for fid, f in plan.required:
            if fid not in r.values and fid not in r.bad and fid not in r.discarded:
                errors.add("required", f"{page_place}[{r.index}].{fid}", f"{f.label['en']} is required", f"{f.label['zh']}为必填项")
    _check_keys(spec, rows, page_place, errors)
    return rows


_VALUE_KEYS = frozenset({"value", "unit", "source", "frequency", "basis", "calorie", "note"})
_TEXT_KEYS = ("unit", "source", "frequency", "basis", "calorie", "note")
_SOURCES = frozenset({"input", "measured", "supplier", "calculated", "estimated"})
_CONVERSIONS: dict = {}  # (unit given, calorie, field unit) -> (factor, unit text for the trace)


def _check_unbound(f, raw, place, errors, lo, hi) -> None:
    """The checks of a number that hold whatever unit the row's choices give it: that it is a
    number, not negative where quantities cannot be, within the bounds of a dimensionless field."""
    try:
        given = raw["value"] if isinstance(raw, dict) else raw
        value = to_decimal(given)
    except (KeyError, TypeError):
        return  # a malformed value object: reported once the row's choice is fixed
    except NotANumber:
        errors.add("not_a_number", place, f"{f.label['en']}: expected a number, got {given!r}", f"{f.label['zh']}不是有效数字：{given!r}")
        return
    fixed_unit = "{" not in str(f.raw.get("unit", ""))
    if lo is not None and value < lo and (lo == 0 or fixed_unit):
        errors.add("below_minimum", place, f"{f.label['en']} {value} is below the minimum {lo}",
                   f"{f.label['zh']} {value} 小于下限 {lo}")
    elif hi is not None and fixed_unit and not isinstance(raw, dict) and value > hi:
        errors.add("above_maximum", place, f"{f.label['en']} {value} is above the maximum {hi}",
                   f"{f.label['zh']} {value} 大于上限 {hi}")


def _conversion(unit_in: str, cal: str, unit_field: str):
    key = (unit_in, cal, unit_field)
    got = _CONVERSIONS.get(key)
    if got is None:
        if U.normalize(unit_in) == U.normalize(unit_field):
            got = (None, None)
        else:
            k = U.factor(_unit_for(unit_in, cal), unit_field)
            got = (k, unit_in + (f" (1 kcal = {cal} kJ)" if _CAL.search(unit_in) else ""))
        _CONVERSIONS[key] = got
    return got


def _plain_figure(text: str) -> Decimal | None:
    """``text`` as a Decimal when it plainly is a figure in range, as :func:`to_decimal` would read
    it; None (a zero among them: its exponent is checked there) to have to_decimal read it and say why not."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if (value and value.is_finite() and "_" not in text and len(text) <= MAX_NUMBER_CHARS
            and MIN_EXPONENT <= value.adjusted() <= MAX_EXPONENT
            and (len(text) <= MAX_SIGNIFICANT_DIGITS or not out_of_range(value))):
        return value
    return None


def _read_number(f, raw, calorie, place, errors, unit_field, lo, hi, decimals):
    meta = _EMPTY
    if isinstance(raw, list):
        chosen = _by_priority(f, raw, place, errors)
        if chosen is None:
            return None
        raw = chosen
    if isinstance(raw, dict):
        meta = raw
        if "value" not in raw:
            errors.add("bad_value", place, "a value object needs 'value'")
            return None
        if not raw.keys() <= _VALUE_KEYS:
            errors.add("bad_value", place, f"unknown keys {sorted(map(str, raw.keys() - _VALUE_KEYS))} in a value object")
            return None
        wrong = [] if all(isinstance(v, str) for k, v in raw.items() if k != "value") else \
            sorted(k for k in _TEXT_KEYS if k in raw and not isinstance(raw[k], str))
        if wrong:  # a unit, source... that is not text: never handed on to a lookup or a unit parser
            errors.add("bad_value", place, f"{', '.join(wrong)} of a value object must be text",
                       f"数值对象的 {', '.join(wrong)} 须为文本")
            return None
        raw = raw["value"]
    try:
        value = (type(raw) is str and _plain_figure(raw)) or to_decimal(raw)
    except NumberRange as exc:
        errors.add("number_range", place, f"{f.label['en']}: {exc}", f"{f.label['zh']}超出允许范围：{RANGE_TEXT_ZH}")
        return None
    except NotANumber as exc:
        errors.add("not_a_number", place, f"{f.label['en']}: {exc}", f"{f.label['zh']}不是有效数字")
        return None
    kind = meta.get("source", "input") if meta else "input"
    if kind not in _SOURCES:
        errors.add("bad_value", place, f"source {kind!r} is not one of input, measured, supplier, calculated, estimated")
        return None
    p = Prov(kind, basis=meta.get("basis"), frequency=meta.get("frequency"), note=meta.get("note", "")) if meta else Prov(kind)
    unit_in = meta.get("unit") if meta else None
    if unit_in is not None:
        try:
            k, shown = _conversion(unit_in, str(meta.get("calorie", calorie)), unit_field)
        except UnitError as exc:
            errors.add("wrong_unit", place, f"{f.label['en']}: {exc.message}", f"{f.label['zh']}的单位 {unit_in} 与 {U.display(unit_field)} 量纲不符")
            return None
        if k is not None:
            p.original = (format(value, "f"), shown)
            p.factor = k
            value = value * k
    if f.raw["type"] == "integer" and value != value.to_integral_value():
        errors.add("not_integer", place, f"{f.label['en']} must be a whole number")
        return None
    if lo is not None and value < lo:
        errors.add("below_minimum", place, f"{f.label['en']} {value} is below the minimum {lo} {unit_text(unit_field)}".rstrip(),
                   f"{f.label['zh']} {value} 小于下限 {lo}")
        return None
    if hi is not None and value > hi:
        errors.add("above_maximum", place, f"{f.label['en']} {value} is above the maximum {hi} {unit_text(unit_field)}".rstrip(),
                   f"{f.label['zh']} {value} 大于上限 {hi}")
        return None
    if f.raw.get("min_frequency") and p.frequency:
        if p.frequency not in FREQUENCIES:
            errors.add("bad_value", place, f"frequency {p.frequency!r} is not one of {', '.join(FREQUENCIES)}")
            return None
        if FREQUENCIES.index(p.frequency) > FREQUENCIES.index(f.raw["min_frequency"]):
            # Q&A 25: a measurement below the required frequency is not used;
            # the field falls back to its default and the trace says why.
            p.kind = "discarded"
            p.note = (f"measured {format(value, 'f')} ({p.frequency}) not used: the guideline requires "
                      f"{f.raw['min_frequency']} or more often")
            return value, p
    if decimals is not None:
        rounded = round_half_up(value, decimals)
        if rounded != value and p.original is None:
            p.original = (format(value, "f"), unit_field)
        value = rounded
    return value, p


def _by_priority(f, alternatives, place, errors):
    order = f.raw.get("priority")
    if not order:
        errors.add("bad_value", place, f"{f.label['en']} takes one value, not a list (no data priority is defined)")
        return None
    ranked = []
    for k, alt in enumerate(alternatives):
        if not isinstance(alt, dict) or alt.get("basis") not in order:
            errors.add("bad_value", f"{place}[{k}]", f"each alternative needs a basis, one of {', '.join(order)}")
            return None
        ranked.append((order.index(alt["basis"]), alt))
    return min(ranked, key=lambda t: t[0])[1] if ranked else None


def _fallbacks(comp, spec, plan, rows, params):
    for fid, fbs in plan.fallbacks.items():
        f = spec.fields[fid]
        first = fbs[0][0]
        # The common cases, kept per page spec: the first fallback is a figure of the rules (a
        # column of the row's table row, or a value), the same for every row of that table row
        # and unit binding.
        by_row = "column" in first and plan.table_field is not None
        simple = by_row or "value" in first
        table_fid = plan.table_field.id if by_row else None
        defaults = plan.defaults.setdefault(fid, {})  # (table row or None, binding) -> (value, Prov)
        means: dict = {}  # (fallback index, group key) -> (count, mean) of the group's measured rows
        for r in rows:
            values = r.values
            if fid in values or r.binding is None or fid in r.bad:
                continue
            if simple and not r.discarded:
                got = defaults.get((values.get(table_fid) if by_row else None, r.binding))
                if got:
                    values[fid], r.prov[fid] = got
                    continue
            unit_field = plan.unit(f, r.binding)
            for k, (fb, cit) in enumerate(fbs):
                got = _apply_fallback(comp, plan, f, k, fb, cit, r, rows, params, unit_field, means)
                if got is None:
                    continue
                value, p = got
                decimals = f.raw.get("decimals")
                if fid in r.discarded or (decimals is not None and "mean_of_measured" in fb):
                    p = _copy(p)  # this row's own provenance, not the shared default's
                if decimals is not None and "mean_of_measured" in fb:
                    p.original = (format(value, "f"), unit_field)
                    value = round_half_up(value, decimals)
                if fid in r.discarded:
                    p.note = (p.note + "; " if p.note else "") + r.discarded[fid][1].note
                r.values[fid], r.prov[fid] = value, p
                if simple and k == 0 and not r.discarded:
                    defaults[(values.get(table_fid) if by_row else None, r.binding)] = (value, p)
                break


#: Added to a default's rule when the sector's own fuel table does not list the fuel and the host's row serves.
_HOST_ROW = {"zh": "（本行业指南的附录表未列此项，取通用表）",
             "en": " (the sector guideline's own table does not list it: the general table's row)"}


def _copy(p: Prov) -> Prov:
    return replace(p)


def _apply_fallback(comp, plan, f, k, fb, cit, r, rows, params, unit_field, means):
    if "value" in fb:
        key = (f.id, k, None, unit_field)
        got = plan.columns.get(key)
        if got is None:
            got = plan.columns[key] = (to_decimal(fb["value"]), Prov("default", cit, fb["rule"]))
        return got
    if "param" in fb:
        pv = params.get(fb["param"])
        if pv is None:
            return None
        return pv.value * U.factor(pv.unit, unit_field), Prov("default", pv.citation or cit, fb["rule"], verified=pv.verified,
                                                               note=pv.note, figure=fb["param"])
    if "column" in fb:
        table_field = plan.table_field
        if table_field is None or table_field.id not in r.values:
            return None
        choice = r.values[table_field.id]
        key = (f.id, k, choice, unit_field)
        got = plan.columns.get(key, False)
        if got is False:
            tname = table_field.raw["table"]
            table = comp.tables[tname][0]
            trs = comp.row_ruleset(tname, choice)  # a sector's own appendix row cites its guideline
            row = table["rows"][choice]
            raw = row.get(fb["column"])
            if raw is None:
                got = None
                if row.get("note"):
                    plan.blank_notes[key] = row["note"]
            else:
                col_unit = fill(table["columns"].get(fb["column"], {}).get("unit", unit_field),
                                {c: str(row.get(c)) for c in table["columns"]})
                factor = U.factor(col_unit, unit_field)
                value = to_decimal(raw) * factor
                # A table printed in other units (the Hubei system's kJ/kg, kgCO2/TJ) shows the figure
                # as printed and the exact conversion, as an input given in another unit does.
                original = None if factor == 1 else (str(raw), col_unit)
                rule = fb["rule"]
                if tname in comp.extended and (tname, choice) not in comp.row_origin:
                    rule = {k: v + _HOST_ROW.get(k, "") for k, v in rule.items()}  # say the sector's own table lacks it
                got = (value, Prov("default", trs.citation(row.get("source")) or cit, rule,
                                   original=original, factor=None if factor == 1 else factor,
                                   verified=row.get("verified", True), note=row.get("note", ""), figure=f"tables.{tname}.{choice}"))
            plan.columns[key] = got
        if got is None and key in plan.blank_notes:
            r.no_default[f.id] = plan.blank_notes[key]  # the refusal of a missing value says why the row gives none
        return got
    spec_m = fb["mean_of_measured"]
    group_by = spec_m.get("group_by", [])
    # The mean of a group is worked out once for all its rows: filling the field (with defaults
    # or this mean, never a measurement) changes no group's measured rows, unless the field
    # itself is one the rows are grouped by.
    key = (k, tuple(map(r.values.get, group_by)))
    got = means.get(key)
    if got is None:
        group = [x for x in rows if all(x.values.get(g) == r.values.get(g) for g in group_by)]
        measured = [x.values[f.id] for x in group if f.id in x.values and x.prov[f.id].kind in MEASURED_KINDS]
        got = (len(measured), sum(measured, Decimal(0)) / len(measured) if len(measured) >= spec_m["min_count"] else None)
        if f.id not in group_by:
            means[key] = got
    count, mean = got
    if mean is None:
        return None
    return mean, Prov("substituted", cit, dict(fb["rule"]), note=f"mean of {count} measured rows")


def _check_keys(spec, rows, page_place, errors):
    keys = spec.raw.get("keys")
    if keys:
        seen = {}
        for r in rows:
            k = tuple(map(r.values.get, keys))
            if k in seen:
                errors.add("duplicate_row", f"{page_place}[{r.index}]", f"row repeats {dict(zip(keys, k))} of row {seen[k]}")
            seen.setdefault(k, r.index)


def check_months(pr, unknown: set, errors):
    """Each group of a monthly page has months 1-12 once; a group whose key names something
    unknown (already a finding of its own) is not reported again."""
    spec, rows, page_place = pr.spec, pr.rows, f"$.pages.{pr.spec.id}"
    months = spec.raw.get("months")
    if months and rows:
        groups: dict = {}
        group_by, field = months.get("group_by", []), months["field"]
        for r in rows:
            g = tuple(map(r.values.get, group_by))
            if unknown and any((spec.id, x, v) in unknown for x, v in zip(group_by, g)):
                continue
            groups.setdefault(g, []).append(r.values.get(field))
        for g, ms in groups.items():
            have = sorted(int(m) for m in ms if m is not None)
            missing = [m for m in range(1, 13) if m not in have]
            label = dict(zip(months.get("group_by", []), g))
            if missing:
                errors.add("month_missing", page_place, f"{label or 'the page'} lacks month(s) {', '.join(map(str, missing))}",
                           f"{label or '本页'} 缺少月份 {', '.join(map(str, missing))}")
            if len(have) != len(set(have)) or any(m < 1 or m > 12 for m in have):
                errors.add("month_repeated", page_place, f"{label or 'the page'} has months repeated or outside 1-12")


def check_refs(comp, results, errors) -> set:
    """Report values of ``ref`` fields that their page does not hold; return them as
    (page, field, value) so later checks do not report the same slip again."""
    unknown = set()
    by_id = {pr.spec.id: pr for pr in results}
    held: dict = {}  # (page, field) -> the values its rows hold, for every field that refers to it
    for pr in results:
        for fid, f, ref in _plan(comp, pr.spec).refs:
            allowed = held.get((ref["page"], ref["field"]))
            if allowed is None:
                target = by_id.get(ref["page"])
                allowed = held[ref["page"], ref["field"]] = {r.values.get(ref["field"]) for r in target.rows} if target else set()
            for r in pr.rows:
                v = r.values.get(fid)
                if v is not None and v not in allowed:
                    unknown.add((pr.spec.id, fid, v))
                    errors.add("unknown_reference", f"$.pages.{pr.spec.id}[{r.index}].{fid}",
                               f"{f.label['en']} {v!r} is not on page {ref['page']!r} (known: {', '.join(sorted(map(str, allowed - {None}))) or 'none'})",
                               f"{f.label['zh']} {v!r} 不在 {ref['page']} 页中")
    return unknown
