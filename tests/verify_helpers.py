"""Small builders shared by the verification tests (a module, not a conftest: explicit imports)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

from mrv_engine import Engine
from mrv_engine.core.plugin.host import Host
from mrv_engine.core.plugin.sector import DataSector
from mrv_engine.core.verify.recompute import verify

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

_ENGINE = None


def engine() -> Engine:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE


def base(**extra) -> dict:
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


def run(sub: dict, eng: Engine | None = None, **kw):
    return verify(eng or engine(), sub, **kw)


def load_example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"), parse_float=Decimal)


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


def demo_engine(tmp_path, checks=None) -> Engine:
    folder = tmp_path / "demo_rulesets"
    folder.mkdir(exist_ok=True)
    (folder / "demo-2019.yaml").write_text(DEMO_2019, encoding="utf-8")
    (folder / "demo-2023.yaml").write_text(DEMO_2023, encoding="utf-8")
    plugin = DataSector(id="demo", name_zh="演示", name_en="Demo", rulesets=folder, checks=checks)
    return Engine(Host(plugins=[("demo", plugin)]))


def demo_sub(year=2022, **extra) -> dict:
    sub = {"sector": "demo", "year": year, "pages": {"demo_process": [{"item": "kiln", "quantity": "100"}]}}
    sub.update(copy.deepcopy(extra))
    return sub
