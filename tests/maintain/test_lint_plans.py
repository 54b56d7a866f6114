"""mrv lint checks allocation plans and calendars like rulesets: schema, citations, formulas, units,
unverified figures with their notes, unused figures and sources, overlapping compliance years."""

from __future__ import annotations

from mrv_engine import maintain


def test_bundled_plans_lint_without_errors(repo_root):
    result = maintain.lint([str(repo_root / "allocation")])
    assert not result.errors, [f.message for f in result.errors]
    assert "unverified" in result.codes()
    assert any("power-2019-2020.yaml" in f for f in result.files)


def _plan(repo_root, tmp_path, old, new, name="p.yaml"):
    text = (repo_root / "allocation/plans/power-2019-2020.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_unit_slip_in_a_plan_formula(repo_root, tmp_path):
    path = _plan(repo_root, tmp_path, "expr: heat_supply * b_heat", "expr: heat_supply * f_cool_air")
    (f,) = maintain.lint([str(path)]).errors
    assert f.code == "unit" and f.line > 1


def test_unknown_name_and_missing_note(repo_root, tmp_path):
    path = _plan(repo_root, tmp_path, "expr: a_power + a_heat", "expr: a_power + a_heat + nothing")
    assert {f.code for f in maintain.lint([str(path)]).errors} == {"undefined-name"}
    path = _plan(repo_root, tmp_path, "    note: One summary of the consultation draft (ICAP); the final plan's table was not read.\n", "")
    assert "unverified-no-note" in maintain.lint([str(path)]).codes()


def test_overlapping_plans(repo_root, tmp_path):
    a = _plan(repo_root, tmp_path, "id: power-2019-2020", "id: other", "a.yaml")
    b = _plan(repo_root, tmp_path, "id: power-2019-2020", "id: another", "b.yaml")
    assert "year-overlap" in maintain.lint([str(a), str(b)]).codes()


def test_refused_category_and_year_must_be_the_plans(repo_root, tmp_path):
    text = (repo_root / "allocation/plans/steel-2024-2025.yaml").read_text(encoding="utf-8")
    bad_cat = tmp_path / "c.yaml"
    bad_cat.write_text(text.replace("refused_categories:\n  eaf:", "refused_categories:\n  dri:", 1), encoding="utf-8")
    (f,) = maintain.lint([str(bad_cat)]).errors
    assert f.code == "undefined-name" and "dri" in f.message and f.line > 1
    bad_year = tmp_path / "y.yaml"
    bad_year.write_text(text.replace('refused_years:\n  "2025":', 'refused_years:\n  "2027":', 1), encoding="utf-8")
    (f,) = maintain.lint([str(bad_year)]).errors
    assert "2027" in f.message and "2024–2025" in f.message
