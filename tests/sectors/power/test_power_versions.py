"""Rule versions: the same plant under each edition, each difference named by a test.

The differences are those the governing documents imply as far as the reference
could confirm them; where a figure is only recalled, the test checks that it is
marked unverified rather than that it is right.
"""

from __future__ import annotations

import copy
from decimal import Decimal as D

import pytest
from click.testing import CliRunner
from mrv_engine.cli.main import cli


@pytest.fixture(autouse=True)
def shared_engine(monkeypatch, engine):
    """The CLI builds an Engine per command; share the loaded one so the suite stays fast."""
    monkeypatch.setattr("mrv_engine.cli.shared.new_engine", lambda: engine)


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


# -- selection ----------------------------------------------------------------------

@pytest.mark.parametrize("year, ruleset", [(2019, "power-2021-guideline"), (2020, "power-2021-guideline"),
                                           (2021, "power-2021-guideline-229"), (2022, "power-2022-revision"),
                                           (2023, "power-485"), (2024, "power-485"), (2025, "power-485")])
def test_ruleset_by_reporting_year_and_form_for_every_year(year, ruleset, engine):
    assert engine.composition("power", year).ruleset.id == ruleset
    res = run("form", "power", "--year", str(year))
    assert res.exit_code == 0 and f'"{ruleset}"' in res.output


def test_rulesets_command_lists_years_and_sources():
    res = run("rulesets", "--sector", "power", "--wide")
    assert res.exit_code == 0
    for text in ("power-2021-guideline", "2019–2020", "power-2022-revision", "2021–2022", "power-485", "2023–",
                 "环办气候函〔2022〕111号", "环办气候函〔2022〕229号", "环办气候函〔2022〕485号", "渝环规〔2023〕2号"):
        assert text in res.output


# -- examples run with mrv calc and mrv explain ------------------------------------------------

@pytest.mark.parametrize("year", [2020, 2022, 2023])
def test_examples_calc_and_explain(year, examples_dir):
    path = str(examples_dir / f"power-plant-{year}.json")
    res = run("calc", path, "--format", "json")
    assert res.exit_code == 0, res.output
    res = run("explain", path, "--lang", "en", "--wide")
    assert res.exit_code == 0
    assert "substituted" in res.output or year == 2020
    assert "converted from 5330 kcal/kg (1 kcal = 4.1868 kJ)" in res.output
    assert "converted from 57.33 pctC" in res.output


def test_example_2023_grid_factor_is_marked_supplied(engine, node, operand, power_example):
    r = engine.calculate(power_example(2023))
    op = operand(node(r, "$.pages.electricity[0].grid_factor"), "grid_ef")
    assert op.kind == "submission" and "2022" in op.note


# -- 2022 revision (+229号) vs 485号 ------------------------------------------------------

def test_difference_grid_factor_2022_published_2023_not(engine, refused, tiny):
    assert engine.calculate(tiny(2022)).params["grid_ef"].value == D("0.5703")
    sub = tiny(2023)
    del sub["parameters"]
    assert refused(sub)[0].code == "missing_value"


def test_difference_running_hours_required_under_485(engine, refused, tiny):
    # seed 003: the monthly evidence of 485号 reports running hours and load factor.
    for year, required in ((2022, False), (2023, True)):
        sub = tiny(year)
        del sub["pages"]["production"][0]["running_hours"]
        if required:
            f = refused(sub)
            assert [x.code for x in f] == ["required"] and f[0].place == "$.pages.production[0].running_hours"
        else:
            engine.calculate(sub)


def test_difference_supplementary_excludes_purchased_electricity_under_485(engine, summary, power_example):
    # 2023-2024 allocation plan: indirect emissions left out of the benchmarks.
    s22, s23 = power_example(2022), power_example(2023)
    a22 = summary(engine.calculate(s22), "allocation", "allocation_unit", unit="3号机组")
    a23 = summary(engine.calculate(s23), "allocation", "allocation_unit", unit="3号机组")
    r = engine.calculate(s22)
    u = summary(r, "production", "unit_year", unit="3号机组")
    assert a22["emissions"] == u["e_fuel_year"] + u["e_elec_year"]
    assert a23["emissions"] == u["e_fuel_year"]  # same data, same fuel emissions, electricity left out


def test_difference_allocation_on_generation_under_485(engine, hu, summary, power_example):
    r23 = engine.calculate(power_example(2023))
    a23 = summary(r23, "allocation", "allocation_unit", unit="3号机组")
    assert a23["power_intensity"] == hu(a23["emissions"] / a23["generation"], 3)  # no heat supplied by unit 3
    a22 = summary(engine.calculate(power_example(2022)), "allocation", "allocation_unit", unit="3号机组")
    assert "generation" not in a22
    assert a22["power_intensity"] == hu(a22["emissions"] / a22["supply"], 3)


def test_difference_no_heat_correction_factor_under_485(engine, hu, summary, power_example):
    a22 = summary(engine.calculate(power_example(2022)), "allocation", "allocation_unit", unit="1-2号机组")
    a23 = summary(engine.calculate(power_example(2023)), "allocation", "allocation_unit", unit="1-2号机组")
    # 2021-2022 plan (recalled): 1 − 0.22 × heat-supply ratio
    assert a22["heat_correction"] == hu(1 - D("0.22") * a22["heat_ratio"] / 100, 4)
    assert "heat_correction" not in a23


def test_difference_coal_defaults_confirmed_for_2022_unverified_under_485(engine, tiny):
    # 0.03085 / 26.7 are 229号 figures for 2021-2022 data (seed 001); 485号 keeping them is not confirmed.
    for year, verified in ((2022, True), (2023, False)):
        r = engine.calculate(tiny(year))
        row = r.page("fuel_t").rows[0]
        assert row.values["carbon_per_heat"] == D("0.03085")
        assert row.prov["cc_default"].verified is verified
        assert row.prov["ncv"].verified is verified


def test_same_plant_2022_and_2023_same_combustion_figures(engine, power_example):
    # Nothing confirmed changes the combustion formulas between the two editions.
    r22, r23 = engine.calculate(power_example(2022)), engine.calculate(power_example(2023))
    assert r22.totals == r23.totals


# -- 2021 guideline vs 2022 revision (+229号) -------------------------------------------

def test_difference_three_months_mean_rule_starts_with_229(engine, tiny):
    sub = tiny(2022)
    for row in sub["pages"]["fuel_t"]:
        row["ncv"] = "20.000"
        if row["month"] <= 6:
            row["element_carbon"] = "0.5000"
    r22 = engine.calculate(sub)
    sub20 = copy.deepcopy(sub)
    sub20["year"] = 2020
    r20 = engine.calculate(sub20)
    dec22, dec20 = r22.page("fuel_t").rows[11], r20.page("fuel_t").rows[11]
    assert dec22.values["carbon_per_heat"] == D("0.02500")  # mean 0.5 / 20
    assert dec20.values["carbon_per_heat"] == D("0.03356")  # default of the 2021 guideline
    assert dec20.prov["cc_default"].verified is False


def test_difference_no_coal_ncv_default_before_229(engine, refused, tiny):
    sub = tiny(2020)
    found = refused(sub)
    assert {f.code for f in found} == {"missing_value"} and "Net calorific value" in found[0].message
    assert engine.calculate(tiny(2021)).page("fuel_t").rows[0].values["ncv"] == D("26.700")


def test_difference_grid_factor_0_6101_to_0_5810(engine, hu, power_example):
    s = power_example(2022)
    s["year"] = 2021
    r21 = engine.calculate(s)
    r20 = engine.calculate(power_example(2020))
    assert r20.page("electricity").rows[0].values["grid_factor"] == D("0.6101")
    assert r21.page("electricity").rows[0].values["grid_factor"] == D("0.5810")
    # 1520.40 / 2 = 760.20 MWh in January
    assert r20.page("electricity").rows[0].values["emissions"] == hu(D("760.20") * D("0.6101"), 2)
    assert r21.page("electricity").rows[0].values["emissions"] == hu(D("760.20") * D("0.5810"), 2)
