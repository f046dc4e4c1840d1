"""Read and write the workbook Excel has open, through xlwings (the Excel buttons' twin of the file path).

Reading: each schema sheet's used range comes over in one call
(``used_range.options(ndim=2, err_to_str=True).value`` — the current values, unsaved edits
included) and goes through the same reader as a file (:func:`gendan_xl.workbook.reader.read_values`);
merged ranges are found by halving the used range while Excel says it holds merged cells.

Writing: the same cell plan as the file path (:func:`gendan_xl.workbook.writeback.plan_status`
gives :class:`~gendan_xl.ooxml.cells.SheetPatch` lists) is applied per column block — one
``.value`` assignment per run of consecutive rows, one ``.color`` per run of one colour — because
every call is a round trip to Excel. The rules follow the file writer:

* formula cells are refused before anything is written (WriteError naming the cell);
* a new status header copies the format of ``style_like`` (Excel's own copy of that cell);
* ``fill=None`` clears a fill only when it is one of gendan's status colours
  (:data:`~gendan_xl.ooxml.styles.GENDAN_PALETTE`), so a user's own shading stays. A block is
  first asked for its colour as a whole: xlwings answers None only when no cell in it has a
  fill; anything else (a colour, or an error for a mix) means asking cell by cell;
* notes: gendan's notes start with ``gendan_xl:`` (:data:`~gendan_xl.workbook.writeback.NOTE_PREFIX`)
  — through xlwings a note's author is always Excel's user name, so the text is the mark. A
  note without it belongs to someone else: it is kept and ours is skipped (reported);
* a text that Excel would take for a formula or a number (``=…``, ``+…``, ``-…``, ``@…``) is
  written with a leading apostrophe, so it stays text as in the file.

A whole sheet (:class:`~gendan_xl.ooxml.cells.NewSheet`: the shipment plan, a new document
log) is replaced only when its first row is the header gendan_xl writes: the file path marks its
sheets with a custom property, which xlwings cannot set or read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from gendan_xl.errors import WriteError
from gendan_xl.excel.livebook import LiveBook, LiveNote, LiveRange, LiveSheet
from gendan_xl.models import Workbook, column_letter
from gendan_xl.ooxml import (
    DEFAULT_DATE_FORMAT,
    DEFAULT_DATETIME_FORMAT,
    GENDAN_PALETTE,
    CellValue,
    CellWrite,
    NewSheet,
    SheetPatch,
    SkippedNote,
)
from gendan_xl.vocab import squash
from gendan_xl.workbook.reader import SheetValues, read_values
from gendan_xl.workbook.schema import SHEETS
from gendan_xl.workbook.writeback import NOTE_PREFIX

__all__ = [
    "LiveResult",
    "Progress",
    "apply_live",
    "book_path",
    "find_sheet",
    "read_live",
    "write_sheet_live",
]

Progress = Callable[[str], None]
OUTPUT_SHEETS = ("出运计划", "xlwings.conf")
MAX_MERGE_PROBES = 4000  # a sheet with thousands of merged ranges is read without the rest of them
_FORMULA_LIKE = ("=", "+", "-", "@")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PALETTE_RGB = {tuple(int(c[i:i + 2], 16) for i in (0, 2, 4)) for c in GENDAN_PALETTE}


@dataclass
class LiveResult:
    """What a live write did: cells written, notes added or changed, notes skipped."""

    cells_written: int = 0
    notes_written: int = 0
    skipped: list[SkippedNote] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def book_path(book: LiveBook) -> Path | None:
    """The workbook's file as a Path, or None when it has none (never saved, or on OneDrive as a URL)."""
    full = book.fullname
    if not full or "://" in full:
        return None
    path = Path(full)
    return path if path.parent != Path() else None


def find_sheet(book: LiveBook, name: str) -> LiveSheet | None:
    """The sheet called ``name`` (compared as Excel does, ignoring case), or None."""
    folded = name.casefold()
    return next((sheet for sheet in book.sheets if sheet.name.casefold() == folded), None)


def read_live(book: LiveBook, *, keys: Collection[str] | None = None, progress: Progress | None = None) -> Workbook:
    """Read the open workbook's current values into the models, exactly as :func:`read_workbook` reads a file.

    ``keys`` limits the schema sheets read (the required ones are always read): a sheet named as
    one of the others is not fetched from Excel. Any other sheet may hold the user's own tables and
    is read; gendan's own output sheets (the shipment plan, ``xlwings.conf``) never are.
    """
    # Any sheet may hold the orders (a tracker of the user's own layout): every sheet is read, but gendan's own
    # output sheets and, when ``keys`` limits them, the schema sheets not wanted (by name).
    skipped = {squash(name) for name in OUTPUT_SHEETS}
    if keys is not None:
        skipped |= {squash(alias) for spec in SHEETS if spec.key not in keys and not spec.required
                    for alias in spec.names}
    values: list[SheetValues] = []
    for sheet in book.sheets:
        name = sheet.name
        if squash(name) in skipped:
            continue
        if progress is not None:
            progress(f"读取 Reading {name}")
        used = sheet.used_range
        top, left = used.row, used.column
        rows = used.options(ndim=2, err_to_str=True).value or []
        bottom, right = top + len(rows) - 1, left + max((len(r) for r in rows), default=1) - 1
        merged = merged_areas(sheet, top, left, bottom, right) if rows else []
        values.append(SheetValues(name, rows, top, left, merged))
    return read_values(values, path=book_path(book))


def merged_areas(sheet: LiveSheet, top: int, left: int, bottom: int, right: int) -> list[tuple[int, int, int, int]]:
    """Merged ranges inside a block, as 1-based inclusive (top, left, bottom, right).

    Excel answers ``MergeCells`` for a whole block (False: none merged), so the block is halved
    only where merged cells are; a sheet without any costs one call.
    """
    found: set[tuple[int, int, int, int]] = set()
    pending = [(top, left, bottom, right)]
    probes = 0
    while pending and probes < MAX_MERGE_PROBES:
        r1, c1, r2, c2 = pending.pop()
        probes += 1
        flag = sheet.range((r1, c1), (r2, c2)).merge_cells
        if flag is False:  # True: all merged; None (Windows) or another value: some are
            continue
        area = sheet.range((r1, c1)).merge_area
        rows, cols = area.shape
        box = (area.row, area.column, area.row + rows - 1, area.column + cols - 1)
        if rows * cols > 1:
            found.add(box)
        if (box[0] <= r1 and box[1] <= c1 and box[2] >= r2 and box[3] >= c2) or (r1, c1) == (r2, c2):
            continue
        if r2 - r1 >= c2 - c1:
            middle = (r1 + r2) // 2
            pending += [(middle + 1, c1, r2, c2), (r1, c1, middle, c2)]
        else:
            middle = (c1 + c2) // 2
            pending += [(r1, middle + 1, r2, c2), (r1, c1, r2, middle)]
    return sorted(found)


# ---------------------------------------------------------------------------------------------
# Writing a cell plan
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    """Consecutive rows of one column, written with one call."""

    col: int
    writes: tuple[CellWrite, ...]

    @property
    def first(self) -> int:
        return self.writes[0].row

    @property
    def last(self) -> int:
        return self.writes[-1].row

    def cells(self, sheet: LiveSheet) -> LiveRange:
        return sheet.range((self.first, self.col), (self.last, self.col))


def _blocks(cells: Sequence[CellWrite]) -> list[_Block]:
    latest = {(w.row, w.col): w for w in cells}  # a cell planned twice: the last write wins, as in the file
    by_col: dict[int, list[CellWrite]] = {}
    for (_, col), write in sorted(latest.items(), key=lambda item: (item[0][1], item[0][0])):
        by_col.setdefault(col, []).append(write)
    blocks: list[_Block] = []
    for col, writes in by_col.items():
        run: list[CellWrite] = []
        for write in writes:
            if run and write.row != run[-1].row + 1:
                blocks.append(_Block(col, tuple(run)))
                run = []
            run.append(write)
        blocks.append(_Block(col, tuple(run)))
    return blocks


def _runs(writes: Sequence[CellWrite], key: Callable[[CellWrite], Any]) -> Iterator[tuple[Any, list[CellWrite]]]:
    """Consecutive writes with the same ``key`` (the writes are consecutive rows of one column)."""
    run: list[CellWrite] = []
    for write in writes:
        if run and key(write) != key(run[0]):
            yield key(run[0]), run
            run = []
        run.append(write)
    if run:
        yield key(run[0]), run


def excel_value(value: CellValue) -> Any:
    """A cell value as xlwings should receive it (floats, datetimes, texts that stay texts)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        text = _CONTROL.sub("", value)
        return "'" + text if text.startswith(_FORMULA_LIKE) else text
    return value


def _number_format(write: CellWrite) -> str | None:
    if write.number_format is not None:
        return write.number_format
    if isinstance(write.value, datetime):
        return DEFAULT_DATETIME_FORMAT
    if isinstance(write.value, date):
        return DEFAULT_DATE_FORMAT
    return None


def _formulas(rng: LiveRange) -> list[str]:
    """The formula text of every cell of a one-column block, top to bottom."""
    raw = rng.formula
    if isinstance(raw, str):
        return [raw]
    return [str(row[0] if isinstance(row, list | tuple) else row) for row in raw]


def _refuse_formulas(sheet: LiveSheet, blocks: Sequence[_Block]) -> None:
    for block in blocks:
        for row, formula in enumerate(_formulas(block.cells(sheet)), start=block.first):
            if formula.startswith("="):
                where = f"{sheet.name}!{column_letter(block.col)}{row}"
                raise WriteError(
                    f"{where} 是公式单元格，gendan_xl 不会覆盖它；未写入任何内容。请把公式移到别的列后重试。",
                    f"{where} holds a formula, which gendan_xl does not overwrite; nothing was written. Move the "
                    "formula to another column and try again.",
                )


def _note_text(text: str) -> str:
    return _CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


class _SheetWriter:
    """Applies one sheet's cell plan."""

    def __init__(self, sheet: LiveSheet, patch: SheetPatch, result: LiveResult) -> None:
        self.sheet = sheet
        self.patch = patch
        self.result = result
        self.blocks = _blocks(patch.cells)

    def write(self, progress: Progress | None) -> None:
        sheet = self.sheet
        self._unmerge()
        for write in self.patch.cells:
            if write.style_like is not None:
                sheet.range(write.style_like).copy(sheet.range((write.row, write.col)))
        for number, block in enumerate(self.blocks, start=1):
            if progress is not None and (number == 1 or number % 10 == 0):
                progress(f"写入 Writing {sheet.name} {number}/{len(self.blocks)}")
            self._values(block)
            self._fills(block)
        for col, width in self.patch.column_widths.items():
            sheet.range((1, col)).column_width = width
        for r1, c1, r2, c2 in self.patch.merges:
            sheet.range((r1, c1), (r2, c2)).merge()
        self._notes()

    def _unmerge(self) -> None:
        """Split an earlier run's merged status cells (merged ranges lying inside the caller's columns)."""
        owned = set(self.patch.unmerge_columns)
        if not owned:
            return
        rows = [w.row for w in self.patch.cells] + [m[2] for m in self.patch.merges]
        last = max(rows, default=1)
        for col in sorted(owned):
            for r1, c1, r2, c2 in merged_areas(self.sheet, 1, col, last, col):
                if all(c in owned for c in range(c1, c2 + 1)):
                    self.sheet.range((r1, c1), (r2, c2)).unmerge()

    def _values(self, block: _Block) -> None:
        sheet = self.sheet
        block.cells(sheet).value = [[excel_value(w.value)] for w in block.writes]
        self.result.cells_written += len(block.writes)
        for fmt, run in _runs(block.writes, _number_format):
            if fmt is not None:
                sheet.range((run[0].row, block.col), (run[-1].row, block.col)).number_format = fmt

    def _fills(self, block: _Block) -> None:
        sheet = self.sheet
        for fill, run in _runs(block.writes, lambda w: w.fill.upper() if w.fill else None):
            cells = sheet.range((run[0].row, block.col), (run[-1].row, block.col))
            if fill is not None:
                cells.color = f"#{fill}"
                continue
            if len(run) == 1:
                current = cells.color
                if current is not None and tuple(current) in _PALETTE_RGB:
                    cells.color = None
                continue
            try:
                whole = cells.color
            except Exception:  # a mix of fills: Windows' Interior.Color is Null, which xlwings cannot convert
                whole = (-1, -1, -1)
            if whole is None:
                continue  # no cell of the run has a fill: one call settles the whole run
            for write in run:
                cell = sheet.range((write.row, block.col))
                current = cell.color
                if current is not None and tuple(current) in _PALETTE_RGB:
                    cell.color = None

    def _notes(self) -> None:
        sheet = self.sheet
        planned = {(w.row, w.col): w.note for w in self.patch.cells}
        existing: dict[tuple[int, int], LiveNote] = {}
        for note in sheet.notes:
            cell = note.location
            key = (cell.row, cell.column)
            if key in planned:
                existing[key] = note
        for (row, col), text in sorted(planned.items()):
            found = existing.get((row, col))
            if found is not None:
                current = _note_text(found.text)
                if not current.startswith(NOTE_PREFIX):
                    if text is not None:
                        self.result.skipped.append(SkippedNote(sheet.name, f"{column_letter(col)}{row}"))
                    continue
                if text is None:
                    found.delete()
                elif current != _note_text(text):
                    found.text = _note_text(text)
                    self.result.notes_written += 1
                continue
            if text is not None:
                sheet.range((row, col)).add_note(_note_text(text))
                self.result.notes_written += 1


def apply_live(book: LiveBook, patches: Sequence[SheetPatch], *, progress: Progress | None = None) -> LiveResult:
    """Apply cell plans to the open workbook (see the module docstring); nothing is written if a target is a formula."""
    writers: list[_SheetWriter] = []
    result = LiveResult()
    for patch in patches:
        sheet = find_sheet(book, patch.sheet)
        if sheet is None:
            raise WriteError(f"找不到工作表“{patch.sheet}”；未写入任何内容。",
                             f"the sheet “{patch.sheet}” is not in the workbook; nothing was written.")
        writers.append(_SheetWriter(sheet, patch, result))
    for writer in writers:
        _refuse_formulas(writer.sheet, writer.blocks)
    with _screen_frozen(book):
        for writer in writers:
            writer.write(progress)
    return result


@contextmanager
def _screen_frozen(book: LiveBook) -> Iterator[None]:
    """Turn Excel's screen updating off while writing (much faster), and back on whatever happens."""
    book.app.screen_updating = False
    try:
        yield
    finally:
        book.app.screen_updating = True


# ---------------------------------------------------------------------------------------------
# Whole sheets
# ---------------------------------------------------------------------------------------------


def _header_matches(sheet: LiveSheet, header: Sequence[CellValue]) -> bool:
    current = sheet.range((1, 1), (1, max(len(header), 1))).options(ndim=2).value or [[]]
    first = ["" if v is None else v for v in current[0]]
    return [str(v) for v in first] == [str(v) for v in header]


def write_sheet_live(book: LiveBook, new: NewSheet, *, progress: Progress | None = None) -> LiveSheet:
    """Write ``new`` as a whole sheet: added after the last sheet, or replacing gendan's earlier one.

    Raises WriteError when a sheet of that name exists but its first row is not ``new``'s header
    (it is the user's), or when ``new.replace`` is False.
    """
    header = list(new.rows[0]) if new.rows else []
    sheet = find_sheet(book, new.name)
    if sheet is not None:
        if not new.replace:
            raise WriteError(f"工作表“{sheet.name}”已存在，未改动。", f"the sheet “{sheet.name}” already exists; nothing was changed.")
        if not header or not _header_matches(sheet, header):
            raise WriteError(
                f"工作簿中已有名为“{sheet.name}”的工作表，且不是 gendan_xl 生成的；为保护您的数据未作任何改动。"
                "请重命名或删除该表后重试。",
                f"The workbook already has a sheet named '{sheet.name}' that gendan_xl did not create; nothing "
                "was changed. Rename or delete that sheet and try again.",
            )
        sheet.clear()
    else:
        last = list(book.sheets)[-1].name
        sheet = book.sheets.add(new.name, after=last)
    if progress is not None:
        progress(f"写入 Writing {new.name}")
    width = max((len(row) for row in new.rows), default=0)
    if width:
        rows = [[excel_value(v) for v in row] + [None] * (width - len(row)) for row in new.rows]
        with _screen_frozen(book):
            sheet.range((1, 1), (len(rows), width)).value = rows
            sheet.range((1, 1), (1, width)).font.bold = True
            for col in range(width):
                column = [row[col] for row in new.rows[1:] if col < len(row)]
                fmt = (DEFAULT_DATETIME_FORMAT if any(isinstance(v, datetime) for v in column)
                       else DEFAULT_DATE_FORMAT if any(isinstance(v, date) for v in column) else None)
                if fmt is not None:
                    sheet.range((2, col + 1), (len(rows), col + 1)).number_format = fmt
            for col, size in new.column_widths.items():
                sheet.range((1, col)).column_width = size
    return sheet
