"""mrv diff: what differs between two rule versions and what that does to a submission."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from mrv_engine.cli.main import cli
from mrv_engine.core.base.errors import SelectionError
from mrv_engine.core.diff.differ import diff


def test_general_sector_between_two_years_names_the_grid_factor(engine, general_sub):
    # A Hebei enterprise: 2021 legal-boundary reports take the North China regional average
    # (Q&A 40), 2022 ones the national average.
    d = diff(engine, general_sub(enterprise={"name": "测试企业", "province": "河北"}), "2021", "2022")
    (p,) = d.parameters
    assert p["name"] == "grid_ef" and p["from"]["value"] == Decimal("0.8843") and p["to"]["value"] == Decimal("0.5703")
    assert p["from"]["verified"] is False  # the 2012 regional factors ship unverified
    assert d.rules == [] and d.tables == []
    cats = {c["category"]: c for c in d.categories}
    # 90 MWh x (0.5703 - 0.8843) = 90 x -0.3140 = -28.26 tCO2 (independent arithmetic)
    assert cats["energy_indirect"]["difference"] == Decimal("-28.26")
    assert cats["energy_direct_stationary"]["difference"] == 0
    assert cats["total"]["difference"] == Decimal("-28.26")
    assert d.categories[0]["category"] == "energy_indirect" and d.categories[-1]["category"] == "total"
    places = [f["place"] for f in d.figures]
    assert places[0] == "$.pages.electricity_heat[0].emissions"
    assert "$.pages.electricity_heat[0].factor" in places and "$.pages.fuel_combustion[0].emissions" not in places


def test_two_rulesets_of_a_plugin_by_id_and_by_year(tmp_path, demo_engine, demo_sub):
    eng = demo_engine(tmp_path)
    sub = demo_sub(2022)
    for a, b in (("demo-2019", "demo-2023"), ("2022", "2023")):
        d = diff(eng, sub, a, b)
        (p,) = [x for x in d.parameters if x["name"] == "ef_default"]
        assert (p["from"]["value"], p["to"]["value"]) == (Decimal("2.0"), Decimal("2.2")) and p["share_percent"] == Decimal("10.00")
        assert {(r["kind"], r["id"], r.get("aspect"), r["from"], r["to"]) for r in d.rules} == {("formula", "emissions", "decimals", 2, 3)}
        cats = {c["category"]: c for c in d.categories}
        # 100 t x 2.0 = 200.00 (2 decimals) -> 100 t x 2.2 = 220.000 (3 decimals)
        assert cats["process"]["from"] == Decimal("200.0000") and cats["process"]["to"] == Decimal("220.0000")
        assert cats["process"]["share_percent"] == Decimal("10.00")
        assert d.a.rulesets[-1] == "demo-2019" and d.b.rulesets[-1] == "demo-2023"


def test_a_side_that_does_not_compute_is_reported(tmp_path, engine, general_sub):
    d = diff(engine, general_sub(), "2022", "2023")  # no grid factor for 2023 in the general ruleset
    assert d.b.error and d.categories == [] and d.figures == []
    # the general ruleset still defines grid_ef; it only has no figure for 2023: not a removal
    assert any(p["name"] == "grid_ef" and p["change"] == "no_value" for p in d.parameters)
    assert d.needs_parameters() == ["grid_ef"] and d.to_dict()["needs_parameters"] == ["grid_ef"]


def test_a_parameter_supplied_for_the_side_without_one_shows_the_effect(engine, general_sub):
    sub = general_sub(parameters={"grid_ef": "0.5703"})  # used for 2023 only; 2022's rules give 0.5703 themselves
    d = diff(engine, sub, "2022", "2023")
    assert not d.a.error and not d.b.error and d.needs_parameters() == []
    (p,) = d.parameters
    assert p["change"] == "origin" and p["from"]["origin"] != "submission" and p["to"]["origin"] == "submission"
    assert {c["category"]: c["difference"] for c in d.categories}["total"] == 0


def test_cli_diff_param_for_a_year_without_a_grid_factor(examples_dir):
    path = str(examples_dir / "verify-clean.json")
    r = CliRunner().invoke(cli, ["diff", path, "--from", "2022", "--to", "2023", "--lang", "en", "--wide"], catch_exceptions=False)
    assert r.exit_code == 0 and "no value for the year" in r.output and "--param grid_ef=VALUE" in r.output
    assert "3. Effect on this report by category" not in r.output
    r = CliRunner().invoke(cli, ["diff", path, "--from", "2022", "--to", "2023", "--param", "grid_ef=0.5810 tCO2/MWh",
                                 "--format", "json"], catch_exceptions=False)
    data = json.loads(r.output)
    assert not data["to"]["errors"] and data["needs_parameters"] == []
    # clean example: 8380 MWh x (0.5810 - 0.5703) = +89.666 t, with 0.5810 given on the command line for 2023
    cat = data["effect"]["categories"][0]
    assert (cat["category"], cat["from"], cat["to"], cat["difference"]) == ("energy_indirect", "4779.1140", "4868.7800", "89.6660")
    r = CliRunner().invoke(cli, ["diff", path, "--from", "2022", "--to", "2023", "--param", "grid_ef"])
    assert r.exit_code == 2 and "NAME=VALUE" in r.output


def test_ruleset_of_another_sector_is_refused(tmp_path, demo_engine, demo_sub):
    with pytest.raises(SelectionError):
        diff(demo_engine(tmp_path), demo_sub(), "demo-2019", "general-2015")


def test_cli_diff(tmp_path, examples_dir):
    path = str(examples_dir / "verify-clean.json")
    r = CliRunner().invoke(cli, ["diff", path, "--from", "2021", "--to", "2022", "--lang", "en"], catch_exceptions=False)
    assert r.exit_code == 0 and "grid_ef" in r.output and "0.5257 tCO2/MWh" in r.output  # Chongqing: Central China grid
    assert r.output.index("3. Effect on this report by category") < r.output.index("4. Figures affected")
    r = CliRunner().invoke(cli, ["diff", path, "--from", "2021", "--to", "2022", "--format", "json"], catch_exceptions=False)
    data = json.loads(r.output)
    # clean example (Chongqing, Central China grid): 8380 MWh x 0.5257 = 4405.366 t in 2021,
    # 8380 MWh x 0.5703 = 4779.114 t in 2022; difference 373.748 t = 8.484 % of 4405.366 -> 8.48
    assert data["effect"]["categories"][0] == {"category": "energy_indirect", "label": {"zh": "能源间接排放", "en": "Energy, indirect"},
                                               "from": "4405.3660", "to": "4779.1140", "difference": "373.7480", "share_percent": "8.48"}
    r = CliRunner().invoke(cli, ["diff", path, "--from", "2021", "--to", "2022", "--format", "markdown"], catch_exceptions=False)
    assert "| grid_ef |" in r.output
