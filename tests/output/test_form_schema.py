"""The form as a renderer and a validator read it (docs/forms.md)."""

import re

import pytest

DOC = "docs/forms.md"


def forms(engine):
    for s in engine.sectors():
        for rs_id in s["rulesets"]:
            year = engine.ruleset(rs_id).year_from
            for lang in ("zh", "en", None):
                yield f"{s['id']}-{year}-{lang}", engine.form(s["id"], year, lang=lang)


def walk(node, path="#"):
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}/{i}")


@pytest.fixture(scope="module")
def all_forms(engine):
    return dict(forms(engine))


def test_every_x_keyword_is_documented_and_listed(all_forms, repo_root):
    from mrv_engine.core.output.forms import X_KEYWORDS

    documented = re.findall(r"^\| `(x-[a-z-]+)` \|", (repo_root / DOC).read_text(encoding="utf-8"), re.M)
    assert sorted(documented) == sorted(X_KEYWORDS)
    used = {k for form in all_forms.values() for _p, node in walk(form) for k in node if k.startswith("x-")}
    assert used <= set(X_KEYWORDS), used - set(X_KEYWORDS)


def test_each_form_is_a_valid_2020_12_schema(all_forms):
    from jsonschema import Draft202012Validator

    for name, form in all_forms.items():
        if name.endswith("-None"):  # the zh and en forms differ from it in their texts only
            Draft202012Validator.check_schema(form)


def test_every_field_is_typed_titled_and_free_of_placeholders(all_forms):
    for name, form in all_forms.items():
        for page_id, page in form["properties"]["pages"]["properties"].items():
            for fid, field in page["items"]["properties"].items():
                where = f"{name} {page_id}.{fid}"
                assert "type" in field or "$ref" in field, where
                assert field["title"] and "{" not in field["title"], where
                if "$ref" in field:
                    field = form["$defs"][field["$ref"].rsplit("/", 1)[1]]
                if "oneOf" in field:  # a choice: a constant and its name each
                    assert field["type"] == "string" and all(set(o) == {"const", "title"} for o in field["oneOf"]), where
                assert "anyOf" not in field and "enum" not in field, where
        for _path, node in walk(form):
            for key in ("title", "description"):
                assert "{" not in str(node.get(key, "")), (name, _path, node.get(key))
        for pname, param in form["properties"]["parameters"]["properties"].items():
            assert [o["type"] for o in param["oneOf"]] == ["number", "object"], (name, pname)


def test_titles_are_in_the_asked_language_with_their_unit(engine):
    zh = engine.form("general", 2022, lang="zh")["properties"]["pages"]["properties"]["fuel_combustion"]["items"]
    en = engine.form("general", 2022, lang="en")["properties"]["pages"]["properties"]["fuel_combustion"]["items"]
    assert zh["properties"]["cc"]["title"] == "单位热值含碳量（tC/GJ）"
    assert en["properties"]["cc"]["title"] == "Carbon content per unit heat (tC/GJ)"
    assert {"const": "stationary", "title": "固定源"} in zh["properties"]["kind"]["oneOf"]
    by = en["properties"]["ncv"]["x-unit-by"]
    assert by["field"] == "fuel" and by["units"]["coke"] == "GJ/t" and by["units"]["natural_gas"].startswith("GJ/10")


def test_what_only_validate_refused_the_form_now_refuses(engine):
    """The issue's three: month 13, a consumption of -5 and a CaO content of 150 % pass the old form."""
    from jsonschema import Draft202012Validator

    power = Draft202012Validator(engine.form("power", 2022))
    month = power.schema["properties"]["pages"]["properties"]["fuel_t"]["items"]["properties"]["month"]
    assert (month["type"], month["minimum"], month["maximum"]) == ("integer", 1, 12)
    assert not power.is_valid({"sector": "power", "year": 2022, "pages": {"fuel_t": [{"month": 13}]}}) and any(
        list(e.absolute_path)[-1:] == ["month"] for e in power.iter_errors({"sector": "power", "year": 2022, "pages": {"fuel_t": [{"month": 13}]}}))
    general = Draft202012Validator(engine.form("general", 2022))
    row = {"source_name": "b", "kind": "stationary", "fuel": "coke", "consumption": -5}
    assert [list(e.absolute_path) for e in general.iter_errors({"sector": "general", "year": 2022, "pages": {"fuel_combustion": [row]}})] \
        == [["pages", "fuel_combustion", 0, "consumption"]]
    cement = Draft202012Validator(engine.form("cement", 2022))
    errors = cement.iter_errors({"sector": "cement", "year": 2022, "pages": {"clinker_process": [{"cao": 150}]}})
    assert ["pages", "clinker_process", 0, "cao"] in [list(e.absolute_path) for e in errors]
