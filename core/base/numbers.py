"""Exact decimal numbers and the methodology's rounding (四舍五入, round half up).

Binary floats never touch a figure: inputs are parsed from their text, and a
float reaching :func:`to_decimal` is refused, because its value is already not
the number the user wrote.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from fractions import Fraction

#: Significant digits carried between rounding points. Only divisions that do
#: not terminate (44/12) lose anything, and only in the 50th digit.
PRECISION = 50
CONTEXT = Context(prec=PRECISION)

_QUANTS = {d: Decimal(1).scaleb(-d) for d in range(0, 13)}


class NotANumber(ValueError):
    """The value cannot be read as a finite exact decimal."""


def to_decimal(value) -> Decimal:
    """Read ``value`` (str, int, Decimal, or a fraction text like ``"44/12"``) exactly."""
    if isinstance(value, bool):
        raise NotANumber(f"expected a number, got {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        raise NotANumber(
            f"binary float {value!r} refused: give the figure as text or an exact decimal"
        )
    elif isinstance(value, str):
        text = value.strip().replace("_", "")
        if "/" in text:
            num, _, den = text.partition("/")
            try:
                frac = Fraction(Decimal(num.strip())) / Fraction(Decimal(den.strip()))
            except (InvalidOperation, ZeroDivisionError, ValueError) as exc:
                raise NotANumber(f"expected a number, got {value!r}") from exc
            with localcontext(CONTEXT):
                return Decimal(frac.numerator) / Decimal(frac.denominator)
        try:
            result = Decimal(text)
        except InvalidOperation as exc:
            raise NotANumber(f"expected a number, got {value!r}") from exc
    else:
        raise NotANumber(f"expected a number, got {type(value).__name__} {value!r}")
    if not result.is_finite():
        raise NotANumber(f"expected a finite number, got {value!r}")
    return result


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Round to ``decimals`` places, halves away from zero (四舍五入)."""
    quant = _QUANTS.get(decimals) or Decimal(1).scaleb(-decimals)
    return value.quantize(quant, rounding=ROUND_HALF_UP, context=CONTEXT)


def fmt(value: Decimal | None) -> str:
    """Plain positional text for a decimal (no exponent), trailing zeros kept."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


#: Decimal places shown in text renderings; a longer expansion (a 50-digit quotient) is cut
#: and marked with …; JSON output keeps every digit.
SHOWN_PLACES = 12


def shown(value) -> str:
    """A figure for people: as :func:`fmt`, but a long expansion is cut to SHOWN_PLACES with …"""
    text = fmt(value)
    if isinstance(value, Decimal) and "." in text:
        whole, frac = text.split(".")
        if len(frac) > SHOWN_PLACES:
            frac = frac.rstrip("0")
            if len(frac) > SHOWN_PLACES:
                return f"{whole}.{frac[:SHOWN_PLACES]}…"
            return f"{whole}.{frac}" if frac else whole
    return text
