"""The composed form of a sector and year as JSON Schema (2020-12), for host apps to render.

Written for form renderers (react-jsonschema-form, JSON Forms, json-editor, the service's own
page) as much as for validators: every field has a ``type``; a choice is a ``oneOf`` of
``{const, title}`` with its name in the asked language; a figure is a JSON ``number`` (the
service and :func:`mrv_engine.load_json_text` read it exactly from its text) in the unit its
title names; every constraint the engine enforces on a single field (bounds, months 1-12,
non-negative quantities, percentages, fields required when a case applies) is a JSON Schema
keyword, so that a document valid against the form is one the engine accepts, but for the
cross-field findings listed in docs/forms.md (tests/output/test_form_documents.py checks this).
What a renderer cannot know (units, defaults, rounding, computed figures) is in ``x-``
keywords, each documented in docs/forms.md; :data:`X_KEYWORDS` lists them for a validator in
strict mode.
"""

from __future__ import annotations

import ast
import re
from decimal import Decimal

from ..base.numbers import shown as shown_figure
from ..calc.compose import Composition, fill
from ..formula import units as U

#: Every ``x-`` keyword the form uses (docs/forms.md describes each; a test keeps the two in step).
X_KEYWORDS = (
    "x-sector", "x-rulesets", "x-programme", "x-page-order", "x-lang", "x-role", "x-ruleset", "x-months", "x-computed",
    "x-unit", "x-unit-by", "x-decimals", "x-min-frequency", "x-priority", "x-fallbacks",
    "x-ref", "x-needed", "x-formula", "x-gas", "x-category", "x-category-by",
)

_VAR = re.compile(r"\{(\w+)\}")
SOURCES = ("input", "measured", "supplier", "calculated", "estimated")


def _text(label: dict, lang: str | None) -> str:
    """A {zh, en} text in ``lang``, or both (``中文 / English``) when no language is asked."""
    if lang in ("zh", "en"):
        return label.get(lang) or label.get("en") or label.get("zh", "")
    return f"{label['zh']} / {label['en']}" if label.get("zh") != label.get("en") else label["en"]


def _with_unit(title: str, unit: str, lang: str | None) -> str:
    if not unit:
        return title
    return f"{title}（{unit}）" if lang == "zh" else f"{title} ({unit})"


def _number(value) -> int | float:
    """A bound as a JSON number (the engine compares exact decimals; the schema's bound is the same
    figure, written as the shortest JSON number that reads back to it)."""
    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else float(d)


def _one_of(values, labels: dict, lang: str | None) -> list[dict]:
    return [{"const": v, "title": _text(labels[v], lang) if v in labels else v} for v in values]


class _Units:
    """The unit of a page's fields and formulas, filled from the row's choices where it depends on one."""

    def __init__(self, comp: Composition, page):
        self.vars = {}  # var -> (field id, {choice: value})
        for var, spec in page.raw.get("unit_vars", {}).items():
            fid = spec["field"]
            if "map" in spec:
                values = dict(spec["map"])
            else:
                table = comp.tables[page.fields[fid].raw["table"]][0]
                values = {rid: row.get(spec["column"]) for rid, row in table["rows"].items() if row.get(spec["column"])}
            self.vars[var] = (fid, values)

    def of(self, template: str) -> dict:
        """``x-unit`` (a fixed unit) or ``x-unit-by`` (the unit for each choice of a field)."""
        names = _VAR.findall(template or "")
        if not names:
            return {"x-unit": U.display(template)} if template not in ("", "1") else {}
        fid, values = self.vars[names[0]]
        units = {choice: U.display(fill(template, {names[0]: v})) for choice, v in values.items()}
        return {"x-unit-by": {"field": fid, "units": units}}

    @staticmethod
    def shown(meta: dict) -> str:
        """The unit as a title shows it: fixed, or each possible unit (``t / 10⁴Nm³``)."""
        if "x-unit" in meta:
            return meta["x-unit"]
        if "x-unit-by" in meta:
            return " / ".join(dict.fromkeys(meta["x-unit-by"]["units"].values()))
        return ""


def _field_schema(f, page, units: _Units, defs: dict, comp: Composition, lang: str | None) -> dict:
    raw = f.raw
    title = _text(f.label, lang)
    if raw["type"] == "text":
        s = {"type": "string", "title": title}
        if raw.get("ref"):
            s["x-ref"] = dict(raw["ref"])
    elif raw["type"] == "choice":
        if raw.get("table"):
            name = f"table_{raw['table']}"
            if name not in defs:
                t = comp.tables[raw["table"]][0]
                defs[name] = {"type": "string", "title": _text(t.get("label", {"zh": raw["table"], "en": raw["table"]}), lang),
                              "oneOf": _one_of(list(t["rows"]), {r: row["label"] for r, row in t["rows"].items()}, lang)}
            s = {"$ref": f"#/$defs/{name}", "title": title}
        else:
            s = {"type": "string", "title": title,
                 "oneOf": _one_of(raw.get("choices", []), raw.get("choice_labels", {}), lang)}
    else:
        meta = units.of(raw["unit"])
        s = {"type": "integer" if raw["type"] == "integer" else "number",
             "title": _with_unit(title, _Units.shown(meta), lang), **meta}
        if "minimum" in raw:
            s["minimum"] = _number(raw["minimum"])
        if "maximum" in raw:
            s["maximum"] = _number(raw["maximum"])
        if raw.get("decimals") is not None:
            s["x-decimals"] = raw["decimals"]
        if raw.get("min_frequency"):
            s["x-min-frequency"] = raw["min_frequency"]
        if raw.get("priority"):
            s["x-priority"] = list(raw["priority"])
        if raw.get("fallbacks"):
            s["x-fallbacks"] = [_text(fb["rule"], lang) for fb in raw["fallbacks"]]
    if "default" in raw:
        s["default"] = raw["default"]
    if "help" in raw:
        s["description"] = _text(raw["help"], lang)
    return s


def _computed(f, units: _Units, page, lang: str | None) -> dict:
    out = {"title": _text(f.raw["label"], lang), **units.of(f.raw["unit"]), "x-formula": [c.text for c in f.cases]}
    if f.decimals is not None:
        out["x-decimals"] = f.decimals
    if f.raw.get("gas"):
        out["x-gas"] = f.raw["gas"]
        category = f.raw["category"]
        names = _VAR.findall(category)
        if not names:
            out["x-category"] = category
        elif names[0] in page.fields:
            choices = page.fields[names[0]].raw.get("choices", [])
            out["x-category-by"] = {"field": names[0], "categories": {c: fill(category, {names[0]: c}) for c in choices}}
    return out


def form_schema(comp: Composition, year: int | None = None, lang: str | None = None) -> dict:
    """The form of ``comp`` for reporting ``year``, titled in ``lang`` (``zh``, ``en``; both when None)."""
    pages, order, defs = {}, [], {}
    pilot = comp.ruleset.programme if comp.ruleset.programme != "national" else None
    for page in comp.pages:
        units = _Units(comp, page)
        props, required = {}, []
        for fid, f in page.fields.items():
            props[fid] = _field_schema(f, page, units, defs, comp, lang)
            if f.raw.get("required"):
                required.append(fid)
        item = {"type": "object", "additionalProperties": False, "properties": props, "required": required}
        conditional = _required_when(page, set(required))
        if conditional:
            item["allOf"] = conditional
        pages[page.id] = {
            "title": _text(page.title, lang),
            "type": "array",
            "x-role": page.role,
            "x-ruleset": page.ruleset.id,
            "x-computed": {f.id: _computed(f, units, page, lang) for f in page.formulas},
            "items": item,
        }
        if page.raw.get("help"):
            pages[page.id]["description"] = _text(page.raw["help"], lang)
        if page.raw.get("months"):
            pages[page.id]["x-months"] = page.raw["months"]
        order.append(page.id)
    title = _text(comp.ruleset.title, lang)
    enterprise = {
        "type": "object", "title": _text({"zh": "企业", "en": "Enterprise"}, lang),
        "properties": {k: {"type": "string", "title": _text(v, lang)} for k, v in (
            ("name", {"zh": "企业名称", "en": "Name"}),
            ("credit_code", {"zh": "统一社会信用代码", "en": "Unified social credit code"}),
            ("province", {"zh": "省份", "en": "Province"}))},
    }
    names = _regional_provinces(comp, year)
    if names:
        # The year's grid factor goes by the enterprise's regional grid: the province is needed,
        # one of those the rules' province-to-grid table maps to a grid with a factor.
        enterprise["required"] = ["province"]
        enterprise["properties"]["province"].update({"oneOf": [{"const": n, "title": n} for n in names], "description": _text({
            "zh": "按省份确定区域电网，从而确定企业法人边界的电网排放因子",
            "en": "Selects the regional grid, and so the grid factor of the legal-entity report"}, lang)})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{title} {year}" if year else title,
        "type": "object",
        "x-sector": comp.sector,
        "x-rulesets": [rs.id for rs in comp.rulesets],
        **({"x-programme": pilot} if pilot else {}),
        "x-page-order": order,
        **({"x-lang": lang} if lang else {}),
        # The envelope too, so that what a host app builds from this form is a whole submission.
        "required": ["sector", "year", "pages"] + (["enterprise"] if names else []) + (["programme"] if pilot else []),
        "properties": {
            "sector": {"type": "string", "const": comp.sector, "title": _text({"zh": "行业", "en": "Sector"}, lang)},
            # A provincial pilot's form is for that programme's reports only: its submissions name it.
            **({"programme": {"type": "string", "const": pilot, "title": _text({"zh": "报告类型", "en": "Programme"}, lang)}}
               if pilot else {}),
            "year": {**_year_schema(comp, year), "title": _text({"zh": "报告年度", "en": "Reporting year"}, lang)},
            "enterprise": enterprise,
            "calorie": {"type": "string", "title": _text({"zh": "卡与焦耳的换算", "en": "Calorie"}, lang),
                        "description": _text({"zh": "以 kcal 填报的数据按每 kcal 多少 kJ 换算；缺省 4.1868",
                                              "en": "kJ per kcal for inputs given in kcal. Default 4.1868."}, lang),
                        "oneOf": [{"const": "4.1868", "title": _text({"zh": "国际蒸汽表卡 4.1868 kJ", "en": "International Table calorie, 4.1868 kJ"}, lang)},
                                  {"const": "4.1816", "title": _text({"zh": "20 ℃ 卡 4.1816 kJ", "en": "20 °C calorie, 4.1816 kJ"}, lang)}]},
            "parameters": _parameters_schema(comp, year, lang),
            "pages": {"type": "object", "title": _text({"zh": "填报页面", "en": "Pages"}, lang),
                      "additionalProperties": False, "properties": pages},
        },
        "$defs": defs,
    }


def _regional_provinces(comp: Composition, year: int | None) -> list[str]:
    """The province names a form accepts when a grid factor the formulas use goes by region
    in ``year``; empty when none does."""
    if year is None or comp.grid is None:
        return []
    used = set()
    for page in comp.pages:
        for f in page.formulas:
            for case in f.cases:
                for compiled in case.expr.values():
                    used.update(compiled.names)
    for name, (param, _rs) in comp.parameters.items():
        if param.grid is None or name not in used:
            continue
        _prog, rule = comp.grid.rule_for(comp.grid.programme_of(param.grid, None), year, comp.sector)
        if rule is not None and rule["factor"] == "regional":
            return [row["label"]["zh"] for row in comp.grid.provinces.values() if row["series"] is not None]
    return []


def _parameters_schema(comp: Composition, year: int | None, lang: str | None) -> dict:
    """The parameters a submission may supply, each a number (in the parameter's unit) or an object
    {value, unit, note}; those the formulas use but the rules give no value for in ``year`` (the grid
    factor of a year no notice has set) are required and listed in ``x-needed``."""
    used = set()
    for page in comp.pages:
        for f in page.formulas:
            for case in f.cases:
                for compiled in list(case.expr.values()) + list(case.when.values()):
                    used.update(compiled.names)
        for s in page.summaries:
            for _spec, compiled in s.formulas:
                used.update(compiled.names)
    props, missing = {}, []
    for name, (param, _rs) in sorted(comp.parameters.items()):
        if name not in used:
            continue
        known = param.at(year) if year is not None else None
        unit = U.display(param.unit) if param.unit not in ("", "1") else ""
        shown = shown_figure(known.value) if known is not None else ""
        chosen = param.grid is not None and year is not None and not comp.grid.needs_supply(
            year, comp.grid.programme_of(param.grid, None), comp.sector)
        if chosen:
            # Chosen per report by the grid rules (programme, year, sector, province): not required
            # of the form; a report the rules cannot choose for is refused with the reason.
            fixed = comp.grid.fixed_value(year, comp.grid.programme_of(param.grid, None), comp.sector)
            description = _text({"zh": f"规则给出 {year} 年的值 {shown_figure(fixed)} {unit}；填报的值在计算说明中标为报告方提供。",
                                 "en": f"The rules give {shown_figure(fixed)} {unit} for {year}; a supplied value is marked in the trace."}
                                if fixed is not None else
                                {"zh": "规则按报告类型、报告年度及企业所在省份（区域电网）选取；填报的值将取代之并在计算说明中标明。",
                                 "en": "The rules choose it by programme, reporting year and the enterprise's province (regional grid); "
                                       "a supplied value replaces it and is marked in the trace."}, lang)
        elif known is not None:
            description = _text({"zh": f"规则给出 {year} 年的值 {shown} {unit}；填报的值在计算说明中标为报告方提供。",
                                 "en": f"The rules give {shown} {unit} for {year}; a supplied value is marked in the trace."}, lang)
        else:
            description = _text({"zh": f"规则未给出 {year} 年的值，须填报。", "en": f"The rules give no value for {year}: supply it."}, lang)
        props[name] = {
            "title": _with_unit(_text(param.label, lang), unit, lang),
            "description": description.replace("  ", " "),
            **({"x-unit": unit} if unit else {}),
            "oneOf": [
                {"type": "number", "title": _with_unit(_text({"zh": "数值", "en": "Value"}, lang), unit, lang)},
                {"type": "object", "title": _text({"zh": "带单位与说明的数值", "en": "Value with unit and note"}, lang),
                 "required": ["value"], "additionalProperties": False,
                 "properties": {"value": {"type": "number", "title": _text({"zh": "数值", "en": "Value"}, lang)},
                                "unit": {"type": "string", "title": _text({"zh": "单位", "en": "Unit"}, lang),
                                         **({"default": unit} if unit else {})},
                                "note": {"type": "string", "title": _text({"zh": "说明", "en": "Note"}, lang)}}},
            ],
        }
        if known is None and year is not None and not chosen:
            missing.append(name)
    schema = {"type": "object", "title": _text({"zh": "参数", "en": "Parameters"}, lang),
              "additionalProperties": False, "properties": props, "x-needed": missing}
    if missing:
        schema["required"] = missing
    return schema


def _condition(text: str) -> dict | None:
    """JSON Schema of a case condition made of ``field == 'v'`` joined by ``or`` (None if other)."""
    node = ast.parse(text, mode="eval").body
    parts = node.values if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) else [node]
    field, values = None, []
    for p in parts:
        if not (isinstance(p, ast.Compare) and len(p.ops) == 1 and isinstance(p.ops[0], ast.Eq)
                and isinstance(p.left, ast.Name) and isinstance(p.comparators[0], ast.Constant)
                and field in (None, p.left.id)):
            return None
        field = p.left.id
        values.append(p.comparators[0].value)
    return {"properties": {field: {"enum": values}}, "required": [field]}


def _required_when(page, required: set) -> list[dict]:
    """``if``/``then`` rules: an input a formula's case uses, with no default, is required when
    that case applies (a plain equality on a choice; the last case when none of the others does)."""
    table_field = next((f.id for f in page.fields.values() if f.raw.get("table")), None)

    def present(*fids):
        # The names are restated as empty schemas beside ``required``: Ajv's strict mode
        # (strictRequired) refuses a ``required`` inside allOf/anyOf/then whose names the same
        # subschema does not declare, even when the row's ``properties`` do.
        return {"properties": {f: {} for f in fids}, "required": list(fids)}

    def need(fid):
        """JSON Schema that ``fid`` is there or can be defaulted; None when it always can be."""
        fbs = page.fields[fid].raw.get("fallbacks") or []
        if not fbs:
            return present(fid)
        if table_field and all("column" in fb for fb in fbs):  # from the chosen table row
            if page.fields[table_field].raw.get("default") is not None:
                return None  # the table field defaults to a row, which gives the column
            return {"anyOf": [present(fid), present(table_field)]}
        return None

    rules = []
    for formula in page.formulas:
        earlier = []
        for case in formula.cases:
            uses = next(iter(case.expr.values())).names
            needed = [x for n in uses if n in page.fields and n not in required and (x := need(n))]
            if case.when_text:
                cond = _condition(case.when_text)
                if cond is None:
                    break  # a condition the form cannot state: no rule for this or any later case
                earlier.append(cond)
            elif earlier:
                cond = {"not": {"anyOf": list(earlier)}}
            else:
                cond = None
            if needed:
                then = needed[0] if len(needed) == 1 else {"allOf": needed}
                rules.append({"if": cond, "then": then} if cond else then)
    return rules


def _year_schema(comp: Composition, year: int | None) -> dict:
    if year is not None:
        return {"type": "integer", "const": year}
    rs = comp.ruleset
    return {"type": "integer", "minimum": rs.year_from, **({"maximum": rs.year_to} if rs.year_to is not None else {})}
