"""Payments before production and before release: deposit, full payment, L/C, balance, B/L release.

The payment terms decide the rule (domain.md §1): with a T/T deposit the purchase contract may go
to the factory only after the deposit arrived; with 100% T/T in advance only after full payment;
with an L/C only after the L/C was received. The balance falls due on its trigger (before
shipment, against the B/L copy, on arrival, n days after B/L), and the B/L is released only after
the balance when the terms say so.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.checks.common import (
    amount_paid_by,
    deposit_arrived,
    fully_paid_on,
    order_shipments,
    ship_date,
    total_of,
)
from gendan_xl.checks.coverage import keeps
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.models import Order
from gendan_xl.vocab import PAYMENT_TERM_CHOICES, BalanceTrigger, PaymentKind, PaymentTerms

__all__ = ["balance_due_date"]

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
CENT = Decimal("0.01")

PAYMENTS = define_family("payments", "收付款", "Payments", stage=40, status_column="delivery_status")

define_rule(
    "po-before-deposit", E, "payments",
    title=("订金未到先下采购合同", "Purchase contract before the deposit"),
    message=("{address}：采购合同 {po_issued} 已下给工厂，订金{deposit_text}",
             "{address}: purchase contract issued {po_issued}, deposit {deposit_text_en}"),
    rule="With T/T deposit terms the purchase contract may be issued only after the deposit (订金) arrived.",
    example="订单!T10: purchase contract issued 2026-09-02, deposit arrived 2026-09-07",
    action=("确认订金已到账", "make sure the deposit has arrived"),
)
define_rule(
    "po-before-full-payment", E, "payments",
    title=("全款未到先下采购合同", "Purchase contract before full payment"),
    message=("{address}：采购合同 {po_issued} 已下，但全款{paid_text}",
             "{address}: purchase contract issued {po_issued}, full payment {paid_text_en}"),
    rule="With 100% T/T in advance production starts only after the full amount arrived.",
    example="订单!T6: purchase contract issued 2026-08-10, full payment not received",
    action=("确认全款已到账", "make sure the full payment has arrived"),
)
define_rule(
    "lc-not-received", E, "payments",
    title=("未收到信用证", "L/C not received"),
    message=("{address}：信用证付款，采购合同 {po_issued} 已下，但信用证{lc_text}",
             "{address}: L/C terms, purchase contract issued {po_issued}, L/C {lc_text_en}"),
    rule="With L/C terms the purchase contract is issued only after the L/C was received and checked.",
    example="订单!T3: L/C terms, purchase contract issued 2026-10-20, L/C not received",
    action=("催客户开证并审证", "get the L/C opened and check it"),
)
define_rule(
    "balance-overdue", E, "payments",
    title=("尾款逾期", "Balance overdue"),
    message=("订单 {order_no}：尾款 {balance} {currency} 应于 {due} 前收到（{trigger}），已逾期 {days_late} 天",
             "order {order_no}: balance {balance} {currency} was due by {due} ({trigger_en}), {days_late} days late"),
    rule="The balance is due on its trigger — before shipment (ETD), the B/L copy (B/L date + grace days), "
         "arrival (ETA + grace) or n days after B/L — and is overdue when not received by then.",
    example="order GD2026-002: balance 8,694.00 GBP was due by 2026-10-12 (against B/L copy), 45 days late",
    action=("催收尾款", "collect the balance"),
)
define_rule(
    "bl-released-before-payment", E, "payments",
    title=("尾款未收先放单", "B/L released before payment"),
    message=("{address}：{released} 已放单，当时只收到 {paid} / {total} {currency}",
             "{address}: B/L released {released} with only {paid} of {total} {currency} received"),
    rule="When the terms require payment first (T/T), the B/L (original or telex release) is released only "
         "after the balance arrived.",
    example="出运!O5: B/L released 2026-10-03 with only 3,726.00 of 12,420.00 USD received",
)
define_rule(
    "credit-terms", INFO, "payments",
    title=("信用风险", "Credit risk"),
    message=("{address}：付款方式 {terms} 为赊销/托收，货款有风险，建议投保出口信用保险",
             "{address}: {terms} ships before payment is secured; consider export credit insurance"),
    rule="D/P, D/A and O/A ship goods before payment is secured: flagged for the record.",
    example="订单!L7: O/A 30 days ships before payment is secured",
)
define_rule(
    "payment-terms-unknown", W, "payments",
    title=("付款方式无法识别", "Payment terms not understood"),
    message=("{address}：付款方式“{terms}”无法识别，付款检查未做；可用：{choices}",
             "{address}: payment terms “{terms}” not understood, payment checks skipped; e.g. {choices}"),
    rule="Payment terms must name T/T (with deposit %), 100% in advance, L/C, D/P, D/A or O/A.",
    example="订单!L5: payment terms “as usual” not understood",
)
define_rule(
    "payment-terms-missing", W, "payments",
    title=("缺少付款方式", "No payment terms"),
    message=("{address}：订单 {order_no} 没有付款方式，无法检查订金和尾款",
             "{address}: order {order_no} has no payment terms; deposit and balance cannot be checked"),
    rule="An open order needs its payment terms.",
    example="订单!L12: order GD2026-012 has no payment terms",
)

_TRIGGER_TEXT = {
    BalanceTrigger.BEFORE_SHIPMENT: ("出运前", "before shipment"),
    BalanceTrigger.BL_COPY: ("见提单复印件", "against B/L copy"),
    BalanceTrigger.ARRIVAL: ("货到", "on arrival"),
    BalanceTrigger.DAYS_AFTER_BL: ("提单日后", "days after B/L"),
}


def balance_due_date(ctx: CheckContext, order: Order, terms: PaymentTerms) -> date | None:
    """When the balance falls due under ``terms``, as far as the shipment dates tell."""
    grace = timedelta(days=ctx.settings.balance_grace_days)
    shipments = order_shipments(ctx, order.order_no)
    bl_date = next((s.bl_date for s in shipments if s.bl_date), None)
    eta = next((s.eta for s in shipments if s.eta), None)
    if terms.kind is PaymentKind.OA or terms.trigger is BalanceTrigger.DAYS_AFTER_BL:
        base = bl_date or ship_date(ctx, order)
        return base + timedelta(days=terms.days or 0) if base else None
    if terms.trigger is BalanceTrigger.BEFORE_SHIPMENT:
        return ship_date(ctx, order)
    if terms.trigger is BalanceTrigger.ARRIVAL:
        return eta + grace if eta else None
    return bl_date + grace if bl_date else None


@check("payments")
def check_payments(ctx: CheckContext) -> Iterator[Finding]:
    """Money before production and before release, and the balance against its trigger."""
    for order in ctx.workbook.orders:
        if order.is_cancelled:
            continue
        where: dict[str, Any] = {"sheet": "orders", "row": order.row, "order_no": order.order_no}
        if not order.payment_terms:
            if not order.is_shipped:
                yield ctx.finding("payment-terms-missing", field="payment_terms", **where)
            continue
        terms = order.terms
        if terms is None:
            yield ctx.finding("payment-terms-unknown", field="payment_terms", **where, terms=order.payment_terms,
                              choices="; ".join(PAYMENT_TERM_CHOICES[:3]))
            continue
        total = total_of(ctx, order) or order.order_total
        yield from _before_production(ctx, order, terms, total)
        if total is not None:
            yield from _balance(ctx, order, terms, total)
        if terms.kind in (PaymentKind.DP, PaymentKind.DA, PaymentKind.OA) and not order.is_closed:
            yield ctx.finding("credit-terms", field="payment_terms", **where, terms=order.payment_terms)


def _before_production(ctx: CheckContext, order: Order, terms: PaymentTerms, total: Decimal | None
                       ) -> Iterator[Finding]:
    issued = order.po_issued
    if issued is None:
        return
    where: dict[str, Any] = {"sheet": "orders", "field": "po_issued", "row": order.row, "order_no": order.order_no,
             "po_issued": issued}
    if terms.kind is PaymentKind.TT_DEPOSIT:
        arrived = deposit_arrived(ctx, order)
        if arrived is None or arrived > issued:
            yield ctx.finding("po-before-deposit", **where, deposit_arrived=arrived,
                              deposit_text=f"{arrived} 才到账" if arrived else "尚未到账",
                              deposit_text_en=f"arrived {arrived}" if arrived else "not received")
    elif terms.kind is PaymentKind.TT_ADVANCE and total is not None:
        paid_on = fully_paid_on(ctx, order, total)
        if paid_on is None or paid_on > issued:
            yield ctx.finding("po-before-full-payment", **where, paid_on=paid_on,
                              paid_text=f"{paid_on} 才收齐" if paid_on else "尚未收齐",
                              paid_text_en=f"complete only on {paid_on}" if paid_on else "not received")
    elif terms.kind is PaymentKind.LC and (order.lc_date is None or order.lc_date > issued):
        yield ctx.finding("lc-not-received", **where, lc_date=order.lc_date,
                          lc_text=f"{order.lc_date} 才收到" if order.lc_date else "尚未收到",
                          lc_text_en=f"received only {order.lc_date}" if order.lc_date else "not received")


def _balance(ctx: CheckContext, order: Order, terms: PaymentTerms, total: Decimal) -> Iterator[Finding]:
    if terms.kind in (PaymentKind.LC, PaymentKind.DP, PaymentKind.DA):
        return  # the banks collect: there is no balance of ours to chase by date
    if not keeps(ctx.workbook, "payments"):
        return  # no payments sheet: nothing tells whether the balance came (checks-skipped says so)
    if terms.balance_before_release:
        for shipment in order_shipments(ctx, order.order_no):
            if shipment.bl_released is None:
                continue
            paid = amount_paid_by(ctx, order, shipment.bl_released)
            if paid < total - CENT:
                yield ctx.finding("bl-released-before-payment", sheet="shipments", field="bl_released",
                                  row=shipment.row, order_no=order.order_no, released=shipment.bl_released,
                                  paid=paid, total=total, currency=order.currency)
    due = balance_due_date(ctx, order, terms)
    if due is None or due >= ctx.today:
        return
    paid = amount_paid_by(ctx, order, ctx.today)
    if paid >= total - CENT:
        return
    trigger = terms.trigger or BalanceTrigger.DAYS_AFTER_BL
    zh, en = _TRIGGER_TEXT[trigger]
    yield ctx.finding("balance-overdue", sheet="orders", field="order_total", row=order.row,
                      order_no=order.order_no, due=due, balance=total - paid, currency=order.currency,
                      trigger=zh, trigger_en=en, days_late=(ctx.today - due).days)
