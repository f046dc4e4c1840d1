"""The rule table: each change to a clean order raises exactly the expected finding codes.

Every finding code the package defines appears in at least one case (``test_table_covers_every_code``).
Each case writes a real workbook, reads it back and runs every check as of 2026-11-26, so the
cell addresses, the reader and the checks are exercised together.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from gendan_xl.checks import run_checks
from gendan_xl.documents.source import FINGERPRINT_VERSION
from gendan_xl.findings import RULES
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.template import Formula
from tests.checks.casekit import (
    Case,
    add_row,
    case,
    chain,
    confirmed,
    deliver,
    history,
    logged,
    no_deposit_terms,
    nothing,
    run_case,
    upd,
)
from tests.checks.clean import TODAY, booked, clean_rows, line, order, set_price, setting, shipped, write_rows
from tests.checks.test_certificate_rules import CERTIFICATE_CASES
from tests.checks.test_documentary_rules import DOCUMENTARY_CASES
from tests.checks.test_lifecycle_rules import LIFECYCLE_CASES
from tests.checks.test_money_rules import MONEY_CASES


def add_duplicate_qty_header(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["订单明细"]
    sheet.cell(row=1, column=sheet.max_column + 1, value="Qty")
    book.save(path)


def unreadable_archive(folder: Path) -> Path:
    archive = folder / "archive"
    archive.mkdir()
    (archive / "2024.xlsx").write_bytes(b"not a zip at all")
    return archive


def missing_archive(folder: Path) -> Path:
    return folder / "no-such-folder"


def archive_with_price(folder: Path) -> Path:
    archive = folder / "archive"
    archive.mkdir()
    rows = clean_rows()
    rows["price_history"].clear()
    order(rows).update(order_no="OLD-1", order_date=date(2026, 7, 1), contract_no="SC-ARCH")
    line(rows).update(order_no="OLD-1", unit_price=Decimal("2.20"))
    rows["payments"].clear()
    write_rows(rows, archive / "2026-h1.xlsx")
    return archive


CASES = [
    case("clean", nothing),
    # reading
    case("text in qty", upd(line, qty="abc"), "not-a-number", addresses={"not-a-number": "订单明细!F2"}),
    case("impossible date", upd(order, delivery_date="2026-02-30"), "invalid-date", "delivery-date-missing",
         addresses={"invalid-date": "订单!Q2"}),
    case("#N/A amount", upd(line, amount=Formula("=NA()", "#N/A")), "cell-error",
         addresses={"cell-error": "订单明细!I2"}),
    case("not a date", upd(order, order_date="next week"), "not-a-date"),
    case("fractional pcs per carton", upd(line, pcs_per_carton=24.5), "not-an-integer"),
    case("ambiguous date", upd(order, order_date="03/05/2026"), "ambiguous-date"),
    case("percent above 100", upd(order, deposit_pct="130%"), "bad-percent"),
    case("not yes/no", upd(order, inspection_required="maybe"), "not-a-yes-no"),
    case("bad carton size", upd(line, carton_size="40 by 30"), "bad-dimensions"),
    case("unknown status", upd(order, status="half done"), "unknown-status"),
    case("qty empty", upd(line, qty=None), "missing-value", addresses={"missing-value": "订单明细!F2"}),
    case("duplicate column", nothing, "duplicate-column", edit_file=add_duplicate_qty_header),
    case("duplicate sheet", nothing, "duplicate-sheet", extra_sheets=("Orders",)),
    case("unknown setting", lambda rows: setting(rows, "tolerence", 3), "unknown-setting"),
    case("bad setting", lambda rows: setting(rows, "预警天数", "three"), "bad-setting"),
    # prices
    case("price above last contract", lambda rows: set_price(rows, "2.80"), "price-mismatch",
         addresses={"price-mismatch": "订单明细!H2"}),
    case("price within tolerance", lambda rows: set_price(rows, "2.505"), ),
    case("no earlier price", lambda rows: rows["price_history"].clear(), "price-no-reference"),
    case("earlier price in EUR only", history(currency="EUR"), "price-currency-differs"),
    case("earlier price per SET", history(unit="SETS"), "price-unit-differs"),
    case("earlier price under CIF ignored", history(incoterm="CIF", unit_price=Decimal("3.10")), "price-no-reference"),
    case("purchase price up", upd(line, purchase_price=Decimal("14.00")), "purchase-price-mismatch"),
    case("low margin", chain(upd(line, purchase_price=Decimal("17.00")), history(purchase_price=Decimal("17.00"))),
         "margin-low"),
    case("negative margin", chain(upd(line, purchase_price=Decimal("25.00")), history(purchase_price=Decimal("25.00"))),
         "margin-negative"),
    case("no exchange rate", lambda rows: setting(rows, "汇率 USD", None), "exchange-rate-missing"),
    case("archive price differs", nothing, "price-mismatch", archive=archive_with_price),
    case("archive unreadable", nothing, "archive-unreadable", archive=unreadable_archive),
    case("archive missing", nothing, "archive-missing", archive=missing_archive),
    # amounts
    case("line amount wrong", upd(line, amount=Decimal("2600.00")), "line-amount-mismatch",
         addresses={"line-amount-mismatch": "订单明细!I2"}),
    case("order total wrong", upd(order, order_total=Decimal("2600.00")), "order-total-mismatch",
         addresses={"order-total-mismatch": "订单!AA2"}),
    case("deposit short", upd(order, deposit_amount=Decimal("500.00")), "deposit-amount-mismatch"),
    case("overpaid", add_row("payments", order_no="T-001", date=date(2026, 11, 1), amount=Decimal("5000"),
                             currency="USD"), "payments-exceed-total"),
    case("payment in CNY", add_row("payments", order_no="T-001", date=date(2026, 11, 1), amount=Decimal("100"),
                                   currency="CNY"), "payment-currency-differs"),
    # deliveries and deadlines
    case("late", deliver(date(2026, 11, 20)),
         "delivery-late", "factory-confirmation-overdue", "booking-overdue"),
    case("factory after customer", upd(order, factory_delivery_date=date(2026, 12, 30)), "factory-date-after-delivery"),
    case("at risk without purchase contract", chain(
        deliver(date(2026, 11, 30), po_issued=None, po_signed=None), confirmed, booked),
        "delivery-at-risk"),
    case("no delivery date", upd(order, delivery_date=None), "delivery-date-missing"),
    case("sign-back overdue", upd(order, po_issued=date(2026, 11, 20), po_signed=None), "po-signback-overdue"),
    case("sign-back due", upd(order, po_issued=date(2026, 11, 25), po_signed=None), "po-signback-due"),
    case("factory confirmation due", chain(deliver(date(2026, 12, 10)), booked),
         "factory-confirmation-due"),
    case("factory confirmation overdue", chain(deliver(date(2026, 12, 4)), booked),
         "factory-confirmation-overdue"),
    case("booking due", chain(deliver(date(2026, 12, 10)), confirmed), "booking-due"),
    case("booking overdue", chain(deliver(date(2026, 12, 4)), confirmed), "booking-overdue"),
    case("inspection due", chain(deliver(date(2026, 12, 7), inspection_required=True), confirmed,
                                 booked), "inspection-due"),
    case("inspection overdue", chain(deliver(date(2026, 12, 2), inspection_required=True), confirmed,
                                     booked), "inspection-overdue"),
    case("C/O due", chain(deliver(date(2026, 12, 7)), confirmed,
                          lambda rows: booked(rows, co_type="C/O")), "co-due"),
    case("C/O overdue", chain(deliver(date(2026, 12, 2)), confirmed,
                              lambda rows: booked(rows, co_type="C/O")), "co-overdue"),
    case("shipped on time", lambda rows: shipped(rows)),
    case("deadline in 2027", deliver(date(2027, 3, 1)),
         "calendar-estimated"),
    # payments
    case("purchase contract before deposit", upd(order, po_issued=date(2026, 10, 3), po_signed=date(2026, 10, 4)),
         "po-before-deposit", addresses={"po-before-deposit": "订单!T2"}),
    case("purchase contract before full payment", chain(
        upd(order, payment_terms="100% T/T in advance", deposit_pct=Decimal(1), deposit_amount=Decimal("2500.00"),
            po_issued=date(2026, 10, 3), po_signed=date(2026, 10, 4)),
        lambda rows: rows["payments"][0].update(amount=Decimal("2500.00"))), "po-before-full-payment"),
    case("L/C not received", no_deposit_terms("L/C at sight"), "lc-not-received"),
    case("L/C received first", chain(no_deposit_terms("L/C at sight"), upd(
        order, lc_date=date(2026, 10, 6), lc_latest_shipment=date(2026, 12, 28), lc_expiry=date(2027, 1, 18)))),
    case("balance overdue", lambda rows: shipped(rows, paid=False), "balance-overdue"),
    case("B/L released before payment", lambda rows: shipped(rows, bl_released=date(2026, 11, 12)),
         "bl-released-before-payment"),
    case("open account", no_deposit_terms("O/A 30 days"), "credit-terms"),
    case("terms not understood", upd(order, payment_terms="as usual"), "payment-terms-unknown"),
    case("no terms", upd(order, payment_terms=None), "payment-terms-missing"),
    # inspection and certificates
    case("Form A to Germany", lambda rows: booked(rows, co_type="Form A"), "form-a-not-accepted"),
    case("plain C/O to Vietnam", chain(upd(order, destination_country="越南"), lambda rows: booked(rows, co_type="C/O")),
         "fta-certificate-suggested"),
    case("Form E to Vietnam", chain(upd(order, destination_country="Vietnam"),
                                    lambda rows: booked(rows, co_type="Form E"))),
    case("certificate override", chain(upd(order, destination_country="VN"), lambda rows: booked(rows, co_type="C/O"),
                                       lambda rows: setting(rows, "产地证 VN", "C/O"))),
    # volume and weights
    case("N.W. above G.W.", upd(line, nw_per_carton=Decimal("12")), "nw-exceeds-gw"),
    case("carton data missing near booking", chain(deliver(date(2026, 12, 10)), confirmed, booked,
                                                   upd(line, pcs_per_carton=None)), "carton-data-missing"),
    case("carton data missing far away", upd(line, pcs_per_carton=None)),
    case("carton size in one cell", upd(line, carton_l=None, carton_w=None, carton_h=None, carton_size="50*40*30")),
    # data quality
    case("duplicate order no.", lambda rows: rows["orders"].append(dict(order(rows))), "duplicate-order-no"),
    case("line without order", add_row("lines", order_no="T-999", item_no="X-1", qty=Decimal(1),
                                       unit_price=Decimal("2.50")), "line-without-order"),
    case("order without lines", lambda rows: rows["orders"].append(dict(order(rows), order_no="T-002")),
         "order-without-lines"),
    case("unknown customer", upd(order, customer="NOBODY"), "unknown-customer", "price-no-reference"),
    case("unknown factory", upd(order, factory="NOFAB"), "unknown-factory"),
    case("zero qty", chain(upd(line, qty=Decimal(0), amount=Decimal(0)),
                           upd(order, order_total=Decimal(0), deposit_amount=None),
                           lambda rows: rows["payments"].clear()), "non-positive-qty"),
    case("negative purchase price", chain(upd(line, purchase_price=Decimal("-1")), history(purchase_price=None)),
         "non-positive-price"),
    case("unknown currency", upd(order, currency="XYZ"), "unknown-currency", "price-currency-differs",
         "exchange-rate-missing", "payment-currency-differs"),
    case("unknown incoterm", upd(order, incoterm="FOBB"), "unknown-incoterm", "price-no-reference"),
    case("unknown unit", upd(line, unit="bundle"), "unknown-unit", "price-unit-differs"),
    case("unknown country", upd(order, destination_country="Atlantis"), "unknown-country"),
    case("shipment without order", add_row("shipments", shipment_no="INV-9", order_no="T-999"),
         "shipment-without-order"),
    case("payment without order", add_row("payments", order_no="T-999", date=date(2026, 11, 1),
                                          amount=Decimal("1"), currency="USD"), "payment-without-order"),
    # the document log (单证记录): a record whose fingerprint no longer matches the order's data
    case("document made from older data", logged("商业发票 Commercial Invoice", fingerprint=f"{FINGERPRINT_VERSION}:0ld"),
         "document-outdated"),
    case("document from another fingerprint version", logged("商业发票 Commercial Invoice", fingerprint="v0:0ld")),
    case("document recalled", logged("商业发票 Commercial Invoice", fingerprint=f"{FINGERPRINT_VERSION}:0ld",
                                     recalled=True)),
    case("documents of a cancelled order", chain(upd(order, status="已取消 Cancelled"),
                                                 logged("装箱单 Packing List", fingerprint="0ld0ld0ld"),
                                                 add_row("changes", order_no="T-001", changed_on=date(2026, 11, 20),
                                                         what="取消 Cancelled", customer_confirmed=date(2026, 11, 20),
                                                         factory_confirmed=date(2026, 11, 21))),
         "document-of-cancelled-order"),
    case("document of an order no longer there", logged("装箱单 Packing List", order_no="T-404", fingerprint="x"),
         "document-order-missing"),
    case("document kind unknown", logged("Fax cover sheet", fingerprint="x"), "document-kind-unknown"),
    case("payment currency unknown", add_row("payments", order_no="T-001", date=date(2026, 11, 1),
                                             amount=Decimal("1"), currency="ABC"),
         "unknown-currency", "payment-currency-differs"),
]

# The codes of reading a workbook in another layout are tested on trackers (tests/workbook/test_trackers.py,
# test_mapstore.py); a shipment document needs a rendered shipment to log (tests/documents/test_shipment_log.py);
# every other code has a case above.
COVERED_ELSEWHERE: set[str] = {"mapping-automatic", "mapping-sheet-missing", "mapping-header-missing",
                               "column-currency-differs", "order-cells-disagree", "checks-skipped",
                               "shipment-orders-changed"}


@pytest.mark.parametrize("spec", CASES, ids=[c.name for c in CASES])
def test_change_raises_exactly_the_expected_codes(spec: Case, tmp_path: Path) -> None:
    run_case(spec, tmp_path)


def test_table_covers_every_code() -> None:
    every = [*CASES, *MONEY_CASES, *CERTIFICATE_CASES, *DOCUMENTARY_CASES, *LIFECYCLE_CASES]
    tested = set().union(*(c.expected for c in every)) | COVERED_ELSEWHERE
    assert set(RULES) - tested == set()


def test_clean_order_summary(tmp_path: Path) -> None:
    report = run_checks(read_workbook(write_rows(clean_rows(), tmp_path / "book.xlsx")), today=TODAY)
    (summary,) = report.orders
    assert summary.price_check == "正常 OK" and summary.amount_check == "正常 OK"
    assert summary.delivery.value == "on_time"
    assert summary.next_action_en == "confirm the delivery date with the factory"
    assert summary.next_due == date(2026, 12, 18)
    assert (summary.cartons, summary.cbm, summary.container) == (20, "1.200", "LCL")


def test_only_filters_codes_and_families(tmp_path: Path) -> None:
    rows = clean_rows()
    set_price(rows, "2.80")
    order(rows)["order_total"] = Decimal("1.00")
    book = read_workbook(write_rows(rows, tmp_path / "book.xlsx"))
    assert {f.code for f in run_checks(book, today=TODAY, only=["prices"]).findings} == {"price-mismatch"}
    assert {f.code for f in run_checks(book, today=TODAY, only=["order-total-mismatch"]).findings} == {
        "order-total-mismatch"}
