"""Order snapshots: what they keep, how two compare, and that a huge order still fits a cell."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gendan_xl.checks.snapshots import compare_snapshots, parse_snapshot, snapshot_text, take_snapshot
from gendan_xl.lifecycle import Aspect
from gendan_xl.models import Order, OrderLine
from gendan_xl.vocab import OrderStatus


def order(**values: object) -> Order:
    base = {"row": 2, "order_no": "T-1", "currency": "USD", "incoterm": "FOB", "incoterm_place": "Ningbo",
            "pol": "Ningbo", "pod": "Hamburg", "destination_country": "DE", "payment_terms": "T/T 30% deposit",
            "deposit_pct": Decimal("0.3"), "delivery_date": date(2026, 12, 1), "factory_delivery_date": date(2026, 11, 25)}
    return Order.model_validate({**base, **values})


def line(item: str = "A-1", **values: object) -> OrderLine:
    base = {"row": 2, "order_no": "T-1", "item_no": item, "description": "Tongs", "qty": Decimal(1200), "unit": "PCS",
            "unit_price": Decimal("1.15"), "purchase_price": Decimal("6.80"), "pcs_per_carton": 100,
            "carton_l": Decimal(52), "carton_w": Decimal(32), "carton_h": Decimal(28), "nw_per_carton": Decimal("9.5"),
            "gw_per_carton": Decimal("10.5")}
    return OrderLine.model_validate({**base, **values})


def test_a_snapshot_keeps_each_aspect_as_text() -> None:
    snap = take_snapshot(order(), [line(), line("B-2", qty=Decimal("300.0"), unit="SETS")])
    assert snap["qty"] == {"A-1": "1,200 PCS", "B-2": "300 SETS"}
    assert snap["price"]["A-1"] == "USD 1.15" and snap["purchase_price"]["A-1"] == "6.8"
    assert snap["packing"]["A-1"] == "100/ctn 52×32×28cm N.W.9.5 G.W.10.5"
    assert (snap["delivery"], snap["factory_date"]) == ("2026-12-01", "2026-11-25")
    assert snap["port"] == "Ningbo → Hamburg (DE)" and snap["incoterm"] == "FOB Ningbo"
    assert snap["payment"] == "T/T 30% deposit (30%)" and snap["cancelled"] == ""
    assert parse_snapshot(snapshot_text(snap)) == snap


def test_an_item_twice_in_an_order_is_kept_apart() -> None:
    snap = take_snapshot(order(), [line(), line(qty=Decimal(10))])
    assert snap["qty"] == {"A-1": "1,200 PCS", "A-1#2": "10 PCS"}


@pytest.mark.parametrize(("changed_order", "changed_line", "aspect", "old", "new", "item"), [
    ({}, {"qty": Decimal(1000)}, Aspect.QTY, "A-1 1,200 PCS", "A-1 1,000 PCS", "A-1"),
    ({}, {"unit_price": Decimal("1.2")}, Aspect.PRICE, "A-1 USD 1.15", "A-1 USD 1.2", "A-1"),
    ({"currency": "EUR"}, {}, Aspect.PRICE, "A-1 USD 1.15", "A-1 EUR 1.15", "A-1"),
    ({}, {"purchase_price": Decimal("7")}, Aspect.PURCHASE_PRICE, "A-1 6.8", "A-1 7", "A-1"),
    ({}, {"pcs_per_carton": 50}, Aspect.PACKING, "A-1 100/ctn 52×32×28cm N.W.9.5 G.W.10.5",
     "A-1 50/ctn 52×32×28cm N.W.9.5 G.W.10.5", "A-1"),
    ({}, {"spec": "23cm"}, Aspect.ITEMS, "A-1 Tongs", "A-1 Tongs | 23cm", "A-1"),
    ({"delivery_date": date(2026, 12, 15)}, {}, Aspect.DELIVERY, "2026-12-01", "2026-12-15", None),
    ({"factory_delivery_date": None}, {}, Aspect.FACTORY_DATE, "2026-11-25", "—", None),
    ({"pod": "Bremerhaven"}, {}, Aspect.PORT, "Ningbo → Hamburg (DE)", "Ningbo → Bremerhaven (DE)", None),
    ({"incoterm": "CIF", "incoterm_place": "Hamburg"}, {}, Aspect.INCOTERM, "FOB Ningbo", "CIF Hamburg", None),
    ({"deposit_pct": Decimal("0.5")}, {}, Aspect.PAYMENT, "T/T 30% deposit (30%)", "T/T 30% deposit (50%)", None),
    ({"status": OrderStatus.CANCELLED}, {}, Aspect.CANCELLED, "—", "已取消 Cancelled", None),
])
def test_each_aspect_is_told_apart(changed_order: dict[str, object], changed_line: dict[str, object], aspect: Aspect,
                                   old: str, new: str, item: str | None) -> None:
    before = take_snapshot(order(), [line()])
    after = take_snapshot(order(**changed_order), [line(**changed_line)])
    (difference,) = compare_snapshots(before, after)
    assert (difference.aspect, difference.old, difference.new, difference.item_no) == (aspect, old, new, item)


def test_lines_added_and_removed_show_as_a_dash() -> None:
    before = take_snapshot(order(), [line(), line("B-2")])
    after = take_snapshot(order(), [line(), line("C-3")])
    found = {d.aspect: d for d in compare_snapshots(before, after)}
    assert found[Aspect.QTY].old == "B-2 1,200 PCS; C-3 —" and found[Aspect.QTY].new == "B-2 —; C-3 1,200 PCS"
    assert found[Aspect.QTY].item_no is None  # two items differ


def test_an_aspect_missing_from_an_older_snapshot_is_not_a_change() -> None:
    now = take_snapshot(order(), [line()])
    older = {k: v for k, v in now.items() if k != "packing"}
    assert compare_snapshots(older, take_snapshot(order(), [line(pcs_per_carton=10)])) == []


def test_a_huge_order_keeps_hashes_and_still_tells_a_change() -> None:
    text_of = "Household article with a long description " * 3
    lines = [line(f"IT-{i:04d}", description=text_of) for i in range(400)]
    snap = take_snapshot(order(), lines)
    text = snapshot_text(snap)
    assert len(text) < 32_767 and set(snap["qty"]) == {"#", "n"}
    changed = take_snapshot(order(), [*lines[:-1], line("IT-0399", description=text_of, qty=Decimal(1))])
    (difference,) = compare_snapshots(snap, changed)
    assert difference.aspect is Aspect.QTY and "400" in difference.old


@pytest.mark.parametrize("text", [None, "", "not json", "[1, 2]", '{"v": 99}', "{broken"])
def test_anything_else_in_the_cell_is_no_snapshot(text: str | None) -> None:
    assert parse_snapshot(text) is None


@given(st.lists(st.tuples(st.text(alphabet="ABC-1234", min_size=1, max_size=6),
                          st.decimals(min_value=1, max_value=10**6, places=2)), min_size=1, max_size=8))
def test_a_snapshot_compared_with_itself_shows_no_change(items: list[tuple[str, Decimal]]) -> None:
    lines = [line(item, qty=qty) for item, qty in items]
    snap = take_snapshot(order(), lines)
    assert compare_snapshots(parse_snapshot(snapshot_text(snap)) or {}, take_snapshot(order(), lines)) == []
