"""Write examples/verify-clean.json and examples/verify-defects.json.

The reported figures are what an enterprise would have computed, derived here by
plain Decimal arithmetic from the guideline formulas and the general-2015 default
values (copied by hand below), independently of the engine. Run it again only on
purpose and review the diff: ``python examples/make_verify_examples.py``.
"""

from __future__ import annotations

import copy
import json
from decimal import ROUND_HALF_UP, Decimal as D
from pathlib import Path

HERE = Path(__file__).parent
C = D(44) / D(12)  # co2_per_c
# general-2015 defaults (fuel table: ncv GJ/unit, cc tC/GJ, of), calcite factor, 2022 grid factor.
FUELS = {
    "bituminous": (D("19.570"), D("0.0261"), D("0.93")),
    "natural_gas": (D("389.31"), D("0.0153"), D("0.99")),
    "diesel": (D("42.652"), D("0.0202"), D("0.98")),
    "coke": (D("28.435"), D("0.0295"), D("0.93")),
    "anthracite": (D("26.7"), D("0.0274"), D("0.94")),
}
CALCITE = D("0.43971")
DOLOMITE = D("0.47732")
GRID = {2022: D("0.5703"), 2020: D("0.6101")}


def r4(x: D) -> D:
    return x.quantize(D("0.0001"), rounding=ROUND_HALF_UP)


def combustion(fuel, consumption, ncv=None, cc=None, of=None):
    n, c, o = FUELS[fuel]
    return r4(D(consumption) * D(ncv or n) * D(cc or c) * D(of or o) * C)


MONTHS_T = ["1100", "950", "1000", "980", "1020", "990", "1010", "1050", "970", "960", "1000", "970"]
MONTHS_NCV = ["21.105", "20.420", "20.015", "19.880", "20.300", "20.950", "21.400", "20.100", "19.750", "20.600", "20.800", "20.900"]
wmean = sum(D(t) * D(n) for t, n in zip(MONTHS_T, MONTHS_NCV)) / sum(D(t) for t in MONTHS_T)
amean = sum(D(n) for n in MONTHS_NCV) / 12
NCV_W = str(wmean.quantize(D("0.001"), rounding=ROUND_HALF_UP))
NCV_A = str(amean.quantize(D("0.001"), rounding=ROUND_HALF_UP))
assert NCV_W != NCV_A, (NCV_W, NCV_A)
assert sum(D(t) for t in MONTHS_T) == 12000

PLAN_FUEL = [
    {"page": "fuel_combustion", "field": "consumption", "source": "measured", "description": "皮带秤/流量计，每日记录，月度盘存",
     "instrument": "电子皮带秤 ICS-20", "frequency": "daily",
     "missing_data": {"method": "value", "description": "缺失时取上一年同月最大值（保守）", "value": None}},
    {"page": "fuel_combustion", "field": "ncv", "match": {"fuel": "bituminous"}, "source": "measured", "basis": "入炉煤",
     "description": "入炉煤每日化验，按入炉煤量加权为月值", "method": "GB/T 213", "frequency": "daily"},
    {"page": "fuel_combustion", "field": "ncv", "source": "default", "description": "指南缺省值"},
    {"page": "fuel_combustion", "field": "cc", "source": "default", "description": "指南缺省值"},
    {"page": "fuel_combustion", "field": "of", "source": "default", "description": "指南缺省值"},
    {"page": "electricity_heat", "field": "purchased", "source": "measured", "description": "供电局关口表，电费结算单", "frequency": "monthly"},
    {"page": "electricity_heat", "field": "exported", "source": "measured", "description": "外供电表", "frequency": "monthly"},
    {"page": "general_process", "field": "quantity", "source": "measured", "description": "石灰石入库过磅单",
     "missing_data": {"method": "value", "value": "300", "unit": "t", "description": "缺失时按脱硫设计消耗量 300 t 计（保守）"}},
    {"page": "general_process", "field": "purity", "source": "measured", "description": "石灰石纯度检测报告"},
    {"page": "general_process", "field": "ef", "source": "default", "description": "碳酸钙分解排放因子"},
]
SOURCES = [
    {"page": "fuel_combustion", "match": {"source_name": "1#锅炉", "fuel": "bituminous"}},
    {"page": "fuel_combustion", "match": {"source_name": "食堂灶", "fuel": "natural_gas"}},
    {"page": "fuel_combustion", "match": {"source_name": "厂内叉车", "fuel": "diesel"}},
    {"page": "fuel_combustion", "match": {"source_name": "烘干炉", "fuel": "coke"}},
    {"page": "electricity_heat", "match": {"item": "外购电"}},
    {"page": "general_process", "match": {"item": "石灰石脱硫"}},
]


def clean() -> dict:
    plan = copy.deepcopy(PLAN_FUEL)
    plan[0].pop("missing_data")
    plan.insert(3, {"page": "fuel_combustion", "field": "ncv", "match": {"fuel": "coke"}, "source": "measured", "basis": "入炉",
                    "description": "每批次化验", "frequency": "per_batch"})
    rows = [
        {"source_name": "1#锅炉", "kind": "stationary", "fuel": "bituminous", "method": "carbon_content", "consumption": "12000",
         "ncv": {"value": NCV_W, "source": "measured", "frequency": "daily"}},
        {"source_name": "食堂灶", "kind": "stationary", "fuel": "natural_gas", "method": "carbon_content", "consumption": {"value": "15.6", "unit": "10^4 Nm3"}},
        {"source_name": "厂内叉车", "kind": "mobile", "fuel": "diesel", "method": "carbon_content", "consumption": "48.2"},
        {"source_name": "烘干炉", "kind": "stationary", "fuel": "coke", "method": "carbon_content", "consumption": "860",
         "ncv": {"value": "28.950", "source": "measured", "frequency": "per_batch"}},
    ]
    e = [combustion("bituminous", "12000", NCV_W), combustion("natural_gas", "15.6"), combustion("diesel", "48.2"),
         combustion("coke", "860", "28.950")]
    net = D("8500") - D("120")
    elec = r4(net * GRID[2022])
    proc = r4(D("300") * D("0.92") * CALCITE)
    stationary = r4(e[0] + e[1] + e[3])
    mobile = r4(e[2])
    total = stationary + mobile + elec + proc
    reported = {f"$.pages.fuel_combustion[{i}].emissions": str(v) for i, v in enumerate(e)}
    reported.update({
        "$.pages.electricity_heat[0].net": str(net),
        "$.pages.electricity_heat[0].emissions": str(elec),
        "$.pages.general_process[0].emissions": str(proc),
        "$.totals.energy_direct_stationary": str(stationary),
        "$.totals.energy_direct_mobile": str(mobile),
        "$.totals.energy_indirect": str(elec),
        "$.totals.process": str(proc),
        "$.totals.total": str(total),
    })
    return {
        "sector": "general",
        "year": 2022,
        "enterprise": {"name": "示例建材有限公司（核查示例，无缺陷）", "credit_code": "91500000EXAMPLE001", "province": "重庆"},
        "pages": {
            "fuel_combustion": rows,
            "electricity_heat": [{"item": "外购电", "carrier": "electricity", "purchased": "8500", "exported": "120"}],
            "general_process": [{"item": "石灰石脱硫", "method": "carbonate", "carbonate": "calcite", "quantity": "300", "purity": "0.92"}],
        },
        "reported": reported,
        "evidence": {
            "monthly": {
                "$.pages.fuel_combustion[0].consumption": {"values": MONTHS_T},
                "$.pages.fuel_combustion[0].ncv": {"values": MONTHS_NCV, "weights": "$.pages.fuel_combustion[0].consumption"},
            },
            "meters": [{"row": "$.pages.electricity_heat[0]", "purchased": "8500", "exported": "120", "unit": "MWh", "note": "2022年电费结算单合计"}],
        },
        "plan": {"version": "3", "year": 2022, "parameters": plan, "emission_sources": SOURCES,
                 "revisions": [{"version": "3", "date": "2021-10-10", "situations": ["new_source"], "content": "新增烘干炉（焦炭）"}],
                 "events": [{"situation": "new_source", "date": "2021-09-01", "description": "烘干炉投运"}]},
        "previous_plan": {"version": "2", "year": 2021, "parameters": plan, "emission_sources": SOURCES},
    }


def defects() -> dict:
    """Every defect the host checks know, one (or a few) per row; see the `_defects` list in the file."""
    plan = copy.deepcopy(PLAN_FUEL)
    plan[0].pop("missing_data")  # natural-gas consumption has no missing-data procedure
    plan[7]["missing_data"]["value"] = "300"
    plan = [p for p in plan if p["field"] != "purity"]  # defect: purity has no determination method
    plan.insert(3, {"page": "fuel_combustion", "field": "ncv", "match": {"fuel": "coke"}, "source": "supplier",
                    "description": "供应商质检单"})
    plan.insert(4, {"page": "fuel_combustion", "field": "cc", "match": {"fuel": "bituminous"}, "source": "default",
                    "description": "指南缺省值"})
    prev = copy.deepcopy(plan)
    prev[3] = {"page": "fuel_combustion", "field": "ncv", "match": {"fuel": "coke"}, "source": "measured", "basis": "入炉",
               "description": "每批次化验", "frequency": "per_batch"}
    rows = [
        # monthly NCV averaged arithmetically; carbon content measured while the plan says default
        {"source_name": "1#锅炉", "kind": "stationary", "fuel": "bituminous", "method": "carbon_content", "consumption": "12000",
         "ncv": {"value": NCV_A, "source": "measured", "frequency": "daily"},
         "cc": {"value": "0.02650", "source": "measured", "frequency": "monthly"}},
        # consumption substituted (meter failure) without a plan procedure
        {"source_name": "食堂灶", "kind": "stationary", "fuel": "natural_gas", "method": "carbon_content",
         "consumption": {"value": "14.0", "unit": "10^4 Nm3", "source": "estimated", "note": "3月流量计故障，按前月估算"}},
        # NCV a thousand times too large (kJ/kg digits with GJ/t); monthly consumption does not add up
        {"source_name": "厂内叉车", "kind": "mobile", "fuel": "diesel", "method": "carbon_content", "consumption": "48.2",
         "ncv": {"value": "42652", "unit": "GJ/t", "source": "supplier"}},
        # NCV measured at more than twice the default
        {"source_name": "烘干炉", "kind": "stationary", "fuel": "coke", "method": "carbon_content", "consumption": "860",
         "ncv": {"value": "58.0", "source": "supplier"}},
        # a boiler the plan does not list
        {"source_name": "2#锅炉", "kind": "stationary", "fuel": "anthracite", "method": "carbon_content", "consumption": "500"},
    ]
    e = [combustion("bituminous", "12000", NCV_A, "0.02650"),
         combustion("natural_gas", "14.0"),
         combustion("diesel", "48.2", "42652"),
         combustion("coke", "860", "58.0"),
         combustion("anthracite", "500")]
    net0 = D("8500") - D("120")
    elec0 = r4(net0 * GRID[2020])  # reported with the 2020 factor the submission supplies
    elec1 = D("0")  # green-power contract counted at zero
    proc0 = r4(D("250") * D("0.92") * CALCITE)  # substituted quantity under the plan's 300 t
    proc1_true = r4(D("120") * D("0.95") * DOLOMITE)
    proc1 = proc1_true + D("10")  # a slip in the reported figure
    stationary = r4(e[0] + e[1] + e[3] + e[4])
    mobile = e[2]
    indirect = elec0 + elec1
    process = proc0 + proc1
    total = stationary + mobile + indirect + process
    reported = {f"$.pages.fuel_combustion[{i}].emissions": str(v) for i, v in enumerate(e)}
    reported.update({
        "$.pages.electricity_heat[0].emissions": str(elec0),
        "$.pages.electricity_heat[1].emissions": str(elec1),
        "$.pages.general_process[0].emissions": str(proc0),
        "$.pages.general_process[1].emissions": str(proc1),
        "$.totals.energy_direct_stationary": str(stationary),
        "$.totals.energy_direct_mobile": str(mobile),
        "$.totals.energy_indirect": str(indirect),
        "$.totals.process": str(process),
        "$.totals.total": str(total),
    })
    months_diesel = ["4.1", "3.9", "4.0", "4.2", "4.0", "3.8", "4.1", "4.0", "3.9", "4.0", "4.1", "3.9"]  # sums to 48.0
    assert sum(D(x) for x in months_diesel) == D("48.0")
    return {
        "sector": "general",
        "year": 2022,
        "enterprise": {"name": "示例建材有限公司（核查示例，含预设缺陷）", "credit_code": "91500000EXAMPLE002", "province": "重庆"},
        "parameters": {"grid_ef": {"value": "0.6101", "unit": "tCO2/MWh", "note": "沿用上年系统预填值"}},
        "pages": {
            "fuel_combustion": rows,
            "electricity_heat": [
                {"item": "外购电", "carrier": "electricity", "purchased": "8500", "exported": "120"},
                {"item": "绿电直购", "carrier": "electricity", "purchased": "2000"},
            ],
            "general_process": [
                {"item": "石灰石脱硫", "method": "carbonate", "carbonate": "calcite",
                 "quantity": {"value": "250", "source": "estimated", "note": "6月过磅单缺失"}, "purity": "0.92"},
                {"item": "白云石熔剂", "method": "carbonate", "carbonate": "dolomite", "quantity": "120", "purity": "0.95"},
            ],
        },
        "reported": reported,
        "evidence": {
            "monthly": {
                "$.pages.fuel_combustion[0].consumption": {"values": MONTHS_T},
                "$.pages.fuel_combustion[0].ncv": {"values": MONTHS_NCV, "weights": "$.pages.fuel_combustion[0].consumption"},
                "$.pages.fuel_combustion[2].consumption": {"values": months_diesel},
            },
            "meters": [{"row": "$.pages.electricity_heat[0]", "purchased": "8600", "exported": "120", "unit": "MWh", "note": "2022年电费结算单合计"}],
            "contracts": [{"kind": "renewable_direct_purchase", "counterparty": "某水电站", "quantity": {"value": "2000", "unit": "MWh"},
                           "claimed_factor": "0", "rows": ["$.pages.electricity_heat[1]"]}],
        },
        "plan": {"version": "3", "year": 2022, "parameters": plan,
                 "emission_sources": SOURCES + [{"page": "electricity_heat", "match": {"item": "绿电直购"}},
                                                {"page": "general_process", "match": {"item": "白云石熔剂"}}],
                 "revisions": [{"version": "3", "date": "2021-10-10", "situations": ["new_source"], "content": "新增烘干炉（焦炭）"}],
                 "events": [{"situation": "new_source", "date": "2021-09-01", "description": "烘干炉投运"},
                            {"situation": "incorrect_data", "date": "2022-08-10", "description": "发现1#皮带秤计量偏差"}]},
        "previous_plan": {"version": "2", "year": 2021, "parameters": prev, "emission_sources": SOURCES},
    }


def power_frequency() -> dict | None:
    """The power example plant of 2022 with one defect the general sector cannot show: an element
    carbon content measured quarterly where the guideline requires monthly (Q&A 25), and the
    enterprise's figure computed with it. Needs the power sector (examples/power-plant-2022.json)."""
    src = HERE / "power-plant-2022.json"
    if not src.exists():
        return None
    sub = json.loads(src.read_text(encoding="utf-8"))
    sub["enterprise"] = dict(sub.get("enterprise", {}), name="示例热电有限公司（核查示例：检测频次不足）")
    row = sub["pages"]["fuel_t"][0]
    row["element_carbon"] = dict(row["element_carbon"], frequency="quarterly")
    # The enterprise used the quarterly value anyway. By hand, with the 2022 power rules
    # (fuel heat 3 decimals, carbon per heat 5 decimals, coal oxidation 99 %):
    heat = (D(row["consumption"]) * D(row["ncv"]["value"])).quantize(D("0.001"), rounding=ROUND_HALF_UP)
    cph = (D(row["element_carbon"]["value"]) / D(row["ncv"]["value"])).quantize(D("0.00001"), rounding=ROUND_HALF_UP)
    emissions = (heat * cph * D("0.99") * C).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    sub["reported"] = {"$.pages.fuel_t[0].emissions": str(emissions)}
    # A plan naming every parameter the report uses (measured where the data are measured).
    from mrv_engine import Engine
    from mrv_engine.core.calc.engine import calculate

    eng = Engine()
    result = calculate(eng.composition("power", 2022), sub, 2022)
    entries = []
    for pr in result.pages:
        for fid, f in pr.spec.fields.items():
            kinds = {r.prov[fid].kind for r in pr.rows if fid in r.prov} | {r.discarded[fid][1].kind for r in pr.rows if fid in r.discarded}
            if f.numeric and kinds:
                src_kind = "measured" if kinds & {"measured", "discarded"} else "default" if kinds <= {"default", "substituted"} else "measured"
                entries.append({"page": pr.spec.id, "field": fid, "source": src_kind})
    sub["plan"] = {"version": "1", "year": 2022, "parameters": entries}
    return sub


def main():
    for name, data in (("verify-clean.json", clean()), ("verify-defects.json", defects()),
                       ("verify-power-frequency.json", power_frequency())):
        if data is None:
            print("skipped", name, "(no power example here)")
            continue
        (HERE / name).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print("wrote", name)


if __name__ == "__main__":
    main()
