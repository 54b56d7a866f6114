"""Fixtures the power-sector tests share: the one-unit example builder and readers of results and traces.

Expected figures in the tests are worked out by hand or with plain Decimal operations; ``hu`` is that
rounding, written independently of the engine.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _hu(x: D, n: int) -> D:
    """Round half up, written here independently of the engine."""
    return x.quantize(D(1).scaleb(-n), rounding=ROUND_HALF_UP)


def _tiny(year: int = 2022, unit: str = "U1") -> dict:
    """One pure-power coal unit, 12 months, 1 t of coal a month, nothing measured."""
    sub = {
        "sector": "power",
        "year": year,
        "pages": {
            "plan_units": [{"unit": unit, "unit_type": "coal", "subtype": "conventional", "fuel_type": "coal",
                            "capacity": "2", "output": "power", "pressure": "高压", "capacity_class": "小机组",
                            "boiler_type": "pulverized", "cooling": "water"}],
            "fuel_t": [{"unit": unit, "month": m, "fuel": "coal", "consumption": "1"} for m in range(1, 13)],
            "electricity": [{"unit": unit, "month": m, "metering": "per_unit", "purchased": "0"} for m in range(1, 13)],
            "production": [{"unit": unit, "month": m, "generation": "1000", "supply": "900", "running_hours": "600"}
                           for m in range(1, 13)],
        },
    }
    if year >= 2023:
        sub["parameters"] = {"grid_ef": {"value": "0.5703", "note": "test: no factor published for this year"}}
    return sub


def _summary(result, page, sid, **group):
    for s in result.page(page).summaries:
        if s["summary"] == sid and all(str(s["group"].get(k)) == str(v) for k, v in group.items()):
            return s["values"]
    raise KeyError((page, sid, group))


def _operand(n, name):
    return next(o for o in n.operands if o.name == name)


@pytest.fixture(scope="session")
def tiny():
    """``tiny(year=2022, unit="U1") -> dict``: one pure-power coal unit, 12 months, 1 t of coal a month,
    nothing measured (from 2023 with the grid factor supplied, none being published)."""
    return _tiny


@pytest.fixture(scope="session")
def hu():
    """``hu(x, n) -> Decimal``: x rounded half up to n decimals."""
    return _hu


@pytest.fixture(scope="session")
def summary():
    """``summary(result, page, summary_id, **group) -> dict``: the values of one summary row."""
    return _summary


@pytest.fixture(scope="session")
def node(engine):
    """``node(result, place)``: the trace node of one figure, on the shared engine."""

    def node(result, place):
        for n in engine.trace(result):
            if n.place == place:
                return n
        raise KeyError(place)

    return node


@pytest.fixture(scope="session")
def operand():
    """``operand(node, name)``: one operand of a trace node."""
    return _operand


@pytest.fixture(scope="session")
def power_example():
    """``power_example(year) -> dict``: examples/power-plant-<year>.json, read afresh."""

    def load(year: int) -> dict:
        return json.loads((EXAMPLES / f"power-plant-{year}.json").read_text(encoding="utf-8"))

    return load
