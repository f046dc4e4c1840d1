"""Amounts: line amounts, order totals, deposits and payments against what is due.

All arithmetic is Decimal. A line amount is qty × unit price rounded half-up to cents; an
order total is the sum of its rounded line amounts (domain.md §3).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.checks.common import bank_charge_tolerance, line_amounts, order_payments, total_of
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.models import Order, round_money

__all__: list[str] = []

E, W = Severity.ERROR, Severity.WARNING
CENT = Decimal("0.01")

AMOUNTS = define_family("amounts", "金额", "Amounts", stage=30, status_column="amount_check")

define_rule(
    "line-amount-mismatch", E, "amounts",
    title=("金额≠数量×单价", "Amount ≠ qty × price"),
    message=("{address}：金额 {amount} 应为 {qty} × {unit_price} = {expected}（差 {difference}）",
             "{address}: amount {amount} should be {qty} × {unit_price} = {expected} (off by {difference})"),
    rule="A line's amount must equal quantity × unit price, rounded half-up to cents.",
    example="订单明细!I31: amount 4170.00 should be 1200 × 3.10 = 3720.00 (off by 450.00)",
    action=("更正明细金额", "correct the line amount"),
)
define_rule(
    "order-total-mismatch", E, "amounts",
    title=("订单金额≠明细合计", "Order total ≠ sum of lines"),
    message=("{address}：订单金额 {total} 与明细合计 {expected} 不符（差 {difference}）",
             "{address}: order total {total} differs from the sum of its lines {expected} (off by {difference})"),
    rule="The order total must equal the sum of the lines' qty × unit price, each rounded to cents.",
    example="订单!AA14: order total 13,420.00 differs from the sum of its lines 12,420.00 (off by 1,000.00)",
    action=("更正订单金额", "correct the order total"),
)
define_rule(
    "deposit-amount-mismatch", W, "amounts",
    title=("订金金额不符", "Deposit amount differs"),
    message=("{address}：订金到账 {received}，应为 {total} × {deposit_pct}% = {expected}",
             "{address}: deposit received {received}, due {total} × {deposit_pct}% = {expected}"),
    rule="The deposit received must equal order total × deposit %, rounded to cents (more than due is fine); "
         "less by no more than the bank-charge tolerance of the currency (`银行费用容差`) counts as received.",
    example="订单!O9: deposit received 2,000.00, due 12,420.00 × 30% = 3,726.00",
    action=("向客户追收订金差额", "ask the customer for the rest of the deposit"),
)
define_rule(
    "payments-exceed-total", W, "amounts",
    title=("收款超过订单金额", "Payments exceed the total"),
    message=("订单 {order_no}：收款合计 {paid} 超过订单金额 {total}（多 {difference}）",
             "order {order_no}: payments {paid} exceed the order total {total} by {difference}"),
    rule="The payments recorded for an order add up to more than its total: a wrong order no. or a double entry.",
    example="order GD2026-012: payments 15,000.00 exceed the order total 12,420.00 by 2,580.00",
)
define_rule(
    "payment-currency-differs", W, "amounts",
    title=("收款币种不同", "Payment in another currency"),
    message=("{address}：收款币种 {currency} 与订单币种 {order_currency} 不同",
             "{address}: payment in {currency}, the order is in {order_currency}"),
    rule="A payment's currency differs from its order's; it is not counted against the order.",
    example="收款!D7: payment in CNY, the order is in USD",
)


@check("amounts")
def check_amounts(ctx: CheckContext) -> Iterator[Finding]:
    """Line amounts, order totals, deposit amounts, payments against totals."""
    workbook = ctx.workbook
    for line, expected in zip(workbook.lines, line_amounts(ctx), strict=True):
        if expected is not None and line.amount is not None and abs(line.amount - expected) >= CENT:
            yield ctx.finding("line-amount-mismatch", sheet="lines", field="amount", row=line.row,
                              order_no=line.order_no, amount=line.amount, qty=line.qty, unit_price=line.unit_price,
                              expected=expected, difference=round_money(line.amount - expected))
    for order in workbook.orders:
        total = total_of(ctx, order)
        if total is None or order.is_cancelled:
            continue
        if order.order_total is not None and abs(order.order_total - total) >= CENT:
            yield ctx.finding("order-total-mismatch", sheet="orders", field="order_total", row=order.row,
                              order_no=order.order_no, total=order.order_total, expected=total,
                              difference=round_money(order.order_total - total))
        yield from _deposit(ctx, order, total)
        yield from _payments(ctx, order, total)


def _deposit(ctx: CheckContext, order: Order, total: Decimal) -> Iterator[Finding]:
    share = order.deposit_share
    if order.deposit_amount is None or share is None or share <= 0:
        return
    expected = round_money(total * share)
    # the deposit column holds what was credited: one remittance, short by at most the bank charges
    if order.deposit_amount < expected - max(CENT, bank_charge_tolerance(ctx, order.currency)):
        yield ctx.finding("deposit-amount-mismatch", sheet="orders", field="deposit_amount", row=order.row,
                          order_no=order.order_no, received=order.deposit_amount, total=total,
                          deposit_pct=(share * 100).normalize(), expected=expected)


def _payments(ctx: CheckContext, order: Order, total: Decimal) -> Iterator[Finding]:
    counted = order_payments(ctx, order)
    counted_rows = {p.row for p in counted}
    for payment in order_payments(ctx, order, any_currency=True):
        if payment.row not in counted_rows:
            yield ctx.finding("payment-currency-differs", sheet="payments", field="currency", row=payment.row,
                              order_no=order.order_no, currency=payment.currency, order_currency=order.currency)
    paid = sum((p.amount for p in counted), Decimal(0))
    if counted and paid > total + CENT:
        yield ctx.finding("payments-exceed-total", sheet="payments", field="amount", row=counted[-1].row,
                          order_no=order.order_no, paid=paid, total=total, difference=round_money(paid - total))
