"""mrv verify end to end: the examples, the report's forms, the findings schema, the plugin hook."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import jsonschema
from click.testing import CliRunner
from mrv_engine.cli.main import cli
from mrv_engine.core.verify.checks import RULES
from mrv_engine.core.verify.compare import agrees, tolerance_of
from mrv_engine.core.verify.recompute import finding_dict

#: Every deliberate defect of examples/verify-defects.json, and nothing else.
DEFECTS = {
    ("figure.differs", "$.pages.electricity_heat[0].emissions"),   # reported with the 2020 grid factor
    ("figure.differs", "$.pages.electricity_heat[1].emissions"),   # green power counted at zero
    ("figure.differs", "$.pages.general_process[1].emissions"),    # a 10 t slip in the reported figure
    ("figure.differs", "$.totals.energy_indirect"),
    ("figure.differs", "$.totals.process"),
    ("figure.differs", "$.totals.total"),
    ("parameter.wrong_year", "$.parameters.grid_ef"),
    ("electricity.renewable_contract_factor", "$.evidence.contracts[0]"),
    ("electricity.meter_mismatch", "$.pages.electricity_heat[0]"),
    ("monthly.unweighted_mean", "$.pages.fuel_combustion[0].ncv"),
    ("monthly.sum_mismatch", "$.pages.fuel_combustion[2].consumption"),
    ("missing_data.no_plan_procedure", "$.pages.fuel_combustion[1].consumption"),
    ("missing_data.not_conservative", "$.pages.general_process[0].quantity"),
    ("value.unit_slip", "$.pages.fuel_combustion[2].ncv"),
    ("value.outside_fuel_range", "$.pages.fuel_combustion[3].ncv"),  # coke 58 GJ/t, above IPCC's 25.1-30.2
    ("plan.determination_missing", "$.plan.parameters"),
    ("plan.priority_lowered", "$.plan.parameters[3]"),
    ("plan.revision_required", "$.pages.fuel_combustion[0].cc"),   # measured while the plan says default
    ("plan.revision_required", "$.pages.fuel_combustion[4]"),      # a boiler the plan does not list
    ("plan.revision_required", "$.plan.events[1]"),                # data found incorrect, no revision
}


def test_tolerance_is_half_a_unit_of_the_last_decimal():
    assert tolerance_of("12.30") == Decimal("0.005")
    assert tolerance_of("120") == Decimal("0.5")
    assert agrees("108462.4949", Decimal("108462.49494"))
    assert not agrees("108462.4949", Decimal("108462.49496"))


def test_clean_example_has_no_finding(load_example, run):
    rep = run(load_example("verify-clean.json"))
    assert rep.findings == []
    assert all(c.agrees for c in rep.comparisons) and len(rep.comparisons) == 12


def test_defects_example_finds_each_defect_and_nothing_else(load_example, run):
    rep = run(load_example("verify-defects.json"))
    assert {(f.code, f.place) for f in rep.findings} == DEFECTS
    assert len(rep.findings) == len(DEFECTS)


def test_defects_are_ordered_by_severity_then_size(load_example, run):
    rep = run(load_example("verify-defects.json"))
    sev = [f.severity for f in rep.findings]
    assert sev == sorted(sev, key=["error", "must_correct", "observation"].index)
    assert rep.differing[0].place == "$.pages.electricity_heat[1].emissions"  # 1140.6 t: the largest


def test_hubei_seed_figure_agrees(examples_dir, codes, run):
    sub = json.loads((examples_dir / "hubei-coke.json").read_text(encoding="utf-8"))
    sub["reported"] = {"$.pages.fuel_combustion[0].emissions": "108462.4949"}  # seed 000's own result
    rep = run(sub)
    assert codes(rep) == {"plan.absent"}


def test_findings_follow_the_schema_and_the_rules_table(repo_root, load_example, run):
    schema = json.loads((repo_root / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    rep = run(load_example("verify-defects.json"))
    data = json.loads(json.dumps([finding_dict(f) for f in rep.findings], default=str))
    jsonschema.validate(data, schema)
    for f in rep.findings:
        assert f.rule["zh"] and f.rule["en"] and f.citation and f.message_zh and f.message
        assert f.severity == RULES[f.code].severity


def test_input_errors_become_findings(run):
    sub = {"sector": "general", "year": 2022, "pages": {"fuel_combustion": [{"source_name": "x", "kind": "stationary", "fuel": "coal?"}]}}
    rep = run(sub)
    assert rep.result is None and {f.code for f in rep.findings} >= {"input.unknown_choice"}
    assert all(f.severity == "error" for f in rep.findings)


# -- CLI ---------------------------------------------------------------------------------

def _cli(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_verify_exit_codes_and_formats(tmp_path, examples_dir):
    clean = str(examples_dir / "verify-clean.json")
    bad = str(examples_dir / "verify-defects.json")
    r = _cli("verify", clean, "--lang", "en")
    assert r.exit_code == 0 and "No finding" in r.output
    r = _cli("verify", bad)
    # the report was made: exit 0 unless the caller asks the findings to fail the run
    assert r.exit_code == 0 and "figure.differs" in r.output and "问题38" in r.output
    r = _cli("verify", bad, "--fail-on", "error")
    assert r.exit_code == 1 and "figure.differs" in r.output
    r = _cli("verify", clean, "--fail-on", "warning")
    assert r.exit_code == 0
    r = _cli("verify", bad, "--format", "json")
    data = json.loads(r.output)
    assert data["conclusion"] == {"error": 8, "must_correct": 11, "observation": 1}
    assert data["summary"][-1]["difference"] == "-797.0760"
    md = tmp_path / "r.md"
    r = _cli("verify", bad, "--format", "markdown", "-o", str(md))
    assert r.exit_code == 0 and f"已写入 {md}" in r.output  # -o says what it wrote
    text = md.read_text(encoding="utf-8")
    assert text.index("## 1.") < text.index("## 2.") < text.index("## 3.") < text.index("## 4.") < text.index("## 5.")
    assert "`parameter.wrong_year`" in text and "```text" in text


def test_cli_verify_under_another_year_or_ruleset(examples_dir):
    bad = str(examples_dir / "verify-clean.json")
    r = _cli("verify", bad, "--year", "2021", "--format", "json")
    data = json.loads(r.output)
    # under 2021 rules the 0.5810 factor applies: 8380 MWh x 0.5810 = 4868.78 t
    assert data["year"] == 2021 and any(f["place"] == "$.pages.electricity_heat[0].emissions" for f in data["findings"])
    r = CliRunner().invoke(cli, ["verify", bad, "--year", "2021", "--ruleset", "general-2015"])
    assert r.exit_code == 2


def test_html_is_one_self_contained_file(tmp_path, examples_dir):
    out = tmp_path / "r.html"
    _cli("verify", str(examples_dir / "verify-defects.json"), "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(|src=|href=", html, re.I)
    assert "http://" not in html and "https://" not in html
    assert html.count('class="finding') == 20 and "问题21" in html
    # recomputed tables (wide power pages) scroll inside their own box: the page itself stays readable
    assert html.count('<div class="wide"><table>') == html.count("<h3>") - html.count("<h3><code>") > 0


# -- sector plugins: frequency rule and the mrv_checks hook ------------------------------------

def test_measured_value_below_the_required_frequency(tmp_path, demo_engine, demo_sub, found, run):
    eng = demo_engine(tmp_path)
    sub = demo_sub(plan={"parameters": [{"page": "demo_process", "field": f, "source": "measured", "frequency": "monthly", "basis": "own_lab"}
                                        for f in ("quantity", "ef")]})
    sub["pages"]["demo_process"][0]["ef"] = {"value": "1.8", "source": "measured", "frequency": "quarterly"}
    rep = run(sub, eng, )
    (f,) = found(rep, "measurement.frequency_below_guideline")
    assert f.place == "$.pages.demo_process[0].ef" and f.data["used"] == Decimal("2.0")
    assert rep.figures["$.pages.demo_process[0].emissions"].value == Decimal("200.00")  # 100 t x default 2.0
    sub["pages"]["demo_process"][0]["ef"]["frequency"] = "monthly"
    rep = run(sub, eng)
    assert not rep.findings and rep.figures["$.pages.demo_process[0].emissions"].value == Decimal("180.00")


def test_plan_frequency_and_priority_against_the_guideline(tmp_path, demo_engine, demo_sub, found, run):
    eng = demo_engine(tmp_path)
    entries = [{"page": "demo_process", "field": "quantity", "source": "measured"},
               {"page": "demo_process", "field": "ef", "source": "measured", "basis": "own_lab", "frequency": "monthly"}]
    assert not run(demo_sub(plan={"parameters": entries}), eng).findings
    slow = [entries[0], {**entries[1], "frequency": "yearly"}]
    (f,) = found(run(demo_sub(plan={"parameters": slow}), eng), "plan.revision_required")
    assert f.data["situation"] == "noncompliant_plan"
    lower = [entries[0], {**entries[1], "basis": "supplier"}]
    (f,) = found(run(demo_sub(plan={"parameters": lower}, previous_plan={"parameters": entries}), eng), "plan.priority_lowered")
    assert (f.data["before"], f.data["now"]) == ("own_lab", "supplier")
    assert not found(run(demo_sub(plan={"parameters": entries}, previous_plan={"parameters": lower}), eng), "plan.priority_lowered")


def test_sector_checks_registered_through_the_hook(tmp_path, demo_engine, demo_sub, run):
    def big_kiln(result):
        rows = result.page("demo_process").rows
        return [{"code": "demo.big_kiln", "severity": "observation", "place": f"$.pages.demo_process[{r.index}].quantity",
                 "rule": {"zh": "产量超过 50 t 应核对", "en": "check outputs above 50 t"}, "citation": "Demo guideline 9",
                 "message": {"zh": "产量大", "en": "large output"}} for r in rows if r.values["quantity"] > 50]

    def broken(result):
        raise RuntimeError("boom")

    eng = demo_engine(tmp_path, checks={"demo.big_kiln": big_kiln, "demo.broken": broken})
    plan = {"parameters": [{"page": "demo_process", "field": f, "source": "measured"} for f in ("quantity", "ef")]}
    rep = run(demo_sub(plan=plan), eng)
    got = {(f.code, f.origin) for f in rep.findings}
    assert got == {("demo.big_kiln", "demo"), ("plugin.check_failed", "demo")}
    small = demo_sub(plan=plan)
    small["pages"]["demo_process"][0]["quantity"] = "10"
    assert {f.code for f in run(small, eng).findings} == {"plugin.check_failed"}


def test_reported_figures_given_as_json_numbers_keep_their_decimals(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"sector": "general", "year": 2022, "pages": {"fuel_combustion": [{"source_name": "B1", "kind": "stationary", '
                    '"fuel": "bituminous", "method": "carbon_content", "consumption": "1000"}]}, '
                    '"reported": {"$.pages.fuel_combustion[0].emissions": 1741.75, "$.totals.total": 1741.80}}', encoding="utf-8")
    r = _cli("verify", str(path), "--format", "json")
    data = json.loads(r.output)
    # 1741.7496 (hand arithmetic in test_verify_checks.py): 1741.75 agrees at 2 decimals, 1741.80 does not
    assert [(f["code"], f["place"]) for f in data["findings"] if f["code"] == "figure.differs"] == [("figure.differs", "$.totals.total")]
    assert {c["place"]: c["reported"] for c in data["comparisons"]}["$.totals.total"] == "1741.80"


def test_a_pilot_reports_parameter_overrides_are_judged_by_its_programmes_rules(monkeypatch):
    """A verifier drops a parameter the submission supplies where the governing rules give one: for a Hubei
    pilot report those are the Hubei rules, never the national edition of the same sector and year (the
    composition was once looked up again without the programme)."""
    import json
    from pathlib import Path

    from mrv_engine import Engine

    engine = Engine()
    path = Path(__file__).resolve().parents[2] / "examples" / "aluminium-2014-hubei-pilot.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["programme"] == "hubei_pilot" and "grid_ef" in data["parameters"]
    asked = []
    real = Engine.composition

    def composition(self, sector, year, ruleset_id=None, programme=None):
        asked.append(programme)
        return real(self, sector, year, ruleset_id, programme=programme)

    monkeypatch.setattr(Engine, "composition", composition)
    report = engine.verify(data, source_name=path.name)
    assert report.result is not None and asked and set(asked) == {"hubei_pilot"}
    # the Hubei rules give no grid factor for 2014 (not found in a public text): the report's own one is used
    assert report.result.params["grid_ef"].origin == "submission"
