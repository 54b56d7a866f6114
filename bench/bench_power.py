"""Benchmark: the example power plant's full reporting year, calculated and traced in-process.

    python bench/bench_power.py [--year 2022] [--repeat 20]

Prints the number of computed figures (trace nodes: every row formula and every
summary figure), the time per full-year calculate+trace and figures per second.
No timing is asserted anywhere; compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from mrv_engine import Engine

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--year", type=int, default=2022, choices=[2020, 2022, 2023])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    sub = json.loads((ROOT / "examples" / f"power-plant-{args.year}.json").read_text(encoding="utf-8"))
    engine = Engine()
    t0 = time.perf_counter()
    result = engine.calculate(sub)  # first run: loads rulesets and compiles the composition
    nodes = engine.trace(result)
    first = time.perf_counter() - t0
    rows = sum(len(p.rows) for p in result.pages)
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        result = engine.calculate(sub)
        nodes = engine.trace(result)
        text = engine.explain(result, "zh")
        times.append(time.perf_counter() - t)
    best, mean = min(times), sum(times) / len(times)
    figures = len(nodes)
    print(f"plant: {sub['enterprise']['name']} {args.year} ({result.comp.ruleset.id})")
    print(f"input rows: {rows}; computed figures (trace nodes): {figures}; trace text: {len(text.splitlines())} lines")
    print(f"first run (load + compile + calculate + trace): {first * 1000:.1f} ms")
    print(f"calculate + trace + explain, {args.repeat} runs: best {best * 1000:.1f} ms, mean {mean * 1000:.1f} ms")
    print(f"figures/second: {figures / best:,.0f} (best), {figures / mean:,.0f} (mean)")


if __name__ == "__main__":
    main()
