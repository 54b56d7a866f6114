"""Start-up cost: `import mrv_engine` and `mrv --help`, each in a fresh interpreter.

Method: wall time of 15 fresh processes each (after 2 warm-up runs that fill the OS
file cache), median and max, against the same-run baseline of a bare `python -c pass`.
Run: python bench/bench_startup.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time

RUNS = 15


def timed(cmd):
    for _ in range(2):
        subprocess.run(cmd, capture_output=True, check=True)
    out = []
    for _ in range(RUNS):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        out.append(time.perf_counter() - t)
    return statistics.median(out), max(out)


def main():
    mrv = shutil.which("mrv") or sys.exit("mrv is not on PATH: pip install . first")
    rows = [("python -c pass (baseline)", [sys.executable, "-c", "pass"]),
            ("python -c 'import mrv_engine'", [sys.executable, "-c", "import mrv_engine"]),
            ("mrv --help", [mrv, "--help"])]
    base = None
    for label, cmd in rows:
        med, worst = timed(cmd)
        base = base if base is not None else med
        extra = "" if med is base else f"   (+{(med - base) * 1000:5.1f} ms over the bare interpreter)"
        print(f"{label:<32} median {med * 1000:6.1f} ms  max {worst * 1000:6.1f} ms{extra}")


if __name__ == "__main__":
    main()
