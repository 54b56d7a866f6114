"""The CLI as its users read it: their language, one readable line per finding (repeated ones
grouped), 100 columns, one figure's explanation, -o that says what it wrote, exit codes that
reflect findings only when asked, empty results that explain themselves (issue 19, item 4)."""

import copy
import json
import re
import string

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from mrv_engine import fit
from mrv_engine.cli.main import cli
from mrv_engine.cli.texts import TEXTS


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def write(tmp_path, data, name="s.json"):
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(p)


def coke(example):
    return copy.deepcopy(example("hubei-coke.json"))


# -- language -------------------------------------------------------------------------------

def test_language_follows_option_then_mrv_lang_then_locale_then_chinese(tmp_path, example):
    data = coke(example)
    data["pages"]["fuel_combustion"][0]["fuel"] = "wood"
    path = write(tmp_path, data)
    assert "未知的燃料品种 'wood'" in run("validate", path).output  # no MRV_LANG, no locale
    assert "unknown fuel 'wood'" in run("validate", path, env={"LANG": "en_US.UTF-8"}).output
    assert "未知的燃料品种" in run("validate", path, env={"LANG": "en_US.UTF-8", "MRV_LANG": "zh"}).output
    assert "unknown fuel" in run("validate", path, "--lang", "en", env={"MRV_LANG": "zh"}).output
    assert "未知的燃料品种" in run("validate", path, env={"LC_ALL": "zh_CN.UTF-8"}).output


def test_engine_errors_follow_the_language():
    zh = run("rulesets", "--sector", "general", "--year", "2009")
    en = run("form", "nosuch", "--year", "2020", env={"MRV_LANG": "en"})
    assert zh.exit_code == 1 and "general 行业没有适用于 2009 年的版本" in zh.output
    assert en.exit_code == 2 and en.output.startswith("error: unknown sector 'nosuch'")
    assert run("form", "nosuch", "--year", "2020").output.startswith("错误: 未知的行业 'nosuch'")


def test_every_cli_sentence_exists_in_both_languages_with_the_same_placeholders():
    fields = lambda text: sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)
    for key, text in TEXTS.items():
        assert set(text) == {"zh", "en"} and all(text.values()), key
        assert fields(text["zh"]) == fields(text["en"]), key


# -- findings ------------------------------------------------------------------------------

def test_a_repeated_finding_is_one_line_with_its_count_and_places(tmp_path, example):
    data = coke(example)
    row = data["pages"]["fuel_combustion"][0]
    data["pages"]["fuel_combustion"] = [dict(row, fuel="wood", source_name=f"{i:03}") for i in range(24)]
    r = run("validate", write(tmp_path, data))
    lines = [ln for ln in r.output.splitlines() if "wood" in ln]
    assert len(lines) == 1, r.output
    assert "共 24 处：$.pages.fuel_combustion[0].fuel、$.pages.fuel_combustion[1].fuel、" in lines[0]
    r = run("validate", write(tmp_path, data), "--lang", "en")
    assert "(24 places: $.pages.fuel_combustion[0].fuel, $.pages.fuel_combustion[1].fuel" in r.output
    # the JSON form keeps one entry per place: a program wants them all
    r = run("validate", write(tmp_path, data), "--format", "json")
    assert len(json.loads(r.output)["findings"]) == 24


def test_validation_reports_every_problem_of_a_row_and_no_dict_repr(tmp_path, example):
    data = coke(example)
    row = data["pages"]["fuel_combustion"][0]
    row.update(kind="flying", fuel="cokee", consumption={"value": "abc", "unit": "t"},
               ncv={"value": "-5", "unit": "kJ/kg"}, of="150")
    r = run("validate", write(tmp_path, data), "--lang", "en")
    assert r.exit_code == 1
    found = re.findall(r"\[(\w+)\]$", r.output, re.MULTILINE)
    assert sorted(found) == ["above_maximum", "below_minimum", "not_a_number", "unknown_choice", "unknown_choice"]
    assert "{'" not in r.output and "got 'abc'" in r.output
    assert "not valid, 5 error(s)" in r.output


# -- width -----------------------------------------------------------------------------------

def _width(line):
    return sum(2 if ord(c) > 0x2E80 else 1 for c in line)


@given(st.lists(st.text(alphabet="ab 中文〔〕号，" + string.digits, max_size=300), max_size=5))
def test_fit_keeps_every_character_and_wraps_within_the_width(lines):
    text = "\n".join(lines)
    out = fit(text, 40)
    assert re.sub(r"\s", "", out) == re.sub(r"\s", "", text)
    assert all(_width(ln) <= 40 for ln in out.split("\n"))


def test_text_output_fits_100_columns_unless_wide(examples_dir):
    for args in (("explain", str(examples_dir / "power-plant-2022.json")),
                 ("diff", str(examples_dir / "power-plant-2022.json"), "--from", "2021", "--to", "2022"),
                 ("verify", str(examples_dir / "verify-defects.json")),
                 ("rulesets",)):
        out = run(*args).output
        assert max(_width(ln) for ln in out.splitlines()) <= 100, args
    wide = run("explain", str(examples_dir / "power-plant-2022.json"), "--wide").output
    assert max(_width(ln) for ln in wide.splitlines()) > 100


# -- one figure, -o, exit codes ----------------------------------------------------------------

def test_explain_one_figure_or_one_page(examples_dir):
    path = str(examples_dir / "hubei-coke.json")
    r = run("explain", path, "--figure", "$.pages.fuel_combustion[0].emissions", "--lang", "en")
    assert r.exit_code == 0
    assert r.output.count("[$.pages.") == 1 and "= 108462.4949 tCO2" in r.output
    same = run("explain", path, "--figure", "pages.fuel_combustion[0].emissions", "--lang", "en")
    assert same.output == r.output
    page = run("explain", str(examples_dir / "power-plant-2022.json"), "--page", "fuel_t", "--format", "json")
    places = [n["place"] for n in json.loads(page.output)]
    assert places and all(p.startswith(("$.pages.fuel_t[", "$.pages.fuel_t.summary")) for p in places)
    missing = run("explain", path, "--figure", "$.pages.fuel_combustion[9].emissions", "--lang", "en")
    assert missing.exit_code == 1 and "no figure at $.pages.fuel_combustion[9].emissions" in missing.output
    assert "$.pages.fuel_combustion[0].emissions" in missing.output  # what there is instead


def test_output_file_is_announced_and_findings_fail_only_when_asked(tmp_path, examples_dir):
    path = str(examples_dir / "verify-power-frequency.json")  # calculates, with one warning
    out = tmp_path / "r.json"
    r = run("calc", path, "--format", "json", "-o", str(out), "--lang", "en")
    assert r.exit_code == 0 and f"wrote {out} (" in r.output and json.loads(out.read_text())["findings"]
    r = run("calc", path, "--lang", "en")
    assert r.exit_code == 0 and "warning: " in r.output and "[method_vs_value]" in r.output
    r = run("calc", path, "--fail-on", "warning", "--lang", "en")
    assert r.exit_code == 1 and "findings of severity warning (--fail-on warning): exit code 1" in r.output
    assert run("calc", path, "--fail-on", "error").exit_code == 0


def test_an_empty_listing_says_why():
    r = run("rulesets", "--sector", "general", "--year", "2009", "--lang", "en")
    assert r.exit_code == 1
    assert "no edition of sector general governs 2009; editions: general-2015 (2013–)" in r.output
