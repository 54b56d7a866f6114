"""What several calculation tests start from."""

import pytest


def _power_year(**first_fuel_row) -> dict:
    """One pure-power coal unit under the 2022 rules, twelve monthly rows of each page (1 t of coal a month;
    defaults 26.7 GJ/t, 0.03085 tC/GJ, 99 %), the first fuel row's fields replaced by ``first_fuel_row``."""
    fuel = [{"unit": "U1", "month": m, "fuel": "coal", "consumption": "1"} for m in range(1, 13)]
    fuel[0].update(first_fuel_row)
    return {
        "sector": "power", "year": 2022,
        "pages": {
            "plan_units": [{"unit": "U1", "unit_type": "coal", "subtype": "conventional", "fuel_type": "coal",
                            "capacity": "2", "output": "power", "pressure": "高压", "capacity_class": "小机组",
                            "boiler_type": "pulverized", "cooling": "water"}],
            "fuel_t": fuel,
            "electricity": [{"unit": "U1", "month": m, "metering": "per_unit", "purchased": "0"} for m in range(1, 13)],
            "production": [{"unit": "U1", "month": m, "generation": "1000", "supply": "900", "running_hours": "600"}
                           for m in range(1, 13)],
        },
    }


@pytest.fixture()
def power_year():
    """:func:`_power_year`: ``power_year(of="0.99")``, ``power_year(month="1.5")``."""
    return _power_year
