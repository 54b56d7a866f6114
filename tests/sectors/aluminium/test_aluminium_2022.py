"""Aluminium for 2022-2023 data (ruleset aluminium-2022): the MEE 2023 notice for key sectors.

Golden figures: hand arithmetic with Fractions. The 2013 guideline's formulas and defaults are
kept (reference AL-T1, AL-T2 re-derived here); the notice counts hydro power delivered over a
private line at zero, at enterprise and at potline level.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction as F
from pathlib import Path

from click.testing import CliRunner
from mrv_engine.cli.main import cli

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "aluminium-hydro-direct-2022.json"
GRID_2022 = F("0.5703")


def test_example_golden_figures(engine, half_up):
    r = engine.calculate(json.loads(EXAMPLE.read_text(encoding="utf-8"), parse_float=str))
    assert r.comp.ruleset.id == "aluminium-2022"
    # anode: 200 000 t × 0.42 tC/t × (1 − 2 % − 0.4 %) × 44/12 = 300 608 tCO2
    anode = 200000 * F("0.42") * (1 - F("0.02") - F("0.004")) * F(44, 12)
    assert anode == 300608
    assert r.page("anode").rows[0].values["emissions"] == half_up(anode)
    # anode effect, defaults and SAR GWPs: 200 000 t × (0.034 × 6500 + 0.0034 × 9200) / 1000 = 50 456 tCO2e
    pfc = 200000 * (F("0.034") * 6500 + F("0.0034") * 9200) / 1000
    assert pfc == 50456
    assert r.totals["process"] == half_up(anode + pfc) == Decimal("351064.0000")
    # electricity: (3 000 000 − 1 200 000 hydro over a private line) MWh × 0.5703 = 1 026 540 tCO2
    assert r.totals["energy_indirect"] == half_up((3000000 - 1200000) * GRID_2022) == Decimal("1026540.0000")
    # potline: 2 900 000 MWh consumed, 1 200 000 of it the direct hydro supply, at zero
    sup = r.page("al_supplementary")
    assert sup.rows[0].values["electricity_co2"] == half_up(1700000 * GRID_2022) == Decimal("969510.0000")
    per_t = sup.summaries[0]["values"]["per_t"]
    assert per_t == half_up((anode + pfc + 1700000 * GRID_2022) / 200000)


def test_same_plant_under_2013_rules_counts_the_hydro(engine, half_up):
    """Without the notice's rule (2021, aluminium-2013, national factor 0.5810 for the table) the potline's
    electricity is all at the grid factor: 2 900 000 × 0.5810."""
    s = json.loads(EXAMPLE.read_text(encoding="utf-8"), parse_float=str)
    s["year"] = 2021
    del s["pages"]["non_fossil_electricity"]
    del s["pages"]["al_supplementary"][0]["non_fossil"]
    r = engine.calculate(s)
    assert r.comp.ruleset.id == "aluminium-2013"
    assert r.page("al_supplementary").rows[0].values["electricity_co2"] == half_up(2900000 * F("0.5810"))


def test_cli_diff_from_2013_lists_the_new_page():
    out = CliRunner().invoke(cli, ["diff", str(ROOT / "examples" / "aluminium-2022.json"), "--from", "aluminium-2013",
                                   "--to", "aluminium-2022", "--lang", "en"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "non_fossil_electricity" in out.output and "verified status" in out.output
