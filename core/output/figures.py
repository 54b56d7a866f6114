"""Every figure of a calculation by its place: what a verifier compares and a rule-version diff contrasts.

A figure is a formula's or summary's result (with its trace node), a resolved numeric field,
or a report total; its place is the JSON path a submission's ``reported`` figures use
(``$.pages.P[i].F``, ``$.totals.CATEGORY``, ``$.totals.total``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..calc.compose import fill
from ..rules.ruleset import CATEGORIES
from . import trace
from .report import CATEGORY_LABELS


@dataclass
class Figure:
    """A recomputed figure the enterprise may have reported."""

    place: str
    label: dict
    value: Decimal
    unit: str
    kind: str  # formula | summary | field | total
    node: object = None  # TraceNode for formula and summary figures
    emission: bool = False
    source: str = ""  # a field's provenance kind: input | measured | default | parameter | substituted ...


def figures_of(result) -> dict[str, Figure]:
    """Every figure of a calculation by place: formulas, summaries, resolved numeric fields, totals."""
    figs: dict[str, Figure] = {}
    for node in trace.build(result):
        place = node.place  # a property worked out on each read
        figs[place] = Figure(place, node.label, node.value, node.unit, "formula" if node.row is not None else "summary", node)
    for pr in result.pages:
        gas_formulas = {f.id for f in pr.spec.formulas if f.raw.get("gas")}
        for r in pr.rows:
            for fid in gas_formulas:
                p = f"$.pages.{pr.spec.id}[{r.index}].{fid}"
                if p in figs:
                    figs[p].emission = True
            for fid, f in pr.spec.fields.items():
                if f.numeric and fid in r.values:
                    p = f"$.pages.{pr.spec.id}[{r.index}].{fid}"
                    prov = r.prov.get(fid)
                    figs[p] = Figure(p, f.label, r.values[fid], fill(f.raw["unit"], dict(r.binding)), "field",
                                     source=prov.kind if prov is not None else "")
    for c in CATEGORIES:
        zh, en = CATEGORY_LABELS[c]
        figs[f"$.totals.{c}"] = Figure(f"$.totals.{c}", {"zh": zh, "en": en}, result.totals[c], "tCO2e", "total", emission=True)
    figs["$.totals.total"] = Figure("$.totals.total", {"zh": "排放总量", "en": "Total emissions"}, result.total, "tCO2e", "total", emission=True)
    return figs


def figure_rows(figures: dict[str, Figure]) -> list[dict]:
    """The figures of :func:`figures_of` as plain rows (place, kind, value, unit, decimals, source,
    emission, label {zh, en}), what a store of many reports keeps of each (``Engine.figures``, ``mrv batch``)."""
    out = []
    for f in figures.values():
        node = f.node
        out.append({"place": f.place, "kind": f.kind, "value": f.value, "unit": f.unit,
                    "decimals": getattr(node, "decimals", None) if node is not None else None,
                    "source": f.source or ("computed" if f.kind in ("formula", "summary") else ""),
                    "emission": f.emission, "label": f.label})
    return out
