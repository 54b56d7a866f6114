"""Cement for 2022-2023 data (ruleset cement-2022): the MEE 2023 notice for key sectors.

Golden figures are hand arithmetic written out here with Fractions, independently of the
engine: the notice's rule (directly supplied non-fossil electricity counted at zero, market
green power still at the grid average) applied to the bundled example, and the 2013
guideline's formula (6) it keeps.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from fractions import Fraction as F
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from mrv_engine import InputError
from mrv_engine.cli.main import cli

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "cement-nonfossil-2022.json"
GRID_2022 = F("0.5703")  # national grid average for 2022 data (the notice; 环办气候函〔2023〕43号)


def example():
    return json.loads(EXAMPLE.read_text(encoding="utf-8"), parse_float=str)


def test_example_golden_figures(engine, half_up):
    r = engine.calculate(example())
    assert r.comp.ruleset.id == "cement-2022"
    # purchased 100 000 MWh at the national factor of 2022 (a Hebei plant: no longer North China's 0.8843)
    assert r.page("electricity_heat").rows[0].values["emissions"] == half_up(100000 * GRID_2022) == Decimal("57030.0000")
    nf = r.page("non_fossil_electricity").rows
    # 20 000 MWh of PV over a private line, not through the public grid: counted at zero, taken back
    assert nf[0].values["emissions"] == -half_up(20000 * GRID_2022) == Decimal("-11406.0000")
    # 5 000 MWh of green power bought on the market: still at the national average, nothing taken back
    assert nf[1].values["emissions"] == 0
    assert r.totals["energy_indirect"] == half_up((100000 - 20000) * GRID_2022) == Decimal("45624.0000")
    # formula (6) of the 2013 guideline, kept: 1e6 t × (64 % × 44/56 + 2 % × 44/40)
    assert r.totals["process"] == half_up(1000000 * (F(64, 100) * F(44, 56) + F(2, 100) * F(44, 40))) == Decimal("524857.1429")
    # coal: 150 000 t × 22.35 GJ/t × 0.0261 tC/GJ × 0.93 × 44/12 (bituminous row of the general table)
    fuel = 150000 * F("22.35") * F("0.0261") * F("0.93") * F(44, 12)
    assert r.totals["energy_direct_stationary"] == half_up(fuel)
    assert r.total == half_up(fuel) + Decimal("45624.0000") + Decimal("524857.1429")
    # clinker line: 60 000 MWh consumed, 8 000 MWh self-generated PV at zero, the rest at the national average
    line = r.page("supplementary_lines").rows[0].values
    assert line["grid_electricity"] == 52000
    assert line["electricity_co2"] == half_up(52000 * GRID_2022) == Decimal("29655.6000")


def test_figures_kept_from_2013_are_unconfirmed_for_this_edition(engine):
    report = engine.report(engine.calculate(example()))
    assert {"co2_per_cao", "co2_per_mgo"} <= set(report["unverified_parameters_used"])
    assert not {"parameters.co2_per_cao", "parameters.co2_per_mgo"} & set(engine.ruleset("cement-2013").unverified())
    text = engine.explain(engine.calculate(example()), "en")
    assert "[UNVERIFIED figure]" in text and "填报说明" in text


def test_take_back_larger_than_purchases_is_refused(engine, refused_places):
    s = example()
    s["pages"]["non_fossil_electricity"][0]["electricity"] = {"value": "120000", "unit": "MWh"}
    assert ("out_of_range", "$.pages.non_fossil_electricity.summaries.check.indirect_after") in refused_places(s)


def test_line_non_fossil_above_consumption_is_refused(engine, refused_places):
    s = example()
    s["pages"]["supplementary_lines"][0]["non_fossil"] = "60001"
    assert ("out_of_range", "$.pages.supplementary_lines[0].grid_electricity") in refused_places(s)


def test_2013_edition_has_no_zero_counted_electricity(engine, refused_places):
    s = example()
    s["year"] = 2021
    got = refused_places(s)
    assert any(place == "$.pages.non_fossil_electricity" for _, place in got)


def test_diff_2013_to_2022_on_the_two_kiln_example(tmp_path):
    """cement-2013 (its last year 2021: a Hubei plant at Central China's 0.5257) against cement-2022
    (the national 0.5703): 168 400 MWh × (0.5703 − 0.5257) = +7 510.64 tCO2; the supplementary table
    was at the national factor both times (0.5810 for 2021, 0.5703 for 2022).

    The 2013 guideline gives coal's oxidation rate by equipment (Appendix 2 Table 2.3, kiln 98 %),
    not by coal, so its edition needs the kilns' rate: the file here states it for both."""
    sub = json.loads((ROOT / "examples" / "cement-two-kilns-2022.json").read_text(encoding="utf-8"), parse_float=str)
    for row in sub["pages"]["fuel_combustion"] + sub["pages"]["supplementary_fuels"]:
        if row["fuel"] == "bituminous":
            row["of"] = "0.98"
    path = tmp_path / "two-kilns.json"
    path.write_text(json.dumps(sub, ensure_ascii=False), encoding="utf-8")
    out = CliRunner().invoke(cli, ["diff", str(path), "--from", "cement-2013", "--to", "cement-2022", "--format", "json"],
                             catch_exceptions=False)
    assert out.exit_code == 0, out.output
    d = json.loads(out.output)
    text = json.dumps(d, ensure_ascii=False)
    assert "non_fossil_electricity" in text and "grid_electricity" in text
    assert 168400 * (F("0.5703") - F("0.5257")) == F("7510.64")
    assert "7510.6400" in text


def test_cli_calc_of_the_example():
    out = CliRunner().invoke(cli, ["calc", str(EXAMPLE), "--format", "json"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["rulesets"] and "cement-2022" in json.dumps(data["rulesets"])
    assert data["totals"]["by_category"]["energy_indirect"]["co2e"] == "45624.0000"


def test_copy_is_not_mutated_between_calls(engine):
    s = example()
    before = copy.deepcopy(s)
    engine.calculate(s)
    assert s == before



# -- property: the notice's rule, whatever the figures ----------------------------------

MWH = st.integers(min_value=0, max_value=10**7)


@settings(max_examples=40, deadline=None)
@given(purchased=MWH, direct=MWH, green=MWH)
def test_direct_supply_counts_at_zero_and_green_power_never_changes_the_total(engine, half_up, purchased, direct, green):
    """For any purchases P, direct non-fossil supply D and market green power G:
    indirect = (P − D) × 0.5703, half up at 4 decimals, whatever G; D > P is refused at the check."""
    s = {"sector": "cement", "year": 2022, "enterprise": {"name": "p", "province": "河北"}, "pages": {
        "electricity_heat": [{"item": "grid", "carrier": "electricity", "purchased": str(purchased)}],
        "non_fossil_electricity": [{"item": "pv", "supply": "direct_supply", "electricity": str(direct)},
                                   {"item": "green", "supply": "market_green", "electricity": str(green)}]}}
    if direct > purchased:
        with pytest.raises(InputError) as exc:
            engine.calculate(s)
        assert any(f.place.endswith("indirect_after") for f in exc.value.findings)
        return
    assert engine.calculate(s).totals["energy_indirect"] == half_up((purchased - direct) * GRID_2022)
