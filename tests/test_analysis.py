"""The notebook frames and plots."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from gendan_xl import analysis
from gendan_xl.checks import run_checks
from gendan_xl.workbook.reader import read_workbook
from tests.checks.clean import TODAY, clean_rows, shipped, write_rows


def test_orders_and_lines_frames(tmp_path: Path) -> None:
    book = read_workbook(write_rows(clean_rows(), tmp_path / "b.xlsx"))
    report = run_checks(book, today=TODAY)
    orders = analysis.orders_frame(book, report)
    assert orders.loc["T-001", "computed_total"] == Decimal("2500.00")
    assert orders.loc["T-001", "delivery_state"] == "on_time" and orders.loc["T-001", "cartons"] == 20
    lines = analysis.lines_frame(book)
    assert lines.loc[0, "cartons"] == 20 and lines.loc[0, "cbm"] == Decimal("1.2") and lines.loc[0, "excel_row"] == 2


def test_receivables_and_aging(tmp_path: Path) -> None:
    rows = clean_rows()
    shipped(rows, paid=False)  # B/L 2026-11-10, balance against B/L copy + 7 days → due 2026-11-17
    book = read_workbook(write_rows(rows, tmp_path / "b.xlsx"))
    frame = analysis.receivables_frame(book, today=TODAY)
    (row,) = frame.to_dict("records")
    assert (row["total"], row["received"], row["balance"]) == (Decimal("2500.00"), Decimal("750.00"), Decimal("1750.00"))
    assert row["due"] == date(2026, 11, 17) and row["days_overdue"] == 9 and row["bucket"] == "1-30"
    later = analysis.receivables_frame(book, today=date(2027, 3, 1))
    assert later.loc[0, "bucket"] == ">90"
    assert analysis.receivables_frame(book, today=date(2026, 11, 12)).loc[0, "bucket"] == "not due"


def test_plots_return_axes(tmp_path: Path) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    rows = clean_rows()
    shipped(rows, paid=False)
    book = read_workbook(write_rows(rows, tmp_path / "b.xlsx"))
    report = run_checks(book, today=TODAY)
    assert analysis.plot_findings(report).get_title().startswith("Findings by family")
    assert len(analysis.plot_deliveries(report).patches) == 1
    axes = analysis.plot_receivables(analysis.receivables_frame(book, today=TODAY))
    assert [t.get_text() for t in axes.get_xticklabels()] == ["1-30"]
