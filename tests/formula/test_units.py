from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mrv_engine.core.base.errors import UnitError
from mrv_engine.core.base.numbers import CONTEXT
from mrv_engine.core.formula import units as U


@pytest.mark.parametrize("source, target, factor", [
    ("kJ/kg", "GJ/t", "0.001"),
    ("kcal/kg", "GJ/t", "0.0041868"),      # International Table calorie (seed 001 Q42)
    ("kcal20/kg", "GJ/t", "0.0041816"),    # the 20 °C calorie, only when named
    ("kgCO2/TJ", "tCO2/GJ", "0.000001"),
    ("kWh", "MWh", "0.001"),
    ("%", "1", "0.01"),
    ("Nm3", "10^4 Nm3", "0.0001"),
    ("万Nm3", "Nm3", "10000"),
    ("GJ/10^4 Nm3", "GJ/Nm3", "0.0001"),
])
def test_exact_factors(source, target, factor):
    assert U.factor(source, target) == Decimal(factor)


@pytest.mark.parametrize("source, target", [("t", "GJ"), ("tC", "tCO2"), ("Nm3", "m**3"), ("GJ/t", "GJ/Nm3")])
def test_wrong_dimension_is_refused(source, target):
    with pytest.raises(UnitError) as exc:
        U.factor(source, target)
    assert "cannot be converted" in exc.value.message


def test_unknown_unit():
    with pytest.raises(UnitError):
        U.factor("furlongs", "t")


PAIRS = [("t", "kg"), ("GJ/t", "kJ/kg"), ("MWh", "kWh"), ("tCO2", "kgCO2"), ("e4Nm3", "Nm3"), ("kcal/kg", "GJ/t")]
values_st = st.decimals(min_value=-10**9, max_value=10**9, places=6, allow_nan=False, allow_infinity=False)


@given(values_st, st.sampled_from(PAIRS))
def test_round_trip_is_exact(value, pair):
    # every factor from an input unit to a field unit here terminates, so both ways are exact
    a, b = pair
    assert value * U.factor(a, b) * U.factor(b, a) == value
    assert (value * U.factor(a, b)) / U.factor(a, b) == value


@given(values_st)
def test_non_terminating_factor_keeps_fifty_digits(value):
    # GJ -> kcal is 1 / 4.1868e-6: not a finite decimal; the round trip errs below 1e-40 relative
    with localcontext(CONTEXT):  # the engine computes in this context
        back = value * U.factor("GJ", "kcal") * U.factor("kcal", "GJ")
    assert abs(back - value) <= abs(value) * Decimal("1e-40")


def test_factor_is_cached_per_pair():
    U.factor.cache_clear()
    for _ in range(100):
        U.factor("kJ/kg", "GJ/t")
    assert U.factor.cache_info().misses == 1
