"""``mrv batch``: many documents calculated (or verified) by worker processes into one database.

The main process finds the inputs, skips what the database already holds with the same content
hash and rules hash (resume), hands the rest to ``jobs`` worker processes in small chunks and
writes each chunk's documents in one transaction as it arrives. So at any moment the database
holds whole documents: a run interrupted (Ctrl-C) or killed leaves it consistent, and the same
command run again does only what is missing.

Each worker has its own pipe (its death is seen as the end of that pipe, and its process's sentinel).
A worker that dies (killed, out of memory) does not end the batch: another takes its place and
the documents it was working on are retried one by one; a document in flight when workers died
twice is written as ``failed`` with the finding ``batch.worker_died``.
"""

from __future__ import annotations

import gc
import glob
import multiprocessing
import os
import signal
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait as mp_wait
from pathlib import Path

from mrv_engine import MrvError

from . import engine_version
from . import worker as W
from .store import Store

#: What a folder given as INPUT contributes (a file named explicitly is read whatever its suffix).
SUFFIXES = (".json", ".yaml", ".yml", ".xlsx")  # .xlsx: filled templates (mrv template), read by load_document
#: Pool restarts after dying workers before the run gives up (and can be resumed).
MAX_RESTARTS = 10


@dataclass
class Summary:
    run_id: int
    seen: int = 0
    skipped: int = 0
    done: int = 0
    by_status: dict = field(default_factory=lambda: {"ok": 0, "refused": 0, "failed": 0})
    interrupted: bool = False
    restarts: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        s = self.by_status
        text = (f"{self.seen} documents: {self.done} processed ({s['ok']} ok, {s['refused']} refused, {s['failed']} failed), "
                f"{self.skipped} already done; {self.seconds:.1f} s")
        if self.restarts:
            text += f"; worker processes restarted {self.restarts}×"
        return text + ("; interrupted: run the same command again to resume" if self.interrupted else "")


def expand(inputs: list[str]) -> list[str]:
    """Absolute paths of the documents ``inputs`` name: files, folders (their JSON and YAML files,
    recursively) and glob patterns; each once, sorted."""
    found: set[str] = set()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            # os.walk, not Path.rglob: a folder of 10,000 reports took 0.9 s (a Path and a stat per file), all of
            # it before the first worker starts
            for top, _dirs, files in os.walk(os.path.abspath(item)):
                found |= {os.path.join(top, f) for f in files if os.path.splitext(f)[1].lower() in SUFFIXES}
        elif not p.exists() and glob.has_magic(item):
            found |= {os.path.abspath(f) for f in glob.glob(item, recursive=True) if os.path.isfile(f)}
        else:
            found.add(os.path.abspath(item))  # a missing file becomes a refused row that says so
    return sorted(found)


def content_hash(path: str) -> str | None:
    try:
        return W.hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def pending(paths: list[str], store: Store, verify: bool, digests: dict[str, str], all_rules: str) -> list[str]:
    """The ``paths`` the database does not hold yet with the same content under the same rules."""
    done = store.done(verify)
    todo = []
    for path in paths:
        prev = done.get(path)
        if prev is not None and prev[0] == content_hash(path):
            _, own, general, stored = prev
            if own is None:
                current = all_rules  # refused before any rules were chosen: redone when any ruleset changes
            elif own in digests and general in digests:
                current = W.ruleset_hash(digests[general], digests[own])
            else:
                current = None
            if stored == current:
                continue
        todo.append(path)
    return todo


# -- worker processes -----------------------------------------------------------------
_WORKER: W.Worker | None = None


def _init(verify: bool) -> None:
    global _WORKER
    # Ctrl-C reaches the whole process group: the main process decides (and ends the workers).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits mrv batch's SIGTERM handler (Ctrl-C-like); the pool ends a busy
    # worker with SIGTERM when the run stops, and it must then really end.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _WORKER is None or _WORKER.verify != verify:  # forked processes inherit the main process's
        _WORKER = W.Worker(verify)


def _work(paths: list[str]) -> list[dict]:
    """The outcomes of a chunk of documents, in this worker process."""
    return [_WORKER.process(p) for p in paths]


def _context():
    # fork: workers inherit the loaded engine (rulesets parsed, formulas compiled) instead of
    # each building its own; elsewhere (macOS, Windows) spawn, and each worker loads it.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run(inputs: list[str], output: str, jobs: int | None = None, verify: bool = False, progress=None) -> Summary:
    """Calculate (``verify``: verify) every document ``inputs`` name into the database ``output``.

    ``progress(done, total)`` is called as documents are written (``total`` first with done 0).
    Returns a :class:`Summary`; ``summary.interrupted`` when Ctrl-C stopped it (what was written stays).
    """
    global _WORKER
    jobs = max(1, jobs or os.cpu_count() or 1)
    started = time.perf_counter()
    paths = expand(inputs)
    _WORKER = W.Worker(verify)
    threshold = gc.get_threshold()
    # The loaded engine (rulesets, compiled compositions, plans: most of the process's objects) lives as long
    # as the run: frozen, the collector no longer walks it again and again, and forked workers inherit that.
    # Each report makes and drops tens of thousands of small containers; collecting the young ones every
    # 10,000 allocations instead of every 700 took about a tenth off a 10,000-report run (16-17 s instead of
    # 17.5-20.7 s, three alternated runs each; bench/bench_batch.py). Both are undone when the run ends.
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)
    try:
        return _run(paths, output, jobs, verify, progress, inputs, started)
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _run(paths, output, jobs, verify, progress, inputs, started) -> Summary:
    with Store(output) as store:
        todo = pending(paths, store, verify, _WORKER.digests, _WORKER.all_rules)
        run_id = store.start_run(engine_version(), {"inputs": list(inputs), "jobs": jobs, "verify": verify})
        summary = Summary(run_id, seen=len(paths), skipped=len(paths) - len(todo))
        if progress:
            progress(0, len(todo))

        def written(outcomes: list[dict]) -> None:
            store.write(run_id, outcomes)
            summary.done += len(outcomes)
            for o in outcomes:
                summary.by_status[o["document"]["status"]] += 1
            if progress:
                progress(summary.done, len(todo))

        try:
            if jobs == 1 or len(todo) <= 1:
                for path in todo:
                    written([_WORKER.process(path)])
            else:
                _run_pool(todo, jobs, verify, written, summary)
            status = "done"
        except KeyboardInterrupt:
            summary.interrupted, status = True, "interrupted"
        summary.seconds = time.perf_counter() - started
        store.finish_run(run_id, status, summary.seen, summary.done, summary.skipped)
    return summary


class _Proc:
    """One worker process and its own pipe (a worker killed mid-message breaks only its own pipe:
    a shared result queue, as in concurrent.futures, can be left half-written and hang the pool)."""

    def __init__(self, ctx, verify: bool):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, verify), daemon=True)
        self.proc.start()
        # Only the worker holds its end, so its death is an EOF here (later forks do not inherit it).
        child.close()
        self.chunk: list[str] | None = None

    def give(self, chunk: list[str]) -> bool:
        self.chunk = chunk
        try:
            self.conn.send(chunk)
            return True
        except OSError:  # died before it could take the chunk
            return False

    def stop(self) -> None:
        if self.chunk is None:
            try:
                self.conn.send(None)
            except OSError:
                pass
        else:
            self.proc.terminate()  # its chunk is not written; a later run does it
        self.proc.join(timeout=10)
        if self.proc.is_alive():  # pragma: no cover - a worker stuck in a system call
            self.proc.kill()
            self.proc.join()
        self.conn.close()


#: How often an idle worker looks whether mrv batch is still there (seconds).
PARENT_POLL = 1.0


def _serve(conn, verify: bool) -> None:
    _init(verify)
    parent = os.getppid()
    while True:
        try:
            # A worker forked later inherits the main process's end of this worker's pipe, so a killed
            # mrv batch does not always show as EOF here: an idle worker also ends when its parent is gone
            # (it is then re-parented), instead of waiting for ever as an orphan.
            while not conn.poll(PARENT_POLL):
                if os.getppid() != parent:
                    return
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        conn.send(_work(chunk))


def _run_pool(todo: list[str], jobs: int, verify: bool, written, summary: Summary) -> None:
    size = max(1, min(32, len(todo) // (jobs * 8)))
    queue = deque(todo[i:i + size] for i in range(0, len(todo), size))
    breaks: dict[str, int] = {}
    ctx = _context()
    procs = [_Proc(ctx, verify) for _ in range(min(jobs, len(queue)))]

    def died(w: _Proc) -> None:
        summary.restarts += 1
        dead = []
        for p in w.chunk or []:
            breaks[p] = breaks.get(p, 0) + 1
            if breaks[p] >= 2:
                dead.append(p)
            else:
                queue.append([p])  # retried alone, so a document that kills its worker is found
        if dead:
            written([_died(p, verify) for p in dead])
        w.chunk = None
        w.stop()
        if summary.restarts > MAX_RESTARTS:
            raise MrvError(f"worker processes died {summary.restarts} times; the documents written so far are kept "
                           "and the same command resumes")
        procs[procs.index(w)] = _Proc(ctx, verify)

    try:
        while True:
            for w in list(procs):
                if w.chunk is None and queue and not w.give(queue.popleft()):
                    died(w)
            busy = [w for w in procs if w.chunk is not None]
            if not busy:
                break
            ready = set(mp_wait([w.conn for w in busy] + [w.proc.sentinel for w in busy]))
            for w in busy:
                if w.conn in ready or w.proc.sentinel in ready:
                    try:
                        outcomes = w.conn.recv()  # a whole message, or EOF when it died mid-way
                    except (EOFError, OSError):
                        died(w)
                        continue
                    w.chunk = None
                    # its next chunk before writing these: the worker computes while this process writes (it
                    # used to wait idle through every write, a tenth of a 10,000-report run on two cores)
                    if queue and not w.give(queue.popleft()):
                        died(w)
                    written(outcomes)
    finally:
        for w in procs:
            w.stop()


def _died(path: str, verify: bool) -> dict:
    outcome = _WORKER.outcome(path, b"", "failed", [W.batch_finding(
        "batch.worker_died", "$", "the worker process calculating this document died twice (killed, or out of memory)",
        "处理本文件的工作进程两次意外终止（被终止或内存不足）")])
    raw = Path(path).read_bytes() if os.path.isfile(path) else b""
    outcome["content_hash"], outcome["size"] = W.hashlib.sha256(raw).hexdigest(), len(raw)
    return outcome
