"""The general pages end to end, against the figures the seeds state."""

from decimal import Decimal

import pytest
from mrv_engine import InputError


def test_seed_coke_figure(engine, example):
    # seed 000: 35264 t × 28435 kJ/kg × 108167 kgCO2/TJ × 1 = 108462.4949 t
    result = engine.calculate(example("hubei-coke.json"))
    row = result.page("fuel_combustion").rows[0]
    assert row.values["emissions"] == Decimal("108462.4949")
    assert result.totals["energy_direct_stationary"] == Decimal("108462.4949")


def test_seed_category_summary(engine, example):
    # seed 000 "排放源分类统计报表": 120477 / 25695.6 / 0 / 162.6242, total 146335.2242,
    # shares 82.33 / 17.56 / 0 / 0.11 %
    result = engine.calculate(example("hubei-summary.json"))
    t = result.totals
    assert t["energy_indirect"] == Decimal("120477")
    assert t["energy_direct_stationary"] == Decimal("25695.6")
    assert t["energy_direct_mobile"] == 0
    assert t["process"] == Decimal("162.6242")
    assert result.total == Decimal("146335.2242")
    assert result.shares == {
        "energy_indirect": Decimal("82.33"),
        "energy_direct_stationary": Decimal("17.56"),
        "energy_direct_mobile": Decimal("0.00"),
        "process": Decimal("0.11"),
    }


def test_carbon_content_route_uses_44_12_and_defaults(engine):
    # 1 t anthracite at the table's defaults: 1 × 26.7 × 0.0274 × 0.94 × 44/12 (hand arithmetic:
    # 26.7 × 0.0274 = 0.73158; × 0.94 = 0.6876852; × 44/12 = 2.52151240 → 2.5215)
    sub = {"sector": "general", "year": 2020, "pages": {"fuel_combustion": [
        {"source_name": "kiln", "kind": "stationary", "fuel": "anthracite", "consumption": "1"}]}}
    result = engine.calculate(sub)
    row = result.page("fuel_combustion").rows[0]
    assert row.values["emissions"] == Decimal("2.5215")
    assert row.prov["ncv"].kind == "default" and row.prov["ncv"].verified is False


def test_gas_fuel_in_ten_thousand_normal_cubic_metres(engine):
    # natural gas 1 × 10^4 Nm3 × 389.31 GJ/10^4 Nm3 × 0.0153 × 0.99 × 44/12 = 21.6219 (reference E4)
    sub = {"sector": "general", "year": 2020, "pages": {"fuel_combustion": [
        {"source_name": "boiler", "kind": "stationary", "fuel": "natural_gas", "consumption": {"value": "10000", "unit": "Nm3"}}]}}
    row = engine.calculate(sub).page("fuel_combustion").rows[0]
    assert row.values["consumption"] == Decimal("1")
    assert row.values["emissions"] == Decimal("21.6219")


def test_net_purchased_electricity_may_be_negative_and_uses_year_factor(engine):
    # Q&A 37: net = purchased − exported; 2022 factor 0.5703 (环办气候函〔2023〕43号)
    sub = {"sector": "general", "year": 2022, "pages": {"electricity_heat": [
        {"item": "grid", "carrier": "electricity", "purchased": "100", "exported": "300"}]}}
    result = engine.calculate(sub)
    assert result.page("electricity_heat").rows[0].values["emissions"] == Decimal("-114.0600")


def test_heat_is_converted_from_mwh_factor_units(engine):
    sub = {"sector": "general", "year": 2022, "pages": {"electricity_heat": [
        {"item": "steam", "carrier": "heat", "purchased": {"value": "1000", "unit": "GJ"}}]}}
    row = engine.calculate(sub).page("electricity_heat").rows[0]
    assert row.values["emissions"] == Decimal("110.0000")  # 1000 GJ × 0.11 tCO2/GJ


def test_year_without_grid_factor_is_refused_with_reason(engine):
    sub = {"sector": "general", "year": 2024, "pages": {"electricity_heat": [
        {"item": "grid", "carrier": "electricity", "purchased": "100"}]}}
    with pytest.raises(InputError) as exc:
        engine.calculate(sub)
    f = exc.value.findings[0]
    assert f.code == "missing_value" and "grid_ef" in f.message and "2024" in f.message
    sub["parameters"] = {"grid_ef": "0.5366"}
    result = engine.calculate(sub)
    assert result.params["grid_ef"].origin == "submission"
    assert result.page("electricity_heat").rows[0].values["emissions"] == Decimal("53.6600")


def test_kcal_is_international_table_unless_named(engine):
    base = {"source_name": "b", "kind": "stationary", "fuel": "bituminous", "consumption": "1000",
            "ncv": {"value": "5000", "unit": "kcal/kg"}}
    sub = {"sector": "general", "year": 2020, "pages": {"fuel_combustion": [base]}}
    row = engine.calculate(sub).page("fuel_combustion").rows[0]
    assert row.values["ncv"] == Decimal("20.934")  # 5000 × 4.1868 kJ/kg = 20.934 GJ/t
    sub["calorie"] = "4.1816"
    row = engine.calculate(sub).page("fuel_combustion").rows[0]
    assert row.values["ncv"] == Decimal("20.908")
    assert "4.1816" in row.prov["ncv"].original[1]


def test_general_process_carbonate(engine):
    # 100 t limestone at 90 % purity × 0.43971 (IPCC 2006 Table 2.1) = 39.5739
    sub = {"sector": "general", "year": 2020, "pages": {"general_process": [
        {"item": "x", "method": "carbonate", "carbonate": "calcite", "quantity": "100", "purity": {"value": "90", "unit": "%"}}]}}
    row = engine.calculate(sub).page("general_process").rows[0]
    assert row.values["purity"] == Decimal("0.90")
    assert row.values["emissions"] == Decimal("39.5739")


def test_report_matches_its_schema(engine, example):
    from jsonschema import Draft202012Validator
    from mrv_engine.core.rules.ruleset import schema

    report = engine.report(engine.calculate(example("hubei-summary.json")))
    errors = list(Draft202012Validator(schema("report.schema.json")).iter_errors(report))
    assert not errors, errors[0].message
    assert report["totals"]["by_category"]["energy_indirect"] == {"co2e": "120477.0000", "share_percent": "82.33"}


def test_trace_json_names_sources_and_rounding(engine, example):
    nodes = [n.as_dict() for n in engine.trace(engine.calculate(example("hubei-summary.json")))]
    process = next(n for n in nodes if n["place"] == "$.pages.general_process[0].emissions")
    assert process["rounding"] == {"method": "half_up", "decimals": 4, "unrounded": "162.624193182"}  # 369.8442 × 0.43971
    purity = next(o for o in process["operands"] if o["name"] == "purity")
    assert purity["source"] == "default" and purity["rule"]["en"].startswith("Taken as 100 %")
    ef = next(o for o in process["operands"] if o["name"] == "ef")
    assert "IPCC" in ef["citation"]
    grid = next(n for n in nodes if n["place"] == "$.pages.electricity_heat[0].factor")
    # Hubei, 2014: the rules choose the Central China regional average (Q&A 40) and say why
    assert grid["operands"][0]["source"] == "parameter" and grid["operands"][0]["value"] == "0.5257"
    assert "湖北 → 华中区域电网平均排放因子（2012年）" in grid["operands"][0]["rule"]["zh"]


def test_biomass_is_recorded_but_not_counted(engine):
    # Q&A 28: other sectors do not report biomass combustion emissions
    sub = {"sector": "general", "year": 2022, "pages": {"fuel_combustion": [
        {"source_name": "boiler", "kind": "stationary", "fuel": "biomass", "consumption": "5000"}]}}
    result = engine.calculate(sub)
    assert result.page("fuel_combustion").rows[0].values["emissions"] == 0
    assert result.total == 0
    node = engine.trace(result)[0]
    assert node.condition == "fuel == 'biomass'" and "问题28" in node.citation


def test_heavy_oil_takes_fuel_oil_values(engine):
    # Q&A 36; 1 t × 41.816 × 0.0211 × 0.98 × 44/12 = 3.1704 (hand arithmetic: 41.816 × 0.0211 = 0.8823176;
    # × 0.98 = 0.86467125; × 44/12 = 3.17046125 → 3.1705)
    row = {"source_name": "b", "kind": "stationary", "fuel": "heavy_oil", "consumption": "1"}
    result = engine.calculate({"sector": "general", "year": 2022, "pages": {"fuel_combustion": [row]}})
    assert result.page("fuel_combustion").rows[0].values["emissions"] == Decimal("3.1705")
    assert "问题36" in result.page("fuel_combustion").rows[0].prov["ncv"].citation.clause


def test_a_submission_built_from_the_form_validates(engine):
    # What a host app does: render `mrv form general --year Y`, fill each page's required
    # fields, post the document. The form covers the envelope too (sector, year), so the
    # document it describes is a whole submission that the engine accepts.
    import jsonschema

    form = engine.form("general", year=2022)
    assert form["required"] == ["sector", "year", "pages"]
    doc = {"sector": form["properties"]["sector"]["const"], "year": form["properties"]["year"]["const"], "pages": {}}
    for page_id in form["x-page-order"]:
        items = form["properties"]["pages"]["properties"][page_id]["items"]
        row = {}
        for fid in items["required"]:
            prop = items["properties"][fid]
            if "$ref" in prop:
                prop = form["$defs"][prop["$ref"].rsplit("/", 1)[1]]
            row[fid] = prop["oneOf"][0]["const"] if "oneOf" in prop else "x" if prop.get("type") == "string" else 1
        doc["pages"][page_id] = [row]
    # the general process page's first method (material × factor) has no default factor:
    # the form says so, as the engine does
    validator = jsonschema.Draft202012Validator(form)
    assert [list(e.absolute_path) for e in validator.iter_errors(doc)] == [["pages", "general_process", 0]]
    assert [(f.place, f.code) for f in engine.validate(doc)] == [
        ("$.pages.general_process[0].emissions", "missing_value")]
    doc["pages"]["general_process"][0]["ef"] = Decimal("0.5")
    validator.validate(doc)
    assert engine.validate(doc) == []
    carbonate = {"item": "x", "method": "carbonate", "quantity": 1}  # a factor from the carbonate's row, or given
    for row, ok in ((carbonate, False), ({**carbonate, "carbonate": "calcite"}, True), ({**carbonate, "ef": Decimal("0.4")}, True)):
        one = {**doc, "pages": {"general_process": [row]}}
        assert validator.is_valid(one) is ok and (engine.validate(one) == []) is ok
    # ... and a document without its envelope is refused by the form, as by the engine
    assert not jsonschema.Draft202012Validator(form).is_valid({"pages": doc["pages"]})
    assert not jsonschema.Draft202012Validator(form).is_valid({**doc, "year": 2021})


def test_every_example_conforms_to_its_form(engine, examples_dir):
    # The form must never refuse what the engine accepts (its if/then rules included). The form
    # states a figure as a JSON number in the field's unit, the renderer's shape (docs/forms.md);
    # the engine also reads decimal text and value objects in other units {value, unit, source...}:
    # each example is checked with its figures as the engine read them, in the field's unit.
    import json
    from decimal import Decimal

    import jsonschema

    for path in sorted(examples_dir.glob("*.json")):
        sub = json.loads(path.read_text(encoding="utf-8"), parse_float=str)
        form = engine.form(sub["sector"], year=sub["year"], programme=sub.get("programme"))
        read = {p["id"]: p["rows"] for p in engine.report(engine.calculate(sub))["pages"]}
        pages = form["properties"]["pages"]["properties"]
        for page_id, rows in sub["pages"].items():
            fields = pages[page_id]["items"]["properties"]
            for i, row in enumerate(rows):
                for fid in row:
                    kind = fields.get(fid, {}).get("type")
                    if kind in ("number", "integer"):
                        row[fid] = (int if kind == "integer" else Decimal)(read[page_id][i][fid])
        sub["parameters"] = {k: Decimal(v["value"] if isinstance(v, dict) else v) for k, v in sub.get("parameters", {}).items()}
        sub.pop("reported", None)  # what the enterprise reported: for verification, not a form's field
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in jsonschema.Draft202012Validator(form).iter_errors(sub)]
        assert errors == [], path.name


def test_form_says_which_parameters_a_year_needs(engine):
    # 2024: no notice sets the grid factor, so the form asks for it; 2022 has it (0.5703)
    p2024 = engine.form("general", 2024)["properties"]["parameters"]
    assert p2024["required"] == ["grid_ef"] and p2024["x-needed"] == ["grid_ef"]
    p2022 = engine.form("general", 2022)["properties"]["parameters"]
    assert "required" not in p2022 and "0.5703" in p2022["properties"]["grid_ef"]["description"]
