"""Write orders and their lines as a one-sheet tracker, the way merchandisers keep them by hand.

The demo's flat variant (``gendan demo --layout flat``) and the flat benchmark workbook
(``bench/make_workbook.py N --layout flat``) are written here: a title row, a header row of the
user's own kind (``客人交期``, ``售价``, ``进价`` …), one row per line, and the order's own cells
merged down its rows (``merged``), repeated on every line (``repeated``) or on its first row only
(``first_row``); other sheets (a price list, customers …) beside it. Nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from gendan_xl.workbook.template import TEMPLATE_CREATED, Formula

__all__ = ["TrackerColumn", "write_tracker_file"]

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class TrackerColumn:
    """One column of the tracker: its header, and the order's or the line's field it shows."""

    header: str
    table: str  # orders | lines
    field: str
    width: float = 11


def _value(sheet: Any, row: int, col: int, value: Any, formats: dict[str, Any], cell: Any = None) -> None:
    if value is None or value == "":
        return
    if isinstance(value, datetime | date):
        moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        sheet.write_datetime(row, col, moment, formats["date"])
    elif isinstance(value, bool):
        sheet.write_string(row, col, "是" if value else "否", cell)
    elif isinstance(value, Decimal | int | float):
        sheet.write_number(row, col, float(value), cell)
    elif isinstance(value, Formula):
        sheet.write_formula(row, col, value.text, cell, value.cached)
    elif isinstance(value, tuple):
        sheet.write_string(row, col, "*".join(str(v) for v in value), cell)
    else:
        sheet.write_string(row, col, str(value), cell)


def write_tracker_file(
    path: Path | str,
    orders: Iterable[tuple[Row, Sequence[Row]]],
    columns: Sequence[TrackerColumn],
    *,
    sheet: str = "跟单",
    title: str | None = None,
    layout: str = "merged",
    other_sheets: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Any]]]] | None = None,
    constant_memory: bool = False,
    print_wide: bool = False,
) -> Path:
    """Write ``orders`` (each with its lines) as a one-sheet tracker; ``other_sheets`` maps a name to (headers, rows).

    ``print_wide`` sets the tracker sheet to print landscape on one page's width.
    """
    path = Path(path)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": title or sheet, "author": "gendan_xl", "created": TEMPLATE_CREATED})
    formats = {"date": book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"}),
               "head": book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                                        "bg_color": "#FCE4D6", "border": 1}),
               "title": book.add_format({"bold": True, "font_size": 14}),
               "top": book.add_format({"valign": "top"})}  # an order's merged cells read from its first line
    ws = book.add_worksheet(sheet)
    if print_wide:  # landscape, one page wide: how a merchandiser prints the tracker for a meeting
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_paper(9)
    r = 0
    if title:
        ws.merge_range(0, 0, 0, len(columns) - 1, title, formats["title"])
        ws.set_row(0, 24)
        r = 1
    for c, column in enumerate(columns):
        ws.set_column(c, c, column.width)
        ws.write_string(r, c, column.header, formats["head"])
    ws.set_row(r, 30)
    ws.freeze_panes(r + 1, 1)
    ws.autofilter(r, 0, r, len(columns) - 1)
    r += 1
    order_cols = [c for c, column in enumerate(columns) if column.table == "orders"]
    for order, lines in orders:
        first = r
        for index, line in enumerate(lines or [{}]):
            for c, column in enumerate(columns):
                if column.table == "orders" and index > 0 and layout != "repeated":
                    continue
                is_order = column.table == "orders"
                _value(ws, r, c, (order if is_order else line).get(column.field), formats,
                       formats["top"] if is_order else None)
            r += 1
        if layout == "merged" and r - first > 1:
            for c in order_cols:
                ws.merge_range(first, c, r - 1, c, None)
    for name, (headers, rows) in (other_sheets or {}).items():
        other = book.add_worksheet(name)
        other.write_row(0, 0, list(headers), formats["head"])
        other.freeze_panes(1, 0)
        for n, values in enumerate(rows, start=1):
            for c, value in enumerate(values):
                _value(other, n, c, value, formats)
    book.close()
    return path
