"""Indexes and facts several checks share: payments and shipments per order, when money arrived.

Money comparisons allow for bank charges: a T/T arrives short by what the intermediary and
receiving banks deduct (SHA/BEN), so a remittance counts in full when it is short by no more than
the bank-charge tolerance of its currency (setting ``银行费用容差``), or by the charges recorded
on its payments row.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from gendan_xl.checks.base import CheckContext
from gendan_xl.models import Customer, Order, OrderLine, Payment, Shipment, round_money
from gendan_xl.vocab import Trigger

__all__ = [
    "Remittance",
    "Settlement",
    "amount_paid_by",
    "bank_charge_tolerance",
    "covered_on",
    "customer_of",
    "deposit_arrived",
    "deposit_due",
    "fully_paid_on",
    "line_amounts",
    "order_payments",
    "order_shipments",
    "order_total",
    "remittances",
    "settlement",
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


class Remittance(NamedTuple):
    """Money that arrived for an order (收款): when, what was credited, what the banks took (when recorded), where.

    ``row`` is the payments-sheet row, or None for the order's own deposit columns.
    """

    date: date
    amount: Decimal
    charges: Decimal | None = None
    row: int | None = None

    @property
    def settled(self) -> Decimal:
        """What the customer paid with this remittance: the amount credited plus the recorded bank charges."""
        return self.amount + (self.charges or 0)


@dataclass(frozen=True, slots=True)
class _Receipts:
    """An order's remittances with running totals, so any day's position is one binary search away."""

    remittances: list[Remittance]
    dates: list[date]
    settled: list[Decimal]  # settled[k]: what the first k remittances paid (charges recorded counted)
    open: list[int]  # open[k]: how many of the first k have no recorded charges (each may be short)
    tolerance: Decimal


def _receipts(ctx: CheckContext, order: Order) -> _Receipts:
    known: dict[int, _Receipts] = ctx.memo("receipts", dict)
    found = known.get(order.row)
    if found is None:
        payments = order_payments(ctx, order)
        if payments:
            listed = [Remittance(p.date, p.amount, p.bank_charges, p.row) for p in payments]
        elif order.deposit_date is not None and order.deposit_amount is not None:
            listed = [Remittance(order.deposit_date, order.deposit_amount)]
        else:
            listed = []
        settled, uncounted = [_NOTHING], [0]
        for remittance in listed:
            settled.append(settled[-1] + remittance.amount + (remittance.charges or 0))
            uncounted.append(uncounted[-1] + (remittance.charges is None))
        found = known[order.row] = _Receipts(listed, [r.date for r in listed], settled, uncounted,
                                             bank_charge_tolerance(ctx, order.currency))
    return found


def remittances(ctx: CheckContext, order: Order) -> list[Remittance]:
    """The order's remittances in date order: the payments sheet, else the deposit columns of the order."""
    return _receipts(ctx, order).remittances


_NOTHING = Decimal(0)


def bank_charge_tolerance(ctx: CheckContext, currency: str | None) -> Decimal:
    """What banks may deduct from one remittance in ``currency`` before it counts as short (0: to the cent)."""
    return ctx.settings.bank_charges.get(currency or "", _NOTHING)


@dataclass(frozen=True, slots=True)
class Settlement:
    """How far the money received by a day covers an amount due, allowing for bank charges.

    ``received`` counts recorded bank charges as paid; ``allowance`` is the bank-charge tolerance
    for each remittance whose charges are not recorded.
    """

    due: Decimal
    received: Decimal
    allowance: Decimal

    @property
    def covered(self) -> bool:
        """True when the amount due arrived, short by no more than the banks may deduct."""
        return self.received + self.allowance >= self.due - CENT

    @property
    def short(self) -> Decimal:
        """How much less than due arrived (0 when nothing is missing)."""
        return max(self.due - self.received, _NOTHING)


def settlement(ctx: CheckContext, order: Order, due: Decimal, day: date) -> Settlement:
    """What arrived for ``order`` up to and including ``day`` against ``due``."""
    receipts = _receipts(ctx, order)
    count = bisect_right(receipts.dates, day)
    return Settlement(due, receipts.settled[count], receipts.tolerance * receipts.open[count])


def covered_on(ctx: CheckContext, order: Order, due: Decimal) -> date | None:
    """The day the remittances first covered ``due`` (bank charges allowed for), or None if they have not."""
    receipts = _receipts(ctx, order)
    for count, day in enumerate(receipts.dates, start=1):
        if receipts.settled[count] + receipts.tolerance * receipts.open[count] >= due - CENT:
            return day
    return None


def amount_paid_by(ctx: CheckContext, order: Order, day: date) -> Decimal:
    """Money credited for the order up to and including ``day`` (payments sheet, else the deposit columns)."""
    return sum((r.amount for r in remittances(ctx, order) if r.date <= day), Decimal(0))


def deposit_due(ctx: CheckContext, order: Order) -> Decimal | None:
    """The money due before production (deposit or full payment), or None when the share or total is unknown."""
    known: dict[int, Decimal | None] = ctx.memo("deposit_due", dict)
    if order.row not in known:
        known[order.row] = _deposit_due(ctx, order)
    return known[order.row]


def _deposit_due(ctx: CheckContext, order: Order) -> Decimal | None:
    terms = order.terms
    if terms is None or not terms.payment_before_production:
        return None
    total = total_of(ctx, order) or order.order_total
    if total is None:
        return None
    shares = terms.shares(order.deposit_pct)
    before = [share for share, i in zip(shares, terms.instalments, strict=True) if i.trigger is Trigger.ORDER]
    if None in before:
        return None
    return round_money(total * sum((s for s in before if s is not None), Decimal(0)))


def deposit_arrived(ctx: CheckContext, order: Order) -> date | None:
    """When the money due before production had arrived (less at most the bank charges).

    Without a known deposit amount (no percentage, no total) the first remittance counts.
    """
    due = deposit_due(ctx, order)
    if due is None:
        found = remittances(ctx, order)
        return found[0].date if found else None
    return covered_on(ctx, order, due)


def fully_paid_on(ctx: CheckContext, order: Order, total: Decimal) -> date | None:
    """The day the remittances reached the order total (less at most the bank charges), or None."""
    return covered_on(ctx, order, total)


def customer_of(ctx: CheckContext, order: Order) -> Customer | None:
    """The order's row on the customers sheet (codes compared without case and outer spaces), if any."""
    customers: dict[str, Customer] = ctx.memo(
        "customers_by_code", lambda: {c.code.strip().casefold(): c for c in reversed(ctx.workbook.customers)})
    return customers.get((order.customer or "").strip().casefold())


def ship_date(ctx: CheckContext, order: Order) -> date | None:
    """When the goods left or are planned to: B/L date, else shipment ETD, else the order's ETD."""
    for shipment in order_shipments(ctx, order.order_no):
        if shipment.bl_date or shipment.etd:
            return shipment.bl_date or shipment.etd
    return order.etd
