"""What the template writer and the reader share: the hidden map sheet, sheet names, limits.

The map sheet (``_mrv``, very hidden) holds one JSON document: the sector, reporting year and
rulesets (id and sha256) the workbook was made for, and for every sheet which page it holds, its
layout, the cell of each header and the field of each column. The reader follows it instead of
guessing, and checks every header it names against the visible sheet.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

MAP_SHEET = "_mrv"
LISTS_SHEET = "_lists"
FORMAT = "mrv-engine workbook 1"
#: Characters Excel refuses in a sheet name, and its length limit.
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
#: A cell holds at most 32767 characters; the map is written in chunks below that.
CHUNK = 30000

MONTHS = {"zh": [f"{m}月" for m in range(1, 13)], "en": [f"M{m}" for m in range(1, 13)]}

#: Texts of the fixed sheets, by language.
TEXT = {
    "cover": {"zh": "说明", "en": "About"},
    "details": {"zh": "数值说明", "en": "Value details"},
    "parameters": {"zh": "参数", "en": "Parameters"},
    "reported": {"zh": "报告值", "en": "Reported figures"},
    "records": {"zh": "核查资料", "en": "Verification records"},
    "item": {"zh": "项目", "en": "Item"},
    "unit": {"zh": "单位", "en": "Unit"},
}

#: Columns of the value-details sheet: (key in the value object, zh, en).
DETAIL_COLUMNS = [
    ("cell", "单元格", "Cell"),
    ("item", "序号（多个来源）", "Alternative no."),
    ("value", "数值（第2个及以后来源）", "Value (2nd alternative on)"),
    ("unit", "单位", "Unit"),
    ("source", "来源", "Source"),
    ("frequency", "频次", "Frequency"),
    ("basis", "基准", "Basis"),
    ("calorie", "热功当量", "Calorie"),
    ("note", "备注", "Note"),
    ("path", "JSON 路径（仅供参考）", "JSON path (for reference)"),
]


def sheet_name(title: str, taken: set) -> str:
    """A sheet name Excel accepts, unique among ``taken`` (which it joins)."""
    name = _BAD_SHEET_CHARS.sub("_", title).strip("'") or "Sheet"
    name = name[:SHEET_NAME_MAX]
    base, n = name, 2
    while name.lower() in {t.lower() for t in taken} or name in (MAP_SHEET, LISTS_SHEET):
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


def page_title(title: str, lang: str) -> str:
    """The page title in ``lang`` from the form's ``"zh / en"`` title."""
    zh, sep, en = title.partition(" / ")
    return (en if lang == "en" and sep else zh).strip()


def label_of(prop: dict, lang: str, fallback: str) -> str:
    title = prop.get("title") or fallback
    return page_title(title, lang)


def field_kind(prop: dict) -> str:
    """text, choice or number, from a field's JSON Schema in the form."""
    if "enum" in prop or "$ref" in prop or any("const" in o for o in prop.get("oneOf", [])):
        return "choice"
    if prop.get("type") == "string":
        return "text"
    return "number"


def unit_text(prop: dict) -> str:
    """The unit a number column shows: its unit, or the units it takes by a choice."""
    if prop.get("x-unit"):
        return prop["x-unit"]
    by = prop.get("x-unit-by") or {}
    return " | ".join(dict.fromkeys(str(u) for u in (by.get("units") or {}).values()))


def choice_labels(prop: dict, defs: dict, lang: str) -> dict:
    """code -> the label a user picks (the name, not the code); labels made unique."""
    if "$ref" in prop:
        prop = defs.get(prop["$ref"].rsplit("/", 1)[-1], {})
    if prop.get("oneOf"):
        codes = [o["const"] for o in prop["oneOf"] if "const" in o]
        labels = {o["const"]: o.get("title", "") for o in prop["oneOf"] if "const" in o}
    else:
        codes, labels = prop.get("enum", []), prop.get("x-labels", {})
    out = {}
    for code in codes:
        lab = labels.get(code)
        if isinstance(lab, dict):
            lab = lab.get(lang) or lab.get("zh") or lab.get("en")
        text = page_title(str(lab), lang) if lab else str(code)
        out[code] = text
    seen: dict = {}
    for code, text in out.items():
        seen.setdefault(text, []).append(code)
    for text, codes in seen.items():
        if len(codes) > 1:
            for code in codes:
                out[code] = f"{text} ({code})"
    return out


def decimal_format(decimals) -> str:
    if decimals is None:
        return "General"
    d = int(decimals)
    return "0" if d <= 0 else "0." + "0" * d


def write_map(wb, data: dict) -> None:
    """The map as JSON in column A of the very hidden map sheet, in chunks."""
    ws = wb.create_sheet(MAP_SHEET)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_plain)
    for i in range(0, max(len(text), 1), CHUNK):
        ws.cell(row=i // CHUNK + 1, column=1, value=text[i:i + CHUNK])
    ws.sheet_state = "veryHidden"


def _plain(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(type(value).__name__)


def col_letter(index: int) -> str:
    """Excel column letters of a 1-based column index."""
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def quote_sheet(name: str) -> str:
    """A sheet name as a formula reference needs it: quoted unless letters (any script), digits and
    underscores not starting with a digit, and not like a cell reference (``燃料燃烧!E7`` needs none)."""
    if name and all(ch.isalnum() or ch == "_" for ch in name) and not name[0].isdigit() \
            and not re.fullmatch(r"[A-Za-z]{1,3}[0-9]+|[RrCc][0-9]*", name):
        return name
    return "'" + name.replace("'", "''") + "'"
