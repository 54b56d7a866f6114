"""Power 2022, a split year (环办气候函〔2022〕111号): the 2021 data and January-March 2022 under the
guideline issued with 环办气候〔2021〕9号, April-December 2022 under the 2022 revision, both with the
229号 parameter rules for 2021 and 2022 data. Expected figures are worked out by hand here."""

from __future__ import annotations

from decimal import Decimal as D

from click.testing import CliRunner
from mrv_engine.cli.main import cli

# By hand (229号 defaults, seed 001 Q30/Q33; oxidation 99 %, seed 002): 1 t × 26.7 GJ/t = 26.700 GJ;
# × 0.03085 tC/GJ = 0.823695 tC; × 0.99 = 0.81545805 tC; × 44/12 = 2.99001285 tCO2 a month.
MONTH = D("2.99001285")


def test_the_2021_data_follow_the_9_guideline_with_the_229_rules(engine, tiny):
    result = engine.calculate(tiny(2021))
    assert result.comp.ruleset.id == "power-2021-guideline-229"
    assert result.page("fuel_t").rows[0].values["emissions"] == MONTH
    assert result.total == D("35.88")  # 12 × 2.99001285 = 35.8801542 → 35.88
    assert result.params["grid_ef"].value == D("0.5810")  # 111号: 2021 and 2022 accounting at 0.5810 (unverified)
    assert "grid_ef" in result.unverified_used()
    assert not result.editions  # one edition governs the whole of 2021


def test_2022_months_are_calculated_under_the_edition_of_each_month(engine, tiny):
    result = engine.calculate(tiny(2022))
    assert result.comp.ruleset.id == "power-2022-revision"  # the annual report's form
    rows = result.page("fuel_t").rows
    assert [r.edition.period.ruleset.id for r in rows] == ["power-2021-guideline-229"] * 3 + ["power-2022-revision"] * 9
    # The same figure each month: 229号's defaults cover the whole 2022 data year.
    assert [r.values["emissions"] for r in rows] == [MONTH] * 12
    assert result.total == D("35.88")
    report = engine.report(result)
    assert [(p["ruleset"], p["months"]["from"], p["months"]["to"]) for p in report["periods"]] == [
        ("power-2021-guideline-229", 1, 3), ("power-2022-revision", 4, 12)]
    assert all("环办气候函〔2022〕111号" in p["citation"] for p in report["periods"])
    assert {r["id"] for r in report["rulesets"]} == {"general-2015", "power-2021-guideline-229", "power-2022-revision"}


def test_the_trace_names_the_edition_and_the_notice_for_each_month(engine, tiny):
    result = engine.calculate(tiny(2022))
    march = engine.explain(result, lang="zh", figure="$.pages.fuel_t[2].emissions")
    assert "本月适用规则版本: 2022年1—3月：power-2021-guideline-229——2021年度以及2022年1至3月仍按照环办气候〔2021〕9号" in march
    assert "环办气候函〔2022〕111号" in march
    april = engine.explain(result, lang="en", figure="$.pages.fuel_t[3].emissions")
    assert "edition of this month: April–December 2022: power-2022-revision — from April 2022" in april
    # The coal default's citation is 229号 in both editions.
    assert "环办气候函〔2022〕229号" in march and "环办气候函〔2022〕229号" in april


def test_rulesets_lists_both_editions_of_2022_with_their_months():
    out = CliRunner().invoke(cli, ["rulesets", "--sector", "power", "--year", "2022"]).output
    assert "power-2021-guideline-229" in out and "2021–2022-03" in out
    assert "power-2022-revision" in out and "2022-04–2022" in out
    assert "power-485" not in out


def test_diff_between_january_and_april_2022_shows_no_figure_changing(engine, example):
    d = engine.diff(example("power-plant-2022.json"), "2022-01", "2022-04")
    assert (d.a.comp.ruleset.id, d.b.comp.ruleset.id) == ("power-2021-guideline-229", "power-2022-revision")
    assert d.figures == [] and d.parameters == [] and d.rules == []
    aspects = {(w["kind"], w.get("aspect")) for w in d.wording}
    assert ("ruleset", "years") in aspects and ("ruleset", "title") in aspects
    # The appendix defaults cite the 9号 guideline in January and the revision in April: same figures.
    assert any(w["kind"] == "table" and w["id"] == "natural_gas" and "环办气候〔2021〕9号" in w["from"] for w in d.wording)


def test_2023_to_2025_reports_are_refused_without_a_grid_factor_naming_the_notice(engine, tiny):
    # 环办气候函〔2023〕43号 fixes the factor for 2022 data only; no later factor was found, so a report
    # of 2023, 2024 or 2025 is refused unless it supplies one (never the 2022 factor or a statistical one).
    for year in (2023, 2024, 2025):
        sub = tiny(year)
        sub.pop("parameters")
        sub["pages"]["electricity"][0]["purchased"] = "10"
        findings = engine.validate(sub)
        (f,) = [f for f in findings if f.place == "$.pages.electricity[0].grid_factor"]
        assert f.code == "missing_value" and "环办气候函〔2023〕43号" in f.message and "0.5366" in f.message
        # Supplied, it is used and marked as the submission's: 10 MWh × 0.5703 = 5.703 → 5.70 tCO2.
        sub["parameters"] = {"grid_ef": "0.5703"}
        result = engine.calculate(sub)
        assert result.page("electricity").rows[0].values["grid_factor"] == D("0.5703")
        assert result.params["grid_ef"].origin == "submission"
        assert result.page("electricity").rows[0].values["emissions"] == D("5.70")
