"""Rule table for L/C dates (UCP 600) and D/P, D/A, CAD documents.

Today is 2026-11-26 (Thursday). The L/C cases ship T-001 with its B/L dated 2026-11-10 unless
they move it: 21 days later is Tuesday 2026-12-01, three working days ahead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gendan_xl.checks import run_checks
from gendan_xl.checks.base import CheckContext
from gendan_xl.checks.calendar import WorkCalendar
from gendan_xl.checks.documentary import presentation_deadline
from gendan_xl.models import Order, Workbook
from gendan_xl.workbook.reader import read_workbook
from tests.checks.casekit import Case, case, chain, no_deposit_terms, run_case, upd
from tests.checks.clean import TODAY, Rows, clean_rows, order, shipped, write_rows

CREDIT = {"lc_date": date(2026, 10, 6), "lc_latest_shipment": date(2026, 11, 20), "lc_expiry": date(2026, 12, 20)}


def on_lc(**fields: Any) -> Callable[[Rows], None]:
    return chain(no_deposit_terms("L/C at sight"), upd(order, **{**CREDIT, **fields}))


def ship(bl_date: date = date(2026, 11, 10), **fields: Any) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        shipped(rows, paid=False, **fields)
        rows["shipments"][0].update(bl_date=bl_date, etd=bl_date)

    return change


DOCUMENTARY_CASES = [
    case("L/C presented within 21 days", chain(on_lc(), ship(documents_presented=date(2026, 11, 20)))),
    case("L/C presentation due", chain(on_lc(), ship()), "lc-presentation-due"),
    case("L/C past its presentation period", chain(on_lc(), ship(date(2026, 11, 2))), "lc-presentation-late",
         addresses={"lc-presentation-late": "出运!P2"}),
    case("L/C presented after the period", chain(on_lc(), ship(date(2026, 10, 20),
                                                           documents_presented=date(2026, 11, 12))),
         "lc-presentation-late"),
    case("L/C's own presentation period", chain(on_lc(lc_presentation_days=10), ship()), "lc-presentation-late"),
    case("L/C expiry before 21 days", chain(on_lc(lc_expiry=date(2026, 11, 20)), ship()), "lc-presentation-late"),
    case("L/C latest shipment missed", chain(on_lc(lc_latest_shipment=date(2026, 11, 5)),
                                             ship(documents_presented=date(2026, 11, 12))), "lc-shipment-missed"),
    case("L/C latest shipment due", on_lc(lc_latest_shipment=date(2026, 11, 30)), "lc-shipment-due"),
    case("L/C latest shipment passed before shipment", on_lc(lc_latest_shipment=date(2026, 11, 20)),
         "lc-shipment-missed"),
    case("L/C expiry missing", on_lc(lc_expiry=None, lc_latest_shipment=None), "lc-expiry-missing"),
    case("D/P documents not sent", chain(no_deposit_terms("D/P at sight"), ship()),
         "collection-documents-not-sent", "credit-terms"),
    case("D/P documents sent", chain(no_deposit_terms("D/P at sight"), ship(documents_presented=date(2026, 11, 20))),
         "credit-terms"),
    case("D/A acceptance missing", chain(no_deposit_terms("D/A 60 days"),
                                         ship(documents_presented=date(2026, 11, 12))),
         "acceptance-missing", "credit-terms"),
    case("D/A accepted, maturity ahead", chain(no_deposit_terms("D/A 60 days"), ship(
        documents_presented=date(2026, 11, 12), documents_accepted=date(2026, 11, 18))), "credit-terms"),
    case("D/A maturity passed unpaid", chain(no_deposit_terms("D/A 60 days"), ship(
        date(2026, 8, 20), documents_presented=date(2026, 8, 25), documents_accepted=date(2026, 9, 10),
        maturity_date=date(2026, 11, 9))), "balance-overdue", "credit-terms"),
]


@pytest.mark.parametrize("spec", DOCUMENTARY_CASES, ids=[c.name for c in DOCUMENTARY_CASES])
def test_documentary_rule(spec: Case, tmp_path: Path) -> None:
    run_case(spec, tmp_path)


def _context() -> CheckContext:
    return CheckContext(workbook=Workbook(), today=TODAY, calendar=WorkCalendar("CN"))


@pytest.mark.parametrize(("bl_date", "expiry", "days", "deadline"), [
    (date(2026, 11, 10), None, None, date(2026, 12, 1)),  # 21 days, a Tuesday
    (date(2026, 11, 1), None, None, date(2026, 11, 23)),  # 21 days is Sunday 22nd: the next banking day
    (date(2026, 11, 10), date(2026, 11, 25), None, date(2026, 11, 25)),  # the expiry comes first
    (date(2026, 11, 10), None, 30, date(2026, 12, 10)),  # the credit's own period
    (date(2026, 9, 10), None, None, date(2026, 10, 8)),  # 1 October: the National Day holiday moves it
])
def test_presentation_deadline(bl_date: date, expiry: date | None, days: int | None, deadline: date) -> None:
    order = Order(row=2, order_no="L-1", payment_terms="L/C at sight", lc_expiry=expiry, lc_presentation_days=days)
    assert presentation_deadline(_context(), order, bl_date) == deadline


def test_lc_late_is_an_error_and_due_a_warning(tmp_path: Path) -> None:
    rows = clean_rows()
    chain(on_lc(), ship(date(2026, 11, 2)))(rows)
    report = run_checks(read_workbook(write_rows(rows, tmp_path / "book.xlsx")), today=TODAY)
    (late,) = [f for f in report.findings if f.code == "lc-presentation-late"]
    assert late.severity.value == "error" and late.due == date(2026, 11, 23)
