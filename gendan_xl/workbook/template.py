"""Build the master order workbook template (跟单总表) — and any workbook in its layout.

One writer serves three callers: the blank template (``gendan init``, ``workbook_templates/``),
the demo workbook and the benchmark workbook. The output is reproducible: the same input gives
the same bytes (fixed document dates; XlsxWriter writes fixed zip timestamps).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from gendan_xl.config import SETTING_SPECS
from gendan_xl.workbook.schema import CUSTOMERS, FACTORIES, SHEETS, Column, ColumnType, SheetSpec

__all__ = [
    "TEMPLATE_CREATED",
    "VALIDATION_ROWS",
    "Formula",
    "build_template",
    "default_settings_rows",
    "new_workbook_path",
    "write_workbook",
]

TEMPLATE_CREATED = datetime(2026, 1, 1)
VALIDATION_ROWS = 5000  # drop-downs and input messages cover this many data rows
_HEADER_COLOUR = "#DDEBF7"
_MONEY_FIELDS = {"amount", "order_total", "deposit_amount", "invoice_amount", "inspection_amount", "bank_charges",
                 "claim_amount", "agreed_amount"}
_PRICE_FIELDS = {"unit_price", "purchase_price"}

Row = Mapping[str, Any]


class Formula(NamedTuple):
    """A formula cell with the value Excel would have cached (e.g. ``#N/A``)."""

    text: str
    cached: Any = 0


class _Formats:
    """The cell formats of the template, created once per workbook."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format({
            "bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
            "bg_color": _HEADER_COLOUR, "border": 1, "font_name": "Microsoft YaHei", "font_size": 10,
        })
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.money = book.add_format({"num_format": "#,##0.00"})
        self.price = book.add_format({"num_format": "#,##0.00##"})
        self.percent = book.add_format({"num_format": "0%"})
        self.text = book.add_format({"num_format": "@"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        # gendan_xl's snapshots (compact JSON) shrink into their narrow column instead of spilling over the row
        self.machine = book.add_format({"shrink": True, "font_color": "#808080", "num_format": "@"})

    def for_column(self, column: Column) -> Format | None:
        """The number format a column's cells get."""
        if column.field == "snapshot":
            return self.machine
        if column.type is ColumnType.DATE:
            return self.date
        if column.type is ColumnType.PERCENT:
            return self.percent
        if column.type is ColumnType.CODE:
            return self.text
        if column.field in _PRICE_FIELDS:
            return self.price
        if column.field in _MONEY_FIELDS:
            return self.money
        return None


def default_settings_rows() -> list[dict[str, Any]]:
    """The settings sheet as shipped: every key with its default and what it means."""
    rows: list[dict[str, Any]] = []
    for spec in SETTING_SPECS:
        default = spec.default
        if isinstance(default, dict):
            if spec.field == "exchange_rates":
                rows.append({"key": "汇率 USD", "value": "", "note": f"{spec.en} USD — {spec.meaning}"})
            for qualifier, item in default.items():
                rows.append({"key": f"{spec.zh} {qualifier}", "value": float(item) if isinstance(item, Decimal) else item,
                             "note": f"{spec.en} {qualifier} — {spec.meaning}"})
            continue
        if isinstance(default, Decimal) and spec.kind == "percent":
            value: Any = f"{(default * 100).normalize():f}%"
        elif isinstance(default, Decimal):
            value = float(default)
        else:
            value = default
        rows.append({"key": spec.zh, "value": value, "note": f"{spec.en} — {spec.meaning}"})
    return rows


def new_workbook_path(path: Path | str, suffix: str, *, overwrite: bool) -> Path:
    """Check that ``path`` may take a new workbook (right suffix, no file to overwrite) and make its folder."""
    from gendan_xl.errors import ConfigError

    path = Path(path)
    if path.suffix.lower() != suffix:
        raise ConfigError(f"新总表应以 {suffix} 结尾：{path}", f"the new master workbook should end in {suffix}: {path}",
                          path=path)
    if path.exists() and not overwrite:
        raise ConfigError(f"文件已存在，不会覆盖：{path}", f"{path} already exists; it is not overwritten", path=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def build_template(path: Path | str) -> Path:
    """Write the blank master workbook template to ``path``."""
    return write_workbook(path, {"settings": default_settings_rows()})


def write_workbook(
    path: Path | str,
    rows: Mapping[str, Iterable[Row]],
    *,
    constant_memory: bool = False,
    extra_sheets: Sequence[str] = (),
    decorate: Callable[[xlsxwriter.Workbook, dict[str, Worksheet]], None] | None = None,
) -> Path:
    """Write a workbook in the template layout with ``rows`` (per sheet key: dicts of field → value).

    Values are written as given: a ``str`` in a number column stays text (the demo plants such
    cells on purpose). Dates, Decimals and numbers get the column's number format. ``decorate``
    may add more to the open workbook (buttons and a VBA project, charts …) before it is saved;
    it gets the worksheets by sheet key.
    """
    path = Path(path)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": "跟单总表 Master Order Workbook", "author": "gendan_xl",
                         "created": TEMPLATE_CREATED, "comments": "Made by gendan_xl"})
    book.set_calc_mode("auto")
    formats = _Formats(book)
    sheets: dict[str, Worksheet] = {}
    for spec in SHEETS:
        sheet = sheets[spec.key] = book.add_worksheet(spec.title)
        _write_sheet(sheet, spec, rows.get(spec.key, ()), formats)
    for name in extra_sheets:
        sheets[name] = book.add_worksheet(name)
    if decorate is not None:
        decorate(book, sheets)
    book.close()
    return path


def _write_sheet(sheet: Worksheet, spec: SheetSpec, rows: Iterable[Row], formats: _Formats) -> None:
    sheet.freeze_panes(1, 1 if spec.key not in ("settings",) else 0)
    sheet.set_row(0, 32)
    column_formats = [formats.for_column(c) for c in spec.columns]
    for index, column in enumerate(spec.columns):
        sheet.set_column(index, index, column.width, column_formats[index])
        sheet.write_string(0, index, column.header, formats.header)
        _validate(sheet, spec, index, column)
    sheet.autofilter(0, 0, 0, len(spec.columns) - 1)
    fields = [c.field for c in spec.columns]
    for row_index, row in enumerate(rows, start=1):
        for col_index, name in enumerate(fields):
            value = row.get(name)
            if value is None or value == "":
                continue
            _write_value(sheet, row_index, col_index, value, column_formats[col_index], formats)
    if spec.key == "settings":
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 18)


def _write_value(sheet: Worksheet, row: int, col: int, value: Any, fmt: Format | None, formats: _Formats) -> None:
    if isinstance(value, datetime | date):
        moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        sheet.write_datetime(row, col, moment, formats.date)
    elif isinstance(value, bool):
        sheet.write_string(row, col, "是" if value else "否", fmt)
    elif isinstance(value, Decimal | int | float):
        sheet.write_number(row, col, float(value), fmt if fmt is not formats.text else None)
    elif isinstance(value, Formula):
        sheet.write_formula(row, col, value.text, fmt, value.cached)
    else:
        sheet.write_string(row, col, str(value), formats.wrap if "\n" in str(value) else fmt)


def _validate(sheet: Worksheet, spec: SheetSpec, index: int, column: Column) -> None:
    options: dict[str, Any] = {}
    if column.choices:
        # Excel splits an inline list at every comma: "T/T 30% deposit, balance …" would become two entries.
        options = {"validate": "list", "source": [c.replace(",", ";") for c in column.choices], "error_type": "warning",
                   "error_title": "不在列表中 Not in list",
                   "error_message": f"{column.zh} 建议从下拉列表选择。\nPlease pick {column.en} from the list."}
    elif spec.key == "orders" and column.field in ("customer", "factory"):
        master = CUSTOMERS if column.field == "customer" else FACTORIES
        options = {"validate": "list", "source": f"='{master.title}'!$A$2:$A${VALIDATION_ROWS}",
                   "error_type": "warning", "error_title": "未登记 Not registered",
                   "error_message": f"请先在“{master.title}”表登记。\nRegister it on the {master.en} sheet first."}
    elif column.type is ColumnType.DATE:
        options = {"validate": "date", "criteria": ">", "value": datetime(1990, 1, 1), "error_type": "warning",
                   "error_title": "日期 Date", "error_message": "请填写日期，如 2026-03-05\nEnter a date, e.g. 2026-03-05"}
    if column.input_message:
        options.setdefault("validate", "any")
        options.update({"input_title": column.en[:32], "input_message": column.input_message[:255]})
    if options:
        sheet.data_validation(1, index, VALIDATION_ROWS, index, options)
