"""The composed form of a sector and year as JSON Schema (2020-12), for host apps to render."""

from __future__ import annotations

from . import units as U
from .compose import Composition, fill


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
        "properties": {"pages": {"type": "object", "additionalProperties": False, "properties": pages}},
        "$defs": defs,
    }
