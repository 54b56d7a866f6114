"""Plain-text and Markdown building blocks shared by the text renderings (calculation reports,
verification reports, rule-version diffs): bilingual labels, signed figures, aligned columns
that count a CJK character as two, Markdown tables.
"""

from __future__ import annotations

import re

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


#: The columns a text rendering fits in unless asked for wide output (``--wide``).
WIDTH = 100


def fit(text: str, width: int = WIDTH) -> str:
    """``text`` with every line longer than ``width`` columns wrapped, continuation lines indented
    four columns past the line's own indent; breaks at spaces, and inside a word only where the
    word alone is too wide (a long Chinese sentence), so a document number stays whole."""
    out = []
    for line in text.split("\n"):
        out.extend(_wrap(line, width) if _w(line) > width else [line])
    return "\n".join(out)


def _wrap(line: str, width: int) -> list[str]:
    indent = " " * (len(line) - len(line.lstrip(" ")))
    more = indent + "    "
    room = max(width - _w(more), 20)
    lines, current = [], ""
    for token in _tokens(line[len(indent):], room):
        lead = indent if not lines else more
        if current and _w(lead + current + token.rstrip()) > width:
            lines.append(lead + current.rstrip())
            current = token.lstrip(" ")
        else:
            current += token
    lines.append((indent if not lines else more) + current.rstrip())
    return lines


def _tokens(text: str, room: int):
    """Words with their trailing spaces; a word wider than ``room`` split into pieces that fit."""
    for word in re.findall(r"\S+ *| +", text):
        while _w(word) > room:
            cut, used = 0, 0
            while cut < len(word) and used + _w(word[cut]) <= room:
                used += _w(word[cut])
                cut += 1
            yield word[:cut]
            word = word[cut:]
        if word:
            yield word
