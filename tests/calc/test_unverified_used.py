"""The report lists every unconfirmed figure a calculation used, defaults from table rows too.

A verifier reads ``unverified_parameters_used`` to know which figures of a report still rest
on unconfirmed defaults. Besides the parameters a formula names, that includes the defaults
that filled a field a formula read: a fallback parameter (glass calcination fraction) or a
lookup-table row (the fuel table's defaults for an unmeasured fuel). A default filled in but
not read (the carbon content of a fuel reported by emission factor) was not used.
"""

from __future__ import annotations


def general(rows, year=2018):
    return {"sector": "general", "year": year, "enterprise": {"name": "test"}, "pages": {"fuel_combustion": rows}}


def fuel(name, **kw):
    return {"source_name": "boiler", "kind": "stationary", "fuel": name, "consumption": "100", **kw}


def listed(engine, submission):
    result = engine.calculate(submission)
    return result, engine.report(result)["unverified_parameters_used"]


def test_a_table_row_default_is_listed(engine):
    rs = engine.composition("general", 2018).ruleset
    row = rs.data["tables"]["fuels"]["rows"]["lignite"]
    result, used = listed(engine, general([fuel("lignite")]))
    # the row's NCV, carbon content and oxidation rate filled the row: it is used
    assert result.page("fuel_combustion").rows[0].prov["ncv"].figure == "tables.fuels.lignite"
    assert ("tables.fuels.lignite" in used) == (row.get("verified") is False)
    # the text report names it as the rules title it (the fuel table's title and the row's), not by its id
    shown = f"{rs.data['tables']['fuels']['label']['zh']}：{row['label']['zh']}"
    assert (shown in engine.render(result, "table")) == (row.get("verified") is False)


def test_an_unverified_row_is_listed_and_a_verified_one_is_not(engine):
    rs = engine.composition("general", 2018).ruleset
    rows = rs.data["tables"]["fuels"]["rows"]
    unconfirmed = [r for r, v in rows.items() if v.get("verified") is False and v.get("ncv") and v.get("cc") and v.get("of")]
    confirmed = [r for r, v in rows.items() if v.get("verified", True) and v.get("ncv") and v.get("cc") and v.get("of")]
    for rid in unconfirmed[:1]:
        assert f"tables.fuels.{rid}" in listed(engine, general([fuel(rid)]))[1]
    for rid in confirmed[:1]:
        assert f"tables.fuels.{rid}" not in listed(engine, general([fuel(rid)]))[1]


def test_a_default_filled_but_not_read_is_not_listed(engine):
    # emission-factor method: the formula reads ef, not the row's carbon content
    row = fuel("coke", method="emission_factor", ncv="28.435", ef={"value": "108167", "unit": "kgCO2/TJ"}, of="1")
    _result, used = listed(engine, general([row]))
    assert not [u for u in used if u.startswith("tables.fuels.")]


def test_measured_values_leave_nothing_to_list(engine):
    row = fuel("lignite", ncv="12.1", cc="0.0279", of="0.97")
    assert not [u for u in listed(engine, general([row]))[1] if u.startswith("tables.")]


def test_a_fallback_parameter_is_listed(engine):
    # glass: an unmeasured calcination fraction takes the (unconfirmed) 100 % default
    sub = {"sector": "glass", "year": 2018, "enterprise": {"name": "test"},
           "pages": {"glass_carbonates": [{"furnace": "F1", "carbonate": "soda_ash", "quantity": "10"}]}}
    result, used = listed(engine, sub)
    assert result.page("glass_carbonates").rows[0].prov["calcination"].figure == "calcination_default"
    if engine.ruleset("glass-2013").parameters["calcination_default"].verified is False:
        assert "calcination_default" in used
    measured = {**sub, "pages": {"glass_carbonates": [{"furnace": "F1", "carbonate": "soda_ash", "quantity": "10", "calcination": "95"}]}}
    assert "calcination_default" not in listed(engine, measured)[1]
