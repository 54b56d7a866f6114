"""The calculation trace: one node per computed figure, rendered for people or machines.

Nodes are built from a :class:`~mrv_engine.core.calc.engine.Result` on demand, so a
calculation pays nothing for a trace nobody reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..base.errors import SelectionError
from ..base.numbers import fmt, shown
from ..calc.compose import fill
from ..calc.results import figure_label
from ..formula import units as U

KIND_TEXT = {
    "input": ("填报值", "input"),
    "measured": ("实测值", "measured"),
    "supplier": ("供应商数据", "supplier data"),
    "calculated": ("计算值（填报）", "calculated by the reporter"),
    "estimated": ("估算值", "estimated"),
    "default": ("缺省值", "ruleset default"),
    "substituted": ("替代值", "substituted"),
    "parameter": ("规则参数", "ruleset parameter"),
    "submission": ("报告方提供的参数", "supplied by the submission"),
    "computed": ("计算值", "computed"),
}


@dataclass(slots=True)
class Operand:
    name: str
    label: dict
    value: Decimal | str | None
    unit: str
    kind: str
    citation: str = ""
    rule: dict | None = None
    original: tuple | None = None
    note: str = ""
    verified: bool = True

    def as_dict(self) -> dict:
        d = {"name": self.name, "label": self.label, "value": fmt(self.value) if isinstance(self.value, Decimal) else self.value,
             "unit": U.display(self.unit), "source": self.kind}
        if self.citation:
            d["citation"] = self.citation
        if self.rule:
            d["rule"] = self.rule
        if self.original:
            d["original"] = {"value": self.original[0], "unit": U.display(self.original[1])}
        if self.note:
            d["note"] = self.note
        if not self.verified:
            d["verified"] = False
        return d


class _Figure:
    """What every trace node offers: its place and its JSON form."""

    __slots__ = ()

    @property
    def place(self) -> str:
        if self.row is not None:
            return f"$.pages.{self.page}[{self.row}].{self.id}"
        g = "".join(f"[{k}={v}]" for k, v in (self.group or {}).items())
        return f"$.pages.{self.page}.summary{g}.{self.id}"

    def as_dict(self) -> dict:
        d = {
            "place": self.place, "id": self.id, "label": self.label, "formula": self.formula,
            "operands": [o.as_dict() for o in self.operands], "value": fmt(self.value),
            "unit": U.display(self.unit), "ruleset": self.ruleset,
        }
        if self.condition:
            d["condition"] = self.condition
        if self.decimals is not None:
            d["rounding"] = {"method": "half_up", "decimals": self.decimals, "unrounded": fmt(self.unrounded)}
        if self.citation:
            d["citation"] = self.citation
        edition = self.edition
        if edition is not None:
            d["edition"] = edition
        return d

    @property
    def edition(self) -> dict | None:
        """In a reporting year split between editions: which edition governed this figure's month, and why."""
        return None


@dataclass(slots=True)
class TraceNode(_Figure):
    """A computed figure with everything its trace shows (page summaries are built as these)."""

    page: str
    row: int | None
    group: dict | None
    id: str
    label: dict
    formula: str
    condition: str | None
    operands: list
    value: Decimal
    unrounded: Decimal | None
    decimals: int | None
    unit: str
    citation: str = ""
    ruleset: str = ""


class RowFigure(_Figure):
    """A row formula's figure, read on demand from what the calculation recorded for the row
    (its values, their provenance, the case taken, the unrounded value): a trace costs
    nothing until it is read, and reading it gives the same fields as :class:`TraceNode`."""

    __slots__ = ("_page", "_row", "_f", "_ops")
    group = None

    def __init__(self, page: "_PageView", row, f):
        self._page, self._row, self._f, self._ops = page, row, f, None

    def parts(self) -> tuple:
        """(page, row, id, label, value, unit) in one call: what a figure by place needs of every row
        formula of a report (:func:`~mrv_engine.core.output.figures.figures_of`), without six property reads."""
        f, r, view = self._f, self._row, self._page
        raw = f.raw
        return view.spec.id, r.index, f.id, raw["label"], r.values[f.id], view.unit_of(raw["unit"], r.binding)

    @property
    def page(self) -> str:
        return self._page.spec.id

    @property
    def row(self) -> int:
        return self._row.index

    @property
    def id(self) -> str:
        return self._f.id

    @property
    def label(self) -> dict:
        return self._f.raw["label"]

    @property
    def _case(self):
        return self._f.cases[self._row.cases[self._f.id]]

    @property
    def formula(self) -> str:
        return self._case.text

    @property
    def condition(self) -> str | None:
        return self._case.when_text

    @property
    def value(self) -> Decimal:
        return self._row.values[self._f.id]

    @property
    def unrounded(self) -> Decimal | None:
        return self._row.unrounded.get(self._f.id)

    @property
    def decimals(self) -> int | None:
        return self._f.decimals

    @property
    def unit(self) -> str:
        return self._page.unit_of(self._f.raw["unit"], self._row.binding)

    @property
    def citation(self) -> str:
        return _cite(self._f.citation)

    @property
    def ruleset(self) -> str:
        return self._page.spec.ruleset.id

    @property
    def edition(self) -> dict | None:
        e = self._row.edition
        if e is None:
            return None
        return {"ruleset": e.period.ruleset.id, "months": {"from": e.period.lo, "to": e.period.hi},
                "why": e.period.why(self._page.result.year)}

    @property
    def operands(self) -> list[Operand]:
        if self._ops is None:
            self._ops = self._page.operands(self._case.expr[self._row.binding].names, self._row)
        return self._ops


class SummaryFigure(_Figure):
    """A page summary's figure (a :class:`TraceNode`'s fields): its operands and citation are worked out when
    read, like a :class:`RowFigure`'s, so tracing the thousands of reports of a batch costs little."""

    __slots__ = ("_compiled", "_f", "_ops", "_params", "_result", "_spec", "_sres", "_summary")
    row = None
    condition = None

    def __init__(self, result, spec, summary, fspec, compiled, sres: dict, params: dict):
        self._result, self._spec, self._summary, self._f, self._compiled, self._sres, self._params = \
            result, spec, summary, fspec, compiled, sres, params
        self._ops = None

    page = property(lambda self: self._spec.id)
    group = property(lambda self: self._sres["group"])
    id = property(lambda self: self._f.id)
    label = property(lambda self: self._f.raw["label"])
    formula = property(lambda self: self._f.raw["expr"])
    value = property(lambda self: self._sres["values"][self._f.id])
    unrounded = property(lambda self: self._sres["unrounded"].get(self._f.id))
    decimals = property(lambda self: self._f.decimals)
    unit = property(lambda self: self._f.raw["unit"])
    citation = property(lambda self: self._f.citation.text() if self._f.citation else "")
    ruleset = property(lambda self: self._spec.ruleset.id)

    @property
    def operands(self) -> list[Operand]:
        if self._ops is None:
            result, spec, s, params, env = self._result, self._spec, self._summary, self._params, self._sres["env"]
            ops = []
            for name in self._compiled.names:
                v = env.get(name)
                if name in result.params:
                    op = params.get(name)  # the same Operand the rows of the report's own edition show
                    if op is None:
                        op = params[name] = _param_operand(result, name)
                    ops.append(op)
                elif isinstance(v, list):
                    ops.append(Operand(name, _label_of(result.comp, spec, s, name), f"{len(v)} rows, sum {fmt(sum(v, Decimal(0)))}", "", "computed"))
                elif v is not None:
                    ops.append(Operand(name, _label_of(result.comp, spec, s, name), v, "", "computed"))
            self._ops = ops
        return self._ops


#: page spec by id (kept beside, so a reused id cannot match) -> (spec, {name: label}, {name: unit template})
_NAMES: dict[int, tuple] = {}


class _PageView:
    """Labels and units of one page's names, shared by the figures of its rows."""

    def __init__(self, spec, result, filled: dict, params: dict, edition=None):
        self.spec, self.result, self.filled, self.params = spec, result, filled, params
        #: the MonthEdition whose parameters the rows of this view read (a split year), else the report's
        self.values = edition.params if edition is not None else result.params
        self.comp = edition.comp if edition is not None else result.comp
        got = _NAMES.get(id(spec))
        if got is None or got[0] is not spec:  # the page's labels and units, from its rules alone: once per page spec
            labels = {fid: f.label for fid, f in spec.fields.items()}
            labels.update({f.id: f.raw["label"] for f in spec.formulas})
            units = {fid: f.raw.get("unit", "") for fid, f in spec.fields.items()}
            units.update({f.id: f.raw["unit"] for f in spec.formulas})
            got = _NAMES[id(spec)] = (spec, labels, units)
        self.labels, self.units = got[1], got[2]

    def unit_of(self, template: str, binding: tuple) -> str:
        key = (template, binding)
        text = self.filled.get(key)
        if text is None:
            text = self.filled[key] = fill(template, dict(binding))
        return text

    def operands(self, names, row) -> list[Operand]:
        ops = []
        for name in names:
            if name in row.values:
                p = row.prov[name]
                ops.append(Operand(name, self.labels[name], row.values[name], self.unit_of(self.units[name], row.binding),
                                   p.kind, _cite(p.citation), p.rule, p.original, p.note, p.verified))
            elif name in self.values:
                op = self.params.get(name)
                if op is None:
                    op = self.params[name] = _param_operand(self.result, name, self.values, self.comp)
                ops.append(op)
        return ops


def _cite(citation) -> str:
    return citation.shown if citation else ""


def _param_operand(result, name: str, values: dict | None = None, comp=None) -> Operand:
    values = result.params if values is None else values
    comp = result.comp if comp is None else comp
    pv = values[name]
    label = figure_label(comp, name)
    kind = "submission" if pv.origin == "submission" else "parameter"
    value = pv.value
    if kind == "parameter" and not name.startswith("gwp_"):
        param, rs = comp.parameters[name]
        raw = rs.data["parameters"][name].get("value")
        if isinstance(raw, str) and "/" in raw:
            value = raw  # an exact ratio such as 44/12 is shown as the ratio, not as its 50-digit expansion
    # A grid factor says which factor the rules chose and why (programme, year, region).
    return Operand(name, label, value, pv.unit, kind, pv.citation.text() if pv.citation else "", pv.why, None, pv.note, pv.verified)


def build(result) -> list:
    """One node per computed figure of ``result``: :class:`RowFigure` for row formulas,
    :class:`SummaryFigure` for page summaries (both read what the calculation recorded on demand)."""
    nodes: list = []
    filled: dict = {}  # (unit template, binding) -> unit text
    params: dict = {}  # parameter name -> its Operand (the same on every row)
    views: dict = {}  # id of a MonthEdition -> (its page view, its parameters' operands): a split year
    for pr in result.pages:
        spec = pr.spec
        view = _PageView(spec, result, filled, params)
        for r in pr.rows:
            cases = r.cases
            rview = view
            e = r.edition
            if e is not None and e.comp is not result.comp:  # a month under another edition: its page and parameters
                key = (id(e), spec.id)
                rview = views.get(key)
                if rview is None:
                    rview = views[key] = _PageView(e.spec(spec.id), result, filled, {}, e)
            for f in rview.spec.formulas:
                if f.id in cases:
                    nodes.append(RowFigure(rview, r, f))
        by_summary = {s.id: s for s in spec.summaries}
        for sres in pr.summaries:
            s = by_summary[sres["summary"]]
            for fspec, compiled in s.formulas:
                if fspec.id not in sres["values"]:
                    continue
                nodes.append(SummaryFigure(result, spec, s, fspec, compiled, sres, params))
    return nodes


#: (composition, page spec, summary) by id, each kept beside its labels so a reused id cannot match ->
#: {operand name: label}: the labels come from the rules alone, so they are looked up once per
#: composition, not once per report (a batch traces thousands of reports under the same rules).
_LABELS: dict[tuple, tuple] = {}


def _label_of(comp, spec, summary, name: str) -> dict:
    key = (id(comp), id(spec), id(summary))
    got = _LABELS.get(key)
    if got is None or got[0] is not comp or got[1] is not spec or got[2] is not summary:
        got = _LABELS[key] = (comp, spec, summary, {})
    labels = got[3]
    label = labels.get(name)
    if label is None:
        label = labels[name] = _summary_label(comp, spec, summary, name)
    return label


def _summary_label(comp, spec, summary, name: str) -> dict:
    """What a summary formula's operand is called where people read it: a column of this
    page by its field or formula label, ``page.field`` of another page as "page title · label",
    an earlier figure of the same summary by its label; the id only when nothing names it."""
    page, _, fid = name.rpartition(".")
    if page:
        try:
            other = comp.page(page)
        except KeyError:
            return {"zh": name, "en": name}
        inner = _summary_label(comp, other, None, fid)
        return {lang: f"{other.title[lang]} · {inner[lang]}" for lang in ("zh", "en")}
    if name in spec.fields:
        return spec.fields[name].label
    for f in spec.formulas:
        if f.id == name:
            return f.raw["label"]
    for s in ([summary] if summary else []) + [x for x in spec.summaries if x is not summary]:
        for fspec, _ in s.formulas:
            if fspec.id == name:
                return fspec.raw["label"]
    return {"zh": name, "en": name}


def _substituted_formula(node: TraceNode, lang: str) -> str:
    """``a × b`` with labels, and with values and units."""
    import re

    text = node.formula.replace("*", " × ").replace("/", " ÷ ")
    text = re.sub(r"\s+", " ", text)
    if not node.operands:
        return f"{text} = {text}"
    labels, as_text = {}, {}
    for op in node.operands:
        labels[op.name] = op.label[lang]
        value = shown(op.value) if isinstance(op.value, Decimal) else str(op.value)
        unit = U.display(op.unit)
        as_text[op.name] = f"{value} {unit}" if unit and unit != "1" else value
    # One pass over the formula, so a label that contains another operand's
    # name (e.g. "... per tonne of clinker" next to `clinker`) is not rewritten.
    names = sorted(labels, key=len, reverse=True)
    pattern = re.compile(rf"(?<![A-Za-z0-9_.])({'|'.join(re.escape(n) for n in names)})(?![A-Za-z0-9_])")
    labelled = pattern.sub(lambda m: labels[m.group(1)], text)
    valued = pattern.sub(lambda m: as_text[m.group(1)], text)
    return f"{labelled} = {valued}"


def operand_line(op: Operand, lang: str = "zh") -> str:
    """One operand for people: label, name, value and unit — its source; conversion or
    rounding; the substitution rule; the citation; a note; whether it is unverified."""
    zh = lang == "zh"
    sep = "；" if zh else "; "
    kind = KIND_TEXT.get(op.kind, (op.kind, op.kind))[0 if zh else 1]
    value = shown(op.value) if isinstance(op.value, Decimal) else str(op.value)
    unit = U.display(op.unit) if op.unit != "1" else ""
    details = [kind]
    if op.original:
        converted = U.normalize(op.original[1].split(" (")[0]) != U.normalize(op.unit)
        if zh:
            details.append(f"{'换算自' if converted else '修约自'} {op.original[0]} {U.display(op.original[1])}")
        else:
            details.append(f"{'converted from' if converted else 'rounded from'} {op.original[0]} {U.display(op.original[1])}")
    if op.rule:
        details.append(f"{'规则' if zh else 'rule'}: {op.rule[lang]}")
    if op.citation:
        details.append(f"{'依据' if zh else 'source'}: {op.citation}")
    if op.note:
        details.append(f"({op.note})")
    if not op.verified:
        details.append("[未核实 UNVERIFIED]" if zh else "[UNVERIFIED figure]")
    return f"{op.label[lang]} ({op.name}) = {value} {unit}".rstrip() + " — " + sep.join(details)


def field_operand(spec, row, fid: str) -> Operand:
    """A row's field as an operand, with its provenance."""
    p = row.prov.get(fid)
    unit = fill(spec.fields[fid].raw.get("unit", ""), dict(row.binding))
    if p is None:
        return Operand(fid, spec.fields[fid].label, row.values.get(fid), unit, "input")
    return Operand(fid, spec.fields[fid].label, row.values.get(fid), unit, p.kind, _cite(p.citation),
                   p.rule, p.original, p.note, p.verified)


def render_text(nodes: list[TraceNode], lang: str = "zh") -> str:
    """Indented, human-readable trace in Chinese (``zh``) or English (``en``)."""
    zh = lang == "zh"
    lines = []
    for n in nodes:
        head = f"{n.label[lang]}  [{n.place}]"
        lines.append(head)
        result = f"{shown(n.value)} {U.display(n.unit)}"
        lines.append(f"  {_substituted_formula(n, lang)} = {result}")
        if n.condition:
            lines.append(f"  {'适用条件' if zh else 'case'}: {n.condition}")
        if n.decimals is not None:
            lines.append(f"  {'修约' if zh else 'rounding'}: {shown(n.unrounded)} → {fmt(n.value)} "
                         f"({'四舍五入保留' if zh else 'half up to'} {n.decimals} {'位小数' if zh else 'decimals'})")
        for op in n.operands:
            lines.append("    " + operand_line(op, lang))
        if n.citation:
            lines.append(f"  {'公式依据' if zh else 'formula source'}: {n.citation} [{n.ruleset}]")
        edition = n.edition
        if edition is not None:
            lines.append(f"  {'本月适用规则版本' if zh else 'edition of this month'}: {edition['why'][lang]}")
    return "\n".join(lines) + "\n"


def select(nodes: list, figure: str | None = None, page: str | None = None) -> list:
    """The nodes of one figure (its JSON path; a row's path gives all its figures) and/or one page.

    ``figure`` may leave out the leading ``$.`` (``pages.fuel[0].emissions``). Nothing matching is
    a :class:`SelectionError` that names the figures or pages there are, so a reader can pick one.
    """
    chosen = nodes
    if page is not None:
        chosen = [n for n in chosen if n.page == page]
        if not chosen:
            pages = sorted({n.page for n in nodes})
            raise SelectionError(f"no figure on page {page!r}; pages with figures: {', '.join(pages) or 'none'}",
                                 message_zh=f"页面 {page!r} 没有计算结果；有结果的页面：{'、'.join(pages) or '无'}")
    if figure is not None:
        path = figure if figure.startswith("$") else "$." + figure.lstrip(".")
        exact = [n for n in chosen if n.place == path]
        chosen = exact or [n for n in chosen if n.place.startswith(path + ".") or n.place.startswith(path + "[")]
        if not chosen:
            near = [n.place for n in nodes if n.place.startswith(path.rsplit(".", 1)[0])][:5] or [n.place for n in nodes][:5]
            raise SelectionError(f"no figure at {path}; figures are, for example: {', '.join(near)}",
                                 message_zh=f"{path} 处没有计算结果；例如有：{'、'.join(near)}")
    return chosen
