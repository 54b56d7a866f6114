"""mrv screen: a planted outlier and a planted year-on-year jump are named; the HTML opens in Chromium."""

import copy
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine.batch import run, screen
from mrv_engine.cli.main import cli


@pytest.fixture(scope="module")
def screened(tmp_path_factory, examples_dir):
    """A batch of eleven cement reports: nine ordinary lines, one whose line 1 reports a tenth of its clinker
    (its intensity ten times the others'), and one enterprise's previous year with three times the clinker."""
    base = json.loads((examples_dir / "cement-two-kilns-2022.json").read_text(encoding="utf-8"), parse_float=str)
    folder = tmp_path_factory.mktemp("cement")
    for i in range(9):
        doc = copy.deepcopy(base)
        doc["enterprise"] = {"name": f"水泥厂{i}", "credit_code": f"91420000000000000{i}", "province": "湖北"}
        line = doc["pages"]["supplementary_lines"][0]
        line["clinker_output"] = str(Decimal(line["clinker_output"]) * (Decimal("0.97") + Decimal(i) / 100))
        (folder / f"cement-{i}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    planted = copy.deepcopy(base)
    planted["enterprise"] = {"name": "异常水泥厂", "credit_code": "914200000000000099", "province": "湖北"}
    planted["pages"]["supplementary_lines"][0]["clinker_output"] = "155000"  # 1 550 000 t written as 155 000
    (folder / "planted.json").write_text(json.dumps(planted, ensure_ascii=False), encoding="utf-8")
    later = copy.deepcopy(base)
    later["year"] = 2021
    later["enterprise"] = {"name": "水泥厂0", "credit_code": "914200000000000000", "province": "湖北"}
    for row in later["pages"]["clinker_process"]:
        row["clinker"] = str(Decimal(row["clinker"]) * 3)
    for row in later["pages"]["fuel_combustion"] + later["pages"]["supplementary_fuels"]:
        if row["fuel"] == "bituminous":  # the 2013 cement guideline (2021) rates coal by equipment: the kilns' 98 %
            row["of"] = "0.98"
    (folder / "cement-0-2021.json").write_text(json.dumps(later, ensure_ascii=False), encoding="utf-8")
    out = tmp_path_factory.mktemp("db") / "cement.sqlite"
    summary = run([str(folder)], str(out), jobs=1)
    assert summary.by_status["ok"] == 11, summary.line()
    return out


def test_the_planted_intensity_outlier_is_named(screened):
    s = screen(screened)
    flagged = {(o["sector"], o["figure"], Path(o["path"]).name, o["side"]) for o in s.outliers}
    # line 1's intensity (tCO2 per t clinker) of the planted report, high; none of the nine ordinary reports
    # (the previous year's report with three times the clinker but the same line output may be named too)
    assert ("cement", "intensity", "planted.json", "high") in flagged
    assert not [f for f in flagged if f[2].startswith("cement-") and not f[2].endswith("2021.json")], flagged
    group = next(g for g in s.groups if g.name == "intensity")
    assert group.stats["n"] >= 11 and group.label["en"].startswith("CO2 per tonne of clinker")


def test_the_planted_year_on_year_jump_is_named(screened):
    jumps = screen(screened).jumps
    totals = [j for j in jumps if j["what"].startswith("total")]
    assert [(j["enterprise"], j["from_year"], j["to_year"]) for j in totals] == [("水泥厂0", 2021, 2022)]
    assert totals[0]["factor"] < 0.5  # 2022 has a third of 2021's clinker: its process emissions fell by two thirds


def test_table_and_csv(screened):
    res = CliRunner().invoke(cli, ["screen", str(screened)], catch_exceptions=False)
    assert res.exit_code == 0 and "异常水泥厂 2022" in res.output and "planted.json" in res.output
    res = CliRunner().invoke(cli, ["screen", str(screened), "--format", "csv"], catch_exceptions=False)
    lines = res.output.splitlines()
    assert lines[0].startswith("section,sector,enterprise")
    assert any(line.startswith("intensity_outlier,cement,异常水泥厂,2022") for line in lines)
    assert any(line.startswith("year_on_year,,水泥厂0,2022") for line in lines)


def test_a_missing_or_foreign_database_is_a_message(tmp_path):
    res = CliRunner().invoke(cli, ["screen", str(tmp_path / "none.sqlite")])
    assert res.exit_code == 1 and "no such batch database" in res.output
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database " * 200)
    res = CliRunner().invoke(cli, ["screen", str(junk)])
    assert res.exit_code == 1 and "not a batch database" in res.output and "Traceback" not in res.output


def test_html_is_self_contained_and_opens_in_chromium_without_errors(screened, tmp_path, request):
    out = tmp_path / "screen.html"
    res = CliRunner().invoke(cli, ["screen", str(screened), "--format", "html", "-o", str(out)], catch_exceptions=False)
    assert res.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "<svg" in text and "异常水泥厂 2022" in text
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in text  # no CDN
    page = request.getfixturevalue("browser_page")  # here, so the checks above run without a browser
    page.goto(out.as_uri())
    page.screenshot(path=str(Path(os.environ.get("MRV_SCREENSHOTS", tmp_path)) / "screen.png"), full_page=True)
    assert page.locator("svg").count() >= 2
    # the outlier is named on the plot itself, not only in a table
    assert page.locator("svg text", has_text="异常水泥厂 2022").first.is_visible()
    assert page.js_errors == [] and page.console_errors == []
