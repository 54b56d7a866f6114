"""Start-up cost: `import mrv_engine`, `mrv --help` and a one-document `mrv calc`, each in a fresh interpreter.

Method: every command runs in a fresh process, first twice to warm up (filling the OS file cache and
writing Python's bytecode, as `pip install` does: PYTHONDONTWRITEBYTECODE is removed from the
children's environment), then RUNS times, measuring wall time and the child's user+sys CPU time. The
machine may be shared, so the minimum of each is reported (the least disturbed run), with its ratio
to the same run's baseline, a bare `python -c pass`; `python -c "import click"` is shown beside it.

`mrv calc examples/power-plant-2022.json` runs twice over: with a cold cache (each run a new, empty
MRV_CACHE_DIR: rulesets parsed, every edition composed, pint loaded, all written to the cache) and
with a warm one (the same directory every run, filled by the warm-up).

Run: python bench/bench_startup.py [--runs N] [--code DIR]
(``--code DIR``: time the mrv_engine package at DIR/mrv_engine instead of the installed one, e.g. an
older commit unpacked with ``git archive --prefix=mrv_engine/ COMMIT | tar -x -C DIR``.)
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "power-plant-2022.json"


def run_once(cmd, env) -> tuple[float, float]:
    """(wall seconds, user+sys CPU seconds) of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed(cmd, runs: int, env_of) -> tuple[float, float]:
    """Minimum wall and minimum CPU time of ``runs`` runs after 2 warm-up runs; ``env_of(i)`` is each run's environment."""
    for i in range(2):
        run_once(cmd, env_of(-1 - i))
    got = [run_once(cmd, env_of(i)) for i in range(runs)]
    return min(w for w, _ in got), min(c for _, c in got)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--code", help="a folder holding the mrv_engine package to time instead of the installed one")
    args = ap.parse_args()

    base_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "MRV_NO_CACHE", "MRV_CACHE_DIR")}
    py = sys.executable
    prefix = f"import sys; sys.path.insert(0, {args.code!r}); " if args.code else ""
    mrv = [py, "-c", prefix + "import sys; sys.argv[0] = 'mrv'; from mrv_engine.cli.main import main; main()"]

    with tempfile.TemporaryDirectory() as tmp:
        warm = {**base_env, "MRV_CACHE_DIR": str(Path(tmp) / "warm")}

        def cold(i):  # a new, empty cache directory for every run
            return {**base_env, "MRV_CACHE_DIR": str(Path(tmp) / f"cold{i}")}

        rows = [
            ("python -c pass (baseline)", [py, "-c", "pass"], lambda i: base_env),
            ("python -c 'import click'", [py, "-c", "import click"], lambda i: base_env),
            ("python -c 'import mrv_engine'", [py, "-c", prefix + "import mrv_engine"], lambda i: base_env),
            ("mrv --help", [*mrv, "--help"], lambda i: warm),
            ("mrv calc (cold cache)", [*mrv, "calc", str(EXAMPLE)], cold),
            ("mrv calc (warm cache)", [*mrv, "calc", str(EXAMPLE)], lambda i: warm),
        ]
        print(f"{'':<32} {'wall (min)':>11} {'cpu (min)':>11}   ratio to baseline (wall, cpu)   [{args.runs} runs each]")
        base = None
        for label, cmd, env_of in rows:
            wall, cpu = timed(cmd, args.runs, env_of)
            base = base or (wall, cpu)
            ratio = f"{wall / base[0]:6.1f}x {cpu / max(base[1], 1e-3):6.1f}x"
            print(f"{label:<32} {wall * 1000:8.0f} ms {cpu * 1000:8.0f} ms   {ratio}")


if __name__ == "__main__":
    main()
