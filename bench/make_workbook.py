"""Write a benchmark master workbook: N order lines (N/5 orders) in the template's layout, or as a tracker.

Usage: python bench/make_workbook.py N [PATH] [--history ROWS] [--layout split|flat]

``--layout flat`` writes the orders and their lines on one sheet as merchandisers keep them (a title
row, their own headers, the order's cells merged down its lines) with the price history beside it
on a sheet 以往成交价, as ``gendan demo --layout flat`` does.

The workbook has realistic variety (500 customers, 2,000 items, 8 currencies' worth of terms),
a price history of at least 50,000 rows (or --history), shipments for the shipped half of the
orders and their payments, the samples sent (pre-production samples approved, a few awaiting the
verdict or rejected, shipping samples), a few percent of the shipped orders with a complaint,
changes on the change log, and a document log with snapshots for one order in twenty (some changed
since). Values are typed the way the template's users type them.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from gendan_xl.vocab import PAYMENT_TERM_CHOICES, STATUS_CHOICES
from gendan_xl.workbook.template import default_settings_rows, write_workbook
from gendan_xl.workbook.trackerfile import write_tracker_file

CENT = Decimal("0.01")
TODAY = date(2026, 11, 26)
COUNTRIES = ("DE", "GB", "US", "AU", "CA", "FR", "VN", "CL", "JP", "NL", "ES", "IT")
CURRENCIES = ("USD", "EUR", "GBP", "USD", "USD", "EUR")
UNITS = ("PCS", "SETS", "PAIRS", "PCS")


def _items(rng: random.Random, count: int) -> list[dict[str, Any]]:
    return [{
        "item_no": f"IT-{i:05d}", "description": f"Household article model {i}", "spec": f"{rng.randint(5, 80)}cm",
        "hs_code": rng.choice(("8215990000", "3924100000", "6912001000", "9405210000", "6302910000")),
        "unit": rng.choice(UNITS), "usd": Decimal(rng.randint(20, 2000)) / 100, "pcs": rng.choice((12, 24, 48, 100)),
        "carton": (rng.randint(30, 65), rng.randint(25, 45), rng.randint(20, 45)), "nw": Decimal(rng.randint(40, 150)) / 10,
        "factory": f"F{i % 120:03d}",
    } for i in range(count)]


def generate(n_lines: int, history_rows: int, seed: int = 11) -> dict[str, Any]:
    """Row iterables per sheet key for a workbook with ``n_lines`` order lines.

    Customers reorder from their own catalogue of 40 items at the confirmed price, so most lines
    have a reference price (from the history or an earlier order), as in a real workbook.
    """
    rng = random.Random(seed)
    items = _items(rng, 2000)
    catalogue = {f"C{c:04d}": rng.sample(items, 40) for c in range(500)}
    terms = {code: rng.choice(PAYMENT_TERM_CHOICES) for code in catalogue}
    n_orders = max(1, n_lines // 5)
    orders: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    for index in range(n_orders):
        customer = f"C{rng.randint(0, 499):04d}"
        currency = CURRENCIES[int(customer[1:]) % len(CURRENCIES)]
        order_date = TODAY - timedelta(days=rng.randint(5, 300))
        delivery = order_date + timedelta(days=rng.randint(40, 90))
        order_no = f"BN{index:06d}"
        chosen = rng.sample(catalogue[customer], 5)
        order_lines = [_line(rng, order_no, item) for item in chosen]
        lines.extend(order_lines)
        total = sum((line["amount"] for line in order_lines), Decimal(0))
        shipped = delivery < TODAY
        order = {
            "order_no": order_no, "customer": customer, "customer_po": f"PO{index:07d}", "contract_no": f"SC{index:07d}",
            "order_date": order_date, "currency": currency, "incoterm": "FOB", "pol": "Ningbo",
            "pod": "Hamburg", "destination_country": COUNTRIES[index % len(COUNTRIES)],
            "payment_terms": terms[customer], "delivery_date": delivery, "factory": chosen[0]["factory"],
            "po_no": f"PC{index:07d}", "factory_delivery_date": delivery - timedelta(days=4),
            "factory_confirmed": delivery - timedelta(days=11) if delivery - timedelta(days=11) <= TODAY else None,
            "etd": delivery if shipped else None, "order_total": total,
            "status": STATUS_CHOICES[4] if shipped else STATUS_CHOICES[2], "merchandiser": rng.choice(("李娜", "周倩")),
        }
        _money_terms(order, total, payments)
        if shipped:
            payments.append({"order_no": order_no, "date": delivery + timedelta(days=5), "amount": total -
                             sum((p["amount"] for p in payments if p["order_no"] == order_no), Decimal(0)),
                             "currency": currency, "kind": "尾款 Balance"})
        orders.append(order)
    history = list(_history(rng, catalogue, history_rows))
    shipments = [{"shipment_no": f"INV{o['order_no']}", "order_no": o["order_no"], "booking_no": f"BK{o['order_no']}",
                  "booking_date": o["delivery_date"] - timedelta(days=12), "etd": o["etd"], "bl_no": f"BL{o['order_no']}",
                  "bl_date": o["etd"], "invoice_amount": o["order_total"], "container_type": "40HQ", "co_type": "C/O",
                  "co_applied": o["etd"] - timedelta(days=8)}
                 for o in orders if o["etd"]]
    customers = [{"code": f"C{i:04d}", "name": f"Customer {i} Ltd", "country": COUNTRIES[i % len(COUNTRIES)],
                  "address": f"{i} Harbour Road", "pp_sample": "大货前确认 Before bulk" if i % 5 == 0 else None}
                 for i in range(500)]
    factories = [{"code": f"F{i:03d}", "name": f"第{i}号工厂有限公司", "address": "浙江省宁波市"} for i in range(120)]
    rows = {"orders": orders, "lines": lines, "price_history": history, "customers": customers,
            "factories": factories, "shipments": shipments, "payments": payments, "settings": default_settings_rows()}
    rows.update(_lifecycle(rng, orders, lines, customers, factories, shipments))
    return rows


def _lifecycle(rng: random.Random, orders: list[dict[str, Any]], lines: list[dict[str, Any]],
               customers: list[dict[str, Any]], factories: list[dict[str, Any]],
               shipments: list[dict[str, Any]]) -> dict[str, Any]:
    """Samples, complaints, changes and a document log, as a merchandiser's sheets hold them after a year."""
    from gendan_xl.checks.snapshots import snapshot_text, take_snapshot
    from gendan_xl.config import Settings
    from gendan_xl.documents import find_kind, fingerprint
    from gendan_xl.documents.source import OrderData
    from gendan_xl.models import Customer, Factory, Order, OrderLine, Shipment

    by_order: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        by_order.setdefault(line["order_no"], []).append(line)
    samples: list[dict[str, Any]] = []
    complaints: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    order_fields = set(Order.model_fields) - {"row", "status"}
    customer_of = {c["code"]: Customer.model_validate({"row": 0, **c}) for c in customers}
    factory_of = {f["code"]: Factory.model_validate({"row": 0, **f}) for f in factories}
    shipment_of = {r["order_no"]: Shipment.model_validate({"row": 0, **r}) for r in shipments}
    settings = Settings()
    for index, order in enumerate(orders):
        order_no, start = order["order_no"], order["order_date"]
        first = by_order[order_no][0]
        shipped = order["etd"] is not None
        pp_customer = int(order["customer"][1:]) % 5 == 0  # these customers want PP samples approved before bulk
        if pp_customer or rng.random() < 0.5:  # a pre-production sample: approved, or for a young order still out
            sent = start + timedelta(days=8)
            verdict = rng.choice(("通过 Approved", "OK", "修改后通过 Approved with comments"))
            if not shipped and sent > TODAY - timedelta(days=12) and rng.random() < 0.5:
                verdict = None if rng.random() < 0.8 else "不通过 Rejected"
            samples.append({"sample_no": f"S{index:06d}", "order_no": order_no, "item_no": first["item_no"],
                            "kind": "产前样 PP", "sent_date": sent, "courier": rng.choice(("DHL", "FedEx", "UPS")),
                            "tracking_no": str(rng.randint(10 ** 9, 10 ** 10 - 1)), "verdict": verdict,
                            "verdict_date": sent + timedelta(days=6) if verdict and sent + timedelta(days=6) <= TODAY
                            else None})
            if verdict is not None and samples[-1]["verdict_date"] is not None and "不通过" not in verdict:
                order["sample_approved"] = samples[-1]["verdict_date"]
        if shipped and rng.random() < 0.3:
            samples.append({"sample_no": f"T{index:06d}", "order_no": order_no, "item_no": first["item_no"],
                            "kind": "船样 Shipping", "sent_date": order["etd"] - timedelta(days=8),
                            "courier": "DHL", "verdict": "通过 Approved", "verdict_date": order["etd"] - timedelta(days=5)})
        if shipped and rng.random() < 0.03:
            opened = order["etd"] + timedelta(days=35)
            closed = opened + timedelta(days=12) if opened + timedelta(days=12) <= TODAY else None
            complaints.append({
                "complaint_no": f"C{index:06d}", "order_no": order_no, "item_no": first["item_no"],
                "complaint_date": min(opened, TODAY), "complaint_type": rng.choice(("质量 Quality", "包装 Packing",
                                                                                   "数量 Quantity")),
                "description": "see the customer's report", "claim_amount": (order["order_total"] / 50).quantize(CENT),
                "currency": order["currency"], "resolution": rng.choice(("折扣 Discount", "返工 Rework")) if closed
                else None, "agreed_amount": (order["order_total"] / 80).quantize(CENT) if closed else None,
                "closed_date": closed})
        if rng.random() < 0.04:
            changes.append({"order_no": order_no, "changed_on": start + timedelta(days=9), "what": "数量 Quantity",
                            "item_no": first["item_no"], "old_value": "—", "new_value": str(first["qty"]),
                            "requested_by": "客户 Customer", "customer_confirmed": start + timedelta(days=9),
                            "factory_confirmed": start + timedelta(days=10)})
        if index % 20 == 0:  # documents made by gendan docs: the fingerprint and snapshot of the order they showed
            models = [OrderLine.model_validate({"row": 0, **{k: v for k, v in line.items()
                                                              if k in OrderLine.model_fields}})
                      for line in by_order[order_no]]
            then = {k: v for k, v in order.items() if k in order_fields}
            if index % 100 == 0:  # one in five has changed since: the delivery date was a week earlier then
                then["delivery_date"] = then["delivery_date"] - timedelta(days=7)
            shown = Order.model_validate({"row": 0, **then})
            data = OrderData(shown, tuple(models), customer_of.get(order["customer"]), factory_of.get(order["factory"]),
                             shipment_of.get(order_no), settings, TODAY)
            snapshot = snapshot_text(take_snapshot(shown, models))
            for kind, number in (("pi", order["contract_no"]), ("pc", order["po_no"])):
                found = find_kind(kind)
                assert found is not None
                documents.append({"order_no": order_no, "kind": found.title, "doc_no": number,
                                  "file": f"documents/{order_no}_{found.key}.docx", "rendered_at": start + timedelta(days=6),
                                  "fingerprint": fingerprint(data, found), "snapshot": snapshot})
    return {"samples": samples, "complaints": complaints, "changes": changes, "documents": documents}


def _line(rng: random.Random, order_no: str, item: dict[str, Any]) -> dict[str, Any]:
    qty = Decimal(item["pcs"] * rng.randint(5, 80))
    price = item["usd"]
    return {
        "order_no": order_no, "item_no": item["item_no"], "description": item["description"], "spec": item["spec"],
        "hs_code": item["hs_code"], "qty": qty, "unit": item["unit"], "unit_price": price,
        "amount": (qty * price).quantize(CENT, rounding=ROUND_HALF_UP),
        "purchase_price": (price * Decimal("5.2")).quantize(CENT), "pcs_per_carton": item["pcs"],
        "carton_l": item["carton"][0], "carton_w": item["carton"][1], "carton_h": item["carton"][2],
        "nw_per_carton": item["nw"], "gw_per_carton": item["nw"] + 1, "brand": "无品牌",
    }


def _money_terms(order: dict[str, Any], total: Decimal, payments: list[dict[str, Any]]) -> None:
    """Deposit, full payment or L/C before the purchase contract, as the order's terms require."""
    terms, start = order["payment_terms"], order["order_date"]
    if "L/C" in terms:
        order["lc_date"] = start + timedelta(days=4)
    elif "100%" in terms or "30%" in terms:
        share = Decimal(1) if "100%" in terms else Decimal("0.3")
        paid = (total * share).quantize(CENT)
        order.update(deposit_pct=share, deposit_date=start + timedelta(days=3), deposit_amount=paid)
        payments.append({"order_no": order["order_no"], "date": start + timedelta(days=3), "amount": paid,
                         "currency": order["currency"], "kind": "订金 Deposit"})
    order["po_issued"] = start + timedelta(days=5)
    order["po_signed"] = start + timedelta(days=6)


def _history(rng: random.Random, catalogue: dict[str, list[dict[str, Any]]], wanted: int) -> Iterator[dict[str, Any]]:
    """Earlier confirmed prices for the customers' catalogue items, oldest first, until ``wanted`` rows."""
    produced = 0
    while produced < wanted:
        for customer, items in catalogue.items():
            currency = CURRENCIES[int(customer[1:]) % len(CURRENCIES)]
            for item in items:
                when = TODAY - timedelta(days=320 + rng.randint(0, 400))
                yield {"customer": customer, "factory": item["factory"], "item_no": item["item_no"],
                       "currency": currency, "incoterm": "FOB", "unit": item["unit"], "unit_price": item["usd"],
                       "purchase_price": (item["usd"] * Decimal("5.2")).quantize(CENT),
                       "contract_no": f"H{produced:07d}", "contract_date": when}
                produced += 1
                if produced >= wanted:
                    return


def write_flat(path: Path, rows: dict[str, Any]) -> Path:
    """Write ``rows`` (from :func:`generate`) as a one-sheet tracker with merged order cells and a price sheet."""
    from gendan_xl.demo import _PRICES, FLAT_COLUMNS

    by_order: dict[str, list[dict[str, Any]]] = {}
    for line in rows["lines"]:
        line["carton_size"] = (line["carton_l"], line["carton_w"], line["carton_h"])
        by_order.setdefault(line["order_no"], []).append(line)
    orders = ((order, by_order.get(order["order_no"], [])) for order in rows["orders"])
    prices = ([h for h, _ in _PRICES], ([r.get(f) for _, f in _PRICES] for r in rows["price_history"]))
    return write_tracker_file(path, orders, FLAT_COLUMNS, sheet="跟单", title="2026 外贸跟单表", layout="merged",
                              other_sheets={"以往成交价": prices}, constant_memory=True)


def main() -> None:
    """Parse arguments and write the workbook."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, help="number of order lines")
    parser.add_argument("path", nargs="?", type=Path, help="output file (default bench/out/bench_<N>.xlsx)")
    parser.add_argument("--history", type=int, default=None, help="price-history rows (default max(50000, N/2))")
    parser.add_argument("--layout", choices=("split", "flat"), default="split", help="the template's sheets, or a tracker")
    args = parser.parse_args()
    suffix = "" if args.layout == "split" else f"_{args.layout}"
    path = args.path or Path(__file__).parent / "out" / f"bench_{args.n}{suffix}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows = generate(args.n, args.history if args.history is not None else max(50_000, args.n // 2))
    if args.layout == "flat":
        write_flat(path, rows)
    else:
        write_workbook(path, rows, constant_memory=True)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
