"""Chemicals (化工): the feedstock carbon balance of formula (8), carbonates, CO2 recovered,
N2O from nitric and adipic acid, and the MEE supplementary tables with the ammonia:methanol
split, checked against hand arithmetic.

No worked example of the guideline could be found (shared/reference/sectors-next.md §4.1), so
every expected figure is computed here with exact fractions from the formula text and the
cited factors, independently of the engine, then rounded half up to the 4 decimals the
rulesets give.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction as F

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from mrv_engine.cli.main import cli

C = F(44, 12)  # tCO2 per tC


def sub(year=2022, **pages):
    return {"sector": "chemicals", "year": year, "pages": pages}


def row_values(result, page, i=0):
    return result.page(page).rows[i].values


# -- the bundled example ---------------------------------------------------------------

def test_bundled_example_by_hand(engine, example, half_up):
    r = engine.calculate(example("chemicals-2022.json"))
    # fuel page: 20000 t × 20.5 GJ/t × 0.0261 tC/GJ × 93 % × 44/12 = 36490.41 tCO2
    fuel = half_up(20000 * F("20.5") * F("0.0261") * F("0.93") * C)
    assert fuel == Decimal("36490.4100")
    # electricity: 150000 MWh × 0.5703 tCO2/MWh (2022 national grid average) = 85545
    assert r.totals["energy_indirect"] == half_up(150000 * F("0.5703")) == Decimal("85545.0000")
    # formula (8), one rounded figure per row:
    rows = [
        half_up(120000 * F("0.72") * C),           # anthracite feed 120000 t × 72 %C: 316800.0000
        -half_up(30000 * F("0.375") * C),          # methanol 30000 t × 0.375 (default): −41250.0000
        -half_up(150000 * F("0.200") * C),         # urea 150000 t × 0.200 (default): −110000.0000
        -half_up(8000 * F("0.05") * C),            # slag 8000 t × 0.05: −1466.6667
        half_up(500 * F("0.95") * F("0.4397")),    # CaCO3 500 t × 95 % × 0.4397: 208.8575
        -half_up(1500 * F("0.995") * F("19.77")),  # CO2 supplied 1500 × 10^4 Nm3 × 99.5 % × 19.77: −29506.7250
    ]
    assert [row_values(r, "chem_process", i)["emissions"] for i in range(6)] == rows
    assert sum(rows) == Decimal("134785.4658")
    # nitric acid, dual pressure + NSCR: 50000 t × 0.0080 × (1 − 85 % × 95 %) = 77 tN2O; × 310 = 23870 tCO2e
    n2o = 50000 * F("0.0080") * (1 - F("0.85") * F("0.95"))
    assert row_values(r, "chem_n2o")["n2o"] == half_up(n2o) == Decimal("77.0000")
    assert r.totals["process"] == sum(rows) + half_up(n2o * 310) == Decimal("158655.4658")
    assert r.total == fuel + Decimal("85545.0000") + Decimal("158655.4658") == Decimal("280690.8758")


def test_ammonia_methanol_split_by_hand(engine, example, half_up):
    """The 2016 template: 氨与甲醇单位产品消耗原料的比按1:1.06分摊共用的原料；电量 1:0.8；热量 1:1.06."""
    r = engine.calculate(example("chemicals-2022.json"))
    nh3, meoh = row_values(r, "chem_supplementary", 0), row_values(r, "chem_supplementary", 1)
    a, m = 180000, 30000
    feed_nh3, feed_meoh = F(a, 1) / (a + m * F("1.06")), m * F("1.06") / (a + m * F("1.06"))
    elec_nh3, elec_meoh = F(a, 1) / (a + m * F("0.8")), m * F("0.8") / (a + m * F("0.8"))
    carbon = (86400 - 41250) * C  # shared feedstock carbon, tCO2: 165550
    assert nh3["process_part"] == half_up(carbon * feed_nh3) == Decimal("140694.0510")
    assert meoh["process_part"] == half_up(carbon * feed_meoh) == Decimal("24855.9490")
    assert nh3["elec_part"] == half_up(120000 * elec_nh3 * F("0.5703")) == Decimal("60384.7059")
    assert meoh["elec_part"] == half_up(120000 * elec_meoh * F("0.5703")) == Decimal("8051.2941")
    # heat 600000 GJ × share × 0.11 tCO2/GJ (the heat default, unverified)
    assert nh3["heat_part"] == half_up(600000 * feed_nh3 * F("0.11")) == Decimal("56090.6516")
    assert meoh["heat_part"] == half_up(600000 * feed_meoh * F("0.11")) == Decimal("9909.3484")
    assert nh3["facility_co2"] == Decimal("140694.0510") + Decimal("60384.7059") + Decimal("56090.6516")
    # 257169.4085 / 180000 t = 1.42871893... → 1.4287
    assert nh3["intensity"] == half_up(F("257169.4085") / a) == Decimal("1.4287")
    # the supplementary tables never count towards the report's totals
    assert r.total == Decimal("280690.8758")


@given(a=st.integers(1, 10**7), m=st.integers(0, 10**7))
def test_the_two_shares_of_a_coproduction_add_up_to_one(engine, a, m):
    rows = [{"facility": "NH3", "product": "ammonia", "output": str(a), "coproduct": str(m), "electricity": "1000", "heat_consumed": "1000"},
            {"facility": "MeOH", "product": "methanol", "output": str(m or 1), "coproduct": str(a), "electricity": "1000", "heat_consumed": "1000"}]
    r = engine.calculate(sub(chem_supplementary=rows))
    nh3, meoh = row_values(r, "chem_supplementary", 0), row_values(r, "chem_supplementary", 1)
    if m:
        for share in ("feed_share", "elec_share", "heat_share"):
            assert abs(nh3[share] + meoh[share] - 1) < Decimal("1e-40")
    assert 0 < nh3["feed_share"] <= 1


def test_calcium_carbide_table_2018_and_2023(engine, half_up):
    """2018: grid and captive power at 0.6101, renewable and waste-heat power at 0 (tables reprinted at
    cn0001.com/article-25823-1.html); 2023 takes the year's grid factor, supplied here."""
    row = {"facility": "电石炉", "product": "calcium_carbide", "output": "100000",
           "carbon_in": {"value": "30000", "unit": "tC"}, "carbon_out": {"value": "26000", "unit": "tC"},
           "electricity": "330000", "non_fossil_electricity": "30000", "heat_consumed": "0"}
    r = engine.calculate(sub(year=2018, chem_supplementary=[row]))
    v = row_values(r, "chem_supplementary")
    assert v["process_part"] == half_up(4000 * C) == Decimal("14666.6667")       # (30000 − 26000) tC × 44/12
    assert v["elec_part"] == half_up(300000 * F("0.6101")) == Decimal("183030.0000")  # (330000 − 30000) MWh × 0.6101
    assert v["intensity"] == half_up((F("14666.6667") + 183030) / 100000) == Decimal("1.9770")
    with pytest.raises(Exception) as exc:
        engine.calculate(sub(year=2023, chem_supplementary=[row]))
    assert "national_grid_ef" in str(exc.value.findings[0].message)
    r = engine.calculate({**sub(year=2023, chem_supplementary=[row]), "parameters": {"national_grid_ef": "0.5703"}})
    assert r.comp.ruleset.id == "chemicals-2023"
    assert row_values(r, "chem_supplementary")["elec_part"] == half_up(300000 * F("0.5703"))


def test_urea_and_soda_ash_tables_have_no_process_part(engine):
    rows = [{"facility": "尿素", "product": "urea", "output": "1000", "carbon_in": "500", "electricity": "10", "heat_consumed": "0"},
            {"facility": "纯碱", "product": "soda_ash", "output": "1000", "electricity": "10", "heat_consumed": "0"}]
    r = engine.calculate(sub(chem_supplementary=rows))
    assert [row_values(r, "chem_supplementary", i)["process_part"] for i in (0, 1)] == [0, 0]


# -- N2O ---------------------------------------------------------------------------------

def test_adipic_acid_thermal_destruction(engine, half_up):
    r = engine.calculate(sub(chem_n2o=[{"unit_id": "ADA", "route": "adipic_thermal", "output": "20000", "use_rate": "100"}]))
    n2o = 20000 * F("0.300") * (1 - F("0.985") * 1)  # 6000 × 0.015 = 90 tN2O
    assert row_values(r, "chem_n2o")["n2o"] == half_up(n2o) == Decimal("90.0000")
    assert r.total == half_up(n2o * 310) == Decimal("27900.0000")


def test_no_abatement_needs_no_use_rate_but_abatement_does(engine, refused_places):
    r = engine.calculate(sub(chem_n2o=[{"unit_id": "N1", "route": "nitric_high", "output": "1000"}]))
    assert row_values(r, "chem_n2o")["n2o"] == Decimal("13.9000")  # 1000 t × 0.0139
    assert ("missing_value", "$.pages.chem_n2o[0].n2o") in refused_places(
        sub(chem_n2o=[{"unit_id": "N1", "route": "nitric_high_nscr", "output": "1000"}]))


def test_n2o_defaults_confirmed_except_the_nscr_midpoint(engine):
    # Table 2.4 prints the generation factors; Table 2.5 gives NSCR removal only as 80-90 %,
    # so the 85 % the engine offers is a midpoint, not a printed default.
    r = engine.calculate(sub(chem_n2o=[{"unit_id": "N1", "route": "nitric_high", "output": "1000"},
                                       {"unit_id": "N2", "route": "nitric_high_nscr", "output": "1000", "use_rate": "100"}]))
    rows = r.page("chem_n2o").rows
    assert rows[0].prov["n2o_factor"].verified is True
    assert rows[1].prov["removal"].verified is False
    assert "tables.n2o_routes.nitric_high_nscr" in engine.report(r)["unverified_parameters_used"]


def test_medium_and_atmospheric_nitric_factors_as_printed(engine):
    # Table 2.4 of the 2013 chemicals guideline: 中压法 11.77, 常压法 9.72 kg N2O per t HNO3.
    # 1000 t × 11.77 kg = 11770 kg = 11.77 tN2O; 1000 t × 9.72 kg = 9.72 tN2O. (The ruleset
    # used to round them to 0.0118 and 0.0097 t/t: 11.80 and 9.70 tN2O.)
    r = engine.calculate(sub(chem_n2o=[{"unit_id": "N1", "route": "nitric_medium", "output": "1000"},
                                       {"unit_id": "N2", "route": "nitric_atmospheric", "output": "1000"}]))
    assert row_values(r, "chem_n2o", 0)["n2o"] == Decimal("11.7700")
    assert row_values(r, "chem_n2o", 1)["n2o"] == Decimal("9.7200")


# -- refusals -----------------------------------------------------------------------------

def test_more_carbon_out_than_in_is_refused(refused_places):
    pages = {"chem_process": [{"item": "feed", "flow": "feedstock", "quantity": "100", "carbon_content": "0.5"},
                              {"item": "methanol", "flow": "product", "material": "methanol", "quantity": "1000"}]}
    assert any(place.endswith("feedstock_co2") and code == "out_of_range" for code, place in refused_places(sub(**pages)))


def test_more_co2_recovered_than_generated_is_refused(refused_places):
    pages = {"chem_process": [{"item": "CO2", "flow": "co2_recovered", "recovered": "10", "co2_purity": "99"}]}
    assert any(place.endswith(".balance") and code == "out_of_range" for code, place in refused_places(sub(**pages)))


def test_cli_calc_of_the_example(examples_dir):
    out = CliRunner().invoke(cli, ["calc", str(examples_dir / "chemicals-2022.json"), "--format", "json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["totals"]["total_co2e"] == "280690.8758"
    assert report["totals"]["by_gas"]["N2O"] == {"mass": "77.0000", "unit": "tN2O", "co2e": "23870.0000"}
