"""The report workbook shows the allocation and the surrender obligation where a plan governs the
year: the cement line of tests/compliance/test_industry_plans.py (67967 tCO2 by hand), whose
holdings a compliance officer changes in Excel; a plan that cannot allocate says why; no plan, no sheets."""

import copy
import json
import shutil
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cement-clinker-default-2024.json"


def _line() -> dict:
    """One clinker line: 100000 t × 0.5 tCO2/t = 50000, and 10000 t coal × 20 GJ/t × 0.025 tC/GJ × 0.98 × 44/12
    = 17966.6667 tCO2 (4 decimals); direct 67966.6667, whole tonnes 67967 (as in test_industry_plans)."""
    sub = copy.deepcopy(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    pages = sub["pages"]
    pages["clinker_process"] = [{"line": "1#线", "clinker_type": "portland", "clinker": "100000", "ef": "0.5"}]
    pages.pop("substitute_materials", None)
    pages["supplementary_fuels"] = [{"line": "1#线", "fuel": "bituminous", "consumption": "10000", "ncv": "20", "cc": "0.025", "of": "0.98"}]
    pages["supplementary_lines"] = [{"line": "1#线", "facility": "clinker_line", "clinker_output": "100000", "electricity": "5000"}]
    return sub

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def book(engine, sub, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(engine.workbook(engine.calculate(sub)))
    return path


def rows(ws):
    """Rows by their label in column A, the first of each (the trace below repeats some labels)."""
    out = {}
    for r in ws.iter_rows(values_only=True):
        if r[0]:
            out.setdefault(r[0], r)
    return out


def test_cement_sheets(engine, tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(book(engine, _line(), tmp_path, "cement.xlsx"))
    assert wb.sheetnames[-2:] == ["配额分配", "履约清缴"]
    alloc = wb["配额分配"]
    assert "2024、2025年度全国碳排放权交易市场钢铁、水泥、铝冶炼行业配额总量和分配方案" in alloc["A1"].value
    trace = [r for r in alloc.iter_rows(min_row=4, values_only=True) if r[0] == "1#线"]
    allowance = next(r for r in trace if r[1].startswith("生产线2024年度配额量"))
    assert allowance[5] == 67967 and "经核查的实际碳排放量相等" in allowance[8]
    basis = next(r for r in trace if r[1].startswith("经核查排放量"))
    assert "67966.6667 四舍五入保留 0 位" in basis[7] and "UNVERIFIED" in basis[8]
    ob = rows(wb["履约清缴"])
    assert ob["应清缴配额量"][1] == 67967
    assert ob["持有的当年度配额"][1].startswith("=配额分配!")  # the allocation above, unless the user types a holding
    assert ob["尚需购买的配额"][1].startswith("=MAX(0,")


def test_a_plan_that_cannot_allocate_says_why(engine, examples_dir, tmp_path):
    from mrv_engine import load_document
    from openpyxl import load_workbook

    sub, _ = load_document(examples_dir / "power-plant-2023.json")
    wb = load_workbook(book(engine, sub, tmp_path, "power-2023.xlsx"))
    ws = wb["配额分配"]
    assert "履约清缴" not in wb.sheetnames
    assert "发电基准值（b_gen）" in ws["B4"].value and "未给出" in ws["B4"].value


def test_no_plan_no_sheets(engine, examples_dir, tmp_path):
    from mrv_engine import load_document
    from openpyxl import load_workbook

    sub, _ = load_document(examples_dir / "hubei-coke.json")
    assert "配额分配" not in load_workbook(book(engine, sub, tmp_path, "coke.xlsx")).sheetnames


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: .ci/run installs "
                                            "libreoffice-calc-nogui; without it the recalculation cannot be checked")
def test_holdings_typed_in_excel_give_what_remains_to_buy(engine, tmp_path, recalculated):
    from openpyxl import load_workbook

    path = book(engine, _line(), tmp_path, "cement.xlsx")
    wb = load_workbook(path)
    ws = wb["履约清缴"]
    cell = {}
    for r in ws.iter_rows():
        if r[0].value:
            cell.setdefault(r[0].value, r[1])
    cell["持有的当年度配额"].value = 60000
    cell["持有的CCER"].value = 5000
    wb.save(path)
    out = recalculated(path)
    got = rows(load_workbook(out / path.name, data_only=True)["履约清缴"])
    # 5 % of 67967 = 3398.35, rounded down: 3398; 67967 − 3398 − 60000 = 4569 (as mrv comply --allowances 60000 --ccer 5000)
    assert got["CCER抵销上限（向下取整）"][1] == 3398
    assert got["可用于抵销的CCER"][1] == 3398
    assert got["尚需购买的配额"][1] == 4569
    assert got["盈余配额"][1] == 0


def test_standalone_allocation_workbook(engine, tmp_path):
    """mrv allocate --format xlsx: the allocation sheet alone, written atomically with -o; refused without -o."""
    from click.testing import CliRunner
    from mrv_engine.cli.main import cli
    from openpyxl import load_workbook

    src = tmp_path / "line.json"
    src.write_text(json.dumps(_line(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "alloc.xlsx"
    r = CliRunner().invoke(cli, ["allocate", str(src), "--format", "xlsx", "-o", str(out), "--lang", "en"])
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Allocation"]
    got = rows(wb["Allocation"])
    assert got["Total"][1].startswith("=SUM(") and got["1#线"][5] == 67967
    r = CliRunner().invoke(cli, ["allocate", str(src), "--format", "xlsx"])
    assert r.exit_code == 2 and "-o" in r.output
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx"] == ["alloc.xlsx"]  # nothing half-written


def _comply_book(tmp_path, *args):
    from click.testing import CliRunner
    from mrv_engine.cli.main import cli

    src = tmp_path / "line.json"
    src.write_text(json.dumps(_line(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "comply.xlsx"
    r = CliRunner().invoke(cli, ["comply", str(src), "--format", "xlsx", "-o", str(out), *args])
    assert r.exit_code == 0, r.output
    return out


def test_standalone_compliance_workbook_holds_the_given_amounts(tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(_comply_book(tmp_path, "--allowances", "60000", "--ccer", "5000", "--banked", "100"))
    assert wb.sheetnames == ["配额分配", "履约清缴"]
    ob = rows(wb["履约清缴"])
    assert (ob["持有的当年度配额"][1], ob["持有的CCER"][1], ob["以前年度结转配额"][1]) == (60000, 5000, 100)
    assert ob["持有的当年度配额"][2] == "调用方给出的实发配额"
    assert ob["尚需购买的配额"][1].startswith("=MAX(0,")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: .ci/run installs "
                                            "libreoffice-calc-nogui; without it the recalculation cannot be checked")
def test_standalone_compliance_workbook_recalculated_equals_mrv_comply(engine, tmp_path, recalculated):
    from openpyxl import load_workbook

    path = _comply_book(tmp_path, "--allowances", "60000", "--ccer", "5000", "--banked", "100")
    out = recalculated(path)
    got = rows(load_workbook(out / path.name, data_only=True)["履约清缴"])
    # by hand: 5 % of 67967 = 3398.35 → 3398; 67967 − 3398 − 60000 − 100 = 4469
    assert got["CCER抵销上限（向下取整）"][1] == 3398
    assert got["尚需购买的配额"][1] == 4469
    c = engine.comply(_line(), allowances="60000", ccer="5000", banked="100")
    assert c.figures["to_buy"] == 4469
