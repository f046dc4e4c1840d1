"""Documents in circulation that no longer fit their order: changed since issue, or of a cancelled order.

A check like those in :mod:`gendan_xl.checks`, registered in the same registry, but it lives with
the documents because it needs their fingerprints (the checks know nothing of documents).

Reads the document log (单证记录) that ``gendan docs`` appends to. For every order and kind the
latest record not marked 已收回 (recalled) counts: its fingerprint is compared with the
fingerprint of the order as it is now (:func:`gendan_xl.documents.source.fingerprint`, over the
fields that kind of document shows). A difference means the customer, the factory or the
forwarder holds a document with old figures. Marking the row 已收回, or rendering the document
again, clears the finding.

A shipment's document (``gendan docs --shipment``) is one record listing its orders, with a
fingerprint per order (``s1:GD2026-041=…;GD2026-042=…``, :mod:`gendan_xl.documents.shipment`);
for each shipment and kind the latest record counts. A change to any of its orders outdates it
(the finding names that order); so does a change in which orders the 出运 sheet puts in that
shipment. Per-order records (``v1:``) are read as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.documents.kinds import DocumentKind, find_kind
from gendan_xl.documents.reissue import Reissue, documents_to_reissue
from gendan_xl.documents.shipment import (
    SHIPMENT_FINGERPRINT_VERSION,
    part_hash,
    read_shipment_fingerprint,
    regather_shipment,
)
from gendan_xl.documents.source import FINGERPRINT_VERSION, OrderData, fingerprint, gather_order
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.models import DocumentRecord
from gendan_xl.vocab import squash

__all__ = ["check_document_log"]

FAMILY = define_family("documents", "单证", "Documents", stage=80, status_column="delivery_status")

define_rule(
    "document-outdated", Severity.WARNING, FAMILY,
    title=("单证依据的订单已变更", "Document outdated"),
    message=("{kind_zh}（{doc_no}，{issued} 出具）依据的订单 {order_no} 数据此后已变更：请收回并重新出具",
             "{kind_en} {doc_no} (issued {issued}) was made from data of order {order_no} that has changed since: "
             "recall it and issue it again"),
    rule="The latest not-recalled record of a document in 单证记录 carries a fingerprint of the order data it was made "
         "from; if the order's data as that document shows it (lines, prices, quantities, packing, parties, shipment) "
         "now gives another fingerprint, the document in circulation is out of date.",
    example="商业发票（HY-INV-007，2026-11-20 出具）依据的订单 GD2026-007 数据此后已变更：请收回并重新出具",
    action=("收回旧单证并重新出具", "recall the old document and issue a new one"),
)
define_rule(
    "change-documents-to-reissue", Severity.WARNING, FAMILY,
    title=("改单后需收回重出的单证", "Documents to reissue after a change"),
    message=("{address}：订单 {order_no} 的{what_zh}变更（{changed}）后，以下单证仍是旧数据，请收回并重新出具：{documents}",
             "{address}: after the change of order {order_no}'s {what_en} ({changed}) these documents still show the "
             "old figures; recall them and issue them again: {documents_en}"),
    rule="For each change on 改单记录, the latest not-recalled document of each kind that shows what changed (单证记录), "
         "issued on or before the change and still showing other figures than the order has now (by the snapshot the "
         "log kept of that aspect, else by its fingerprint), is named on the change's row — once, under the latest "
         "change that concerns it — and not reported again as outdated. Rendering it again or marking it 已收回 "
         "clears it.",
    example="改单记录!C5：订单 GD2026-021 的数量变更（2026-11-20）后，以下单证仍是旧数据，请收回并重新出具："
            "形式发票 HY26S0021（2026-10-02）、采购合同 HY26P021（2026-10-08）",
    action=("收回旧单证并按改单重新出具", "recall the old documents and issue them again with the change"),
)
define_rule(
    "document-of-cancelled-order", Severity.WARNING, FAMILY,
    title=("已取消订单的单证未收回", "Document of a cancelled order"),
    message=("订单 {order_no} 已取消，但其{kind_zh}（{doc_no}，{issued} 出具，共 {copies} 份记录）未标记收回",
             "order {order_no} is cancelled but its {kind_en} {doc_no} (issued {issued}; {copies} record(s)) is not "
             "marked recalled"),
    rule="Documents of a cancelled order must be recalled (customer, factory, forwarder); a log record not marked "
         "已收回 for a cancelled order is reported.",
    example="订单 GD2026-019 已取消，但其采购合同（HY26P019，2026-10-02 出具，共 1 份记录）未标记收回",
    action=("收回单证并在单证记录中标记“已收回”", "recall the documents and mark them recalled in the document log"),
)
define_rule(
    "document-order-missing", Severity.WARNING, FAMILY,
    title=("单证记录的订单不存在", "Logged document of an unknown order"),
    message=("单证记录中的{kind_zh}（{doc_no}）属于订单 {order_no}，但订单表中已没有该订单",
             "the log lists {kind_en} {doc_no} of order {order_no}, which is no longer on the orders sheet"),
    rule="Every logged document belongs to an order on the orders sheet; a deleted or renumbered order leaves its "
         "documents unaccounted for.",
    example="单证记录中的商业发票（HY-INV-031）属于订单 GD2026-031，但订单表中已没有该订单",
    action=("核对订单号；如订单已作废请收回单证", "check the order number; recall the documents if the order is void"),
)
define_rule(
    "shipment-orders-changed", Severity.WARNING, FAMILY,
    title=("合并出运的订单已变更", "Shipment's orders changed"),
    message=("{kind_zh}（{doc_no}，{issued} 出具）列出订单 {logged_orders}，出运表中该票现在是 {current_orders}：请收回并重新出具",
             "{kind_en} {doc_no} (issued {issued}) lists orders {logged_orders}; the 出运 sheet now ships "
             "{current_orders} under that number: recall it and issue it again"),
    rule="A shipment document made for the orders sharing a shipment no. on 出运 is out of date when that shipment "
         "no. now covers other orders (one more, one less, another one).",
    example="商业发票（HY-INV-S41，2026-11-25 出具）列出订单 GD2026-041, GD2026-042，出运表中该票现在是 GD2026-041, "
            "GD2026-042, GD2026-043：请收回并重新出具",
    action=("收回旧单证并重新出具", "recall the old document and issue a new one"),
)
define_rule(
    "document-kind-unknown", Severity.INFO, FAMILY,
    title=("单证类型无法识别", "Unknown document kind"),
    message=("单证记录中的单证类型“{kind}”无法识别，未核对是否过期", "the document kind “{kind}” in the log is not known; "
             "it was not checked for changes"),
    rule="The kind column of 单证记录 names one of gendan_xl's document kinds (商业发票 Commercial Invoice, "
         "commercial-invoice, ci …).",
    example="单证记录中的单证类型“发票2”无法识别，未核对是否过期",
)


def _key(record: DocumentRecord) -> tuple[str, str, str]:
    """Which document a record is a version of: (order or shipment, the order / shipment no., kind)."""
    kind = find_kind(record.kind)
    kind_key = kind.key if kind else record.kind
    if read_shipment_fingerprint(record.fingerprint) is not None:
        return "shipment", squash(record.doc_no or record.order_no), kind_key
    return "order", record.order_no, kind_key


def _latest(records: list[DocumentRecord]) -> dict[tuple[str, str, str], list[DocumentRecord]]:
    """Not-recalled records per document (order or shipment, and kind as written), oldest first."""
    grouped: dict[tuple[str, str, str], list[DocumentRecord]] = {}
    for record in records:
        if not record.recalled:
            grouped.setdefault(_key(record), []).append(record)
    return grouped


@check("documents")
def check_document_log(ctx: CheckContext) -> Iterator[Finding]:
    """Findings for outdated documents, documents of cancelled orders and of orders no longer there."""
    workbook = ctx.workbook
    if not workbook.documents:
        return
    gathered: dict[str, OrderData] = {}
    latest = _latest(workbook.documents)
    named: set[int] = set()  # log rows a change-log row already names for reissue: not reported twice
    by_order = {(number, kind): records for (scope, number, kind), records in latest.items() if scope == "order"}
    for reissue in documents_to_reissue(ctx, by_order):
        named.update(record.row for record in reissue.records)
        yield _reissue_finding(ctx, reissue)
    for (scope, _, _), records in latest.items():
        record = records[-1]
        kind = find_kind(record.kind)

        def emit(code: str, field: str, *, copies: int = 1, current: str = "", due: date | None = ctx.today,
                 record: DocumentRecord = record, kind: DocumentKind | None = kind, **more: Any) -> Finding:
            more.setdefault("order_no", record.order_no)
            return ctx.finding(code, sheet="documents", field=field, row=record.row, due=due,
                               doc_no=record.doc_no or "—", issued=record.rendered_at, kind=record.kind,
                               kind_zh=kind.zh if kind else record.kind, kind_en=kind.en if kind else record.kind,
                               file=record.file, copies=copies, current=current, logged=record.fingerprint, **more)

        if scope == "shipment":
            yield from _check_shipment_record(ctx, record, kind, records, emit)
            continue
        order_no = record.order_no
        order = workbook.orders_by_no.get(order_no)
        if order is None:
            yield emit("document-order-missing", "order_no")
        elif order.is_cancelled:
            yield emit("document-of-cancelled-order", "order_no", copies=len(records))
        elif kind is None:
            yield emit("document-kind-unknown", "kind", due=None)
        elif record.fingerprint.startswith(f"{FINGERPRINT_VERSION}:"):  # another version's hash cannot be compared
            data = gathered.get(order_no)
            if data is None:
                data = gathered[order_no] = gather_order(workbook, order_no, today=ctx.today)
            current = fingerprint(data, kind)
            if current != record.fingerprint and record.row not in named:
                yield emit("document-outdated", "fingerprint", current=current)


def _check_shipment_record(ctx: CheckContext, record: DocumentRecord, kind: DocumentKind | None,
                           records: list[DocumentRecord], emit: Callable[..., Finding]) -> Iterator[Finding]:
    """A shipment document: each of its orders (gone, cancelled, changed) and the shipment's make-up on 出运."""
    logged = read_shipment_fingerprint(record.fingerprint) or []
    orders = ctx.workbook.orders_by_no
    if kind is None:
        yield emit("document-kind-unknown", "kind", due=None)
        return
    for order_no, _ in logged:
        order = orders.get(order_no)
        if order is None:
            yield emit("document-order-missing", "order_no", order_no=order_no)
        elif order.is_cancelled:
            yield emit("document-of-cancelled-order", "order_no", order_no=order_no, copies=len(records))
    number = record.doc_no or ""
    current, parts = regather_shipment(ctx.workbook, number, [no for no, _ in logged], today=ctx.today)
    logged_orders = [no for no, _ in logged]
    if current is not None and set(current.order_nos) != set(logged_orders):  # the orders, not their sequence
        yield emit("shipment-orders-changed", "order_no", order_no=logged_orders[0] if logged_orders else record.order_no,
                   logged_orders=", ".join(logged_orders), current_orders=", ".join(current.order_nos))
        return
    for order_no, value in logged:
        if order_no not in parts or orders[order_no].is_cancelled:
            continue
        data, rows = parts[order_no]
        if part_hash(data, rows, kind) != value:
            yield emit("document-outdated", "fingerprint", order_no=order_no,
                       current=f"{SHIPMENT_FINGERPRINT_VERSION}:{order_no}={part_hash(data, rows, kind)}")


def _reissue_finding(ctx: CheckContext, reissue: Reissue) -> Finding:
    event = reissue.event
    zh, en = [], []
    for record in reissue.records:
        kind = find_kind(record.kind)
        number = f" {record.doc_no}" if record.doc_no else ""
        day = record.rendered_at.isoformat() if record.rendered_at else "—"
        zh.append(f"{kind.zh if kind else record.kind}{number}（{day}）")
        en.append(f"{kind.en if kind else record.kind}{number} ({day})")
    return ctx.finding("change-documents-to-reissue", sheet="changes", field="what", row=event.row,
                       order_no=event.order_no, due=ctx.today, what_zh="、".join(a.zh for a in event.aspects),
                       what_en=", ".join(a.en.lower() for a in event.aspects), changed=event.on,
                       documents="、".join(zh), documents_en=", ".join(en), count=len(reissue.records))
