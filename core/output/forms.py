"""The composed form of a sector and year as JSON Schema (2020-12), for host apps to render."""

from __future__ import annotations

from ..calc.compose import Composition, fill
from ..formula import units as U


def _value_schema(f, page) -> dict:
    raw = f.raw
    if raw["type"] == "text":
        return {"type": "string"}
    if raw["type"] == "choice":
        if raw.get("table"):
            return {"$ref": f"#/$defs/table_{raw['table']}"}
        labels = raw.get("choice_labels", {})
        return {"enum": raw.get("choices", []), "x-labels": labels} if labels else {"enum": raw.get("choices", [])}
    unit = raw["unit"]
    number = {"type": ["string", "number"], "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
              "description": "An exact decimal, best given as text."}
    obj = {
        "type": "object",
        "required": ["value"],
        "additionalProperties": False,
        "properties": {
            "value": number,
            "unit": {"type": "string", "description": f"Any unit of the same dimension as {U.display(unit)}; converted exactly."},
            "source": {"enum": ["input", "measured", "supplier", "calculated", "estimated"]},
            "frequency": {"enum": ["per_batch", "daily", "weekly", "monthly", "quarterly", "yearly"]},
            "basis": {"type": "string"},
            "calorie": {"enum": ["4.1868", "4.1816"]},
            "note": {"type": "string"},
        },
    }
    schema = {"anyOf": [number, obj]}
    if raw.get("priority"):
        schema["anyOf"].append({"type": "array", "items": obj})
    meta = {"x-unit": U.display(unit)}
    if "{" in unit:
        var = unit[unit.index("{") + 1:unit.index("}")]
        meta["x-unit-depends-on"] = page.raw["unit_vars"][var]
    for key in ("decimals", "minimum", "maximum", "min_frequency", "priority"):
        if key in raw:
            meta[f"x-{key.replace('_', '-')}"] = str(raw[key]) if key in ("minimum", "maximum") else raw[key]
    if raw.get("fallbacks"):
        meta["x-fallbacks"] = [fb["rule"] for fb in raw["fallbacks"]]
    return {**schema, **meta}


def form_schema(comp: Composition, year: int | None = None) -> dict:
    pages = {}
    order = []
    defs = {}
    for page in comp.pages:
        props, required = {}, []
        for fid, f in page.fields.items():
            s = _value_schema(f, page)
            s["title"] = f"{f.label['zh']} / {f.label['en']}"
            if "help" in f.raw:
                s["description"] = f"{f.raw['help']['zh']} / {f.raw['help']['en']}"
            props[fid] = s
            if f.raw.get("required"):
                required.append(fid)
            if f.raw.get("table"):
                t = comp.tables[f.raw["table"]][0]
                defs[f"table_{f.raw['table']}"] = {
                    "enum": list(t["rows"]),
                    "x-labels": {rid: row["label"] for rid, row in t["rows"].items()},
                }
        computed = {
            f.id: {"title": f"{f.raw['label']['zh']} / {f.raw['label']['en']}", "x-unit": U.display(fill(f.raw["unit"], {})),
                   "x-formula": [c.text for c in f.cases], **({"x-decimals": f.decimals} if f.decimals is not None else {}),
                   **({"x-gas": f.raw["gas"], "x-category": f.raw["category"]} if f.raw.get("gas") else {})}
            for f in page.formulas
        }
        pages[page.id] = {
            "title": f"{page.title['zh']} / {page.title['en']}",
            "type": "array",
            "x-role": page.role,
            "x-ruleset": page.ruleset.id,
            "x-computed": computed,
            "items": {"type": "object", "additionalProperties": False, "properties": props, "required": required},
        }
        conditional = _required_when(page, set(required))
        if conditional:
            pages[page.id]["items"]["allOf"] = conditional
        if page.raw.get("months"):
            pages[page.id]["x-months"] = page.raw["months"]
        order.append(page.id)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{comp.sector} {year or ''} — {comp.ruleset.title['zh']} / {comp.ruleset.title['en']}".strip(),
        "type": "object",
        "x-sector": comp.sector,
        "x-rulesets": [rs.id for rs in comp.rulesets],
        "x-page-order": order,
        # The envelope too, so that what a host app builds from this form is a whole submission.
        "required": ["sector", "year", "pages"],
        "properties": {
            "sector": {"const": comp.sector},
            "year": _year_schema(comp, year),
            "enterprise": {"type": "object", "properties": {k: {"type": "string"} for k in ("name", "credit_code", "province")}},
            "calorie": {"enum": ["4.1868", "4.1816"], "description": "kJ per kcal for inputs given in kcal. Default 4.1868."},
            "parameters": _parameters_schema(comp, year),
            "pages": {"type": "object", "additionalProperties": False, "properties": pages},
        },
        "$defs": defs,
    }


def _parameters_schema(comp: Composition, year: int | None) -> dict:
    """The parameters a submission may supply; those the formulas use but the rules give no
    value for in ``year`` (the grid factor of a year no notice has set) are listed as needed."""
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
        props[name] = {
            "title": f"{param.label['zh']} / {param.label['en']}",
            "x-unit": U.display(param.unit),
            "description": (f"The rules give {known.value} {U.display(param.unit)} for {year}; a supplied value is marked in the trace."
                            if known is not None else f"The rules give no value for {year}: supply it. {param.note}".strip()),
        }
        if known is None and year is not None:
            missing.append(name)
    schema = {"type": "object", "properties": props, "x-needed": missing}
    if missing:
        schema["required"] = missing
    return schema


def _condition(text: str) -> dict | None:
    """JSON Schema of a case condition made of ``field == 'v'`` joined by ``or`` (None if other)."""
    import ast

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

    def need(fid):
        """JSON Schema that ``fid`` is there or can be defaulted; None when it always can be."""
        fbs = page.fields[fid].raw.get("fallbacks") or []
        if not fbs:
            return {"required": [fid]}
        if table_field and all("column" in fb for fb in fbs):  # from the chosen table row
            return {"anyOf": [{"required": [fid]}, {"required": [table_field]}]}
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
        return {"const": year}
    rs = comp.ruleset
    return {"type": "integer", "minimum": rs.year_from, **({"maximum": rs.year_to} if rs.year_to is not None else {})}
