"""Formulas: what is accepted, what is refused at load time (the sandbox), and exactness."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mrv_engine.core.base.errors import FormulaError
from mrv_engine.core.formula.language import Symbol, compile_formula
from simpleeval import SimpleEval

SCOPE = {
    "consumption": Symbol("t"), "ncv": Symbol("GJ/t"), "cc": Symbol("tC/GJ"), "of": Symbol("1"),
    "co2_per_c": Symbol("tCO2/tC"), "ef": Symbol("kgCO2/TJ"), "method": Symbol(None), "x": Symbol("1"),
}


def test_carbon_route_with_dimensioned_ratio():
    f = compile_formula("consumption * ncv * cc * of * co2_per_c", SCOPE, "tCO2", "r.yaml:9")
    v = f({"consumption": Decimal(1), "ncv": Decimal("26.7"), "cc": Decimal("0.03085"), "of": Decimal("0.99"),
           "co2_per_c": Decimal(44) / Decimal(12)})
    assert round(float(v), 8) == 2.99001285  # reference E5 arithmetic (float only in this test's check)


def test_unit_conversion_is_inserted():
    # t × GJ/t × kgCO2/TJ = kgCO2·GJ/TJ → 1e-6 tCO2: the seed 000 coke figure
    f = compile_formula("consumption * ncv * ef * of", SCOPE, "tCO2", "r.yaml:9")
    v = f({"consumption": Decimal(35264), "ncv": Decimal("28.435"), "ef": Decimal(108167), "of": Decimal(1)})
    assert v == Decimal("108462.49493728")


# Each of these must be refused when the ruleset loads, naming the place.
REFUSED = {
    "consumption * ncv * cc * of * 44 / 12": "gives tC",           # unit slip: 44/12 carries no tCO2/tC
    "__import__('os').system('x')": "only plain function calls",
    "__import__('os')": "not allowed",
    "consumption.__class__": "attribute access",
    "[a for a in x]": "ListComp",
    "(lambda: 1)()": "only plain function calls",
    "lambda: 1": "Lambda is not allowed",
    "x ** 100": "exponent",
    "x ** consumption": "whole-number literal",
    "unknown_name * 2": "unknown name",
    "consumption + ncv": "cannot combine",
    "method * 2": "arithmetic on text",
    "sum(consumption)": "page summary",
    "max(x, key=x)": "keyword",
    "x; x": "not a valid expression",
    "'" + "a" * 500 + "'": "string literal",
    "x if x else method": "same kind",
    "open('f')": "not allowed",
    "x[0]": "Subscript",
}


@pytest.mark.parametrize("text, why", REFUSED.items())
def test_refused_at_load(text, why):
    with pytest.raises(FormulaError) as exc:
        compile_formula(text, SCOPE, "tCO2", "rulesets/x.yaml:12")
    assert why in str(exc.value)
    assert "rulesets/x.yaml:12" in str(exc.value)


def test_literals_are_exact_decimals():
    f = compile_formula("x * 0.1 + 0.2", SCOPE, "1", "w")
    assert f({"x": Decimal(1)}) == Decimal("0.3")  # 0.1 + 0.2 != 0.3 in binary floats


def test_cases_condition_on_text():
    f = compile_formula("method == 'emission_factor'", SCOPE, "1", "w", condition=True)
    assert f({"method": "emission_factor"}) is True


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
       st.decimals(min_value=0, max_value=10**3, places=3, allow_nan=False, allow_infinity=False),
       st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False))
def test_compiled_equals_simpleeval(consumption, ncv, of):
    # The compiled code gives what simpleeval gives on the same expression and Decimal names.
    text = "consumption * ncv * of"
    scope = {"consumption": Symbol("1"), "ncv": Symbol("1"), "of": Symbol("1")}
    f = compile_formula(text, scope, "1", "w")
    names = {"consumption": consumption, "ncv": ncv, "of": of}
    assert f(names) == SimpleEval(names=names).eval(text)


def test_computed_exponent_of_pure_numbers():
    # allocation plans write 1.015 ** (16 - 20 F) with F a load factor in %
    f = compile_formula("1.015 ** (16 - 20 * lf)", {"lf": Symbol("%")}, "1", "w")
    assert f({"lf": Decimal("70")}) == Decimal("1.015") ** 2  # 16 - 20 × 0.70 = 2
    with pytest.raises(FormulaError, match="whole-number literal"):
        compile_formula("1.015 ** consumption", {"consumption": Symbol("t")}, "1", "w")


def test_computed_exponent_is_bounded_when_evaluated():
    from decimal import InvalidOperation

    f = compile_formula("2 ** x", {"x": Symbol("1")}, "1", "w")
    with pytest.raises(InvalidOperation):
        f({"x": Decimal(65)})  # the engine turns this into an arithmetic finding, never a huge number
