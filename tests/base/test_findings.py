"""The one Finding and the one list of codes: documented as emitted, serialised as the schemas say."""

import ast
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mrv_engine.core.base.findings import CODES, SEVERITIES, Finding, file_line
from mrv_engine.core.maintain.codes import errors_markdown, findings_markdown
from mrv_engine.core.verify.checks import RULES

ROOT = Path(__file__).resolve().parents[2]

#: Calls that emit a finding, and the position of the code among their arguments.
_EMITTERS = {"Finding": 0, "finding": 0, "_situation": 0, "_failed": 1}


def _constant(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def emitted_codes() -> set[str]:
    """Every code literal the core passes to an emitter: calls, ``code=`` keywords, ``code = ...`` assignments."""
    found = set()
    for path in (ROOT / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
                position = {"errors": 0, "self": 2}.get(owner) if name == "add" else _EMITTERS.get(name)
                if position is not None and len(node.args) > position:
                    found.add(_constant(node.args[position]))
                found |= {_constant(k.value) for k in node.keywords if k.arg == "code"}
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    names = target.elts if isinstance(target, ast.Tuple) else [target]
                    values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
                    for n, v in zip(names, values):
                        if getattr(n, "id", None) == "code":
                            found.add(_constant(v))
    return found - {None}


def test_docs_findings_md_is_the_list_of_codes():
    assert (ROOT / "docs" / "findings.md").read_text(encoding="utf-8") == findings_markdown(), \
        "regenerate: python -m mrv_engine.core.maintain.codes > docs/findings.md"


def test_docs_errors_md_is_the_list_of_codes_in_both_languages():
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert text == errors_markdown(), "regenerate: python -m mrv_engine.core.maintain.codes errors > docs/errors.md"
    for code, c in CODES.items():
        assert c.meaning and c.meaning_zh, f"{code} needs its meaning in English and Chinese"
        assert f"| `{code}` |" in text


def test_every_code_the_engine_emits_is_documented():
    emitted = emitted_codes()
    assert len(emitted) > 70  # the scan finds the emitters at all
    assert emitted - set(CODES) == set()


def test_the_verifiers_rules_table_agrees_with_the_list():
    for code, rule in RULES.items():
        assert CODES[code].severity == rule.severity and "verification" in CODES[code].areas
    assert {c for c, v in CODES.items() if v.areas[0] == "verification"} == set(RULES)


def test_every_documented_severity_is_a_severity():
    assert {c.severity for c in CODES.values()} <= set(SEVERITIES)


def test_a_finding_refuses_an_unknown_severity():
    with pytest.raises(ValueError, match="severity 'info'"):
        Finding("x", "$", "m", severity="info")


def test_the_flat_form_follows_its_schema():
    schema = json.loads((ROOT / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    flat = {"$ref": "#/$defs/flat", "$defs": schema["$defs"]}
    f = Finding("method_vs_value", "$.pages.methods[12]", "declared measured", "确定方式为实测", "warning",
                {"zh": "规则", "en": "rule"}, "a citation", "power", {"month": 1})
    jsonschema.validate(f.as_dict(), flat)
    assert list(f.as_dict()) == ["code", "severity", "place", "message", "message_zh", "citation", "rule", "data"]
    assert list(Finding("required", "$.year", "year is required").as_dict()) == ["code", "severity", "place", "message", "message_zh"]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz/._-", min_size=1, max_size=30), st.integers(1, 10**6),
       st.one_of(st.none(), st.integers(1, 500)))
def test_a_file_and_line_place_reads_back(name, line, col):
    place = f"{name}:{line}" + (f":{col}" if col else "")
    f = Finding("unit", place, "m")
    assert (f.file, f.line) == (name, line) == file_line(place, "other")


def test_a_json_path_place_has_no_file():
    f = Finding("required", "$.pages.fuel[0].ncv", "m")
    assert (f.file, f.line) == ("", 0)
