"""Complaints as next actions, and the factory quality statistics of the notebook (客诉率 per factory and item)."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gendan_xl import analysis
from gendan_xl.checks import run_checks
from gendan_xl.models import Workbook
from gendan_xl.workbook.reader import read_workbook
from tests.checks.clean import TODAY, Rows, clean_rows, shipped, write_rows


def _order(rows: Rows, order_no: str, factory: str, items: list[str], *, status: str = "已出运 Shipped") -> None:
    order = copy.deepcopy(rows["orders"][0])
    order.update(order_no=order_no, factory=factory, status=status, contract_no=f"SC-{order_no}", po_no=f"PC-{order_no}")
    rows["orders"].append(order)
    for item in items:
        rows["lines"].append({**copy.deepcopy(rows["lines"][0]), "order_no": order_no, "item_no": item})


def _complaint(rows: Rows, order_no: str, **values: Any) -> None:
    rows["complaints"].append({"order_no": order_no, "complaint_date": date(2026, 11, 10), "complaint_type": "质量",
                               **values})


@pytest.fixture
def book(tmp_path: Path) -> Workbook:
    rows = clean_rows()
    rows["factories"].append({"code": "GAB", "name": "义乌工厂", "address": "义乌"})
    rows["orders"][0]["status"] = "已出运 Shipped"  # T-001: FAB, X-1
    _order(rows, "T-002", "FAB", ["X-1", "Y-2"])
    _order(rows, "T-003", "GAB", ["Z-3"])
    _order(rows, "T-004", "GAB", ["Z-3"], status="生产中 In production")  # not shipped: not counted
    _complaint(rows, "T-001", item_no="X-1", claim_amount=Decimal(300), currency="USD", agreed_amount=Decimal(200),
               resolution="折扣", closed_date=date(2026, 11, 20))
    _complaint(rows, "T-002", item_no="Y-2", factory="GAB", complaint_type="包装", claim_amount=Decimal(80),
               currency="EUR")  # the carton supplier's fault, not the order's factory
    _complaint(rows, "T-003", complaint_type="短装")  # no item: the order's only one
    return read_workbook(write_rows(rows, tmp_path / "q.xlsx"))


def test_quality_per_factory(book: Workbook) -> None:
    frame = analysis.quality_frame(book, today=TODAY)
    assert list(frame["factory"]) == ["GAB", "FAB"]  # the most complained-about first
    gab, fab = frame.loc["GAB"], frame.loc["FAB"]
    assert (gab["shipped"], gab["complaints"], gab["open"], gab["rate"]) == (1, 2, 2, 2.0)
    assert (fab["shipped"], fab["complaints"], fab["open"], fab["rate"]) == (2, 1, 0, 0.5)
    assert fab["claimed_USD"] == Decimal(300) and fab["agreed_USD"] == Decimal(200)
    assert gab["claimed_EUR"] == Decimal(80) and gab["types"] == {"packing": 1, "quantity": 1}
    assert fab["resolutions"] == {"discount": 1}


def test_quality_per_item(book: Workbook) -> None:
    frame = analysis.quality_frame(book, by="item", today=TODAY)
    assert frame.loc["X-1", "shipped"] == 2 and frame.loc["X-1", "rate"] == 0.5  # lines shipped of X-1: T-001, T-002
    assert frame.loc["X-1", "shipped_qty"] == Decimal(2000)
    assert (frame.loc["Y-2", "complaints"], frame.loc["Z-3", "complaints"]) == (1, 1)
    assert frame.loc["Z-3", "shipped"] == 1  # T-004's line is not shipped yet
    with pytest.raises(Exception, match="factory or item"):
        analysis.quality_frame(book, by="customer")


def test_complaints_frame(book: Workbook) -> None:
    frame = analysis.complaints_frame(book, today=TODAY)
    assert list(frame["counted_factory"]) == ["FAB", "GAB", "GAB"]
    assert list(frame["open"]) == [False, True, True] and list(frame["days_open"]) == [10, 16, 16]
    assert list(frame["currency"]) == ["USD", "EUR", "USD"]  # the claim's, else the order's


def test_plot_quality(book: Workbook) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    axes = analysis.plot_quality(analysis.quality_frame(book, today=TODAY))
    assert [t.get_text() for t in axes.get_xticklabels()] == ["GAB", "FAB"]


def test_an_open_complaint_is_the_next_action(tmp_path: Path) -> None:
    rows = clean_rows()
    shipped(rows)  # shipped and paid: nothing else to do
    _complaint(rows, "T-001", complaint_date=date(2026, 11, 20))
    report = run_checks(read_workbook(write_rows(rows, tmp_path / "c.xlsx")), today=TODAY)
    (summary,) = report.orders
    assert (summary.next_action_zh, summary.next_due) == ("处理客诉并结案", date(2026, 12, 4))
    assert summary.delivery.value == "shipped"
