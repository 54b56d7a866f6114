"""A submission's programme selects its rule editions: national by default, a provincial pilot's
(the Hubei pilot, ``hubei_pilot``) when it names one; national reports stay as they were.

Figures are hand arithmetic, written out beside each assertion (the Hubei reporting system's
coke row: 28435 kJ/kg = 28.435 GJ/t, 108167 kgCO2/TJ = 0.108167 tCO2/GJ, oxidation rate 1).
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from mrv_engine import InputError, load_document
from mrv_engine.plugin import LEGAL_BOUNDARY, grid_factor

ROOT = Path(__file__).resolve().parents[2]
COKE = {"sector": "general", "year": 2014,
        "pages": {"fuel_combustion": [{"source_name": "001", "kind": "stationary", "fuel": "coke", "consumption": "35264"}]}}


def _sub(**over):
    sub = copy.deepcopy(COKE)
    sub.update(over)
    return sub


def _places(findings) -> list:
    """(code, place) of each finding, in order (the findings of the suite's ``refused`` fixture)."""
    return [(f.code, f.place) for f in findings]


def test_the_programme_chooses_the_editions_and_national_is_the_default(engine):
    national = engine.calculate(_sub())
    assert [rs.id for rs in national.comp.rulesets] == ["general-2015"]
    assert "programme" not in engine.report(national)
    hubei = engine.calculate(_sub(programme="hubei_pilot"))
    assert [rs.id for rs in hubei.comp.rulesets] == ["hubei-general-2014"]
    # 35264 t x 28.435 GJ/t x 0.108167 tCO2/GJ x 1 = 108462.49493728 -> 108462.4949 (the system's screen)
    assert hubei.total == Decimal("108462.4949")
    # national defaults (other-industry table, unconfirmed): 35264 x 28.435 x 0.0295 x 0.93 x 44/12
    # = 1002731.84 x 0.0295 = 29580.58928; x 0.93 = 27509.9480304; x 44/12 = 100869.8094448 -> 100869.8094
    assert national.total == Decimal("100869.8094")
    report = engine.report(hubei)
    assert report["programme"]["id"] == "hubei_pilot" and "not the national rules" in report["programme"]["why"]["en"]
    assert engine.calculate(_sub(programme="national")).comp.ruleset.id == "general-2015"


def test_a_pilot_without_an_edition_of_the_sector_is_refused_never_calculated_nationally(refused):
    sub = {"sector": "cement", "year": 2014, "programme": "hubei_pilot",
           "pages": {"clinker_process": [{"line": "L1", "clinker": "1000", "cao": "65", "mgo": "2"}]}}
    findings = refused(sub)
    places = _places(findings)
    assert places == [("no_ruleset", "$.programme")]
    assert "aluminium" in findings[0].message and "general" in findings[0].message
    assert "试点" in findings[0].message_zh


def test_unknown_programme_and_a_year_the_pilot_does_not_cover(refused):
    assert _places(refused(_sub(programme="mars_pilot"))) == [("unknown_programme", "$.programme")]
    findings = refused(_sub(programme="hubei_pilot", year=2016))
    places = _places(findings)
    assert places == [("no_ruleset", "$.year")] and "hubei_pilot" in findings[0].message


def test_rulesets_list_the_pilot_editions_with_their_programme(engine):
    pilot = engine.rulesets(programme="hubei_pilot")
    assert {rs.id for rs in pilot} >= {"hubei-general-2014", "hubei-aluminium-2014", "hubei-paper-2014"}
    assert all(rs.summary()["programme"] == "hubei_pilot" and rs.years_text == "2014–2015" for rs in pilot)
    assert all(rs.programme == "national" for rs in engine.rulesets("aluminium", 2014) if not rs.id.startswith("hubei-"))
    # a year has an edition of each programme: the two do not overlap each other's sequence
    assert {rs.id for rs in engine.rulesets("aluminium", 2014)} == {"aluminium-2013", "hubei-aluminium-2014"}
    progs = {p["id"]: p for p in engine.programmes()}
    assert next(iter(progs)) == "national" and "aluminium" in progs["hubei_pilot"]["sectors"]


def test_editions_of_one_programme_may_not_overlap(engine):
    from mrv_engine.core.base.errors import RulesetError
    from mrv_engine.core.rules.ruleset import RulesetIndex, parse_ruleset

    path = ROOT / "rulesets" / "general" / "hubei-general-2014.yaml"
    text = path.read_text(encoding="utf-8")
    index = RulesetIndex()
    index.add(engine.ruleset("general-2015"))
    index.add(parse_ruleset(text, "a.yaml"))  # same years as general-2015, another programme: fine
    with pytest.raises(RulesetError) as exc:
        index.add(parse_ruleset(text.replace("id: hubei-general-2014", "id: hubei-general-copy"), "b.yaml"))
    assert exc.value.code == "year-overlap" and "hubei_pilot" in str(exc.value)


def test_the_pilot_grid_rules_refuse_a_factor_they_do_not_confirm(engine):
    with pytest.raises(InputError) as exc:
        grid_factor(2014, "hubei_pilot")
    assert exc.value.findings[0].code == "missing_value" and "Hubei" in exc.value.findings[0].message
    # the national legal-boundary rule is unchanged: Hubei sits on the Central China grid, 2012 column
    assert grid_factor(2014, LEGAL_BOUNDARY, province="湖北").value == Decimal("0.5257")


def test_diff_national_against_hubei_edition_on_the_bundled_example(engine):
    sub, _name = load_document(ROOT / "examples" / "aluminium-2014-hubei-pilot.json")
    d = engine.diff(sub, "aluminium-2013", "hubei-aluminium-2014")
    cats = {c["category"]: c for c in d.categories}
    # coke 1000 t: Hubei 1000 x 28.435 x 0.108167 x 1 = 3075.728645 -> 3075.7286; national (the
    # aluminium guideline's own Table 2.1: 28.447 GJ/t, 0.02950 tC/GJ, 93 %) 1000 x 28.447 = 28447;
    # x 0.0295 = 839.1865; x 0.93 = 780.443445; x 44/12 = 2861.625965 -> 2861.6260; +214.1026
    assert (cats["energy_direct_stationary"]["from"], cats["energy_direct_stationary"]["to"]) == \
        (Decimal("2861.6260"), Decimal("3075.7286"))
    assert cats["energy_direct_stationary"]["difference"] == Decimal("214.1026")
    assert cats["process"]["difference"] == 0  # 100000 x 0.42 x 0.976 x 44/12 = 150304 under both


def test_a_pilot_form_names_its_programme_and_its_template_reads_back_with_it(engine, tmp_path):
    form = engine.form("aluminium", 2014, programme="hubei_pilot", lang="en")
    assert form["properties"]["programme"]["const"] == "hubei_pilot" and "programme" in form["required"]
    assert "anode_effect" not in form["properties"]["pages"]["properties"]
    assert "programme" not in engine.form("aluminium", 2014, lang="en")["properties"]
    sub = json.loads((ROOT / "examples" / "aluminium-2014-hubei-pilot.json").read_text(encoding="utf-8"))
    book = tmp_path / "hubei.xlsx"
    book.write_bytes(engine.template("aluminium", 2014, lang="en", submission=sub))
    back, _name = load_document(book)
    assert back["programme"] == "hubei_pilot"
    assert engine.calculate(back).total == Decimal("205949.7286")
