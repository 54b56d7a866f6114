"""mrv batch over N generated enterprise-years: wall time and peak memory, and the in-process loop for the ratio.

Method: bench/make_corpus.py writes N enterprise-years (seed 17) unless they exist; then
1. ``mrv batch CORPUS -o DB --verify -j JOBS`` in a fresh process into a new database: wall time,
   and peak memory as the largest sum of the resident sets of the batch process and its workers,
   sampled every 0.1 s from /proc;
2. the baseline, in this process: ``Engine.verify`` (the same work as --verify) over the same files
   read with ``load_document``, one after the other, nothing stored; wall time.
The ratio is the loop's time over the batch's. The ruleset cache is warm for both (one earlier run).
CPU seconds are measured beside the wall time (the batch's with its workers: getrusage of waited-for
children; the loop's: process_time): on a machine shared with other work the wall time grows with the
load, the CPU time much less, so the CPU ratio is the comparable figure, and CPU / jobs is about the
wall time the same run takes on an idle machine with that many cores.
Run: python bench/bench_batch.py 1000 [10000 ...] [--jobs 2] [--dir /tmp/mrv-bench]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            pass
    return total


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def batch(corpus: Path, db: Path, jobs: int) -> tuple[float, int, str, float]:
    for f in db.parent.glob(db.name + "*"):
        f.unlink()
    cpu0 = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mrv_engine.cli.main", "batch", str(corpus), "-o", str(db), "--verify",
                             "-j", str(jobs)], stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - start
    return wall, peak, proc.stderr.read().strip(), _children_cpu() - cpu0


def loop(corpus: Path) -> tuple[float, float]:
    from mrv_engine import Engine, InputError, load_document

    engine = Engine()
    files = sorted(p for p in corpus.rglob("*.json"))
    start, cpu0 = time.perf_counter(), time.process_time()
    for f in files:
        try:
            engine.verify(load_document(f)[0], source_name=str(f))
        except InputError:
            pass
    return time.perf_counter() - start, time.process_time() - cpu0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", type=int, nargs="+")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--dir", type=Path, default=Path("/tmp/mrv-bench"))
    ap.add_argument("--no-loop", action="store_true", help="skip the in-process baseline")
    a = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from make_corpus import make

    for n in a.sizes:
        corpus = a.dir / f"corpus-{n}"
        if not corpus.exists():
            make(n, corpus)
        wall, peak, line, cpu = batch(corpus, a.dir / f"batch-{n}.sqlite", a.jobs)
        size = (a.dir / f"batch-{n}.sqlite").stat().st_size
        print(f"{n} enterprise-years, mrv batch --verify -j {a.jobs}: {wall:.1f} s wall, {wall / n * 1000:.2f} ms each, "
              f"CPU {cpu:.1f} s ({cpu / n * 1000:.2f} ms each, {cpu / a.jobs:.1f} s over {a.jobs} cores), "
              f"peak {peak / 2**20:.0f} MiB, database {size / 2**20:.0f} MiB")
        print(f"    {line}")
        if not a.no_loop:
            base, base_cpu = loop(corpus)
            print(f"    in-process Engine.verify loop: {base:.1f} s wall ({base / n * 1000:.2f} ms each), CPU {base_cpu:.1f} s "
                  f"({base_cpu / n * 1000:.2f} ms each); wall ratio {base / wall:.2f}x, CPU per report ratio {base_cpu / cpu:.2f}x")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
