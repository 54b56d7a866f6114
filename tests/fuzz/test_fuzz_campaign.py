"""Issue 19, item 6: a fuzz campaign over the engine's public API and the ``mrv`` command.

Submissions are generated from the composed forms (``Engine.form``) and from the bundled
examples, then mutated: values of the wrong type, huge and tiny and over-long numbers, unicode,
missing and extra keys, wrong and unknown units, broken envelopes. Rulesets are mutated from the
bundled ones. The properties:

* no exception escapes the public API or the CLI: a result, or an ``MrvError``;
* every refusal is a finding (or an error) whose code is in ``CODES``, at a place;
* the same input gives byte-identical output, also across processes with other PYTHONHASHSEEDs;
* no output file is ever half-written: a refused run leaves the previous file as it was.

The default run is short (a few hundred examples per property, derandomised so CI sees the same
examples every time); ``MRV_FUZZ_EXAMPLES=N`` multiplies every property's examples by N and
draws fresh random examples each run (tests/README.md).
"""

import copy
import json
import os
import subprocess
import sys
import traceback
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mrv_engine import InputError, MrvError, to_json
from mrv_engine.core.base.findings import CODES
from mrv_engine.core.calc.compose import compose
from mrv_engine.core.rules.ruleset import parse_ruleset

ROOT = Path(__file__).resolve().parents[2]


def _examples(default: int) -> settings:
    """``default`` examples (times MRV_FUZZ_EXAMPLES, which also turns on fresh random draws)."""
    try:
        factor = max(1, int(os.environ.get("MRV_FUZZ_EXAMPLES", "1")))
    except ValueError:
        factor = 1
    return settings(max_examples=default * factor, deadline=None, derandomize=factor == 1, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])


PAIRS = [("general", 2022), ("general", 2014), ("power", 2020), ("power", 2022), ("cement", 2022), ("cement", 2024),
         ("glass", 2022), ("steel", 2022), ("aluminium", 2022), ("paper", 2022), ("refining", 2022)]
EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.json"))


@cache
def _engine():
    from mrv_engine import Engine

    return Engine()


@cache
def _form(sector: str, year: int) -> dict:
    return _engine().form(sector, year)


@cache
def _example(name: str) -> dict:
    return json.loads((ROOT / "examples" / name).read_text(encoding="utf-8"), parse_float=str)


# -- values -------------------------------------------------------------------------------

HOSTILE_NUMBERS = ["1e400", "-1e400", "1e-400", "0e-400", "1" * 56, "9" * 5000, "-0", "-0.000", "0.00000000000000001",
                   "１２３", "٣", "1_000", "1/3", "1/0", "NaN", "-Infinity", "1e15", "999999999999999", "0.1e1", " 7 ",
                   "", ".", "-", "+5", "1e", "0x10", "12,5", "12.5%", "∞"]
UNITS = ["t", "kg", "g", "10^4 Nm3", "Nm3", "GJ", "MJ", "kJ/kg", "kcal/kg", "TJ", "%", "1", "MWh", "kWh", "tCO2/GJ",
         "kgCO2/TJ", "tC/GJ", "furlong", "", "t/t", "tCO2", "°C", "t**2", "1/0", "%%", "K", "kg/m3"]

numbers_text = st.one_of(
    st.decimals(min_value=-10**7, max_value=10**7, allow_nan=False, allow_infinity=False, places=4).map(str),
    st.integers(min_value=0, max_value=10**9).map(str),
    st.sampled_from(HOSTILE_NUMBERS),
)
junk = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
    st.text(max_size=12), st.lists(st.text(max_size=3), max_size=2), st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
    st.sampled_from(HOSTILE_NUMBERS),
)
value_objects = st.fixed_dictionaries({"value": numbers_text}, optional={
    "unit": st.sampled_from(UNITS), "source": st.sampled_from(["input", "measured", "supplier", "oracle"]),
    "frequency": st.sampled_from(["monthly", "yearly", "hourly", "daily"]), "calorie": st.sampled_from(["4.1868", "4.1816", "5"]),
    "basis": st.text(max_size=5), "note": st.text(max_size=5), "bogus": st.integers()})


def _field_value(schema: dict, defs: dict):
    if "$ref" in schema:
        schema = {**defs.get(schema["$ref"].rsplit("/", 1)[-1], {}), **{k: v for k, v in schema.items() if k != "$ref"}}
    if "enum" in schema:
        return st.one_of(st.sampled_from(schema["enum"]), st.sampled_from(schema["enum"]), junk)
    if "anyOf" in schema:  # a number: a decimal text, or a value object, sometimes wrong
        return st.one_of(numbers_text, numbers_text, value_objects, junk)
    if schema.get("type") == "integer":
        return st.one_of(st.integers(min_value=1, max_value=12).map(str), junk)
    return st.one_of(st.text(max_size=8), st.sampled_from(["A", "B", "1号机组"]), junk)


@st.composite
def from_form(draw):
    """A submission built from a composed form: pages, rows, fields of the right kinds (mostly)."""
    sector, year = draw(st.sampled_from(PAIRS))
    form = _form(sector, year)
    pages_schema, defs = form["properties"]["pages"]["properties"], form.get("$defs", {})
    pages = {}
    for pid in draw(st.lists(st.sampled_from(sorted(pages_schema)), unique=True, max_size=3)):
        props = pages_schema[pid].get("items", {}).get("properties", {})
        rows = []
        for _ in range(draw(st.integers(0, 3))):
            chosen = draw(st.lists(st.sampled_from(sorted(props)), unique=True, max_size=len(props))) if props else []
            rows.append({fid: draw(_field_value(props[fid], defs)) for fid in chosen})
        pages[pid] = rows
    return {"sector": sector, "year": year, "enterprise": {"name": draw(st.text(max_size=6))}, "pages": pages}


def _paths(node, path=()):
    """Every (path, value) in a JSON-like tree."""
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, path + (i,))


def _set(tree, path, value):
    for part in path[:-1]:
        tree = tree[part]
    tree[path[-1]] = value


@st.composite
def mutated(draw, base):
    """``base`` with 0-3 mutations at random places: a value replaced, a key removed or added, a unit changed."""
    sub = copy.deepcopy(draw(base))
    for _ in range(draw(st.integers(0, 3))):
        places = list(_paths(sub))
        path, node = draw(st.sampled_from(places))
        kind = draw(st.sampled_from(["replace", "replace", "number", "remove", "add", "unit", "envelope"]))
        if kind == "envelope":
            key = draw(st.sampled_from(["sector", "year", "pages", "parameters", "calorie", "ruleset"]))
            sub[key] = draw(st.one_of(junk, st.sampled_from(["general", "power", 2022, "2022", 1900, {}, []]),
                                      st.dictionaries(st.sampled_from(["grid_ef", "heat_ef", "zz"]), value_objects, max_size=2)))
        elif not path:
            continue
        elif kind in ("replace", "number"):
            _set(sub, path, draw(junk if kind == "replace" else st.one_of(numbers_text, value_objects)))
        elif kind == "remove":
            parent = sub
            for part in path[:-1]:
                parent = parent[part]
            del parent[path[-1]]
        elif kind == "add" and isinstance(node, dict):
            node[draw(st.text(min_size=1, max_size=6))] = draw(junk)
        elif kind == "unit" and isinstance(node, dict) and "value" in node:
            node["unit"] = draw(st.sampled_from(UNITS))
    return sub


submissions = st.one_of(
    mutated(st.sampled_from(EXAMPLES).map(lambda n: _example(n))),
    mutated(from_form()),
)


# -- the properties -------------------------------------------------------------------------

def _check_refusal(exc: MrvError) -> None:
    findings = exc.all_findings() if isinstance(exc, InputError) else []
    if isinstance(exc, InputError):
        assert findings, "an InputError lists its findings"
    for f in findings:
        assert f.code in CODES or f.origin != "host", f"undocumented code {f.code!r} at {f.place}"
        assert f.place and f.message, f
    assert exc.code in CODES, exc.code


def _outputs(sub) -> tuple[str, ...] | MrvError:
    engine = _engine()
    try:
        result = engine.calculate(sub)
    except MrvError as exc:
        return exc
    for f in result.findings:  # the engine's codes are documented; a plugin's are its own
        assert f.code in CODES or f.origin != "host", f.code
    return (engine.render(result, "json"), engine.explain(result, "zh"), engine.explain(result, "en"),
            engine.render(result, "table", "en"), engine.render(result, "markdown", "zh"))


@_examples(300)
@given(submissions)
def test_no_exception_escapes_the_api_and_every_refusal_has_a_code(sub):
    got = _outputs(sub)
    if isinstance(got, MrvError):
        _check_refusal(got)
        return
    json.loads(got[0])


@_examples(100)
@given(submissions)
def test_validate_and_verify_never_raise_anything_else(sub):
    engine = _engine()
    for f in engine.validate(sub):
        assert f.code in CODES or f.origin != "host"
    try:
        report = engine.verify(sub)
    except MrvError as exc:
        _check_refusal(exc)
    else:
        to_json(report.to_dict())


@_examples(100)
@given(submissions)
def test_the_same_input_gives_byte_identical_output(sub):
    first, second = _outputs(copy.deepcopy(sub)), _outputs(copy.deepcopy(sub))
    if isinstance(first, MrvError):
        assert type(first) is type(second) and str(first) == str(second)
        assert [f.as_dict() for f in getattr(first, "findings", [])] == [f.as_dict() for f in getattr(second, "findings", [])]
    else:
        assert first == second


@pytest.fixture
def cli_with_shared_engine(monkeypatch):
    """The ``mrv`` command, its engine shared between runs (loading plugins is not under test here)."""
    from mrv_engine.cli import shared
    from mrv_engine.cli.main import cli

    monkeypatch.setattr(shared, "new_engine", _engine)
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args])
    return invoke


@_examples(150)
@given(sub=submissions, command=st.sampled_from(["calc", "explain", "verify", "validate"]), as_yaml=st.booleans())
def test_the_cli_never_prints_a_traceback_and_never_half_writes(cli_with_shared_engine, tmp_path_factory, sub, command, as_yaml):
    folder = tmp_path_factory.mktemp("cli")
    source = folder / ("s.yaml" if as_yaml else "s.json")
    # YAML is a superset of JSON: the same document, read by the YAML reader
    source.write_text(json.dumps(sub, ensure_ascii=False), encoding="utf-8")
    out = folder / "out.txt"
    out.write_text("previous output", encoding="utf-8")
    args = [command, source] + ([] if command == "validate" else ["--format", "json", "-o", out])
    result = cli_with_shared_engine(*args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        pytest.fail("".join(traceback.format_exception(result.exception)))
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    text = out.read_text(encoding="utf-8")
    if text != "previous output":  # written: whole, and valid JSON
        json.loads(text)
    elif command in ("calc", "explain"):
        assert result.exit_code == 1  # nothing written only when refused
    assert sorted(p.name for p in folder.iterdir()) == sorted([source.name, "out.txt"])  # no temporary left


#: Run in a fresh interpreter: several commands over the bundled examples, on one engine.
_SEED_SCRIPT = """
import sys
from click.testing import CliRunner
from mrv_engine.cli import shared
from mrv_engine.cli.main import cli

engine = shared.new_engine()
shared.new_engine = lambda: engine
out = []
for name in sys.argv[1:]:
    for args in (["calc", "--format", "json"], ["explain", "--lang", "en"], ["verify", "--format", "json"],
                 ["calc", "--format", "markdown", "--lang", "zh"]):
        result = CliRunner().invoke(cli, [args[0], name, *args[1:]])
        out.append(f"{result.exit_code}\\n{result.output}")
sys.stdout.write("\\x00".join(out))
"""


def test_output_is_identical_across_hash_seeds():
    """Two fresh processes with other PYTHONHASHSEEDs give byte-identical reports, traces and verifications."""
    names = [str(ROOT / "examples" / n) for n in ("power-plant-2022.json", "verify-defects.json", "cement-two-kilns-2022.json")]
    outputs = []
    for seed in ("0", "4242"):
        proc = subprocess.run([sys.executable, "-c", _SEED_SCRIPT, *names], capture_output=True,
                              env=dict(os.environ, PYTHONHASHSEED=seed), timeout=600, check=False)
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
        outputs.append(proc.stdout)
    assert outputs[0].count(b"\x00") == 11 and b"Traceback" not in outputs[0]
    assert outputs[0] == outputs[1]


# -- rulesets mutated from the bundled ones --------------------------------------------------

RULESET_FILES = ["paper/paper-2015.yaml", "aluminium/aluminium-2024.yaml", "cement/cement-2024.yaml"]
EXPRS = ["__import__('os')", "().__class__.__bases__[0].__subclasses__()", "x" * 500, "1/0", "(" * 200 + "1" + ")" * 200,
         "consumption ** 99999", "sum(sum)", "lambda: 1", "[1, 2]", "'a' * 10**9", "1e400", "9" * 5000, "a if b else",
         "open('/etc/passwd')", "globals()", "min()", ""]


@cache
def _ruleset_text(name: str) -> str:
    return (ROOT / "rulesets" / name).read_text(encoding="utf-8")


@cache
def _general():
    return _engine().ruleset("general-2015")


@st.composite
def mutated_rulesets(draw):
    """A bundled ruleset's text with 1-3 line-level mutations: a line dropped, duplicated, or its value replaced."""
    name = draw(st.sampled_from(RULESET_FILES))
    lines = _ruleset_text(name).splitlines()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["drop", "dup", "value", "value", "expr", "alias", "indent"]))
        line = lines[i]
        if kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, line)
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(0, 9)) + line.lstrip()
        elif kind == "alias":
            lines[i] = line.split(":", 1)[0] + ": &loop [*loop]" if ":" in line else "x: *nowhere"
        elif ":" in line:
            key = line.split(":", 1)[0]
            if kind == "expr":
                value = json.dumps(draw(st.sampled_from(EXPRS)))
            else:
                value = draw(st.one_of(st.sampled_from(HOSTILE_NUMBERS).map(json.dumps), st.sampled_from(HOSTILE_NUMBERS),
                                       st.sampled_from(UNITS).map(json.dumps), st.text(max_size=8).map(json.dumps),
                                       st.sampled_from(["null", "[]", "{}", "true", "-1", "2013", "9999"])))
            lines[i] = f"{key}: {value}"
    return name, "\n".join(lines) + "\n"


@_examples(40)
@given(mutated_rulesets())
def test_a_mutated_ruleset_loads_or_is_refused_with_a_code(case):
    name, text = case
    try:
        rs = parse_ruleset(text, f"rulesets/{name}")
        sector_pages = [p for p in rs.pages if p.get("role") != "energy"]
        compose(_general(), rs, sector_pages)
    except MrvError as exc:
        assert exc.code in CODES, (exc.code, str(exc))
        assert exc.where is None or exc.where.startswith(f"rulesets/{name}"), exc.where


def test_the_campaign_reaches_both_outcomes():
    """The generators are not all refusals: some mutated examples still calculate."""
    ok = refused = 0
    for name in EXAMPLES:
        got = _outputs(_example(name))
        ok += not isinstance(got, MrvError)
        refused += isinstance(got, MrvError)
    assert ok >= len(EXAMPLES) - 2
    bad = _outputs({**_example("hubei-coke.json"), "year": "twenty"})
    assert isinstance(bad, MrvError)
    assert Decimal(json.loads(_outputs(_example("hubei-coke.json"))[0])["totals"]["total_co2e"]) > 0
