"""mrv screen and mrv batch speak the reader's language (--lang zh|en): headings, figure titles from the
rulesets, severities and finding codes by their registered meaning, never the raw identifiers."""

import csv
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine.cli.main import cli

RAW_SEVERITY = re.compile(r"\b(must_correct|observation)\b")


@pytest.fixture(scope="module")
def small_batch(tmp_path_factory, examples_dir):
    """Four bundled examples (cement, two power years with benchmarks, steel) and one refused document
    (steel 2010: no rule version governs it, code no_ruleset, severity error)."""
    folder = tmp_path_factory.mktemp("lang")
    for name in ("cement-two-kilns-2022.json", "power-plant-2020.json", "power-plant-2022.json", "steel-eaf-2024.json"):
        shutil.copy(examples_dir / name, folder / name)
    (folder / "old-steel.json").write_text('{"sector": "steel", "year": 2010, "pages": {}}', encoding="utf-8")
    out = tmp_path_factory.mktemp("db") / "lang.sqlite"
    res = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(out), "-j", "1", "--lang", "zh"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    # the run's summary line in Chinese: 5 documents, 4 computed, 1 refused
    assert "5 份文档：处理 5 份（计算完成 4 份，被拒绝 1 份，失败 0 份）" in res.output
    return out


def screen(db, *args):
    res = CliRunner().invoke(cli, ["screen", str(db), *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def names(lang: str) -> dict:
    """Sector id -> its name in ``lang`` and plan id -> its title, as the plugins and plans give them."""
    from mrv_engine import Engine

    engine = Engine()
    return {**{x["id"]: x["name"][lang] for x in engine.sectors() if x.get("name")}, **{p.id: p.title[lang] for p in engine.plans()}}


def test_table_in_chinese(small_batch):
    text = screen(small_batch, "--lang", "zh")
    n = names("zh")
    for heading in ("批量筛查", "单位产品排放强度与本批次分布的比较", "同一企业的年度变化", "使用缺省值或未核实数值的报告",
                    "与配额分配基准值的比较", "发现项"):
        assert heading in text
    # figure titles from the rulesets' Chinese labels, the small groups said to be too few
    # sectors by their names (水泥, not cement), figures by the rulesets' Chinese labels, small groups too few to judge
    assert f"{n['cement']} · 单位熟料直接排放（tCO2/t）" in text and "过少，不作判断" in text
    assert "cement ·" not in text and "power ·" not in text
    assert "Direct CO2 per tonne of clinker" not in text and "too few to judge" not in text
    # the benchmark's figure by its title, not its id; the refused document's code with its meaning and severity
    # ... and the plan by its title, the document a reviewer looks up
    assert (f"{n['power']} · 供电碳排放强度 · 300MW等级以上常规燃煤机组 2022：基准值 0.8177 tCO2/MWh（未核实）"
            f"（{n['power-2021-2022']}）") in text
    line = next(x for x in text.splitlines() if x.strip().startswith("no_ruleset"))
    assert "错误" in line and "该行业没有适用于本报告年度的规则版本" in line and "error" not in line
    assert not RAW_SEVERITY.search(text)


def test_table_in_english(small_batch):
    text = screen(small_batch, "--lang", "en")
    for heading in ("Screening of", "Emission intensities against the batch", "Year-on-year jumps",
                    "Reports using default values or unconfirmed figures", "Against the allocation benchmarks", "Findings by code"):
        assert heading in text
    n = names("en")
    assert f"{n['cement']} · Direct CO2 per tonne of clinker (tCO2/t)" in text and "too few to judge" in text
    assert f"({n['power-2021-2022']})" in text
    assert "批量筛查" not in text and "过少" not in text
    line = next(x for x in text.splitlines() if x.strip().startswith("no_ruleset"))
    assert "no rule version of the sector governs the reporting year" in line
    assert not RAW_SEVERITY.search(text)


def test_csv_keeps_its_heads_and_speaks_the_language_in_its_text(small_batch):
    for lang, meaning, severity in (("zh", "该行业没有适用于本报告年度的规则版本", "错误"),
                                    ("en", "no rule version of the sector governs the reporting year", "error")):
        rows = list(csv.reader(io.StringIO(screen(small_batch, "--format", "csv", "--lang", lang))))
        assert rows[0] == ["section", "sector", "enterprise", "year", "what", "value", "unit", "detail", "path"]
        found = [r for r in rows if r[0] == "findings"]
        assert found == [["findings", "", "", "", f"no_ruleset: {meaning}", "1", "份报告" if lang == "zh" else "reports",
                          f"{severity}，发现 1 条" if lang == "zh" else "error, 1 findings", ""]]
        above = [r for r in rows if r[0] == "above_benchmark"]
        assert above and all(("300MW等级" in r[7]) == (lang == "zh") for r in above)


def test_html_in_chinese_opens_in_chromium_without_errors(small_batch, tmp_path, request):
    out = tmp_path / "screen-zh.html"
    screen(small_batch, "--format", "html", "--lang", "zh", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text and "<h2>单位产品排放强度</h2>" in text and "<h2>发现项（按代码）</h2>" in text
    assert "Emission intensities" not in text and not RAW_SEVERITY.search(text)
    assert "<td>错误</td>" in text and "<td>该行业没有适用于本报告年度的规则版本</td>" in text
    en = tmp_path / "screen-en.html"
    screen(small_batch, "--format", "html", "--lang", "en", "-o", str(en))
    assert '<html lang="en">' in en.read_text(encoding="utf-8") and "<h2>Emission intensities</h2>" in en.read_text(encoding="utf-8")
    page = request.getfixturevalue("browser_page")  # here, so the checks above run without a browser
    page.goto(out.as_uri())
    page.screenshot(path=str(Path(os.environ.get("MRV_SCREENSHOTS", tmp_path)) / "screen-zh.png"), full_page=True)
    assert page.locator("h2", has_text="单位产品排放强度").is_visible()
    assert page.locator("svg").count() >= 2
    assert page.js_errors == [] and page.console_errors == []


def test_unconfirmed_figures_are_named_by_their_titles_not_their_ids(small_batch):
    """What a reader of the defaults section sees is the rules' own title of each unconfirmed figure
    (a parameter's label, a default table's title and row), in the language asked, never ids such as
    tables.fuels.natural_gas or gwp_CH4; the database keeps the ids (documents.unverified_used)."""
    import json
    import sqlite3

    from mrv_engine import Engine

    db = sqlite3.connect(small_batch)
    ids = {n for (u,) in db.execute("SELECT unverified_used FROM documents WHERE sector = 'power'") for n in json.loads(u)}
    assert any(n.startswith("tables.") for n in ids)
    comp = Engine().composition("power", 2022)
    for lang, sep in (("zh", "："), ("en", ": ")):
        text = screen(small_batch, "--lang", lang)
        section = text.split("使用缺省值或未核实数值的报告" if lang == "zh" else "Reports using default values")[1].split("\n\n")[0]
        assert "tables." not in section and "gwp_" not in section
        for name in ids & {f"tables.{t}.{r}" for t, (spec, _rs) in comp.tables.items() for r in spec.get("rows", {})}:
            _, table, row = name.split(".", 2)
            spec = comp.tables[table][0]
            assert f"{spec['label'][lang]}{sep}{spec['rows'][row]['label'][lang]}" in section
