"""Golden cases: run by `mrv test` and collected by pytest through the mrv_engine pytest plugin.

Expected figures in these tests come from seed 000 (the Hubei coke figure 108462.4949 t)
or are written wrong on purpose to see the failure report.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine.cli.main import cli
from mrv_engine.core.maintain.golden import (
    GoldenError,
    GoldenRunner,
    find_golden_files,
    load_golden,
    run_files,
)

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[2]
GENERAL = REPO / "rulesets" / "general"

COKE = textwrap.dedent("""\
    sector: general
    cases:
      - name: coke
        year: 2014
        pages:
          fuel_combustion:
            - {source_name: "001", kind: stationary, fuel: coke, method: emission_factor,
               consumption: {value: "35264", unit: t}, ncv: {value: "28435", unit: kJ/kg},
               ef: {value: "108167", unit: kgCO2/TJ}, of: "1"}
        expected:
          total_co2e: "{total}"
          figures:
            fuel_combustion[0].emissions: "{total}"
""")


def coke_file(tmp_path: Path, total: str, name="coke.golden.yaml") -> Path:
    path = tmp_path / name
    path.write_text(COKE.replace("{total}", total), encoding="utf-8")
    return path


def test_builtin_golden_cases_run_through_mrv_test():
    out = CliRunner().invoke(cli, ["test", "-v"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "coke-emission-factor-seed-000" in out.output
    assert "FAIL" not in out.output
    files = find_golden_files([REPO / "rulesets"])
    assert GENERAL / "general-2015.golden.yaml" in files


def test_every_builtin_sector_has_golden_cases():
    from importlib.metadata import entry_points

    builtin = {ep.name for ep in entry_points(group="mrv_engine.sectors") if ep.dist is not None and ep.dist.name == "mrv-engine"}
    # a built-in sector written as a third-party plugin keeps its golden files in its own package
    folders = [REPO / "rulesets", *sorted(REPO.glob("plugins/*/rulesets"))]
    with_cases = {load_golden(f).cases[0].sector for f in find_golden_files(folders)}
    assert builtin <= with_cases, f"sectors without golden cases: {sorted(builtin - with_cases)}"


def test_builtin_golden_cases_run_through_pytest(pytester):
    files = find_golden_files([REPO / "rulesets"])
    result = pytester.runpytest_inprocess(str(REPO / "rulesets"), "-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) == sum(len(load_golden(f).cases) for f in files)
    assert "failed" not in outcomes and "error" not in outcomes


def test_the_seed_figure_passes_with_its_decimals(tmp_path):
    outcomes = [o for _, o in run_files([coke_file(tmp_path, "108462.4949")])]
    assert [o.passed for o in outcomes] == [True]


def test_a_figure_with_other_decimals_fails(tmp_path):
    [(_, outcome)] = list(run_files([coke_file(tmp_path, "108462.49490")]))
    assert not outcome.passed
    keys = {m.place: (m.data["expected"], m.data["actual"]) for m in outcome.mismatches}
    assert keys["total_co2e"] == ("108462.49490", "108462.4949")


def test_failure_shows_expected_actual_and_the_trace(tmp_path):
    [(_, outcome)] = list(run_files([coke_file(tmp_path, "108462.5")]))
    report = outcome.report("en")
    assert "FAILED" in report and "expected" in report and "actual" in report
    assert "108462.5" in report and "108462.4949" in report
    # the trace of the differing figure: its formula with operands, conversions and rounding
    assert "trace of total_co2e" in report
    assert "35264 t × 28.435 GJ/t × 0.108167 tCO2/GJ × 1" in report
    assert "converted from 28435 kJ/kg" in report and "half up to 4 decimals" in report


def test_a_differing_field_shows_where_its_value_came_from(tmp_path):
    path = coke_file(tmp_path, "108462.4949")
    path.write_text(path.read_text(encoding="utf-8") + '        fuel_combustion[0].ncv: "28.4"\n', encoding="utf-8")
    [(_, outcome)] = list(run_files([path]))
    report = outcome.report("en")
    assert "trace of fuel_combustion[0].ncv" in report
    assert "Net calorific value (ncv) = 28.435 GJ/t — input; converted from 28435 kJ/kg" in report


def test_pytest_reports_a_failing_case_without_a_python_traceback(pytester, tmp_path):
    path = coke_file(pytester.path, "108462.5")
    result = pytester.runpytest_inprocess(str(path), "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert "golden case 'coke'" in text and "108462.4949" in text and "trace of" in text
    assert "Traceback" not in text and "def runtest" not in text


def test_rounded_figures_compare_with_their_decimals_others_by_value(tmp_path):
    path = tmp_path / "v.golden.yaml"
    path.write_text(textwrap.dedent("""\
        sector: general
        cases:
          - name: by-value
            year: 2022
            pages: {electricity_heat: [{item: a, carrier: electricity, purchased: "1000"}]}
            expected: {figures: {"electricity_heat[0].net": "1000.00", "electricity_heat[0].purchased": "1000.0"}}
          - name: with-decimals
            year: 2022
            pages: {electricity_heat: [{item: a, carrier: electricity, purchased: "1000"}]}
            expected: {figures: {"electricity_heat[0].emissions": "570.30"}}
    """), encoding="utf-8")
    outcomes = {o.case.name: o for _, o in run_files([path])}
    assert outcomes["by-value"].passed, outcomes["by-value"].report()
    assert not outcomes["with-decimals"].passed  # the formula rounds to 4 decimals: 570.3000


def test_expected_errors(tmp_path):
    path = tmp_path / "e.golden.yaml"
    path.write_text(textwrap.dedent("""\
        sector: general
        cases:
          - name: refused
            year: 2016
            pages: {fuel_combustion: [{source_name: a, kind: mobile, fuel: diesel}]}
            expect_errors: [{place: "$.pages.fuel_combustion[0].consumption", code: required}]
          - name: wrong-place
            year: 2016
            pages: {fuel_combustion: [{source_name: a, kind: mobile, fuel: diesel}]}
            expect_errors: [{place: "$.pages.fuel_combustion[0].fuel"}]
          - name: not-refused
            year: 2022
            pages: {electricity_heat: [{item: a, carrier: electricity, purchased: "1"}]}
            expect_errors: [{code: required}]
    """), encoding="utf-8")
    outcomes = {o.case.name: o for _, o in run_files([path])}
    assert outcomes["refused"].passed
    assert not outcomes["wrong-place"].passed and "consumption" in outcomes["wrong-place"].report()
    assert not outcomes["not-refused"].passed and "expected to be refused" in outcomes["not-refused"].error


def test_invalid_golden_file_names_file_and_line(tmp_path):
    path = tmp_path / "bad.golden.yaml"
    path.write_text("sector: general\ncases:\n  - name: x\n    year: 2016\n    pages: {}\n    expected: {totl: 1}\n", encoding="utf-8")
    with pytest.raises(GoldenError) as exc:
        load_golden(path)
    assert exc.value.where.startswith(f"{path}:6")
    out = CliRunner().invoke(cli, ["test", str(path)])
    assert out.exit_code == 1 and "invalid golden file" in out.output


def test_cases_run_against_the_rulesets_next_to_them(tmp_path):
    # A working copy of the general ruleset that rounds combustion emissions to 2 decimals:
    # the case beside it is run against that copy, not against the installed ruleset.
    folder = tmp_path / "general"
    folder.mkdir()
    text = (GENERAL / "general-2015.yaml").read_text(encoding="utf-8")
    marker = "label: {zh: 化石燃料燃烧排放量, en: Combustion emissions}\n        unit: tCO2\n        decimals: 4"
    assert marker in text
    (folder / "general-2015.yaml").write_text(text.replace(marker, marker[:-1] + "2"), encoding="utf-8")
    path = coke_file(folder, "108462.49")
    path.write_text(path.read_text(encoding="utf-8").replace('      total_co2e: "108462.49"\n', ""), encoding="utf-8")
    [(_, outcome)] = list(run_files([path]))
    assert outcome.passed, outcome.report()
    [(_, outcome)] = list(run_files([coke_file(tmp_path, "108462.49")]))  # no rulesets beside: installed ones
    assert not outcome.passed


def test_select_and_no_files(tmp_path):
    runner = CliRunner()
    out = runner.invoke(cli, ["test", str(GENERAL), "-k", "coke", "-v"])
    assert out.exit_code == 0 and out.output.count("ok ") == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    out = runner.invoke(cli, ["test", str(empty)])
    assert out.exit_code == 1 and "no golden test files" in out.output


def test_runner_language(tmp_path):
    [(_, outcome)] = list(run_files([coke_file(tmp_path, "1")], GoldenRunner(lang="zh")))
    assert "燃料消耗量" in outcome.report("zh")


def test_a_copied_sector_folder_is_tested_even_when_not_installed(tmp_path):
    folder = tmp_path / "rulesets"
    shutil.copytree(GENERAL, folder)
    out = CliRunner().invoke(cli, ["test", str(folder)], catch_exceptions=False)
    assert out.exit_code == 0, out.output
