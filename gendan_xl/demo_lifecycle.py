"""The demo's samples, complaints and changes: realistic rows, and a planted problem of each kind.

:func:`plant_lifecycle` picks regular demo orders by their state (open with a purchase contract,
shipped, ready to ship …), skipping the orders other planted cases use, and plants on each one
problem of the samples (样品), complaints (客诉) and changes (改单 / 取消) rules — documents logged
from an older version of an order included. :func:`add_lifecycle_rows` then gives the other
orders what a merchandiser's sheets hold when all is well: pre-production samples approved on the
orders' approval dates, shipping samples of shipped orders, a few settled complaints, confirmed
changes. The rows are plain dicts for :func:`gendan_xl.workbook.template.write_workbook`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from gendan_xl.checks.snapshots import snapshot_text, take_snapshot
from gendan_xl.models import Order, OrderLine
from gendan_xl.vocab import normalize_country

__all__ = ["LifecyclePlant", "add_lifecycle_rows", "plant_lifecycle"]

Row = dict[str, Any]
# (order no., what, finding code, codes it must not raise, sheets besides orders and lines it needs)
LifecyclePlant = tuple[str, str, str, tuple[str, ...], tuple[str, ...]]

_OPEN = ("生产中 In production", "已确认 Confirmed")
_SHIPPED = ("已出运 Shipped", "已完成 Completed")
_COURIERS = ("DHL", "FedEx", "UPS", "顺丰 SF")


class _Book:
    """The demo rows with the indexes planting needs: lines per order, orders already used."""

    def __init__(self, rows: dict[str, list[Row]], avoid: Iterable[str]) -> None:
        self.rows = rows
        self.used = set(avoid)
        self.lines: dict[str, list[Row]] = {}
        for line in rows["lines"]:
            self.lines.setdefault(line["order_no"], []).append(line)
        for key in ("samples", "complaints", "changes", "documents"):
            rows.setdefault(key, [])

    def clean(self, order: Row) -> bool:
        """True for an order typed cleanly (real dates and numbers): one a check can follow exactly."""
        lines = self.lines.get(order["order_no"], [])
        return (bool(lines) and all(isinstance(order.get(k), date | None) for k in ("order_date", "delivery_date",
                                                                                       "po_issued", "sample_approved"))
                and all(isinstance(line.get("qty"), Decimal) and isinstance(line.get("amount"), Decimal)
                        for line in lines))

    def pick(self, test: Callable[[Row], bool]) -> Row:
        """The first clean order not used yet that passes ``test`` (marked used)."""
        for order in self.rows["orders"]:
            if order["order_no"] not in self.used and self.clean(order) and test(order):
                self.used.add(order["order_no"])
                return order
        raise LookupError("no demo order fits")  # the demo has 36 regular orders; each state has several

    def snapshot(self, order: Row, **changed: Any) -> str:
        """The order's snapshot as a document made from it would have kept it; ``changed`` overrides values then.

        ``qty`` / ``unit_price`` apply to the order's first line, any other key to the order.
        """
        line_changes = {k: changed.pop(k) for k in ("qty", "unit_price") if k in changed}
        fields = set(Order.model_fields) - {"row", "status"}
        values = {k: v for k, v in order.items() if k in fields}
        # the reader keeps countries as ISO codes (德国 → DE): the snapshot is of the order as read
        values["destination_country"] = normalize_country(str(order.get("destination_country") or "")) or None
        model = Order.model_validate({"row": 0, **values, **changed})
        lines = []
        for index, line in enumerate(self.lines[order["order_no"]]):
            values = {k: v for k, v in line.items() if k in OrderLine.model_fields}
            lines.append(OrderLine.model_validate({"row": 0, **values, **(line_changes if index == 0 else {})}))
        return snapshot_text(take_snapshot(model, lines))


def _is_open(order: Row) -> bool:
    return order.get("status") in _OPEN and order.get("po_issued") is not None


def _sample(rows: dict[str, list[Row]], order: Row, item: str, kind: str, sent: date, rng: random.Random,
            **values: Any) -> None:
    number = len(rows["samples"]) + 1
    rows["samples"].append({"sample_no": f"S{sent.year % 100:02d}-{number:04d}", "order_no": order["order_no"],
                            "item_no": item, "kind": kind, "sent_date": sent, "courier": rng.choice(_COURIERS),
                            "tracking_no": str(rng.randint(10 ** 9, 10 ** 10 - 1)), **values})


def _logged(rows: dict[str, list[Row]], order: Row, kind: str, number: str, day: date, snapshot: str,
            rng: random.Random) -> None:
    rows["documents"].append({
        "order_no": order["order_no"], "kind": kind, "doc_no": number,
        "file": f"documents/{order['order_no']}_{kind.split(' ', 1)[1].lower().replace(' ', '-')}.docx",
        "rendered_at": datetime(day.year, day.month, day.day, 10, 30), "fingerprint": f"v1:{rng.getrandbits(64):016x}",
        "snapshot": snapshot})


def plant_lifecycle(rows: dict[str, list[Row]], today: date, avoid: Iterable[str], seed: int = 12) -> list[LifecyclePlant]:
    """Plant one problem of each samples, complaints and changes rule on orders not in ``avoid``."""
    rng = random.Random(seed)
    book = _Book(rows, avoid)
    planted: list[LifecyclePlant] = []

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    def first_item(order: Row) -> str:
        return str(book.lines[order["order_no"]][0]["item_no"])

    # samples: an approval sample unanswered, a rejected PP sample with bulk running, a PP-first order, a date mismatch
    order = book.pick(lambda o: _is_open(o))
    _sample(rows, order, first_item(order), "确认样 Approval", day(-14), rng, comments="新包装彩盒 / new colour box")
    planted.append((order["order_no"], "approval sample sent 14 days ago, no verdict", "sample-no-verdict", (),
                    ("samples",)))
    order = book.pick(lambda o: _is_open(o) and o.get("status") == _OPEN[0])
    order.update(pp_sample="大货前确认 Before bulk", sample_approved=None)
    _sample(rows, order, first_item(order), "产前样 PP", day(-12), rng, verdict="不通过 Rejected",
            verdict_date=day(-4), comments="颜色偏深，按色卡 Pantone 7621C 重做 / colour too dark, redo to Pantone 7621C")
    planted += [(order["order_no"], "PP sample rejected 4 days ago, no new one sent", "sample-rejected-no-resend", (),
                 ("samples",)),
                (order["order_no"], "in production though the PP sample was rejected", "bulk-before-pp-approval", (),
                 ("samples",))]
    order = book.pick(lambda o: _is_open(o) and o["po_issued"] <= day(-10))
    approved = order["po_issued"] + timedelta(days=5)
    order.update(pp_sample="下单前确认 Before PC", sample_approved=approved)
    _sample(rows, order, first_item(order), "产前样 PP", approved - timedelta(days=6), rng, verdict="通过 Approved",
            verdict_date=approved)
    planted.append((order["order_no"], "purchase contract issued 5 days before the PP approval it had to wait for",
                    "pc-before-pp-approval", (), ("samples",)))
    order = book.pick(lambda o: isinstance(o.get("sample_approved"), date) and o["sample_approved"] <= day(-5))
    late = order["sample_approved"] + timedelta(days=3)
    _sample(rows, order, first_item(order), "产前样 PP", late - timedelta(days=5), rng, verdict="OK", verdict_date=late)
    planted.append((order["order_no"], "approval date on the order 3 days before the sample's", "sample-approval-disagrees",
                    (), ("samples",)))

    # complaints on shipped orders: one open, one closed without saying how
    for what, code, opened, closed in (("open quality complaint with a claim", "complaint-open", day(-9), None),
                                       ("complaint closed without a resolution", "complaint-closed-unsettled", day(-12),
                                        day(-2))):
        order = book.pick(lambda o: o.get("status") in _SHIPPED and isinstance(o.get("etd"), date)
                          and o["etd"] <= day(-20))
        rows["complaints"].append({
            "complaint_no": f"C{today.year % 100:02d}-{len(rows['complaints']) + 1:03d}", "order_no": order["order_no"],
            "item_no": first_item(order), "complaint_date": opened, "complaint_type": "质量 Quality",
            "description": "部分把手松动 / handles loose on about 3% of the pieces", "factory": order["factory"],
            "claim_amount": (order["order_total"] * Decimal("0.03")).quantize(Decimal("1")),
            "currency": order["currency"], "closed_date": closed})
        planted.append((order["order_no"], what, code, (), ("complaints",)))

    # changes: a delivery date moved by us and not confirmed; a quantity cut after the purchase contract, with the
    # PI and purchase contract logged before it; a date change found from a logged document; a cancellation
    order = book.pick(lambda o: _is_open(o))
    rows["changes"].append({"order_no": order["order_no"], "changed_on": day(-5), "what": "交期 Delivery date",
                            "old_value": (order["delivery_date"] - timedelta(days=7)).isoformat(),
                            "new_value": order["delivery_date"].isoformat(), "requested_by": "我方 Us",
                            "remarks": "工厂排期推迟一周 / the factory's schedule slipped a week"})
    planted.append((order["order_no"], "delivery date moved a week by us, the customer has not confirmed",
                    "change-not-confirmed", (), ("changes",)))
    order = book.pick(lambda o: _is_open(o) and o["po_issued"] <= day(-10))
    first = book.lines[order["order_no"]][0]
    before = (first["qty"] * Decimal("1.2")).quantize(Decimal("1"))
    snapshot = book.snapshot(order, qty=before)
    _logged(rows, order, "形式发票 Proforma Invoice", order["contract_no"], order["order_date"] + timedelta(days=1),
            snapshot, rng)
    _logged(rows, order, "采购合同 Purchase Contract", order["po_no"], order["po_issued"], snapshot, rng)
    rows["changes"].append({"order_no": order["order_no"], "changed_on": day(-3), "what": "数量 Quantity",
                            "item_no": first["item_no"], "old_value": f"{before:,}", "new_value": f"{first['qty']:,}",
                            "requested_by": "客户 Customer", "customer_confirmed": day(-3)})
    planted += [(order["order_no"], "quantity cut after the purchase contract, no revised contract signed",
                 "change-after-purchase-contract", (), ("changes",)),
                (order["order_no"], "the PI and purchase contract show the old quantity", "change-documents-to-reissue",
                 ("document-outdated",), ("changes", "documents"))]
    order = book.pick(lambda o: _is_open(o) and o["po_issued"] <= day(-10))
    earlier = order["delivery_date"] - timedelta(days=10)
    _logged(rows, order, "销售合同 Sales Contract", order["contract_no"], order["po_issued"] + timedelta(days=2),
            book.snapshot(order, delivery_date=earlier), rng)
    planted.append((order["order_no"], "delivery date differs from the logged sales contract's", "change-detected", (),
                    ("documents",)))
    order = book.pick(lambda o: o.get("status") == "待出运 Ready to ship" and o.get("po_issued") is not None)
    order.update(status="已取消 Cancelled", factory_delivery_date=day(-2))
    rows["changes"].append({"order_no": order["order_no"], "changed_on": day(-1), "what": "取消 Cancelled",
                            "requested_by": "客户 Customer", "customer_confirmed": day(-1),
                            "remarks": "客户门店关闭 / the customer's store closed"})
    for code, what in (("cancelled-order-purchase-open", "cancelled; the factory has not confirmed the contract's end"),
                       ("cancelled-order-booking-open", "cancelled; the booking is still open with the forwarder"),
                       ("cancelled-order-goods-unshipped", "cancelled after the factory date; goods made")):
        planted.append((order["order_no"], what, code, (), ("changes", "shipments")))
    return planted


def add_lifecycle_rows(rows: dict[str, list[Row]], today: date, *, skip: Iterable[str] = (), seed: int = 13) -> None:
    """Samples, complaints and changes of the orders not in ``skip``, as they are when all is well."""
    rng = random.Random(seed)
    book = _Book(rows, skip)
    complained = 0
    for order in rows["orders"]:
        if order["order_no"] in book.used or not book.clean(order):
            continue
        item = str(book.lines[order["order_no"]][0]["item_no"])
        approved = order.get("sample_approved")
        if isinstance(approved, date):
            _sample(rows, order, item, "产前样 PP", approved - timedelta(days=rng.randint(5, 8)), rng,
                    verdict="通过 Approved", verdict_date=approved)
        elif _is_open(order) and order["order_date"] >= today - timedelta(days=12):
            _sample(rows, order, item, "确认样 Approval", today - timedelta(days=rng.randint(1, 6)), rng)
        etd = order.get("etd")
        if order.get("status") in _SHIPPED and isinstance(etd, date):
            if rng.random() < 0.5:
                _sample(rows, order, item, "船样 Shipping", etd - timedelta(days=8), rng, verdict="通过 Approved",
                        verdict_date=etd - timedelta(days=5))
            if complained < 3 and etd + timedelta(days=60) <= today:
                complained += 1
                _settled_complaint(rows, order, item, etd, rng)
        if _is_open(order) and order.get("factory_confirmed") is None and len(rows["changes"]) < 2:
            rows["changes"].append({
                "order_no": order["order_no"], "changed_on": order["po_issued"] + timedelta(days=3),
                "what": "数量 Quantity", "item_no": item, "old_value": "—", "new_value": "+10%",
                "requested_by": "客户 Customer", "customer_confirmed": order["po_issued"] + timedelta(days=3),
                "factory_confirmed": order["po_issued"] + timedelta(days=4), "remarks": "加单 / top-up order"})


def _settled_complaint(rows: dict[str, list[Row]], order: Row, item: str, etd: date, rng: random.Random) -> None:
    kind, resolution, text = rng.choice((
        ("包装 Packing", "折扣 Discount", "外箱受潮破损 / cartons wet and crushed"),
        ("数量 Quantity", "重做 Re-produce", "短装 2 箱 / two cartons short"),
        ("质量 Quality", "返工 Rework", "印刷偏色 / print off colour")))
    opened = etd + timedelta(days=rng.randint(30, 40))
    claim = (order["order_total"] * Decimal("0.02")).quantize(Decimal("1"))
    rows["complaints"].append({
        "complaint_no": f"C{opened.year % 100:02d}-{len(rows['complaints']) + 1:03d}", "order_no": order["order_no"],
        "item_no": item, "complaint_date": opened, "complaint_type": kind, "description": text,
        "factory": order["factory"], "resolution": resolution, "claim_amount": claim, "currency": order["currency"],
        "agreed_amount": (claim * Decimal("0.6")).quantize(Decimal("1")),
        "closed_date": opened + timedelta(days=rng.randint(8, 18))})
