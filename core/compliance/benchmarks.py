"""Each unit's emission intensity beside the allocation benchmark of its category (``Engine.benchmarks``).

The allocation plan names the summary its inputs come from (``input.figures``: page and summary)
and the field that gives each unit's category (``input.rows.category``); its benchmarks are the
figures in tCO2 per product that vary by category (the power plans' ``b_power`` in tCO2/MWh and
``b_heat`` in tCO2/GJ). An intensity of that summary in the same unit is compared with the
benchmark of the unit's category for the reporting year. A benchmark the plan does not give for
that year (it must be supplied) is left out, never guessed.
"""

from __future__ import annotations

from decimal import Decimal

from .plans import ALL, Plan


def _benchmark_names(plan: Plan) -> dict[str, str]:
    """{figure name: unit} of the plan's per-product figures in tCO2 per something that vary by category."""
    out = {}
    for name, raw in plan.data["figures"].items():
        unit = raw.get("unit", "")
        if not unit.startswith("tCO2/"):
            continue
        by_cat = "by_category" in raw or any(isinstance(e, dict) and "by_category" in e for e in raw.get("by_year", {}).values())
        if by_cat:
            out[name] = unit
    return out


#: id of a plan -> (the plan, its benchmark names, {(name, year, category): (FigureValue or None, citation
#: text)}): a plan does not change once loaded, and a batch compares thousands of reports with the same few
#: benchmarks (the plan is kept beside, so a reused id cannot match).
_MEMO: dict[int, tuple] = {}


def _memo(plan: Plan) -> tuple:
    got = _MEMO.get(id(plan))
    if got is None or got[0] is not plan:
        got = _MEMO[id(plan)] = (plan, _benchmark_names(plan), {})
    return got


def _benchmark(plan: Plan, figures: dict, name: str, year: int, category: str) -> tuple:
    """(plan.figure(name, year, category), its citation's text), worked out once per plan."""
    key = (name, year, category)
    got = figures.get(key)
    if got is None:
        fv = plan.figure(name, year, category)
        got = figures[key] = (fv, (fv.citation.text() if fv.citation else "") if fv is not None else "")
    return got


def benchmarks(plan: Plan, result) -> list[dict]:
    """For each unit of ``result`` (keyed as the plan keys units), each intensity of the plan's input
    summary that has a benchmark in the same unit: the intensity, the benchmark of the unit's category
    for the reporting year, and where the benchmark comes from."""
    _plan, names, figures = _memo(plan)
    if not names:
        return []
    inp = plan.data["input"]
    key = inp.get("key")
    cat_ref = (inp.get("rows") or {}).get("category")
    categories: dict[str, str] = {}
    if cat_ref:
        try:
            for r in result.page(cat_ref["page"]).rows:
                categories[str(r.values.get(key))] = r.values.get(cat_ref["field"])
        except KeyError:
            return []
    where = {(f["page"], f["summary"]) for f in inp.get("figures", {}).values() if "summary" in f}
    out = []
    for page_id, summary_id in sorted(where):
        try:
            pr = result.page(page_id)
        except KeyError:
            continue
        spec = next((s for s in pr.spec.summaries if s.id == summary_id), None)
        if spec is None:
            continue
        intensities = [(f.id, f.raw["unit"], f.raw["label"]) for f, _c in spec.formulas if f.raw.get("unit") in names.values()]
        for sres in pr.summaries:
            if sres["summary"] != summary_id:
                continue
            group = sres["group"]
            unit_key = str(group.get(key)) if key in group else None
            category = categories.get(unit_key) if cat_ref else ALL
            if category is None:
                continue
            g = "".join(f"[{k}={v}]" for k, v in group.items())
            for fid, unit, label in intensities:
                value = sres["values"].get(fid)
                if not isinstance(value, Decimal) or value <= 0:
                    continue  # 0: nothing supplied to divide by (no heat supplied), not an intensity
                for name, bunit in names.items():
                    if bunit != unit:
                        continue
                    fv, citation = _benchmark(plan, figures, name, result.year, category)
                    if fv is None:
                        continue
                    cat_label = plan.data.get("categories", {}).get(category, {"zh": category, "en": category})
                    out.append({
                        "place": f"$.pages.{page_id}.summary{g}.{fid}", "unit_key": unit_key, "category": category,
                        "category_label": cat_label, "figure": fid, "label": label, "intensity": value,
                        "benchmark_name": name, "benchmark_label": plan.data["figures"][name]["label"],
                        "benchmark": fv.value, "unit": unit, "plan": plan.id, "year": result.year,
                        "verified": fv.verified, "citation": citation,
                    })
    return out
