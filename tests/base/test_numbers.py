"""Round half up on exact decimals, never round()'s banker's rounding or binary floats."""

from decimal import Context, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mrv_engine.core.base.numbers import NotANumber, round_half_up, to_decimal


@pytest.mark.parametrize("text, decimals, expected", [
    ("2.675", 2, "2.68"),   # round(2.675, 2) == 2.67 with binary floats
    ("0.125", 2, "0.13"),   # round(0.125, 2) == 0.12 (half to even)
    ("2.5", 0, "3"),
    ("-2.5", 0, "-3"),      # half away from zero, as 四舍五入 is applied to magnitudes
    ("108462.49493728", 4, "108462.4949"),
])
def test_examples(text, decimals, expected):
    assert round_half_up(Decimal(text), decimals) == Decimal(expected)


def _reference(value: Decimal, decimals: int) -> Decimal:
    """Half up computed independently with exact fractions."""
    scaled = Fraction(value) * 10**decimals
    sign = -1 if scaled < 0 else 1
    whole = int(abs(scaled) + Fraction(1, 2))
    return Decimal(sign * whole).scaleb(-decimals)


decimals_st = st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, allow_infinity=False, places=8)


@given(decimals_st, st.integers(min_value=0, max_value=6))
def test_matches_exact_half_up(value, decimals):
    assert round_half_up(value, decimals) == _reference(value, decimals)


@given(st.integers(min_value=-10**6, max_value=10**6), st.integers(min_value=1, max_value=6))
def test_exact_halves_always_go_away_from_zero(n, decimals):
    # n.5 at the last kept place: never rounded to even
    value = (Decimal(n) * 10 + 5).scaleb(-(decimals + 1))
    got = round_half_up(value, decimals)
    assert abs(got) > abs(value)


def test_floats_are_refused():
    with pytest.raises(NotANumber):
        to_decimal(0.1)


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-inf", "abc", "", True, None])
def test_non_numbers_are_refused(bad):
    with pytest.raises(NotANumber):
        to_decimal(bad)


def test_fraction_text():
    assert to_decimal("44/12") * 3 == pytest.approx(Decimal(11))
    assert str(to_decimal("44/12"))[:12] == "3.6666666666"


# -- the range of a figure (issue 19): declared once, refused with NumberRange, never InvalidOperation --

from mrv_engine.core.base.numbers import (
    MAX_EXPONENT,
    MAX_NUMBER_CHARS,
    MAX_SIGNIFICANT_DIGITS,
    MIN_EXPONENT,
    NumberRange,
)


@pytest.mark.parametrize("text", ["1e400", "1" * 56, "9" * 5000, "1e-400", "0e-400", "1e16", "-1e16", "1e300/1",
                                  "1/1e-300", "1" * (MAX_NUMBER_CHARS + 1)])
def test_out_of_range_is_a_number_range(text):
    with pytest.raises(NumberRange) as exc:
        to_decimal(text)
    assert exc.value.code == "number_range" and len(str(exc.value)) < 200  # a 5,000-digit figure is not echoed


@pytest.mark.parametrize("value", [10**5000, Decimal("1e999"), Decimal("-1e999")], ids=["int-5001-digits", "1e999", "-1e999"])
def test_out_of_range_numbers_not_text_too(value):
    with pytest.raises(NumberRange):
        to_decimal(value)


@pytest.mark.parametrize("text", ["9" * 16, "1e15", "0.000000000000001", "1e-15", "0.0000000000000000000", "44/12",
                                  "1." + "0" * (MAX_SIGNIFICANT_DIGITS - 1), "-999999999999999.9"])
def test_the_edges_inside_the_range_are_read(text):
    to_decimal(text)


@given(st.integers(MIN_EXPONENT, MAX_EXPONENT), st.integers(1, 10**MAX_SIGNIFICANT_DIGITS - 1))
def test_every_figure_inside_the_range_rounds_at_any_declared_decimals(exponent, digits):
    value = Decimal(digits).scaleb(exponent - Decimal(digits).adjusted(), context=Context(prec=60))  # exactly
    assert to_decimal(str(value)) == value
    for decimals in (0, 4, 12):
        assert round_half_up(value, decimals) == _reference(value, decimals)


def test_a_result_too_long_to_round_is_a_number_range_not_invalid_operation():
    product = Decimal("1e15") ** 4
    with pytest.raises(NumberRange):
        round_half_up(product, 4)
