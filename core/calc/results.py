"""What a calculation produces: provenance of values, findings, rows, emissions, the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..base.findings import Finding
from ..rules.ruleset import Citation, ParamValue
from .compose import Composition, PageSpec

#: Measurement frequencies, most frequent first (a field's ``min_frequency`` is one of them).
FREQUENCIES = ["per_batch", "daily", "weekly", "monthly", "quarterly", "yearly"]
#: Provenance kinds that count as measured for the mean-of-measured-months rule.
MEASURED_KINDS = ("input", "measured")


@dataclass(slots=True)
class Prov:
    """Where a value comes from."""

    kind: str  # input | measured | default | parameter | computed | substituted
    citation: Citation | None = None
    rule: dict | None = None
    original: tuple | None = None  # (value text, unit text) before conversion or rounding
    factor: Decimal | None = None
    note: str = ""
    verified: bool = True
    basis: str | None = None
    frequency: str | None = None
    #: The ruleset figure a default came from: a parameter name, or ``tables.<table>.<row>``.
    figure: str = ""


@dataclass(slots=True)
class RowState:
    index: int
    values: dict
    prov: dict
    binding: tuple = ()
    cases: dict = field(default_factory=dict)  # formula id -> case index
    unrounded: dict = field(default_factory=dict)
    discarded: dict = field(default_factory=dict)  # field id -> (value, Prov) not used
    bad: frozenset = frozenset()  # fields whose input was refused (already reported)
    #: In a reporting year split between editions: the :class:`MonthEdition` the row's month was
    #: calculated under (its page spec, parameters and why); None in a year one edition governs.
    edition: object = None
    #: field id -> why the chosen table row gives no default for it (the row's note), for the refusal
    no_default: dict = field(default_factory=dict)


@dataclass(frozen=True)
class MonthEdition:
    """The edition governing some months of a split reporting year, as a calculation uses it: the
    period (months, ruleset, why), that edition's composition and its parameters for the year."""

    period: object  # rules.ruleset.Period
    comp: Composition
    params: dict
    refused: dict = field(default_factory=dict)  # grid parameters its rules cannot choose (as calculate's)

    def spec(self, page_id: str) -> PageSpec:
        return self.comp.page(page_id)


@dataclass
class PageResult:
    spec: PageSpec
    rows: list[RowState]
    summaries: list[dict]


@dataclass(slots=True)
class Emission:
    page: str
    row: int
    formula: str
    gas: str
    category: str
    mass: Decimal
    co2e: Decimal
    label: str


@dataclass
class Result:
    comp: Composition
    year: int
    submission: dict
    params: dict[str, ParamValue]
    pages: list[PageResult]
    emissions: list[Emission]
    totals: dict
    gases: dict
    total: Decimal
    shares: dict
    source_name: str = ""
    used_params: set = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)  # warnings of the calculation, then of the sector's own checks
    #: Defaults read by an evaluated formula: ruleset figure (parameter name or ``tables.<table>.<row>``) -> verified.
    used_defaults: dict = field(default_factory=dict)
    #: A reporting year split between editions: one :class:`MonthEdition` per period, in month order
    #: (empty when one edition governs the whole year).
    editions: list = field(default_factory=list)
    #: Where each of those defaults was read: figure -> sorted [(page id, row index, field id)].
    default_places: dict = field(default_factory=dict)

    def unverified_used(self) -> list[str]:
        """Every figure shipped ``verified: false`` that this calculation used, sorted.

        Parameters a formula names (by name), and the defaults that filled a field a formula read:
        a parameter named by a fallback (by name) or a lookup-table row (``tables.<table>.<row>``),
        such as the fuel-table defaults of an unmeasured fuel.
        """
        used = {n for n in self.used_params if n in self.params and not self.params[n].verified}
        used.update(name for name, verified in self.used_defaults.items() if not verified)
        return sorted(used)

    def figure_label(self, name: str) -> dict:
        """:func:`figure_label` of ``name`` under this calculation's rules."""
        return figure_label(self.comp, name)

    def page(self, page_id: str) -> PageResult:
        for p in self.pages:
            if p.spec.id == page_id:
                return p
        raise KeyError(page_id)


class Collector:
    """Gathers every finding of a calculation, so that all are reported at once."""

    def __init__(self):
        self.findings: list[Finding] = []
        #: findings that do not refuse the submission (a figure that looks like a slip): on the result
        self.warnings: list[Finding] = []

    def add(self, code, place, message, message_zh=""):
        self.findings.append(Finding(code, place, message, message_zh))

    def warn(self, code, place, message, message_zh="", **data):
        self.warnings.append(Finding(code, place, message, message_zh, "warning", data=data))


def figure_label(comp, name: str) -> dict:
    """{zh, en} of a ruleset figure as :meth:`Result.unverified_used` and the trace name it: a parameter's
    label, a GWP's gas, a lookup-table row's table and row (``tables.fuels.coke``: "常用化石燃料相关参数缺省值：
    焦炭"), what a reader is shown instead of the id."""
    if name.startswith("gwp_"):
        return {"zh": f"{name[4:]} 全球变暖潜势", "en": f"GWP of {name[4:]}"}
    if name.startswith("tables."):
        _, table, row = name.split(".", 2)
        spec = comp.tables.get(table, ({}, None))[0]
        rowd = spec.get("rows", {}).get(row, {})
        t, r = spec.get("label") or {}, rowd.get("label") or {}
        if t and r:
            return {"zh": f"{t.get('zh', table)}：{r.get('zh', row)}", "en": f"{t.get('en', table)}: {r.get('en', row)}"}
    elif name in comp.parameters:
        label = comp.parameters[name][0].label
        if label:
            return {"zh": label.get("zh") or label.get("en") or name, "en": label.get("en") or label.get("zh") or name}
    return {"zh": name, "en": name}
