"""Every problem planted in the demo workbook is reported, at the planted order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gendan_xl.checks import run_checks
from gendan_xl.demo import PLANTED_SPECS, SCENARIOS, demo_rows, write_demo_workbook
from gendan_xl.documents import outdated  # noqa: F401 - the document log's check runs with the others
from gendan_xl.findings import RULES
from gendan_xl.workbook.reader import read_workbook


@pytest.mark.parametrize("today", [date(2026, 11, 26), date(2026, 3, 2)])
def test_planted_problems_are_reported(tmp_path: Path, today: date) -> None:
    path, data = write_demo_workbook(tmp_path, today=today)
    report = run_checks(read_workbook(path), today=today)
    found = {(f.order_no, f.code) for f in report.findings}
    missing = [p for p in data.planted if (p.order_no, p.code) not in found]
    assert missing == []
    wrongly = [(p.order_no, code) for p in data.planted for code in p.absent if (p.order_no, code) in found]
    assert wrongly == []
    assert len(data.planted) >= 12
    assert report.exit_code == 1
    together = {s["order_no"] for s in data.rows["shipments"] if s["shipment_no"] in data.consolidated}
    assert len(together) == 3  # the orders that sail together are clean, whatever the day
    assert [(f.order_no, f.code) for f in report.findings if f.order_no in together] == []


@pytest.mark.parametrize("today", [date(2026, 11, 26), date(2026, 3, 2)])
def test_the_scenario_orders_raise_nothing_else(tmp_path: Path, today: date) -> None:
    # a remittance short by USD 25 and credit terms are no error; Form A to Japan and the missed L/C
    # presentation are the only errors of their orders
    path, data = write_demo_workbook(tmp_path, today=today)
    report = run_checks(read_workbook(path), today=today)
    for planted in data.planted[:len(PLANTED_SPECS)][-SCENARIOS:]:
        errors = {f.code for f in report.findings if f.order_no == planted.order_no and f.severity.value == "error"}
        assert errors <= {planted.code}, (planted.order_no, errors)


def test_demo_is_realistic(tmp_path: Path) -> None:
    path, _ = write_demo_workbook(tmp_path, today=date(2026, 11, 26))
    book = read_workbook(path)
    assert len(book.orders) >= 30
    assert len({o.customer for o in book.orders}) >= 5
    assert len({o.factory for o in book.orders}) >= 3
    assert {"USD", "EUR", "GBP"} <= {o.currency for o in book.orders}
    assert len({o.incoterm for o in book.orders}) >= 3
    assert len(book.price_history) >= 50
    report = run_checks(book, today=date(2026, 11, 26))
    assert {s.container for s in report.orders} >= {"LCL", "1×40HQ"}


def test_every_samples_complaints_and_changes_rule_is_planted() -> None:
    # `gendan demo` shows a finding of each kind the samples, complaints and changes rules raise (the data
    # quality codes — unknown words, rows without an order — aside)
    wanted = {code for code, rule in RULES.items()
              if rule.family in ("samples", "complaints", "changes") and not code.endswith(("-unknown", "-without-order"))}
    wanted.add("change-documents-to-reissue")
    planted = {p.code for p in demo_rows(date(2026, 11, 26)).planted}
    assert wanted <= planted, wanted - planted
