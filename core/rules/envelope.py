"""A fast, exact answer to "is this submission envelope plainly valid?", before JSON Schema validation.

jsonschema checks an envelope keyword by keyword through its generic dispatch: a fifth of a millisecond
for the few keys of an ordinary submission (sector, year, enterprise, parameters, the page names), which
is a tenth of what a batch spends on a report outside its calculation. :func:`plainly_valid` checks
those keys directly, as ``schemas/submission.schema.json`` says, and answers True only when the schema
would find no error. Everything it is unsure of (a plan, evidence, an unknown key, a value of any other
Python type than JSON gives: a float year, a ``Decimal``, a dict subclass) answers False, and the caller
then validates with jsonschema as before: the findings of an invalid envelope are always jsonschema's
own, and a valid one has none either way.

It was written for one version of the schema: :data:`SCHEMA_DIGEST` is the digest of that schema's
rules (its descriptions and titles left out). When the bundled schema's rules change, the fast path
turns itself off (every envelope goes to jsonschema) until this module is reviewed against the new
schema and the digest updated; tests/rules/test_envelope_fast.py fails to say so, and checks with
hypothesis-jsonschema generated envelopes (valid ones and mutated ones) that a True is never wrong.
"""

from __future__ import annotations

import hashlib
import json
import re

from .ruleset import schema

SCHEMA = "submission.schema.json"
#: sha256 of the rules of ``schemas/submission.schema.json`` (:func:`schema_digest`) this module implements.
SCHEMA_DIGEST = "7953d1b9d6ed921f190c09e702d460281defdeb220d68cb14bd079cd2edd98ed"
_ANNOTATIONS = ("description", "title")
_STATE: dict = {}


def _rules(node):
    """The schema without its annotations (what validation does not read; a property *named* description
    has an object as its value and is kept)."""
    if isinstance(node, dict):
        return {k: _rules(v) for k, v in node.items() if not (k in _ANNOTATIONS and isinstance(v, str))}
    if isinstance(node, list):
        return [_rules(v) for v in node]
    return node


def schema_digest() -> str:
    """sha256 of the bundled submission schema's rules, in a canonical JSON form."""
    text = json.dumps(_rules(schema(SCHEMA)), sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def active() -> bool:
    """Whether the fast path applies: the bundled schema is the one this module was written for."""
    on = _STATE.get("active")
    if on is None:
        on = _STATE["active"] = schema_digest() == SCHEMA_DIGEST
        # The pattern of $defs/number, as jsonschema applies it (re.search, so "$" also matches before a
        # final newline, exactly as there).
        _STATE["number"] = re.compile(schema(SCHEMA)["$defs"]["number"]["oneOf"][0]["pattern"]).search
    return on


def _number(value, search) -> bool:
    """``$defs/number`` (oneOf: a string of decimal digits, or a JSON number): True only when it holds."""
    kind = type(value)
    if kind is str:
        return search(value) is not None
    return kind is int or kind is float  # bool, Decimal and others: unsure, jsonschema decides


_PARAMETER_KEYS = frozenset(("value", "unit", "note"))
_CALORIES = ("4.1868", "4.1816")


def plainly_valid(sub) -> bool:
    """True only when ``sub`` is a submission whose envelope (everything but its page rows, which the engine
    checks field by field) the submission schema finds no error in; False when it has one or is not of the
    plain shape checked here (the caller then asks jsonschema)."""
    if type(sub) is not dict or not active():
        return False
    if "sector" not in sub or "year" not in sub or "pages" not in sub:
        return False
    search = _STATE["number"]
    for key, value in sub.items():
        if key == "year":
            if type(value) is not int or not 2005 <= value <= 2100:
                return False
        elif key in ("sector", "ruleset", "programme"):
            if type(value) is not str:
                return False
        elif key == "pages":
            # additionalProperties: an array; its rows are the engine's to check (Engine.check_envelope).
            if type(value) is not dict or not all(type(k) is str and type(v) is list for k, v in value.items()):
                return False
        elif key == "enterprise":
            if type(value) is not dict:
                return False
            for k, v in value.items():
                if type(k) is not str or (k in ("name", "credit_code", "province") and type(v) is not str):
                    return False
        elif key == "parameters":
            if type(value) is not dict:
                return False
            for k, v in value.items():
                if type(k) is not str:
                    return False
                if _number(v, search):
                    continue
                if (type(v) is not dict or "value" not in v or not _PARAMETER_KEYS.issuperset(v)
                        or not _number(v["value"], search)
                        or ("unit" in v and type(v["unit"]) is not str) or ("note" in v and type(v["note"]) is not str)):
                    return False
        elif key == "calorie":
            if type(value) is not str or value not in _CALORIES:
                return False
        elif key == "reported":
            if type(value) is not dict or not all(type(k) is str and _number(v, search) for k, v in value.items()):
                return False
        else:  # plan, previous_plan, evidence (jsonschema checks them), or a key the schema refuses
            return False
    return True
