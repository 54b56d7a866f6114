"""The service's web page in headless Chromium: the Hubei coke row entered, calculated, explained.

Seed 000's coke row: 35264 t × 28435 kJ/kg (28.435 GJ/t) × 108167 kgCO2/TJ (0.108167 tCO2/GJ) × 1
= 108462.494937280 tCO2, 108462.4949 half up to 4 decimals. Screenshots go to the test's tmp
folder; MRV_UPDATE_SCREENSHOTS=1 also writes docs/service-page.png for the README.
"""

import json
import os
import shutil
import time
from decimal import ROUND_HALF_UP, Decimal

import pytest

COKE = {"source_name": "1#焦炉", "kind": "stationary", "fuel": "coke", "method": "emission_factor",
        "consumption": ("35264", ""), "ncv": ("28435", "kJ/kg"), "ef": ("108167", "kgCO2/TJ"), "of": ("1", "")}


def cell(page, path):
    return page.locator(f'td[data-path="{path}"]')


def open_page(page, url, year="2014"):
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    page.select_option("#year", year)
    page.wait_for_selector('td[data-path="$.pages.fuel_combustion[0].source_name"]')


def test_enter_calculate_explain_the_hubei_coke_row(browser_page, service_url, tmp_path, repo_root):
    page = browser_page
    open_page(page, service_url)
    row = "$.pages.fuel_combustion[0]"
    for fid, value in COKE.items():
        c = cell(page, f"{row}.{fid}")
        if isinstance(value, tuple):
            c.locator("input.num").fill(value[0])
            if value[1]:
                c.locator("input.unit").fill(value[1])
        elif c.locator("select").count():
            c.locator("select").select_option(value)
        else:
            c.locator("input").fill(value)
    page.click("#calculate")
    page.wait_for_selector(".total-value", timeout=30000)
    assert page.inner_text(".total-value") == "108462.4949"
    figure = cell(page, f"{row}.emissions").locator("a.figure")
    assert figure.inner_text().startswith("108462.4949")
    page.screenshot(path=str(tmp_path / "calculated.png"), full_page=True)

    figure.click()
    page.wait_for_selector("#explain:not([hidden]) .explained-value")
    panel = page.inner_text("#explain")
    assert page.inner_text(".explained-value") == "108462.4949"
    assert "35264 t × 28.435 GJ/t × 0.108167 tCO2/GJ × 1 = 108462.4949 tCO2" in panel
    assert "28435 kJ/kg" in panel and "108167 kgCO2/TJ" in panel  # the operands as entered, before conversion
    assert "108462.494937280 → 108462.4949" in panel  # rounding, half up to 4 decimals
    page.locator("#results").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "explained.png"))
    if os.environ.get("MRV_UPDATE_SCREENSHOTS"):
        shutil.copy(tmp_path / "explained.png", repo_root / "docs" / "service-page.png")
    assert page.js_errors == []


def test_findings_appear_beside_their_field_as_the_user_types(browser_page, service_url, tmp_path):
    page = browser_page
    open_page(page, service_url, "2022")
    consumption = cell(page, "$.pages.fuel_combustion[0].consumption")
    consumption.locator("input.num").fill("-5")
    page.wait_for_selector('td.bad[data-path="$.pages.fuel_combustion[0].consumption"]', timeout=15000)
    assert "小于下限 0" in consumption.locator(".msg").inner_text()
    consumption.locator("input.num").fill("5")
    page.wait_for_selector('td[data-path="$.pages.fuel_combustion[0].consumption"]:not(.bad)', timeout=15000)
    page.screenshot(path=str(tmp_path / "findings.png"))
    assert page.js_errors == []


def _figures(doc):
    """``doc`` with every number as a Decimal, whether written as a JSON number or as text (the page
    keeps figures as text so that none becomes a binary float)."""
    if isinstance(doc, dict):
        return {k: _figures(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_figures(v) for v in doc]
    if isinstance(doc, (int, Decimal)) and not isinstance(doc, bool):
        return Decimal(doc)
    if isinstance(doc, str):
        try:
            return Decimal(doc)
        except ArithmeticError:
            return doc
    return doc


def test_verify_and_the_html_report(browser_page, service_url, examples_dir, tmp_path):
    page = browser_page
    page.goto(service_url)
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    page.set_input_files("#load", str(examples_dir / "verify-defects.json"))
    page.wait_for_selector("#status.ok, #status.warn", timeout=30000)
    page.click("#verify")
    page.wait_for_selector("#verification:not([hidden]) tr.error", timeout=30000)
    assert "复算值" in page.inner_text("#verification")
    page.locator("#verification").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "verified.png"))
    with page.expect_download() as download:
        page.click("#verify-html")
    saved = tmp_path / "verification.html"
    download.value.save_as(saved)
    assert saved.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    report = page.context.new_page()  # the downloaded report, opened as a verifier would
    report.goto(saved.as_uri())
    assert "复算" in report.inner_text("body")
    report.screenshot(path=str(tmp_path / "verification-html.png"))
    report.close()
    with page.expect_download() as download:  # the form saved as JSON is the submission loaded
        page.click("#save")
    download.value.save_as(tmp_path / "saved.json")
    saved_doc = json.loads((tmp_path / "saved.json").read_text(encoding="utf-8"), parse_float=Decimal)
    loaded_doc = json.loads((examples_dir / "verify-defects.json").read_text(encoding="utf-8"), parse_float=Decimal)
    assert _figures(saved_doc) == _figures(loaded_doc)  # every key and figure, plan and evidence included
    assert page.js_errors == []


def _power_plant_of_20_units(examples_dir):
    """The example plant's 3号机组 (coal, 660 MW) twenty times over: 20 units of the plan, each with
    its 12 months of coal (240 fuel rows) and of production (240 rows), a submission the engine accepts."""
    doc = json.loads((examples_dir / "power-plant-2022.json").read_text(encoding="utf-8"), parse_float=str)
    unit = next(r for r in doc["pages"]["plan_units"] if r["unit"] == "3号机组")
    rows = {p: [r for r in doc["pages"][p] if r.get("unit") == "3号机组"] for p in ("fuel_t", "production")}
    assert [len(v) for v in rows.values()] == [12, 12]
    names = [f"{k + 1}号机组" for k in range(20)]
    doc["pages"] = {"plan_units": [{**unit, "unit": n} for n in names],
                    **{p: [{**r, "unit": n} for n in names for r in rs] for p, rs in rows.items()}}
    return doc


def test_a_year_of_monthly_rows_does_not_freeze_the_page(browser_page, service_url, examples_dir, tmp_path):
    """12 months x 20 fuel rows on the power plant's fuel page: loaded, rendered, typed into, checked,
    calculated, a figure of the last row explained, a finding placed beside its field."""
    import urllib.request

    doc = _power_plant_of_20_units(examples_dir)
    big = tmp_path / "power-240-rows.json"
    big.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with urllib.request.urlopen(urllib.request.Request(f"{service_url}/calculate", data=big.read_bytes(), method="POST",
                                                       headers={"Content-Type": "application/json"}), timeout=120) as r:
        total = json.loads(r.read())["totals"]["total_co2e"]  # what the service answers, for the page to show
    page = browser_page
    page.goto(service_url)
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    started = time.monotonic()
    page.set_input_files("#load", str(big))
    page.wait_for_selector('td[data-path="$.pages.fuel_t[239].consumption"]', timeout=60000)
    page.wait_for_selector("#status.ok", timeout=60000)  # checked by the service: no finding
    loaded = time.monotonic() - started
    render_ms = page.evaluate("window.mrvLoadMs")
    inputs = page.evaluate("document.querySelectorAll('input, select').length")
    # one keystroke: the time the page's input handler takes (the check itself runs after a pause)
    keystroke_ms = page.evaluate("""() => {
        const input = document.querySelector('td[data-path="$.pages.fuel_t[120].consumption"] input.num');
        const t0 = performance.now();
        input.value = input.value;
        input.dispatchEvent(new Event("input", {bubbles: true}));
        return performance.now() - t0;
    }""")
    with page.expect_download() as download:  # saved as loaded, all 480 rows
        page.click("#save")
    download.value.save_as(tmp_path / "saved.json")
    assert _figures(json.loads((tmp_path / "saved.json").read_text(encoding="utf-8"))) == _figures(doc)
    started = time.monotonic()
    page.click("#calculate")
    page.wait_for_selector(".total-value", timeout=120000)
    calculated = time.monotonic() - started
    assert page.inner_text(".total-value") == total
    figure = cell(page, "$.pages.fuel_t[239].emissions").locator("a.figure")
    started = time.monotonic()
    figure.click()
    page.wait_for_selector("#explain:not([hidden]) .explained-value", timeout=60000)
    explain_s = time.monotonic() - started
    # the figure clicked: the table shows it at the report's decimals, the explanation in full,
    # without the trailing zeros of the engine's 50 significant digits
    explained, shown = page.inner_text(".explained-value"), figure.get_attribute("title")
    assert 2 < len(explained.split(".")[1]) < 20 and not explained.endswith("0")
    assert Decimal(explained).quantize(Decimal(shown), ROUND_HALF_UP) == Decimal(shown)
    assert "$.pages.fuel_t[239].emissions" in page.inner_text("#explain .place")
    page.screenshot(path=str(tmp_path / "240-rows-explained.png"))
    page.click("#explain-close")
    # a wrong figure typed in row 201: its finding beside that field, as the user types
    started = time.monotonic()
    bad = cell(page, "$.pages.fuel_t[200].consumption")
    bad.locator("input.num").fill("-5")
    page.wait_for_selector('td.bad[data-path="$.pages.fuel_t[200].consumption"]', timeout=60000)
    flagged = time.monotonic() - started
    assert "小于下限 0" in bad.locator(".msg").inner_text()
    assert page.evaluate("document.querySelectorAll('td.bad').length") == 1
    bad.evaluate("td => td.scrollIntoView({block: 'center', inline: 'center'})")  # clear of the sticky header
    page.screenshot(path=str(tmp_path / "240-rows-finding.png"))
    report = (f"240 fuel + 240 production rows, {inputs} inputs: loaded and checked in {loaded:.2f} s (render {render_ms:.0f} ms), "
              f"a keystroke's handler {keystroke_ms:.1f} ms, calculated and shown in {calculated:.2f} s, "
              f"a figure explained in {explain_s:.2f} s, a finding beside its field {flagged:.2f} s after typing")
    (tmp_path / "timings.txt").write_text(report + "\n", encoding="utf-8")
    print(report)
    # not a benchmark: a frozen page is seconds per keystroke, these bounds are 20x what it takes here
    assert keystroke_ms < 200 and render_ms < 10000
    assert page.js_errors == []


@pytest.fixture(autouse=True)
def _no_network_from_the_page(browser_page, service_url):
    """The page loads nothing from outside the service (it must work offline): no CDN."""
    outside = []
    browser_page.on("request", lambda r: r.url.startswith(("http://", "https://")) and not r.url.startswith(service_url)
                    and outside.append(r.url))
    yield
    assert outside == []
