"""Bad input gets a clear error naming the place, through the API and the CLI."""

import json

import pytest
from click.testing import CliRunner
from mrv_engine import InputError
from mrv_engine.cli.main import cli


def sub(**rows):
    return {"sector": "general", "year": 2020, "pages": rows}


ROW = {"source_name": "b", "kind": "stationary", "fuel": "bituminous", "consumption": "100"}


@pytest.mark.parametrize("row, code, place", [
    ({**ROW, "fuel": "wood"}, "unknown_choice", "$.pages.fuel_combustion[0].fuel"),
    ({**ROW, "consumption": {"value": "100", "unit": "GJ"}}, "wrong_unit", "$.pages.fuel_combustion[0].consumption"),
    ({**ROW, "consumption": "-1"}, "below_minimum", "$.pages.fuel_combustion[0].consumption"),
    ({**ROW, "consumption": "NaN"}, "not_a_number", "$.pages.fuel_combustion[0].consumption"),
    ({**ROW, "consumption": "Infinity"}, "not_a_number", "$.pages.fuel_combustion[0].consumption"),
    ({k: v for k, v in ROW.items() if k != "consumption"}, "required", "$.pages.fuel_combustion[0].consumption"),
    ({**ROW, "colour": "red"}, "unknown_field", "$.pages.fuel_combustion[0].colour"),
    ({**ROW, "of": {"value": "1.5"}}, "above_maximum", "$.pages.fuel_combustion[0].of"),
])
def test_row_defects(engine, row, code, place):
    with pytest.raises(InputError) as exc:
        engine.calculate(sub(fuel_combustion=[row]))
    found = [(f.code, f.place) for f in exc.value.findings]
    assert (code, place) in found
    assert len(found) == 1  # one defect, one finding: nothing reported twice


def test_every_defect_is_listed_at_once(engine):
    rows = [{**ROW, "fuel": "wood"}, {**ROW, "consumption": "-5"}]
    with pytest.raises(InputError) as exc:
        engine.calculate(sub(fuel_combustion=rows))
    assert [f.place for f in exc.value.findings] == [
        "$.pages.fuel_combustion[0].fuel", "$.pages.fuel_combustion[1].consumption"]


def test_unknown_sector_and_page(engine):
    with pytest.raises(InputError) as exc:
        engine.calculate({"sector": "nosuch", "year": 2020, "pages": {}})
    assert [(f.code, f.place) for f in exc.value.findings] == [("unknown_sector", "$.sector")]
    assert "unknown sector 'nosuch'" in exc.value.findings[0].message
    with pytest.raises(InputError) as exc:
        engine.calculate(sub(nopage=[]))
    assert exc.value.findings[0].code == "unknown_page"


def test_sector_and_year_are_findings_of_validate(engine):
    # A host app calls validate() and gets findings at their place, not an exception.
    assert [(f.code, f.place) for f in engine.validate({"sector": "nosuch", "year": 2020, "pages": {}})] == [
        ("unknown_sector", "$.sector")]
    found = engine.validate({"sector": "general", "year": 2009, "pages": {}})
    assert [(f.code, f.place) for f in found] == [("no_ruleset", "$.year")]
    assert "no ruleset of sector 'general' governs reporting year 2009" in found[0].message
    found = engine.validate({"sector": "general", "year": 2020, "ruleset": "nosuch-1", "pages": {}})
    assert [(f.code, f.place) for f in found] == [("unknown_ruleset", "$.ruleset")]


def test_envelope_schema(engine):
    with pytest.raises(InputError) as exc:
        engine.calculate({"sector": "general", "year": "2020", "pages": {}})
    assert exc.value.findings[0].place == "$.year"


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()

    def invoke(*args, input=None, env=None):
        return runner.invoke(cli, list(args), input=input, env=env, catch_exceptions=False)

    return invoke


def test_cli_malformed_json(run, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"sector": "general", "year": 2020,,}')
    r = run("calc", str(bad), "--lang", "en")
    assert r.exit_code == 1 and "malformed JSON" in r.output and f"{bad}:1:" in r.output
    assert "Traceback" not in r.output


def test_cli_malformed_yaml(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("sector: general\nyear: [2020\n")
    r = run("calc", str(bad), "--lang", "en")
    assert r.exit_code == 1 and "malformed YAML" in r.output and f"{bad}:" in r.output


def test_cli_nan_in_json(run, tmp_path):
    bad = tmp_path / "nan.json"
    bad.write_text('{"sector": "general", "year": 2020,\n "pages": {"fuel_combustion": [{"note": "NaN", "consumption": NaN}]}}')
    r = run("calc", str(bad), "--lang", "en")
    # line 2, column 63: the bare NaN, not the one inside a string
    assert r.exit_code == 1 and f"{bad}:2:63: error: malformed JSON: NaN is not a number" in r.output


def test_cli_missing_file(run):
    r = run("calc", "no/such.json", "--lang", "en")
    assert r.exit_code == 1 and "file not found" in r.output


def test_cli_year_without_ruleset(run, tmp_path):
    p = tmp_path / "s.json"
    p.write_text(json.dumps(sub(fuel_combustion=[ROW]) | {"year": 2009}))
    r = run("calc", str(p), "--lang", "en")
    assert r.exit_code == 1 and f"{p}: $.year: error: no ruleset of sector 'general' governs reporting year 2009" in r.output
    p.write_text(json.dumps(sub(fuel_combustion=[ROW]) | {"sector": "nosuch"}))
    r = run("validate", str(p), "--lang", "en")
    assert r.exit_code == 1 and f"{p}: $.sector: error: unknown sector 'nosuch'" in r.output
    r = run("validate", str(p))
    assert r.exit_code == 1 and f"{p}: $.sector: 错误: 未知的行业 'nosuch'" in r.output


def test_cli_unknown_sector_argument_is_a_usage_error(run):
    for args in (("form", "nosuch", "--year", "2022"), ("rulesets", "--sector", "nosuch"), ("docs", "nosuch"),
                 ("lint", "--sector", "nosuch"), ("test", "--sector", "nosuch")):
        r = run(*args)
        assert r.exit_code == 2 and "未知的行业 'nosuch'" in r.output, args
        r = run(*args, env={"MRV_LANG": "en"})
        assert r.exit_code == 2 and "unknown sector 'nosuch'" in r.output, args


def test_cli_usage_error_exit_2(run):
    r = run("calc", "x.json", "--year", "2020", "--ruleset", "general-2015")
    assert r.exit_code == 2


def test_cli_stdin_and_json_output(run):
    r = run("calc", "-", "--format", "json", input=json.dumps(sub(fuel_combustion=[ROW])))
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert data["totals"]["total_co2e"] and data["rulesets"][0]["id"] == "general-2015"


def test_cli_output_written_atomically(run, tmp_path):
    src = tmp_path / "s.json"
    src.write_text(json.dumps(sub(fuel_combustion=[ROW])))
    out = tmp_path / "report.md"
    out.write_text("previous report")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(sub(fuel_combustion=[{**ROW, "fuel": "wood"}])))
    r = run("calc", str(bad), "--format", "markdown", "-o", str(out))
    assert r.exit_code == 1 and out.read_text() == "previous report"  # nothing half-written
    r = run("calc", str(src), "--format", "markdown", "-o", str(out))
    assert r.exit_code == 0 and out.read_text().startswith("# ")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_cli_validate_lists_findings(run, tmp_path):
    p = tmp_path / "s.json"
    p.write_text(json.dumps(sub(fuel_combustion=[{**ROW, "fuel": "wood"}])))
    r = run("validate", str(p), "--format", "json")
    assert r.exit_code == 1
    assert json.loads(r.output)["findings"][0]["code"] == "unknown_choice"


def test_cli_sectors_rulesets_form_explain(run):
    assert "general" in run("sectors").output
    r = run("rulesets", "--sector", "general", "--format", "json")
    assert json.loads(r.output)[0]["id"] == "general-2015"
    form = json.loads(run("form", "general", "--year", "2020").output)
    assert form["x-page-order"] == ["fuel_combustion", "electricity_heat", "general_process"]
    r = run("explain", "examples/hubei-coke.json", "--lang", "en", "--wide")
    assert "35264 t × 28.435 GJ/t × 0.108167 tCO2/GJ × 1 = 108462.4949 tCO2" in r.output
    assert "converted from 28435 kJ/kg" in r.output


def test_output_file_gets_the_usual_mode(run, tmp_path):
    import os
    import stat

    src = tmp_path / "s.json"
    src.write_text(json.dumps(sub(fuel_combustion=[ROW])))
    out = tmp_path / "new.md"
    umask = os.umask(0o022)
    try:
        assert run("calc", str(src), "--format", "markdown", "-o", str(out)).exit_code == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # not mkstemp's private 0600
    out.chmod(0o640)
    assert run("calc", str(src), "--format", "markdown", "-o", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # a replaced file keeps its mode


def test_negative_quantity_is_reported_even_when_the_fuel_is_unknown(engine):
    # the consumption's unit depends on the fuel, but a negative quantity is wrong in any unit
    with pytest.raises(InputError) as exc:
        engine.calculate(sub(fuel_combustion=[{**ROW, "fuel": "wood", "consumption": "-5"}]))
    assert [(f.code, f.place) for f in exc.value.findings] == [
        ("unknown_choice", "$.pages.fuel_combustion[0].fuel"),
        ("below_minimum", "$.pages.fuel_combustion[0].consumption")]


@pytest.mark.parametrize("month", ["1.5", {"value": "1.5"}])
def test_a_fraction_in_a_whole_number_field_is_refused_however_it_is_written(engine, power_year, month):
    # A month of 1.5 is no month: as bare text it used to pass as month 1 of the year.
    with pytest.raises(InputError) as exc:
        engine.calculate(power_year(month=month))
    assert ("not_integer", "$.pages.fuel_t[0].month") in [(f.code, f.place) for f in exc.value.findings]


@pytest.mark.parametrize("month", [1, "1", {"value": "1"}])
def test_a_whole_number_is_read_however_it_is_written(engine, power_year, month):
    result = engine.calculate(power_year(month=month))
    assert result.page("fuel_t").rows[0].values["month"] == 1
