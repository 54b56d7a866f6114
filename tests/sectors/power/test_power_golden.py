"""Golden tests of every power-sector formula and substitution rule.

Expected figures come from the seeds (seed 001 Q30/Q33 for the 229号 coal
defaults, seed 002 for the formulas and decimals, seed 003 and seed 002 for the
grid factors) or from arithmetic written out in each test, done by hand or with
plain Decimal operations independent of the engine. None is engine output
pasted back.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest


def fuel_rows(result, page="fuel_t"):
    return result.page(page).rows


# -- combustion --------------------------------------------------------------------

def test_one_tonne_of_unmeasured_coal_229_defaults(engine, tiny, hu, summary):
    # seed 001 Q30/Q33 (229号): 26.7 GJ/t and 0.03085 tC/GJ; seed 002: OF 99 %.
    # By hand: 1 × 26.7 = 26.700 GJ; 26.7 × 0.03085 = 0.823695 tC; × 0.99 = 0.81545805;
    # × 44/12 = 35.8801542 / 12 = 2.99001285 tCO2 (reference E5, exact).
    r = engine.calculate(tiny(2022))
    row = fuel_rows(r)[0]
    assert row.values["ncv"] == D("26.700")
    assert row.values["fuel_heat"] == D("26.700")
    assert row.values["carbon_per_heat"] == D("0.03085")
    assert row.values["of"] == D("99")
    assert row.values["emissions"] == D("2.99001285")
    assert summary(r, "fuel_t", "fuel_year", unit="U1", fuel="coal")["emissions_year"] == hu(D("2.99001285") * 12, 2)
    assert r.total == hu(D("2.99001285") * 12, 2)  # 35.8801542 -> 35.88


def test_carbon_per_unit_heat_is_element_carbon_over_ncv_rounded_5(engine, tiny):
    # seed 002: 单位热值含碳量 = 元素碳含量 / 低位发热量, 5 decimals.
    sub = tiny(2022)
    for row in sub["pages"]["fuel_t"]:
        row.update(consumption="198234.56", ncv="21.380", element_carbon="0.5625")
    r = engine.calculate(sub)
    row = fuel_rows(r)[0]
    # 0.5625 / 21.380 = 0.0263096...; half up to 5 decimals = 0.02631
    assert row.values["carbon_per_heat"] == D("0.02631")
    # fuel heat 198234.56 × 21.380 = 4238254.8928 -> 3 decimals 4238254.893
    assert row.values["fuel_heat"] == D("4238254.893")
    # emissions use the rounded intermediates: 4238254.893 × 0.02631 × 0.99 × 44/12
    expected = D("4238254.893") * D("0.02631") * D("0.99") * D(44) / D(12)
    assert abs(row.values["emissions"] - expected) < D("1e-30")


def test_input_decimals_half_up(engine, tiny):
    # seed 002: consumption 2, NCV 3, element carbon 2 in % (= 4 in tC/t).
    sub = tiny(2022)
    sub["pages"]["fuel_t"][0].update(consumption="123.455", ncv="21.5125",
                                     element_carbon={"value": "57.335", "unit": "pctC"})
    r = engine.calculate(sub)
    v = fuel_rows(r)[0].values
    assert v["consumption"] == D("123.46")
    assert v["ncv"] == D("21.513")
    assert v["element_carbon"] == D("0.5734")  # 57.335 % = 0.57335 tC/t -> 0.5734


def test_mean_of_measured_months_when_three_or_more(engine, tiny, hu, node, operand):
    # seed 001 Q33 (229号): >= 3 measured months -> unmeasured months take their arithmetic mean.
    sub = tiny(2022)
    measured = {1: "0.5621", 2: "0.5598", 4: "0.5702", 5: "0.5733", 7: "0.5540", 8: "0.5511", 10: "0.5689", 11: "0.5604"}
    for row in sub["pages"]["fuel_t"]:
        row["ncv"] = "21.380"
        if row["month"] in measured:
            row["element_carbon"] = measured[row["month"]]
    r = engine.calculate(sub)
    march = fuel_rows(r)[2]
    # by hand: sum 4.4998 / 8 = 0.562475 -> 4 decimals half up 0.5625
    assert march.values["element_carbon"] == D("0.5625")
    assert march.prov["element_carbon"].kind == "substituted"
    assert "3" in march.prov["element_carbon"].rule["en"]
    assert march.values["carbon_per_heat"] == hu(D("0.5625") / D("21.380"), 5)
    n = node(r, "$.pages.fuel_t[2].carbon_per_heat")
    op = operand(n, "element_carbon")
    assert op.kind == "substituted" and "229号" in op.citation


def test_exactly_three_measured_months_is_enough_two_is_not(engine, tiny):
    for count, expect_default in ((3, False), (2, True)):
        sub = tiny(2022)
        for row in sub["pages"]["fuel_t"]:
            row["ncv"] = "20.000"
            if row["month"] <= count:
                row["element_carbon"] = "0.5000"
        r = engine.calculate(sub)
        dec = fuel_rows(r)[11]
        if expect_default:
            # fewer than 3: 0.03085 tC/GJ, element carbon not used (shown 0, with the rule)
            assert dec.values["carbon_per_heat"] == D("0.03085")
            assert dec.values["element_carbon"] == 0
            assert "fewer than 3" in dec.prov["element_carbon"].rule["en"]
        else:
            assert dec.values["element_carbon"] == D("0.5000")
            assert dec.values["carbon_per_heat"] == D("0.02500")  # 0.5 / 20


def test_measurement_below_required_frequency_is_not_used(engine, tiny):
    # seed 001 Q25: a measurement below the guideline's frequency is not used; the default is.
    sub = tiny(2022)
    sub["pages"]["fuel_t"][0]["ncv"] = {"value": "22.000", "frequency": "weekly", "basis": "as_fired"}
    sub["pages"]["fuel_t"][1]["element_carbon"] = {"value": "0.5500", "frequency": "quarterly"}
    r = engine.calculate(sub)
    jan, feb = fuel_rows(r)[0], fuel_rows(r)[1]
    assert jan.values["ncv"] == D("26.700") and jan.prov["ncv"].kind == "default"
    assert "weekly" in jan.prov["ncv"].note
    assert feb.values["carbon_per_heat"] == D("0.03085")
    assert "quarterly" in feb.prov["element_carbon"].note


def test_ncv_priority_as_fired_then_as_received_then_supplier(engine, tiny):
    # seed 001 Q30: as-fired, then as-received, then supplier.
    sub = tiny(2022)
    rows = sub["pages"]["fuel_t"]
    rows[0]["ncv"] = [{"value": "20.100", "basis": "supplier"}, {"value": "20.200", "basis": "as_received"},
                      {"value": "20.300", "basis": "as_fired"}]
    rows[1]["ncv"] = [{"value": "20.100", "basis": "supplier"}, {"value": "20.200", "basis": "as_received"}]
    rows[2]["ncv"] = [{"value": "20.100", "basis": "supplier"}]
    r = engine.calculate(sub)
    assert [fuel_rows(r)[i].values["ncv"] for i in range(3)] == [D("20.300"), D("20.200"), D("20.100")]


def test_ncv_in_kcal_per_kg_is_converted_and_shown(engine, tiny, node, operand):
    # 5330 kcal/kg × 4.1868 kJ/kcal = 22315.644 kJ/kg = 22.315644 GJ/t -> 22.316 (3 decimals)
    sub = tiny(2022)
    sub["pages"]["fuel_t"][0]["ncv"] = {"value": "5330", "unit": "kcal/kg"}
    r = engine.calculate(sub)
    assert fuel_rows(r)[0].values["ncv"] == D("22.316")
    op = operand(node(r, "$.pages.fuel_t[0].fuel_heat"), "ncv")
    assert op.original[0] == "5330" and "kcal/kg" in op.original[1] and "4.1868" in op.original[1]
    # the 20 degC calorie when the submission names it: 5330 × 4.1816 = 22287.928 -> 22.288
    sub["calorie"] = "4.1816"
    r = engine.calculate(sub)
    assert fuel_rows(r)[0].values["ncv"] == D("22.288")


def test_gas_auxiliary_fuel_uses_gas_defaults_and_counts_in_the_unit(engine, tiny, hu, summary):
    sub = tiny(2022)
    sub["pages"]["fuel_gas"] = [{"unit": "U1", "month": m, "fuel": "natural_gas", "consumption": "2.00" if m == 1 else "0"}
                                for m in range(1, 13)]
    r = engine.calculate(sub)
    jan = r.page("fuel_gas").rows[0]
    # 2 × 389.31 = 778.620 GJ; × 0.01532 × 0.99 × 44/12
    assert jan.values["fuel_heat"] == D("778.620")
    expected = D("778.620") * D("0.01532") * D("0.99") * D(44) / D(12)
    assert abs(jan.values["emissions"] - expected) < D("1e-30")
    assert jan.prov["ncv"].verified is False  # the gas defaults are not confirmed
    unit = summary(r, "production", "unit_year", unit="U1")
    assert unit["e_fuel_year"] == hu(D("2.99001285") * 12 + expected, 2)


def test_annual_ncv_is_weighted_by_consumption_not_a_simple_mean(engine, tiny, hu, summary):
    sub = tiny(2022)
    for row in sub["pages"]["fuel_t"]:
        row.update(consumption="100", ncv="20.000")
    sub["pages"]["fuel_t"][0].update(consumption="1000", ncv="26.000")
    r = engine.calculate(sub)
    year = summary(r, "fuel_t", "fuel_year", unit="U1", fuel="coal")
    # (1000 × 26 + 11 × 100 × 20) / (1000 + 1100) = 48000 / 2100 = 22.857142... -> 22.857
    assert year["ncv_year"] == D("22.857")
    assert year["ncv_year"] != hu((D(26) + 11 * D(20)) / 12, 3)  # the simple mean would be 20.500
    assert year["consumption_year"] == D("2100.00")


# -- purchased electricity -----------------------------------------------------------

def test_purchased_electricity_split_equally_half_up_2_decimals(engine, tiny):
    # seed 002: not metered per unit -> split by the number of units; MWh and tCO2 half up to 2 decimals.
    sub = tiny(2022)
    sub["pages"]["plan_units"].append(dict(sub["pages"]["plan_units"][0], unit="U2"))
    for key in ("fuel_t", "production"):
        sub["pages"][key] += [dict(r, unit="U2") for r in sub["pages"][key]]
    sub["pages"]["electricity"] = [{"unit": u, "month": m, "metering": "plant_split", "plant_purchased": "1333.33",
                                    "units_sharing": 2} for u in ("U1", "U2") for m in range(1, 13)]
    r = engine.calculate(sub)
    row = r.page("electricity").rows[0]
    # 1333.33 / 2 = 666.665 -> 666.67; × 0.5703 = 380.201901 -> 380.20
    assert row.values["consumed"] == D("666.67")
    assert row.values["grid_factor"] == D("0.5703")
    assert row.values["emissions"] == D("380.20")


def test_purchased_electricity_metered_per_unit(engine, tiny):
    sub = tiny(2021)
    sub["pages"]["electricity"][0]["purchased"] = "1234.567"
    r = engine.calculate(sub)
    row = r.page("electricity").rows[0]
    # 1234.57 × 0.5810 = 717.28517 -> 717.29
    assert row.values["consumed"] == D("1234.57")
    assert row.values["emissions"] == D("717.29")


@pytest.mark.parametrize("year, factor, verified", [(2019, "0.6101", True), (2020, "0.6101", True),
                                                     (2021, "0.5810", False), (2022, "0.5703", True)])
def test_grid_factor_of_the_reporting_year(year, factor, verified, engine, tiny, hu):
    # 0.6101 seed 002; 0.5810 one reprint of 111号 only (unverified); 0.5703 seed 003 / 43号.
    sub = tiny(year)
    sub["pages"]["electricity"][0]["purchased"] = "100"
    for row in sub["pages"]["fuel_t"]:
        row["ncv"] = "20.000"  # the 2021 guideline has no confirmed coal NCV default
    r = engine.calculate(sub)
    assert r.page("electricity").rows[0].values["grid_factor"] == D(factor)
    assert r.params["grid_ef"].verified is verified
    assert r.page("electricity").rows[0].values["emissions"] == hu(D(100) * D(factor), 2)


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_grid_factor_unconfirmed_year_refused_unless_supplied(year, engine, refused, tiny, node, operand):
    sub = tiny(year)
    del sub["parameters"]
    found = refused(sub)
    assert found[0].code == "missing_value"
    assert "grid_ef" in found[0].message and "No notice giving a factor" in found[0].message and "环办气候函〔2023〕43号" in found[0].message
    r = engine.calculate(tiny(year))
    op = operand(node(r, "$.pages.electricity[0].grid_factor"), "grid_ef")
    assert op.kind == "submission"


# -- production, intensities, load factor ---------------------------------------------

def test_monthly_and_annual_intensities_heat_ratio_load_factor(engine, tiny, hu, summary):
    sub = tiny(2022)
    for row in sub["pages"]["production"]:
        row.update(generation="1000", supply="900", heat_supply="500", heat_ratio="20", running_hours="600")
    sub["pages"]["production"][0].update(heat_supply="300", heat_ratio="10")
    r = engine.calculate(sub)
    e = D("2.99001285")  # one tonne of unmeasured coal a month, no purchased electricity
    jan = summary(r, "production", "month_unit", unit="U1", month=1)
    assert jan["power_intensity"] == hu(e * D("0.9") / 900, 3)
    assert jan["heat_intensity"] == hu(e * D("0.1") / 300, 3)
    # load factor 1000 MWh / (2 MW × 600 h) = 83.3333 % -> 83.333
    assert jan["load_factor"] == D("83.333")
    year = summary(r, "production", "unit_year", unit="U1")
    # annual heat ratio = Σ heat / Σ (heat / ratio) = (300 + 11×500) / (3000 + 11×2500) = 5800 / 30500
    alpha = D(5800) / D(30500)
    assert year["heat_ratio_year"] == hu(alpha * 100, 3)  # 19.016 %
    e_year = hu(e * 12, 2)
    assert year["e_unit_year"] == e_year
    assert year["power_intensity_year"] == hu(e_year * (1 - hu(alpha * 100, 3) / 100) / D(10800), 3)
    assert year["load_factor_year"] == D("83.333")


def test_intensity_of_a_month_without_supply_is_zero_not_an_error(engine, tiny, summary):
    sub = tiny(2022)
    sub["pages"]["production"][5].update(generation="0", supply="0", running_hours="0")
    r = engine.calculate(sub)
    june = summary(r, "production", "month_unit", unit="U1", month=6)
    assert june["power_intensity"] == 0 and june["load_factor"] == 0


def test_plant_summary_is_the_sum_of_units(engine, tiny, hu, summary):
    sub = tiny(2022)
    sub["pages"]["plan_units"].append(dict(sub["pages"]["plan_units"][0], unit="U2", capacity="3"))
    for key in ("fuel_t", "production", "electricity"):
        sub["pages"][key] += [dict(r, unit="U2") for r in sub["pages"][key]]
    r = engine.calculate(sub)
    plant = summary(r, "production", "plant")
    assert plant["capacity_total"] == D("5.0000")
    assert plant["e_total"] == hu(D("2.99001285") * 24, 2)


def test_annual_summaries_and_supplementary_table_by_hand(engine, tiny, hu, summary):
    # 1000 t of unmeasured coal a month (26.7 GJ/t, 0.03085 tC/GJ, 99 %), 2 MW, 600 h,
    # 1000 MWh generated, 900 supplied, 500 GJ heat at a 20 % heat-supply ratio.
    sub = tiny(2022)
    for row in sub["pages"]["fuel_t"]:
        row["consumption"] = "1000"
    for row in sub["pages"]["production"]:
        row.update(heat_supply="500", heat_ratio="20")
    sub["pages"]["fuel_gas"] = [{"unit": "U1", "month": m, "fuel": "natural_gas", "consumption": "2.00" if m == 1 else "0"}
                                for m in range(1, 13)]
    sub["pages"]["allocation"] = [{"unit": "U1", "category": "coal_300_below"}]
    r = engine.calculate(sub)
    jan = r.page("fuel_t").rows[0]
    assert jan.values["fuel_heat"] == D("26700.000")
    assert jan.values["carbon"] == D("823.695")  # 26700 × 0.03085
    coal = summary(r, "fuel_t", "fuel_year", unit="U1", fuel="coal")
    assert coal["consumption_year"] == D("12000.00")
    assert coal["fuel_heat_year"] == D("320400.000")
    assert coal["ncv_year"] == D("26.700")
    assert coal["element_carbon_year"] == D("0.8237")  # 12 × 823.695 / 12000 = 0.823695
    assert coal["carbon_per_heat_year"] == D("0.03085")
    e_coal = D("2990.01285") * 12  # 35880.1542
    assert coal["emissions_year"] == D("35880.15")
    gas = summary(r, "fuel_gas", "fuel_year", unit="U1", fuel="natural_gas")
    e_gas = D("778.620") * D("0.01532") * D("0.99") * D(44) / D(12)
    assert (gas["consumption_year"], gas["ncv_year"], gas["fuel_heat_year"], gas["carbon_per_heat_year"]) == \
        (D("2.00"), D("389.310"), D("778.620"), D("0.01532"))
    assert gas["emissions_year"] == hu(e_gas, 2)
    unit = summary(r, "production", "unit_year", unit="U1")
    assert (unit["capacity"], unit["generation_year"], unit["supply_year"], unit["heat_supply_year"]) == \
        (D("2.0000"), D("12000.000"), D("10800.000"), D("6000.000"))
    assert unit["heat_ratio_year"] == D("20.000")  # 6000 / (12 × 500 / 0.2)
    assert unit["running_hours_year"] == D("7200")
    assert unit["load_factor_year"] == D("83.333")  # 12000 / (2 × 7200)
    e_unit = hu(e_coal + e_gas, 2)
    assert unit["e_unit_year"] == e_unit
    assert unit["power_intensity_year"] == hu(e_unit * D("0.8") / 10800, 3)
    assert unit["heat_intensity_year"] == hu(e_unit * D("0.2") / 6000, 3)
    alloc = summary(r, "allocation", "allocation_unit", unit="U1")
    assert (alloc["supply"], alloc["heat_supply"], alloc["heat_ratio"], alloc["load_factor"]) == \
        (D("10800.000"), D("6000.000"), D("20.000"), D("83.333"))
    assert alloc["emissions"] == e_unit
    assert alloc["power_intensity"] == hu(e_unit * D("0.8") / 10800, 3)
    assert alloc["heat_intensity"] == hu(e_unit * D("0.2") / 6000, 3)
    assert alloc["heat_correction"] == D("0.9560")  # 1 − 0.22 × 0.2 (recalled coefficient, unverified)
