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

Findings are :class:`~mrv_engine.core.base.findings.Finding`: a stable code, a severity
(``error`` a figure is wrong; ``must_correct`` the report or plan breaks a rule and must be
corrected; ``observation`` worth a look), the place (JSON path), the rule and its citation,
and a message in Chinese and English; :func:`finding_dict` is their JSON form in the report
(``schemas/findings.schema.json``). The host's common checks live in
:mod:`mrv_engine.core.verify.checks`; a sector plugin adds its own through the
``mrv_checks`` hook, run under its contract (:mod:`mrv_engine.core.plugin.checks`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal

from ..base.errors import InputError
from ..base.findings import Finding
from ..base.numbers import fmt
from ..calc.engine import calculate
from ..calc.resolve import rule_value
from ..output.figures import figures_of
from ..output.report import engine_version, to_dict
from . import checks as C
from .compare import Comparison, category_summary, compare
from .context import CheckContext

SEVERITIES = ("error", "must_correct", "observation")
SEVERITY_TEXT = {
    "error": ("错误", "error"),
    "must_correct": ("须更正", "must correct"),
    "observation": ("观察项", "observation"),
}


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
    findings: list[Finding]
    figures: dict
    # JSON path -> ``sheet!cell`` of the findings' places, when the submission was read from a workbook
    # (``Engine.verify(cell_of=...)``): every renderer names the cell beside the path.
    cells: dict = field(default_factory=dict)

    def where(self, f: Finding) -> str:
        """``sheet!cell (JSON path)`` of a finding read from a workbook, else its place."""
        cell = self.cells.get(f.place)
        return f"{cell} ({f.place})" if cell else f.place

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
            "findings": [{**finding_dict(f), **({"cell": self.cells[f.place]} if f.place in self.cells else {})}
                         for f in self.findings],
            "comparisons": [c.as_dict() for c in self.comparisons],
            "traces": [n.as_dict() for n in self.traces().values()],
        }
        if self.result is not None:
            out["recomputed"] = to_dict(self.result)
        return out


def finding_dict(f: Finding) -> dict:
    """A finding in a verification report's JSON (``schemas/findings.schema.json``)."""
    d = {"code": f.code, "severity": f.severity, "place": f.place, "rule": f.rule, "citation": f.citation,
         "message": {"zh": f.message_zh, "en": f.message}, "origin": f.origin}
    if f.data:
        d["data"] = {k: (fmt(v) if isinstance(v, Decimal) else v) for k, v in f.data.items()}
    return d


# -- building blocks ----------------------------------------------------------------

def _split_overrides(comp, submission: dict, year: int):
    """Remove parameter overrides that replace a value the governing rules give for the year.

    A verifier recomputes under the year's rules: a factor the submission supplies where
    the ruleset has one is not used (the checks report it). ``comp`` is the composition that
    governs the submission (its programme's: a Hubei pilot report is judged by the Hubei rules)."""
    overrides = dict(submission.get("parameters") or {})
    if not overrides:
        return submission, {}
    removed = {}
    for name in list(overrides):
        if name in comp.parameters and rule_value(comp, name, year, submission) is not None:
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
    comp, year = engine.composition_for(submission, year, ruleset_id)
    ruleset_id = ruleset_id or submission.get("ruleset")
    sector = submission["sector"]
    rulesets = [(rs.id, rs.digest) for rs in comp.rulesets]
    periods = engine.month_periods(submission, comp, year, ruleset_id)
    # A split year is recomputed under every edition that governs one of its months.
    rulesets += [(p.ruleset.id, p.ruleset.digest) for p, _c in periods or [] if p.ruleset is not comp.ruleset]
    verified_sub, removed = _split_overrides(comp, submission, year)
    try:
        # The core calculation, not Engine.calculate: the sector's own checks run below, once,
        # each isolated, and their findings (even errors) belong in the report, not in an exception.
        result = calculate(comp, verified_sub, year, source_name, periods)
    except InputError as exc:
        findings = [C.input_finding(f) for f in exc.all_findings()]
        return VerificationReport(submission, source_name, sector, year, rulesets, None, [], [], findings, {})
    figures = figures_of(result)
    comparisons = compare(submission.get("reported"), figures)
    ctx = CheckContext(engine, submission, verified_sub, year, ruleset_id, result, figures, comparisons, removed)
    findings: list[Finding] = []
    for check in C.HOST_CHECKS:
        findings.extend(check(ctx))
    findings.extend(C.plugin_findings(engine, sector, result))
    findings = _ordered(findings, comparisons)
    return VerificationReport(submission, source_name, sector, year, rulesets, result, comparisons,
                              category_summary(submission.get("reported"), figures), findings, figures)


def _ordered(findings: list[Finding], comparisons: list[Comparison]) -> list[Finding]:
    """Severity first; within it the largest differences first, then by place."""
    size = {c.place: abs(c.difference) if c.difference is not None else Decimal(0) for c in comparisons}
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (rank.get(f.severity, 9), -size.get(f.place, Decimal(0)), f.place, f.code))
