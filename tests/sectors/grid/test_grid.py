"""Power grids (电网): SF6 from repair and retirement, and CO2 of transmission and distribution
losses, against hand arithmetic (exact fractions, rounded half up as the ruleset rounds)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction as F

from click.testing import CliRunner
from mrv_engine.cli.main import cli


def test_bundled_example_by_hand(engine, example, half_up):
    r = engine.calculate(example("grid-2022.json"))
    # SF6: (120 − 112.5) kg + (45 − 41.2) kg = 11.3 kg = 0.0113 t; × 23900 (GWP, unverified) = 270.07 tCO2e
    sf6 = [r.page("grid_sf6").rows[i].values["sf6"] for i in (0, 1)]
    assert sf6 == [half_up(F("7.5") / 1000, 6), half_up(F("3.8") / 1000, 6)] == [Decimal("0.007500"), Decimal("0.003800")]
    assert r.totals["process"] == Decimal("270.0700")
    # losses: 250000000 + 30000000 − 60000000 − 207000000 = 13000000 MWh; reporting year 2022, so the
    # grid rules give the national average 0.5703 (MEE 2023 notice): 13000000 × 0.5703 = 7413900 tCO2
    row = r.page("grid_losses").rows[0].values
    assert row["losses"] == 13000000
    assert row["emissions"] == half_up(13000000 * F("0.5703")) == Decimal("7413900.0000")
    assert r.total == Decimal("7414170.0700")


def test_the_factor_follows_the_year_and_the_province(engine, example, half_up):
    """Issue: the losses' factor is the grid factor of the year and programme. A Hubei grid company
    reporting 2020 takes the 2012 Central China average (0.5257), a Hebei one North China's (0.8843)."""
    sub = example("grid-2022.json")
    sub["year"] = 2020
    r = engine.calculate(sub)
    assert r.page("grid_losses").rows[0].values["emissions"] == half_up(13000000 * F("0.5257")) == Decimal("6834100.0000")
    sub["enterprise"] = {"name": "示例", "province": "河北"}
    r = engine.calculate(sub)
    assert r.page("grid_losses").rows[0].values["emissions"] == half_up(13000000 * F("0.8843")) == Decimal("11495900.0000")


def test_a_factor_supplied_replaces_the_rules_choice(engine, half_up):
    sub = {"sector": "grid", "year": 2020, "parameters": {"grid_ef": {"value": "0.5703", "unit": "tCO2/MWh"}},
           "pages": {"grid_losses": [{"grid": "湖北", "on_grid": "100", "imported": "0", "exported": "0", "sold": "90"}]}}
    r = engine.calculate(sub)
    assert r.total == half_up(10 * F("0.5703")) == Decimal("5.7030")


def test_a_2020_report_without_its_province_is_refused(refused_places):
    sub = {"sector": "grid", "year": 2020, "pages": {"grid_losses": [
        {"grid": "湖北", "on_grid": "100", "imported": "0", "exported": "0", "sold": "90"}]}}
    assert any(code == "province_required" for code, _place in refused_places(sub))


def test_more_sold_than_supplied_is_refused(refused_places):
    sub = {"sector": "grid", "year": 2022, "pages": {"grid_losses": [
        {"grid": "湖北", "on_grid": "100", "imported": "0", "exported": "0", "sold": "110"}]}}
    assert ("out_of_range", "$.pages.grid_losses[0].losses") in refused_places(sub)


def test_the_grid_report_has_no_fuel_or_purchase_pages(engine):
    order = engine.form("grid", 2022)["x-page-order"]
    assert order[:2] == ["grid_sf6", "grid_losses"] and "fuel_combustion" not in order


def test_cli_calc_of_the_example(examples_dir):
    out = CliRunner().invoke(cli, ["calc", str(examples_dir / "grid-2022.json"), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["totals"]["total_co2e"] == "7414170.0700"
