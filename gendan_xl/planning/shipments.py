"""Group open orders into shipments and size their containers.

Rules (domain.md §1, §4):

* An order is planned when it is open (not shipped, cancelled, completed or on hold) and its
  customer delivery date is within the horizon (default 30 days, overdue orders included).
* Orders ship together (拼柜) when they share the customer, the port of loading and the port of
  discharge, and their delivery dates lie within ``window_days`` (default 7) of the group's
  earliest date: one booking, one set of documents, one container or LCL lot.
* A group's cartons, CBM and weights come from the lines' carton data; lines without it are
  counted and named, because the volume is then a lower bound. Containers are suggested with the
  same rule as the checks (:func:`gendan_xl.checks.volume.container_mix`).
* The booking deadline is the earliest delivery date minus the booking lead (setting), moved back
  to a working day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from gendan_xl.checks.base import CheckContext
from gendan_xl.checks.calendar import WorkCalendar
from gendan_xl.checks.delivery import is_open
from gendan_xl.checks.volume import ContainerMix, Volume, container_mix, order_volume
from gendan_xl.models import Order, OrderLine, Workbook
from gendan_xl.ooxml import CellValue, NewSheet, PatchResult, patch_workbook

__all__ = ["PLAN_SHEET", "PlanGroup", "ShipmentPlan", "plan_shipments", "read_plan", "write_plan"]

PLAN_SHEET = "出运计划"
HEADER: tuple[str, ...] = (
    "组\nGroup", "客户\nCustomer", "起运港\nPOL", "目的港\nPOD", "最早交期\nEarliest Delivery",
    "订舱截止\nBooking Deadline", "订单\nOrders", "箱数\nCartons", "体积(CBM)\nVolume (CBM)",
    "毛重(kg)\nG.W. (kg)", "净重(kg)\nN.W. (kg)", "建议柜型\nContainers", "装载率\nFill", "缺装箱资料\nCarton Data Missing",
    "计划日期\nPlanned On",
)
WIDTHS = (6, 12, 10, 12, 11, 11, 28, 8, 10, 10, 10, 18, 7, 24, 11)


@dataclass
class PlanGroup:
    """Orders that ship together, with their totals and the suggested containers."""

    number: int
    customer: str
    pol: str
    pod: str
    orders: list[Order]
    volume: Volume
    mix: ContainerMix
    booking_deadline: date | None
    missing: list[str] = field(default_factory=list)

    @property
    def earliest(self) -> date:
        """The earliest customer delivery date of the group."""
        return min(o.delivery_date for o in self.orders if o.delivery_date is not None)

    @property
    def containers(self) -> str:
        """The suggested containers as written: ``1×40GP``, ``2×40HQ + LCL`` …"""
        return self.mix.label

    @property
    def fill(self) -> Decimal | None:
        """Share of the full containers' practical volume used (None for LCL only or no volume)."""
        capacity = self.mix.capacity
        if capacity <= 0:
            return None
        return (self.volume.cbm / capacity).quantize(Decimal("0.01"))


@dataclass
class ShipmentPlan:
    """The plan: groups in booking order, the horizon and the day it was made."""

    today: date
    horizon_days: int
    groups: list[PlanGroup]

    def sheet(self, *, adopt: bool = False) -> NewSheet:
        """The plan as the 出运计划 sheet, for the file writer and for the Excel buttons alike."""
        return NewSheet(PLAN_SHEET, self.rows(), column_widths=dict(enumerate(WIDTHS, start=1)), adopt=adopt)

    def rows(self) -> list[list[CellValue]]:
        """The plan as sheet rows, header first (what :func:`write_plan` writes)."""
        rows: list[list[CellValue]] = [list(HEADER)]
        for group in self.groups:
            fill = group.fill
            rows.append([
                group.number, group.customer, group.pol, group.pod, group.earliest, group.booking_deadline,
                ", ".join(o.order_no for o in group.orders), group.volume.cartons, group.volume.cbm,
                group.volume.gross_kg, group.volume.net_kg, group.containers,
                f"{fill:.0%}" if fill is not None else "", "; ".join(group.missing), self.today,
            ])
        return rows


def _key(order: Order) -> tuple[str, str, str]:
    def fold(value: str | None) -> str:
        return (value or "").strip().casefold()

    return fold(order.customer), fold(order.pol), fold(order.pod)


def _groups(orders: Sequence[Order], window: timedelta) -> list[list[Order]]:
    by_key: dict[tuple[str, str, str], list[Order]] = {}
    for order in sorted(orders, key=lambda o: (o.delivery_date or date.max, o.order_no)):
        by_key.setdefault(_key(order), []).append(order)
    groups: list[list[Order]] = []
    for same_route in by_key.values():
        current: list[Order] = []
        for order in same_route:
            assert order.delivery_date is not None
            if current and current[0].delivery_date is not None and order.delivery_date - current[0].delivery_date > window:
                groups.append(current)
                current = []
            current.append(order)
        if current:
            groups.append(current)
    return sorted(groups, key=lambda g: (g[0].delivery_date or date.max, g[0].order_no))


def _missing(lines: Iterable[OrderLine]) -> list[str]:
    return [f"{line.order_no}/{line.item_no}" for line in lines if not line.has_carton_data]


def plan_shipments(workbook: Workbook, *, today: date | None = None, horizon_days: int = 30,
                   window_days: int = 7) -> ShipmentPlan:
    """Plan the open orders due within ``horizon_days`` of ``today`` (overdue ones included)."""
    today = today or date.today()
    ctx = CheckContext(workbook=workbook, today=today, calendar=WorkCalendar(workbook.settings.calendar))
    horizon = today + timedelta(days=horizon_days)
    # orders_by_no keeps the first row of a duplicated order number, as the checks do
    due = [o for o in workbook.orders_by_no.values()
           if o.delivery_date is not None and o.delivery_date <= horizon and is_open(ctx, o)]
    plan = ShipmentPlan(today=today, horizon_days=horizon_days, groups=[])
    booking = timedelta(days=workbook.settings.booking_days)
    for number, orders in enumerate(_groups(due, timedelta(days=window_days)), start=1):
        lines = [line for o in orders for line in workbook.lines_by_order.get(o.order_no, [])]
        volume = order_volume(lines)
        earliest = min(o.delivery_date for o in orders if o.delivery_date is not None)
        first = orders[0]
        plan.groups.append(PlanGroup(
            number=number, customer=first.customer or "", pol=first.pol or "", pod=first.pod or "",
            orders=orders, volume=volume, mix=container_mix(volume, workbook.settings),
            booking_deadline=ctx.calendar.previous_workday(earliest - booking), missing=_missing(lines)))
    return plan


def write_plan(path: Path | str, plan: ShipmentPlan, *, backups: int = 3, force: bool = False) -> PatchResult:
    """Write the plan to its own sheet (出运计划) in the workbook at ``path``, replacing the previous plan.

    A plan sheet the Excel button wrote carries no file marker (xlwings cannot set one); it is
    recognised by its header row, exactly ours, and replaced too. Any other sheet of that name is
    the user's and is never touched.
    """
    path = Path(path)
    return patch_workbook(path, [], [plan.sheet(adopt=_button_made(path))], backups=backups, force=force)


def read_plan(path: Path | str) -> dict[str, tuple[str, ...]]:
    """The saved plan's groups (出运计划 sheet): group number as text (``"3"``) → its orders; empty without the sheet.

    The columns are found by their headers (组 / Group, 订单 / Orders), so a plan whose columns the
    user moved still reads; rows without a group number or orders are skipped.
    """
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        if PLAN_SHEET not in book.sheet_names:
            return {}
        rows = book.get_sheet_by_name(PLAN_SHEET).to_python(skip_empty_area=False)
    finally:
        book.close()
    if not rows:
        return {}
    header = [str(cell).replace("\n", " ").casefold() for cell in rows[0]]
    group_col = next((i for i, text in enumerate(header) if text.startswith("组") or "group" in text), None)
    orders_col = next((i for i, text in enumerate(header) if text.startswith("订单") or "orders" in text), None)
    if group_col is None or orders_col is None:
        return {}
    groups: dict[str, tuple[str, ...]] = {}
    for row in rows[1:]:
        if max(group_col, orders_col) >= len(row):
            continue
        number, orders = row[group_col], str(row[orders_col] or "")
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        key = str(number).strip()
        found = tuple(no.strip() for no in orders.replace("，", ",").split(",") if no.strip())
        if key and found:
            groups[key] = found
    return groups


def _button_made(path: Path) -> bool:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        if PLAN_SHEET not in book.sheet_names:
            return False
        first = book.get_sheet_by_name(PLAN_SHEET).to_python(skip_empty_area=False, nrows=1)
        return bool(first) and tuple(first[0][: len(HEADER)]) == HEADER
    finally:
        book.close()
