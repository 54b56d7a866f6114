"""Issue 19, item 1: every document is read through bounded readers; every refusal is a finding
with a code and a place, never a traceback and never a wait."""

import json
import os
import threading
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mrv_engine import (
    LIMITS,
    InputError,
    OutputError,
    load_document,
    parse_document,
    write_atomic,
)
from mrv_engine.core.base import documents as D
from mrv_engine.core.base.findings import CODES


def _refused(fn, *args):
    with pytest.raises(InputError) as exc:
        fn(*args)
    finding = exc.value.all_findings()[0]
    assert finding.code in CODES, finding.code
    assert finding.message and finding.message_zh, "a refusal says why, in English and Chinese"
    return exc.value, finding


def test_the_limits_are_one_named_table():
    assert set(LIMITS) == {"MAX_DOCUMENT_BYTES", "MAX_YAML_BYTES", "MAX_ENTRIES", "MAX_YAML_NODES", "MAX_ALIASES",
                           "MAX_DEPTH", "MAX_NUMBER_CHARS", "MAX_SIGNIFICANT_DIGITS", "MAX_EXPONENT", "MIN_EXPONENT"}
    assert LIMITS["MAX_DOCUMENT_BYTES"] < 50 * 2**20 and LIMITS["MAX_YAML_BYTES"] < 50 * 2**20


# -- not a regular file: refused at once, never waited on ---------------------------------

def _in_thread(fn, seconds=10):
    """fn() in a thread: its exception, or a failure when it blocks (a FIFO read would)."""
    box = {}

    def run():
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001
            box["exc"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "the reader blocked"
    return box.get("exc")


def test_a_fifo_named_yaml_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    exc = _in_thread(lambda: load_document(fifo))
    assert isinstance(exc, InputError) and exc.code == "not_a_file" and "FIFO" in exc.message
    assert exc.where == str(fifo)


@pytest.mark.parametrize("make, words", [
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: p.symlink_to(p.parent / "gone.json"), "broken symbolic link"),
    (lambda p: None, "file not found"),
])
def test_what_is_not_a_regular_file_is_refused(tmp_path, make, words):
    path = tmp_path / "x.json"
    make(path)
    _exc, f = _refused(load_document, path)
    assert f.code == "not_a_file" and words in f.message and f.place == str(path)


def test_a_file_too_large_is_refused_by_its_size_before_reading(tmp_path):
    path = tmp_path / "x.yaml"
    with open(path, "wb") as handle:
        handle.truncate(50 * 2**20)  # sparse: reading it would take time, its size does not
    _exc, f = _refused(load_document, path)
    assert f.code == "too_large" and "52,428,800 bytes" in f.message


# -- encodings --------------------------------------------------------------------------

def test_utf16_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes('{"sector": "general"}'.encode("utf-16"))
    _exc, f = _refused(load_document, path)
    assert f.code == "encoding" and "UTF-16" in f.message and "save it as UTF-8" in f.message
    assert "UTF-16" in f.message_zh


def test_gbk_is_refused_at_its_line_and_column(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes('{\n  "name": "湖北"\n}'.encode("gbk"))
    _exc, f = _refused(load_document, path)
    assert f.code == "encoding" and f.place == f"{path}:2:12" and "GBK" in f.message


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"a": "1.5"}')
    assert load_document(path)[0] == {"a": "1.5"}


def test_utf16_without_a_mark_is_refused_by_its_nul_bytes():
    _exc, f = _refused(parse_document, '{"a": 1}'.encode("utf-16-le"), "body")
    assert f.code == "encoding" and "NUL" in f.message


# -- shape: depth, entries, YAML nodes and aliases ----------------------------------------

@pytest.mark.parametrize("text", ["[" * 10_000 + "]" * 10_000, "[" * 100 + "]" * 100])
def test_deep_json_is_refused(text):
    _exc, f = _refused(D.load_json_text, text, "x.json")
    assert f.code == "too_large" and "nested" in f.message


@pytest.mark.parametrize("text", ["a: " + "[" * 10_000 + "]" * 10_000, "a: " + "[" * 100 + "]" * 100])
def test_deep_yaml_is_refused_at_its_line(text):
    _exc, f = _refused(D.load_yaml_text, text, "x.yaml")
    assert f.code == "too_large" and f.place == "x.yaml:1" and "nested more than 64" in f.message


def test_as_deep_as_allowed_is_read():
    depth = LIMITS["MAX_DEPTH"] - 1
    assert D.load_json_text("[" * depth + "]" * depth, "x.json")
    assert D.load_yaml_text("a: " + "[" * (depth - 1) + "]" * (depth - 1), "x.yaml")[0]


def test_a_recursive_alias_is_refused():
    _exc, f = _refused(D.load_yaml_text, "a: 1\nb: &x [1, *x]\n", "x.yaml")
    assert f.code == "too_large" and "recursive alias *x" in f.message and f.place == "x.yaml:2"


def test_an_alias_bomb_is_stopped_at_the_node_limit():
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))
    _exc, f = _refused(D.load_yaml_text, text, "x.yaml")
    assert f.code == "too_large" and "aliases are expanded" in f.message


def test_plain_aliases_still_work():
    data, _ = D.load_yaml_text("base: &b {unit: t}\nuse: *b\n", "x.yaml")
    assert data["use"] == {"unit": "t"}


def test_300000_json_keys_are_refused_fast():
    text = json.dumps({f"k{i}": i for i in range(300_000)})
    _exc, f = _refused(D.load_json_text, text, "x.json")
    assert f.code == "too_large" and "100,000 keys" in f.message


def test_300000_yaml_keys_are_refused_by_size():
    text = "".join(f"k{i}: {i}\n" for i in range(300_000))
    _exc, f = _refused(D.load_yaml_text, text, "x.yaml")
    assert f.code == "too_large" and "bytes" in f.message


def test_yaml_nodes_are_counted_while_parsing():
    text = "".join(f"k{i}: {i}\n" for i in range(LIMITS["MAX_YAML_NODES"]))  # under the byte limit
    assert len(text) < LIMITS["MAX_YAML_BYTES"]
    _exc, f = _refused(D.load_yaml_text, text, "x.yaml")
    assert f.code == "too_large" and "nodes" in f.message and f.place.startswith("x.yaml:")


# -- numbers longer than any figure: refused before Python's int() sees them ---------------

def test_a_5000_digit_json_integer_is_refused_at_its_place():
    text = '{"year": 2022,\n "n": ' + "9" * 5000 + "}"
    _exc, f = _refused(D.load_json_text, text, "x.json")
    assert f.code == "number_range" and f.place == "x.json:2:7"


@pytest.mark.parametrize("literal", ["9" * 5000, "9" * 5000 + ".5", "1" + "0" * 70 + "e3"])
def test_a_5000_digit_yaml_number_is_refused_at_its_line(literal):
    _exc, f = _refused(D.load_yaml_text, f"a: 1\nb: {literal}\n", "x.yaml")
    assert f.code == "number_range" and f.place == "x.yaml:2"


def test_yaml_floats_stay_exact_decimals():
    data, _ = D.load_yaml_text("a: 0.1\nb: 12\n", "x.yaml")
    assert data == {"a": Decimal("0.1"), "b": 12}


# -- writing ------------------------------------------------------------------------------

def test_writing_into_a_missing_folder_is_an_output_error(tmp_path):
    target = tmp_path / "no" / "such" / "x.json"
    with pytest.raises(OutputError) as exc:
        write_atomic(target, "{}")
    assert exc.value.exit_code == 2 and exc.value.code == "output" and exc.value.message_zh
    assert not (tmp_path / "no").exists()


def test_writing_over_a_directory_is_an_output_error_and_keeps_it(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "keep").write_text("x")
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "d", "{}")
    assert (tmp_path / "d" / "keep").read_text() == "x"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "x.json"
    target.write_text("old")

    def full_disk(*_a):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(D.os, "fsync", full_disk)
    with pytest.raises(OutputError) as exc:
        write_atomic(target, "new")
    assert "No space left" in exc.value.message
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json"]


# -- any bytes at all ---------------------------------------------------------------------

@given(st.binary(max_size=300), st.sampled_from(["json", "yaml"]))
def test_any_bytes_parse_or_are_refused_with_a_code(data, kind):
    try:
        parse_document(data, f"body.{kind}", kind)
    except InputError as exc:
        for f in exc.all_findings():
            assert f.code in CODES and f.place.startswith("body.")


def test_a_caller_deep_in_its_stack_still_reads_a_ruleset(repo_root):
    """A test runner or host application calling from deep in its stack: the parse gets the frames
    it needs (depth is bounded by MAX_DEPTH, not by where the caller stands), and the limit is restored."""
    import sys

    text = (repo_root / "rulesets" / "general" / "general-2015.yaml").read_text(encoding="utf-8")
    limit = sys.getrecursionlimit()

    def deep(n):
        return D.load_yaml_text(text, "general-2015.yaml") if n == 0 else deep(n - 1)

    here, frame = 0, sys._getframe()
    while frame is not None:
        here, frame = here + 1, frame.f_back
    # 35 frames left: ruamel needs ~50 for this file, so without headroom it read "nested too deeply"
    data, _ = deep(limit - here - 35)
    assert data["id"] == "general-2015"
    assert sys.getrecursionlimit() == limit
