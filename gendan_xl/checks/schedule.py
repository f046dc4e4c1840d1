"""The steps of an order and their deadlines (domain.md §2), as data.

From the customer delivery date (and the ETD) follow the deadlines: factory confirmation and
booking at delivery − 10 days, inspection applied by delivery − 7 days, the certificate of
origin by ETD − 7 days (only when one is planned: a type on a shipment row or the customer's
default), the purchase contract signed back within 3 days of issue. A deadline
that falls on a non-working day moves back to the previous working day. The delivery check
turns these steps into findings, and the report picks each order's next action from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from gendan_xl.checks.base import CheckContext
from gendan_xl.checks.common import customer_of, deposit_arrived, deposit_due, order_shipments
from gendan_xl.checks.coverage import keeps
from gendan_xl.models import Order

__all__ = ["Step", "is_shipped", "order_steps", "planned_certificate"]


@dataclass(frozen=True, slots=True)
class Step:
    """One step of an order: what, by when (None when no rule gives a date), whether it is done.

    ``code`` names the finding family of the step (``booking`` → ``booking-due`` /
    ``booking-overdue``); ``field`` is the column where doing it is recorded.
    """

    code: str
    zh: str
    en: str
    due: date | None
    done: bool
    sheet: str = "orders"
    field: str | None = None
    row: int | None = None


def is_shipped(ctx: CheckContext, order: Order) -> bool:
    """True when the status says shipped/completed or a shipment row has a B/L."""
    known: dict[int, bool] = ctx.memo("shipped", dict)  # asked by several checks and the summary, per order
    answer = known.get(order.row)
    if answer is None:
        answer = known[order.row] = order.is_shipped or any(
            s.bl_no or s.bl_date for s in order_shipments(ctx, order.order_no))
    return answer


def planned_certificate(ctx: CheckContext, order: Order) -> str | None:
    """The certificate of origin planned for the order: a type on a shipment row, else the customer's default."""
    typed = next((s.co_type for s in order_shipments(ctx, order.order_no) if s.co_type), None)
    if typed:
        return typed
    customer = customer_of(ctx, order)
    return customer.co_type if customer else None


def _deadline(ctx: CheckContext, base: date, days_before: int) -> date:
    return ctx.calendar.previous_workday(base - timedelta(days=days_before))


def order_steps(ctx: CheckContext, order: Order) -> list[Step]:
    """Every step of an open order, in the order a merchandiser does them (computed once per run)."""
    known: dict[int, list[Step]] = ctx.memo("order_steps", dict)
    if order.row not in known:
        known[order.row] = _steps(ctx, order)
    return known[order.row]


def _steps(ctx: CheckContext, order: Order) -> list[Step]:
    settings = ctx.settings
    shipments = order_shipments(ctx, order.order_no)
    first = shipments[0] if shipments else None
    steps: list[Step] = []
    terms = order.terms
    if terms is not None and terms.payment_before_production:
        steps.append(Step("deposit", "等订金/全款到账", "receive the deposit / payment", None,
                          deposit_due(ctx, order) == 0 or deposit_arrived(ctx, order) is not None,
                          field="deposit_date", row=order.row))
    if terms is not None and terms.lc is not None:
        steps.append(Step("lc", "收信用证并审证", "receive and check the L/C", None, order.lc_date is not None,
                          field="lc_date", row=order.row))
    steps.append(Step("purchase-contract", "下采购合同给工厂", "issue the purchase contract", None,
                      order.po_issued is not None, field="po_issued", row=order.row))
    if order.po_issued is not None:
        steps.append(Step("po-signback", "工厂回签采购合同", "get the purchase contract signed back",
                          order.po_issued + timedelta(days=settings.po_sign_days), order.po_signed is not None,
                          field="po_signed", row=order.row))
    delivery = order.delivery_date
    if delivery is None:
        return steps
    if not keeps(ctx.workbook, "shipments"):
        # no shipments sheet: booking, inspection and the C/O cannot be recorded as done (checks-skipped says so)
        steps.append(Step("factory-confirmation", "与工厂确认交期", "confirm the delivery date with the factory",
                          _deadline(ctx, delivery, settings.factory_confirm_days), order.factory_confirmed is not None,
                          field="factory_confirmed", row=order.row))
        steps.append(Step("shipment", "出运", "ship the goods", delivery, is_shipped(ctx, order),
                          field="delivery_date", row=order.row))
        return steps
    booked = any(s.booking_no or s.booking_date for s in shipments)
    steps.append(Step("factory-confirmation", "与工厂确认交期", "confirm the delivery date with the factory",
                      _deadline(ctx, delivery, settings.factory_confirm_days), order.factory_confirmed is not None,
                      field="factory_confirmed", row=order.row))
    steps.append(Step("booking", "订舱", "book space with the forwarder",
                      _deadline(ctx, delivery, settings.booking_days), booked,
                      field="factory_confirmed" if first is None else "booking_no",
                      sheet="orders" if first is None else "shipments",
                      row=order.row if first is None else first.row))
    if order.inspection_required:
        applied = any(s.inspection_applied for s in shipments)
        steps.append(Step("inspection", "申请商检", "apply for commodity inspection",
                          _deadline(ctx, delivery, settings.inspection_days_late), applied,
                          sheet="orders" if first is None else "shipments",
                          field="inspection_required" if first is None else "inspection_applied",
                          row=order.row if first is None else first.row))
    if planned_certificate(ctx, order):
        etd = next((s.etd for s in shipments if s.etd), None) or order.etd or delivery
        steps.append(Step("co", "申请产地证", "apply for the certificate of origin",
                          _deadline(ctx, etd, settings.co_days), any(s.co_applied for s in shipments),
                          sheet="orders" if first is None else "shipments",
                          field="destination_country" if first is None else "co_applied",
                          row=order.row if first is None else first.row))
    steps.append(Step("shipment", "出运", "ship the goods", delivery, is_shipped(ctx, order),
                      field="delivery_date", row=order.row))
    return steps
