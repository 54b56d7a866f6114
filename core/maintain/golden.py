"""Golden test cases: a submission, its reporting year, and the figures the rules must give.

A golden file is YAML named ``<anything>.golden.yaml`` that lies next to the rulesets it
tests (the host never loads it as a ruleset) and matches ``schemas/golden.schema.json``::

    sector: general
    cases:
      - name: coke-emission-factor
        derivation: the Hubei reporting system shows 108462.4949 t
        year: 2014
        pages:
          fuel_combustion:
            - {source_name: "001", kind: stationary, fuel: coke, method: emission_factor,
               consumption: {value: "35264", unit: t}, ...}
        expected:
          total_co2e: "108462.4949"
          figures: {"fuel_combustion[0].emissions": "108462.4949"}

Expected figures are compared as text with their decimals, so a rounding slip fails: the
report's totals always, and every figure whose formula rounds (``decimals``); an input
field, or a figure the rules do not round, is compared by value.
A case runs against the rulesets **in the golden file's own folder** (the working copy
a maintainer is editing), with the installed plugin of that sector providing its hooks;
a sector no installed plugin provides is run as a plain data sector.

This module does not import pytest: ``mrv test`` and the pytest plugin
(:mod:`mrv_engine.core.maintain.pytest_plugin`) both run cases through :class:`GoldenRunner`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..api import Engine
from ..base.documents import MAX_YAML_BYTES, read_text
from ..base.errors import InputError, MrvError, SectorNotFound
from ..base.findings import Finding
from ..base.numbers import fmt
from ..output import trace as T
from ..output.trace import field_operand, operand_line
from ..plugin.sector import DataSector
from ..rules.ruleset import is_golden, load_validated
from .files import display, yaml_files


class GoldenError(MrvError):
    """A golden test file is malformed."""

    code = "golden"


def _failed(case, code: str, message: str) -> "Outcome":
    """The outcome of a case that could not be compared figure by figure."""
    return Outcome(case, False, [Finding(code, f"{case.file}:{case.line}", message)])


@dataclass
class GoldenCase:
    name: str
    file: str
    line: int
    data: dict
    sector: str
    year: int
    ruleset: str | None

    @property
    def id(self) -> str:
        return f"{display(self.file)}::{self.name}"

    def submission(self) -> dict:
        sub = {"sector": self.sector, "year": self.year,
               "enterprise": self.data.get("enterprise") or {"name": f"golden case {self.name}"},
               "pages": self.data["pages"]}
        for key in ("programme", "parameters", "reported"):
            if key in self.data:
                sub[key] = self.data[key]
        return sub


@dataclass
class GoldenFile:
    path: Path
    sector: str
    ruleset: str | None
    cases: list[GoldenCase]


_SECTOR = re.compile(r"^sector:\s*['\"]?([a-z][a-z0-9_]*)", re.M)


def _folder_sector(folder: Path) -> str | None:
    """The sector of the rulesets lying in ``folder`` (None when there are none or several).

    Read from each file's top-level ``sector:`` line; the rulesets are validated when loaded.
    """
    found = set()
    for f in sorted(folder.iterdir()):
        if f.name.endswith((".yaml", ".yml")) and not is_golden(f.name):
            try:
                m = _SECTOR.search(read_text(f, MAX_YAML_BYTES)[0])
            except InputError:  # not a readable ruleset: the host and lint report it
                continue
            if m:
                found.add(m.group(1))
    return found.pop() if len(found) == 1 else None


def load_golden(path) -> GoldenFile:
    """Read and validate a golden file; :class:`GoldenError` names the file and line."""
    path = Path(path)
    text, _ = read_text(path, MAX_YAML_BYTES)  # bounded: an InputError names the file
    data, lines, where_of = load_validated(text, str(path), "golden.schema.json", GoldenError, "a golden file")
    file_sector = data.get("sector") or _folder_sector(path.parent)
    cases, names = [], set()
    for i, raw in enumerate(data["cases"]):
        where = where_of(("cases", i))
        if raw["name"] in names:
            raise GoldenError(f"case name {raw['name']!r} is used twice", where)
        names.add(raw["name"])
        sector = raw.get("sector") or file_sector
        if not sector:
            raise GoldenError("no sector: give sector: at the top of the file or in the case "
                              "(the folder holds no ruleset, or rulesets of several sectors)", where)
        line = lines.get(("cases", i), 1)
        cases.append(GoldenCase(raw["name"], str(path), line, raw, sector, raw["year"], raw.get("ruleset") or data.get("ruleset")))
    return GoldenFile(path, file_sector or "", data.get("ruleset"), cases)


def find_golden_files(paths) -> list[Path]:
    """Every golden file named in ``paths`` or lying under a directory of ``paths``."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in yaml_files(p) if is_golden(f.name))
        elif is_golden(p.name):
            out.append(p)
        elif p.exists():
            raise GoldenError("not a golden test file (its name must end in .golden.yaml)", str(p))
        else:
            raise GoldenError("no such file or directory", str(p))
    return out


def installed_golden_files(engine=None, sectors=None) -> list[Path]:
    """The golden files lying in the ruleset folders of the installed sector plugins."""
    engine = engine or Engine()
    for sid in sectors or []:
        if sid not in engine.host.sectors:  # a typo must not "pass" with no cases
            raise SectorNotFound(f"unknown sector {sid!r}; sectors: {', '.join(sorted(engine.host.sectors))}",
                                 message_zh=f"未知的行业 {sid!r}；现有行业：{', '.join(sorted(engine.host.sectors))}")
    out = []
    for sid, entry in sorted(engine.host.sectors.items()):
        if sectors and sid not in sectors:
            continue
        try:
            files = sorted(entry.info.rulesets.iterdir(), key=lambda f: f.name)
        except OSError:
            continue
        out += [Path(str(f)) for f in files if is_golden(f.name)]
    return out


def differs(key: str, expected: str, actual: str | None, trace: str) -> Finding:
    """A figure of a golden case that is not the expected one; ``data`` keeps expected, actual and the trace."""
    shown = actual if actual is not None else "(none)"
    return Finding("golden.differs", key, f"{key}: expected {expected}, got {shown}", f"{key}：预期 {expected}，实际 {shown}",
                   data={"expected": expected, "actual": actual, "trace": trace})


@dataclass
class Outcome:
    """What running one golden case gave: passed, or the findings that say why not."""

    case: GoldenCase
    passed: bool
    findings: list[Finding] = field(default_factory=list)

    @property
    def mismatches(self) -> list[Finding]:
        """The figures that differ from the expected ones (``golden.differs``)."""
        return [f for f in self.findings if f.code == "golden.differs"]

    @property
    def error(self) -> str:
        """Why the case could not be compared figure by figure ('' when it could)."""
        return "\n".join(f.message for f in self.findings if f.code != "golden.differs")

    def report(self, lang: str = "en") -> str:
        """Expected vs actual, and the trace of each differing figure."""
        head = f"{display(self.case.file)}:{self.case.line}: golden case {self.case.name!r} ({self.case.sector} {self.case.year})"
        if self.passed:
            return f"{head}: passed"
        lines = [f"{head}: FAILED"]
        if self.error:
            lines.append("  " + self.error.replace("\n", "\n  "))
        mismatches = self.mismatches
        if mismatches:
            width = max(len(m.place) for m in mismatches)
            lines.append(f"  {'figure':<{width}}  {'expected':>16}  {'actual':>16}")
            for m in mismatches:
                actual = m.data["actual"]
                lines.append(f"  {m.place:<{width}}  {m.data['expected']:>16}  {actual if actual is not None else '(none)':>16}")
            shown: dict[str, str] = {}
            for m in mismatches:
                trace = m.data["trace"]
                if not trace:
                    continue
                if trace in shown:
                    lines.append(f"  trace of {m.place}: as for {shown[trace]}")
                    continue
                shown[trace] = m.place
                lines.append(f"  trace of {m.place}:")
                lines += ["    " + t for t in trace.rstrip("\n").split("\n")]
        return "\n".join(lines)


def expected_text(value) -> str:
    """An expected figure as text with its decimals (YAML numbers are read exactly)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()


def _place(key: str) -> str:
    return key if key.startswith("$") else f"$.pages.{key}"


class GoldenRunner:
    """Runs golden cases; one engine per ruleset folder, so the working copy is what is tested."""

    def __init__(self, engine_factory=None, lang: str = "en"):
        self._factory = engine_factory
        self._engines: dict[tuple, object] = {}
        self.lang = lang

    def engine_for(self, case: GoldenCase):
        folder = Path(case.file).resolve().parent
        key = (str(folder), case.sector)
        engine = self._engines.get(key)
        if engine is None:
            engine = self._new_engine(folder, case.sector)
            self._engines[key] = engine
        return engine

    def _new_engine(self, folder: Path, sector: str):
        engine = self._factory() if self._factory else Engine()
        host = engine.host
        if _folder_sector(folder) != sector:
            return engine  # cases stored apart from rulesets: test the installed ones
        entry = host.sectors.get(sector)
        if entry is None:
            host.add_plugin(f"golden:{sector}", DataSector(id=sector, name_zh=sector, name_en=sector, rulesets=folder))
            return engine
        try:
            same = Path(str(entry.info.rulesets)).resolve() == folder
        except OSError:  # pragma: no cover
            same = False
        if not same:
            entry.info = entry.info.model_copy(update={"rulesets": folder})
            entry.rulesets, entry.status, entry.reason = None, "ok", ""
        return engine

    def run(self, case: GoldenCase) -> Outcome:
        try:
            engine = self.engine_for(case)
            result = engine.calculate(case.submission(), case.year, case.ruleset, source_name=case.id)
        except InputError as exc:
            return self._errors(case, exc.all_findings())
        except MrvError as exc:
            return _failed(case, "golden.refused", f"error: {exc}")
        if "expect_errors" in case.data:
            return _failed(case, "golden.not_refused", "the submission was expected to be refused but it calculated")
        return self._compare(case, engine, result)

    def _errors(self, case: GoldenCase, findings: list[Finding]) -> Outcome:
        listing = "\n".join(f"{f.place}: {f.message} [{f.code}]" for f in findings)
        wanted = case.data.get("expect_errors")
        if not wanted:
            return _failed(case, "golden.refused", f"the submission was refused:\n{listing}")
        missing = []
        for w in wanted:
            if not any((w.get("place") in (None, f.place))
                       and (w.get("code") in (None, f.code))
                       and (w.get("message_contains") is None or w["message_contains"] in f.message)
                       for f in findings):
                missing.append(w)
        if missing:
            return _failed(case, "golden.refused", f"expected finding(s) {missing} not among:\n{listing}")
        return Outcome(case, True)

    def _compare(self, case: GoldenCase, engine, result) -> Outcome:
        report = engine.report(result)
        nodes = T.build(result)
        by_place = {n.place: n for n in nodes}
        exp = case.data["expected"]
        mismatches: list[Finding] = []

        def emission_trace(pred) -> str:
            picked = [by_place.get(f"$.pages.{e.page}[{e.row}].{e.formula}") for e in result.emissions if pred(e)]
            return T.render_text([n for n in picked if n is not None], self.lang) if any(picked) else ""

        def check(key, want, got, trace_fn, exact=True):
            want = expected_text(want)
            if got == want or (not exact and _same_number(got, want)):
                return
            mismatches.append(differs(key, want, got, trace_fn()))

        totals = report["totals"]
        if "total_co2e" in exp:
            check("total_co2e", exp["total_co2e"], totals["total_co2e"], lambda: emission_trace(lambda e: True))
        for cat, want in exp.get("by_category", {}).items():
            check(f"by_category.{cat}", want, totals["by_category"][cat]["co2e"], lambda c=cat: emission_trace(lambda e: e.category == c))
        for gas, want in exp.get("by_gas", {}).items():
            got = totals["by_gas"].get(gas, {}).get("mass")
            check(f"by_gas.{gas}", want, got, lambda g=gas: emission_trace(lambda e: e.gas == g))
        values, fields = {}, {}
        for pr in result.pages:
            for r in pr.rows:
                for k, v in r.values.items():
                    values[f"$.pages.{pr.spec.id}[{r.index}].{k}"] = fmt(v) if isinstance(v, Decimal) else v
                    if k in pr.spec.fields:
                        fields[f"$.pages.{pr.spec.id}[{r.index}].{k}"] = (pr.spec, r, k)
        for n in nodes:
            values[n.place] = fmt(n.value)
        for key, want in exp.get("figures", {}).items():
            place = _place(key)
            got = values.get(place)
            node = by_place.get(place)
            # A figure a formula rounds is compared with its decimals; an input field or a figure
            # the rules do not round, by value (a default is not rounded to the field's decimals).
            field = fields.get(place)
            exact = node is not None and node.decimals is not None
            if got is None:
                # not a figure the rules compute: say which places they do compute
                check(key, want, None, lambda: "no such figure; places computed:\n" + "\n".join(sorted(values)[:60]))
                continue
            check(key, want, str(got),
                  lambda n=node, f=field: T.render_text([n], self.lang) if n is not None else _field_trace(f, self.lang), exact)
        return Outcome(case, not mismatches, mismatches)


def _same_number(a, b) -> bool:
    try:
        return a is not None and Decimal(str(a)) == Decimal(str(b))
    except Exception:  # noqa: BLE001 - text values
        return False


def _field_trace(found, lang: str) -> str:
    """Where a field's value came from: input, converted, measured, a default with its rule and source."""
    if found is None:
        return ""
    spec, row, fid = found
    return operand_line(field_operand(spec, row, fid), lang) + "\n"


def run_files(files, runner: GoldenRunner | None = None, select: str | None = None):
    """Load and run every case of ``files``; yields (file, Outcome or GoldenError)."""
    runner = runner or GoldenRunner()
    for f in files:
        try:
            gf = load_golden(f)
        except (GoldenError, InputError) as exc:
            yield f, exc
            continue
        for case in gf.cases:
            if select and select not in case.name:
                continue
            yield f, runner.run(case)
