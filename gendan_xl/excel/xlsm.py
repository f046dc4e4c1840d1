"""``gendan init --excel``: a new master workbook (.xlsm) with the buttons, the xlwings.conf sheet and the VBA project.

The template's sheets come from :func:`gendan_xl.workbook.template.write_workbook`; its
``decorate`` hook adds the ``xlwings.conf`` sheet, code names (``ThisWorkbook``, ``Sheet1`` …,
the names XlsxWriter uses), the form-control buttons on the orders sheet and the
``vbaProject.bin`` built from the shipped macros (:mod:`gendan_xl.excel.macros`). The output is
reproducible: the same gendan_xl version writes the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from gendan_xl.excel.macros import BUTTONS, CONF_NOTES, CONF_ROWS, CONF_SHEET, CONF_WIDTHS, workbook_project
from gendan_xl.workbook.schema import ORDERS
from gendan_xl.workbook.template import default_settings_rows, new_workbook_path, write_workbook

__all__ = ["BUTTON_HEIGHT", "BUTTON_WIDTH", "button_column", "create_excel_workbook", "decorate_excel"]

BUTTON_WIDTH, BUTTON_HEIGHT, _GAP = 120, 24, 8  # pixels


def button_column(last_column: int, missing_status: int) -> int:
    """The 1-based column the first button is anchored to: right of the (future) status columns, one gap."""
    return last_column + missing_status + 2


def create_excel_workbook(path: Path | str, *, overwrite: bool = False) -> Path:
    """Write a new, empty macro-enabled master workbook to ``path`` (.xlsm); refuses to overwrite unless asked."""
    path = new_workbook_path(path, ".xlsm", overwrite=overwrite)
    return write_workbook(path, {"settings": default_settings_rows()}, decorate=decorate_excel)


def decorate_excel(book: xlsxwriter.Workbook, sheets: dict[str, Worksheet]) -> None:
    """The ``write_workbook`` hook: conf sheet, code names, buttons, VBA project."""
    conf = book.add_worksheet(CONF_SHEET)
    for row, (key, value, note) in enumerate(CONF_ROWS):
        conf.write_string(row, 0, key)
        if value:
            conf.write_string(row, 1, value)
        conf.write_string(row, 2, note)
    for offset, text in enumerate(CONF_NOTES, start=len(CONF_ROWS) + 1):  # after one blank row: xlwings stops there
        conf.write_string(offset, 0, text)
    for col, width in CONF_WIDTHS.items():
        conf.set_column(col - 1, col - 1, width)
    book.set_vba_name("ThisWorkbook")
    code_names = []
    for number, worksheet in enumerate(book.worksheets(), start=1):
        worksheet.set_vba_name(f"Sheet{number}")
        code_names.append(f"Sheet{number}")
    orders = sheets["orders"]
    first = button_column(len(ORDERS.columns), len(ORDERS.status_columns)) - 1
    for index, button in enumerate(BUTTONS):
        orders.insert_button(0, first, {
            "macro": button.sub, "caption": button.caption, "width": BUTTON_WIDTH, "height": BUTTON_HEIGHT,
            "x_offset": 4 + index * (BUTTON_WIDTH + _GAP), "y_offset": 8,
        })
    book.add_vba_project(io.BytesIO(workbook_project(code_names)), is_stream=True)
