"""The first rows of each worksheet, read without reading the rest: a sample for a quick look at a workbook.

A 100,000-row sheet is tens of megabytes of XML; a first look (which sheet holds what, which
column is which) needs its header and a couple of hundred rows. :func:`read_head_rows` streams
each sheet's XML through expat and stops after ``rows`` rows, resolving only the shared strings
those rows use (the table is read only as far as the highest index needed) and telling dates from
numbers by the cells' number formats, as Excel does. The merged ranges, which come after the
cells, are found by scanning the rest of the stream as bytes, without parsing it.

Values come out as python-calamine gives them: text, ``float``, ``bool``, ``date`` (``datetime``
with a time of day), ``""`` for empty and error cells; each row lists the columns from the first
column of the sample.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from xml.parsers import expat

from gendan_xl.ooxml.xmlbytes import parse_range, parse_ref

__all__ = ["HeadSheet", "read_head_rows"]

_CHUNK = 1 << 16
_BUILTIN_DATES = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51,
                            52, 53, 54, 55, 56, 57, 58})
_DATE_CODE = re.compile(r"[ymdhs]", re.IGNORECASE)
_NOT_DATE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
# Only ranges starting in the sampled rows matter: the pattern takes as many row digits as the sample has, so
# the regex engine skips the (perhaps hundreds of thousands of) others in C.
_MERGE = rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=[\"']([A-Z]{1,3}\d{1,%d}(?::[A-Z]{1,3}\d+)?)[\"']"


class _Enough(Exception):
    """Raised inside expat's handlers to stop once enough rows are read."""


@dataclass
class HeadSheet:
    """The first rows of one worksheet, in python-calamine's shape (see :class:`~gendan_xl.workbook.sources.SheetSource`)."""

    name: str
    start: tuple[int, int] | None
    height: int
    merged_cell_ranges: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)

    def iter_rows(self) -> Any:
        """The sampled rows from sheet row 0."""
        return iter(self.rows)


def _is_date_format(code: str) -> bool:
    text = _NOT_DATE.sub("", code)
    return bool(_DATE_CODE.search(text)) and "General" not in code


def _date_styles(archive: zipfile.ZipFile, part: str | None) -> set[int]:
    """The cell-format (xf) indexes whose number format shows a date or time."""
    if part is None or part not in archive.namelist():
        return set()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    state = {"in_xfs": False}
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "numFmt":
            custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            state["in_xfs"] = True
        elif local == "xf" and state["in_xfs"]:
            xfs.append(int(attrs.get("numFmtId", "0")))

    def end(name: str) -> None:
        if name.rsplit(" ", 1)[-1] == "cellXfs":
            state["in_xfs"] = False

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.ParseFile(archive.open(part))
    return {i for i, fmt in enumerate(xfs) if fmt in _BUILTIN_DATES or (fmt in custom and _is_date_format(custom[fmt]))}


def _shared_strings(archive: zipfile.ZipFile, part: str | None, needed: int) -> list[str]:
    """The shared strings up to index ``needed`` (the table is not read further)."""
    if part is None or needed < 0 or part not in archive.namelist():
        return []
    found: list[str] = []
    buffer: list[str] = []
    depth = {"si": 0, "t": 0, "rph": 0}
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local in depth:
            depth[local] += 1

    def end(name: str) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local in depth:
            depth[local] -= 1
        if local == "si":
            found.append("".join(buffer))
            buffer.clear()
            if len(found) > needed:
                raise _Enough

    def text(data: str) -> None:
        if depth["t"] and not depth["rph"]:  # phonetic runs (rPh) are not part of the text
            buffer.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    _feed(parser, archive.open(part))
    return found


def _feed(parser: Any, stream: Any) -> Any:
    """Feed a stream to expat until it ends or a handler says enough; returns the stream."""
    try:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Enough:
        pass
    return stream


class _SheetReader:
    """expat handlers that collect the first rows of a sheet (raw: shared strings as indexes)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.cells: list[tuple[int, int, str, str, int]] = []  # (row, col, type, text, style)
        self.rows = 0
        self.dimension = ""
        self._cell: tuple[int, int, str, int] | None = None
        self._text: list[str] = []
        self._in_value = False
        self._row = 0
        self._col = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "row":
            self._row = int(attrs["r"]) - 1 if "r" in attrs else self._row + 1
            if self._row >= self.limit:  # the sample is the sheet's rows 0 … limit − 1
                raise _Enough
            self.rows += 1
            self._col = -1
        elif local == "c":
            ref = attrs.get("r")
            if ref:
                row, col = parse_ref(ref)
                self._row, self._col = row - 1, col - 1
            else:
                self._col += 1
            self._cell = (self._row, self._col, attrs.get("t", "n"), int(attrs.get("s", "0") or 0))
            self._text = []
        elif local in ("v", "t") and self._cell is not None:
            self._in_value = True
        elif local == "dimension":
            self.dimension = attrs.get("ref", "")

    def end(self, name: str) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local in ("v", "t"):
            self._in_value = False
        elif local == "c" and self._cell is not None:
            row, col, kind, style = self._cell
            self.cells.append((row, col, kind, "".join(self._text), style))
            self._cell = None
        elif local == "sheetData":
            raise _Enough

    def text(self, data: str) -> None:
        if self._in_value:
            self._text.append(data)


def _value(kind: str, text: str, style: int, dates: set[int], strings: list[str], date1904: bool) -> Any:
    if kind == "s":
        index = int(text) if text.strip().isdigit() else -1
        return strings[index] if 0 <= index < len(strings) else ""
    if kind in ("str", "inlineStr"):
        return text
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "e" or not text:
        return ""
    if kind == "d":
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        return moment.date() if moment.time() == datetime.min.time() else moment
    try:
        number = float(text)
    except ValueError:
        return text
    if style in dates:
        epoch = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
        moment = epoch + timedelta(milliseconds=round(number * 86_400_000))  # as calamine: to the millisecond
        return moment.date() if moment.time() == datetime.min.time() else moment
    return number


def _merged_ranges(stream: Any, first: bytes, limit: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The merged ranges starting in the first ``limit`` rows, found by scanning the rest of the stream as bytes."""
    out: list[tuple[tuple[int, int], tuple[int, int]]] = []
    tail = first
    while True:
        start = tail.find(b"<mergeCell")
        if start < 0:
            chunk = stream.read(_CHUNK * 8)
            if not chunk:
                return out
            tail = tail[-16:] + chunk
            continue
        break
    data = tail[start:] + stream.read()
    for match in re.finditer(_MERGE % len(str(limit)), data):
        ref = match.group(1).decode()
        r1, c1, r2, c2 = parse_range(ref if ":" in ref else f"{ref}:{ref}")
        if r1 <= limit:
            out.append(((r1 - 1, c1 - 1), (r2 - 1, c2 - 1)))
    return out


def read_head_rows(path: Path, sheet_parts: dict[str, str], *, rows: int, date1904: bool = False,
                   styles: str | None = None, shared_strings: str | None = None) -> dict[str, HeadSheet]:
    """Rows 0 … ``rows`` − 1 of every worksheet in ``sheet_parts`` (name → part), with the merged ranges there.

    ``styles`` and ``shared_strings`` are the workbook's parts of those (see :class:`PackageInfo`).
    """
    out: dict[str, HeadSheet] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        dates = _date_styles(archive, styles if styles in names else None)
        raw: dict[str, tuple[_SheetReader, list[Any]]] = {}
        needed = -1
        for name, part in sheet_parts.items():
            if part not in names:
                continue
            reader = _SheetReader(rows)
            parser = expat.ParserCreate(namespace_separator=" ")
            parser.StartElementHandler = reader.start
            parser.EndElementHandler = reader.end
            parser.CharacterDataHandler = reader.text
            stream = archive.open(part)
            consumed = _feed_tracking(parser, stream)
            merged = _merged_ranges(stream, consumed, rows)
            stream.close()
            raw[name] = (reader, merged)
            needed = max([needed, *(int(t) for _, _, k, t, _ in reader.cells if k == "s" and t.strip().isdigit())])
        strings = _shared_strings(archive, shared_strings if shared_strings in names else None, needed)
    for name, (reader, merged) in raw.items():
        out[name] = _sheet(name, reader, merged, dates, strings, date1904)
    return out


def _feed_tracking(parser: Any, stream: Any) -> bytes:
    """Feed the sheet until the rows are read; returns the chunk being parsed then (its rest is not parsed)."""
    chunk = b""
    try:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Enough:
        return chunk
    return b""


def _sheet(name: str, reader: _SheetReader, merged: list[Any], dates: set[int], strings: list[str],
           date1904: bool) -> HeadSheet:
    cells = [c for c in reader.cells if c[3] or c[2] in ("str", "inlineStr")]
    if not cells:
        return HeadSheet(name, None, 0, merged)
    first_col = min(c[1] for c in cells)
    first_row = min(c[0] for c in cells)
    last_col = max(c[1] for c in cells)
    height = 0
    if reader.dimension:
        try:
            _, _, bottom, right = parse_range(reader.dimension if ":" in reader.dimension
                                                   else f"{reader.dimension}:{reader.dimension}")
            height, last_col = bottom - first_row, max(last_col, right - 1)
        except ValueError:
            height = 0
    last_row = max(c[0] for c in cells)
    width = last_col - first_col + 1
    rows: list[list[Any]] = [[""] * width for _ in range(last_row + 1)]
    for row, col, kind, text, style in cells:
        rows[row][col - first_col] = _value(kind, text, style, dates, strings, date1904)
    return HeadSheet(name, (first_row, first_col), max(height, last_row - first_row + 1), merged, rows)
