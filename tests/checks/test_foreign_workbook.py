"""A workbook someone else made from docs/workbook.md alone: English headers, own order, title rows."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl

from gendan_xl.checks import run_checks
from gendan_xl.workbook.reader import read_workbook


def build(path: Path) -> Path:
    book = openpyxl.Workbook()
    orders = book.active
    orders.title = "Orders"
    orders.append(["ACME TRADING CO. — ORDER TRACKER 2026"])
    orders.merge_cells("A1:H1")
    orders.append([])
    orders.append(["Customer", "Order No.", "Currency", "Incoterm", "Payment Terms", "Delivery Date",
                   "PC Issued", "Deposit Received", "Status", "Order Total", "Rating"])
    orders.append(["BOLT", "A-1", "usd", "fob", "T/T 30% deposit, balance before shipment", datetime(2026, 11, 10),
                   datetime(2026, 9, 1), datetime(2026, 9, 5), "In production", 1250, "call Tom"])
    orders.append(["BOLT", "A-2", "USD", "FOB", "100% T/T in advance", "2026/12/28", None, None, "Confirmed",
                   "1,000.00", ""])
    lines = book.create_sheet("Order Lines")
    lines.append(["Item No.", "Q'TY", "Unit Price (USD)", "Order No.", "Amount", "Description"])
    lines.append(["W-7", 500, 2.5, "A-1", 1250, "Widget"])
    lines.append(["W-7", 400, 2.5, "A-2", 1000, "Widget"])
    lines.append(["TOTAL:", 900, None, None, 2250, None])
    history = book.create_sheet("Price History")
    history.append(["Customer", "Item No.", "Currency", "Unit Price", "Contract No.", "Contract Date"])
    history.append(["BOLT", "W-7", "USD", 2.3, "SC-2025-9", datetime(2025, 12, 1)])
    book.save(path)
    return path


def test_findings_and_addresses_on_a_foreign_workbook(tmp_path: Path) -> None:
    workbook = read_workbook(build(tmp_path / "theirs.xlsx"))
    assert [o.order_no for o in workbook.orders] == ["A-1", "A-2"]
    assert workbook.sheets["orders"].header_row == 3
    assert 11 in workbook.sheets["orders"].extra_columns
    report = run_checks(workbook, today=date(2026, 11, 26))
    found = {(f.code, f.address) for f in report.findings if f.severity.value != "info"}
    assert ("delivery-late", "Orders!F4") in found
    assert ("po-before-deposit", "Orders!G4") in found
    assert ("price-mismatch", "'Order Lines'!C2") in found
    assert ("price-mismatch", "'Order Lines'!C3") in found
    assert not any(code == "line-without-order" for code, _ in found)  # the TOTAL row is not a line
