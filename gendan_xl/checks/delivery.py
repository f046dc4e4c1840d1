"""Deliveries and deadlines: late orders, orders at risk, and each step's deadline.

An order is **late** when its customer delivery date has passed and it has not shipped; **at
risk** when the factory's date is after the customer's, or the delivery date is within the
warning window (working days) with a step not done. Every step with a deadline (see
:mod:`gendan_xl.checks.schedule`) is its own finding: ``…-due`` inside the warning window,
``…-overdue`` once the deadline has passed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.checks.schedule import Step, is_shipped, order_steps
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.models import Order
from gendan_xl.vocab import OrderStatus

__all__ = ["DEADLINE_STEPS", "is_open"]

E, W = Severity.ERROR, Severity.WARNING
AS_OF = date(2026, 12, 2)  # the day the source below was checked
PRACTICE = "merchandiser practice (外贸跟单): deadlines counted back from the customer delivery date and the ETD"

DELIVERY = define_family("delivery", "交期", "Delivery", stage=50, status_column="delivery_status")

define_rule(
    "delivery-late", E, "delivery",
    title=("交期已过未出运", "Late"),
    message=("{address}：客户交期 {delivery_date} 已过 {days_late} 天，订单仍未出运",
             "{address}: the delivery date {delivery_date} passed {days_late} days ago and the order has not shipped"),
    rule="The customer delivery date has passed and the order is not shipped (status, or a B/L on the "
         "shipments sheet).",
    example="订单!Q5: the delivery date 2026-11-14 passed 12 days ago and the order has not shipped",
    action=("与客户协商新交期并催工厂", "agree a new date with the customer and push the factory"),
)
define_rule(
    "factory-date-after-delivery", W, "delivery",
    title=("工厂交期晚于客户交期", "Factory later than the customer date"),
    message=("{address}：工厂交期 {factory_date} 晚于客户交期 {delivery_date}",
             "{address}: the factory's date {factory_date} is after the customer's {delivery_date}"),
    rule="The factory promised the goods after the date promised to the customer: the order is at risk.",
    example="订单!V8: the factory's date 2026-12-20 is after the customer's 2026-12-15",
    action=("催工厂提前交货或与客户改期", "get the factory earlier or move the customer date"),
    at_risk=True,
)
define_rule(
    "delivery-at-risk", W, "delivery",
    title=("交期临近仍有步骤未完成", "Delivery close, steps open"),
    message=("{address}：距客户交期 {delivery_date} 只剩 {workdays} 个工作日，尚未完成：{open_steps}",
             "{address}: {workdays} working day(s) to the delivery date {delivery_date}, still open: {open_steps_en}"),
    rule="The delivery date is within the warning window (`预警天数` working days) and a step before "
         "shipment is not done.",
    example="订单!Q12: 2 working days to the delivery date 2026-11-30, still open: book space",
    at_risk=True,
)
define_rule(
    "delivery-date-missing", W, "delivery",
    title=("缺少客户交期", "No delivery date"),
    message=("{address}：订单 {order_no} 没有客户交期，无法排出各项截止日",
             "{address}: order {order_no} has no delivery date; its deadlines cannot be set"),
    rule="An open order needs a customer delivery date.",
    example="订单!Q20: order GD2026-019 has no delivery date",
)

DEADLINE_STEPS: dict[str, tuple[str, str]] = {
    "po-signback": ("采购合同回签", "purchase contract sign-back"),
    "factory-confirmation": ("工厂确认交期", "factory confirmation"),
    "booking": ("订舱", "booking"),
    "inspection": ("申请商检", "inspection application"),
    "co": ("申请产地证", "certificate of origin application"),
}
_RULE_TEXT = {
    "po-signback": "the factory signs the purchase contract back within `采购合同回签天数` (3) days of issue",
    "factory-confirmation": "confirm the delivery with the factory `工厂确认提前天数` (10) days before delivery",
    "booking": "book space `订舱提前天数` (10) days before delivery",
    "inspection": "when the goods need inspection, apply `商检最迟提前天数` (7) days before delivery at the latest",
    "co": "apply for the certificate of origin `产地证提前天数` (7) days before ETD; only when a certificate is "
          "planned (a C/O type on the shipment row or the customer's default C/O), and only as a warning, since "
          "many preferential certificates can also be issued after shipment",
}
# A missed C/O date is a warning: most certificates can still be issued after shipment (retroactively).
_OVERDUE_SEVERITY = {"co": W}
for _code, (_zh, _en) in DEADLINE_STEPS.items():
    define_rule(
        f"{_code}-due", W, "delivery",
        title=(f"{_zh}即将到期", f"{_en.capitalize()} due soon"),
        message=(f"{{address}}：{_zh}截止 {{due}}（还有 {{workdays}} 个工作日）",
                 f"{{address}}: {_en} due {{due}} ({{workdays}} working day(s) left)"),
        rule=f"Due within the warning window: {_RULE_TEXT[_code]}; a deadline on a non-working day moves to "
             "the working day before.",
        example=f"订单!Q7: {_en} due 2026-11-30 (2 working day(s) left)",
        action=(_zh, _en),
        at_risk=True,
        source=PRACTICE,
        as_of=AS_OF,
    )
    define_rule(
        f"{_code}-overdue", _OVERDUE_SEVERITY.get(_code, E), "delivery",
        title=(f"{_zh}已逾期", f"{_en.capitalize()} overdue"),
        message=(f"{{address}}：{_zh}应于 {{due}} 前完成，已逾期 {{days_late}} 天",
                 f"{{address}}: {_en} was due {{due}}, {{days_late}} days late"),
        rule=f"The deadline passed and the step is not recorded as done: {_RULE_TEXT[_code]}.",
        example=f"订单!Q7: {_en} was due 2026-11-20, 6 days late",
        action=(_zh, _en),
        at_risk=True,
        source=PRACTICE,
        as_of=AS_OF,
    )


def is_open(ctx: CheckContext, order: Order) -> bool:
    """True for an order still to be followed up: not shipped, not closed, not on hold."""
    if order.is_closed or order.status is OrderStatus.ON_HOLD:
        return False
    return not is_shipped(ctx, order)


@check("delivery")
def check_delivery(ctx: CheckContext) -> Iterator[Finding]:
    """Late and at-risk orders, and every step's deadline."""
    warning = ctx.settings.warning_days
    for order in ctx.workbook.orders:
        if not is_open(ctx, order):
            continue
        where: dict[str, Any] = {"sheet": "orders", "row": order.row, "order_no": order.order_no}
        delivery = order.delivery_date
        if delivery is None:
            yield ctx.finding("delivery-date-missing", field="delivery_date", **where)
        elif delivery < ctx.today:
            yield ctx.finding("delivery-late", field="delivery_date", **where, due=delivery,
                              delivery_date=delivery, days_late=(ctx.today - delivery).days)
        if delivery and order.factory_delivery_date and order.factory_delivery_date > delivery:
            yield ctx.finding("factory-date-after-delivery", field="factory_delivery_date", **where,
                              factory_date=order.factory_delivery_date, delivery_date=delivery)
        steps = order_steps(ctx, order)
        for step in steps:
            yield from _deadline_findings(ctx, order, step, warning)
        if delivery and ctx.today <= delivery:
            workdays = ctx.calendar.workdays_until(ctx.today, delivery)
            open_steps = [s for s in steps if not s.done and s.code != "shipment"]
            if workdays <= warning and open_steps:
                yield ctx.finding("delivery-at-risk", field="delivery_date", **where, due=delivery,
                                  delivery_date=delivery, workdays=workdays,
                                  open_steps="、".join(s.zh for s in open_steps),
                                  open_steps_en=", ".join(s.en for s in open_steps))


def _deadline_findings(ctx: CheckContext, order: Order, step: Step, warning: int) -> Iterator[Finding]:
    if step.done or step.due is None or step.code not in DEADLINE_STEPS:
        return
    where: dict[str, Any] = {"sheet": step.sheet, "field": step.field, "row": step.row, "order_no": order.order_no, "due": step.due}
    if step.due < ctx.today:
        yield ctx.finding(f"{step.code}-overdue", **where, days_late=(ctx.today - step.due).days)
        return
    workdays = ctx.calendar.workdays_until(ctx.today, step.due)
    if workdays <= warning:
        yield ctx.finding(f"{step.code}-due", **where, workdays=workdays)
