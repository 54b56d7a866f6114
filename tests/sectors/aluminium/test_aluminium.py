"""Electrolytic aluminium: golden figures per formula, the GWP switch between editions, bad input.

Expected values are the reference's test cases (shared/reference/sectors-aluminium-paper-refining.md
§2.6, AL-T1..T4, marked [D]: the reference writer's arithmetic from the cited defaults). Each is
recomputed here with Fractions from the formula text, independently of the engine, and rounded
half up where the ruleset rounds.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction as F
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine.cli.main import cli
from mrv_engine.core.calc.compose import compose
from mrv_engine.core.calc.engine import calculate
from mrv_engine.core.rules.ruleset import parse_ruleset

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "aluminium-2022.json"
C = F(44, 12)


def sub(year=2022, **pages):
    return {"sector": "aluminium", "year": year, "pages": pages}


# -- golden figures -------------------------------------------------------------------

def test_anode_defaults_al_t1(engine, half_up):
    r = engine.calculate(sub(2021, anode=[{"line": "L1", "al_output": "100000"}]))
    row = r.page("anode").rows[0]
    expected = 100000 * F("0.42") * (1 - F("0.02") - F("0.004")) * C  # AL-T1: 150 304.0 tCO2
    assert expected == 150304
    assert row.values["emissions"] == half_up(expected)
    assert row.values["carbon_share"] == Decimal("0.976")
    # every default came from the 2013 guideline's Appendix 2 Table 2.2, read and confirmed
    assert all(row.prov[f].kind == "default" and row.prov[f].verified for f in ("anode_nc", "sulphur", "ash"))
    # 2022 data: the same figures under the 2023 notice's edition, whose 填报说明 was not read,
    # so there they are unconfirmed and the report lists them
    r22 = engine.calculate(sub(2022, anode=[{"line": "L1", "al_output": "100000"}]))
    assert r22.comp.ruleset.id == "aluminium-2022"
    assert r22.page("anode").rows[0].values["emissions"] == half_up(expected)
    assert not any(r22.page("anode").rows[0].prov[f].verified for f in ("anode_nc", "sulphur", "ash"))
    assert {"anode_net_consumption", "anode_sulphur", "anode_ash"} <= set(engine.report(r22)["unverified_parameters_used"])


def test_anode_measured_percent_inputs(engine, half_up):
    r = engine.calculate(sub(anode=[{"line": "L1", "al_output": {"value": "20", "unit": "e4t"},
                                      "anode_nc": "0.405", "sulphur": {"value": "2.3", "unit": "%"}, "ash": "0.35"}]))
    expected = 200000 * F("0.405") * (1 - F("0.023") - F("0.0035")) * C
    assert r.page("anode").rows[0].values["emissions"] == half_up(expected)


def test_pfc_default_factors_sar_al_t2(engine, half_up):
    r = engine.calculate(sub(anode_effect=[{"line": "L1", "al_output": "100000", "method": "default"}]))
    row = r.page("anode_effect").rows[0]
    assert row.values["cf4"] == Decimal("3.4")  # 100 000 t × 0.034 kg/t
    assert row.values["c2f6"] == Decimal("0.34")
    expected = (F("0.034") * 6500 + F("0.0034") * 9200) * 100000 / 1000  # AL-T2: 25 228.0 tCO2e
    assert row.values["pfc_co2e"] == half_up(expected) == Decimal("25228.0000")
    rep = engine.report(r)["totals"]["by_gas"]
    assert rep["CF4"] == {"mass": "3.4000", "unit": "tCF4", "co2e": "22100.0000"}
    assert rep["C2F6"] == {"mass": "0.3400", "unit": "tC2F6", "co2e": "3128.0000"}
    assert engine.report(r)["gwp"]["set"].startswith("IPCC SAR")


def test_pfc_slope_method_sar_and_ar5_al_t3(engine, half_up):
    rows = [{"line": "L1", "al_output": "100000", "method": "slope", "aem": {"value": "0.05", "unit": "min/d"}}]
    sar = engine.calculate(sub(2022, anode_effect=rows))
    ar5 = engine.calculate(sub(2024, anode_effect=rows))
    ef_cf4 = F("0.143") * F("0.05")
    cf4 = 100000 * ef_cf4 / 1000
    c2f6 = cf4 * F("0.1")
    assert sar.page("anode_effect").rows[0].values["pfc_co2e"] == half_up(cf4 * 6500 + c2f6 * 9200) == Decimal("5305.3000")
    assert ar5.page("anode_effect").rows[0].values["pfc_co2e"] == half_up(cf4 * 6630 + c2f6 * 11100) == Decimal("5534.1000")


def test_limestone_al_t4(engine):
    r = engine.calculate(sub(limestone=[{"item": "lime", "quantity": "2000"}]))
    assert r.page("limestone").rows[0].values["emissions"] == Decimal("810.0000")  # 2000 × 0.405


def test_2024_carbonates_at_enterprise_level(engine, half_up):
    r = engine.calculate(sub(2024, carbonates=[{"item": "x", "carbonate": "calcite", "quantity": "1000", "purity": "92"}]))
    # 1000 t × 92 % × 0.43971 tCO2/t (general carbonates table, from molecular masses)
    assert r.page("carbonates").rows[0].values["emissions"] == half_up(1000 * F("0.92") * F("0.43971"))


def test_supplementary_per_t_liquid_aluminium(engine, half_up):
    s = sub(anode=[{"line": "L1", "al_output": "100000"}],
            anode_effect=[{"line": "L1", "al_output": "100000", "method": "default"}],
            al_supplementary=[{"line": "L1", "al_liquid": "101000", "electricity": "1350000"}])
    r = engine.calculate(s)
    summary = r.page("al_supplementary").summaries[0]["values"]
    total = F(150304) + F(25228) + 1350000 * F("0.5703")  # grid factor of 2022 (general ruleset)
    assert summary["total_co2e"] == half_up(total)
    # per_t divides the rounded total (the summary rounds total_co2e first)
    assert summary["per_t"] == half_up(F(str(half_up(total))) / 101000)
    # the supplementary table never counts towards the report's totals
    assert r.totals["energy_indirect"] == 0


@pytest.mark.parametrize("year", [2022, 2024])
def test_supplementary_potline_without_anode_effect_row_is_a_finding(engine, year, half_up, refused_places):
    """A potline named differently on the anode-effect page used to get 0 tCO2e of anode effects.

    Before: L1's per_t was (150 304 + 0 + 1 350 000 × 0.5703) / 101 000 with the PFC term silently 0;
    now the table refuses it, and with the row present the PFC term is 100 000 × (0.03 × GWP_CF4 +
    0.003 × GWP_C2F6) / 1000 as usual.
    """
    s = sub(year, anode=[{"line": "L1", "al_output": "100000", "anode_nc": "0.42"}],
            anode_effect=[{"line": "一系列", "al_output": "100000", "method": "measured",
                           "ef_cf4_measured": "0.03", "ef_c2f6_measured": "0.003"}],
            al_supplementary=[{"line": "L1", "al_liquid": "101000", "electricity": "1350000"}])
    s["parameters"] = {"grid_ef": "0.5703", "national_grid_ef": "0.5703"}
    assert refused_places(s) == {("out_of_range", "$.pages.al_supplementary.summaries.intensity{'line': 'L1'}.pfc_rows")}
    s["pages"]["anode_effect"][0]["line"] = "L1"
    v = engine.calculate(s).page("al_supplementary").summaries[0]["values"]
    gwp = {2022: (6500, 9200), 2024: (6630, 11100)}[year]
    assert v["pfc_rows"] == 1
    assert v["pfc_co2e"] == half_up(100000 * (F("0.03") * gwp[0] + F("0.003") * gwp[1]) / 1000)


# -- versions and GWP ------------------------------------------------------------------

def test_edition_selected_by_year(engine):
    assert engine.composition("aluminium", 2021).ruleset.id == "aluminium-2013"
    assert engine.composition("aluminium", 2022).ruleset.id == "aluminium-2022"
    assert engine.composition("aluminium", 2023).ruleset.id == "aluminium-2022"
    assert engine.composition("aluminium", 2024).ruleset.id == "aluminium-2024"
    assert engine.composition("aluminium", 2024).page("anode").fields["al_output"].label["zh"] == "铝液产量"


def test_new_edition_gwp_changes_co2e_not_gas_masses(engine):
    """Same plant, same measured figures: the 2024 edition's GWP set moves CO2e, never the masses."""
    pages = dict(
        anode=[{"line": "L1", "al_output": "100000", "anode_nc": "0.41", "sulphur": "2", "ash": "0.4"}],
        anode_effect=[{"line": "L1", "al_output": "100000", "method": "measured",
                       "ef_cf4_measured": "0.02", "ef_c2f6_measured": "0.002"}],
    )
    old = engine.calculate(sub(2023, **pages))
    new = engine.calculate(sub(2024, **pages))
    for gas in ("CO2", "CF4", "C2F6"):
        assert old.gases[gas]["mass"] == new.gases[gas]["mass"]
    assert old.gases["CF4"]["co2e"] == Decimal("2") * 6500 and new.gases["CF4"]["co2e"] == Decimal("2") * 6630
    assert old.gases["C2F6"]["co2e"] == Decimal("0.2") * 9200 and new.gases["C2F6"]["co2e"] == Decimal("0.2") * 11100
    assert old.gases["CO2"]["co2e"] == new.gases["CO2"]["co2e"]
    assert new.total - old.total == 2 * (6630 - 6500) + Decimal("0.2") * (11100 - 9200)


def test_gwp_set_is_data_a_new_version_changes_only_co2e(engine):
    """A ruleset that differs only in its gwp block (a new version as data) changes CO2e, not masses."""
    path = ROOT / "rulesets" / "aluminium" / "aluminium-2013.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("gwp:\n"), text.index("\nboundary:")
    new_gwp = ('gwp:\n  set: IPCC AR6 (2021)\n  values: {CO2: 1, CF4: 7380, C2F6: 12400}\n'
               '  source: {doc: ndrc-2013-al, clause: test only}\n')
    variant = text[:start] + new_gwp + text[end:]
    variant = variant.replace("id: aluminium-2013", "id: aluminium-test").replace("years: {from: 2013, to: 2021}", "years: {from: 2030, to: null}")
    general = engine.composition("general", 2022).general
    base = compose(general, parse_ruleset(text, str(path)))
    other = compose(general, parse_ruleset(variant, "variant.yaml"))
    s = sub(anode_effect=[{"line": "L1", "al_output": "100000", "method": "default"}])
    a, b = calculate(base, s, 2021), calculate(other, s, 2021)
    assert a.gases["CF4"]["mass"] == b.gases["CF4"]["mass"] == Decimal("3.4")
    assert a.gases["C2F6"]["mass"] == b.gases["C2F6"]["mass"] == Decimal("0.34")
    assert b.gases["CF4"]["co2e"] == Decimal("3.4") * 7380
    assert b.gases["C2F6"]["co2e"] == Decimal("0.34") * 12400
    assert a.gases["CF4"]["co2e"] == Decimal("3.4") * 6500


def test_2024_offers_no_unread_defaults(engine, refused_places):
    got = refused_places(sub(2024, anode=[{"line": "L1", "al_output": "1000"}],
                               anode_effect=[{"line": "L1", "al_output": "1000", "method": "default"}]))
    assert ("required", "$.pages.anode[0].anode_nc") in got
    assert ("unknown_choice", "$.pages.anode_effect[0].method") in got


def test_unconfirmed_figures_are_marked(engine):
    # 2013: read in the guideline (formulas (8)-(10), Appendix 2); 2024: its text was not read
    assert not {"gwp", "parameters.cf4_slope"} & set(engine.ruleset("aluminium-2013").unverified())
    unverified = engine.ruleset("aluminium-2024").unverified()
    assert "gwp" in unverified
    assert "parameters.cf4_slope" in unverified


# -- bad input -------------------------------------------------------------------------

def test_sulphur_plus_ash_over_100_percent(engine, refused_places):
    got = refused_places(sub(anode=[{"line": "L1", "al_output": "1000", "sulphur": "99", "ash": "2"}]))
    assert got == {("out_of_range", "$.pages.anode[0].carbon_share")}


def test_sulphur_over_100_percent_alone(engine, refused_places):
    got = refused_places(sub(anode=[{"line": "L1", "al_output": "1000", "sulphur": "120"}]))
    assert ("above_maximum", "$.pages.anode[0].sulphur") in got


def test_slope_method_without_minutes_is_a_finding(engine, refused_places):
    got = refused_places(sub(anode_effect=[{"line": "L1", "al_output": "1000", "method": "slope"}]))
    assert ("missing_value", "$.pages.anode_effect[0].ef_cf4") in got


def test_supplementary_line_must_exist(engine, refused_places):
    got = refused_places(sub(anode=[{"line": "L1", "al_output": "1000"}],
                               al_supplementary=[{"line": "L9", "al_liquid": "1", "electricity": "1"}]))
    assert ("unknown_reference", "$.pages.al_supplementary[0].line") in got


# -- the example and the CLI -----------------------------------------------------------

def test_example_calculates_and_explains(engine):
    s = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    r = engine.calculate(s)
    assert set(r.gases) == {"CO2", "CF4", "C2F6"}
    text = engine.explain(r, "en")
    assert "GWP of CF4" in text and "[UNVERIFIED figure]" in text


def test_cli_calc_and_explain():
    runner = CliRunner()
    out = runner.invoke(cli, ["calc", str(EXAMPLE), "--format", "json"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["sector"] == "aluminium" and set(data["totals"]["by_gas"]) == {"CO2", "CF4", "C2F6"}
    out = runner.invoke(cli, ["explain", str(EXAMPLE), "--lang", "en"], catch_exceptions=False)
    assert out.exit_code == 0 and "Anode-effect emissions (CO2e)" in out.output


def test_boundary_per_edition(engine):
    old, new = engine.boundary("aluminium", 2022), engine.boundary("aluminium", 2024)
    assert any("CF4" in i["en"] for i in old["includes"]) and "supplementary" in old
    assert "Two levels" in new["entity"]["en"]


def test_supplementary_electricity_uses_national_grid_average_whatever_the_entity_factor(engine, refused_places):
    """Q&A 38-40 (seed 001): the table uses the national average even where the entity report
    uses another factor. Entity: 1000 MWh × 0.5257 = 525.7; table: 1000 MWh × 0.5703 = 570.3 (2022)."""
    s = sub(anode=[{"line": "L1", "al_output": "1000", "anode_nc": "0.42"}],
            anode_effect=[{"line": "L1", "al_output": "1000", "method": "default"}],
            electricity_heat=[{"item": "grid", "carrier": "electricity", "purchased": "1000"}],
            al_supplementary=[{"line": "L1", "al_liquid": "1000", "electricity": "1000"}])
    s["parameters"] = {"grid_ef": {"value": "0.5257", "note": "regional factor for the entity report"}}
    r = engine.calculate(s)
    assert r.page("electricity_heat").rows[0].values["emissions"] == Decimal("525.7000")
    assert r.page("al_supplementary").rows[0].values["electricity_co2"] == Decimal("570.3000")
    # 2024: no national average is known, so supplying only the entity factor is not enough.
    s24 = sub(2024, anode=[{"line": "L1", "al_output": "1000", "anode_nc": "0.42"}],
              al_supplementary=[{"line": "L1", "al_liquid": "1000", "electricity": "1000"}],
              anode_effect=[{"line": "L1", "al_output": "1000", "method": "measured",
                             "ef_cf4_measured": "0.03", "ef_c2f6_measured": "0.003"}])
    s24["parameters"] = {"grid_ef": "0.5366"}
    assert ("missing_value", "$.pages.al_supplementary[0].electricity_co2") in refused_places(s24)
