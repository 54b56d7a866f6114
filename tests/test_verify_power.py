"""The verifier on the power sector (runs once the power plugin is merged; skipped before)."""

from __future__ import annotations

import json

import pytest

from mrv_engine.core.diff import diff
from verify_helpers import EXAMPLES, engine, load_example, run

pytestmark = pytest.mark.skipif(not any(s["id"] == "power" and s["status"] == "ok" for s in engine().sectors()),
                                reason="the power sector plugin is not installed in this checkout")


def test_power_example_measured_less_often_than_required():
    rep = run(load_example("verify-power-frequency.json"))
    host = {(f.code, f.place) for f in rep.findings if f.origin == "host"}
    assert host == {("measurement.frequency_below_guideline", "$.pages.fuel_t[0].element_carbon"),
                    ("figure.differs", "$.pages.fuel_t[0].emissions")}
    assert all(f.origin == "power" for f in rep.findings if f.origin != "host")


def test_power_examples_verify_without_host_findings_but_the_plan():
    for name in ("power-plant-2020.json", "power-plant-2022.json", "power-plant-2023.json"):
        sub = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
        assert {f.code for f in run(sub).findings if f.origin == "host"} == {"plan.absent"}, name


def test_power_diff_2022_to_2023_names_the_parameters_and_the_effect():
    sub = json.loads((EXAMPLES / "power-plant-2023.json").read_text(encoding="utf-8"))
    d = diff(engine(), sub, "2022", "2023")
    assert d.a.rulesets[-1] != d.b.rulesets[-1]
    assert d.parameters or d.rules or d.tables
    assert [c["category"] for c in d.categories][-1] == "total" and len(d.categories) == 5
    assert not d.a.error and not d.b.error
