"""Amount arithmetic: Decimal, half-up to cents per line, totals are sums of rounded lines."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from gendan_xl.checks.common import order_total
from gendan_xl.models import OrderLine, round_money

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10**7), places=3)
prices = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10**5), places=4)


def make_line(qty: Decimal, price: Decimal, row: int = 2) -> OrderLine:
    return OrderLine(row=row, order_no="A", item_no="X", qty=qty, unit_price=price)


@given(quantities, prices)
def test_line_amount_is_half_up_to_cents(qty: Decimal, price: Decimal) -> None:
    amount = make_line(qty, price).computed_amount
    assert amount is not None
    exact = qty * price
    assert amount == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert abs(amount - exact) <= Decimal("0.005")
    assert amount.as_tuple().exponent == -2


@given(st.lists(st.tuples(quantities, prices), min_size=1, max_size=20))
def test_order_total_is_the_sum_of_rounded_lines(pairs: list[tuple[Decimal, Decimal]]) -> None:
    lines = [make_line(q, p, row) for row, (q, p) in enumerate(pairs, start=2)]
    total = order_total(lines)
    assert total == sum((round_money(q * p) for q, p in pairs), Decimal(0))
    assert isinstance(total, Decimal)


def test_half_up_not_bankers() -> None:
    assert round_money(Decimal("2.345")) == Decimal("2.35")
    assert round_money(Decimal("2.355")) == Decimal("2.36")
    assert make_line(Decimal(3), Decimal("0.335")).computed_amount == Decimal("1.01")


def test_total_needs_every_line() -> None:
    assert order_total([]) is None
    assert order_total([make_line(Decimal(1), Decimal(1)), OrderLine(row=3, order_no="A", item_no="Y")]) is None
