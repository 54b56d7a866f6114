"""What users read speaks the field's language: documents by their titles and numbers.

The project's notes mark figures with internal shorthand (the seed files by number, confidence
marks such as ``[M]``, paths into the maintainers' reference notes) and name pages and figures
by ids. None of that may reach a reader: this test renders every bundled example's calculation
(table and JSON, zh and en), its explanation (zh and en) and its verification (table, HTML and
JSON, zh and en), every ruleset's form (zh and en), the rulesets listing and the generated
methodology pages, and fails on any piece of shorthand, and on any trace operand whose label
is only its id (``plan_units.capacity (plan_units.capacity) = ...``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine import Engine, load_document
from mrv_engine.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.json"))
LANGS = ("zh", "en")

#: Internal shorthand a reader cannot look up: the seed files by number, the reference notes'
#: confidence marks and file names, the notes themselves.
SHORTHAND = re.compile(
    r"(?i:\bseed ?0\d\d\b)"
    r"|\[(?:M|D|C1\+?|C2)(?:[ ,][^\]\n]{0,40})?\]"
    r"|shared/reference|reference[ -]notes|mrv-engine reference"
    r"|energy-and-power|power-open-questions|sectors-[a-z-]+\.md"
)
#: An operand shown with its id where its name belongs: ``e_fuel (e_fuel) = ...``.
ID_AS_LABEL = re.compile(r"^ +([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?) \(\1\) =", re.MULTILINE)


def shorthand_in(text: str) -> list[str]:
    return sorted({m.group(0) for m in SHORTHAND.finditer(text)})


@pytest.fixture(scope="module")
def engine():
    return Engine()


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_outputs_speak_the_fields_language(engine, example):
    submission, _ = load_document(ROOT / "examples" / example)
    texts = {}
    result = engine.calculate(submission)
    texts["calc.json"] = engine.render(result, "json")
    report = engine.verify(submission)
    texts["verify.json"] = engine.render(report, "json")
    for lang in LANGS:
        texts[f"calc.table.{lang}"] = engine.render(result, "table", lang=lang)
        texts[f"explain.{lang}"] = engine.explain(result, lang=lang)
        texts[f"verify.table.{lang}"] = engine.render(report, "table", lang=lang)
        texts[f"verify.html.{lang}"] = engine.render(report, "html", lang=lang)
    found = {name: shorthand_in(text) for name, text in texts.items()}
    assert not any(found.values()), {k: v for k, v in found.items() if v}
    ids = {lang: sorted(set(ID_AS_LABEL.findall(texts[f"explain.{lang}"]))) for lang in LANGS}
    assert not any(ids.values()), f"operands shown by id instead of name: {ids}"
    # A finding names a page by its title: no page id (those with an underscore cannot be
    # ordinary words) outside the JSON paths that locate it.
    page_ids = [p.id for p in result.comp.pages if "_" in p.id]
    if page_ids:
        by_id = re.compile(r"(?<![\w.$\[])(" + "|".join(map(re.escape, page_ids)) + r")(?![\w\[])")
        named = [(f["code"], lang, m) for f in report.to_dict()["findings"] for lang in LANGS
                 for m in by_id.findall(re.sub(r"\$\.\S*", "", _message(f, lang)))]
        assert not named, f"findings naming a page by its id: {named}"


def _message(finding: dict, lang: str) -> str:
    m = finding.get("message")
    if isinstance(m, dict):
        return m.get(lang, "")
    return (finding.get("message_zh") if lang == "zh" else m) or ""


def _rulesets(engine):
    return sorted({(s["id"], r) for s in engine.sectors() if s["status"] == "ok" for r in s["rulesets"]})


def test_forms_speak_the_fields_language(engine):
    found = {}
    for sector, ruleset_id in _rulesets(engine):
        for lang in LANGS:
            text = json.dumps(engine.form(sector, ruleset_id=ruleset_id, lang=lang), ensure_ascii=False)
            if hits := shorthand_in(text):
                found[f"{ruleset_id}:{lang}"] = hits
    assert _rulesets(engine), "no ruleset to render"
    assert not found, found


def test_listings_and_methodology_pages_speak_the_fields_language():
    found = {}
    for args in (["rulesets"], ["rulesets", "--lang", "en"], ["sectors"], ["sectors", "--lang", "en"]):
        out = CliRunner().invoke(cli, args)
        assert out.exit_code == 0, out.output
        if hits := shorthand_in(out.output):
            found[" ".join(args)] = hits
    for page in sorted((ROOT / "docs" / "sectors").glob("*.md")):
        if hits := shorthand_in(page.read_text(encoding="utf-8")):
            found[page.name] = hits
    assert not found, found


def test_the_guard_sees_shorthand():
    # The patterns catch what they are for, and pass the field's own bracketed words.
    for text in ("seed 002", "Seed 000", "([M])", "[C1 code + M]", "[D]", "[C2]", "shared/reference/x.md",
                 "mrv-engine reference notes", "power-open-questions.md Q2", "sectors-cement-glass-steel.md"):
        assert shorthand_in(text), text
    for text in ("[UNVERIFIED figure]", "$.pages.fuel[0].ncv", "〔2023〕2号", "[power-2022-revision]", "tables.fuels.coke"):
        assert not shorthand_in(text), text
    assert ID_AS_LABEL.findall("    e_fuel (e_fuel) = 1 — computed") == ["e_fuel"]
    assert ID_AS_LABEL.findall("    plan_units.capacity (plan_units.capacity) = 1 rows") == ["plan_units.capacity"]
    assert not ID_AS_LABEL.findall("    Emission factor (ef) = 0.440 tCO2/t")
    assert not ID_AS_LABEL.findall("    Fuel consumption (consumption) = 420 t — input")


@pytest.mark.parametrize("lang", LANGS)
def test_unverified_figures_in_a_report_are_named_by_their_titles(lang):
    """The report's line of unconfirmed figures names each by the rules' title, not its id (gwp_CF4,
    tables.fuels.diesel): the GWP by its gas, a parameter by its label, a fuel-table row by table and row."""
    engine = Engine()
    data, _name = load_document(str(ROOT / "examples" / "aluminium-2022.json"))
    result = engine.calculate(data)
    used = result.unverified_used()
    assert used, "the example uses unconfirmed figures"
    text = engine.render(result, "table", lang)
    line = next(x for x in text.splitlines() if x.startswith(("使用了未核实的参数", "Unverified parameters used")))
    comp = result.comp
    for name in used:
        assert name not in line.split("：", 1)[-1].split(": ", 1)[-1].replace("、", "; ").split("; ")
        if name.startswith("gwp_"):
            assert (f"{name[4:]} 全球变暖潜势" if lang == "zh" else f"GWP of {name[4:]}") in line
        elif name.startswith("tables."):
            _, table, row = name.split(".", 2)
            spec = comp.tables[table][0]
            assert spec["rows"][row]["label"][lang] in line
        else:
            assert comp.parameters[name][0].label[lang] in line
