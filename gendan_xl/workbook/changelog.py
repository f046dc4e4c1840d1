"""Record detected changes on the change log (改单记录): rows appended by ``gendan check --write``.

Each ``change-detected`` finding of the report (an aspect of an order that changed between two of
its snapshots, or since the latest) becomes one row under the last used row of the workbook's
change-log sheet: the order, the day the change is known by, what changed, the old and new
figures, a remark naming what it was compared with, and the snapshot after the change — which is
what makes the next check see the change as recorded, so writing twice adds nothing twice. The merchandiser
fills in who asked and the confirmations. A workbook without a change-log sheet gets no rows (the
finding says how to add one); nothing else in the workbook is touched.
"""

from __future__ import annotations

from collections.abc import Iterator

from gendan_xl.checks.base import CheckContext
from gendan_xl.checks.calendar import WorkCalendar
from gendan_xl.checks.changes import detected_changes
from gendan_xl.checks.report import Report
from gendan_xl.models import Workbook
from gendan_xl.ooxml import CellValue, CellWrite, SheetPatch

__all__ = ["plan_change_rows"]


def _rows(workbook: Workbook, report: Report) -> Iterator[dict[str, CellValue]]:
    """The detected changes the report shows, as rows: per order (in sheet order), oldest first."""
    shown = {(f.order_no, f.data.get("aspect"), f.data.get("on_date")) for f in report.findings
             if f.code == "change-detected"}
    ctx = CheckContext(workbook=workbook, today=report.today, calendar=WorkCalendar(workbook.settings.calendar))
    detected = detected_changes(ctx)  # the same changes the check found, with the snapshots to keep
    for order in workbook.orders:
        for change in detected.pop(order.order_no, []):
            difference = change.difference
            if (order.order_no, difference.aspect.value, change.on) not in shown:
                continue
            yield {
                "order_no": order.order_no, "changed_on": change.on, "what": difference.aspect.label,
                "item_no": difference.item_no, "old_value": difference.old, "new_value": difference.new,
                "remarks": f"gendan_xl：与{change.since_zh}比较{change.until_zh} / compared with {change.since_en}"
                           f"{change.until_en}",
                "snapshot": change.snapshot,
            }


def plan_change_rows(workbook: Workbook, report: Report) -> list[SheetPatch]:
    """The cells that append ``report``'s detected changes to the change-log sheet (none without one)."""
    info = workbook.sheets.get("changes")
    if info is None:
        return []
    rows = list(_rows(workbook, report))
    if not rows:
        return []
    part = info.sheets[-1]  # a change log kept on several sheets grows on its last one
    last_model = max((part.locate(None, c.row)[2] for c in workbook.changes if info.part_of(c.row)[0] is part),
                     default=0)
    first = max(part.last_row, part.last_header_row, last_model) + 1
    cells: list[CellWrite] = []
    for offset, values in enumerate(rows):
        for field, value in values.items():
            column = part.columns.get(field)
            if column is not None and value not in (None, ""):
                cells.append(CellWrite(first + offset, column, value))
    return [SheetPatch(part.name, cells)]
