"""Issue 17: load_json_text skips the walk of _check_shape only when the document is within MAX_DEPTH and
MAX_ENTRIES for certain (bounds from its text, or a walk level by level); a document over either limit is
refused exactly as the walk refuses it. With the limits made small, generated documents cross them often."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mrv_engine.core.base import documents as D
from mrv_engine.core.base.errors import InputError

JSON = st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.text(alphabet="{[a", max_size=3),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(alphabet="ab{", max_size=2), inner, max_size=4),
                    max_leaves=40)


def outcome(load, text):
    try:
        load(text)
        return None
    except InputError as exc:
        return str(exc), exc.where


@pytest.mark.parametrize(("depth", "entries"), [(3, 10), (5, 25), (64, 100_000)])
@settings(max_examples=300, deadline=None)
@given(doc=JSON)
def test_a_document_is_refused_exactly_as_the_walk_refuses_it(depth, entries, doc):
    text = json.dumps(doc)
    with pytest.MonkeyPatch.context() as limits:
        limits.setattr(D, "MAX_DEPTH", depth)
        limits.setattr(D, "MAX_ENTRIES", entries)
        assert outcome(lambda t: D.load_json_text(t, "doc.json"), text) == outcome(lambda t: D._check_shape(json.loads(t), "doc.json"), text)


@pytest.mark.parametrize("text", ["[" * 64 + "]" * 64, "[" * 65 + "]" * 65, '{"a":' * 64 + "1" + "}" * 64,
                                  json.dumps(list(range(100_001))), json.dumps([list(range(50_000)), list(range(50_001))]),
                                  "[" * 70 + json.dumps(list(range(100_000))) + "]" * 70, json.dumps({"a": ["{" * 100]})])
def test_documents_at_the_real_limits(text):
    assert outcome(lambda t: D.load_json_text(t, "doc.json"), text) == outcome(lambda t: D._check_shape(json.loads(t), "doc.json"), text)
