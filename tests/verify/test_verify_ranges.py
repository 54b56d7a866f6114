"""Issue 17, item 3: an NCV, carbon content or oxidation rate outside the range of its fuel, and a
unit's intensity outside the range of its category, are observations of ``mrv verify`` naming the
JSON path; the ranges are data in the rulesets (``plausibility:``), each cited.

Expected figures are hand arithmetic written out here; the ranges are read from the rulesets the
test names (IPCC 2006 Vol. 2 Tables 1.2/1.3 limits, recalled, shipped ``verified: false``).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from mrv_engine.core.base.errors import RulesetError
from mrv_engine.core.formula import units as U
from mrv_engine.core.rules.ruleset import parse_ruleset

FUEL = "value.outside_fuel_range"
INTENSITY = "intensity.outside_category_range"


def _general(**row) -> dict:
    base = {"source_name": "boiler 1", "kind": "stationary", "fuel": "bituminous", "consumption": "100"}
    return {"sector": "general", "year": 2022, "enterprise": {"province": "河北"},
            "pages": {"fuel_combustion": [{**base, **row}]}}


def _power(consumption="1", category="coal_300_below") -> dict:
    """One pure-power coal unit, 12 months of ``consumption`` t coal and 900 MWh supplied, unmeasured coal."""
    return {"sector": "power", "year": 2022, "pages": {
        "plan_units": [{"unit": "U1", "unit_type": "coal", "subtype": "conventional", "fuel_type": "coal", "capacity": "2",
                        "output": "power", "pressure": "高压", "capacity_class": "小机组", "boiler_type": "pulverized",
                        "cooling": "water"}],
        "fuel_t": [{"unit": "U1", "month": m, "fuel": "coal", "consumption": consumption} for m in range(1, 13)],
        "electricity": [{"unit": "U1", "month": m, "metering": "per_unit", "purchased": "0"} for m in range(1, 13)],
        "production": [{"unit": "U1", "month": m, "generation": "1000", "supply": "900", "running_hours": "600"}
                       for m in range(1, 13)],
        "allocation": [{"unit": "U1", "category": category}]}}


def _found(engine, sub, code):
    return [f for f in engine.verify(sub).findings if f.code == code]


def test_an_ncv_above_the_coal_range_is_an_observation_at_its_path(engine):
    # 35 GJ/t is above IPCC's highest coal limit, 32.2 (anthracite); 35 / 19.570 = 1.79, inside the
    # generic 0.5-2x band, so only the range catches it
    got = _found(engine, _general(ncv="35"), FUEL)
    assert [f.place for f in got] == ["$.pages.fuel_combustion[0].ncv"]
    f = got[0]
    assert f.severity == "observation"
    assert f.data["min"] == D("5.5") and f.data["max"] == D("32.2") and f.data["value"] == D(35)
    assert f.data["range"] == "coal_ncv" and f.data["basis"] == "documented" and f.data["verified"] is False
    assert "35 GJ/t" in f.message and "5.5–32.2 GJ/t" in f.message and "above" in f.message
    assert "高于" in f.message_zh and "烟煤" in f.message_zh
    assert "IPCC" in f.citation and "UNVERIFIED" in f.citation  # a recalled limit says so


def test_carbon_content_and_oxidation_below_their_ranges(engine):
    got = {f.place: f for f in _found(engine, _general(cc="0.0200", of="0.85"), FUEL)}
    assert set(got) == {"$.pages.fuel_combustion[0].cc", "$.pages.fuel_combustion[0].of"}
    assert got["$.pages.fuel_combustion[0].cc"].data["min"] == D("0.0238")
    of = got["$.pages.fuel_combustion[0].of"]
    assert of.data["basis"] == "derived" and of.data["min"] == D("0.90")
    assert "0.85" in of.message and "0.90–1" in of.message  # a pure number has no unit after it


def test_a_figure_inside_its_range_is_quiet_and_the_range_replaces_the_generic_band(engine):
    # lignite default 11.9 GJ/t; 5.9 / 11.9 = 0.496 is outside the generic 0.5-2x band, but inside
    # IPCC's coal range 5.5-32.2: the documented range is the better judge, so no finding at all
    findings = engine.verify(_general(fuel="lignite", ncv="5.9")).findings
    assert not [f for f in findings if f.code in (FUEL, "value.implausible")]
    # a fuel without a range keeps the generic band: coke-oven gas default 179.81, 80 / 179.81 = 0.44
    findings = engine.verify(_general(fuel="coke_oven_gas", consumption="10", ncv="80")).findings
    assert [f.place for f in findings if f.code == "value.implausible"] == ["$.pages.fuel_combustion[0].ncv"]


def test_defaults_are_not_judged(engine):
    assert not _found(engine, _general(), FUEL)  # every figure from the table


def test_power_carbon_per_heat_from_measured_element_carbon(engine):
    sub = _power("300")
    sub["pages"]["fuel_t"][0].update(ncv="20", element_carbon="0.40")
    got = _found(engine, sub, FUEL)
    # 0.40 tC/t / 20 GJ/t = 0.02000 tC/GJ < 0.0238
    assert [f.place for f in got] == ["$.pages.fuel_t[0].carbon_per_heat"]
    assert got[0].data["value"] == D("0.02000")
    # unmeasured months take the guideline default 0.03085, set high on purpose: never judged
    assert not _found(engine, _power("300"), FUEL)


def test_a_units_intensity_outside_its_category_range(engine):
    # 1 t coal a month: 26.7 GJ/t x 0.03085 tC/GJ x 99 % x 44/12 = 2.99001285 tCO2; x 12 = 35.88 (2 decimals);
    # / (12 x 900 MWh) = 0.0033 -> 0.003 tCO2/MWh, far below the coal range 0.57-1.63
    got = _found(engine, _power("1"), INTENSITY)
    assert [f.place for f in got] == ["$.pages.allocation.summary[unit=U1].power_intensity"]
    f = got[0]
    assert f.data["value"] == D("0.003") and f.data["min"] == D("0.57") and f.data["max"] == D("1.63")
    assert f.severity == "observation" and "U1" in f.message and "0.57–1.63 tCO2/MWh" in f.message
    # 300 t a month: 300 x 2.99001285 x 12 = 10764.05 t / 10800 MWh = 0.997: inside
    assert not _found(engine, _power("300"), INTENSITY)
    # the same 0.997 for a gas unit is above the gas range 0.31-0.75
    gas = _found(engine, _power("300", category="gas"), INTENSITY)
    assert gas and gas[0].data["max"] == D("0.75")


def _rulesets(engine):
    seen = {}
    for s in engine.sectors():
        for rs in engine.rulesets(sector=s["id"]):
            seen[rs.id] = rs
    return seen.values()


def test_every_bundled_range_is_cited_and_holds_the_rules_own_defaults(engine):
    count = 0
    for rs in _rulesets(engine):
        for rid, r in rs.data.get("plausibility", {}).items():
            count += 1
            assert r["source"]["doc"] in rs.data["sources"] and r["source"].get("clause"), rid
            # an unconfirmed range says why, in its own note or its source's
            assert r.get("verified", True) or r.get("note") or rs.data["sources"][r["source"]["doc"]].get("note"), rid
            table = rs.data["tables"][r["table"]]
            lo, hi = D(str(r.get("min", "-1e9"))), D(str(r.get("max", "1e9")))
            for row in r["rows"]:
                for fid in r["fields"]:
                    raw = table["rows"][row].get(fid)
                    if raw is None or fid not in table["columns"]:
                        continue
                    unit = table["columns"][fid].get("unit", r["unit"]).replace("{q}", table["rows"][row].get("q", "t"))
                    v = D(str(raw)) * U.factor(unit, r["unit"])
                    assert lo <= v <= hi, f"{rs.id} {rid}: the default {raw} of {row} is outside its own range"
            # every field a range names is on a page that chooses from its table
            pages = [p for p in rs.data["pages"] if any(f.get("table") == r["table"] for f in p.get("fields", []))]
            names = {f["id"] for p in pages for f in p.get("fields", [])} | {
                f["id"] for p in pages for f in p.get("formulas", [])} | {
                f["id"] for p in pages for s in p.get("summaries", []) for f in s["formulas"]}
            assert set(r["fields"]) <= names, (rs.id, rid)
    assert count >= 10 + 3 * 5  # general: 10 ranges; each power edition: 5


def test_a_range_naming_an_unknown_table_row_is_refused_with_its_line(repo_root):
    path = repo_root / "rulesets" / "general" / "general-2015.yaml"
    text = path.read_text(encoding="utf-8")
    bad = text.replace("rows: [anthracite, bituminous, lignite, washed_coal, other_washed_coal]\n    fields: [ncv]",
                       "rows: [anthracite, no_such_fuel]\n    fields: [ncv]", 1)
    assert bad != text
    with pytest.raises(RulesetError) as exc:
        parse_ruleset(bad, "general-2015.yaml")
    line = text[:text.index("  coal_ncv:")].count("\n") + 1
    assert "no_such_fuel" in str(exc.value) and exc.value.where.startswith("general-2015.yaml:")
    assert int(exc.value.where.split(":")[1].split()[0]) > line  # at the rows line, below the range's head
