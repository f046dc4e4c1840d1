"""Fixtures for the document tests: a small clean workbook to change row by row, and the demo workbook.

``base_rows()`` is one clean order (two lines, one of them SETS, both ending in a part-filled
carton), with its customer, factory, shipment and company settings; a test changes the rows and
writes them with ``write_book``. The demo workbook is written once per session and copied for
tests that write to it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from gendan_xl.demo import write_demo_workbook
from gendan_xl.workbook.template import default_settings_rows, write_workbook

TODAY = date(2026, 11, 26)
Rows = dict[str, list[dict[str, Any]]]

COMPANY = {"公司名称": "宁波环宇进出口有限公司", "公司英文名称": "NINGBO HUANYU IMPORT & EXPORT CO., LTD.",
           "公司地址": "浙江省宁波市鄞州区天童南路 588 号", "公司英文地址": "No. 588 Tiantong South Road, Ningbo, China",
           "公司电话": "+86 574 8888 6666", "公司邮箱": "export@huanyu.example",
           "收款银行信息": "Bank of China Ningbo Branch, SWIFT BKCHCNBJ92A"}


def base_rows() -> Rows:
    """One clean order T-001: 1,250 PCS tongs and 300 SETS spatulas, CIF Hamburg, shipped by 40HQ."""
    settings = default_settings_rows()
    for row in settings:
        if row["key"] in COMPANY:
            row["value"] = COMPANY[row["key"]]
    lines = [
        {"order_no": "T-001", "item_no": "KT-1001", "description": "Stainless Steel Kitchen Tongs", "spec": "23cm",
         "hs_code": "8215990000", "qty": Decimal(1250), "unit": "PCS", "unit_price": Decimal("1.15"),
         "amount": Decimal("1437.50"), "purchase_price": Decimal("6.80"), "pcs_per_carton": 100, "carton_l": 52,
         "carton_w": 32, "carton_h": 28, "nw_per_carton": Decimal("9.5"), "gw_per_carton": Decimal("10.5"),
         "brand": "无品牌"},
        {"order_no": "T-001", "item_no": "KT-1002", "description": "Silicone Spatula Set", "spec": "3 pcs",
         "hs_code": "3924100000", "qty": Decimal(300), "unit": "SETS", "unit_price": Decimal("2.15"),
         "amount": Decimal("645.00"), "purchase_price": Decimal("12.50"), "pcs_per_carton": 48, "carton_l": 45,
         "carton_w": 35, "carton_h": 30, "nw_per_carton": Decimal("7.2"), "gw_per_carton": Decimal("8.2"),
         "brand": "无品牌"},
    ]
    return {
        "settings": settings,
        "customers": [{"code": "HANSA", "name": "Hansa Haushaltswaren GmbH", "country": "Germany",
                       "address": "Spaldingstr. 64, 20097 Hamburg", "contact": "Jens Petersen",
                       "phone": "+49 40 555 0101", "email": "jp@hansa.example", "marks": "HANSA\nHAMBURG",
                       "currency": "USD"}],
        "factories": [{"code": "NB-KITCHEN", "name": "宁波市海曙厨具有限公司", "address": "浙江省宁波市海曙区 18 号",
                       "contact": "王建国", "phone": "0574-8765 1001", "tax_id": "91330203MA2H1KX01A"}],
        "orders": [{"order_no": "T-001", "customer": "HANSA", "customer_po": "HAN-PO-77", "contract_no": "HY26S0077",
                    "order_date": date(2026, 10, 1), "currency": "USD", "incoterm": "CIF", "incoterm_place": "Hamburg",
                    "pol": "Ningbo", "pod": "Hamburg", "destination_country": "DE",
                    "payment_terms": "T/T 30% deposit, balance against B/L copy", "deposit_pct": Decimal("0.3"),
                    "delivery_date": date(2026, 12, 20), "factory": "NB-KITCHEN", "po_no": "HY26P077",
                    "po_issued": date(2026, 10, 5), "factory_delivery_date": date(2026, 12, 12),
                    "order_total": Decimal("2082.50"), "status": "生产中 In production"}],
        "lines": lines,
        "shipments": [{"shipment_no": "HY-INV-077", "order_no": "T-001", "booking_no": "NGB7700001",
                       "forwarder": "宁波中外运", "container_type": "40HQ", "container_no": "TGHU7700001",
                       "seal_no": "SL770001", "loading_date": date(2026, 12, 15), "etd": date(2026, 12, 18),
                       "eta": date(2027, 1, 20), "vessel": "MSC ISABELLA V.123W", "invoice_amount": Decimal("2082.50"),
                       "co_type": "C/O"}],
        "price_history": [],
        "payments": [],
    }


@pytest.fixture
def rows() -> Rows:
    """A fresh copy of the clean rows for this test to change."""
    return base_rows()


@pytest.fixture
def write_book(tmp_path: Path) -> Callable[..., Path]:
    """``write_book(rows, name="book.xlsx")`` writes the rows as a master workbook in ``tmp_path``."""

    def write(data: Rows, name: str = "book.xlsx") -> Path:
        return write_workbook(tmp_path / name, data)

    return write


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workbook as of TODAY, written once (copy it before writing to it)."""
    path, _ = write_demo_workbook(tmp_path_factory.mktemp("demo"), today=TODAY)
    return path


@pytest.fixture
def demo_book(demo_master: Path, tmp_path: Path) -> Path:
    """A private copy of the demo workbook."""
    target = tmp_path / "demo.xlsx"
    shutil.copyfile(demo_master, target)
    return target


def docx_text(path: Path) -> str:
    """All text of a .docx: paragraphs and table cells, in order, one line each."""
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def table_rows(path: Path, index: int) -> list[list[str]]:
    """The cell texts of table ``index`` of a .docx, row by row (merged cells repeated as Word reports them)."""
    table = Document(str(path)).tables[index]
    return [[cell.text for cell in row.cells] for row in table.rows]


def _line(order_no: str, item_no: str, description: str, spec: str, hs: str, qty: int, unit: str, price: str,
          pcs: int, size: tuple[int, int, int], nw: str, gw: str) -> dict[str, Any]:
    amount = (Decimal(qty) * Decimal(price)).quantize(Decimal("0.01"))
    return {"order_no": order_no, "item_no": item_no, "description": description, "spec": spec, "hs_code": hs,
            "qty": Decimal(qty), "unit": unit, "unit_price": Decimal(price), "amount": amount,
            "purchase_price": Decimal("5.00"), "pcs_per_carton": pcs, "carton_l": size[0], "carton_w": size[1],
            "carton_h": size[2], "nw_per_carton": Decimal(nw), "gw_per_carton": Decimal(gw), "brand": "无品牌"}


SHIPMENT_NO = "HY-INV-S01"


def shipment_rows() -> Rows:
    """T-001 of ``base_rows`` and two more orders of HANSA, booked together as shipment HY-INV-S01 in one 40HQ.

    T-002 (PO HAN-PO-78): 470 cutting boards (20 per carton: 24 cartons, the last part-filled) and 300
    tongs (3 cartons); T-003 (PO HAN-PO-77, the same PO as T-001): 600 glass containers (25 cartons).
    Cartons: T-001 1-20, T-002 21-47, T-003 48-72.
    """
    rows = base_rows()
    first = rows["orders"][0]
    more = {
        "T-002": ("HAN-PO-78", [
            _line("T-002", "KT-1003", "Bamboo Cutting Board", "40x30x1.8cm", "4419110000", 470, "PCS", "3.20", 20,
                  (42, 32, 36), "14.0", "15.2"),
            _line("T-002", "KT-1001", "Stainless Steel Kitchen Tongs", "23cm", "8215990000", 300, "PCS", "1.15", 100,
                  (52, 32, 28), "9.5", "10.5")]),
        "T-003": ("HAN-PO-77", [
            _line("T-003", "KT-1004", "Glass Food Container", "1000ml", "7013490000", 600, "PCS", "1.85", 24,
                  (48, 33, 30), "10.5", "11.8")]),
    }
    shipment = rows["shipments"][0]
    rows["shipments"] = [dict(shipment, shipment_no=SHIPMENT_NO)]
    for order_no, (po, lines) in more.items():
        total = sum((line["amount"] for line in lines), Decimal(0))
        rows["orders"].append(dict(first, order_no=order_no, customer_po=po, contract_no=f"HY26S0{order_no[-3:]}",
                                   po_no=f"HY26P{order_no[-3:]}", order_total=total))
        rows["lines"].extend(lines)
        rows["shipments"].append(dict(shipment, shipment_no=SHIPMENT_NO, order_no=order_no, invoice_amount=total))
    return rows


def set_qty(rows: Rows, order_no: str, item_no: str, qty: int) -> None:
    """Change a line's quantity and every amount that follows from it (line, order total, 出运金额)."""
    line = next(ln for ln in rows["lines"] if ln["order_no"] == order_no and ln["item_no"] == item_no)
    line["qty"] = Decimal(qty)
    line["amount"] = (line["qty"] * line["unit_price"]).quantize(Decimal("0.01"))
    total = sum((ln["amount"] for ln in rows["lines"] if ln["order_no"] == order_no), Decimal(0))
    next(o for o in rows["orders"] if o["order_no"] == order_no)["order_total"] = total
    for shipment in rows["shipments"]:
        if shipment["order_no"] == order_no:
            shipment["invoice_amount"] = total


@pytest.fixture
def ship_rows() -> Rows:
    """A fresh copy of the three-order shipment's rows."""
    return shipment_rows()
