"""Report and verification workbooks: every figure a live Excel formula over its operands' cells,
and, recalculated by LibreOffice, every figure equal to the engine's at its declared decimals."""

import shutil
from decimal import ROUND_HALF_UP, Decimal

import pytest
from click.testing import CliRunner
from mrv_engine import load_document
from mrv_engine.cli.main import cli

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def at(value, decimals):
    """``value`` (a cell's double or the engine's Decimal) half up at ``decimals``, from its shortest text."""
    d = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    return d.quantize(Decimal(1).scaleb(-int(decimals)), ROUND_HALF_UP)


def report_book(engine, examples_dir, name, tmp_path, verify=False):
    sub, _ = load_document(examples_dir / name)
    obj = engine.verify(sub) if verify else engine.calculate(sub)
    path = tmp_path / (name.replace(".json", "-verify" if verify else "") + ".xlsx")
    path.write_bytes(engine.workbook(obj))
    return path, obj


@pytest.mark.parametrize("name", ["power-plant-2022.json", "aluminium-2022.json", "refining-2022.json"])
def test_every_trace_figure_is_a_formula_over_cells_with_its_rounding(name, engine, examples_dir, tmp_path):
    from openpyxl import load_workbook

    path, result = report_book(engine, examples_dir, name, tmp_path)
    wb = load_workbook(path)
    trace = wb["计算过程"]
    rows = [r for r in trace.iter_rows(min_row=4) if r[0].value]
    assert len(rows) == sum(1 for _ in engine.trace(result))  # one row per figure of the trace
    for place, _label, _f, _case, decimals, value, *_ in ((c.value for c in r) for r in rows):
        assert isinstance(value, str) and value.startswith("="), place  # never a pasted value
        assert "!" in value or "(" in value
        if decimals is not None:
            assert value.startswith("=ROUND(") and value.endswith(f",{decimals})"), place


def test_xlsx_needs_an_output_file():
    run = CliRunner().invoke(cli, ["calc", "examples/hubei-coke.json", "--format", "xlsx"])
    assert run.exit_code == 2 and "-o" in run.output


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: .ci/run installs "
                                            "libreoffice-calc-nogui; without it the recalculation cannot be checked")
def test_libreoffice_recalculates_every_figure_to_the_engines(engine, examples_dir, tmp_path, recalculated):
    from openpyxl import load_workbook

    power, power_result = report_book(engine, examples_dir, "power-plant-2022.json", tmp_path)
    verified, report = report_book(engine, examples_dir, "verify-defects.json", tmp_path, verify=True)
    # A verifier changes an input: seed 000's coke consumption 35264 t -> 10000 t on the page sheet.
    coke, _ = report_book(engine, examples_dir, "hubei-coke.json", tmp_path)
    wb = load_workbook(coke)
    page = wb["化石燃料燃烧排放"]
    col = next(c.column_letter for c in page[2] if c.value == "燃料消耗量")
    assert page[f"{col}4"].value == 35264
    page[f"{col}4"] = 10000
    wb.save(coke)

    out = recalculated(power, verified, coke)

    for path, result in ((out / power.name, power_result), (out / verified.name, report.result)):
        wb = load_workbook(path, data_only=True)
        count = 0
        for row in wb["计算过程"].iter_rows(min_row=4, values_only=True):
            if not row[0]:
                continue
            place, decimals, recalculated, figure = row[0], row[4], row[5], row[7]
            assert isinstance(recalculated, (int, float)), f"{path.name} {place}: {recalculated!r}"
            if decimals is not None:
                assert at(recalculated, decimals) == at(figure, decimals), place
            else:  # no rounding declared: the double agrees with the exact figure to 12 significant digits
                assert abs(Decimal(repr(float(recalculated))) - Decimal(repr(float(figure)))) <= Decimal("1e-12") * max(1, abs(Decimal(figure)))
            count += 1
        assert count == sum(1 for _ in engine.trace(result))
        summary = {r[0]: r for r in wb["汇总"].iter_rows(values_only=True) if r[0]}
        d = result.comp.report["decimals"]
        assert at(summary["合计"][1], d) == result.total
        for gas, g in result.gases.items():
            assert at(summary[gas][2], d) == g["co2e"] and at(summary[gas][1], d) == g["mass"]
        rows = list(wb["汇总"].iter_rows(values_only=True))
        head = next(i for i, r in enumerate(rows) if r[0] == "排放类别")
        categories = rows[head + 1:head + 1 + len(result.totals)]
        assert [at(r[1], d) for r in categories] == list(result.totals.values())
        sd = result.comp.report["share_decimals"]
        assert [at(r[2], sd) if r[2] != "" else None for r in categories] == list(result.shares.values())

    wb = load_workbook(out / coke.name, data_only=True)
    (row,) = [r for r in wb["计算过程"].iter_rows(min_row=4, values_only=True) if r[0]]
    # 10000 t x 28.435 GJ/t x 0.108167 tCO2/GJ x 1 = 30757.28645 -> 30757.2865 (half up, 4 decimals)
    assert at(row[5], 4) == Decimal("30757.2865")
    assert at({r[0]: r for r in wb["汇总"].iter_rows(values_only=True) if r[0]}["合计"][1], 4) == Decimal("30757.2865")
