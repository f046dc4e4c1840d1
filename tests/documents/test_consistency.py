"""The cross-document check: real sources of disagreement found, with the cells behind them; a clean set passes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from gendan_xl.documents import KINDS, build_context, check_documents, gather_order
from gendan_xl.documents.consistency import DocumentProblem
from gendan_xl.models import column_letter
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.schema import sheet_spec

from .conftest import TODAY, Rows

ALL = [k.key for k in KINDS]


def cell(sheet: str, field: str, row: int = 2) -> str:
    """``订单!AA2``: where the template layout puts ``field`` (columns in schema order from A)."""
    spec = sheet_spec(sheet)
    index = [c.field for c in spec.columns].index(field) + 1
    return f"{spec.zh}!{column_letter(index)}{row}"


def _problems(rows: Rows, write_book: Callable[..., Path], rendering: list[str] | None = None) -> list[DocumentProblem]:
    wb = read_workbook(write_book(rows))
    data = gather_order(wb, "T-001", today=TODAY)
    contexts = [build_context(data, kind) for kind in KINDS]
    return check_documents(contexts, rendering or ALL, cancelled=data.order.is_cancelled)


def test_a_clean_order_passes(rows: Rows, write_book: Callable[..., Path]) -> None:
    assert _problems(rows, write_book) == []


def test_contract_total_against_the_lines(rows: Rows, write_book: Callable[..., Path]) -> None:
    rows["orders"][0]["order_total"] = Decimal("2182.50")
    problems = _problems(rows, write_book)
    assert [p.code for p in problems] == ["figure-differs"]
    message = problems[0].message_en
    assert "amount differs" in message
    assert f"Sales Contract USD 2,182.50 ({cell('orders', 'order_total')})" in message  # the order total cell
    assert "Commercial Invoice" in message and "USD 2,082.50" in message and "qty × unit price" in message
    assert "金额不一致" in problems[0].message_zh


def test_shipment_invoice_amount_against_the_invoice(rows: Rows, write_book: Callable[..., Path]) -> None:
    rows["shipments"][0]["invoice_amount"] = Decimal("2000.00")
    problems = _problems(rows, write_book)
    assert len(problems) == 1
    message = problems[0].message_en
    assert ("Shipping Advice, Customs Declaration Data, Inspection Application Data, C/O Application Data USD "
            f"2,000.00 ({cell('shipments', 'invoice_amount')})") in message


def test_difference_reported_only_when_a_rendered_document_shows_it(rows: Rows, write_book: Callable[..., Path]) -> None:
    rows["shipments"][0]["invoice_amount"] = Decimal("2000.00")
    assert _problems(rows, write_book, ["purchase-contract", "packing-list"]) == []
    assert len(_problems(rows, write_book, ["customs-data"])) == 1


def test_price_term_port_against_the_port_of_discharge(rows: Rows, write_book: Callable[..., Path]) -> None:
    rows["orders"][0]["pod"] = "Felixstowe"
    problems = _problems(rows, write_book)
    assert len(problems) == 1
    assert "port of discharge differs" in problems[0].message_en
    message = problems[0].message_en
    assert f"CIF Hamburg ({cell('orders', 'incoterm_place')})" in message
    assert f"Felixstowe ({cell('orders', 'pod')})" in message


def test_fob_names_the_port_of_loading_but_fca_may_be_inland(rows: Rows, write_book: Callable[..., Path]) -> None:
    rows["orders"][0].update({"incoterm": "FOB", "incoterm_place": "Shanghai"})
    assert "port of loading differs" in _problems(rows, write_book)[0].message_en
    rows["orders"][0].update({"incoterm": "FCA", "incoterm_place": "Yiwu"})
    assert _problems(rows, write_book) == []
    rows["orders"][0].update({"incoterm": "FOB", "incoterm_place": "NINGBO PORT"})
    assert _problems(rows, write_book) == []  # spelling and a trailing "port" do not matter


def test_sailing_after_the_latest_date_of_shipment(rows: Rows, write_book: Callable[..., Path]) -> None:
    rows["shipments"][0]["etd"] = date(2026, 12, 28)
    problems = _problems(rows, write_book)
    assert [p.code for p in problems] == ["shipped-late"]
    message = problems[0].message_en
    assert f"ETD 2026-12-28 ({cell('shipments', 'etd')}" in message
    assert f"2026-12-20 ({cell('orders', 'delivery_date')})" in message


def test_missing_data_and_cancelled_orders(rows: Rows, write_book: Callable[..., Path]) -> None:
    rows["lines"][0]["unit_price"] = None
    rows["lines"][0]["amount"] = None
    rows["orders"][0]["status"] = "已取消 Cancelled"
    rows["orders"][0]["order_total"] = Decimal("645.00")
    rows["shipments"][0]["invoice_amount"] = Decimal("645.00")
    problems = _problems(rows, write_book)
    codes = [p.code for p in problems]
    assert codes[0] == "order-cancelled"
    missing = [p for p in problems if p.code == "missing-data"]
    assert len(missing) == 1 and f"no unit price ({cell('lines', 'unit_price')})" in missing[0].message_en
    assert _problems(rows, write_book, ["packing-list"])[0].code == "order-cancelled"


def test_customs_units_are_compared_with_commercial_units(rows: Rows, write_book: Callable[..., Path]) -> None:
    wb = read_workbook(write_book(rows))
    data = gather_order(wb, "T-001", today=TODAY)
    customs = next(c for c in (build_context(data, k) for k in KINDS) if c.kind.key == "customs-data")
    quantities = [f for f in customs.figures if f.name == "qty"]
    assert {f.shown for f in quantities} == {"1,250 PCS + 300 SETS", "1,250 个 + 300 套"}
    assert len({f.value for f in quantities}) == 1  # 个 is PCS and 套 is SETS: no difference
