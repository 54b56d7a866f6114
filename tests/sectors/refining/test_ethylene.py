"""Ethylene (乙烯): the petrochemical sub-sector as a second supplement page and its own
supplementary table in the refining ruleset. No worked example was found: the expected
figures are hand arithmetic with exact fractions, rounded half up to 4 decimals.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction as F

from click.testing import CliRunner
from mrv_engine.cli.main import cli

C = F(44, 12)
CO2_DENSITY = F("19.7")  # tCO2 per 10^4 Nm3 (the refining ruleset's figure, unverified)


def test_decoking_by_hand(engine, half_up):
    sub = {"sector": "refining", "year": 2022, "pages": {
        "refining_units": [{"unit_id": "ETH", "unit_type": "other", "throughput": "1"}],
        "ethylene_supplement": [{"unit_id": "ETH", "furnace": "F1", "decoke_gas": "120", "co2_fraction": "8", "co_fraction": "0.5"}]}}
    r = engine.calculate(sub)
    # 120 × 10^4 Nm3 × (8 % + 0.5 %) × 19.7 = 120 × 0.085 × 19.7 = 200.94 tCO2
    assert r.page("ethylene_supplement").rows[0].values["emissions"] == half_up(120 * F("0.085") * CO2_DENSITY) == Decimal("200.9400")
    assert r.totals["process"] == Decimal("200.9400")
    assert r.page("ethylene_supplement").rows[0].prov  # traced


def test_decoking_needs_a_registered_unit(refused_places):
    sub = {"sector": "refining", "year": 2022, "pages": {
        "refining_units": [{"unit_id": "FCC", "unit_type": "other", "throughput": "1"}],
        "ethylene_supplement": [{"unit_id": "ETH", "furnace": "F1", "decoke_gas": "1", "co2_fraction": "8", "co_fraction": "0"}]}}
    assert any(place.startswith("$.pages.ethylene_supplement[0]") for _code, place in refused_places(sub))


def test_bundled_ethylene_example_by_hand(engine, example, half_up):
    r = engine.calculate(example("ethylene-2022.json"))
    # cracking furnaces: 50000 × 10^4 Nm3 × 389.31 GJ/10^4 Nm3 × 0.0153 tC/GJ × 99 % × 44/12
    fuel = half_up(50000 * F("389.31") * F("0.0153") * F("0.99") * C)
    assert r.totals["energy_direct_stationary"] == fuel == Decimal("1081094.4045")
    # flare: 300 × (1.4 × 120/22.4 tC × 98 % × 44/12 + 2 % × 19.7) = 8203.2
    flare = half_up(300 * (F("1.4") * F(120) / F("22.4") * F("0.98") * C + F("0.02") * CO2_DENSITY))
    decoke = half_up(120 * F("0.085") * CO2_DENSITY) + half_up(100 * F("0.08") * CO2_DENSITY)  # 200.94 + 157.6
    assert r.totals["process"] == flare + decoke == Decimal("8561.7400")
    assert r.totals["energy_indirect"] == half_up(400000 * F("0.5703")) == Decimal("228120.0000")
    assert r.total == Decimal("1317776.1445")
    # the ethylene table: fuel 1081094.4045 + decoking 358.54 + electricity 228120 = 1309572.9445 t;
    # ÷ 800000 t ethylene = 1.636966... → 1.6370 tCO2/t
    out = CliRunner().invoke(cli, ["calc", "examples/ethylene-2022.json", "--format", "json"])
    assert out.exit_code == 0, out.output
    page = next(p for p in json.loads(out.output)["pages"] if p["id"] == "ethylene_supplementary")
    figures = json.dumps(page, ensure_ascii=False)
    assert '"1309572.9445"' in figures and '"1.6370"' in figures
