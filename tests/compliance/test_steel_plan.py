"""The steel plan of 2024-2025 (the MEE plan for steel, cement and aluminium smelting): in 2024 the
blast-furnace-converter route's allowance equals its verified emissions (two sources: a reprint quoting
the plan, and ICAP); an EAF route is left out with the reason; 2025 is refused.

The golden route is written out by hand (no allocation of a named steel works was found in a public
source): 100 000 t of limestone at a measured 0.12 tC/t, 1 000 000 t of crude steel leaving at a
measured 0.003 tC/t, and 100 000 t of bituminous coal burned in the ironworks at a measured 20 GJ/t,
0.025 tC/GJ and an oxidation rate of 0.98."""

from __future__ import annotations

import copy
from decimal import Decimal as D

import pytest
from mrv_engine import InputError

C = D(44) / D(12)
# process: limestone 100000 × 0.12 × 44/12 = 44000; crude steel −1000000 × 0.003 × 44/12 = −11000
PROCESS = D(100000) * D("0.12") * C - D(1000000) * D("0.003") * C
# fuel: 100000 × 20 × 0.025 × 0.98 × 44/12 = 179666.666… → 179666.6667 (the fuel rows keep 4 decimals)
FUEL = (D(100000) * D(20) * D("0.025") * D("0.98") * C).quantize(D("0.0001"))
# the 50000 MWh the ironworks consumes (× 0.5366) is indirect and not part of the allowance

BF_BOF = {
    "sector": "steel", "year": 2024, "enterprise": {"name": "测试钢厂", "province": "河北"},
    "parameters": {"grid_ef": {"value": "0.5366", "note": "test: no 2024 factor was found"},
                   "national_grid_ef": {"value": "0.5366", "note": "test: no 2024 factor was found"}},
    "pages": {
        "fuel_combustion": [{"source_name": "高炉喷吹煤", "kind": "stationary", "method": "carbon_content", "fuel": "bituminous",
                             "consumption": "100000", "ncv": {"value": "20", "source": "measured", "frequency": "monthly"}}],
        "electricity_heat": [{"item": "外购电网电力", "carrier": "electricity", "purchased": "100000", "exported": "0"}],
        "steel_inputs": [{"route": "bf_bof", "material": "limestone", "quantity": "100000", "method": "carbon_content",
                          "carbon_content": {"value": "0.12", "source": "measured"}}],
        "steel_outputs": [{"route": "bf_bof", "material": "crude_steel", "quantity": "1000000", "method": "carbon_content",
                           "carbon_content": {"value": "0.003", "source": "measured"}}],
        "supplementary_units": [{"unit": "炼铁厂", "process": "ironmaking", "route": "bf_bof", "electricity": "50000"}],
        "supplementary_fuels": [{"unit": "炼铁厂", "route": "bf_bof", "fuel": "bituminous", "consumption": "100000",
                                 "ncv": "20", "cc": "0.025", "of": "0.98"}],
        "supplementary_routes": [{"route": "bf_bof", "crude_steel": "1000000"}],
    },
}


def _sub(year: int = 2024, eaf: bool = False) -> dict:
    sub = copy.deepcopy(BF_BOF)
    sub["year"] = year
    if eaf:
        p = sub["pages"]
        p["supplementary_units"].append({"unit": "电炉炼钢厂", "process": "eaf_steelmaking", "route": "eaf", "electricity": "300000"})
        p["steel_inputs"].append({"route": "eaf", "material": "limestone", "quantity": "10000", "method": "carbon_content",
                                  "carbon_content": {"value": "0.12", "source": "measured"}})
        p["steel_outputs"].append({"route": "eaf", "material": "crude_steel", "quantity": "500000", "method": "carbon_content",
                                   "carbon_content": {"value": "0.001", "source": "measured"}})
        p["supplementary_routes"].append({"route": "eaf", "crude_steel": "500000"})
    return sub


def test_hand_arithmetic():
    assert PROCESS == D(33000)
    assert FUEL == D("179666.6667")


def test_2024_route_allowance_equals_its_verified_emissions(engine, whole):
    a = engine.allocate(_sub())
    assert a.plan.id == "steel-2024-2025"
    (u,) = a.units
    assert (u.unit, u.category) == ("bf_bof", "bf_bof")
    assert u.emissions == whole(PROCESS + FUEL) == D(212667)
    assert u.allowance == u.emissions == a.total
    assert a.pre_total is None  # 2024年度不开展配额预分配
    assert a.unverified() == ["formulas.emissions"]  # the basis is one source; the equality rule is confirmed
    node = next(n for n in u.nodes if n.id == "allowance")
    assert "经核查的实际碳排放量相等" in node.citation and "UNVERIFIED" not in node.citation


def test_eaf_route_left_out_with_the_reason(engine):
    a = engine.allocate(_sub(eaf=True))
    assert [u.unit for u in a.units] == ["bf_bof"] and a.total == D(212667)
    (note,) = a.notes
    assert "eaf" in note["en"] and "long process" in note["en"] and "高炉—转炉长流程" in note["zh"]


def test_eaf_only_is_refused(engine, example):
    with pytest.raises(InputError) as e:
        engine.allocate(example("steel-eaf-2024.json"))
    (f,) = e.value.findings
    assert f.code == "allocation.category_refused" and f.place == "$.allocation[route=eaf]"


def test_2024_obligation_and_deadline(engine):
    c = engine.comply(_sub(), allowances="200000", ccer="20000")
    f = c.figures
    assert f["obligation"] == D(212667)
    assert f["offset_limit"] == D(10633)  # 5 % of 212667 = 10633.35, rounded down
    assert f["to_buy"] == D(212667) - D(10633) - D(200000) == D(2034)
    # "在年内完成首次配额清缴" at the 28 Nov 2025 press conference (two reports agree)
    assert c.deadline == {"date": "2025-12-31", "citation": c.deadline["citation"], "verified": True}
    assert "年内完成首次配额清缴" in c.deadline["citation"]


def test_2025_refused_with_the_reason(engine):
    with pytest.raises(InputError) as e:
        engine.allocate(_sub(2025))
    assert e.value.findings[0].code == "allocation.year_refused"
    assert "performance ranking" in e.value.findings[0].message


def test_cli_on_the_bundled_example(repo_root):
    import json

    from click.testing import CliRunner
    from mrv_engine.cli.main import cli

    ex = str(repo_root / "examples/steel-bf-bof-eaf-2024.json")
    r = CliRunner().invoke(cli, ["allocate", ex, "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["plan"]["id"] == "steel-2024-2025" and [u["unit"] for u in d["units"]] == ["bf_bof"]
    assert d["units"][0]["allowance"] == d["units"][0]["emissions"]
    r = CliRunner().invoke(cli, ["comply", ex, "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "Surrender deadline: 2025-12-31" in r.output and "does not allocate to route 'eaf'" in r.output
