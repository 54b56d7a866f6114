"""Fixtures of the batch tests: a folder of documents, running ``mrv batch`` as a process, a database's content."""

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

#: Documents that must each be a refused row, never the end of a batch: (file name, text, a code expected).
BROKEN = [
    ("broken-syntax.json", '{"sector": "general", "year": 2022,', "input"),
    ("broken-negative.json", ('{"sector": "general", "year": 2022, "pages": {"fuel_combustion": '
                          '[{"source_name": "b", "kind": "stationary", "fuel": "bituminous", "consumption": "-5"}]}}'), "below_minimum"),
    ("broken-sector.yaml", "sector: lime\nyear: 2022\npages: {}\n", "unknown_sector"),
    ("broken-year.json", '{"sector": "steel", "year": 2010, "pages": {}}', "no_ruleset"),
    ("broken-list.json", "[1, 2, 3]", "schema"),
]


@pytest.fixture(scope="session")
def broken_documents():
    """[(file name, text, a finding code expected)] of documents each refused as a row."""
    return BROKEN


@pytest.fixture
def corpus(tmp_path, examples_dir):
    """``corpus(copies=1, broken=True) -> Path``: a folder with the bundled examples (each ``copies`` times)
    and the broken documents of BROKEN."""
    def make(copies: int = 1, broken: bool = True, only: str = "") -> Path:
        folder = tmp_path / "in"
        folder.mkdir(exist_ok=True)
        for f in sorted(examples_dir.glob("*.json")):
            if only and only not in f.name:
                continue
            for i in range(copies):
                shutil.copy(f, folder / (f.name if copies == 1 else f"{f.stem}-{i:03d}.json"))
        if broken:
            for name, text, _ in BROKEN:
                (folder / name).write_text(text, encoding="utf-8")
        return folder

    return make


@pytest.fixture
def mrv_batch():
    """``mrv_batch(*args) -> Popen`` of ``mrv batch`` in a fresh interpreter (for killing it)."""
    def start(*args):
        code = "from mrv_engine.cli.main import main; main()"
        return subprocess.Popen([sys.executable, "-c", code, "batch", "--lang", "en", *map(str, args)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    return start


@pytest.fixture(scope="session")
def db_content():
    """``db_content(path) -> dict``: every table's rows by document path, without row ids, run ids or times,
    so that two databases built by different runs of the same documents compare equal."""
    def read(path) -> dict:
        db = sqlite3.connect(path)
        try:
            docs = db.execute("SELECT path, content_hash, size, status, verified, sector, year, enterprise, enterprise_key, "
                              "province, ruleset_id, general_ruleset_id, ruleset_hash, total_co2e, errors, must_correct, "
                              "warnings, observations, defaults_used, unverified_used FROM documents ORDER BY path").fetchall()
            out = {"documents": docs}
            for table, order in (("figures", "place"), ("totals", "dimension, t.key"), ("findings", "seq")):
                cols = [r[1] for r in db.execute(f"PRAGMA table_info({table})") if r[1] != "document_id"]
                sel = ", ".join(f"t.{c}" for c in cols)
                out[table] = db.execute(f"SELECT d.path, {sel} FROM {table} t JOIN documents d ON d.id = t.document_id "
                                        f"ORDER BY d.path, {order}").fetchall()
            return out
        finally:
            db.close()

    return read


def written(path: Path) -> int:
    """Documents in the database at ``path`` so far (0 while it does not exist yet)."""
    if not path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


@pytest.fixture
def written_count():
    return written
