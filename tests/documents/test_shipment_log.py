"""A shipment's documents in the document log: one row listing its orders, outdated by a change to any of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from gendan_xl.checks.base import CheckContext
from gendan_xl.documents import render_documents
from gendan_xl.documents.outdated import check_document_log
from gendan_xl.documents.shipment import gather_shipment, read_shipment_fingerprint, shipment_fingerprint
from gendan_xl.findings import Finding
from gendan_xl.models import column_letter
from gendan_xl.ooxml.patch import CellWrite, SheetPatch, patch_workbook
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.template import write_workbook

from .conftest import SHIPMENT_NO, TODAY, Rows


def _render(book: Path, tmp_path: Path, kinds: list[str], **options: Any) -> None:
    render_documents(book, out_dir=tmp_path / "out", kinds=kinds, today=TODAY, workers=1, **options)


def _set(book: Path, sheet_key: str, field: str, row: int, value: Any) -> None:
    wb = read_workbook(book)
    info = wb.sheets[sheet_key]
    patch_workbook(book, [SheetPatch(info.name, [CellWrite(row, info.columns[field], value)])], backups=0)


def _findings(book: Path) -> list[Finding]:
    wb = read_workbook(book)
    return list(check_document_log(CheckContext(workbook=wb, today=TODAY, calendar=None)))


def _cell(book: Path, field: str, row: int) -> str:
    return f"单证记录!{column_letter(read_workbook(book).sheets['documents'].columns[field])}{row}"


def test_one_log_row_per_document_listing_the_orders(ship_rows: Rows, write_book: Callable[..., Path],
                                                    tmp_path: Path) -> None:
    book = write_book(ship_rows)
    _render(book, tmp_path, ["ci", "pl"], shipments=[SHIPMENT_NO])
    wb = read_workbook(book)
    assert [(d.row, d.order_no, d.doc_no, d.file) for d in wb.documents] == [
        (2, "T-001, T-002, T-003", SHIPMENT_NO, "out/HY-INV-S01_commercial-invoice.docx"),
        (3, "T-001, T-002, T-003", SHIPMENT_NO, "out/HY-INV-S01_packing-list.docx")]
    data = gather_shipment(wb, SHIPMENT_NO, today=TODAY)
    from gendan_xl.documents import find_kind

    for record in wb.documents:
        kind = find_kind(record.kind)
        assert kind is not None and record.fingerprint == shipment_fingerprint(data, kind)
        pairs = read_shipment_fingerprint(record.fingerprint)
        assert pairs is not None and [no for no, _ in pairs] == ["T-001", "T-002", "T-003"]
        assert all(len(value) == 12 for _, value in pairs)
    assert _findings(book) == []


def test_a_change_to_one_order_outdates_the_shipments_documents(ship_rows: Rows, write_book: Callable[..., Path],
                                                               tmp_path: Path) -> None:
    book = write_book(ship_rows)
    _render(book, tmp_path, ["ci", "pl"], shipments=[SHIPMENT_NO])
    _set(book, "lines", "qty", 5, 320)  # T-002's tongs (sheet row 5)
    findings = _findings(book)
    assert [(f.code, f.address, f.order_no) for f in findings] == [
        ("document-outdated", _cell(book, "fingerprint", 2), "T-002"),
        ("document-outdated", _cell(book, "fingerprint", 3), "T-002")]
    assert "T-002" in findings[0].message_en and SHIPMENT_NO in findings[0].message_en


def test_only_the_documents_that_show_a_field_are_outdated(ship_rows: Rows, write_book: Callable[..., Path],
                                                          tmp_path: Path) -> None:
    book = write_book(ship_rows)
    _render(book, tmp_path, ["ci", "pl"], shipments=[SHIPMENT_NO])
    _set(book, "shipments", "vessel", 4, "EVER GIVEN V.1122W")  # T-003's row: the invoice shows the vessel
    assert [(f.address, f.order_no) for f in _findings(book)] == [(_cell(book, "fingerprint", 2), "T-003")]


def test_the_customers_grouping_outdates_them_too(ship_rows: Rows, write_book: Callable[..., Path],
                                                 tmp_path: Path) -> None:
    book = write_book(ship_rows)
    _render(book, tmp_path, ["pl"], shipments=[SHIPMENT_NO])
    _set(book, "customers", "doc_grouping", 2, "按客户PO By PO")
    assert {f.code for f in _findings(book)} == {"document-outdated"}


def test_another_order_in_the_shipment(ship_rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    book = write_book(ship_rows)
    _render(book, tmp_path, ["ci"], shipments=[SHIPMENT_NO])
    _set(book, "shipments", "shipment_no", 4, "HY-INV-S02")  # T-003 now sails on its own
    (finding,) = _findings(book)
    assert (finding.code, finding.address) == ("shipment-orders-changed", _cell(book, "order_no", 2))
    assert "T-001, T-002, T-003" in finding.message_en and "now ships T-001, T-002" in finding.message_en
    _render(book, tmp_path, ["ci"], shipments=[SHIPMENT_NO])  # issued again: the latest record counts
    assert _findings(book) == []


def test_a_cancelled_order_of_the_shipment(ship_rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    book = write_book(ship_rows)
    _render(book, tmp_path, ["ci"], shipments=[SHIPMENT_NO])
    _set(book, "orders", "status", 3, "已取消 Cancelled")  # T-002
    findings = _findings(book)
    assert [(f.code, f.order_no) for f in findings] == [("document-of-cancelled-order", "T-002")]


def test_order_and_shipment_records_side_by_side(ship_rows: Rows, write_book: Callable[..., Path],
                                                 tmp_path: Path) -> None:
    book = write_book(ship_rows)
    _render(book, tmp_path, ["pi", "ci"], orders=["T-001"])  # per-order rows (v1 fingerprints), as before
    _render(book, tmp_path, ["ci"], shipments=[SHIPMENT_NO])
    wb = read_workbook(book)
    assert [d.fingerprint[:3] for d in wb.documents] == ["v1:", "v1:", "s1:"]
    assert _findings(book) == []
    _set(book, "lines", "unit_price", 2, 1.25)  # T-001's tongs
    found = {(f.address, f.order_no) for f in _findings(book)}
    assert found == {(_cell(book, "fingerprint", r), "T-001") for r in (2, 3, 4)}


def test_rows_written_before_shipments_existed_still_read(rows: Rows, tmp_path: Path) -> None:
    rows["documents"] = [{"order_no": "T-001", "kind": "商业发票 Commercial Invoice", "doc_no": "HY-INV-077",
                          "fingerprint": "v0:0123456789abcdef"}]  # another version: not compared, not an error
    book = write_workbook(tmp_path / "old.xlsx", rows)
    assert _findings(book) == []
