"""Fixtures every part of the suite may use (see tests/README.md for the scheme).

Helpers are reached as fixtures, never imported: a fixture that is a builder returns the function.

``browser_page`` is a fresh page (1400x900) in the system's Chromium (``/usr/bin/chromium``, from
``apt-get install chromium``; Playwright's own browser download cannot reach the network here).
It skips, saying why, where no Chromium or no Playwright is installed; .ci/run installs both.
Any page can use it: the service's (``service_url``) or a file (``page.goto(path.as_uri())``).
"""

import copy
import json
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


_OWN_CACHE = None


def pytest_configure(config):
    """The suite keeps its compiled rulesets in a cache directory of its own (subprocesses
    inherit it), not in the user's: a test run must not fill or depend on ~/.cache."""
    global _OWN_CACHE
    if "MRV_CACHE_DIR" not in os.environ:
        _OWN_CACHE = tempfile.mkdtemp(prefix="mrv-test-cache-")
        os.environ["MRV_CACHE_DIR"] = _OWN_CACHE


def pytest_unconfigure(config):
    if _OWN_CACHE:
        os.environ.pop("MRV_CACHE_DIR", None)
        shutil.rmtree(_OWN_CACHE, ignore_errors=True)


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("MRV_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: Playwright's sync API holds an event loop on the main thread while
    it runs, which later tests that start one of their own (asyncio.run) must not find."""
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium: install the distribution's (apt-get install chromium) or set MRV_CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # a test asserts there were none
    # What the page logs as an error (a resource that failed to load, say): a static page
    # (the batch screening's HTML) must log none; the service page logs its refused requests.
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()



@pytest.fixture(autouse=True)
def _cli_language(monkeypatch):
    """The CLI's default language follows MRV_LANG and the locale: pin it to the one a machine
    without either gets (Chinese), so that no test depends on where it runs."""
    for var in ("MRV_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def engine():
    from mrv_engine import Engine

    return Engine()


@pytest.fixture(scope="session")
def service_app(engine):
    """The HTTP service's app over the shared engine (tests/service, tests/browser)."""
    from mrv_engine.service import create_app

    return create_app(engine)


@pytest.fixture
def example():
    def load(name):
        return json.loads((EXAMPLES / name).read_text(encoding="utf-8"), parse_float=str)

    return load


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return ROOT


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The repository's examples/ folder."""
    return EXAMPLES


@pytest.fixture(scope="session")
def refused(engine):
    """``refused(submission, engine=None) -> list[Finding]``: the findings of a submission that must not
    calculate (InputError expected), on the shared engine unless another is given."""
    from mrv_engine import InputError

    shared = engine

    def refused(submission, engine=None):
        with pytest.raises(InputError) as exc:
            (engine or shared).calculate(submission)
        return exc.value.findings

    return refused


# -- a throw-away sector for ruleset and host tests ---------------------------------------

MINIMAL = """\
schema_version: 1
id: {id}
sector: {sector}
title: {{zh: 测试, en: Test}}
years: {{from: {year_from}, to: {year_to}}}
sources:
  doc1: {{title: Test guideline, number: "T-1"}}
parameters:
  k:
    label: {{zh: 系数, en: Factor}}
    value: "2"
    unit: tCO2/t
    source: {{doc: doc1, clause: "1"}}
pages:
  - id: {sector}_base
    role: base
    title: {{zh: 基础页, en: Base}}
    fields:
      - {{id: item, type: text, label: {{zh: 项目, en: Item}}, required: true}}
      - {{id: qty, type: number, unit: t, minimum: 0, required: true, label: {{zh: 数量, en: Quantity}}}}
    formulas:
      - id: emissions
        label: {{zh: 排放量, en: Emissions}}
        unit: tCO2
        decimals: 2
        gas: CO2
        category: process
        expr: {expr}
        source: {{doc: doc1, clause: "2"}}
"""


def _ruleset_text(id="demo-2020", sector="demo", year_from=2020, year_to="null", expr="qty * k"):
    return MINIMAL.format(id=id, sector=sector, year_from=year_from, year_to=year_to, expr=expr)


def _write_sector(tmp_path, sector="demo", files=None):
    from mrv_engine.core.plugin.sector import DataSector

    folder = tmp_path / sector
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (files or {f"{sector}.yaml": _ruleset_text(sector=sector, id=f"{sector}-2020")}).items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return DataSector(id=sector, name_zh="测试", name_en="Test", rulesets=folder)


def _engine_with(*plugins, entry_points=False):
    from mrv_engine.core.api import Engine
    from mrv_engine.core.plugin.host import Host
    from mrv_engine.plugins.general import plugin as general

    return Engine(Host(entry_points=entry_points, plugins=[("general", general), *plugins]))


@pytest.fixture(scope="session")
def ruleset_text():
    """``ruleset_text(id=, sector=, year_from=, year_to=, expr=)``: a minimal valid ruleset's YAML."""
    return _ruleset_text


@pytest.fixture(scope="session")
def write_sector():
    """``write_sector(folder, sector="demo", files=None)``: ruleset files written there, as a DataSector."""
    return _write_sector


@pytest.fixture(scope="session")
def engine_with():
    """``engine_with(*(name, plugin), entry_points=False)``: an Engine of general plus the given plugins."""
    return _engine_with


# -- submissions and a demo sector for verification and diff tests ------------------------

def _general_sub(**extra) -> dict:
    sub = {
        "sector": "general",
        "year": 2022,
        "enterprise": {"name": "测试企业"},
        "pages": {
            "fuel_combustion": [{"source_name": "B1", "kind": "stationary", "fuel": "bituminous", "method": "carbon_content", "consumption": "1000"}],
            "electricity_heat": [{"item": "grid", "carrier": "electricity", "purchased": "100", "exported": "10"}],
        },
    }
    sub.update(copy.deepcopy(extra))
    return sub


DEMO_2019 = """
schema_version: 1
id: demo-2019
sector: demo
title: {zh: 演示行业, en: Demo sector}
years: {from: 2019, to: 2022}
sources:
  demo: {title: Demo guideline (test only)}
parameters:
  ef_default:
    label: {zh: 缺省排放因子, en: Default factor}
    unit: tCO2/t
    value: "2.0"
    source: {doc: demo, clause: "1"}
pages:
  - id: demo_process
    role: base
    title: {zh: 演示工序, en: Demo process}
    fields:
      - {id: item, type: text, label: {zh: 项目, en: Item}, required: true}
      - {id: quantity, type: number, unit: t, minimum: 0, required: true, label: {zh: 产量, en: Quantity}}
      - id: ef
        type: number
        unit: tCO2/t
        minimum: 0
        label: {zh: 排放因子, en: Factor}
        min_frequency: monthly
        priority: [own_lab, third_party_lab, supplier]
        fallbacks: [{param: ef_default, rule: {zh: 缺省值, en: default}, source: {doc: demo, clause: "2"}}]
    formulas:
      - {id: emissions, label: {zh: 排放量, en: Emissions}, unit: tCO2, decimals: 2, gas: CO2, category: process,
         expr: quantity * ef, source: {doc: demo, clause: "3"}}
"""

DEMO_2023 = (DEMO_2019.replace("id: demo-2019", "id: demo-2023").replace("{from: 2019, to: 2022}", "{from: 2023, to: null}")
             .replace('value: "2.0"', 'value: "2.2"').replace("decimals: 2, gas", "decimals: 3, gas"))


def _demo_engine(tmp_path, checks=None):
    from mrv_engine import Engine
    from mrv_engine.core.plugin.host import Host
    from mrv_engine.core.plugin.sector import DataSector

    folder = tmp_path / "demo_rulesets"
    folder.mkdir(exist_ok=True)
    (folder / "demo-2019.yaml").write_text(DEMO_2019, encoding="utf-8")
    (folder / "demo-2023.yaml").write_text(DEMO_2023, encoding="utf-8")
    plugin = DataSector(id="demo", name_zh="演示", name_en="Demo", rulesets=folder, checks=checks)
    return Engine(Host(plugins=[("demo", plugin)]))


def _demo_sub(year=2022, **extra) -> dict:
    sub = {"sector": "demo", "year": year, "pages": {"demo_process": [{"item": "kiln", "quantity": "100"}]}}
    sub.update(copy.deepcopy(extra))
    return sub


@pytest.fixture(scope="session")
def general_sub():
    """``general_sub(**extra) -> dict``: a general-sector 2022 submission (1000 t bituminous coal, 100 MWh
    bought, 10 sold), top-level keys replaced by ``extra``."""
    return _general_sub


@pytest.fixture(scope="session")
def demo_engine():
    """``demo_engine(folder, checks=None) -> Engine``: a demo sector alone, editions 2019-2022 and 2023-,
    its ruleset files written under ``folder``."""
    return _demo_engine


@pytest.fixture(scope="session")
def demo_sub():
    """``demo_sub(year=2022, **extra) -> dict``: a submission for ``demo_engine``'s sector."""
    return _demo_sub
