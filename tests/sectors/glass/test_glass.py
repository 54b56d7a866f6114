"""Flat-glass plugin: carbonate decomposition, carbon powder, supplementary table, bad input.

Golden figures: shared/reference/sectors-cement-glass-steel.md §5 D (the
researcher's arithmetic [D]) and arithmetic done here with fractions,
independently of the engine.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine.cli.main import cli

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
EXAMPLE = EXAMPLES / "glass-float-two-furnaces-2022.json"


def sub(pages, year=2018):
    return {"sector": "glass", "year": year, "enterprise": {"name": "test"}, "pages": pages}


def to_4dp(q: Fraction) -> Decimal:
    return (Decimal(q.numerator) / Decimal(q.denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def test_one_edition_governs_every_year_from_2013(engine):
    assert [(r.id, r.year_from, r.year_to) for r in engine.rulesets("glass")] == [("glass-2013", 2013, None)]
    assert engine.composition("glass", 2025).ruleset.id == "glass-2013"
    out = CliRunner().invoke(cli, ["rulesets", "--sector", "glass"], catch_exceptions=False)
    assert "glass-2013" in out.output and "2013–" in out.output and "ndrc-glass-2013" in out.output  # GB/T 32151.7 dropped: nothing cited it


def test_carbonates_reference_case_d(engine):
    # Reference §5 D [D]: 100,000 t soda ash × 0.41492 + 80,000 t dolomite × 0.47732
    # + 30,000 t limestone × 0.43971, 100 % purity and calcination = 92,868.9 tCO2.
    r = engine.calculate(sub({"glass_carbonates": [
        {"furnace": "F1", "carbonate": "soda_ash", "quantity": "100000"},
        {"furnace": "F1", "carbonate": "dolomite", "quantity": "80000"},
        {"furnace": "F1", "carbonate": "calcite", "quantity": "30000"}]}))
    assert r.totals["process"] == Decimal("92868.9000")


def test_purity_and_calcination_fraction(engine):
    # Independent arithmetic: 1234.5 t × 97.3 % × 0.47732 × 92 %.
    expected = Fraction("1234.5") * Fraction("0.973") * Fraction("0.47732") * Fraction("0.92")
    r = engine.calculate(sub({"glass_carbonates": [
        {"furnace": "F1", "carbonate": "dolomite", "quantity": "1234.5", "purity": "97.3", "calcination": "92"}]}))
    assert r.page("glass_carbonates").rows[0].values["emissions"] == to_4dp(expected)


def test_calcination_default_is_shown_with_its_citation_in_the_trace(engine):
    # the guideline's formula (6): 100 % where the calcination fraction is not measured (read, confirmed)
    r = engine.calculate(sub({"glass_carbonates": [{"furnace": "F1", "carbonate": "soda_ash", "quantity": "10"}]}))
    node = next(n for n in engine.trace(r) if n.page == "glass_carbonates" and n.id == "emissions")
    calc = next(o for o in node.operands if o.name == "calcination")
    assert calc.kind == "default" and calc.verified is True
    assert "100%" in calc.citation and "公式（6）" in calc.citation
    assert "[UNVERIFIED figure]" not in engine.explain(r, "en")


def test_an_unmeasured_carbon_powder_counts_as_pure_carbon(engine):
    # formula (5): Cc = 100 % where not measured: 100 t × 1 × 44/12 = 366.6667 tCO2
    r = engine.calculate(sub({
        "glass_carbonates": [{"furnace": "F1", "carbonate": "soda_ash", "quantity": "0"}],
        "carbon_powder": [{"furnace": "F1", "quantity": "100"}]}))
    assert r.page("carbon_powder").rows[0].values["emissions"] == to_4dp(Fraction(100) * Fraction(44, 12))


def test_carbon_powder(engine):
    # 100 t × 0.85 tC/t × 44/12 = 311.6667 tCO2 (fraction arithmetic).
    r = engine.calculate(sub({
        "glass_carbonates": [{"furnace": "F1", "carbonate": "soda_ash", "quantity": "0"}],
        "carbon_powder": [{"furnace": "F1", "quantity": "100", "carbon_content": "0.85"}]}))
    assert r.page("carbon_powder").rows[0].values["emissions"] == to_4dp(Fraction(100) * Fraction("0.85") * Fraction(44, 12))


@pytest.mark.parametrize("carbonate", ["ankerite", "other"])
def test_a_carbonate_with_no_factor_is_a_finding(engine, carbonate, refused):
    got = refused(sub({"glass_carbonates": [{"furnace": "F1", "carbonate": carbonate, "quantity": "500"}]}))
    assert [f.code for f in got] == ["missing_value"]
    assert "Emission factor" in got[0].message and got[0].place == "$.pages.glass_carbonates[0].emissions"
    ok = engine.calculate(sub({"glass_carbonates": [{"furnace": "F1", "carbonate": carbonate, "quantity": "500", "ef": "0.45"}]}))
    assert ok.totals["process"] == Decimal("225.0000")


def test_an_unknown_carbonate_is_a_finding(engine, refused):
    got = refused(sub({"glass_carbonates": [{"furnace": "F1", "carbonate": "cullet", "quantity": "500"}]}))
    assert got[0].code == "unknown_choice"


def test_purity_over_100_percent_is_refused(engine, refused):
    got = refused(sub({"glass_carbonates": [{"furnace": "F1", "carbonate": "soda_ash", "quantity": "1", "purity": "101"}]}))
    assert got[0].code == "above_maximum"


def test_example_supplementary_table_per_furnace(engine):
    s = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    r = engine.calculate(s)
    groups = {x["group"]["furnace"]: x["values"] for x in r.page("supplementary_furnaces").summaries}
    f1 = groups["1#熔窑 600t/d"]
    process = sum(row.values["emissions"] for row in r.page("glass_carbonates").rows + r.page("carbon_powder").rows
                  if row.values["furnace"] == "1#熔窑 600t/d")
    assert f1["process_co2"] == process
    assert f1["intensity"] == (f1["total_co2"] / Decimal("201000")).quantize(Decimal("0.0001"))
    # per weight case, in kgCO2 (allocation basis of the flat-glass Q&A source)
    assert f1["intensity_per_case"] == (f1["total_co2"] * 1000 / Decimal("4020000")).quantize(Decimal("0.01"))
    # supplementary electricity at the 2022 national average 0.5703 (seed 003, 环办气候函〔2023〕43号)
    assert r.page("supplementary_furnaces").rows[0].values["electricity_co2"] == Decimal("24500") * Decimal("0.5703")
    assert all(not e.page.startswith("supplementary") for e in r.emissions)


def test_deep_processing_on_the_furnace_table_is_refused(engine, refused):
    s = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    s["pages"]["supplementary_furnaces"].append(
        {"furnace": "镀膜线", "facility": "deep_processing", "glass_output": "0", "weight_cases": "0", "electricity": "900"})
    got = refused(s)
    assert got[0].code == "out_of_range" and got[0].place == "$.pages.supplementary_furnaces[2].in_boundary"


def test_form_and_explain_from_the_cli(engine):
    runner = CliRunner()
    form = json.loads(runner.invoke(cli, ["form", "glass", "--year", "2022"], catch_exceptions=False).output)
    pages = form["properties"]["pages"]["properties"]
    assert pages["glass_carbonates"]["x-role"] == "base"
    assert "ankerite" in [o["const"] for o in form["$defs"]["table_carbonates"]["oneOf"]]
    assert runner.invoke(cli, ["calc", str(EXAMPLE)], catch_exceptions=False).exit_code == 0
    nodes = json.loads(runner.invoke(cli, ["explain", str(EXAMPLE), "--format", "json"], catch_exceptions=False).output)
    places = {n["place"] for n in nodes}
    r = engine.calculate(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    for e in r.emissions:
        if e.category == "process":
            assert f"$.pages.{e.page}[{e.row}].{e.formula}" in places
