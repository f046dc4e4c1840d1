"""A clean master workbook (one order that raises no finding) and helpers to spoil it on purpose.

Today is 2026-11-26 (a Thursday; 2026 is in chinese-calendar). Order T-001: ACME (Germany),
USD FOB Ningbo, T/T 30% deposit balance against B/L copy, 1,000 PCS of X-1 at 2.50 = 2,500.00,
deposit 750.00 arrived 2026-10-05, purchase contract issued 2026-10-07 and signed back, customer
delivery 2026-12-28 (every deadline weeks away), carton data complete, confirmed price 2.50 in
the price history, purchase price 12.00 CNY, USD rate 7.10 → margin ≈ 40%.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from gendan_xl.workbook.template import default_settings_rows, write_workbook

TODAY = date(2026, 11, 26)
Rows = dict[str, list[dict[str, Any]]]


def clean_rows() -> Rows:
    """The rows of the clean workbook, per sheet key (a fresh copy each call)."""
    settings = default_settings_rows()
    for row in settings:
        if row["key"] == "汇率 USD":
            row["value"] = 7.10
    order = {
        "order_no": "T-001", "customer": "ACME", "customer_po": "PO-77", "contract_no": "SC-001",
        "order_date": date(2026, 10, 1), "currency": "USD", "incoterm": "FOB", "incoterm_place": "Ningbo",
        "pol": "Ningbo", "pod": "Hamburg", "destination_country": "DE",
        "payment_terms": "T/T 30% deposit, balance against B/L copy", "deposit_pct": Decimal("0.3"),
        "deposit_date": date(2026, 10, 5), "deposit_amount": Decimal("750.00"), "delivery_date": date(2026, 12, 28),
        "factory": "FAB", "po_no": "PC-001", "po_issued": date(2026, 10, 7), "po_signed": date(2026, 10, 8),
        "factory_delivery_date": date(2026, 12, 20), "inspection_required": False,
        "order_total": Decimal("2500.00"), "status": "生产中 In production", "merchandiser": "李娜",
    }
    line = {
        "order_no": "T-001", "item_no": "X-1", "description": "Steel tongs", "spec": "23cm", "hs_code": "8215990000",
        "qty": Decimal(1000), "unit": "PCS", "unit_price": Decimal("2.50"), "amount": Decimal("2500.00"),
        "purchase_price": Decimal("12.00"), "pcs_per_carton": 50, "carton_l": 50, "carton_w": 40, "carton_h": 30,
        "nw_per_carton": Decimal("10"), "gw_per_carton": Decimal("11"),
    }
    return copy.deepcopy({
        "orders": [order],
        "lines": [line],
        "price_history": [{"customer": "ACME", "factory": "FAB", "item_no": "X-1", "currency": "USD",
                           "incoterm": "FOB", "unit": "PCS", "unit_price": Decimal("2.50"),
                           "purchase_price": Decimal("12.00"), "contract_no": "SC-OLD", "contract_date": date(2026, 6, 1)}],
        "customers": [{"code": "ACME", "name": "Acme Haushalt GmbH", "country": "DE", "address": "Hamburg"}],
        "factories": [{"code": "FAB", "name": "宁波工厂有限公司", "address": "宁波"}],
        "shipments": [],
        "payments": [{"order_no": "T-001", "date": date(2026, 10, 5), "amount": Decimal("750.00"), "currency": "USD",
                      "kind": "订金 Deposit"}],
        "samples": [],
        "complaints": [],
        "changes": [],
        "settings": settings,
    })


def write_rows(rows: Rows, path: Path, *, extra_sheets: tuple[str, ...] = ()) -> Path:
    """Write ``rows`` as a master workbook in the template's layout."""
    return write_workbook(path, rows, extra_sheets=extra_sheets)


def order(rows: Rows) -> dict[str, Any]:
    """The order T-001."""
    return rows["orders"][0]


def line(rows: Rows) -> dict[str, Any]:
    """The only line of T-001."""
    return rows["lines"][0]


def set_price(rows: Rows, price: str) -> None:
    """Change the unit price and keep every dependent figure consistent (amount, total, deposit)."""
    unit_price = Decimal(price)
    amount = (line(rows)["qty"] * unit_price).quantize(Decimal("0.01"))
    line(rows).update(unit_price=unit_price, amount=amount)
    deposit = (amount * Decimal("0.3")).quantize(Decimal("0.01"))
    order(rows).update(order_total=amount, deposit_amount=deposit)
    rows["payments"][0]["amount"] = deposit


def booked(rows: Rows, **fields: Any) -> dict[str, Any]:
    """Add a shipment row for T-001 with the booking done, and return it."""
    shipment = {"shipment_no": "INV-001", "order_no": "T-001", "booking_no": "BK-1", "booking_date": date(2026, 11, 20),
                "forwarder": "Sinotrans", **fields}
    rows["shipments"].append(shipment)
    return shipment


def shipped(rows: Rows, *, paid: bool = True, **fields: Any) -> dict[str, Any]:
    """Mark T-001 shipped on 2026-11-10 with its B/L; the balance paid on 2026-11-16 unless ``paid=False``."""
    order(rows).update(status="已出运 Shipped", etd=date(2026, 11, 10), delivery_date=date(2026, 11, 12),
                       factory_delivery_date=date(2026, 11, 8), factory_confirmed=date(2026, 10, 30))
    shipment = booked(rows, booking_date=date(2026, 10, 30), etd=date(2026, 11, 10), bl_no="BL-1",
                      bl_date=date(2026, 11, 10), invoice_amount=Decimal("2500.00"), **fields)
    if paid:
        rows["payments"].append({"order_no": "T-001", "date": date(2026, 11, 16), "amount": Decimal("1750.00"),
                                 "currency": "USD", "kind": "尾款 Balance"})
    return shipment


def setting(rows: Rows, key: str, value: Any) -> None:
    """Set (or add) a settings row."""
    for row in rows["settings"]:
        if row["key"] == key:
            row["value"] = value
            return
    rows["settings"].append({"key": key, "value": value})
