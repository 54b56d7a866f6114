"""Every composed form compiles under Ajv in strict mode, the validator most web form libraries use.

Issue 14: a host app's developer tried the old form with Ajv in strict mode and it was refused. Ajv
(JavaScript, from npm) runs in node: .ci/run installs it and sets ``MRV_AJV_DIR`` (a folder whose
``node_modules`` holds ``ajv``); elsewhere the test skips, saying how to get it. The only option a
host sets is the one docs/forms.md states: ``ajv.addVocabulary(X_KEYWORDS)`` for the ``x-``
keywords. Ajv must also agree with Python's jsonschema on what the form accepts, so that "valid
in the browser" is "valid here".
"""

import json
import os
import shutil
import subprocess

import pytest
from mrv_engine.core.output.forms import X_KEYWORDS

# Compiles every form with Ajv 2020-12 in strict mode (strictSchema, strictTypes, strictTuples,
# strictRequired, strictNumbers) and validates the given documents; prints one JSON result.
SCRIPT = r"""
const Ajv2020 = require("ajv/dist/2020").default;
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = {version: require("ajv/package.json").version, refused: {}, valid: []};
const compiled = {};
for (const [name, form] of Object.entries(input.forms)) {
  const ajv = new Ajv2020({strict: true, allErrors: true});
  ajv.addVocabulary(input.keywords);
  try { compiled[name] = ajv.compile(form); } catch (e) { out.refused[name] = e.message; }
}
for (const [name, doc] of input.documents) out.valid.push(compiled[name] ? compiled[name](doc) : null);
console.log(JSON.stringify(out));
"""


def _ajv_dir(repo_root):
    """A folder from which node resolves ``ajv/dist/2020``, or None (with the reason)."""
    node = shutil.which("node")
    if node is None:
        return None, "no node: apt-get install nodejs npm, then npm install --prefix DIR ajv@8 and set MRV_AJV_DIR=DIR"
    for folder in (os.environ.get("MRV_AJV_DIR"), str(repo_root)):
        if folder and subprocess.run([node, "-e", "require.resolve('ajv/dist/2020')"], cwd=folder,
                                     capture_output=True, timeout=60, check=False).returncode == 0:
            return folder, ""
    return None, "Ajv is not installed: npm install --prefix DIR ajv@8 and set MRV_AJV_DIR=DIR (.ci/run does)"


def _forms(engine):
    for s in engine.sectors():
        for rs_id in s["rulesets"]:
            year = engine.ruleset(rs_id).year_from
            for lang in ("zh", "en", None):
                yield f"{s['id']}-{year}-{lang}", engine.form(s["id"], year, lang=lang)


def _documents():
    """(form, document): the issue's three that only `mrv validate` refused, and rows the form accepts,
    including one a conditional rule (if/then, anyOf) decides."""
    coke = {"source_name": "焦炉", "kind": "stationary", "fuel": "coke", "consumption": 35264, "ncv": 28.435,
            "cc": 0.0295, "of": 1}
    hubei = {"province": "湖北"}  # 2013: the regional grid's factor, chosen by the province
    return [
        ("power-2021-zh", {"sector": "power", "year": 2021, "pages": {"fuel_t": [{"month": 13}]}}),
        ("general-2013-zh", {"sector": "general", "year": 2013, "enterprise": hubei, "pages": {"fuel_combustion": [{**coke, "consumption": -5}]}}),
        ("cement-2013-zh", {"sector": "cement", "year": 2013, "pages": {"clinker_process": [{"cao": 150}]}}),
        ("general-2013-zh", {"sector": "general", "year": 2013, "enterprise": hubei, "pages": {"fuel_combustion": [coke]}}),
        ("general-2013-en", {"sector": "general", "year": 2013, "enterprise": hubei, "pages": {}}),
        ("general-2013-None", {"sector": "general", "year": 2013, "enterprise": hubei, "pages": {"fuel_combustion": [
            {k: v for k, v in coke.items() if k not in ("ncv", "cc", "of")}]}}),
        ("general-2013-None", {"sector": "general", "year": 2013, "enterprise": hubei, "pages": {"fuel_combustion": [
            {**coke, "method": "emission_factor"}]}}),
        ("power-2021-en", {"sector": "power", "year": 2022, "pages": {}}),
    ]


def test_every_form_compiles_under_ajv_strict_and_agrees_with_jsonschema(engine, repo_root):
    folder, why = _ajv_dir(repo_root)
    if folder is None:
        pytest.skip(why)
    from jsonschema import Draft202012Validator

    forms = dict(_forms(engine))
    documents = _documents()
    assert {name for name, _ in documents} <= set(forms)
    run = subprocess.run([shutil.which("node"), "-e", SCRIPT], cwd=folder, capture_output=True, text=True, timeout=300, check=False,
                         input=json.dumps({"forms": forms, "keywords": list(X_KEYWORDS), "documents": documents}))
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout)
    assert out["version"].startswith("8."), out["version"]
    assert out["refused"] == {}, out["refused"]
    expected = [Draft202012Validator(forms[name]).is_valid(doc) for name, doc in documents]
    assert out["valid"] == expected
    # the three the issue names are refused; a full coke row, an empty form, a row whose defaults
    # come from the fuel table are accepted; the emission-factor method without its factor is not (if/then)
    assert expected == [False, False, False, True, True, True, False, False]
