"""Trackers merchandisers already keep, read with no retyping: each maps as expected and reads into the same models."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from gendan_xl import read_workbook
from gendan_xl.models import Workbook
from gendan_xl.pipeline import map_workbook
from gendan_xl.workbook.mapstore import required_keys
from tests.trackers import (
    BILINGUAL,
    CJK_ERP,
    CN_FIRST_ROW,
    CN_MERGED,
    CN_REPEATED,
    CONTAINS,
    CONTRACT_KEYED,
    EN_ONE_PER_ORDER,
    MONTHLY,
    ORDERS,
    PER_CUSTOMER,
    TRACKERS,
    UNITS,
    OrderSheet,
    Tracker,
    lc,
    ln,
    o,
    oc,
    score,
)


def _mapped(tracker: Tracker, path: Path) -> dict[str, str]:
    report = map_workbook(path)
    [table] = [t for t in report.tables if t.role == tracker.role]
    assert table.sheets == [s.name for s in tracker.sheets]
    assert table.order_key == (tracker.key or None)
    return {f.key: f.header for f in table.fields if f.header}


@pytest.mark.parametrize("tracker", TRACKERS, ids=lambda t: t.name)
def test_every_tracker_maps_without_edits(tracker: Tracker, tmp_path: Path) -> None:
    path = tracker.write(tmp_path)
    chosen = _mapped(tracker, path)
    required_ok, share, mistakes = score(tracker, chosen, required_keys(tracker.role, tracker.key or "order_no"))
    assert required_ok, mistakes
    assert share >= 0.95, mistakes
    assert map_workbook(path).usable


@pytest.mark.parametrize("tracker", TRACKERS, ids=lambda t: t.name)
def test_every_tracker_reads_into_its_orders_and_lines(tracker: Tracker, tmp_path: Path) -> None:
    workbook = read_workbook(tracker.write(tmp_path))
    expected = [order for sheet in tracker.sheets for order in sheet.orders]
    key = "contract_no" if tracker.key == "contract_no" else "order_no"
    assert [o.order_no for o in workbook.orders] == [order[key] for order in expected]
    assert [(line.order_no, line.item_no, line.qty) for line in workbook.lines] == [
        (order[key], line["item_no"], Decimal(line["qty"])) for order in expected for line in order["lines"]]
    prices = [line.unit_price for line in workbook.lines]
    assert prices == [Decimal(str(line["price"])) for order in expected for line in order["lines"]]
    if "orders.delivery_date" in tracker.expected:
        assert [o.delivery_date for o in workbook.orders] == [order["delivery_date"] for order in expected]
    assert not [f for f in workbook.errors()], [f.message_en for f in workbook.errors()]
    assert {f.code for f in workbook.findings} <= {"mapping-automatic", "column-currency-differs"}
    if tracker.role == "lines":  # the orders' own sheet, found by its columns under the user's name
        assert workbook.sheets["orders"].name == "2026年订单" and workbook.sheets["orders"].header_row == 3
        assert [o.customer for o in workbook.orders] == [order["customer"] for order in expected]


def test_customer_rating_is_never_the_customer(tmp_path: Path) -> None:
    for tracker in (CN_MERGED, CONTAINS):
        path = tracker.write(tmp_path)
        chosen = _mapped(tracker, path)
        assert chosen["orders.customer"] == "客户"
        assert "客户评价" not in chosen.values() and "工厂地址" not in chosen.values()
        assert {o.customer for o in read_workbook(path).orders} == {order["customer"] for order in ORDERS}


def test_merged_and_first_row_orders_take_the_first_rows_values(tmp_path: Path) -> None:
    merged = read_workbook(CN_MERGED.write(tmp_path))
    first_row = read_workbook(CN_FIRST_ROW.write(tmp_path))
    for book in (merged, first_row):
        assert [o.payment_terms for o in book.orders] == [order["payment_terms"] for order in ORDERS]
        assert [o.row for o in book.orders] == [line.row for line in _first_lines(book)]
    assert merged.sheets["orders"].merged_orders and not first_row.sheets["orders"].merged_orders
    assert merged.sheets["orders"].header_row == 3  # under the title row and a blank row
    assert [o.order_total for o in first_row.orders] == [Decimal(str(order["total"])) for order in ORDERS]


def _first_lines(book: Workbook) -> list:  # type: ignore[type-arg]
    seen: dict[str, object] = {}
    for line in book.lines:
        seen.setdefault(line.order_no, line)
    return list(seen.values())


def test_units_and_bases(tmp_path: Path) -> None:
    book = read_workbook(UNITS.write(tmp_path))
    first = book.lines[0]
    assert (first.carton_l, first.carton_w, first.carton_h) == (Decimal(52), Decimal(32), Decimal(28))  # mm → cm
    assert first.unit == "PCS"  # named by the quantity's header 数量(PCS)
    assert {o.currency for o in book.orders} == {"USD"}  # named by the price's header 单价 USD
    assert all(line.amount is None for line in book.lines)  # 产品总价_元 is in CNY, the orders in USD
    [differs] = [f for f in book.findings if f.code == "column-currency-differs"]
    assert differs.address == "2026!G1"
    chosen = _mapped(UNITS, UNITS.write(tmp_path))
    assert "Total Carton Quantity" not in chosen.values() and "总体积" not in chosen.values()
    repeated = _mapped(CN_REPEATED, CN_REPEATED.write(tmp_path))
    assert "总毛重" not in repeated.values() and "单件毛重" not in repeated.values()
    assert repeated["lines.gw_per_carton"] == "单箱毛重"


def test_contract_no_forms_the_orders_when_there_is_no_order_no(tmp_path: Path) -> None:
    book = read_workbook(CONTRACT_KEYED.write(tmp_path))
    assert [o.order_no for o in book.orders] == [o.contract_no for o in book.orders]
    assert book.sheets["orders"].order_key == "contract_no"
    assert book.address("orders", "order_no", book.orders[1].row) == "合同台账!A5"


def test_monthly_sheets_are_one_table_with_real_addresses(tmp_path: Path) -> None:
    tracker = Tracker("monthly_bad", [OrderSheet(s.name, s.columns, s.orders, s.layout, s.title)
                                      for s in MONTHLY.sheets], other=MONTHLY.other)
    path = tracker.write(tmp_path)
    book = read_workbook(path)
    assert [info.name for info in book.sheets["orders"].sheets] == ["2026.03", "2026.04"]
    last = book.lines[-1]
    assert book.address("lines", "qty", last.row) == "'2026.04'!G8"
    assert book.address("orders", "customer", book.orders[2].row) == "'2026.04'!B4"
    report = map_workbook(path)
    assert "汇总" in report.unused


def test_per_customer_sheets_name_the_customer(tmp_path: Path) -> None:
    book = read_workbook(PER_CUSTOMER.write(tmp_path))
    assert [o.customer for o in book.orders] == ["HANSA", "BRIGHTON", "SUNCOAST"]


def test_order_cells_that_disagree_name_both_cells(tmp_path: Path) -> None:
    orders = [dict(ORDERS[0]), *ORDERS[1:]]
    columns = [oc("订单号", "orders.order_no", o("order_no")),
               oc("客户", "orders.customer", o("customer")),
               oc("交期", "orders.delivery_date",
                  lambda order, line: date(2026, 5, 28) if line["item_no"] == "KT-1003" else order["delivery_date"]),
               lc("货号", "lines.item_no", ln("item_no")), lc("数量", "lines.qty", ln("qty")),
               lc("单价", "lines.unit_price", ln("price"))]
    book = read_workbook(Tracker("disagree", [OrderSheet("Sheet1", columns, orders)]).write(tmp_path))
    [finding] = [f for f in book.findings if f.code == "order-cells-disagree"]
    assert finding.address == "Sheet1!C4" and finding.data["first"] == "C2" and finding.order_no == "GD2026-001"
    assert book.orders[0].delivery_date == ORDERS[0]["delivery_date"]


def test_title_blank_subtotal_and_note_rows_are_skipped(tmp_path: Path) -> None:
    sheet = OrderSheet("Sheet1", CN_FIRST_ROW.sheets[0].columns, ORDERS, layout="first_row", title="2026 跟单",
                       subtotals=True, note="备注：价格含税", blank_between=True)
    book = read_workbook(Tracker("busy", [sheet]).write(tmp_path))
    assert len(book.orders) == 4 and len(book.lines) == 9
    assert not list(book.errors())


def test_bilingual_two_row_header_and_carton_columns(tmp_path: Path) -> None:
    book = read_workbook(BILINGUAL.write(tmp_path))
    assert book.sheets["lines"].header_row == 1 and book.sheets["lines"].last_header_row == 2
    assert book.lines[0].carton_cbm == Decimal(52 * 32 * 28) / Decimal(1_000_000)


def test_mixed_korean_japanese_english_headers(tmp_path: Path) -> None:
    book = read_workbook(CJK_ERP.write(tmp_path))
    assert [o.factory for o in book.orders] == [order["factory"] for order in ORDERS]
    assert book.lines[0].amount == Decimal("1380.00")


def test_one_row_per_order(tmp_path: Path) -> None:
    book = read_workbook(EN_ONE_PER_ORDER.write(tmp_path))
    assert len(book.orders) == len(book.lines) == 4
    assert all(o.status is None for o in book.orders)  # "Status" holds ERP words, not order statuses: not read
    assert [o.destination_country for o in book.orders] == ["DE", "GB", "AU", "CA"]


def test_customer_po_forms_the_orders_when_nothing_else_does(tmp_path: Path) -> None:
    columns = [oc("Customer PO", "orders.customer_po", o("customer_po")), oc("Buyer", "orders.customer", o("customer")),
               lc("Item No.", "lines.item_no", ln("item_no")), lc("Qty", "lines.qty", ln("qty")),
               lc("Unit Price", "lines.unit_price", ln("price"))]
    path = Tracker("po_keyed", [OrderSheet("Sheet1", columns, ORDERS, layout="first_row")], key="customer_po").write(
        tmp_path)
    book = read_workbook(path)
    assert [o.order_no for o in book.orders] == [order["customer_po"] for order in ORDERS]
    assert book.sheets["orders"].order_key == "customer_po"
    assert _mapped(Tracker("po_keyed", [OrderSheet("Sheet1", columns, ORDERS)], key="customer_po"), path)
