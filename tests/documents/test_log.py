"""The document log (单证记录) written through the patcher, read back, and the outdated/cancelled check."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gendan_xl.checks.base import CheckContext
from gendan_xl.documents import fingerprint, gather_order, render_documents
from gendan_xl.documents.outdated import check_document_log
from gendan_xl.errors import WorkbookLockedError
from gendan_xl.findings import Finding
from gendan_xl.models import Workbook, column_letter
from gendan_xl.ooxml.patch import CellWrite, SheetPatch, patch_workbook
from gendan_xl.ooxml.saving import list_backups
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.template import write_workbook

from .conftest import TODAY, Rows

KINDS_USED = ["pi", "pc", "ci", "pl"]


def _render(book: Path, tmp_path: Path, **options: Any) -> None:
    render_documents(book, out_dir=tmp_path / "out", orders=["T-001"], kinds=KINDS_USED, today=TODAY, workers=1,
                     **options)


def _set(book: Path, sheet_key: str, field: str, row: int, value: Any) -> None:
    wb = read_workbook(book)
    info = wb.sheets[sheet_key]
    patch_workbook(book, [SheetPatch(info.name, [CellWrite(row, info.columns[field], value)])], backups=0)


def _findings(book: Path) -> list[Finding]:
    wb = read_workbook(book)
    return list(check_document_log(CheckContext(workbook=wb, today=TODAY, calendar=None)))


def _column(wb: Workbook, field: str) -> str:
    return column_letter(wb.sheets["documents"].columns[field])


def test_log_rows_read_back_with_fingerprints(rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    book = write_book(rows)
    _render(book, tmp_path)
    wb = read_workbook(book)
    assert [(d.row, d.order_no, d.kind, d.doc_no) for d in wb.documents] == [
        (2, "T-001", "形式发票 Proforma Invoice", "HY26S0077"), (3, "T-001", "采购合同 Purchase Contract", "HY26P077"),
        (4, "T-001", "商业发票 Commercial Invoice", "HY-INV-077"), (5, "T-001", "装箱单 Packing List", "HY-INV-077")]
    data = gather_order(wb, "T-001", today=TODAY)
    from gendan_xl.documents import find_kind

    for record in wb.documents:
        kind = find_kind(record.kind)
        assert kind is not None and record.fingerprint == fingerprint(data, kind)
        assert record.file == f"out/T-001_{kind.key}.docx"  # relative to the workbook's folder
        assert record.rendered_at is not None
    assert len(list_backups(book)) == 1
    assert _findings(book) == []
    _render(book, tmp_path)
    assert [d.row for d in read_workbook(book).documents] == list(range(2, 10))  # appended below, nothing overwritten


def test_log_sheet_is_added_to_a_workbook_without_one(rows: Rows, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from gendan_xl.workbook import template

    monkeypatch.setattr(template, "SHEETS", tuple(s for s in template.SHEETS if s.key != "documents"))
    book = write_workbook(tmp_path / "old.xlsx", rows)  # a workbook made before the log existed
    monkeypatch.undo()
    assert "documents" not in read_workbook(book).sheets
    _render(book, tmp_path)
    wb = read_workbook(book)
    assert wb.sheets["documents"].name == "单证记录"
    assert len(wb.documents) == 4 and wb.documents[0].row == 2
    _render(book, tmp_path)  # the second time it appends to the sheet made the first time
    assert len(read_workbook(book).documents) == 8


def test_refuses_before_rendering_while_excel_has_the_workbook_open(rows: Rows, write_book: Callable[..., Path],
                                                                   tmp_path: Path) -> None:
    book = write_book(rows)
    (book.parent / f"~${book.name}").write_bytes(b"\x05Alice" + b"\x00" * 50)
    with pytest.raises(WorkbookLockedError):
        _render(book, tmp_path)
    assert not (tmp_path / "out").exists()
    render_documents(book, out_dir=tmp_path / "out", orders=["T-001"], kinds=["pi"], today=TODAY, log=False)
    assert (tmp_path / "out" / "T-001_proforma-invoice.docx").is_file()  # without the log it can still render


def test_changed_purchase_price_outdates_only_the_purchase_contract(rows: Rows, write_book: Callable[..., Path],
                                                                   tmp_path: Path) -> None:
    book = write_book(rows)
    _render(book, tmp_path)
    _set(book, "lines", "purchase_price", 2, 7.10)
    findings = _findings(book)
    wb = read_workbook(book)
    assert [(f.code, f.address) for f in findings] == [("document-outdated", f"单证记录!{_column(wb, 'fingerprint')}3")]
    assert findings[0].order_no == "T-001" and findings[0].due == TODAY
    assert "采购合同" in findings[0].message_zh and "recall" in findings[0].message_en


def test_changed_quantity_outdates_every_document_until_reissued(rows: Rows, write_book: Callable[..., Path],
                                                                tmp_path: Path) -> None:
    book = write_book(rows)
    _render(book, tmp_path)
    _set(book, "lines", "qty", 3, 336)
    wb = read_workbook(book)
    letter = _column(wb, "fingerprint")
    assert sorted(f.address for f in _findings(book)) == [f"单证记录!{letter}{r}" for r in (2, 3, 4, 5)]
    # the order total and the shipped amount still say the old figure: the reissue has to be forced
    render_documents(book, out_dir=tmp_path / "out", orders=["T-001"], kinds=["ci", "pl"], today=TODAY, workers=1,
                     force=True)
    remaining = _findings(book)  # the reissued invoice and packing list are current; PI and contract are not
    assert sorted(f.address for f in remaining) == [f"单证记录!{letter}{r}" for r in (2, 3)]


def test_recalled_documents_are_not_reported(rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    book = write_book(rows)
    _render(book, tmp_path)
    _set(book, "lines", "qty", 2, 1300)
    for row in (2, 3, 4, 5):
        _set(book, "documents", "recalled", row, "是")
    assert _findings(book) == []


def test_documents_of_a_cancelled_order(rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    book = write_book(rows)
    _render(book, tmp_path)
    _render(book, tmp_path)
    _set(book, "orders", "status", 2, "已取消 Cancelled")
    findings = _findings(book)
    wb = read_workbook(book)
    letter = _column(wb, "order_no")
    assert {f.code for f in findings} == {"document-of-cancelled-order"}
    assert sorted(f.address for f in findings) == [f"单证记录!{letter}{r}" for r in (6, 7, 8, 9)]  # the latest copies
    assert all(f.data["copies"] == 2 for f in findings)


def test_unknown_order_and_kind(rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    book = write_book(rows)
    _render(book, tmp_path)
    _set(book, "documents", "order_no", 2, "T-999")
    _set(book, "documents", "kind", 3, "发票二号")
    wb = read_workbook(book)
    codes = {(f.code, f.address) for f in _findings(book)}
    assert codes == {("document-order-missing", f"单证记录!{_column(wb, 'order_no')}2"),
                     ("document-kind-unknown", f"单证记录!{_column(wb, 'kind')}3")}


def test_the_check_runs_with_gendan_check(rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    import gendan_xl.cli  # noqa: F401 - the command modules register every check
    from gendan_xl.checks import run_checks
    from gendan_xl.findings import RULES

    book = write_book(rows)
    _render(book, tmp_path)
    _set(book, "lines", "unit_price", 2, 1.25)
    report = run_checks(read_workbook(book), today=TODAY, only=["documents"])
    assert sorted(f.code for f in report.findings) == ["document-outdated"] * 2  # PI and CI show prices
    for code in ("document-outdated", "document-of-cancelled-order", "document-order-missing", "document-kind-unknown"):
        rule = RULES[code]
        assert rule.family == "documents" and rule.rule_text and rule.example
    assert RULES["document-outdated"].action is not None


def test_an_old_log_gets_the_snapshot_column(rows: Rows, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from gendan_xl.workbook import template
    from gendan_xl.workbook.schema import DOCUMENT_LOG

    old_log = replace(DOCUMENT_LOG, columns=tuple(c for c in DOCUMENT_LOG.columns if c.field != "snapshot"))
    monkeypatch.setattr(template, "SHEETS", tuple(old_log if s.key == "documents" else s for s in template.SHEETS))
    book = write_workbook(tmp_path / "old.xlsx", rows)  # a log made before snapshots: 8 columns
    monkeypatch.undo()
    assert "snapshot" not in read_workbook(book).sheets["documents"].columns
    _render(book, tmp_path)
    wb = read_workbook(book)
    assert wb.sheets["documents"].columns["snapshot"] == 9  # added after the log's last column
    assert all(d.snapshot and '"qty":{"KT-1001":"1,250 PCS","KT-1002":"300 SETS"}' in d.snapshot
               for d in wb.documents)


def test_what_changed_since_the_documents_is_said_and_recorded(rows: Rows, write_book: Callable[..., Path],
                                                               tmp_path: Path) -> None:
    from datetime import date

    from gendan_xl.pipeline import check_workbook

    book = write_book(rows)
    _render(book, tmp_path)  # logged with today's real time stamp
    _set(book, "lines", "qty", 3, 336)  # KT-1002: 300 → 336 SETS
    _set(book, "orders", "pod", 2, "Bremerhaven")
    today = date.today()
    report = check_workbook(book, today=today, write=True)
    detected = {f.data["aspect"]: f for f in report.findings if f.code == "change-detected"}
    assert set(detected) == {"qty", "port"}
    assert (detected["qty"].data["old"], detected["qty"].data["new"]) == ("KT-1002 300 SETS", "KT-1002 336 SETS")
    assert detected["port"].data["new"] == "Ningbo → Bremerhaven (DE)"
    assert [(c.what, c.item_no) for c in read_workbook(book).changes] == [("数量 Quantity", "KT-1002"),
                                                                         ("港口 Port", None)]
    findings = list(check_document_log(CheckContext(workbook=read_workbook(book), today=today, calendar=None)))
    # all four documents show both the quantity and the ports (the purchase contract its port of loading): each is
    # named once, under the latest change that concerns it, and not again as outdated
    reissue = [f for f in findings if f.code == "change-documents-to-reissue"]
    assert [(f.data["what_en"], f.data["count"]) for f in reissue] == [("port", 4)]
    assert not [f for f in findings if f.code == "document-outdated"]
