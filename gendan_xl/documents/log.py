"""The document log (单证记录): one row per rendered document, appended to the user's own workbook.

Each row holds the order, the kind, the document number, the file, the time and the fingerprint
of the order data the document was made from (:func:`gendan_xl.documents.source.fingerprint`).
``gendan check`` compares the fingerprints with the workbook as it is now
(:mod:`gendan_xl.documents.outdated`): a document issued from an order that has changed since is to
be recalled and reissued.

The rows go in through the lossless patcher (:mod:`gendan_xl.ooxml.patch`) under its safe
save: refused while Excel has the file open, locked against a second run, written to a temp file,
verified, backed up, renamed into place. Nothing else in the workbook changes. The next free row
is found inside the lock, from the file as it is then, so two runs never write the same row.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from python_calamine import CalamineWorkbook

from gendan_xl.models import SheetInfo
from gendan_xl.ooxml import (
    CellValue,
    CellWrite,
    NewSheet,
    SheetPatch,
    apply_patches,
    check_writable,
    safe_save,
    verify_parts,
)
from gendan_xl.workbook.schema import DOCUMENT_LOG

from .kinds import DocumentKind

__all__ = ["LogEntry", "LogWrite", "check_log_writable", "log_row_values", "snapshot_column", "write_log"]

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One rendered document, as the log records it."""

    order_no: str
    kind: DocumentKind
    doc_no: str
    file: str
    rendered_at: datetime
    fingerprint: str
    snapshot: str = ""  # the order's figures the document shows (checks.snapshots), to say later what changed


@dataclass(frozen=True, slots=True)
class LogWrite:
    """What writing the log did: the sheet, the rows written, the backup made."""

    sheet: str
    first_row: int
    rows: int
    backup: Path | None


def log_row_values(entry: LogEntry) -> dict[str, CellValue]:
    """The log sheet's cells for one entry, by field."""
    return {
        "order_no": entry.order_no, "kind": entry.kind.title, "doc_no": entry.doc_no, "file": entry.file,
        "rendered_at": entry.rendered_at.replace(microsecond=0), "fingerprint": entry.fingerprint,
        "snapshot": entry.snapshot or None,
    }


def snapshot_column(sheet: SheetInfo) -> tuple[SheetInfo, list[CellWrite]]:
    """The log sheet with a snapshot column: a log made before snapshots gets the header after its last column.

    The log is gendan_xl's own sheet; adding its newest column keeps every later document's snapshot.
    """
    if "snapshot" in sheet.columns or sheet.header_row < 1:
        return sheet, []
    column = DOCUMENT_LOG.column("snapshot")
    index = max(sheet.last_column, *sheet.columns.values()) + 1
    header = CellWrite(sheet.header_row, index, column.header, style_like=(sheet.header_row, sheet.last_column))
    return sheet.model_copy(update={"columns": {**sheet.columns, "snapshot": index}}), [header]


def _last_record_row(data: bytes, sheet: SheetInfo) -> int:
    """The last row (1-based) holding a value in a key column of the log, read from ``data`` as it is now.

    Rows that are only formatted (borders drawn in advance) do not count, so the log continues
    right under its last record instead of under the formatting.
    """
    keys = [sheet.columns[f] - 1 for f in ("order_no", "fingerprint", "kind") if f in sheet.columns]
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        rows = book.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
    finally:
        book.close()
    for index in range(len(rows) - 1, -1, -1):
        row = rows[index]
        if any(k < len(row) and row[k] not in ("", None) for k in keys):
            return index + 1
    return 0


def check_log_writable(path: Path) -> None:
    """Fail early (before rendering anything) if the workbook cannot be written now (open in Excel, read-only)."""
    check_writable(path.absolute())


def write_log(path: Path, entries: Sequence[LogEntry], *, sheet: SheetInfo | None, backups: int = 3) -> LogWrite:
    """Append ``entries`` to the log sheet of the workbook at ``path`` (the sheet is added if missing).

    ``sheet`` is where the reader found the log sheet (its name and columns), None if the
    workbook has none yet. Raises WorkbookLockedError or WriteError; the file is then unchanged.
    """
    columns = DOCUMENT_LOG.columns
    placed: list[int] = []
    touched: list[str] = []

    def transform(data: bytes) -> bytes:
        if sheet is None:
            header: list[CellValue] = [column.header for column in columns]
            rows = [header] + [[log_row_values(e).get(c.field) for c in columns] for e in entries]
            widths = {i: c.width for i, c in enumerate(columns, start=1)}
            first = 2
            outcome = apply_patches(data, [], [NewSheet(DOCUMENT_LOG.zh, rows, widths, replace=False)])
        else:
            first = max(_last_record_row(data, sheet), sheet.last_header_row) + 1
            log, cells = snapshot_column(sheet) if any(e.snapshot for e in entries) else (sheet, [])
            for offset, entry in enumerate(entries):
                for field, value in log_row_values(entry).items():
                    col = log.columns.get(field)
                    if col is None:
                        continue  # the user's log sheet lacks this column: skip it rather than invent one
                    fmt = DATETIME_FORMAT if isinstance(value, datetime) else None
                    cells.append(CellWrite(first + offset, col, value, number_format=fmt))
            outcome = apply_patches(data, [SheetPatch(sheet.name, cells)])
        placed[:] = [first]
        touched[:] = [p for p in outcome.touched_parts if p.endswith((".xml", ".rels"))]
        return outcome.data

    def verify(tmp: Path) -> None:
        verify_parts(tmp, touched)

    saved = safe_save(path, transform, backups=backups, verify=verify)
    return LogWrite(sheet.name if sheet else DOCUMENT_LOG.zh, placed[0] if placed else 0, len(entries), saved.backup)
