"""Issue 19's reproducers at the command line: hostile figures, files and output paths give a
finding with a code and a place and exit 1 (data) or 2 (usage), never a traceback, and leave
every file as it was."""

import json
import os
import traceback

import pytest
from click.testing import CliRunner
from mrv_engine.cli.main import cli
from mrv_engine.core.base.findings import CODES

CONSUMPTION = "$.pages.fuel_combustion[0].consumption"


@pytest.fixture
def mrv():
    def invoke(*args):
        result = CliRunner().invoke(cli, [str(a) for a in args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            pytest.fail("".join(traceback.format_exception(result.exception)))
        assert "Traceback" not in result.output
        return result
    return invoke


@pytest.fixture
def coke(examples_dir, tmp_path):
    """examples/hubei-coke.json with its coke consumption replaced by ``text`` (raw JSON)."""
    source = (examples_dir / "hubei-coke.json").read_text(encoding="utf-8")
    assert '"35264"' in source

    def write(text):
        path = tmp_path / "hubei-coke.json"
        path.write_text(source.replace('"35264"', text), encoding="utf-8")
        return path
    return write


@pytest.mark.parametrize("figure", ['"1e400"', '"' + "1" * 56 + '"', "1" * 56, '"' + "9" * 5000 + '"', '"1e-400"'])
def test_calc_refuses_a_figure_out_of_range_at_its_place(mrv, coke, figure):
    path = coke(figure)
    before = path.read_bytes()
    r = mrv("calc", path)
    assert r.exit_code == 1 and CONSUMPTION in r.output
    r = mrv("validate", path, "--format", "json")
    assert r.exit_code == 1
    findings = json.loads(r.output)["findings"]
    assert [(f["code"], f["place"]) for f in findings] == [("number_range", CONSUMPTION)]
    assert path.read_bytes() == before


def test_a_bare_5000_digit_number_is_refused_at_its_line(mrv, coke):
    path = coke("9" * 5000)
    r = mrv("validate", path, "--format", "json")
    assert r.exit_code == 1
    assert f"{path}:13:" in r.output


def test_output_into_a_missing_folder_is_a_usage_error(mrv, examples_dir, tmp_path):
    r = mrv("calc", examples_dir / "hubei-coke.json", "-o", "/nonexistent/dir/x.json")
    assert r.exit_code == 2
    assert "/nonexistent/dir/x.json" in r.output


def test_a_refused_calculation_leaves_the_previous_output_file(mrv, coke, tmp_path):
    out = tmp_path / "report.json"
    out.write_text("previous report", encoding="utf-8")
    r = mrv("calc", coke('"1e400"'), "--format", "json", "-o", out)
    assert r.exit_code == 1 and out.read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hubei-coke.json", "report.json"]


@pytest.mark.parametrize("make, code", [
    (lambda p: os.mkfifo(p), "not_a_file"),
    (lambda p: p.mkdir(), "not_a_file"),
    (lambda p: p.symlink_to(p.parent / "gone"), "not_a_file"),
    (lambda p: p.write_bytes('{"sector": "general"}'.encode("utf-16")), "encoding"),
    (lambda p: p.write_bytes('{"sector": "水泥"}'.encode("gbk")), "encoding"),
    (lambda p: p.write_text("[" * 10_000 + "]" * 10_000), "too_large"),
    (lambda p: p.write_text(json.dumps({f"k{i}": i for i in range(300_000)})), "too_large"),
])
@pytest.mark.parametrize("command", ["validate", "calc", "verify", "explain"])
def test_hostile_files_are_findings_with_a_code(mrv, tmp_path, make, code, command):
    path = tmp_path / "x.json"
    make(path)
    r = mrv(command, path)
    assert r.exit_code == 1
    assert str(path) in r.output
    if command == "validate":
        r = mrv(command, path, "--format", "json")
        found = json.loads(r.output)["findings"]
        assert [f["code"] for f in found] == [code] and code in CODES


def test_a_yaml_submission_with_a_recursive_alias(mrv, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("sector: general\nyear: 2022\npages: &p {fuel_combustion: [*p]}\n", encoding="utf-8")
    r = mrv("validate", path, "--format", "json")
    assert r.exit_code == 1
    assert [(f["code"], f["place"]) for f in json.loads(r.output)["findings"]] == [("too_large", f"{path}:3")]
