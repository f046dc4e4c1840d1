"""The Excel buttons on a merchandiser's own tracker: placed on their order sheet, working through the mapping."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

import gendan_xl.xl as xl
from gendan_xl.excel.live import read_live
from gendan_xl.excel.setup import setup_excel
from gendan_xl.ooxml.package import Package
from gendan_xl.pipeline import check_workbook, save_mapping
from gendan_xl.workbook.reader import read_workbook
from tests.excel.fakebook import load_xlsx
from tests.trackers import CN_MERGED

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
TODAY = date(2026, 5, 18)


def test_excel_setup_puts_the_buttons_on_the_trackers_own_sheet(tmp_path: Path) -> None:
    source = CN_MERGED.write(tmp_path)
    result = setup_excel(source)
    pkg = Package.open(result.path)
    sheet = next(s for s in pkg.sheets() if s.name == "2026跟单")
    assert sheet.part is not None
    rels = pkg.relationships(sheet.part)
    assert any(r.kind == "vmlDrawing" for r in rels)  # the form buttons live on the tracker sheet
    assert [o.order_no for o in read_workbook(result.path).orders] == [o.order_no for o in read_workbook(source).orders]


def test_the_check_button_writes_what_the_command_line_writes(tmp_path: Path) -> None:
    source = CN_MERGED.write(tmp_path)
    save_mapping(source)  # the buttons read through the saved mapping like every other face
    book = load_xlsx(Path(shutil.copy(source, tmp_path / "open.xlsx")))
    live = read_live(book)
    assert live.sheets["orders"].layout == "flat" and len(live.orders) == 4
    assert not [f for f in live.findings if f.code == "mapping-automatic"]
    xl.check(book, today=TODAY)
    file = Path(shutil.copy(source, tmp_path / "file.xlsx"))
    check_workbook(file, today=TODAY, write=True)
    written = load_xlsx(file)
    assert book.sheets["2026跟单"]._values == written.sheets["2026跟单"]._values
    assert sorted(book.sheets["2026跟单"]._merged) == sorted(written.sheets["2026跟单"]._merged)
    xl.check(book, today=TODAY)  # again: an earlier run's merged status cells are replaced, not refused
    assert sorted(book.sheets["2026跟单"]._merged) == sorted(written.sheets["2026跟单"]._merged)


def test_selection_on_a_monthly_sheet_names_that_sheets_orders(tmp_path: Path) -> None:
    from tests.trackers import MONTHLY

    book = read_workbook(MONTHLY.write(tmp_path))
    assert xl.Selection("2026.04", frozenset({4, 5})).order_numbers(book) == ["GD2026-003"]
    assert xl.Selection("2026.03", frozenset({4})).order_numbers(book) == ["GD2026-001"]
    assert xl.Selection("2026.04", None).order_numbers(book) == ["GD2026-003", "GD2026-004"]
