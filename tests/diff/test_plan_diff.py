"""mrv diff between two allocation plans: the changed benchmarks (relative change by hand) and their
effect on the bundled 2022 example's allowances."""

from __future__ import annotations

from decimal import Decimal as D


def test_changed_benchmarks_and_effect(engine, example):
    d = engine.diff(example("power-plant-2022.json"), "power-2019-2020", "power-2021-2022")
    by = {(f["figure"], f["category"]): f for f in d.figures}
    f = by[("b_power", "coal_above_300")]
    assert (f["from"], f["to"]) == (D("0.877"), D("0.8177"))
    # (0.8177 − 0.877) / 0.877 × 100 = −6.7616… → −6.76
    assert f["percent"] == D("-6.76") and f["verified"] is False
    assert by[("pre_share", None)]["change"] == "removed"
    units = {u["unit"]: u for u in d.units}
    a_units = {u.unit: u.allowance for u in d.a.allocation.units}
    b_units = {u.unit: u.allowance for u in d.b.allocation.units}
    for unit, u in units.items():
        assert u["difference"] == b_units[unit] - a_units[unit] < 0  # tighter benchmarks, fewer allowances


def test_basis_change_2023_shows_formula_and_refusal(engine, example):
    d = engine.diff(example("power-plant-2023.json"), "power-2021-2022", "power-2023-2024")
    changed = {f["formula"]: f for f in d.formulas}
    assert "generation" in changed["a_power"]["to"][0] and "supply" in changed["a_power"]["from"][0]
    assert d.a.allocation is not None and d.b.allocation is None
    assert d.b.errors[0].code == "allocation.missing_figure"


def test_cli_diff_of_plans(repo_root):
    from click.testing import CliRunner
    from mrv_engine.cli.main import cli

    r = CliRunner().invoke(cli, ["diff", str(repo_root / "examples/power-plant-2022.json"), "--from", "power-2019-2020",
                                 "--to", "power-2021-2022", "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "b_power" in r.output and "-6.76" in r.output and "Effect on this enterprise" in r.output
