"""Editions that start or end inside a reporting year: selection by month, calculation of each
month under its own edition, the trace and report naming it, whole-year selection kept elsewhere.

The demo sector has two editions split at April 2022 whose only difference is the default factor
(2.0 tCO2/t to March, 2.5 from April); the expected figures are worked out by hand in each test.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mrv_engine import Engine, InputError
from mrv_engine.core.base.errors import MrvError, RulesetError, SelectionError
from mrv_engine.core.plugin.host import Host
from mrv_engine.core.plugin.sector import DataSector

EDITION = """
schema_version: 1
id: {id}
sector: monthly
title: {{zh: 月度演示 {id}, en: Monthly demo {id}}}
years: {years}
sources:
  notice: {{title: 演示通知（测试用）, number: 演示〔2022〕1号}}
parameters:
  ef_default:
    label: {{zh: 缺省排放因子, en: Default factor}}
    unit: tCO2/t
    value: "{ef}"
    source: {{doc: notice, clause: "表1"}}
pages:
  - id: monthly_use
    role: base
    title: {{zh: 月度消耗, en: Monthly use}}
    keys: [item, month]
    months: {{field: month, group_by: [item]}}
    fields:
      - {{id: item, type: text, required: true, label: {{zh: 项目, en: Item}}}}
      - {{id: month, type: integer, unit: "1", minimum: 1, maximum: 12, required: true, label: {{zh: 月份, en: Month}}}}
      - {{id: quantity, type: number, unit: t, minimum: 0, required: true, label: {{zh: 消耗量, en: Quantity}}}}
      - id: ef
        type: number
        unit: tCO2/t
        minimum: 0
        label: {{zh: 排放因子, en: Factor}}
        fallbacks: [{{param: ef_default, rule: {{zh: 缺省值, en: default}}, source: {{doc: notice, clause: "2"}}}}]
    formulas:
      - {{id: emissions, label: {{zh: 排放量, en: Emissions}}, unit: tCO2, decimals: 2, gas: CO2, category: process,
         expr: quantity * ef, source: {{doc: notice, clause: "3"}}}}
    summaries:
      - id: year_total
        label: {{zh: 年度合计, en: Year total}}
        formulas:
          - {{id: emissions_year, label: {{zh: 年排放量, en: Annual emissions}}, unit: tCO2, decimals: 2, expr: sum(emissions),
             source: {{doc: notice, clause: "4"}}}}
"""

WHY = ("  why: {zh: 演示：自4月起适用新版, en: 'demo: the new edition applies from April'}\n"
       "  source: {doc: notice, clause: 二}\n")


def _engine(tmp_path, split: int = 4, gap: int = 0, ef_old: str = "2.0", ef_new: str = "2.5") -> Engine:
    folder = tmp_path / f"monthly-{split}-{gap}"
    folder.mkdir()
    old = "\n  from: 2019\n  to: 2022\n" + (f"  to_month: {split - 1}\n" if split > 1 else "") + WHY
    new = f"\n  from: 2022\n  from_month: {split + gap}\n  to: null\n" + WHY
    if split == 1:  # no split: the old edition ends with 2021
        old = "\n  from: 2019\n  to: 2021\n" + WHY
    (folder / "monthly-old.yaml").write_text(EDITION.format(id="monthly-old", years=old, ef=ef_old), encoding="utf-8")
    (folder / "monthly-new.yaml").write_text(EDITION.format(id="monthly-new", years=new, ef=ef_new), encoding="utf-8")
    plugin = DataSector(id="monthly", name_zh="月度", name_en="Monthly", rulesets=folder)
    return Engine(Host(entry_points=False, plugins=[("general", __import__("mrv_engine.plugins.general", fromlist=["plugin"]).plugin),
                                                    ("monthly", plugin)]))


def _sub(year=2022, qty="10", **extra) -> dict:
    return {"sector": "monthly", "year": year, **extra,
            "pages": {"monthly_use": [{"item": "kiln", "month": m, "quantity": qty} for m in range(1, 13)]}}


def test_index_selects_by_month_and_keeps_whole_year_selection(tmp_path):
    engine = _engine(tmp_path)
    index = engine.host.index
    engine.rulesets("monthly")
    # The annual report of 2022 is the edition governing December; both govern some month of 2022.
    assert index.select("monthly", 2022).id == "monthly-new"
    assert index.select("monthly", 2021).id == "monthly-old"
    assert [(p.lo, p.hi, p.ruleset.id) for p in index.periods("monthly", 2022)] == [(1, 3, "monthly-old"), (4, 12, "monthly-new")]
    assert [(p.lo, p.hi, p.ruleset.id) for p in index.periods("monthly", 2021)] == [(1, 12, "monthly-old")]
    assert [r.id for r in engine.rulesets("monthly", 2022)] == ["monthly-old", "monthly-new"]
    assert [r.years_text for r in engine.rulesets("monthly")] == ["2019–2022-03", "2022-04–"]
    summary = engine.ruleset("monthly-new").summary()["years"]
    assert summary == {"from": 2022, "to": None, "from_month": 4}


def test_overlapping_months_are_refused(tmp_path):
    engine = _engine(tmp_path, split=4, gap=-1)  # the new edition starts in March, the old one ends in March
    with pytest.raises(MrvError, match=r"'monthly-old' \(2019–2022-03\) overlaps 'monthly-new' \(2022-03–\).*each month"):
        engine.host.sector("monthly")


def test_months_no_edition_governs_are_refused_by_name(tmp_path):
    engine = _engine(tmp_path, split=4, gap=2)  # the old edition ends in March, the new starts in June
    with pytest.raises(SelectionError, match=r"month\(s\) 4, 5 of reporting year 2022"):
        engine.host.sector("monthly")
        engine.host.index.periods("monthly", 2022)


def test_each_month_is_calculated_under_its_own_edition(tmp_path):
    engine = _engine(tmp_path)
    result = engine.calculate(_sub())
    rows = result.page("monthly_use").rows
    # By hand: January-March 10 t × 2.0 = 20.00 tCO2 each; April-December 10 t × 2.5 = 25.00 each.
    assert [r.values["emissions"] for r in rows] == [D("20.00")] * 3 + [D("25.00")] * 9
    # 3 × 20.00 + 9 × 25.00 = 60.00 + 225.00 = 285.00
    assert result.total == D("285.00")
    assert result.page("monthly_use").summaries[0]["values"]["emissions_year"] == D("285.00")


def test_trace_and_report_say_which_edition_governed_each_month_and_why(tmp_path):
    engine = _engine(tmp_path)
    result = engine.calculate(_sub())
    nodes = {n.place: n for n in engine.trace(result)}
    jan, apr = nodes["$.pages.monthly_use[0].emissions"], nodes["$.pages.monthly_use[3].emissions"]
    assert jan.ruleset == "monthly-old" and apr.ruleset == "monthly-new"
    assert jan.as_dict()["edition"]["months"] == {"from": 1, "to": 3}
    assert apr.as_dict()["edition"]["ruleset"] == "monthly-new"
    # The default factor shown is the month's edition's, with its citation.
    ef = next(o for o in jan.operands if o.name == "ef")
    assert ef.value == D("2.0") and "演示〔2022〕1号" in ef.citation
    text_en = engine.explain(result, lang="en", figure="$.pages.monthly_use[0].emissions")
    assert "edition of this month: January–March 2022: monthly-old — demo: the new edition applies from April (演示通知（测试用）（演示〔2022〕1号） 二)" in text_en
    text_zh = engine.explain(result, lang="zh", figure="$.pages.monthly_use[3].emissions")
    assert "本月适用规则版本: 2022年4—12月：monthly-new——演示：自4月起适用新版" in text_zh
    report = engine.report(result)
    assert [(p["ruleset"], p["months"]) for p in report["periods"]] == [
        ("monthly-old", {"from": 1, "to": 3}), ("monthly-new", {"from": 4, "to": 12})]
    assert {r["id"] for r in report["rulesets"]} >= {"monthly-old", "monthly-new"}
    assert "Editions by month:" in engine.render(result, "table", lang="en")


def test_a_year_one_edition_governs_has_no_periods(tmp_path):
    engine = _engine(tmp_path)
    result = engine.calculate(_sub(year=2021))
    assert result.total == D("240.00")  # 12 × 10 t × 2.0
    assert "periods" not in engine.report(result)
    assert all(n.as_dict().get("edition") is None for n in engine.trace(result))


def test_a_pinned_edition_governs_every_month(tmp_path):
    engine = _engine(tmp_path)
    assert engine.calculate(_sub(ruleset="monthly-old")).total == D("240.00")  # 12 × 10 t × 2.0
    assert engine.calculate(_sub(), ruleset_id="monthly-new").total == D("300.00")  # 12 × 10 t × 2.5


def test_verify_recomputes_each_month_under_its_edition(tmp_path):
    engine = _engine(tmp_path)
    report = engine.verify(_sub(reported={"$.totals.total": "285.00"})).to_dict()
    assert not [f for f in report["findings"] if f["code"].startswith("reported")], report["findings"]


def test_diff_between_two_months_compares_their_editions(tmp_path):
    engine = _engine(tmp_path)
    d = engine.diff(_sub(), "2022-01", "2022-04")
    (param,) = [p for p in d.parameters if p["name"] == "ef_default"]
    assert (param["from"]["value"], param["to"]["value"]) == (D("2.0"), D("2.5"))
    total = next(c for c in d.categories if c["category"] == "total")
    assert (total["from"], total["to"]) == (D("240.00"), D("300.00"))
    # A year side computes the split year as its report does.
    whole = engine.diff(_sub(), "2021", "2022")
    total = next(c for c in whole.categories if c["category"] == "total")
    assert (total["from"], total["to"]) == (D("240.00"), D("285.00"))
    with pytest.raises(SelectionError):
        engine.diff(_sub(), "2022-13", "2022-04")


def test_a_row_refused_in_one_month_is_reported_once_at_its_place(tmp_path):
    engine = _engine(tmp_path)
    sub = _sub()
    sub["pages"]["monthly_use"][1]["quantity"] = "-1"  # February, under the old edition
    with pytest.raises(InputError) as exc:
        engine.calculate(sub)
    places = [f.place for f in exc.value.findings]
    assert places.count("$.pages.monthly_use[1].quantity") == 1


def test_month_fields_must_be_in_order(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    years = "\n  from: 2022\n  to: 2022\n  from_month: 5\n  to_month: 4\n"
    (folder / "bad.yaml").write_text(EDITION.format(id="bad-months", years=years, ef="1"), encoding="utf-8")
    from mrv_engine.core.rules.ruleset import parse_ruleset

    with pytest.raises(RulesetError, match="to_month 4 is before years.from_month 5"):
        parse_ruleset((folder / "bad.yaml").read_text(encoding="utf-8"), "bad.yaml")


@settings(max_examples=8, deadline=None)
@given(split=st.integers(min_value=2, max_value=12), qty=st.integers(min_value=0, max_value=10**6))
def test_total_is_each_months_quantity_at_its_editions_factor(tmp_path_factory, split, qty):
    engine = _engine(tmp_path_factory.mktemp("split"), split=split)
    result = engine.calculate(_sub(qty=str(qty)))
    # (split − 1) months at 2.0 and (13 − split) months at 2.5, each rounded to 2 decimals (exact here).
    assert result.total == (split - 1) * qty * D("2.0") + (13 - split) * qty * D("2.5")
