"""Iron and steel from 2024 (ruleset steel-2024): the MEE steel guideline issued 2025-01-21.

A steel enterprise can report its 2024 data (the engine refused it before). Golden figures:
hand arithmetic with Fractions on the bundled EAF example; every default is unconfirmed, and
the example supplies the 2024 grid factor (the MEE figure was not found), which the trace marks.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction as F
from pathlib import Path

from click.testing import CliRunner
from mrv_engine.cli.main import cli

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "steel-eaf-2024.json"


def example():
    return json.loads(EXAMPLE.read_text(encoding="utf-8"), parse_float=str)


def test_example_golden_figures(engine, half_up):
    r = engine.calculate(example())
    assert r.comp.ruleset.id == "steel-2024"
    # carbon in: scrap 900 000 × 0.037 + DRI 50 000 × 0.073 + electrodes 2 000 × 3.663
    #            + limestone 40 000 × 0.440 + high-carbon ferro-chrome 1 000 × 0.348
    # carbon out: crude steel 1 000 000 × 0.0154
    inputs = 900000 * F("0.037") + 50000 * F("0.073") + 2000 * F("3.663") + 40000 * F("0.440") + 1000 * F("0.348")
    assert inputs == 33300 + 3650 + 7326 + 17600 + 348 == 62224
    assert r.totals["process"] == half_up(inputs - 1000000 * F("0.0154")) == Decimal("46824.0000")
    # natural gas: 2 000 × 10^4 Nm3 × 389.31 GJ/10^4Nm3 × 0.0153 tC/GJ × 0.99 × 44/12
    gas = 2000 * F("389.31") * F("0.0153") * F("0.99") * F(44, 12)
    assert r.totals["energy_direct_stationary"] == half_up(gas)
    # electricity at the factor the submission supplies (0.5366, marked as supplied)
    assert r.totals["energy_indirect"] == half_up(500000 * F("0.5366")) == Decimal("268300.0000")
    assert r.params["grid_ef"].origin == "submission"


def test_captive_power_plant_is_inside_the_process_level(engine, half_up):
    r = engine.calculate(example())
    units = r.page("supplementary_units").rows
    captive = next(u for u in units if u.values["process"] == "captive_power_plant")
    assert captive.values["in_boundary"] == 1
    route = r.page("supplementary_routes").summaries[0]["values"]
    # (420 000 + 6 000 + 80 000) MWh × 0.5366: the captive plant's own use counts on the route now
    assert route["indirect_co2"] == half_up(506000 * F("0.5366")) == Decimal("271519.6000")


def test_every_default_is_unconfirmed_and_listed(engine):
    report = engine.report(engine.calculate(example()))
    used = set(report["unverified_parameters_used"])
    assert {"tables.steel_inputs.scrap", "tables.steel_inputs.electrode", "tables.steel_outputs.crude_steel"} <= used
    assert engine.ruleset("steel-2024").unverified()  # nothing read from the guideline's tables


def test_2022_and_2023_are_under_the_notice_and_2021_under_the_2013_guideline(engine):
    assert engine.composition("steel", 2021).ruleset.id == "steel-2013"
    assert engine.composition("steel", 2022).ruleset.id == "steel-2022"
    assert engine.composition("steel", 2023).ruleset.id == "steel-2022"


def test_diff_2023_to_2024_shows_the_captive_plant_and_new_rows():
    out = CliRunner().invoke(cli, ["diff", str(EXAMPLE), "--from", "steel-2022", "--to", "steel-2024", "--lang", "en",
                                   "--param", "grid_ef=0.5366", "--param", "national_grid_ef=0.5366"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "in_boundary" in out.output and "scrap" in out.output
