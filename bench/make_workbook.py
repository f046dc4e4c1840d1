"""Write a benchmark master workbook: N order lines (N/5 orders) in the template's layout, or as a tracker.

Usage: python bench/make_workbook.py N [PATH] [--history ROWS] [--layout split|flat]

``--layout flat`` writes the orders and their lines on one sheet as merchandisers keep them (a title
row, their own headers, the order's cells merged down its lines) with the price history beside it
on a sheet 以往成交价, as ``gendan demo --layout flat`` does.

The workbook has realistic variety (500 customers, 2,000 items, 8 currencies' worth of terms),
a price history of at least 50,000 rows (or --history), shipments for the shipped half of the
orders and their payments. Values are typed the way the template's users type them.
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
                  "address": f"{i} Harbour Road"} for i in range(500)]
    factories = [{"code": f"F{i:03d}", "name": f"第{i}号工厂有限公司", "address": "浙江省宁波市"} for i in range(120)]
    return {"orders": orders, "lines": lines, "price_history": history, "customers": customers,
            "factories": factories, "shipments": shipments, "payments": payments, "settings": default_settings_rows()}


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
