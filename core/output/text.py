"""Plain-text and Markdown building blocks shared by the text renderings (calculation reports,
verification reports, rule-version diffs): bilingual labels, signed figures, aligned columns
that count a CJK character as two, Markdown tables.
"""

from __future__ import annotations

from ..base.numbers import shown


def _t(lang, zh, en):
    """The Chinese or the English text, by ``lang``."""
    return zh if lang == "zh" else en


def _signed(v) -> str:
    """A difference with its sign (``+1.5``, ``-2``), ``—`` when there is none."""
    if v is None:
        return "—"
    return ("+" if v > 0 else "") + shown(v)


def _text_table(heads, rows, right_from=1) -> list[str]:
    """Lines of a plain-text table, columns from ``right_from`` on aligned right."""
    widths = [max(_w(str(r[i])) for r in rows + [heads]) for i in range(len(heads))]
    out = ["  ".join(_pad(str(h), widths[i], 0 if i < right_from else 1) for i, h in enumerate(heads))]
    out.append("  ".join("-" * w for w in widths))
    for r in rows:
        out.append("  ".join(_pad(str(v), widths[i], 0 if i < right_from else 1) for i, v in enumerate(r)))
    return out


def _md_cell(s) -> str:
    """A value as the text of one Markdown table cell."""
    return str(s).replace("|", "\\|").replace("\n", " ")


def _md_table(heads, rows, right_from=1) -> list[str]:
    """Lines of a Markdown table, columns from ``right_from`` on aligned right."""
    out = ["| " + " | ".join(_md_cell(h) for h in heads) + " |",
           "|" + "|".join("---" if i < right_from else "---:" for i in range(len(heads))) + "|"]
    out += ["| " + " | ".join(_md_cell(v) for v in r) + " |" for r in rows]
    return out


def _w(text: str) -> int:
    """Columns ``text`` takes in a terminal (a CJK character takes two)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int, col: int) -> str:
    """``text`` padded to ``width`` columns: on the right in the first column (``col`` 0), else on the left."""
    pad = " " * (width - _w(text))
    return text + pad if col == 0 else pad + text
