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


@dataclass(slots=True)
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
    page: str | None = None  # the page id (None for report totals)
    row: int | None = None  # the row index (formulas and fields)
    name: str = ""  # the formula, summary formula, field or category id: the last part of place


#: Per page spec (by id, the spec kept beside it so a reused id cannot match): what is the same for every
#: report under it, worked out once per composition instead of once per row of every report: its gas
#: formulas, and its numeric fields with their label, unit template and whether that template has nothing
#: to fill (``{binding}``), the unit then being the template itself.
_PAGE_PLAN: dict[int, tuple] = {}


def _fixed(template: str) -> bool:
    return not template or "{" not in template


def _page_plan(spec) -> tuple:
    got = _PAGE_PLAN.get(id(spec))
    if got is None or got[0] is not spec:
        numeric = [(fid, f.raw["label"], f.raw["unit"], _fixed(f.raw["unit"])) for fid, f in spec.fields.items() if f.numeric]
        got = _PAGE_PLAN[id(spec)] = (spec, frozenset(f.id for f in spec.formulas if f.raw.get("gas")), numeric)
    return got


def figures_of(result) -> dict[str, Figure]:
    """Every figure of a calculation by place: formulas, summaries, resolved numeric fields, totals.

    In this order: the trace's nodes (page by page, each page's row formulas then its summaries), then the
    numeric fields page by page and row by row, then the totals; a place given twice keeps its first position
    and its last figure."""
    figs: dict[str, Figure] = {}
    # Which formulas are emissions: those with a gas on the report's own page (a month under another
    # edition included), by page id.
    gas: dict[str, frozenset] = {}
    for pr in result.pages:
        ids = _page_plan(pr.spec)[1]
        gas[pr.spec.id] = gas[pr.spec.id] | ids if pr.spec.id in gas else ids
    units: dict = {}  # (unit template, binding) -> unit text, for the templates with something to fill
    row_figure, summary_figure = trace.RowFigure, trace.SummaryFigure
    last_row = last_sres = None
    for node in trace.build(result):
        if type(node) is row_figure:
            # A row formula: read from what the node holds (its page view, row and formula spec), the row's
            # place prefix once per row rather than once per figure.
            r, f = node._row, node._f  # the trace's own package: its slots, read directly
            if r is not last_row:
                last_row, spec = r, node._page.spec
                page, index, values, binding = spec.id, r.index, r.values, r.binding
                prefix = f"$.pages.{page}[{index}]."
                emissions = gas.get(page, ())
            fid, raw = f.id, f.raw
            template = raw["unit"]
            if not template or "{" not in template:
                unit = template
            else:
                unit = units.get((template, binding))
                if unit is None:
                    unit = units[(template, binding)] = fill(template, dict(binding))
            place = prefix + fid
            figs[place] = Figure(place, raw["label"], values[fid], unit, "formula", node, fid in emissions, "", page, index, fid)
        elif type(node) is summary_figure:
            sres, f = node._sres, node._f
            if sres is not last_sres:
                last_sres, spage, svalues = sres, node._spec.id, sres["values"]
                group = "".join(f"[{k}={v}]" for k, v in (sres["group"] or {}).items())  # as trace's place
                sprefix = f"$.pages.{spage}.summary{group}."
            fid = f.id
            place = sprefix + fid
            raw = f.raw
            figs[place] = Figure(place, raw["label"], svalues[fid], raw["unit"], "summary", node, False, "", spage, None, fid)
        else:  # pragma: no cover - every node is one of the two; any other is read through its fields
            place = node.place
            row = node.row
            figs[place] = Figure(place, node.label, node.value, node.unit, "formula" if row is not None else "summary", node,
                                 row is not None and node.id in gas.get(node.page, ()), "", node.page, row, node.id)
    for pr in result.pages:
        page = pr.spec.id
        numeric = _page_plan(pr.spec)[2]
        for r in pr.rows:
            prefix = f"$.pages.{page}[{r.index}]."
            values, binding, prov_of, index = r.values, r.binding, r.prov.get, r.index
            for fid, label, template, fixed in numeric:
                if fid in values:
                    if fixed:
                        unit = template
                    else:
                        unit = units.get((template, binding))
                        if unit is None:
                            unit = units[(template, binding)] = fill(template, dict(binding))
                    prov = prov_of(fid)
                    p = prefix + fid
                    figs[p] = Figure(p, label, values[fid], unit, "field", None, False,
                                     prov.kind if prov is not None else "", page, index, fid)
    for c in CATEGORIES:
        zh, en = CATEGORY_LABELS[c]
        figs[f"$.totals.{c}"] = Figure(f"$.totals.{c}", {"zh": zh, "en": en}, result.totals[c], "tCO2e", "total", emission=True,
                                       name=c)
    figs["$.totals.total"] = Figure("$.totals.total", {"zh": "排放总量", "en": "Total emissions"}, result.total, "tCO2e", "total",
                                    emission=True, name="total")
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


#: The columns of :func:`figure_table`'s rows, in order (the ``figures`` table of ``mrv batch``, without its
#: document id).
FIGURE_COLUMNS = ("place", "page", "row", "name", "kind", "value", "value_real", "unit", "decimals", "source", "emission")


def figure_table(figures: dict[str, Figure], seen: set | None = None) -> tuple[list[tuple], list[tuple]]:
    """The figures of :func:`figures_of` as compact rows in :data:`FIGURE_COLUMNS` order (the exact value as
    text, ``value_real`` a binary copy, ``emission`` 0/1), and the labels ``(page, name, zh, en)`` of the
    figures whose ``(page, name)`` is not in ``seen`` (``''`` for a report total's page), which is updated.

    The same figures as :func:`figure_rows`, built once as tuples: cheap to send between processes and to
    insert into a database, and each label sent once per store rather than once per report."""
    rows, labels = [], []
    seen = set() if seen is None else seen
    for f in figures.values():
        node, value = f.node, f.value
        if node is None:
            decimals, source = None, f.source
        else:
            decimals, source = node.decimals, f.source or "computed"
        rows.append((f.place, f.page, f.row, f.name, f.kind, format(value, "f"), float(value), f.unit, decimals, source,
                     1 if f.emission else 0))
        key = (f.page or "", f.name)
        if key not in seen:
            seen.add(key)
            labels.append((*key, f.label.get("zh", ""), f.label.get("en", "")))
    return rows, labels
