"""Iron & steel plugin: carbon balance, golden figures, supplementary routes, bad input.

Golden figures: shared/reference/sectors-cement-glass-steel.md §5 A (a public
demo dataset whose stated subtotals are reproduced with row-level 2-decimal
rounding: source-stated results, used for arithmetic only, its factors supplied
as measured values), E and F (the researcher's arithmetic [D]).
"""

from __future__ import annotations

import copy
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine.cli.main import cli
from mrv_engine.core.base.errors import SelectionError

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "steel-integrated-bf-bof-eaf-2022.json"


def sub(pages, year=2020):
    return {"sector": "steel", "year": year, "enterprise": {"name": "test"}, "pages": pages}


def row(item, material, quantity, ef=None, route="bf_bof"):
    r = {"route": route, "material": material, "item": item, "quantity": quantity, "method": "factor"}
    if ef is not None:
        r["ef"] = ef
    return r


def dp2(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_editions_by_year_and_before_2013_refused(engine):
    assert [(r.id, r.year_from, r.year_to) for r in engine.rulesets("steel")] == [
        ("steel-2013", 2013, 2021), ("steel-2022", 2022, 2023), ("steel-2024", 2024, None)]
    assert engine.composition("steel", 2023).ruleset.id == "steel-2022"
    assert engine.composition("steel", 2024).ruleset.id == "steel-2024"  # refused before the 2025 guideline's edition
    assert engine.composition("steel", 2030).ruleset.id == "steel-2024"
    with pytest.raises(SelectionError) as exc:
        engine.composition("steel", 2012)
    assert "steel-2013 (2013–2021)" in str(exc.value)
    out = CliRunner().invoke(cli, ["rulesets", "--sector", "steel"], catch_exceptions=False)
    assert "steel-2013" in out.output and "2013–2021" in out.output and "ndrc-steel-2013" in out.output  # GB/T 32151.5 dropped: nothing cited it
    assert "steel-2024" in out.output and "2024–" in out.output and "CETS-AG-03.01-V01-2024" in out.output


def test_d3_process_balance_reference_case_e(engine):
    # Reference §5 E [D]: 100,000 t limestone × 0.440 + 50,000 t dolomite × 0.471
    # + 2,000 t electrodes × 3.663 + 20,000 t pig iron × 0.172 − 1,000,000 t crude steel × 0.0154 = 62,916.
    r = engine.calculate(sub({
        "steel_inputs": [row("", "limestone", "100000"), row("", "dolomite", "50000"),
                         row("", "electrode", "2000", route="eaf"), row("", "pig_iron", "20000", route="eaf")],
        "steel_outputs": [row("", "crude_steel", "1000000")]}))
    assert r.totals["process"] == Decimal("62916.0000")
    bal = r.page("steel_outputs").summaries[0]["values"]
    assert bal["carbon_in"] == Decimal("78316.0000") and bal["carbon_out"] == Decimal("15400.0000")


def test_fuel_reference_case_f(engine):
    # Reference §5 F [D]: 100,000 t coke × 28.447 GJ/t × 0.02950 tC/GJ × 0.93 × 44/12 = 286,162.60.
    r = engine.calculate(sub({"fuel_combustion": [
        {"source_name": "BF", "kind": "stationary", "method": "carbon_content", "fuel": "coke",
         "consumption": "100000", "ncv": "28.447"}]}))
    assert dp2(r.totals["energy_direct_stationary"]) == Decimal("286162.60")


def test_demo_dataset_reference_case_a(engine):
    # Reference §5 A: stated fuel 1,229,176.10; process 32,394.60; carbon-bearing products
    # 47,513.21; total 1,214,057.49 tCO2 (oxidation rate 1, row figures rounded to 2 dp).
    fuels = [("anthracite", "2317.68", "25.024", "0.02749"), ("bituminous", "120188.43", "23.736", "0.02618"),
             ("washed_coal", "300810.90", "26.344", "0.02541"), ("coke", "66522.44", "28.435", "0.02942"),
             ("coke_oven_gas", "920.50", "173.854", "0.0121")]
    s = sub({
        "fuel_combustion": [{"source_name": f, "kind": "stationary", "method": "carbon_content", "fuel": f,
                             "consumption": q, "ncv": n, "cc": c, "of": "1"} for f, q, n, c in fuels],
        "steel_inputs": [row("高碳铬铁", "other", "312.00", "0.348"), row("微碳锰铁", "other", "1256.54", "0.004"),
                         row("电炉高碳锰铁", "other", "1301.32", "0.275"), row("锰硅合金", "other", "6181.94", "0.092"),
                         row("硅铁", "other", "1798.22", "0.007"), row("钼铁", "ferro_molybdenum", "20.54"),
                         row("镍铁", "ferro_nickel", "0"), row("废钢", "other", "55461.56", "0.037"),
                         row("生铁", "pig_iron", "9867.76"), row("电极", "electrode", "371.22"),
                         row("白云石", "dolomite", "53361.58", "0.476"), row("石灰石", "limestone", "1891.38")],
        "steel_outputs": [row("粗钢", "crude_steel", "595279.00", "0.037"), row("粗苯", "other", "1878.22", "3.382"),
                          row("煤焦油", "other", "7089.94", "2.699")]}, year=2021)
    r = engine.calculate(s)

    def page_2dp(page):
        return sum(dp2(x.values["emissions"]) for x in r.page(page).rows)

    assert page_2dp("fuel_combustion") == Decimal("1229176.10")
    assert page_2dp("steel_inputs") == Decimal("32394.60")
    assert page_2dp("steel_outputs") == Decimal("-47513.21")
    assert dp2(r.total) == Decimal("1214057.49")


def test_carbon_content_method(engine):
    # 1000 t at 4 % carbon × 44/12 = 146.6667 tCO2
    r = engine.calculate(sub({"steel_inputs": [
        {"route": "eaf", "material": "other", "item": "废钢", "quantity": "1000", "method": "carbon_content", "carbon_content": "0.04"}]}))
    assert r.totals["process"] == Decimal("146.6667")


def test_carbon_leaving_more_than_entering_is_refused(engine, refused):
    got = refused(sub({
        "steel_inputs": [row("", "limestone", "1000")],
        "steel_outputs": [row("", "methanol", "1000")]}))
    assert [f.code for f in got] == ["out_of_range"]
    assert got[0].place.endswith("carbon_balance.balance")
    assert "more carbon leaves than enters" in got[0].message


def test_material_without_factor_is_a_finding(engine, refused):
    got = refused(sub({"steel_outputs": [row("", "pig_iron_sold", "100")]}))
    assert got[0].code == "missing_value" and "Emission factor" in got[0].message


def test_example_routes_and_national_grid_factor(engine):
    s = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    r = engine.calculate(s)
    routes = {x["group"]["route"]: x["values"] for x in r.page("supplementary_routes").summaries}
    assert set(routes) == {"bf_bof", "eaf"}
    eaf = routes["eaf"]
    eaf_process = sum(x.values["emissions"] for p in ("steel_inputs", "steel_outputs") for x in r.page(p).rows
                      if x.values["route"] == "eaf")
    assert eaf["process_co2"] == eaf_process
    assert eaf["intensity"] == (eaf["total_co2"] / Decimal("820000")).quantize(Decimal("0.0001"))
    units = r.page("supplementary_units").rows
    assert units[0].values["electricity_co2"] == Decimal("98000") * Decimal("0.5703")
    assert all(not e.page.startswith("supplementary") for e in r.emissions)


def test_purchased_crude_steel_cannot_use_the_benchmark_unchanged(engine, refused):
    s = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    s["pages"]["supplementary_routes"][1]["purchased_crude_steel"] = "150000"
    got = refused(s)
    assert [f.code for f in got] == ["above_maximum"]
    assert got[0].place == "$.pages.supplementary_routes[1].purchased_crude_steel"
    assert "benchmark cannot be used unchanged" in got[0].message
    # The legal-entity report itself stands without the route table.
    no_table = copy.deepcopy(s)
    del no_table["pages"]["supplementary_routes"]
    assert engine.calculate(no_table).total > 0


def test_captive_power_plant_on_the_route_table_is_refused(engine, refused):
    s = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    s["pages"]["supplementary_units"].append(
        {"unit": "自备电厂", "process": "captive_power_plant", "route": "bf_bof", "electricity": "0"})
    got = refused(s)
    assert got[0].code == "out_of_range" and got[0].place == "$.pages.supplementary_units[7].in_boundary"


def test_fuel_row_of_an_unknown_unit_is_refused(engine, refused):
    s = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    s["pages"]["supplementary_fuels"][0]["unit"] = "石灰窑"
    got = refused(s)
    assert got[0].code == "unknown_reference"


def test_cli_form_calc_explain(engine):
    runner = CliRunner()
    form = json.loads(runner.invoke(cli, ["form", "steel", "--year", "2022"], catch_exceptions=False).output)
    pages = form["properties"]["pages"]["properties"]
    assert pages["steel_inputs"]["x-role"] == "base" and pages["supplementary_routes"]["x-role"] == "supplementary"
    assert pages["supplementary_routes"]["items"]["properties"]["purchased_crude_steel"]["maximum"] == 0
    assert runner.invoke(cli, ["calc", str(EXAMPLE), "--lang", "en"], catch_exceptions=False).exit_code == 0
    out = runner.invoke(cli, ["explain", str(EXAMPLE), "--format", "json"], catch_exceptions=False)
    places = {n["place"]: n for n in json.loads(out.output)}
    r = engine.calculate(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    for e in r.emissions:
        if e.category == "process":
            node = places[f"$.pages.{e.page}[{e.row}].{e.formula}"]
            assert any(o["name"] == "factor" for o in node["operands"])
    assert "$.pages.steel_outputs.summary.balance" in places


def test_fuel_row_whose_route_differs_from_its_units_route_is_refused(engine, refused):
    # 热轧厂 is a bf_bof unit on supplementary_units; its fuel row claiming the EAF route
    # used to move its 2350 e4Nm3 of natural gas to the EAF route's intensity silently.
    s = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    fuels = s["pages"]["supplementary_fuels"]
    assert fuels[3]["unit"] == "热轧厂" and fuels[3]["route"] == "bf_bof"
    fuels[3]["route"] = "eaf"
    got = refused(s)
    assert [f.code for f in got] == ["out_of_range"]
    assert "supplementary_fuels" in got[0].place and "unit_route" in got[0].place
    # The matching example still computes; every fuel row found its unit on the route it names.
    r = engine.calculate(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    checks = r.page("supplementary_fuels").summaries
    # 4 (unit, route) pairs: 炼铁厂 has two fuel rows.
    assert len(checks) == 4 and all(x["values"]["unit_route"] == 1 for x in checks)
