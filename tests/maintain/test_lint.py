"""mrv lint: each check has a ruleset that must trigger it and one that must not.

The rulesets here are fixtures for the linter (sector ``demo``); their figures are
not methodology figures and are never used in a calculation.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine import Engine
from mrv_engine.cli.main import cli
from mrv_engine.core.maintain.lint import lint

GOOD = textwrap.dedent("""\
    schema_version: 1
    id: demo-2020
    sector: demo
    title: {zh: 示例, en: Demo}
    years: {from: 2020, to: 2022}
    sources:
      guide: {title: Demo guideline}
    boundary:
      entity: {zh: 法人, en: Legal entity}
      source: {doc: guide, clause: "2.1"}
    parameters:
      cc_default:
        label: {zh: 含碳量缺省值, en: Default carbon content}
        value: "0.0275"
        unit: tC/GJ
        source: {doc: guide, clause: Table 1}
    tables:
      kinds:
        label: {zh: 种类, en: Kinds}
        columns:
          share: {unit: "1", label: {zh: 比例, en: Share}}
        rows:
          a: {label: {zh: 甲, en: A}, share: "1", source: {doc: guide, clause: Table 2}}
    pages:
      - id: demo_base
        role: base
        title: {zh: 基础页面, en: Base page}
        fields:
          - {id: source_name, type: text, label: {zh: 排放源, en: Source}}
          - {id: kind, type: choice, table: kinds, label: {zh: 种类, en: Kind}}
          - {id: mass, type: number, unit: t, required: true, label: {zh: 消耗量, en: Mass}}
          - {id: ncv, type: number, unit: GJ/t, required: true, label: {zh: 低位发热量, en: NCV}}
          - id: cc
            type: number
            unit: tC/GJ
            label: {zh: 含碳量, en: Carbon content}
            fallbacks: [{param: cc_default, rule: {zh: 缺省值, en: Default}, source: {doc: guide, clause: Table 1}}]
        formulas:
          - id: emissions
            label: {zh: 排放量, en: Emissions}
            unit: tCO2
            decimals: 2
            gas: CO2
            category: process
            expr: mass * ncv * cc * co2_per_c
            source: {doc: guide, clause: Formula 1}
""")


def indented(text: str) -> str:
    """More pages for GOOD's page list."""
    return textwrap.indent(textwrap.dedent(text), "  ")


def write(tmp_path: Path, text: str, name: str = "demo-2020.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


ENGINE = Engine()  # one engine: its general rulesets are loaded once for every test


def findings(path_or_dir, code=None):
    result = lint([str(path_or_dir)], engine=ENGINE)
    return [f for f in result.findings if code is None or f.code == code]


def only(found, code):
    hits = [f for f in found if f.code == code]
    assert hits, f"no {code} finding among: " + "\n".join(f.text() for f in found)
    return hits


def test_the_good_fixture_is_clean(tmp_path):
    found = findings(write(tmp_path, GOOD))
    assert found == [], "\n".join(f.text() for f in found)


def test_builtin_rulesets_pass_lint():
    result = lint(engine=ENGINE)  # every installed sector, through its plugin's hooks
    assert {rs.sector for rs in result.rulesets} >= {"general"} and len(result.rulesets) == len(ENGINE.rulesets())
    assert not result.errors, "\n".join(f.text() for f in result.errors)
    repo_rulesets = Path(__file__).resolve().parents[2] / "rulesets"
    out = CliRunner().invoke(cli, ["lint", "-q", str(repo_rulesets)], catch_exceptions=False)
    assert out.exit_code == 0, out.output


def test_every_finding_names_file_and_line(tmp_path):
    bad = GOOD.replace("expr: mass * ncv * cc * co2_per_c", "expr: mass * ncv * cc * 44/12")
    bad = bad.replace("source: {doc: guide, clause: Formula 1}\n", "")
    path = write(tmp_path, bad)
    out = CliRunner().invoke(cli, ["lint", "--wide", str(path)], catch_exceptions=False)
    assert out.exit_code == 1
    # with --wide, stdout is one finding per line; the counts and the summary go to stderr
    lines = [ln for ln in out.stdout.splitlines() if ln.strip()]
    assert lines
    for ln in lines:
        assert re.match(rf"^{re.escape(str(path))}:\d+: (error|warning): .+ \[[a-z-]+\]$", ln), ln
    # by default each finding still starts its own line with file:line, and no line passes 100 columns
    wrapped = CliRunner().invoke(cli, ["lint", str(path)], catch_exceptions=False).stdout.splitlines()
    assert all(len(ln) <= 100 for ln in wrapped)
    starts = [ln for ln in wrapped if not ln.startswith(" ")]
    assert len(starts) == len(lines) and all(ln.startswith(f"{path}:") for ln in starts)


def test_yaml(tmp_path):
    path = write(tmp_path, GOOD.replace("title: {zh: 示例, en: Demo}", "title: {zh: 示例, en: Demo"))
    f = only(findings(path), "yaml")[0]
    assert f.file == str(path) and f.line > 1
    assert not findings(write(tmp_path, GOOD, "b.yaml"), "yaml")


def test_schema_violations_each_with_its_line(tmp_path):
    bad = GOOD.replace("{id: mass, type: number,", "{id: mass, type: numbr,").replace(
        "{id: ncv, type: number, unit: GJ/t,", "{id: ncv, type: number, units: GJ/t,")
    path = write(tmp_path, bad)
    hits = only(findings(path), "schema")
    assert {f.line for f in hits} == {line_of(path, "id: mass"), line_of(path, "id: ncv")}
    assert not findings(write(tmp_path, GOOD, "b.yaml"), "schema")


def test_name_used_but_not_defined(tmp_path):
    path = write(tmp_path, GOOD.replace("expr: mass * ncv * cc * co2_per_c", "expr: mass * ncv * carbon * co2_per_c"))
    f = only(findings(path), "undefined-name")[0]
    assert "carbon" in f.message and f.line == line_of(path, "expr: mass * ncv * carbon")  # the expression's own line
    path = write(tmp_path, GOOD.replace("{param: cc_default,", "{param: cc_missing,"), "b.yaml")
    assert "cc_missing" in only(findings(path), "undefined-name")[0].message
    path = write(tmp_path, GOOD.replace("source: {doc: guide, clause: Formula 1}", "source: {doc: guidebook, clause: Formula 1}"), "c.yaml")
    assert "guidebook" in only(findings(path), "undefined-name")[0].message


def test_reference_to_missing_page_field(tmp_path):
    bad = GOOD.replace("- {id: source_name, type: text,", "- {id: source_name, type: text, ref: {page: fuel_combustion, field: nope},")
    f = only(findings(write(tmp_path, bad)), "undefined-name")[0]
    assert "nope" in f.message
    ok = GOOD.replace("- {id: source_name, type: text,", "- {id: source_name, type: text, ref: {page: fuel_combustion, field: source_name},")
    assert not findings(write(tmp_path, ok, "b.yaml"), "undefined-name")


def test_dimensional_analysis_catches_a_bare_44_12(tmp_path):
    # t × GJ/t × tC/GJ × 44/12 is a mass of carbon, not of CO2: the literal 44/12 carries no unit.
    path = write(tmp_path, GOOD.replace("expr: mass * ncv * cc * co2_per_c", "expr: mass * ncv * cc * 44/12"))
    f = only(findings(path), "unit")[0]
    assert f.line == line_of(path, "expr: mass * ncv * cc * 44/12")  # the expression's own line
    assert "tC" in f.message and "tCO2" in f.message
    # With the factor that carries tCO2/tC the result is tCO2: nothing to report.
    assert not findings(write(tmp_path, GOOD, "b.yaml"), "unit")


def test_dimensional_analysis_of_a_wrong_output_unit(tmp_path):
    path = write(tmp_path, GOOD.replace("unit: tCO2\n", "unit: tCO2/t\n").replace("        gas: CO2\n        category: process\n", ""))
    assert only(findings(path), "unit")


def test_unknown_unit_of_a_field_no_formula_reads(tmp_path):
    bad = GOOD.replace("- {id: source_name, type: text,", "- {id: load, type: number, unit: tonnes_per_fortnight, label: {zh: 负荷, en: Load}}\n      - {id: source_name, type: text,")
    path = write(tmp_path, bad)
    f = only(findings(path), "unit")[0]
    assert "tonnes_per_fortnight" in f.message and f.line == line_of(path, "id: load")
    ok = bad.replace("tonnes_per_fortnight", "t/d")
    assert not findings(write(tmp_path, ok, "b.yaml"), "unit")


def test_formula_syntax_and_cycles(tmp_path):
    path = write(tmp_path, GOOD.replace("expr: mass * ncv * cc * co2_per_c", "expr: mass * * ncv"))
    assert "not a valid expression" in only(findings(path), "formula")[0].message
    cycle = GOOD.replace("expr: mass * ncv * cc * co2_per_c", "expr: mass * ncv * cc * co2_per_c + again * 0") + \
        '      - {id: again, label: {zh: 再, en: Again}, unit: tCO2, expr: emissions, source: {doc: guide, clause: "1"}}\n'
    path = write(tmp_path, cycle, "b.yaml")
    assert "cycle" in only(findings(path), "formula")[0].message
    assert not findings(write(tmp_path, GOOD, "c.yaml"), "formula")


def test_ruleset_that_contradicts_itself(tmp_path):
    path = write(tmp_path, GOOD.replace("{from: 2020, to: 2022}", "{from: 2020, to: 2019}"))
    f = only(findings(path), "ruleset")[0]
    assert "before" in f.message and f.line == line_of(path, "years:")
    assert not findings(write(tmp_path, GOOD, "b.yaml"), "ruleset")


def test_parameter_defined_but_never_used(tmp_path):
    bad = GOOD.replace("fallbacks: [{param: cc_default, rule: {zh: 缺省值, en: Default}, source: {doc: guide, clause: Table 1}}]",
                       "help: {zh: 无, en: none}")
    path = write(tmp_path, bad)
    f = only(findings(path), "unused-parameter")[0]
    assert f.severity == "error" and "cc_default" in f.message and f.line == line_of(path, "cc_default:")
    assert not findings(write(tmp_path, GOOD, "b.yaml"), "unused-parameter")


def test_parameter_used_only_in_a_formula_counts_as_used(tmp_path):
    ok = GOOD.replace("fallbacks: [{param: cc_default, rule: {zh: 缺省值, en: Default}, source: {doc: guide, clause: Table 1}}]",
                      "help: {zh: 无, en: none}").replace("mass * ncv * cc * co2_per_c", "mass * ncv * cc_default * co2_per_c")
    assert not findings(write(tmp_path, ok), "unused-parameter")


def test_table_defined_but_never_used(tmp_path):
    path = write(tmp_path, GOOD.replace("      - {id: kind, type: choice, table: kinds, label: {zh: 种类, en: Kind}}\n", ""))
    assert "kinds" in only(findings(path), "unused-table")[0].message
    assert not findings(write(tmp_path, GOOD, "b.yaml"), "unused-table")


def test_formula_without_citation(tmp_path):
    path = write(tmp_path, GOOD.replace("        source: {doc: guide, clause: Formula 1}\n", ""))
    f = only(findings(path), "missing-citation")[0]
    assert "emissions" in f.message and f.line == line_of(path, "- id: emissions")
    assert not findings(write(tmp_path, GOOD, "b.yaml"), "missing-citation")


def test_intermediate_formula_without_citation_is_an_error(tmp_path):
    # every figure a verifier sees must say which rule computes it, intermediate ones too
    extra = GOOD + '      - {id: heat, label: {zh: 热量, en: Heat}, unit: GJ, expr: mass * ncv}\n'
    path = write(tmp_path, extra)
    f = only(findings(path), "missing-citation")[0]
    assert f.severity == "error" and "heat" in f.message and f.line == len(extra.splitlines())
    cited = extra.replace("expr: mass * ncv}", "expr: mass * ncv, source: {doc: guide, clause: '3'}}")
    assert not [x for x in findings(write(tmp_path, cited)) if x.code == "missing-citation"]


def test_table_row_with_figures_without_citation(tmp_path):
    path = write(tmp_path, GOOD.replace(', share: "1", source: {doc: guide, clause: Table 2}}', ', share: "1"}'))
    f = only(findings(path), "missing-citation")[0]
    assert "row 'a'" in f.message and f.line == line_of(path, "a: {label")


def test_unverified_figures(tmp_path):
    noted = GOOD.replace("source: {doc: guide, clause: Table 1}\ntables", "source: {doc: guide, clause: Table 1}\n    verified: false\n    note: one transcription only\ntables")
    path = write(tmp_path, noted)
    found = findings(path)
    warn = only(found, "unverified")[0]
    assert warn.severity == "warning" and warn.line == line_of(path, "cc_default:")
    assert not [f for f in found if f.severity == "error"]
    bare = noted.replace("    note: one transcription only\n", "")
    path = write(tmp_path, bare, "b.yaml")
    assert only(findings(path), "unverified-no-note")[0].severity == "error"
    assert not findings(write(tmp_path, GOOD, "c.yaml"), "unverified")


def test_lint_counts_confirmed_figures_per_ruleset(tmp_path):
    # GOOD ships two figures (parameter cc_default and table row kinds.a); mark one unconfirmed
    noted = GOOD.replace("source: {doc: guide, clause: Table 1}\ntables", "source: {doc: guide, clause: Table 1}\n    verified: false\n    note: one transcription only\ntables")
    path = write(tmp_path, noted)
    (count,) = lint([str(path)], engine=ENGINE).counts
    assert (count.ruleset, count.figures, count.unconfirmed, count.confirmed) == ("demo-2020", 2, 1, 1)
    out = CliRunner().invoke(cli, ["lint", "--lang", "en", str(path)])
    assert f"{path}: demo-2020: 1 of 2 figures confirmed, 1 unconfirmed" in out.stderr
    assert "figures confirmed" not in out.stdout
    import json

    data = json.loads(CliRunner().invoke(cli, ["lint", "--format", "json", str(path)]).stdout)
    assert data["figures"] == [{"ruleset": "demo-2020", "file": str(path), "figures": 2, "confirmed": 1, "unconfirmed": 1}]


def test_lint_counts_every_installed_ruleset():
    result = lint(engine=ENGINE)
    by_id = {c.ruleset: c for c in result.counts}
    assert set(by_id) == {rs.id for rs in ENGINE.rulesets()}
    for rs in ENGINE.rulesets():
        # every unconfirmed figure is one of the ruleset's figures, and the warnings say the same
        assert set(rs.unverified()) <= set(rs.figures())
        assert (by_id[rs.id].figures, by_id[rs.id].unconfirmed) == (len(rs.figures()), len(rs.unverified()))
    # (allocation plans are linted too; their unconfirmed figures are not rulesets' and are left out here)
    assert sum(c.unconfirmed for c in result.counts) == len([f for f in result.findings if f.code == "unverified"
                                                             and not f.file.startswith("allocation/")])
    out = CliRunner().invoke(cli, ["lint", "--lang", "en"])
    total, unconfirmed = sum(c.figures for c in result.counts), sum(c.unconfirmed for c in result.counts)
    assert f"all {len(result.counts)} rulesets: {total - unconfirmed} of {total} figures confirmed" in out.stderr


def test_placeholder_citations_and_unused_sources_warn(tmp_path):
    bad = GOOD.replace("clause: Formula 1", "clause: TODO formula number").replace(
        "  guide: {title: Demo guideline}", "  guide: {title: Demo guideline}\n  other: {title: Unused}")
    found = findings(write(tmp_path, bad))
    assert only(found, "placeholder")[0].severity == "warning"
    assert "other" in only(found, "unused-source")[0].message
    assert not [f for f in found if f.severity == "error"]


def test_rule_versions_that_overlap(tmp_path):
    write(tmp_path, GOOD)
    second = write(tmp_path, GOOD.replace("id: demo-2020", "id: demo-2022").replace("{from: 2020, to: 2022}", "{from: 2022, to: null}"), "demo-2022.yaml")
    f = only(findings(tmp_path), "year-overlap")[0]
    assert f.file == str(second) and f.line == line_of(second, "years:")
    write(tmp_path, GOOD.replace("id: demo-2020", "id: demo-2022").replace("{from: 2020, to: 2022}", "{from: 2023, to: null}"), "demo-2022.yaml")
    assert not findings(tmp_path, "year-overlap") and not findings(tmp_path, "year-gap")


def test_rule_versions_that_leave_a_year_uncovered(tmp_path):
    write(tmp_path, GOOD)
    second = write(tmp_path, GOOD.replace("id: demo-2020", "id: demo-2025").replace("{from: 2020, to: 2022}", "{from: 2025, to: null}"), "demo-2025.yaml")
    f = only(findings(tmp_path), "year-gap")[0]
    assert "2023–2024" in f.message and f.file == str(second) and f.line == line_of(second, "years:")


def test_duplicate_ruleset_id(tmp_path):
    write(tmp_path, GOOD)
    write(tmp_path, GOOD.replace("{from: 2020, to: 2022}", "{from: 2023, to: null}"), "copy.yaml")
    assert only(findings(tmp_path), "duplicate-id")


def test_supplement_page_without_base_page(tmp_path):
    path = write(tmp_path, GOOD.replace("role: base", "role: supplement"))
    f = only(findings(path), "compose")[0]
    assert "base page" in f.message and f.line == line_of(path, "- id: demo_base")
    assert not findings(write(tmp_path, GOOD, "b.yaml"), "compose")


def test_supplement_page_repeating_a_base_field_without_ref(tmp_path):
    supplement = GOOD + indented("""\
        - id: demo_supplement
          role: supplement
          title: {zh: 补充页面, en: Supplement page}
          fields:
            - {id: source_name, type: text, label: {zh: 排放源, en: Source}}
    """)
    path = write(tmp_path, supplement)
    f = only(findings(path), "duplicate-field")[0]
    assert "source_name" in f.message and "demo_base" in f.message
    assert f.line == len(supplement.splitlines())  # the supplement's field, the file's last line
    linked = supplement.replace("- {id: source_name, type: text, label: {zh: 排放源, en: Source}}\n",
                                "- {id: source_name, type: text, ref: {page: demo_base, field: source_name}, label: {zh: 排放源, en: Source}}\n")
    linked = GOOD + linked[len(GOOD):]
    assert not findings(write(tmp_path, linked, "b.yaml"), "duplicate-field")


def test_base_pages_may_share_field_ids_with_each_other_and_the_general_page(tmp_path):
    # general_process (the host's general page) has a field `quantity`; a second base page repeats `mass`.
    shared = GOOD.replace("{id: mass, type: number", "{id: quantity, type: number").replace("mass * ncv", "quantity * ncv") + indented("""\
        - id: demo_other
          role: base
          title: {zh: 其他, en: Other}
          fields:
            - {id: quantity, type: number, unit: t, label: {zh: 消耗量, en: Mass}}
    """)
    assert not findings(write(tmp_path, shared), "duplicate-field")


def test_several_failing_pages_are_all_reported(tmp_path):
    second = indented("""\
          - id: demo_table
            role: supplementary
            title: {zh: 补充数据表, en: Supplementary table}
            fields:
              - {id: output, type: number, unit: t, label: {zh: 产量, en: Output}}
            formulas:
              - {id: intensity, label: {zh: 强度, en: Intensity}, unit: tCO2/t, expr: output / output, source: {doc: guide, clause: "3"}}
        """)
    bad = (GOOD + second).replace("mass * ncv * cc * co2_per_c", "mass * ncv * cc * 44/12")
    codes = [f.code for f in findings(write(tmp_path, bad))]
    assert codes.count("unit") == 2


def test_golden_files_are_checked_against_their_schema(tmp_path):
    path = write(tmp_path, "cases:\n  - name: x\n    year: 2020\n    pages: {}\n    expected: {total: 1}\n", "x.golden.yaml")
    f = only(findings(path), "golden")[0]
    assert f.line == 5
    ok = write(tmp_path, "sector: general\ncases:\n  - name: x\n    year: 2020\n    pages: {}\n    expected: {total_co2e: 0}\n", "y.golden.yaml")
    assert not findings(ok)


def test_other_yaml_files_in_a_tree_are_ignored(tmp_path):
    (tmp_path / ".github").mkdir()
    write(tmp_path / ".github", "on: push\n", "ci.yaml")
    write(tmp_path, "name: not a ruleset\n", "config.yaml")
    write(tmp_path, GOOD)
    result = lint([str(tmp_path)], engine=ENGINE)
    assert result.files == [str(tmp_path / "demo-2020.yaml")] and not result.findings


class _Broken:
    from mrv_engine.core.plugin.hookspecs import hookimpl

    @hookimpl
    def mrv_register_sectors(self, register):
        raise RuntimeError("boom")


def test_a_broken_plugin_is_a_finding():
    from mrv_engine.core.plugin.host import Host

    engine = Engine(Host(entry_points=False, plugins=[("broken", _Broken())]))
    result = lint(engine=engine)
    f = only(result.findings, "plugin")[0]
    assert "boom" in f.message and f.line == 1
    assert not [f for f in lint(engine=ENGINE, sectors=["general"]).findings if f.code == "plugin"]


def test_nothing_to_lint_is_an_error(tmp_path):
    out = CliRunner().invoke(cli, ["lint", str(tmp_path)])
    assert out.exit_code == 1 and "no ruleset or golden file" in out.output


def test_strict_makes_warnings_fail(tmp_path):
    path = write(tmp_path, GOOD.replace("clause: Formula 1", "clause: TODO"))
    runner = CliRunner()
    assert runner.invoke(cli, ["lint", str(path)]).exit_code == 0
    assert runner.invoke(cli, ["lint", "--strict", str(path)]).exit_code == 1


@pytest.mark.parametrize("fmt", ["json"])
def test_json_output(tmp_path, fmt):
    import json

    path = write(tmp_path, GOOD.replace("expr: mass * ncv * cc * co2_per_c", "expr: mass * ncv * cc * 44/12"))
    out = CliRunner().invoke(cli, ["lint", "--format", fmt, str(path)])
    data = json.loads(out.output)
    assert out.exit_code == 1 and not data["ok"]
    assert data["findings"][0]["code"] == "unit" and data["findings"][0]["line"] == line_of(path, "expr: mass * ncv * cc * 44/12")


def test_a_failing_page_does_not_cause_knock_on_findings(tmp_path):
    products = indented("""\
        - id: demo_products
          role: supplementary
          title: {zh: 产品, en: Products}
          fields:
            - {id: output, type: number, unit: t, label: {zh: 产量, en: Output}}
          summaries:
            - id: intensity
              label: {zh: 强度, en: Intensity}
              formulas:
                - {id: intensity, label: {zh: 强度, en: Intensity}, unit: t/t, expr: "sum(demo_base.mass) / sum(output)", source: {doc: guide, clause: "4"}}
    """)
    assert not findings(write(tmp_path, GOOD + products))
    bad = (GOOD + products).replace("mass * ncv * cc * co2_per_c", "mass * ncv * cc * 44/12")
    found = findings(write(tmp_path, bad, "b.yaml"))
    assert [f.code for f in found] == ["unit"], "\n".join(f.text() for f in found)


def test_general_parameters_serve_the_sectors(tmp_path):
    general = (Path(__file__).resolve().parents[2] / "rulesets" / "general" / "general-2015.yaml").read_text(encoding="utf-8")
    extra = general.replace("parameters:\n", "parameters:\n  extra_ef:\n    label: {zh: 额外, en: Extra}\n    value: \"1\"\n"
                            "    unit: tCO2/t\n    source: {doc: qa-100, clause: test fixture}\n", 1)
    write(tmp_path, extra, "general-2015.yaml")
    f = only(findings(tmp_path), "unused-parameter")[0]
    assert f.severity == "warning" and "extra_ef" in f.message
    write(tmp_path, GOOD.replace("mass * ncv * cc * co2_per_c", "mass * ncv * cc * co2_per_c + mass * extra_ef"))
    assert not findings(tmp_path, "unused-parameter")
