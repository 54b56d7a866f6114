"""One cell's value, exactly: the decimal a user typed, never a binary float's expansion.

Excel stores a typed number as a binary double. The decimal a user typed is the shortest
decimal that gives back that double (Python 3's ``repr`` of a float finds it); it is converted
through its text, never through ``Decimal(float)``, which would give the double's full binary
expansion (1234.565 would read as 1234.56500000000005456968210637569427490234375).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

#: The decimal text the engine accepts (the form's pattern).
PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?")
#: Thousands separators, unambiguous: groups of exactly three digits and a point for decimals.
THOUSANDS = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
#: Full-width digits, point, comma and minus (typed with a Chinese input method) to ASCII.
_FULL_WIDTH = {**{0xFF10 + i: str(i) for i in range(10)}, 0xFF0E: ".", 0xFF0C: ",", 0xFF0D: "-", 0x2212: "-", 0x3000: " "}


def shortest(number) -> str:
    """The shortest decimal text that round-trips ``number`` (an int or a float from a cell)."""
    if isinstance(number, int):
        return str(number)
    text = format(Decimal(repr(float(number))), "f")  # via repr's text: exact, shortest
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number_text(text: str) -> tuple[str | None, str]:
    """(exact decimal text or None, what was done): a number typed as text.

    Plain decimals are read as they are; full-width digits and thousands separators are read
    when that is unambiguous and the second item says so; anything else gives None."""
    raw = text.strip()
    how = []
    converted = raw.translate(_FULL_WIDTH).strip()
    if converted != raw:
        how.append("full-width characters")
    if PLAIN.fullmatch(converted):
        return converted, " and ".join(how)
    if THOUSANDS.fullmatch(converted):
        how.append("thousands separators")
        return converted.replace(",", ""), " and ".join(how)
    return None, ""


def is_number(text: str) -> bool:
    if not PLAIN.fullmatch(text):
        return False
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True
