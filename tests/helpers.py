"""Small builders for test rulesets and hosts (shared by several test modules)."""

import textwrap
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from mrv_engine import InputError

from mrv_engine.core.api import Engine
from mrv_engine.core.plugin.host import Host
from mrv_engine.core.plugin.sector import DataSector

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


def ruleset_text(id="demo-2020", sector="demo", year_from=2020, year_to="null", expr="qty * k"):
    return MINIMAL.format(id=id, sector=sector, year_from=year_from, year_to=year_to, expr=expr)


def write_sector(tmp_path, sector="demo", files=None):
    folder = tmp_path / sector
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (files or {f"{sector}.yaml": ruleset_text(sector=sector, id=f"{sector}-2020")}).items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return DataSector(id=sector, name_zh="测试", name_en="Test", rulesets=folder)


def engine_with(*plugins, entry_points=False):
    from mrv_engine.plugins.general import plugin as general

    return Engine(Host(entry_points=entry_points, plugins=[("general", general), *plugins]))


def half_up(x: Fraction, places: int = 4) -> Decimal:
    """An exact fraction rounded half up, as a ruleset rounds: the tests' independent arithmetic."""
    q = Decimal(x.numerator) / Decimal(x.denominator)
    return q.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def finding_places(engine, submission) -> set:
    """(code, place) of every finding of a submission that must not calculate."""
    with pytest.raises(InputError) as exc:
        engine.calculate(submission)
    return {(f.code, f.place) for f in exc.value.findings}
