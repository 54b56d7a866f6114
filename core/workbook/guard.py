"""A workbook file checked before openpyxl opens it: size, zip bomb, macros, encryption.

openpyxl trusts the zip it is given; a small file can declare gigabytes of XML. The checks here
read only the zip directory (the uncompressed size of every member, which also bounds what
:mod:`zipfile` will inflate) and refuse with a finding, never a traceback.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from ..base.documents import read_bytes, read_head
from ..base.errors import InputError
from ..base.findings import Finding

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_RATIO = 200  # a member inflating more than 200-fold and above 1 MiB is a zip bomb, not a workbook
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def refuse(code: str, name: str, en: str, zh: str, place: str = ""):
    finding = Finding(code, place or name, en, zh)
    raise InputError(f"{place or name}: {en}", [finding], where=name, code=code)


def looks_like_workbook(path) -> bool:
    """By suffix, or by the first bytes (a zip or an OLE compound file) of a file without one."""
    p = Path(str(path))
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".xltx", ".xltm"):
        return True
    if str(path) == "-" or p.suffix.lower() in (".json", ".yaml", ".yml"):
        return False
    # Sniffed without waiting: a FIFO or device is not a workbook, and the text reader then refuses it.
    head = read_head(p, 8)
    return head is not None and (head.startswith(ZIP_MAGIC) or head == OLE_MAGIC)


def checked_bytes(path) -> tuple[bytes, str]:
    """(the file's bytes, display name) once it is known to be a plain .xlsx openpyxl may open."""
    p = Path(str(path))
    name = str(p)
    # The bounded reader: a regular file only (a FIFO named book.xlsx is refused, never waited on),
    # its size checked before a byte is read.
    data = read_bytes(p, MAX_FILE_BYTES, name)
    if data.startswith(OLE_MAGIC):
        refuse("workbook.encrypted", name,
               "a password-protected (encrypted) workbook, or an old .xls file: save it as .xlsx without a password",
               "工作簿有密码保护（已加密）或为旧版 .xls 文件：请另存为不设密码的 .xlsx")
    if not data.startswith(ZIP_MAGIC) or not zipfile.is_zipfile(BytesIO(data)):
        refuse("workbook.unreadable", name, "not an .xlsx workbook (an .xlsx file is a zip archive; this is not one)",
               "不是 .xlsx 工作簿（.xlsx 文件是 zip 压缩包，此文件不是）")
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        refuse("workbook.unreadable", name, f"a damaged .xlsx workbook: {exc}", f"工作簿已损坏：{exc}")
    if len(infos) > MAX_MEMBERS:
        refuse("workbook.too_large", name, f"the workbook holds {len(infos)} parts, above the limit of {MAX_MEMBERS}",
               f"工作簿包含 {len(infos)} 个部件，超过上限 {MAX_MEMBERS}")
    total = sum(i.file_size for i in infos)
    bomb = next((i for i in infos if i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1)), None)
    if total > MAX_UNCOMPRESSED_BYTES or bomb is not None:
        what = f"{bomb.filename} inflates {bomb.compress_size} bytes to {bomb.file_size}" if bomb else \
            f"its parts inflate to {total} bytes, above the limit of {MAX_UNCOMPRESSED_BYTES}"
        refuse("workbook.too_large", name, f"refused as a zip bomb: {what}", f"疑似 zip 炸弹，拒绝读取：{what}")
    names = {i.filename for i in infos}
    if p.suffix.lower() in (".xlsm", ".xltm") or any(n.lower().endswith("vbaproject.bin") for n in names):
        refuse("workbook.macros", name, "a macro-enabled workbook (.xlsm): macros are refused; save it as .xlsx",
               "含宏的工作簿（.xlsm）不予读取：请另存为 .xlsx")
    if "xl/workbook.xml" not in names:
        refuse("workbook.unreadable", name, "a zip archive but not an .xlsx workbook (no xl/workbook.xml)",
               "是 zip 压缩包但不是 .xlsx 工作簿（缺少 xl/workbook.xml）")
    return data, name


def has_formulas(data: bytes) -> bool:
    """Whether any worksheet holds a formula (``<f>`` element): only then is a second pass needed
    to tell formula cells from typed ones."""
    with zipfile.ZipFile(BytesIO(data)) as z:
        for info in z.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                body = z.read(info)
                if b"<f>" in body or b"<f " in body or b"<x:f" in body:
                    return True
    return False
