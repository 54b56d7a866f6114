"""Verification: recompute a submission under its year's rules, compare with what was reported, check.

    from mrv_engine import Engine
    from mrv_engine.core.verify.recompute import verify
    report = verify(Engine(), submission)          # a VerificationReport
    report.findings, report.summary, report.to_dict()

A submission may carry ``reported`` figures keyed by trace place
(``$.pages.P[i].F``, ``$.totals.CATEGORY``, ``$.totals.total``). Each is compared
with the recomputed figure *at the reported decimals*: a reported figure agrees
when the recomputed one lies within half a unit of its last decimal
(``|verified - reported| <= 0.5 * 10^-d``), in exact decimals.

Findings are data (:class:`VFinding`): a stable code, a severity (``error`` a figure
is wrong; ``must_correct`` the report or plan breaks a rule and must be corrected;
``observation`` worth a look), the place (JSON path), the rule and its citation, and
a message in Chinese and English. The host's common checks live in
:mod:`mrv_engine.core.verify.checks`; a sector plugin adds its own through the
``mrv_checks`` hook (``register(code, check)``, ``check(result) -> list[dict]``).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..base.errors import InputError
from ..base.numbers import NotANumber, fmt, round_half_up, to_decimal
from ..rules.ruleset import CATEGORIES

SEVERITIES = ("error", "must_correct", "observation")
SEVERITY_TEXT = {
    "error": ("错误", "error"),
    "must_correct": ("须更正", "must correct"),
    "observation": ("观察项", "observation"),
}
_PLACE = re.compile(r"^\$\.pages\.([A-Za-z_][A-Za-z0-9_]*)\[(\d+)\]\.([A-Za-z_][A-Za-z0-9_]*)$")


@dataclass
class VFinding:
    """One verification finding."""

    code: str
    severity: str  # error | must_correct | observation
    place: str
    rule: dict  # {zh, en}
    citation: str
    message: dict  # {zh, en}
    data: dict = field(default_factory=dict)
    origin: str = "host"  # host, or the sector plugin that registered the check

    def as_dict(self) -> dict:
        d = {"code": self.code, "severity": self.severity, "place": self.place, "rule": self.rule,
             "citation": self.citation, "message": self.message, "origin": self.origin}
        if self.data:
            d["data"] = {k: (fmt(v) if isinstance(v, Decimal) else v) for k, v in self.data.items()}
        return d


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


@dataclass
class Comparison:
    place: str
    label: dict
    unit: str
    reported_text: str
    reported: Decimal | None
    verified: Decimal | None
    difference: Decimal | None  # reported - verified
    share: Decimal | None  # difference / verified, in percent
    agrees: bool
    tolerance: Decimal | None
    emission: bool = False

    def show(self, value: Decimal | None) -> str:
        """``value`` for people: an unrounded formula result (more than 10 decimals) is shown with two
        decimals more than the reported figure (at least 4); the exact value stays in the JSON."""
        if value is None:
            return "—"
        if self.tolerance is not None and -value.as_tuple().exponent > 10:  # an unrounded result
            places = max(-self.tolerance.as_tuple().exponent + 1, 4)  # reported decimals + 2, at least 4
            return fmt(value.quantize(Decimal(1).scaleb(-places)))
        return fmt(value)

    def as_dict(self) -> dict:
        return {"place": self.place, "label": self.label, "unit": self.unit, "reported": self.reported_text,
                "verified": fmt(self.verified) if self.verified is not None else None,
                "difference": fmt(self.difference) if self.difference is not None else None,
                "share_percent": fmt(self.share) if self.share is not None else None,
                "tolerance": fmt(self.tolerance) if self.tolerance is not None else None,
                "agrees": self.agrees}


@dataclass
class VerificationReport:
    """What ``verify`` returns; :meth:`to_dict` is the JSON form."""

    submission: dict
    source_name: str
    sector: str
    year: int
    rulesets: list  # [(id, sha256)]
    result: object | None  # engine Result of the verified recomputation (None when it could not be computed)
    comparisons: list[Comparison]
    summary: list[dict]
    findings: list[VFinding]
    figures: dict

    @property
    def differing(self) -> list[Comparison]:
        """Reported figures that do not hold, largest difference first (emissions before other figures)."""
        bad = [c for c in self.comparisons if not c.agrees and c.difference is not None]
        return sorted(bad, key=lambda c: (not c.emission, -abs(c.difference)))

    def counts(self) -> dict:
        return {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}

    def traces(self) -> dict:
        """place -> TraceNode of every differing formula figure."""
        return {c.place: self.figures[c.place].node for c in self.differing
                if c.place in self.figures and self.figures[c.place].node is not None}

    def to_dict(self) -> dict:
        from ..output.report import engine_version

        out = {
            "engine": {"name": "mrv-engine", "version": engine_version()},
            "kind": "verification",
            "file": self.source_name,
            "enterprise": self.submission.get("enterprise", {}),
            "sector": self.sector,
            "year": self.year,
            "rulesets": [{"id": i, "sha256": d} for i, d in self.rulesets],
            "conclusion": self.counts(),
            "summary": [{k: (fmt(v) if isinstance(v, Decimal) else v) for k, v in row.items()} for row in self.summary],
            "findings": [f.as_dict() for f in self.findings],
            "comparisons": [c.as_dict() for c in self.comparisons],
            "traces": [n.as_dict() for n in self.traces().values()],
        }
        if self.result is not None:
            from ..output.report import to_dict

            out["recomputed"] = to_dict(self.result)
        return out


# -- building blocks ----------------------------------------------------------------

def tolerance_of(text: str) -> Decimal:
    """Half a unit of the last decimal of ``text`` (``"12.30"`` -> 0.005)."""
    d = to_decimal(text)
    exp = d.as_tuple().exponent
    return Decimal(5).scaleb(exp - 1)


def agrees(reported_text: str, value: Decimal) -> bool:
    return abs(value - to_decimal(reported_text)) <= tolerance_of(reported_text)


def number_text(raw) -> str:
    """The text of a reported number as the user wrote it (JSON numbers arrive as Decimal or int)."""
    if isinstance(raw, float):  # a float from a Python caller: its shortest repr is what was written
        return repr(raw)
    if isinstance(raw, Decimal):
        return format(raw, "f")
    return str(raw).strip()


def figures_of(result) -> dict[str, Figure]:
    """Every figure of a calculation by place: formulas, summaries, resolved numeric fields, totals."""
    from ..output import trace
    from ..calc.compose import fill

    figs: dict[str, Figure] = {}
    for node in trace.build(result):
        figs[node.place] = Figure(node.place, node.label, node.value, node.unit, "formula" if node.row is not None else "summary", node)
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
                    figs[p] = Figure(p, f.label, r.values[fid], fill(f.raw["unit"], dict(r.binding)), "field")
    from ..output.report import CATEGORY_LABELS

    for c in CATEGORIES:
        zh, en = CATEGORY_LABELS[c]
        figs[f"$.totals.{c}"] = Figure(f"$.totals.{c}", {"zh": zh, "en": en}, result.totals[c], "tCO2e", "total", emission=True)
    figs["$.totals.total"] = Figure("$.totals.total", {"zh": "排放总量", "en": "Total emissions"}, result.total, "tCO2e", "total", emission=True)
    return figs


def compare(reported: dict, figures: dict[str, Figure]) -> list[Comparison]:
    out = []
    for place, raw in (reported or {}).items():
        text = number_text(raw)
        fig = figures.get(place)
        try:
            rep = to_decimal(text)
        except NotANumber:
            out.append(Comparison(place, fig.label if fig else {"zh": place, "en": place}, fig.unit if fig else "", text,
                                  None, fig.value if fig else None, None, None, False, None, bool(fig and fig.emission)))
            continue
        if fig is None:
            out.append(Comparison(place, {"zh": place, "en": place}, "", text, rep, None, None, None, False, None))
            continue
        tol = tolerance_of(text)
        diff = rep - fig.value
        share = round_half_up(diff * 100 / fig.value, 2) if fig.value else None
        out.append(Comparison(place, fig.label, fig.unit, text, rep, fig.value, diff, share, abs(diff) <= tol, tol, fig.emission))
    return out


def category_summary(reported: dict, figures: dict[str, Figure]) -> list[dict]:
    rows = []
    for key in list(CATEGORIES) + ["total"]:
        place = f"$.totals.{key}"
        fig = figures.get(place)
        raw = (reported or {}).get(place)
        row = {"category": key, "label": fig.label if fig else {"zh": key, "en": key},
               "verified": fig.value if fig else None, "reported": None, "difference": None, "share_percent": None}
        if raw is not None:
            try:
                rep = to_decimal(number_text(raw))
            except NotANumber:
                rep = None
            row["reported"] = rep
            if rep is not None and fig is not None:
                row["difference"] = rep - fig.value
                row["share_percent"] = round_half_up((rep - fig.value) * 100 / fig.value, 2) if fig.value else None
        rows.append(row)
    return rows


@dataclass
class CheckContext:
    """What every check sees: the submission as given, the verified recomputation and its figures."""

    engine: object
    submission: dict  # as given
    verified_submission: dict  # what was recomputed (overrides of the year's rules removed)
    year: int
    ruleset_id: str | None
    result: object
    figures: dict
    comparisons: list
    removed_overrides: dict  # parameter -> raw override removed from the recomputation

    @property
    def comp(self):
        return self.result.comp

    @property
    def plan(self) -> dict | None:
        return self.submission.get("plan")

    @property
    def previous_plan(self) -> dict | None:
        return self.submission.get("previous_plan")

    @property
    def evidence(self) -> dict:
        return self.submission.get("evidence") or {}

    def recalc(self, submission: dict):
        """Recompute a variant of the submission under the same rules; None when it does not compute."""
        from ..calc.engine import calculate

        try:
            return calculate(self.result.comp, submission, self.year)
        except InputError:
            return None

    def row(self, place: str):
        """(PageResult, RowState, field id) of ``$.pages.P[i].F``; None when there is no such row."""
        m = _PLACE.match(place)
        if not m:
            return None
        page, idx, fid = m.group(1), int(m.group(2)), m.group(3)
        try:
            pr = self.result.page(page)
        except KeyError:
            return None
        for r in pr.rows:
            if r.index == idx:
                return pr, r, fid
        return None

    def raw_value(self, page: str, index: int, fid: str):
        rows = (self.submission.get("pages") or {}).get(page) or []
        if index < len(rows) and isinstance(rows[index], dict):
            return rows[index].get(fid)
        return None


def _split_overrides(engine, submission: dict, year: int, ruleset_id: str | None):
    """Remove parameter overrides that replace a value the governing rules give for the year.

    A verifier recomputes under the year's rules: a factor the submission supplies where
    the ruleset has one is not used (the checks report it)."""
    overrides = dict(submission.get("parameters") or {})
    if not overrides:
        return submission, {}
    comp = engine.composition(submission["sector"], year, ruleset_id)
    removed = {}
    for name in list(overrides):
        if name in comp.parameters and comp.parameters[name][0].at(year) is not None:
            removed[name] = overrides.pop(name)
    if not removed:
        return submission, {}
    verified = copy.deepcopy(submission)
    if overrides:
        verified["parameters"] = overrides
    else:
        verified.pop("parameters", None)
    return verified, removed


def verify(engine, submission: dict, year: int | None = None, ruleset_id: str | None = None,
           source_name: str = "") -> VerificationReport:
    """Recompute ``submission`` under the governing rules, compare and run every check."""
    from . import checks as C

    comp, year = engine.composition_for(submission, year, ruleset_id)
    ruleset_id = ruleset_id or submission.get("ruleset")
    sector = submission["sector"]
    rulesets = [(rs.id, rs.digest) for rs in comp.rulesets]
    verified_sub, removed = _split_overrides(engine, submission, year, ruleset_id)
    from ..calc.engine import calculate

    try:
        # The core calculation, not Engine.calculate: the sector's own checks run below, once,
        # each isolated, and their findings (even errors) belong in the report, not in an exception.
        result = calculate(comp, verified_sub, year, source_name)
    except InputError as exc:
        findings = [C.input_finding(f if isinstance(f, dict) else f.as_dict()) for f in exc.findings] or \
                   [C.input_finding({"code": "input", "place": exc.where or "$", "message": exc.message})]
        return VerificationReport(submission, source_name, sector, year, rulesets, None, [], [], findings, {})
    figures = figures_of(result)
    comparisons = compare(submission.get("reported"), figures)
    ctx = CheckContext(engine, submission, verified_sub, year, ruleset_id, result, figures, comparisons, removed)
    findings: list[VFinding] = []
    for check in C.HOST_CHECKS:
        findings.extend(check(ctx))
    findings.extend(C.plugin_findings(engine, sector, result))
    findings = _ordered(findings, comparisons)
    return VerificationReport(submission, source_name, sector, year, rulesets, result, comparisons,
                              category_summary(submission.get("reported"), figures), findings, figures)


def _ordered(findings: list[VFinding], comparisons: list[Comparison]) -> list[VFinding]:
    """Severity first; within it the largest differences first, then by place."""
    size = {c.place: abs(c.difference) if c.difference is not None else Decimal(0) for c in comparisons}
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (rank.get(f.severity, 9), -size.get(f.place, Decimal(0)), f.place, f.code))
