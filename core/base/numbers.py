"""Exact decimal numbers and the methodology's rounding (四舍五入, round half up).

Binary floats never touch a figure: inputs are parsed from their text, and a
float reaching :func:`to_decimal` is refused, because its value is already not
the number the user wrote.
"""

from __future__ import annotations

import reprlib
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from fractions import Fraction

#: Significant digits carried between rounding points. Only divisions that do
#: not terminate (44/12) lose anything, and only in the 50th digit.
PRECISION = 50
CONTEXT = Context(prec=PRECISION)

_QUANTS = {d: Decimal(1).scaleb(-d) for d in range(0, 13)}

# -- The range of a figure the engine reads -----------------------------------------------
# Declared once, here, for every reader: submissions (JSON, YAML, workbooks, HTTP bodies),
# rulesets and plugin rulesets. No figure of carbon accounting comes near these bounds (the
# largest plant burns ~10**7 t of coal; the smallest factor given is ~10**-6), and inside them
# a figure's digits, its conversion and its rounding stay within PRECISION, so a figure out of
# range is refused at its place (finding ``number_range``) instead of failing deep inside a
# calculation (decimal.InvalidOperation) or in Python's int() (4,300-digit limit).

#: Characters a number may take as written (sign, digits, point, exponent). Checked on the raw
#: text before any conversion, so a 5,000-digit integer costs nothing to refuse.
MAX_NUMBER_CHARS = 64
#: Significant digits of one figure.
MAX_SIGNIFICANT_DIGITS = 30
#: A non-zero figure lies within 10**MIN_EXPONENT <= |x| < 10**(MAX_EXPONENT + 1)
#: (``Decimal.adjusted()``, the exponent of its leading digit).
MAX_EXPONENT = 15
MIN_EXPONENT = -15
#: The names above, for :data:`mrv_engine.LIMITS`.
LIMITS = ("MAX_NUMBER_CHARS", "MAX_SIGNIFICANT_DIGITS", "MAX_EXPONENT", "MIN_EXPONENT")


class NotANumber(ValueError):
    """The value cannot be read as a finite exact decimal."""

    code = "not_a_number"


class NumberRange(NotANumber):
    """A number outside the range the engine reads (MAX_NUMBER_CHARS, MAX_SIGNIFICANT_DIGITS,
    MIN_EXPONENT..MAX_EXPONENT), or a result too long to round at PRECISION digits."""

    code = "number_range"


RANGE_TEXT = (f"at most {MAX_SIGNIFICANT_DIGITS} significant digits and a magnitude between "
              f"1e{MIN_EXPONENT} and 1e{MAX_EXPONENT + 1}")
RANGE_TEXT_ZH = f"最多 {MAX_SIGNIFICANT_DIGITS} 位有效数字，绝对值在 1e{MIN_EXPONENT} 至 1e{MAX_EXPONENT + 1} 之间"


def too_long(text: str) -> bool:
    """Whether a number's text is longer than any figure may be (checked before parsing it)."""
    return len(text) > MAX_NUMBER_CHARS


def out_of_range(value: Decimal) -> str:
    """Why ``value`` lies outside the range a figure may have ('' when it is inside)."""
    exponent = value.adjusted()
    if not value:  # a zero's exponent only says how it was written ("0.000"): bound it loosely
        ok = MIN_EXPONENT - MAX_SIGNIFICANT_DIGITS <= exponent <= MAX_EXPONENT
        return "" if ok else "is a zero written with an exponent out of range"
    digits = len(value.as_tuple().digits)
    if digits > MAX_SIGNIFICANT_DIGITS:
        return f"has {digits} significant digits"
    if exponent > MAX_EXPONENT:
        return "is too large"
    if exponent < MIN_EXPONENT:
        return "is too small"
    return ""


def check_range(value: Decimal, shown=None) -> Decimal:
    """``value`` when it is inside the range of a figure, else :class:`NumberRange`."""
    why = out_of_range(value)
    if why:
        raise NumberRange(f"{_shown(shown if shown is not None else value)} {why}: a figure has {RANGE_TEXT}")
    return value


def _shown(raw) -> str:
    """A number for a message, cut short (never str() of a huge int: Python refuses those)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = Decimal(raw)
    if isinstance(raw, Decimal):
        text = format(raw, "f") if raw.is_finite() and -40 < raw.adjusted() < 40 else format(raw, ".6e")
    else:
        text = str(raw)
    return repr(text[:24] + "…" if len(text) > 25 else text)


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
        if too_long(text):
            raise NumberRange(f"a number of {len(text)} characters (at most {MAX_NUMBER_CHARS}): {_shown(text)}")
        if "/" in text:
            num, _, den = text.partition("/")
            # each side is a figure; the quotient only has to keep its magnitude (44/12 has 50 digits)
            try:
                frac = Fraction(to_decimal(num)) / Fraction(to_decimal(den))
            except NumberRange:
                raise
            except (NotANumber, ZeroDivisionError):
                raise NotANumber(f"expected a number, got {_shown(value)}") from None
            with localcontext(CONTEXT):
                result = Decimal(frac.numerator) / Decimal(frac.denominator)
            if result and not MIN_EXPONENT <= result.adjusted() <= MAX_EXPONENT:
                raise NumberRange(f"{_shown(value)} {'is too large' if result.adjusted() > 0 else 'is too small'}: "
                                  f"a figure has {RANGE_TEXT}")
            return result
        try:
            result = Decimal(text)
        except InvalidOperation as exc:
            raise NotANumber(f"expected a number, got {_shown(value)}") from exc
    else:
        raise NotANumber(f"expected a number, got {type(value).__name__} {reprlib.repr(value)}")
    if not result.is_finite():
        raise NotANumber(f"expected a finite number, got {_shown(value)}")
    return check_range(result, value)


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Round to ``decimals`` places, halves away from zero (四舍五入).

    A result longer than PRECISION digits cannot be rounded exactly: :class:`NumberRange`.
    """
    quant = _QUANTS.get(decimals) or Decimal(1).scaleb(-decimals)
    try:
        return value.quantize(quant, ROUND_HALF_UP, CONTEXT)  # positional: keywords double the cost of a call made for every figure
    except InvalidOperation:
        raise NumberRange(f"a result of 1e{value.adjusted()} has more than the {PRECISION} digits the engine "
                          f"carries at {decimals} decimal places; a figure has {RANGE_TEXT}") from None


def fmt(value: Decimal | None) -> str:
    """Plain positional text for a decimal (no exponent), trailing zeros kept; a zero is never
    shown signed ("-0.00" is what a rounded share of a negative total would otherwise print)."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        if value.is_signed() and value.is_zero():
            value = value.copy_abs()
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
