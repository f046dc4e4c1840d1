"""The xlwings calls gendan_xl makes on an open workbook, as a small typed Protocol.

Everything the Excel buttons do to the workbook Excel has open goes through these members and
nothing else: sheets by name, ranges by (row, col) or a block, ``.value`` read and written per
block, ``.formula`` read to refuse formula cells, ``.color``, ``.number_format``, notes, the
status bar, an alert. Each call is a COM (Windows) or AppleScript (macOS) round trip, so callers
read and write whole blocks, never cell by cell.

``xlwings.Book`` satisfies :class:`LiveBook` structurally — mypy checks that below, so a
member gendan_xl starts using that xlwings lacks fails the type check — and the test suite's
fake book implements exactly these members (a test compares the two lists), so the fake cannot
drift from what the code calls. Rows and columns are 1-based, as Excel counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

__all__ = ["LiveApp", "LiveBook", "LiveFont", "LiveNote", "LiveRange", "LiveSheet", "LiveSheets"]

Cell = tuple[int, int]


class LiveFont(Protocol):
    """A range's font (only boldness is used: the header of a sheet gendan_xl writes)."""

    @property
    def bold(self) -> bool | None:
        """True when bold."""

    @bold.setter
    def bold(self, value: bool) -> None: ...


class LiveNote(Protocol):
    """A cell note (a legacy comment): its text, its cell, delete."""

    @property
    def text(self) -> str:
        """The note's text."""

    @text.setter
    def text(self, value: str) -> None: ...

    @property
    def location(self) -> LiveRange:
        """The cell the note is on."""

    def delete(self) -> None:
        """Remove the note."""


class LiveRange(Protocol):
    """A cell or a rectangular block of cells."""

    @property
    def row(self) -> int:
        """First row."""

    @property
    def column(self) -> int:
        """First column."""

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""

    @property
    def address(self) -> str:
        """``$A$1:$B$3`` — for a selection of several areas, the areas joined by commas."""

    @property
    def sheet(self) -> LiveSheet:
        """The sheet the range is on."""

    @property
    def value(self) -> Any:
        """The values (a scalar for one cell, lists for a block; see ``options``)."""

    @value.setter
    def value(self, data: Any) -> None: ...

    @property
    def formula(self) -> Any:
        """The formulas (``""`` or the constant's text where a cell has none)."""

    @property
    def color(self) -> tuple[int, int, int] | None:
        """The fill colour (None: no fill)."""

    @color.setter
    def color(self, color_or_rgb: tuple[int, int, int] | int | str | None) -> None: ...

    @property
    def number_format(self) -> str:
        """The number format."""

    @number_format.setter
    def number_format(self, value: str) -> None: ...

    @property
    def column_width(self) -> float | None:
        """The width of the range's columns in characters."""

    @column_width.setter
    def column_width(self, value: float) -> None: ...

    @property
    def font(self) -> LiveFont:
        """The font."""

    @property
    def note(self) -> LiveNote | None:
        """The cell's note, or None."""

    def add_note(self, text: str) -> LiveNote:
        """Add a note to this (single, note-less) cell."""

    @property
    def merge_cells(self) -> bool:
        """True if the range holds merged cells (Excel gives None for a mix: still truthy-or-None)."""

    @property
    def merge_area(self) -> LiveRange:
        """The merged range holding this cell (the cell itself when not merged)."""

    def merge(self, across: bool = False) -> None:
        """Merge the range into one cell (a status cell down an order's rows)."""

    def unmerge(self) -> None:
        """Split the merged range holding this range back into cells."""

    def options(self, convert: Any = None, **options: Any) -> LiveRange:
        """The range with conversion options (``ndim=2``, ``err_to_str=True``)."""

    # ``destination`` is typed Any because xlwings' parameter is its own Range: a Protocol
    # parameter must accept at least what the implementation accepts.
    def copy(self, destination: Any = None) -> None:
        """Copy the range (values and formats) onto ``destination``."""


class LiveSheet(Protocol):
    """A worksheet."""

    @property
    def name(self) -> str:
        """The sheet's name."""

    @property
    def book(self) -> LiveBook:
        """The workbook the sheet belongs to (a worksheet function finds its workbook this way)."""

    @property
    def used_range(self) -> LiveRange:
        """The used range (may include formatted, empty cells)."""

    @property
    def notes(self) -> Iterable[LiveNote]:
        """Every note on the sheet."""

    def range(self, cell1: Cell, cell2: Cell | None = None) -> LiveRange:
        """The cell ``cell1`` or the block from ``cell1`` to ``cell2``."""

    def clear(self) -> None:
        """Clear contents and formats."""


class LiveSheets(Protocol):
    """The workbook's sheets."""

    def __getitem__(self, key: str) -> LiveSheet: ...

    def __iter__(self) -> Iterator[LiveSheet]: ...

    def add(self, name: str | None = None, before: Any = None, after: Any = None) -> LiveSheet:
        """Add a sheet (``after`` may be a sheet's name)."""


class LiveApp(Protocol):
    """The Excel application: status bar, screen updating, message boxes."""

    @property
    def status_bar(self) -> str | bool:
        """The status bar text (False: Excel's own)."""

    @status_bar.setter
    def status_bar(self, value: str | bool) -> None: ...

    @property
    def screen_updating(self) -> bool:
        """False while gendan_xl writes (much faster)."""

    @screen_updating.setter
    def screen_updating(self, value: bool) -> None: ...

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok", mode: str | None = None) -> str | None:
        """A message box (``mode`` ``"info"`` or ``"critical"``); returns the button pressed."""


class LiveBook(Protocol):
    """An open workbook (``xw.Book.caller()``)."""

    @property
    def name(self) -> str:
        """The file name."""

    @property
    def fullname(self) -> str:
        """The full path (a URL for a workbook on OneDrive/SharePoint)."""

    @property
    def sheets(self) -> LiveSheets:
        """The sheets."""

    @property
    def app(self) -> LiveApp:
        """The Excel instance the workbook is open in."""

    @property
    def selection(self) -> LiveRange | None:
        """The selected cells."""


if TYPE_CHECKING:
    import xlwings

    def _xlwings_book_is_a_live_book(book: xlwings.Book) -> LiveBook:
        # mypy proves here that every member above exists in xlwings with a compatible type.
        return book
