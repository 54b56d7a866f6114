"""Issue 17, item 2: mrv screen sets each unit's intensity beside the allocation benchmark of its category,
where the rules carry one (the power plans' supply benchmarks); Engine.benchmarks gives the pairs.

The benchmarks asserted are the plans' own figures (allocation/plans/power-2021-2022.yaml: 2022,
above 300 MW class 0.8177, 300 MW class and below 0.8729 tCO2/MWh; shipped verified: false); each
ratio is recomputed here from the stored intensity.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest
from mrv_engine import load_document
from mrv_engine.batch import run, screen
from mrv_engine.batch.screening import BENCH_FACTOR, render


def test_engine_benchmarks_pair_each_units_intensity_with_its_category(engine, examples_dir):
    sub, _ = load_document(str(examples_dir / "power-plant-2022.json"))
    got = {(b["unit_key"], b["benchmark_name"]): b for b in engine.benchmarks(engine.calculate(sub))}
    power = {k[0]: b for k, b in got.items() if k[1] == "b_power"}
    assert set(power) == {"1-2号机组", "3号机组"}
    assert power["3号机组"]["category"] == "coal_above_300" and power["3号机组"]["benchmark"] == D("0.8177")
    assert power["1-2号机组"]["category"] == "coal_300_below" and power["1-2号机组"]["benchmark"] == D("0.8729")
    b = power["3号机组"]
    assert b["place"] == "$.pages.allocation.summary[unit=3号机组].power_intensity" and b["unit"] == "tCO2/MWh"
    assert b["plan"] == "power-2021-2022" and b["verified"] is False and b["year"] == 2022
    # a unit that supplies no heat has no heat intensity to set beside the heat benchmark
    assert ("3号机组", "b_heat") not in got and ("1-2号机组", "b_heat") in got


def test_no_benchmark_where_the_plan_gives_none(engine, examples_dir):
    sub, _ = load_document(str(examples_dir / "power-plant-2023.json"))  # 2023: the benchmarks must be supplied
    assert engine.benchmarks(engine.calculate(sub)) == []
    sub, _ = load_document(str(examples_dir / "cement-two-kilns-2022.json"))  # no cement plan
    assert engine.benchmarks(engine.calculate(sub)) == []


@pytest.fixture(scope="module")
def power_db(tmp_path_factory, examples_dir):
    folder = tmp_path_factory.mktemp("power")
    for name in ("power-plant-2020.json", "power-plant-2022.json"):
        shutil.copy(examples_dir / name, folder / name)
    # the planted percent-as-fraction case: an oxidation rate of "0.99" in a field kept in %
    planted = json.loads((examples_dir / "power-plant-2022.json").read_text(encoding="utf-8"), parse_float=str)
    planted["enterprise"] = {**planted.get("enterprise", {}), "name": "百分数电厂"}
    planted["pages"]["fuel_t"][0]["of"] = "0.99"
    (folder / "planted-percent.json").write_text(json.dumps(planted, ensure_ascii=False), encoding="utf-8")
    out = tmp_path_factory.mktemp("db") / "power.sqlite"
    summary = run([str(folder)], str(out), jobs=1)
    assert summary.by_status["ok"] == 3, summary.line()
    return out


def test_screen_names_units_above_their_benchmark(power_db):
    s = screen(power_db)
    rows = {(b["figure"], b["category"], b["year"]): b for b in s.benchmarks}
    b = rows[("power_intensity", "coal_above_300", 2022)]
    assert b["benchmark"] == "0.8177" and b["units"] == 2 and b["plan"] == "power-2021-2022" and not b["verified"]
    assert rows[("power_intensity", "coal_300_below", 2022)]["benchmark"] == "0.8729"
    for a in s.above:
        assert a["ratio"] == round(float(a["value"]) / float(a["benchmark"]), 3) and a["ratio"] > BENCH_FACTOR
    named = {(Path(a["path"]).name, a["unit_key"], a["figure"]) for a in s.above}
    unit3 = next(a for a in s.above if a["unit_key"] == "3号机组" and a["year"] == 2022 and a["figure"] == "power_intensity")
    assert D(unit3["value"]) > D("0.8177") * D(str(BENCH_FACTOR))
    assert ("power-plant-2022.json", "3号机组", "power_intensity") in named
    table = render(s, "table")
    assert "Against the allocation benchmarks" in table and "benchmark 0.8177 tCO2/MWh (unconfirmed)" in table
    html = render(s, "html", "zh")
    assert "配额分配基准值" in html and 'stroke="#080"' in html  # the benchmarks drawn on the intensity plot
    assert "above_benchmark" in render(s, "csv")


def test_screen_counts_the_planted_percent_as_fraction(power_db):
    codes = {c["code"]: c for c in screen(power_db).codes}
    assert codes["percent_as_fraction"]["documents"] == 1 and codes["percent_as_fraction"]["severity"] == "warning"
    assert "percent_as_fraction" in render(screen(power_db), "table")
