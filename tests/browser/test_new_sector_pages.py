"""The web page with the sectors of issue 20, in headless Chromium: civil aviation's flight row entered
and calculated, and the grid and chemicals forms rendered.

Jet kerosene by hand (the guideline's formulas (3), (5), (2) and its Appendix 2 table 2.1): 1000 t ×
44100 kJ/kg × 10⁻⁶ = 44.1 TJ; 19.5 tC/TJ × 1 × 44/12 = 71.5 tCO2/TJ; 44.1 × 71.5 = 3153.15 → 3153.1500.
"""

import pytest


def cell(page, path):
    return page.locator(f'td[data-path="{path}"]')


def open_sector(page, url, sector, first_field, year="2022"):
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    page.select_option("#sector", sector)
    page.select_option("#year", year)
    page.wait_for_selector(f'td[data-path="{first_field}"]', timeout=30000)


def test_a_flight_row_of_civil_aviation_calculated(browser_page, service_url, tmp_path):
    page = browser_page
    row = "$.pages.aviation_flight[0]"
    open_sector(page, service_url, "aviation", f"{row}.fleet")
    cell(page, f"{row}.fleet").locator("input").fill("B737 机队")
    cell(page, f"{row}.leg").locator("select").select_option("domestic")
    cell(page, f"{row}.fuel").locator("select").select_option("jet_kerosene")
    cell(page, f"{row}.consumption").locator("input.num").fill("1000")
    page.click("#calculate")
    page.wait_for_selector(".total-value", timeout=30000)
    assert page.inner_text(".total-value") == "3153.1500"
    page.screenshot(path=str(tmp_path / "aviation.png"), full_page=True)
    assert page.js_errors == []


@pytest.mark.parametrize(("sector", "first_field", "title"), [
    ("grid", "$.pages.grid_sf6[0].equipment", "输配电引起的二氧化碳排放"),
    ("chemicals", "$.pages.fuel_combustion[0].source_name", "行业基本工艺计算页面"),
])
def test_the_other_new_sectors_render(browser_page, service_url, sector, first_field, title, tmp_path):
    """The form opens with one row of its first page; the sector's own pages are there to add rows to."""
    page = browser_page
    open_sector(page, service_url, sector, first_field)
    # the general sector the page opens with has a fuel_combustion page too: wait for the sector's own
    page.wait_for_selector(f"#pages :text('{title}')", timeout=30000)
    assert title in page.inner_text("#pages")
    page.screenshot(path=str(tmp_path / f"{sector}.png"))
    assert page.js_errors == []
