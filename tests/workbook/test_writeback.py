"""Status write-back: what lands in the user's workbook, idempotence, replacing earlier statuses."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from gendan_xl.checks import run_checks
from gendan_xl.cli import app
from gendan_xl.errors import WorkbookLockedError
from gendan_xl.ooxml.patch import CellWrite, SheetPatch, patch_workbook
from gendan_xl.pipeline import check_workbook
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.schema import LINES, sheet_spec
from gendan_xl.workbook.writeback import FILLS, write_status
from tests.checks.clean import TODAY, clean_rows, set_price, write_rows

RED, AMBER, GREEN = "FFC7CE", "FFEB9C", "C6EFCE"
ORDER_STATUS = ["价格检查\nPrice Check", "金额检查\nAmount Check", "交期状态\nDelivery Status",
                "下一步\nNext Action", "截止日期\nDeadline", "检查日期\nChecked On"]
# the first status column: right after the template's order columns
S = len(sheet_spec("orders").columns) + 1


def spoiled(tmp_path: Path) -> Path:
    rows = clean_rows()
    set_price(rows, "2.80")
    return write_rows(rows, tmp_path / "book.xlsx")


def check_and_write(path: Path) -> None:
    workbook = read_workbook(path)
    write_status(path, workbook, run_checks(workbook, today=TODAY), backups=1)


def fill(cell: openpyxl.cell.cell.Cell) -> str:
    return str(cell.fill.fgColor.rgb)[-6:] if cell.fill.fill_type == "solid" else ""


def test_statuses_fills_and_notes_land_in_new_columns(tmp_path: Path) -> None:
    path = spoiled(tmp_path)
    check_and_write(path)
    book = openpyxl.load_workbook(path)
    orders, lines = book["订单"], book["订单明细"]
    assert [orders.cell(1, c).value for c in range(S, S + 6)] == ORDER_STATUS
    assert orders.cell(1, S).font.b == orders.cell(1, S - 1).font.b  # the header's own style
    price = orders.cell(2, S)
    assert price.value.startswith("单价与上次确认价不符") and fill(price) == RED
    assert price.comment is not None and "2.80" in price.comment.text and price.comment.author == "gendan_xl"
    assert orders.cell(2, S + 1).value == "正常 OK" and fill(orders.cell(2, S + 1)) == GREEN
    assert orders.cell(2, S + 2).value == "正常 On time"
    assert orders.cell(2, S + 3).value == "与业务员确认单价 / confirm the price with sales"
    assert orders.cell(2, S + 5).value == datetime(2026, 11, 26)
    first = len(LINES.columns) + 1  # the lines' status columns follow the schema's columns
    assert [lines.cell(1, c).value for c in (first, first + 1)] == ORDER_STATUS[:2]
    assert fill(lines.cell(2, first)) == RED and lines.cell(2, first + 1).value == "正常 OK"
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("订单").to_python()
    assert calamine[1][S - 1].startswith("单价与上次确认价不符") and calamine[1][S + 4] == date(2026, 11, 26)


def test_same_report_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    path = spoiled(tmp_path)
    check_and_write(path)
    first = path.read_bytes()
    workbook = read_workbook(path)
    result = write_status(path, workbook, run_checks(workbook, today=TODAY), backups=1)
    assert result.changed is False and result.backup is None
    assert path.read_bytes() == first


def test_fixing_the_data_replaces_the_earlier_status(tmp_path: Path) -> None:
    path = spoiled(tmp_path)
    check_and_write(path)
    # The merchandiser corrects the price and the amounts (H2, I2 on the lines; AA2, O2 on the order).
    patch_workbook(path, [SheetPatch("订单明细", [CellWrite(2, 8, Decimal("2.50")), CellWrite(2, 9, Decimal(2500))]),
                          SheetPatch("订单", [CellWrite(2, 27, Decimal(2500)), CellWrite(2, 15, Decimal(750))]),
                          SheetPatch("收款", [CellWrite(2, 3, Decimal(750))])], backups=0)
    workbook = read_workbook(path)
    assert workbook.sheets["lines"].status_rows == [2]
    assert workbook.sheets["orders"].status_columns["price_check"] == S
    check_and_write(path)
    book = openpyxl.load_workbook(path)
    orders, lines = book["订单"], book["订单明细"]
    assert orders.max_column == S + 5  # the existing status columns were reused, none added
    assert orders.cell(2, S).value == "正常 OK" and fill(orders.cell(2, S)) == GREEN
    assert orders.cell(2, S).comment is None
    first = len(LINES.columns) + 1
    assert lines.cell(2, first).value == "正常 OK" and lines.cell(2, first).comment is None


def test_existing_status_column_found_by_alias_and_user_note_kept(tmp_path: Path) -> None:
    path = spoiled(tmp_path)
    book = openpyxl.load_workbook(path)
    orders = book["订单"]
    orders.cell(1, 40, "Price Check")
    orders.cell(2, 40).comment = openpyxl.comments.Comment("ask Tom first", "Tom")
    book.save(path)
    workbook = read_workbook(path)
    assert workbook.sheets["orders"].status_columns == {"price_check": 40}
    result = write_status(path, workbook, run_checks(workbook, today=TODAY), backups=0)
    assert [note.cell for note in result.skipped] == ["AN2"]
    reread = openpyxl.load_workbook(path)["订单"]
    assert reread.cell(2, 40).value.startswith("单价与上次确认价不符") and fill(reread.cell(2, 40)) == RED
    assert reread.cell(2, 40).comment.text == "ask Tom first" and reread.cell(2, 40).comment.author == "Tom"
    assert reread.cell(1, 41).value == ORDER_STATUS[1]  # the others were appended after the last header


def test_open_in_excel_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    path = spoiled(tmp_path)
    before = path.read_bytes()
    (tmp_path / "~$book.xlsx").write_bytes(b"\x05Lina ")
    with pytest.raises(WorkbookLockedError):
        check_workbook(path, today=TODAY, write=True)
    assert path.read_bytes() == before
    result = CliRunner().invoke(app, ["check", str(path), "--today", "2026-11-26", "--write"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert path.read_bytes() == before
    forced = CliRunner().invoke(app, ["check", str(path), "--today", "2026-11-26", "--write", "--force"])
    assert forced.exit_code == 1 and path.read_bytes() != before


def test_only_touched_members_change(tmp_path: Path) -> None:
    path = spoiled(tmp_path)
    before = {i.filename: zipfile.ZipFile(path).read(i) for i in zipfile.ZipFile(path).infolist()}
    check_and_write(path)
    after = {i.filename: zipfile.ZipFile(path).read(i) for i in zipfile.ZipFile(path).infolist()}
    changed = {name for name in before if before[name] != after.get(name)}
    added = set(after) - set(before)
    assert changed <= {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/styles.xml",
                       "[Content_Types].xml", "xl/worksheets/_rels/sheet1.xml.rels",
                       "xl/worksheets/_rels/sheet2.xml.rels"}
    assert all(name.startswith(("xl/comments", "xl/drawings/vmlDrawing", "xl/worksheets/_rels/")) for name in added)
    assert before["xl/sharedStrings.xml"] == after["xl/sharedStrings.xml"]
    assert FILLS[None] == GREEN


def test_demo_writes_statuses_without_changing_data(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", str(tmp_path), "--today", "2026-11-26"])
    assert result.exit_code == 0, result.output
    workbook = read_workbook(tmp_path / "gendan_demo.xlsx")
    assert workbook.sheets["orders"].status_columns.keys() == {
        "price_check", "amount_check", "delivery_status", "next_action", "deadline", "checked_on"}
    assert len(workbook.orders) == 43 and workbook.orders[3].order_no == "GD2026-004"
