"""mrv batch: the bundled examples and broken files into one database; resume after an interruption."""

import json
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine.batch import Store, run
from mrv_engine.cli.main import cli


def test_examples_and_broken_files_each_become_a_row(corpus, examples_dir, tmp_path, engine, broken_documents):
    BROKEN = broken_documents
    folder = corpus()
    out = tmp_path / "results.sqlite"
    res = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(out), "-j", "2", "--verify", "--lang", "en"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    examples = sorted(examples_dir.glob("*.json"))
    assert f"{len(examples) + len(BROKEN)} documents" in res.output
    db = sqlite3.connect(out)
    status = dict(db.execute("SELECT substr(path, length(?) + 2), status FROM documents", (str(folder),)))
    assert {name: status[name] for name, _, _ in BROKEN} == {name: "refused" for name, _, _ in BROKEN}
    assert all(status[f.name] == "ok" for f in examples)
    for name, _, code in BROKEN:
        codes = [c for (c,) in db.execute("SELECT f.code FROM findings f JOIN documents d ON d.id = f.document_id "
                                          "WHERE d.path LIKE ?", (f"%{name}",))]
        assert codes and (code in codes or f"input.{code}" in codes), (name, codes)
    # the stored figures are the engine's: the power example's total, exactly as mrv calc gives it
    data = json.loads((examples_dir / "power-plant-2022.json").read_text(encoding="utf-8"), parse_float=str)
    total = engine.report(engine.calculate(data))["totals"]["total_co2e"]
    got = db.execute("SELECT d.total_co2e, f.value FROM documents d JOIN figures f ON f.document_id = d.id "
                     "WHERE d.path LIKE '%power-plant-2022.json' AND f.place = '$.totals.total'").fetchone()
    assert got == (total, total)
    # totals by category add up to the total (exact decimals as text)
    from decimal import Decimal
    cats = db.execute("SELECT t.co2e FROM totals t JOIN documents d ON d.id = t.document_id "
                      "WHERE d.path LIKE '%power-plant-2022.json' AND t.dimension = 'category'").fetchall()
    assert sum(Decimal(c) for (c,) in cats) == Decimal(total)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3  # 0001_initial, 0002_benchmarks, 0003_figures_without_name_index
    # the writer keeps no index on figure names (0003): only the primary keys' own
    assert db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'figures' AND sql IS NOT NULL").fetchall() == []
    assert db.execute("SELECT status, documents_seen, documents_done FROM runs").fetchall() == \
        [("done", len(examples) + len(BROKEN), len(examples) + len(BROKEN))]


def test_run_again_skips_what_is_done_and_redoes_what_changed(corpus, tmp_path):
    folder = corpus(broken=False, only="hubei")
    out = tmp_path / "r.sqlite"
    n = len(list(folder.glob("*.json")))  # the bundled examples with "hubei" in their name
    assert n >= 2
    first = run([str(folder)], str(out), jobs=1)
    assert (first.done, first.skipped) == (n, 0)
    again = run([str(folder)], str(out), jobs=1)
    assert (again.done, again.skipped) == (0, n)
    # a changed file is done again, its old rows replaced
    doc = folder / "hubei-coke.json"
    doc.write_text(doc.read_text(encoding="utf-8").replace('"35264"', '"35265"'), encoding="utf-8")
    third = run([str(folder)], str(out), jobs=1)
    assert (third.done, third.skipped) == (1, n - 1)
    # verifying is more than calculating: a calculated-only document is done again with --verify
    fourth = run([str(folder)], str(out), jobs=1, verify=True)
    assert (fourth.done, fourth.skipped) == (n, 0)
    db = sqlite3.connect(out)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == n
    assert db.execute("SELECT count(*) FROM figures WHERE document_id NOT IN (SELECT id FROM documents)").fetchone()[0] == 0
    # no row of any table points to a replaced document (the writer deletes them itself: it does not enforce keys)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    per_doc = db.execute("SELECT count(*) FROM figures f JOIN documents d ON d.id = f.document_id "
                         "WHERE d.path LIKE '%hubei-coke.json'").fetchone()[0]
    assert per_doc == db.execute("SELECT count(DISTINCT place) FROM figures f JOIN documents d ON d.id = f.document_id "
                                 "WHERE d.path LIKE '%hubei-coke.json'").fetchone()[0] > 0


def test_a_glob_and_a_missing_file(corpus, tmp_path):
    folder = corpus(broken=False)
    out = tmp_path / "g.sqlite"
    summary = run([str(folder / "hubei-*.json"), str(folder / "nowhere.json")], str(out), jobs=1)
    assert summary.seen == 3 and summary.by_status == {"ok": 2, "refused": 1, "failed": 0}
    db = sqlite3.connect(out)
    assert db.execute("SELECT f.code, f.message FROM findings f JOIN documents d ON d.id = f.document_id "
                      "WHERE d.path LIKE '%nowhere.json'").fetchone()[0] == "input"


def test_a_newer_or_foreign_database_is_refused(tmp_path):
    from mrv_engine import MrvError

    newer = tmp_path / "newer.sqlite"
    sqlite3.connect(newer).execute("PRAGMA user_version = 99")
    with pytest.raises(MrvError, match="newer than this mrv-engine"):
        Store(newer)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    res = CliRunner().invoke(cli, ["batch", str(tmp_path), "-o", str(junk)])
    assert res.exit_code == 1 and "not a batch database" in res.output


@pytest.fixture(scope="module")
def power_folder(tmp_path_factory, examples_dir):
    """Twelve power reports (the three bundled years, four copies each): slow enough to interrupt."""
    import shutil

    folder = tmp_path_factory.mktemp("power")
    for f in sorted(examples_dir.glob("power-plant-*.json")):
        for i in range(4):
            shutil.copy(f, folder / f"{f.stem}-{i}.json")
    return folder


@pytest.fixture(scope="module")
def uninterrupted(power_folder, tmp_path_factory, db_content):
    """The content of the database of one uninterrupted run over power_folder."""
    out = tmp_path_factory.mktemp("whole") / "whole.sqlite"
    run([str(power_folder)], str(out), jobs=2, verify=True)
    return db_content(out)


def _kill_when(proc, out, written_count, at_least: int, kill):
    """Wait until ``out`` holds at least ``at_least`` documents, then ``kill``; the run must not have finished."""
    deadline = time.monotonic() + 120
    while written_count(out) < at_least:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the batch wrote nothing in time"
        time.sleep(0.02)
    kill()


def _alive(pid: int) -> bool:
    """A process that exists and is not a zombie (an orphan's exit is reaped by whoever adopted it, or not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def test_killed_run_resumes_to_the_same_database(power_folder, uninterrupted, tmp_path, mrv_batch, db_content, written_count):
    folder = power_folder
    total = len(list(folder.iterdir()))
    out = tmp_path / "killed.sqlite"
    proc = mrv_batch(folder, "-o", out, "-j", "2", "--verify")
    workers: list[int] = []

    def kill():
        workers.extend(int(c) for c in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split())
        os.kill(proc.pid, signal.SIGKILL)

    # SIGKILL: no handler runs, workers orphaned mid-chunk; only committed documents remain
    _kill_when(proc, out, written_count, 3, kill)
    proc.wait()
    partial = written_count(out)
    assert 3 <= partial < total, "the kill came after the run had finished: the test proves nothing"
    # the orphaned workers notice their parent is gone and end (none is left waiting for ever)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and [w for w in workers if _alive(w)]:
        time.sleep(0.2)
    assert workers and not [w for w in workers if _alive(w)], "orphaned worker processes outlived the killed run"
    resumed = run([str(folder)], str(out), jobs=2, verify=True)
    assert resumed.skipped == partial and resumed.done == total - partial
    assert db_content(out) == uninterrupted
    db = sqlite3.connect(out)
    assert [s for (s,) in db.execute("SELECT status FROM runs ORDER BY id")] == ["running", "done"]


def test_a_killed_worker_is_replaced_and_the_batch_completes(power_folder, uninterrupted, tmp_path, mrv_batch, db_content,
                                                             written_count):
    folder = power_folder
    out = tmp_path / "worker.sqlite"
    proc = mrv_batch(folder, "-o", out, "-j", "2", "--verify")

    def kill_a_worker():
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert children, "no worker process to kill"
        os.kill(int(children[0]), signal.SIGKILL)

    _kill_when(proc, out, written_count, 2, kill_a_worker)
    _stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert "worker processes restarted" in stderr
    assert db_content(out) == uninterrupted


def test_ctrl_c_leaves_an_interrupted_run_that_resumes(power_folder, uninterrupted, tmp_path, mrv_batch, db_content, written_count):
    folder = power_folder
    out = tmp_path / "int.sqlite"
    proc = mrv_batch(folder, "-o", out, "-j", "2", "--verify")
    _kill_when(proc, out, written_count, 2, lambda: proc.send_signal(signal.SIGINT))
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    run([str(folder)], str(out), jobs=2, verify=True)
    assert db_content(out) == uninterrupted
    db = sqlite3.connect(out)
    assert [s for (s,) in db.execute("SELECT status FROM runs ORDER BY id")] == ["interrupted", "done"]
