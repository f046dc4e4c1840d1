"""Property: for any consolidation, a shipment's documents add up to the orders' own documents.

Random orders of one customer (1–4 lines each, random quantities, prices, carton data, with and
without 出运金额) are put in one shipment; the shipment's invoice, packing list, customs data and
C/O data must state the sums of what each order's own documents state, and the carton numbers of
each order's group must be its own numbers moved on by the cartons of the orders before it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gendan_xl.config import Settings
from gendan_xl.documents import build_context, find_kind, gather_order
from gendan_xl.documents.shipment import gather_shipment
from gendan_xl.models import Customer, Order, OrderLine, Shipment, Workbook

TODAY = date(2026, 11, 26)
NUMBER = "HY-INV-P01"
ITEMS = {"A-1": ("8215990000", "PCS"), "A-2": ("3924100000", "SETS"), "B-1": ("4419110000", "PCS"),
         "B-2": ("7013490000", "PCS"), "C-1": ("6912001000", "PCS")}  # one HS code and unit per item


def _figure(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) if text else Decimal(0)


def _per_unit(entries: list[dict[str, str]]) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for entry in entries:
        found[entry["unit"]] = found.get(entry["unit"], Decimal(0)) + _figure(entry["qty"])
    return found


@st.composite
def _line(draw: st.DrawFn, order_no: str, row: int) -> OrderLine:
    item = draw(st.sampled_from(sorted(ITEMS)))
    hs, unit = ITEMS[item]
    per = draw(st.integers(1, 120))
    nw = Decimal(draw(st.integers(5, 300))) / 10
    return OrderLine(
        row=row, order_no=order_no, item_no=item, description=f"Goods {item}", hs_code=hs, unit=unit,
        qty=Decimal(draw(st.integers(1, 5000))), unit_price=Decimal(draw(st.integers(5, 2000))) / 100,
        pcs_per_carton=per, carton_l=Decimal(draw(st.integers(20, 80))), carton_w=Decimal(draw(st.integers(20, 60))),
        carton_h=Decimal(draw(st.integers(15, 60))), nw_per_carton=nw,
        gw_per_carton=nw + Decimal(draw(st.integers(2, 30))) / 10, origin_criterion=draw(st.sampled_from(["WO", "", "PE"])))


@st.composite
def _workbook(draw: st.DrawFn) -> Workbook:
    count = draw(st.integers(2, 4))
    orders, lines, shipments = [], [], []
    row = 2
    for index in range(1, count + 1):
        order_no = f"P-{index:03d}"
        mine = [draw(_line(order_no, row + i)) for i in range(draw(st.integers(1, 4)))]
        row += len(mine)
        total = sum((ln.computed_amount or Decimal(0) for ln in mine), Decimal(0))
        orders.append(Order(row=index + 1, order_no=order_no, customer="ACME", customer_po=f"PO-{index}",
                            contract_no=f"C-{index}", currency="USD", incoterm="FOB", incoterm_place="Ningbo",
                            pol="Ningbo", pod="Hamburg", destination_country="DE", delivery_date=date(2026, 12, 20),
                            order_total=total))
        lines.extend(mine)
        stated = total if draw(st.booleans()) else None  # 出运金额 filled on some rows only
        shipments.append(Shipment(row=index + 1, shipment_no=NUMBER, order_no=order_no, container_type="40HQ",
                                  container_no="TGHU0000001", seal_no="SL1", loading_date=date(2026, 12, 15),
                                  etd=date(2026, 12, 18), invoice_amount=stated, co_type="C/O"))
    customer = Customer(row=2, code="ACME", name="Acme GmbH", marks="ACME", doc_grouping=draw(
        st.sampled_from([None, "按订单 By order", "不分组 None"])))
    return Workbook(orders=orders, lines=lines, customers=[customer], shipments=shipments,
                    settings=Settings(company_name="宁波环宇进出口有限公司"))


@settings(max_examples=60, deadline=None)
@given(_workbook())
def test_shipment_documents_add_up_to_the_orders_documents(workbook: Workbook) -> None:
    shipment = gather_shipment(workbook, NUMBER, today=TODAY)
    orders = [gather_order(workbook, no, today=TODAY, shipment_no=NUMBER) for no in shipment.order_nos]
    for key in ("commercial-invoice", "packing-list", "customs-data", "co-data"):
        kind = find_kind(key)
        assert kind is not None
        whole = build_context(shipment, kind).values
        parts = [build_context(order, kind).values for order in orders]
        for name in ("cartons", "nw", "gw", "cbm"):
            assert _figure(whole["totals"][name]) == sum((_figure(p["totals"][name]) for p in parts), Decimal(0)), name
        assert _per_unit(whole["totals"]["qty_by_unit"]) == _sum_units(p["totals"]["qty_by_unit"] for p in parts)
        if "amount" in whole["doc"]:  # the invoice totals the lines, customs and C/O data the 出运金额 where stated
            assert _figure(whole["doc"]["amount"]) == sum((_figure(p["doc"]["amount"]) for p in parts), Decimal(0))
        if key == "customs-data":
            items = whole["customs_items"]
            assert sum((_figure(i["nw"]) for i in items), Decimal(0)) == _figure(whole["totals"]["nw"])
        if key == "co-data":
            items = whole["origin_items"]
            assert sum((_figure(i["cartons"]) for i in items), Decimal(0)) == _figure(whole["totals"]["cartons"])
            assert sum((_figure(i["gw"]) for i in items), Decimal(0)) == _figure(whole["totals"]["gw"])
    packing = build_context(shipment, find_kind("packing-list")).values  # type: ignore[arg-type]
    own = [build_context(order, find_kind("packing-list")).values for order in orders]  # type: ignore[arg-type]
    before = 0
    shifted: list[str] = []
    for values in own:
        for row in values["packing_rows"]:
            first, _, last = row["carton_range"].partition("-")
            shifted.append(f"{int(first) + before}" + (f"-{int(last) + before}" if last else ""))
        before += int(values["totals"]["cartons"])
    assert [row["carton_range"] for row in packing["packing_rows"]] == shifted
    if len(packing["groups"]) > 1:  # a subtotal per order, equal to the order's own packing list
        assert [g["cartons"] for g in packing["groups"]] == [v["totals"]["cartons"] for v in own]
        assert [g["gw"] for g in packing["groups"]] == [v["totals"]["gw"] for v in own]


def _sum_units(lists: object) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for entries in lists:  # type: ignore[attr-defined]
        for unit, qty in _per_unit(entries).items():
            found[unit] = found.get(unit, Decimal(0)) + qty
    return found
