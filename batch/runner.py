"""``mrv batch``: many documents calculated (or verified) by worker processes into one database.

The main process finds the inputs, skips what the database already holds with the same content
hash and rules hash (resume), hands the rest to ``jobs`` worker processes in small chunks and
writes each chunk's documents in one transaction as it arrives. So at any moment the database
holds whole documents: a run interrupted (Ctrl-C) or killed leaves it consistent, and the same
command run again does only what is missing.

A worker that dies (killed, out of memory) does not end the batch: the pool is started again and
the documents it was working on are retried one by one; a document in flight when workers died
twice is written as ``failed`` with the finding ``batch.worker_died``.
"""

from __future__ import annotations

import glob
import multiprocessing
import os
import signal
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from mrv_engine import MrvError

from . import engine_version
from . import worker as W
from .store import Store

#: What a folder given as INPUT contributes (a file named explicitly is read whatever its suffix).
SUFFIXES = (".json", ".yaml", ".yml")
#: Documents in flight per worker process (bounds the memory of results waiting to be written).
IN_FLIGHT = 3
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
            found |= {os.path.abspath(f) for f in p.rglob("*") if f.suffix.lower() in SUFFIXES and f.is_file()}
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
    # Ctrl-C reaches the whole process group: the main process decides, workers finish their chunk.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits mrv batch's SIGTERM handler (Ctrl-C-like); the pool ends its workers
    # with SIGTERM when one of them died, and they must then really end.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _WORKER is None or _WORKER.verify != verify:  # forked processes inherit the main process's
        _WORKER = W.Worker(verify)


def _work(paths: list[str]) -> list[dict]:
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


def _run_pool(todo: list[str], jobs: int, verify: bool, written, summary: Summary) -> None:
    size = max(1, min(32, len(todo) // (jobs * 8)))
    queue = [todo[i:i + size] for i in range(0, len(todo), size)]
    queue.reverse()  # pop() from the end takes them in order
    breaks: dict[str, int] = {}
    while queue:
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_init, initargs=(verify,))
        flying: dict = {}
        try:
            while queue or flying:
                while queue and len(flying) < jobs * IN_FLIGHT:
                    chunk = queue.pop()
                    flying[pool.submit(_work, chunk)] = chunk
                finished, _ = wait(flying, return_when=FIRST_COMPLETED)
                for fut in finished:
                    outcomes = fut.result()  # BrokenProcessPool when a worker died
                    del flying[fut]
                    written(outcomes)
        except BrokenProcessPool:
            summary.restarts += 1
            lost = [p for chunk in flying.values() for p in chunk]
            dead = []
            for p in lost:
                breaks[p] = breaks.get(p, 0) + 1
                if breaks[p] >= 2:
                    dead.append(p)
                else:
                    queue.append([p])  # retried alone, so a document that kills its worker is found
            if dead:
                written([_died(p, verify) for p in dead])
            if summary.restarts > MAX_RESTARTS:
                raise MrvError(f"worker processes died {summary.restarts} times; the documents written so far are kept "
                               "and the same command resumes") from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _died(path: str, verify: bool) -> dict:
    outcome = _WORKER.outcome(path, b"", "failed", [W.batch_finding(
        "batch.worker_died", "$", "the worker process calculating this document died twice (killed, or out of memory)",
        "处理本文件的工作进程两次意外终止（被终止或内存不足）")])
    raw = Path(path).read_bytes() if os.path.isfile(path) else b""
    outcome["content_hash"], outcome["size"] = W.hashlib.sha256(raw).hexdigest(), len(raw)
    return outcome
