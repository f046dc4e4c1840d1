"""``gendan check --write`` on a master workbook full of Excel features: everything else survives.

The workbook is the template layout plus what real merchandisers add: a VBA project with a
button (.xlsm), a chart, a picture, a text box, a user's notes, conditional formats, data
validation, amount formulas with cached values, an Excel table on an extra sheet, defined names
and hidden sheets. After the write-back every zip member other than the touched ones is
byte-identical, untouched cells keep their XML, and openpyxl, python-calamine and LibreOffice
open the result and read the statuses as written.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from gendan_xl.ooxml.package import Package
from gendan_xl.pipeline import check_workbook
from gendan_xl.workbook.schema import LINES, sheet_spec
from gendan_xl.workbook.template import Formula, write_workbook
from tests.checks.clean import TODAY, clean_rows, line, order, set_price
from tests.featured import VBA_BIN, members, raw_members, sheet_cells, soffice_csv, tiny_png

MACRO_BUTTON = "gendan_check"
# the first status column: right after the template's order columns
S = len(sheet_spec("orders").columns) + 1


def decorate(book: Any, sheets: dict[str, Any], *, macro: bool) -> None:
    orders, lines = sheets["orders"], sheets["lines"]
    if macro:
        book.add_vba_project(str(VBA_BIN))
        orders.insert_button("AL2", {"macro": MACRO_BUTTON, "caption": "检查 Check"})
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "='订单明细'!$I$2:$I$3", "name": "金额"})
    orders.insert_chart("AL6", chart)
    orders.insert_image("AL22", "logo.png", {"image_data": io.BytesIO(tiny_png())})
    orders.insert_textbox("AL30", "本周重点 focus", {"width": 160, "height": 40})
    orders.write_comment("B2", "大客户 key account", {"author": "Lina"})
    orders.conditional_format("Q2:Q50", {"type": "cell", "criteria": "<", "value": 46000,
                                          "format": book.add_format({"bg_color": "#FCE4D6"})})
    lines.conditional_format("F2:F50", {"type": "data_bar", "data_bar_2010": True})
    extra = sheets["汇总"]
    extra.add_table("A1:C3", {"name": "汇总表", "columns": [{"header": "客户"}, {"header": "金额"},
                                                             {"header": "两倍", "formula": "=[@金额]*2"}],
                              "data": [["ACME", 2500], ["BOLT", 100]]})
    book.define_name("总金额", "='订单明细'!$I$2:$I$3")
    sheets["隐藏"].hide()


def build(tmp_path: Path, *, macro: bool) -> Path:
    rows = clean_rows()
    set_price(rows, "2.80")  # a price finding: red status, a note on the order and on the line
    second = dict(line(rows), item_no="X-2", qty=Decimal(100), unit_price=Decimal("3.00"), amount=Decimal("300.00"))
    rows["lines"].append(second)
    rows["price_history"].append(dict(rows["price_history"][0], item_no="X-2", unit_price=Decimal("3.00")))
    line(rows)["amount"] = Formula("=F2*H2", 2800)  # the amount is a formula with its cached value
    order(rows)["order_total"] = Decimal("3100.00")
    rows["payments"][0]["amount"] = order(rows)["deposit_amount"] = Decimal("930.00")
    return write_workbook(tmp_path / ("master.xlsm" if macro else "master.xlsx"), rows, extra_sheets=("汇总", "隐藏"),
                          decorate=lambda book, sheets: decorate(book, sheets, macro=macro))


@pytest.fixture(params=[False, True], ids=["xlsx", "xlsm"])
def master(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return build(tmp_path, macro=bool(request.param))


def sheet_part(path: Path, name: str) -> str:
    return Package.open(path).sheet(name).part


def test_everything_else_survives(master: Path) -> None:
    before_raw = raw_members(master.read_bytes())
    before = members(master.read_bytes())
    orders_part, lines_part = sheet_part(master, "订单"), sheet_part(master, "订单明细")
    report = check_workbook(master, today=TODAY, write=True)
    assert {f.code for f in report.findings} == {"price-mismatch"}
    after_raw = raw_members(master.read_bytes())
    after = members(master.read_bytes())
    allowed = {orders_part, lines_part, "xl/styles.xml", "[Content_Types].xml", "xl/workbook.xml",
               f"xl/worksheets/_rels/{orders_part.rsplit('/', 1)[1]}.rels",
               f"xl/worksheets/_rels/{lines_part.rsplit('/', 1)[1]}.rels"}
    for name, raw in before_raw.items():
        if name not in allowed and not name.startswith(("xl/comments", "xl/drawings/vmlDrawing")):
            assert after_raw[name] == raw, name  # compressed bytes and zip metadata unchanged
    assert set(before) <= set(after)
    if master.suffix == ".xlsm":
        assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
        assert MACRO_BUTTON.encode() in b"".join(v for k, v in after.items() if k.endswith(".vml"))
    assert b'fullCalcOnLoad="1"' in after["xl/workbook.xml"]  # the workbook has formulas
    old_cells, new_cells = sheet_cells(before[lines_part]), sheet_cells(after[lines_part])
    for cell, value in old_cells.items():
        assert new_cells[cell] == value, cell  # untouched cells keep their XML (formulas included)
    assert b"<f>F2*H2</f>" in after[lines_part] and b"<v>2800</v>" in after[lines_part]


def test_statuses_read_back_everywhere(master: Path, soffice: str, tmp_path: Path) -> None:
    check_workbook(master, today=TODAY, write=True)
    rows = CalamineWorkbook.from_path(str(master)).get_sheet_by_name("订单").to_python()
    assert rows[0][S - 1:S + 5] == ["价格检查\nPrice Check", "金额检查\nAmount Check", "交期状态\nDelivery Status",
                              "下一步\nNext Action", "截止日期\nDeadline", "检查日期\nChecked On"]
    assert rows[1][S - 1].startswith("单价与上次确认价不符") and rows[1][S + 4] == date(2026, 11, 26)
    lines = CalamineWorkbook.from_path(str(master)).get_sheet_by_name("订单明细").to_python()
    status = len(LINES.columns)  # the lines' first status column follows the schema's columns
    assert lines[1][8] == 2800 and lines[1][status].startswith("单价与上次确认价不符") and lines[2][status] == ""  # no finding, no earlier status
    book = openpyxl.load_workbook(master, keep_vba=master.suffix == ".xlsm")
    assert book["订单"]["B2"].comment.author == "Lina"
    assert book["订单"].cell(2, S).comment.author == "gendan_xl"
    assert book["隐藏"].sheet_state == "hidden" and "总金额" in book.defined_names
    csv = soffice_csv(soffice, master, tmp_path / "csv")
    assert any("单价与上次确认价不符" in text for text in csv.values())


def test_second_run_is_byte_identical(master: Path) -> None:
    check_workbook(master, today=TODAY, write=True)
    first = master.read_bytes()
    check_workbook(master, today=TODAY, write=True)
    assert master.read_bytes() == first
    assert zipfile.ZipFile(master).testzip() is None
