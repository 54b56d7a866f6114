"""Workbooks as input: the template of every example reads back as the same submission, cells are
read exactly, and a damaged or hostile workbook is a finding naming its cell, never a traceback."""

import io
import re
import zipfile
from decimal import Decimal

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from mrv_engine import InputError, load_document, read_workbook
from mrv_engine.cli.main import cli

EXAMPLES = sorted(p.name for p in (__import__("pathlib").Path(__file__).resolve().parents[2] / "examples").glob("*.json"))
COKE = "$.pages.fuel_combustion[0].consumption"


def findings_of(path):
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    return exc.value.findings


# -- round trip ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_survives_json_template_workbook_load(name, filled, examples_dir):
    """JSON -> mrv template --from -> workbook -> load gives back the same submission, key for key:
    trailing zeros (330.0000), JSON integers, value objects with their unit/source/frequency/basis,
    alternatives by basis, parameters, reported figures and verification records included."""
    original, _ = load_document(examples_dir / name)
    back, _ = load_document(filled(name))
    assert back == original


def test_the_english_template_round_trips_too(filled, examples_dir):
    original, _ = load_document(examples_dir / "power-plant-2022.json")
    path = filled("power-plant-2022.json", lang="en")
    from openpyxl import load_workbook

    assert "About" in load_workbook(path, read_only=True).sheetnames
    assert load_document(path)[0] == original


def test_the_cli_template_from_a_submission_calculates_as_the_json(tmp_path, examples_dir):
    out = tmp_path / "plant.xlsx"
    run = CliRunner().invoke(cli, ["template", "power", "--from", str(examples_dir / "power-plant-2022.json"), "-o", str(out)])
    assert run.exit_code == 0, run.output
    from_json = CliRunner().invoke(cli, ["calc", str(examples_dir / "power-plant-2022.json"), "--format", "json"])
    from_book = CliRunner().invoke(cli, ["calc", str(out), "--format", "json"])
    assert from_book.exit_code == 0 and from_json.exit_code == 0
    def strip(text):  # the file's name differs, nothing else
        return re.sub(r'"source": "[^"]*"', "", text)

    assert strip(from_book.stdout) == strip(from_json.stdout)


# -- the template's shape ------------------------------------------------------------------

def test_the_template_is_the_composed_form_in_the_reporting_systems_order(engine, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "power.xlsx"
    path.write_bytes(engine.template("power", 2022))
    wb = load_workbook(path)
    form = engine.form("power", 2022)
    titles = [form["properties"]["pages"]["properties"][p]["title"].split(" / ")[0] for p in form["x-page-order"]]
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible[0] == "说明" and visible[1:1 + len(titles)] == [t[:31] for t in titles]
    cover = wb["说明"]
    text = " ".join(str(c.value) for row in cover.iter_rows() for c in row if c.value)
    for rs in engine.composition("power", 2022).rulesets:
        assert rs.id in text and rs.digest in text  # which rules, by id and hash
    fuel = wb["燃料信息表（燃煤、燃油，t）"]
    header = [c.value for c in fuel[3]]
    assert header[:4] == ["机组名称", "燃料品种", "项目", "单位"] and header[4:16] == [f"{m}月" for m in range(1, 13)]
    assert fuel.protection.sheet and not fuel["E4"].protection.locked and fuel["A3"].protection.locked
    lists = {dv.formula1 for dv in fuel.data_validations.dataValidation}
    assert lists  # choices are picked from lists
    names = {c.value for col in wb["_lists"].iter_cols() for c in col if c.value}
    assert "消耗量" in names  # the items by name
    assert wb["_mrv"].sheet_state == "veryHidden"


def test_choices_are_written_by_name_and_numbers_with_the_rules_decimals(filled, cell_of):
    from openpyxl import load_workbook

    path = filled("power-plant-2022.json")
    wb = load_workbook(path)
    sheet, coord = cell_of(path, "$.pages.plan_units[0].boiler_type")
    assert wb[sheet][coord].value == "煤粉炉"  # the name, not the code 'pulverized'
    sheet, coord = cell_of(path, "$.pages.plan_units[0].capacity")
    assert wb[sheet][coord].number_format == "0.0000"  # capacity: decimals 4 in the ruleset


# -- exact reading -------------------------------------------------------------------------

def put(edit, cell_of, path, place, value):
    sheet, coord = cell_of(path, place)
    edit(path, lambda wb: wb[sheet].__setitem__(coord, value))
    return f"{coord}"


def test_a_typed_number_reads_as_the_decimal_typed_never_the_doubles_expansion(filled, edit, cell_of):
    path = filled("hubei-coke.json")
    put(edit, cell_of, path, COKE, 1234.565)
    sub, _ = load_document(path)
    assert sub["pages"]["fuel_combustion"][0]["consumption"]["value"] == "1234.565"
    assert Decimal(1234.565) != Decimal("1234.565")  # noqa: RUF032 - what Decimal(float) would have given


def test_the_seed_coke_figure_from_a_workbook(filled, edit, cell_of, engine):
    """Seed 000: 35264 t x 28.435 GJ/t x 0.108167 tCO2/GJ x 1 = 108462.4949 tCO2 (half up, 4 decimals),
    with the consumption typed into Excel as a plain number."""
    path = filled("hubei-coke.json")
    put(edit, cell_of, path, COKE, 35264)
    sub, _ = load_document(path)
    assert engine.calculate(sub).page("fuel_combustion").rows[0].values["emissions"] == Decimal("108462.4949")


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=6, allow_nan=False, allow_infinity=False))
def test_any_decimal_of_up_to_15_digits_reads_back_from_its_double(d):
    from mrv_engine.core.workbook.cells import shortest

    assert Decimal(shortest(float(str(d)))) == d


@pytest.mark.parametrize(("typed", "read", "how"), [
    ("１２３", "123", "full-width"), ("１２３．５", "123.5", "full-width"),
    ("1,234.5", "1234.5", "thousands"), ("12,345,678", "12345678", "thousands"), ("  42.10 ", "42.10", None),
])
def test_numbers_typed_as_text_are_read_when_unambiguous_and_said_so(typed, read, how, filled, edit, cell_of):
    path = filled("hubei-coke.json")
    coord = put(edit, cell_of, path, COKE, typed)
    got = read_workbook(path)
    value = got.submission["pages"]["fuel_combustion"][0]["consumption"]
    assert value["value"] == read
    if how:
        assert how in value["note"] and coord in value["note"]  # the trace shows the note
        (f,) = [f for f in got.findings if f.code == "workbook.normalized"]
        assert f.severity == "warning" and coord in f.place and COKE in f.place
    else:
        assert not got.findings


@pytest.mark.parametrize("typed", ["12 t", "1,23", "1.2.3", "12吨", "1 234", "1e3"])
def test_anything_else_in_a_number_cell_is_refused_naming_the_cell(typed, filled, edit, cell_of):
    path = filled("hubei-coke.json")
    coord = put(edit, cell_of, path, COKE, typed)
    (f,) = findings_of(path)
    assert f.code == "workbook.not_a_number"
    assert f.place == f"化石燃料燃烧排放!{coord} ({COKE})" and typed in f.message


def test_a_formula_without_a_saved_value_is_refused(filled, edit, cell_of):
    path = filled("hubei-coke.json")
    coord = put(edit, cell_of, path, COKE, "=30000+5264")  # openpyxl saves no cached value
    (f,) = findings_of(path)
    assert f.code == "workbook.formula_without_value"
    assert f.place == f"化石燃料燃烧排放!{coord} ({COKE})"  # sheet!cell and the JSON path
    run = CliRunner().invoke(cli, ["calc", str(path)])
    assert run.exit_code == 1 and f"化石燃料燃烧排放!{coord}" in run.stderr and "Traceback" not in run.output


def test_a_formula_with_its_saved_value_is_read_and_marked(filled, edit, cell_of, engine):
    path = filled("hubei-coke.json")
    coord = put(edit, cell_of, path, COKE, 35264)
    # What Excel saves: the formula and its value, <f>…</f><v>…</v>, in the sheet's XML.
    data = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = re.sub(rf'(<c r="{coord}"[^>]*>)(<v>35264</v>)'.encode(), rb"\1<f>30000+5264</f>\2", body)
            dst.writestr(info, body)
    path.write_bytes(data.getvalue())
    got = read_workbook(path)
    value = got.submission["pages"]["fuel_combustion"][0]["consumption"]
    assert value["value"] == "35264" and "公式" in value["note"] and "formula" in value["note"]
    assert [f.code for f in got.findings] == ["workbook.formula_value"]
    result = engine.calculate(got.submission)
    assert result.page("fuel_combustion").rows[0].values["emissions"] == Decimal("108462.4949")
    consumption_line = next(line for line in engine.explain(result, lang="zh").splitlines() if "(consumption) = 35264 t" in line)
    assert f"读自公式单元格 化石燃料燃烧排放!{coord}" in consumption_line  # the trace marks the formula cell


def test_merged_cells_hidden_rows_and_extra_sheets_do_not_break_reading(filled, edit, examples_dir):
    path = filled("power-plant-2022.json")

    def change(wb):
        ws = wb["燃料信息表（燃煤、燃油，t）"]
        for r in range(5, 9):  # a block shows its unit once: merge the unit cells of one group
            ws.cell(row=r, column=1).value = None
        ws.merge_cells("A4:A8")
        ws.row_dimensions[6].hidden = True
        wb.create_sheet("我的备注").append(["随手记", 1, 2, 3])

    edit(path, change)
    original, _ = load_document(examples_dir / "power-plant-2022.json")
    back, _ = load_document(path)
    assert back == original


# -- bad workbooks ---------------------------------------------------------------------------

def test_not_a_zip(tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_text("sector,year\npower,2022\n", encoding="utf-8")
    (f,) = findings_of(path)
    assert f.code == "workbook.unreadable" and "zip" in f.message


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (64 * 1024 * 1024))  # 64 MiB of zeros, ~64 KiB zipped
    (f,) = findings_of(path)
    assert f.code == "workbook.too_large" and "zip bomb" in f.message


def test_macros_are_refused(filled, tmp_path):
    src = filled("hubei-coke.json")
    path = tmp_path / "with-macros.xlsx"
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(path, "w") as b:
        for info in a.infolist():
            b.writestr(info, a.read(info))
        b.writestr("xl/vbaProject.bin", b"\x00" * 64)
    (f,) = findings_of(path)
    assert f.code == "workbook.macros"
    renamed = tmp_path / "book.xlsm"
    renamed.write_bytes(src.read_bytes())
    assert findings_of(renamed)[0].code == "workbook.macros"


def test_a_password_protected_workbook_is_refused(tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)  # an OLE compound file: EncryptedPackage
    (f,) = findings_of(path)
    assert f.code == "workbook.encrypted" and "password" in f.message


def _without_waiting(fn, seconds=20):
    """fn()'s result or exception, run in a thread: a reader that opens a FIFO to sniff it blocks
    for ever, and the test fails after ``seconds`` instead of hanging the suite."""
    import threading

    box = {}

    def run():
        try:
            box["exc"] = fn()
        except BaseException as exc:  # noqa: BLE001
            box["exc"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "the reader blocked on a FIFO"
    return box.get("exc")


@pytest.mark.parametrize("name", ["plant", "plant.xlsx", "plant.xlsm"])
def test_a_fifo_is_refused_never_waited_on_with_or_without_a_workbook_suffix(tmp_path, name):
    """Sniffing a file without a suffix for the zip's first bytes opened it; a FIFO (a pipe a user
    passes by mistake, /dev/stdin in a script) then blocked for ever. Now it is named as a FIFO."""
    import os

    fifo = tmp_path / name
    os.mkfifo(fifo)
    exc = _without_waiting(lambda: load_document(fifo))
    assert isinstance(exc, InputError) and exc.code == "not_a_file" and "FIFO" in exc.message, exc
    result = _without_waiting(lambda: CliRunner().invoke(cli, ["validate", str(fifo)]))
    assert result.exit_code == 1 and "[not_a_file]" in result.stderr and "Traceback" not in result.output
    assert str(fifo) in result.stderr and ("FIFO" in result.stderr or "命名管道" in result.stderr)


def test_a_workbook_without_its_suffix_is_still_read_as_one(filled, tmp_path, examples_dir):
    path = tmp_path / "plant-no-suffix"
    path.write_bytes(filled("hubei-coke.json").read_bytes())
    assert load_document(path)[0] == load_document(examples_dir / "hubei-coke.json")[0]


def test_a_workbook_not_made_by_the_template(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "own.xlsx"
    wb = Workbook()
    wb.active.append(["燃料", "消耗量"])
    wb.save(path)
    (f,) = findings_of(path)
    assert f.code == "workbook.not_a_template" and "mrv template" in f.message


def test_a_renamed_sheet(filled, edit):
    path = filled("hubei-coke.json")
    edit(path, lambda wb: setattr(wb["化石燃料燃烧排放"], "title", "燃料"))
    codes = {(f.code, f.place) for f in findings_of(path)}
    assert ("workbook.missing_sheet", "化石燃料燃烧排放") in codes


def test_a_moved_header(filled, edit):
    path = filled("hubei-coke.json")
    edit(path, lambda wb: wb["化石燃料燃烧排放"].insert_cols(1))
    (f,) = findings_of(path)
    assert f.code == "workbook.header_moved" and f.place.startswith("化石燃料燃烧排放!A3")
    assert "化石燃料燃烧排放!B3" in f.message  # where the header went


# -- findings name the cell ------------------------------------------------------------------

def test_every_finding_of_a_workbook_names_sheet_cell_and_json_path(filled, edit, cell_of):
    path = filled("hubei-coke.json")
    sheet, coord = cell_of(path, COKE)
    edit(path, lambda wb: wb[sheet].__setitem__(coord, -5))
    run = CliRunner().invoke(cli, ["validate", str(path)])
    assert run.exit_code == 1
    assert f"{path}: {sheet}!{coord} ({COKE}): " in run.stderr  # the engine's below_minimum, at its cell
    assert "Traceback" not in run.output
    as_json = CliRunner().invoke(cli, ["validate", str(path), "--format", "json"])
    (f,) = __import__("json").loads(as_json.stdout)["findings"]
    assert f["place"] == COKE and f["cell"] == f"{sheet}!{coord}" and f["code"] == "below_minimum"


def test_mrv_verify_of_a_workbook_names_the_cell_of_each_finding(filled, repo_root):
    """A verifier given the enterprise's workbook: each finding on a value names its sheet and cell,
    in the table, the JSON (valid against schemas/findings.schema.json) and the HTML report."""
    import json

    from jsonschema import Draft202012Validator

    path = filled("verify-defects.json")
    book = read_workbook(path)
    as_json = CliRunner().invoke(cli, ["verify", str(path), "--format", "json"])
    findings = json.loads(as_json.stdout)["findings"]
    schema = json.loads((repo_root / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(findings)
    located = [f for f in findings if book.cell_of(f["place"]) or f"$.reported.{f['place']}" in book.cells]
    assert len(located) >= 5  # the defects on page rows: NCV, consumption, emissions, ...
    for f in located:  # a reported figure at its cell on the reported-values sheet, an input on its page
        assert f["cell"] == (book.cells.get(f"$.reported.{f['place']}") or book.cell_of(f["place"])) and "!" in f["cell"]
    total = next(f for f in findings if f["place"] == "$.totals.total")
    assert total["cell"] == book.cells["$.reported.$.totals.total"] and total["cell"].startswith("报告值!")
    ncv = next(f for f in located if f["place"] == "$.pages.fuel_combustion[2].ncv")
    table = CliRunner().invoke(cli, ["verify", str(path), "--lang", "en", "--wide"]).stdout
    assert f"{ncv['cell']} ($.pages.fuel_combustion[2].ncv)" in table
    html = CliRunner().invoke(cli, ["verify", str(path), "--format", "html"]).stdout
    assert f"{ncv['cell']} ($.pages.fuel_combustion[2].ncv)" in html
    validated = json.loads(CliRunner().invoke(cli, ["validate", str(path), "--format", "json"]).stdout)["findings"]
    Draft202012Validator({**schema, "items": {"$ref": "#/$defs/flat"}}).validate(validated)  # "cell" is in the schema


@pytest.mark.parametrize("command", ["validate", "calc", "explain", "verify"])
def test_a_bad_workbook_is_one_line_and_exit_1_for_every_command(command, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    run = CliRunner().invoke(cli, [command, str(path)])
    assert run.exit_code == 1 and run.exception is None or isinstance(run.exception, SystemExit)
    assert "workbook" in run.stderr or "zip" in run.stderr
    assert "Traceback" not in run.output


def test_a_template_made_under_other_rules_is_said_so(filled, edit):
    import json as js

    path = filled("hubei-coke.json")

    def older(wb):
        ws = wb["_mrv"]
        meta = js.loads("".join(str(c.value) for c in ws["A"] if c.value))
        meta["rulesets"][0]["sha256"] = "0" * 64  # as if the rules were edited since the template was made
        for c in ws["A"]:
            c.value = None
        ws["A1"] = js.dumps(meta, ensure_ascii=False)

    edit(path, older)
    run = CliRunner().invoke(cli, ["calc", "--lang", "en", str(path)])
    assert run.exit_code == 0
    assert "warning:" in run.stderr and "000000000000" in run.stderr and "mrv template --from" in run.stderr
