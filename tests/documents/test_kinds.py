"""Document kinds: names accepted on the command line, file names, fingerprint fields."""

from __future__ import annotations

import pytest

from gendan_xl.documents.kinds import KINDS, SECTION_FIELDS, document_file_name, find_kind, parse_kinds, safe_file_stem
from gendan_xl.errors import ConfigError


def test_every_kind_once_in_trade_order() -> None:
    assert [k.key for k in KINDS] == ["proforma-invoice", "sales-contract", "purchase-contract", "commercial-invoice",
                                      "packing-list", "booking-note", "shipping-advice", "customs-data",
                                      "inspection-data", "co-data"]


@pytest.mark.parametrize(("name", "key"), [("ci", "commercial-invoice"), ("商业发票", "commercial-invoice"),
                                           ("Commercial Invoice", "commercial-invoice"), ("托书", "booking-note"),
                                           ("PI", "proforma-invoice"), ("报关资料", "customs-data"),
                                           ("商业发票 Commercial Invoice", "commercial-invoice")])
def test_find_kind_by_any_name(name: str, key: str) -> None:
    kind = find_kind(name)
    assert kind is not None and kind.key == key


def test_parse_kinds() -> None:
    assert parse_kinds(None) == KINDS
    assert [k.key for k in parse_kinds(["pl,ci", "ci"])] == ["commercial-invoice", "packing-list"]
    with pytest.raises(ConfigError, match="invoicex"):
        parse_kinds(["invoicex"])


@pytest.mark.parametrize(("order_no", "stem"), [("GD2026-001", "GD2026-001"), ("GD/2026:7", "GD-2026-7"),
                                                ('A<B>C"D|E?F*', "A-B-C-D-E-F"), ("CON", "_CON"), ("  . ", "order"),
                                                ("订单 12", "订单 12")])
def test_safe_file_stem(order_no: str, stem: str) -> None:
    assert safe_file_stem(order_no) == stem


def test_file_name() -> None:
    assert document_file_name("GD/1", KINDS[3]) == "GD-1_commercial-invoice.docx"


def test_fingerprint_fields_use_declared_sections_only() -> None:
    known = set().union(*SECTION_FIELDS.values())
    for kind in KINDS:
        assert kind.fields, kind.key
        assert all(field.split(".")[0] in {"order", "line", "customer", "factory", "shipment"} for field in kind.fields)
        assert set(kind.fields) - {"order.order_total", "shipment.invoice_amount"} <= known
    purchase = find_kind("purchase-contract")
    invoice = find_kind("commercial-invoice")
    assert purchase is not None and invoice is not None
    assert "line.purchase_price" in purchase.fields and "line.purchase_price" not in invoice.fields
    assert "line.unit_price" in invoice.fields and "line.unit_price" not in purchase.fields
