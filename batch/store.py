"""The batch database: SQLite, created and upgraded by numbered migrations, written in transactions.

The schema is the SQL files in ``migrations/`` (``0001_initial.sql``, ...), applied in order, each
in one transaction that also sets ``PRAGMA user_version`` to its number; docs/batch.md describes
the tables. Every document is written with all its rows (figures, totals, findings) in one
transaction, so a run killed at any moment leaves whole documents or none: ``mrv batch`` run again
finds what is done by content hash and rules hash (:meth:`Store.done`) and does the rest.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from mrv_engine import MrvError

_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """[(number, file name, SQL)] of the bundled migrations, in order."""
    folder = resources.files("mrv_engine.batch").joinpath("migrations")
    found = []
    for f in folder.iterdir():
        m = _MIGRATION.match(f.name)
        if m:
            found.append((int(m.group(1)), f.name, f.read_text(encoding="utf-8")))
    found.sort()
    # numbered 1, 2, 3 ... without gaps: user_version is the number of the last one applied
    assert [n for n, _, _ in found] == list(range(1, len(found) + 1)), [name for _, name, _ in found]
    return found


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """One batch database (``Store(path)``); a context manager that closes it."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            # isolation_level=None: no implicit transactions; each write says BEGIN ... COMMIT itself.
            self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            # Foreign keys are not enforced by this connection, the one writer: it gives each row of a document
            # the id of the document it inserted just before, in the same transaction, so the references hold
            # by construction, and SQLite's check of the ~220 rows of every document was a sixth of the
            # writer's time. Replacing a document deletes its rows itself (:meth:`write`), as the schema's
            # ON DELETE CASCADE does for a reader who turns foreign keys on; tests run PRAGMA foreign_key_check.
            self.db.execute("PRAGMA foreign_keys = OFF")
            # WAL: readers (mrv screen, Datasette) do not block the writer; NORMAL: a committed
            # document survives a killed process (not necessarily a power cut, where the last
            # transactions may be lost but the database stays consistent).
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.migrate()
            # the tables whose rows belong to a document (figures, totals, findings, benchmarks ...), from the schema
            self.children = [t for (t,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                             if any(fk[2] == "documents" for fk in self.db.execute(f"PRAGMA foreign_key_list({t})"))]
        except sqlite3.DatabaseError as exc:
            raise MrvError(f"not a batch database (SQLite) or cannot be opened: {exc}", where=self.path) from None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- schema --------------------------------------------------------------------------
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Apply the migrations this database has not had, each in its own transaction."""
        have = self.version()
        known = migrations()
        if have > len(known):
            raise MrvError(f"the database has schema version {have}, newer than this mrv-engine knows ({len(known)}): "
                           "use a newer mrv-engine, or another output file", where=self.path)
        for number, name, sql in known[have:]:
            try:
                self.db.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
            except sqlite3.Error as exc:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise MrvError(f"migration {name} failed: {exc}", where=self.path) from None

    # -- runs ----------------------------------------------------------------------------
    def start_run(self, engine_version: str, options: dict) -> int:
        with self.transaction():
            cur = self.db.execute("INSERT INTO runs (started_at, status, engine_version, options) VALUES (?, 'running', ?, ?)",
                                  (now(), engine_version, json.dumps(options, ensure_ascii=False, sort_keys=True)))
        return cur.lastrowid

    def finish_run(self, run_id: int, status: str, seen: int, done: int, skipped: int) -> None:
        with self.transaction():
            self.db.execute("UPDATE runs SET finished_at = ?, status = ?, documents_seen = ?, documents_done = ?, "
                            "documents_skipped = ? WHERE id = ?", (now(), status, seen, done, skipped, run_id))

    # -- documents -----------------------------------------------------------------------
    def done(self, verify: bool) -> dict[str, tuple[str, str | None, str | None, str | None]]:
        """path -> (content hash, ruleset id, general ruleset id, ruleset hash) of every document
        already written (with ``verify``: only those that were verified)."""
        sql = "SELECT path, content_hash, ruleset_id, general_ruleset_id, ruleset_hash FROM documents"
        if verify:
            sql += " WHERE verified = 1"
        return {row[0]: row[1:] for row in self.db.execute(sql)}

    def write(self, run_id: int, outcomes: list[dict]) -> None:
        """Write the documents ``outcomes`` (from :func:`mrv_engine.batch.worker.process`) in one
        transaction, each replacing the earlier rows of its path."""
        figures, labels, totals, findings, marks = [], [], [], [], []
        with self.transaction():
            for o in outcomes:
                old = self.db.execute("SELECT id FROM documents WHERE path = ?", (o["path"],)).fetchone()
                if old is not None:
                    for table in self.children:
                        self.db.execute(f"DELETE FROM {table} WHERE document_id = ?", old)
                    self.db.execute("DELETE FROM documents WHERE id = ?", old)
                d = o["document"]
                cur = self.db.execute(
                    "INSERT INTO documents (path, content_hash, size, run_id, status, verified, sector, year, enterprise, "
                    "enterprise_key, province, ruleset_id, general_ruleset_id, ruleset_hash, total_co2e, errors, must_correct, "
                    "warnings, observations, defaults_used, unverified_used) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (o["path"], o["content_hash"], o["size"], run_id, d["status"], d["verified"], d["sector"], d["year"],
                     d["enterprise"], d["enterprise_key"], d["province"], d["ruleset_id"], d["general_ruleset_id"],
                     d["ruleset_hash"], d["total_co2e"], d["errors"], d["must_correct"], d["warnings"], d["observations"],
                     d["defaults_used"], json.dumps(d["unverified_used"], ensure_ascii=False)))
                doc_id = cur.lastrowid
                # the chunk's rows of each table go to SQLite in one executemany each (one prepared statement)
                figures += [(doc_id, *f) for f in o["figures"]]
                labels += o.get("labels", ())
                totals += [(doc_id, *t) for t in o["totals"]]
                findings += [(doc_id, i, *f) for i, f in enumerate(o["findings"])]
                marks += [(doc_id, *b) for b in o.get("benchmarks", ())]
            self.db.executemany("INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", figures)
            self.db.executemany("INSERT OR IGNORE INTO labels VALUES (?, ?, ?, ?, ?)", labels)
            self.db.executemany("INSERT INTO totals VALUES (?, ?, ?, ?, ?, ?)", totals)
            self.db.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", findings)
            self.db.executemany("INSERT INTO benchmarks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", marks)

    def transaction(self):
        return _Transaction(self.db)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on any exception (KeyboardInterrupt too)."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, exc, tb):
        if kind is None:
            self.db.execute("COMMIT")
        elif self.db.in_transaction:
            self.db.execute("ROLLBACK")
        return False
