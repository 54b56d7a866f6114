"""What mrv batch stores of each report is what the engine's public API gives for it, figure by figure.

The batch builds its rows through a fast path (``Engine.figure_table``: tuples built once, labels sent once,
one executemany per chunk); these tests hold it to the reference path that does not share that code: the
``Engine.figures`` dicts, ``Engine.report`` and the verification's findings, computed here in this process.
"""

import sqlite3
from decimal import Decimal

import pytest
from mrv_engine import load_document
from mrv_engine.batch import run


def _expected(engine, path, verify: bool):
    """(figures dicts, report dict, findings) of one document by the engine's public API."""
    data, name = load_document(path)
    if verify:
        v = engine.verify(data, source_name=name)
        return engine.figures(v), engine.report(v.result, pages=False), list(v.findings)
    result = engine.calculate(data, source_name=name)
    return engine.figures(result), engine.report(result, pages=False), list(result.findings)


@pytest.mark.parametrize("verify, jobs", [(True, 2), (False, 1)])
def test_stored_rows_are_the_engines_figures(corpus, examples_dir, tmp_path, engine, verify, jobs):
    folder = corpus(broken=False)
    out = tmp_path / "content.sqlite"
    summary = run([str(folder)], str(out), jobs=jobs, verify=verify)
    assert summary.by_status["failed"] == 0
    db = sqlite3.connect(out)
    docs = db.execute("SELECT id, path, status, sector, total_co2e, defaults_used, unverified_used, errors, must_correct, "
                      "warnings, observations FROM documents ORDER BY path").fetchall()
    assert len(docs) == len(list(examples_dir.glob("*.json")))
    labels = {(s, p, n): (zh, en) for s, p, n, zh, en in db.execute("SELECT * FROM labels")}
    checked, by_key = 0, {}
    for doc_id, path, status, sector, total, defaults, unverified, *counts in docs:
        if status != "ok":
            continue
        figures, report, findings = _expected(engine, path, verify)
        stored = db.execute("SELECT place, page, row, name, kind, value, value_real, unit, decimals, source, emission "
                            "FROM figures WHERE document_id = ? ORDER BY place", (doc_id,)).fetchall()
        want = sorted((f["place"], f["kind"], format(f["value"], "f"), f["unit"], f["decimals"], f["source"], int(f["emission"]))
                      for f in figures)
        assert [(p, k, v, u, d, s, e) for p, _pg, _r, _n, k, v, _vr, u, d, s, e in stored] == want, path
        for place, page, row, name, _k, value, real, *_ in stored:
            # page, row and name are the parts of the place (the JSON path a reported figure uses)
            if place.startswith("$.totals."):
                assert (page, row, place) == (None, None, f"$.totals.{name}")
            elif row is not None:
                assert place == f"$.pages.{page}[{row}].{name}"
            else:
                assert place.startswith(f"$.pages.{page}.summary") and place.endswith(f".{name}")
            assert real == float(Decimal(value))
        # every figure's label is stored once per sector, page and name, as the engine labels it (in one of the
        # reports: a rule version may word a label differently; the first one stored stays)
        for f, (place, page, _r, name, *_rest) in zip(sorted(figures, key=lambda f: f["place"]), stored):
            by_key.setdefault((sector, page or "", name), []).append((f["label"]["zh"], f["label"]["en"]))
        assert total == report["totals"]["total_co2e"]
        assert defaults == sum(1 for f in figures if f["source"] == "default")
        assert sorted(db.execute("SELECT dimension, key, co2e, mass, share_percent FROM totals WHERE document_id = ?",
                                 (doc_id,)).fetchall()) == sorted(
            [("category", k, t["co2e"], None, t["share_percent"]) for k, t in report["totals"]["by_category"].items()]
            + [("gas", k, t["co2e"], t["mass"], None) for k, t in report["totals"]["by_gas"].items()])
        assert db.execute("SELECT code, severity, place, message, message_zh, origin, citation FROM findings "
                          "WHERE document_id = ? ORDER BY seq", (doc_id,)).fetchall() == \
            [(f.code, f.severity, f.place, f.message, f.message_zh or "", f.origin, f.citation or "") for f in findings]
        severities = [f.severity for f in findings]
        assert counts == [severities.count(s) for s in ("error", "must_correct", "warning", "observation")]
        checked += 1
    assert checked >= 10  # the bundled examples of every sector
    assert all(labels[key] in got for key, got in by_key.items())


def test_figure_table_is_the_figures_as_rows(engine, examples_dir):
    """Engine.figure_table gives the figures of Engine.figures, and each label once per (page, name)."""
    data, name = load_document(examples_dir / "power-plant-2022.json")
    v = engine.verify(data, source_name=name)
    seen = set()
    rows, labels = engine.figure_table(v, seen)
    dicts = engine.figures(v)
    assert [r[0] for r in rows] == [f["place"] for f in dicts]
    assert len(labels) == len({(r[1] or "", r[3]) for r in rows}) == len(seen)
    # a second report of the same rules sends no label again
    assert engine.figure_table(v, seen)[1] == []
    calc_rows, _ = engine.figure_table(engine.calculate(data))
    assert calc_rows == rows
