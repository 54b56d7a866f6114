"""Allocation under each power plan: golden figures by hand arithmetic (no unit allocation stated in a
public source was found), the trace, refusals.

The test plant (conftest ``plant``): 12 × 900 = 10800 MWh supplied, 12 × 1000 = 12000 MWh generated,
2 MW running 12 × 600 = 7200 h, so the load factor is 12000 / (2 × 7200) = 83.333 % (3 decimals, as the
supplementary table keeps it), i.e. 100F = 83.333.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from mrv_engine import InputError

# 0.80 <= F < 0.85: 1 + 0.0014 × (85 − 100F)
F_LOAD_83 = D(1) + D("0.0014") * (D(85) - D("83.333"))  # = 1.0023338


def test_load_factor_correction_by_hand():
    assert F_LOAD_83 == D("1.0023338")


def test_2020_coal_unit_power_only(engine, plant, whole):
    a = engine.allocate(plant(2020))
    assert a.plan.id == "power-2019-2020"
    u = a.units[0]
    # 10800 MWh × 0.979 tCO2/MWh (≤300MW conventional coal) × cooling 1 × heat 1 × load 1.0023338
    expected = D(10800) * D("0.979") * F_LOAD_83
    assert u.values["a_power"] == expected
    assert u.values["a_heat"] == 0
    assert u.allowance == whole(expected) == D(10598)
    assert a.total == D(10598)


def test_2020_chp_unit_heat_and_no_load_correction(engine, plant, whole):
    a = engine.allocate(plant(2020, output="chp", heat="1000"))
    u = a.units[0]
    # heat ratio 20 %: coal heat correction 1 − 0.22 × 0.20 = 0.956; CHP units take no load correction in 2019-2020
    assert u.values["f_heat"] == D("0.956")
    assert u.values["f_load"] == 1
    power = D(10800) * D("0.979") * D("0.956")          # 10107.9792
    heat = D(12000) * D("0.126")                         # 1512
    assert u.allowance == whole(power + heat) == D(11620)


def test_2020_air_cooled(engine, plant, whole):
    u = engine.allocate(plant(2020, cooling="air")).units[0]
    assert u.values["f_cooling"] == D("1.05")
    assert u.allowance == whole(D(10800) * D("0.979") * D("1.05") * F_LOAD_83)


def test_2020_low_load_exponential_piece(engine, plant, whole):
    # 744 h a month: F = 12000 / (2 × 8928) = 0.672043… → 67.204 % → 1.015 ** (16 − 20 × 0.67204)
    u = engine.allocate(plant(2020, hours="744")).units[0]
    f_load = D("1.015") ** (D(16) - D(20) * D("0.67204"))
    assert abs(u.values["f_load"] - f_load) < D("1e-20")
    assert u.allowance == whole(D(10800) * D("0.979") * f_load)


def test_2020_preallocation_from_base_year(engine, plant):
    base = {"year": 2018, "units": {"U1": {"base_supply": "10000", "base_heat_supply": "0"}}}
    a = engine.allocate(plant(2020), base=base)
    # 70 % × 10000 MWh × 0.979 × cooling 1 = 6853
    assert a.units[0].preallocation == D(6853)
    assert a.pre_total == D(6853)


def test_2022_benchmark_of_the_year_and_chp_load_correction(engine, plant, whole):
    a = engine.allocate(plant(2022, output="chp", heat="1000"))
    assert a.plan.id == "power-2021-2022"
    u = a.units[0]
    assert u.values["f_load"] == F_LOAD_83  # from 2021-2022 the load correction applies to CHP units too
    power = D(10800) * D("0.8729") * D("0.956") * F_LOAD_83
    heat = D(12000) * D("0.1105")
    assert u.allowance == whole(power + heat)


def test_2021_uses_2021_benchmarks(engine, plant, whole):
    u = engine.allocate(plant(2021)).units[0]
    assert u.allowance == whole(D(10800) * D("0.8773") * F_LOAD_83)


def test_2024_on_generation(engine, plant, whole):
    a = engine.allocate(plant(2024))
    assert a.plan.id == "power-2023-2024"
    u = a.units[0]
    # 12000 MWh generated × 0.8049 × load 1.0023338; no heat supplied, so no heat benchmark is needed
    assert u.allowance == whole(D(12000) * D("0.8049") * F_LOAD_83)


def test_2023_without_a_benchmark_is_refused_with_how_to_supply_it(engine, plant):
    with pytest.raises(InputError) as exc:
        engine.allocate(plant(2023))
    (f,) = exc.value.findings
    assert f.code == "allocation.missing_figure"
    assert f.place == "$.allocation[unit=U1].a_power"
    assert "b_gen" in f.message and "--figure" in f.message


def test_supplied_figure_is_marked_in_the_trace(engine, plant, whole):
    a = engine.allocate(plant(2023), figures={"b_gen.coal_300_below": "0.8100"})
    assert a.units[0].allowance == whole(D(12000) * D("0.8100") * F_LOAD_83)
    node = next(n for n in a.nodes() if n.id == "a_power")
    op = next(o for o in node.operands if o.name == "b_gen")
    assert op.kind == "submission"
    assert "figures.b_gen" not in a.unverified()  # the plan's own figure was not used
    assert a.to_dict()["supplied"] == {"b_gen.coal_300_below": "0.8100"}


@pytest.mark.parametrize("figures, why", [
    ({"nope": "1"}, "has no figure"),
    ({"b_gen.steel": "1"}, "not a unit category"),
    ({"b_gen.gas": "abc"}, "not a number"),
])
def test_bad_supplied_figures(engine, plant, figures, why):
    with pytest.raises(InputError) as exc:
        engine.allocate(plant(2023), figures=figures)
    assert any(f.code == "allocation.bad_figure" and why in f.message for f in exc.value.findings)


def test_trace_shows_benchmark_citation_and_unverified(engine, plant):
    a = engine.allocate(plant(2020))
    node = next(n for n in a.nodes() if n.id == "a_power")
    assert node.place == "$.allocation[unit=U1].a_power"
    op = next(o for o in node.operands if o.name == "b_power")
    assert op.value == D("0.979") and op.unit == "tCO2/MWh" and op.verified is False
    assert "征求意见稿" in op.citation
    supply = next(o for o in node.operands if o.name == "supply")
    assert "$.pages.allocation.summary[unit=U1].supply" in supply.citation
    text = engine.render(a, "explain", "en")
    assert "UNVERIFIED" in text and "0.979" in text
    assert "figures.b_power" in a.unverified()


def test_no_plan_for_the_year(engine, example):
    with pytest.raises(InputError) as exc:
        engine.allocate(example("hubei-coke.json"))
    assert exc.value.findings[0].code == "allocation.no_plan"


def test_pinned_plan_of_another_year_applies_its_figures(engine, plant, whole):
    a = engine.allocate(plant(2022), plan_id="power-2019-2020")
    assert a.units[0].allowance == whole(D(10800) * D("0.979") * F_LOAD_83)


def test_bundled_examples_allocate(engine, example):
    for name in ("power-plant-2020.json", "power-plant-2022.json"):
        a = engine.allocate(example(name))
        assert a.total == sum(u.allowance for u in a.units) > 0


def test_cli_allocate(repo_root, tmp_path):
    from click.testing import CliRunner
    from mrv_engine.cli.main import cli

    out = tmp_path / "a.json"
    r = CliRunner().invoke(cli, ["allocate", str(repo_root / "examples/power-plant-2022.json"), "--format", "json", "-o", str(out)])
    assert r.exit_code == 0, r.output
    import json

    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["plan"]["id"] == "power-2021-2022" and int(data["total"]["allowance"]) > 0
    r = CliRunner().invoke(cli, ["allocate", str(repo_root / "examples/power-plant-2023.json")])
    assert r.exit_code == 1 and "b_gen" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(cli, ["allocate", str(repo_root / "examples/power-plant-2022.json"), "--figure", "x"])
    assert r.exit_code == 2
