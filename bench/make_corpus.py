"""A seeded corpus of realistic enterprise-years across all sectors, for the batch benchmark.

Method: every bundled sector example (examples/*.json but the verification demos: the power plant
with its units and 12 months of each year's rules, cement, glass, steel, aluminium, paper, refining,
chemicals, the general pages) is a template. Enterprise i takes template i mod T, a scale factor
k in [0.3, 3.0] (two decimals) applied to every quantity (consumption, output, electricity...,
exactly, so annual figures stay the sums of their months), and its own net calorific values and
carbon contents within ±3 % of the template's (so intensities spread as real plants' do).
Intensive figures (factors, contents, fractions, months) are not scaled. ``reported`` figures and
evidence of the templates are dropped (they belong to the template's own figures). With
``--outliers P`` a share P of enterprises has one product output written ten times too small.

Run: python bench/make_corpus.py N OUT_DIR [--seed 17] [--outliers 0.005]
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import re
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = ("verify-", "hubei-coke")  # verification demos and a one-row duplicate of hubei-summary
#: Fields that are not quantities: factors, contents, fractions, shares, months, identifiers.
INTENSIVE = re.compile(r"^(ncv|cc|of|ef|ef_.*|.*_ef|cao.*|mgo.*|.*_nc|purity|toc|.*fraction|.*ratio|.*percent|.*share|month|.*oxidation|c_before|c_after|"
                       r"factor|.*content|.*_rate|oxidation|.*carbonate|gwp|.*_factor|sulphur|ash|.*intensity|year|"
                       r"weight_case.*|.*density|.*coefficient|slope|.*_per_.*|duration.*|frequency|element_.*|.*purity|cod_in|cod_out|.*concentration|.*hours|.*load.*|.*_cc)$")
NOISY = {"ncv", "cc"}
#: Product outputs an outlier writes ten times too small (the intensity then looks ten times too high).
OUTPUTS = ("clinker_output", "glass_output", "crude", "al_liquid", "output", "supplied", "power_supplied")


def templates() -> list[dict]:
    out = []
    for f in sorted((ROOT / "examples").glob("*.json")):
        if f.name.startswith(SKIP):
            continue
        doc = json.loads(f.read_text(encoding="utf-8"), parse_float=str)
        for key in ("reported", "evidence", "plan", "previous_plan"):
            doc.pop(key, None)
        out.append(doc)
    return out


def _num(raw):
    """(Decimal, rebuild) for a figure given as text or as {value, unit, ...}, else None."""
    if isinstance(raw, str):
        try:
            return Decimal(raw), lambda d: format(d, "f")
        except ArithmeticError:
            return None
    if isinstance(raw, dict) and isinstance(raw.get("value"), str):
        try:
            value = Decimal(raw["value"])
        except ArithmeticError:
            return None
        return value, lambda d: {**raw, "value": format(d, "f")}
    return None


def scaled(doc: dict, k: Decimal, rng: random.Random) -> dict:
    noise = {name: Decimal(rng.randint(-300, 300)) / 10000 for name in NOISY}
    for rows in doc.get("pages", {}).values():
        for row in rows if isinstance(rows, list) else []:
            for field, raw in list(row.items()):
                got = _num(raw)
                if got is None:
                    continue
                value, rebuild = got
                if field in NOISY:
                    row[field] = rebuild((value * (1 + noise[field])).quantize(value) if value.as_tuple().exponent < 0 else value)
                elif isinstance(raw, list) or INTENSIVE.match(field):
                    continue
                else:
                    row[field] = rebuild(value * k)
    return doc


def make(n: int, out: Path, seed: int = 17, outliers: float = 0.0) -> list[Path]:
    rng = random.Random(seed)
    base = templates()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(n):
        doc = copy.deepcopy(base[i % len(base)])
        k = Decimal(rng.randint(30, 300)) / 100
        doc = scaled(doc, k, rng)
        doc["enterprise"] = {**doc.get("enterprise", {}), "name": f"{doc['sector']}-{i:06d}", "credit_code": f"91{i:016d}"}
        if outliers and rng.random() < outliers:
            for rows in doc["pages"].values():
                hit = [r for r in rows if isinstance(r, dict) and any(o in r for o in OUTPUTS)] if isinstance(rows, list) else []
                if hit:
                    field = next(o for o in OUTPUTS if o in hit[0])
                    got = _num(hit[0][field])
                    if got:
                        hit[0][field] = got[1](got[0] / 10)
                        doc["enterprise"]["note"] = f"planted outlier: {field} written ten times too small"
                        break
        path = out / f"{i // 1000:03d}" / f"{doc['sector']}-{i:06d}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    return written


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--outliers", type=float, default=0.0)
    a = ap.parse_args()
    paths = make(a.n, a.out, a.seed, a.outliers)
    print(f"{len(paths)} enterprise-years in {a.out} ({len(templates())} templates, seed {a.seed})")


if __name__ == "__main__":
    main()
