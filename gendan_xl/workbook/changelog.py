"""Record detected changes on the change log (改单记录): rows appended by ``gendan check --write``.

Each ``change-detected`` finding of the report (an aspect of an order that differs from the
snapshot its documents, or an earlier row, were made from) becomes one row under the last used
row of the workbook's change-log sheet: the order, today, what changed, the old and new figures,
a remark naming what it was compared with, and the order's snapshot now — which is what makes
the next check see the change as recorded, so writing twice adds nothing twice. The merchandiser
fills in who asked and the confirmations. A workbook without a change-log sheet gets no rows (the
finding says how to add one); nothing else in the workbook is touched.
"""

from __future__ import annotations

from collections.abc import Iterator

from gendan_xl.checks.report import Report
from gendan_xl.checks.snapshots import snapshot_text, take_snapshot
from gendan_xl.findings import Finding
from gendan_xl.lifecycle import Aspect
from gendan_xl.models import Workbook
from gendan_xl.ooxml import CellValue, CellWrite, SheetPatch

__all__ = ["plan_change_rows"]


def _rows(workbook: Workbook, report: Report) -> Iterator[dict[str, CellValue]]:
    snapshots: dict[str, str] = {}
    for finding in report.findings:
        if finding.code != "change-detected" or finding.order_no is None:
            continue
        order = workbook.orders_by_no.get(finding.order_no)
        if order is None:
            continue
        if finding.order_no not in snapshots:
            lines = workbook.lines_by_order.get(finding.order_no, [])
            snapshots[finding.order_no] = snapshot_text(take_snapshot(order, lines))
        yield _row(finding, report, snapshots[finding.order_no])


def _row(finding: Finding, report: Report, snapshot: str) -> dict[str, CellValue]:
    data = finding.data
    aspect = Aspect(str(data["aspect"]))
    item = data.get("item")
    return {
        "order_no": finding.order_no, "changed_on": report.today, "what": aspect.label,
        "item_no": str(item) if item else None, "old_value": str(data.get("old") or ""),
        "new_value": str(data.get("new") or ""),
        "remarks": f"gendan_xl：与{data.get('since')}比较 / compared with {data.get('since_en')}",
        "snapshot": snapshot,
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
