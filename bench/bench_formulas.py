"""Formula evaluation speed: compiled formulas against same-run baselines.

Method: one process, the same 20 000 records of exact Decimal inputs, the carbon-route
combustion formula with half-up rounding to 4 decimals, best of 5 runs each.
Baselines (all with the same Decimal inputs and rounding):
  * simpleeval per record: a new SimpleEval and a parse for every record (the naive way);
  * simpleeval pre-parsed: one evaluator, the tree parsed once;
  * inline Decimal: hand-written Python for this one formula, constants hoisted (the ceiling).
Run: python bench/bench_formulas.py
"""

from __future__ import annotations

import platform
import random
import time
from decimal import Decimal, localcontext

from mrv_engine.core.base.numbers import CONTEXT, round_half_up
from mrv_engine.core.formula.language import Symbol, compile_formula
from simpleeval import SimpleEval

TEXT = "consumption * ncv * cc * of * co2_per_c"
N = 20_000


def records():
    rnd = random.Random(7)
    c2 = Decimal(44) / Decimal(12)
    return [{"consumption": Decimal(rnd.randint(1, 10**7)) / 100, "ncv": Decimal(rnd.randint(15000, 30000)) / 1000,
             "cc": Decimal(rnd.randint(2500, 3400)) / 100000, "of": Decimal(rnd.randint(90, 100)) / 100, "co2_per_c": c2}
            for _ in range(N)]


def best(fn, rows, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn(rows)
        times.append(time.perf_counter() - t)
    return min(times)


def naive(rows):
    for r in rows:
        round_half_up(SimpleEval(names=r).eval(TEXT), 4)


def preparsed(rows):
    ev = SimpleEval()
    tree = ev.parse(TEXT)
    for r in rows:
        ev.names = r
        round_half_up(ev.eval(TEXT, previously_parsed=tree), 4)


def inline(rows):
    for r in rows:
        round_half_up(r["consumption"] * r["ncv"] * r["cc"] * r["of"] * r["co2_per_c"], 4)


def compiled_factory():
    scope = {"consumption": Symbol("t"), "ncv": Symbol("GJ/t"), "cc": Symbol("tC/GJ"), "of": Symbol("1"),
             "co2_per_c": Symbol("tCO2/tC")}
    f = compile_formula(TEXT, scope, "tCO2", "bench").func  # what the engine calls per row

    def compiled(rows):
        for r in rows:
            round_half_up(f(r, r), 4)  # (row values, parameters): here one mapping holds both

    return compiled


def main():
    rows = records()
    compiled = compiled_factory()
    with localcontext(CONTEXT):
        # all four must agree before any is timed
        for r in rows[:200]:
            ref = round_half_up(SimpleEval(names=r).eval(TEXT), 4)
            assert ref == round_half_up(compiled.__closure__[0].cell_contents(r, r), 4)
        results = {name: best(fn, rows) for name, fn in
                   [("simpleeval per record", naive), ("simpleeval pre-parsed", preparsed),
                    ("mrv-engine compiled", compiled), ("inline Decimal (ceiling)", inline)]}
    base = results["simpleeval per record"]
    print(f"machine: {platform.machine()} {platform.processor() or ''} Python {platform.python_version()}")
    print(f"{N} records, best of 5, half-up rounding to 4 decimals, Decimal at {CONTEXT.prec} digits")
    for name, t in results.items():
        print(f"  {name:<26} {t * 1e6 / N:8.2f} µs/record   {base / t:6.1f}× the per-record simpleeval baseline")


if __name__ == "__main__":
    main()
