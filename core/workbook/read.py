"""A filled template read back into a submission, with the cell of every JSON path.

The reader follows the template's map sheet (``layout.py``) rather than guessing: which sheet
holds which page, where its headers are, which column is which field. Every header the map names
is checked against the sheet, so a renamed sheet or a moved header is a finding naming the cell,
not a silently shifted column. Values are read exactly (``cells.py``); a formula cell gives the
value Excel saved with it, marked in the value's note (and so in the trace).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from ..base.documents import load_document as load_text_document
from ..base.documents import load_json_text
from ..base.errors import InputError
from ..base.findings import Finding
from . import guard
from .cells import number_text, shortest
from .layout import FORMAT, MAP_SHEET, col_index, col_letter, quote_sheet

_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]{1,3})\$?([0-9]+)$")
_DETAIL_KEYS = ("unit", "source", "frequency", "basis", "calorie", "note")


@dataclass
class WorkbookRead:
    """A workbook read as a submission: ``cells`` maps JSON paths to ``sheet!cell``; ``findings``
    are the warnings of reading (values read from text or formulas), each naming its cell."""

    submission: dict
    name: str
    cells: dict = field(default_factory=dict)
    findings: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def cell_of(self, place: str) -> str:
        """``sheet!cell`` of a JSON path, or of its nearest enclosing path; '' when none."""
        p = place
        while p and p != "$":
            if p in self.cells:
                return self.cells[p]
            cut = max(p.rfind("."), p.rfind("["))
            if cut <= 0:
                break
            p = p[:cut]
        return ""

    def locate(self, place: str) -> str:
        """``燃料燃烧!E7 ($.pages.fuel_combustion[0].ncv)`` for a JSON path inside the workbook."""
        if not place.startswith("$"):
            return place
        cell = self.cell_of(place)
        return f"{cell} ({place})" if cell else place


def is_workbook(path) -> bool:
    return guard.looks_like_workbook(path)


def load_document(path):
    """(document, display name) from a workbook, JSON or YAML; a workbook is read by its map."""
    if is_workbook(path):
        got = read_workbook(path)
        return got.submission, got.name
    return load_text_document(path)


def read_workbook(path) -> WorkbookRead:
    """Read a filled template; :class:`InputError` lists every problem, each naming its cell."""
    data, name = guard.checked_bytes(path)
    try:
        from openpyxl import load_workbook

        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
        formulas = _formula_cells(data) if guard.has_formulas(data) else {}
        return _Reader(wb, name, formulas).read()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        guard.refuse("workbook.unreadable", name, f"the workbook cannot be read: {type(exc).__name__}: {exc}",
                     f"无法读取工作簿：{type(exc).__name__}: {exc}")


def _formula_cells(data: bytes) -> dict:
    """sheet title -> {(row, column)} of the cells that hold a formula."""
    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(data), read_only=True, data_only=False)
    out = {}
    for ws in wb.worksheets:
        found = set()
        for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
            for c, v in enumerate(row, start=1):
                if (isinstance(v, str) and v.startswith("=")) or type(v).__name__ in ("ArrayFormula", "DataTableFormula"):
                    found.add((r, c))
        if found:
            out[ws.title] = found
    wb.close()
    return out


class _Grid:
    """A sheet's values by (row, column), 1-based."""

    def __init__(self, ws):
        self.rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        self.title = ws.title

    def get(self, r: int, c: int):
        if r < 1 or r > len(self.rows):
            return None
        row = self.rows[r - 1]
        return row[c - 1] if 0 < c <= len(row) else None

    @property
    def max_row(self) -> int:
        return len(self.rows)


class _Reader:
    def __init__(self, wb, name: str, formulas: dict):
        self.wb, self.name, self.formulas = wb, name, formulas
        self.errors: list[Finding] = []
        self.warnings: list[Finding] = []
        self.cells: dict = {}
        self.slots: dict = {}  # JSON path -> (container, key) of a value, to attach its details
        self.grids: dict = {}
        self.meta: dict = {}
        self.failed: set = set()  # sheets not read (missing, headers moved): their cells are not looked for

    # -- helpers -------------------------------------------------------------------
    def error(self, code, ref, path, en, zh):
        place = f"{ref} ({path})" if path else ref
        self.errors.append(Finding(code, place, en, zh, data={"cell": ref, **({"path": path} if path else {})}))

    def grid(self, sheet: str):
        if sheet not in self.grids:
            self.grids[sheet] = _Grid(self.wb[sheet]) if sheet in self.wb.sheetnames else None
        return self.grids[sheet]

    def ref(self, sheet: str, r: int, col: str) -> str:
        return f"{quote_sheet(sheet)}!{col}{r}"

    def check_headers(self, grid, row: int, headers: dict) -> bool:
        ok = True
        for col, text in headers.items():
            got = grid.get(row, col_index(col))
            if (got or "") != (text or ""):
                where = self._find(grid, text)
                moved = f"; it is now at {where}" if where else ""
                self.error("workbook.header_moved", self.ref(grid.title, row, col), "",
                           f"the header {text!r} belongs here but the cell holds {got!r}{moved}: "
                           "headers must stay where the template put them",
                           f"此处应为表头 “{text}”，实为 “{got}”{('；它现在位于 ' + where) if where else ''}：请勿移动模板的表头")
                ok = False
                self.failed.add(grid.title)
                break
        return ok

    def _find(self, grid, text) -> str:
        if not text:
            return ""
        for r in range(1, min(grid.max_row, 30) + 1):
            for c, v in enumerate(grid.rows[r - 1], start=1):
                if v == text:
                    return self.ref(grid.title, r, col_letter(c))
        return ""

    def sheet(self, meta: dict):
        grid = self.grid(meta["sheet"])
        if grid is None:
            self.error("workbook.missing_sheet", meta["sheet"], "",
                       f"sheet {meta['sheet']!r} is missing (renamed or deleted); the template's sheets must keep their names",
                       f"缺少工作表 “{meta['sheet']}”（被改名或删除）；请保持模板的工作表名称")
            self.failed.add(meta["sheet"])
        return grid

    def value(self, grid, r: int, col: str, kind: str, path: str, spec: dict | None = None, original_ok=True):
        """The JSON value of one cell (None when empty) as a field of ``kind`` needs it."""
        c = col_index(col)
        v = grid.get(r, c)
        ref = self.ref(grid.title, r, col)
        if path:
            self.cells[path] = ref
        if v is None or (isinstance(v, str) and not v.strip() and kind != "text"):
            if (r, c) in self.formulas.get(grid.title, ()):
                self.error("workbook.formula_without_value", ref, path,
                           "a formula cell saved without its value: open the workbook in Excel (or LibreOffice), "
                           "let it calculate and save it again, or type the value",
                           "公式单元格未保存计算结果：请在 Excel（或 LibreOffice）中打开、计算并保存，或直接填写数值")
            return None
        note = ""
        if (r, c) in self.formulas.get(grid.title, ()):
            note = f"读自公式单元格 {ref} 保存的计算结果 / read from the value saved with the formula in {ref}"
            self.warnings.append(Finding("workbook.formula_value", f"{ref} ({path})" if path else ref,
                                         f"a formula cell: its value as last saved ({v!r}) is read",
                                         f"公式单元格：读取其最后保存的计算结果（{v!r}）", severity="warning"))
        if isinstance(v, bool) or type(v).__name__ in ("datetime", "date", "time", "timedelta"):
            self.error("workbook.bad_cell", ref, path, f"{v!r} is a {'logical' if isinstance(v, bool) else 'date'} value, "
                       "not what this field takes: format the cell as text or number and type the value again",
                       f"{v!r} 是{'逻辑值' if isinstance(v, bool) else '日期'}，不是此字段接受的值：请将单元格设为文本或数值后重新填写")
            return None
        original = self.meta.get("originals", {}).get(ref) if original_ok else None
        if kind == "number":
            out = self.number(v, ref, path)
            if out is None:
                return None
            text, how = out
            if original is not None and _same_number(original, text):
                return original
            if how:
                note = (note + "; " if note else "") + \
                    f"读自单元格 {ref} 的文本 “{v}”（{_HOW_ZH.get(how, how)}）/ read from the text {v!r} in {ref} ({how})"
                self.warnings.append(Finding("workbook.normalized", f"{ref} ({path})" if path else ref,
                                             f"the text {v!r} is read as the number {text} ({how})",
                                             f"文本 “{v}” 读作数值 {text}（{_HOW_ZH.get(how, how)}）", severity="warning"))
            return {"value": text, "note": note} if note else text
        if isinstance(v, (int, float)):
            text = shortest(v)
            if original is not None and _same_number(original, text):
                return original
        else:
            text = str(v)
            if original is not None and not isinstance(original, str):
                try:
                    if json.loads(text) == original:
                        return original
                except ValueError:
                    pass
        if kind == "choice" and spec:
            text = _choice(spec, text)
        return text

    def number(self, v, ref, path):
        if isinstance(v, (int, float)):
            if isinstance(v, float) and not math.isfinite(v):
                self.error("workbook.not_a_number", ref, path, "not a finite number", "不是有限数值")
                return None
            return shortest(v), ""
        text, how = number_text(str(v))
        if text is None:
            self.error("workbook.not_a_number", ref, path,
                       f"{v!r} is not a number: type the number alone (the unit goes in the unit row, or in the value "
                       "details sheet when it differs)",
                       f"“{v}” 不是数值：请只填写数字（单位见单位行；单位不同时在“数值说明”表注明）")
            return None
        return text, how

    # -- the workbook --------------------------------------------------------------
    def read(self) -> WorkbookRead:
        if MAP_SHEET not in self.wb.sheetnames:
            guard.refuse("workbook.not_a_template", self.name,
                         "this workbook was not made by `mrv template` (it has no map sheet): make a template with "
                         "`mrv template SECTOR --year Y -o FILE.xlsx` and fill it",
                         "此工作簿不是 `mrv template` 生成的模板（缺少映射表）：请用 `mrv template 行业 --year 年度 -o 文件.xlsx` 生成后填写")
        ws = self.wb[MAP_SHEET]
        text = "".join(str(r[0]) for r in ws.iter_rows(min_col=1, max_col=1, values_only=True) if r and r[0] is not None)
        try:
            self.meta = json.loads(text)
            assert self.meta.get("format") == FORMAT
        except (ValueError, AssertionError):
            guard.refuse("workbook.not_a_template", self.name, "the template's map sheet is damaged: make a new template",
                         "模板的映射表已损坏：请重新生成模板")
        meta = self.meta
        sub: dict = {"sector": meta["sector"], "year": meta["year"]}
        enterprise, extra = self.cover(meta["cover"])
        sub.update(extra)
        if enterprise or "enterprise" in meta.get("present", []):
            sub["enterprise"] = enterprise
        params = self.parameters(meta["parameters"])
        if params or "parameters" in meta.get("present", []):
            sub["parameters"] = params
        pages = {}
        for pmeta in meta["pages"]:
            grid = self.sheet(pmeta)
            if grid is None or not self.check_headers(grid, pmeta["header_row"], pmeta.get("headers") or
                                                      {col: c["label"] for col, c in pmeta["columns"].items()}):
                continue
            rows = self.monthly(grid, pmeta) if pmeta["layout"] == "months" else self.by_row(grid, pmeta)
            if rows or f"pages.{pmeta['page']}" in meta.get("present", []):
                pages[pmeta["page"]] = rows
        sub["pages"] = pages
        reported = self.reported(meta["reported"])
        if reported or "reported" in meta.get("present", []):
            sub["reported"] = reported
        sub.update(self.records(meta["records"]))
        self.details(meta["details"])
        if self.errors:
            first = self.errors[0]
            more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
            raise InputError(f"{first.place}: {first.message}{more}", self.errors, where=self.name, code=first.code)
        return WorkbookRead(sub, self.name, self.cells, self.warnings, meta)

    def cover(self, cmeta):
        grid = self.sheet(cmeta)
        enterprise, extra = {}, {}
        if grid is None:
            return enterprise, extra
        for r in range(cmeta["first_row"], cmeta["last_row"] + 1):
            key = grid.get(r, col_index(cmeta["key_column"]))
            if not isinstance(key, str):
                continue
            path = "$." + key
            v = self.value(grid, r, cmeta["value_column"], "text", path)
            if v is None:
                continue
            if key.startswith("enterprise."):
                enterprise[key.split(".", 1)[1]] = v
            else:
                extra[key] = v
        return enterprise, extra

    def by_row(self, grid, pmeta) -> list:
        pid, rows = pmeta["page"], []
        cols = pmeta["columns"]
        for r in range(pmeta["first_row"], grid.max_row + 1):
            if all(grid.get(r, col_index(col)) in (None, "") for col in cols):
                continue
            i = len(rows)
            row: dict = {}
            self.cells[f"$.pages.{pid}[{i}]"] = self.ref(grid.title, r, "A")
            for col, spec in cols.items():
                path = f"$.pages.{pid}[{i}].{spec['field']}"
                v = self.value(grid, r, col, spec["kind"], path, spec)
                if v is not None:
                    row[spec["field"]] = v
                    self.slots[path] = (row, spec["field"])
            rows.append(row)
        return rows

    def monthly(self, grid, pmeta) -> list:
        pid = pmeta["page"]
        gcols, items = pmeta["group_columns"], pmeta["items"]
        by_label = {label: spec for label, spec in items.items()}
        by_label.update({spec["field"]: spec for spec in items.values()})
        item_col = col_index(pmeta["item_column"])
        months = pmeta["month_columns"]
        groups: dict = {}  # group key -> {"src": {col: row of its value}, "months": {...}, "rows": {...}}
        current = None
        src: dict = {}  # group column -> the row its value was last given in (merged cells, blocks)
        for r in range(pmeta["first_row"], grid.max_row + 1):
            gvals = {col: grid.get(r, col_index(col)) for col in gcols}
            label = grid.get(r, item_col)
            mvals = {col: grid.get(r, col_index(col)) for col in months}
            has_months = any(v not in (None, "") for v in mvals.values())
            if all(v in (None, "") for v in gvals.values()) and label in (None, "") and not has_months:
                continue
            if any(v not in (None, "") for v in gvals.values()):
                # an empty group cell takes the value above it, as a merged cell or a block shows it
                src = dict(src)
                src.update({col: r for col, v in gvals.items() if v not in (None, "")})
                key = tuple(json.dumps(grid.get(src[col], col_index(col)) if col in src else None, default=str,
                                       ensure_ascii=False) for col in gcols)
                current = groups.setdefault(key, {"src": src, "months": {}, "rows": {}})
            if not has_months:
                continue
            if current is None:
                self.error("workbook.no_group", self.ref(grid.title, r, next(iter(gcols))), "",
                           "monthly values without the unit (or fuel) they belong to: fill the first columns",
                           "月度数值缺少所属机组（或燃料）：请填写前几列")
                continue
            spec = by_label.get(label if not isinstance(label, str) else label.strip())
            if spec is None:
                self.error("workbook.unknown_item", self.ref(grid.title, r, pmeta["item_column"]), "",
                           f"{label!r} is not an item of this page; pick one from the list ({', '.join(items)})",
                           f"“{label}” 不是此页面的项目；请从列表中选择（{'、'.join(items)}）")
                continue
            for col, m in months.items():
                if mvals[col] not in (None, ""):
                    current["months"].setdefault(m, []).append((spec, r, col))
            current["rows"].setdefault(spec["field"], r)
        rows = []
        for key, g in groups.items():
            for m in sorted(g["months"], key=int):
                i = len(rows)
                row: dict = {}
                for col, spec in gcols.items():
                    path = f"$.pages.{pid}[{i}].{spec['field']}"
                    if col not in g["src"]:
                        continue
                    v = self.value(grid, g["src"][col], col, spec["kind"], path, spec)
                    if v is not None:
                        row[spec["field"]] = v
                row[pmeta["month_field"]] = int(m)
                first_col = next(iter(gcols))
                self.cells[f"$.pages.{pid}[{i}]"] = self.ref(grid.title, g["src"].get(first_col, pmeta["first_row"]), first_col)
                for spec, r, col in g["months"][m]:
                    path = f"$.pages.{pid}[{i}].{spec['field']}"
                    if spec["field"] in row:
                        self.error("workbook.repeated_item", self.ref(grid.title, r, col), path,
                                   "this item is given twice for the same month of the same group",
                                   "同一组同一月份重复给出此项目")
                        continue
                    v = self.value(grid, r, col, spec["kind"], path, spec)
                    if v is not None:
                        row[spec["field"]] = v
                        self.slots[path] = (row, spec["field"])
                # the cells of the items not given, so a finding about one names where it goes
                for fid, rr in g["rows"].items():
                    mcol = next(c for c, mm in months.items() if int(mm) == int(m))
                    self.cells.setdefault(f"$.pages.{pid}[{i}].{fid}", self.ref(grid.title, rr, mcol))
                rows.append(row)
        return rows

    def parameters(self, pm) -> dict:
        grid = self.sheet(pm)
        out: dict = {}
        if grid is None or not self.check_headers(grid, pm["header_row"], pm["headers"]):
            return out
        for r in range(pm["first_row"], grid.max_row + 1):
            name = grid.get(r, 1)
            if name in (None, "") or grid.get(r, 3) in (None, ""):
                continue
            name = str(name).strip()
            path = f"$.parameters.{name}"
            v = self.value(grid, r, "C", "number", path)
            if v is None:
                continue
            unit = self.value(grid, r, "D", "text", "")
            note = self.value(grid, r, "E", "text", "")
            if unit is not None or note is not None or isinstance(v, dict):
                obj = v if isinstance(v, dict) else {"value": v}
                if unit is not None:
                    obj["unit"] = unit
                if note is not None:
                    obj["note"] = obj["note"] + "; " + note if "note" in obj else note
                v = obj
            out[name] = v
        return out

    def reported(self, rm) -> dict:
        grid = self.sheet(rm)
        out: dict = {}
        if grid is None or not self.check_headers(grid, rm["header_row"], rm["headers"]):
            return out
        for r in range(rm["first_row"], grid.max_row + 1):
            place = grid.get(r, 1)
            if place in (None, ""):
                continue
            v = self.value(grid, r, "B", "number", f"$.reported.{place}")
            if v is not None:
                out[str(place)] = v["value"] if isinstance(v, dict) else v
        return out

    def records(self, rm) -> dict:
        grid = self.sheet(rm)
        out: dict = {}
        if grid is None or not self.check_headers(grid, rm["header_row"], rm["headers"]):
            return out
        texts: dict = {}
        first: dict = {}
        for r in range(rm["first_row"], grid.max_row + 1):
            key = grid.get(r, 1)
            if key in (None, ""):
                continue
            texts.setdefault(key, []).append(str(grid.get(r, 2) or ""))
            first.setdefault(key, r)
        for key, parts in texts.items():
            ref = self.ref(grid.title, first[key], "B")
            if key not in ("plan", "previous_plan", "evidence"):
                self.error("workbook.unknown_record", self.ref(grid.title, first[key], "A"), "",
                           f"{key!r} is not a record this sheet holds (plan, previous_plan, evidence)",
                           f"“{key}” 不是此表保存的内容（plan、previous_plan、evidence）")
                continue
            try:
                out[key] = load_json_text("".join(parts), ref)
            except InputError as exc:
                self.error("workbook.bad_record", ref, f"$.{key}", f"the {key} is not valid JSON: {exc.message}",
                           f"{key} 不是有效的 JSON：{exc.message}")
            self.cells[f"$.{key}"] = ref
        return out

    def details(self, dm):
        grid = self.sheet(dm)
        if grid is None or not self.check_headers(grid, dm["header_row"], dm["headers"]):
            return
        by_ref = {ref: path for path, ref in self.cells.items()}
        found: dict = {}
        for r in range(dm["first_row"], grid.max_row + 1):
            target = grid.get(r, 1)
            if target in (None, ""):
                continue
            here = self.ref(grid.title, r, "A")
            m = _REF.match(str(target).strip())
            if m and ((m.group(1) or "").replace("''", "'") or m.group(2)) in self.failed:
                continue
            path = by_ref.get(_normal_ref(m)) if m else None
            if path is not None and path not in self.slots:
                continue  # the cell is empty, or its value was refused (that finding names it)
            if path is None:
                self.error("workbook.details", here, "", f"{target!r} names no filled input cell of the template "
                           "(write it as sheet!cell, e.g. 燃料燃烧!E7, and fill that cell)",
                           f"“{target}” 不是模板中已填写的输入单元格（写作 工作表!单元格，如 燃料燃烧!E7，并填写该单元格）")
                continue
            item = grid.get(r, 2)
            attrs = {}
            for i, key in enumerate(_DETAIL_KEYS, start=4):
                v = self.value(grid, r, _col(i), "text", "")
                if v is not None:
                    attrs[key] = v
            value = None
            if item not in (None, "") and str(item).strip() not in ("1", "1.0"):
                value = self.value(grid, r, "C", "number", "")
            try:
                number = int(float(item)) if item not in (None, "") else None
            except (TypeError, ValueError):
                self.error("workbook.details", self.ref(grid.title, r, "B"), path, f"{item!r} is not an alternative number",
                           f"“{item}” 不是来源序号")
                continue
            found.setdefault(path, []).append((number, value, attrs))
        for path, entries in found.items():
            row, key = self.slots[path]
            base = row[key]
            base_value, base_note = (base["value"], base.get("note")) if isinstance(base, dict) else (base, None)
            objs = []
            for number, value, attrs in sorted(entries, key=lambda e: e[0] or 0):
                obj = {"value": base_value if not number or number == 1 else value}
                if isinstance(obj["value"], dict):  # an alternative read from text: keep its note
                    obj = dict(obj["value"])
                obj.update(attrs)
                objs.append(obj)
            if base_note:
                objs[0]["note"] = (objs[0]["note"] + "; " + base_note) if "note" in objs[0] else base_note
            row[key] = objs if any(e[0] for e in entries) else objs[0]


_HOW_ZH = {"full-width characters": "全角字符", "thousands separators": "千位分隔符",
           "full-width characters and thousands separators": "全角字符和千位分隔符"}


def _col(i: int) -> str:
    return col_letter(i)


def _normal_ref(m) -> str:
    sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
    return f"{quote_sheet(sheet)}!{m.group(3)}{m.group(4)}"


def _same_number(original, text: str) -> bool:
    """Whether the cell still holds the number the template wrote for ``original``."""
    try:
        return float(Decimal(str(original))) == float(Decimal(text))
    except (InvalidOperation, ValueError, TypeError, OverflowError):
        return False


def _choice(spec: dict, text: str) -> str:
    """The code of a choice picked by its name (or typed as its code)."""
    choices = spec.get("choices") or {}
    if text in choices:
        return text
    for code, label in choices.items():
        if label == text or label == text.strip():
            return code
    return text
