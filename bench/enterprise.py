"""A synthetic enterprise-year for the benchmarks: 30 combustion sources × 12 months."""

from __future__ import annotations

FUELS = ["bituminous", "anthracite", "coke", "diesel", "natural_gas", "fuel_oil", "lpg", "gasoline", "washed_coal", "coke_oven_gas"]


def enterprise_year(sources: int = 30, months: int = 12, year: int = 2022) -> dict:
    rows = []
    for s in range(sources):
        fuel = FUELS[s % len(FUELS)]
        for m in range(1, months + 1):
            row = {"source_name": f"S{s:02d}-M{m:02d}", "kind": "mobile" if fuel in ("diesel", "gasoline") else "stationary",
                   "fuel": fuel, "consumption": f"{100 + s * 7 + m}.{m:02d}"}
            if s % 3 == 0:  # measured NCV, given in kJ/kg or kJ/Nm3 (converted)
                unit = "kJ/Nm3" if fuel in ("natural_gas", "coke_oven_gas") else "kJ/kg"
                row["ncv"] = {"value": f"{20000 + s * 11 + m}", "unit": unit, "source": "measured"}
            if s % 5 == 0:
                row["cc"] = {"value": f"0.02{600 + s + m}", "source": "measured"}
            rows.append(row)
    return {"sector": "general", "year": year, "enterprise": {"name": "bench"},
            "pages": {"fuel_combustion": rows,
                      "electricity_heat": [{"item": "grid", "carrier": "electricity", "purchased": "123456.78", "exported": "1000"}]}}
