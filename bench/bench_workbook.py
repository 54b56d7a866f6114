"""Benchmark: a filled power template read and calculated, against the same submission read as JSON.

    python bench/bench_workbook.py [--repeat 5]

The submission is a power plant of 10 generating units over 12 months, each unit burning every fuel
the power form offers (coal, fuel oil and diesel on the fuel table in t, natural gas on the gas
table: 4, not 5: the form has no fifth), with its electricity and production, built from the
example plant's first unit. Both paths start from bytes in memory (the JSON text; the template
written by ``Engine.template`` from that submission) and end with a calculated Result; the best of
``--repeat`` runs of each, in the same process after one warm-up, is reported, with the workbook's
read alone. No timing is asserted anywhere; compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import copy
import json
import tempfile
import time
from pathlib import Path

from mrv_engine import Engine, load_json_text, read_workbook, to_json

ROOT = Path(__file__).resolve().parent.parent
UNITS, FUELS_T, GAS = 10, ["coal", "fuel_oil", "diesel"], ["natural_gas"]


def plant() -> dict:
    base = json.loads((ROOT / "examples" / "power-plant-2022.json").read_text(encoding="utf-8"))
    first = base["pages"]["plan_units"][1]  # the unmerged unit
    name = first["unit"]
    pages: dict = {"plan_units": [], "fuel_t": [], "fuel_gas": [], "electricity": [], "production": [], "allocation": []}
    months = {p: [r for r in base["pages"][p] if r["unit"] == name] for p in ("fuel_t", "electricity", "production")}
    gas = base["pages"]["fuel_gas"]
    for u in range(1, UNITS + 1):
        unit = f"{u}号机组"
        pages["plan_units"].append(dict(first, unit=unit))
        for fuel in FUELS_T:
            for row in months["fuel_t"]:
                pages["fuel_t"].append(dict(copy.deepcopy(row), unit=unit, fuel=fuel))
        for fuel in GAS:
            for row in gas:
                pages["fuel_gas"].append(dict(copy.deepcopy(row), unit=unit, fuel=fuel))
        pages["production"] += [dict(copy.deepcopy(r), unit=unit) for r in months["production"]]
        pages["electricity"] += [{"unit": unit, "month": r["month"], "metering": "per_unit", "purchased": "152.04"}
                                 for r in months["electricity"]]
        pages["allocation"].append({"unit": unit, "category": "coal_above_300"})
    return {"sector": "power", "year": 2022, "enterprise": {"name": "基准测试电厂（10台机组）"}, "pages": pages}


def best(fn, repeat: int) -> float:
    fn()  # warm-up: rulesets loaded, the composition compiled, openpyxl imported
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    engine = Engine()
    sub = plant()
    text = to_json(sub)
    book = Path(tempfile.mkdtemp()) / "plant.xlsx"
    book.write_bytes(engine.template("power", 2022, submission=sub))
    assert read_workbook(book).submission == load_json_text(text, "plant.json")  # the same submission both ways

    def from_json():
        return engine.calculate(load_json_text(text, "plant.json"))

    def from_workbook():
        return engine.calculate(read_workbook(book).submission)

    rows = sum(len(v) for v in sub["pages"].values())
    j, w, r = best(from_json, args.repeat), best(from_workbook, args.repeat), best(lambda: read_workbook(book), args.repeat)
    print(f"{UNITS} units x 12 months x {len(FUELS_T) + len(GAS)} fuels: {rows} rows; JSON {len(text) // 1024} KiB, "
          f"workbook {book.stat().st_size // 1024} KiB")
    print(f"read JSON + calculate:     {j * 1000:.1f} ms")
    print(f"read workbook + calculate: {w * 1000:.1f} ms  ({w / j:.1f}x the JSON path; reading alone {r * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
