"""The demo workbook: realistic, reproducible, and its planted problems are where they should be."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gendan_xl.demo import PLANTED_SPECS, demo_rows, write_demo_workbook
from gendan_xl.findings import RULES
from gendan_xl.models import Workbook
from gendan_xl.pipeline import run_demo
from gendan_xl.workbook.reader import read_workbook

TODAY = date(2026, 11, 26)
READER_CODES = {code for code, rule in RULES.items() if rule.family == "read"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Workbook]:
    path, _ = write_demo_workbook(tmp_path_factory.mktemp("demo"), today=TODAY)
    return path, read_workbook(path)


def test_demo_is_realistic() -> None:
    data = demo_rows(TODAY)
    orders = data.rows["orders"]
    assert len(orders) >= 30
    assert len({o["customer"] for o in orders}) >= 5
    assert len({o["factory"] for o in orders}) >= 3
    assert len({o["currency"] for o in orders}) >= 3
    assert len({o["incoterm"] for o in orders}) >= 3
    assert len(data.rows["price_history"]) >= len(orders)
    assert data.rows["customers"] and data.rows["factories"] and data.rows["shipments"] and data.rows["payments"]


def test_planted_problems_cover_the_issue() -> None:
    planted = demo_rows(TODAY).planted
    codes = {p.code for p in planted}
    assert {"price-mismatch", "line-amount-mismatch", "delivery-late", "po-before-deposit", "not-a-number",
            "invalid-date"} <= codes
    assert len(codes) == len(planted) > len(PLANTED_SPECS)  # one case per code, the lifecycle's after the specs


def test_reader_finds_exactly_the_planted_reader_problems(demo: tuple[Path, Workbook]) -> None:
    _, workbook = demo
    planted = {(p.order_no, p.code) for p in demo_rows(TODAY).planted if p.code in READER_CODES}
    assert planted == {("GD2026-016", "not-a-number"), ("GD2026-019", "invalid-date"), ("GD2026-022", "cell-error")}
    assert {(f.order_no, f.code) for f in workbook.findings} == planted


def test_planted_cells_have_the_right_addresses(demo: tuple[Path, Workbook]) -> None:
    _, workbook = demo
    found = {f.code: f for f in workbook.findings}
    late = next(o for o in workbook.orders if o.order_no == "GD2026-019")
    assert found["invalid-date"].address == f"订单!Q{late.row}"  # 客户交期 is column Q
    assert late.delivery_date is None
    qty_line = next(line for line in workbook.lines if line.order_no == "GD2026-016" and line.qty is None)
    assert found["not-a-number"].address == f"订单明细!F{qty_line.row}"  # 数量 is column F
    error_line = next(line for line in workbook.lines if line.order_no == "GD2026-022" and line.amount is None)
    assert found["cell-error"].address == f"订单明细!I{error_line.row}"  # 金额 is column I
    assert found["cell-error"].data["error"] == "#N/A"


def test_messy_but_valid_cells_are_read(demo: tuple[Path, Workbook]) -> None:
    _, workbook = demo
    data = demo_rows(TODAY)
    typed = data.rows["orders"]
    assert isinstance(typed[2]["order_date"], str) and "年" in typed[2]["order_date"]
    assert workbook.orders[2].order_date is not None
    assert isinstance(data.rows["lines"][2]["qty"], str) and "," in data.rows["lines"][2]["qty"]
    assert workbook.lines[2].qty is not None
    assert workbook.lines[5].unit_price is not None  # "US$…"
    assert workbook.lines[8].qty is not None  # full-width digits


def test_demo_is_reproducible(tmp_path: Path) -> None:
    first, _ = write_demo_workbook(tmp_path / "a", today=TODAY)
    second, _ = write_demo_workbook(tmp_path / "b", today=TODAY)
    assert first.read_bytes() == second.read_bytes()
    assert demo_rows(TODAY).rows != demo_rows(date(2027, 3, 1)).rows


def test_late_order_is_late_whatever_the_day() -> None:
    for today in (TODAY, date(2027, 6, 1)):
        late = next(o for o in demo_rows(today).rows["orders"] if o["order_no"].endswith("-004"))
        assert late["delivery_date"] < today
        assert late["status"].startswith("生产中")


def test_three_orders_of_one_customer_sail_together(demo: tuple[Path, Workbook]) -> None:
    _, workbook = demo
    data = demo_rows(TODAY)
    assert data.consolidated == ("HY-INV-C41",)
    rows = [s for s in workbook.shipments if s.shipment_no == data.consolidated[0]]
    orders = [workbook.orders_by_no[s.order_no] for s in rows]
    assert len(rows) == 3 and len({o.customer for o in orders}) == 1 and len({o.factory for o in orders}) == 3
    assert len({(s.container_no, s.seal_no, s.vessel, s.etd) for s in rows}) == 1  # one container, one sailing
    assert all(s.invoice_amount == o.order_total for s, o in zip(rows, orders, strict=True))


def test_run_demo(tmp_path: Path) -> None:
    run = run_demo(tmp_path / "out", today=TODAY)
    assert run.path == tmp_path / "out" / "gendan_demo.xlsx"
    assert run.path.is_file()
    assert run.steps[0] == "read"
    assert len(run.workbook.orders) == 43  # 36 regular orders, the 4 scenario orders, 3 that sail together
    (shipment,) = run.data.consolidated
    shipped = sorted(p.name for p in run.documents if p.name.startswith(f"{shipment}_"))
    assert len(shipped) == 6 and f"{shipment}_co-data.docx" in shipped  # the shipment's documents rendered cleanly
