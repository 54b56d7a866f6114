"""The cement plan of 2024-2025 (the MEE plan for steel, cement and aluminium smelting): in 2024 a
clinker line's allowance equals its verified emissions (two sources: a reprint quoting the plan, and
ICAP), with no pre-allocation; 2025's benchmarks were not confirmed, so 2025 is refused.

The golden line is written out by hand: 100 000 t of clinker at a measured factor of 0.5 tCO2/t, and
10 000 t of bituminous coal at a measured 20 GJ/t, 0.025 tC/GJ and an oxidation rate of 0.98."""

from __future__ import annotations

import copy
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from mrv_engine import InputError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cement-clinker-default-2024.json"
LINE = "1#线"

# process: 100000 t × 0.5 tCO2/t = 50000 tCO2
PROCESS = D(100000) * D("0.5")
# fuel: 10000 t × 20 GJ/t × 0.025 tC/GJ × 0.98 × 44/12 = 17966.666… → 17966.6667 (the line table keeps 4 decimals)
FUEL = (D(10000) * D(20) * D("0.025") * D("0.98") * D(44) / D(12)).quantize(D("0.0001"))
DIRECT = PROCESS + FUEL  # 67966.6667 tCO2; the line's electricity (5000 MWh) is not part of it


def _line(year: int = 2024) -> dict:
    sub = copy.deepcopy(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    sub["year"] = year
    pages = sub["pages"]
    pages["clinker_process"] = [{"line": LINE, "clinker_type": "portland", "clinker": "100000", "ef": "0.5"}]
    pages.pop("substitute_materials", None)
    pages["supplementary_fuels"] = [{"line": LINE, "fuel": "bituminous", "consumption": "10000", "ncv": "20", "cc": "0.025", "of": "0.98"}]
    pages["supplementary_lines"] = [{"line": LINE, "facility": "clinker_line", "clinker_output": "100000", "electricity": "5000"}]
    return sub


def test_hand_arithmetic():
    assert FUEL == D("17966.6667")
    assert DIRECT == D("67966.6667")


def test_2024_allowance_equals_verified_emissions(engine, whole):
    a = engine.allocate(_line())
    assert a.plan.id == "cement-2024-2025"
    (u,) = a.units
    assert u.unit == LINE
    assert u.emissions == whole(DIRECT) == D(67967)
    assert u.allowance == u.emissions == a.total
    assert a.pre_total is None  # 2024年度不开展配额预分配
    # the basis (direct emissions only) is one source: unconfirmed, and said so; the equality rule is confirmed
    assert a.unverified() == ["formulas.emissions"]
    node = next(n for n in u.nodes if n.id == "allowance")
    assert "经核查的实际碳排放量相等" in node.citation and "UNVERIFIED" not in node.citation


def test_2024_obligation_and_what_to_buy(engine):
    c = engine.comply(_line(), allowances="60000", ccer="5000")
    f = c.figures
    assert f["obligation"] == D(67967)
    assert f["offset_limit"] == D(3398)  # 5 % of 67967 = 3398.35, rounded down
    assert f["to_buy"] == D(67967) - D(3398) - D(60000) == D(4569)
    # "在年内完成首次配额清缴" (MEE press conference of 28 Nov 2025, two reports): by the end of 2025
    assert c.deadline["date"] == "2025-12-31" and c.deadline["verified"] is True


def test_2025_refused_with_the_reason(engine):
    with pytest.raises(InputError) as e:
        engine.allocate(_line(2025))
    assert e.value.findings[0].code == "allocation.year_refused"
    assert "not confirmed" in e.value.findings[0].message


def test_table_heads_lines_and_names_the_unverified_item(engine):
    from mrv_engine.core.compliance.render import allocation_table

    text = allocation_table(engine.allocate(_line()), "zh")
    assert "熟料生产线" in text and "类别" not in text
    assert "经核查排放量（熟料生产线直接排放，不含外购电力热力）（emissions）" in text


def test_readme_counts_the_confirmed_plan_items(repo_root):
    import re

    from mrv_engine.core.compliance.plans import bundled_plans

    counts = [p.confirmation() for p in bundled_plans().all()]
    total, confirmed = sum(c[0] for c in counts), sum(c[1] for c in counts)
    text = " ".join((repo_root / "README.md").read_text(encoding="utf-8").split())
    m = re.search(r"Of the plans' (\d+) items .*?, (\d+) are confirmed", text)
    assert m and (int(m.group(1)), int(m.group(2))) == (total, confirmed)


# Aluminium, by hand: one potline of 10000 t; anode 0.4 tC/t at 2 % sulphur and 0.5 % ash:
# 10000 × 0.4 × (1 − 0.02 − 0.005) × 44/12 = 14300 tCO2; anode effects measured at 0.05 kg CF4/t and
# 0.005 kg C2F6/t: 0.5 t × 6630 + 0.05 t × 11100 = 3315 + 555 = 3870 tCO2e (the ruleset's AR5 potentials);
# the potline's 130000 MWh of electricity is not part of its direct emissions.
AL_DIRECT = D(10000) * D("0.4") * (1 - D("0.02") - D("0.005")) * D(44) / D(12) + D("0.5") * 6630 + D("0.05") * 11100


def _potline(year: int = 2024) -> dict:
    return {"sector": "aluminium", "year": year, "enterprise": {"name": "测试电解铝", "province": "河南"},
            "parameters": {"national_grid_ef": {"value": "0.5366", "note": "test: no 2024 factor was found"}},
            "pages": {
                "anode": [{"line": "一系列", "al_output": "10000", "anode_nc": "0.4", "sulphur": "2", "ash": "0.5"}],
                "anode_effect": [{"line": "一系列", "al_output": "10000", "method": "measured",
                                  "ef_cf4_measured": "0.05", "ef_c2f6_measured": "0.005"}],
                "al_supplementary": [{"line": "一系列", "al_liquid": "10000", "electricity": "130000"}]}}


def test_aluminium_2024_allowance_equals_the_potlines_direct_emissions(engine):
    assert AL_DIRECT == D(18170)
    a = engine.allocate(_potline())
    assert a.plan.id == "aluminium-2024-2025"
    (u,) = a.units
    assert u.unit == "一系列" and u.allowance == u.emissions == AL_DIRECT
    assert a.unverified() == ["formulas.emissions"]
    c = engine.comply(_potline(), allowances="15000", ccer="1000")
    # 5 % of 18170 = 908.5, rounded down 908; 18170 − 908 − 15000 = 2262
    assert c.figures["offset_limit"] == D(908) and c.figures["to_buy"] == D(2262)


def test_aluminium_2025_refused(engine):
    with pytest.raises(InputError) as e:
        engine.allocate(_potline(2025))
    assert e.value.findings[0].code == "allocation.year_refused"
