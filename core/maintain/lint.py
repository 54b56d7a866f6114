"""``mrv lint``: catch a maintainer's mistakes in rulesets and sector plugins before a verifier does.

Every finding names a file and a line. The checks:

=========================  ========  =====================================================================
code                       severity  what
=========================  ========  =====================================================================
``yaml``                   error     the file is not well-formed YAML
``schema``                 error     the ruleset does not match ``schemas/ruleset.schema.json`` (each error)
``ruleset``                error     the ruleset contradicts itself (cites an undeclared source, bad number)
``undefined-name``         error     a formula, fallback, field or reference names something not defined
``unit``                   error     a formula's result unit, derived from its operands' units, is not its
                                     declared output unit (or a unit is unknown)
``formula``                error     any other formula error (syntax, sandbox, cycles)
``compose``                error     the sector's pages cannot be composed (supplement without base, ...)
``duplicate-field``        error     a supplement page repeats a base page's field id without a ``ref`` to it
``unused-parameter``       error     a parameter is defined but no formula, fallback or plugin code uses it (a
                                     warning in the host's ``general`` rulesets, which serve every sector)
``unused-table``           error     a lookup table is defined but no field or plugin code uses it
``missing-citation``       error     a formula, or a table row with figures, cites no source
``unverified-no-note``     error     a figure marked ``verified: false`` does not say why in a ``note``
``unverified``             warning   a figure is marked ``verified: false``
``placeholder``            warning   a citation still says TODO / FIXME (fresh from ``mrv new-sector``)
``unused-source``          warning   a declared source is never cited
``year-overlap``           error     two editions of a sector govern the same reporting year
``year-gap``               error     a reporting year between a sector's first and last edition has no edition
``duplicate-id``           error     two rulesets share an id
``plugin``                 error     a sector plugin fails to load or its rulesets cannot be read
``golden``                 error     a golden test file does not match ``schemas/golden.schema.json``
=========================  ========  =====================================================================

The checks the engine already makes at load (schema, citations, names, unit algebra,
composition) are the engine's own code: lint calls it and turns its errors into
findings, so lint and the engine can never disagree about what loads.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from importlib.util import find_spec
from pathlib import Path

from ..api import Engine
from ..base.documents import MAX_YAML_BYTES, load_yaml_text, read_text
from ..base.errors import InputError, MrvError, RulesetError, SectorNotFound, UnitError
from ..base.findings import Finding, file_line
from ..calc.compose import compose
from ..compliance.calendar import bundled_calendar_files, parse_calendar
from ..compliance.plans import PlanIndex, bundled_plan_files, formula_names, parse_plan
from ..formula import units as U
from ..rules.ruleset import (
    Ruleset,
    RulesetIndex,
    is_figure,
    is_golden,
    locator,
    parse_ruleset,
    schema_errors,
)
from .files import display, yaml_files
from .golden import GoldenError, load_golden

GENERAL = "general"
_PLACEHOLDER = re.compile(r"\b(TODO|FIXME|XXX)\b")
_LOOKS_LIKE_RULESET = re.compile(r"^sector:", re.M)


@dataclass(frozen=True)
class FigureCount:
    """How many of a ruleset's default figures are confirmed (see :meth:`Ruleset.figures`)."""

    ruleset: str
    file: str
    figures: int
    unconfirmed: int

    @property
    def confirmed(self) -> int:
        return self.figures - self.unconfirmed

    def line(self) -> str:
        return f"{self.file}: {self.ruleset}: {self.confirmed} of {self.figures} figures confirmed, {self.unconfirmed} unconfirmed"

    def as_dict(self) -> dict:
        return {"ruleset": self.ruleset, "file": self.file, "figures": self.figures,
                "confirmed": self.confirmed, "unconfirmed": self.unconfirmed}


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    rulesets: list[Ruleset] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: Per ruleset linted: how many default figures it ships and how many are unconfirmed.
    counts: list[FigureCount] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}


def lint_line(f: Finding) -> str:
    """A lint finding as one line: ``file:line: severity: message [code]``."""
    return f"{f.place}: {f.severity}: {f.message} [{f.code}]"


def lint_dict(f: Finding) -> dict:
    """A lint finding in ``mrv lint --format json``."""
    return {"file": f.file, "line": f.line, "code": f.code, "severity": f.severity, "message": f.message}


class Linter:
    """Collects findings over ruleset files, golden files and installed sector plugins.

    :param engine: an :class:`~mrv_engine.core.api.Engine` whose host supplies the ``general``
        rulesets when the linted paths hold none (default: a new engine over the installed plugins).
    """

    def __init__(self, engine=None):
        self._engine = engine
        self.result = LintResult()
        self.sectors_seen: set[str] = set()

    @property
    def engine(self):
        if self._engine is None:
            self._engine = Engine()
        return self._engine

    # -- reporting --------------------------------------------------------------------
    def add(self, file: str, line: int, code: str, message: str, severity: str = "error") -> None:
        f = Finding(code, f"{display(file)}:{line}", message, severity=severity)
        if f not in self.result.findings:
            self.result.findings.append(f)

    def add_error(self, exc: MrvError, default_file: str, code: str | None = None) -> None:
        """An engine error as a finding: its own code (what kind of mistake), unless ``code`` overrides it."""
        file, line = file_line(exc.where, default_file)
        self.add(file, line, code or exc.code, exc.message)

    # -- entry points -----------------------------------------------------------------
    def lint_paths(self, paths) -> LintResult:
        """Lint ruleset and golden files, or every such file under directories."""
        rulesets, goldens = [], []
        for p in paths:
            p = Path(p)
            if p.is_dir():
                for f in sorted(yaml_files(p)):
                    (goldens if is_golden(f.name) else rulesets).append((f, False))
            elif p.exists() or p.is_symlink():  # anything else named is read, and refused, by the bounded reader
                (goldens if is_golden(p.name) else rulesets).append((p, True))
            else:
                self.add(str(p), 1, "yaml", "no such file or directory")
        loaded = []
        plans = [(f, e) for f, e in rulesets if _kind(f) in ("allocation-plan", "calendar")]
        rulesets = [(f, e) for f, e in rulesets if (f, e) not in plans]
        self.lint_plans([(str(f), f.read_text(encoding="utf-8")) for f, _ in plans])
        for f, explicit in rulesets:
            rs = self.load_file(f, explicit)
            if rs is not None:
                loaded.append((rs, None))
        self.check_all(loaded)
        for f, _ in goldens:
            self.check_golden(f)
        for p in map(Path, paths):
            if p.is_dir() and (p / "pyproject.toml").is_file():
                self.check_pyproject(p / "pyproject.toml", bool(rulesets))
        return self.result

    def check_pyproject(self, path: Path, has_rulesets: bool) -> None:
        """A plugin distribution's pyproject: each sector entry point has rulesets, and they get installed."""
        import tomllib

        try:
            text, _ = read_text(path, MAX_YAML_BYTES)
        except InputError as exc:
            self.add_error(exc, str(path), "plugin")
            return
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"line (\d+)", str(exc))
            self.add(str(path), int(m.group(1)) if m else 1, "plugin", f"pyproject.toml is not valid TOML: {exc}")
            return
        eps = data.get("project", {}).get("entry-points", {}).get("mrv_engine.sectors", {})
        if not eps:
            return
        self.result.files.append(display(str(path)))
        lines = text.splitlines()

        def line_of(pattern: str) -> int:
            for i, ln in enumerate(lines, 1):
                if re.match(pattern, ln.strip()):
                    return i
            return 1

        for name, target in eps.items():
            if name not in self.sectors_seen:
                self.add(str(path), line_of(rf'"?{re.escape(name)}"?\s*='), "plugin",
                         f"entry point {name!r} ({target}) names sector {name!r}, but no ruleset of sector {name!r} lies under {display(str(path.parent))}")
        backend = data.get("build-system", {}).get("build-backend", "")
        package_data = data.get("tool", {}).get("setuptools", {}).get("package-data", {})
        patterns = [p for v in package_data.values() for p in (v if isinstance(v, list) else [v])]
        if backend.startswith("setuptools") and has_rulesets and not any(p.endswith((".yaml", "*")) for p in patterns):
            self.add(str(path), line_of(r"\[tool\.setuptools"), "plugin",
                     "the rulesets are YAML files, which setuptools does not install unless [tool.setuptools.package-data] "
                     "names them (e.g. <package> = [\"rulesets/*.yaml\"])", "warning")

    def lint_sectors(self, sector_ids=None) -> LintResult:
        """Lint installed sector plugins: loading, their ruleset folders, composition through their hooks."""
        host = self.engine.host
        for sid in sector_ids or []:
            if sid not in host.sectors and sid not in host.plugins:  # a typo must not lint "clean"
                raise SectorNotFound(f"unknown sector {sid!r}; sectors: {', '.join(sorted(host.sectors))}",
                                 message_zh=f"未知的行业 {sid!r}；现有行业：{', '.join(sorted(host.sectors))}")
        for name, status in sorted(host.plugins.items()):
            if status.status == "broken" and (sector_ids is None or name in sector_ids):
                self.add(_plugin_file(name), 1, "plugin", f"sector plugin {name!r} is broken: {status.reason}")
        loaded, broken = [], []
        for sid, entry in sorted(host.sectors.items()):
            if sector_ids is not None and sid not in sector_ids:
                continue
            if entry.plugin_name != sid:
                self.add(_plugin_file(entry.plugin_name), 1, "plugin",
                         f"entry point {entry.plugin_name!r} registers sector {sid!r}: name the entry point after the sector id",
                         "warning")
            folder = entry.info.rulesets
            try:
                files = sorted((f for f in folder.iterdir() if f.name.endswith((".yaml", ".yml"))), key=lambda f: f.name)
            except OSError as exc:
                self.add(_plugin_file(entry.plugin_name), 1, "plugin", f"cannot list the rulesets of sector {sid!r} in {folder}: {exc}")
                continue
            if not any(not is_golden(f.name) for f in files):
                self.add(_plugin_file(entry.plugin_name), 1, "plugin", f"sector {sid!r} has no ruleset in {folder}")
            try:
                host.sector(sid)  # the host loads (and validates, and composes) the sector's rulesets once
            except MrvError:
                pass
            if entry.status != "ok":
                broken.append((sid, entry, {display(str(f)) for f in files} | {display(_plugin_file(entry.plugin_name))}))
            preloaded = {rs.digest: rs for rs in entry.rulesets or []} if entry.status == "ok" else {}
            for f in files:
                if is_golden(f.name):
                    self.check_golden(Path(str(f)))
                    continue
                rs = self.preloaded(f, preloaded) or self.load_file(Path(str(f)), True)
                if rs is None:
                    continue
                if rs.sector != sid:
                    self.add(rs.path, rs.lines.get(("sector",), 1), "plugin",
                             f"ruleset is for sector {rs.sector!r} but lies in the folder of sector {sid!r}")
                loaded.append((rs, entry))
        self.check_all(loaded)
        for sid, entry, names in broken:
            if not any(f.file in names for f in self.result.errors):
                # broken for a reason no check above names: say so, with the host's reason
                if isinstance(entry.error, MrvError) and entry.error.where:
                    self.add_error(entry.error, _plugin_file(entry.plugin_name))
                else:
                    self.add(_plugin_file(entry.plugin_name), 1, "plugin", f"sector {sid!r} is broken: {entry.reason}")
        if sector_ids is None:  # every installed sector: the bundled allocation plans and calendars too
            self.lint_plans([(f"allocation/{sub}/{f.name}", f.read_text(encoding="utf-8"))
                             for sub, files in (("plans", bundled_plan_files()), ("calendars", bundled_calendar_files()))
                             for f in files])
        return self.result

    # -- allocation plans and calendars ---------------------------------------------------
    def lint_plans(self, files: list[tuple[str, str]]) -> None:
        """Allocation plans and calendars, like rulesets: schema, citations, formulas (names, units),
        unverified figures with their notes, unused sources and figures, overlapping compliance years."""
        index = PlanIndex()
        for name, text in files:
            self.result.files.append(display(name))
            try:
                if re.search(r"^kind:\s*calendar\b", text, re.M):
                    parse_calendar(text, name)
                    continue
                plan = parse_plan(text, name)
            except InputError as exc:
                self.add_error(exc, name, "yaml")
                continue
            except MrvError as exc:
                self.add_error(exc, name)
                continue
            self.check_plan(plan)
            try:
                index.add(plan)
            except RulesetError as exc:
                self.add_error(exc, name)

    def check_plan(self, plan) -> None:
        def line(path):
            p = tuple(path)
            while p and p not in plan.lines:
                p = p[:-1]
            return plan.lines.get(p, 1)

        def unverified(path, what, raw):
            if raw.get("verified") is False:
                self.add(plan.path, line(path), "unverified", f"{what} is marked verified: false" + (f" ({raw['note']})" if raw.get("note") else ""), "warning")
                if not raw.get("note"):
                    self.add(plan.path, line(path), "unverified-no-note", f"{what} is marked verified: false without a note saying why")

        data = plan.data
        for name, f in data["figures"].items():
            unverified(("figures", name), f"figure {name!r}", f)
        for i, f in enumerate(data["formulas"]):
            unverified(("formulas", i), f"formula {f['id']!r}", f)
        for i, f in enumerate((data.get("preallocation") or {}).get("formulas", [])):
            unverified(("preallocation", "formulas", i), f"pre-allocation formula {f['id']!r}", f)
        for rule, body in data["compliance"].items():
            if rule == "deadlines":
                for year, d in body.items():
                    unverified(("compliance", "deadlines", year), f"surrender deadline of {year}", d)
            elif isinstance(body, dict):
                unverified(("compliance", rule), f"compliance rule {rule!r}", body)
        texts = [c[3] for f in plan.formulas + plan.pre_formulas for c in f.cases] + \
                [c[1] for f in plan.formulas + plan.pre_formulas for c in f.cases if c[1]]
        used = set().union(*(formula_names(t) for t in texts)) if texts else set()
        for name in data["figures"]:
            if name not in used:
                self.add(plan.path, line(("figures", name)), "unused-parameter", f"figure {name!r} is defined but no formula uses it")
        cited = set()

        def walk(node):
            if isinstance(node, dict):
                if isinstance(node.get("source"), dict):
                    cited.add(node["source"].get("doc"))
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(data)
        for key in plan.sources:
            if key not in cited:
                self.add(plan.path, line(("sources", key)), "unused-source", f"source {key!r} is declared but never cited", "warning")

    # -- one file ---------------------------------------------------------------------
    def preloaded(self, f, loaded: dict) -> Ruleset | None:
        """The host's already loaded ruleset of file ``f`` (same text), with the file's real path."""
        import dataclasses
        import hashlib

        try:
            text, _ = read_text(f, MAX_YAML_BYTES)
        except InputError:
            return None
        rs = loaded.get(hashlib.sha256(text.encode("utf-8")).hexdigest())
        if rs is None:
            return None
        rs = dataclasses.replace(rs, path=str(f))
        self.result.files.append(display(str(f)))
        self.result.rulesets.append(rs)
        return rs

    def load_file(self, path: Path, explicit: bool) -> Ruleset | None:
        name = str(path)
        try:
            text, _ = read_text(path, MAX_YAML_BYTES)  # bounded: a FIFO, a huge or non-UTF-8 file is a finding
        except InputError as exc:
            self.result.files.append(display(name))
            self.add_error(exc, name)
            return None
        if not explicit and not _LOOKS_LIKE_RULESET.search(text):
            return None  # some other YAML file in the tree (CI config, ...)
        m = re.search(r"^sector:\s*['\"]?([A-Za-z0-9_]+)", text, re.M)
        if m:
            self.sectors_seen.add(m.group(1))  # even when the file is refused below
        self.result.files.append(display(name))
        try:
            rs = parse_ruleset(text, name)
        except InputError as exc:  # malformed YAML is lint's `yaml`; a limit keeps its own code
            self.add_error(exc, name, "yaml" if exc.code == "input" else None)
            return None
        except MrvError as exc:
            if exc.code == "schema":
                self.schema_findings(text, name)
            else:
                self.add_error(exc, name)
            return None
        self.result.rulesets.append(rs)
        return rs

    def schema_findings(self, text: str, name: str) -> None:
        """Every schema violation of a ruleset, each with its line (the engine stops at the first)."""
        data, lines = load_yaml_text(text, name)
        if not isinstance(data, dict):
            self.add(name, 1, "schema", "a ruleset must be a YAML mapping")
            return

        for place, message in schema_errors("ruleset.schema.json", data, locator(name, lines)):
            file, line = file_line(place, name)
            path_text = place.split(" (", 1)[1].rstrip(")") if " (" in place else ""
            self.add(file, line, "schema", f"{path_text}: {message}" if path_text else message)

    def check_golden(self, path: Path) -> None:
        self.result.files.append(display(str(path)))
        try:
            load_golden(path)
        except (GoldenError, InputError) as exc:
            code = "golden" if isinstance(exc, GoldenError) else "yaml" if exc.code == "input" else None
            self.add_error(exc, str(path), code)

    # -- across files -----------------------------------------------------------------
    def check_all(self, loaded: list[tuple[Ruleset, object]]) -> None:
        rulesets = [rs for rs, _ in loaded]
        generals = [rs for rs in rulesets if rs.sector == GENERAL]
        for rs, entry in loaded:
            self.check_units(rs)
            self.check_citations(rs)
            self.check_unverified(rs)
            self.check_composition(rs, entry, generals)
        self.check_unused(rulesets)
        self.check_years(rulesets)

    def general_for(self, rs: Ruleset, generals: list[Ruleset]) -> Ruleset | None:
        # A provincial pilot's sector edition composes with the pilot's general edition.
        for g in generals:
            if g.governs(rs.year_from) and g.programme == rs.programme:
                return g
        try:
            for g in self.engine.rulesets(GENERAL, programme=rs.programme):
                if g.governs(rs.year_from):
                    return g
        except MrvError:
            return None
        return None

    def check_composition(self, rs: Ruleset, entry, generals: list[Ruleset]) -> None:
        if rs.sector == GENERAL:
            try:
                comp = compose(rs, None)
            except MrvError as exc:
                self.add_error(exc, rs.path)
                return
            self.check_composed(comp, rs)
            return
        general = self.general_for(rs, generals)
        if general is None:
            self.add(rs.path, rs.lines.get(("years",), 1), "compose",
                     f"no general ruleset governs reporting year {rs.year_from}, so the sector's pages cannot be composed")
            return
        pages = self.sector_pages(rs, entry)
        if pages is None:
            return
        try:
            comp = compose(general, rs, pages)
        except MrvError:
            comp = None
        if comp is not None:
            self.check_composed(comp, rs)
            return
        # Find every failing page, not only the first: add the pages one at a time.
        try:
            compose(general, rs, [])
        except MrvError as exc:
            self.add(rs.path, 1, "compose", f"the general ruleset {general.id} cannot be composed: {exc}")
            return
        good, failed = [], []
        for page in sorted(pages, key=lambda p: p["role"] == "supplement"):
            try:
                compose(general, rs, good + [page])
            except MrvError as exc:
                failed.append(page.get("id"))
                if not any(f"'{pid}." in exc.message for pid in failed[:-1]):  # not a knock-on of a failed page
                    self.add_error(exc, rs.path)
                continue
            good.append(page)

    def sector_pages(self, rs: Ruleset, entry) -> list[dict] | None:
        if entry is None:
            return rs.pages
        host = self.engine.host
        try:
            # usable=False: a sector the host found broken is composed here to name every failing page
            return (host.call_sector_hook("mrv_process_pages", rs.sector, usable=False, ruleset=rs) or []) + \
                   (host.call_sector_hook("mrv_supplementary_tables", rs.sector, usable=False, ruleset=rs) or [])
        except MrvError as exc:
            self.add(_plugin_file(entry.plugin_name), 1, "plugin", str(exc))
            return None

    def check_composed(self, comp, rs: Ruleset) -> None:
        """Checks that need the composed pages: duplicate field ids, references, table columns."""
        # A supplement page extends the base page's rows: a field id it repeats from a base page
        # must be a `ref` to that very field, or the composed form has two different figures under
        # one id. Base pages may share ids with each other and with the host's general page: fields
        # are page-scoped, and summaries use shared ids as group keys on purpose.
        others = {}
        for page in comp.pages:
            if page.role == "base":
                for fid, f in page.fields.items():
                    others.setdefault(fid, (page, f))
        for page in comp.pages:
            if page.role != "supplement" or page.ruleset is not rs:
                continue
            for fid, f in page.fields.items():
                if fid not in others:
                    continue
                other_page, other = others[fid]
                ref = f.raw.get("ref") or {}
                if ref.get("page") == other_page.id and ref.get("field") == fid:
                    continue
                file, line = file_line(f.where, rs.path)
                ofile, oline = file_line(other.where, "")
                self.add(file, line, "duplicate-field",
                         f"field id {fid!r} of supplement page {page.id!r} is also a field of {other_page.role} page "
                         f"{other_page.id!r} ({display(ofile)}:{oline}): rename it, or make it ref: "
                         f"{{page: {other_page.id}, field: {fid}}} if it names the same row")
        pages = {p.id: p for p in comp.pages}
        for page in comp.pages:
            if page.ruleset is not rs:
                continue
            for fid, f in page.fields.items():
                file, line = file_line(f.where, rs.path)
                ref = f.raw.get("ref")
                if ref:
                    target = pages.get(ref["page"])
                    if target is None:
                        self.add(file, line, "undefined-name", f"field {fid!r} refers to page {ref['page']!r}, which is not in the composed report")
                    elif ref["field"] not in target.fields:
                        self.add(file, line, "undefined-name", f"field {fid!r} refers to field {ref['field']!r}, which page {ref['page']!r} does not have")
                tables = [comp.tables[t.raw["table"]][0] for t in page.fields.values() if t.raw.get("table") in comp.tables]
                for fb in f.raw.get("fallbacks", []):
                    col = fb.get("column")
                    if col and tables and not any(col in t.get("columns", {}) for t in tables):
                        self.add(file, line, "undefined-name", f"fallback of field {fid!r} reads column {col!r}, which no table chosen on page {page.id!r} has")
            for var, spec in page.raw.get("unit_vars", {}).items():
                col = spec.get("column")
                tname = page.fields[spec["field"]].raw.get("table") if spec["field"] in page.fields else None
                if col and tname in comp.tables and col not in comp.tables[tname][0].get("columns", {}):
                    file, line = file_line(page.where, rs.path)
                    self.add(file, line, "undefined-name", f"unit variable {var!r} reads column {col!r}, which table {tname!r} does not have")

    def check_units(self, rs: Ruleset) -> None:
        """Every declared unit must be known, also where no formula reads it yet."""
        def check(unit, path, what):
            if not isinstance(unit, str) or "{" in unit:
                return  # row-dependent units are checked with their bindings at composition
            try:
                U.parse(unit)
            except UnitError as exc:
                self.add(rs.path, _line(rs, path), "unit", f"{what}: {exc.message}")

        for name, p in rs.data.get("parameters", {}).items():
            check(p.get("unit"), ("parameters", name, "unit"), f"parameter {name!r}")
        for tname, t in rs.data.get("tables", {}).items():
            for col, c in t.get("columns", {}).items():
                check(c.get("unit"), ("tables", tname, "columns", col), f"column {col!r} of table {tname!r}")
        for i, page in enumerate(rs.pages):
            for j, f in enumerate(page.get("fields", [])):
                check(f.get("unit"), ("pages", i, "fields", j), f"field {f.get('id')!r}")

    def check_citations(self, rs: Ruleset) -> None:
        cited = set()

        def walk(node, path):
            if isinstance(node, dict):
                for k, v in node.items():
                    if k == "source" and isinstance(v, dict) and "doc" in v:
                        cited.add(v["doc"])
                        clause = v.get("clause", "")
                        if _PLACEHOLDER.search(clause):
                            self.add(rs.path, _line(rs, path + (k,)), "placeholder",
                                     f"citation clause is a placeholder ({clause!r}): name the real clause", "warning")
                    walk(v, path + (k,))
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    walk(v, path + (i,))

        walk(rs.data, ())
        for key, src in rs.sources.items():
            if key not in cited:
                self.add(rs.path, _line(rs, ("sources", key)), "unused-source", f"source {key!r} is declared but never cited", "warning")
            if _PLACEHOLDER.search(src.get("title", "")):
                self.add(rs.path, _line(rs, ("sources", key)), "placeholder", f"source {key!r} has a placeholder title: give the document's real title", "warning")
        for i, page in enumerate(rs.pages):
            groups = [(("pages", i, "formulas"), page.get("formulas", []))]
            for j, s in enumerate(page.get("summaries", [])):
                groups.append((("pages", i, "summaries", j, "formulas"), s.get("formulas", [])))
            for base, formulas in groups:
                for k, f in enumerate(formulas):
                    if not f.get("source"):
                        # Every figure a verifier sees must say which rule computes it.
                        what = "emission output" if f.get("gas") else "formula"
                        self.add(rs.path, _line(rs, base + (k,)), "missing-citation",
                                 f"{what} {f.get('id')!r} on page {page.get('id')!r} cites no source: add source: {{doc: ..., clause: ...}}")
        for tname, table in rs.data.get("tables", {}).items():
            for rid, row in table.get("rows", {}).items():
                figures = [k for k, v in row.items() if is_figure(k, v, table)]
                if figures and not row.get("source"):
                    self.add(rs.path, _line(rs, ("tables", tname, "rows", rid)), "missing-citation",
                             f"row {rid!r} of table {tname!r} gives figures ({', '.join(figures)}) but cites no source")
        if rs.data.get("boundary") and not rs.data["boundary"].get("source"):
            self.add(rs.path, _line(rs, ("boundary",)), "missing-citation", "the boundary cites no source", "warning")

    def check_unverified(self, rs: Ruleset) -> None:
        self.result.counts.append(FigureCount(rs.id, display(rs.path), len(rs.figures()), len(rs.unverified())))

        def report(path, what, note):
            line = _line(rs, path)
            self.add(rs.path, line, "unverified", f"{what} is marked verified: false" + (f" ({note})" if note else ""), "warning")
            if not note:
                self.add(rs.path, line, "unverified-no-note", f"{what} is marked verified: false without a note saying why")

        for name, p in rs.data.get("parameters", {}).items():
            if p.get("verified") is False:
                report(("parameters", name), f"parameter {name!r}", p.get("note", ""))
            for year, e in p.get("by_year", {}).items():
                if e.get("verified") is False:
                    report(("parameters", name, "by_year", year), f"parameter {name!r} for {year}", e.get("note", "") or p.get("note", ""))
        for tname, t in rs.data.get("tables", {}).items():
            for rid, row in t.get("rows", {}).items():
                if row.get("verified") is False:
                    report(("tables", tname, "rows", rid), f"row {rid!r} of table {tname!r}", row.get("note", ""))
        for rid, r in rs.data.get("plausibility", {}).items():
            if r.get("verified") is False:  # a range without its own note is explained by its source's
                note = r.get("note", "") or rs.data["sources"].get(r["source"]["doc"], {}).get("note", "")
                report(("plausibility", rid), f"plausible range {rid!r}", note)
        for sid, srs in rs.data.get("grid", {}).get("series", {}).items():
            if srs.get("verified") is False:
                report(("grid", "series", sid), f"grid factor {sid!r}", srs.get("note", ""))
            for year, e in srs.get("by_year", {}).items():
                if e.get("verified") is False:
                    report(("grid", "series", sid, "by_year", year), f"grid factor {sid!r} for {year}", e.get("note", "") or srs.get("note", ""))
        gwp = rs.data.get("gwp")
        if gwp and gwp.get("verified") is False:
            report(("gwp",), "the GWP set", gwp.get("note", ""))

    def check_unused(self, rulesets: list[Ruleset]) -> None:
        """Parameters and tables defined but never used (read from the formula texts, not composition)."""
        generals = [rs for rs in rulesets if rs.sector == GENERAL]
        used: dict[str, set] = {rs.path: set() for rs in rulesets}
        for rs in rulesets:
            names = _names_used(rs)
            tables = {f.get("table") for p in rs.pages for f in p.get("fields", []) if f.get("table")}
            own_params = set(rs.data.get("parameters", {}))
            own_tables = set(rs.data.get("tables", {}))
            used[rs.path] |= {("p", n) for n in names & own_params} | {("t", t) for t in tables & own_tables}
            code = self.plugin_code(rs.sector)  # a plugin's own checks may read a table or parameter by name
            used[rs.path] |= {("p", n) for n in own_params if _quoted(n, code)} | {("t", t) for t in own_tables if _quoted(t, code)}
            if rs.sector != GENERAL:
                for g in generals:
                    if _overlap(g, rs):
                        used[g.path] |= {("p", n) for n in names - own_params} | {("t", t) for t in tables - own_tables}
                        # a table over the host's, row by row, serves the host's pages that choose from it
                        host_tables = {f.get("table") for p in g.pages for f in p.get("fields", []) if f.get("table")}
                        used[rs.path] |= {("t", n) for n, t in rs.data.get("tables", {}).items()
                                          if t.get("extends") and n in host_tables}
                        used[g.path] |= {("t", n) for n, t in rs.data.get("tables", {}).items() if t.get("extends")}
        for rs in rulesets:
            severity = "warning" if rs.sector == GENERAL else "error"
            for name in rs.data.get("parameters", {}):
                if ("p", name) not in used[rs.path]:
                    how = "used neither by the general pages nor by any linted sector ruleset" if rs.sector == GENERAL \
                        else "not used by any formula or fallback"
                    self.add(rs.path, _line(rs, ("parameters", name)), "unused-parameter",
                             f"parameter {name!r} is defined but {how}", severity)
            for name in rs.data.get("tables", {}):
                if ("t", name) not in used[rs.path]:
                    self.add(rs.path, _line(rs, ("tables", name)), "unused-table",
                             f"table {name!r} is defined but no field chooses from it", severity)

    def plugin_code(self, sector: str) -> str:
        """The Python source of the installed plugin of ``sector`` (its package), or ''."""
        cache = self.__dict__.setdefault("_code", {})
        if sector not in cache:
            text = ""
            try:
                entry = self.engine.host.sectors.get(sector)
            except MrvError:  # pragma: no cover
                entry = None
            if entry is not None:
                origin = Path(_plugin_file(entry.plugin_name))
                if origin.is_file():
                    files = sorted(origin.parent.rglob("*.py")) if origin.name == "__init__.py" else [origin]
                    text = "\n".join(f.read_text(encoding="utf-8", errors="replace") for f in files)
            cache[sector] = text
        return cache[sector]

    def check_years(self, rulesets: list[Ruleset]) -> None:
        by_sector: dict[tuple[str, str], list[Ruleset]] = {}
        ids: dict[str, Ruleset] = {}
        for rs in rulesets:
            if rs.id in ids and ids[rs.id].path != rs.path:
                self.add(rs.path, _line(rs, ("id",)), "duplicate-id", f"ruleset id {rs.id!r} is also used by {display(ids[rs.id].path)}")
                continue
            ids[rs.id] = rs
            # Each programme's editions of a sector form their own sequence (national, a pilot's).
            by_sector.setdefault((rs.sector, rs.programme), []).append(rs)
        for (sector, _programme), editions in by_sector.items():
            editions.sort(key=lambda r: (r.start, r.id))
            index = RulesetIndex()
            for rs in editions:
                try:
                    index.add(rs)
                except RulesetError as exc:
                    self.add_error(exc, rs.path, "year-overlap")
            for a, b in zip(editions, editions[1:]):
                if a.year_to is not None and b.start > a.end + 1 and b.year_from <= a.year_to + 1:
                    self.add(b.path, _line(b, ("years",)), "year-gap",
                             f"months of sector {sector!r} between {a.years_text} and {b.years_text} are governed by no "
                             f"edition: {a.id} ends in month {a.month_to} of {a.year_to} and {b.id} starts in month "
                             f"{b.month_from} of {b.year_from}")
                elif a.year_to is not None and b.year_from > a.year_to + 1:
                    gap = f"{a.year_to + 1}" if b.year_from == a.year_to + 2 else f"{a.year_to + 1}–{b.year_from - 1}"
                    self.add(b.path, _line(b, ("years",)), "year-gap",
                             f"reporting year(s) {gap} of sector {sector!r} are governed by no edition: "
                             f"{a.id} ends in {a.year_to} and {b.id} starts in {b.year_from}")


def _kind(path: Path) -> str | None:
    """The ``kind:`` a YAML file declares at its top level (allocation-plan, calendar), or None."""
    try:
        m = re.search(r"^kind:\s*['\"]?([a-z-]+)", path.read_text(encoding="utf-8"), re.M)
    except (OSError, UnicodeDecodeError):
        return None
    return m.group(1) if m else None


def _quoted(name: str, code: str) -> bool:
    return f'"{name}"' in code or f"'{name}'" in code


def _overlap(a: Ruleset, b: Ruleset) -> bool:
    """Whether two rulesets govern at least one reporting year in common."""
    a_to = a.year_to if a.year_to is not None else 10**6
    b_to = b.year_to if b.year_to is not None else 10**6
    return max(a.year_from, b.year_from) <= min(a_to, b_to)  # a shared split year counts: both compose with its general ruleset


def _line(rs: Ruleset, path: tuple) -> int:
    p = tuple(path)
    while p and p not in rs.lines:
        p = p[:-1]
    return rs.lines.get(p, 1)


def _names_used(rs: Ruleset) -> set[str]:
    names: set[str] = set()

    def exprs(f):
        out = [f["expr"]] if "expr" in f else []
        for c in f.get("cases", []):
            out.append(c.get("expr", ""))
            if c.get("when"):
                out.append(c["when"])
        return out

    for page in rs.pages:
        formulas = list(page.get("formulas", []))
        for s in page.get("summaries", []):
            formulas += s.get("formulas", [])
        for f in formulas:
            for text in exprs(f):
                try:
                    tree = ast.parse(str(text).strip(), mode="eval")
                except SyntaxError:
                    continue
                names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        for fld in page.get("fields", []):
            for fb in fld.get("fallbacks", []):
                if fb.get("param"):
                    names.add(fb["param"])
    return names


def _plugin_file(entry_point_name: str) -> str:
    """The file of a sector plugin's module, for findings about the plugin itself."""
    for ep in entry_points(group="mrv_engine.sectors"):
        if ep.name == entry_point_name:
            module = ep.value.split(":", 1)[0]
            try:
                spec = find_spec(module)
            except (ImportError, ValueError):
                spec = None
            if spec is not None and spec.origin:
                return spec.origin
            return ep.value
    return f"<plugin {entry_point_name}>"


def lint(paths=None, sectors=None, engine=None) -> LintResult:
    """Lint ``paths`` (files or directories); with none, every installed sector plugin."""
    linter = Linter(engine)
    if paths:
        return linter.lint_paths(paths)
    return linter.lint_sectors(sectors)
