"""The document log (单证记录) written from the Excel button, through xlwings instead of the file.

``render_documents(..., log=True)`` appends the log through the file patcher, which (rightly)
refuses a workbook open in Excel. The button renders with ``log=False`` and appends the same
rows — :func:`gendan_xl.documents.log.log_row_values` per document — into the open workbook:
under the last record of the log sheet, or on a new 单证记录 sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from gendan_xl.documents import DocumentRun
from gendan_xl.documents.log import DATETIME_FORMAT, LogEntry, log_row_values, snapshot_column
from gendan_xl.errors import WriteError
from gendan_xl.excel.live import LiveResult, apply_live, find_sheet, write_sheet_live
from gendan_xl.excel.livebook import LiveBook
from gendan_xl.models import Workbook
from gendan_xl.ooxml import CellValue, CellWrite, NewSheet, SheetPatch
from gendan_xl.workbook.schema import DOCUMENT_LOG

__all__ = ["append_log_live", "log_entries"]

_KEYS = ("order_no", "fingerprint", "kind")


def log_entries(workbook: Workbook, run: DocumentRun, *, today: date, at: datetime | None = None) -> list[LogEntry]:
    """One log entry per file ``run`` wrote, with the document number its template printed (stamped ``at``).

    The run made the entries it would have logged to a file (orders, kind, number, fingerprint), one per
    file in the same order; the file is shown relative to the workbook's folder.
    """
    stamp = at or datetime.now()
    folder = workbook.path.parent.resolve() if workbook.path is not None else None
    return [replace(entry, file=_shown(rendered.docx, folder), rendered_at=stamp)
            for entry, rendered in zip(run.entries, run.files, strict=True)]


def _shown(file: Path, folder: Path | None) -> str:
    resolved = file.resolve()
    if folder is not None and resolved.is_relative_to(folder):
        return str(resolved.relative_to(folder))
    return str(resolved)


def append_log_live(book: LiveBook, workbook: Workbook, entries: Sequence[LogEntry]) -> LiveResult | None:
    """Append ``entries`` to the open workbook's log sheet (added when missing); None when nothing to write."""
    if not entries:
        return None
    columns = DOCUMENT_LOG.columns
    info = workbook.sheets.get("documents")
    if info is None:
        header: list[CellValue] = [column.header for column in columns]
        rows = [header] + [[log_row_values(e).get(c.field) for c in columns] for e in entries]
        widths = {i: c.width for i, c in enumerate(columns, start=1)}
        write_sheet_live(book, NewSheet(DOCUMENT_LOG.zh, rows, widths, replace=False))
        return LiveResult(cells_written=sum(len(r) for r in rows[1:]))
    sheet = find_sheet(book, info.name)
    if sheet is None:
        raise WriteError(f"找不到工作表“{info.name}”。", f"the sheet “{info.name}” is gone.")
    used = sheet.used_range
    values = used.options(ndim=2).value or []
    keys = [info.columns[f] - used.column for f in _KEYS if f in info.columns]
    last = 0
    for index in range(len(values) - 1, -1, -1):
        if any(0 <= k < len(values[index]) and values[index][k] not in ("", None) for k in keys):
            last = used.row + index
            break
    first = max(last, info.last_header_row) + 1
    info, cells = snapshot_column(info) if any(e.snapshot for e in entries) else (info, [])
    for offset, entry in enumerate(entries):
        for field, value in log_row_values(entry).items():
            col = info.columns.get(field)
            if col is not None:  # the user's log sheet lacks this column: skip it, as the file path does
                fmt = DATETIME_FORMAT if isinstance(value, datetime) else None
                cells.append(CellWrite(first + offset, col, value, number_format=fmt))
    return apply_live(book, [SheetPatch(info.name, cells)])
