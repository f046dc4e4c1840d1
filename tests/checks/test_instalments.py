"""The collection schedule: each instalment's amount, what must have arrived by then, and its due date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gendan_xl.checks.base import CheckContext
from gendan_xl.checks.calendar import WorkCalendar
from gendan_xl.checks.instalments import balance_due_date, instalment_schedule
from gendan_xl.models import Order, Payment, Shipment, Workbook
from gendan_xl.vocab import parse_payment_terms

TODAY = date(2026, 11, 26)
SHIPMENT = {"shipment_no": "S-1", "order_no": "A-1", "etd": date(2026, 11, 8), "bl_date": date(2026, 11, 10),
            "eta": date(2026, 12, 8), "documents_presented": date(2026, 11, 14),
            "documents_accepted": date(2026, 11, 24)}


def context(terms: str, *, payments: list[Payment] = (), **shipment: Any) -> tuple[CheckContext, Order]:
    order = Order(row=2, order_no="A-1", payment_terms=terms, currency="USD", order_total=Decimal("1000.00"))
    workbook = Workbook(orders=[order], shipments=[Shipment(row=2, **{**SHIPMENT, **shipment})],
                        payments=list(payments))
    return CheckContext(workbook=workbook, today=TODAY, calendar=WorkCalendar("CN")), order


@pytest.mark.parametrize(("terms", "dues"), [
    ("T/T 30% deposit, balance before shipment", [None, date(2026, 11, 10)]),  # the B/L date: shipped then
    ("T/T 30% deposit, balance against B/L copy", [None, date(2026, 11, 17)]),  # B/L date + 7 grace days
    ("T/T 60 days after B/L", [date(2027, 1, 9)]),  # B/L date + 60, no grace
    ("30 days after arrival", [date(2027, 1, 7)]),  # ETA + 30, not ETA + grace
    ("payment on arrival", [date(2026, 12, 15)]),  # ETA + grace
    ("CAD", [date(2026, 11, 21)]),  # documents presented + grace
    ("D/A 60 days", [date(2027, 1, 23)]),  # accepted + 60
    ("30% deposit, 70% L/C at sight", [None, None]),  # the bank pays against the presentation
])
def test_due_dates_follow_the_trigger(terms: str, dues: list[date | None]) -> None:
    ctx, order = context(terms)
    parsed = parse_payment_terms(terms)
    assert parsed is not None
    assert [item.due for item in instalment_schedule(ctx, order, parsed, Decimal("1000.00"))] == dues


def test_maturity_on_the_acceptance_advice_wins() -> None:
    ctx, order = context("D/A 60 days", maturity_date=date(2027, 1, 25))
    parsed = parse_payment_terms("D/A 60 days")
    assert parsed is not None
    assert instalment_schedule(ctx, order, parsed, Decimal(1000))[0].due == date(2027, 1, 25)


def test_the_next_due_date_skips_what_is_paid() -> None:
    paid = [Payment(row=2, order_no="A-1", date=date(2026, 11, 5), amount=Decimal("690.00"), currency="USD")]
    ctx, order = context("70% before shipment, 30% against B/L copy", payments=paid)
    parsed = parse_payment_terms("70% before shipment, 30% against B/L copy")
    assert parsed is not None
    # 700 due before shipment arrived 10 short (bank charges): the next due date is the B/L copy's
    assert balance_due_date(ctx, order, parsed, Decimal("1000.00")) == date(2026, 11, 17)


@given(st.integers(min_value=1, max_value=99), st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**7),
                                                            places=2))
def test_amounts_add_up_to_the_total(deposit: int, total: Decimal) -> None:
    terms = f"{deposit}% deposit, {100 - deposit}% against B/L copy"
    ctx, order = context(terms)
    parsed = parse_payment_terms(terms)
    assert parsed is not None
    schedule = instalment_schedule(ctx, order, parsed, total)
    assert sum(item.amount for item in schedule if item.amount is not None) == total
    assert schedule[-1].cumulative == total
    assert all(item.amount is not None and item.amount.as_tuple().exponent >= -2 for item in schedule)


def test_unknown_deposit_share_leaves_only_the_total_known() -> None:
    ctx, order = context("T/T deposit, balance against B/L copy")
    parsed = parse_payment_terms("T/T deposit, balance against B/L copy")
    assert parsed is not None
    first, last = instalment_schedule(ctx, order, parsed, Decimal(1000))
    assert first.amount is None and first.cumulative is None
    assert last.cumulative == Decimal(1000)
