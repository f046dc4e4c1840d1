"""Plan the status write-back: a check report → the cells, fills and notes to write.

Per order row (订单): price check, amount check, delivery status, next action, its deadline and
the day of the check. Per order line (订单明细) that has a finding now or had a status before:
price check and amount check. Each status cell gets a fill — red for an error, amber for a
warning, green when all is well — and a note that explains the findings. Status columns are
gendan_xl's own: existing ones are found by their headers (see ``StatusColumn`` in the schema),
missing ones are appended after the last header with the header's style. Nothing else in the
workbook is written; :mod:`gendan_xl.ooxml.patch` does the lossless, atomic write.

Writing the same report twice plans the same cells, so the file comes out byte-identical.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from gendan_xl.checks.report import DeliveryState, OrderSummary, Report
from gendan_xl.findings import OK_STATUS, RULES, Finding, Severity, status_text, worst_severity
from gendan_xl.models import SheetInfo, Workbook
from gendan_xl.ooxml import CellWrite, PatchResult, SheetPatch, patch_workbook
from gendan_xl.workbook.schema import StatusColumn, sheet_spec

__all__ = ["FILLS", "NOTE_AUTHOR", "NOTE_PREFIX", "plan_status", "write_status"]

NOTE_AUTHOR = "gendan_xl"
# The first line of every note gendan_xl writes, the way Excel starts a note with "Author:". Through
# xlwings (the Excel buttons) a note's author is always Excel's user name, so the text is how both
# the file writer and the buttons recognise gendan's own notes.
NOTE_PREFIX = f"{NOTE_AUTHOR}:"
FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C", None: "C6EFCE"}  # Excel's Bad / Neutral / Good
OK = OK_STATUS
_NOTE_ITEMS = 8
_SOON = timedelta(days=7)
_STATE_FILL = {
    DeliveryState.LATE: FILLS[Severity.ERROR],
    DeliveryState.AT_RISK: FILLS[Severity.WARNING],
    DeliveryState.NO_DATE: FILLS[Severity.WARNING],
    DeliveryState.ON_TIME: FILLS[None],
    DeliveryState.SHIPPED: FILLS[None],
}


@dataclass(frozen=True)
class _Placed:
    """Where a status column is (1-based) and whether its header must be written."""

    column: int
    new: bool


def _place_columns(info: SheetInfo, columns: Sequence[StatusColumn]) -> dict[str, _Placed]:
    placed: dict[str, _Placed] = {}
    next_free = max([info.last_column, *info.status_columns.values()])
    for status in columns:
        if status.key in info.status_columns:
            placed[status.key] = _Placed(info.status_columns[status.key], new=False)
        else:
            next_free += 1
            placed[status.key] = _Placed(next_free, new=True)
    return placed


def _headers(info: SheetInfo, columns: Sequence[StatusColumn], placed: dict[str, _Placed]) -> list[CellWrite]:
    style = (info.header_row, info.last_column) if info.last_column else None
    return [CellWrite(info.header_row, placed[s.key].column, s.header, style_like=style)
            for s in columns if placed[s.key].new]


def _note(findings: Sequence[Finding]) -> str | None:
    shown = [f for f in findings if f.severity is not Severity.INFO] or list(findings)
    if not shown:
        return None
    lines = [f"【{f.severity.zh}】{f.message_zh}\n{f.message_en}" for f in shown[:_NOTE_ITEMS]]
    if len(shown) > _NOTE_ITEMS:
        lines.append(f"…另有 {len(shown) - _NOTE_ITEMS} 条 / {len(shown) - _NOTE_ITEMS} more")
    return "\n".join([NOTE_PREFIX, *lines])


def _explaining(findings: Iterable[Finding], status_column: str) -> list[Finding]:
    """The findings whose family explains ``status_column`` (each family names its own)."""
    return [f for f in findings if f.code in RULES and RULES[f.code].family.status_column == status_column]


def _order_cells(summary: OrderSummary, findings: list[Finding], placed: dict[str, _Placed],
                 today: date) -> list[CellWrite]:
    row = summary.row
    price, amount = _explaining(findings, "price_check"), _explaining(findings, "amount_check")
    delivery = _explaining(findings, "delivery_status")
    due = summary.next_due
    due_fill = None
    if due is not None and summary.delivery not in (DeliveryState.SHIPPED, DeliveryState.CANCELLED):
        due_fill = FILLS[Severity.ERROR] if due < today else FILLS[Severity.WARNING] if due - today <= _SOON else None
    values = {
        "price_check": (summary.price_check, FILLS[worst_severity(price)], _note(price)),
        "amount_check": (summary.amount_check, FILLS[worst_severity(amount)], _note(amount)),
        "delivery_status": (summary.delivery.label, _STATE_FILL.get(summary.delivery), _note(delivery)),
        "next_action": (f"{summary.next_action_zh} / {summary.next_action_en}" if summary.next_action_zh else "",
                        None, None),
        "deadline": (due, due_fill, None),
        "checked_on": (today, None, None),
    }
    return [CellWrite(row, placed[key].column, value, fill=fill, note=note)
            for key, (value, fill, note) in values.items()]


def _line_cells(row: int, findings: list[Finding], placed: dict[str, _Placed]) -> list[CellWrite]:
    cells: list[CellWrite] = []
    for key, place in placed.items():
        mine = _explaining(findings, key)
        cells.append(CellWrite(row, place.column, status_text(mine), fill=FILLS[worst_severity(mine)],
                               note=_note(mine)))
    return cells


def plan_status(workbook: Workbook, report: Report) -> list[SheetPatch]:
    """The sheet patches that put ``report``'s statuses into ``workbook``'s sheets."""
    patches: list[SheetPatch] = []
    by_order: dict[str, list[Finding]] = defaultdict(list)
    by_line: dict[int, list[Finding]] = defaultdict(list)
    lines_sheet = workbook.sheets["lines"].name if "lines" in workbook.sheets else None
    for finding in report.findings:
        if finding.order_no:
            by_order[finding.order_no].append(finding)
        if finding.sheet == lines_sheet and finding.row is not None:
            by_line[finding.row].append(finding)
    orders = workbook.sheets.get("orders")
    if orders is not None and report.orders:
        columns = sheet_spec("orders").status_columns
        placed = _place_columns(orders, columns)
        cells = _headers(orders, columns, placed)
        for summary in report.orders:
            cells += _order_cells(summary, by_order.get(summary.order_no, []), placed, report.today)
        patches.append(SheetPatch(orders.name, cells, _widths(columns, placed)))
    lines = workbook.sheets.get("lines")
    if lines is not None:
        columns = sheet_spec("lines").status_columns
        rows = sorted(set(by_line) | set(lines.status_rows))
        if rows:
            placed = _place_columns(lines, columns)
            cells = _headers(lines, columns, placed)
            for row in rows:
                cells += _line_cells(row, by_line.get(row, []), placed)
            patches.append(SheetPatch(lines.name, cells, _widths(columns, placed)))
    return patches


def _widths(columns: Sequence[StatusColumn], placed: dict[str, _Placed]) -> dict[int, float]:
    return {placed[s.key].column: s.width for s in columns if placed[s.key].new}


def write_status(path: Path | str, workbook: Workbook, report: Report, *, force: bool = False,
                 backups: int | None = None) -> PatchResult:
    """Write ``report``'s statuses into the workbook file at ``path`` (atomic, with a backup)."""
    keep = workbook.settings.backup_count if backups is None else backups
    return patch_workbook(Path(path), plan_status(workbook, report), backups=keep, force=force,
                          note_author=NOTE_AUTHOR)
