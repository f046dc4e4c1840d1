"""A fake open workbook: exactly the members of gendan_xl's LiveBook protocol, behaving as Excel does.

Only what the adapter calls exists (``test_fake_has_exactly_the_protocol_members`` compares the
public names with the Protocol's), so the fake cannot grow into a second Excel. Where Excel's
behaviour matters it is imitated: numbers come back as floats, a text starting with ``'`` is
stored without the apostrophe, an ``=`` text becomes a formula, a multi-cell ``.color`` read
is None only when no cell has a fill and fails on a mix (Windows' ``Interior.Color`` is Null),
``add_note`` refuses a cell that has one. Every call that would be a round trip to Excel is
counted in ``book._calls``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gendan_xl.models import column_letter

if TYPE_CHECKING:
    from gendan_xl.excel.livebook import LiveBook

Cell = tuple[int, int]


class ExcelError(str):
    """An error value in a cell (``#N/A``)."""


def _rgb(value: Any) -> tuple[int, int, int]:
    if isinstance(value, str):
        text = value.lstrip("#")
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    red, green, blue = value
    return red, green, blue


class FakeApp:
    def __init__(self) -> None:
        self._status: list[str | bool] = []
        self._screen: list[bool] = []
        self._alerts: list[tuple[str, str | None, str | None]] = []

    @property
    def status_bar(self) -> str | bool:
        return self._status[-1] if self._status else False

    @status_bar.setter
    def status_bar(self, value: str | bool) -> None:
        self._status.append(value)

    @property
    def screen_updating(self) -> bool:
        return self._screen[-1] if self._screen else True

    @screen_updating.setter
    def screen_updating(self, value: bool) -> None:
        self._screen.append(value)

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok", mode: str | None = None) -> str | None:
        self._alerts.append((prompt, title, mode))
        return "ok"


class FakeNote:
    def __init__(self, sheet: FakeSheet, cell: Cell, text: str) -> None:
        self._sheet, self._cell, self._text = sheet, cell, text

    @property
    def text(self) -> str:
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self._sheet._book._calls["note.text="] += 1
        self._text = value

    @property
    def location(self) -> FakeRange:
        return FakeRange(self._sheet, *self._cell, *self._cell)

    def delete(self) -> None:
        self._sheet._book._calls["note.delete"] += 1
        del self._sheet._notes[self._cell]


class FakeFont:
    def __init__(self, rng: FakeRange) -> None:
        self._range = rng

    @property
    def bold(self) -> bool | None:
        return all(cell in self._range._sheet._bold for cell in self._range._cells())

    @bold.setter
    def bold(self, value: bool) -> None:
        for cell in self._range._cells():
            (self._range._sheet._bold.add if value else self._range._sheet._bold.discard)(cell)


class FakeRange:
    def __init__(self, sheet: FakeSheet, r1: int, c1: int, r2: int, c2: int, options: dict[str, Any] | None = None):
        self._sheet = sheet
        self._box = (min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
        self._options = options or {}

    def _cells(self) -> list[Cell]:
        r1, c1, r2, c2 = self._box
        return [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]

    def _grid(self) -> list[list[Cell]]:
        r1, c1, r2, c2 = self._box
        return [[(r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    def _count(self, what: str) -> None:
        self._sheet._book._calls[what] += 1

    @property
    def row(self) -> int:
        return self._box[0]

    @property
    def column(self) -> int:
        return self._box[1]

    @property
    def shape(self) -> tuple[int, int]:
        r1, c1, r2, c2 = self._box
        return r2 - r1 + 1, c2 - c1 + 1

    @property
    def address(self) -> str:
        r1, c1, r2, c2 = self._box
        first = f"${column_letter(c1)}${r1}"
        return first if (r1, c1) == (r2, c2) else f"{first}:${column_letter(c2)}${r2}"

    @property
    def sheet(self) -> FakeSheet:
        return self._sheet

    def _read(self, cell: Cell) -> Any:
        value = self._sheet._values.get(cell)
        if isinstance(value, ExcelError):
            return str(value) if self._options.get("err_to_str") else None
        if isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value

    @property
    def value(self) -> Any:
        self._count("value")
        grid = [[self._read(cell) for cell in row] for row in self._grid()]
        if self._options.get("ndim") == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        if len(grid) == 1 or len(grid[0]) == 1:
            return [v for row in grid for v in row]
        return grid

    @value.setter
    def value(self, data: Any) -> None:
        self._count("value=")
        grid = self._grid()
        if isinstance(data, list) and data and isinstance(data[0], list):
            rows = data
        elif isinstance(data, list):
            rows = [data]
        else:
            rows = [[data] * len(grid[0]) for _ in grid]
        assert [len(r) for r in rows] == [len(r) for r in grid], f"shape {self.shape} vs {data!r}"
        for cells, values in zip(grid, rows, strict=True):
            for cell, value in zip(cells, values, strict=True):
                self._sheet._store(cell, value)

    @property
    def formula(self) -> Any:
        self._count("formula")
        sheet = self._sheet

        def text(cell: Cell) -> str:
            if cell in sheet._formulas:
                return sheet._formulas[cell]
            value = sheet._values.get(cell)
            return "" if value is None else str(value)

        grid = [[text(cell) for cell in row] for row in self._grid()]
        return grid[0][0] if self.shape == (1, 1) else grid

    @property
    def color(self) -> tuple[int, int, int] | None:
        self._count("color")
        colours = {self._sheet._colors.get(cell) for cell in self._cells()}
        if colours == {None}:
            return None
        if len(colours) > 1:
            raise TypeError("int() argument must be a string, a bytes-like object or a real number, not 'NoneType'")
        return colours.pop()

    @color.setter
    def color(self, color_or_rgb: tuple[int, int, int] | int | str | None) -> None:
        self._count("color=")
        for cell in self._cells():
            if color_or_rgb is None:
                self._sheet._colors.pop(cell, None)
            else:
                self._sheet._colors[cell] = _rgb(color_or_rgb)

    @property
    def number_format(self) -> str:
        return self._sheet._formats.get(self._cells()[0], "General")

    @number_format.setter
    def number_format(self, value: str) -> None:
        self._count("number_format=")
        for cell in self._cells():
            self._sheet._formats[cell] = value

    @property
    def column_width(self) -> float | None:
        return self._sheet._widths.get(self._box[1])

    @column_width.setter
    def column_width(self, value: float) -> None:
        for col in range(self._box[1], self._box[3] + 1):
            self._sheet._widths[col] = value

    @property
    def font(self) -> FakeFont:
        return FakeFont(self)

    @property
    def note(self) -> FakeNote | None:
        self._count("note")
        return self._sheet._notes.get(self._cells()[0])

    def add_note(self, text: str) -> FakeNote:
        self._count("add_note")
        cell = self._cells()[0]
        if self.shape != (1, 1) or cell in self._sheet._notes or not text:
            raise ValueError("A note can only be added to a single cell without one")
        note = self._sheet._notes[cell] = FakeNote(self._sheet, cell, text)
        return note

    @property
    def merge_cells(self) -> bool:
        self._count("merge_cells")
        merged = [any(m[0] <= r <= m[2] and m[1] <= c <= m[3] for m in self._sheet._merged) for r, c in self._cells()]
        return True if all(merged) else False if not any(merged) else None  # type: ignore[return-value]

    @property
    def merge_area(self) -> FakeRange:
        r, c = self._box[:2]
        box = next((m for m in self._sheet._merged if m[0] <= r <= m[2] and m[1] <= c <= m[3]), (r, c, r, c))
        return FakeRange(self._sheet, *box)

    def merge(self, across: bool = False) -> None:
        self._count("merge")
        r1, c1, r2, c2 = self._box
        if any(m[0] <= r2 and r1 <= m[2] and m[1] <= c2 and c1 <= m[3] for m in self._sheet._merged):
            raise ValueError("overlaps a merged range")  # Excel would ask; gendan unmerges its own first
        self._sheet._merged.append(self._box)

    def unmerge(self) -> None:
        self._count("unmerge")
        r1, c1, r2, c2 = self._box
        self._sheet._merged = [m for m in self._sheet._merged
                               if not (m[0] <= r2 and r1 <= m[2] and m[1] <= c2 and c1 <= m[3])]

    def options(self, convert: Any = None, **options: Any) -> FakeRange:
        return FakeRange(self._sheet, *self._box, {**self._options, **options})

    def copy(self, destination: Any = None) -> None:
        self._count("copy")
        sheet, target = self._sheet, destination._sheet
        dr, dc = destination.row - self.row, destination.column - self.column
        for r, c in self._cells():
            to = (r + dr, c + dc)
            target._store(to, sheet._values.get((r, c)), raw=True)
            for store in ("_colors", "_formats"):
                if (r, c) in getattr(sheet, store):
                    getattr(target, store)[to] = getattr(sheet, store)[(r, c)]
            if (r, c) in sheet._bold:
                target._bold.add(to)


class FakeSheet:
    def __init__(self, book: FakeBook, name: str) -> None:
        self._book, self._name = book, name
        self._values: dict[Cell, Any] = {}
        self._formulas: dict[Cell, str] = {}
        self._colors: dict[Cell, tuple[int, int, int]] = {}
        self._formats: dict[Cell, str] = {}
        self._notes: dict[Cell, FakeNote] = {}
        self._merged: list[tuple[int, int, int, int]] = []
        self._widths: dict[int, float] = {}
        self._bold: set[Cell] = set()

    def _store(self, cell: Cell, value: Any, *, raw: bool = False) -> None:
        self._formulas.pop(cell, None)
        if isinstance(value, str) and not raw and value.startswith("="):
            self._formulas[cell] = value
            value = None
        elif isinstance(value, str) and not raw and value.startswith("'"):
            value = value[1:]
        elif type(value) is date:
            value = datetime(value.year, value.month, value.day)
        elif value is not None and not isinstance(value, str | int | float | bool | datetime):
            raise TypeError(f"Excel cannot take a {type(value).__name__}: {value!r}")
        if value is None or value == "":
            self._values.pop(cell, None)
        else:
            self._values[cell] = value

    @property
    def name(self) -> str:
        return self._name

    @property
    def book(self) -> FakeBook:
        return self._book

    @property
    def used_range(self) -> FakeRange:
        cells = [*self._values, *self._formulas, *self._colors, *self._formats]
        if not cells:
            return FakeRange(self, 1, 1, 1, 1)
        return FakeRange(self, min(r for r, _ in cells), min(c for _, c in cells),
                         max(r for r, _ in cells), max(c for _, c in cells))

    @property
    def notes(self) -> list[FakeNote]:
        return list(self._notes.values())

    def range(self, cell1: Cell, cell2: Cell | None = None) -> FakeRange:
        return FakeRange(self, *cell1, *(cell2 or cell1))

    def clear(self) -> None:
        self.__init__(self._book, self._name)  # type: ignore[misc]


class FakeSheets:
    def __init__(self, book: FakeBook) -> None:
        self._book = book
        self._list: list[FakeSheet] = []

    def __getitem__(self, key: str) -> FakeSheet:
        return next(s for s in self._list if s.name.casefold() == key.casefold())

    def __iter__(self) -> Iterator[FakeSheet]:
        return iter(list(self._list))

    def add(self, name: str | None = None, before: Any = None, after: Any = None) -> FakeSheet:
        sheet = FakeSheet(self._book, name or f"Sheet{len(self._list) + 1}")
        at = next((i + 1 for i, s in enumerate(self._list) if s.name == after), 0)
        self._list.insert(at, sheet)
        return sheet


class FakeBook:
    def __init__(self, fullname: str = "/work/orders/跟单总表.xlsm") -> None:
        self._fullname = fullname
        self._sheets = FakeSheets(self)
        self._app = FakeApp()
        self._selection: FakeRange | None = None
        self._calls: Counter[str] = Counter()

    @property
    def name(self) -> str:
        return Path(self._fullname).name

    @property
    def fullname(self) -> str:
        return self._fullname

    @property
    def sheets(self) -> FakeSheets:
        return self._sheets

    @property
    def app(self) -> FakeApp:
        return self._app

    @property
    def selection(self) -> FakeRange | None:
        return self._selection


# ------------------------------------------------------------------------------------------
# Test helpers (outside the fake's classes, so they cannot be mistaken for protocol members)
# ------------------------------------------------------------------------------------------


def load_xlsx(path: Path, *, fullname: str | None = None) -> FakeBook:
    """The workbook at ``path`` as Excel would hold it open: cached values, formulas, merges, notes, fills."""
    import openpyxl

    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    book = FakeBook(fullname or str(path))
    for ws in formulas.worksheets:
        sheet = book.sheets.add(ws.title, after=list(book.sheets)[-1].name if list(book.sheets) else None)
        cached = values[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                at = (cell.row, cell.column)
                seen = cached.cell(*at)
                if seen.data_type == "e":
                    sheet._values[at] = ExcelError(seen.value)
                elif seen.value is not None and seen.value != "":
                    sheet._values[at] = seen.value
                if isinstance(cell.value, str) and cell.data_type == "f":
                    sheet._formulas[at] = cell.value
                if cell.fill is not None and cell.fill.fill_type == "solid" and isinstance(cell.fill.fgColor.rgb, str):
                    sheet._colors[at] = _rgb(cell.fill.fgColor.rgb[-6:])
                if cell.comment is not None:
                    sheet._notes[at] = FakeNote(sheet, at, cell.comment.text)
        sheet._merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    return book


def select(book: FakeBook, sheet: str, first: Cell, last: Cell | None = None) -> None:
    """Select cells, as the user does before clicking a button."""
    book._selection = book.sheets[sheet].range(first, last)


def grid(book: FakeBook, sheet: str) -> dict[Cell, Any]:
    """Every value of a sheet by (row, col)."""
    return dict(book.sheets[sheet]._values)


if TYPE_CHECKING:
    _CONFORMS: LiveBook = FakeBook()  # mypy: the fake satisfies the protocol the code is written against
