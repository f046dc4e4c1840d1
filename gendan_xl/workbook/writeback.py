"""Plan the status write-back: a check report → the cells, fills and notes to write.

Per order row (订单): price check, amount check, delivery status, next action, its deadline and
the day of the check; the changes the check detected go onto the change log
(:mod:`gendan_xl.workbook.changelog`). Per order line (订单明细) that has a finding now or had a status before:
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
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from gendan_xl.checks.report import DeliveryState, OrderSummary, Report
from gendan_xl.findings import OK_STATUS, RULES, Finding, Severity, status_text, worst_severity
from gendan_xl.models import SheetInfo, Workbook, column_letter
from gendan_xl.ooxml import CellWrite, PatchResult, SheetPatch, patch_workbook
from gendan_xl.workbook.changelog import plan_change_rows
from gendan_xl.workbook.schema import LINE_CHECK, StatusColumn, sheet_spec

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


def _place_columns(info: SheetInfo, columns: Sequence[StatusColumn], *, after: int = 0) -> dict[str, _Placed]:
    placed: dict[str, _Placed] = {}
    next_free = max([info.last_column, *info.status_columns.values(), after])
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


def _order_cells(summary: OrderSummary, row: int, findings: list[Finding], placed: dict[str, _Placed],
                 today: date) -> list[CellWrite]:
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
    """The sheet patches that put ``report``'s statuses into ``workbook``'s sheets (the user's own, in their layout)."""
    by_order: dict[str, list[Finding]] = defaultdict(list)
    by_line: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    lines = workbook.sheets.get("lines")
    line_sheets = {part.name for part in lines.sheets} if lines is not None else set()
    for finding in report.findings:
        if finding.order_no:
            by_order[finding.order_no].append(finding)
        if finding.sheet in line_sheets and finding.row is not None and finding.sheet is not None:
            by_line[(finding.sheet, finding.row)].append(finding)
    sheets: dict[str, _SheetPlan] = {}
    orders = workbook.sheets.get("orders")
    if orders is not None and orders.layout == "flat":
        _plan_flat(workbook, report, by_order, by_line, sheets)
        return [plan.patch() for plan in sheets.values() if plan.cells] + plan_change_rows(workbook, report)
    if orders is not None and report.orders:
        columns = sheet_spec("orders").status_columns
        placed = {part.name: _place_columns(part, columns) for part in orders.sheets}
        for part in orders.sheets:
            sheets.setdefault(part.name, _SheetPlan(part.name)).add_headers(part, columns, placed[part.name])
        for summary in report.orders:
            part, row = orders.part_of(summary.row)
            sheets[part.name].cells += _order_cells(summary, row, by_order.get(summary.order_no, []),
                                                    placed[part.name], report.today)
    if lines is not None:
        columns = sheet_spec("lines").status_columns
        for part in lines.sheets:
            rows = sorted({r for (name, r) in by_line if name == part.name} | set(part.status_rows))
            if not rows:
                continue
            placed_line = _place_columns(part, columns)
            plan = sheets.setdefault(part.name, _SheetPlan(part.name))
            plan.add_headers(part, columns, placed_line)
            for row in rows:
                plan.cells += _line_cells(row, by_line.get((part.name, row), []), placed_line)
    return [plan.patch() for plan in sheets.values() if plan.cells] + plan_change_rows(workbook, report)


@dataclass
class _SheetPlan:
    """What goes onto one of the user's sheets: cells, widths of new columns, merged status cells."""

    name: str
    cells: list[CellWrite] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    owned: set[int] = field(default_factory=set)

    def add_headers(self, info: SheetInfo, columns: Sequence[StatusColumn], placed: dict[str, _Placed]) -> None:
        self.cells += _headers(info, columns, placed)
        self.widths.update(_widths(columns, placed))
        self.owned.update(p.column for p in placed.values())

    flat: bool = False

    def patch(self) -> SheetPatch:
        # on a one-sheet tracker the status columns are ours to merge: an earlier run's merges are replaced
        return SheetPatch(self.name, self.cells, self.widths, merges=self.merges,
                          unmerge_columns=sorted(self.owned) if self.flat else ())


def _plan_flat(workbook: Workbook, report: Report, by_order: dict[str, list[Finding]],
               by_line: dict[tuple[str, int], list[Finding]], sheets: dict[str, _SheetPlan]) -> None:
    """A one-sheet tracker: one status per order on its first row (merged down its rows where its cells are
    merged), and each line's findings in the line-check column on its own row."""
    orders, lines = workbook.sheets["orders"], workbook.sheets["lines"]
    order_columns = sheet_spec("orders").status_columns
    line_parts = {part.name: part for part in lines.sheets}
    placed: dict[str, dict[str, _Placed]] = {}
    for part in orders.sheets:
        line_part = line_parts.get(part.name, part)
        together = part.model_copy(update={"status_columns": {**part.status_columns, **line_part.status_columns},
                                           "last_column": max(part.last_column, line_part.last_column)})
        place = _place_columns(together, [*order_columns, LINE_CHECK])
        placed[part.name] = place
        plan = sheets.setdefault(part.name, _SheetPlan(part.name, flat=True))
        plan.add_headers(together, [*order_columns, LINE_CHECK], place)
    spans = _order_spans(workbook)
    for summary in report.orders:
        part, row = orders.part_of(summary.row)
        plan, place = sheets[part.name], placed[part.name]
        cells = _order_cells(summary, row, by_order.get(summary.order_no, []), place, report.today)
        last = spans.get(summary.row, row)
        if orders.merged_orders and last > row:
            # merged down the order's rows like its own cells, and aligned like them (the key cell's style)
            key_col = part.columns.get("order_no")
            if key_col is not None:
                cells = [replace(c, style_like=(row, key_col)) for c in cells]
            for status in order_columns:
                col = place[status.key].column
                plan.merges.append((row, col, last, col))
                cells += [CellWrite(r, col, None) for r in range(row + 1, last + 1)]
        plan.cells += cells
    for part in lines.sheets:
        line_place = placed.get(part.name)
        if line_place is None:
            continue
        column = line_place[LINE_CHECK.key].column
        letters = {column_letter(c) for c in part.columns.values() if c != part.columns.get("order_no")}
        rows = sorted({r for (name, r) in by_line if name == part.name} | set(part.status_rows))
        for row in rows:
            # the line's own cells (item, quantity, prices …); the order's cells on its first row are the order's
            mine = [f for f in by_line.get((part.name, row), []) if (f.cell or "").rstrip("0123456789") in letters]
            sheets[part.name].cells.append(CellWrite(row, column, status_text(mine), fill=FILLS[worst_severity(mine)],
                                                     note=_note(mine)))


def _order_spans(workbook: Workbook) -> dict[int, int]:
    """Per order (its model row), the Excel row of its last line when its lines follow it without a gap."""
    lines = workbook.sheets["lines"]
    spans: dict[int, int] = {}
    for order in workbook.orders:
        rows = sorted(line.row for line in workbook.lines_by_order.get(order.order_no, []))
        if not rows or rows[0] != order.row or rows[-1] - rows[0] != len(rows) - 1:
            continue
        spans[order.row] = lines.part_of(rows[-1])[1]
    return spans


def _widths(columns: Sequence[StatusColumn], placed: dict[str, _Placed]) -> dict[int, float]:
    return {placed[s.key].column: s.width for s in columns if placed[s.key].new}


def write_status(path: Path | str, workbook: Workbook, report: Report, *, force: bool = False,
                 backups: int | None = None) -> PatchResult:
    """Write ``report``'s statuses into the workbook file at ``path`` (atomic, with a backup)."""
    keep = workbook.settings.backup_count if backups is None else backups
    return patch_workbook(Path(path), plan_status(workbook, report), backups=keep, force=force,
                          note_author=NOTE_AUTHOR)
