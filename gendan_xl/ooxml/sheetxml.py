"""Byte-level reading and splicing of worksheet XML (generic helpers live in :mod:`.xmlbytes`).

A worksheet can be 50 MB of XML; parsing it into a DOM and serialising it again would be slow
and would rewrite bytes we must keep. Instead the sheet is split into prefix (up to
``<sheetData>``), rows and suffix by scanning bytes, only the rows we touch are taken apart
(cell by cell, still as bytes), and the result is assembled from untouched slices plus the
rewritten pieces. Untouched rows and cells keep their exact bytes, including whitespace.

The scanner relies on facts of SpreadsheetML: ``<row>`` and ``<c>`` never nest in themselves,
their attributes (``r``, ``s``, ``t``, ``spans`` …) never contain ``>``, and cell text is
escaped, so ``</row>`` cannot occur inside a row's content.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property
from typing import NamedTuple

from gendan_xl.errors import CorruptWorkbookError
from gendan_xl.ooxml.package import MAIN_NAMESPACES
from gendan_xl.ooxml.xmlbytes import (
    Element,
    cell_ref,
    col_letters,
    col_number,
    iter_children,
    parse_attrs,
    parse_range,
    parse_ref,
    root_info,
)

__all__ = [
    "MAX_COL",
    "MAX_ROW",
    "WORKSHEET_ORDER",
    "CellSpan",
    "RowSpan",
    "RowView",
    "SheetXml",
]

MAX_ROW = 1_048_576
MAX_COL = 16_384
_WS = b" \t\r\n"
_WS_BYTES = (b" ", b"\t", b"\r", b"\n")
_NAME_END = frozenset(b" \t\r\n>/")  # bytes that may follow an element name
# Child order of CT_Worksheet (ECMA-376 Part 1, 18.3.1.99); new elements must respect it.
WORKSHEET_ORDER = [
    b"sheetPr",
    b"dimension",
    b"sheetViews",
    b"sheetFormatPr",
    b"cols",
    b"sheetData",
    b"sheetCalcPr",
    b"sheetProtection",
    b"protectedRanges",
    b"scenarios",
    b"autoFilter",
    b"sortState",
    b"dataConsolidate",
    b"customSheetViews",
    b"mergeCells",
    b"phoneticPr",
    b"conditionalFormatting",
    b"dataValidations",
    b"hyperlinks",
    b"printOptions",
    b"pageMargins",
    b"pageSetup",
    b"headerFooter",
    b"rowBreaks",
    b"colBreaks",
    b"customProperties",
    b"cellWatches",
    b"ignoredErrors",
    b"smartTags",
    b"drawing",
    b"legacyDrawing",
    b"legacyDrawingHF",
    b"drawingHF",
    b"picture",
    b"oleObjects",
    b"controls",
    b"webPublishItems",
    b"tableParts",
    b"extLst",
]
_CELL_R = re.compile(rb"""\sr\s*=\s*["']\$?([A-Za-z]{1,3})\$?\d+["']""")


class RowSpan(NamedTuple):
    """A ``<row>`` element's position and number (a tuple: 100,000 of them are made per sheet)."""

    number: int
    start: int
    tag_end: int
    end: int
    self_closing: bool


class CellSpan:
    """A ``<c>`` element inside a row; its attributes are parsed only when asked for."""

    __slots__ = ("col", "end", "start", "tag", "tag_end")

    def __init__(self, col: int, start: int, tag_end: int, end: int, tag: bytes) -> None:
        self.col = col
        self.start = start
        self.tag_end = tag_end
        self.end = end
        self.tag = tag  # the attribute text of the start tag

    @property
    def attrs(self) -> dict[bytes, bytes]:
        """The cell's attributes (raw values)."""
        return parse_attrs(self.tag)

    def has_formula(self, data: bytes, prefix: bytes) -> bool:
        """True if the cell holds a formula (normal, shared master/member or array master)."""
        if self.tag_end == self.end:
            return False
        body = data[self.tag_end : self.end]
        pat = b"<" + prefix + b"f"
        pos = body.find(pat)
        while pos >= 0:
            nxt = body[pos + len(pat) : pos + len(pat) + 1]
            if nxt in (b">", b"/") or (nxt and nxt in _WS):
                return True
            pos = body.find(pat, pos + 1)
        return False


class SheetXml:
    """A worksheet's XML split into prefix, rows and suffix, by byte offsets."""

    def __init__(self, data: bytes, part: str) -> None:
        self.data = data
        self.part = part
        self.root, self.ns = root_info(data, part)
        if self.root.local != b"worksheet":
            raise self._corrupt("root element is not <worksheet>")
        prefixes = [p for p, uri in self.ns.items() if uri.decode() in MAIN_NAMESPACES]
        root_prefix = self.root.name[: -len(b"worksheet")]
        # The prefix the sheet uses for SpreadsheetML elements, including its colon (b"" = default ns).
        self.p = root_prefix if root_prefix.rstrip(b":") in prefixes else None
        if self.p is None:
            raise self._corrupt("the worksheet uses an unknown namespace")
        self.rel_prefix: bytes | None = next(
            (p for p, uri in self.ns.items() if uri.decode().endswith("/relationships") and p), None
        )
        sd = self._find_tag(b"sheetData", self.root.tag_end)
        if sd is None:
            raise self._corrupt("no <sheetData>")
        self.sheetdata_start = sd
        tag_end = data.index(b">", sd) + 1
        self.sheetdata_tag_end = tag_end
        self.sheetdata_empty = data[tag_end - 2 : tag_end] == b"/>"
        if self.sheetdata_empty:
            self.sheetdata_close = tag_end
            self.sheetdata_end = tag_end
        else:
            m = re.compile(rb"</" + re.escape(self.p) + rb"sheetData\s*>").search(data, tag_end)
            if m is None:
                raise self._corrupt("<sheetData> is not closed")
            self.sheetdata_close = m.start()
            self.sheetdata_end = m.end()

    def _corrupt(self, detail: str) -> CorruptWorkbookError:
        return CorruptWorkbookError(
            f"工作表 {self.part} 的 XML 无法识别（{detail}）。",
            f"The worksheet XML {self.part} cannot be read ({detail}).",
            path=None,
        )

    def _find_tag(self, local: bytes, start: int, end: int | None = None) -> int | None:
        """Return the offset of the first ``<{p}local`` start tag at or after ``start``."""
        pat = b"<" + (self.p or b"") + local
        stop = len(self.data) if end is None else end
        pos = self.data.find(pat, start, stop)
        while pos >= 0:
            nxt = self.data[pos + len(pat) : pos + len(pat) + 1]
            if nxt in (b">", b"/") or (nxt and nxt in _WS):
                return pos
            pos = self.data.find(pat, pos + 1, stop)
        return None

    @property
    def prefix_bytes(self) -> bytes:
        """The SpreadsheetML prefix with its colon (b"" for the default namespace)."""
        return self.p or b""

    @cached_property
    def rows(self) -> list[RowSpan]:
        """Every row in sheetData, in document order, with its (possibly implicit) number."""
        data = self.data
        p = self.prefix_bytes
        open_pat = b"<" + p + b"row"
        close_pat = b"</" + p + b"row>"
        after_name = len(open_pat)
        r_re = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
        rows: list[RowSpan] = []
        append = rows.append
        find = data.find
        last = 0
        pos = self.sheetdata_tag_end
        stop = self.sheetdata_close
        # A plain bytes.find loop: regex searches over megabytes of cells are several times slower.
        # Row start tags never hold '>' inside attribute values (they are all numbers or booleans).
        while True:
            pos = find(open_pat, pos, stop)
            if pos < 0:
                break
            if data[pos + after_name] not in _NAME_END:
                pos += after_name
                continue
            tag_end = find(b">", pos) + 1
            i = find(b' r="', pos, tag_end)
            if i >= 0:
                number = int(data[i + 4 : find(b'"', i + 4)])
            else:
                m = r_re.search(data, pos, tag_end)
                number = int(m.group(1)) if m else last + 1
            if number <= last or number > MAX_ROW:
                raise self._corrupt(f"row numbers out of order at row {number}")
            last = number
            if data[tag_end - 2] == 47:  # "/>"
                append(RowSpan(number, pos, tag_end, tag_end, True))
                pos = tag_end
                continue
            close = find(close_pat, tag_end, stop)
            if close < 0:
                raise self._corrupt(f"row {number} is not closed")
            end = close + len(close_pat)
            append(RowSpan(number, pos, tag_end, end, False))
            pos = end
        return rows

    @cached_property
    def row_numbers(self) -> list[int]:
        """The row numbers, ascending (for bisect)."""
        return [r.number for r in self.rows]

    def row(self, number: int) -> RowSpan | None:
        """Return the row with this number, if present."""
        i = bisect.bisect_left(self.row_numbers, number)
        if i < len(self.rows) and self.rows[i].number == number:
            return self.rows[i]
        return None

    def insert_offset(self, number: int) -> int:
        """Return the byte offset where a new row ``number`` must be inserted."""
        i = bisect.bisect_left(self.row_numbers, number)
        return self.rows[i].start if i < len(self.rows) else self.sheetdata_close

    def row_attrs(self, row: RowSpan) -> dict[bytes, bytes]:
        """Return the row's attributes."""
        return parse_attrs(self.data[row.start + 1 : row.tag_end - 1])

    def cells(self, row: RowSpan) -> list[CellSpan]:
        """Return the cells of a row with their (possibly implicit) columns."""
        if row.self_closing:
            return []
        data = self.data
        p = self.prefix_bytes
        open_pat = b"<" + p + b"c"
        close_pat = b"</" + p + b"c>"
        stop = row.end
        out: list[CellSpan] = []
        last = 0
        pos = data.find(open_pat, row.tag_end, stop)
        while pos >= 0:
            nxt = data[pos + len(open_pat) : pos + len(open_pat) + 1]
            if not (nxt in (b">", b"/") or nxt in _WS):
                pos = data.find(open_pat, pos + 1, stop)
                continue
            tag_end = data.index(b">", pos) + 1
            tag = data[pos + len(open_pat) : tag_end - 1]
            m = _CELL_R.search(tag)
            col = col_number(m.group(1)) if m else last + 1
            if col <= last:
                raise self._corrupt(f"cells out of order in row {row.number}")
            last = col
            if data[tag_end - 2 : tag_end] == b"/>":
                end = tag_end
            else:
                close = data.find(close_pat, tag_end, stop)
                if close < 0:
                    raise self._corrupt(f"cell {cell_ref(row.number, col)} is not closed")
                end = close + len(close_pat)
            out.append(CellSpan(col, pos, tag_end, end, tag))
            pos = data.find(open_pat, end, stop)
        return out

    def _cell_from(self, row: RowSpan, start: int, col: int) -> CellSpan:
        """Parse the one cell whose tag starts at ``start``."""
        data = self.data
        open_len = len(self.prefix_bytes) + 2
        tag_end = data.index(b">", start) + 1
        tag = data[start + open_len : tag_end - 1]
        if data[tag_end - 2 : tag_end] == b"/>":
            return CellSpan(col, start, tag_end, tag_end, tag)
        close_pat = b"</" + self.prefix_bytes + b"c>"
        close = data.find(close_pat, tag_end, row.end)
        if close < 0:
            raise self._corrupt(f"cell {cell_ref(row.number, col)} is not closed")
        return CellSpan(col, start, tag_end, close + len(close_pat), tag)

    def _all_cells_have_r(self, row: RowSpan) -> bool:
        """True when every cell tag in the row is ``<c r="…"`` (the common case), checked with C-speed counts."""
        body = self.data[row.tag_end : row.end]
        c = b"<" + self.prefix_bytes + b"c"
        plain = body.count(c + b" ")
        if any(body.count(c + tail) for tail in (b">", b"/", b"\t", b"\n", b"\r")):
            return False
        return plain == body.count(b' r="') + body.count(b" r='")

    def _last_cell_start(self, row: RowSpan) -> int:
        c = b"<" + self.prefix_bytes + b"c"
        pos = self.data.rfind(c, row.tag_end, row.end)
        while pos >= 0 and self.data[pos + len(c) : pos + len(c) + 1] not in (b" ", b">", b"/", *_WS_BYTES):
            pos = self.data.rfind(c, row.tag_end, pos)
        return pos

    def row_content_end(self, row: RowSpan) -> int:
        """Offset where a cell appended at the end of the row goes (before ``</row>`` or ``<extLst>``)."""
        close = row.end - len(b"</" + self.prefix_bytes + b"row>")
        ext = self._find_tag(b"extLst", row.tag_end, close)
        return ext if ext is not None else close

    # -- whole-sheet facts ---------------------------------------------------------------------
    @cached_property
    def has_formulas(self) -> bool:
        """True if any cell of the sheet holds a formula."""
        p = self.prefix_bytes
        body = self.data
        return any(
            body.find(b"<" + p + b"f" + ch, self.sheetdata_tag_end, self.sheetdata_close) >= 0
            for ch in (b">", b" ", b"/", b"\t", b"\n", b"\r")
        )

    def used_extent(self) -> tuple[int, int]:
        """Return (max_row, max_col) over cells holding a value or formula; style-only cells don't count."""
        max_row = max_col = 0
        for row in self.rows:
            col = 0 if row.self_closing else self._last_value_col(row)
            if col:
                max_row = row.number
                max_col = max(max_col, col)
        return max_row, max_col

    def _last_value_col(self, row: RowSpan) -> int:
        """Column of the right-most cell in ``row`` that has content (0 if none), scanning from the end."""
        data, p = self.data, self.prefix_bytes
        close = b"</" + p + b"c>"
        open_pat = b"<" + p + b"c"
        end = data.rfind(close, row.tag_end, row.end)
        while end >= 0:
            start = data.rfind(open_pat, row.tag_end, end)
            while start >= 0 and data[start + len(open_pat) : start + len(open_pat) + 1] not in (
                b" ",
                b">",
                *_WS_BYTES,
            ):
                start = data.rfind(open_pat, row.tag_end, start)
            if start < 0:
                return 0
            tag_end = data.index(b">", start) + 1
            if tag_end < end:  # the cell has a body: a value, an inline string or a formula
                ref = parse_attrs(data[start + len(open_pat) : tag_end - 1]).get(b"r")
                if ref:
                    return parse_ref(ref.decode())[1]
                # Without r the column depends on every cell before it.
                return next(c.col for c in self.cells(row) if c.start == start)
            end = data.rfind(close, row.tag_end, start)
        return 0

    @cached_property
    def has_cells(self) -> bool:
        """True if sheetData holds at least one ``<c>``."""
        return self._find_tag(b"c", self.sheetdata_tag_end, self.sheetdata_close) is not None

    @cached_property
    def array_ranges(self) -> list[tuple[int, int, int, int]]:
        """Ranges covered by array formulas and data tables (their non-master cells hold no <f>)."""
        data = self.data
        out: list[tuple[int, int, int, int]] = []
        f_open = b"<" + self.prefix_bytes + b"f"
        for needle in (b'"array"', b"'array'", b'"dataTable"', b"'dataTable'"):
            pos = data.find(needle, self.sheetdata_tag_end, self.sheetdata_close)
            while pos >= 0:
                start = data.rfind(b"<", 0, pos)
                if data.startswith(f_open, start):
                    tag_end = data.index(b">", pos) + 1
                    attrs = parse_attrs(data[start + len(f_open) : tag_end - 1])
                    if attrs.get(b"t") in (b"array", b"dataTable") and attrs.get(b"ref"):
                        out.append(parse_range(attrs[b"ref"].decode()))
                pos = data.find(needle, pos + 1, self.sheetdata_close)
        return out

    @cached_property
    def merged_ranges(self) -> list[tuple[int, int, int, int]]:
        """Merged-cell ranges from ``<mergeCells>``."""
        out: list[tuple[int, int, int, int]] = []
        pat = re.compile(rb"<" + re.escape(self.prefix_bytes) + rb"mergeCell\s([^>]*)>")
        for m in pat.finditer(self.data, self.sheetdata_end):
            ref = parse_attrs(m.group(1)).get(b"ref")
            if ref:
                out.append(parse_range(ref.decode()))
        return out

    def top_level(self) -> list[Element]:
        """Direct children of <worksheet> outside sheetData (prefix and suffix elements)."""
        before = list(iter_children(self.data, self.root.tag_end, self.sheetdata_start))
        after = list(iter_children(self.data, self.sheetdata_end, self.root.close_start))
        return before + after

    @cached_property
    def col_elements(self) -> list[tuple[Element, dict[bytes, bytes]]]:
        """The ``<col>`` elements with their attributes (empty list when there is no <cols>)."""
        out: list[tuple[Element, dict[bytes, bytes]]] = []
        for el in iter_children(self.data, self.root.tag_end, self.sheetdata_start):
            if el.local == b"cols" and not el.empty:
                for col in iter_children(self.data, el.tag_end, el.close_start):
                    if col.local == b"col":
                        tag = self.data[col.start : col.tag_end]
                        out.append((col, parse_attrs(tag[len(col.name) + 1 :])))
        return out

    def col_style(self, col: int) -> int | None:
        """Return the ``style`` of the ``<col>`` covering ``col``, if any."""
        for _, attrs in self.col_elements:
            if int(attrs.get(b"min", b"0")) <= col <= int(attrs.get(b"max", b"0")) and b"style" in attrs:
                return int(attrs[b"style"])
        return None

    def effective_local(self, el: Element) -> bytes:
        """The element's local name; for ``mc:AlternateContent`` the name of what it wraps."""
        if el.local != b"AlternateContent" or el.empty:
            return el.local
        for choice in iter_children(self.data, el.tag_end, el.close_start):
            if choice.empty:
                continue
            for inner in iter_children(self.data, choice.tag_end, choice.close_start):
                return inner.local
        return el.local

    def insert_offset_for(self, local: bytes) -> int:
        """Where a new top-level ``local`` element goes so the CT_Worksheet element order holds."""
        rank = WORKSHEET_ORDER.index(local)
        for el in iter_children(self.data, self.sheetdata_end, self.root.close_start):
            name = self.effective_local(el)
            if name in WORKSHEET_ORDER and WORKSHEET_ORDER.index(name) > rank:
                return el.start
        return self.root.close_start

    def find_top(self, local: bytes) -> Element | None:
        """Return the first top-level element (outside sheetData) named ``local``."""
        return next((el for el in self.top_level() if el.local == local), None)

    def dimension(self) -> tuple[Element, tuple[int, int, int, int] | None] | None:
        """The ``<dimension>`` element and its parsed range (None if the ref is unreadable)."""
        for el in iter_children(self.data, self.root.tag_end, self.sheetdata_start):
            if el.local == b"dimension":
                ref = parse_attrs(self.data[el.start + len(el.name) + 1 : el.tag_end]).get(b"ref", b"")
                try:
                    return el, parse_range(ref.decode())
                except ValueError:
                    return el, None
        return None


class RowView:
    """One row's cells looked up by column; the whole row is scanned only when it must be.

    Most producers give every cell an ``r``; then a cell is found by searching for ``r="K5"`` and
    a new cell to the right of the last one is appended without looking at the others.
    """

    __slots__ = ("_all_r", "_attrs", "_by_col", "_content_end", "_last_col", "span", "sx")

    def __init__(self, sx: SheetXml, span: RowSpan | None) -> None:
        self.sx = sx
        self.span = span
        self._attrs: dict[bytes, bytes] | None = None if span is not None else {}
        self._by_col: dict[int, CellSpan] | None = None
        self._all_r = span is not None and not span.self_closing and sx._all_cells_have_r(span)
        self._last_col: int | None = None
        self._content_end: int | None = None

    @property
    def attrs(self) -> dict[bytes, bytes]:
        """The row's attributes (parsed on first use)."""
        if self._attrs is None:
            assert self.span is not None
            self._attrs = self.sx.row_attrs(self.span)
        return self._attrs

    def _scan(self) -> dict[int, CellSpan]:
        if self._by_col is None:
            self._by_col = {c.col: c for c in self.sx.cells(self.span)} if self.span is not None else {}
        return self._by_col

    def cell(self, col: int) -> CellSpan | None:
        """The cell at ``col``, if the row holds one."""
        span = self.span
        if span is None or span.self_closing:
            return None
        if self._by_col is not None or not self._all_r:
            return self._scan().get(col)
        data, sx = self.sx.data, self.sx
        ref = col_letters(col).encode() + str(span.number).encode()
        for quote in (b'"', b"'"):
            pos = data.find(b" r=" + quote + ref + quote, span.tag_end, span.end)
            if pos >= 0:
                return sx._cell_from(span, data.rfind(b"<" + sx.prefix_bytes + b"c", span.tag_end, pos), col)
        return None

    def style(self) -> int | None:
        """The row's own style index when it applies to empty cells (``customFormat``)."""
        span = self.span
        if span is None or b"customFormat" not in self.sx.data[span.start : span.tag_end]:
            return None
        if self.attrs.get(b"customFormat") in (b"1", b"true") and self.attrs.get(b"s", b"").isdigit():
            return int(self.attrs[b"s"])
        return None

    def insert_offset(self, col: int) -> int:
        """Offset where a new cell ``col`` goes (the row must not hold that column yet)."""
        span = self.span
        assert span is not None
        if span.self_closing:
            return span.end
        if self._content_end is None:
            self._content_end = self.sx.row_content_end(span)
        end = self._content_end
        if self._all_r and self._by_col is None:
            if self._last_col is None:
                last = self.sx._last_cell_start(span)
                m = _CELL_R.search(self.sx.data, last, self.sx.data.index(b">", last)) if last >= 0 else None
                self._last_col = col_number(m.group(1)) if m else 0
            if self._last_col < col:
                return end  # appending to the right: the usual case for status columns
        after = min((c for c in self._scan().values() if c.col > col), key=lambda c: c.col, default=None)
        return after.start if after else end
