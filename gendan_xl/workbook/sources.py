"""Where the reader's cell values come from: a workbook file, or rows already in memory.

The reader (:mod:`gendan_xl.workbook.reader`) consumes worksheets in python-calamine's shape:
a name, the 0-based ``start`` of the used area, its ``height``, the merged ranges and
``iter_rows()``, which yields every row from sheet row 0 with the columns from ``start``'s
column on. Two sources give that shape:

* :class:`FileSource` — the fast path: python-calamine's own sheets from a file (no wrapper, no
  per-cell work), error cells found by scanning the sheet XML (calamine reads them as ``""``);
* :class:`ValuesSource` — rows of values in memory, e.g. an open workbook's current values as
  xlwings returns them (``sheet.used_range.options(ndim=2, err_to_str=True).value``): ``None``
  becomes ``""`` and an error text such as ``#N/A`` becomes ``""`` plus an error cell, exactly
  as the file path reads them. A text cell holding nothing but an error word (``#N/A``) cannot
  be told from an error, so it is reported as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from python_calamine import CalamineWorkbook

from gendan_xl.errors import CorruptWorkbookError
from gendan_xl.ooxml import PackageInfo, find_error_cells, inspect_workbook

__all__ = [
    "ERROR_VALUES",
    "BookSource",
    "FileSource",
    "HeadSource",
    "SheetSource",
    "SheetValues",
    "ValuesSource",
]

#: The error values Excel shows in cells (xlwings' ``err_to_str=True`` gives them as this text).
ERROR_VALUES = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
    "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#PYTHON!",
})
Merged = tuple[tuple[int, int], tuple[int, int]]  # ((top, left), (bottom, right)), 0-based, inclusive


class SheetSource(Protocol):
    """One worksheet as the reader consumes it (python-calamine's ``CalamineSheet`` has this shape)."""

    @property
    def name(self) -> str:
        """The sheet's name."""

    @property
    def start(self) -> tuple[int, int] | None:
        """0-based (row, col) of the used area's top-left cell; None for an empty sheet."""

    @property
    def height(self) -> int:
        """Rows from ``start``'s row to the last used row."""

    @property
    def merged_cell_ranges(self) -> list[Merged] | None:
        """Merged ranges, 0-based and inclusive."""

    def iter_rows(self) -> Iterator[list[Any]]:
        """Every row from sheet row 0, each holding the columns from ``start``'s column on."""


class BookSource(Protocol):
    """A workbook's worksheets, its date system and its error cells."""

    path: Path | None
    date1904: bool

    def worksheet_names(self) -> list[str]:
        """The worksheets' names in tab order (chart sheets left out)."""

    def sheet(self, name: str) -> SheetSource:
        """The worksheet called ``name``."""

    def error_cells(self, name: str) -> dict[tuple[int, int], str]:
        """Error cells of a sheet (``#N/A`` …) by 0-based (row, col)."""

    def close(self) -> None:
        """Release the source."""


class FileSource:
    """A .xlsx/.xlsm file read with python-calamine, after :func:`inspect_workbook` has vetted it."""

    def __init__(self, path: Path) -> None:
        self.package: PackageInfo = inspect_workbook(path)
        self.path: Path | None = path
        self.date1904 = self.package.date1904
        self._errors: dict[str, dict[tuple[int, int], str]] = {}
        try:
            self._book = CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises its own error types for damaged XML
            raise CorruptWorkbookError(
                f"文件已损坏，无法读取：{path.name}（{exc}）", f"the file is damaged and cannot be read: {path.name} ({exc})",
                path=path,
            ) from exc

    def worksheet_names(self) -> list[str]:
        """The worksheets' names in tab order (chart sheets left out)."""
        return [meta.name for meta in self._book.sheets_metadata if str(meta.typ).endswith("WorkSheet")]

    def sheet(self, name: str) -> SheetSource:
        """calamine's own sheet object: the reader pays nothing for the abstraction."""
        try:
            sheet: SheetSource = self._book.get_sheet_by_name(name)
        except Exception as exc:
            raise CorruptWorkbookError(
                f"工作表“{name}”已损坏：{exc}", f"sheet “{name}” is damaged: {exc}", path=self.path
            ) from exc
        return sheet

    def error_cells(self, name: str) -> dict[tuple[int, int], str]:
        """Error cells from the sheet XML (calamine reads them as empty strings); scanned once per sheet."""
        found = self._errors.get(name)
        if found is None:
            part = self.package.sheet_parts.get(name)
            found = self._errors[name] = find_error_cells(self.package.path, part) if part is not None else {}
        return found

    def close(self) -> None:
        """Close calamine's workbook."""
        self._book.close()


class HeadSource:
    """The first rows of each worksheet of a file, read without the rest (a quick look: ``gendan map``)."""

    def __init__(self, path: Path, rows: int) -> None:
        from gendan_xl.ooxml.headrows import read_head_rows

        self.package: PackageInfo = inspect_workbook(path)
        self.path: Path | None = path
        self.date1904 = self.package.date1904
        parts = {name: self.package.sheet_parts[name] for name in self.package.worksheets}
        try:
            self._heads = read_head_rows(path, parts, rows=rows, date1904=self.date1904,
                                         styles=self.package.styles_part,
                                         shared_strings=self.package.shared_strings_part)
        except Exception as exc:  # expat and zlib raise their own errors for damaged parts
            raise CorruptWorkbookError(f"文件已损坏，无法读取：{path.name}（{exc}）",
                                       f"the file is damaged and cannot be read: {path.name} ({exc})", path=path) from exc

    def worksheet_names(self) -> list[str]:
        """The worksheets' names in tab order."""
        return list(self._heads)

    def sheet(self, name: str) -> SheetSource:
        """The sheet's first rows."""
        return self._heads[name]

    def error_cells(self, name: str) -> dict[tuple[int, int], str]:
        """None are looked for in a sample."""
        return {}

    def close(self) -> None:
        """Nothing to release."""


@dataclass(frozen=True)
class SheetValues:
    """One worksheet's values in memory: rows of the used range and where that range starts.

    ``first_row`` and ``first_col`` are 1-based, as Excel and xlwings (``Range.row``,
    ``Range.column``) count; ``merged`` lists merged ranges as 1-based, inclusive
    ``(top, left, bottom, right)``.
    """

    name: str
    rows: Sequence[Sequence[Any]]
    first_row: int = 1
    first_col: int = 1
    merged: Sequence[tuple[int, int, int, int]] = ()


class _ValuesSheet:
    """A :class:`SheetValues` in calamine's shape, values normalised to what calamine gives."""

    def __init__(self, values: SheetValues) -> None:
        self.name = values.name
        self.errors: dict[tuple[int, int], str] = {}
        top, left = values.first_row - 1, values.first_col - 1
        width = max((len(row) for row in values.rows), default=0)
        self._rows = [self._clean(top + at, left, row, width) for at, row in enumerate(values.rows)]
        self._top = top
        self._width = width
        self.start: tuple[int, int] | None = (top, left) if self._rows and width else None
        self.height = len(self._rows)
        self.merged_cell_ranges: list[Merged] | None = [
            ((r1 - 1, c1 - 1), (r2 - 1, c2 - 1)) for r1, c1, r2, c2 in values.merged]

    def _clean(self, index: int, left: int, row: Sequence[Any], width: int) -> list[Any]:
        cells = ["" if value is None else value for value in row]
        for col, value in enumerate(cells):
            if value.__class__ is str and value[:1] == "#" and value in ERROR_VALUES:
                self.errors[(index, left + col)] = value
                cells[col] = ""
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        return cells

    def iter_rows(self) -> Iterator[list[Any]]:
        """Blank rows above the used range, then its rows (the reader reads each sheet once)."""
        for _ in range(self._top):
            yield [""] * self._width
        yield from self._rows


class ValuesSource:
    """Worksheets given as rows of values (see :class:`SheetValues`), e.g. read through xlwings."""

    def __init__(self, sheets: Iterable[SheetValues], *, path: Path | None = None, date1904: bool = False) -> None:
        self.path = path
        self.date1904 = date1904
        self._sheets: dict[str, _ValuesSheet] = {}
        for values in sheets:
            self._sheets[values.name] = _ValuesSheet(values)

    def worksheet_names(self) -> list[str]:
        """The sheets in the order given."""
        return list(self._sheets)

    def sheet(self, name: str) -> SheetSource:
        """The sheet called ``name``."""
        return self._sheets[name]

    def error_cells(self, name: str) -> dict[tuple[int, int], str]:
        """The error texts found while normalising the sheet's values."""
        return self._sheets[name].errors

    def close(self) -> None:
        """Nothing to release."""
