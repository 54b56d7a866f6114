"""Issue 17, item 4: a submission envelope found valid is remembered, so a fresh process need not import
jsonschema to check it again; an invalid one is never remembered, another envelope (a value of another
type included) is checked, and a cache that cannot be written is not an error."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from mrv_engine.core.rules import cache as C

SCHEMA = "submission.schema.json"
ENVELOPE = {"sector": "power", "year": 2022, "enterprise": {"name": "示例"}, "pages": {"fuel": []}}


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    monkeypatch.delenv("MRV_NO_CACHE", raising=False)
    monkeypatch.setenv("MRV_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setattr(C, "validator_loaded", lambda: False)  # as in a fresh process
    return tmp_path / "c" / "envelopes"


class Checker:
    """Stands in for the schema check: counts its calls, answers ``errors``."""

    def __init__(self, errors=()):
        self.calls, self.errors = 0, list(errors)

    def __call__(self, data):
        self.calls += 1
        return self.errors


def test_a_valid_envelope_is_checked_once(folder):
    check = Checker()
    assert C.validated(SCHEMA, dict(ENVELOPE), check) == [] and check.calls == 1
    assert C.validated(SCHEMA, dict(ENVELOPE), check) == [] and check.calls == 1
    assert len((folder / "valid.txt").read_text().split()) == 1


def test_an_invalid_envelope_is_never_remembered(folder):
    check = Checker([("$.year", "is not of type 'integer'")])
    for _ in range(2):
        assert C.validated(SCHEMA, dict(ENVELOPE), check) == check.errors
    assert check.calls == 2 and not (folder / "valid.txt").exists()


@pytest.mark.parametrize("change", [{"year": "2022"}, {"year": Decimal("2022")}, {"year": True}, {"sector": "cement"},
                                    {"enterprise": {"name": "示例", "province": "湖北"}}])
def test_another_envelope_is_checked(folder, change):
    check = Checker()
    C.validated(SCHEMA, dict(ENVELOPE), check)
    C.validated(SCHEMA, {**ENVELOPE, **change}, check)
    assert check.calls == 2


def test_only_plain_documents_are_remembered(folder):
    class Odd:
        def __repr__(self):
            return "2022"

    check = Checker()
    for _ in range(2):
        C.validated(SCHEMA, {**ENVELOPE, "year": Odd()}, check)
    assert check.calls == 2


def test_the_list_is_bounded_and_a_corrupt_one_is_ignored(folder, monkeypatch):
    monkeypatch.setattr(C, "MAX_REMEMBERED", 3)
    check = Checker()
    for year in range(2010, 2015):
        C.validated(SCHEMA, {**ENVELOPE, "year": year}, check)
    assert len((folder / "valid.txt").read_text().split()) == 3
    (folder / "valid.txt").write_bytes(b"\xff\xfe not ascii")
    C.validated(SCHEMA, {**ENVELOPE, "year": 2014}, check)
    assert check.calls == 6


def test_a_cache_that_cannot_be_written_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.delenv("MRV_NO_CACHE", raising=False)
    monkeypatch.setenv("MRV_CACHE_DIR", str(blocker))
    monkeypatch.setattr(C, "validator_loaded", lambda: False)
    check = Checker()
    assert C.validated(SCHEMA, dict(ENVELOPE), check) == [] and C.validated(SCHEMA, dict(ENVELOPE), check) == []
    assert check.calls == 2


def test_the_engine_still_refuses_an_invalid_envelope_after_a_valid_one(folder, repo_root):
    from mrv_engine import Engine

    sub = json.loads((repo_root / "examples" / "power-plant-2022.json").read_text(encoding="utf-8"))
    engine = Engine()
    assert engine.check_envelope(sub) == []
    bad = {**sub, "year": "2022"}
    assert [f.place for f in engine.check_envelope(bad)] == ["$.year"]
    assert engine.check_envelope(sub) == []


def test_a_warm_calculation_in_a_fresh_process_imports_no_jsonschema(tmp_path, repo_root, monkeypatch):
    monkeypatch.delenv("MRV_NO_CACHE", raising=False)
    monkeypatch.setenv("MRV_CACHE_DIR", str(tmp_path / "c"))
    code = ("import sys; from mrv_engine.cli.main import cli; "
            f"sys.argv = ['mrv', 'calc', {str(repo_root / 'examples' / 'power-plant-2022.json')!r}]\n"
            "try:\n    cli(prog_name='mrv')\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print(sorted(m for m in ('jsonschema', 'pint', 'ruamel') if m in sys.modules), file=sys.stderr)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stderr.strip().splitlines()[-1]
            for _ in range(2)]
    assert runs[1] == "[]", runs
