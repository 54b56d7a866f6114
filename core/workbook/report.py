"""The report and the verification report as workbooks whose figures are live Excel formulas.

Sheets: a summary (totals by category and gas, shares, the rulesets by id and hash); the
parameters the calculation used; one sheet per page with the values it used (defaults and
substitutions shaded) and its results; the trace, one row per figure, whose value cell is the
figure's formula over the cells of its operands, rounding included; the emissions, each the
trace figure in tonnes of its gas times its GWP. A verifier who changes an input on a page sheet
sees every figure that depends on it follow. The engine's own figure stands beside each formula,
so a recalculated workbook can be checked against it (tests/workbook/test_workbook_report.py
does, with LibreOffice). A verification workbook adds the reported figures against the
recomputed ones (live differences) and the findings.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from ..calc.compose import fill
from ..formula import units as U
from ..output.report import CATEGORY_LABELS
from .compliance import write_compliance
from .formulas import NotExpressible, excel, literal, text_literal
from .layout import col_letter, quote_sheet, sheet_name

FIRST = 4  # first data row of a page sheet: title, header, unit above it


def build_report(result, lang: str = "zh", verification=None, compliance=None, refusal=None) -> bytes:
    """The workbook; with ``compliance`` (or ``refusal``, why there is none although a plan governs the
    year) it also shows the allocation and the surrender obligation."""
    from openpyxl import Workbook

    wb = Workbook()
    report = _Report(result, lang, verification)
    report.write(wb)
    if compliance is not None or refusal is not None:
        write_compliance(wb, compliance, refusal or {}, lang, report.taken, report.s)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _num(value):
    """A Decimal as the number a cell holds (Excel keeps a double; the engine's figure stands beside)."""
    return float(value) if isinstance(value, Decimal) else value


class _Report:
    def __init__(self, result, lang, verification):
        self.r, self.lang, self.v = result, lang, verification
        self.zh = lang == "zh"
        self.taken: set = set()
        self.param_cell: dict = {}
        self.page_sheet: dict = {}  # page id -> (sheet title, {column name: letter}, last row)
        self.trace_cell: dict = {}  # (page, row index or summary key, figure id) -> absolute ref
        self.place_cell: dict = {}  # JSON place -> ref, for the comparisons
        self.fixed: list = []  # figures written as values (a formula the workbook cannot state)

    def L(self, zh, en):
        return zh if self.zh else en

    def style(self):
        from openpyxl.styles import Font, PatternFill

        return {"title": Font(bold=True, size=13), "head": Font(bold=True), "fill": PatternFill("solid", fgColor="DDEBF7"),
                "default": PatternFill("solid", fgColor="FFF2CC"), "unit": Font(italic=True, color="555555")}

    def write(self, wb):
        self.s = self.style()
        summary = wb.active
        summary.title = sheet_name(self.L("汇总", "Summary"), self.taken)
        params = wb.create_sheet(sheet_name(self.L("参数", "Parameters"), self.taken))
        if self.r is not None:
            self.parameters(params)
            trace = wb.create_sheet(sheet_name(self.L("计算过程", "Trace"), self.taken))
            self.trace_title = trace.title
            rows = self.plan()
            for pr in self.r.pages:
                self.page(wb, pr)
            wb.move_sheet(trace, offset=len(wb.sheetnames))
            self.trace(trace, rows)
            emissions = wb.create_sheet(sheet_name(self.L("排放", "Emissions"), self.taken))
            totals = self.emissions(emissions)
        else:
            totals = {}
        self.summary(summary, totals)
        if self.v is not None:
            self.comparisons(wb.create_sheet(sheet_name(self.L("比对", "Comparisons"), self.taken)))
            self.findings(wb.create_sheet(sheet_name(self.L("核查发现", "Findings"), self.taken)))

    # -- parameters ----------------------------------------------------------------
    def parameters(self, ws):
        heads = [self.L("参数", "Parameter"), self.L("名称", "Name"), self.L("数值", "Value"), self.L("单位", "Unit"),
                 self.L("来源", "Source")]
        self.table_head(ws, self.L("计算使用的参数", "Parameters the calculation used"), heads)
        for i, (name, pv) in enumerate(sorted(self.r.params.items()), start=FIRST):
            ws.cell(row=i, column=1, value=name)
            label = self.r.comp.parameters.get(name, (None,))[0]
            ws.cell(row=i, column=2, value=label.label[self.lang] if label is not None else name)
            ws.cell(row=i, column=3, value=_num(pv.value))
            ws.cell(row=i, column=4, value=U.display(pv.unit))
            ws.cell(row=i, column=5, value=(pv.citation.text() if pv.citation else "") or pv.note or "")
            self.param_cell[name] = f"{quote_sheet(ws.title)}!$C${i}"
        for c, w in zip("ABCDE", (22, 36, 18, 14, 60)):
            ws.column_dimensions[c].width = w

    def table_head(self, ws, title, heads, units=None):
        ws.cell(row=1, column=1, value=title).font = self.s["title"]
        for i, h in enumerate(heads, start=1):
            c = ws.cell(row=2, column=i, value=h)
            c.font, c.fill = self.s["head"], self.s["fill"]
            if units:
                ws.cell(row=3, column=i, value=units[i - 1]).font = self.s["unit"]

    # -- the figures, planned before they are written (formulas refer forwards) -----
    def plan(self) -> list:
        rows = []
        for pr in self.r.pages:
            spec = pr.spec
            for row in pr.rows:
                for f in spec.formulas:
                    if f.id in row.cases:
                        case = f.cases[row.cases[f.id]]
                        rows.append(("row", pr, row, f, case.expr[row.binding], case))
            by_id = {s.id: s for s in spec.summaries}
            for sres in pr.summaries:
                for fspec, compiled in by_id[sres["summary"]].formulas:
                    if fspec.id in sres["values"]:
                        rows.append(("summary", pr, sres, fspec, compiled, None))
        for n, (kind, pr, row, f, _c, _case) in enumerate(rows, start=FIRST):
            key = row.index if kind == "row" else _group_key(row)
            self.trace_cell[(pr.spec.id, key, f.id)] = f"{quote_sheet(self.trace_title)}!$F${n}"
        return rows

    def page(self, wb, pr):
        spec = pr.spec
        ws = wb.create_sheet(sheet_name(spec.title[self.lang], self.taken))
        fields = list(spec.fields)
        formulas = [f.id for f in spec.formulas]
        labels = [spec.fields[f].label[self.lang] for f in fields] + [f.raw["label"][self.lang] for f in spec.formulas]
        units = [U.display(fill(spec.fields[f].raw.get("unit", ""), {})) if spec.fields[f].numeric else "" for f in fields] + \
                [U.display(fill(f.raw["unit"], {})) for f in spec.formulas]
        self.table_head(ws, spec.title[self.lang], labels, units)
        cols = {name: col_letter(i) for i, name in enumerate(fields + formulas, start=1)}
        last = FIRST + max(len(pr.rows), 1) - 1
        self.page_sheet[spec.id] = (ws.title, cols, last)
        for i, row in enumerate(pr.rows):
            r = FIRST + i
            for fid in fields:
                v = row.values.get(fid)
                if v is None:
                    continue
                cell = ws[f"{cols[fid]}{r}"]
                cell.value = _num(v)
                prov = row.prov.get(fid)
                if prov is not None and prov.kind in ("default", "substituted", "parameter"):
                    cell.fill = self.s["default"]
            for f in spec.formulas:
                ref = self.trace_cell.get((spec.id, row.index, f.id))
                if ref:
                    ws[f"{cols[f.id]}{r}"] = "=" + ref
        for i in range(1, len(cols) + 1):
            ws.column_dimensions[col_letter(i)].width = 14
        ws.freeze_panes = ws[f"A{FIRST}"]

    def row_scalar(self, pr, row):
        sheet, cols, _last = self.page_sheet[pr.spec.id]

        def scalar(name, is_param):
            if is_param or name not in cols:
                if name in self.param_cell:
                    return self.param_cell[name]
                raise NotExpressible(name)
            ref = self.trace_cell.get((pr.spec.id, row.index, name))
            return ref or f"{quote_sheet(sheet)}!${cols[name]}${FIRST + _position(pr, row)}"
        return scalar

    def summary_resolvers(self, pr, sres):
        key = _group_key(sres)

        def scalar(name, is_param):
            if name in self.param_cell and (is_param or (pr.spec.id, key, name) not in self.trace_cell):
                return self.param_cell[name]
            ref = self.trace_cell.get((pr.spec.id, key, name))
            if ref is None:
                raise NotExpressible(name)
            return ref

        def column(name):
            pid, _, col = name.rpartition(".")
            pid = pid or pr.spec.id
            if pid not in self.page_sheet:
                raise NotExpressible(name)
            sheet, cols, last = self.page_sheet[pid]
            if col not in cols:
                raise NotExpressible(name)

            def rng(c):
                return f"{quote_sheet(sheet)}!${cols[c]}${FIRST}:${cols[c]}${last}"
            crit = []
            for g, v in sres["group"].items():
                if g not in cols:
                    continue
                crit.append(f"{rng(g)}=" + (literal(v) if isinstance(v, Decimal) else text_literal("" if v is None else v)))
            return rng(col), crit
        return scalar, column

    def trace(self, ws, rows):
        heads = [self.L("位置", "Place"), self.L("名称", "Figure"), self.L("公式（规则）", "Formula (rules)"),
                 self.L("适用条件", "Case"), self.L("修约位数", "Decimals"), self.L("数值（Excel 公式）", "Value (Excel formula)"),
                 self.L("单位", "Unit"), self.L("引擎计算值", "Engine figure"), self.L("一致", "Agrees")]
        self.table_head(ws, self.L("计算过程：每个数值为其运算对象单元格上的公式", "Trace: every figure a formula over its operands' cells"),
                        heads)
        for n, (kind, pr, row, f, compiled, case) in enumerate(rows, start=FIRST):
            if kind == "row":
                place = f"$.pages.{pr.spec.id}[{row.index}].{f.id}"
                value, text, cond = row.values[f.id], case.text, case.when_text or ""
                unit = fill(f.raw["unit"], dict(row.binding))
                scalar, column = self.row_scalar(pr, row), None
            else:
                g = "".join(f"[{k}={v}]" for k, v in row["group"].items())
                place = f"$.pages.{pr.spec.id}.summary{g}.{f.id}"
                value, text, cond, unit = row["values"][f.id], f.raw["expr"], "", f.raw["unit"]
                scalar, column = self.summary_resolvers(pr, row)
            self.place_cell[place] = f"{quote_sheet(ws.title)}!$F${n}"
            ws.cell(row=n, column=1, value=place)
            ws.cell(row=n, column=2, value=f.raw["label"][self.lang])
            ws.cell(row=n, column=3, value=text)
            ws.cell(row=n, column=4, value=cond)
            ws.cell(row=n, column=5, value=f.decimals)
            try:
                ws.cell(row=n, column=6, value=excel(compiled, scalar, column, f.decimals))
            except (NotExpressible, AttributeError, KeyError) as exc:
                ws.cell(row=n, column=6, value=_num(value))
                ws.cell(row=n, column=4, value=(cond + " " if cond else "") +
                        self.L(f"（引擎值：Excel 无法表达 {exc}）", f"(the engine's value: Excel cannot state {exc})"))
                self.fixed.append(place)
            ws.cell(row=n, column=7, value=U.display(unit))
            ws.cell(row=n, column=8, value=_num(value))
            d = f.decimals
            check = f"ROUND(F{n},{d})=ROUND(H{n},{d})" if d is not None else f"ABS(F{n}-H{n})<=1E-9*MAX(1,ABS(H{n}))"
            ws.cell(row=n, column=9, value=f'=IF({check},"✓","✗")')
        for c, w in zip("ABCDEFGHI", (46, 30, 50, 24, 8, 18, 12, 18, 6)):
            ws.column_dimensions[c].width = w
        ws.freeze_panes = ws[f"A{FIRST}"]

    # -- emissions and totals ------------------------------------------------------
    def emissions(self, ws) -> dict:
        heads = [self.L("页面", "Page"), self.L("行", "Row"), self.L("排放量", "Figure"), self.L("气体", "Gas"),
                 self.L("排放类别", "Category"), self.L("气体质量 (t)", "Mass (t)"), "tCO2e"]
        self.table_head(ws, self.L("排放明细", "Emissions"), heads)
        spec_of = {pr.spec.id: pr for pr in self.r.pages}
        n = FIRST - 1
        for n, e in enumerate(self.r.emissions, start=FIRST):
            ws.cell(row=n, column=1, value=e.page)
            ws.cell(row=n, column=2, value=e.row)
            ws.cell(row=n, column=3, value=e.label)
            ws.cell(row=n, column=4, value=e.gas)
            ws.cell(row=n, column=5, value=e.category)
            ref = self.trace_cell.get((e.page, e.row, e.formula))
            pr = spec_of[e.page]
            row = next(x for x in pr.rows if x.index == e.row)
            f = next(x for x in pr.spec.formulas if x.id == e.formula)
            k = U.factor(fill(f.raw["unit"], dict(row.binding)), f"t{e.gas}")
            ws.cell(row=n, column=6, value=f"={ref}" + ("" if k == 1 else f"*{literal(k)}") if ref else _num(e.mass))
            gwp = self.param_cell.get(f"gwp_{e.gas}")
            ws.cell(row=n, column=7, value=f"=F{n}" if e.gas == "CO2" or gwp is None else f"=F{n}*{gwp}")
        last = max(n, FIRST)
        q = quote_sheet(ws.title)
        self.em = {"cat": f"{q}!$E${FIRST}:$E${last}", "gas": f"{q}!$D${FIRST}:$D${last}",
                   "mass": f"{q}!$F${FIRST}:$F${last}", "co2e": f"{q}!$G${FIRST}:$G${last}"}
        for c, w in zip("ABCDEFG", (20, 6, 30, 8, 26, 18, 18)):
            ws.column_dimensions[c].width = w
        return self.em

    def summary(self, ws, em):
        r, s = self.r, self.s
        source = self.v if self.v is not None else None
        sub = (source.submission if source is not None else r.submission) or {}
        title = self.L("核查报告", "Verification report") if self.v is not None else self.L("排放报告", "Emission report")
        ws.cell(row=1, column=1, value=f"{title} · {(sub.get('enterprise') or {}).get('name', '')}").font = s["title"]
        line = 3
        sector = self.v.sector if self.v is not None else r.comp.sector
        year = self.v.year if self.v is not None else r.year
        rulesets = self.v.rulesets if self.v is not None else [(x.id, x.digest) for x in r.comp.rulesets]
        for label, value in [(self.L("行业", "Sector"), sector), (self.L("报告年度", "Reporting year"), year)] + \
                [(self.L("规则版本", "Ruleset"), f"{i}  sha256 {d}") for i, d in rulesets]:
            ws.cell(row=line, column=1, value=label).font = s["head"]
            ws.cell(row=line, column=2, value=value)
            line += 1
        if self.v is not None:
            counts = self.v.counts()
            ws.cell(row=line, column=1, value=self.L("核查结论", "Conclusion")).font = s["head"]
            ws.cell(row=line, column=2, value=", ".join(f"{k}: {v}" for k, v in counts.items()))
            line += 1
        if r is None:
            return
        line += 1
        d, sd = r.comp.report["decimals"], r.comp.report["share_decimals"]
        for i, h in enumerate([self.L("排放类别", "Category"), "tCO2e", self.L("比例(%)", "Share (%)"), self.L("引擎计算值", "Engine figure")], 1):
            c = ws.cell(row=line, column=i, value=h)
            c.font, c.fill = s["head"], s["fill"]
        line += 1
        first = line
        cats = list(r.totals)
        for cat in cats:
            ws.cell(row=line, column=1, value=CATEGORY_LABELS[cat][0 if self.zh else 1])
            ws.cell(row=line, column=2, value=f'=ROUND(SUMPRODUCT(({em["cat"]}="{cat}")*{em["co2e"]}),{d})')
            ws.cell(row=line, column=4, value=_num(r.totals[cat]))
            self.place_cell[f"$.totals.{cat}"] = f"{quote_sheet(ws.title)}!$B${line}"
            line += 1
        total_row = line
        ws.cell(row=line, column=1, value=self.L("合计", "Total")).font = s["head"]
        ws.cell(row=line, column=2, value=f"=SUM(B{first}:B{line - 1})")
        ws.cell(row=line, column=4, value=_num(r.total))
        self.place_cell["$.totals.total"] = f"{quote_sheet(ws.title)}!$B${line}"
        for i, cat in enumerate(cats):
            ws.cell(row=first + i, column=3, value=f'=IF($B${total_row}=0,"",ROUND(B{first + i}*100/$B${total_row},{sd}))')
        line += 2
        for i, h in enumerate([self.L("气体", "Gas"), self.L("质量 (t)", "Mass (t)"), "tCO2e", self.L("引擎计算值 tCO2e", "Engine tCO2e")], 1):
            c = ws.cell(row=line, column=i, value=h)
            c.font, c.fill = s["head"], s["fill"]
        line += 1
        for gas, g in r.gases.items():
            ws.cell(row=line, column=1, value=gas)
            ws.cell(row=line, column=2, value=f'=ROUND(SUMPRODUCT(({em["gas"]}="{gas}")*{em["mass"]}),{d})')
            ws.cell(row=line, column=3, value=f'=ROUND(SUMPRODUCT(({em["gas"]}="{gas}")*{em["co2e"]}),{d})')
            ws.cell(row=line, column=4, value=_num(g["co2e"]))
            line += 1
        line += 1
        ws.cell(row=line, column=1, value=self.L("说明", "Notes")).font = s["head"]
        notes = [self.L("浅黄色单元格为缺省值或替代值；修改页面表中的数值，计算过程与汇总随之重算。",
                        "Shaded cells hold defaults or substituted values; change a value on a page sheet and the trace and totals follow."),
                 self.L("ROUND 为四舍五入；Excel 以双精度计算，引擎以精确十进制计算，引擎计算值列供比对。",
                        "ROUND rounds half up; Excel computes in binary doubles, the engine in exact decimals: the engine's figures stand beside.")]
        if self.fixed:
            notes.append(self.L(f"{len(self.fixed)} 个数值 Excel 无法表达为公式，以引擎值写入。",
                                f"{len(self.fixed)} figures Excel cannot state as formulas are written as the engine's values."))
        for text in notes:
            line += 1
            ws.cell(row=line, column=1, value=text)
        for c, w in zip("ABCD", (28, 70, 14, 18)):
            ws.column_dimensions[c].width = w

    # -- verification --------------------------------------------------------------
    def comparisons(self, ws):
        heads = [self.L("位置", "Place"), self.L("名称", "Figure"), self.L("报告值", "Reported"), self.L("核查重算值", "Recomputed"),
                 self.L("差值", "Difference"), self.L("一致（按报告位数）", "Agrees (at the reported decimals)")]
        self.table_head(ws, self.L("报告值与重算值", "Reported and recomputed figures"), heads)
        for n, c in enumerate(self.v.comparisons, start=FIRST):
            ws.cell(row=n, column=1, value=c.place)
            ws.cell(row=n, column=2, value=(c.label or {}).get(self.lang, "") if isinstance(c.label, dict) else str(c.label or ""))
            ws.cell(row=n, column=3, value=_num(c.reported) if c.reported is not None else c.reported_text)
            ref = self.place_cell.get(c.place)
            ws.cell(row=n, column=4, value=f"={ref}" if ref else _num(c.verified))
            if c.reported is not None:
                ws.cell(row=n, column=5, value=f"=C{n}-D{n}")
            ws.cell(row=n, column=6, value="✓" if c.agrees else "✗")
        for col, w in zip("ABCDEF", (46, 30, 16, 16, 14, 14)):
            ws.column_dimensions[col].width = w

    def findings(self, ws):
        heads = [self.L("严重程度", "Severity"), self.L("代码", "Code"), self.L("位置", "Place"), self.L("说明", "Message"),
                 self.L("依据", "Citation")]
        self.table_head(ws, self.L("核查发现", "Findings"), heads)
        for n, f in enumerate(self.v.findings, start=FIRST):
            for i, v in enumerate([f.severity, f.code, self.v.where(f), f.text(self.lang), f.citation], start=1):
                ws.cell(row=n, column=i, value=v)
        for col, w in zip("ABCDE", (12, 34, 40, 80, 40)):
            ws.column_dimensions[col].width = w


def _group_key(sres) -> tuple:
    return ("summary", sres["summary"], tuple(sorted((k, str(v)) for k, v in sres["group"].items())))


def _position(pr, row) -> int:
    """The row's place on its page sheet (rows are written in the order of the page)."""
    for i, x in enumerate(pr.rows):
        if x is row:
            return i
    raise NotExpressible(f"row {row.index}")
