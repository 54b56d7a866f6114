"""The surrender obligation: hand arithmetic over the allocation and the report's verified emissions
(both read from the engine's allocation, the rules applied here by hand)."""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from mrv_engine import InputError


def whole(x):
    return x.quantize(D(1), rounding=ROUND_HALF_UP)


def test_gap_cap_and_offset_limit(engine, plant):
    sub = plant(2022, coal="1000")
    a = engine.allocate(sub)
    E, A = a.emissions, a.total
    assert E - A > D("0.20") * E  # the test plant's gap exceeds 20 % of its emissions
    c = engine.comply(sub, ccer="999999", banked="100")
    O = whole(A + D("0.20") * E)                     # capped: allocation + 20 % of verified emissions
    assert c.figures["obligation"] == O
    limit = (D("0.05") * O).quantize(D(1), rounding=ROUND_FLOOR)  # CCER at most 5 % of the obligation
    assert c.figures["offset_limit"] == limit == c.figures["ccer_used"]
    assert c.figures["to_buy"] == O - limit - A - 100
    assert c.figures["surplus"] == 0
    assert {r["rule"]: r["applied"] for r in c.rules}["gap_cap"] is True


def test_no_cap_when_the_gap_is_small(engine, plant):
    sub = plant(2022, coal="100")
    a = engine.allocate(sub)
    c = engine.comply(sub, allowances=str(a.emissions - 1))
    assert c.figures["obligation"] == whole(a.emissions)
    assert c.figures["to_buy"] == whole(a.emissions) - (a.emissions - 1)


def test_gas_unit_shortfall_is_exempt(engine, plant):
    sub = plant(2020, category="gas", coal="1000")
    a = engine.allocate(sub)
    # gas: 10800 MWh × 0.392 (no cooling or load correction, no heat) = 4233.6 → 4234
    assert a.total == D(4234)
    c = engine.comply(sub)
    assert c.figures["exempt_shortfall"] == a.emissions - 4234
    assert c.figures["obligation"] == 4234 and c.figures["to_buy"] == 0


def test_surplus_and_banking_cap(engine, plant):
    sub = plant(2024, coal="100")
    a = engine.allocate(sub)
    c = engine.comply(sub, net_sold="2000")
    surplus = a.total - whole(a.emissions)
    assert surplus > 0 and c.figures["surplus"] == surplus
    # 2023-2024: at most 10000 t + 1.5 × net sold
    assert c.figures["bankable"] == min(surplus, D(10000) + D("1.5") * 2000)


def test_borrowing_2021_2022(engine, plant):
    sub = plant(2022, coal="1000")
    c = engine.comply(sub)
    a = c.allocation
    gap = c.figures["obligation"] - a.total
    assert gap / a.emissions > D("0.10")
    assert c.figures["borrowable"] == whole(gap * D("0.5"))


@pytest.mark.parametrize("kw", [{"ccer": "-1"}, {"allowances": "abc"}, {"banked": 1.5}])
def test_bad_amounts(engine, plant, kw):
    with pytest.raises(InputError) as exc:
        engine.comply(plant(2022), **kw)
    assert exc.value.findings[0].code == "compliance.bad_amount"


def test_deadline_and_json(engine, plant):
    d = engine.comply(plant(2022)).to_dict()
    # both years by the end of 2023: MEE's spokesman at the 28 Aug 2023 press conference (新华社) and ICAP agree
    assert d["deadline"]["date"] == "2023-12-31" and d["deadline"]["verified"] is True
    assert "2023年底" in d["deadline"]["citation"]
    assert any(n["id"] == "obligation" for n in d["trace"])


def test_cli_comply(repo_root):
    from click.testing import CliRunner
    from mrv_engine.cli.main import cli

    r = CliRunner().invoke(cli, ["comply", str(repo_root / "examples/power-plant-2022.json"), "--ccer", "100", "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "Surrender obligation" in r.output and "5 %" in r.output
    r = CliRunner().invoke(cli, ["comply", str(repo_root / "examples/hubei-coke.json"), "--lang", "en"])
    assert r.exit_code == 1 and "no allocation plan" in r.output


def test_borrowing_at_exactly_ten_percent(engine, plant, whole):
    # "配额缺口率在10%及以上" (易碳家's restatement of the 2021-2022 plan): a gap of exactly 10 % qualifies
    E = engine.comply(plant(2022)).allocation.emissions
    O = whole(E)  # a coal unit, no exemption, and a 10 % gap is under the 20 % cap
    held = O - E / 10
    c = engine.comply(plant(2022), allowances=str(held))
    assert (c.figures["obligation"] - held) / E == D("0.1")
    assert c.figures["borrowable"] == whole(E / 10 * D("0.5")) > 0
    assert next(r for r in c.rules if r["rule"] == "borrowing")["applied"] is True
