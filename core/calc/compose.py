"""Composition: the pages a report is made of, with every formula checked and compiled.

A report of sector S for year Y is composed as the host's energy pages (unless
S's ruleset says its base page replaces them) + S's base page + S's supplement
page (where it has one) + the general page, followed by S's supplementary data
tables, which have their own boundary and never count towards the report's
totals. Parameters and tables of the sector ruleset override the general
ones of the same name; a sector table declared ``extends: general`` overrides the
general table of its name row by row instead (a guideline's own appendix of fuel
defaults over the host's common table: its rows replace the host's rows of the same
id, the host's other rows stay), and :meth:`Composition.row_ruleset` says whose
each row is, so a default cites the table it came from.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ..base.errors import FormulaError, RulesetError
from ..formula import units as U
from ..formula.language import Compiled, Symbol, compile_formula, names_in, parse
from ..rules.ruleset import CATEGORIES, Citation, Ruleset

ROLE_ORDER = {"energy": 0, "base": 1, "supplement": 2, "general": 3, "supplementary": 4}
_VAR = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill(template: str, binding: dict) -> str:
    return _VAR.sub(lambda m: binding.get(m.group(1), m.group(0)), template) if template else template


@dataclass
class FieldSpec:
    id: str
    raw: dict
    where: str
    citation: Citation | None

    def __getattr__(self, name):
        try:
            return self.__dict__["raw"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def numeric(self) -> bool:
        return self.raw["type"] in ("number", "integer")


@dataclass
class Case:
    when: dict  # binding key -> Compiled condition (or {} when unconditional)
    expr: dict  # binding key -> Compiled
    text: str
    when_text: str | None


@dataclass
class FormulaSpec:
    id: str
    raw: dict
    where: str
    citation: Citation | None
    cases: list[Case]
    names: set[str]

    @property
    def decimals(self):
        return self.raw.get("decimals")


@dataclass
class SummarySpec:
    id: str
    label: dict
    group_by: list[str]
    formulas: list[tuple[FormulaSpec, Compiled]]


@dataclass
class PageSpec:
    id: str
    role: str
    raw: dict
    ruleset: Ruleset
    where: str
    fields: dict[str, FieldSpec]
    formulas: list[FormulaSpec]
    summaries: list[SummarySpec]
    bindings: list[tuple]  # every binding key (tuple of (var, unit) pairs)

    @property
    def title(self) -> dict:
        return self.raw["title"]

    def binding_of(self, row_values: dict, tables: dict) -> tuple | None:
        """The unit binding of one row, from its choice fields; None while a choice is missing."""
        out = []
        for var, spec in self.raw.get("unit_vars", {}).items():
            choice = row_values.get(spec["field"])
            if "map" in spec:
                unit = spec["map"].get(choice)
            else:
                table = tables[self.fields[spec["field"]].raw["table"]][0]
                unit = table["rows"].get(choice, {}).get(spec["column"])
            if unit is None:
                return None
            out.append((var, unit))
        return tuple(out)


@dataclass
class Composition:
    sector: str
    general: Ruleset
    ruleset: Ruleset  # the sector's own (the general one for sector "general")
    pages: list[PageSpec]
    parameters: dict  # name -> (Parameter, Ruleset)
    tables: dict  # name -> (table dict, Ruleset)
    gwp: dict | None
    gwp_ruleset: Ruleset | None
    report: dict
    calorie: str
    rulesets: list[Ruleset] = field(default_factory=list)
    #: The grid rules that choose parameters declared with ``grid:`` (the sector's own, else the host's).
    grid: object = None
    #: (table, row) -> the ruleset whose row it is, for rows a sector's ``extends`` table put over the host's.
    row_origin: dict = field(default_factory=dict)
    #: names of the host's tables a sector's ``extends: general`` table overrides row by row
    extended: frozenset = frozenset()

    def row_ruleset(self, table: str, row: str) -> Ruleset:
        """The ruleset a table row comes from (its citation is resolved there): the sector's
        for a row its ``extends: general`` table overrides or adds, else the table's own."""
        return self.row_origin.get((table, row)) or self.tables[table][1]

    def page(self, page_id: str) -> PageSpec:
        for p in self.pages:
            if p.id == page_id:
                return p
        raise KeyError(page_id)


def _bindings(page: dict, tables: dict, where) -> list[tuple]:
    variables = page.get("unit_vars", {})
    if not variables:
        return [()]
    options = []
    for var, spec in variables.items():
        if "map" in spec:
            values = sorted(set(spec["map"].values()))
        else:
            values = spec["values"]
        for v in values:
            U.parse(v)  # an unknown unit is a load error
        options.append([(var, v) for v in values])
    return [tuple(c) for c in itertools.product(*options)]


def compose(general: Ruleset, sector_rs: Ruleset | None, sector_pages: list[dict] | None = None) -> Composition:
    """Build and check the composition of ``sector_rs`` with the host's ``general`` ruleset.

    ``sector_pages`` are the sector's base, supplement and supplementary pages as its
    plugin's hooks gave them (default: the ruleset's own pages).
    """
    own = sector_rs or general
    parameters = {n: (p, general) for n, p in general.parameters.items()}
    tables = {n: (t, general) for n, t in general.data.get("tables", {}).items()}
    row_origin: dict = {}
    if sector_rs is not None:
        parameters.update({n: (p, sector_rs) for n, p in sector_rs.parameters.items()})
        for n, t in sector_rs.data.get("tables", {}).items():
            if t.get("extends"):
                tables[n] = _extend(general, sector_rs, n, t, tables.get(n))
                row_origin.update({(n, rid): sector_rs for rid in t["rows"]})
            else:
                tables[n] = (t, sector_rs)
    gwp_rs = own if "gwp" in own.data else (general if "gwp" in general.data else None)
    gwp = gwp_rs.data["gwp"] if gwp_rs else None

    chosen = []
    replaces = own.data.get("replaces_energy_pages", False)
    for i, page in enumerate(general.pages):
        if page["role"] == "energy" and not replaces:
            chosen.append((general, i, page))
        elif page["role"] == "general":
            chosen.append((general, i, page))
    if sector_rs is not None:
        if sector_pages is None:
            sector_pages = sector_rs.pages
        for page in sector_pages:
            i = next((k for k, p in enumerate(sector_rs.pages) if p is page or p.get("id") == page.get("id")), 0)
            if page["role"] in ("energy", "general"):
                raise RulesetError(
                    f"page {page['id']!r} has role {page['role']!r}, which only the host's general ruleset provides; "
                    "a sector's pages are base, supplement or supplementary",
                    sector_rs.where(("pages", i, "role")), code="compose",
                )
            chosen.append((sector_rs, i, page))
    roles = [p["role"] for _, _, p in chosen]
    if "supplement" in roles and "base" not in roles:
        rs, i, _ = next(c for c in chosen if c[2]["role"] == "supplement")
        raise RulesetError("a supplement page needs a base page in the same ruleset", rs.where(("pages", i)), code="compose")
    chosen.sort(key=lambda c: ROLE_ORDER[c[2]["role"]])
    seen = {}
    for rs, i, page in chosen:
        if page["id"] in seen:
            raise RulesetError(f"page id {page['id']!r} is used twice in the composed report", rs.where(("pages", i, "id")), code="compose")
        seen[page["id"]] = (rs, i)

    comp = Composition(
        sector=own.sector, general=general, ruleset=own, pages=[], parameters=parameters, tables=tables,
        gwp=gwp, gwp_ruleset=gwp_rs, report={"decimals": 4, "share_decimals": 2, **own.data.get("report", {})},
        calorie=own.data.get("calorie", general.data.get("calorie", "4.1868")),
        rulesets=[general] if sector_rs is None else [general, sector_rs],
        grid=(sector_rs.grid if sector_rs is not None and sector_rs.grid is not None else general.grid),
        row_origin=row_origin,
        extended=frozenset(n for n, _ in row_origin),
    )
    for name, (param, prs) in parameters.items():
        if param.grid is not None and comp.grid is None:
            raise RulesetError(f"parameter {name!r} follows the grid rules, but neither its ruleset nor the general one has a grid block",
                               prs.where(("parameters", name)), code="undefined-name")
    # Column symbols of every page, for page summaries (page.column).
    page_columns: dict[str, dict[str, Symbol]] = {}
    for rs, i, page in chosen:
        spec = _compile_page(comp, rs, i, page, page_columns)
        comp.pages.append(spec)
    return comp


def _extend(general: Ruleset, sector_rs: Ruleset, name: str, table: dict, base) -> tuple[dict, Ruleset]:
    """The host's table ``name`` with the rows of the sector's ``extends: general`` table over it.

    A sector row replaces the host's row of the same id whole (its figures are confirmed
    together, from one table of one document), so it must give every column of the host's
    table (null where its guideline gives none); rows the host lacks are added after the host's.
    The merged table stays the host's (its columns, label and plausible ranges).
    """
    if base is None:
        raise RulesetError(f"table {name!r} extends the general table {name!r}, which the general ruleset does not define",
                           sector_rs.where(("tables", name, "extends")), code="undefined-name")
    base_table = base[0]
    columns = base_table.get("columns", {})
    for rid, row in table["rows"].items():
        missing = [c for c in columns if c not in row]
        unknown = [k for k in row if k not in columns and k not in ("label", "source", "verified", "note")]
        if missing or unknown:
            what = f"lacks column(s) {', '.join(missing)}" if missing else f"has column(s) {', '.join(unknown)} the general table does not"
            raise RulesetError(f"row {rid!r} of table {name!r} overrides the general table's row whole, but {what}",
                               sector_rs.where(("tables", name, "rows", rid)), code="compose")
    merged = {**base_table, "rows": {**base_table.get("rows", {}), **table["rows"]}}
    return merged, general


def _gas_symbols(gwp: dict | None) -> dict[str, Symbol]:
    if not gwp:
        return {}
    return {f"gwp_{gas}": Symbol(f"tCO2e/t{gas}", param=True) for gas in gwp["values"]}


def _compile_page(comp: Composition, rs: Ruleset, index: int, page: dict, page_columns: dict) -> PageSpec:
    base = ("pages", index)
    fields: dict[str, FieldSpec] = {}
    for j, raw in enumerate(page["fields"]):
        where = rs.where(base + ("fields", j))
        if raw["id"] in fields:
            raise RulesetError(f"field id {raw['id']!r} is used twice on page {page['id']!r}", where, code="compose")
        if raw["type"] in ("number", "integer") and "unit" not in raw:
            raise RulesetError(f"numeric field {raw['id']!r} must declare its unit (use \"1\" for a pure number)", where, code="compose")
        if raw.get("table") and raw["table"] not in comp.tables:
            raise RulesetError(f"field {raw['id']!r} names table {raw['table']!r}, which is not defined", where, code="undefined-name")
        for k, fb in enumerate(raw.get("fallbacks", [])):
            if "param" in fb and fb["param"] not in comp.parameters:
                raise RulesetError(f"fallback names parameter {fb['param']!r}, which is not defined", rs.where(base + ("fields", j, "fallbacks", k)), code="undefined-name")
            if "column" in fb and not any(f.get("table") for f in page["fields"]):
                raise RulesetError("a column fallback needs a choice field with a table on the same page", rs.where(base + ("fields", j, "fallbacks", k)), code="compose")
        fields[raw["id"]] = FieldSpec(raw["id"], raw, where, rs.citation(raw.get("source")))
    for var, spec in page.get("unit_vars", {}).items():
        if spec["field"] not in fields:
            raise RulesetError(f"unit variable {var!r} reads field {spec['field']!r}, which is not on the page", rs.where(base + ("unit_vars", var)), code="undefined-name")
    for key in page.get("keys", []) + page.get("months", {}).get("group_by", []) + ([page["months"]["field"]] if "months" in page else []):
        if key not in fields:
            raise RulesetError(f"page {page['id']!r} names key field {key!r}, which it does not have", rs.where(base), code="undefined-name")

    bindings = _bindings(page, comp.tables, rs.where(base))
    param_syms = {n: Symbol(p.unit, param=True) for n, (p, _) in comp.parameters.items()}
    param_syms.update(_gas_symbols(comp.gwp))

    raw_formulas = page.get("formulas", [])
    formula_ids = {}
    for j, raw in enumerate(raw_formulas):
        if raw["id"] in fields or raw["id"] in formula_ids:
            raise RulesetError(f"name {raw['id']!r} is used twice on page {page['id']!r}", rs.where(base + ("formulas", j)), code="compose")
        formula_ids[raw["id"]] = j
    order = _topological(page["id"], raw_formulas, formula_ids, rs, base)

    formulas: list[FormulaSpec] = []
    for j in order:
        raw = raw_formulas[j]
        where = rs.where(base + ("formulas", j))
        _check_output(comp, page, raw, fields, where)
        cases_raw = raw.get("cases") or [{"expr": raw["expr"]}]
        cases = []
        names: set[str] = set()
        for k, case in enumerate(cases_raw):
            cpath = base + ("formulas", j) + (("cases", k) if "cases" in raw else ())
            # a finding names the line of the expression itself, not of the formula's block
            when_where, expr_where = rs.where(cpath + ("when",)), rs.where(cpath + ("expr",))
            when, expr = {}, {}
            for b in bindings:
                binding = dict(b)
                scope = dict(param_syms)
                for fid, f in fields.items():
                    scope[fid] = Symbol(fill(f.raw["unit"], binding) if f.numeric else None)
                for other in raw_formulas:
                    scope[other["id"]] = Symbol(fill(other["unit"], binding))
                if case.get("when"):
                    when[b] = compile_formula(case["when"], scope, "1", when_where, condition=True)
                expr[b] = compile_formula(case["expr"], scope, fill(raw["unit"], binding), expr_where)
            names |= set(expr[bindings[0]].names) | (set(when[bindings[0]].names) if when else set())
            cases.append(Case(when, expr, case["expr"], case.get("when")))
        formulas.append(FormulaSpec(raw["id"], raw, where, rs.citation(raw.get("source")), cases, names))

    # Columns this page offers to summaries: numbers whose unit is the same on every row.
    columns = {}
    for fid, f in fields.items():
        if f.numeric and not _VAR.search(f.raw["unit"]):
            columns[fid] = Symbol(f.raw["unit"], column=True)
    for raw in raw_formulas:
        if not _VAR.search(raw["unit"]):
            columns[raw["id"]] = Symbol(raw["unit"], column=True)
    page_columns[page["id"]] = columns

    summaries = []
    for j, raw in enumerate(page.get("summaries", [])):
        scope = dict(param_syms)
        scope.update(columns)
        for other_page, cols in page_columns.items():
            for cid, sym in cols.items():
                scope[f"{other_page}.{cid}"] = sym
        for g in raw.get("group_by", []):
            if g not in fields:
                raise RulesetError(f"summary groups by {g!r}, which is not a field of the page", rs.where(base + ("summaries", j)), code="undefined-name")
        compiled = []
        for k, fraw in enumerate(raw["formulas"]):
            fwhere = rs.where(base + ("summaries", j, "formulas", k))
            if "cases" in fraw:
                raise RulesetError("summary formulas take a single expr", fwhere, code="compose")
            _check_output(comp, page, fraw, fields, fwhere)
            c = compile_formula(fraw["expr"], scope, fraw["unit"], fwhere, aggregate=True)
            spec = FormulaSpec(fraw["id"], fraw, fwhere, rs.citation(fraw.get("source")), [], set(c.names))
            compiled.append((spec, c))
            scope[fraw["id"]] = Symbol(fraw["unit"])
        summaries.append(SummarySpec(raw["id"], raw["label"], raw.get("group_by", []), compiled))

    return PageSpec(page["id"], page["role"], page, rs, rs.where(base), fields, formulas, summaries, bindings)


def _check_output(comp: Composition, page: dict, raw: dict, fields: dict, where: str) -> None:
    gas, category = raw.get("gas"), raw.get("category")
    if bool(gas) != bool(category):
        raise RulesetError(f"formula {raw['id']!r}: an emission output needs both gas and category", where, code="compose")
    if not gas:
        return
    if page["role"] == "supplementary":
        raise RulesetError(
            f"formula {raw['id']!r} on supplementary table {page['id']!r} has a category: supplementary tables "
            "have their own boundary and must not count towards the report's totals",
            where, code="compose",
        )
    if gas != "CO2" and (not comp.gwp or gas not in comp.gwp["values"]):
        raise RulesetError(f"formula {raw['id']!r} reports gas {gas!r}, which the ruleset's GWP set does not list", where, code="compose")
    try:
        ok = U.same_dimension(fill(raw["unit"], {}), f"t{gas}") if not _VAR.search(raw["unit"]) else True
    except Exception:
        ok = False
    if not ok:
        raise RulesetError(f"formula {raw['id']!r} reports gas {gas} but its unit {raw['unit']!r} is not a mass of {gas}", where, code="unit")
    for cat in _expand_category(category, fields, where):
        if cat not in CATEGORIES:
            raise RulesetError(f"formula {raw['id']!r}: category {cat!r} is not one of {', '.join(CATEGORIES)}", where, code="compose")


def _expand_category(category: str, fields: dict, where: str) -> list[str]:
    names = _VAR.findall(category)
    if not names:
        return [category]
    out = []
    for name in names:
        f = fields.get(name)
        if f is None or f.raw["type"] != "choice" or "choices" not in f.raw:
            raise RulesetError(f"category {category!r} reads {name!r}, which must be a choice field with choices", where, code="compose")
        out += [category.replace("{" + name + "}", c) for c in f.raw["choices"]]
    return out


def _topological(page_id: str, raw_formulas: list, ids: dict, rs: Ruleset, base: tuple) -> list[int]:
    deps = {}
    for j, raw in enumerate(raw_formulas):
        texts = [c["expr"] for c in raw.get("cases", [])] + [c["when"] for c in raw.get("cases", []) if c.get("when")]
        if "expr" in raw:
            texts.append(raw["expr"])
        used = set()
        for t in texts:
            used |= names_in(parse(t, rs.where(base + ("formulas", j))))
        deps[j] = {ids[n] for n in used if n in ids}
    order, state = [], {}

    def visit(j, stack):
        if state.get(j) == 2:
            return
        if state.get(j) == 1:
            cycle = [raw_formulas[k]["id"] for k in stack[stack.index(j):]] + [raw_formulas[j]["id"]]
            raise FormulaError(f"formulas on page {page_id!r} depend on each other in a cycle: {' -> '.join(cycle)}", rs.where(base + ("formulas", j)))
        state[j] = 1
        for d in sorted(deps[j]):
            visit(d, stack + [j])
        state[j] = 2
        order.append(j)

    for j in range(len(raw_formulas)):
        visit(j, [])
    return order
