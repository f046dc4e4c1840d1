"""Indexes and facts several checks share: payments and shipments per order, when money arrived."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from gendan_xl.checks.base import CheckContext
from gendan_xl.models import Order, OrderLine, Payment, Shipment

__all__ = [
    "amount_paid_by",
    "deposit_arrived",
    "fully_paid_on",
    "line_amounts",
    "order_payments",
    "order_shipments",
    "order_total",
    "ship_date",
    "total_of",
]

CENT = Decimal("0.01")


def order_total(lines: list[OrderLine]) -> Decimal | None:
    """Sum of the lines' qty × unit price, each rounded half-up to cents; None without lines or figures."""
    amounts = [line.computed_amount for line in lines]
    if not amounts or any(amount is None for amount in amounts):
        return None
    return sum((a for a in amounts if a is not None), Decimal(0))


def line_amounts(ctx: CheckContext) -> list[Decimal | None]:
    """qty × unit price of every line (half-up to cents), in sheet order, computed once per run."""
    amounts: list[Decimal | None] = ctx.memo("line_amounts",
                                              lambda: [line.computed_amount for line in ctx.workbook.lines])
    return amounts


def total_of(ctx: CheckContext, order: Order) -> Decimal | None:
    """The order's computed total: the sum of its lines' amounts, None without lines or figures."""
    def build() -> dict[str, Decimal | None]:
        totals: dict[str, Decimal | None] = {}
        for line, amount in zip(ctx.workbook.lines, line_amounts(ctx), strict=True):
            so_far = totals.get(line.order_no, Decimal(0))
            totals[line.order_no] = None if amount is None or so_far is None else so_far + amount
        return totals

    totals: dict[str, Decimal | None] = ctx.memo("order_totals", build)
    return totals.get(order.order_no)


def order_payments(ctx: CheckContext, order: Order, *, any_currency: bool = False) -> list[Payment]:
    """The order's payments in its own currency (or with no currency given), in date order."""
    def build() -> dict[str, list[Payment]]:
        grouped: dict[str, list[Payment]] = defaultdict(list)
        for payment in ctx.workbook.payments:
            grouped[payment.order_no].append(payment)
        for payments in grouped.values():
            payments.sort(key=lambda p: p.date)
        return dict(grouped)

    payments: list[Payment] = ctx.memo("payments_by_order", build).get(order.order_no, [])
    if any_currency:
        return payments
    return [p for p in payments if not (p.currency and order.currency and p.currency != order.currency)]


def order_shipments(ctx: CheckContext, order_no: str) -> list[Shipment]:
    """The shipment rows of an order, in sheet order."""
    def build() -> dict[str, list[Shipment]]:
        grouped: dict[str, list[Shipment]] = defaultdict(list)
        for shipment in ctx.workbook.shipments:
            grouped[shipment.order_no].append(shipment)
        return dict(grouped)

    result: list[Shipment] = ctx.memo("shipments_by_order", build).get(order_no, [])
    return result


def amount_paid_by(ctx: CheckContext, order: Order, day: date) -> Decimal:
    """Money received for the order up to and including ``day`` (payments sheet, else the deposit columns)."""
    payments = order_payments(ctx, order)
    if payments:
        return sum((p.amount for p in payments if p.date <= day), Decimal(0))
    if order.deposit_date is not None and order.deposit_amount is not None and order.deposit_date <= day:
        return order.deposit_amount
    return Decimal(0)


def deposit_arrived(ctx: CheckContext, order: Order) -> date | None:
    """When the first money arrived: the deposit date column or the first payment, whichever is earlier."""
    dates = [p.date for p in order_payments(ctx, order)[:1]]
    if order.deposit_date is not None:
        dates.append(order.deposit_date)
    return min(dates) if dates else None


def fully_paid_on(ctx: CheckContext, order: Order, total: Decimal) -> date | None:
    """The day the payments reached the order total, or None if they have not."""
    running = Decimal(0)
    for payment in order_payments(ctx, order):
        running += payment.amount
        if running >= total - CENT:
            return payment.date
    if not order_payments(ctx, order) and order.deposit_amount is not None and order.deposit_date is not None \
            and order.deposit_amount >= total - CENT:
        return order.deposit_date
    return None


def ship_date(ctx: CheckContext, order: Order) -> date | None:
    """When the goods left or are planned to: B/L date, else shipment ETD, else the order's ETD."""
    for shipment in order_shipments(ctx, order.order_no):
        if shipment.bl_date or shipment.etd:
            return shipment.bl_date or shipment.etd
    return order.etd
