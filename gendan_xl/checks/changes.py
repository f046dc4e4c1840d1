"""Changes and cancellations (改单 / 取消): confirmations, the revised purchase contract, what a cancellation leaves open.

The changes are the rows of the change log (改单记录), kept by the merchandiser, plus the ones
gendan_xl *detects*: an order whose figures differ from the latest snapshot of it — the one a
logged document was made from (单证记录) or the one kept on a change-log row gendan_xl added —
has changed since, aspect by aspect (see :mod:`gendan_xl.checks.snapshots`). A detected change
not yet on the change log is reported (info) and ``gendan check --write`` records it there; a row
of the same aspect dated on or after the snapshot counts as recorded.

Every change (recorded or detected) of something the factory works to (items, quantities,
purchase prices, packing, the factory date) made after the purchase contract needs a revised
contract signed back (工厂确认); one the customer agreed to (items, quantities, prices, packing,
dates, ports, incoterm, payment) needs the customer's written confirmation (客户确认), unless the
customer asked for it. A cancelled order's purchase contract, booking and any goods made are
closed on the change log's 取消 row: the factory's, the forwarder's and (for goods) both the
customer's and the factory's confirmation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.checks.common import order_shipments
from gendan_xl.checks.coverage import keeps
from gendan_xl.checks.schedule import is_shipped
from gendan_xl.checks.snapshots import Difference, compare_snapshots, parse_snapshot, snapshot_text, take_snapshot
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.lifecycle import ASPECT_CHOICES, PARTY_CHOICES, Aspect, Party, normalize_party, parse_aspects
from gendan_xl.models import Change, Order

__all__ = ["CUSTOMER_ASPECTS", "FACTORY_ASPECTS", "ChangeEvent", "DetectedChange", "detected_changes",
           "order_changes"]

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
CHANGES = define_family("changes", "改单与取消", "Changes and cancellations", stage=35,
                        status_column="delivery_status")
_PRACTICE = "merchandiser practice (外贸跟单): a changed order needs new documents; a cancelled order's purchase " \
            "contract and booking are recalled"
_AS_OF = date(2026, 12, 2)

FACTORY_ASPECTS = frozenset({Aspect.ITEMS, Aspect.QTY, Aspect.PURCHASE_PRICE, Aspect.PACKING, Aspect.FACTORY_DATE})
CUSTOMER_ASPECTS = frozenset({Aspect.ITEMS, Aspect.QTY, Aspect.PRICE, Aspect.PACKING, Aspect.DELIVERY, Aspect.PORT,
                              Aspect.INCOTERM, Aspect.PAYMENT})
_FIELD = {Aspect.DELIVERY: "delivery_date", Aspect.FACTORY_DATE: "factory_delivery_date", Aspect.PORT: "pod",
          Aspect.INCOTERM: "incoterm", Aspect.PAYMENT: "payment_terms", Aspect.CANCELLED: "status"}

define_rule(
    "change-detected", INFO, CHANGES,
    title=("订单已变更", "Order changed"),
    message=("订单 {order_no} 的{aspect_zh}自{since}以来已变{until}：{old} → {new}。{record_zh}",
             "order {order_no}: {aspect_en} changed since {since_en}{until_en}: {old} → {new}. {record_en}"),
    rule="The snapshots of an order's figures kept with its logged documents (单证记录) and on the change-log rows "
         "gendan_xl added are compared in date order, the latest with the order as it is now. Each aspect that differs "
         "(items, quantities, prices, purchase prices, packing, delivery and factory dates, ports, incoterm, payment "
         "terms, cancellation) between two of them and is not on the change log (a row of that aspect dated within "
         "the span) is reported — also a change the documents were already reissued for; `gendan check --write` "
         "adds it to 改单记录.",
    example="订单 GD2026-021 的数量自形式发票 HY26S0021（2026-10-02）以来已变：KT-1001 1,200 PCS → KT-1001 "
            "1,000 PCS。gendan check --write 会记入改单记录",
)
define_rule(
    "change-after-purchase-contract", W, CHANGES,
    title=("采购合同后改单未重签", "Changed after the purchase contract"),
    message=("{address}：订单 {order_no} 的{aspect_zh}在采购合同（{issued}）之后变更（{changed}），工厂尚未确认修改后的"
             "采购合同", "{address}: order {order_no}'s {aspect_en} changed {changed_en}, after the purchase contract "
             "of {issued}, and the factory has not signed a revised contract"),
    rule="A change of items, quantities, purchase prices, packing or the factory date made after the purchase "
         "contract was issued needs a revised purchase contract signed back by the factory (the change row's "
         "工厂确认 date), unless the factory asked for it; within `采购合同回签天数` days (3).",
    example="改单记录!C5：订单 GD2026-021 的数量在采购合同（2026-10-08）之后变更（2026-11-20），工厂尚未确认修改后的"
            "采购合同",
    action=("给工厂发修改后的采购合同并取得回签", "send the factory a revised purchase contract and get it signed back"),
    at_risk=True, source=_PRACTICE, as_of=_AS_OF,
)
define_rule(
    "change-not-confirmed", W, CHANGES,
    title=("改单未获客户确认", "Change not confirmed by the customer"),
    message=("{address}：订单 {order_no} 的{aspect_zh}变更（{changed}）尚未获客户书面确认",
             "{address}: the change of order {order_no}'s {aspect_en} ({changed_en}) is not confirmed by the customer "
             "in writing"),
    rule="A change the customer must agree to (items, quantities, prices, packing, delivery date, ports, incoterm, "
         "payment terms) is confirmed in writing (a revised PI signed back, an e-mail: the row's 客户确认 date) within "
         "`改单确认天数` days (3), unless the customer asked for it (提出方 客户).",
    example="改单记录!H6：订单 GD2026-021 的交期变更（2026-11-20）尚未获客户书面确认",
    action=("请客户书面确认改单", "get the customer's written confirmation of the change"),
)
define_rule(
    "cancelled-order-purchase-open", E, CHANGES,
    title=("已取消订单的采购合同未撤销", "Cancelled order: purchase contract still open"),
    message=("{address}：订单 {order_no} 已取消，但采购合同 {po_no}（{issued}）尚无工厂确认撤销",
             "{address}: order {order_no} is cancelled but the factory has not confirmed the cancellation of purchase "
             "contract {po_no} ({issued})"),
    rule="When an order with a purchase contract is cancelled, the factory confirms the cancellation in writing: the "
         "工厂确认 date on the order's 取消 Cancelled row of the change log.",
    example="改单记录!I8：订单 GD2026-033 已取消，但采购合同 HY26P033（2026-10-12）尚无工厂确认撤销",
    action=("通知工厂撤销采购合同并取得书面确认", "have the factory confirm the cancellation of the purchase contract"),
    source=_PRACTICE, as_of=_AS_OF,
)
define_rule(
    "cancelled-order-booking-open", W, CHANGES,
    title=("已取消订单的订舱未取消", "Cancelled order: booking still open"),
    message=("{address}：订单 {order_no} 已取消，但订舱 {booking}（{forwarder}）尚无货代确认取消",
             "{address}: order {order_no} is cancelled but the forwarder has not confirmed cancelling booking {booking} "
             "({forwarder})"),
    rule="A booking of a cancelled order that has not sailed (no B/L) is cancelled with the forwarder: the 货代确认 "
         "date on the order's 取消 Cancelled row of the change log.",
    example="出运!C12：订单 GD2026-033 已取消，但订舱 NGB7100033（宁波中外运）尚无货代确认取消",
    action=("通知货代取消订舱", "cancel the booking with the forwarder"),
    source=_PRACTICE, as_of=_AS_OF,
)
define_rule(
    "cancelled-order-goods-unshipped", W, CHANGES,
    title=("已取消订单有未出运的货", "Cancelled order: goods unshipped"),
    message=("{address}：订单 {order_no} 已取消，但{goods_zh}：与客户、工厂商定如何处理（费用、转售、退回）",
             "{address}: order {order_no} is cancelled but {goods_en}: agree with the customer and the factory what "
             "happens to them (charges, resale, return)"),
    rule="A cancelled order whose goods were due from the factory before the cancellation (factory date on or before "
         "it) or are already loaded without a B/L leaves goods behind: the customer and the factory both confirm what "
         "happens to them (客户确认 and 工厂确认 on the 取消 Cancelled row).",
    example="订单!V20：订单 GD2026-033 已取消，但工厂交期 2026-11-10 已过，货可能已生产完成：与客户、工厂商定如何处理",
    action=("与客户、工厂商定已生产货物的处理", "agree with the customer and the factory on the goods already made"),
    source=_PRACTICE, as_of=_AS_OF,
)
define_rule(
    "change-value-unknown", W, CHANGES,
    title=("改单内容无法识别", "Change entry not understood"),
    message=("{address}：{column_zh}“{value}”无法识别（可填 {choices}）",
             "{address}: {column_en} “{value}” is not understood ({choices})"),
    rule="What changed and who asked are words from the drop-downs (数量 Quantity, 交期 Delivery date, 取消 Cancelled, "
         "客户 Customer …). A change whose content is not understood is taken as 其他 Other.",
    example="改单记录!C9：变更内容“改颜色”无法识别（可填 货号品名 Items / 数量 Quantity / …）",
)
define_rule(
    "change-without-order", W, CHANGES,
    title=("改单找不到订单", "Change without an order"),
    message=("{address}：订单号 {order_no} 不在订单表中", "{address}: order no. {order_no} is not on the orders sheet"),
    rule="Every change-log row's order no. must exist on the orders sheet.",
    example="改单记录!A9: order no. GD2026-099 is not on the orders sheet",
)


@dataclass(frozen=True, slots=True)
class DetectedChange:
    """An aspect of an order that differs between two of its snapshots (the later may be the order now).

    ``since`` is the day of the earlier snapshot, ``on`` the day of the later (today for the order as it is);
    the change happened in between. ``snapshot`` is the later snapshot's text: what a change-log row recording
    this change keeps. ``until_zh`` / ``until_en`` name the later snapshot's document, empty for the order now.
    """

    order_no: str
    difference: Difference
    since: date
    since_zh: str
    since_en: str
    on: date
    snapshot: str
    until_zh: str = ""
    until_en: str = ""


@dataclass(frozen=True, slots=True)
class _State:
    """One snapshot of an order: when, from where (a logged document or a change-log row), its text and content."""

    key: tuple[date, int, int]  # day, source (document 0, change-log row 1, the order now 2), row
    text: str
    snapshot: dict[str, Any]
    zh: str
    en: str

    @property
    def day(self) -> date:
        return self.key[0]


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """A change of an order, recorded on the change log (``row``) or detected (``row`` None)."""

    order_no: str
    aspects: tuple[Aspect, ...]
    on: date
    row: int | None = None
    requested_by: Party | None = None
    customer_confirmed: date | None = None
    factory_confirmed: date | None = None
    forwarder_confirmed: date | None = None
    after: date | None = None  # a detected change happened after this day (its snapshot's)

    @property
    def detected(self) -> bool:
        """True for a change gendan_xl found that is not on the change log."""
        return self.row is None


def _aspects(change: Change) -> tuple[Aspect, ...]:
    return parse_aspects(change.what) or (Aspect.OTHER,)


def _history(ctx: CheckContext) -> dict[str, list[_State]]:
    """Per order, its snapshots kept on the document log and the change log, oldest first."""
    parsed: dict[str, dict[str, Any] | None] = {}  # the documents of one run share one snapshot text

    def read(text: str | None) -> dict[str, Any] | None:
        if not text:
            return None
        if text not in parsed:
            parsed[text] = parse_snapshot(text)
        return parsed[text]

    history: dict[str, list[_State]] = defaultdict(list)
    for record in ctx.workbook.documents:
        snapshot = read(record.snapshot)
        if snapshot is None or record.snapshot is None:
            continue
        zh, _, en = record.kind.partition(" ")
        number = f" {record.doc_no}" if record.doc_no else ""
        day = record.rendered_at.isoformat() if record.rendered_at else "—"
        history[record.order_no].append(_State((record.rendered_at or date.min, 0, record.row), record.snapshot,
                                               snapshot, f"{zh}{number}（{day}）", f"{en or zh}{number} ({day})"))
    for change in ctx.workbook.changes:
        snapshot = read(change.snapshot)
        if snapshot is None or change.snapshot is None:
            continue
        day = change.changed_on.isoformat()
        history[change.order_no].append(_State((change.changed_on, 1, change.row), change.snapshot, snapshot,
                                               f"改单记录（{day}）", f"the change log's row of {day}"))
    for states in history.values():
        states.sort(key=lambda state: state.key)
    return history


def detected_changes(ctx: CheckContext) -> dict[str, list[DetectedChange]]:
    """Per order, the aspects that changed between its snapshots, or since the latest, and are not on the change log.

    A change-log row of the same aspect dated within the change's span (on or after the earlier snapshot, and
    not after the later one when that is a document) counts as recording it.
    """
    def build() -> dict[str, list[DetectedChange]]:
        workbook = ctx.workbook
        recorded: dict[str, list[tuple[date, tuple[Aspect, ...]]]] = defaultdict(list)
        for change in workbook.changes:
            recorded[change.order_no].append((change.changed_on, _aspects(change)))
        found: dict[str, list[DetectedChange]] = {}
        for order_no, states in _history(ctx).items():
            order = workbook.orders_by_no.get(order_no)
            if order is None:
                continue
            snapshot = take_snapshot(order, workbook.lines_by_order.get(order_no, []))
            now = _State((ctx.today, 2, 0), snapshot_text(snapshot), snapshot, "", "")
            changes: list[DetectedChange] = []
            for before, after in pairwise([*states, now]):
                if before.text == after.text:
                    continue
                last = after is now
                for difference in compare_snapshots(before.snapshot, after.snapshot):
                    if any(day >= before.day and (last or day <= after.day) and difference.aspect in aspects
                           for day, aspects in recorded[order_no]):
                        continue
                    changes.append(DetectedChange(
                        order_no, difference, before.day, before.zh, before.en, after.day, after.text,
                        "" if last else f"，{after.zh}已是新数据", "" if last else f"; {after.en} already shows it"))
            if changes:
                found[order_no] = changes
        return found

    result: dict[str, list[DetectedChange]] = ctx.memo("detected_changes", build)
    return result


def order_changes(ctx: CheckContext) -> dict[str, list[ChangeEvent]]:
    """Per order, its changes: the change log's rows, then the detected ones (dated today)."""
    def build() -> dict[str, list[ChangeEvent]]:
        grouped: dict[str, list[ChangeEvent]] = defaultdict(list)
        for change in ctx.workbook.changes:
            party = normalize_party(change.requested_by) if change.requested_by else None
            grouped[change.order_no].append(ChangeEvent(
                change.order_no, _aspects(change), change.changed_on, change.row, party, change.customer_confirmed,
                change.factory_confirmed, change.forwarder_confirmed))
        for order_no, detected in detected_changes(ctx).items():
            spans: dict[tuple[date, date], list[Aspect]] = {}
            for found in detected:
                spans.setdefault((found.since, found.on), []).append(found.difference.aspect)
            for (since, on), aspects in spans.items():
                grouped[order_no].append(ChangeEvent(order_no, tuple(aspects), on, after=since))
        return dict(grouped)

    result: dict[str, list[ChangeEvent]] = ctx.memo("order_changes", build)
    return result


@check("changes")
def check_changes(ctx: CheckContext) -> Iterator[Finding]:
    """Detected changes, changes after the purchase contract or unconfirmed, what a cancellation leaves open.

    Without a change log only the detected changes are reported (there is nowhere to confirm them).
    """
    workbook = ctx.workbook
    orders = workbook.orders_by_no
    for change in workbook.changes:
        yield from _row_values(ctx, change, orders.get(change.order_no))
    for order_no, detected in detected_changes(ctx).items():
        yield from _detected(ctx, orders[order_no], detected)
    if not keeps(workbook, "changes"):
        return
    changes = order_changes(ctx)
    seen: set[str] = set()
    for order in workbook.orders:
        if order.order_no in seen:
            continue
        seen.add(order.order_no)
        events = changes.get(order.order_no, [])
        if order.is_cancelled:
            yield from _cancelled(ctx, order, events)
            continue
        for event in events:
            yield from _confirmations(ctx, order, event)


def _row_values(ctx: CheckContext, change: Change, order: Order | None) -> Iterator[Finding]:
    where: dict[str, Any] = {"sheet": "changes", "row": change.row, "order_no": change.order_no}
    if order is None:
        yield ctx.finding("change-without-order", field="order_no", **where)
    if not parse_aspects(change.what):
        yield ctx.finding("change-value-unknown", field="what", **where, value=change.what, column_zh="变更内容",
                          column_en="what changed", choices=" / ".join(ASPECT_CHOICES[:4]) + " / …")
    if change.requested_by and normalize_party(change.requested_by) is None:
        yield ctx.finding("change-value-unknown", field="requested_by", **where, value=change.requested_by,
                          column_zh="提出方", column_en="requested by", choices=" / ".join(PARTY_CHOICES))


def _detected(ctx: CheckContext, order: Order, detected: list[DetectedChange]) -> Iterator[Finding]:
    if keeps(ctx.workbook, "changes"):
        record = ("gendan check --write 会记入改单记录", "gendan check --write records it on the change log")
    else:
        record = ("加一张改单记录表即可记录（gendan map 总表 --add-sheets changes）",
                  "add a change log to keep it (gendan map PATH --add-sheets changes)")
    for change in detected:
        difference = change.difference
        yield ctx.finding("change-detected", sheet="orders", field=_FIELD.get(difference.aspect, "order_no"),
                          row=order.row, order_no=order.order_no, aspect=difference.aspect.value,
                          aspect_zh=difference.aspect.zh, aspect_en=difference.aspect.en.lower(), old=difference.old,
                          new=difference.new, item=difference.item_no, since=change.since_zh, since_en=change.since_en,
                          until=change.until_zh, until_en=change.until_en, since_date=change.since,
                          on_date=change.on, record_zh=record[0], record_en=record[1])


def _where(event: ChangeEvent, order: Order, field: str) -> dict[str, Any]:
    """A finding's place: the change-log row's cell, or the order's row for a detected change."""
    if event.row is not None:
        return {"sheet": "changes", "row": event.row, "field": field}
    return {"sheet": "orders", "row": order.row, "field": "order_no"}


def _when(event: ChangeEvent, today: date) -> dict[str, Any]:
    """When a change was made, as the messages say it: its day, or the span a detected one happened in."""
    if event.after is not None and event.row is None:
        after = event.after.isoformat()
        if event.on < today:
            return {"changed": f"{after} 至 {event.on.isoformat()} 之间",
                    "changed_en": f"between {after} and {event.on.isoformat()}"}
        return {"changed": f"{after} 之后", "changed_en": f"after {after}"}
    return {"changed": event.on.isoformat(), "changed_en": f"on {event.on.isoformat()}"}


def _label(aspects: tuple[Aspect, ...]) -> tuple[str, str]:
    return "、".join(a.zh for a in aspects), ", ".join(a.en.lower() for a in aspects)


def _confirmations(ctx: CheckContext, order: Order, event: ChangeEvent) -> Iterator[Finding]:
    factory = tuple(a for a in event.aspects if a in FACTORY_ASPECTS)
    # a detected change is known to follow the contract only when the snapshot it differs from does
    after_contract = order.po_issued is not None and (event.after or event.on) > order.po_issued
    if (factory and after_contract and event.factory_confirmed is None and event.requested_by is not Party.FACTORY
            and not is_shipped(ctx, order)):
        zh, en = _label(factory)
        yield ctx.finding("change-after-purchase-contract", **_where(event, order, "factory_confirmed"),
                          order_no=order.order_no, due=event.on + timedelta(days=ctx.settings.po_sign_days),
                          aspect_zh=zh, aspect_en=en, issued=order.po_issued, **_when(event, ctx.today))
    customer = tuple(a for a in event.aspects if a in CUSTOMER_ASPECTS)
    if customer and event.customer_confirmed is None and event.requested_by is not Party.CUSTOMER:
        zh, en = _label(customer)
        yield ctx.finding("change-not-confirmed", **_where(event, order, "customer_confirmed"),
                          order_no=order.order_no, due=event.on + timedelta(days=ctx.settings.change_confirm_days),
                          aspect_zh=zh, aspect_en=en, **_when(event, ctx.today))


def _cancelled(ctx: CheckContext, order: Order, events: list[ChangeEvent]) -> Iterator[Finding]:
    """What a cancelled order still has open: the purchase contract, a booking, goods made or loaded."""
    rows = [e for e in events if Aspect.CANCELLED in e.aspects and e.row is not None]
    last = max(rows, key=lambda e: (e.on, e.row or 0)) if rows else None

    def confirmed(attribute: str) -> bool:
        return any(getattr(e, attribute) is not None for e in rows)

    def at(field: str, fallback: str) -> dict[str, Any]:
        if last is not None:
            return {"sheet": "changes", "row": last.row, "field": field}
        return {"sheet": "orders", "row": order.row, "field": fallback}

    where: dict[str, Any] = {"order_no": order.order_no, "due": ctx.today}
    if (order.po_issued or order.po_no) and not confirmed("factory_confirmed"):
        yield ctx.finding("cancelled-order-purchase-open", **at("factory_confirmed", "po_no"), **where,
                          po_no=order.po_no or "—", issued=order.po_issued or "—")
    shipments = order_shipments(ctx, order.order_no)
    if not confirmed("forwarder_confirmed"):
        for shipment in shipments:
            if (shipment.booking_no or shipment.booking_date) and not (shipment.bl_no or shipment.bl_date):
                yield ctx.finding("cancelled-order-booking-open", sheet="shipments", field="booking_no",
                                  row=shipment.row, **where, booking=shipment.booking_no or "—",
                                  forwarder=shipment.forwarder or "—")
    if confirmed("customer_confirmed") and confirmed("factory_confirmed"):
        return
    cancelled_on = last.on if last is not None else ctx.today
    loaded = next((s for s in shipments if (s.loading_date or s.container_no) and not (s.bl_no or s.bl_date)), None)
    if loaded is not None:
        yield ctx.finding("cancelled-order-goods-unshipped", sheet="shipments", field="container_no", row=loaded.row,
                          **where, goods_zh=f"货已装柜（{loaded.container_no or loaded.loading_date}）未出运",
                          goods_en=f"the goods are loaded ({loaded.container_no or loaded.loading_date}) and not shipped")
    elif order.po_issued and order.factory_delivery_date and order.factory_delivery_date <= cancelled_on:
        yield ctx.finding("cancelled-order-goods-unshipped", **at("customer_confirmed", "factory_delivery_date"),
                          **where, goods_zh=f"工厂交期 {order.factory_delivery_date} 已过，货可能已生产完成",
                          goods_en=f"the factory date {order.factory_delivery_date} had passed: the goods may be made")
