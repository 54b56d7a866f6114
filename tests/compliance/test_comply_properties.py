"""Properties of the surrender arithmetic, for any holdings (hypothesis), on the cement line whose
obligation is 67967 tCO2 by hand (tests/compliance/test_industry_plans.py): what remains to buy and
the surplus are never both positive, and their difference is always the obligation less the usable
CCER (at most 5 % of the obligation, rounded down), the allowances held and the banked ones."""

from __future__ import annotations

from decimal import ROUND_FLOOR
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_industry_plans import _line

O = D(67967)
LIMIT = (D("0.05") * O).quantize(D(1), rounding=ROUND_FLOOR)  # 3398

amounts = st.integers(min_value=0, max_value=200_000)


@pytest.fixture(scope="module")
def allocation(engine):
    return engine.allocate(_line())


@settings(max_examples=60, deadline=None)
@given(held=amounts, ccer=amounts, banked=amounts)
def test_to_buy_and_surplus_balance(allocation, held, ccer, banked):
    from mrv_engine.core.compliance.comply import comply

    f = comply(allocation, allowances=held, ccer=ccer, banked=banked).figures
    assert f["obligation"] == O and f["offset_limit"] == LIMIT
    assert f["ccer_used"] == min(ccer, LIMIT)
    assert f["to_buy"] >= 0 and f["surplus"] >= 0 and min(f["to_buy"], f["surplus"]) == 0
    assert f["to_buy"] - f["surplus"] == O - min(ccer, LIMIT) - held - banked
