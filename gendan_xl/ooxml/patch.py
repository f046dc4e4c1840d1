"""Surgical write-back: put values, fills and notes into the user's own workbook, losing nothing.

:func:`patch_package` takes package bytes and returns package bytes. Only these members can
change: the touched worksheets, ``xl/styles.xml`` (only when a new format is needed), the
touched sheets' ``.rels``, comment and VML parts, ``[Content_Types].xml`` (only for a new part),
and for :class:`NewSheet` also ``xl/workbook.xml`` and its ``.rels``. ``xl/workbook.xml`` also
changes for the recalculation flag (below). Every other member is copied raw — same compressed
bytes, date, attributes, order — and inside a touched sheet every untouched row and cell keeps
its bytes (see :mod:`gendan_xl.ooxml.sheetxml`). Strings are written inline
(``t="inlineStr"``) so ``sharedStrings.xml`` never changes; a text starting with ``=`` stays text.

Refusals (WriteError naming the cell, e.g. ``订单!K5``; nothing is written): a formula cell
(incl. shared-formula members), a cell inside an array formula or data table, a merged cell
other than the top-left, a cell in an Excel table's header row, and a cell holding an in-cell
picture.

Recalculation rule: ``<calcPr fullCalcOnLoad="1"/>`` is set in ``xl/workbook.xml`` when at least
one written cell's value actually changes *and* any worksheet of the workbook contains a formula
(a formula anywhere may refer to the touched sheet, directly, by defined name or INDIRECT, which we
do not try to prove). Otherwise ``workbook.xml`` is left byte-identical. Excel then recalculates on
open; until then readers such as calamine see the previously cached results.

Sheet ownership marker (for :class:`NewSheet`): a worksheet made by gendan_xl carries a sheet-level
custom property ``<customProperties><customPr name="gendan_xl" r:id=…/>`` (ECMA-376 18.3.1.23;
VBA's ``Worksheet.CustomProperties``), whose binary part holds the UTF-16 text ``gendan_xl``. Excel
keeps custom properties when it saves; a code name would clash with the VBA project of an .xlsm,
and visible content could be edited by the user. If another program drops the marker, the next run
refuses to replace the sheet (the safe direction) and asks the user to rename or delete it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from gendan_xl.errors import WriteError
from gendan_xl.ooxml.cells import CellValue, CellWrite, NewSheet, SheetPatch, SkippedNote
from gendan_xl.ooxml.newsheet import OWNER_MARKER, write_new_sheet
from gendan_xl.ooxml.package import Package, SheetInfo
from gendan_xl.ooxml.saving import safe_save
from gendan_xl.ooxml.sheetpatch import MergePlan, Patcher, SheetFacts, protection, sheet_facts
from gendan_xl.ooxml.sheetxml import MAX_COL, SheetXml
from gendan_xl.ooxml.styles import GENDAN_PALETTE, normalize_rgb
from gendan_xl.ooxml.xmlbytes import cell_ref

__all__ = [
    "OWNER_MARKER",
    "CellValue",
    "CellWrite",
    "NewSheet",
    "PatchOutcome",
    "PatchResult",
    "SheetPatch",
    "SkippedNote",
    "apply_patches",
    "cell_protection",
    "has_table_header_at",
    "is_formula_cell",
    "patch_package",
    "patch_workbook",
    "sheet_dimension",
    "verify_parts",
]


@dataclass(frozen=True)
class PatchOutcome:
    """The new package bytes and what happened."""

    data: bytes
    changed: bool
    cells_written: int
    skipped: tuple[SkippedNote, ...]
    full_recalc: bool
    touched_parts: tuple[str, ...]  # every part rewritten or added (for verification)


@dataclass(frozen=True)
class PatchResult:
    """The outcome of :func:`patch_workbook`."""

    path: Path
    changed: bool
    backup: Path | None
    cells_written: int
    skipped: tuple[SkippedNote, ...]
    full_recalc: bool


# ---------------------------------------------------------------------------------------------
# Queries for the planner's refusal rules
# ---------------------------------------------------------------------------------------------


def _as_package(source: Package | bytes | Path) -> Package:
    if isinstance(source, Package):
        return source
    if isinstance(source, bytes):
        return Package(source)
    return Package.open(source)


def _facts(source: Package | bytes | Path, sheet: str) -> SheetFacts:
    pkg = _as_package(source)
    part = pkg.sheet(sheet).part
    assert part is not None  # Package.sheet only returns worksheets with a part
    return sheet_facts(pkg, part)


def cell_protection(source: Package | bytes | Path, sheet: str, row: int, col: int) -> str | None:
    """Return why the patcher would refuse to write this cell (bilingual), or None."""
    facts = _facts(source, sheet)
    reason = protection(facts, facts.cell(row, col), row, col)
    return f"{reason[0]} / {reason[1]}" if reason else None


def is_formula_cell(source: Package | bytes | Path, sheet: str, row: int, col: int) -> bool:
    """True if the cell holds a formula or lies inside an array formula's range."""
    facts = _facts(source, sheet)
    cell = facts.cell(row, col)
    if cell is not None and cell.has_formula(facts.sx.data, facts.sx.prefix_bytes):
        return True
    return any(r1 <= row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in facts.sx.array_ranges)


def has_table_header_at(source: Package | bytes | Path, sheet: str, row: int, col: int) -> bool:
    """True if (row, col) is in the header row of an Excel table on that sheet."""
    return any(row == hr and c1 <= col <= c2 for hr, c1, c2 in _facts(source, sheet).table_headers)


def sheet_dimension(source: Package | bytes | Path, sheet: str) -> tuple[int, int]:
    """Return (max_row, max_col) of cells holding a value or formula ((0, 0) for an empty sheet).

    Cells that only carry a style are ignored: some producers style every cell up to XFD1048576.
    """
    return _facts(source, sheet).sx.used_extent()


# ---------------------------------------------------------------------------------------------
# Patching
# ---------------------------------------------------------------------------------------------


def _palette(patches: Sequence[SheetPatch]) -> set[str]:
    colours = {normalize_rgb(c) for c in GENDAN_PALETTE}
    for patch in patches:
        for w in patch.cells:
            if w.fill is not None:
                try:
                    colours.add(normalize_rgb(w.fill))
                except ValueError as exc:
                    where = f"{patch.sheet}!{cell_ref(w.row, w.col)}" if 1 <= w.col <= MAX_COL else patch.sheet
                    raise WriteError(
                        f"{where} 的填充色 {w.fill!r} 不是 RRGGBB 颜色。",
                        f"{where}: fill {w.fill!r} is not an RRGGBB colour.",
                    ) from exc
    return colours


def apply_patches(
    data: bytes,
    patches: Sequence[SheetPatch],
    new_sheets: Sequence[NewSheet] = (),
    *,
    note_author: str = "gendan_xl",
) -> PatchOutcome:
    """Patch package bytes; return the new bytes with what was written, skipped and flagged."""
    patcher = Patcher(data, note_author, _palette(patches))
    by_sheet: dict[str, tuple[SheetInfo, list[CellWrite], dict[int, float], MergePlan]] = {}
    for patch in patches:
        info = patcher.pkg.sheet(patch.sheet)
        entry = by_sheet.setdefault(info.name, (info, [], {}, MergePlan()))
        entry[1].extend(patch.cells)
        entry[2].update(patch.column_widths)
        entry[3].add.extend(patch.merges)
        entry[3].unmerge_columns.update(patch.unmerge_columns)
    parsed: dict[str, SheetXml] = {}
    for info, writes, widths, merges in by_sheet.values():
        if (writes or widths or merges) and info.part is not None:
            parsed[info.part] = patcher.patch_sheet(info, writes, widths, merges)
    for sheet in new_sheets:
        if write_new_sheet(patcher, sheet):
            patcher.values_changed = True
    patcher.finish_styles()
    full_recalc = patcher.values_changed and patcher.workbook_has_formulas(parsed)
    if full_recalc:
        patcher.set_full_calc()
    out = patcher.edit.render()
    return PatchOutcome(
        data=out,
        changed=out != data,
        cells_written=patcher.cells_written,
        skipped=tuple(patcher.skipped),
        full_recalc=full_recalc,
        touched_parts=(*patcher.edit.replaced, *patcher.edit.added),
    )


def patch_package(
    data: bytes,
    patches: Sequence[SheetPatch],
    new_sheets: Sequence[NewSheet] = (),
    *,
    note_author: str = "gendan_xl",
) -> bytes:
    """Return the package ``data`` with the patches applied (see the module docstring)."""
    return apply_patches(data, patches, new_sheets, note_author=note_author).data


def verify_parts(path: Path, parts: Sequence[str]) -> None:
    """Check that ``parts`` of the zip at ``path`` are well-formed XML without DTDs.

    expat with no content handlers checks a 50 MB sheet in about a second; lxml's iterparse makes
    a Python object per element and takes tens of seconds.
    """
    with zipfile.ZipFile(path) as archive:
        for part in parts:
            parser = expat.ParserCreate()

            def refuse_dtd(*_: object, part: str = part) -> None:
                raise ValueError(f"{part} declares a DTD")

            parser.StartDoctypeDeclHandler = refuse_dtd
            with archive.open(part) as stream:
                try:
                    parser.ParseFile(stream)
                except expat.ExpatError as exc:
                    raise ValueError(f"{part} is not well-formed XML: {exc}") from exc
    Package.open(path).sheets()


def patch_workbook(
    path: Path | str,
    patches: Sequence[SheetPatch],
    new_sheets: Sequence[NewSheet] = (),
    *,
    backups: int = 3,
    force: bool = False,
    note_author: str = "gendan_xl",
    lock_timeout: float = 60.0,
) -> PatchResult:
    """Patch the workbook file at ``path`` in place, safely (see :mod:`gendan_xl.ooxml.saving`)."""
    outcome: list[PatchOutcome] = []

    def transform(data: bytes) -> bytes:
        outcome.append(apply_patches(data, patches, new_sheets, note_author=note_author))
        return outcome[-1].data

    def verify(tmp: Path) -> None:
        verify_parts(tmp, [p for p in outcome[-1].touched_parts if p.endswith((".xml", ".rels"))])

    saved = safe_save(Path(path), transform, backups=backups, force=force, verify=verify, lock_timeout=lock_timeout)
    done = outcome[-1]
    return PatchResult(saved.path, saved.changed, saved.backup, done.cells_written, done.skipped, done.full_recalc)
