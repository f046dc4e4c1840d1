"""A tracker without shipments, payments, customers, factories or carton data: the checks that need them are
skipped with one note each, and adding our sheets (``gendan map --add-sheets``) brings them back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gendan_xl.checks import run_checks
from gendan_xl.pipeline import add_sheets
from gendan_xl.workbook.reader import read_workbook
from tests.trackers import CN_MERGED, EN_ERP

TODAY = date(2026, 5, 18)  # GD2026-001 is due 2026-05-20: booking and the factory confirmation are overdue


def _skipped(path: Path) -> set[str]:
    report = run_checks(read_workbook(path), today=TODAY)
    return {str(f.data["missing"]) for f in report.findings if f.code == "checks-skipped"}


def test_each_missing_sheet_is_one_note_and_its_checks_are_skipped(tmp_path: Path) -> None:
    path = CN_MERGED.write(tmp_path)
    report = run_checks(read_workbook(path), today=TODAY)
    notes = [f for f in report.findings if f.code == "checks-skipped"]
    assert sorted(str(f.data["missing"]) for f in notes) == ["carton_data", "changes", "complaints", "customers",
                                                             "factories", "payments", "samples", "shipments"]
    assert all(f.severity.value == "info" for f in notes)
    codes = {f.code for f in report.findings}
    assert not codes & {"booking-overdue", "booking-due", "inspection-overdue", "co-overdue", "balance-overdue",
                        "carton-data-missing"}
    assert "factory-confirmation-overdue" in codes  # what the tracker does keep is still checked


def test_added_sheets_bring_the_checks_back(tmp_path: Path) -> None:
    path = EN_ERP.write(tmp_path)
    before = path.read_bytes()
    added, result = add_sheets(path, ["shipments", "payments", "customers", "factories"])
    assert added == ["出运", "收款", "客户", "工厂"] and result is not None and result.changed
    assert _skipped(path) == {"carton_data", "samples", "complaints", "changes"}
    assert add_sheets(path, ["samples", "complaints", "changes"])[0] == ["样品", "客诉", "改单记录"]
    assert _skipped(path) == {"carton_data"}
    report = run_checks(read_workbook(path), today=TODAY)
    assert "booking-overdue" in {f.code for f in report.findings}  # booking is followed now, and not done
    assert read_workbook(path).sheets["shipments"].name == "出运"
    again, none = add_sheets(path, ["shipments"])
    assert again == [] and none is None
    assert before != path.read_bytes()
