"""The demo as a one-sheet tracker: the planted problems are found as on the split demo, at the tracker's own cells,
and writing the statuses back leaves the tracker's layout as it was."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from gendan_xl.checks import run_checks
from gendan_xl.demo import write_demo_workbook, write_flat_demo_workbook
from gendan_xl.pipeline import check_workbook, run_demo
from gendan_xl.workbook.reader import read_workbook

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize("today", [TODAY, date(2026, 3, 2)])
def test_flat_demo_finds_the_split_demos_planted_problems(tmp_path: Path, today: date) -> None:
    flat, data = write_flat_demo_workbook(tmp_path / "flat", today=today)
    split, _ = write_demo_workbook(tmp_path / "split", today=today)
    found_flat = run_checks(read_workbook(flat), today=today).findings
    found_split = run_checks(read_workbook(split), today=today).findings
    planted = {(p.order_no, p.code) for p in data.planted}
    assert planted <= {(f.order_no, f.code) for f in found_flat}
    assert planted <= {(f.order_no, f.code) for f in found_split}
    for order_no, code in planted:
        addresses = {f.address for f in found_flat if (f.order_no, f.code) == (order_no, code)}
        assert addresses and all(a.startswith("2026跟单!") for a in addresses), (code, addresses)


def test_planted_cells_are_the_trackers_cells(tmp_path: Path) -> None:
    path, _ = write_flat_demo_workbook(tmp_path, today=TODAY)
    book = read_workbook(path)
    sheet = openpyxl.load_workbook(path)["2026跟单"]
    found = {f.code: f for f in run_checks(book, today=TODAY).findings if f.code in ("not-a-number", "invalid-date")}
    assert sheet[found["not-a-number"].cell or ""].value == "about 500"  # the cell the finding names holds it
    assert sheet[found["invalid-date"].cell or ""].value == "2026-02-30"
    assert sheet[f"Q{found['invalid-date'].row}"].value == "2026-02-30"


def _layout(path: Path) -> tuple[set[str], str | None, str | None, list[str]]:
    sheet = openpyxl.load_workbook(path)["2026跟单"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    return merged, sheet.auto_filter.ref, sheet.freeze_panes, [sheet.cell(1, c).value for c in range(1, 5)]


def test_write_back_keeps_the_trackers_layout(tmp_path: Path) -> None:
    path, _ = write_flat_demo_workbook(tmp_path, today=TODAY)
    before_layout = _layout(path)
    with zipfile.ZipFile(path) as archive:
        before = {n: archive.read(n) for n in archive.namelist()}
    check_workbook(path, today=TODAY, write=True)
    merged, autofilter, panes, title = _layout(path)
    assert before_layout[0] <= merged and (autofilter, panes, title) == before_layout[1:]
    with zipfile.ZipFile(path) as archive:
        after = {n: archive.read(n) for n in archive.namelist()}
    changed = {n for n in before if before[n] != after.get(n)}
    assert changed <= {"xl/worksheets/sheet1.xml", "xl/styles.xml", "[Content_Types].xml", "xl/workbook.xml",
                       "xl/worksheets/_rels/sheet1.xml.rels"} | {n for n in after if "comments" in n or "vml" in n}
    assert {"xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml", "xl/worksheets/sheet4.xml"}.isdisjoint(changed)
    book = read_workbook(path)
    orders, lines = book.sheets["orders"], book.sheets["lines"]
    assert set(orders.status_columns) == {"price_check", "amount_check", "delivery_status", "next_action", "deadline",
                                          "checked_on"}
    assert set(lines.status_columns) == {"line_check"}
    first = next(o for o in book.orders if len(book.lines_by_order[o.order_no]) > 1)
    span = [line.row for line in book.lines_by_order[first.order_no]]
    letter = openpyxl.utils.get_column_letter(orders.status_columns["delivery_status"])
    assert f"{letter}{span[0]}:{letter}{span[-1]}" in merged  # the order's status, merged down its rows
    sheet = openpyxl.load_workbook(path)["2026跟单"]
    assert sheet[f"{letter}{span[0]}"].value and sheet[f"{letter}{span[-1]}"].value is None
    line_letter = openpyxl.utils.get_column_letter(lines.status_columns["line_check"])
    report = run_checks(book, today=TODAY)
    [mismatch] = [f for f in report.findings if f.code == "line-amount-mismatch"]
    assert "Amount" in str(sheet[f"{line_letter}{mismatch.row}"].value)  # the line's own finding, on its own row
    second = path.read_bytes()
    check_workbook(path, today=TODAY, write=True)
    assert path.read_bytes() == second  # the same report twice: byte-identical


def test_run_demo_flat_runs_the_whole_pipeline(tmp_path: Path) -> None:
    run = run_demo(tmp_path, today=TODAY, layout="flat")
    assert run.path.name == "gendan_demo_flat.xlsx"
    assert run.workbook.sheets["orders"].layout == "flat"
    assert run.steps == ["read", "check", "write statuses", "shipment plan", "documents"]
    assert run.documents and all(p.exists() for p in run.documents)
    assert {(p.order_no, p.code) for p in run.data.planted} <= {(f.order_no, f.code) for f in run.report.findings}
