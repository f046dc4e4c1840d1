"""The patcher's engine: one pass per touched sheet, one analysis per touched row.

:class:`Patcher` turns :class:`~gendan_xl.ooxml.cells.CellWrite` lists into byte edits of a
worksheet (see :mod:`gendan_xl.ooxml.sheetxml`), decides each cell's style (see
:mod:`gendan_xl.ooxml.styles`), hands notes to :mod:`gendan_xl.ooxml.comments`, and records
what the public API reports. Rows are handled in order and each touched row is analysed once, so
100,000 cell writes stay in the range of seconds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from gendan_xl.errors import WriteError
from gendan_xl.ooxml.cells import (
    DEFAULT_DATE_FORMAT,
    DEFAULT_DATETIME_FORMAT,
    CellWrite,
    SkippedNote,
    cell_xml,
    number_text,
    value_changed,
)
from gendan_xl.ooxml.comments import apply_notes
from gendan_xl.ooxml.edit import PackageEdit
from gendan_xl.ooxml.package import Package, SheetInfo
from gendan_xl.ooxml.sheetxml import MAX_COL, MAX_ROW, CellSpan, RowView, SheetXml
from gendan_xl.ooxml.styles import Styles, new_stylesheet
from gendan_xl.ooxml.xmlbytes import cell_ref, iter_children, parse_attrs, parse_range, root_info, set_attrs, splice

__all__ = ["STYLES_CT", "MergePlan", "Patcher", "SheetFacts", "full_calc_on_load", "protection", "sheet_facts"]

STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
Edit = tuple[int, int, bytes]


@dataclass
class MergePlan:
    """Merged ranges to add to a sheet, after removing those lying entirely inside the caller's columns."""

    add: list[tuple[int, int, int, int]] = field(default_factory=list)
    unmerge_columns: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.add or self.unmerge_columns)

    def kept(self, existing: Sequence[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
        """The existing ranges that stay (not inside the caller's columns)."""
        cols = self.unmerge_columns
        return [r for r in existing if not all(c in cols for c in range(r[1], r[3] + 1))]


@dataclass
class SheetFacts:
    """A parsed worksheet plus what protects its cells (table header rows, merged ranges)."""

    sx: SheetXml
    table_headers: list[tuple[int, int, int]]  # (row, col1, col2)
    views: dict[int, RowView] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] | None = None  # the merged ranges in force (None: the sheet's)

    @property
    def merged_ranges(self) -> list[tuple[int, int, int, int]]:
        """The merged ranges protecting cells during this write."""
        return self.sx.merged_ranges if self.merged is None else self.merged

    def view(self, row: int) -> RowView:
        """The (cached) view of row ``row``; an absent row gives an empty view."""
        found = self.views.get(row)
        if found is None:
            found = self.views[row] = RowView(self.sx, self.sx.row(row))
        return found

    def cell(self, row: int, col: int) -> CellSpan | None:
        """The cell at (row, col), if present."""
        return self.view(row).cell(col)


def sheet_facts(pkg: Package, part: str) -> SheetFacts:
    """Parse a worksheet part and collect its tables' header rows."""
    sx = SheetXml(pkg.read(part), part)
    headers: list[tuple[int, int, int]] = []
    for table in pkg.sheet_rels(part).tables:
        root = pkg.xml(table)
        ref = root.get("ref")
        if ref and root.get("headerRowCount", "1") != "0":
            r1, c1, _, c2 = parse_range(ref)
            headers.append((r1, c1, c2))
    return SheetFacts(sx, headers)


def protection(facts: SheetFacts, cell: CellSpan | None, row: int, col: int) -> tuple[str, str] | None:
    """Why the cell must not be overwritten (Chinese, English), or None."""
    sx = facts.sx
    if cell is not None:
        if cell.has_formula(sx.data, sx.prefix_bytes):
            return "是公式单元格", "holds a formula"
        if b" vm=" in cell.tag or cell.tag.startswith(b"vm="):
            return "含单元格内图片", "holds an in-cell picture"
    for r1, c1, r2, c2 in sx.array_ranges:
        if r1 <= row <= r2 and c1 <= col <= c2:
            return "属于数组公式区域", "is part of an array formula"
    for r1, c1, r2, c2 in facts.merged_ranges:
        if r1 <= row <= r2 and c1 <= col <= c2 and (row, col) != (r1, c1):
            return "是合并单元格的非左上角部分", "is inside a merged range but not its top-left cell"
    for hr, c1, c2 in facts.table_headers:
        if row == hr and c1 <= col <= c2:
            return "是 Excel 表格的标题行", "is in an Excel table's header row"
    return None


def full_calc_on_load(data: bytes, part: str) -> bytes:
    """Return workbook.xml with ``<calcPr fullCalcOnLoad="1">`` (added in schema order if missing)."""
    root, _ = root_info(data, part)
    kids = list(iter_children(data, root.tag_end, root.close_start))
    for el in kids:
        if el.local == b"calcPr":
            tag = data[el.start : el.tag_end]
            if parse_attrs(tag).get(b"fullCalcOnLoad") in (b"1", b"true"):
                return data
            return splice(data, [(el.start, el.tag_end, set_attrs(tag, {b"fullCalcOnLoad": b"1"}))])
    later = {
        b"oleSize",
        b"customWorkbookViews",
        b"pivotCaches",
        b"smartTagPr",
        b"smartTagTypes",
        b"webPublishing",
        b"fileRecoveryPr",
        b"webPublishObjects",
        b"extLst",
    }
    prefix = root.name[: -len(b"workbook")]
    at = next((el.start for el in kids if el.local in later), root.close_start)
    return splice(data, [(at, at, b"<" + prefix + b'calcPr fullCalcOnLoad="1"/>')])


class Patcher:
    """Applies sheet patches and new sheets to one package; see :mod:`gendan_xl.ooxml.patch`."""

    def __init__(self, data: bytes, note_author: str, palette: set[str]) -> None:
        self.pkg = Package(data)
        self.edit = PackageEdit(self.pkg)
        self.author = note_author
        self.palette = palette
        self.values_changed = False
        self.cells_written = 0
        self.skipped: list[SkippedNote] = []
        self._styles: Styles | None = None
        self._styles_part: str | None = None
        self._col_styles: dict[tuple[int, int], int | None] = {}
        self._ours: dict[int, bool] = {}  # xf index → has a fill of ours (styles only grow)

    @property
    def styles(self) -> Styles:
        """The workbook's styles (a fresh stylesheet if the package has none)."""
        if self._styles is None:
            rel = next((r for r in self.pkg.relationships(self.pkg.workbook_part) if r.kind == "styles"), None)
            if rel and rel.part and self.pkg.has(rel.part):
                self._styles_part = rel.part
                self._styles = Styles(self.pkg.read(rel.part), rel.part)
            else:
                self._styles = Styles(new_stylesheet(strict=self.pkg.strict), "xl/styles.xml")
        return self._styles

    def finish_styles(self) -> None:
        """Write styles.xml back if anything was appended (adding the part if there was none)."""
        if self._styles is None or not self._styles.changed:
            return
        if self._styles_part is None:
            part = self.edit.unused_name("xl/styles{n}.xml") if self.pkg.has("xl/styles.xml") else "xl/styles.xml"
            self.edit.put(part, self._styles.render())
            self.edit.add_rel(self.pkg.workbook_part, "styles", part)
            self.edit.set_override(part, STYLES_CT)
        else:
            self.edit.put(self._styles_part, self._styles.render())

    # -- one existing sheet ----------------------------------------------------------------------
    def patch_sheet(self, info: SheetInfo, writes: Sequence[CellWrite], widths: Mapping[int, float],
                    merges: MergePlan | None = None) -> SheetXml:
        """Apply ``writes``, ``widths`` and ``merges`` to a worksheet; return its parsed original."""
        assert info.part is not None
        facts = sheet_facts(self.pkg, info.part)
        sx = facts.sx
        if merges:
            facts.merged = merges.kept(sx.merged_ranges)
        by_row: dict[int, list[CellWrite]] = defaultdict(list)
        seen: set[tuple[int, int]] = set()
        for w in writes:
            where = (
                f"{info.name}!{cell_ref(w.row, w.col)}" if 1 <= w.col <= MAX_COL else f"{info.name}!R{w.row}C{w.col}"
            )
            if not (1 <= w.row <= MAX_ROW and 1 <= w.col <= MAX_COL):
                raise WriteError(f"单元格 {where} 超出 Excel 范围。", f"Cell {where} is outside Excel's grid.")
            if (w.row, w.col) in seen:
                raise WriteError(f"单元格 {where} 在一次写入中出现两次。", f"Cell {where} is written twice in one run.")
            seen.add((w.row, w.col))
            by_row[w.row].append(w)
        edits: list[Edit] = []
        fresh: dict[int, list[bytes]] = defaultdict(list)  # insertion offset → new rows, in order
        written: list[tuple[int, int]] = []
        for row_no in sorted(by_row):
            self._patch_row(info.name, facts, row_no, by_row[row_no], edits, fresh, written)
        p = sx.prefix_bytes
        if sx.sheetdata_empty and fresh:
            rows = b"".join(x for _, xs in sorted(fresh.items()) for x in xs)
            tag = sx.data[sx.sheetdata_start : sx.sheetdata_tag_end]
            edits.append(
                (sx.sheetdata_start, sx.sheetdata_end, tag[:-2].rstrip() + b">" + rows + b"</" + p + b"sheetData>")
            )
        else:
            edits += [(at, at, b"".join(xs)) for at, xs in fresh.items()]
        edits += self._dimension_edit(sx, written)
        edits += self._width_edits(sx, widths)
        if merges:
            edits += self._merge_edits(info.name, sx, facts.merged_ranges, merges.add)
        notes = {(w.row, w.col): w.note for w in writes}
        result = apply_notes(self.edit, info.part, sx, notes, self.author)
        edits += result.sheet_edits
        self.skipped += [SkippedNote(info.name, cell_ref(r, c)) for r, c in result.skipped]
        new = splice(sx.data, edits)
        if new != sx.data:
            self.edit.put(info.part, new)
        return sx

    def _patch_row(
        self,
        sheet: str,
        facts: SheetFacts,
        row_no: int,
        writes: list[CellWrite],
        edits: list[Edit],
        fresh: dict[int, list[bytes]],
        written: list[tuple[int, int]],
    ) -> None:
        sx = facts.sx
        p = sx.prefix_bytes
        view = facts.view(row_no)
        span = view.span
        row_edits: list[Edit] = []
        new_cells: list[bytes] = []
        present: list[int] = []
        for w in sorted(writes, key=lambda w: w.col):
            old = view.cell(w.col)
            reason = protection(facts, old, w.row, w.col)
            if reason:
                where = f"{sheet}!{cell_ref(w.row, w.col)}"
                raise WriteError(
                    f"拒绝写入 {where}：该单元格{reason[0]}。原文件未改动。",
                    f"Refusing to write {where}: the cell {reason[1]}. The file was not changed.",
                )
            try:
                xml = self._cell(facts, view, old, w)
            except (ValueError, TypeError) as exc:
                where = f"{sheet}!{cell_ref(w.row, w.col)}"
                raise WriteError(f"无法写入 {where}：{exc}", f"Cannot write {where}: {exc}") from exc
            self.cells_written += 1
            old_xml = sx.data[old.start : old.end] if old is not None else None
            if not self.values_changed and value_changed(old_xml, xml):
                self.values_changed = True
            if old is not None:
                row_edits.append(
                    (old.start, old.end, xml or b"<" + p + b'c r="' + cell_ref(row_no, w.col).encode() + b'"/>')
                )
            elif xml is not None:
                if span is None:
                    new_cells.append(xml)
                else:
                    at = view.insert_offset(w.col)
                    row_edits.append((at, at, xml))
            else:
                continue
            present.append(w.col)
            written.append((row_no, w.col))
        if span is None:
            if new_cells:
                row = b"<" + p + b'row r="%d">' % row_no + b"".join(new_cells) + b"</" + p + b"row>"
                fresh[sx.insert_offset(row_no)].append(row)
            return
        if not row_edits:
            return
        tag = sx.data[span.start : span.tag_end]
        if b"spans" in view.attrs:
            # spans is only a hint ("1:5" or "1:3 7:9"); widen it to cover the new columns.
            bounds = [int(n) for n in re.findall(rb"\d+", view.attrs[b"spans"])] + present
            tag = set_attrs(tag, {b"spans": b"%d:%d" % (min(bounds), max(bounds))})
        # Splice inside the row's own bytes: copying the whole sheet per row would be quadratic.
        row_data = sx.data[span.start : span.end]
        relative = [(a - span.start, b - span.start, x) for a, b, x in row_edits]
        if span.self_closing:
            inserted = splice(row_data, relative)[len(row_data) :]
            edits.append((span.start, span.end, tag[:-2].rstrip() + b">" + inserted + b"</" + p + b"row>"))
        else:
            new_row = splice(row_data, relative)
            edits.append((span.start, span.end, tag + new_row[span.tag_end - span.start :]))

    def _col_style(self, facts: SheetFacts, col: int) -> int | None:
        key = (id(facts.sx), col)
        if key not in self._col_styles:
            self._col_styles[key] = self.styles.valid_xf(facts.sx.col_style(col))
        return self._col_styles[key]

    def _style_at(self, facts: SheetFacts, view: RowView, cell: CellSpan | None, col: int) -> int:
        """The xf a cell shows now: its own s, else the row's (customFormat), else the column's."""
        styles = self.styles
        if cell is not None:
            tag = cell.tag
            i = tag.find(b' s="')
            if i < 0 and b"s=" in tag:  # unusual quoting or spacing: parse properly
                s = cell.attrs.get(b"s", b"0")
            else:
                s = tag[i + 4 : tag.find(b'"', i + 4)] if i >= 0 else b"0"
            return styles.valid_xf(int(s) if s.isdigit() else 0) or 0
        row_style = styles.valid_xf(view.style())
        if row_style is not None:
            return row_style
        return self._col_style(facts, col) or 0

    def _reference_fill(self, facts: SheetFacts, view: RowView, col: int) -> int:
        """The fill a cell falls back to when ours is removed: the row's or the column's style's.

        gendan never edits row or column styles, so whatever fill they carry is the user's.
        """
        styles = self.styles
        for xf in (styles.valid_xf(view.style()), self._col_style(facts, col)):
            if xf is not None:
                return styles.xf_attr(xf, "fillId")
        return 0

    def _has_our_fill(self, xf: int) -> bool:
        found = self._ours.get(xf)
        if found is None:
            found = self._ours[xf] = self.styles.fill_is_ours(self.styles.xf_attr(xf, "fillId"), self.palette)
        return found

    def _cell(self, facts: SheetFacts, view: RowView, old: CellSpan | None, w: CellWrite) -> bytes | None:
        styles = self.styles
        current = self._style_at(facts, view, old, w.col)
        if w.style_like is not None:
            like = facts.view(w.style_like[0])
            base = self._style_at(facts, like, like.cell(w.style_like[1]), w.style_like[1])
        else:
            base = current
        fill_id: int | None = None
        if w.fill is not None:
            fill_id = styles.fill(w.fill)
        elif w.style_like is None and self._has_our_fill(base):
            # Only the cell's own fill can be ours to remove; a style_like base is copied as asked.
            fill_id = self._reference_fill(facts, view, w.col)
        code = w.number_format
        if code is None and isinstance(w.value, datetime):
            code = DEFAULT_DATETIME_FORMAT
        elif code is None and isinstance(w.value, date):
            code = DEFAULT_DATE_FORMAT
        numfmt_id = styles.numfmt(code) if code is not None else None
        xf = styles.xf(base, fill_id=fill_id, numfmt_id=numfmt_id)
        if w.value is None and old is None and xf == current:
            return None  # nothing to write: no element, not even an empty one
        return cell_xml(facts.sx.prefix_bytes, cell_ref(w.row, w.col), xf, w.value, self.pkg.date1904)

    def _dimension_edit(self, sx: SheetXml, written: list[tuple[int, int]]) -> list[Edit]:
        found = sx.dimension()
        if found is None or not written:
            return []
        el, old = found
        rows = [r for r, _ in written]
        cols = [c for _, c in written]
        box = (min(rows), min(cols), max(rows), max(cols))
        if old is not None and sx.has_cells:
            box = (min(box[0], old[0]), min(box[1], old[1]), max(box[2], old[2]), max(box[3], old[3]))
        if old == box:
            return []
        ref = cell_ref(box[0], box[1]) + ("" if box[:2] == box[2:] else ":" + cell_ref(box[2], box[3]))
        tag = sx.data[el.start : el.tag_end]
        return [(el.start, el.tag_end, set_attrs(tag, {b"ref": ref.encode()}))]

    def _merge_edits(self, sheet: str, sx: SheetXml, kept: list[tuple[int, int, int, int]],
                     added: Sequence[tuple[int, int, int, int]]) -> list[Edit]:
        """Rewrite ``<mergeCells>`` as ``kept`` plus ``added`` (refusing a new range that overlaps a kept one)."""
        for new in added:
            r1, c1, r2, c2 = new
            if not (1 <= r1 <= r2 <= MAX_ROW and 1 <= c1 <= c2 <= MAX_COL):
                raise WriteError(f"合并区域无效：{sheet} {new}", f"Invalid merged range on {sheet}: {new}")
            for k in kept:
                if r1 <= k[2] and k[0] <= r2 and c1 <= k[3] and k[1] <= c2:
                    where = f"{sheet}!{cell_ref(r1, c1)}:{cell_ref(r2, c2)}"
                    raise WriteError(f"拒绝合并 {where}：与已有的合并单元格重叠。原文件未改动。",
                                     f"Refusing to merge {where}: it overlaps an existing merged range. The file was not "
                                     "changed.")
        ranges = list(dict.fromkeys([*kept, *added]))
        if ranges == sx.merged_ranges:
            return []
        p = sx.prefix_bytes
        body = b"".join(b"<" + p + b'mergeCell ref="' + (cell_ref(a, b) + ":" + cell_ref(c, d)).encode() + b'"/>'
                        for a, b, c, d in ranges)
        xml = (b"<" + p + b'mergeCells count="%d">' % len(ranges) + body + b"</" + p + b"mergeCells>") if ranges else b""
        found = sx.find_top(b"mergeCells")
        if found is not None:
            return [(found.start, found.end, xml)]
        at = sx.insert_offset_for(b"mergeCells")
        return [(at, at, xml)]

    def _width_edits(self, sx: SheetXml, widths: Mapping[int, float]) -> list[Edit]:
        cols = sx.col_elements
        covered = [(int(a.get(b"min", b"0")), int(a.get(b"max", b"0"))) for _, a in cols]
        p = sx.prefix_bytes
        new = []
        for col, width in sorted(widths.items()):
            if not 1 <= col <= MAX_COL or not 0 < width <= 255:
                raise WriteError(
                    f"列宽设置无效：第 {col} 列宽 {width}。", f"Invalid column width: column {col}, width {width}."
                )
            if not any(lo <= col <= hi for lo, hi in covered):
                xml = (
                    b"<"
                    + p
                    + b'col min="%d" max="%d" width="%s" customWidth="1"/>' % (col, col, number_text(width).encode())
                )
                new.append((col, xml))
        if not new:
            return []
        if not cols:
            xml = b"<" + p + b"cols>" + b"".join(x for _, x in new) + b"</" + p + b"cols>"
            return [(sx.sheetdata_start, sx.sheetdata_start, xml)]
        edits: list[Edit] = []
        last_end = cols[-1][0].end
        for col, xml in new:
            after = next((el for el, a in cols if int(a.get(b"min", b"0")) > col), None)
            at = after.start if after else last_end
            edits.append((at, at, xml))
        return edits

    # -- workbook-level --------------------------------------------------------------------------
    def workbook_has_formulas(self, patched: Mapping[str, SheetXml]) -> bool:
        """True if any worksheet holds a formula (the conservative recalculation rule)."""
        formula = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
        for info in self.pkg.sheets():
            if info.part is None or info.kind != "worksheet":
                continue
            if info.part in patched:
                if patched[info.part].has_formulas:
                    return True
            elif formula.search(self.pkg.read(info.part)):
                return True
        return False

    def set_full_calc(self) -> None:
        """Ask Excel to recalculate everything when the workbook is next opened."""
        part = self.pkg.workbook_part
        self.edit.put(part, full_calc_on_load(self.edit.read(part), part))
