"""Petroleum refining: base page + supplement page + general page, golden figures per formula, bad input.

Expected values are the reference's cases RF-T1..T7 (shared/reference/
sectors-aluminium-paper-refining.md §4.5, marked [D]: the reference writer's arithmetic),
recomputed here with Fractions from the formula text, independently of the engine.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction as F
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine import RulesetError
from mrv_engine.cli.main import cli
from mrv_engine.core.calc.compose import compose
from mrv_engine.core.rules.ruleset import parse_ruleset

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "refining-2022.json"
C = F(44, 12)
C_PER_E4NM3 = F(120) / F("22.4")  # 12 g/mol × 10^7 L ÷ 22.4 L/mol, in t C per 10^4 Nm3 per carbon atom


def sub(units, supplement=(), year=2022, **pages):
    return {"sector": "refining", "year": year,
            "pages": {"refining_units": list(units), "refining_supplement": list(supplement), **pages}}


def unit(uid, kind="other", **fields):
    return {"unit_id": uid, "unit_type": kind, "throughput": "1000", **fields}


def emission(result, page, i=0):
    return result.page(page).rows[i].values["emissions"]


# -- base page -------------------------------------------------------------------------

def test_fcc_coke_burn_rf_t3(engine, half_up):
    r = engine.calculate(sub([unit("FCC", "fcc", coke_burned="10000")]))
    expected = 10000 * F(1) * F("0.98") * C  # RF-T3: 35 933.3 tCO2 (CF 100 %, OF 98 %)
    assert emission(r, "refining_units") == half_up(expected) == Decimal("35933.3333")
    row = r.page("refining_units").rows[0]
    assert not row.prov["coke_cc"].verified and not row.prov["burn_of"].verified


def test_coking_burn_has_no_oxidation_rate(engine, half_up):
    """Reference §4.2 item 6: coking burn E = MC × CF × 44/12, no oxidation rate (unlike FCC, item 3).

    10 000 t coke × 100 % carbon × 44/12 = 36 666.6667 tCO2 (RF-T3's "without OF" figure); the
    98 % coke-burn oxidation default must not be applied (it gave 35 933.3333 before).
    """
    r = engine.calculate(sub([unit("COK", "coking", coke_burned="10000")]))
    expected = 10000 * F(1) * C
    assert emission(r, "refining_units") == half_up(expected) == Decimal("36666.6667")
    # a measured oxidation rate given for a coking unit changes nothing either
    r = engine.calculate(sub([unit("COK", "coking", coke_burned="10000", burn_of={"value": "90", "unit": "%"})]))
    assert emission(r, "refining_units") == Decimal("36666.6667")


def test_hydrogen_carbon_balance_rf_t5(engine, half_up):
    r = engine.calculate(sub([unit("H2", "hydrogen", feed="50000", feed_cc="0.75")]))
    assert emission(r, "refining_units") == half_up(50000 * F("0.75") * C) == Decimal("137500.0000")


def test_hydrogen_with_syngas_and_residue(engine, half_up):
    r = engine.calculate(sub([unit("H2", "hydrogen", feed="50000", feed_cc="0.75", syngas="1000", syngas_cc="2.5",
                                   residue="100", residue_cc="0.8")]))
    expected = (50000 * F("0.75") - 1000 * F("2.5") - 100 * F("0.8")) * C
    assert emission(r, "refining_units") == half_up(expected)


def test_coke_calcining_rf_t6(engine, half_up):
    r = engine.calculate(sub([unit("CAL", "coke_calcining", green_coke="100000", green_cc="0.90",
                                   calcined="85000", dust="1000", calcined_cc="0.97")]))
    expected = (100000 * F("0.90") - (85000 + 1000) * F("0.97")) * C  # RF-T6: 24 126.7 tCO2
    assert emission(r, "refining_units") == half_up(expected) == Decimal("24126.6667")


def test_other_unit_has_no_base_page_emission(engine):
    r = engine.calculate(sub([unit("ASP")]))
    assert emission(r, "refining_units") == 0


# -- supplement page -------------------------------------------------------------------

def test_batch_regeneration_rf_t4(engine, half_up):
    r = engine.calculate(sub([unit("REF")], [{"unit_id": "REF", "case": "batch_regeneration", "catalyst": "100",
                                              "c_before": "8", "c_after": "0.5"}]))
    b, a = F("0.08"), F("0.005")
    expected = 100 * (1 - b) * (b / (1 - b) - a / (1 - a)) * C  # RF-T4: 27.638 tCO2, no oxidation rate
    assert emission(r, "refining_supplement") == half_up(expected)
    assert half_up(expected, 3) == Decimal("27.638")


def test_normal_flare_rf_t1(engine, half_up):
    # 60 % CH4 (1 C) + 20 % C3H8 (3 C): Σ V × CN = 1.2; 5 % CO2; OF 98 % (default)
    r = engine.calculate(sub([unit("FL")], [{"unit_id": "FL", "case": "flare_normal", "flare_gas": "100",
                                             "carbon_atoms": "1.2", "co2_fraction": "5"}]))
    cc = F("1.2") * C_PER_E4NM3  # 6.4286 tC/10^4 Nm3
    expected = 100 * (cc * F("0.98") * C + F("0.05") * F("19.7"))  # RF-T1: 2 408.5 tCO2
    assert emission(r, "refining_supplement") == half_up(expected) == Decimal("2408.5000")


def test_accident_flare_rf_t2(engine, half_up):
    rows = [{"unit_id": "FCC", "case": "flare_accident", "accident_flow": "2", "accident_hours": "3"},
            {"unit_id": "FCC", "case": "flare_accident", "accident_flow": "2", "accident_hours": "3", "accident_cn": "3"}]
    r = engine.calculate(sub([unit("FCC", "fcc", coke_burned="1")], rows))
    per = 2 * 3 * F("0.98") * F(44) / F("22.4") * 10
    assert emission(r, "refining_supplement", 0) == half_up(per * 5) == Decimal("577.5000")  # RF-T2, refining CN 5
    assert emission(r, "refining_supplement", 1) == half_up(per * 3) == Decimal("346.5000")  # CN 3


def test_co2_recovery_is_deducted_rf_t7(engine, half_up):
    r = engine.calculate(sub([unit("H2", "hydrogen", feed="50000", feed_cc="0.75")],
                             [{"unit_id": "H2", "case": "co2_recovery", "recovered": "500", "purity": "99"}]))
    assert emission(r, "refining_supplement") == half_up(-500 * F("0.99") * F("19.7")) == Decimal("-9751.5000")
    assert r.totals["process"] == Decimal("137500") - Decimal("9751.5")


def test_oxidized_asphalt_default_is_unverified(engine):
    r = engine.calculate(sub([unit("ASP")], [{"unit_id": "ASP", "case": "asphalt_oxidation", "asphalt": "1000"}]))
    assert emission(r, "refining_supplement") == Decimal("30.0000")  # 1000 t × 0.03 [M]
    assert r.page("refining_supplement").rows[0].prov["asphalt_factor"].verified is False


# -- composition: base + supplement + general ------------------------------------------

def test_form_has_the_three_process_pages_in_order(engine):
    form = engine.form("refining", 2022)
    order = form["x-page-order"]
    roles = [form["properties"]["pages"]["properties"][p]["x-role"] for p in order]
    # the ethylene supplement page and table sit beside the refining ones
    assert roles == ["energy", "energy", "base", "supplement", "supplement", "general", "supplementary", "supplementary"]
    assert order[2:6] == ["refining_units", "refining_supplement", "ethylene_supplement", "general_process"]


def test_cli_form_refining():
    out = CliRunner().invoke(cli, ["form", "refining", "--year", "2022"], catch_exceptions=False)
    assert out.exit_code == 0
    pages = json.loads(out.output)["properties"]["pages"]["properties"]
    assert pages["refining_supplement"]["x-role"] == "supplement"


def test_a_supplement_page_without_a_base_page_is_refused(engine):
    path = ROOT / "rulesets" / "refining" / "refining-2014.yaml"
    rs = parse_ruleset(path.read_text(encoding="utf-8"), str(path))
    general = engine.composition("general", 2022).general
    only_supplement = [p for p in rs.pages if p["role"] == "supplement"]
    with pytest.raises(RulesetError, match="supplement page needs a base page"):
        compose(general, rs, only_supplement)


def test_example_trace_covers_all_three_process_pages(engine):
    s = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    r = engine.calculate(s)
    pages = {n.page for n in engine.trace(r)}
    assert {"refining_units", "refining_supplement", "general_process"} <= pages
    emitted = {e.page for e in r.emissions if e.co2e}
    assert {"refining_units", "refining_supplement", "general_process"} <= emitted
    text = engine.explain(r, "en")
    assert "$.pages.refining_supplement[4].emissions" in text and "$.pages.general_process[0].emissions" in text
    out = CliRunner().invoke(cli, ["explain", str(EXAMPLE), "--lang", "zh"], catch_exceptions=False)
    assert out.exit_code == 0 and "$.pages.refining_supplement[0].emissions" in out.output
    out = CliRunner().invoke(cli, ["calc", str(EXAMPLE)], catch_exceptions=False)
    assert out.exit_code == 0


def test_supplementary_refinery_intensity(engine, half_up):
    s = sub([unit("FCC", "fcc", coke_burned="10000")],
            refining_supplementary=[{"refinery": "R1", "crude": "1000000", "electricity": "1000", "heat_consumed": "500"}])
    r = engine.calculate(s)
    v = r.page("refining_supplementary").summaries[0]["values"]
    total = F(str(half_up(10000 * F("0.98") * C))) + F(str(half_up(1000 * F("0.5703")))) + F(str(half_up(500 * F("0.11"))))
    assert v["total_co2"] == half_up(total)
    assert v["per_t_crude"] == half_up(F(str(half_up(total))) / 1000000)


def test_supplementary_second_refinery_is_a_finding(engine, refused_places):
    """1.1 and 1.2 are the enterprise's page totals, so a second refinery row would get them again.

    With two rows each refinery used to show fuel + process of the whole enterprise (the FCC's
    10 000 × 98 % × 44/12 = 35 933.3333 tCO2 twice); now the second row is refused with a finding.
    """
    rows = [{"refinery": "R1", "crude": "1000000", "electricity": "1000", "heat_consumed": "500"},
            {"refinery": "R2", "crude": "2000000", "electricity": "1000", "heat_consumed": "500"}]
    s = sub([unit("FCC", "fcc", coke_burned="10000")], refining_supplementary=rows)
    assert refused_places(s) == {("out_of_range", "$.pages.refining_supplementary.summaries.one_refinery.refineries")}
    s["pages"]["refining_supplementary"] = rows[:1]
    r = engine.calculate(s)
    assert r.page("refining_supplementary").summaries[1]["values"]["refineries"] == 1


# -- bad input -------------------------------------------------------------------------

def test_supplement_unit_unknown_to_the_base_page(engine, refused_places):
    got = refused_places(sub([unit("FCC", "fcc", coke_burned="1")],
                               [{"unit_id": "FCC-9", "case": "asphalt_oxidation", "asphalt": "10"}]))
    assert got == {("unknown_reference", "$.pages.refining_supplement[0].unit_id")}


def test_supplement_without_any_base_rows(engine, refused_places):
    got = refused_places(sub([], [{"unit_id": "X", "case": "asphalt_oxidation", "asphalt": "10"}]))
    assert ("unknown_reference", "$.pages.refining_supplement[0].unit_id") in got


def test_syngas_without_its_carbon_content(engine, refused_places):
    got = refused_places(sub([unit("H2", "hydrogen", feed="100", feed_cc="0.75", syngas="10")]))
    assert ("missing_value", "$.pages.refining_units[0].emissions") in got


def test_negative_carbon_balance(engine, refused_places):
    got = refused_places(sub([unit("CAL", "coke_calcining", green_coke="100", green_cc="0.5",
                                     calcined="100", calcined_cc="0.97")]))
    assert got == {("out_of_range", "$.pages.refining_units[0].emissions")}


def test_duplicate_unit_on_the_base_page(engine, refused_places):
    got = refused_places(sub([unit("A"), unit("A")]))
    assert ("duplicate_row", "$.pages.refining_units[1]") in got


def test_boundary(engine):
    b = engine.boundary("refining", 2022)
    assert any("Supplement page" in i["en"] for i in b["includes"]) and "supplementary" in b


# -- audit: findings for physically impossible supplement rows

def test_carbon_after_batch_regeneration_above_before_is_a_finding(engine, refused_places):
    """Regeneration burns carbon off: 1 % before and 5 % after would give
    100 × 0.99 × (0.01/0.99 − 0.05/0.95) × 44/12 = −15.4386 tCO2, a silent negative emission."""
    got = refused_places(sub([unit("REF")], [{"unit_id": "REF", "case": "batch_regeneration", "catalyst": "100",
                                                 "c_before": "1", "c_after": "5"}]))
    assert got == {("out_of_range", "$.pages.refining_supplement[0].regen_carbon_removed")}


def test_co2_recovered_above_co2_generated_is_a_finding(engine, refused_places):
    """1000 × 10^4 Nm3 × 99 % × 19.7 = 19 503 tCO2 recovered from a refinery that generated none:
    the process total would be −19 503 tCO2 with no finding."""
    s = sub([unit("H2")], [{"unit_id": "H2", "case": "co2_recovery", "recovered": "1000", "purity": "99"}])
    got = refused_places(s)
    assert got == {("out_of_range", "$.pages.refining_supplement.summaries.co2_recovery_check.balance")}
    # Recovering less than the hydrogen unit's 50 000 × 0.75 × 44/12 = 137 500 tCO2 stands (RF-T7).
    s["pages"]["refining_units"] = [unit("H2", "hydrogen", feed="50000", feed_cc="0.75")]
    assert engine.calculate(s).totals["process"] == Decimal("137500") - Decimal("19503")

def test_supplementary_row_1_2_counts_asphalt_and_batch_regeneration_not_flares_or_recovery(engine, half_up):
    """Reference §4.2 (after item 13): 1.2 is believed to hold the process units, asphalt included;
    flaring and CO2 recovery stay in the guideline report only.
    FCC 10 000 t × 98 % × 44/12 = 35 933.3333; asphalt 1000 t × 0.03 = 30; batch regeneration
    100 × 0.92 × (0.08/0.92 − 0.005/0.995) × 44/12 = 27.6382 (RF-T4); the flare and the recovery are left out."""
    s = sub([unit("FCC", "fcc", coke_burned="10000"), unit("ASP"), unit("REF"), unit("FL")],
            [{"unit_id": "ASP", "case": "asphalt_oxidation", "asphalt": "1000"},
             {"unit_id": "REF", "case": "batch_regeneration", "catalyst": "100", "c_before": "8", "c_after": "0.5"},
             {"unit_id": "FL", "case": "flare_normal", "flare_gas": "100", "carbon_atoms": "1.2", "co2_fraction": "5"},
             {"unit_id": "FCC", "case": "co2_recovery", "recovered": "10", "purity": "99"}],
            refining_supplementary=[{"refinery": "R1", "crude": "1000000", "electricity": "0", "heat_consumed": "0"}])
    r = engine.calculate(s)
    b, a = F("0.08"), F("0.005")
    regen = half_up(100 * (1 - b) * (b / (1 - b) - a / (1 - a)) * C)
    expected = half_up(10000 * F("0.98") * C) + Decimal("30.0000") + regen
    assert r.page("refining_supplementary").summaries[0]["values"]["process_co2"] == expected


def test_supplementary_electricity_uses_national_grid_average_whatever_the_entity_factor(engine):
    """Q&A 38-40 (seed 001): entity 1000 MWh × 0.5257 = 525.7; table 1000 MWh × 0.5703 = 570.3 (2022)."""
    s = sub([unit("FCC", "fcc", coke_burned="1")],
            electricity_heat=[{"item": "grid", "carrier": "electricity", "purchased": "1000"}],
            refining_supplementary=[{"refinery": "R1", "crude": "1000", "electricity": "1000", "heat_consumed": "0"}])
    s["parameters"] = {"grid_ef": {"value": "0.5257", "note": "regional factor for the entity report"}}
    r = engine.calculate(s)
    assert r.page("electricity_heat").rows[0].values["emissions"] == Decimal("525.7000")
    assert r.page("refining_supplementary").rows[0].values["electricity_co2"] == Decimal("570.3000")
