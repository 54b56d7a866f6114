"""Cement plugin: rule versions, golden figures, supplementary table, bad input.

Golden figures come from shared/reference/sectors-cement-glass-steel.md §5
(the researcher's own arithmetic [D], not a source-stated result) or from
arithmetic done here with fractions, independently of the engine; each test
says which.
"""

from __future__ import annotations

import copy
import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine.cli.main import cli
from mrv_engine.core.base.errors import SelectionError

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def emission(result, page, row=0, formula="emissions"):
    return result.page(page).rows[row].values[formula]


def summary(result, page, sid, **group):
    for s in result.page(page).summaries:
        if s["summary"] == sid and s["group"] == group:
            return s["values"]
    raise KeyError((page, sid, group))


def to_4dp(q: Fraction) -> Decimal:
    """A fraction rounded half up to 4 decimals, computed outside the engine."""
    return (Decimal(q.numerator) / Decimal(q.denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def d1(pages, year=2020, **extra):
    return {"sector": "cement", "year": year, "enterprise": {"name": "test"}, "pages": pages, **extra}


# -- rule versions ------------------------------------------------------------------

def test_editions_and_selection_by_year(engine):
    ids = [(r.id, r.year_from, r.year_to) for r in engine.rulesets("cement")]
    assert ids == [("cement-2013", 2013, 2021), ("cement-2022", 2022, 2023), ("cement-2024", 2024, None)]
    assert engine.composition("cement", 2021).ruleset.id == "cement-2013"
    assert engine.composition("cement", 2022).ruleset.id == "cement-2022"
    assert engine.composition("cement", 2023).ruleset.id == "cement-2022"
    assert engine.composition("cement", 2024).ruleset.id == "cement-2024"
    with pytest.raises(SelectionError):
        engine.composition("cement", 2012)


def test_cli_rulesets_lists_years_and_sources():
    out = CliRunner().invoke(cli, ["rulesets", "--sector", "cement", "--lang", "en", "--wide"], catch_exceptions=False)
    assert out.exit_code == 0
    assert "cement-2013" in out.output and "2013–2021" in out.output
    assert "cement-2022" in out.output and "2022–2023" in out.output and "填报说明 水泥熟料生产" in out.output
    assert "cement-2024" in out.output and "2024–" in out.output
    assert "CETS-AG-02.01-V01-2024" in out.output
    assert "unverified figures" in out.output
    data = json.loads(CliRunner().invoke(cli, ["rulesets", "--sector", "cement", "--format", "json"]).output)
    d7 = next(r for r in data if r["id"] == "cement-2024")
    assert "tables.clinker_types.portland" in d7["unverified"]


def test_form_is_the_composed_json_schema(engine):
    out = CliRunner().invoke(cli, ["form", "cement", "--year", "2022"], catch_exceptions=False)
    assert out.exit_code == 0
    schema = json.loads(out.output)
    order = schema["x-page-order"]
    # host energy pages, sector base pages, host general page, then supplementary tables
    assert order[:2] == ["fuel_combustion", "electricity_heat"]
    assert order.index("clinker_process") < order.index("general_process") < order.index("supplementary_lines")
    pages = schema["properties"]["pages"]["properties"]
    assert pages["clinker_process"]["x-role"] == "base"
    assert pages["supplementary_lines"]["x-role"] == "supplementary"
    cao = pages["clinker_process"]["items"]["properties"]["cao"]
    assert (cao["type"], cao["minimum"], cao["maximum"], cao["x-unit"]) == ("number", 0, 100, "%")  # a percentage, 0-100
    assert "x-category" not in pages["supplementary_lines"]["x-computed"]["electricity_co2"]
    later = engine.form("cement", 2024)["properties"]["pages"]["properties"]
    assert "clinker_type" in later["clinker_process"]["items"]["properties"]
    assert "raw_meal_carbon" not in later and "substitute_materials" in later


# -- 2013 guideline: golden figures ---------------------------------------------------

def test_clinker_decomposition_reference_case_b(engine):
    # Reference §5 B [D]: 1e6 t clinker, CaO 65 % (1 % non-carbonate), MgO 2 %
    # -> 1e6 × (0.64 × 44/56 + 0.02 × 44/40) = 524,857.14 tCO2.
    r = engine.calculate(d1({"clinker_process": [
        {"line": "K1", "clinker": "1000000", "cao": "65", "cao_nc": "1", "mgo": "2"}]}))
    assert emission(r, "clinker_process") == Decimal("524857.1429")
    assert r.totals["process"] == Decimal("524857.1429")


def test_raw_meal_non_fuel_carbon_reference_case_b(engine):
    # Reference §5 B [D]: 1,550,000 t raw meal at 0.2 % -> 11,366.67 tCO2.
    r = engine.calculate(d1({
        "clinker_process": [{"line": "K1", "clinker": "1", "cao": "0", "mgo": "0"}],
        "raw_meal_carbon": [{"line": "K1", "raw_meal": "1550000", "toc": "0.002"}]}))
    assert round(emission(r, "raw_meal_carbon"), 2) == Decimal("11366.67")


def test_kiln_and_bypass_dust_count_with_clinker(engine):
    # Independent arithmetic (fractions, not the engine): (clinker + dust) × factor.
    factor = Fraction("0.6320") * Fraction(44, 56) + Fraction("0.0190") * Fraction(44, 40)
    expected = (1550000 + 3200 + 800) * factor
    r = engine.calculate(d1({"clinker_process": [
        {"line": "K1", "clinker": "1550000", "kiln_dust": "3200", "bypass_dust": "800",
         "cao": "64.00", "cao_nc": "0.80", "mgo": "2.00", "mgo_nc": "0.10"}]}))
    assert emission(r, "clinker_process") == to_4dp(expected)


def test_alternative_fuel_counts_only_fossil_carbon_as_energy(engine):
    # 1000 t × 30 GJ/t × 0.08 tCO2/GJ × 60 % = 1440 tCO2, energy (combustion), not process.
    r = engine.calculate(d1({
        "clinker_process": [{"line": "K1", "clinker": "1", "cao": "0", "mgo": "0"}],
        "alternative_fuels": [{"line": "K1", "fuel_name": "废塑料", "quantity": "1000", "ncv": "30", "ef": "0.08", "fossil_fraction": "60"}]}))
    assert emission(r, "alternative_fuels") == Decimal("1440.0000")
    assert r.totals["energy_direct_stationary"] == Decimal("1440.0000")
    assert r.totals["process"] == Decimal("0.0000")


def test_alternative_fuel_defaults_of_table_2_4(engine, refused_places):
    # The 2013 cement guideline's Appendix 2 Table 2.4 prints waste tyres at 31.4 GJ/t,
    # 0.085 tCO2/GJ and 20 % fossil carbon: 1000 t × 31.4 × 0.085 × 20 % = 533.8 tCO2.
    pages = {"clinker_process": [{"line": "K1", "clinker": "1", "cao": "0", "mgo": "0"}],
             "alternative_fuels": [{"line": "K1", "fuel_name": "废轮胎", "fuel": "waste_tyres", "quantity": "1000"}]}
    r = engine.calculate(d1(pages))
    assert emission(r, "alternative_fuels") == to_4dp(Fraction(1000) * Fraction("31.4") * Fraction("0.085") * Fraction(20, 100))
    assert emission(r, "alternative_fuels") == Decimal("533.8000")
    assert r.page("alternative_fuels").rows[0].prov["ef"].verified is True
    # a waste outside the table has no default: every figure must be given
    pages["alternative_fuels"][0].update(fuel="other", fuel_name="污泥")
    assert ("missing_value", "$.pages.alternative_fuels[0].emissions") in refused_places(d1(pages))


def test_general_page_takes_carbonates_outside_the_kiln(engine):
    # 1000 t limestone at 90 % × 0.43971 (IPCC Table 2.1) = 395.739 tCO2.
    r = engine.calculate(d1({
        "clinker_process": [{"line": "K1", "clinker": "1", "cao": "0", "mgo": "0"}],
        "general_process": [{"item": "脱硫石灰石", "method": "carbonate", "carbonate": "calcite", "quantity": "1000", "purity": "0.9"}]}))
    assert emission(r, "general_process") == Decimal("395.7390")
    assert r.totals["process"] == Decimal("395.7390")


# -- 2024 guideline -----------------------------------------------------------------

def test_default_clinker_factor_minus_deduction_reference_case_c(engine):
    # Reference §5 C [D]: 1e6 t Portland clinker × 0.535 − 50,000 t carbide slag × 0.480 = 511,000.
    r = engine.calculate(d1({
        "clinker_process": [{"line": "K1", "clinker_type": "portland", "clinker": "1000000"}],
        "substitute_materials": [{"line": "K1", "material": "carbide_slag", "quantity": "50000"}]}, year=2024))
    assert r.comp.ruleset.id == "cement-2024"
    assert r.totals["process"] == Decimal("511000.0000")
    assert summary(r, "substitute_materials", "line", line="K1")["net_process"] == Decimal("511000.0000")
    text = engine.explain(r, "en")
    assert "0.535 tCO2/t" in text and "[UNVERIFIED figure]" in text


def test_deductions_larger_than_process_emissions_are_refused(engine, refused):
    got = refused(d1({
        "clinker_process": [{"line": "K1", "clinker_type": "portland", "clinker": "1000"}],
        "substitute_materials": [{"line": "K1", "material": "calcium_hydroxide", "quantity": "5000"}]}, year=2024))
    assert [f.code for f in got] == ["out_of_range"]
    assert "net_process" in got[0].place and "deductions exceed" in got[0].message


def test_substitute_material_without_coefficient_is_a_finding(engine, refused):
    got = refused(d1({
        "clinker_process": [{"line": "K1", "clinker_type": "portland", "clinker": "1000"}],
        "substitute_materials": [{"line": "K1", "material": "other", "quantity": "10"}]}, year=2024))
    assert got[0].code == "missing_value" and "Deduction coefficient" in got[0].message


# -- supplementary table -------------------------------------------------------------

def load(name):
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def test_example_runs_and_purchased_clinker_is_flagged_not_diluted(engine):
    sub = load("cement-two-kilns-2022.json")
    r = engine.calculate(sub)
    ent = summary(r, "supplementary_enterprise", "enterprise")
    assert ent["purchased"] == Decimal("120000")
    assert ent["benchmark_unchanged"] == Decimal("0")
    line = summary(r, "supplementary_lines", "line", line="1#线 5000t/d")
    # The intensity rests on the line's own clinker only, never own + purchased.
    assert line["clinker"] == Decimal("1550000")
    assert line["intensity"] == (line["total_co2"] / Decimal("1550000")).quantize(Decimal("0.0001"))
    # Supplementary figures never count in the report's totals.
    assert all(e.page not in ("supplementary_lines", "supplementary_fuels") for e in r.emissions)
    no_purchase = copy.deepcopy(sub)
    no_purchase["pages"]["supplementary_enterprise"] = [{"cement_output": "3000000"}]
    r2 = engine.calculate(no_purchase)
    assert summary(r2, "supplementary_enterprise", "enterprise")["benchmark_unchanged"] == Decimal("1")


def test_a_plant_that_only_buys_clinker_gets_no_clinker_intensity(engine, refused):
    sub = d1({
        "clinker_process": [{"line": "K1", "clinker": "0", "cao": "65", "mgo": "2"}],
        "supplementary_lines": [{"line": "K1", "facility": "clinker_line", "clinker_output": "0", "electricity": "10"}],
        "supplementary_enterprise": [{"purchased_clinker": "500000", "cement_output": "650000"}]}, year=2022)
    got = refused(sub)
    assert got[0].code == "out_of_range"
    assert "only buys clinker" in got[0].message


def test_supplementary_electricity_uses_national_grid_average_whatever_the_entity_factor(engine):
    # Q&A 40: the legal-entity report may use a regional factor; the table uses the national one.
    sub = d1({
        "electricity_heat": [{"item": "grid", "carrier": "electricity", "purchased": "1000"}],
        "clinker_process": [{"line": "K1", "clinker": "1000", "cao": "65", "mgo": "2"}],
        "supplementary_lines": [{"line": "K1", "facility": "clinker_line", "clinker_output": "1000", "electricity": "1000"}]},
        year=2022, parameters={"grid_ef": {"value": "0.5257", "note": "regional factor for the entity report"}})
    r = engine.calculate(sub)
    assert emission(r, "electricity_heat") == Decimal("525.7000")
    assert r.page("supplementary_lines").rows[0].values["electricity_co2"] == Decimal("570.3000")


def test_supplementary_factor_of_an_unknown_year_must_be_supplied(engine, refused):
    sub = load("cement-clinker-default-2024.json")
    del sub["parameters"]["national_grid_ef"]
    got = refused(sub)
    assert any("national_grid_ef" in f.message and "2024" in f.message for f in got)


def test_a_facility_outside_the_boundary_carrying_data_is_refused(engine, refused):
    sub = load("cement-two-kilns-2022.json")
    sub["pages"]["supplementary_lines"].append(
        {"line": "水泥磨", "facility": "cement_grinding", "clinker_output": "0", "electricity": "52000"})
    got = refused(sub)
    assert got[0].code == "out_of_range"
    assert got[0].place == "$.pages.supplementary_lines[2].in_boundary"
    assert "outside" in got[0].message


# -- bad input ------------------------------------------------------------------------

@pytest.mark.parametrize("cao", ["120", {"value": "1.2", "unit": "1"}])
def test_cao_over_100_percent_is_refused(engine, cao, refused):
    got = refused(d1({"clinker_process": [{"line": "K1", "clinker": "1000", "cao": cao, "mgo": "2"}]}))
    assert [f.code for f in got] == ["above_maximum"]
    assert got[0].place == "$.pages.clinker_process[0].cao"


def test_non_carbonate_cao_above_total_cao_is_refused(engine, refused):
    got = refused(d1({"clinker_process": [{"line": "K1", "clinker": "1000", "cao": "60", "cao_nc": "61", "mgo": "2"}]}))
    assert got[0].code == "out_of_range" and got[0].place.endswith("cao_carbonate")


def test_raw_meal_carbon_has_no_silent_default(engine, refused):
    got = refused(d1({
        "clinker_process": [{"line": "K1", "clinker": "1000", "cao": "60", "mgo": "2"}],
        "raw_meal_carbon": [{"line": "K1", "raw_meal": "1500"}]}))
    assert got[0].code == "required" and got[0].place.endswith("toc")


def test_raw_meal_of_a_line_not_on_the_base_page_is_refused(engine, refused):
    got = refused(d1({
        "clinker_process": [{"line": "K1", "clinker": "1000", "cao": "60", "mgo": "2"}],
        "raw_meal_carbon": [{"line": "K9", "raw_meal": "1500", "toc": "0.002"}]}))
    assert got[0].code == "unknown_reference"


# -- examples through the CLI --------------------------------------------------------

@pytest.mark.parametrize("name", ["cement-two-kilns-2022.json", "cement-clinker-default-2024.json"])
def test_examples_calc_and_explain_every_process_figure(engine, name):
    path = str(EXAMPLES / name)
    runner = CliRunner()
    calc = runner.invoke(cli, ["calc", path, "--lang", "en"], catch_exceptions=False)
    assert calc.exit_code == 0, calc.output
    explain = runner.invoke(cli, ["explain", path, "--format", "json"], catch_exceptions=False)
    assert explain.exit_code == 0
    places = {n["place"]: n for n in json.loads(explain.output)}
    r = engine.calculate(load(name))
    process = [e for e in r.emissions if e.category == "process"]
    assert process
    for e in process:
        node = places[f"$.pages.{e.page}[{e.row}].{e.formula}"]
        assert node["operands"] and node["citation"]


def test_explain_keeps_labels_that_contain_another_operands_name(engine):
    # The clinker-factor label contains the word "clinker", which is also an operand name.
    r = engine.calculate(d1({"clinker_process": [{"line": "K1", "clinker": "1000", "cao": "65", "mgo": "2"}]}))
    text = engine.explain(r, "en")
    assert "× Carbonate CO2 per tonne of clinker = (1000 t" in text


@pytest.mark.parametrize("sector,year,word", [("cement", 2022, "clinker production line"), ("cement", 2024, "clinker production line"),
                                              ("glass", 2022, "melting furnace"), ("steel", 2022, "coking")])
def test_boundary_hook_says_what_is_in_and_out(engine, sector, year, word):
    b = engine.boundary(sector, year)
    assert b["entity"]["en"] and b["includes"] and b["excludes"]
    assert word in b["supplementary"]["en"] and "national grid average" in b["supplementary"]["en"]


def test_selling_more_clinker_than_made_is_refused_not_a_negative_share(engine, refused):
    # own 1000 t, purchased 5000 t, sold 3000 t: consumed = 1000 + 5000 − 3000 = 3000 t, and the
    # share (1000 − 3000) / 3000 = −66.67 % used to be reported as a figure.
    pages = {"clinker_process": [{"line": "K1", "clinker": "1000", "cao": "65", "mgo": "2"}],
             "supplementary_lines": [{"line": "K1", "facility": "clinker_line", "clinker_output": "1000", "electricity": "10"}],
             "supplementary_enterprise": [{"purchased_clinker": "5000", "clinker_sold": "3000"}]}
    got = refused(d1(pages, year=2022))
    assert [f.code for f in got] == ["out_of_range"] and got[0].place.endswith("own_share")
    # own 1000, purchased 500, sold 200: (1000 − 200) / (1000 + 500 − 200) = 800 / 1300 = 61.538… → 61.54 %.
    pages["supplementary_enterprise"] = [{"purchased_clinker": "500", "clinker_sold": "200"}]
    r = engine.calculate(d1(pages, year=2022))
    assert summary(r, "supplementary_enterprise", "enterprise")["own_share"] == Decimal("61.54")


def test_2024_line_table_describes_the_2024_process_items_not_raw_meal_carbon(engine):
    # cement-2024 has no raw-meal carbon page; its line help used to list that item (copied from 2013).
    from mrv_engine.maintain import sector_docs
    text = sector_docs(engine, "cement")["cement-2024.md"]
    assert "raw-meal carbon" not in text and "生料非燃料碳" not in text
    assert "after substitute-material deductions" in text
