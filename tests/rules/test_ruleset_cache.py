"""Issue 17, item 4: the disk cache of loaded rulesets is used, safe against a stale or corrupt entry,
and a cache that cannot be written is not an error."""

from __future__ import annotations

import pytest
from mrv_engine.core.rules import cache as C
from mrv_engine.core.rules.ruleset import parse_ruleset

PATH = "rulesets/general/general-2015.yaml"


@pytest.fixture()
def text(repo_root):
    return (repo_root / PATH).read_text(encoding="utf-8")


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    monkeypatch.delenv("MRV_NO_CACHE", raising=False)
    monkeypatch.setenv("MRV_CACHE_DIR", str(tmp_path / "c"))
    return tmp_path / "c" / "rulesets"


def _same(a, b):
    return (a.id, a.digest, a.path, sorted(a.parameters), a.figures()) == (b.id, b.digest, b.path, sorted(b.parameters), b.figures())


def test_an_entry_is_written_then_read_instead_of_parsing(text, folder, monkeypatch):
    first = C.load_ruleset(text, PATH)
    entries = list(folder.glob("*.pickle"))
    assert len(entries) == 1 and _same(first, parse_ruleset(text, PATH))

    def no_parse(*_a):
        raise AssertionError("parsed again although the cache holds it")

    monkeypatch.setattr(C, "parse_ruleset", no_parse)
    assert _same(C.load_ruleset(text, PATH), first)


def test_a_corrupt_or_truncated_entry_is_parsed_again_and_rewritten(text, folder):
    C.load_ruleset(text, PATH)
    (entry,) = folder.glob("*.pickle")
    for garbage in (b"not a pickle", entry.read_bytes()[:100], b""):
        entry.write_bytes(garbage)
        got = C.load_ruleset(text, PATH)
        assert _same(got, parse_ruleset(text, PATH))
        assert entry.read_bytes() not in (garbage,)  # rewritten whole


def test_an_edited_ruleset_never_meets_its_old_entry(text, folder):
    old = C.load_ruleset(text, PATH)
    edited = text.replace('date: "2006"', 'date: "2006-04"', 1)
    assert edited != text
    new = C.load_ruleset(edited, PATH)
    assert new.digest != old.digest and new.sources["ipcc-2006"]["date"] == "2006-04"
    assert len(list(folder.glob("*.pickle"))) == 2
    # the same text under another path is another entry too (findings name the path)
    assert C.load_ruleset(text, "elsewhere/general-2015.yaml").path == "elsewhere/general-2015.yaml"


def test_an_entry_whose_content_does_not_match_its_key_is_ignored(text, folder, repo_root):
    C.load_ruleset(text, PATH)
    (entry,) = folder.glob("*.pickle")
    # plant another ruleset's pickle under this key: its digest differs, so it is not used
    other_path = "rulesets/cement/cement-2013.yaml"
    other = C.load_ruleset((repo_root / other_path).read_text(encoding="utf-8"), other_path)
    planted = next(f for f in folder.glob("*.pickle") if f != entry)
    entry.write_bytes(planted.read_bytes())
    assert C.load_ruleset(text, PATH).id == "general-2015" != other.id


def test_a_cache_that_cannot_be_written_is_not_an_error(text, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.delenv("MRV_NO_CACHE", raising=False)
    monkeypatch.setenv("MRV_CACHE_DIR", str(blocker))  # rulesets/ cannot be made under a file
    assert C.load_ruleset(text, PATH).id == "general-2015"


def test_no_cache_turns_it_off(text, tmp_path, monkeypatch):
    monkeypatch.setenv("MRV_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("MRV_NO_CACHE", "1")
    assert C.cache_dir() is None
    assert C.load_ruleset(text, PATH).id == "general-2015"
    assert not (tmp_path / "c").exists()


# -- allocation plans: their YAML with line numbers, validated, kept the same way ---------------------

PLAN = "allocation/plans/power-2021-2022.yaml"


def test_a_plan_is_read_from_the_cache_the_second_time_and_refused_afresh_when_invalid(repo_root, folder, monkeypatch):
    from mrv_engine.core.base.errors import RulesetError
    from mrv_engine.core.compliance.plans import parse_plan

    text = (repo_root / PLAN).read_text(encoding="utf-8")
    first = parse_plan(text, PLAN)
    (entry,) = (folder.parent / "documents").glob("*.pickle")

    def no_parse(*_a):
        raise AssertionError("parsed again although the cache holds it")

    monkeypatch.setattr(C, "load_validated", no_parse)
    again = parse_plan(text, PLAN)
    assert (again.id, again.digest, again.data, again.lines) == (first.id, first.digest, first.data, first.lines)
    # a place in it still names the file and line (the locator is rebuilt from the cached lines)
    assert C.load_validated_cached(text, PLAN, "allocation-plan.schema.json", RulesetError, "a plan")[2](("years",)).startswith(PLAN + ":")
    monkeypatch.undo()
    # a corrupt entry is parsed again; an invalid plan is refused and never cached
    entry.write_bytes(b"not a pickle")
    assert parse_plan(text, PLAN).data == first.data
    with pytest.raises(RulesetError):
        parse_plan(text.replace("years:", "yeers:", 1), PLAN)
    assert len(list((folder.parent / "documents").glob("*.pickle"))) == 1
