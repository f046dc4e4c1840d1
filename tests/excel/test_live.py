"""The live path: reading the open workbook through xlwings' calls, and writing the cell plan back through them."""

from __future__ import annotations

import inspect
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlwings.main

from gendan_xl.checks import run_checks
from gendan_xl.errors import WriteError
from gendan_xl.excel import livebook
from gendan_xl.excel.live import apply_live, excel_value, merged_areas, read_live, write_sheet_live
from gendan_xl.models import column_letter
from gendan_xl.ooxml.cells import CellWrite, NewSheet, SheetPatch
from gendan_xl.workbook.reader import SheetValues, read_values, read_workbook
from gendan_xl.workbook.schema import SHEETS, sheet_spec
from gendan_xl.workbook.template import Formula
from gendan_xl.workbook.writeback import NOTE_PREFIX, plan_status
from tests.builders import LINES_HEADER, ORDERS_HEADER, MakeXlsx, minimal_sheets
from tests.checks.clean import TODAY, clean_rows, set_price, write_rows
from tests.excel import fakebook
from tests.excel.fakebook import FakeBook, FakeNote, load_xlsx

# the first status column: right after the template's order columns
S = len(sheet_spec("orders").columns) + 1
RED, AMBER, GREEN, YELLOW = (255, 199, 206), (255, 235, 156), (198, 239, 206), (255, 255, 0)
PAIRS = [
    (livebook.LiveBook, fakebook.FakeBook, xlwings.main.Book),
    (livebook.LiveSheets, fakebook.FakeSheets, xlwings.main.Sheets),
    (livebook.LiveSheet, fakebook.FakeSheet, xlwings.main.Sheet),
    (livebook.LiveRange, fakebook.FakeRange, xlwings.main.Range),
    (livebook.LiveNote, fakebook.FakeNote, xlwings.main.Note),
    (livebook.LiveFont, fakebook.FakeFont, xlwings.main.Font),
    (livebook.LiveApp, fakebook.FakeApp, xlwings.main.App),
]


def members(cls: type) -> set[str]:
    return {n for n in vars(cls) if not n.startswith("_") or n in ("__getitem__", "__iter__")}


@pytest.mark.parametrize(("protocol", "fake", "real"), PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_fake_has_exactly_the_protocol_members_and_xlwings_has_them_all(protocol: type, fake: type, real: type) -> None:
    assert members(fake) == members(protocol)
    for name in members(protocol):
        assert hasattr(real, name), f"xlwings.{real.__name__} lacks {name}"
        mine, theirs = getattr(protocol, name), getattr(real, name)
        if inspect.isfunction(mine):
            wanted = [p for p in inspect.signature(mine).parameters if p != "self"]
            offered = list(inspect.signature(theirs).parameters)
            assert offered[1:len(wanted) + 1] == wanted or name.startswith("__"), (name, offered)


# ------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------


def assert_same_workbook(a: Any, b: Any) -> None:
    for key in ("orders", "lines", "price_history", "customers", "factories", "shipments", "payments", "documents"):
        assert getattr(a, key) == getattr(b, key), key
    assert a.settings == b.settings
    assert a.sheets == b.sheets
    assert [(f.code, f.sheet, f.cell, f.data) for f in a.findings] == [(f.code, f.sheet, f.cell, f.data) for f in b.findings]


def test_live_read_equals_the_file_read_on_the_demo(tmp_path: Path) -> None:
    from gendan_xl.demo import write_demo_workbook

    path, _ = write_demo_workbook(tmp_path, today=TODAY)
    book = load_xlsx(path)
    live = read_live(book)
    assert_same_workbook(read_workbook(path), live)
    assert {f.code for f in live.findings} >= {"cell-error", "invalid-date"}
    assert live.path == path  # the book's own path, for relative settings; nothing is read from it
    assert book._calls["value"] == len(SHEETS)  # one bulk read per schema sheet, nothing per cell


def test_merged_cells_title_rows_and_errors_read_alike(make_xlsx: MakeXlsx) -> None:
    lines = [["明细 Lines"], LINES_HEADER, ["", "KT-1001", 100, 1.15], ["", "KT-1002", Formula("=1/0", "#DIV/0!"), 2.0]]
    path = make_xlsx(minimal_sheets(订单明细=lines), merges={"订单明细": [("A3:A4", "GD-001")]})
    book = load_xlsx(path)
    assert book.sheets["订单明细"]._values[(4, 3)] == "#DIV/0!"  # an error value, as Excel holds it
    live, file = read_live(book), read_workbook(path)
    assert_same_workbook(file, live)
    assert [line.order_no for line in live.lines] == ["GD-001", "GD-001"]  # the merged order number fills both rows
    assert any(f.code == "cell-error" and f.cell == "C4" for f in live.findings)
    assert merged_areas(book.sheets["订单明细"], 1, 1, 10, 10) == [(3, 1, 4, 1)]


def test_merged_area_search_halves_only_where_merges_are() -> None:
    book = FakeBook()
    sheet = book.sheets.add("S")
    sheet._merged = [(2, 2, 2, 5), (40, 1, 44, 1)]
    assert merged_areas(sheet, 1, 1, 200, 20) == [(2, 2, 2, 5), (40, 1, 44, 1)]
    calls = book._calls["merge_cells"]
    book._calls.clear()
    empty = book.sheets.add("T")
    assert merged_areas(empty, 1, 1, 50_000, 30) == [] and book._calls["merge_cells"] == 1
    assert calls < 80


def test_values_source_normalises_like_calamine() -> None:
    header = ORDERS_HEADER
    rows = [[None] * len(header), header, ["SO-1", "ACME", datetime(2026, 3, 1), None, "#N/A"]]
    workbook = read_values([SheetValues("订单", rows, first_row=3, first_col=2),
                            SheetValues("订单明细", [LINES_HEADER])])
    assert workbook.sheets["orders"].header_row == 4 and workbook.sheets["orders"].columns["order_no"] == 2
    assert workbook.orders[0].row == 5


# ------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------


@pytest.fixture
def spoiled(tmp_path: Path) -> Path:
    rows = clean_rows()
    set_price(rows, "2.80")
    return write_rows(rows, tmp_path / "book.xlsx")


def live_check(book: FakeBook) -> None:
    workbook = read_live(book)
    apply_live(book, plan_status(workbook, run_checks(workbook, today=TODAY)))


def test_statuses_are_written_per_column_block_with_header_format(spoiled: Path) -> None:
    book = load_xlsx(spoiled)
    orders = book.sheets["订单"]
    orders._colors[(1, S - 1)] = (221, 235, 247)  # the header's own fill, copied to the new headers
    orders._bold.add((1, S - 1))
    live_check(book)
    assert orders._values[(1, S)] == "价格检查\nPrice Check" and orders._colors[(1, S)] == (221, 235, 247)
    assert (1, S + 5) in orders._bold
    assert orders._values[(2, S)].startswith("单价与上次确认价不符") and orders._colors[(2, S)] == RED
    assert orders._values[(2, S + 5)] == datetime(2026, 11, 26) and orders._formats[(2, S + 5)] == "yyyy-mm-dd"
    assert orders._notes[(2, S)].text.startswith(NOTE_PREFIX + "\n")
    assert orders._widths[S] > 0
    assert book._calls["value="] == 8  # 6 order columns + 2 line columns, one block each
    assert book.app._screen == [False, True]


def test_user_notes_are_kept_ours_are_replaced_and_removed(spoiled: Path) -> None:
    book = load_xlsx(spoiled)
    live_check(book)
    orders = book.sheets["订单"]
    orders._notes[(2, S + 1)] = FakeNote(orders, (2, S + 1), "Tom:\nask the buyer first")
    ours = orders._notes[(2, S)]
    ours.text = NOTE_PREFIX + "\nstale"
    live_check(book)
    assert orders._notes[(2, S + 1)].text == "Tom:\nask the buyer first"
    assert orders._notes[(2, S)].text != NOTE_PREFIX + "\nstale"
    orders._values[(2, 1)] = "T-001"  # unchanged data: the next run keeps every note as it is
    book._calls.clear()
    live_check(book)
    assert book._calls["add_note"] == 0 and book._calls["note.text="] == 0


def test_fixed_data_clears_our_fill_and_note_but_not_the_users_fill(spoiled: Path) -> None:
    book = load_xlsx(spoiled)
    live_check(book)
    lines, orders = book.sheets["订单明细"], book.sheets["订单"]
    orders._colors[(2, S + 3)] = YELLOW  # the user marked the next action
    orders._colors[(2, S + 4)] = RED  # as if an earlier run had flagged the deadline
    lines._values[(2, 8)] = 2.5
    lines._values[(2, 9)] = 2500.0
    orders._values[(2, 27)] = 2500.0
    orders._values[(2, 15)] = 750.0
    book.sheets["收款"]._values[(2, 3)] = 750.0
    live_check(book)
    assert orders._values[(2, S)] == "正常 OK" and orders._colors[(2, S)] == GREEN
    assert (2, S) not in orders._notes and (2, 20) not in lines._notes
    assert orders._colors[(2, S + 3)] == YELLOW and (2, S + 4) not in orders._colors


def test_a_formula_in_a_status_cell_is_refused_before_anything_is_written(spoiled: Path) -> None:
    book = load_xlsx(spoiled)
    live_check(book)
    orders = book.sheets["订单"]
    orders._formulas[(2, S + 4)] = "=Q2-10"
    before = dict(orders._values)
    book._calls.clear()
    with pytest.raises(WriteError, match=f"订单!{column_letter(S + 4)}2"):
        live_check(book)
    assert orders._values == before and book._calls["value="] == 0


def test_texts_that_look_like_formulas_stay_text() -> None:
    book = FakeBook()
    sheet = book.sheets.add("S")
    apply_live(book, [SheetPatch("S", [CellWrite(1, 1, "=1+1"), CellWrite(2, 1, "-5"), CellWrite(3, 1, Decimal("2.5")),
                                       CellWrite(4, 1, date(2026, 1, 2))])])
    assert sheet._values == {(1, 1): "=1+1", (2, 1): "-5", (3, 1): 2.5, (4, 1): datetime(2026, 1, 2)}
    assert not sheet._formulas
    assert excel_value(None) is None and excel_value(True) is True


def test_whole_sheet_is_added_then_replaced_but_a_users_sheet_is_refused() -> None:
    book = FakeBook()
    book.sheets.add("订单")
    new = NewSheet("计划", [["组\nGroup", "日期\nDate"], [1, date(2026, 1, 5)]], column_widths={1: 6})
    sheet = write_sheet_live(book, new)
    assert [s.name for s in book.sheets] == ["订单", "计划"]
    assert sheet._values[(2, 2)] == datetime(2026, 1, 5) and sheet._formats[(2, 2)] == "yyyy-mm-dd"
    assert (1, 1) in sheet._bold and sheet._widths[1] == 6
    write_sheet_live(book, NewSheet("计划", [["组\nGroup", "日期\nDate"]]))
    assert (2, 2) not in book.sheets["计划"]._values
    book.sheets["订单"]._values[(1, 1)] = "订单号"
    with pytest.raises(WriteError, match="not create"):
        write_sheet_live(book, NewSheet("订单", [["组\nGroup"]]))
    with pytest.raises(WriteError):
        apply_live(book, [SheetPatch("没有", [CellWrite(1, 1, "x")])])


def test_the_same_workbook_gives_the_same_statuses_by_excel_and_by_file(spoiled: Path, tmp_path: Path) -> None:
    from gendan_xl.workbook.writeback import write_status

    copy = shutil.copy(spoiled, tmp_path / "file.xlsx")
    book = load_xlsx(spoiled)
    live_check(book)
    workbook = read_workbook(copy)
    write_status(copy, workbook, run_checks(workbook, today=TODAY), backups=0)
    written = load_xlsx(Path(copy))
    for name in ("订单", "订单明细"):
        live, file = book.sheets[name], written.sheets[name]
        assert live._values == file._values, name
        assert live._colors == file._colors, name
        assert {k: n.text for k, n in live._notes.items()} == {k: n.text for k, n in file._notes.items()}, name
