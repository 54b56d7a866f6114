"""Civil aviation (民航): the bundled example against hand arithmetic from the guideline's formulas
(2)-(7) and its Appendix 2 tables 2.1 and 2.2 (exact fractions, rounded half up to 4 decimals as
the ruleset rounds); the refusal of an unconfirmed default; the plugin as a third party writes one;
its Excel template and its web form."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction as F
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine import load_document
from mrv_engine.cli.main import cli

ROOT = Path(__file__).resolve().parents[3]

# Appendix 2 table 2.1 of the guideline, as printed: NCV kJ/kg (gases kJ/m3), carbon tC/TJ, oxidation.
JET = (F(44100), F("19.5"), F(1))
AVGAS = (F(44300), F("19.1"), F(1))
DIESEL = (F(42652), F("20.2"), F("0.98"))
NATURAL_GAS = (F(38931), F("15.3"), F("0.99"))


def by_hand(quantity, ncv, cc, of, quantity_unit=1000):
    """Formulas (3), (5), (2): quantity (t, or 10^4 m3 with quantity_unit 10000) × NCV (kJ per kg or m3)
    × 10⁻⁶ → TJ (a t is 1000 kg: t × kJ/kg × 10⁻⁶ = TJ as the guideline writes it, i.e. kJ × 10⁻⁹);
    × carbon per TJ × oxidation × 44/12."""
    tj = F(quantity) * quantity_unit * ncv / 10**9
    return tj * cc * of * F(44, 12)


def test_bundled_example_by_hand(engine, example, half_up):
    r = engine.calculate(example("aviation-2022.json"))
    flight = [row.values["emissions"] for row in r.page("aviation_flight").rows]
    # 120000 t jet kerosene: 120000 × 44100 × 10⁻⁶ = 5292 TJ × 19.5 × 1 × 44/12 (= 71.5) = 378378 tCO2
    assert flight[0] == half_up(by_hand(120000, *JET)) == Decimal("378378.0000")
    # 80000 t international: 3528 TJ × 71.5 = 252252 tCO2
    assert flight[1] == half_up(by_hand(80000, *JET)) == Decimal("252252.0000")
    # 150 t aviation gasoline: 6.645 TJ × 19.1 × 44/12 = 465.3715 tCO2 exactly
    assert flight[2] == half_up(by_hand(150, *AVGAS)) == Decimal("465.3715")
    ground = r.page("aviation_ground").rows
    # diesel 500 t: 21.326 TJ × 20.2 × 0.98 × 44/12 = 1547.95481866… → 1547.9548
    assert ground[0].values["emissions"] == half_up(by_hand(500, *DIESEL)) == Decimal("1547.9548")
    # natural gas 120 × 10^4 m3 × 38931 kJ/m3 = 46.7172 TJ × 15.3 × 0.99 × 44/12 = 2594.6265…6 → 2594.6266
    assert ground[1].values["emissions"] == half_up(by_hand(120, *NATURAL_GAS, quantity_unit=10000)) == Decimal("2594.6266")
    # biomass blend, formula (4): 1000 t × 44.0 GJ/t × (1 − 10 %) = 39.6 TJ × 71.5 = 2831.4; biomass part 314.6 apart
    blend = r.page("aviation_biofuel").rows[0].values
    assert blend["emissions"] == half_up(F(1000) * 44 * F(9, 10) / 1000 * F("19.5") * F(44, 12)) == Decimal("2831.4000")
    assert blend["biomass_co2"] == Decimal("314.6000")
    # formulas (6), (7): 30000 MWh × 0.5703 (2022 national average) + 5000 GJ × 0.11 (table 2.2)
    assert r.totals["energy_indirect"] == half_up(30000 * F("0.5703")) + half_up(5000 * F("0.11")) == Decimal("17659.0000")
    # formula (1): every counted figure; the blend's biomass part and the supplementary tables are not
    mobile = Decimal("378378.0000") + Decimal("252252.0000") + Decimal("465.3715") + Decimal("2831.4000") + Decimal("1547.9548")
    assert r.totals["energy_direct_mobile"] == mobile == Decimal("635474.7263")
    assert r.totals["energy_direct_stationary"] == Decimal("2594.6266")
    assert r.total == mobile + Decimal("2594.6266") + Decimal("17659.0000") == Decimal("655728.3529")
    assert r.unverified_used() == []  # every figure it used is printed in the guideline (or the 2022 national factor)


def test_the_airline_table_and_its_tonne_km_intensity(engine, example, half_up):
    r = engine.calculate(example("aviation-2022.json"))
    table = r.page("aviation_airline_table")
    (summary,) = table.summaries
    # class 1 20000 t → 882 TJ × 71.5 = 63063; class 2 100000 t → 315315; 378378 tCO2 over 180000 × 10^4 t·km
    assert [row.values["co2"] for row in table.rows] == [Decimal("63063.0000"), Decimal("315315.0000")]
    assert summary["values"]["total_co2"] == Decimal("378378.0000")
    # 378378 t / 1.8 × 10^9 t·km = 0.00021021 t/t·km = 0.21021 kg → 0.2102 kgCO2/(t·km)
    assert summary["values"]["co2_per_tkm"] == half_up(F(378378 * 1000, 1_800_000_000)) == Decimal("0.2102")
    # its own boundary: the domestic jet kerosene of the flight page (120000 t), never added to the totals
    assert summary["values"]["total_fuel"] == 120000


def test_a_report_resting_on_an_unconfirmed_grid_factor_is_refused(refused, example):
    sub = example("aviation-2022.json")
    sub["year"] = 2018  # 2013-2021: the East China regional average (0.7035), recalled, not read
    (finding,) = [f for f in refused(sub) if f.code == "unverified_default"]
    assert finding.place == "$.parameters.grid_ef" and finding.severity == "error"
    assert "0.7035" in finding.message and "not confirmed" in finding.message
    assert "未经文件原文确认" in finding.message_zh and "$.parameters.grid_ef" in finding.message_zh
    assert "问题26" in finding.citation


def test_the_submission_supplying_the_factor_is_calculated(engine, example, half_up):
    sub = example("aviation-2022.json")
    sub["year"] = 2018
    sub["parameters"] = {"grid_ef": {"value": "0.7035", "note": "华东区域电网 2012 年平均排放因子"}}
    r = engine.calculate(sub)
    assert r.params["grid_ef"].origin == "submission"
    assert r.totals["energy_indirect"] == half_up(30000 * F("0.7035")) + Decimal("550.0000") == Decimal("21655.0000")
    assert "华东区域电网 2012 年平均排放因子" in engine.explain(r, lang="zh")


def test_an_unconfirmed_table_default_is_refused_at_its_field(engine, refused):
    """The check refuses at the row's field too: a ruleset of the same sector with an unconfirmed row
    (here the host's general fuel table is unconfirmed; the aviation table is not, so the refusal is
    shown through the public check on a result of the general sector)."""
    from mrv_engine.plugin import refuse_unverified_defaults

    sub = {"sector": "general", "year": 2022, "pages": {"fuel_combustion": [
        {"source_name": "锅炉", "kind": "stationary", "fuel": "diesel", "consumption": "10"}]}}
    r = engine.calculate(sub)
    found = list(refuse_unverified_defaults(r))
    places = sorted(f["place"] for f in found)
    # diesel's NCV, carbon content and oxidation rate are unconfirmed rows of the general table
    assert places == ["$.pages.fuel_combustion[0].cc", "$.pages.fuel_combustion[0].ncv", "$.pages.fuel_combustion[0].of"]
    assert all("tables.fuels.diesel" in f["message"] for f in found)
    # measured figures given: nothing left to refuse
    sub["pages"]["fuel_combustion"][0].update({"ncv": "42.652", "cc": "0.0202", "of": "0.98"})
    assert list(refuse_unverified_defaults(engine.calculate(sub))) == []


def test_the_blend_ncv_and_biomass_share_have_no_default(refused):
    sub = {"sector": "aviation", "year": 2022, "pages": {"aviation_biofuel": [
        {"blend": "SAF", "blend_leg": "domestic", "fossil_fuel": "jet_kerosene", "blend_consumption": "10"}]}}
    codes = {(f.code, f.place) for f in refused(sub)}
    assert ("required", "$.pages.aviation_biofuel[0].blend_ncv") in codes
    assert ("required", "$.pages.aviation_biofuel[0].bio_share") in codes


def test_the_plugin_is_written_as_a_third_party_would_write_it():
    source = (ROOT / "plugins" / "aviation" / "__init__.py").read_text(encoding="utf-8")
    imported = set(re.findall(r"^(?:from|import) (mrv_engine\S*)", source, re.MULTILINE))
    assert imported == {"mrv_engine.plugin"}
    assert "resources.files(__name__)" in source  # its rulesets ship in its own package
    assert (ROOT / "plugins" / "aviation" / "rulesets" / "aviation-2013.yaml").is_file()


def test_every_figure_is_confirmed_from_the_guideline(engine):
    (rs,) = engine.rulesets(sector="aviation")
    assert rs.unverified() == []
    assert rs.path == "plugins/aviation/rulesets/aviation-2013.yaml"  # the same on every machine


def test_cli_sectors_and_calc(examples_dir):
    out = CliRunner().invoke(cli, ["sectors"])
    assert re.search(r"^aviation\s+ok\s+民用航空\s+\[aviation-2013\]", out.output, re.MULTILINE)
    out = CliRunner().invoke(cli, ["calc", str(examples_dir / "aviation-2022.json"), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["totals"]["total_co2e"] == "655728.3529"


def test_the_excel_template_is_filled_and_calculated(tmp_path, engine, examples_dir):
    """`mrv template aviation --year 2022` gives the blank form; filled from the example it reads back
    as the example and calculates to the same total."""
    blank = tmp_path / "blank.xlsx"
    run = CliRunner().invoke(cli, ["template", "aviation", "--year", "2022", "-o", str(blank)])
    assert run.exit_code == 0, run.output
    from openpyxl import load_workbook

    sheets = load_workbook(blank, read_only=True).sheetnames
    assert any("运输飞行" in s or "aviation_flight" in s for s in sheets), sheets
    filled = tmp_path / "filled.xlsx"
    run = CliRunner().invoke(cli, ["template", "aviation", "--from", str(examples_dir / "aviation-2022.json"), "-o", str(filled)])
    assert run.exit_code == 0, run.output
    back, _ = load_document(filled)
    assert engine.calculate(back).total == Decimal("655728.3529")


@pytest.mark.parametrize("sector", ["aviation", "grid", "chemicals"])
def test_the_web_form_of_the_new_sectors(service_app, sector):
    """The service's form (what the web page renders) of each sector of issue 20, in both languages."""
    from fastapi.testclient import TestClient

    client = TestClient(service_app)
    for lang in ("zh", "en"):
        got = client.get(f"/forms/{sector}", params={"year": 2022, "lang": lang})
        assert got.status_code == 200, got.text
        assert got.json()["x-page-order"]
