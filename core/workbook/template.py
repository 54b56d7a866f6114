"""``mrv template``: the input workbook of a sector's composed form, optionally filled from a submission.

Built from the form as JSON Schema (:meth:`Engine.form`), so it follows the form: one sheet per
page in the order of the composition, headed by each field's name and unit; a monthly page has
one row per group and item with the months as columns, as the national monthly tables lay them
out. Choices are lists of names (not codes); number cells carry the decimals the rules declare;
input cells are unlocked and every other cell is protected. A very hidden map sheet tells the
reader (``read.py``) where everything is, with the rulesets' ids and hashes.

Filled from a submission (``--from``), every value goes to its cell; what a cell cannot hold
(a value's unit, source, frequency, basis or note, alternatives by basis) goes to the value
details sheet, and a number whose written form a cell cannot keep (``330.0000``, a JSON
integer) is kept in the map, used only while the cell still holds that number.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from io import BytesIO

from ..base.documents import to_json
from ..base.errors import InputError
from ..base.findings import Finding
from .cells import is_number, shortest
from .layout import (
    CHUNK,
    DETAIL_COLUMNS,
    FORMAT,
    LISTS_SHEET,
    MONTHS,
    TEXT,
    choice_labels,
    col_letter,
    decimal_format,
    field_kind,
    label_of,
    page_title,
    quote_sheet,
    sheet_name,
    unit_text,
    write_map,
)

ROLE_TEXT = {
    "energy": ("能源消费页面", "energy page"), "base": ("行业基础页面", "sector base page"),
    "supplement": ("行业补充页面", "sector supplement page"), "general": ("通用页面", "general page"),
    "supplementary": ("补充数据表（不计入排放总量）", "supplementary data table (not in the totals)"),
}
SPARE_ROWS = 50  # unlocked empty rows below the data of a row-per-record page
BLANK_GROUPS = 2  # empty group blocks of a monthly page in an empty template
MONTH_SPARE_ROWS = 30
HEADER_ROW, UNIT_ROW = 3, 4


def build_template(form: dict, rulesets: list[dict], lang: str = "zh", submission: dict | None = None) -> bytes:
    """The workbook (xlsx bytes) of ``form``; ``rulesets`` are the composed rulesets' summaries
    (id, sha256, title, sources); ``submission`` fills it."""
    from openpyxl import Workbook

    if submission is not None and not isinstance(submission, dict):
        raise InputError("a submission must be an object", [Finding("schema", "$", "a submission must be an object",
                                                                      "填报数据须为对象")])
    w = _Writer(form, rulesets, lang, submission or {})
    wb = Workbook()
    w.write(wb)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


class _Writer:
    def __init__(self, form, rulesets, lang, sub):
        self.form, self.rulesets, self.lang, self.sub = form, rulesets, lang, sub
        self.zh = lang == "zh"
        self.defs = form.get("$defs", {})
        self.pages = form["properties"]["pages"]["properties"]
        self.taken: set = set()
        self.originals: dict = {}
        self.details: list = []  # (sheet, cell, path, item, value object)
        self.lists: list = []  # list values, each a column of the lists sheet
        self.list_refs: dict = {}
        self.unplaced: list[Finding] = []
        self.styles = None

    # -- helpers -------------------------------------------------------------------
    def t(self, key):
        return TEXT[key][self.lang]

    def list_ref(self, values: list[str]) -> str:
        key = tuple(values)
        ref = self.list_refs.get(key)
        if ref is None:
            self.lists.append(values)
            col = col_letter(len(self.lists))
            ref = self.list_refs[key] = f"{LISTS_SHEET}!${col}$1:${col}${max(len(values), 1)}"
        return ref

    def put(self, ws, row, col, kind, value, path, choices=None, decimals=None):
        """Write one value of a field (kind text/choice/number) at (row, col)."""
        cell = ws.cell(row=row, column=col)
        ref = f"{quote_sheet(ws.title)}!{cell.coordinate}"
        if value is None:
            return
        if kind == "number" and isinstance(value, (dict, list)):
            items = value if isinstance(value, list) else [value]
            if not items or not all(isinstance(i, dict) for i in items):
                self.unplaced.append(Finding("workbook.unplaced", path, "a value the workbook cannot hold (an empty list or "
                                             "a list of plain values)", "工作簿无法容纳此值（空列表或非对象列表）"))
                return
            first = items[0].get("value")
            self._number(cell, ref, first)
            for i, item in enumerate(items):
                self.details.append((ws.title, cell.coordinate, path, (i + 1) if isinstance(value, list) else None, item))
            return
        if kind == "number":
            self._number(cell, ref, value)
            return
        if kind == "choice" and choices and value in choices:
            cell.value = choices[value]
            return
        if not isinstance(value, str):
            self.originals[ref] = value
            value = to_json(value).strip()
        cell.value = value
        cell.data_type = "s"

    def _number(self, cell, ref, value):
        if isinstance(value, bool) or value is None:
            if value is not None:
                self.originals[ref] = value
                cell.value = str(value)
            return
        text = format(value, "f") if isinstance(value, Decimal) else str(value)
        if not isinstance(value, (str, int, Decimal)) or not is_number(text):
            cell.value = text  # not a number: kept as text, the engine will say so at its place
            cell.data_type = "s"
            if not isinstance(value, str):
                self.originals[ref] = value if not isinstance(value, Decimal) else text
            return
        try:
            number = float(Decimal(text))
        except (InvalidOperation, OverflowError):
            cell.value = text
            return
        cell.value = int(text) if isinstance(value, int) else number
        if shortest(number) != value or isinstance(value, int):
            # The written form a cell cannot keep (trailing zeros, more digits than a double, a
            # JSON integer): the reader restores it while the cell still holds this number.
            self.originals[ref] = value if not isinstance(value, Decimal) else text

    def styled(self):
        if self.styles is None:
            from openpyxl.styles import Alignment, Font, PatternFill, Protection

            self.styles = {
                "title": Font(bold=True, size=13), "head": Font(bold=True),
                "fill": PatternFill("solid", fgColor="DDEBF7"), "input": PatternFill("solid", fgColor="FFFFFF"),
                "unit": Font(italic=True, color="555555"), "open": Protection(locked=False),
                "wrap": Alignment(wrap_text=True, vertical="top"),
            }
        return self.styles

    # -- the workbook --------------------------------------------------------------
    def write(self, wb):
        cover = wb.active
        cover.title = sheet_name(self.t("cover"), self.taken)
        pages_meta = []
        order = self.form.get("x-page-order") or list(self.pages)
        sub_pages = self.sub.get("pages") if isinstance(self.sub.get("pages"), dict) else {}
        for pid in order:
            page = self.pages[pid]
            rows = sub_pages.get(pid) or []
            if not isinstance(rows, list):
                rows = []
            pages_meta.append(self.page_sheet(wb, pid, page, rows))
        for pid in sub_pages:
            if pid not in self.pages:
                self.unplaced.append(Finding("workbook.unplaced", f"$.pages.{pid}", f"page {pid!r} is not part of this form; "
                                             "it cannot be placed in the workbook", f"页面 {pid!r} 不属于此表单，无法写入工作簿"))
        params_meta = self.parameters_sheet(wb)
        reported_meta = self.reported_sheet(wb)
        records_meta = self.records_sheet(wb)
        details_meta = self.details_sheet(wb)
        cover_meta = self.cover_sheet(cover, pages_meta)
        if self.unplaced:
            raise InputError(f"{self.unplaced[0].place}: {self.unplaced[0].message}", self.unplaced)
        self.lists_sheet(wb)
        present = [k for k in ("enterprise", "parameters", "reported", "plan", "previous_plan", "evidence") if k in self.sub]
        present += [f"pages.{p}" for p, rows in sub_pages.items() if isinstance(rows, list) and not rows]
        write_map(wb, {
            "format": FORMAT, "kind": "input", "sector": self.form["properties"]["sector"].get("const"),
            "year": self.form["properties"]["year"].get("const"), "lang": self.lang,
            "rulesets": [{"id": r["id"], "sha256": r.get("sha256", "")} for r in self.rulesets],
            "cover": cover_meta, "pages": pages_meta, "parameters": params_meta, "reported": reported_meta,
            "records": records_meta, "details": details_meta, "originals": self.originals, "present": present,
        })

    def head(self, ws, title, subtitle):
        s = self.styled()
        ws.cell(row=1, column=1, value=title).font = s["title"]
        ws.cell(row=2, column=1, value=subtitle).font = s["unit"]

    def protect(self, ws):
        # printed landscape, one page wide: a monthly table on paper as on screen
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.protection.sheet = True
        # Rows may be inserted, deleted, sorted and filtered: a template grows with the plant.
        for option in ("insertRows", "deleteRows", "sort", "autoFilter", "formatColumns"):
            setattr(ws.protection, option, False)

    def page_sheet(self, wb, pid, page, rows):
        title = page_title(page.get("title", pid), self.lang)
        ws = wb.create_sheet(sheet_name(title, self.taken))
        role = ROLE_TEXT.get(page.get("x-role"), ("", ""))[0 if self.zh else 1]
        self.head(ws, title, f"{role} · {page.get('x-ruleset', '')}")
        props = page["items"]["properties"]
        months = page.get("x-months")
        if months and months.get("field") in props and all(g in props for g in months.get("group_by", [])) \
                and self._pivotable(rows, months, props):
            meta = self.monthly(ws, pid, props, months, rows)
        else:
            meta = self.by_row(ws, pid, props, rows)
        self.protect(ws)
        ws.freeze_panes = ws.cell(row=meta["first_row"], column=1)
        return meta

    def _columns(self, props):
        cols = {}
        for fid, prop in props.items():
            kind = field_kind(prop)
            entry = {"field": fid, "kind": kind, "label": label_of(prop, self.lang, fid)}
            if kind == "choice":
                entry["choices"] = choice_labels(prop, self.defs, self.lang)
            if kind == "number":
                entry["unit"] = unit_text(prop)
                if "x-decimals" in prop:
                    entry["decimals"] = prop["x-decimals"]
            cols[fid] = entry
        return cols

    def by_row(self, ws, pid, props, rows):
        s = self.styled()
        cols = self._columns(props)
        meta_cols = {}
        for i, (fid, c) in enumerate(cols.items(), start=1):
            letter = col_letter(i)
            meta_cols[letter] = c
            h = ws.cell(row=HEADER_ROW, column=i, value=c["label"])
            h.font, h.fill, h.alignment = s["head"], s["fill"], s["wrap"]
            ws.cell(row=UNIT_ROW, column=i, value=c.get("unit", "") if c["kind"] == "number" else "").font = s["unit"]
            ws.column_dimensions[letter].width = max(10, min(28, len(c["label"]) * (2 if self.zh else 1) + 2))
        first = UNIT_ROW + 1
        last = first + len(rows) + SPARE_ROWS - 1
        for r, row in enumerate(rows):
            if not isinstance(row, dict):
                continue
            for fid in row:
                if fid not in cols:
                    self.unplaced.append(Finding("workbook.unplaced", f"$.pages.{pid}[{r}].{fid}",
                                                 f"field {fid!r} is not part of page {pid!r}; it cannot be placed in the workbook",
                                                 f"字段 {fid!r} 不属于页面 {pid!r}，无法写入工作簿"))
            for i, (fid, c) in enumerate(cols.items(), start=1):
                if fid in row:
                    self.put(ws, first + r, i, c["kind"], row[fid], f"$.pages.{pid}[{r}].{fid}", c.get("choices"))
        self._format_columns(ws, cols, first, last)
        return {"page": pid, "sheet": ws.title, "layout": "rows", "header_row": HEADER_ROW, "first_row": first,
                "columns": meta_cols}

    def _format_columns(self, ws, cols, first, last):
        from openpyxl.worksheet.datavalidation import DataValidation

        s = self.styled()
        for i, c in enumerate(cols.values(), start=1):
            letter = col_letter(i)
            fmt = "@" if c["kind"] == "text" else decimal_format(c.get("decimals")) if c["kind"] == "number" else "General"
            for r in range(first, last + 1):
                cell = ws.cell(row=r, column=i)
                cell.protection = s["open"]
                cell.number_format = fmt
            if c["kind"] == "choice" and c["choices"]:
                dv = DataValidation(type="list", formula1="=" + self.list_ref(list(c["choices"].values())), allow_blank=True)
                dv.error = "请从列表中选择 / Pick a name from the list"
                dv.add(f"{letter}{first}:{letter}{last}")
                ws.add_data_validation(dv)

    def _pivotable(self, rows, months, props) -> bool:
        """Whether the rows can be laid out with months as columns and read back in the same order."""
        if not rows:
            return True
        mfield, groups = months["field"], months.get("group_by", [])
        seen, order = set(), []
        for row in rows:
            if not isinstance(row, dict) or any(f not in props for f in row):
                return False
            m = row.get(mfield)
            month = int(m) if isinstance(m, int) or (isinstance(m, str) and m.isdigit()) else None
            if month is None or not 1 <= month <= 12 or m != month:
                return False
            if any(isinstance(row.get(g), (dict, list)) for g in groups):
                return False
            key = tuple(to_json(row.get(g)) for g in groups)
            if (key, month) in seen or len(row) <= len(groups) + 1:
                return False
            seen.add((key, month))
            order.append((key, month))
        # read back: groups in order of first appearance, months ascending within each
        groups_order = list(dict.fromkeys(k for k, _ in order))
        expected = sorted(order, key=lambda km: (groups_order.index(km[0]), km[1]))
        return expected == order

    def monthly(self, ws, pid, props, months, rows):
        from openpyxl.worksheet.datavalidation import DataValidation

        s = self.styled()
        cols = self._columns(props)
        mfield, groups = months["field"], months.get("group_by", [])
        items = [fid for fid in cols if fid != mfield and fid not in groups]
        headers = [cols[g]["label"] for g in groups] + [self.t("item"), self.t("unit")] + MONTHS[self.lang]
        for i, text in enumerate(headers, start=1):
            h = ws.cell(row=HEADER_ROW, column=i, value=text)
            h.font, h.fill, h.alignment = s["head"], s["fill"], s["wrap"]
            ws.column_dimensions[col_letter(i)].width = 16 if i <= len(groups) + 2 else 12
        ws.column_dimensions[col_letter(len(groups) + 1)].width = 26
        item_col, unit_col, m0 = len(groups) + 1, len(groups) + 2, len(groups) + 3
        first = HEADER_ROW + 1
        # groups in order of first appearance, each with its months
        blocks: dict = {}
        for r, row in enumerate(rows):
            key = tuple(to_json(row.get(g)) for g in groups)
            blocks.setdefault(key, {"row": row, "months": {}})["months"][int(row[mfield])] = (r, row)
        if not rows:
            blocks = {("blank", n): None for n in range(BLANK_GROUPS)}
        r = first
        item_label = {fid: cols[fid]["label"] for fid in items}
        dvs: dict = {}
        for key, block in blocks.items():
            for fid in items:
                c = cols[fid]
                for gi, g in enumerate(groups, start=1):
                    if block is not None and g in block["row"]:
                        first_r, _ = next(iter(block["months"].values()))
                        self.put(ws, r, gi, cols[g]["kind"], block["row"][g], f"$.pages.{pid}[{first_r}].{g}", cols[g].get("choices"))
                    ws.cell(row=r, column=gi).protection = s["open"]
                    ws.cell(row=r, column=gi).number_format = "@" if cols[g]["kind"] == "text" else "General"
                ws.cell(row=r, column=item_col, value=item_label[fid]).protection = s["open"]
                ws.cell(row=r, column=unit_col, value=c.get("unit", "")).font = s["unit"]
                fmt = "@" if c["kind"] == "text" else decimal_format(c.get("decimals")) if c["kind"] == "number" else "General"
                for m in range(12):
                    cell = ws.cell(row=r, column=m0 + m)
                    cell.protection = s["open"]
                    cell.number_format = fmt
                    got = block["months"].get(m + 1) if block is not None else None
                    if got and fid in got[1]:
                        self.put(ws, r, m0 + m, c["kind"], got[1][fid], f"$.pages.{pid}[{got[0]}].{fid}", c.get("choices"))
                if c["kind"] == "choice" and c["choices"]:
                    dvs.setdefault(tuple(c["choices"].values()), []).append(f"{col_letter(m0)}{r}:{col_letter(m0 + 11)}{r}")
                r += 1
        last = r + MONTH_SPARE_ROWS - 1
        for rr in range(r, last + 1):
            for cc in range(1, m0 + 12):
                if cc != unit_col:
                    ws.cell(row=rr, column=cc).protection = s["open"]
        for gi, g in enumerate(groups, start=1):
            if cols[g]["kind"] == "choice" and cols[g]["choices"]:
                dvs.setdefault(tuple(cols[g]["choices"].values()), []).append(f"{col_letter(gi)}{first}:{col_letter(gi)}{last}")
        dvs.setdefault(tuple(item_label.values()), []).append(f"{col_letter(item_col)}{first}:{col_letter(item_col)}{last}")
        for values, ranges in dvs.items():
            dv = DataValidation(type="list", formula1="=" + self.list_ref(list(values)), allow_blank=True)
            for rng in ranges:
                dv.add(rng)
            ws.add_data_validation(dv)
        return {"page": pid, "sheet": ws.title, "layout": "months", "header_row": HEADER_ROW, "first_row": first,
                "month_field": mfield, "group_columns": {col_letter(i): cols[g] for i, g in enumerate(groups, start=1)},
                "item_column": col_letter(item_col), "unit_column": col_letter(unit_col),
                "month_columns": {col_letter(m0 + m): m + 1 for m in range(12)},
                "items": {item_label[fid]: cols[fid] for fid in items},
                "headers": {col_letter(i): h for i, h in enumerate(headers, start=1)}}

    # -- the other sheets ----------------------------------------------------------
    def table_sheet(self, wb, key, headers, subtitle, widths=None):
        s = self.styled()
        ws = wb.create_sheet(sheet_name(self.t(key), self.taken))
        self.head(ws, self.t(key), subtitle)
        for i, h in enumerate(headers, start=1):
            c = ws.cell(row=HEADER_ROW, column=i, value=h)
            c.font, c.fill, c.alignment = s["head"], s["fill"], s["wrap"]
            ws.column_dimensions[col_letter(i)].width = (widths or {}).get(i, 18)
        return ws

    def open_rows(self, ws, first, last, ncols, text_cols=()):
        s = self.styled()
        for r in range(first, last + 1):
            for c in range(1, ncols + 1):
                cell = ws.cell(row=r, column=c)
                cell.protection = s["open"]
                if c in text_cols:
                    cell.number_format = "@"

    def parameters_sheet(self, wb):
        zh = self.zh
        ws = self.table_sheet(wb, "parameters", ["参数" if zh else "Parameter", "名称" if zh else "Name",
                                                 "数值" if zh else "Value", "单位" if zh else "Unit", "备注" if zh else "Note",
                                                 "规则给出的值" if zh else "What the rules give"],
                              "报告方提供的参数（如当年规则未给出的电网排放因子）；不填则用规则的值"
                              if zh else "Parameters the submission supplies (such as a grid factor the year's rules do not give); "
                                         "left empty, the rules' value is used", {2: 30, 5: 30, 6: 60})
        props = self.form["properties"].get("parameters", {}).get("properties", {})
        given = self.sub.get("parameters") if isinstance(self.sub.get("parameters"), dict) else {}
        names = list(props) + [n for n in given if n not in props]
        first = HEADER_ROW + 1
        for i, name in enumerate(names):
            r = first + i
            ws.cell(row=r, column=1, value=name)
            prop = props.get(name, {})
            ws.cell(row=r, column=2, value=label_of(prop, self.lang, name))
            ws.cell(row=r, column=6, value=page_title(prop.get("description", ""), self.lang))
            if name in given:
                v = given[name]
                path = f"$.parameters.{name}"
                if isinstance(v, dict):
                    self.put(ws, r, 3, "number", v.get("value"), path)
                    for col, key in ((4, "unit"), (5, "note")):
                        if key in v:
                            ws.cell(row=r, column=col, value=v[key]).data_type = "s"
                else:
                    self.put(ws, r, 3, "number", v, path)
            if not ws.cell(row=r, column=4).value and prop.get("x-unit"):
                pass  # the unit column stays empty: the parameter's own unit (shown in column F) applies
        last = first + len(names) + 10
        self.open_rows(ws, first, last, 5, text_cols=(1, 4, 5))
        from openpyxl.styles import Protection

        for r in range(first, first + len(props)):
            ws.cell(row=r, column=1).protection = Protection(locked=True)  # the rules' parameter names stay
        self.protect(ws)
        return {"sheet": ws.title, "first_row": first, "header_row": HEADER_ROW,
                "headers": {"A": ws["A3"].value, "C": ws["C3"].value}}

    def reported_sheet(self, wb):
        zh = self.zh
        ws = self.table_sheet(wb, "reported", ["报告的数据位置（JSON 路径）" if zh else "Place of the figure (JSON path)",
                                               "报告值" if zh else "Reported value"],
                              "报告方报告的数值，供核查比对（mrv verify）" if zh else "Figures the reporter reported, "
                              "for verification to compare (mrv verify)", {1: 48, 2: 18})
        given = self.sub.get("reported") if isinstance(self.sub.get("reported"), dict) else {}
        first = HEADER_ROW + 1
        for i, (place, value) in enumerate(given.items()):
            ws.cell(row=first + i, column=1, value=place).data_type = "s"
            self.put(ws, first + i, 2, "number", value, f"$.reported.{place}")
        self.open_rows(ws, first, first + len(given) + 30, 2, text_cols=(1,))
        self.protect(ws)
        return {"sheet": ws.title, "first_row": first, "header_row": HEADER_ROW, "headers": {"A": ws["A3"].value}}

    def records_sheet(self, wb):
        zh = self.zh
        ws = self.table_sheet(wb, "records", ["内容" if zh else "Record", "JSON"],
                              "数据质量控制计划、上年计划与核查证据，以 JSON 文本保存（mrv verify 使用）" if zh else
                              "The monitoring plan, last year's plan and the verifier's evidence, as JSON text (used by mrv verify)",
                              {1: 18, 2: 100})
        first, r = HEADER_ROW + 1, HEADER_ROW + 1
        for key in ("plan", "previous_plan", "evidence"):
            if key not in self.sub:
                continue
            text = to_json(self.sub[key]).strip()
            for i in range(0, len(text), CHUNK):
                ws.cell(row=r, column=1, value=key).data_type = "s"
                ws.cell(row=r, column=2, value=text[i:i + CHUNK]).data_type = "s"
                r += 1
        self.open_rows(ws, first, r + 5, 2, text_cols=(1, 2))
        self.protect(ws)
        return {"sheet": ws.title, "first_row": first, "header_row": HEADER_ROW, "headers": {"A": ws["A3"].value}}

    def details_sheet(self, wb):
        zh = self.zh
        ws = self.table_sheet(wb, "details", [c[1] if zh else c[2] for c in DETAIL_COLUMNS],
                              "一个数值的单位（与表头不同时）、来源、频次、基准或备注；同一单元格多个来源时逐个编号"
                              if zh else "A value's unit (when not the header's), source, frequency, basis or note; "
                                         "several alternatives for one cell are numbered", {1: 22, 9: 40, 10: 40})
        first = HEADER_ROW + 1
        keys = [c[0] for c in DETAIL_COLUMNS]
        for i, (sheet, coord, path, item, obj) in enumerate(self.details):
            r = first + i
            ws.cell(row=r, column=1, value=f"{quote_sheet(sheet)}!{coord}").data_type = "s"
            if item is not None:
                ws.cell(row=r, column=2, value=item)
                if item > 1:
                    self.put(ws, r, 3, "number", obj.get("value"), path)
            for key, v in obj.items():
                if key in keys[3:9]:
                    self.put(ws, r, keys.index(key) + 1, "text", v, path)
                elif key != "value":
                    self.unplaced.append(Finding("workbook.unplaced", f"{path}.{key}", f"key {key!r} of a value cannot be "
                                                 "placed in the workbook", f"数值的键 {key!r} 无法写入工作簿"))
            ws.cell(row=r, column=10, value=path)
        self.open_rows(ws, first, first + len(self.details) + 50, 9, text_cols=(1, 4, 5, 6, 7, 8, 9))
        self.protect(ws)
        return {"sheet": ws.title, "first_row": first, "header_row": HEADER_ROW,
                "headers": {col_letter(i + 1): (c[1] if zh else c[2]) for i, c in enumerate(DETAIL_COLUMNS)}}

    def cover_sheet(self, ws, pages_meta):
        s = self.styled()
        zh = self.zh
        props = self.form["properties"]
        sector, year = props["sector"].get("const"), props["year"].get("const")
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 60
        ws.column_dimensions["C"].width = 22
        ws.cell(row=1, column=1, value=self.form.get("title", "")).font = s["title"]
        lines = [
            ("行业" if zh else "Sector", sector),
            ("报告年度" if zh else "Reporting year", year),
        ]
        for rs in self.rulesets:
            lines.append(("规则版本" if zh else "Ruleset", f"{rs['id']}  sha256 {rs.get('sha256', '')}"))
            title = rs.get("title", {})
            lines.append(("", title.get(self.lang, "") if isinstance(title, dict) else str(title)))
        r = 3
        for label, value in lines:
            ws.cell(row=r, column=1, value=label).font = s["head"]
            ws.cell(row=r, column=2, value=value)
            r += 1
        r += 1
        ws.cell(row=r, column=1, value="企业信息（请填写）" if zh else "Enterprise (fill in)").font = s["title"]
        r += 1
        enterprise = self.sub.get("enterprise") if isinstance(self.sub.get("enterprise"), dict) else {}
        fields = [("name", "企业名称", "Name"), ("credit_code", "统一社会信用代码", "Unified social credit code"),
                  ("province", "所在省份", "Province")]
        fields += [(k, k, k) for k in enterprise if k not in ("name", "credit_code", "province")]
        entries = [(f"enterprise.{k}", zh_l if zh else en_l, enterprise.get(k)) for k, zh_l, en_l in fields]
        pilot = self.form.get("x-programme")
        if pilot or self.sub.get("programme"):  # a pilot's report names its programme; it reads back with it
            entries.append(("programme", "报告类型（地方试点）" if zh else "Programme (provincial pilot)",
                            self.sub.get("programme") or pilot))
        entries += [("ruleset", "指定规则版本（核查用，可空）" if zh else "Pinned ruleset (verifiers; may be empty)", self.sub.get("ruleset")),
                    ("calorie", "千卡换算（kJ/kcal，空为 4.1868）" if zh else "kJ per kcal (empty: 4.1868)", self.sub.get("calorie"))]
        first = r
        for key, label, value in entries:
            ws.cell(row=r, column=1, value=label).font = s["head"]
            cell = ws.cell(row=r, column=2)
            if value is not None:
                if isinstance(value, str):
                    cell.value = value
                else:
                    self.originals[f"{quote_sheet(ws.title)}!{cell.coordinate}"] = value
                    cell.value = to_json(value).strip()
            cell.data_type = "s"
            cell.number_format = "@"
            cell.protection = s["open"]
            cell.fill = s["fill"]
            ws.cell(row=r, column=3, value=key).font = s["unit"]
            r += 1
        last = r - 1
        r += 1
        ws.cell(row=r, column=1, value="填写方法" if zh else "How to fill it").font = s["title"]
        r += 1
        how = ([
            "每个页面一个工作表，顺序与报送系统的组合一致；白色单元格可填写，其余受保护。",
            "第 3 行为字段名称，第 4 行为单位（按月页面的单位在“单位”列）；请勿移动表头。",
            "选择项请从下拉列表选名称；数字按表头单位填写，可多位小数，系统按规则修约（四舍五入）。",
            "按月页面：每个机组/燃料一组行，每行一个项目，1—12 月为列；可插入行、复制整组。",
            "数值的单位与表头不同、或需注明来源/频次/基准时，在“数值说明”表按单元格填写。",
            "填好后：mrv calc 本文件.xlsx；mrv validate 本文件.xlsx 会指出每个问题所在的单元格。",
        ] if zh else [
            "One sheet per page, in the order of the composed report; white cells are for input, the rest is protected.",
            "Row 3 holds the field names and row 4 their units (a monthly page: the Unit column); do not move the headers.",
            "Pick choices by name from the list; type numbers in the header's unit, with any decimals: the rules round half up.",
            "Monthly pages: one block of rows per unit/fuel, one row per item, months 1-12 as columns; insert rows or copy a block.",
            "A value in another unit than the header's, or with its source, frequency or basis: the Value details sheet, by cell.",
            "Then: mrv calc this-file.xlsx; mrv validate this-file.xlsx names the cell of every problem.",
        ])
        for line in how:
            ws.cell(row=r, column=1, value=line)
            r += 1
        r += 1
        ws.cell(row=r, column=1, value="缺省值来源" if zh else "Where the defaults come from").font = s["title"]
        r += 1
        sheets = {m["page"]: m["sheet"] for m in pages_meta}
        for pid in self.form.get("x-page-order") or list(self.pages):
            for fid, prop in self.pages[pid]["items"]["properties"].items():
                for rule in prop.get("x-fallbacks") or []:
                    text = rule.get(self.lang) or rule.get("zh") if isinstance(rule, dict) else page_title(str(rule), self.lang)
                    ws.cell(row=r, column=1, value=f"{sheets.get(pid, pid)} · {label_of(prop, self.lang, fid)}")
                    ws.cell(row=r, column=2, value=text)
                    r += 1
        r += 1
        ws.cell(row=r, column=1, value="依据文件" if zh else "Source documents").font = s["title"]
        r += 1
        for rs in self.rulesets:
            for src in rs.get("sources", []):
                if not (src.get("number") or src.get("date")) or "reference" in src.get("key", ""):
                    continue
                ws.cell(row=r, column=1, value=src.get("number") or src.get("date"))
                ws.cell(row=r, column=2, value=src.get("title", ""))
                r += 1
        self.protect(ws)
        return {"sheet": ws.title, "first_row": first, "last_row": last, "key_column": "C", "value_column": "B"}

    def lists_sheet(self, wb):
        ws = wb.create_sheet(LISTS_SHEET)
        for c, values in enumerate(self.lists, start=1):
            for r, v in enumerate(values, start=1):
                ws.cell(row=r, column=c, value=v).data_type = "s"
        ws.sheet_state = "hidden"
