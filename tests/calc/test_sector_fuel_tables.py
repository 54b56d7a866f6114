"""A sector guideline's own fuel table overrides the host's common table row by row.

The 2013 NDRC steel, aluminium and chemicals guidelines print their own Appendix 2 Table 2.1
of fuel defaults (NCV, carbon per unit heat, oxidation rate), which differ from the common
table of the general pages (coke-oven gas 173.540 GJ/10^4 Nm3 and 12.10 tC/TJ in steel against
179.81 and 13.58 in the common table). A sector ruleset declares such a table ``extends: general``:
its rows replace the host's rows of the same id, fuels it does not list keep the host's row, and
the trace says which table each default came from. Figures here are hand arithmetic, written out.
"""

from __future__ import annotations

import textwrap

import pytest
from mrv_engine.core.base.errors import RulesetError


def fuel_sub(sector, rows, year=2020):
    return {"sector": sector, "year": year, "enterprise": {"name": "test", "province": "hebei"},
            "pages": {"fuel_combustion": rows}}


def row(fuel, consumption, unit="t", **kw):
    return {"source_name": "unit 1", "kind": "stationary", "fuel": fuel,
            "consumption": {"value": consumption, "unit": unit}, **kw}


def test_steel_coke_oven_gas_takes_the_steel_appendix_row(engine):
    result = engine.calculate(fuel_sub("steel", [row("coke_oven_gas", "10000", "e4Nm3")]))
    r = result.page("fuel_combustion").rows[0]
    # steel guideline Appendix 2 Table 2.1: 173.540 GJ/10^4 Nm3, 12.10 tC/TJ, 99 %
    assert (str(r.values["ncv"]), str(r.values["cc"]), str(r.values["of"])) == ("173.540", "0.01210", "0.99")
    # 10000 × 173.540 = 1735400 GJ; × 0.01210 = 20998.34 tC; × 0.99 = 20788.3566 tC; × 44/12 = 76223.9742 tCO2
    assert str(r.values["emissions"]) == "76223.9742"
    assert r.prov["ncv"].citation.title == "中国钢铁生产企业温室气体排放核算方法与报告指南（试行）"
    assert "附录二 表2.1" in r.prov["ncv"].citation.clause


def test_the_general_sector_keeps_the_common_table(engine):
    r = engine.calculate(fuel_sub("general", [row("coke_oven_gas", "10000", "e4Nm3")])).page("fuel_combustion").rows[0]
    # the common table's row: 179.81 GJ/10^4 Nm3, 0.01358 tC/GJ, 0.99
    assert (str(r.values["ncv"]), str(r.values["cc"])) == ("179.81", "0.01358")
    # 10000 × 179.81 = 1798100 GJ; × 0.01358 = 24418.198 tC; × 0.99 = 24174.01602 tC; × 44/12 = 88638.05874 → 88638.0587
    assert str(r.values["emissions"]) == "88638.0587"


def test_a_fuel_the_sector_table_lacks_keeps_the_host_row_and_the_trace_says_so(engine):
    sub = fuel_sub("steel", [row("naphtha", "100")])  # the steel table lists no naphtha
    result = engine.calculate(sub)
    r = result.page("fuel_combustion").rows[0]
    assert r.prov["ncv"].citation.title == "工业其他行业企业温室气体排放核算方法与报告指南（试行）"
    en, zh = engine.explain(result, lang="en"), engine.explain(result, lang="zh")
    assert "the sector guideline's own table does not list it: the general table's row" in en
    assert "本行业指南的附录表未列此项，取通用表" in zh
    # the common row is unconfirmed, so the report lists it
    assert "tables.fuels.naphtha" in engine.report(result)["unverified_parameters_used"]


def test_a_sector_row_says_whose_table_it_is_in_both_languages(engine):
    result = engine.calculate(fuel_sub("aluminium", [row("petroleum_coke", "1000")]))
    for lang in ("en", "zh"):
        text = engine.explain(result, lang=lang)
        assert "中国电解铝生产企业温室气体排放核算方法与报告指南（试行）（发改办气候〔2013〕2526号） 附录二 表2.1" in text
        assert "the general table's row" not in text and "取通用表" not in text
    # 1000 × 32.018 × 0.02750 × 1.00 × 44/12 = 3228.481666… → 3228.4817 (the common table has no oxidation default)
    assert str(result.page("fuel_combustion").rows[0].values["emissions"]) == "3228.4817"


def test_unverified_sector_rows_are_listed_and_confirmed_ones_not(engine):
    sub = fuel_sub("steel", [row("coke_oven_gas", "1", "e4Nm3"), row("refinery_dry_gas", "1")])
    used = engine.report(engine.calculate(sub))["unverified_parameters_used"]
    # coke-oven gas read in the steel guideline: confirmed; refinery dry gas: its unit is our reading
    assert "tables.fuels.refinery_dry_gas" in used and "tables.fuels.coke_oven_gas" not in used


def test_a_fuel_only_the_sector_lists_is_a_choice_of_that_sector_only(engine, refused):
    got = engine.calculate(fuel_sub("chemicals", [row("carbide_furnace_gas", "100", "e4Nm3")]))
    # 100 × 111.190 × 0.03951 × 0.99 × 44/12 = 1594.7014347 → 1594.7014
    assert str(got.page("fuel_combustion").rows[0].values["emissions"]) == "1594.7014"
    findings = refused(fuel_sub("steel", [row("carbide_furnace_gas", "100", "e4Nm3")]))
    assert any("fuel_combustion[0].fuel" in f.place for f in findings)


EXTENDING = """\
schema_version: 1
id: demo-2020
sector: demo
title: {zh: 测试, en: Test}
years: {from: 2020, to: null}
sources:
  doc1: {title: Test guideline, number: "T-1"}
tables:
  fuels:
    extends: general
    label: {zh: 本指南燃料表, en: This guideline's fuel table}
    rows:
ROWS
pages:
  - id: demo_base
    role: base
    title: {zh: 基础页, en: Base}
    fields:
      - {id: item, type: text, label: {zh: 项目, en: Item}, required: true}
    formulas: []
"""


def _demo(tmp_path, engine_with, write_sector, rows):
    text = EXTENDING.replace("ROWS", textwrap.indent(textwrap.dedent(rows), "      "))
    return engine_with(("demo", write_sector(tmp_path, files={"demo.yaml": text})))


def test_an_override_row_must_give_every_column_of_the_host_table(tmp_path, engine_with, write_sector):
    eng = _demo(tmp_path, engine_with, write_sector,
                'coke: {label: {zh: 焦炭, en: Coke}, ncv: "28", cc: "0.03", of: "0.9", source: {doc: doc1, clause: "A"}}')
    with pytest.raises(RulesetError) as exc:
        eng.composition("demo", 2020)
    assert "coke" in exc.value.message and "q" in exc.value.message and "demo.yaml:" in exc.value.where


def test_an_override_row_replaces_the_host_row_whole_and_adds_new_ones(tmp_path, engine_with, write_sector):
    eng = _demo(tmp_path, engine_with, write_sector, """\
        coke: {label: {zh: 焦炭, en: Coke}, q: t, state: solid, ncv: "28", cc: "0.03", of: "0.9", source: {doc: doc1, clause: "A"}}
        pitch: {label: {zh: 沥青, en: Pitch}, q: t, state: solid, ncv: "35", cc: null, of: "0.98", source: {doc: doc1, clause: "A"}}
        """)
    comp = eng.composition("demo", 2020)
    rows = comp.tables["fuels"][0]["rows"]
    assert rows["coke"]["ncv"] == "28" and "note" not in rows["coke"]  # nothing of the host's row leaks in
    assert list(rows)[-1] == "pitch" and list(rows).index("coke") == list(comp.general.data["tables"]["fuels"]["rows"]).index("coke")
    assert comp.row_ruleset("fuels", "coke").id == "demo-2020" and comp.row_ruleset("fuels", "lignite").id == "general-2015"
    # the host's ruleset is not changed by a sector's composition
    assert comp.general.data["tables"]["fuels"]["rows"]["coke"]["ncv"] == "28.435"


def test_extending_a_table_the_host_lacks_is_refused(tmp_path, engine_with, write_sector):
    eng = _demo(tmp_path, engine_with, write_sector,
                'x: {label: {zh: x, en: x}, q: t, state: solid, ncv: "1", cc: "0.01", of: "1", source: {doc: doc1, clause: "A"}}')
    text = EXTENDING.replace("  fuels:\n", "  nonesuch:\n").replace(
        "ROWS", '      x: {label: {zh: x, en: x}, q: t, source: {doc: doc1, clause: "A"}}')
    eng = engine_with(("demo", write_sector(tmp_path / "b", files={"demo.yaml": text})))
    with pytest.raises(RulesetError) as exc:
        eng.composition("demo", 2020)
    assert "nonesuch" in exc.value.message


def test_coal_in_cement_needs_the_oxidation_rate_of_its_equipment(engine, refused):
    # the cement guideline's Table 2.3 rates coal by equipment (kiln 98 %, boiler 95 %, other 91 %), not by coal
    findings = refused(fuel_sub("cement", [row("raw_coal", "1000")]))
    (f,) = [f for f in findings if f.code == "missing_value"]
    assert f.place == "$.pages.fuel_combustion[0].emissions" and "kiln 98 %" in f.message and "kiln 98 %" in f.message_zh
    # given the kiln's rate: 1000 × 20.908 (raw coal, Table 2.1) × 0.02637 (Table 2.2) × 0.98 × 44/12
    # = 20908 × 0.02637 = 551.34396 tC; × 0.98 = 540.3170808 tC; × 44 = 23773.9515552; ÷ 12 = 1981.1626296 → 1981.1626
    got = engine.calculate(fuel_sub("cement", [row("raw_coal", "1000", of="0.98")]))
    assert str(got.page("fuel_combustion").rows[0].values["emissions"]) == "1981.1626"
