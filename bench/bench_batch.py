"""mrv batch over N generated enterprise-years: wall time, CPU and peak memory, and the in-process loops for the ratio.

Method: bench/make_corpus.py writes N enterprise-years (seed 17) unless they exist; then
1. ``mrv batch CORPUS -o DB --verify -j JOBS`` in a fresh process into a new database, run under
   ``/usr/bin/time -v`` where it exists: wall time; CPU (the batch's with its workers: getrusage of
   waited-for children); peak memory as the largest sum of the resident sets of the batch process and
   its workers, sampled every 0.1 s from /proc (and time's "maximum resident set size", the largest
   single process);
2. the baselines, in this process, over the same files read with ``load_document``, one after the
   other, nothing stored: ``Engine.calculate`` (the issue's baseline) and ``Engine.verify`` (the same work
   as --verify); wall and CPU time (process_time).
The ratios are the loop's CPU per report over the batch's. The ruleset cache is warm for both (one earlier
run). The load average is printed before and after: on a machine shared with other work the wall time grows
with the load, the CPU time much less, so CPU is the comparable figure, and CPU / jobs is about the wall time
the same run takes on an idle machine with that many cores.
Run: python bench/bench_batch.py 1000 [10000 ...] [--jobs 2] [--dir /tmp/mrv-bench] [--loops calculate,verify]
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


def batch(corpus: Path, db: Path, jobs: int) -> tuple[float, int, str, float, int | None]:
    for f in db.parent.glob(db.name + "*"):
        f.unlink()
    cpu0 = _children_cpu()
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "mrv_engine.cli.main", "batch", str(corpus), "-o", str(db), "--verify", "-j", str(jobs)]
    timed = os.path.exists("/usr/bin/time")
    proc = subprocess.Popen((["/usr/bin/time", "-v"] if timed else []) + cmd, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - start
    err = proc.stderr.read().strip()
    line = next((x for x in err.splitlines() if "documents:" in x), err[-500:])
    maxrss = next((int(x.split(":")[1]) * 1024 for x in err.splitlines() if "Maximum resident set size" in x), None)
    return wall, peak, line, _children_cpu() - cpu0, maxrss


def loop(corpus: Path, method: str) -> tuple[float, float]:
    from mrv_engine import Engine, InputError, load_document

    engine = Engine()
    run = getattr(engine, method)
    files = sorted(p for p in corpus.rglob("*.json"))
    start, cpu0 = time.perf_counter(), time.process_time()
    for f in files:
        try:
            run(load_document(f)[0], source_name=str(f))
        except InputError:
            pass
    return time.perf_counter() - start, time.process_time() - cpu0


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", type=int, nargs="+")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--dir", type=Path, default=Path("/tmp/mrv-bench"))
    ap.add_argument("--loops", default="calculate,verify", help="in-process baselines to run (comma-separated; '' for none)")
    a = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from make_corpus import make

    for n in a.sizes:
        corpus = a.dir / f"corpus-{n}"
        if not corpus.exists():
            make(n, corpus)
        before = load()
        wall, peak, line, cpu, maxrss = batch(corpus, a.dir / f"batch-{n}.sqlite", a.jobs)
        size = (a.dir / f"batch-{n}.sqlite").stat().st_size
        print(f"{n} enterprise-years, mrv batch --verify -j {a.jobs}: {wall:.1f} s wall, {wall / n * 1000:.2f} ms each, "
              f"CPU {cpu:.1f} s ({cpu / n * 1000:.2f} ms each, {cpu / a.jobs:.1f} s over {a.jobs} cores), "
              f"peak {peak / 2**20:.0f} MiB (all processes)"
              + (f", {maxrss / 2**20:.0f} MiB (largest process, time -v)" if maxrss else "")
              + f", database {size / 2**20:.0f} MiB; load average {before} before, {load()} after")
        print(f"    {line}")
        for method in filter(None, a.loops.split(",")):
            base, base_cpu = loop(corpus, method)
            print(f"    in-process Engine.{method} loop: {base:.1f} s wall ({base / n * 1000:.2f} ms each), CPU {base_cpu:.1f} s "
                  f"({base_cpu / n * 1000:.2f} ms each); CPU per report, loop over batch: {base_cpu / cpu:.2f}x; load average {load()}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
