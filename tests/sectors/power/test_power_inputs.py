"""Bad input and merged units: each is a clear finding or a traced conversion, never a silent wrong figure."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from mrv_engine.plugins.power.checks import combine


def codes(found):
    return [f.code for f in found]


# -- the bad inputs the issue names ---------------------------------------------------

def test_a_month_missing(refused, tiny):
    sub = tiny(2022)
    del sub["pages"]["fuel_t"][6]
    found = refused(sub)
    assert codes(found) == ["month_missing"]
    assert "7" in found[0].message and "U1" in found[0].message


def test_a_unit_in_the_report_that_is_not_in_the_plan(refused, tiny):
    sub = tiny(2022)
    sub["pages"]["production"][3]["unit"] = "U9"
    found = refused(sub)
    assert "unknown_reference" in codes(found)
    f = next(f for f in found if f.code == "unknown_reference")
    assert f.place == "$.pages.production[3].unit" and "U9" in f.message and "U1" in f.message
    # the unknown unit is not also reported as a unit lacking eleven months
    assert not [f for f in found if f.code == "month_missing" and "U9" in f.message]


def test_a_plan_unit_missing_from_the_report(refused, tiny):
    sub = tiny(2022)
    sub["pages"]["plan_units"].append(dict(sub["pages"]["plan_units"][0], unit="U2"))
    found = refused(sub)
    assert set(codes(found)) == {"plan_unit_not_reported"}


def test_element_carbon_in_bare_percent_is_refused_in_pctc_converted(engine, refused, tiny):
    sub = tiny(2022)
    sub["pages"]["fuel_t"][0]["element_carbon"] = {"value": "60.12", "unit": "%"}
    found = refused(sub)
    assert codes(found) == ["wrong_unit"] and "tC/t" in found[0].message
    # a percentage typed as a plain number is out of range for tC/t, not read as 60.12 tC/t
    sub["pages"]["fuel_t"][0]["element_carbon"] = "60.12"
    assert codes(refused(sub)) == ["above_maximum"]
    # with its unit named, converted exactly: 60.12 pctC = 0.6012 tC/t, and the trace shows the original
    sub["pages"]["fuel_t"][0]["element_carbon"] = {"value": "60.12", "unit": "pctC"}
    r = engine.calculate(sub)
    row = r.page("fuel_t").rows[0]
    assert row.values["element_carbon"] == D("0.6012")
    assert row.prov["element_carbon"].original == ("60.12", "pctC")


def test_heat_supply_ratio_over_100_percent(refused, tiny):
    sub = tiny(2022)
    sub["pages"]["production"][0].update(heat_supply="10", heat_ratio="100.5")
    found = refused(sub)
    assert codes(found) == ["above_maximum"] and found[0].place == "$.pages.production[0].heat_ratio"


def test_heat_supplied_without_ratio_is_a_finding(refused, tiny):
    sub = tiny(2022)
    sub["pages"]["production"][0]["heat_supply"] = "10"
    assert codes(refused(sub)) == ["heat_ratio_inconsistent"]


def test_electricity_split_count_must_match_the_units_splitting(refused, tiny):
    sub = tiny(2022)
    sub["pages"]["electricity"] = [{"unit": "U1", "month": m, "metering": "plant_split", "plant_purchased": "100",
                                    "units_sharing": 2} for m in range(1, 13)]
    found = refused(sub)
    assert set(codes(found)) == {"electricity_split_count"} and len(found) == 12


def test_supplier_ncv_refused_under_the_2021_guideline(engine, refused, tiny):
    sub = tiny(2020)
    for row in sub["pages"]["fuel_t"]:
        row["ncv"] = "20.000"
    sub["pages"]["fuel_t"][0]["ncv"] = [{"value": "20.200", "basis": "as_received"}, {"value": "20.300", "basis": "as_fired"}]
    r = engine.calculate(sub)
    assert r.page("fuel_t").rows[0].values["ncv"] == D("20.300")
    sub["pages"]["fuel_t"][0]["ncv"] = [{"value": "20.100", "basis": "supplier"}, {"value": "20.200", "basis": "as_received"}]
    found = refused(sub)
    assert codes(found) == ["bad_value"] and "as_fired, as_received" in found[0].message


# -- merged units (合并填报) --------------------------------------------------------------

def test_the_example_merged_pair_is_accepted(engine, power_example):
    r = engine.calculate(power_example(2022))
    assert r.findings == []


@pytest.fixture
def merged(power_example):
    """The 2022 example with the second member of its merged unit changed."""

    def merged(**member_changes):
        sub = power_example(2022)
        members = sub["pages"]["merge_members"]
        for key, value in member_changes.items():
            members[1][key] = value
        return sub

    return merged


def test_merged_unit_with_incompatible_members(refused, merged):
    found = refused(merged(cooling="air"))
    assert codes(found) == ["merge_incompatible"]
    # members and their values by the names the form shows (冷却方式: 水冷 / 空冷), not by ids
    assert "1号机组: Water-cooled" in found[0].message and "2号机组: Air-cooled" in found[0].message
    assert "1号机组: 水冷" in found[0].message_zh and "2号机组: 空冷" in found[0].message_zh
    assert "合并填报" in found[0].citation
    assert codes(refused(merged(output="power"))) == ["merge_incompatible"]
    assert codes(refused(merged(boiler_type="cfb"))) == ["merge_incompatible"]


def test_merged_unit_type_follows_the_combination_rules(refused, merged):
    # coal + gas shows gas (seed 002): the plan's merged row says coal
    found = refused(merged(unit_type="gas", fuel_type="gas", subtype="none"))
    assert "merge_type" in codes(found)
    assert "'gas'" in next(f for f in found if f.code == "merge_type").message


def test_merged_unit_capacity_is_the_largest_member(refused, power_example):
    sub = power_example(2022)
    sub["pages"]["plan_units"][0]["capacity"] = "630"
    found = refused(sub)
    assert codes(found) == ["merge_capacity"] and "330" in found[0].message


def test_a_member_cannot_also_be_a_unit_of_the_plan(refused, power_example):
    sub = power_example(2022)
    sub["pages"]["merge_members"][0]["member"] = "3号机组"
    assert "merged_member_in_plan" in codes(refused(sub))


def test_merged_unit_needs_two_members(refused, power_example):
    sub = power_example(2022)
    del sub["pages"]["merge_members"][1]
    assert codes(refused(sub)) == ["merged_without_members"]


def test_combination_rules_from_the_ruleset(engine):
    rows = engine.composition("power", 2022).tables["merge_type_rules"][0]["rows"]
    # seed 002, 合并填报 display rules
    assert combine(rows, ["coal", "gas"]) == "gas"
    assert combine(rows, ["coal", "coal"]) == "coal"
    assert combine(rows, ["gas", "gas"]) == "gas"
    assert combine(rows, ["coal", "other"]) == "coal"
    assert combine(rows, ["gas", "other"]) == "gas"
    assert combine(rows, ["other", "other"]) == "other"
    assert combine(rows, ["conventional", "unconventional"]) == "conventional"
    assert combine(rows, ["unconventional", "unconventional"]) == "unconventional"
    assert combine(rows, ["coal", "gas", "coal"]) == "gas"


def test_merged_subtype_conventional_wins(engine, refused, power_example):
    sub = power_example(2022)
    sub["pages"]["merge_members"][1]["subtype"] = "unconventional"
    assert engine.calculate(sub).findings == []  # conventional + unconventional shows conventional
    sub["pages"]["plan_units"][0]["subtype"] = "unconventional"
    assert codes(refused(sub)) == ["merge_subtype"]


def test_method_table_disagreeing_with_the_fuel_table_is_a_warning(engine, power_example):
    r = engine.calculate(power_example(2022))
    assert r.findings == []
    sub = power_example(2022)
    m = next(x for x in sub["pages"]["methods"] if x["unit"] == "3号机组" and x["parameter"] == "carbon" and x["month"] == 3)
    m.update(method="commissioned", frequency="quarterly")
    r = engine.calculate(sub)  # warnings do not invalidate the report
    assert sorted(f.code for f in r.findings) == ["method_frequency", "method_vs_value"]
    assert all(f.severity == "warning" for f in r.findings)
    assert engine.report(r)["findings"] == [f.as_dict() for f in r.findings]


def test_merged_unit_load_factor_uses_the_members_total_capacity(engine, power_example):
    # The merged unit's capacity *class* follows its largest member (seed 002), but its load
    # factor divides generation by what all members could produce: Σgeneration / (Σcapacity × Σhours).
    sub = power_example(2022)
    rows = [r for r in sub["pages"]["production"] if r["unit"] == "1-2号机组"]
    members = [m for m in sub["pages"]["merge_members"] if m["unit"] == "1-2号机组"]
    generation = sum(D(r["generation"]) for r in rows)
    hours = sum(D(r["running_hours"]) for r in rows)
    capacity = sum(D(m["capacity"]) for m in members)
    expected = (generation / (capacity * hours) * 100).quantize(D("0.001"), rounding="ROUND_HALF_UP")
    result = engine.calculate(sub)
    alloc = next(s for s in result.page("allocation").summaries if s["group"] == {"unit": "1-2号机组"})
    assert alloc["values"]["rated_capacity"] == capacity == D("630")
    assert alloc["values"]["load_factor"] == expected
    assert expected < 100


def test_method_check_sees_the_coal_row_when_a_unit_also_burns_oil_that_month(engine, tiny):
    # Coal NCV measured daily in January and declared self-measured; the same unit also burns
    # diesel (default NCV) every month. The diesel row must not hide the measured coal row.
    sub = tiny(2022)
    sub["pages"]["fuel_t"][0]["ncv"] = {"value": "21.5", "frequency": "daily", "basis": "as_fired"}
    sub["pages"]["fuel_t"] += [{"unit": "U1", "month": m, "fuel": "diesel", "consumption": "0.5"} for m in range(1, 13)]
    sub["pages"]["methods"] = [{"unit": "U1", "parameter": "ncv", "month": 1, "method": "self", "frequency": "daily"}]
    assert engine.calculate(sub).findings == []
    # declared a default while the coal value is measured: still a warning
    sub["pages"]["methods"][0].update(method="default")
    assert codes(engine.calculate(sub).findings) == ["method_vs_value"]


def test_annual_heat_ratio_with_heat_in_some_months_only_is_flagged(engine, tiny):
    # January: 300 GJ heat at a 10 % ratio, so 300 / 0.10 = 3000 GJ produced; February to December
    # generate power without heat (ratio 0), their boiler heat is not reported. The annual ratio is
    # 300 / 3000 = 10 % although the year's heat share is far smaller: computed, but warned.
    sub = tiny(2022)
    sub["pages"]["production"][0].update(heat_supply="300", heat_ratio="10")
    r = engine.calculate(sub)
    year = next(s["values"] for s in r.page("production").summaries if s["summary"] == "unit_year")
    assert year["heat_ratio_year"] == D("10.000")
    assert codes(r.findings) == ["heat_ratio_year_partial"]
    assert r.findings[0].severity == "warning" and "2, 3" in r.findings[0].message
    # heat in every month, or in none: no warning
    for row in sub["pages"]["production"]:
        row.update(heat_supply="300", heat_ratio="10")
    assert engine.calculate(sub).findings == []
    assert engine.calculate(tiny(2022)).findings == []
