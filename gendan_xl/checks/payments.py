"""Payments before production and before release: deposit, full payment, L/C, instalments, B/L release.

The payment terms decide the rule (domain.md §1): with a T/T deposit the purchase contract may go
to the factory only after the deposit arrived; with 100% T/T in advance only after full payment;
with an L/C only after the L/C was received (after the deposit too, for ``30% deposit, 70% L/C``).
Each instalment falls due on its trigger (:mod:`gendan_xl.checks.instalments`). The B/L is released
only after the money due before release (deposit, before shipment, against B/L copy); credit terms
(``T/T 60 days after B/L``, O/A, after arrival, D/P, D/A, CAD) release it before payment by design.
Every comparison allows for bank charges (:mod:`gendan_xl.checks.common`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.checks.common import (
    Settlement,
    bank_charge_tolerance,
    deposit_arrived,
    deposit_due,
    order_shipments,
    remittances,
    settlement,
    total_of,
)
from gendan_xl.checks.coverage import keeps
from gendan_xl.checks.instalments import instalment_schedule
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.models import Order, round_money
from gendan_xl.vocab import PAYMENT_TERM_EXAMPLES, Instalment, PaymentTerms, Trigger

__all__: list[str] = []

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
CENT = Decimal("0.01")
AS_OF = date(2026, 12, 2)  # the day the sources below were checked
PRACTICE = "merchandiser practice (外贸跟单): the payment terms decide what must arrive before production and release"

PAYMENTS = define_family("payments", "收付款", "Payments", stage=40, status_column="delivery_status")

define_rule(
    "po-before-deposit", E, "payments",
    title=("订金未到先下采购合同", "Purchase contract before the deposit"),
    message=("{address}：采购合同 {po_issued} 已下给工厂，订金{deposit_text}",
             "{address}: purchase contract issued {po_issued}, deposit {deposit_text_en}"),
    rule="With T/T deposit terms the purchase contract may be issued only after the deposit (订金) arrived: "
         "order total × deposit %, less at most the bank-charge tolerance per remittance (not just any first "
         "payment).",
    example="订单!T10: purchase contract issued 2026-09-02, deposit arrived 2026-09-07",
    action=("确认订金已到账", "make sure the deposit has arrived"),
    source=PRACTICE,
    as_of=AS_OF,
)
define_rule(
    "po-before-full-payment", E, "payments",
    title=("全款未到先下采购合同", "Purchase contract before full payment"),
    message=("{address}：采购合同 {po_issued} 已下，但全款{paid_text}",
             "{address}: purchase contract issued {po_issued}, full payment {paid_text_en}"),
    rule="With 100% T/T in advance production starts only after the full amount arrived (less at most the "
         "bank-charge tolerance per remittance).",
    example="订单!T6: purchase contract issued 2026-08-10, full payment not received",
    action=("确认全款已到账", "make sure the full payment has arrived"),
    source=PRACTICE,
    as_of=AS_OF,
)
define_rule(
    "lc-not-received", E, "payments",
    title=("未收到信用证", "L/C not received"),
    message=("{address}：信用证付款，采购合同 {po_issued} 已下，但信用证{lc_text}",
             "{address}: L/C terms, purchase contract issued {po_issued}, L/C {lc_text_en}"),
    rule="With L/C terms the purchase contract is issued only after the L/C was received and checked (with "
         "`30% deposit, 70% L/C` after the deposit as well).",
    example="订单!T3: L/C terms, purchase contract issued 2026-10-20, L/C not received",
    action=("催客户开证并审证", "get the L/C opened and check it"),
    source=PRACTICE,
    as_of=AS_OF,
)
define_rule(
    "balance-overdue", E, "payments",
    title=("尾款逾期", "Balance overdue"),
    message=("订单 {order_no}：{balance} {currency} 应于 {due} 前收到（{trigger}），已逾期 {days_late} 天",
             "order {order_no}: {balance} {currency} was due by {due} ({trigger_en}), {days_late} days late"),
    rule="Each instalment of the payment terms falls due on its trigger: before shipment (ETD), against the B/L "
         "copy (B/L date + `尾款宽限天数`), n days after B/L (B/L date + n), on arrival (ETA + grace), n days "
         "after arrival (ETA + n), against documents (presented + n + grace), D/A at maturity. The money due by "
         "then (that instalment and all before it) is overdue when it has not arrived, allowing for bank charges.",
    example="order GD2026-002: 8,694.00 GBP was due by 2026-10-12 (against B/L copy), 45 days late",
    action=("催收尾款", "collect the balance"),
)
define_rule(
    "bl-released-before-payment", E, "payments",
    title=("尾款未收先放单", "B/L released before payment"),
    message=("{address}：{released} 已放单，当时只收到 {paid} / 放单前应收 {required} {currency}",
             "{address}: B/L released {released} with only {paid} of the {required} {currency} due before release"),
    rule="The money the terms require before release — deposit, before shipment, against B/L copy — must have "
         "arrived (allowing for bank charges) before the B/L (original or telex) is released. Credit terms "
         "(n days after B/L, O/A, after arrival, CAD, D/P, D/A) release it before payment by design.",
    example="出运!O5: B/L released 2026-10-03 with only 3,726.00 of the 12,420.00 USD due before release",
    source=PRACTICE,
    as_of=AS_OF,
)
define_rule(
    "bank-charges-deducted", INFO, "payments",
    title=("银行扣费", "Bank charges deducted"),
    message=("订单 {order_no}：收到 {received}，应收 {expected} {currency}，少 {short}，在银行费用容差内"
             "（每笔 {tolerance}），按已收齐处理",
             "order {order_no}: received {received} of {expected} {currency}; the {short} short is within the "
             "bank-charge tolerance ({tolerance} per remittance) and counted as paid"),
    rule="T/T remittances arrive short by the charges of intermediary and receiving banks (SHA/BEN, typically "
         "tens of US dollars). A shortfall of at most `银行费用容差` per remittance (charges not recorded in the "
         "Bank Charges column) counts as paid; it is noted here with the amount. A larger shortfall stays unpaid.",
    example="order GD2026-031: received 12,395.00 of 12,420.00 USD; the 25.00 short is within the bank-charge "
            "tolerance (50 per remittance) and counted as paid",
    source="Bank practice for SHA/BEN transfers (SWIFT MT103 field 71A: charges borne by the beneficiary)",
    as_of=AS_OF,
)
define_rule(
    "credit-terms", INFO, "payments",
    title=("信用风险", "Credit risk"),
    message=("{address}：付款方式 {terms} 为赊销/托收，货物先于收款放行，建议投保出口信用保险",
             "{address}: {terms} releases the goods before payment is secured; consider export credit insurance"),
    rule="Credit and collection terms — n days after B/L, after arrival, O/A, CAD, D/P, D/A — release the goods "
         "(the B/L) before payment is secured: flagged for the record, not an error.",
    example="订单!L7: O/A 30 days releases the goods before payment is secured",
    source="merchandiser practice (外贸跟单): credit and collection terms are a credit risk, usually covered by "
           "export credit insurance",
    as_of=AS_OF,
)
define_rule(
    "payment-terms-unknown", W, "payments",
    title=("付款方式无法识别", "Payment terms not understood"),
    message=("{address}：付款方式“{terms}”无法识别，付款检查未做；可写作：{choices}",
             "{address}: payment terms “{terms}” not understood, payment checks skipped; write them as: {choices}"),
    rule="Payment terms must name their instalments: T/T with a deposit %, in advance, before shipment, against "
         "B/L copy, n days after B/L, on / n days after arrival; L/C, D/P, D/A, CAD, O/A; shares must add up to "
         "100%. The message lists forms that are understood.",
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


def _trigger_text(instalment: Instalment) -> tuple[str, str]:
    """How the terms name an instalment's trigger, in Chinese and English."""
    days = instalment.days
    texts: dict[Trigger, tuple[str, str]] = {
        Trigger.ORDER: ("订金/预付", "before production"),
        Trigger.BEFORE_SHIPMENT: ("出运前", "before shipment"),
        Trigger.BL_COPY: ("见提单复印件", "against B/L copy"),
        Trigger.AFTER_BL: (f"提单日后 {days} 天", f"{days} days after B/L"),
        Trigger.ARRIVAL: (f"到港后 {days} 天", f"{days} days after arrival") if days else ("货到付款", "on arrival"),
        Trigger.DOCUMENTS: ("见单付款", "against documents"),
        Trigger.ACCEPTANCE: ("承兑到期", "at maturity (D/A)"),
        Trigger.CREDIT: ("信用证", "under the L/C"),
    }
    return texts[instalment.trigger]


@check("payments")
def check_payments(ctx: CheckContext) -> Iterator[Finding]:
    """Money before production and before release, each instalment against its due date, bank charges."""
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
                              choices="; ".join(PAYMENT_TERM_EXAMPLES))
            continue
        total = total_of(ctx, order) or order.order_total
        yield from _before_production(ctx, order, terms)
        # Without a payments sheet nothing tells whether the balance came (checks-skipped says so once).
        if total is not None and keeps(ctx.workbook, "payments"):
            yield from _release(ctx, order, terms, total)
            paid = settlement(ctx, order, total, ctx.today)
            if not paid.covered:
                yield from _overdue(ctx, order, terms, total)
            elif paid.short >= CENT:
                yield _charges(ctx, order, paid)
        if terms.ships_on_credit and not order.is_closed:
            yield ctx.finding("credit-terms", field="payment_terms", **where, terms=order.payment_terms)


def _before_production(ctx: CheckContext, order: Order, terms: PaymentTerms) -> Iterator[Finding]:
    issued = order.po_issued
    if issued is None:
        return
    where: dict[str, Any] = {"sheet": "orders", "field": "po_issued", "row": order.row, "order_no": order.order_no,
                             "po_issued": issued}
    due = deposit_due(ctx, order)
    if terms.payment_before_production and due != 0:
        arrived = deposit_arrived(ctx, order)
        if arrived is None or arrived > issued:
            total = total_of(ctx, order) or order.order_total
            if due is not None and total is not None and due >= total:
                yield ctx.finding("po-before-full-payment", **where, paid_on=arrived,
                                  paid_text=f"{arrived} 才收齐" if arrived else "尚未收齐",
                                  paid_text_en=f"complete only on {arrived}" if arrived else "not received")
            else:
                yield ctx.finding("po-before-deposit", **where, deposit_arrived=arrived,
                                  deposit_text=f"{arrived} 才到账" if arrived else "尚未到账",
                                  deposit_text_en=f"arrived {arrived}" if arrived else "not received")
    if terms.lc is not None and (order.lc_date is None or order.lc_date > issued):
        yield ctx.finding("lc-not-received", **where, lc_date=order.lc_date,
                          lc_text=f"{order.lc_date} 才收到" if order.lc_date else "尚未收到",
                          lc_text_en=f"received only {order.lc_date}" if order.lc_date else "not received")


def _due_before_release(order: Order, terms: PaymentTerms, total: Decimal) -> Decimal | None:
    """The money the terms require before the B/L is released; None when a share it needs is unknown."""
    shares = terms.shares(order.deposit_pct)
    before = [share for share, i in zip(shares, terms.instalments, strict=True) if i.before_release]
    if not before:
        return Decimal(0)
    if len(before) == len(shares):
        return total
    if None in before:
        return None
    return round_money(total * sum((s for s in before if s is not None), Decimal(0)))


def _release(ctx: CheckContext, order: Order, terms: PaymentTerms, total: Decimal) -> Iterator[Finding]:
    released = [s for s in order_shipments(ctx, order.order_no) if s.bl_released is not None]
    required = _due_before_release(order, terms, total) if released else None
    if not required:
        return
    for shipment in released:
        assert shipment.bl_released is not None
        paid = settlement(ctx, order, required, shipment.bl_released)
        if not paid.covered:
            yield ctx.finding("bl-released-before-payment", sheet="shipments", field="bl_released",
                              row=shipment.row, order_no=order.order_no, released=shipment.bl_released,
                              paid=paid.received, required=required, total=total, currency=order.currency)


def _overdue(ctx: CheckContext, order: Order, terms: PaymentTerms, total: Decimal) -> Iterator[Finding]:
    """The latest instalment past its due date whose money (with all before it) has not arrived."""
    late = None
    for item in instalment_schedule(ctx, order, terms, total):
        if item.due is None or item.cumulative is None or item.due >= ctx.today:
            continue
        paid = settlement(ctx, order, item.cumulative, ctx.today)
        if not paid.covered:
            late = (item, paid.short)
    if late is None:
        return
    item, balance = late
    assert item.due is not None
    zh, en = _trigger_text(item.instalment)
    yield ctx.finding("balance-overdue", sheet="orders", field="order_total", row=order.row,
                      order_no=order.order_no, due=item.due, balance=balance, currency=order.currency,
                      trigger=zh, trigger_en=en, days_late=(ctx.today - item.due).days)


def _charges(ctx: CheckContext, order: Order, paid: Settlement) -> Finding:
    """The info finding of an order that counts as paid although the banks took something off."""
    last = remittances(ctx, order)[-1]
    return ctx.finding("bank-charges-deducted", sheet="payments" if last.row else "orders",
                       field="amount" if last.row else "deposit_amount", row=last.row or order.row,
                       order_no=order.order_no, received=paid.received, expected=paid.due, short=paid.short,
                       tolerance=bank_charge_tolerance(ctx, order.currency), currency=order.currency)
