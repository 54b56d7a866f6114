"""Rulesets: one YAML file per methodology edition, validated and indexed on load.

A ruleset is data. Loading checks it against ``schemas/ruleset.schema.json``
(JSON Schema 2020-12) and against itself (citations name declared sources,
ids are unique, formula names resolve when the ruleset is composed), so a bad
file is refused with its path and line before any figure is computed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from importlib import resources

from ..base.documents import Lines, load_yaml_text
from ..base.errors import RulesetError, SelectionError
from ..base.findings import json_path
from ..base.numbers import NotANumber, to_decimal
from .grid import NATIONAL, GridRules

# NATIONAL (from .grid): the programme of an edition, and of a submission, that names none.

#: Golden test files (``*.golden.yaml``) lie next to the rulesets they test but are not rulesets.
GOLDEN_SUFFIXES = (".golden.yaml", ".golden.yml")


def programme_of(submission) -> str | None:
    """The programme a submission names (``$.programme``: ``national`` or a pilot's such as
    ``hubei_pilot``), or None (national); it selects the editions of the sector and year."""
    p = submission.get("programme") if isinstance(submission, dict) else None
    return p if isinstance(p, str) and p else None


def is_golden(name) -> bool:
    """Whether the file ``name`` is a golden test file (``*.golden.yaml``), not a ruleset."""
    return str(name).endswith(GOLDEN_SUFFIXES)


_NUMBER_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?(/[0-9]+(\.[0-9]+)?)?")


def is_figure(key, value, table: dict) -> bool:
    """Whether a table row's ``key: value`` is a figure (a number, or a ratio such as ``44/12``).

    Labels, citations, notes, text columns and empty cells are not figures: a row without
    any figure (an "other: give your own factor" row) is a choice, not a default.
    """
    if key in ("label", "source", "verified", "note") or value is None or isinstance(value, bool):
        return False
    if table.get("columns", {}).get(key, {}).get("type") == "text":
        return False
    if isinstance(value, str):
        return bool(_NUMBER_TEXT.fullmatch(value.strip()))
    return True


CATEGORIES = ("energy_direct_stationary", "energy_direct_mobile", "energy_indirect", "process")


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    """A bundled JSON Schema by file name (``ruleset.schema.json`` ...)."""
    text = resources.files("mrv_engine").joinpath("schemas", name).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def validator(name: str):
    from jsonschema import Draft202012Validator  # lazy: heavy import

    return Draft202012Validator(schema(name))


def schema_errors(name: str, data, where_of) -> list[tuple[str, str]]:
    """[(place, message)] for every schema violation, most specific first."""
    from jsonschema.exceptions import best_match

    out = []
    for error in sorted(validator(name).iter_errors(data), key=lambda e: list(e.absolute_path)):
        error = best_match([error]) if not error.context else best_match(error.context)
        out.append((where_of(tuple(error.absolute_path)), error.message))
    return out


@dataclass(frozen=True)
class Citation:
    doc: str
    clause: str = ""
    note: str = ""
    title: str = ""
    number: str = ""

    @cached_property
    def shown(self) -> str:
        """:meth:`text`, worked out once per citation (traces show it for every operand)."""
        return self.text()

    def text(self) -> str:
        head = self.title or self.doc
        if self.number:
            head += f"（{self.number}）"
        return f"{head} {self.clause}".strip()


@dataclass(frozen=True)
class ParamValue:
    """A parameter's value for one reporting year, with where it comes from."""

    name: str
    value: Decimal
    unit: str
    citation: Citation | None
    verified: bool = True
    note: str = ""
    origin: str = "ruleset"  # ruleset | submission
    why: dict | None = None  # {zh, en}: why the grid rules chose this value (grid parameters)
    grid: object = None  # the GridChoice behind it (grid parameters)


@dataclass
class Parameter:
    name: str
    label: dict
    unit: str
    value: Decimal | None
    citation: Citation | None
    verified: bool
    note: str
    by_year: dict[int, tuple[Decimal, Citation, bool, str]]
    line: int
    #: The programme whose grid rules choose the value (``legal_boundary``, ``supplementary``);
    #: such a parameter has no value of its own: the calculation selects it per report.
    grid: str | None = None

    def at(self, year: int) -> ParamValue | None:
        if self.grid is not None:
            return None
        if self.value is not None:
            return ParamValue(self.name, self.value, self.unit, self.citation, self.verified, self.note)
        entry = self.by_year.get(year)
        if entry is None:
            return None
        value, cit, verified, note = entry
        return ParamValue(self.name, value, self.unit, cit, verified, note)


def months_text(year: int, lo: int, hi: int, lang: str = "en") -> str:
    """``2022年1—3月`` / ``January–March 2022`` (one month: ``2022年4月`` / ``April 2022``)."""
    names = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
    if lang == "zh":
        return f"{year}年{lo}月" if lo == hi else f"{year}年{lo}—{hi}月"
    return f"{names[lo - 1]} {year}" if lo == hi else f"{names[lo - 1]}–{names[hi - 1]} {year}"


@dataclass(frozen=True)
class Period:
    """The months ``lo``..``hi`` of a reporting year and the edition that governs them, with why
    (the edition's ``years.why`` and ``years.source``: the notice that set when it applies)."""

    lo: int
    hi: int
    ruleset: Ruleset

    def covers(self, month: int) -> bool:
        return self.lo <= month <= self.hi

    def why(self, year: int, title: bool = False) -> dict:
        """Which edition governs these months and why, citing the notice; with the edition's title
        when ``title`` (a report's list of periods; a trace line names the id only)."""
        rs = self.ruleset
        tz, te = (f"（{rs.title['zh']}）", f" ({rs.title['en']})") if title else ("", "")
        raw = rs.data["years"].get("why") or {}
        cit = rs.citation(rs.data["years"].get("source"))
        cite_zh = f"（{cit.text()}）" if cit else ""
        cite_en = f" ({cit.text()})" if cit else ""
        return {
            "zh": f"{months_text(year, self.lo, self.hi, 'zh')}：{rs.id}{tz}"
                  + (f"——{raw['zh']}" if raw else "") + cite_zh,
            "en": f"{months_text(year, self.lo, self.hi)}: {rs.id}{te}"
                  + (f" — {raw['en']}" if raw else "") + cite_en,
        }

    def as_dict(self, year: int) -> dict:
        cit = self.ruleset.citation(self.ruleset.data["years"].get("source"))
        return {"ruleset": self.ruleset.id, "sha256": self.ruleset.digest, "months": {"from": self.lo, "to": self.hi},
                "why": self.why(year, title=True), **({"citation": cit.text()} if cit else {})}


@dataclass
class Ruleset:
    """One loaded, schema-valid ruleset file."""

    id: str
    sector: str
    title: dict
    year_from: int
    year_to: int | None
    data: dict
    lines: Lines
    path: str
    digest: str
    parameters: dict[str, Parameter] = field(default_factory=dict)
    grid: GridRules | None = None
    #: The first month of ``year_from`` and the last of ``year_to`` that the edition governs: an
    #: edition that starts or ends inside a reporting year (power 2022: the 2022 revision from April)
    #: shares that year with another, each governing its months.
    month_from: int = 1
    month_to: int = 12
    #: The programme whose reports the edition governs (``national``, or a pilot's such as ``hubei_pilot``).
    programme: str = NATIONAL

    @property
    def start(self) -> int:
        """The first month governed, as a month count (year × 12 + month − 1)."""
        return self.year_from * 12 + self.month_from - 1

    @property
    def end(self) -> int:
        """The last month governed, as a month count; open-ended editions end far in the future."""
        return (self.year_to * 12 + self.month_to - 1) if self.year_to is not None else 10**7

    def governs_month(self, year: int, month: int) -> bool:
        return self.start <= year * 12 + month - 1 <= self.end

    def months_of(self, year: int) -> tuple[int, int] | None:
        """(first, last) month of ``year`` this edition governs, or None."""
        lo, hi = max(self.start, year * 12), min(self.end, year * 12 + 11)
        return (lo - year * 12 + 1, hi - year * 12 + 1) if lo <= hi else None

    def where(self, path: tuple = ()) -> str:
        """``file:line`` of the value at ``path`` (the nearest known ancestor)."""
        p = tuple(path)
        while p and p not in self.lines:
            p = p[:-1]
        return f"{self.path}:{self.lines.get(p, 1)}"

    def governs(self, year: int) -> bool:
        """Whether the edition governs any month of reporting ``year`` (all of it, or some months of
        a split year: :meth:`RulesetIndex.periods` says which)."""
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)

    @property
    def split(self) -> bool:
        """Whether the edition starts or ends inside a reporting year."""
        return self.month_from != 1 or self.month_to != 12

    def span_text(self) -> str:
        """The years (and, in a split year, the months) governed, for people: ``2019 to 2020``,
        ``January 2021 to March 2022``, ``April 2022 to December 2022``, ``2024 to (open)``."""
        if not self.split:
            return f"{self.year_from} to {self.year_to if self.year_to is not None else '(open)'}"
        end = "(open)" if self.year_to is None else months_text(self.year_to, self.month_to, self.month_to)
        return f"{months_text(self.year_from, self.month_from, self.month_from)} to {end}"

    @property
    def years_text(self) -> str:
        start = f"{self.year_from}" + (f"-{self.month_from:02d}" if self.month_from != 1 else "")
        end = "" if self.year_to is None else f"{self.year_to}" + (f"-{self.month_to:02d}" if self.month_to != 12 else "")
        return f"{start}–{end}"

    def citation(self, raw: dict | None) -> Citation | None:
        if not raw:
            return None
        doc = self.data["sources"].get(raw["doc"], {})
        return Citation(raw["doc"], raw.get("clause", ""), raw.get("note", ""), doc.get("title", ""), doc.get("number", ""))

    @property
    def sources(self) -> dict:
        return self.data["sources"]

    @property
    def pages(self) -> list[dict]:
        return self.data.get("pages", [])

    def summary(self) -> dict:
        return {
            "id": self.id,
            "sector": self.sector,
            "title": self.title,
            "programme": self.programme,
            "years": {"from": self.year_from, "to": self.year_to,
                      **({"from_month": self.month_from} if self.month_from != 1 else {}),
                      **({"to_month": self.month_to} if self.month_to != 12 else {})},
            "sources": [
                {"key": k, **{f: v for f, v in s.items() if f in ("title", "number", "date")}}
                for k, s in self.sources.items()
            ],
            "path": self.path,
            "sha256": self.digest,
            "figures": len(self.figures()),
            "unverified": self.unverified(),
            "programmes": self.programmes(),
        }

    def figures(self) -> list[str]:
        """Names of every default figure the ruleset ships, confirmed or not.

        A figure is what a citation and a ``verified`` mark belong to: a parameter's value,
        each dated value of a parameter (``parameters.grid_ef[2021]``), each table row that
        gives at least one number (``tables.fuels.coke``; its columns are confirmed together,
        from the same table of the same document), and the GWP set. :meth:`unverified` is the
        subset shipped ``verified: false``; ``mrv lint`` and the README count both.
        """
        out = []
        for name, p in self.data.get("parameters", {}).items():
            if "value" in p:
                out.append(f"parameters.{name}")
            out.extend(f"parameters.{name}[{year}]" for year in p.get("by_year", {}))
        for tname, t in self.data.get("tables", {}).items():
            for rid, row in t.get("rows", {}).items():
                if any(is_figure(k, v, t) for k, v in row.items()):
                    out.append(f"tables.{tname}.{rid}")
        for sid, srs in self.data.get("grid", {}).get("series", {}).items():
            if "value" in srs:
                out.append(f"grid.series.{sid}")
            out.extend(f"grid.series.{sid}[{year}]" for year in srs.get("by_year", {}))
        if self.data.get("gwp"):
            out.append("gwp")
        out.extend(f"plausibility.{rid}" for rid in self.data.get("plausibility", {}))
        return out

    def programmes(self) -> list[dict]:
        """The programmes this ruleset's figures serve: its grid rules (the host's general
        ruleset), or the programmes its grid parameters follow (a sector's)."""
        if self.grid is not None:
            out = []
            for pid, prog in self.grid.programmes.items():
                rules = [{"years": {"from": r["years"]["from"], "to": r["years"].get("to")},
                          **({"sectors": r["sectors"]} if "sectors" in r else {}),
                          **({"except_sectors": r["except_sectors"]} if "except_sectors" in r else {}),
                          "factor": r["factor"]} for r in prog["rules"]]
                out.append({"id": pid, "label": prog["label"], "pilot": bool(prog.get("pilot")), "rules": rules})
            return out
        used = sorted({p.grid for p in self.parameters.values() if p.grid})
        return [{"id": g, "parameters": sorted(n for n, p in self.parameters.items() if p.grid == g)} for g in used]

    def unverified(self) -> list[str]:
        """Names of every figure shipped with ``verified: false``."""
        out = []
        for name, p in self.data.get("parameters", {}).items():
            if p.get("verified") is False:
                out.append(f"parameters.{name}")
            for year, e in p.get("by_year", {}).items():
                if e.get("verified") is False:
                    out.append(f"parameters.{name}[{year}]")
        for tname, t in self.data.get("tables", {}).items():
            for rid, row in t.get("rows", {}).items():
                if row.get("verified") is False:
                    out.append(f"tables.{tname}.{rid}")
        for sid, srs in self.data.get("grid", {}).get("series", {}).items():
            if srs.get("verified") is False:
                out.append(f"grid.series.{sid}")
            for year, e in srs.get("by_year", {}).items():
                if e.get("verified") is False:
                    out.append(f"grid.series.{sid}[{year}]")
        if self.data.get("gwp", {}).get("verified") is False:
            out.append("gwp")
        out.extend(f"plausibility.{rid}" for rid, r in self.data.get("plausibility", {}).items() if r.get("verified") is False)
        return out


def _number(ruleset_path: str, lines: Lines, path: tuple, raw) -> Decimal:
    try:
        return to_decimal(raw)
    except NotANumber as exc:
        p = path
        while p and p not in lines:
            p = p[:-1]
        raise RulesetError(str(exc), f"{ruleset_path}:{lines.get(p, 1)}") from None


def locator(path: str, lines: Lines):
    """``where_of(json_path) -> "file:line (json path)"``, the line of the nearest known ancestor."""
    def where_of(p) -> str:
        q = tuple(p)
        while q and q not in lines:
            q = q[:-1]
        return f"{path}:{lines.get(q, 1)} ({json_path(p)})"

    return where_of


def load_validated(text: str, path: str, schema_name: str, error, what: str):
    """YAML ``text`` checked against a bundled schema: (data, lines, where_of).

    ``where_of(json_path)`` names ``file:line (json path)``; the first violation is raised
    as ``error`` with the count of the others.
    """
    data, lines = load_yaml_text(text, path)
    where_of = locator(path, lines)
    if not isinstance(data, dict):
        raise error(f"{what} must be a YAML mapping", f"{path}:1", code="schema")
    errors = schema_errors(schema_name, data, where_of)
    if errors:
        place, message = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise error(f"does not match the {schema_name.split('.')[0]} schema: {message}{more}", place, code="schema")
    return data, lines, where_of


def parse_ruleset(text: str, path: str) -> Ruleset:
    """Validate ``text`` (a ruleset YAML) and build a :class:`Ruleset`; refuse it otherwise."""
    data, lines, where_of = load_validated(text, path, "ruleset.schema.json", RulesetError, "a ruleset")
    years = data["years"]
    if years.get("to") is not None and years["to"] < years["from"]:
        raise RulesetError(f"years.to {years['to']} is before years.from {years['from']}", where_of(("years",)))
    if years.get("to_month", 12) != 12 and years.get("to") is None:
        raise RulesetError("years.to_month needs years.to: an open-ended edition ends in no month", where_of(("years",)))
    if years.get("to") == years["from"] and years.get("to_month", 12) < years.get("from_month", 1):
        raise RulesetError(f"years.to_month {years['to_month']} is before years.from_month {years['from_month']}",
                           where_of(("years",)))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    rs = Ruleset(
        id=data["id"], sector=data["sector"], title=data["title"], year_from=years["from"],
        year_to=years.get("to"), data=data, lines=lines, path=path, digest=digest,
        month_from=years.get("from_month", 1), month_to=years.get("to_month", 12),
        programme=data.get("programme", NATIONAL),
    )
    _check_citations(rs, where_of)
    for name, raw in data.get("parameters", {}).items():
        base = ("parameters", name)
        value = _number(path, lines, base + ("value",), raw["value"]) if "value" in raw else None
        by_year = {}
        for year, entry in raw.get("by_year", {}).items():
            by_year[int(year)] = (
                _number(path, lines, base + ("by_year", year, "value"), entry["value"]),
                rs.citation(entry["source"]),
                entry.get("verified", True),
                entry.get("note", ""),
            )
        rs.parameters[name] = Parameter(
            name, raw["label"], raw["unit"], value, rs.citation(raw.get("source")),
            raw.get("verified", True), raw.get("note", ""), by_year, lines.get(base, 1), raw.get("grid"),
        )
    _check_plausibility(rs, data.get("plausibility", {}), where_of)
    if "grid" in data:
        _check_grid(rs, data["grid"], where_of)
        rs.grid = GridRules(rs, data["grid"])
    return rs


def _check_plausibility(rs: Ruleset, raw: dict, where_of) -> None:
    """Every range names a table of this ruleset and rows of it, and its bounds are numbers, low before high."""
    tables = rs.data.get("tables", {})
    for rid, r in raw.items():
        base = ("plausibility", rid)
        if r["table"] not in tables:
            raise RulesetError(f"range {rid!r} names table {r['table']!r}, which this ruleset does not define",
                               where_of(base + ("table",)), code="undefined-name")
        for i, row in enumerate(r["rows"]):
            if row not in tables[r["table"]].get("rows", {}):
                raise RulesetError(f"range {rid!r} names row {row!r}, which table {r['table']!r} does not have",
                                   where_of(base + ("rows", i)), code="undefined-name")
        lo = _number(rs.path, rs.lines, base + ("min",), r["min"]) if "min" in r else None
        hi = _number(rs.path, rs.lines, base + ("max",), r["max"]) if "max" in r else None
        if lo is not None and hi is not None and lo > hi:
            raise RulesetError(f"range {rid!r}: min {lo} is above max {hi}", where_of(base + ("min",)))


def _check_grid(rs: Ruleset, raw: dict, where_of) -> None:
    """Every series a rule or a province names exists, and every value is a number."""
    series = raw["series"]
    for sid, s in series.items():
        if "value" in s:
            _number(rs.path, rs.lines, ("grid", "series", sid, "value"), s["value"])
        for y, e in s.get("by_year", {}).items():
            _number(rs.path, rs.lines, ("grid", "series", sid, "by_year", y, "value"), e["value"])
    for pid, row in raw["regions"]["provinces"].items():
        if row["series"] is not None and row["series"] not in series:
            raise RulesetError(f"province {pid!r} names grid series {row['series']!r}, which is not defined",
                               where_of(("grid", "regions", "provinces", pid)), code="undefined-name")
    for prog, p in raw["programmes"].items():
        for i, rule in enumerate(p["rules"]):
            f = rule["factor"]
            if f is not None and f != "regional" and f not in series:
                raise RulesetError(f"grid rule names series {f!r}, which is not defined",
                                   where_of(("grid", "programmes", prog, "rules", i)), code="undefined-name")
    for name, prm in rs.data.get("parameters", {}).items():
        g = prm.get("grid")
        if g is not None and g not in raw["programmes"]:
            raise RulesetError(f"parameter {name!r} follows grid programme {g!r}, which is not defined",
                               where_of(("parameters", name, "grid")), code="undefined-name")


def _check_citations(rs: Ruleset, where_of) -> None:
    sources = rs.data["sources"]

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "source" and isinstance(value, dict) and "doc" in value:
                    if value["doc"] not in sources:
                        raise RulesetError(
                            f"cites source {value['doc']!r}, which is not declared under sources "
                            f"(declared: {', '.join(sorted(sources))})",
                            where_of(path + (key,)), code="undefined-name",
                        )
                walk(value, path + (key,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, path + (i,))

    walk(rs.data, ())


class RulesetIndex:
    """Every loaded ruleset, by id and by sector, with selection by reporting year and programme.

    Editions of a sector and programme never overlap, month by month: the national editions of a
    sector form one sequence, a provincial pilot's (``programme: hubei_pilot``) another, so the
    same year may have a national and a pilot edition, and a submission's ``programme`` chooses.
    Most editions govern whole reporting years; one that starts or ends inside a year
    (``years.from_month`` / ``to_month``) shares that year with its neighbour: :meth:`select` then
    gives the edition of the year's annual report (the one governing December, the rules the
    annual form was filed under) and :meth:`periods` the edition of each month, under which that
    month's figures are calculated.
    """

    def __init__(self):
        self.by_id: dict[str, Ruleset] = {}
        self.by_sector: dict[str, list[Ruleset]] = {}

    def add(self, rs: Ruleset) -> None:
        if rs.id in self.by_id:
            other = self.by_id[rs.id]
            raise RulesetError(f"ruleset id {rs.id!r} is also defined in {other.path}", rs.where(), code="duplicate-id")
        for other in self.by_sector.get(rs.sector, []):
            if other.programme == rs.programme and max(rs.start, other.start) <= min(rs.end, other.end):
                raise RulesetError(
                    f"ruleset {rs.id!r} ({rs.years_text}) overlaps {other.id!r} ({other.years_text}) "
                    f"of sector {rs.sector!r}" + (f", programme {rs.programme!r}" if rs.programme != NATIONAL else "")
                    + ": exactly one edition must govern each month of a reporting year",
                    rs.where(("years",)), code="year-overlap",
                )
        self.by_id[rs.id] = rs
        self.by_sector.setdefault(rs.sector, []).append(rs)
        self.by_sector[rs.sector].sort(key=lambda r: (r.programme != NATIONAL, r.programme, r.start))

    def programmes(self) -> list[str]:
        """Every programme some loaded edition governs: ``national`` first, then the pilots."""
        return [NATIONAL, *sorted({r.programme for r in self.by_id.values()} - {NATIONAL})]

    def editions(self, sector: str, programme: str | None = None) -> list[Ruleset]:
        """The editions of ``sector`` for ``programme`` (national when None), in order of their years."""
        programme = programme or NATIONAL
        return [r for r in self.by_sector.get(sector, []) if r.programme == programme]

    def select(self, sector: str, year: int, programme: str | None = None) -> Ruleset:
        """The edition of reporting ``year``'s annual report under ``programme`` (national when None):
        the one governing its last month that any edition governs (December, unless the sector's
        rules stop inside the year)."""
        programme = programme or NATIONAL
        editions = self.editions(sector, programme)
        found = [r for r in editions if r.governs(year)]
        if not found:
            listing = ", ".join(f"{r.id} ({r.years_text})" for r in editions) or "none"
            if programme != NATIONAL:
                raise SelectionError(
                    f"no ruleset of sector {sector!r} for programme {programme!r} governs reporting year {year}; "
                    f"its editions of that programme: {listing}",
                    message_zh=f"{sector} 行业没有适用于 {programme} 报告类型 {year} 报告年度的规则版本；"
                               f"该报告类型的现有版本：{listing if editions else '无'}",
                )
            raise SelectionError(
                f"no ruleset of sector {sector!r} governs reporting year {year}; editions: {listing}",
                message_zh=f"{sector} 行业没有适用于 {year} 报告年度的规则版本；现有版本：{listing if editions else '无'}",
            )
        return found[-1]

    def periods(self, sector: str, year: int, programme: str | None = None) -> list[Period]:
        """The editions of ``programme`` (national when None) governing the months of ``year``, in
        order, each with its months; one period (months 1-12) in a year that no edition change
        splits. Months no edition governs are refused, naming them."""
        out = []
        for r in self.editions(sector, programme):
            got = r.months_of(year)
            if got is not None:
                out.append(Period(got[0], got[1], r))
        covered = {m for p in out for m in range(p.lo, p.hi + 1)}
        if out and len(covered) < 12:
            missing = ", ".join(str(m) for m in range(1, 13) if m not in covered)
            raise SelectionError(f"no ruleset of sector {sector!r} governs month(s) {missing} of reporting year {year}; "
                                 f"editions: {', '.join(f'{p.ruleset.id} ({p.ruleset.years_text})' for p in out)}")
        return out

    def get(self, ruleset_id: str) -> Ruleset:
        try:
            return self.by_id[ruleset_id]
        except KeyError:
            raise SelectionError(
                f"unknown ruleset id {ruleset_id!r}; known: {', '.join(sorted(self.by_id)) or 'none'}",
                message_zh=f"未知的规则集 {ruleset_id!r}；现有：{', '.join(sorted(self.by_id)) or '无'}",
            ) from None
