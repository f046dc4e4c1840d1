"""Domain models: the fast constructor gives the same rows validation would, and the derived figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from gendan_xl.demo import write_demo_workbook
from gendan_xl.models import Order, OrderLine, RowModel, SheetInfo, Workbook, column_letter, round_money
from gendan_xl.vocab import OrderStatus, PaymentKind
from gendan_xl.workbook.reader import read_workbook


@pytest.fixture(scope="module")
def demo_workbook(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path, _ = write_demo_workbook(tmp_path_factory.mktemp("demo"), today=date(2026, 11, 26))
    return read_workbook(path)


def all_rows(workbook: Workbook) -> list[RowModel]:
    return [*workbook.orders, *workbook.lines, *workbook.price_history, *workbook.customers, *workbook.factories,
            *workbook.shipments, *workbook.payments]


def test_constructed_rows_equal_validated_rows(demo_workbook: Workbook) -> None:
    rows = all_rows(demo_workbook)
    assert len(rows) > 400
    for model in rows:
        assert type(model).model_validate(model.model_dump()) == model, (type(model).__name__, model.row)
        # strict round trip through JSON too: every value has exactly the field's type
        assert type(model).model_validate_json(model.model_dump_json()) == model


def test_constructed_rows_have_exact_types(demo_workbook: Workbook) -> None:
    for line in demo_workbook.lines:
        for name in ("qty", "unit_price", "amount", "purchase_price", "carton_l", "nw_per_carton"):
            value = getattr(line, name)
            assert value is None or type(value) is Decimal, (line.row, name, value)
    for order in demo_workbook.orders:
        assert order.order_date is None or type(order.order_date) is date
        assert order.status is None or isinstance(order.status, OrderStatus)


def test_rows_are_frozen(demo_workbook: Workbook) -> None:
    line = demo_workbook.lines[0]
    with pytest.raises(ValidationError):
        line.qty = Decimal(1)  # type: ignore[misc]


def test_constructor_fills_defaults() -> None:
    build = OrderLine.constructor()
    line = build({"row": 7, "order_no": "GD-1", "item_no": "KT-1", "qty": Decimal(3)})
    assert line == OrderLine(row=7, order_no="GD-1", item_no="KT-1", qty=Decimal(3))
    assert line.unit_price is None and line.remarks is None


def test_validation_rejects_bad_values_and_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        OrderLine(row=2, order_no="GD-1", item_no="K", qty="lots")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        OrderLine(row=2, order_no="GD-1", item_no="K", colour="red")  # type: ignore[call-arg]


def test_line_figures() -> None:
    line = OrderLine(row=2, order_no="GD-1", item_no="K", qty=Decimal(1001), unit_price=Decimal("1.005"),
                     pcs_per_carton=Decimal(24), carton_l=Decimal(50), carton_w=Decimal(40), carton_h=Decimal(30),
                     gw_per_carton=Decimal("10.5"))
    assert line.computed_amount == Decimal("1006.01")  # 1006.005 rounds half-up, not to even
    assert line.cartons == 42  # ceil(1001 / 24)
    assert line.carton_cbm == Decimal("0.06")
    assert line.has_carton_data
    assert OrderLine(row=3, order_no="GD-1", item_no="K").computed_amount is None
    assert OrderLine(row=3, order_no="GD-1", item_no="K", qty=Decimal(5), pcs_per_carton=Decimal(0)).cartons is None


def test_round_money_is_half_up() -> None:
    assert round_money(Decimal("0.125")) == Decimal("0.13")
    assert round_money(Decimal("2.675")) == Decimal("2.68")
    assert round_money(Decimal("-0.125")) == Decimal("-0.13")


def test_order_terms_and_status() -> None:
    order = Order(row=2, order_no="GD-1", payment_terms="T/T 30% deposit, balance against B/L copy",
                  status=OrderStatus.SHIPPED)
    assert order.terms is not None and order.terms.kind is PaymentKind.TT_DEPOSIT
    assert order.deposit_share == Decimal("0.3")
    assert order.is_shipped and not order.is_cancelled
    assert Order(row=3, order_no="GD-2", deposit_pct=Decimal("0.5")).deposit_share == Decimal("0.5")
    assert Order(row=4, order_no="GD-3").terms is None


@pytest.mark.parametrize(("index", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (703, "AAA")])
def test_column_letter(index: int, letters: str) -> None:
    assert column_letter(index) == letters


def test_workbook_addresses_and_indexes(demo_workbook: Workbook) -> None:
    line = demo_workbook.lines[0]
    assert demo_workbook.address("lines", "amount", line.row) == f"订单明细!I{line.row}"
    assert demo_workbook.address("lines", None, 5) == "订单明细!A5"
    assert demo_workbook.cell("nope", "amount", 5) == (None, None)
    grouped = demo_workbook.lines_by_order
    assert sum(len(v) for v in grouped.values()) == len(demo_workbook.lines)
    first = demo_workbook.orders[0]
    assert demo_workbook.orders_by_no[first.order_no] is first
    assert demo_workbook.counts()["orders"] == len(demo_workbook.orders) == 43


def test_sheet_info_letter() -> None:
    info = SheetInfo(key="lines", name="订单明细", header_row=1, last_header_row=1, columns={"amount": 9})
    assert info.letter("amount") == "I"
    assert info.letter("qty") is None


def test_empty_workbook() -> None:
    assert Workbook().counts() == dict.fromkeys(
        ("orders", "lines", "price_history", "customers", "factories", "shipments", "payments", "samples", "complaints",
         "changes", "documents"), 0)

