"""Per-order statuses and the next action, from the findings and the order's steps."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from gendan_xl.checks.base import CheckContext
from gendan_xl.checks.delivery import is_open
from gendan_xl.checks.report import DeliveryState, OrderSummary
from gendan_xl.checks.schedule import is_shipped, order_steps
from gendan_xl.checks.volume import order_volume, suggest_containers
from gendan_xl.fastmodel import typed_constructor
from gendan_xl.findings import RULES, Finding, Severity, status_text, worst_severity
from gendan_xl.models import Order
from gendan_xl.vocab import OrderStatus

__all__ = ["summarize_orders"]



def summarize_orders(ctx: CheckContext, findings: Iterable[Finding]) -> list[OrderSummary]:
    """One summary per order (first row of a duplicated order number), in sheet order."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.order_no:
            grouped[finding.order_no].append(finding)
    summaries: list[OrderSummary] = []
    seen: set[str] = set()
    for order in ctx.workbook.orders:
        if order.order_no in seen:
            continue
        seen.add(order.order_no)
        summaries.append(_summarize(ctx, order, grouped.get(order.order_no, [])))
    return summaries


def _column_status(findings: list[Finding], status_column: str) -> str:
    return status_text(f for f in findings if RULES[f.code].family.status_column == status_column)


def _delivery_state(ctx: CheckContext, order: Order, findings: list[Finding]) -> DeliveryState:
    if order.is_cancelled:
        return DeliveryState.CANCELLED
    if is_shipped(ctx, order):
        return DeliveryState.SHIPPED
    if order.status is OrderStatus.ON_HOLD:
        return DeliveryState.ON_HOLD
    if any(f.code == "delivery-late" for f in findings):
        return DeliveryState.LATE
    if order.delivery_date is None:
        return DeliveryState.NO_DATE
    if any(RULES[f.code].at_risk for f in findings):
        return DeliveryState.AT_RISK
    return DeliveryState.ON_TIME


def _next_action(ctx: CheckContext, order: Order, findings: list[Finding]) -> tuple[str, str, date | None]:
    actionable = [f for f in findings if RULES[f.code].action and f.severity is not Severity.INFO]
    if actionable:
        best = min(actionable, key=lambda f: (f.due or ctx.today, f.severity.rank, RULES[f.code].family.stage))
        zh, en = RULES[best.code].action or ("", "")
        return zh, en, best.due
    if not is_open(ctx, order):
        return "", "", None
    pending = [s for s in order_steps(ctx, order) if not s.done]
    if not pending:
        return "", "", None
    step = min(pending, key=lambda s: (s.due is not None, s.due or ctx.today))
    return step.zh, step.en, step.due


def _summarize(ctx: CheckContext, order: Order, findings: list[Finding]) -> OrderSummary:
    zh, en, due = _next_action(ctx, order, findings)
    # Cartons, CBM and a container are for planning: shipped and closed orders have theirs on the B/L.
    lines = ctx.workbook.lines_by_order.get(order.order_no, []) if is_open(ctx, order) else []
    volume = order_volume(lines)
    worst = worst_severity(findings, counting_info=True)
    return _new_summary({
        "order_no": order.order_no, "row": order.row, "price_check": _column_status(findings, "price_check"),
        "amount_check": _column_status(findings, "amount_check"), "delivery": _delivery_state(ctx, order, findings),
        "next_action_zh": zh, "next_action_en": en, "next_due": due, "cartons": volume.cartons,
        "cbm": f"{volume.cbm:.3f}" if volume.cartons else "",
        "gross_kg": f"{volume.gross_kg:.1f}" if volume.cartons else "",
        "container": suggest_containers(volume, ctx.settings), "worst": worst,
    })


# Every value above has its field's type; one summary per order of a 20,000-order workbook.
_new_summary = typed_constructor(OrderSummary)
