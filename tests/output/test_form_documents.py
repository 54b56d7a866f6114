"""Documents valid against a form are submissions the engine accepts.

For each sector and rule version, hypothesis builds rows from the form's JSON Schema (each
field typed as the form says, within its bounds, choices from its ``oneOf``), keeps those the
form accepts (jsonschema, so the ``if``/``then`` rules count), and the engine must calculate
them or refuse them only with the cross-field findings the form cannot state, listed in
docs/forms.md (:data:`CROSS_FIELD`). A finding of any other code is a constraint the engine
enforces on one field that the form does not state: the gap this test keeps closed.

hypothesis-jsonschema would do the generating, but its release does not run on the current
hypothesis; the form uses a small part of JSON Schema, and :func:`values` walks that part.
"""

import json
import os
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

#: The findings a form-valid document may still get, each about more than one field or row
#: (docs/forms.md, "What the form cannot say").
CROSS_FIELD = {
    "month_missing",  # a monthly page's group lacks a month: about all the group's rows
    "month_repeated",  # a month twice in a group
    "duplicate_row",  # two rows with the same key fields
    "unknown_reference",  # a row names a line, furnace or unit that its page does not hold
    "missing_value",  # a formula's operand with no default, where the case is decided by a computed figure
    "out_of_range",  # a computed figure outside the bounds the rules give: it depends on several fields
    "arithmetic",  # a formula's divisor is zero (an intensity per tonne of an output given as 0)
    "plan_unit_not_reported",  # power: a unit of the monitoring plan has no rows on the data pages
    "merged_without_members",  # power: a unit marked as merged has no member units on its page
    "unverified_default",  # aviation refuses an unconfirmed default: whether the grid factor the rules choose
                           # is confirmed depends on the year and $.enterprise.province together
}

#: Examples per sector and rule version; MRV_FUZZ_EXAMPLES=500 for a long run (docs/forms.md).
EXAMPLES = int(os.environ.get("MRV_FUZZ_EXAMPLES", "15"))


NUMBER = re.compile(r'"@@([-0-9.E+]+)@@"')


def _resolve(schema, form):
    while "$ref" in schema:
        schema = {**form["$defs"][schema["$ref"].rsplit("/", 1)[1]], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def values(schema, form):
    """A strategy for instances of a field's schema (the part of JSON Schema forms use)."""
    schema = _resolve(schema, form)
    if "oneOf" in schema and all("const" in o for o in schema["oneOf"]):
        return st.sampled_from([o["const"] for o in schema["oneOf"]])
    kind = schema.get("type")
    if kind == "string":
        return st.text(alphabet="abc一二三0123456789", min_size=1, max_size=6)
    if kind in ("number", "integer"):
        lo, hi = schema.get("minimum"), schema.get("maximum")
        lo = Decimal(str(lo)) if lo is not None else Decimal("-1E6")
        hi = Decimal(str(hi)) if hi is not None else lo + Decimal("1E9")
        if kind == "integer":
            return st.integers(int(lo), int(hi))
        return st.decimals(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False, places=6)
    raise AssertionError(f"a form field the generator does not know: {schema}")


def rows(items, form):
    props = items["properties"]
    required = set(items.get("required", []))

    @st.composite
    def row(draw):
        out = {}
        for fid, schema in props.items():
            if fid in required or draw(st.integers(0, 9)) < 7:
                out[fid] = draw(values(schema, form))
        return out

    return row()


def cases():
    from mrv_engine import Engine

    engine = Engine()
    out = []
    for s in engine.sectors():
        for rs_id in s["rulesets"]:
            rs = engine.ruleset(rs_id)
            out.append(pytest.param(s["id"], rs.year_from, id=f"{s['id']}-{rs.year_from}"))
    return out


@pytest.mark.parametrize("sector, year", cases())
def test_a_document_valid_against_the_form_is_accepted(engine, sector, year):
    import jsonschema
    from mrv_engine import load_json_text

    form = engine.form(sector, year)
    validator = jsonschema.Draft202012Validator(form)
    pages = form["properties"]["pages"]["properties"]
    needed = form["properties"]["parameters"].get("required", [])

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(page=st.sampled_from(form["x-page-order"]), data=st.data())
    def check(page, data):
        doc = {"sector": sector, "year": year, "pages": {page: data.draw(st.lists(rows(pages[page]["items"], form),
                                                                                   min_size=1, max_size=3))}}
        enterprise = form["properties"]["enterprise"]
        if enterprise.get("required"):  # e.g. the province that selects a regional grid factor
            doc["enterprise"] = {k: data.draw(values(enterprise["properties"][k], form)) for k in enterprise["required"]}
        if needed:
            doc["parameters"] = {name: data.draw(st.decimals(0, 10, places=4)) for name in needed}
        assume(validator.is_valid(doc))
        # as a host sends it: JSON text with its figures as JSON numbers, read exactly
        text = NUMBER.sub(r"\1", json.dumps(doc, default=lambda d: f"@@{d}@@"))
        findings = [f for f in engine.validate(load_json_text(text, "generated")) if f.is_error]
        assert {f.code for f in findings} <= CROSS_FIELD, [(f.code, f.place, f.message) for f in findings]

    check()
