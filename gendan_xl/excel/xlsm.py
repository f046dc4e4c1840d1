"""``gendan init --excel``: a new master workbook (.xlsm) with the buttons, the xlwings.conf sheet and the VBA project.

The template's sheets come from :func:`gendan_xl.workbook.template.write_workbook`; its
``decorate`` hook adds the ``xlwings.conf`` sheet (with the Python the buttons start), code
names (``ThisWorkbook``, ``Sheet1`` …, the names XlsxWriter uses), the form-control buttons on
the orders sheet and the ``vbaProject.bin`` built from the shipped macros (:mod:`gendan_xl.excel.macros`). The output is
reproducible: the same gendan_xl version and interpreter write the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from gendan_xl.excel.conf import CONF_SHEET, CONF_WIDTHS, conf_sheet
from gendan_xl.excel.interpreter import Interpreters, running_interpreters
from gendan_xl.excel.macros import BUTTONS, workbook_project
from gendan_xl.workbook.schema import ORDERS
from gendan_xl.workbook.template import default_settings_rows, new_workbook_path, write_workbook

__all__ = ["BUTTON_HEIGHT", "BUTTON_WIDTH", "button_column", "create_excel_workbook", "decorate_excel",
           "excel_decorator"]

BUTTON_WIDTH, BUTTON_HEIGHT, _GAP = 120, 24, 8  # pixels


def button_column(last_column: int, missing_status: int) -> int:
    """The 1-based column the first button is anchored to: right of the (future) status columns, one gap."""
    return last_column + missing_status + 2


def create_excel_workbook(path: Path | str, *, overwrite: bool = False,
                          interpreters: Interpreters | None = None) -> Path:
    """Write a new, empty macro-enabled master workbook to ``path`` (.xlsm); refuses to overwrite unless asked.

    ``interpreters`` go on the ``xlwings.conf`` sheet; default: the running Python
    (:func:`gendan_xl.excel.interpreter.running_interpreters`).
    """
    path = new_workbook_path(path, ".xlsm", overwrite=overwrite)
    chosen = running_interpreters() if interpreters is None else interpreters
    return write_workbook(path, {"settings": default_settings_rows()}, decorate=excel_decorator(chosen))


def excel_decorator(interpreters: Interpreters) -> Callable[[xlsxwriter.Workbook, dict[str, Worksheet]], None]:
    """The ``write_workbook`` hook that makes a macro-enabled workbook starting ``interpreters``."""

    def decorate(book: xlsxwriter.Workbook, sheets: dict[str, Worksheet]) -> None:
        decorate_excel(book, sheets, interpreters)

    return decorate


def decorate_excel(book: xlsxwriter.Workbook, sheets: dict[str, Worksheet], interpreters: Interpreters) -> None:
    """Add the conf sheet, code names, buttons and VBA project to a workbook XlsxWriter is writing."""
    conf = book.add_worksheet(CONF_SHEET)
    for row, cells in enumerate(conf_sheet(interpreters)):  # key block, blank row, notes
        for col, text in enumerate(cells):
            if text:
                conf.write_string(row, col, str(text))
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
