"""The collection schedule of an order: when each instalment of its payment terms falls due, and how much.

The parsed terms (:class:`gendan_xl.vocab.PaymentTerms`) name the instalments; this module puts
figures and dates on them from the workbook. An instalment falls due on its trigger:

- before production (deposit, 100% in advance): no date — the purchase contract waits for it;
- before shipment: the sailing date (B/L date, else ETD);
- against the B/L copy: the B/L date plus `尾款宽限天数` (7);
- n days after B/L (``T/T 60 days after B/L``, O/A): the B/L date plus n, no grace — credit terms;
- on arrival: the ETA plus the grace days; n days after arrival: the ETA plus n;
- against documents (CAD, D/P): the day the documents were presented plus n and the grace days;
- D/A: the maturity on the acceptance advice, else the acceptance date plus n;
- under an L/C: no date here — the bank pays against the presentation (see ``documentary``).

What must have arrived by an instalment's due date is the cumulative amount of it and every
instalment before it, so a missed deposit also shows when the balance falls due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from gendan_xl.checks.base import CheckContext
from gendan_xl.checks.common import order_shipments, settlement, ship_date
from gendan_xl.models import Order, round_money
from gendan_xl.vocab import Instalment, PaymentTerms, Trigger

__all__ = ["ScheduledInstalment", "balance_due_date", "due_date", "instalment_schedule"]


@dataclass(frozen=True, slots=True)
class ScheduledInstalment:
    """One instalment with its figures: the amount, what must have arrived by its due date, and that date.

    ``amount`` and ``cumulative`` are None while a share is unknown (``T/T deposit, balance …``
    without a Deposit %); the last instalment's cumulative is always the order total. ``due`` is
    None when the trigger gives no date or its event has not happened yet.
    """

    instalment: Instalment
    amount: Decimal | None
    cumulative: Decimal | None
    due: date | None


def _first(values: list[date | None]) -> date | None:
    return next((v for v in values if v is not None), None)


def due_date(ctx: CheckContext, order: Order, instalment: Instalment) -> date | None:
    """When ``instalment`` of ``order`` falls due, as far as the shipment rows tell."""
    shipments = order_shipments(ctx, order.order_no)
    grace = timedelta(days=ctx.settings.balance_grace_days)
    days = timedelta(days=instalment.days)
    trigger = instalment.trigger
    if trigger is Trigger.BEFORE_SHIPMENT:
        return ship_date(ctx, order)
    if trigger is Trigger.BL_COPY:
        bl_date = _first([s.bl_date for s in shipments])
        return bl_date + grace if bl_date else None
    if trigger is Trigger.AFTER_BL:
        base = _first([s.bl_date for s in shipments]) or ship_date(ctx, order)
        return base + days if base else None
    if trigger is Trigger.ARRIVAL:
        eta = _first([s.eta for s in shipments])
        return eta + (days if instalment.days else grace) if eta else None
    if trigger is Trigger.DOCUMENTS:
        presented = _first([s.documents_presented for s in shipments])
        return presented + days + grace if presented else None
    if trigger is Trigger.ACCEPTANCE:
        maturity = _first([s.maturity_date for s in shipments])
        accepted = _first([s.documents_accepted for s in shipments])
        return maturity or (accepted + days if accepted else None)
    return None  # before production, or under the L/C


def instalment_schedule(ctx: CheckContext, order: Order, terms: PaymentTerms, total: Decimal
                        ) -> list[ScheduledInstalment]:
    """Every instalment of ``order`` with its amount, the cumulative amount due by then, and its due date.

    Amounts are rounded half-up to cents; the last takes what the others leave, so they add up
    to ``total`` exactly.
    """
    shares = terms.shares(order.deposit_pct)
    schedule: list[ScheduledInstalment] = []
    running: Decimal | None = Decimal(0)
    last = len(terms.instalments) - 1
    for index, (instalment, share) in enumerate(zip(terms.instalments, shares, strict=True)):
        if index == last:
            amount = total - running if running is not None and share is not None else None
            running = total
        elif share is None or running is None:
            amount, running = None, None
        else:
            amount = round_money(total * share)
            running += amount
        schedule.append(ScheduledInstalment(instalment, amount, running, due_date(ctx, order, instalment)))
    return schedule


def balance_due_date(ctx: CheckContext, order: Order, terms: PaymentTerms, total: Decimal | None = None
                     ) -> date | None:
    """The due date of the first dated instalment not yet covered by the money received as of today."""
    if total is None:
        total = order.order_total
    if total is None:
        return None
    for item in instalment_schedule(ctx, order, terms, total):
        if item.due is None or item.cumulative is None:
            continue
        if not settlement(ctx, order, item.cumulative, ctx.today).covered:
            return item.due
    return None
