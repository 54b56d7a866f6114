"""Whole enterprise-years: validated, calculated and traced, against a naive same-run baseline.

Method: one process; the synthetic enterprise-year of bench/enterprise.py (30 combustion
sources × 12 months + purchased electricity, 363 computed figures, a third of the NCVs in
kJ/kg to convert); the engine's calculate() (which records every figure's provenance,
case and unrounded value) plus its trace nodes, against
bench/naive.py doing the same work per figure with simpleeval; both checked to give the
same totals first; best of 5 timings of 20 enterprise-years each. A second engine timing
also reads every operand of every trace node (value, unit, source, citation), which a trace
otherwise does only when it is rendered. Then 1 000
enterprise-years in a row for throughput, and the peak memory (tracemalloc) of keeping
all 1 000 results with their traces.
Run: python bench/bench_enterprise.py
"""

from __future__ import annotations

import platform
import sys
import time
import tracemalloc
from decimal import localcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from enterprise import enterprise_year  # noqa: E402
from mrv_engine import Engine  # noqa: E402
from mrv_engine.core.base.numbers import CONTEXT  # noqa: E402
from mrv_engine.core.output import trace  # noqa: E402
from naive import make_naive  # noqa: E402

REPS = 20


def best(fn, repeat=5):
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(REPS):
            fn()
        out.append((time.perf_counter() - t) / REPS)
    return min(out)


def main(count: int = 1000):
    engine = Engine()
    sub = enterprise_year()
    naive = make_naive(engine, sub["year"])

    def ours():
        result = engine.calculate(sub)
        return result, trace.build(result)

    result, nodes = ours()
    with localcontext(CONTEXT):
        totals, naive_trace = naive(sub)
    for cat, value in totals.items():
        assert result.totals[cat] == value, (cat, result.totals[cat], value)
    assert len(nodes) == len(naive_trace) == 363, (len(nodes), len(naive_trace))

    def naive_run():
        with localcontext(CONTEXT):
            naive(sub)

    def ours_with_operands():
        result, nodes = ours()
        for n in nodes:
            n.operands  # every operand with its value, unit, source and citation
        return result, nodes

    t_ours, t_naive, t_full = best(ours), best(naive_run), best(ours_with_operands)
    print(f"machine: {platform.machine()} Python {platform.python_version()}")
    print(f"enterprise-year: {len(nodes)} figures (30 sources × 12 months + electricity)")
    print(f"  naive (jsonschema per row, pint per value, simpleeval per figure): {t_naive * 1000:8.2f} ms")
    print(f"  mrv-engine calculate + trace:                                    {t_ours * 1000:8.2f} ms"
          f"   {t_naive / t_ours:5.1f}× faster")
    print(f"  ... and reading every operand of every trace node:              {t_full * 1000:8.2f} ms"
          f"   {t_naive / t_full:5.1f}× faster")

    t = time.perf_counter()
    for _ in range(count):
        ours()
    elapsed = time.perf_counter() - t
    print(f"  {count} enterprise-years in a row: {count / elapsed:7.1f} per second")

    # Peak memory while holding every result and trace of the run, as a host app that keeps
    # them would (tracemalloc slows the run, so it is measured apart from the speed).
    tracemalloc.start()
    kept = [ours() for _ in range(count)]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  peak traced memory holding all {len(kept)} results and traces: {peak / 2**20:.1f} MiB"
          f" ({peak / len(kept) / 1024:.0f} KiB each)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
