"""Round half up on exact decimals, never round()'s banker's rounding or binary floats."""

from decimal import Decimal
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
