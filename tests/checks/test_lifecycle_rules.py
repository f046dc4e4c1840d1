"""Rule table for samples (样品), complaints (客诉), changes and cancellations (改单 / 取消).

Today is 2026-11-26. The clean order T-001 had its purchase contract issued on 2026-10-07, is in
production, and is due 2026-12-28 (factory 2026-12-20); it has no sample, complaint or change yet.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.checks.casekit import Case, add_row, case, chain, run_case, upd
from tests.checks.clean import booked, order, shipped
from tests.checks.lifecycle_kit import at, change, complaint, logged_as_made, sample

PI = "形式发票 Proforma Invoice"
CANCELLED = upd(order, status="已取消 Cancelled")

SAMPLE_CASES = [
    case("PP sample approved before bulk", chain(upd(order, pp_sample="大货前确认 Before bulk"),
                                                  sample(verdict="通过 Approved", verdict_date=date(2026, 10, 5)))),
    case("sample without a verdict", sample(kind="确认样 Approval", sent_date=date(2026, 11, 10)), "sample-no-verdict",
         addresses={"sample-no-verdict": at("samples", "verdict")}),
    case("sample sent recently", sample(kind="确认样 Approval", sent_date=date(2026, 11, 20))),
    case("a later sample replaces the pending one", chain(
        sample(kind="船样 Shipping", sent_date=date(2026, 11, 1)),
        sample(sample_no="S-2", kind="船样 Shipping", sent_date=date(2026, 11, 20)))),
    case("rejected sample not redone", sample(kind="确认样 Approval", verdict="NG", verdict_date=date(2026, 11, 10)),
         "sample-rejected-no-resend", addresses={"sample-rejected-no-resend": at("samples", "verdict")}),
    case("rejected sample redone", chain(
        sample(kind="确认样 Approval", verdict="不通过 Rejected", verdict_date=date(2026, 11, 10)),
        sample(sample_no="S-2", kind="确认样 Approval", sent_date=date(2026, 11, 15), verdict="OK",
               verdict_date=date(2026, 11, 20)))),
    case("PP required, bulk without approval", upd(order, pp_sample="是"), "bulk-before-pp-approval",
         addresses={"bulk-before-pp-approval": at("orders", "status")}),
    case("PP required, approved on the order", upd(order, pp_sample="是", sample_approved=date(2026, 10, 5))),
    case("PP required by the customer's default", upd(lambda rows: rows["customers"][0], pp_sample="大货前确认"),
         "bulk-before-pp-approval"),
    case("a PP sample sent means bulk waits for it", sample(sent_date=date(2026, 11, 20)), "bulk-before-pp-approval"),
    case("PP not required though a sample is out", chain(upd(order, pp_sample="否"), sample(sent_date=date(2026, 11, 20)))),
    case("shipped without PP approval", chain(upd(order, pp_sample="是"), shipped), "bulk-before-pp-approval"),
    case("PP before the purchase contract, approved late", upd(order, pp_sample="下单前确认 Before PC",
                                                               sample_approved=date(2026, 10, 9)),
         "pc-before-pp-approval", addresses={"pc-before-pp-approval": at("orders", "po_issued")}),
    case("PP before the purchase contract, approved in time", upd(order, pp_sample="下单前确认 Before PC",
                                                                  sample_approved=date(2026, 10, 6))),
    case("order and samples sheet agree", chain(upd(order, sample_approved=date(2026, 10, 5)),
                                                 sample(verdict="通过", verdict_date=date(2026, 10, 5)))),
    case("order says approved, the sample was rejected", chain(
        upd(order, sample_approved=date(2026, 10, 5)),
        sample(sent_date=date(2026, 10, 1), verdict="不通过", verdict_date=date(2026, 10, 7))),
         "sample-approval-disagrees", "sample-rejected-no-resend", "bulk-before-pp-approval",
         addresses={"sample-approval-disagrees": at("orders", "sample_approved")}),
    case("sample kind not understood", sample(kind="随便"), "sample-value-unknown",
         addresses={"sample-value-unknown": at("samples", "kind")}),
    case("PP requirement not understood", upd(order, pp_sample="maybe"), "sample-value-unknown",
         addresses={"sample-value-unknown": at("orders", "pp_sample")}),
    case("sample without an order", sample(order_no="T-404", kind="确认样 Approval"), "sample-without-order"),
]

COMPLAINT_CASES = [
    case("open complaint", complaint(), "complaint-open", addresses={"complaint-open": at("complaints", "closed_date")}),
    case("closed complaint", complaint(resolution="折扣 Discount", agreed_amount=200, closed_date=date(2026, 11, 24))),
    case("closed without a resolution", complaint(closed_date=date(2026, 11, 24)), "complaint-closed-unsettled",
         addresses={"complaint-closed-unsettled": at("complaints", "resolution")}),
    case("complaint type not understood", complaint(complaint_type="其它问题", closed_date=date(2026, 11, 24),
                                                    resolution="返工"), "complaint-value-unknown"),
    case("complaint without an order", complaint(order_no="T-404", closed_date=date(2026, 11, 24), resolution="返工"),
         "complaint-without-order"),
]

CHANGE_CASES = [
    case("change confirmed by both", change("数量 Quantity", requested_by="客户 Customer",
                                            factory_confirmed=date(2026, 11, 21))),
    case("change after the purchase contract", change("数量 Quantity", requested_by="客户"),
         "change-after-purchase-contract", addresses={"change-after-purchase-contract": at("changes", "factory_confirmed")}),
    case("change before the purchase contract", change("数量", changed_on=date(2026, 10, 5), requested_by="客户")),
    case("factory asks for a later date", change("工厂交期 Factory date", requested_by="工厂 Factory")),
    case("change not confirmed by the customer", change("交期 Delivery date", requested_by="我方 Us"),
         "change-not-confirmed", addresses={"change-not-confirmed": at("changes", "customer_confirmed")}),
    case("two aspects in one row", change("单价、采购价", requested_by="我方", customer_confirmed=date(2026, 11, 22)),
         "change-after-purchase-contract"),
    case("change entry not understood", change("改颜色"), "change-value-unknown",
         addresses={"change-value-unknown": at("changes", "what")}),
    case("change without an order", change("数量", order_no="T-404"), "change-without-order"),
    case("cancelled: purchase contract open", CANCELLED, "cancelled-order-purchase-open",
         addresses={"cancelled-order-purchase-open": at("orders", "po_no")}),
    case("cancelled: factory confirmed", chain(CANCELLED, change("取消 Cancelled", factory_confirmed=date(2026, 11, 21)))),
    case("cancelled: booking open", chain(CANCELLED, booked, change("取消", factory_confirmed=date(2026, 11, 21))),
         "cancelled-order-booking-open", addresses={"cancelled-order-booking-open": at("shipments", "booking_no")}),
    case("cancelled: booking cancelled", chain(CANCELLED, booked, change("取消", factory_confirmed=date(2026, 11, 21),
                                                                         forwarder_confirmed=date(2026, 11, 22)))),
    case("cancelled after the factory date", chain(CANCELLED, upd(order, factory_delivery_date=date(2026, 11, 10)),
                                                   change("取消", factory_confirmed=date(2026, 11, 21))),
         "cancelled-order-goods-unshipped", addresses={"cancelled-order-goods-unshipped": at("changes", "customer_confirmed")}),
    case("cancelled after the factory date, settled", chain(
        CANCELLED, upd(order, factory_delivery_date=date(2026, 11, 10)),
        change("取消", factory_confirmed=date(2026, 11, 21), customer_confirmed=date(2026, 11, 21)))),
    case("cancelled with the goods loaded", chain(
        CANCELLED, lambda rows: booked(rows, loading_date=date(2026, 11, 18), container_no="TGHU1234567"),
        change("取消", factory_confirmed=date(2026, 11, 21), forwarder_confirmed=date(2026, 11, 22))),
         "cancelled-order-goods-unshipped", addresses={"cancelled-order-goods-unshipped": at("shipments", "container_no")}),
    # changes found from the document log's snapshots
    case("document made from the order as it is", logged_as_made(PI, date(2026, 11, 20))),
    case("change detected since a document", logged_as_made(PI, date(2026, 11, 20), qty="1,200"),
         "change-detected", "change-after-purchase-contract", "change-not-confirmed", "document-outdated",
         addresses={"change-detected": at("orders", "order_no")}),
    case("detected change already on the change log", chain(
        logged_as_made(PI, date(2026, 11, 20), qty="1,200"),
        change("数量 Quantity", changed_on=date(2026, 11, 21), requested_by="客户", factory_confirmed=date(2026, 11, 22))),
         "change-documents-to-reissue", addresses={"change-documents-to-reissue": at("changes", "what")}),
    case("change before the document: nothing to reissue", chain(
        logged_as_made(PI, date(2026, 11, 20)),
        change("数量 Quantity", changed_on=date(2026, 11, 19), requested_by="客户", factory_confirmed=date(2026, 11, 22)))),
    case("recalled document is not reissued", chain(
        logged_as_made(PI, date(2026, 11, 20), qty="1,200", recalled=True),
        change("数量 Quantity", changed_on=date(2026, 11, 21), requested_by="客户", factory_confirmed=date(2026, 11, 22)))),
    case("other change: reissue by fingerprint", chain(
        logged_as_made(PI, date(2026, 11, 20), qty="1,200"), change("其他 Other", changed_on=date(2026, 11, 21))),
         "change-detected", "change-after-purchase-contract", "change-not-confirmed", "change-documents-to-reissue"),
    case("change between two documents, the later already reissued", chain(
        logged_as_made(PI, date(2026, 11, 10), qty="1,200"), logged_as_made("商业发票 Commercial Invoice", date(2026, 11, 20))),
         "change-detected", "change-after-purchase-contract", "change-not-confirmed", "document-outdated"),
    case("change between two documents, recorded", chain(
        logged_as_made(PI, date(2026, 11, 10), qty="1,200"), logged_as_made("商业发票 Commercial Invoice", date(2026, 11, 20)),
        change("数量", changed_on=date(2026, 11, 15), requested_by="客户", factory_confirmed=date(2026, 11, 16))),
         "change-documents-to-reissue"),
    case("cancellation detected", chain(CANCELLED, logged_as_made(PI, date(2026, 11, 20)),
                                         change("取消", changed_on=date(2026, 11, 19), factory_confirmed=date(2026, 11, 21))),
         "change-detected", "document-of-cancelled-order"),
]

LIFECYCLE_CASES = [*SAMPLE_CASES, *COMPLAINT_CASES, *CHANGE_CASES]


@pytest.mark.parametrize("spec", LIFECYCLE_CASES, ids=[c.name for c in LIFECYCLE_CASES])
def test_lifecycle_rule(spec: Case, tmp_path: Path) -> None:
    run_case(spec, tmp_path)


def test_add_row_helper_still_works(tmp_path: Path) -> None:
    # the shared helper reaches the new sheets too
    run_case(case("sample via add_row", add_row("samples", sample_no="S-9", order_no="T-001", kind="船样",
                                                 sent_date=date(2026, 11, 1)), "sample-no-verdict"), tmp_path)
