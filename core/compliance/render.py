"""Allocation, compliance and calendar for people: a table, Markdown, and the trace as text."""

from __future__ import annotations

from ..base.numbers import fmt
from ..output.text import _md_table, _text_table
from ..output.trace import render_text
from .comply import table as comply_table

_T = {
    "unit": ("机组", "Unit"), "category": ("类别", "Category"), "allowance": ("配额量(tCO2)", "Allowance (tCO2)"),
    "pre": ("预分配(tCO2)", "Pre-allocation (tCO2)"), "emissions": ("经核查排放量(tCO2)", "Verified emissions (tCO2)"),
    "total": ("合计", "Total"), "plan": ("配额分配方案", "Allocation plan"), "unverified": ("未核实的方案取值与公式", "Unverified plan figures and formulas"),
    "supplied": ("调用方提供的取值", "Figures supplied by the caller"), "notes": ("说明", "Notes"),
    "trace": ("计算过程：mrv allocate --format explain", "How each figure was computed: mrv allocate --format explain"),
}


def t(key: str, lang: str) -> str:
    return _T[key][0 if lang == "zh" else 1]


def _category(alloc, cat: str, lang: str) -> str:
    label = (alloc.plan.data.get("categories") or {}).get(cat)
    return label[lang] if label else cat


def _head(alloc, lang: str) -> list[str]:
    name = alloc.enterprise.get("name", "")
    p = alloc.plan
    src = p.sources.get("plan") or next(iter(p.sources.values()))
    number = f"（{src['number']}）" if src.get("number") else ""
    return [f"{name}  {alloc.sector} {alloc.year}  ({p.id})".strip(),
            f"{t('plan', lang)}: {p.title[lang]} {number}".rstrip(), ""]


def unit_heading(plan, lang: str) -> str:
    """What the plan allocates to (机组 by default; a cement plan's 生产线)."""
    label = plan.data["input"].get("label")
    return label[lang] if label else t("unit", lang)


def item_label(plan, key: str, lang: str) -> str:
    """A plan item ("figures.b_power", "formulas.f_load", "compliance.gap_cap") as its reader knows it: its label."""
    kind, _, name = key.partition(".")
    label = None
    if kind == "figures":
        label = plan.data["figures"].get(name, {}).get("label")
    elif kind in ("formulas", "preallocation"):
        name = name.rpartition(".")[2]
        label = next((f.label for f in plan.formulas + plan.pre_formulas if f.id == name), None)
    return f"{label[lang]}（{name}）" if label and lang == "zh" else f"{label[lang]} ({name})" if label else key


def _rows(alloc, lang: str) -> tuple[list, list]:
    # A plan without unit categories (one rule for every line) gets no category column
    categorised = bool(alloc.plan.data["input"].get("category"))
    cols = [unit_heading(alloc.plan, lang)] + ([t("category", lang)] if categorised else []) + [t("allowance", lang), t("pre", lang), t("emissions", lang)]
    rows = [[u.unit] + ([_category(alloc, u.category, lang)] if categorised else []) + [fmt(u.allowance), fmt(u.preallocation), fmt(u.emissions)]
            for u in alloc.units]
    rows.append([t("total", lang)] + ([""] if categorised else []) + [fmt(alloc.total), fmt(alloc.pre_total), fmt(alloc.emissions)])
    return cols, rows


def _tail(alloc, lang: str) -> list[str]:
    out = []
    if alloc.supplied:
        out.append(f"{t('supplied', lang)}: " + ", ".join(f"{k} = {fmt(v)}" for k, v in alloc.supplied.items()))
    if alloc.unverified():
        out.append(f"{t('unverified', lang)}: " + ("、" if lang == "zh" else ", ").join(item_label(alloc.plan, k, lang) for k in alloc.unverified()))
    for n in alloc.notes:
        out.append(f"{t('notes', lang)}: {n[lang]}")
    return out


def allocation_table(alloc, lang: str = "zh") -> str:
    cols, rows = _rows(alloc, lang)
    lines = _head(alloc, lang) + [*_text_table(cols, rows, right_from=len(cols) - 3), ""] + _tail(alloc, lang) + [t("trace", lang)]
    return "\n".join(lines) + "\n"


def allocation_markdown(alloc, lang: str = "zh") -> str:
    cols, rows = _rows(alloc, lang)
    head = _head(alloc, lang)
    lines = [f"# {head[0]}", "", head[1], "", *_md_table(cols, rows, right_from=len(cols) - 3), ""]
    lines += [f"- {x}" for x in _tail(alloc, lang)]
    lines += ["", "```", render_text(alloc.nodes(), lang).rstrip(), "```"]
    return "\n".join(lines) + "\n"


def allocation_explain(alloc, lang: str = "zh") -> str:
    return "\n".join(_head(alloc, lang)) + "\n" + render_text(alloc.nodes(), lang)


def compliance_table(c, lang: str = "zh") -> str:
    return comply_table(c, lang)
