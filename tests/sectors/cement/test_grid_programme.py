"""The grid factor follows the programme a figure is for (全国碳市场百问百答 Q38-Q40).

Acceptance case of the issue: a Hebei cement enterprise, reporting year 2020, 10,000 MWh net
purchased. Its legal-entity boundary report counts the electricity at the North China regional
grid average (the 2012 column of the 2011/2012 regional factors, used for 2012 and later data):

    10000 MWh x 0.8843 tCO2/MWh = 8843.0000 tCO2

Its supplementary data table counts the clinker line's electricity at the national grid
average of 2020 (0.6101, the factor the national reporting system pre-fills):

    10000 MWh x 0.6101 tCO2/MWh = 6101.0000 tCO2

Both figures are hand arithmetic on the cited factors, not the engine's output pasted back.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from mrv_engine import InputError
from mrv_engine.plugin import LEGAL_BOUNDARY, SUPPLEMENTARY, grid_factor

HEBEI_2020 = {
    "sector": "cement", "year": 2020,
    "enterprise": {"name": "河北示例水泥", "province": "河北"},
    "pages": {
        "electricity_heat": [{"item": "电网购电", "carrier": "electricity", "purchased": "10000"}],
        "clinker_process": [{"line": "L1", "clinker": "1000", "cao": "65", "mgo": "2"}],
        "supplementary_lines": [{"line": "L1", "facility": "clinker_line", "clinker_output": "1000", "electricity": "10000"}],
    },
}


def _sub(**changes):
    sub = copy.deepcopy(HEBEI_2020)
    for key, value in changes.items():
        if value is None:
            sub["enterprise"].pop(key, None) if key == "province" else sub.pop(key, None)
        elif key == "province":
            sub["enterprise"]["province"] = value
        else:
            sub[key] = value
    return sub


def _places(findings) -> list:
    """(code, place) of each finding, in order (the findings of the suite's ``refused`` fixture)."""
    return [(f.code, f.place) for f in findings]


def test_hebei_cement_2020_legal_boundary_regional_and_supplementary_national(engine):
    r = engine.calculate(_sub())
    elec = r.page("electricity_heat").rows[0].values
    assert elec["factor"] == Decimal("0.8843") and elec["emissions"] == Decimal("8843.0000")
    assert r.totals["energy_indirect"] == Decimal("8843.0000")
    line = r.page("supplementary_lines").rows[0].values
    assert line["electricity_co2"] == Decimal("6101.0000")
    # each factor carries its citation: the regional factor document, the national notice
    assert "2011年和2012年中国区域电网平均二氧化碳排放因子" in r.params["grid_ef"].citation.text()
    assert "环办气候〔2021〕9号" in r.params["national_grid_ef"].citation.text()


def test_trace_says_which_factor_and_why_in_both_languages(engine):
    r = engine.calculate(_sub())
    zh, en = engine.explain(r, "zh"), engine.explain(r, "en")
    assert "企业法人边界排放报告，2020年度" in zh and "河北 → 华北区域电网平均排放因子（2012年）" in zh and "问题38、40" in zh
    assert "legal-entity boundary report, 2020" in en and "Hebei → North China regional grid average (2012)" in en
    assert "补充数据表，2020年度" in zh and "取全国电网平均排放因子" in zh
    assert "supplementary data table, 2020" in en and "national grid average emission factor" in en
    # the regional factors are not confirmed from the document: the trace and the report say so
    assert "[UNVERIFIED figure]" in en
    assert "grid_ef" in engine.report(r)["unverified_parameters_used"]


def test_missing_province_is_refused_naming_the_field_not_replaced_by_the_national_factor(refused):
    findings = refused(_sub(province=None))
    places = _places(findings)
    assert places == [("province_required", "$.enterprise.province")]
    assert "national factor is not used" in findings[0].message and "省份" in findings[0].message_zh


def test_province_spellings_and_unknown_or_split_provinces(engine, refused):
    for spelling in ("河北省", "Hebei", " 河北 "):
        assert engine.calculate(_sub(province=spelling)).page("electricity_heat").rows[0].values["factor"] == Decimal("0.8843")
    assert _places(refused(_sub(province="火星"))) == [("unknown_province", "$.enterprise.province")]
    # Inner Mongolia is split between two grids: it must say which
    assert _places(refused(_sub(province="内蒙古自治区"))) == [("grid_region_unknown", "$.enterprise.province")]
    assert engine.calculate(_sub(province="蒙东")).page("electricity_heat").rows[0].values["factor"] == Decimal("0.7769")
    # Hubei is on the Central China grid: 10000 x 0.5257 = 5257.0000
    assert engine.calculate(_sub(province="湖北")).page("electricity_heat").rows[0].values["emissions"] == Decimal("5257.0000")


def test_from_2022_the_legal_boundary_takes_the_national_factor_and_needs_no_province(engine):
    # 10000 MWh x 0.5703 = 5703.0000 for both tables
    r = engine.calculate(_sub(year=2022, province=None))
    assert r.page("electricity_heat").rows[0].values["emissions"] == Decimal("5703.0000")
    assert r.page("supplementary_lines").rows[0].values["electricity_co2"] == Decimal("5703.0000")


def test_a_supplied_factor_replaces_the_choice_and_is_marked(engine):
    r = engine.calculate(_sub(province=None, parameters={"grid_ef": "0.9"}))
    assert r.params["grid_ef"].origin == "submission" and r.page("electricity_heat").rows[0].values["emissions"] == Decimal("9000.0000")


def test_a_pilot_report_is_never_calculated_under_the_national_rules(refused):
    # A Hubei pilot report is calculated under the Hubei editions (programme hubei_pilot); the pilot
    # has no cement edition encoded (nor any edition of 2020), so the report is refused at
    # $.programme rather than calculated under the national cement rules with a pilot's factor.
    findings = refused(_sub(programme="hubei_pilot", province="湖北"))
    places = _places(findings)
    assert places == [("no_ruleset", "$.programme")]
    assert "Hubei pilot" in findings[0].message and "national rules are not used" in findings[0].message
    assert _places(refused(_sub(programme="mars_pilot")))[0] == ("unknown_programme", "$.programme")


def test_pilot_programme_without_a_confirmed_factor_is_refused_unless_supplied(engine, refused):
    # The Hubei general edition's grid rule has no confirmed factor: refused unless supplied.
    sub = {"sector": "general", "year": 2014, "programme": "hubei_pilot", "enterprise": {"name": "湖北试点", "province": "湖北"},
           "pages": {"electricity_heat": [{"item": "外购电力", "carrier": "electricity", "purchased": "10000"}]}}
    findings = refused(sub)
    places = _places(findings)
    assert places == [("missing_value", "$.pages.electricity_heat[0].emissions")]
    assert "Hubei pilot" in findings[0].message and "$.parameters.grid_ef" in findings[0].message
    r = engine.calculate({**sub, "parameters": {"grid_ef": "0.5257"}})
    # 10000 MWh x 0.5257 tCO2/MWh (given) = 5257.0000
    assert r.page("electricity_heat").rows[0].values["emissions"] == Decimal("5257.0000")
    assert r.params["grid_ef"].origin == "submission"


def test_public_plugin_api_gives_the_factor_of_year_and_programme():
    g = grid_factor(2020, LEGAL_BOUNDARY, province="河北", sector="cement")
    assert (g.value, g.series, g.unit) == (Decimal("0.8843"), "north", "tCO2/MWh") and g.verified is False
    assert g.as_dict()["why"]["en"].startswith("legal-entity boundary report, 2020")
    assert grid_factor(2020, SUPPLEMENTARY).value == Decimal("0.6101")
    # the power sector's guideline takes the national factor, whatever the province
    assert grid_factor(2020, LEGAL_BOUNDARY, province="河北", sector="power").value == Decimal("0.6101")
    assert grid_factor(2022, LEGAL_BOUNDARY).value == Decimal("0.5703")
    with pytest.raises(InputError) as exc:
        grid_factor(2020, LEGAL_BOUNDARY, sector="cement")
    assert exc.value.findings[0].code == "province_required"
    with pytest.raises(InputError) as exc:
        grid_factor(2024, SUPPLEMENTARY)
    assert exc.value.findings[0].code == "missing_value"


@pytest.mark.parametrize("year", [2023, 2024, 2025])
@pytest.mark.parametrize("programme", [LEGAL_BOUNDARY, SUPPLEMENTARY])
def test_2023_onwards_is_refused_and_says_which_notice_was_sought(year, programme):
    # No notice fixing the reporting factor for 2023, 2024 or 2025 data was found: 43号 sets
    # only 2022's 0.5703. The MEE/NBS statistical factors (0.5366 for 2022, 0.5306 for 2023)
    # are published "for reference" and must not stand in for it: the refusal says so, so
    # that nobody "fixes" the refusal by hard-coding one of them.
    with pytest.raises(InputError) as exc:
        grid_factor(year, programme, province="河北", sector="cement")
    f = exc.value.findings[0]
    assert f.code == "missing_value"
    assert "环办气候函〔2023〕43号" in f.message and "0.5703" in f.message and "for reference" in f.message
    assert "环办气候函〔2023〕43号" in f.message_zh and "参考使用" in f.message_zh
    assert "0.5366" not in f.message and "0.5306" not in f.message


def test_a_2023_cement_report_is_refused_at_each_factor_unless_supplied(engine, refused):
    findings = refused(_sub(year=2023, province=None))
    places = _places(findings)
    assert ("missing_value", "$.pages.electricity_heat[0].factor") in places
    # supplied, both tables take it: 10000 MWh x 0.5703 = 5703.0000 tCO2 each
    r = engine.calculate(_sub(year=2023, province=None, parameters={"grid_ef": "0.5703", "national_grid_ef": "0.5703"}))
    assert r.page("electricity_heat").rows[0].values["emissions"] == Decimal("5703.0000")
    assert r.page("supplementary_lines").rows[0].values["electricity_co2"] == Decimal("5703.0000")
    assert r.params["grid_ef"].origin == "submission"
