"""The shipment plan: grouping (拼柜), volumes and containers, the plan sheet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from gendan_xl.cli import app
from gendan_xl.errors import WriteError
from gendan_xl.planning import PLAN_SHEET, plan_shipments, write_plan
from gendan_xl.workbook.reader import read_workbook
from tests.checks.clean import TODAY, Rows, clean_rows, line, order, write_rows


def add_order(rows: Rows, number: str, delivery: date, *, customer: str = "ACME", pod: str = "Hamburg",
              qty: int = 1000, **fields: object) -> None:
    rows["orders"].append(dict(order(rows), order_no=number, delivery_date=delivery, customer=customer, pod=pod,
                               factory_delivery_date=delivery, **fields))
    rows["lines"].append(dict(line(rows), order_no=number, qty=Decimal(qty), amount=Decimal(qty) * Decimal("2.5")))


def planned(rows: Rows, tmp_path: Path, **options: int) -> list[list[str]]:
    plan = plan_shipments(read_workbook(write_rows(rows, tmp_path / "book.xlsx")), today=TODAY, **options)
    return [[o.order_no for o in g.orders] for g in plan.groups]


def test_orders_of_one_route_within_a_week_ship_together(tmp_path: Path) -> None:
    rows = clean_rows()
    order(rows)["delivery_date"] = date(2026, 12, 10)
    add_order(rows, "T-002", date(2026, 12, 14))  # same customer and route, 4 days later: together
    add_order(rows, "T-003", date(2026, 12, 20))  # 10 days after the first: its own shipment
    add_order(rows, "T-004", date(2026, 12, 11), customer="BOLT")  # another customer
    add_order(rows, "T-005", date(2026, 12, 12), pod="Rotterdam")  # another port
    add_order(rows, "T-006", date(2027, 2, 1))  # beyond the horizon
    add_order(rows, "T-007", date(2026, 12, 12), status="已出运 Shipped")  # already shipped
    add_order(rows, "T-008", date(2026, 11, 20))  # overdue: planned first
    assert planned(rows, tmp_path) == [["T-008"], ["T-001", "T-002"], ["T-004"], ["T-005"], ["T-003"]]
    assert planned(rows, tmp_path, window_days=14)[1] == ["T-001", "T-002", "T-003"]


def test_volume_containers_deadline_and_missing_data(tmp_path: Path) -> None:
    rows = clean_rows()
    order(rows)["delivery_date"] = date(2026, 12, 7)
    line(rows)["qty"] = Decimal(40000)  # 800 cartons of 0.06 m³ = 48 m³, 8.8 t
    add_order(rows, "T-002", date(2026, 12, 8), qty=500, pcs_per_carton=None)
    rows["lines"][-1]["pcs_per_carton"] = None
    book = read_workbook(write_rows(rows, tmp_path / "book.xlsx"))
    (group,) = plan_shipments(book, today=TODAY).groups
    assert group.volume.cartons == 800 and group.volume.cbm == Decimal("48.000")
    assert group.volume.gross_kg == Decimal(8800)
    assert group.containers == "1×40GP" and group.fill == Decimal("0.83")  # 48 of a 40GP's 58 m³
    assert group.missing == ["T-002/X-1"]
    assert group.booking_deadline == date(2026, 11, 27)  # 12-07 − 10 days = Fri 11-27


def test_plan_sheet_written_and_replaced(tmp_path: Path) -> None:
    rows = clean_rows()
    path = write_rows(rows, tmp_path / "book.xlsx")
    plan = plan_shipments(read_workbook(path), today=TODAY, horizon_days=40)
    write_plan(path, plan, backups=0)
    sheet = openpyxl.load_workbook(path)[PLAN_SHEET]
    assert sheet["A1"].value == "组\nGroup" and sheet["G2"].value == "T-001" and sheet["L2"].value == "LCL"
    later = plan_shipments(read_workbook(path), today=date(2026, 12, 1))
    write_plan(path, later, backups=0)
    reread = openpyxl.load_workbook(path)
    assert reread.sheetnames.count(PLAN_SHEET) == 1
    assert reread[PLAN_SHEET]["O2"].value.date() == date(2026, 12, 1)
    assert [o.order_no for o in read_workbook(path).orders] == ["T-001"]  # the data is untouched


def test_a_users_sheet_of_that_name_is_never_replaced(tmp_path: Path) -> None:
    path = write_rows(clean_rows(), tmp_path / "book.xlsx", extra_sheets=(PLAN_SHEET,))
    before = path.read_bytes()
    with pytest.raises(WriteError):
        write_plan(path, plan_shipments(read_workbook(path), today=TODAY), backups=0)
    assert path.read_bytes() == before


def test_cli_plan(tmp_path: Path) -> None:
    path = write_rows(clean_rows(), tmp_path / "book.xlsx")
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["plan", str(path), "--today", "2026-11-26", "--within", "40", "--write"])
    assert result.exit_code == 0, result.output
    assert "T-001" in result.output
    assert PLAN_SHEET in openpyxl.load_workbook(path).sheetnames


def test_a_plan_sheet_the_excel_button_wrote_is_replaced(tmp_path: Path) -> None:
    from gendan_xl.planning.shipments import HEADER
    from gendan_xl.workbook.template import write_workbook

    def button_plan(book: object, sheets: dict[str, Any]) -> None:
        sheets[PLAN_SHEET].write_row(0, 0, HEADER)  # what the button writes: no file marker, our header
        sheets[PLAN_SHEET].write_row(1, 0, [1, "OLD"])

    path = write_workbook(tmp_path / "book.xlsx", clean_rows(), extra_sheets=(PLAN_SHEET,), decorate=button_plan)
    plan = plan_shipments(read_workbook(path), today=TODAY, horizon_days=40)
    write_plan(path, plan, backups=0)
    sheet = openpyxl.load_workbook(path)[PLAN_SHEET]
    assert sheet["B2"].value == "ACME" and sheet["G2"].value == "T-001"
    write_plan(path, plan, backups=0)  # now marked as gendan's: replaced again without question


def test_the_saved_plan_reads_back(tmp_path: Path) -> None:
    from gendan_xl.planning import read_plan

    rows = clean_rows()
    order(rows)["delivery_date"] = date(2026, 12, 10)
    add_order(rows, "T-002", date(2026, 12, 14))
    add_order(rows, "T-003", date(2026, 12, 20))
    path = write_rows(rows, tmp_path / "book.xlsx")
    assert read_plan(path) == {}  # no plan saved yet
    plan = plan_shipments(read_workbook(path), today=TODAY)
    write_plan(path, plan, backups=0)
    assert read_plan(path) == {str(g.number): tuple(o.order_no for o in g.orders) for g in plan.groups}
    assert read_plan(path)["1"] == ("T-001", "T-002")
