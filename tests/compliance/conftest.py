"""Fixtures of the allocation and compliance tests: a one-unit power plant whose supplementary-table
figures are round numbers, so every expected allowance can be worked out by hand in the test."""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest


def _plant(year: int = 2022, category: str = "coal_300_below", cooling: str = "water", output: str = "power",
           hours: str = "600", heat: str | None = None, unit: str = "U1", coal: str = "100") -> dict:
    """One unit of 2 MW burning ``coal`` t a month: 1000 MWh generated and 900 MWh supplied a month, ``hours`` running hours a
    month; with ``heat``, that many GJ supplied a month at a heat-supply ratio of 20 %."""
    production = []
    for m in range(1, 13):
        row = {"unit": unit, "month": m, "generation": "1000", "supply": "900", "running_hours": hours}
        if heat:
            row.update(heat_supply=heat, heat_ratio="20")
        production.append(row)
    sub = {
        "sector": "power", "year": year, "enterprise": {"name": "测试电厂", "province": "重庆"},
        "pages": {
            "plan_units": [{"unit": unit, "unit_type": "coal", "subtype": "conventional", "fuel_type": "coal",
                            "capacity": "2", "output": output, "pressure": "高压", "capacity_class": "小机组",
                            "boiler_type": "pulverized", "cooling": cooling}],
            "fuel_t": [{"unit": unit, "month": m, "fuel": "coal", "consumption": coal, "ncv": "20"} for m in range(1, 13)],
            "electricity": [{"unit": unit, "month": m, "metering": "per_unit", "purchased": "0"} for m in range(1, 13)],
            "production": production,
            "allocation": [{"unit": unit, "category": category}],
        },
    }
    if year >= 2023:
        sub["parameters"] = {"grid_ef": {"value": "0.5703", "note": "test: no factor published for this year"}}
    return sub


@pytest.fixture(scope="session")
def plant():
    """``plant(year=2022, category=..., cooling="water", output="power", hours="600", heat=None) -> dict``."""
    return _plant


@pytest.fixture(scope="session")
def whole():
    """``whole(x) -> Decimal``: x rounded half up to whole tonnes, written here independently of the engine."""
    return lambda x: x.quantize(D(1), rounding=ROUND_HALF_UP)
