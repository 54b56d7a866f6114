"""Issue 19, item 3: plausibility, not guessing.

A percentage given as a fraction ("0.99" where the methodology's defaults are 98-99 %) is
warned about with the figure it would be; a stated unit ("1" or "%") is converted exactly and
not warned about. The report carries figures at their declared decimals (unrounded
intermediates stay in the trace), never "-0", and no default the calculation did not read.
"""

import json
import re
from decimal import Decimal

import pytest

OF = "$.pages.fuel_t[0].of"


def _month1(result) -> Decimal:
    return next(e.mass for e in result.emissions if e.page == "fuel_t" and e.row == 0)


def test_a_fraction_in_a_percent_field_is_warned_with_the_figure_it_would_be(engine, power_year):
    result = engine.calculate(power_year(of="0.99"))
    warned = [f for f in result.findings if f.code == "percent_as_fraction"]
    assert len(warned) == 1
    f = warned[0]
    assert f.place == OF and f.severity == "warning"
    assert "99 %" in f.message and "0.99" in f.message and "98" in f.message  # the defaults: 98-99 %
    assert "99%" in f.message_zh or "99 %" in f.message_zh
    assert f.data == {"value": "0.99", "as_fraction": "99", "defaults": ["98", "99"]}
    # taken as written (0.99 %): about a hundredth of the default month's emissions, as the issue saw
    default = _month1(engine.calculate(power_year()))
    assert _month1(result) < default / 50


@pytest.mark.parametrize("given", [{"value": "0.99", "unit": "1"}, "99", {"value": "99", "unit": "%"}])
def test_a_stated_unit_is_converted_exactly_and_not_warned(engine, power_year, given):
    result = engine.calculate(power_year(of=given))
    assert not [f for f in result.findings if f.code == "percent_as_fraction"]
    # 0.99 (unit 1) = 99 % = the default: the same figure as leaving it to the default
    assert _month1(result) == _month1(engine.calculate(power_year()))


def test_an_explicit_percent_is_kept_as_written(engine, power_year):
    result = engine.calculate(power_year(of={"value": "0.99", "unit": "%"}))
    assert not [f for f in result.findings if f.code == "percent_as_fraction"]
    assert result.page("fuel_t").rows[0].values["of"] == Decimal("0.99")


def test_zero_and_values_above_one_are_not_warned(engine, power_year):
    for given in ("0", "1.5", "45"):
        result = engine.calculate(power_year(of=given))
        assert not [f for f in result.findings if f.code == "percent_as_fraction"], given


def test_the_warning_is_in_validate_and_verify_too(engine, power_year):
    sub = power_year(of="0.99")
    assert [f.code for f in engine.validate(sub)] == ["percent_as_fraction"]
    report = engine.verify(sub)
    found = [f for f in report.findings if f.code == "value.percent_as_fraction"]
    assert len(found) == 1 and found[0].place == OF and found[0].severity == "observation"
    assert found[0].rule and found[0].citation


def test_the_warning_reaches_the_report_json(engine, power_year):
    report = json.loads(engine.render(engine.calculate(power_year(of="0.99")), "json"))
    assert [f["code"] for f in report["findings"]] == ["percent_as_fraction"]


# -- the report: declared decimals, no "-0", no unread defaults ------------------------------

_LONG = re.compile(r'"-?\d+\.\d{13,}"')


@pytest.mark.parametrize("name", ["power-plant-2020.json", "aluminium-2022.json", "cement-two-kilns-2022.json",
                                  "hubei-coke.json", "refining-2022.json", "steel-integrated-bf-bof-eaf-2022.json"])
def test_the_report_json_has_no_unrounded_intermediates(engine, example, name):
    result = engine.calculate(example(name))
    text = engine.render(result, "json")
    assert not _LONG.findall(text), _LONG.findall(text)[:3]
    assert not re.search(r'"-0(\.0+)?"', text)
    report = json.loads(text)
    decimals = result.comp.report["decimals"]
    for e in report["emissions"]:
        assert len(e["co2e"].partition(".")[2]) <= max(decimals, 4), e


def test_the_unrounded_figures_stay_in_the_trace(engine, example):
    result = engine.calculate(example("power-plant-2020.json"))
    trace = json.dumps([n.as_dict() for n in engine.trace(result)], ensure_ascii=False, default=str)
    assert _LONG.search(trace), "the trace keeps every digit of an intermediate"


def test_no_negative_zero_anywhere(engine, example):
    result = engine.calculate(example("refining-2022.json"))
    for fmt in ("json", "table", "markdown"):
        text = engine.render(result, fmt, "en")
        assert not re.search(r"(?<![\d.])-0(\.0+)?(?![\d.])", text), fmt


def test_the_emission_factor_route_does_not_show_an_unused_carbon_content(engine, example):
    sub = example("hubei-coke.json")  # method emission_factor: cc has a default the formula never reads
    report = json.loads(engine.render(engine.calculate(sub), "json"))
    row = next(p for p in report["pages"] if p["id"] == "fuel_combustion")["rows"][0]
    assert "cc" not in row
    assert row["ef"] and row["consumption"] == "35264"
    sub["pages"]["fuel_combustion"][0]["method"] = "carbon_content"
    del sub["pages"]["fuel_combustion"][0]["ef"]
    report = json.loads(engine.render(engine.calculate(sub), "json"))
    row = next(p for p in report["pages"] if p["id"] == "fuel_combustion")["rows"][0]
    assert "cc" in row  # read by the carbon-content route: shown


def test_a_share_of_a_negative_total_is_not_minus_zero():
    from mrv_engine.core.base.numbers import fmt, round_half_up

    assert fmt(round_half_up(Decimal(0) * 100 / Decimal(-5), 2)) == "0.00"
    assert fmt(Decimal("-0.0000")) == "0.0000"
    assert fmt(Decimal("-0.01")) == "-0.01"
