"""Pulp and paper: golden figures per formula, GWP conversion and its change as data, bad input.

Expected values are the reference's cases PP-T1 and PP-T2 (shared/reference/
sectors-aluminium-paper-refining.md §3.5, marked [D]: the reference writer's arithmetic),
recomputed here with Fractions from the formula text, independently of the engine.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction as F
from pathlib import Path

from click.testing import CliRunner
from mrv_engine.cli.main import cli
from mrv_engine.core.calc.compose import compose
from mrv_engine.core.calc.engine import calculate
from mrv_engine.core.rules.ruleset import parse_ruleset

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "paper-2022.json"

PP_T1 = {"system": "IC", "cod_basis": "concentration", "wastewater": {"value": "1000000", "unit": "m**3"},
         "cod_in": "2.0", "cod_out": "0.5", "sludge_cod": {"value": "100000", "unit": "kgCOD"},
         "recovered": {"value": "50000", "unit": "kgCH4"}}


def sub(year=2022, **pages):
    return {"sector": "paper", "year": year, "pages": pages}


def test_wastewater_methane_pp_t1(engine, half_up):
    r = engine.calculate(sub(wastewater=[PP_T1]))
    row = r.page("wastewater").rows[0]
    tow = 1000000 * (F("2.0") - F("0.5")) / 1000  # tCOD
    ch4 = (tow - 100) * F("0.25") * F("0.5") - 50  # t CH4: PP-T1 125 t
    assert row.values["cod_removed"] == Decimal(1500)
    assert row.values["ch4_generated"] == Decimal(175)
    assert row.values["ch4"] == half_up(ch4) == Decimal("125.0000")
    assert row.values["ch4_co2e"] == half_up(ch4 * 21) == Decimal("2625.0000")  # SAR
    assert r.gases["CH4"] == {"mass": Decimal("125.0000"), "co2e": Decimal("2625.0000")}
    rep = engine.report(r)
    assert rep["totals"]["by_gas"]["CH4"] == {"mass": "125.0000", "unit": "tCH4", "co2e": "2625.0000"}
    assert rep["gwp"] == {"set": "IPCC SAR (1995)", "values": {"CO2": 1, "CH4": 21}}


def test_cod_removed_given_directly(engine):
    r = engine.calculate(sub(wastewater=[{"system": "U", "cod_basis": "removed", "cod_removed_given": "1500",
                                          "mcf": "0.8"}]))
    # no sludge, no recovery: 1500 t × 0.25 × 0.8
    assert r.page("wastewater").rows[0].values["ch4"] == Decimal(300)


def test_lime_kiln_limestone_pp_t2(engine):
    r = engine.calculate(sub(lime_kiln=[{"kiln": "K1", "limestone": "3000"}]))
    assert r.page("lime_kiln").rows[0].values["emissions"] == Decimal("1215.0000")  # 3000 × 0.405
    assert r.page("lime_kiln").rows[0].prov["ef"].verified is False


def test_gwp_change_in_a_new_version_changes_co2e_not_methane(engine):
    path = ROOT / "rulesets" / "paper" / "paper-2015.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("gwp:\n"), text.index("\nboundary:")
    variant = (text[:start] + "gwp:\n  set: IPCC AR5 (2013)\n  values: {CO2: 1, CH4: 28}\n"
               "  source: {doc: ndrc-2015-paper, clause: test only}\n" + text[end:])
    variant = variant.replace("id: paper-2015", "id: paper-test")
    general = engine.composition("general", 2022).general
    a = calculate(compose(general, parse_ruleset(text, str(path))), sub(wastewater=[PP_T1]), 2022)
    b = calculate(compose(general, parse_ruleset(variant, "variant.yaml")), sub(wastewater=[PP_T1]), 2022)
    assert a.gases["CH4"]["mass"] == b.gases["CH4"]["mass"] == Decimal(125)
    assert a.gases["CH4"]["co2e"] == Decimal(2625)
    assert b.gases["CH4"]["co2e"] == Decimal(3500)  # PP-T1 under AR5: 125 × 28
    assert b.page("wastewater").rows[0].values["ch4_co2e"] == Decimal(3500)


def test_supplementary_per_product(engine, half_up):
    r = engine.calculate(sub(paper_supplementary=[
        {"product": "paper", "output": "1000", "fuel_co2": "500", "electricity": "800", "heat_consumed": "2000"}]))
    row = r.page("paper_supplementary").rows[0]
    total = 500 + 800 * F("0.5703") + 2000 * F("0.11")
    assert row.values["total"] == half_up(total)
    assert row.values["per_t"] == half_up(F(str(half_up(total))) / 1000)
    assert r.total == 0  # own boundary: not in the report's totals


# -- bad input -------------------------------------------------------------------------

def test_negative_cod_removal_from_concentrations(engine, refused_places):
    bad = dict(PP_T1, cod_in="0.5", cod_out="2.0")
    got = refused_places(sub(wastewater=[bad]))
    assert ("out_of_range", "$.pages.wastewater[0].cod_removed") in got


def test_negative_cod_removal_given(engine, refused_places):
    got = refused_places(sub(wastewater=[{"system": "U", "cod_basis": "removed", "cod_removed_given": "-10"}]))
    assert ("below_minimum", "$.pages.wastewater[0].cod_removed_given") in got


def test_recovered_above_generated(engine, refused_places):
    bad = dict(PP_T1, recovered={"value": "200", "unit": "tCH4"})  # 175 t generated
    got = refused_places(sub(wastewater=[bad]))
    assert got == {("out_of_range", "$.pages.wastewater[0].ch4")}


def test_sludge_cod_above_removed(engine, refused_places):
    bad = dict(PP_T1, sludge_cod="2000")
    got = refused_places(sub(wastewater=[bad]))
    assert ("out_of_range", "$.pages.wastewater[0].cod_degraded") in got


def test_mcf_above_one(engine, refused_places):
    got = refused_places(sub(wastewater=[dict(PP_T1, mcf="1.2")]))
    assert ("above_maximum", "$.pages.wastewater[0].mcf") in got


# -- the example and the CLI -----------------------------------------------------------

def test_example_and_cli(engine):
    s = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    r = engine.calculate(s)
    assert set(r.gases) == {"CO2", "CH4"}
    runner = CliRunner()
    out = runner.invoke(cli, ["calc", str(EXAMPLE), "--lang", "en"], catch_exceptions=False)
    assert out.exit_code == 0 and "CH4:" in out.output
    out = runner.invoke(cli, ["explain", str(EXAMPLE), "--lang", "en"], catch_exceptions=False)
    assert out.exit_code == 0 and "GWP of CH4" in out.output


def test_boundary(engine):
    b = engine.boundary("paper", 2022)
    assert any("anaerobic wastewater" in i["en"] for i in b["includes"])
    assert any("Biomass" in x["en"] for x in b["excludes"])


def test_supplementary_electricity_uses_national_grid_average_whatever_the_entity_factor(engine):
    """Q&A 38-40 (seed 001): entity 1000 MWh × 0.5257 = 525.7; table 1000 MWh × 0.5703 = 570.3 (2022)."""
    s = sub(electricity_heat=[{"item": "grid", "carrier": "electricity", "purchased": "1000"}],
            paper_supplementary=[{"product": "paper", "output": "1000", "fuel_co2": "0",
                                  "electricity": "1000", "heat_consumed": "0"}])
    s["parameters"] = {"grid_ef": {"value": "0.5257", "note": "regional factor for the entity report"}}
    r = engine.calculate(s)
    assert r.page("electricity_heat").rows[0].values["emissions"] == Decimal("525.7000")
    assert r.page("paper_supplementary").rows[0].values["electricity_co2"] == Decimal("570.3000")
