"""What the patcher is asked to write, and how one value becomes one ``<c>`` element.

Strings are always written inline (``t="inlineStr"``), so ``sharedStrings.xml`` never changes
and a text such as ``=1+1`` can never turn into a formula. Dates become serial numbers in the
workbook's date system (1900 or 1904) and get a date number format.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from gendan_xl.ooxml.xmlbytes import escape_text

__all__ = [
    "DEFAULT_DATETIME_FORMAT",
    "DEFAULT_DATE_FORMAT",
    "MAX_TEXT",
    "CellValue",
    "CellWrite",
    "ListValidation",
    "NewSheet",
    "SheetPatch",
    "SkippedNote",
    "cell_xml",
    "excel_serial",
    "number_text",
    "value_changed",
]

CellValue = str | int | float | Decimal | date | datetime | bool | None
DEFAULT_DATE_FORMAT = "yyyy-mm-dd"
DEFAULT_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MAX_TEXT = 32767  # Excel's limit for one cell


@dataclass(frozen=True, slots=True)
class CellWrite:
    """One cell to write (1-based row/col).

    ``fill`` is ``"RRGGBB"`` or None (the base style without a fill of ours, see
    :mod:`gendan_xl.ooxml.styles`); ``note`` is our note's text or None (remove our earlier note
    there); ``style_like`` names the (row, col) whose style is the base; ``number_format`` defaults
    to ``yyyy-mm-dd`` for dates.
    """

    row: int
    col: int
    value: CellValue
    fill: str | None = None
    note: str | None = None
    style_like: tuple[int, int] | None = None
    number_format: str | None = None


@dataclass(frozen=True)
class SheetPatch:
    """Cell writes into one existing worksheet, plus widths for new columns and merged ranges.

    ``unmerge_columns`` names columns the caller owns: merged ranges lying entirely inside them are
    removed first (an earlier run's); then ``merges`` (1-based ``(top, left, bottom, right)``) are
    added. Cells under a new merged range other than its top-left should be written empty.
    """

    sheet: str
    cells: Sequence[CellWrite]
    column_widths: Mapping[int, float] = field(default_factory=dict)
    merges: Sequence[tuple[int, int, int, int]] = ()
    unmerge_columns: Sequence[int] = ()


@dataclass(frozen=True, slots=True)
class ListValidation:
    """A drop-down on the cells ``ref`` (``F2:F40``): the values of ``source`` (``$L$2:$L$30``) or a list.

    ``source`` is a range formula, or ``items`` gives the choices inline (together at most 255
    characters, no commas inside an item: Excel splits an inline list at every comma).
    """

    ref: str
    source: str = ""
    items: tuple[str, ...] = ()
    prompt: str = ""

    def formula(self) -> str:
        """The list's ``formula1``."""
        if self.source:
            return self.source
        return '"' + ",".join(i.replace(",", ";").replace('"', "'") for i in self.items)[:253] + '"'


@dataclass(frozen=True)
class NewSheet:
    """A whole sheet written by gendan_xl; the first row is the (bold) header.

    ``adopt`` lets it replace an existing sheet that lacks gendan's marker: the caller has recognised
    the sheet as gendan's own by its content (the Excel buttons write through xlwings, which cannot
    set the marker); the replaced sheet then gets the marker.
    """

    name: str
    rows: Sequence[Sequence[CellValue]]
    column_widths: Mapping[int, float] = field(default_factory=dict)
    replace: bool = True
    adopt: bool = False
    validations: Sequence[ListValidation] = ()


@dataclass(frozen=True, slots=True)
class SkippedNote:
    """A note not written because the user already has a note on that cell."""

    sheet: str
    cell: str

    @property
    def message(self) -> str:
        """Bilingual explanation for the user."""
        return (
            f"{self.sheet}!{self.cell} 已有用户批注，未写入 gendan 批注。\n"
            f"{self.sheet}!{self.cell} already has a user's note; gendan's note was not written."
        )


def excel_serial(value: date, date1904: bool) -> float:
    """Excel serial number of a date/datetime (naive wall time: tzinfo is ignored)."""
    day = value.date() if isinstance(value, datetime) else value
    epoch = date(1904, 1, 1) if date1904 else date(1899, 12, 30)
    days = (day - epoch).days
    if not date1904 and day < date(1900, 3, 1):
        days -= 1  # Excel keeps Lotus 1-2-3's fictitious 1900-02-29 (serial 60)
    if days < (0 if date1904 else 1):
        raise ValueError("date before Excel's epoch")
    if isinstance(value, datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return days + seconds / 86400
    return days


def number_text(value: float | int | Decimal) -> str:
    """The ``<v>`` text of a number: integers without '.0', floats in shortest round-trip form."""
    if isinstance(value, int):
        return str(value)
    as_float = float(value)
    if not math.isfinite(as_float):
        raise ValueError("not a finite number")
    return str(int(as_float)) if as_float.is_integer() and abs(as_float) < 1e15 else repr(as_float)


def cell_xml(p: bytes, ref: str, style: int, value: CellValue, date1904: bool) -> bytes:
    """Serialise one ``<c>`` with namespace prefix ``p`` (b"" or b"x:")."""
    s = b' s="%d"' % style if style else b""
    head = b"<" + p + b'c r="' + ref.encode() + b'"' + s
    if value is None:
        return head + b"/>"
    if isinstance(value, bool):
        return head + b' t="b"><' + p + b"v>" + (b"1" if value else b"0") + b"</" + p + b"v></" + p + b"c>"
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ValueError(f"text longer than Excel's {MAX_TEXT} characters")
        text = escape_text(value).encode()
        return (
            head
            + b' t="inlineStr"><'
            + p
            + b"is><"
            + p
            + b't xml:space="preserve">'
            + text
            + b"</"
            + p
            + b"t></"
            + p
            + b"is></"
            + p
            + b"c>"
        )
    if isinstance(value, (date, datetime)):
        num = number_text(excel_serial(value, date1904))
    elif isinstance(value, (int, float, Decimal)):
        num = number_text(value)
    else:
        raise TypeError(f"unsupported value type {type(value).__name__}")
    return head + b"><" + p + b"v>" + num.encode() + b"</" + p + b"v></" + p + b"c>"


_VALUE_NOISE = re.compile(rb"""\s(?:s|r)\s*=\s*("[^"]*"|'[^']*')""")
_EMPTY_CELL = re.compile(rb"<[^>]*/>")


def _value_sig(xml: bytes | None) -> bytes:
    if xml is None:
        return b""
    sig = _VALUE_NOISE.sub(b"", xml)
    return b"" if _EMPTY_CELL.fullmatch(sig) else sig


def value_changed(old: bytes | None, new: bytes | None) -> bool:
    """True when two ``<c>`` serialisations differ in more than style and reference."""
    return _value_sig(old) != _value_sig(new)
