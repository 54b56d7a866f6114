"""Rulesets are untrusted input: every defect is refused at load time, naming file and line."""

import pytest
from mrv_engine.core.base.errors import (
    FormulaError,
    PluginLoadError,
    RulesetError,
    SelectionError,
)
from mrv_engine.core.rules.ruleset import parse_ruleset


def test_minimal_ruleset_loads_and_selects(tmp_path, engine_with, write_sector):
    engine = engine_with(("demo", write_sector(tmp_path)))
    result = engine.calculate({"sector": "demo", "year": 2021, "pages": {"demo_base": [{"item": "a", "qty": "1.005"}]}})
    assert str(result.page("demo_base").rows[0].values["emissions"]) == "2.01"  # 2.010 → 2.01
    assert [r["id"] for r in engine.sectors()] == ["demo", "general"]


def test_schema_violation_names_line(ruleset_text):
    text = ruleset_text().replace("    unit: tCO2/t\n", "    unit: tCO2/t\n    colour: blue\n")
    with pytest.raises(RulesetError) as exc:
        parse_ruleset(text, "rulesets/demo/demo.yaml")
    assert "rulesets/demo/demo.yaml:" in exc.value.where and "colour" in exc.value.message


def test_yaml_float_is_read_exactly(ruleset_text):
    text = ruleset_text().replace('value: "2"', "value: 0.1")
    rs = parse_ruleset(text, "x.yaml")
    assert str(rs.parameters["k"].value) == "0.1"


def test_duplicate_key_is_refused(ruleset_text):
    text = ruleset_text().replace("id: demo-2020\n", "id: demo-2020\nid: demo-2021\n")
    with pytest.raises(Exception) as exc:
        parse_ruleset(text, "x.yaml")
    assert "x.yaml:" in str(exc.value) and "duplicate" in str(exc.value).lower()


def test_malformed_yaml_names_line():
    with pytest.raises(Exception) as exc:
        parse_ruleset("id: [unclosed\n", "bad.yaml")
    assert "bad.yaml:" in str(exc.value)


def test_unknown_citation_is_refused(ruleset_text):
    text = ruleset_text().replace('source: {doc: doc1, clause: "2"}', 'source: {doc: nowhere, clause: "2"}')
    with pytest.raises(RulesetError) as exc:
        parse_ruleset(text, "x.yaml")
    assert "nowhere" in exc.value.message


@pytest.mark.parametrize("expr, why", [
    ("qty * k * __import__('os')", "__import__() is not allowed"),
    ("qty * nope", "unknown name 'nope'"),
    ("qty * k * 44 / 12", "gives"),  # dimensionless ratio: tCO2, fine; but unit slip check below
])
def test_formula_defects_block_the_sector(tmp_path, expr, why, engine_with, write_sector, ruleset_text):
    if why == "gives":
        expr = "qty * 44 / 12"  # t × 1 → t, declared tCO2
    engine = engine_with(("demo", write_sector(tmp_path, files={"d.yaml": ruleset_text(expr=expr)})))
    with pytest.raises((FormulaError, PluginLoadError)) as exc:
        engine.composition("demo", 2021)
    assert why in str(exc.value) and "d.yaml:" in str(exc.value)


def test_cycle_is_refused(tmp_path, engine_with, write_sector, ruleset_text):
    text = ruleset_text(expr="qty * k + b") + (
        "      - {id: a, label: {zh: a, en: a}, unit: tCO2, expr: emissions}\n"
        "      - {id: b, label: {zh: b, en: b}, unit: tCO2, expr: a}\n"
    )
    engine = engine_with(("demo", write_sector(tmp_path, files={"d.yaml": text})))
    with pytest.raises(FormulaError) as exc:
        engine.composition("demo", 2021)
    assert "cycle" in exc.value.message and "emissions" in exc.value.message


def test_overlapping_editions_are_refused_and_do_not_take_others_down(tmp_path, engine_with, write_sector, ruleset_text):
    files = {"a.yaml": ruleset_text(id="demo-a", year_from=2020, year_to=2022),
             "b.yaml": ruleset_text(id="demo-b", year_from=2022, year_to="null")}
    engine = engine_with(("demo", write_sector(tmp_path, files=files)))
    status = {s["id"]: s for s in engine.sectors()}
    assert status["demo"]["status"] == "broken" and "overlaps" in status["demo"]["reason"]
    assert status["general"]["status"] == "ok"
    with pytest.raises(PluginLoadError):
        engine.composition("demo", 2021)


def test_year_no_edition_governs(tmp_path, engine_with, write_sector):
    engine = engine_with(("demo", write_sector(tmp_path)))
    with pytest.raises(SelectionError) as exc:
        engine.composition("demo", 2019)
    assert "2019" in exc.value.message and "demo-2020 (2020–)" in exc.value.message


def test_pinned_ruleset_by_id(tmp_path, engine_with, write_sector, ruleset_text):
    files = {"a.yaml": ruleset_text(id="demo-a", year_from=2019, year_to=2020),
             "b.yaml": ruleset_text(id="demo-b", year_from=2021, year_to="null", expr="qty * k * 2")}
    engine = engine_with(("demo", write_sector(tmp_path, files=files)))
    sub = {"sector": "demo", "year": 2021, "pages": {"demo_base": [{"item": "a", "qty": "1"}]}}
    assert str(engine.calculate(sub).total) == "4.0000"
    assert str(engine.calculate(sub, ruleset_id="demo-a").total) == "2.0000"


def test_result_records_ruleset_hash_and_engine_version(engine, example):
    report = engine.report(engine.calculate(example("hubei-coke.json")))
    assert report["rulesets"][0]["id"] == "general-2015"
    assert len(report["rulesets"][0]["sha256"]) == 64
    assert report["engine"]["version"]
