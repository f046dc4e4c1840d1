"""``gendan excel-config``: the Python path of an existing workbook, set through the lossless writer."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from gendan_xl.cli import app
from gendan_xl.excel.conf import CONF_SHEET, configure_excel, plan_conf
from gendan_xl.excel.interpreter import Interpreters
from gendan_xl.excel.xlsm import create_excel_workbook
from gendan_xl.ooxml.package import Package
from tests.excel.xlsm_checks import conf_values
from tests.featured import members, raw_members, row_slices

MAC = "/Users/lina/gendan/bin/python"
WIN = r"C:\Users\Lina\gendan\Scripts\pythonw.exe"


@pytest.fixture
def portable(tmp_path: Path) -> Path:
    """A workbook from ``gendan init --excel --portable``: both interpreter cells empty."""
    return create_excel_workbook(tmp_path / "跟单总表.xlsm", interpreters=Interpreters("", ""))


def conf_part(path: Path) -> str:
    part = next(s.part for s in Package.open(path).sheets() if s.name == CONF_SHEET)
    assert part is not None
    return part


def test_only_the_interpreter_cell_changes_and_a_backup_is_kept(portable: Path) -> None:
    before = portable.read_bytes()
    result = CliRunner().invoke(app, ["excel-config", str(portable)])
    assert result.exit_code == 0, result.output
    assert conf_values(portable)["Interpreter_Mac"] == sys.executable
    assert conf_values(portable)["Interpreter_Win"] == ""
    part = conf_part(portable)
    old_raw, new_raw = raw_members(before), raw_members(portable.read_bytes())
    assert set(old_raw) == set(new_raw)
    assert [n for n in old_raw if old_raw[n] != new_raw[n]] == [part]  # VBA project, buttons, sheets: same bytes
    old_rows, new_rows = row_slices(members(before)[part]), row_slices(members(portable.read_bytes())[part])
    assert [r for r in old_rows if old_rows[r] != new_rows.get(r)] == [2]  # row 2: Interpreter_Mac
    backups = list((portable.parent / ".gendan_backups").iterdir())
    assert len(backups) == 1 and backups[0].read_bytes() == before


def test_the_same_python_again_writes_nothing(portable: Path) -> None:
    configure_excel(portable, Interpreters(mac=MAC))
    after = portable.read_bytes()
    again = CliRunner().invoke(app, ["excel-config", str(portable), "--interpreter", MAC])
    assert again.exit_code == 0 and "unchanged" in again.output
    assert portable.read_bytes() == after
    assert len(list((portable.parent / ".gendan_backups").iterdir())) == 1


def test_each_system_keeps_the_others_path_and_portable_empties_both(portable: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["excel-config", str(portable), "--interpreter", WIN]).exit_code == 0
    assert runner.invoke(app, ["excel-config", str(portable), "--interpreter", MAC]).exit_code == 0
    values = conf_values(portable)
    assert values["Interpreter_Win"] == WIN and values["Interpreter_Mac"] == MAC  # a Windows and a Mac colleague
    assert runner.invoke(app, ["excel-config", str(portable), "--portable"]).exit_code == 0
    values = conf_values(portable)
    assert values["Interpreter_Win"] == values["Interpreter_Mac"] == ""
    assert values["UDF Modules"] == "gendan_xl.udfs"


def write_book(path: Path, sheets: dict[str, list[list[object]]], formula: tuple[str, str, str] | None = None) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
        if formula and formula[0] == name:
            sheet.write_formula(formula[1], formula[2])
    book.close()
    return path


def test_a_missing_key_extends_the_block_and_case_does_not_matter(tmp_path: Path) -> None:
    path = write_book(tmp_path / "own.xlsm", {"Orders": [["x"]], "XLWINGS.CONF": [
        ["INTERPRETER_WIN", "C:\\old\\pythonw.exe"], ["UDF Modules", "mine"], [], ["my notes"]]})
    result = configure_excel(path, Interpreters(win=WIN, mac=MAC))
    assert result.changed
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("XLWINGS.CONF")
    rows = dict(enumerate(sheet.to_python(skip_empty_area=False), start=1))
    assert rows[1][:2] == ["INTERPRETER_WIN", WIN]  # found in any case: xlwings upper-cases the keys
    assert rows[2][:2] == ["UDF Modules", "mine"]
    assert rows[3][:2] == ["Interpreter_Mac", MAC]  # the first blank row of column A, inside xlwings' block
    assert rows[4][0] == "my notes"
    assert plan_conf(path, Interpreters(win=WIN, mac=MAC)) is None


def test_a_workbook_without_the_sheet_gets_one(tmp_path: Path) -> None:
    path = write_book(tmp_path / "plain.xlsm", {"Orders": [["x"]]})
    configure_excel(path, Interpreters(mac=MAC))
    assert [s.name for s in Package.open(path).sheets()] == ["Orders", CONF_SHEET]
    assert conf_values(path) == {"Interpreter_Win": "", "Interpreter_Mac": MAC, "PYTHONPATH": "",
                                 "UDF Modules": "gendan_xl.udfs"}


def test_refusals_leave_the_file_as_it_was(portable: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    xlsx = tmp_path / "book.xlsx"
    xlsx.write_bytes(b"")
    wrong = runner.invoke(app, ["excel-config", str(xlsx)])
    assert wrong.exit_code == 2 and "excel-setup" in wrong.output
    missing = runner.invoke(app, ["excel-config", str(tmp_path / "nope.xlsm")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    formula = write_book(tmp_path / "f.xlsm", {CONF_SHEET: [["Interpreter_Win"], ["Interpreter_Mac"]]},
                         formula=(CONF_SHEET, "B2", '="/usr/bin/python"'))
    before = formula.read_bytes()
    refused = runner.invoke(app, ["excel-config", str(formula), "--interpreter", MAC])
    assert refused.exit_code == 2 and "B2" in refused.output and formula.read_bytes() == before
    lock = portable.parent / f"~${portable.name}"
    lock.write_bytes(b"Lina")  # Excel has it open
    before = portable.read_bytes()
    locked = runner.invoke(app, ["excel-config", str(portable)])
    assert locked.exit_code == 2 and portable.read_bytes() == before
    assert runner.invoke(app, ["excel-config", str(portable), "--force"]).exit_code == 0
    assert conf_values(portable)["Interpreter_Mac"] == sys.executable
