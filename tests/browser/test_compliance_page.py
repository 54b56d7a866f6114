"""The allocation and the surrender obligation on the web page, in headless Chromium.

The cement line is the hand-worked one of tests/compliance/test_industry_plans.py: 100000 t of clinker at
0.5 tCO2/t plus 10000 t of coal × 20 GJ/t × 0.025 tC/GJ × 0.98 × 44/12 = 67966.6667 tCO2, 67967 in whole
tonnes; under the 2024-2025 plan the 2024 allowance equals it. Holding 60000 allowances and 5000 CCER:
the CCER limit is 5 % of 67967 = 3398.35, rounded down 3398, and 67967 − 3398 − 60000 = 4569 remain to buy.
Screenshots go to the test's tmp folder; MRV_UPDATE_SCREENSHOTS=1 also writes docs/compliance-page.png.
"""

import copy
import json
import os
import shutil
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cement-clinker-default-2024.json"


def cement_line(tmp_path) -> Path:
    sub = copy.deepcopy(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    pages = sub["pages"]
    pages["clinker_process"] = [{"line": "1#线", "clinker_type": "portland", "clinker": "100000", "ef": "0.5"}]
    pages.pop("substitute_materials", None)
    pages["supplementary_fuels"] = [{"line": "1#线", "fuel": "bituminous", "consumption": "10000", "ncv": "20", "cc": "0.025", "of": "0.98"}]
    pages["supplementary_lines"] = [{"line": "1#线", "facility": "clinker_line", "clinker_output": "100000", "electricity": "5000"}]
    path = tmp_path / "cement-line.json"
    path.write_text(json.dumps(sub, ensure_ascii=False), encoding="utf-8")
    return path


def load(page, url, path):
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=60000)
    page.set_input_files("#load", str(path))
    page.wait_for_selector("#status.ok, #status.warn", timeout=60000)


def test_allocation_and_what_remains_to_buy(browser_page, service_url, tmp_path, repo_root):
    page = browser_page
    load(page, service_url, cement_line(tmp_path))
    page.click("#comply")
    page.wait_for_selector("#compliance:not([hidden]) #to-buy", timeout=60000)
    out = page.inner_text("#compliance")
    assert "2024、2025年度全国碳排放权交易市场钢铁、水泥、铝冶炼行业配额总量和分配方案" in out
    assert page.inner_text("table.allocation tbody tr:first-child td:nth-child(2)") == "67967"
    assert page.inner_text("#to-buy") == "0"  # held = the allowance = the obligation

    page.fill("#c-allowances", "60000")
    page.fill("#c-ccer", "5000")
    page.click("#comply-run")
    page.wait_for_function("document.querySelector('#to-buy')?.textContent === '4569'", timeout=60000)
    out = page.inner_text("#compliance")
    assert "CCER抵销不超过应清缴配额量的5%" in out and "已适用" in out
    assert "经核查排放量（熟料生产线直接排放，不含外购电力热力）" in out and "未经核实" in out  # the basis, one source

    page.click("table.allocation a.plan-figure")
    page.wait_for_selector("#explain:not([hidden]) .explained-value", timeout=60000)
    panel = page.inner_text("#explain")
    assert page.inner_text(".explained-value") == "67967"
    assert "经核查的实际碳排放量相等" in panel
    page.screenshot(path=str(tmp_path / "compliance.png"), full_page=False)
    if os.environ.get("MRV_UPDATE_SCREENSHOTS"):
        shutil.copy(tmp_path / "compliance.png", repo_root / "docs" / "compliance-page.png")
    assert page.js_errors == []


def test_a_plan_that_cannot_allocate_says_why_and_a_supplied_figure_is_marked(browser_page, service_url, examples_dir, tmp_path):
    page = browser_page
    load(page, service_url, examples_dir / "power-plant-2023.json")
    page.click("#comply")
    page.wait_for_selector("#compliance:not([hidden]) .error", timeout=60000)
    assert "发电基准值（b_gen）" in page.inner_text("#compliance-out")
    page.screenshot(path=str(tmp_path / "refused.png"))
    assert page.js_errors == []


def test_supplied_benchmarks_are_used_and_marked(browser_page, service_url, examples_dir, engine, tmp_path):
    from mrv_engine import load_document

    page = browser_page
    load(page, service_url, examples_dir / "power-plant-2023.json")
    supplied = {"b_gen.coal_300_below": "0.8049", "b_gen.coal_above_300": "0.7861", "b_heat": "0.11"}
    page.click("#comply")
    page.fill("#c-figures", "\n".join(f"{k}={v}" for k, v in supplied.items()))
    page.click("#comply-run")
    page.wait_for_selector("#compliance:not([hidden]) #to-buy", timeout=60000)
    sub, _ = load_document(examples_dir / "power-plant-2023.json")
    expected = engine.allocate(sub, figures=supplied)  # the same request through the public API
    assert page.inner_text("table.allocation tbody tr:last-child td:nth-child(3)") == str(expected.total)
    page.click("table.allocation a.plan-figure")
    page.wait_for_selector("#explain:not([hidden]) .explained-value", timeout=60000)
    page.click("#explain a.plan-figure >> nth=0")  # the allowance is computed from the power part: open it
    page.wait_for_function("document.querySelector('#explain h3').textContent.includes('发电配额量')")
    panel = page.inner_text("#explain")
    assert "发电基准值" in panel and "0.8049" in panel and "报告方提供的参数" in panel  # a supplied figure is marked as such
    page.screenshot(path=str(tmp_path / "supplied.png"))
    assert page.js_errors == []


def test_steel_route_left_out_is_said(browser_page, service_url, examples_dir, engine, tmp_path):
    """The bundled integrated works: the blast-furnace-converter route is allocated its verified emissions,
    the EAF route is left out and the page says why (the steel plan's scope)."""
    from mrv_engine import load_document

    page = browser_page
    load(page, service_url, examples_dir / "steel-bf-bof-eaf-2024.json")
    page.click("#comply")
    page.wait_for_selector("#compliance:not([hidden]) #to-buy", timeout=60000)
    sub, _ = load_document(examples_dir / "steel-bf-bof-eaf-2024.json")
    a = engine.allocate(sub)
    assert page.inner_text("table.allocation tbody tr:first-child td:nth-child(3)") == str(a.total)
    note = page.inner_text("#compliance p.left-out")
    assert "eaf" in note and "高炉—转炉长流程" in note
    assert "2025-12-31" in page.inner_text("#compliance")
    page.screenshot(path=str(tmp_path / "steel.png"), full_page=True)
    assert page.js_errors == []
