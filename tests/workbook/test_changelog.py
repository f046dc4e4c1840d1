"""``gendan check --write`` records detected changes on the change log (改单记录), once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from gendan_xl.checks.snapshots import parse_snapshot
from gendan_xl.pipeline import check_workbook
from gendan_xl.workbook.reader import read_workbook
from tests.checks.clean import TODAY, clean_rows, write_rows
from tests.checks.lifecycle_kit import logged_as_made

PI = "形式发票 Proforma Invoice"


def changed_book(tmp_path: Path, *, change_log: bool = True) -> Path:
    """The clean order with a PI logged when its quantity was 1,200 (it is 1,000 now)."""
    rows = clean_rows()
    logged_as_made(PI, date(2026, 11, 20), qty="1,200")(rows)
    path = write_rows(rows, tmp_path / "book.xlsx")
    if not change_log:
        book = openpyxl.load_workbook(path)  # a test fixture of our own, not a user's workbook
        del book["改单记录"]
        book.save(path)
    return path


def test_write_appends_the_detected_change_with_its_snapshot(tmp_path: Path) -> None:
    path = changed_book(tmp_path)
    report = check_workbook(path, today=TODAY, write=True)
    assert [f.data["aspect"] for f in report.findings if f.code == "change-detected"] == ["qty"]
    changes = read_workbook(path).changes
    assert len(changes) == 1
    row = changes[0]
    assert (row.order_no, row.changed_on, row.what, row.item_no) == ("T-001", TODAY, "数量 Quantity", "X-1")
    assert (row.old_value, row.new_value) == ("X-1 1,200 PCS", "X-1 1,000 PCS")
    assert row.requested_by is None and row.customer_confirmed is None  # the merchandiser's to fill in
    assert row.remarks is not None and "形式发票" in row.remarks
    snapshot = parse_snapshot(row.snapshot)
    assert snapshot is not None and snapshot["qty"] == {"X-1": "1,000 PCS"}


def test_the_recorded_change_is_not_detected_again_and_its_rules_take_over(tmp_path: Path) -> None:
    path = changed_book(tmp_path)
    check_workbook(path, today=TODAY, write=True)
    report = check_workbook(path, today=TODAY, write=True)
    second = path.read_bytes()
    codes = {f.code for f in report.findings}
    assert "change-detected" not in codes
    # the row now carries the change: the PI is named on it, the factory and the customer still have to confirm
    assert {"change-documents-to-reissue", "change-after-purchase-contract", "change-not-confirmed"} <= codes
    assert "document-outdated" not in codes  # named once, on the change's row
    assert len(read_workbook(path).changes) == 1
    check_workbook(path, today=TODAY, write=True)
    assert path.read_bytes() == second  # nothing new to record: the same statuses, byte for byte


def test_without_a_change_log_the_change_is_only_reported(tmp_path: Path) -> None:
    path = changed_book(tmp_path, change_log=False)
    report = check_workbook(path, today=TODAY, write=True)
    detected = [f for f in report.findings if f.code == "change-detected"]
    assert len(detected) == 1 and "--add-sheets changes" in detected[0].message_en
    codes = {f.code for f in report.findings}
    assert not codes & {"change-after-purchase-contract", "change-not-confirmed"}  # nowhere to confirm them
    assert "changes" not in read_workbook(path).sheets


def test_rows_go_under_the_last_used_row(tmp_path: Path) -> None:
    rows = clean_rows()
    logged_as_made(PI, date(2026, 11, 20), qty="1,200")(rows)
    rows["changes"] = [{"order_no": "T-001", "changed_on": date(2026, 11, 2), "what": "交期", "requested_by": "客户"},
                       {"order_no": "T-001", "changed_on": date(2026, 11, 3), "what": "", "remarks": "see mail"}]
    path = write_rows(rows, tmp_path / "book.xlsx")
    check_workbook(path, today=TODAY, write=True)
    sheet = openpyxl.load_workbook(path)["改单记录"]
    assert sheet["K3"].value == "see mail"  # a row without its required cells is kept, not overwritten
    assert sheet["A4"].value == "T-001" and sheet["C4"].value == "数量 Quantity"


def test_a_change_the_documents_were_already_reissued_for_is_recorded_on_its_day(tmp_path: Path) -> None:
    rows = clean_rows()
    logged_as_made(PI, date(2026, 11, 10), qty="1,200")(rows)
    logged_as_made("商业发票 Commercial Invoice", date(2026, 11, 20))(rows)  # made after the change: current
    path = write_rows(rows, tmp_path / "book.xlsx")
    report = check_workbook(path, today=TODAY, write=True)
    (detected,) = [f for f in report.findings if f.code == "change-detected"]
    assert "Commercial Invoice" in detected.message_en and "already shows it" in detected.message_en
    (row,) = read_workbook(path).changes
    assert (row.changed_on, row.old_value, row.new_value) == (date(2026, 11, 20), "X-1 1,200 PCS", "X-1 1,000 PCS")
    again = check_workbook(path, today=TODAY)
    assert "change-detected" not in {f.code for f in again.findings}
    (reissue,) = [f for f in again.findings if f.code == "change-documents-to-reissue"]
    assert reissue.data["count"] == 1 and "PI-001" in reissue.message_en  # the invoice is current, the PI is not
