"""One document of a batch: read, calculate (or verify) under its year's rules, reduce to rows.

:func:`process` never raises for a document: a file that cannot be read or is refused is an
outcome with status ``refused`` and its findings; an unexpected exception of the engine (a bug)
is status ``failed`` with a ``batch.failed`` finding naming it. The outcome is plain tuples, cheap
to send from a worker process to the writer.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from mrv_engine import Engine, InputError, MrvError, load_document

SEVERITY_COLUMNS = {"error": "errors", "must_correct": "must_correct", "warning": "warnings", "observation": "observations"}
#: Where a figure row (``Engine.figure_table``) has its source: ``place, page, row, name, kind, value,
#: value_real, unit, decimals, source, emission``.
SOURCE = 9


def ruleset_hash(*digests: str) -> str:
    """The rules a document was computed under, as one hash (its sector's and the general rulesets')."""
    return hashlib.sha256("\n".join(digests).encode()).hexdigest()


def rules_state(engine: Engine) -> tuple[dict[str, str], str]:
    """({ruleset id: sha256}, hash of them all): what decides whether a stored document is still current."""
    digests = {rs.id: rs.digest for rs in engine.rulesets()}
    return digests, ruleset_hash(*(f"{k}={v}" for k, v in sorted(digests.items())))


class Worker:
    """One engine per process, its rulesets loaded and compositions cached across documents."""

    def __init__(self, verify: bool):
        self.engine = Engine()
        self.verify = verify
        self.digests, self.all_rules = rules_state(self.engine)
        # The allocation plans (for the benchmarks beside each intensity) are parsed here, once, so that the
        # worker processes forked from this one inherit them instead of each parsing the YAML again.
        self.engine.plan_index  # noqa: B018 - loads them
        self.labelled: dict[str | None, set] = {}  # sector -> (page, name) whose label this process has sent already

    def process(self, path: str) -> dict:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            return self.outcome(path, b"", "refused", [batch_finding("input", path, f"cannot read file: {exc.strerror or exc}",
                                                                 f"无法读取文件：{exc.strerror or exc}")])
        try:
            return self._compute(path, raw)
        except Exception as exc:  # noqa: BLE001 - a bug of the engine must not end the batch: it is a row
            return self.outcome(path, raw, "failed", [batch_finding(
                "batch.failed", "$", f"the engine failed on this document ({type(exc).__name__}: {exc}); please report it",
                f"引擎处理本文件时出错（{type(exc).__name__}: {exc}），请报告此问题")])

    def _compute(self, path: str, raw: bytes) -> dict:
        data = None
        try:
            data, name = load_document(path)
            if self.verify:
                figured = self.engine.verify(data, source_name=name)  # its figures are already by place
                result, findings = figured.result, list(figured.findings)
                if result is None:
                    return self.outcome(path, raw, "refused", findings, data)
            else:
                figured = result = self.engine.calculate(data, source_name=name)
                findings = list(result.findings)
        except InputError as exc:
            return self.outcome(path, raw, "refused", exc.all_findings(), data)
        except MrvError as exc:
            return self.outcome(path, raw, "refused", [batch_finding(exc.code, exc.where or "$", exc.message, "")], data)
        # the report without its pages: the figures by place carry them, and the rows cost a fifth of a document
        report = self.engine.report(result, pages=False)
        # the figures as the rows they are stored as, built once from those the verification holds (no dicts)
        seen = self.labelled.setdefault(report["sector"], set())
        rows, labels = self.engine.figure_table(figured, seen)
        # the unconfirmed ruleset figures it used, by their titles (page ''), for mrv screen to show instead of ids
        for name in report["unverified_parameters_used"]:
            if ("", name) not in seen:
                seen.add(("", name))
                label = result.figure_label(name)
                labels.append(("", name, label["zh"], label["en"]))
        return self.outcome(path, raw, "ok", findings, data, report, rows, labels, self.engine.benchmarks(result))

    def outcome(self, path, raw, status, findings, data=None, report=None, figures=(), labels=(), benchmarks=()) -> dict:
        """A document as the rows it is stored as (:meth:`mrv_engine.batch.store.Store.write`): ``figures`` and
        ``labels`` from :meth:`mrv_engine.Engine.figure_table`."""
        data = data if isinstance(data, dict) else {}
        enterprise = data.get("enterprise") if isinstance(data.get("enterprise"), dict) else {}
        doc = {"status": status, "verified": int(self.verify), "sector": _text(data.get("sector")),
               "year": data.get("year") if isinstance(data.get("year"), int) else None,
               "enterprise": _text(enterprise.get("name")), "province": _text(enterprise.get("province")),
               "enterprise_key": _text(enterprise.get("credit_code")) or _text(enterprise.get("name")),
               "ruleset_id": None, "general_ruleset_id": None, "ruleset_hash": self.all_rules, "total_co2e": None,
               "defaults_used": 0, "unverified_used": []}
        doc.update({col: 0 for col in SEVERITY_COLUMNS.values()})
        findings = [f if isinstance(f, tuple) else
                    (f.code, f.severity, f.place, f.message, f.message_zh or "", f.origin, f.citation or "") for f in findings]
        for f in findings:
            col = SEVERITY_COLUMNS.get(f[1])
            if col:
                doc[col] += 1
        totals = []
        if report is not None:
            rulesets = {r["sector"]: r for r in report["rulesets"]}
            general = rulesets.get("general")
            own = rulesets.get(report["sector"], general)
            doc.update(ruleset_id=own["id"], general_ruleset_id=general["id"],
                       ruleset_hash=ruleset_hash(general["sha256"], own["sha256"]),
                       total_co2e=report["totals"]["total_co2e"], unverified_used=report["unverified_parameters_used"],
                       year=report["year"], sector=report["sector"])
            for key, t in report["totals"]["by_category"].items():
                totals.append(("category", key, t["co2e"], None, t["share_percent"]))
            for key, t in report["totals"]["by_gas"].items():
                totals.append(("gas", key, t["co2e"], t["mass"], None))
            doc["defaults_used"] = sum(1 for f in figures if f[SOURCE] == "default")
        marks = [(b["place"], b["benchmark_name"], b["unit_key"], b["category"], b["category_label"].get("zh", ""),
                  b["category_label"].get("en", ""), _exact(b["benchmark"]), b["unit"], b["plan"], int(b["verified"]),
                  b["citation"]) for b in benchmarks]
        return {"path": path, "content_hash": hashlib.sha256(raw).hexdigest(), "size": len(raw), "document": doc,
                "figures": figures, "totals": totals, "benchmarks": marks,
                "labels": [(doc["sector"], *label) for label in labels], "findings": findings}


def batch_finding(code: str, place: str, message: str, message_zh: str) -> tuple:
    """A finding of the batch itself, in the stored form (code, severity, place, message, message_zh, origin, citation)."""
    return (code, "error", place, message, message_zh, "host", "")


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _exact(value: Decimal) -> str:
    return format(value, "f")
