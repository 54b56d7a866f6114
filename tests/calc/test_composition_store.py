"""Issue 17, item 4: compiled compositions (and unit factors) are kept on disk, so a fresh process
calculates without checking or compiling a formula, or importing pint; an entry made under other
rules, pages or code never matches, a corrupt one is made again, and a cache that cannot be written
is not an error."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from mrv_engine.core.calc import store
from mrv_engine.core.formula import units as U

EXAMPLE = "examples/power-plant-2022.json"


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.delenv("MRV_NO_CACHE", raising=False)
    monkeypatch.setenv("MRV_CACHE_DIR", str(tmp_path / "c"))
    return tmp_path / "c" / "compositions"


@pytest.fixture()
def submission(repo_root):
    return json.loads((repo_root / EXAMPLE).read_text(encoding="utf-8"))


def _engine():
    from mrv_engine import Engine

    return Engine()


def _figures(engine, submission):
    return engine.report(engine.calculate(submission))


def _no_compose(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("composed although the disk cache holds the composition")

    monkeypatch.setattr(store, "compose", refuse)


def test_a_fresh_engine_calculates_from_the_disk_without_composing(cache, submission, monkeypatch):
    first = _figures(_engine(), submission)
    assert len(list(cache.glob("*.pickle"))) >= 2  # power 2022 is two editions (to March, from April)
    _no_compose(monkeypatch)
    assert _figures(_engine(), submission) == first


def test_a_loaded_composition_shares_the_hosts_rulesets_and_pages(cache, submission):
    _engine().calculate(submission)
    engine = _engine()
    comp = engine.composition("power", 2022)
    rulesets = engine.host.index.by_id
    assert all(rs is rulesets[rs.id] for rs in comp.rulesets)
    for page in comp.pages:
        assert page.ruleset is rulesets[page.ruleset.id]
        assert page.raw is next(p for p in page.ruleset.pages if p["id"] == page.id)
    param, owner = next(iter(comp.parameters.values()))
    assert param is owner.parameters[param.name]
    # the compiled formulas work: the same figure as a composition made now
    f = next(p for p in comp.pages if p.formulas).formulas[0].cases[0].expr
    assert all(callable(c.func) for c in f.values())


def test_a_corrupt_or_truncated_entry_is_composed_again_and_rewritten(cache, submission):
    first = _figures(_engine(), submission)
    entries = sorted(cache.glob("*.pickle"))
    for garbage in (b"not a pickle", entries[0].read_bytes()[:200], b""):
        for e in entries:
            e.write_bytes(garbage)
        engine = _engine()
        assert _figures(engine, submission) == first
        used = [cache / f"{engine._inputs[k][2]}.pickle" for k in engine._compositions]
        assert len(used) >= 2 and all(e.read_bytes() != garbage for e in used)  # rewritten whole


def test_an_entry_of_other_rulesets_is_never_used(cache, submission, monkeypatch):
    first = _figures(_engine(), submission)
    entries = sorted(cache.glob("*.pickle"))
    # every entry replaced by another composition's: it names other rulesets, so none matches
    for e in entries:
        e.write_bytes(entries[-1].read_bytes() if e != entries[-1] else entries[0].read_bytes())
    assert _figures(_engine(), submission) == first


def test_the_key_holds_the_rules_the_plugins_pages_and_the_code(cache):
    engine = _engine()
    comp = engine.composition("power", 2022)
    general, own = comp.general, comp.ruleset
    pages = list(own.pages)
    k = store.key(general, own, pages)
    assert k == store.key(general, own, list(pages))
    edited = [dict(pages[0], title={"zh": "改", "en": "edited"}), *pages[1:]]
    assert store.key(general, own, edited) != k  # a plugin giving other pages
    other = next(rs for rs in engine.rulesets("power") if rs is not own)
    assert store.key(general, other, pages) != k  # another edition
    assert store.key(general, None, None) != k
    monkeypatch = pytest.MonkeyPatch()
    try:  # another engine or Python, or an edited source file, is another fingerprint
        monkeypatch.setattr(store, "_fingerprint", lambda: "another engine")
        assert store.key(general, own, pages) != k
    finally:
        monkeypatch.undo()


def test_a_cache_that_cannot_be_written_is_not_an_error(tmp_path, monkeypatch, submission):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.delenv("MRV_NO_CACHE", raising=False)
    monkeypatch.setenv("MRV_CACHE_DIR", str(blocker))
    monkeypatch.setattr(U, "_DISK", {})
    assert _figures(_engine(), submission)["totals"]


def test_no_cache_composes_every_time(tmp_path, monkeypatch, submission):
    monkeypatch.setenv("MRV_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("MRV_NO_CACHE", "1")
    _engine().calculate(submission)
    assert not (tmp_path / "c").exists()


def test_a_broken_formula_still_marks_its_sector_broken(cache, tmp_path, write_sector, ruleset_text, engine_with):
    good = write_sector(tmp_path, files={"demo.yaml": ruleset_text(sector="demo", id="demo-2020")})
    assert engine_with(("demo", good)).host.sector("demo").status == "ok"
    # the same file edited: its entry on disk is for the old text, so the new one is composed and refused
    bad = write_sector(tmp_path, files={"demo.yaml": ruleset_text(sector="demo", id="demo-2020", expr="qty * nope")})
    engine = engine_with(("demo", bad))
    assert [s["status"] for s in engine.sectors() if s["id"] == "demo"] == ["broken"]


def test_a_unit_factor_is_computed_by_pint_once_then_read_from_disk(cache, monkeypatch):
    monkeypatch.setattr(U, "_DISK", {})
    U.factor.cache_clear()
    assert U.factor("kg", "t") == Decimal("0.001")
    assert U.factor("GJ/10^4 Nm3", "MJ/Nm3") == Decimal("0.1")

    def no_pint(*_a):
        raise AssertionError("asked pint again although the disk holds the factor")

    monkeypatch.setattr(U, "_DISK", {})  # a fresh process
    U.factor.cache_clear()
    monkeypatch.setattr(U, "_pint_factor", no_pint)
    assert U.factor("kg", "t") == Decimal("0.001") and U.factor("GJ/10^4 Nm3", "MJ/Nm3") == Decimal("0.1")
    U.factor.cache_clear()


def test_a_corrupt_factor_table_is_ignored(cache, monkeypatch):
    monkeypatch.setattr(U, "_DISK", {})
    U.factor.cache_clear()
    U.factor("kg", "t")
    (entry,) = (cache.parent / "units").glob("*.pickle")
    entry.write_bytes(b"garbage")
    monkeypatch.setattr(U, "_DISK", {})
    U.factor.cache_clear()
    assert U.factor("kg", "t") == Decimal("0.001")
    U.factor.cache_clear()


def test_a_warm_calculation_in_a_fresh_process_imports_no_pint(cache, repo_root):
    code = ("import sys; from click.testing import CliRunner; from mrv_engine.cli.main import cli; "
            f"r = CliRunner().invoke(cli, ['calc', {str(repo_root / EXAMPLE)!r}]); assert r.exit_code == 0, r.output; "
            "print('pint' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
            for _ in range(2)]
    assert runs == ["True", "False"]  # the first run fills the cache, the second needs no pint


def test_clearing_the_cache_removes_every_kind_of_entry(cache, submission, monkeypatch):
    from mrv_engine.core.rules import cache as C

    monkeypatch.setattr(U, "_DISK", {})
    U.factor.cache_clear()
    _engine().calculate(submission)
    U.factor("kg", "t")  # a factor of its own (the calculation's conversions may be held in memory already)
    root = cache.parent
    kinds = {k: len(list((root / k).glob("*.pickle"))) for k in ("rulesets", "compositions", "units")}
    assert all(kinds.values()), kinds
    assert C.clear() == sum(kinds.values())
    assert not list(root.rglob("*.pickle"))
    U.factor.cache_clear()


def test_every_example_calculates_the_same_from_the_disk(cache, repo_root, monkeypatch):
    # A ruleset without tables once mapped a freed placeholder's id to another object (paper-2022).
    docs = [json.loads(f.read_text(encoding="utf-8")) for f in sorted((repo_root / "examples").glob("*.json"))]
    made = [_figures(_engine(), d) for d in docs]  # composed now, written to the disk
    _no_compose(monkeypatch)
    assert [_figures(_engine(), d) for d in docs] == made
