"""Plausibility warnings of mrv verify: a monthly property or rate that jumps against the previous month (monthly.jump)."""

from decimal import Decimal


def test_the_example_plant_has_no_monthly_jump(run, found, load_example):
    # its heat supply swings with the heating season: a quantity, not checked
    assert found(run(load_example("power-plant-2022.json")), "monthly.jump") == []


def test_a_month_with_a_third_of_the_carbon_content_is_shown(run, found, load_example):
    sub = load_example("power-plant-2022.json")
    rows = sub["pages"]["fuel_t"]
    i = next(i for i, r in enumerate(rows) if r["unit"] == "1-2号机组" and r["month"] == 2 and r["fuel"] == "coal")
    m1 = next(r for r in rows if r["unit"] == "1-2号机组" and r["month"] == 1 and r["fuel"] == "coal")
    assert m1["element_carbon"]["value"] == "0.5621"
    rows[i]["element_carbon"]["value"] = "0.1810"  # 0.5598 tC/t mistyped
    got = found(run(sub), "monthly.jump")
    # month 2 under a third of month 1 (0.1810 / 0.5621 = 0.32); month 3 measured no carbon content (the
    # default applies), so there is nothing to compare it with
    assert {f.place for f in got} == {f"$.pages.fuel_t[{i}].element_carbon"}
    jump = next(f for f in got if f.place == f"$.pages.fuel_t[{i}].element_carbon")
    assert jump.data["ratio"] == Decimal("0.32") and jump.data["month"] == 2 and jump.severity == "observation"
    assert "screening" in jump.message and jump.citation
