"""``mrv docs``: a sector's methodology page in Markdown, generated from its ruleset.

One page per rule version (ruleset): the boundary, the composed pages with their form
fields (units, decimals, ranges, defaults), each formula in readable notation, each
parameter and table row with its source, and the differences from the previous rule
version of the sector. The output depends on the ruleset alone (no dates, no paths),
so the checked-in docs can be regenerated and compared in CI.
"""

from __future__ import annotations

import ast
from decimal import Decimal

from ..base.numbers import fmt
from ..calc.compose import Composition
from ..diff.rulesets import Change, ruleset_changes
from ..formula import units as U
from ..rules.ruleset import Ruleset

ROLE_TEXT = {
    "energy": "energy page (host)",
    "base": "sector base page",
    "supplement": "sector supplement page",
    "general": "general page (host)",
    "supplementary": "supplementary data table (own boundary, not in totals)",
}
_PREC = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.Pow: 4}
_OPS = {ast.Add: " + ", ast.Sub: " − ", ast.Mult: " × ", ast.Div: " ÷ "}
_CMP = {ast.Eq: " = ", ast.NotEq: " ≠ ", ast.Lt: " < ", ast.LtE: " ≤ ", ast.Gt: " > ", ast.GtE: " ≥ "}


def readable(text: str) -> str:
    """A formula in readable notation: ``a * b / c`` → ``a × b ÷ c``, ``x <= y`` → ``x ≤ y``."""
    try:
        tree = ast.parse(str(text).strip(), mode="eval").body
    except SyntaxError:
        return str(text)
    return _r(tree, str(text).strip())


def _r(node, src: str, parent: int = 0) -> str:
    if isinstance(node, ast.BinOp) and type(node.op) in _PREC:
        prec = _PREC[type(node.op)]
        if isinstance(node.op, ast.Pow):
            out = f"{_r(node.left, src, prec + 1)}^{_r(node.right, src, prec)}"
        else:
            right_prec = prec + 1 if isinstance(node.op, (ast.Sub, ast.Div)) else prec
            out = f"{_r(node.left, src, prec)}{_OPS[type(node.op)]}{_r(node.right, src, right_prec)}"
        return f"({out})" if prec < parent else out
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return f"−{_r(node.operand, src, 3)}"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return f"not {_r(node.operand, src, 3)}"
    if isinstance(node, ast.Compare):
        out = _r(node.left, src, 1)
        for op, comp in zip(node.ops, node.comparators):
            out += _CMP.get(type(op), " ? ") + _r(comp, src, 1)
        return f"({out})" if parent else out
    if isinstance(node, ast.BoolOp):
        word = " and " if isinstance(node.op, ast.And) else " or "
        out = word.join(f"({_r(v, src)})" if isinstance(v, (ast.BoolOp, ast.IfExp)) else _r(v, src) for v in node.values)
        return f"({out})" if parent else out
    if isinstance(node, ast.IfExp):
        out = f"{_r(node.body, src, 1)} if {_r(node.test, src)}, else {_r(node.orelse, src, 1)}"
        return f"({out})" if parent else out
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return f"{node.func.id}({', '.join(_r(a, src) for a in node.args)})"
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return f"'{node.value}'"
    return ast.get_source_segment(src, node) or ast.unparse(node)


def _names(text: str) -> list[str]:
    """The names a formula reads, in the order they appear."""
    try:
        tree = ast.parse(str(text).strip(), mode="eval")
    except SyntaxError:
        return []
    funcs = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    bases = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    found = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name):
            found.append((n.col_offset, f"{n.value.id}.{n.attr}"))
        elif isinstance(n, ast.Name) and id(n) not in funcs and id(n) not in bases:
            found.append((n.col_offset, n.id))
    return list(dict.fromkeys(name for _, name in sorted(found)))


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        value = format(value, "f")
    return str(value).replace("|", "\\|").replace("\n", " ")


def _unit(text) -> str:
    return U.display(text) if text else ""


def _cite(rs: Ruleset, raw: dict | None) -> str:
    c = rs.citation(raw)
    return _cell(c.text()) if c else "—"


def _bi(text: dict | None) -> str:
    if not text:
        return ""
    return text["zh"] if text.get("zh") == text.get("en") else f"{text.get('zh', '')} / {text.get('en', '')}"


def _range(raw: dict) -> str:
    lo, hi = raw.get("minimum"), raw.get("maximum")
    if lo is None and hi is None:
        return ""
    if lo is not None and hi is not None:
        return f"{_cell(lo)} – {_cell(hi)}"
    return f"≥ {_cell(lo)}" if lo is not None else f"≤ {_cell(hi)}"


def _fallback(fb: dict) -> str:
    if "param" in fb:
        what = f"parameter `{fb['param']}`"
    elif "column" in fb:
        what = f"column `{fb['column']}` of the chosen table row"
    elif "value" in fb:
        what = f"value {_cell(fb['value'])}"
    else:
        m = fb["mean_of_measured"]
        group = f" by {', '.join(m.get('group_by', []))}" if m.get("group_by") else ""
        what = f"mean of measured values{group} (at least {m['min_count']})"
    return f"{what} ({fb['rule']['en']})"


class DocWriter:
    def __init__(self, engine, sector: str):
        self.engine = engine
        self.sector = sector
        self.entry = engine.host.sector(sector)

    def editions(self) -> list[Ruleset]:
        return sorted(self.engine.rulesets(self.sector), key=lambda r: r.start)

    def previous(self, rs: Ruleset) -> Ruleset | None:
        """The edition ``rs`` follows: the previous one of its programme; for a provincial pilot's
        first edition, the national edition of its first year (what the pilot changes from it)."""
        earlier = [r for r in self.editions() if r.programme == rs.programme and r.start < rs.start]
        if earlier:
            return earlier[-1]
        if rs.programme != "national":
            national = [r for r in self.editions() if r.programme == "national" and r.governs(rs.year_from)]
            return national[-1] if national else None
        return None

    def render(self, rs: Ruleset) -> str:
        comp = self.engine.composition(self.sector, ruleset_id=rs.id)
        info = self.entry.info
        out = [f"<!-- Generated by `mrv docs {self.sector}` from ruleset {rs.id}; do not edit by hand. -->", ""]
        out.append(f"# {info.name_zh} / {info.name_en}: {rs.id}")
        out.append("")
        out.append(f"{_bi(rs.title)}")
        out.append("")
        out.append(f"- Ruleset: `{rs.id}`, sector `{rs.sector}`"
                   + (f", programme `{rs.programme}` (a submission with `\"programme\": \"{rs.programme}\"`)"
                      if rs.programme != "national" else ""))
        out.append(f"- Reporting years: {rs.span_text()}")
        if rs.sector != "general":
            out.append(f"- Composed with: `{comp.general.id}` (host energy and general pages)")
        if rs.data.get("replaces_energy_pages"):
            out.append("- The sector's base page replaces the host's energy pages (they are left out).")
        out.append(f"- Report rounding: {comp.report['decimals']} decimals, shares {comp.report['share_decimals']} decimals (half up)")
        if rs.data.get("calorie"):
            out.append(f"- Calorie: 1 kcal = {rs.data['calorie']} kJ")
        # The plugin names the national guidelines; a pilot's edition names its own in its title.
        for g in info.guidelines if rs.programme == "national" else []:
            out.append(f"- Guideline: {g.title}{f' ({g.number})' if g.number else ''}")
        if rs.data.get("note"):
            out.append(f"- Note: {rs.data['note'].strip()}")
        out.append("")
        out += self.sources(rs)
        out += self.boundary(rs)
        out += self.pages(comp, rs)
        out += self.parameters(rs)
        out += self.grid(rs)
        out += self.tables(rs, comp)
        out += self.gwp(rs)
        out += self.changes(rs)
        return "\n".join(out).rstrip("\n") + "\n"

    # -- sections -----------------------------------------------------------------------
    def sources(self, rs: Ruleset) -> list[str]:
        out = ["## Sources", "", "| key | document | number | issuer | date |", "| --- | --- | --- | --- | --- |"]
        for key, s in rs.sources.items():
            out.append(f"| `{key}` | {_cell(s['title'])} | {_cell(s.get('number', ''))} | {_cell(s.get('issuer', ''))} | {_cell(s.get('date', ''))} |")
        return out + [""]

    def boundary(self, rs: Ruleset) -> list[str]:
        b = self.engine.host.call_sector_hook("mrv_boundary", self.sector, ruleset=rs) or rs.data.get("boundary")
        if not b:
            return []
        out = ["## Boundary", ""]
        if b.get("entity"):
            out.append(f"- Reporting entity: {_bi(b['entity'])}")
        for item in b.get("includes", []):
            out.append(f"- Includes: {_bi(item)}")
        for item in b.get("excludes", []):
            out.append(f"- Excludes: {_bi(item)}")
        if b.get("supplementary"):
            out.append(f"- Supplementary data tables: {_bi(b['supplementary'])}")
        if b.get("source"):
            out.append(f"- Source: {_cite(rs, b['source'])}")
        return out + [""]

    def pages(self, comp: Composition, rs: Ruleset) -> list[str]:
        out = ["## Pages", "", "In the order the report is composed:", "",
               "| # | page | title | role | ruleset |", "| --- | --- | --- | --- | --- |"]
        for i, p in enumerate(comp.pages, 1):
            out.append(f"| {i} | `{p.id}` | {_bi(p.title)} | {ROLE_TEXT[p.role]} | `{p.ruleset.id}` |")
        out.append("")
        for p in comp.pages:
            if p.ruleset is not rs:
                out.append(f"### `{p.id}`: {_bi(p.title)}")
                out.append("")
                out.append(f"A page of the host's ruleset `{p.ruleset.id}`; see [{p.ruleset.id}]({p.ruleset.id}.md).")
                out.append("")
                continue
            out += self.page(p, rs, comp)
        return out

    def page(self, p, rs: Ruleset, comp: Composition) -> list[str]:
        raw = p.raw
        out = [f"### `{p.id}`: {_bi(p.title)}", "", f"Role: {ROLE_TEXT[p.role]}.", ""]
        if raw.get("help"):
            out += [f"> {raw['help']['zh'].strip()}", ">", f"> {raw['help']['en'].strip()}", ""]
        if raw.get("keys"):
            out.append(f"- Rows are identified by: {', '.join(f'`{k}`' for k in raw['keys'])}")
        if raw.get("months"):
            m = raw["months"]
            by = f" per {', '.join(f'`{g}`' for g in m.get('group_by', []))}" if m.get("group_by") else ""
            out.append(f"- Monthly rows: `{m['field']}` must run 1 to 12{by}")
        for var, spec in raw.get("unit_vars", {}).items():
            if "map" in spec:
                how = ", ".join(f"{k} → {_unit(v)}" for k, v in spec["map"].items())
                out.append(f"- Unit `{{{var}}}` follows `{spec['field']}`: {how}")
            else:
                out.append(f"- Unit `{{{var}}}` is column `{spec['column']}` of the row chosen in `{spec['field']}` ({', '.join(_unit(v) for v in spec['values'])})")
        if out[-1] != "":
            out.append("")
        out += ["#### Form fields", "", "| field | label | type | unit | decimals | range | required | choices | when not given |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for fid, f in p.fields.items():
            fr = f.raw
            if fr.get("table"):
                choices = f"rows of table `{fr['table']}`"
            elif fr.get("choices"):
                labels = fr.get("choice_labels", {})
                choices = ", ".join(f"`{c}`" + (f" ({labels[c]['en']})" if c in labels else "") for c in fr["choices"])
            elif fr.get("ref"):
                choices = f"a `{fr['ref']['field']}` of page `{fr['ref']['page']}`"
            else:
                choices = ""
            extra = []
            if fr.get("fallbacks"):
                extra.append("; then ".join(_fallback(fb) for fb in fr["fallbacks"]))
            if fr.get("min_frequency"):
                extra.append(f"measured at least {fr['min_frequency']}")
            if fr.get("priority"):
                extra.append(f"data priority: {' > '.join(fr['priority'])}")
            out.append(f"| `{fid}` | {_cell(_bi(fr['label']))} | {fr['type']} | {_cell(_unit(fr.get('unit', '')))} | "
                       f"{_cell(fr.get('decimals', ''))} | {_range(fr)} | {'yes' if fr.get('required') else ''} | {_cell(choices)} | {_cell('; '.join(extra))} |")
        out.append("")
        if p.formulas or raw.get("formulas"):
            out += ["#### Formulas", ""]
            for f in raw.get("formulas", []):
                out += self.formula(f, p, rs, comp)
            out.append("")
        if raw.get("summaries"):
            out += ["#### Summaries", ""]
            for s in raw["summaries"]:
                by = f", per {', '.join(f'`{g}`' for g in s.get('group_by', []))}" if s.get("group_by") else ""
                out.append(f"**`{s['id']}`**: {_bi(s['label'])}{by}")
                out.append("")
                for f in s["formulas"]:
                    out += self.formula(f, p, rs, comp)
                out.append("")
        return out

    def formula(self, f: dict, p, rs: Ruleset, comp: Composition) -> list[str]:
        facts = [_unit(f["unit"])]
        if f.get("decimals") is not None:
            facts.append(f"{f['decimals']} decimals, half up")
        if f.get("gas"):
            facts.append(f"emission of {f['gas']}, category `{f['category']}`")
        rng = _range(f)
        if rng:
            facts.append(f"range {rng}")
        out = [f"- **`{f['id']}`**: {_bi(f['label'])} [{'; '.join(facts)}]"]
        texts = []
        if "expr" in f:
            out.append(f"  - `{f['id']} = {readable(f['expr'])}`")
            texts.append(f["expr"])
        else:
            for c in f["cases"]:
                cond = f"when `{readable(c['when'])}`" if c.get("when") else "otherwise"
                out.append(f"  - {cond}: `{f['id']} = {readable(c['expr'])}`")
                texts += [c["expr"]] + ([c["when"]] if c.get("when") else [])
        where = []
        for name in dict.fromkeys(n for t in texts for n in _names(t)):
            where.append(self.describe(name, p, comp))
        if where:
            out.append(f"  - where {'; '.join(where)}")
        out.append(f"  - Source: {_cite(rs, f.get('source'))}")
        return out

    def describe(self, name: str, p, comp: Composition) -> str:
        if "." in name:
            page_id, col = name.split(".", 1)
            other = next((q for q in comp.pages if q.id == page_id), None)
            if other is not None and other is not p:
                return self.describe(col, other, comp).replace(f"`{col}`", f"`{name}`", 1) + f" of page `{page_id}`"
        if name in p.fields:
            fr = p.fields[name].raw
            unit = f" [{_unit(fr['unit'])}]" if fr.get("unit") else ""
            return f"`{name}` {fr['label']['en']}{unit}"
        for f in p.raw.get("formulas", []) + [g for s in p.raw.get("summaries", []) for g in s["formulas"]]:
            if f["id"] == name:
                return f"`{name}` {f['label']['en']} [{_unit(f['unit'])}]"
        if name in comp.parameters:
            param, owner = comp.parameters[name]
            return f"`{name}` parameter {param.label['en']} [{_unit(param.unit)}]" + ("" if owner is comp.ruleset else f" of `{owner.id}`")
        if name.startswith("gwp_"):
            return f"`{name}` GWP of {name[4:]}"
        return f"`{name}`"

    def parameters(self, rs: Ruleset) -> list[str]:
        params = rs.data.get("parameters", {})
        if not params:
            return []
        out = ["## Parameters", "", "| parameter | label | year | value | unit | source | verified |",
               "| --- | --- | --- | --- | --- | --- | --- |"]
        for name, p in params.items():
            label = _cell(_bi(p["label"]))
            if "grid" in p:
                out.append(f"| `{name}` | {label} | all | chosen by the grid rules, programme `{p['grid']}` (see Grid emission factor) | {_cell(_unit(p['unit']))} | | |")
            if "value" in p:
                out.append(f"| `{name}` | {label} | all | {_cell(p['value'])} | {_cell(_unit(p['unit']))} | {_cite(rs, p.get('source'))} | {_verified(p)} |")
            for year, e in p.get("by_year", {}).items():
                out.append(f"| `{name}` | {label} | {year} | {_cell(e['value'])} | {_cell(_unit(p['unit']))} | {_cite(rs, e.get('source'))} | {_verified(e, p)} |")
            if p.get("by_year"):
                out.append(f"| `{name}` | {label} | other years | none: the submission must supply it | {_cell(_unit(p['unit']))} | | |")
        out.append("")
        notes = [(n, p["note"]) for n, p in params.items() if p.get("note")]
        for n, note in notes:
            out.append(f"- `{n}`: {_cell(note.strip())}")
        return out + ([""] if notes else [])

    def grid(self, rs: Ruleset) -> list[str]:
        """The grid rules: which factor each programme takes by year and sector, the factors,
        and the province-to-grid table."""
        g = rs.data.get("grid")
        if not g:
            return []
        unit = _cell(_unit(g["unit"]))
        out = ["## Grid emission factor", "", _cell(g.get("note", "").strip()), "",
               "### Which factor each programme takes", "",
               "| programme | years | sectors | factor | why | source |", "| --- | --- | --- | --- | --- | --- |"]
        for pid, prog in g["programmes"].items():
            for rule in prog["rules"]:
                y = rule["years"]
                years = f"{y['from']}–{y.get('to') or ''}"
                sectors = ", ".join(rule.get("sectors", [])) or (
                    "all but " + ", ".join(rule["except_sectors"]) if rule.get("except_sectors") else "all")
                factor = {"regional": "the province's regional grid", None: "none confirmed: refused unless supplied"}.get(
                    rule["factor"], f"`{rule['factor']}`")
                pilot = " (provincial pilot)" if prog.get("pilot") else ""
                out.append(f"| `{pid}`: {_cell(_bi(prog['label']))}{pilot} | {years} | {sectors} | {factor} | "
                           f"{_cell(_bi(rule['why']))} | {_cite(rs, rule.get('source'))} |")
        out += ["", "### Factors", "", "| series | label | year | value | unit | source | verified |",
                "| --- | --- | --- | --- | --- | --- | --- |"]
        for sid, srs in g["series"].items():
            label = _cell(_bi(srs["label"]))
            if "value" in srs:
                out.append(f"| `{sid}` | {label} | all | {_cell(srs['value'])} | {unit} | {_cite(rs, srs.get('source'))} | {_verified(srs)} |")
            for year, e in srs.get("by_year", {}).items():
                out.append(f"| `{sid}` | {label} | {year} | {_cell(e['value'])} | {unit} | {_cite(rs, e.get('source'))} | {_verified(e, srs)} |")
            if srs.get("by_year"):
                miss = _bi(srs["missing"]) if srs.get("missing") else "none: the submission must supply it"
                out.append(f"| `{sid}` | {label} | other years | {_cell(miss)} | {unit} | | |")
        reg = g["regions"]
        out += ["", "### Province to regional grid (`enterprise.province`)", "",
                f"Source: {_cite(rs, reg.get('source'))}. {_cell(reg.get('note', '').strip())}", "",
                "| province | names accepted | grid series |", "| --- | --- | --- |"]
        for pid, row in reg["provinces"].items():
            names = ", ".join([row["label"]["zh"], row["label"]["en"], *row.get("names", [])])
            series = f"`{row['series']}`" if row["series"] else f"none: {_cell(_bi(row.get('why')))}"
            out.append(f"| `{pid}` | {_cell(names)} | {series} |")
        return out + [""]

    def tables(self, rs: Ruleset, comp=None) -> list[str]:
        out = []
        for tname, t in rs.data.get("tables", {}).items():
            columns = t.get("columns") or comp.tables[tname][0]["columns"]  # an extends table has the host's columns
            cols = list(columns)
            out += [f"### Table `{tname}`: {_bi(t['label'])}", ""]
            if t.get("extends"):
                out += [(f"Over the host's table `{tname}` of `{comp.general.id}`, row by row: a row below replaces the "
                         "host's row of its id (or adds one); fuels it does not list keep the host's row."), ""]
            head = [f"{c} ({_bi(columns[c].get('label'))}{', ' + _unit(columns[c]['unit']) if columns[c].get('unit') else ''})" for c in cols]
            out.append("| row | label | " + " | ".join(_cell(h) for h in head) + " | source | verified |")
            out.append("| --- | --- | " + " | ".join("---" for _ in cols) + " | --- | --- |")
            for rid, row in t["rows"].items():
                vals = " | ".join(_cell(row.get(c)) for c in cols)
                out.append(f"| `{rid}` | {_cell(_bi(row['label']))} | {vals} | {_cite(rs, row.get('source'))} | {_verified(row)} |")
            out.append("")
        return (["## Lookup tables", ""] + out) if out else []

    def gwp(self, rs: Ruleset) -> list[str]:
        g = rs.data.get("gwp")
        if not g:
            return []
        vals = ", ".join(f"{gas} {_cell(v)}" for gas, v in g["values"].items())
        verified = "" if g.get("verified", True) else f" ({_verified(g)})"
        return ["## Global warming potentials", "", f"- Set: {g['set']}: {vals}", f"- Source: {_cite(rs, g['source'])}{verified}", ""]

    def changes(self, rs: Ruleset) -> list[str]:
        prev = self.previous(rs)
        out = ["## Changes from the previous rule version", ""]
        if prev is None:
            return out + ["This is the sector's first rule version.", ""]
        diffs = change_sentences(prev, rs)
        national = " the national edition" if prev.programme != rs.programme else ""
        out.append(f"Compared with{national} `{prev.id}` (reporting years {prev.span_text()}):")
        out.append("")
        out += [f"- {d}" for d in diffs] or ["- No change in parameters, tables, pages, fields or formulas."]
        return out + [""]


def _verified(entry: dict, parent: dict | None = None) -> str:
    if entry.get("verified") is False or (parent is not None and parent.get("verified") is False):
        note = entry.get("note") or (parent or {}).get("note") or ""
        return f"**no**{': ' + _cell(note.strip()) if note else ''}"
    return "yes"


def _formula_text(f: dict) -> str:
    if "expr" in f:
        return readable(f["expr"])
    return "; ".join((f"when {readable(c['when'])}: " if c.get("when") else "otherwise: ") + readable(c["expr"]) for c in f["cases"])


def change_sentences(old: Ruleset, new: Ruleset) -> list[str]:
    """What changed from ``old`` to ``new`` (:func:`~mrv_engine.core.diff.rulesets.ruleset_changes`), one sentence per change."""
    return [_sentence(c) for c in ruleset_changes(old, new)]


_ADDED = {
    "source": lambda c: f"New source `{c.id}`: {c.new['title']}.",
    "parameter": lambda c: f"New parameter `{c.id}` ({c.new['label']['en']}).",
    "table": lambda c: f"New table `{c.id}` ({c.new['label']['en']}).",
    "row": lambda c: f"Table `{c.within}`: new row `{c.id}`.",
    "page": lambda c: f"New page `{c.id}` ({c.new['title']['en']}, {c.new['role']}).",
    "field": lambda c: f"Page `{c.within}`: new field `{c.id}` ({c.new['label']['en']}).",
    "formula": lambda c: f"Page `{c.within}`: new formula `{c.id}` = {_formula_text(c.new)}.",
}
_REMOVED = {
    "source": "Source `{c.id}` is no longer cited.",
    "parameter": "Parameter `{c.id}` is removed.",
    "table": "Table `{c.id}` is removed.",
    "row": "Table `{c.within}`: row `{c.id}` is removed.",
    "page": "Page `{c.id}` is removed.",
    "field": "Page `{c.within}`: field `{c.id}` is removed.",
    "formula": "Page `{c.within}`: formula `{c.id}` is removed.",
}
_SUBJECT = {
    "parameter": "Parameter `{c.id}`",
    "row": "Table `{c.within}`, row `{c.id}`",
    "field": "Page `{c.within}`, field `{c.id}`",
    "formula": "Page `{c.within}`, formula `{c.id}`",
}


def _sentence(c: Change) -> str:
    """One change between two rule versions as a sentence of the methodology page."""
    if c.kind == "years":
        return f"Reporting years: {c.old} → {c.new}."
    if c.kind == "gwp":
        if c.aspect == "set":
            return f"GWP set: {(c.old or {}).get('set', 'none')} → {(c.new or {}).get('set', 'none')}."
        return f"GWP values: {_gwp_values(c.old)} → {_gwp_values(c.new)}."
    if c.change == "added":
        return _ADDED[c.kind](c)
    if c.change == "removed" and c.kind == "table" and (c.old or {}).get("extends"):
        return f"Table `{c.id}`: the sector's own rows over the host's table are dropped; the host's common table serves."
    if c.change == "added" and c.kind == "table" and (c.new or {}).get("extends"):
        return f"Table `{c.id}`: the sector's own rows ({c.new['label']['en']}) over the host's common table, row by row."
    if c.change == "removed":
        return _REMOVED[c.kind].format(c=c)
    subject = _SUBJECT[c.kind].format(c=c) + (f" for {c.year}" if c.year is not None else "")
    if c.aspect == "verified":
        return f"{subject}: verified {_yes_no(c.old)} → {_yes_no(c.new)}."
    if c.kind == "row":
        return f"{subject}, `{c.aspect}`: {_or_none(c.old)} → {_or_none(c.new)}."
    if c.kind == "parameter" and c.aspect == "unit":
        return f"{subject}: unit {_unit(c.old)} → {_unit(c.new)}."
    if c.kind == "parameter" and c.year is None:
        # a version that gives the figures by year has no single value: fmt shows it as —
        return f"{subject}: value {fmt(c.old)} → {fmt(c.new)}."
    if c.kind == "parameter":
        return f"{subject}: {_or_none(c.old)} → {_or_none(c.new)}."
    if c.aspect == "fallbacks":
        return f"{subject}: the defaults when not given changed."
    if c.aspect == "expression":
        return f"{subject}: {_formula_text(c.old)} → {_formula_text(c.new)}."
    return f"{subject}: {c.aspect} {_or_none(c.old)} → {_or_none(c.new)}."


def _or_none(value) -> str:
    """A ruleset value in a sentence: its text, or ``none`` when the version does not give it."""
    return fmt(value) if value is not None else "none"


def _yes_no(flag: bool) -> str:
    """A figure's confirmation as the pages' ``verified`` column shows it."""
    return "yes" if flag else "no"


def _gwp_values(gwp: dict | None) -> str:
    """The GWP values of a set (``CO2 1, CH4 21``), or ``none``."""
    return ", ".join(f"{gas} {fmt(v)}" for gas, v in gwp["values"].items()) if gwp else "none"


def sector_docs(engine, sector: str, year: int | None = None) -> dict[str, str]:
    """``{file name: Markdown}`` for each rule version of ``sector`` (only the one governing ``year``)."""
    writer = DocWriter(engine, sector)
    editions = writer.editions()
    if year is not None:
        editions = [engine.host.index.select(sector, year)]
    return {f"{rs.id}.md": writer.render(rs) for rs in editions}
