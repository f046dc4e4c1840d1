"""Complaints (客诉): open complaints as next actions, and the factory quality statistics they feed.

An open complaint (no 结案日) is a to-do of its order: it comes up in the order's next action with
the deadline `客诉处理天数` days after it came in. :func:`quality_stats` counts complaints, claims
and agreed amounts per factory or per item against what was shipped (orders per factory, order
lines and quantities per item), for the notebook's frames (:mod:`gendan_xl.analysis`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any, Literal

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.checks.schedule import is_shipped
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.lifecycle import (
    COMPLAINT_TYPE_CHOICES,
    RESOLUTION_CHOICES,
    ComplaintType,
    normalize_complaint_type,
    normalize_resolution,
)
from gendan_xl.models import Complaint, Order, Workbook
from gendan_xl.vocab import normalize_currency

__all__ = ["QualityRow", "complaint_factory", "quality_stats"]

W = Severity.WARNING
COMPLAINTS = define_family("complaints", "客诉", "Complaints", stage=90, status_column="delivery_status")

define_rule(
    "complaint-open", W, COMPLAINTS,
    title=("客诉未结案", "Open complaint"),
    message=("{address}：订单 {order_no} 的客诉{complaint_no}（{type_zh}，{opened} 收到）尚未结案{claim}",
             "{address}: the complaint{complaint_no} on order {order_no} ({type_en}, received {opened}) is still open"
             "{claim_en}"),
    rule="A complaint without a closing date (结案日) is open: it is settled (rework, re-produce, discount, return) "
         "and closed within `客诉处理天数` days (14) of coming in; until then it is the order's next action.",
    example="客诉!D4：订单 GD2026-012 的客诉 C-2026-07（质量 Quality，2026-11-18 收到）尚未结案，索赔 USD 1,200.00",
    action=("处理客诉并结案", "settle the complaint and close it"),
)
define_rule(
    "complaint-closed-unsettled", W, COMPLAINTS,
    title=("客诉结案未写处理方式", "Closed complaint without a resolution"),
    message=("{address}：客诉{complaint_no}已于 {closed} 结案，但没有写处理方式",
             "{address}: the complaint{complaint_no} was closed on {closed} without a resolution"),
    rule="A closed complaint says how it was settled (返工 Rework, 重做 Re-produce, 折扣 Discount, 退货 Return, "
         "不接受 Declined): the factory quality statistics count resolutions.",
    example="客诉!H6：客诉 C-2026-03 已于 2026-10-30 结案，但没有写处理方式",
)
define_rule(
    "complaint-value-unknown", W, COMPLAINTS,
    title=("客诉信息无法识别", "Complaint entry not understood"),
    message=("{address}：{column_zh}“{value}”无法识别（可填 {choices}）",
             "{address}: {column_en} “{value}” is not understood ({choices})"),
    rule="Complaint types, resolutions and currencies are words from the drop-downs (质量 Quality, 返工 Rework, USD …; "
         "短装, 破损, credit note … are understood too).",
    example="客诉!E5：客诉类型“其它问题”无法识别（可填 质量 Quality / 数量 Quantity / …）",
)
define_rule(
    "complaint-without-order", W, COMPLAINTS,
    title=("客诉找不到订单", "Complaint without an order"),
    message=("{address}：订单号 {order_no} 不在订单表中", "{address}: order no. {order_no} is not on the orders sheet"),
    rule="Every complaint's order no. must exist on the orders sheet.",
    example="客诉!B9: order no. GD2026-099 is not on the orders sheet",
)


@check("complaints")
def check_complaints(ctx: CheckContext) -> Iterator[Finding]:
    """Open complaints (next actions), closed ones without a resolution, unknown entries and orders."""
    orders = ctx.workbook.orders_by_no
    days = timedelta(days=ctx.settings.complaint_days)
    for complaint in ctx.workbook.complaints:
        order = orders.get(complaint.order_no)
        where: dict[str, Any] = {"sheet": "complaints", "row": complaint.row, "order_no": complaint.order_no,
                                 "complaint_no": f" {complaint.complaint_no}" if complaint.complaint_no else ""}
        if order is None:
            yield ctx.finding("complaint-without-order", field="order_no", **where)
        yield from _unknown_values(ctx, complaint, where)
        kind = normalize_complaint_type(complaint.complaint_type) if complaint.complaint_type else None
        if complaint.closed_date is None:
            zh, en = _claim(complaint, order)
            if kind is not None:
                type_zh, type_en = kind.label, kind.label.split(" ", 1)[1]
            else:
                type_zh = type_en = complaint.complaint_type or "—"
            yield ctx.finding("complaint-open", field="closed_date", **where, due=complaint.complaint_date + days,
                              opened=complaint.complaint_date, type_zh=type_zh, type_en=type_en, claim=zh, claim_en=en)
        elif not complaint.resolution:
            yield ctx.finding("complaint-closed-unsettled", field="resolution", **where, closed=complaint.closed_date)


def _claim(complaint: Complaint, order: Order | None) -> tuple[str, str]:
    if complaint.claim_amount is None:
        return "", ""
    currency = complaint.currency or (order.currency if order else None) or ""
    amount = f"{currency} {complaint.claim_amount:,.2f}".strip()
    return f"，索赔 {amount}", f"; claim {amount}"


def _unknown_values(ctx: CheckContext, complaint: Complaint, where: dict[str, Any]) -> Iterator[Finding]:
    if complaint.complaint_type and normalize_complaint_type(complaint.complaint_type) is None:
        yield ctx.finding("complaint-value-unknown", field="complaint_type", **where, value=complaint.complaint_type,
                          column_zh="客诉类型", column_en="complaint type", choices=" / ".join(COMPLAINT_TYPE_CHOICES))
    if complaint.resolution and normalize_resolution(complaint.resolution) is None:
        yield ctx.finding("complaint-value-unknown", field="resolution", **where, value=complaint.resolution,
                          column_zh="处理方式", column_en="resolution", choices=" / ".join(RESOLUTION_CHOICES))
    if complaint.currency and normalize_currency(complaint.currency) is None:
        yield ctx.finding("complaint-value-unknown", field="currency", **where, value=complaint.currency,
                          column_zh="币种", column_en="currency", choices="USD / EUR / CNY …")


def complaint_factory(complaint: Complaint, order: Order | None) -> str | None:
    """The factory a complaint is counted against: its own 责任工厂, else the order's factory."""
    return (complaint.factory or (order.factory if order else None) or "").strip() or None


@dataclass
class QualityRow:
    """Complaint statistics of one factory or item against what was shipped.

    ``shipped`` counts orders shipped (per factory) or order lines shipped (per item); ``rate`` is
    complaints per shipped order or line (None when nothing was shipped). Money is per currency.
    """

    key: str
    shipped: int = 0
    shipped_qty: Decimal = Decimal(0)
    complaints: int = 0
    open: int = 0
    types: Counter[str] = field(default_factory=Counter)
    resolutions: Counter[str] = field(default_factory=Counter)
    claimed: dict[str, Decimal] = field(default_factory=dict)
    agreed: dict[str, Decimal] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        """Complaints per shipped order (factory) or order line (item)."""
        return self.complaints / self.shipped if self.shipped else None


def quality_stats(ctx: CheckContext, by: Literal["factory", "item"] = "factory") -> list[QualityRow]:
    """Complaints, claims and complaint rates per factory or per item, the most complained-about first."""
    workbook = ctx.workbook
    rows: dict[str, QualityRow] = {}

    def row(key: str) -> QualityRow:
        folded = key.casefold()
        if folded not in rows:
            rows[folded] = QualityRow(key)
        return rows[folded]

    seen: set[str] = set()
    for order in workbook.orders:
        if order.order_no in seen or not is_shipped(ctx, order):
            continue
        seen.add(order.order_no)
        if by == "factory":
            if order.factory and order.factory.strip():
                row(order.factory.strip()).shipped += 1
            continue
        for line in workbook.lines_by_order.get(order.order_no, []):
            target = row(line.item_no.strip())
            target.shipped += 1
            target.shipped_qty += line.qty or 0
    orders = workbook.orders_by_no
    for complaint in workbook.complaints:
        of = orders.get(complaint.order_no)
        key = complaint_factory(complaint, of) if by == "factory" else _complaint_item(complaint, workbook)
        target = row(key or "—")
        target.complaints += 1
        target.open += complaint.closed_date is None
        kind = normalize_complaint_type(complaint.complaint_type) if complaint.complaint_type else None
        target.types[(kind or ComplaintType.OTHER).value] += 1
        resolution = normalize_resolution(complaint.resolution) if complaint.resolution else None
        if resolution is not None:
            target.resolutions[resolution.value] += 1
        currency = normalize_currency(complaint.currency or "") or (of.currency if of else None) or "—"
        for amount, bucket in ((complaint.claim_amount, target.claimed), (complaint.agreed_amount, target.agreed)):
            if amount is not None:
                bucket[currency] = bucket.get(currency, Decimal(0)) + amount
    return sorted(rows.values(), key=lambda r: (-r.complaints, -(r.rate or 0), r.key))


def _complaint_item(complaint: Complaint, workbook: Workbook) -> str | None:
    """The item a complaint is about: its own item no., else the order's only item."""
    if complaint.item_no and complaint.item_no.strip():
        return complaint.item_no.strip()
    lines = workbook.lines_by_order.get(complaint.order_no, [])
    return lines[0].item_no.strip() if len({line.item_no for line in lines}) == 1 else None
