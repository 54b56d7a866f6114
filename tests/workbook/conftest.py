"""Fixtures of the workbook tests: a template filled from an example, and an editor that changes a
workbook as a user would in Excel (through openpyxl) and saves it, and LibreOffice recalculating
workbooks as Excel would on opening them."""

import shutil
import subprocess

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def filled(engine, example, tmp_path):
    """filled(name, lang="zh") -> path of the template of example ``name`` filled from it."""
    def make(name: str, lang: str = "zh"):
        sub = example(name)
        path = tmp_path / f"{name}-{lang}.xlsx"
        path.write_bytes(engine.template(sub["sector"], sub["year"], lang=lang, submission=sub))
        return path
    return make


@pytest.fixture
def edit():
    """edit(path, change) -> path: open the workbook, ``change(wb)``, save it in place."""
    def apply(path, change):
        from openpyxl import load_workbook

        wb = load_workbook(path)
        change(wb)
        wb.save(path)
        return path
    return apply


@pytest.fixture
def cell_of():
    """cell_of(path, json_path) -> (sheet title, coordinate) where the template put a value."""
    def find(path, place):
        from mrv_engine import read_workbook

        ref = read_workbook(path).cells[place]
        sheet, coord = ref.rsplit("!", 1)
        return sheet.strip("'").replace("''", "'"), coord
    return find


@pytest.fixture
def recalculated(tmp_path):
    """recalculated(*paths) -> folder holding each workbook as LibreOffice saves it after recalculating
    every formula (read it with data_only=True). Tests that use it skip where SOFFICE is None."""
    def run(*paths):
        out = tmp_path / "recalculated"
        done = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                               "--convert-to", "xlsx", "--outdir", str(out), *map(str, paths)],
                              capture_output=True, text=True, timeout=180, check=False)
        assert done.returncode == 0, done.stderr
        return out
    return run
