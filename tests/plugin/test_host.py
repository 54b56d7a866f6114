"""The plugin host: discovery through entry points, and isolation of broken plugins."""

from importlib.metadata import entry_points

import pytest
from mrv_engine.core.api import Engine
from mrv_engine.core.base.errors import PluginLoadError
from mrv_engine.core.plugin import host as host_mod
from mrv_engine.core.plugin.hookspecs import hookimpl
from mrv_engine.core.plugin.host import Host


class FakeEntryPoint:
    def __init__(self, name, load):
        self.name, self._load, self.value, self.dist = name, load, f"fake_{name}:plugin", None

    def load(self):
        return self._load()


def _real_entry_points(group):
    return list(entry_points(group=group))


def test_builtin_sectors_load_through_entry_points():
    names = {ep.name: ep.value for ep in entry_points(group="mrv_engine.sectors")}
    assert names["general"] == "mrv_engine.plugins.general:plugin"
    host = Host()
    for name, status in host.plugins.items():
        assert status.status == "ok", status.reason
        assert status.sectors == [name]  # each entry point's name is the sector id it registers


def test_plugin_that_raises_on_import_is_reported_and_others_load(monkeypatch, tmp_path):
    def boom():
        raise ImportError("No module named 'numpyy'")

    fakes = _real_entry_points("mrv_engine.sectors") + [FakeEntryPoint("cement_x", boom)]
    monkeypatch.setattr(host_mod, "entry_points", lambda group: fakes)
    engine = Engine(Host())
    status = {s["id"]: s for s in engine.sectors()}
    assert status["cement_x"]["status"] == "broken"
    assert "numpyy" in status["cement_x"]["reason"]
    assert status["general"]["status"] == "ok"
    with pytest.raises(PluginLoadError) as exc:
        engine.composition("cement_x", 2020)
    assert "cement_x" in exc.value.message and "mrv sectors" in exc.value.message


def test_misspelt_hook_is_a_broken_plugin(tmp_path, engine_with):
    class Misspelt:
        @hookimpl
        def mrv_register_sector(self, register):  # missing "s"
            pass

    engine = engine_with(("typo", Misspelt()))
    status = {s["id"]: s for s in engine.sectors()}
    assert status["typo"]["status"] == "broken"
    assert "mrv_register_sector" in status["typo"]["reason"]


def test_invalid_registration_is_a_broken_plugin(engine_with):
    class BadInfo:
        @hookimpl
        def mrv_register_sectors(self, register):
            register({"id": "Bad Id!", "name_zh": "x", "name_en": "x", "rulesets": "."})

    engine = engine_with(("bad", BadInfo()))
    status = {s["id"]: s for s in engine.sectors()}
    assert status["bad"]["status"] == "broken" and "mrv_register_sectors failed" in status["bad"]["reason"]


def test_sector_id_taken_twice(tmp_path, engine_with, write_sector):
    a = write_sector(tmp_path / "a")
    b = write_sector(tmp_path / "b")
    engine = engine_with(("a", a), ("b", b))
    status = {s["id"]: s for s in engine.sectors()}
    assert status["b"]["status"] == "broken" and "already registered" in status["b"]["reason"]
    assert engine.composition("demo", 2021)  # the first one still works


def test_blocked_by_environment(monkeypatch, tmp_path, engine_with, write_sector):
    monkeypatch.setenv("MRV_DISABLE_PLUGINS", "demo")
    engine = engine_with(("demo", write_sector(tmp_path)))
    assert {s["id"]: s["status"] for s in engine.sectors()}["demo"] == "blocked"


def test_hook_raising_at_use_names_the_plugin(tmp_path, engine_with, write_sector):
    sector = write_sector(tmp_path)

    class Raising(type(sector)):
        @hookimpl
        def mrv_process_pages(self, sector, ruleset):
            raise RuntimeError("kaputt")

    plugin = Raising(id="demo", name_zh="x", name_en="x", rulesets=tmp_path / "demo")
    engine = engine_with(("demo", plugin))
    with pytest.raises(PluginLoadError) as exc:
        engine.composition("demo", 2021)
    assert "'demo'" in exc.value.message and "kaputt" in exc.value.message


def test_sector_without_plugin_reports_under_general(engine, example):
    result = engine.calculate(example("hubei-coke.json"))
    assert [p.spec.id for p in result.pages] == ["fuel_combustion", "electricity_heat", "general_process"]


def test_composition_order_and_replacement(tmp_path, engine_with, write_sector, ruleset_text):
    text = ruleset_text().replace("pages:\n", "replaces_energy_pages: true\npages:\n")
    engine = engine_with(("demo", write_sector(tmp_path, files={"d.yaml": text})))
    comp = engine.composition("demo", 2021)
    assert [p.id for p in comp.pages] == ["demo_base", "general_process"]
    engine2 = engine_with(("demo", write_sector(tmp_path / "2")))
    assert [p.id for p in engine2.composition("demo", 2021).pages] == [
        "fuel_combustion", "electricity_heat", "demo_base", "general_process"]


def test_every_hook_is_documented_and_tested():
    # datasette's meta-test: a hook nobody documented or tested is a hook nobody can rely on
    import inspect
    from pathlib import Path

    from mrv_engine.core.plugin import hookspecs

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    tests = "".join(p.read_text(encoding="utf-8") for p in (root / "tests").rglob("*.py"))
    hooks = [n for n, f in inspect.getmembers(hookspecs, inspect.isfunction) if n.startswith("mrv_")]
    assert len(hooks) == 5
    for name in hooks:
        assert f"`{name}`" in readme, f"{name} is not in the README"
        assert getattr(hookspecs, name).__doc__.strip(), f"{name} has no docstring"
        assert name in tests.replace("def test_every_hook_is_documented_and_tested", ""), f"{name} has no test"


def test_hook_mrv_boundary(engine):
    boundary = engine.boundary("general", 2022)  # through the general plugin's mrv_boundary
    assert "zh" in boundary["entity"] and boundary["excludes"]
    assert engine.boundary("cement", 2022)["entity"] != boundary["entity"]


def test_hook_mrv_supplementary_tables_and_process_pages(tmp_path, engine_with, write_sector):

    sector = write_sector(tmp_path)

    class Custom(type(sector)):
        @hookimpl
        def mrv_supplementary_tables(self, sector, ruleset):
            if sector != self.id:
                return None
            return [{"id": "per_product", "role": "supplementary", "title": {"zh": "产品", "en": "Per product"},
                     "fields": [{"id": "product", "type": "text", "label": {"zh": "产品", "en": "Product"}}]}]

    engine = engine_with(("demo", Custom(id="demo", name_zh="x", name_en="x", rulesets=tmp_path / "demo")))
    pages = [(p.id, p.role) for p in engine.composition("demo", 2021).pages]
    assert pages[-1] == ("per_product", "supplementary")
    assert ("demo_base", "base") in pages  # mrv_process_pages of DataSector: the ruleset's base page
