"""The verifier on the power sector (runs once the power plugin is merged; skipped before)."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from mrv_engine.core.diff.differ import diff
from mrv_engine.core.diff.render import render_diff_table


@pytest.fixture(autouse=True)
def _power_plugin(engine):
    if not any(s["id"] == "power" and s["status"] == "ok" for s in engine.sectors()):
        pytest.skip("the power sector plugin is not installed in this checkout")


def test_power_example_measured_less_often_than_required(load_example, run):
    rep = run(load_example("verify-power-frequency.json"))
    host = {(f.code, f.place) for f in rep.findings if f.origin == "host"}
    assert host == {("measurement.frequency_below_guideline", "$.pages.fuel_t[0].element_carbon"),
                    ("figure.differs", "$.pages.fuel_t[0].emissions")}
    assert all(f.origin == "power" for f in rep.findings if f.origin != "host")


def test_power_examples_verify_without_host_findings_but_the_plan(run, examples_dir):
    for name in ("power-plant-2020.json", "power-plant-2022.json", "power-plant-2023.json"):
        sub = json.loads((examples_dir / name).read_text(encoding="utf-8"))
        assert {f.code for f in run(sub).findings if f.origin == "host"} == {"plan.absent"}, name


def test_power_diff_2022_to_2023_names_the_parameters_and_the_effect(engine, examples_dir):
    sub = json.loads((examples_dir / "power-plant-2023.json").read_text(encoding="utf-8"))
    d = diff(engine, sub, "2022", "2023")
    assert d.a.rulesets[-1] != d.b.rulesets[-1]
    assert d.parameters or d.rules or d.tables
    assert [c["category"] for c in d.categories][-1] == "total" and len(d.categories) == 5
    assert not d.a.error and not d.b.error


def test_power_diff_of_the_2022_example_needs_and_takes_the_2023_grid_factor(engine, examples_dir):
    sub = json.loads((examples_dir / "power-plant-2022.json").read_text(encoding="utf-8"))
    d = diff(engine, sub, "2022", "2023")
    # 485号 governs 2023, for which no grid factor is confirmed: named, and the effect withheld, not guessed
    assert d.b.error and d.categories == [] and d.needs_parameters() == ["grid_ef"]
    (p,) = d.parameters
    assert (p["name"], p["change"], p["from"]["value"], p["to"]) == ("grid_ef", "no_value", D("0.5703"), None)
    # coal defaults: the same 0.03085 tC/GJ / 26.7 GJ/t, confirmed by 229号 for 2022, unconfirmed under 485号
    assert {"table": "fuels_t", "row": "coal", "column": "verified", "change": "verified", "from": True, "to": False} in d.tables
    sub["parameters"] = {"grid_ef": {"value": "0.5703", "unit": "tCO2/MWh"}}
    d = diff(engine, sub, "2022", "2023")
    assert not d.a.error and not d.b.error
    cats = {c["category"]: c for c in d.categories}
    assert len(d.categories) == 5 and all(c["difference"] == 0 for c in d.categories)  # same fuel data, same grid factor
    fig = {f["place"]: f for f in d.figures}
    # 485号 leaves purchased electricity out of the unit's allocation emissions: the difference is minus
    # that unit's electricity emissions (the plant's is split equally over its two units)
    unit = fig["$.pages.allocation.summary[unit=3号机组].emissions"]
    assert unit["difference"] == -cats["energy_indirect"]["from"] / 2
    assert fig["$.pages.allocation.summary[unit=1-2号机组].heat_correction"]["to"] is None


def test_power_diff_text_shows_figures_as_people_read_them(engine, examples_dir):
    sub = json.loads((examples_dir / "power-plant-2020.json").read_text(encoding="utf-8"))
    text = render_diff_table(diff(engine, sub, "2020", "2022"))
    # unrounded row figures carry 50 significant digits; the text cuts them (JSON keeps every digit)
    assert "0000000000000" not in text


def test_every_power_finding_carries_its_rule(load_example, run):
    import re

    from mrv_engine.plugins.power import checks

    text = (checks.__file__ and open(checks.__file__, encoding="utf-8").read())
    codes = set(re.findall(r'_finding\(\s*result,\s*"(\w+)"', text))
    assert codes and codes == set(checks.RULES)  # every code the module emits has its rule
    rep = run(load_example("verify-power-frequency.json"))
    power = [f for f in rep.findings if f.origin == "power"]
    assert power and all(f.rule["zh"] and f.rule["en"] for f in power)
