"""Properties of reading a tracker: the layout around the data never changes the models read.

Shuffling the columns, swapping each header for another name the schema accepts for it, choosing
how the order cells are kept (merged, repeated, first row only), and inserting title, blank and
subtotal rows must all give the same orders and lines.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan_xl import read_workbook
from gendan_xl.workbook.headers import Tier
from gendan_xl.workbook.mapping import _matcher, role_columns
from tests.trackers import ORDERS, Col, OrderSheet, Tracker, lc, ln, o, oc

BASE: list[Col] = [
    oc("订单号", "orders.order_no", o("order_no")),
    oc("客户", "orders.customer", o("customer")),
    oc("客户交期", "orders.delivery_date", o("delivery_date")),
    oc("币种", "orders.currency", o("currency")),
    oc("贸易术语", "orders.incoterm", o("incoterm")),
    oc("付款方式", "orders.payment_terms", o("payment_terms")),
    oc("工厂", "orders.factory", o("factory")),
    lc("货号", "lines.item_no", ln("item_no")),
    lc("品名", "lines.description", ln("description")),
    lc("数量", "lines.qty", ln("qty")),
    lc("单价", "lines.unit_price", ln("price")),
    lc("金额", "lines.amount", ln("amount")),
    lc("采购单价", "lines.purchase_price", ln("cost")),
]


def _names(key: str) -> list[str]:
    """Every single-line name the schema gives the field that names it, and only it, on a one-sheet tracker."""
    column = role_columns("flat")[key]
    out = []
    for name in column.names:
        if "\n" in name or len(name) < 2:
            continue
        hits = _matcher("flat").hits(name)
        if hits and hits[0].field == key and hits[0].tier >= Tier.ALIAS and (len(hits) == 1 or hits[1].tier < hits[0].tier):
            out.append(name)
    return out


NAMES = {col.key: _names(col.key) for col in BASE if col.key}


def _snapshot(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    book = read_workbook(path)
    orders = [o.model_dump(exclude={"row"}) for o in book.orders]
    lines = [line.model_dump(exclude={"row"}) for line in book.lines]
    return orders, lines


@st.composite
def variants(draw: st.DrawFn) -> Tracker:
    order = draw(st.permutations(range(len(BASE))))
    columns = []
    for index in order:
        col = BASE[index]
        assert col.key is not None
        header = draw(st.sampled_from(NAMES[col.key]))
        columns.append(Col(header, col.key, col.value, col.order_level))
    layout = draw(st.sampled_from(["merged", "repeated", "first_row"]))
    title = draw(st.sampled_from([None, "2026 跟单表", "ACME TRADING — ORDER TRACKER"]))
    sheet = OrderSheet("Sheet1", columns, ORDERS, layout=layout, title=title, subtotals=draw(st.booleans()),
                       blank_between=draw(st.booleans()))
    return Tracker("variant", [sheet])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants())
def test_layout_never_changes_the_models(tracker: Tracker) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Tracker("base", [OrderSheet("Sheet1", BASE, ORDERS)]).write(Path(folder))
        expected = _snapshot(base)
        assert _snapshot(tracker.write(Path(folder))) == expected


def test_every_field_has_several_accepted_names() -> None:
    assert all(len(names) >= 2 for names in NAMES.values()), NAMES
