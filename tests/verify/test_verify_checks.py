"""Each host check with an input that must trigger it and one that must not.

Expected figures are derived by hand below (independent arithmetic)."""

from __future__ import annotations

from decimal import Decimal

import pytest

# Independent arithmetic (not engine output) for general_sub(), general-2015 defaults and the 2022 grid factor:
#   bituminous 1000 t x 19.570 GJ/t x 0.0261 tC/GJ x 0.93 x 44/12 = 1741.74957 -> 1741.7496 tCO2
#   electricity (100 - 10) MWh x 0.5703 tCO2/MWh = 51.327 -> 51.3270 tCO2
COAL_EMISSIONS = "1741.7496"
ELEC_EMISSIONS = "51.3270"
ELEC_EMISSIONS_2020_FACTOR = "54.9090"  # 90 x 0.6101

COAL = "$.pages.fuel_combustion[0].emissions"
ELEC = "$.pages.electricity_heat[0].emissions"


def full_plan() -> dict:
    return {"parameters": [
        {"page": "fuel_combustion", "field": f, "source": "default"} for f in ("consumption", "ncv", "cc", "of")
    ] + [{"page": "electricity_heat", "field": f, "source": "measured"} for f in ("purchased", "exported")]}


# -- reported figures ------------------------------------------------------------------

@pytest.mark.parametrize("reported, agrees", [
    (COAL_EMISSIONS, True),
    ("1741.75", True),        # 2 decimals: |diff| 0.0004 <= 0.005
    ("1742", True),           # integer: 0.2504 <= 0.5
    ("1741.7", True),         # 1 decimal: 0.0496 <= 0.05
    ("1741.8", False),        # 1 decimal: 0.0504 > 0.05
    ("1741.7497", False),     # 4 decimals: 0.0001 > 0.00005
    ("1741.76", False),
])
def test_reported_figure_compared_at_its_decimals(reported, agrees, general_sub, found, run):
    rep = run(general_sub(plan=full_plan(), reported={COAL: reported}))
    assert bool(found(rep, "figure.differs")) is not agrees


def test_reported_figure_that_differs_is_an_error_with_its_difference(general_sub, found, run):
    rep = run(general_sub(plan=full_plan(), reported={COAL: "1700", "$.totals.total": "1793.0766"}))
    (f,) = found(rep, "figure.differs")
    assert f.severity == "error" and f.place == COAL
    assert f.data["difference"] == Decimal("1700") - Decimal(COAL_EMISSIONS)
    # total = 1741.7496 + 51.3270 = 1793.0766 (independent sum) agrees
    assert rep.summary[-1]["difference"] == 0


def test_reported_unknown_place(general_sub, codes, run):
    rep = run(general_sub(plan=full_plan(), reported={"$.pages.fuel_combustion[7].emissions": "1"}))
    assert codes(rep) == {"figure.unknown_place"}


# -- missing data ------------------------------------------------------------------------

@pytest.fixture
def estimated(general_sub):
    """A general submission whose coal consumption is an estimate."""

    def estimated_sub(value):
        sub = general_sub()
        sub["pages"]["fuel_combustion"][0]["consumption"] = {"value": value, "source": "estimated"}
        return sub

    return estimated_sub


def test_missing_data_without_plan_procedure(codes, run, estimated):
    sub = estimated("1000")
    sub["plan"] = full_plan()
    assert "missing_data.no_plan_procedure" in codes(run(sub))


def test_missing_data_with_plan_procedure_followed(codes, run, estimated):
    sub = estimated("1000")
    sub["plan"] = full_plan()
    sub["plan"]["parameters"][0]["missing_data"] = {"method": "value", "value": "1000"}
    assert not {c for c in codes(run(sub)) if c.startswith("missing_data")}


def test_missing_data_substitute_not_conservative(found, run, estimated):
    sub = estimated("900")
    sub["plan"] = full_plan()
    sub["plan"]["parameters"][0]["missing_data"] = {"method": "value", "value": "1000", "unit": "t"}
    (f,) = found(run(sub), "missing_data.not_conservative")
    # 100 t of bituminous at defaults: 100 x 19.570 x 0.0261 x 0.93 x 44/12 = 174.174957 (rounded per row)
    assert f.data["effect"] == Decimal("1741.7496") - Decimal("1567.5746")


def test_missing_data_conservative_but_not_the_plans_value(general_sub, codes, run):
    sub = general_sub(plan=full_plan())
    sub["pages"]["fuel_combustion"][0]["ncv"] = {"value": "21", "source": "estimated"}
    sub["plan"]["parameters"][1]["missing_data"] = {"method": "default"}
    rep = run(sub)
    assert "missing_data.not_conservative" not in codes(rep)
    assert "missing_data.not_per_plan" in codes(rep)
    sub["pages"]["fuel_combustion"][0]["ncv"] = {"value": "18", "source": "estimated"}
    assert "missing_data.not_conservative" in codes(run(sub))


# -- plausibility ------------------------------------------------------------------------

@pytest.mark.parametrize("ncv, code", [
    ({"value": "19570", "unit": "GJ/t"}, "value.unit_slip"),       # kJ/kg digits given as GJ/t (x1000)
    ({"value": "23", "unit": "kJ/kg"}, "value.unit_slip"),         # the seed's 23 kJ/kg bituminous row (/1000)
    ({"value": "81.9", "unit": "GJ/t"}, "value.unit_slip"),        # 19.57 x 4.1868: kcal-based figure
    # the seed's 241801 kJ/kg anthracite row, on bituminous: above every coal's range (IPCC's 32.2 GJ/t), which
    # judges coal in place of the generic 0.5-2x band (issue 17)
    ({"value": "241801", "unit": "kJ/kg"}, "value.outside_fuel_range"),
    ({"value": "45", "unit": "GJ/t"}, "value.outside_fuel_range"),
    ({"value": "21.5", "unit": "GJ/t"}, None),
    ({"value": "11", "unit": "GJ/t"}, None),
])
def test_value_ranges_and_unit_slips(ncv, code, general_sub, codes, run):
    sub = general_sub(plan=full_plan())
    sub["pages"]["fuel_combustion"][0]["ncv"] = {**ncv, "source": "measured"}
    got = codes(run(sub)) & {"value.unit_slip", "value.implausible", "value.outside_fuel_range"}
    assert got == ({code} if code else set())


# -- monthly values -----------------------------------------------------------------------

MONTHS = ["90", "80", "85", "75", "80", "85", "90", "80", "85", "85", "80", "85"]  # sum 1000
NCV_M = ["19", "20", "21", "19", "20", "21", "19", "20", "21", "19", "20", "22"]


def _weighted():
    num = sum(Decimal(a) * Decimal(b) for a, b in zip(MONTHS, NCV_M))
    return num / 1000


def test_monthly_sum(general_sub, codes, found, run):
    sub = general_sub(plan=full_plan(), evidence={"monthly": {"$.pages.fuel_combustion[0].consumption": {"values": MONTHS}}})
    assert "monthly.sum_mismatch" not in codes(run(sub))
    sub["evidence"]["monthly"]["$.pages.fuel_combustion[0].consumption"]["values"] = MONTHS[:-1] + ["84"]
    (f,) = found(run(sub), "monthly.sum_mismatch")
    assert f.data["months_sum"] == Decimal(999)


def test_monthly_weighted_mean(general_sub, codes, run):
    # by hand: sum(t x ncv) = 1710+1600+1785+1425+1600+1785+1710+1600+1785+1615+1600+1870 = 20085; / 1000 t
    wmean = _weighted()
    amean = sum(Decimal(x) for x in NCV_M) / 12  # 241 / 12 = 20.0833...
    assert wmean == Decimal("20.085") and round(amean, 3) == Decimal("20.083")
    ev = {"monthly": {"$.pages.fuel_combustion[0].consumption": {"values": MONTHS},
                      "$.pages.fuel_combustion[0].ncv": {"values": NCV_M, "weights": "$.pages.fuel_combustion[0].consumption"}}}
    for annual, code in (("20.085", None), ("20.083", "monthly.unweighted_mean"), ("20.2", "monthly.mean_mismatch")):
        sub = general_sub(plan=full_plan(), evidence=ev)
        sub["pages"]["fuel_combustion"][0]["ncv"] = {"value": annual, "source": "measured"}
        got = codes(run(sub)) & {"monthly.unweighted_mean", "monthly.mean_mismatch", "monthly.sum_mismatch"}
        assert got == ({code} if code else set()), annual


# -- electricity --------------------------------------------------------------------------

def test_meters(general_sub, codes, found, run):
    meters = {"row": "$.pages.electricity_heat[0]", "purchased": "100", "exported": "10", "unit": "MWh"}
    assert "electricity.meter_mismatch" not in codes(run(general_sub(plan=full_plan(), evidence={"meters": [meters]})))
    (f,) = found(run(general_sub(plan=full_plan(), evidence={"meters": [{**meters, "exported": "25"}]})), "electricity.meter_mismatch")
    assert f.data["net_meters"] == Decimal(75) and f.data["net_report"] == Decimal(90)
    # kWh readings converted exactly
    ok = {"row": "$.pages.electricity_heat[0]", "purchased": "100000", "exported": "10000", "unit": "kWh"}
    assert "electricity.meter_mismatch" not in codes(run(general_sub(plan=full_plan(), evidence={"meters": [ok]})))


def test_wrong_years_grid_factor_supplied_is_replaced_by_the_years(general_sub, codes, found, run):
    rep = run(general_sub(plan=full_plan(), parameters={"grid_ef": "0.6101"}, reported={ELEC: ELEC_EMISSIONS_2020_FACTOR}))
    (f,) = found(rep, "parameter.wrong_year")
    assert f.place == "$.parameters.grid_ef" and f.data["matches_years"] == [2019, 2020]
    assert rep.figures[ELEC].value == Decimal(ELEC_EMISSIONS)  # recomputed with 0.5703
    assert found(rep, "figure.differs")[0].place == ELEC
    assert not found(run(general_sub(plan=full_plan(), parameters={"grid_ef": "0.5703"})), "parameter.wrong_year")
    assert codes(run(general_sub(plan=full_plan(), parameters={"grid_ef": "0.6"}))) == {"parameter.overrides_rule"}


def test_wrong_years_grid_factor_found_from_the_reported_figure(general_sub, found, run):
    rep = run(general_sub(plan=full_plan(), reported={ELEC: ELEC_EMISSIONS_2020_FACTOR}))
    (f,) = found(rep, "parameter.wrong_year")
    assert f.place == ELEC and f.data["matches_years"] == [2019, 2020]
    assert not found(run(general_sub(plan=full_plan(), reported={ELEC: ELEC_EMISSIONS})), "parameter.wrong_year")


def test_grid_factor_supplied_for_a_year_without_one_is_kept(general_sub, run):
    sub = general_sub(plan=full_plan(), parameters={"grid_ef": "0.5366"})
    sub["year"] = 2023
    rep = run(sub)
    assert not rep.findings
    assert rep.figures[ELEC].value == Decimal("48.2940")  # 90 x 0.5366


def test_renewable_contract_may_not_lower_the_grid_factor(general_sub, codes, run):
    c = {"kind": "renewable_direct_purchase", "counterparty": "hydro", "quantity": {"value": "50", "unit": "MWh"}}
    assert "electricity.renewable_contract_factor" in codes(run(general_sub(plan=full_plan(), evidence={"contracts": [{**c, "claimed_factor": "0"}]})))
    assert not codes(run(general_sub(plan=full_plan(), evidence={"contracts": [c]})))
    assert not codes(run(general_sub(plan=full_plan(), evidence={"contracts": [{**c, "claimed_factor": "0.5703"}]})))


# -- the plan ---------------------------------------------------------------------------------

def test_no_plan_is_an_observation(general_sub, run):
    rep = run(general_sub())
    assert [(f.code, f.severity) for f in rep.findings] == [("plan.absent", "observation")]


def test_every_parameter_needs_a_determination_method(general_sub, found, run):
    assert not run(general_sub(plan=full_plan())).findings
    plan = full_plan()
    plan["parameters"] = [p for p in plan["parameters"] if p["field"] != "cc"]
    (f,) = found(run(general_sub(plan=plan)), "plan.determination_missing")
    assert f.data["field"] == "cc"


def test_priority_lowered_against_previous_plan(general_sub, found, run):
    prev = full_plan()
    prev["parameters"][1]["source"] = "measured"  # ncv measured last year
    now = full_plan()  # ncv default this year
    (f,) = found(run(general_sub(plan=now, previous_plan=prev)), "plan.priority_lowered")
    assert f.place == "$.plan.parameters[1]" and (f.data["before"], f.data["now"]) == ("measured", "default")
    assert not found(run(general_sub(plan=prev, previous_plan=now)), "plan.priority_lowered")  # default -> measured: raised


def test_revision_new_source(general_sub, found, run):
    plan = full_plan()
    plan["emission_sources"] = [{"page": "fuel_combustion", "match": {"source_name": "B1"}}, {"page": "electricity_heat"}]
    assert not run(general_sub(plan=plan)).findings
    plan["emission_sources"] = plan["emission_sources"][1:]
    (f,) = found(run(general_sub(plan=plan)), "plan.revision_required")
    assert f.data["situation"] == "new_source" and f.place == "$.pages.fuel_combustion[0]"


def test_revision_better_measurement(general_sub, found, run):
    sub = general_sub(plan=full_plan())
    sub["pages"]["fuel_combustion"][0]["cc"] = {"value": "0.0258", "source": "measured"}
    (f,) = found(run(sub), "plan.revision_required")
    assert f.data["situation"] == "better_measurement"
    sub["plan"]["parameters"][2]["source"] = "measured"
    assert not run(sub).findings


@pytest.mark.parametrize("situation", ["new_source", "better_measurement", "incorrect_data", "improves_accuracy",
                                       "noncompliant_plan", "authority_request"])
def test_revision_after_each_of_the_six_situations(situation, general_sub, found, run):
    plan = full_plan()
    plan["events"] = [{"situation": situation, "date": "2022-05-01", "description": "x"}]
    (f,) = found(run(general_sub(plan=plan)), "plan.revision_required")
    assert f.data["situation"] == situation and f.place == "$.plan.events[0]"
    plan["revisions"] = [{"version": "2", "date": "2022-04-01", "situations": [situation]}]  # before the event: no
    assert found(run(general_sub(plan=plan)), "plan.revision_required")
    plan["revisions"] = [{"version": "2", "date": "2022-05-20", "situations": [situation]}]
    assert not run(general_sub(plan=plan)).findings
