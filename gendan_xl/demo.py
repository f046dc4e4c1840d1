"""A realistic demo master workbook, with deliberate problems for gendan_xl to find.

The demo is dated relative to ``today`` so that its late order is always late and its upcoming
deadlines always upcoming. It is reproducible: the same ``today`` and seed give the same file.
The planted problems are listed in :data:`PLANTED` (order, what is wrong, the finding code).
The same generator, scaled up and without the planted problems, writes the benchmark workbook.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from gendan_xl.demo_lifecycle import add_lifecycle_rows, plant_lifecycle
from gendan_xl.workbook.template import Formula, default_settings_rows, write_workbook
from gendan_xl.workbook.trackerfile import TrackerColumn, write_tracker_file

__all__ = ["FLAT_COLUMNS", "PLANTED", "DemoData", "Planted", "demo_rows", "write_demo_workbook",
           "write_flat_demo_workbook"]

Row = dict[str, Any]
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Planted:
    """A deliberate case in the demo workbook: which order, what, the finding code it must raise.

    ``absent`` lists codes the order must *not* raise: the cases a naive check gets wrong (a
    remittance short by bank charges is not unpaid; credit terms release the B/L before payment).
    ``needs`` names the sheets besides orders and lines the case lives on: a tracker without them
    (the one-sheet demo) cannot hold it.
    """

    order_no: str
    what: str
    code: str
    absent: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Item:
    item_no: str
    description: str
    spec: str
    hs_code: str
    unit: str
    purchase: Decimal  # CNY incl. VAT
    price_usd: Decimal
    pcs: int
    carton: tuple[int, int, int]
    nw: Decimal
    gw: Decimal
    factory: str


def _item(no: str, desc: str, spec: str, hs: str, unit: str, purchase: str, usd: str, pcs: int,
          carton: tuple[int, int, int], nw: str, gw: str, factory: str) -> _Item:
    return _Item(no, desc, spec, hs, unit, Decimal(purchase), Decimal(usd), pcs, carton, Decimal(nw), Decimal(gw),
                 factory)


ITEMS = (
    _item("KT-1001", "Stainless Steel Kitchen Tongs", "23cm, mirror polish", "8215990000", "PCS", "6.80", "1.15",
          100, (52, 32, 28), "9.5", "10.5", "NB-KITCHEN"),
    _item("KT-1002", "Silicone Spatula Set", "3 pcs, food grade", "8215990000", "SETS", "12.50", "2.15",
          48, (45, 35, 30), "7.2", "8.2", "NB-KITCHEN"),
    _item("KT-1003", "Bamboo Cutting Board", "40x30x1.8cm", "4419110000", "PCS", "18.00", "3.20",
          20, (42, 32, 36), "14.0", "15.2", "NB-KITCHEN"),
    _item("KT-1004", "Glass Food Container", "1000ml, PP lid", "7013490000", "PCS", "9.20", "1.85",
          24, (48, 33, 30), "10.5", "11.8", "NB-KITCHEN"),
    _item("HD-2001", "Ceramic Mug", "350ml, glazed", "6912001000", "PCS", "4.10", "0.85",
          48, (50, 34, 30), "13.0", "14.2", "YW-CRAFT"),
    _item("HD-2002", "Scented Candle in Glass Jar", "200g, vanilla", "3406000000", "PCS", "7.50", "1.60",
          36, (44, 30, 25), "11.0", "12.0", "YW-CRAFT"),
    _item("HD-2003", "Artificial Flower Bouquet", "45cm, silk", "6702901000", "PCS", "5.60", "1.10",
          60, (60, 40, 40), "4.5", "5.6", "YW-CRAFT"),
    _item("HD-2004", "Wooden Photo Frame", "5x7 inch, pine", "4414009000", "PCS", "6.30", "1.35",
          48, (45, 30, 35), "9.0", "10.0", "YW-CRAFT"),
    _item("LT-3001", "LED Desk Lamp", "5W, USB, dimmable", "9405210000", "PCS", "38.00", "6.90",
          12, (56, 36, 40), "8.4", "9.6", "SZ-LIGHT"),
    _item("LT-3002", "Solar Garden Light", "IP65, warm white", "9405420000", "PCS", "11.20", "2.10",
          40, (52, 42, 38), "8.0", "9.3", "SZ-LIGHT"),
    _item("LT-3003", "LED String Lights", "10m, 100 LEDs", "9405310000", "PCS", "8.40", "1.60",
          50, (48, 38, 32), "7.0", "8.0", "SZ-LIGHT"),
    _item("PL-4001", "Plastic Storage Box", "30L, with lid", "3924100000", "PCS", "15.50", "2.90",
          10, (62, 42, 45), "9.0", "10.5", "TZ-PLASTIC"),
    _item("PL-4002", "Plastic Hanger Set", "10 pcs/set", "3926909000", "SETS", "6.00", "1.05",
          50, (50, 40, 30), "10.0", "11.0", "TZ-PLASTIC"),
    _item("PL-4003", "Kids Lunch Box", "3 compartments", "3924100000", "PCS", "8.80", "1.70",
          48, (55, 38, 36), "8.6", "9.8", "TZ-PLASTIC"),
    _item("TX-5001", "Cotton Kitchen Towel", "50x70cm, 100% cotton", "6302910000", "PCS", "3.20", "0.62",
          200, (60, 40, 35), "16.0", "17.0", "CX-TEXTILE"),
    _item("TX-5002", "Microfiber Cleaning Cloth", "30x30cm", "6307100000", "PCS", "0.95", "0.19",
          500, (55, 40, 30), "11.0", "12.0", "CX-TEXTILE"),
    _item("TX-5003", "Polyester Shopping Bag", "foldable, printed", "4202220000", "PCS", "2.80", "0.55",
          200, (60, 45, 40), "15.0", "16.0", "CX-TEXTILE"),
    _item("TX-5004", "Cushion Cover", "45x45cm, linen look", "6304930000", "PCS", "4.60", "0.92",
          100, (58, 40, 38), "10.0", "11.0", "CX-TEXTILE"),
)

CUSTOMERS: tuple[Row, ...] = (
    {"code": "HANSA", "name": "Hansa Haushaltswaren GmbH", "country": "Germany", "address": "Spaldingstr. 64, 20097 Hamburg, Germany",
     "contact": "Jens Petersen", "email": "j.petersen@hansa-hw.example", "phone": "+49 40 555 0101",
     "marks": "HANSA\nHAMBURG\nC/NO. 1-UP", "payment_terms": "T/T 30% deposit, balance against B/L copy", "currency": "EUR"},
    {"code": "BRIGHTON", "name": "Brighton Home Ltd", "country": "UK", "address": "12 Dock Road, Felixstowe IP11 3BW, United Kingdom",
     "contact": "Amy Clarke", "email": "amy@brightonhome.example", "phone": "+44 1394 555 020",
     "marks": "BRIGHTON HOME\nFELIXSTOWE\nMADE IN CHINA", "payment_terms": "T/T 30% deposit, balance before shipment",
     "currency": "GBP"},
    {"code": "SUNCOAST", "name": "Suncoast Trading Pty Ltd", "country": "澳大利亚", "address": "8 Port Drive, Brisbane QLD 4000, Australia",
     "contact": "Liam Walsh", "email": "liam@suncoast.example", "phone": "+61 7 5550 3030",
     "marks": "SUNCOAST\nBRISBANE", "payment_terms": "L/C at sight", "currency": "USD",
     "co_type": "China-Australia FTA", "doc_grouping": "按订单 By order"},
    {"code": "MAPLE", "name": "Maple Leaf Imports Inc.", "country": "Canada", "address": "300 Bay St, Toronto ON M5H 2S8, Canada",
     "contact": "Chloe Martin", "email": "chloe@mapleleaf.example", "phone": "+1 416 555 0404",
     "marks": "MLI\nTORONTO", "payment_terms": "T/T 30% deposit, balance before shipment", "currency": "USD"},
    {"code": "ANDES", "name": "Andes Comercial SpA", "country": "Chile", "address": "Av. Brasil 2950, Valparaíso, Chile",
     "contact": "Diego Rojas", "email": "drojas@andes.example", "phone": "+56 32 555 0505",
     "marks": "ANDES\nVALPARAISO", "payment_terms": "100% T/T in advance", "currency": "USD", "co_type": "Form F"},
    {"code": "SAIGON", "name": "Saigon Living Co., Ltd", "country": "越南", "address": "21 Nguyen Hue, District 1, Ho Chi Minh City, Vietnam",
     "contact": "Tran Minh", "email": "minh@saigonliving.example", "phone": "+84 28 5550 6060",
     "marks": "SGL\nHCMC", "payment_terms": "D/P at sight", "currency": "USD", "co_type": "Form E"},
    {"code": "LAKESIDE", "name": "Lakeside Retail LLC", "country": "USA", "address": "1500 Lake Shore Dr, Chicago IL 60610, USA",
     "contact": "Megan Scott", "email": "megan@lakeside.example", "phone": "+1 312 555 0707",
     "marks": "LAKESIDE\nCHICAGO", "payment_terms": "O/A 30 days", "currency": "USD"},
    {"code": "RIVIERA", "name": "Riviera Maison SARL", "country": "France", "address": "5 Quai de la Joliette, 13002 Marseille, France",
     "contact": "Claire Dubois", "email": "c.dubois@riviera.example", "phone": "+33 4 9155 0808",
     "marks": "RIVIERA\nMARSEILLE", "payment_terms": "T/T 30% deposit, balance against B/L copy", "currency": "EUR"},
)
# Customers of the planted cases only (orders after the regular ones; not in the benchmark workbook).
SCENARIO_CUSTOMERS: tuple[Row, ...] = (
    {"code": "NORDHAVN", "name": "Nordhavn Interiør AS", "country": "Norway",
     "address": "Bryggen 12, 5003 Bergen, Norway", "contact": "Ingrid Berg", "email": "ingrid@nordhavn.example",
     "phone": "+47 55 55 0909", "marks": "NORDHAVN\nBERGEN", "payment_terms": "T/T 60 days after B/L",
     "currency": "USD", "co_type": "Form A"},
    {"code": "SAKURA", "name": "Sakura Zakka K.K.", "country": "Japan",
     "address": "2-8-1 Minatomirai, Nishi-ku, Yokohama 220-0012, Japan", "contact": "Yuki Tanaka",
     "email": "tanaka@sakura-zakka.example", "phone": "+81 45 555 1010", "marks": "SAKURA\nYOKOHAMA",
     "payment_terms": "T/T 30% deposit, balance against B/L copy", "currency": "USD", "co_type": "RCEP"},
)
_PORTS = {"HANSA": "Hamburg", "BRIGHTON": "Felixstowe", "SUNCOAST": "Brisbane", "MAPLE": "Vancouver",
          "ANDES": "Valparaiso", "SAIGON": "Ho Chi Minh", "LAKESIDE": "Los Angeles", "RIVIERA": "Marseille",
          "NORDHAVN": "Bergen", "SAKURA": "Yokohama"}
_COUNTRY = {"HANSA": "德国", "BRIGHTON": "United Kingdom", "SUNCOAST": "Australia", "MAPLE": "CA", "ANDES": "智利",
            "SAIGON": "Vietnam", "LAKESIDE": "US", "RIVIERA": "法国", "NORDHAVN": "挪威", "SAKURA": "日本"}
_INCOTERM = {"SUNCOAST": "CIF", "ANDES": "CFR", "LAKESIDE": "FOB", "SAIGON": "CIF"}
_FX = {"USD": Decimal(1), "EUR": Decimal("0.92"), "GBP": Decimal("0.79")}

FACTORIES: tuple[Row, ...] = (
    {"code": "NB-KITCHEN", "name": "宁波市海曙厨具有限公司", "address": "浙江省宁波市海曙区望春工业园区 18 号",
     "contact": "王建国", "phone": "0574-8765 1001", "tax_id": "91330203MA2H1KX01A", "bank": "中国银行宁波海曙支行 3582 0000 1001"},
    {"code": "YW-CRAFT", "name": "义乌市佳艺工艺品厂", "address": "浙江省义乌市北苑街道工业区 66 号",
     "contact": "陈丽", "phone": "0579-8512 2002", "tax_id": "91330782MA2EC2002B", "bank": "义乌农商银行北苑支行 2010 0000 2002"},
    {"code": "SZ-LIGHT", "name": "深圳市明辉照明电器有限公司", "address": "广东省深圳市宝安区福永街道 88 号",
     "contact": "刘洋", "phone": "0755-2761 3003", "tax_id": "91440300MA5F3003C", "bank": "招商银行深圳宝安支行 7559 0000 3003"},
    {"code": "TZ-PLASTIC", "name": "台州市黄岩塑料制品有限公司", "address": "浙江省台州市黄岩区江口街道 9 号",
     "contact": "林峰", "phone": "0576-8462 4004", "tax_id": "91331003MA2D4004D", "bank": "台州银行黄岩支行 6600 0000 4004"},
    {"code": "CX-TEXTILE", "name": "慈溪市锦绣纺织有限公司", "address": "浙江省慈溪市周巷镇工业园 31 号",
     "contact": "张敏", "phone": "0574-6358 5005", "tax_id": "91330282MA2J5005E", "bank": "宁波银行慈溪支行 5101 0000 5005"},
)
_POL = {"NB-KITCHEN": "Ningbo", "YW-CRAFT": "Ningbo", "SZ-LIGHT": "Shenzhen", "TZ-PLASTIC": "Ningbo",
        "CX-TEXTILE": "Shanghai"}


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _price(item: _Item, currency: str) -> Decimal:
    return (item.price_usd * _FX[currency]).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class DemoData:
    """Rows per sheet key, ready for :func:`gendan_xl.workbook.template.write_workbook`."""

    rows: dict[str, list[Row]]
    planted: tuple[Planted, ...]
    consolidated: tuple[str, ...] = ()  # the shipment nos. of the orders that sail together, three to a shipment


# The consolidated shipment (拼柜): three orders of one customer, from three factories around Ningbo, booked
# together in one container under one shipment no. — (factory, days to delivery, lines as (item, qty, criterion)).
_TOGETHER_CUSTOMER = "SUNCOAST"
_TOGETHER: tuple[tuple[str, int, tuple[tuple[str, int, str], ...]], ...] = (
    ("NB-KITCHEN", 6, (("KT-1001", 2250, "WP"), ("KT-1002", 960, "WP"), ("KT-1003", 470, "WP"),
                       ("KT-1004", 600, "PSR"))),
    ("YW-CRAFT", 8, (("HD-2001", 1440, "WP"), ("HD-2003", 1830, "PSR"), ("HD-2004", 960, "WP"))),
    ("TZ-PLASTIC", 9, (("PL-4001", 1200, "WP"), ("PL-4003", 1920, "WP"), ("PL-4002", 2000, "WP"))),
)


def _order_no(year: int, index: int) -> str:
    return f"GD{year}-{index:03d}"


PLANTED_SPECS: dict[int, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    # order: (what, code, codes it must not raise, sheets besides orders and lines it needs)
    4: ("late: delivery date passed, still in production", "delivery-late", (), ()),
    7: ("unit price differs from the last confirmed contract", "price-mismatch", (), ()),
    9: ("purchase contract issued before the deposit arrived", "po-before-deposit", (), ()),
    11: ("line amount is not qty × unit price", "line-amount-mismatch", (), ()),
    13: ("order total is not the sum of its lines", "order-total-mismatch", (), ()),
    16: ("text in the quantity column", "not-a-number", (), ()),
    19: ("impossible delivery date (February 30)", "invalid-date", (), ()),
    22: ("#N/A error in an amount cell", "cell-error", (), ()),
    # the scenario orders after the regular ones (see _scenarios)
    37: ("balance arrived USD 25 short (bank charges): paid, noted", "bank-charges-deducted",
         ("balance-overdue", "bl-released-before-payment"), ("payments", "shipments")),
    38: ("T/T 60 days after B/L: B/L released before payment by design", "credit-terms",
         ("balance-overdue", "bl-released-before-payment"), ()),
    39: ("Form A planned for Japan (no GSP for China since 2019-04-01)", "form-a-not-accepted", (), ("shipments",)),
    40: ("L/C documents not presented within 21 days of the B/L", "lc-presentation-late", (), ("shipments",)),
}
SCENARIOS = 4  # orders 37–40


def _planted(year: int, regular: int = 36) -> tuple[Planted, ...]:
    planted = []
    for index, (what, code, absent, needs) in PLANTED_SPECS.items():
        number = index if index <= 36 else regular + index - 36
        planted.append(Planted(_order_no(year, number), what, code, absent, needs))
    return tuple(planted)


PLANTED = _planted(2026)  # as of the demo's default year; :func:`demo_rows` returns the planted list it used


def demo_rows(today: date, *, orders: int = 36, seed: int = 7, plant: bool = True,
              history_per_pair: int = 2, consolidated: int = 1) -> DemoData:
    """Generate the demo's rows: ``orders`` orders (2–5 lines each when small), price history, masters.

    With ``plant=False`` no deliberate problems are added (used for the benchmark workbook); with
    them, the four scenario orders follow the regular ones. Then ``consolidated`` times three more
    orders of one customer follow, each three booked as one shipment (拼柜).
    """
    rng = random.Random(seed)
    year = today.year
    by_factory: dict[str, list[_Item]] = {}
    for item in ITEMS:
        by_factory.setdefault(item.factory, []).append(item)
    rows: dict[str, list[Row]] = {key: [] for key in ("orders", "lines", "price_history", "shipments", "payments")}
    rows["customers"] = [dict(c) for c in CUSTOMERS]
    rows["factories"] = [dict(f) for f in FACTORIES]
    rows["settings"] = _demo_settings()
    last_price: dict[tuple[str, str], tuple[Decimal, str, date]] = {}
    for index in range(1, orders + 1):
        customer = CUSTOMERS[(index - 1) % len(CUSTOMERS)]
        factory = FACTORIES[(index * 3) % len(FACTORIES)]["code"]
        order = _make_order(rng, today, year, index, customer, factory)
        items = rng.sample(by_factory[factory], k=min(len(by_factory[factory]), rng.randint(2, 4)))
        size = rng.choice((1, 1, 2, 4, 8))
        lines = [_make_line(rng, order, item, size) for item in items]
        for line, item in zip(lines, items, strict=True):
            key = (customer["code"], item.item_no)
            if key not in last_price:
                last_price[key] = (line["unit_price"], order["contract_no"], order["order_date"])
        total = sum((line["amount"] for line in lines), Decimal(0))
        order["order_total"] = total
        _progress(rng, today, order, total, rows, lines, customer)
        rows["orders"].append(order)
        rows["lines"].extend(lines)
    if plant:
        _scenarios(random.Random(seed + 1), today, year, orders, rows)
    # the consolidated shipments follow every other order (the scenario orders included)
    together = tuple(_consolidated(rows, today, year, len(rows["orders"]) + 1) for _ in range(consolidated))
    sailing = {s["order_no"] for s in rows["shipments"] if s["shipment_no"] in together}
    rows["price_history"] = list(_history(rng, rows, history_per_pair))
    planted: tuple[Planted, ...] = ()
    if plant:
        _plant(rows, today, year)
        planted = _planted(year, orders)
        # the lifecycle cases (samples, complaints, changes) go on orders of their own: not the shipment's
        planted += tuple(Planted(*p) for p in plant_lifecycle(rows, today, {p.order_no for p in planted} | sailing))
    add_lifecycle_rows(rows, today, skip={p.order_no for p in planted} | sailing)
    return DemoData(rows, planted, together)


def _consolidated(rows: dict[str, list[Row]], today: date, year: int, first: int) -> str:
    """Add three ready-to-ship orders of one customer that sail together: one 出运 shipment no., one container."""
    customer = next(c for c in CUSTOMERS if c["code"] == _TOGETHER_CUSTOMER)
    items = {item.item_no: item for item in ITEMS}
    number = f"HY-INV-C{first:02d}"
    etd = today + timedelta(days=3)
    for offset, (factory, days, wanted) in enumerate(_TOGETHER):
        index = first + offset
        order_date = today - timedelta(days=62 - 4 * offset)
        delivery = today + timedelta(days=days)
        order: Row = {
            "order_no": _order_no(year, index), "customer": customer["code"],
            "customer_po": f"{customer['code'][:3]}-PO{4400 + index * 7}", "contract_no": f"HY{year % 100:02d}S{index:04d}",
            "order_date": order_date, "currency": customer["currency"], "incoterm": _INCOTERM[customer["code"]],
            "incoterm_place": _PORTS[customer["code"]], "pol": _POL[factory], "pod": _PORTS[customer["code"]],
            "destination_country": _COUNTRY[customer["code"]], "payment_terms": customer["payment_terms"],
            "lc_date": order_date + timedelta(days=9), "delivery_date": delivery, "factory": factory,
            "po_no": f"HY{year % 100:02d}P{index:03d}", "po_issued": order_date + timedelta(days=11),
            "po_signed": order_date + timedelta(days=12), "factory_delivery_date": delivery - timedelta(days=5),
            "lc_latest_shipment": delivery + timedelta(days=10), "lc_expiry": delivery + timedelta(days=31),
            "factory_confirmed": delivery - timedelta(days=12), "sample_approved": order_date + timedelta(days=18),
            "inspection_required": False, "etd": etd, "status": "待出运 Ready to ship", "merchandiser": "周倩",
        }
        lines = []
        for item_no, qty, criterion in wanted:
            item = items[item_no]
            price = _price(item, order["currency"])
            lines.append({
                "order_no": order["order_no"], "item_no": item.item_no, "description": item.description,
                "spec": item.spec, "hs_code": item.hs_code, "qty": Decimal(qty), "unit": item.unit, "unit_price": price,
                "amount": _money(qty * price), "purchase_price": item.purchase, "pcs_per_carton": item.pcs,
                "carton_l": item.carton[0], "carton_w": item.carton[1], "carton_h": item.carton[2],
                "nw_per_carton": item.nw, "gw_per_carton": item.gw, "brand": "无品牌", "origin_criterion": criterion,
            })
        total = sum((line["amount"] for line in lines), Decimal(0))
        order["order_total"] = total
        rows["orders"].append(order)
        rows["lines"].extend(lines)
        rows["shipments"].append({
            "shipment_no": number, "order_no": order["order_no"], "booking_no": f"NGB88{first:02d}0{offset + 1}",
            "forwarder": "宁波中外运", "booking_date": today - timedelta(days=6), "container_type": "40GP",
            "container_no": f"TCLU{first:02d}37021", "seal_no": f"SL88{first:02d}37", "loading_date": today - timedelta(days=1),
            "etd": etd, "eta": etd + timedelta(days=16), "vessel": "COSCO SHIPPING ARIES V.045E",
            "invoice_amount": total, "co_type": "China-Australia FTA", "co_applied": today - timedelta(days=5),
        })
    return number


def _demo_settings() -> list[Row]:
    values = {"公司名称": "宁波环宇进出口有限公司", "公司英文名称": "NINGBO HUANYU IMPORT & EXPORT CO., LTD.",
              "公司地址": "浙江省宁波市鄞州区天童南路 588 号 1808 室",
              "公司英文地址": "Room 1808, No. 588 Tiantong South Road, Yinzhou, Ningbo 315100, China",
              "公司电话": "+86 574 8888 6666", "公司邮箱": "export@huanyu.example",
              "收款银行信息": "Bank of China Ningbo Branch, SWIFT BKCHCNBJ92A, A/C 3580 0000 8888"}
    rows = default_settings_rows()
    for row in rows:
        if row["key"] in values:
            row["value"] = values[row["key"]]
    rows.extend([{"key": "汇率 EUR", "value": 7.75, "note": "Exchange Rate EUR"},
                 {"key": "汇率 GBP", "value": 9.05, "note": "Exchange Rate GBP"}])
    for row in rows:
        if row["key"] == "汇率 USD":
            row["value"] = 7.10
    return rows


def _make_order(rng: random.Random, today: date, year: int, index: int, customer: Row, factory: str) -> Row:
    order_date = today - timedelta(days=rng.randint(15, 140))
    delivery = order_date + timedelta(days=rng.randint(45, 80))
    code = customer["code"]
    terms = customer["payment_terms"]
    order: Row = {
        "order_no": _order_no(year, index), "customer": code, "customer_po": f"{code[:3]}-PO{4400 + index * 7}",
        "contract_no": f"HY{year % 100:02d}S{index:04d}", "order_date": order_date, "currency": customer["currency"],
        "incoterm": _INCOTERM.get(code, "FOB"), "pol": _POL[factory], "pod": _PORTS[code],
        "destination_country": _COUNTRY[code], "payment_terms": terms, "delivery_date": delivery,
        "factory": factory, "factory_delivery_date": delivery - timedelta(days=rng.randint(3, 7)),
        "inspection_required": factory == "SZ-LIGHT", "merchandiser": rng.choice(["李娜", "周倩", "Kevin"]),
    }
    order["incoterm_place"] = order["pol"] if order["incoterm"] == "FOB" else order["pod"]
    if "30%" in terms:
        order["deposit_pct"] = Decimal("0.3")
    return order


def _make_line(rng: random.Random, order: Row, item: _Item, size: int) -> Row:
    qty = Decimal(item.pcs * rng.randint(8, 60) * size)
    price = _price(item, order["currency"])
    return {
        "order_no": order["order_no"], "item_no": item.item_no, "description": item.description, "spec": item.spec,
        "hs_code": item.hs_code, "qty": qty, "unit": item.unit, "unit_price": price, "amount": _money(qty * price),
        "purchase_price": item.purchase, "pcs_per_carton": item.pcs, "carton_l": item.carton[0],
        "carton_w": item.carton[1], "carton_h": item.carton[2], "nw_per_carton": item.nw, "gw_per_carton": item.gw,
        "brand": "无品牌",
    }


def _progress(rng: random.Random, today: date, order: Row, total: Decimal, rows: dict[str, list[Row]],
              lines: list[Row], customer: Row) -> None:
    """Fill the steps an order of this age has done: deposit, PO, sign-back, shipment, payments."""
    start = order["order_date"]
    terms = order["payment_terms"]
    paid_up_front = Decimal(0)
    if "30%" in terms:
        order["deposit_date"] = start + timedelta(days=rng.randint(2, 6))
        order["deposit_amount"] = _money(total * Decimal("0.3"))
        paid_up_front = order["deposit_amount"]
        rows["payments"].append({"order_no": order["order_no"], "date": order["deposit_date"],
                                 "amount": order["deposit_amount"], "currency": order["currency"], "kind": "订金 Deposit",
                                 "reference": f"TT{rng.randint(100000, 999999)}"})
        po_day = order["deposit_date"] + timedelta(days=rng.randint(1, 3))
    elif "100%" in terms:
        paid_up_front = total
        pay_day = start + timedelta(days=rng.randint(2, 6))
        order["deposit_date"], order["deposit_amount"], order["deposit_pct"] = pay_day, total, Decimal(1)
        rows["payments"].append({"order_no": order["order_no"], "date": pay_day, "amount": total,
                                 "currency": order["currency"], "kind": "全款 Full",
                                 "reference": f"TT{rng.randint(100000, 999999)}"})
        po_day = pay_day + timedelta(days=1)
    elif "L/C" in terms:
        order["lc_date"] = start + timedelta(days=rng.randint(7, 14))
        order["lc_latest_shipment"] = order["delivery_date"] + timedelta(days=7)
        order["lc_expiry"] = order["delivery_date"] + timedelta(days=28)
        po_day = order["lc_date"] + timedelta(days=2)
    else:
        po_day = start + timedelta(days=rng.randint(2, 5))
    if po_day <= today:
        order["po_no"] = f"HY{order['order_date'].year % 100:02d}P{order['order_no'][-3:]}"
        order["po_issued"] = po_day
        if po_day + timedelta(days=2) <= today:
            order["po_signed"] = po_day + timedelta(days=rng.randint(1, 2))
    delivery: date = order["delivery_date"]
    if delivery - timedelta(days=10) <= today:
        order["factory_confirmed"] = min(delivery - timedelta(days=rng.randint(10, 13)), today)
    order["sample_approved"] = start + timedelta(days=rng.randint(10, 20)) if start + timedelta(days=20) <= today else None
    if delivery <= today:
        _ship(rng, today, order, total, paid_up_front, rows, lines, shipped=True)
    elif delivery - timedelta(days=10) <= today:
        _ship(rng, today, order, total, paid_up_front, rows, lines, shipped=False)
        order["status"] = "待出运 Ready to ship"
    else:
        order["status"] = "生产中 In production" if order.get("po_issued") else "已确认 Confirmed"


def _ship(rng: random.Random, today: date, order: Row, total: Decimal, paid: Decimal, rows: dict[str, list[Row]],
          lines: list[Row], *, shipped: bool) -> None:
    """Add the order's shipment row: booked (and inspected, C/O applied) and, if ``shipped``, on board."""
    delivery: date = order["delivery_date"]
    etd = delivery - timedelta(days=rng.randint(0, 3))
    order["etd"] = etd
    cbm = sum(Decimal(math_ceil(line["qty"], line["pcs_per_carton"])) * line["carton_l"] * line["carton_w"]
              * line["carton_h"] / Decimal(1_000_000) for line in lines)
    container = "LCL" if cbm < 15 else "20GP" if cbm < 28 else "40GP" if cbm < 58 else "40HQ"
    number = order["order_no"][-3:]
    shipment: Row = {
        "shipment_no": f"HY-INV-{number}", "order_no": order["order_no"], "booking_no": f"NGB{rng.randint(1000000, 9999999)}",
        "forwarder": rng.choice(["宁波中外运", "Kuehne + Nagel", "德迅货代"]),
        "booking_date": min(delivery - timedelta(days=12), today), "container_type": container, "etd": etd,
        "eta": etd + timedelta(days=28),
        "vessel": rng.choice(["MSC ISABELLA V.123W", "COSCO SHIPPING ARIES V.045E", "EVER GIVEN V.1122W"]),
    }
    if order.get("inspection_required"):
        shipment["inspection_applied"] = min(delivery - timedelta(days=10), today)
        if delivery - timedelta(days=6) <= today:
            shipment.update({"inspection_no": f"3102{rng.randint(10 ** 10, 10 ** 11 - 1)}",
                             "inspection_date": delivery - timedelta(days=6), "inspection_amount": total})
    country = order["destination_country"]
    co = {"Australia": "China-Australia FTA", "智利": "Form F", "Vietnam": "Form E"}.get(country, "C/O")
    shipment.update({"co_type": co, "co_applied": min(etd - timedelta(days=8), today)})
    rows["shipments"].append(shipment)
    if not shipped:
        return
    shipment.update({
        "container_no": f"TGHU{rng.randint(1000000, 9999999)}" if container != "LCL" else "",
        "seal_no": f"SL{rng.randint(100000, 999999)}" if container != "LCL" else "",
        "loading_date": etd - timedelta(days=3), "bl_no": f"COSU{rng.randint(60000000, 69999999)}", "bl_date": etd,
        "invoice_amount": total, "co_no": f"CO{rng.randint(10 ** 8, 10 ** 9 - 1)}",
        "declaration_no": f"3101{etd.year}{rng.randint(10 ** 9, 10 ** 10 - 1)}", "declaration_date": etd - timedelta(days=2),
    })
    if order["payment_terms"] in ("L/C at sight", "D/P at sight") and etd + timedelta(days=3) <= today:
        shipment["documents_presented"] = etd + timedelta(days=3)  # no rng draw: the other orders stay as they were
    balance_day = etd + timedelta(days=rng.randint(3, 9))
    if balance_day <= today and paid < total:
        rows["payments"].append({"order_no": order["order_no"], "date": balance_day, "amount": total - paid,
                                 "currency": order["currency"], "kind": "尾款 Balance",
                                 "reference": f"TT{rng.randint(100000, 999999)}"})
        shipment["bl_released"] = balance_day + timedelta(days=1)
        order["status"] = "已完成 Completed"
    else:
        order["status"] = "已出运 Shipped"


def _scenarios(rng: random.Random, today: date, year: int, regular: int, rows: dict[str, list[Row]]) -> None:
    """Add the four scenario orders after the regular ones: money, credit terms, Form A, L/C presentation."""
    customers = {c["code"]: c for c in (*CUSTOMERS, *SCENARIO_CUSTOMERS)}
    rows["customers"].extend(dict(c) for c in SCENARIO_CUSTOMERS)

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    plans = (("MAPLE", "NB-KITCHEN"), ("NORDHAVN", "YW-CRAFT"), ("SAKURA", "TZ-PLASTIC"), ("SUNCOAST", "CX-TEXTILE"))
    for number, (code, factory) in enumerate(plans, start=regular + 1):
        customer = customers[code]
        order = _make_order(rng, today, year, number, customer, factory)
        items = [item for item in ITEMS if item.factory == factory][:2]
        lines = [_make_line(rng, order, item, 2) for item in items]
        total = sum((line["amount"] for line in lines), Decimal(0))
        order.update(order_date=day(-95), order_total=total, po_no=f"HY{year % 100:02d}P{number:03d}",
                     po_issued=day(-86), po_signed=day(-85), delivery_date=day(-30), factory_delivery_date=day(-34),
                     factory_confirmed=day(-42), sample_approved=day(-75), etd=day(-32), status="已出运 Shipped")
        shipment: Row = {
            "shipment_no": f"HY-INV-{number:03d}", "order_no": order["order_no"], "booking_no": f"NGB{7100000 + number}",
            "forwarder": "宁波中外运", "booking_date": day(-44), "container_type": "LCL", "etd": day(-32),
            "eta": day(-4), "vessel": "COSCO SHIPPING ARIES V.045E", "loading_date": day(-35),
            "bl_no": f"COSU{68000000 + number}", "bl_date": day(-32), "invoice_amount": total,
            "co_type": customer["co_type"] if code != "MAPLE" else "C/O", "co_applied": day(-40),
            "declaration_no": f"3101{today.year}{9000000000 + number}", "declaration_date": day(-34),
        }
        reference = f"TT{700000 + number}"
        if code == "MAPLE":  # T/T 30% deposit, balance before shipment: the balance arrives USD 25 short
            deposit = _money(total * Decimal("0.3"))
            order.update(deposit_pct=Decimal("0.3"), deposit_date=day(-90), deposit_amount=deposit,
                         status="已完成 Completed")
            rows["payments"] += [
                {"order_no": order["order_no"], "date": day(-90), "amount": deposit, "currency": "USD",
                 "kind": "订金 Deposit", "reference": reference},
                {"order_no": order["order_no"], "date": day(-35), "amount": total - deposit - 25, "currency": "USD",
                 "kind": "尾款 Balance", "reference": reference + "B", "remarks": "中转行扣费 USD 25"}]
            shipment["bl_released"] = day(-31)
        elif code == "NORDHAVN":  # T/T 60 days after B/L: telex release right away, payment due in 60 days
            shipment["bl_released"] = day(-30)
        elif code == "SAKURA":  # not shipped yet: booked, Form A planned for Japan
            deposit = _money(total * Decimal("0.3"))
            order.update(order_date=day(-40), deposit_pct=Decimal("0.3"), deposit_date=day(-37),
                         deposit_amount=deposit, po_issued=day(-35), po_signed=day(-34), sample_approved=day(-20),
                         delivery_date=day(30), factory_delivery_date=day(25), factory_confirmed=None, etd=day(28),
                         status="生产中 In production")
            rows["payments"].append({"order_no": order["order_no"], "date": day(-37), "amount": deposit,
                                     "currency": "USD", "kind": "订金 Deposit", "reference": reference})
            shipment = {key: shipment[key] for key in ("shipment_no", "order_no", "forwarder", "container_type",
                                                       "co_type")}
            shipment.update(booking_no=f"NGB{7100000 + number}", booking_date=day(-3), etd=day(28), eta=day(42),
                            co_type="Form A")  # the customer asks for RCEP; Form A has been refused since 2019
        else:  # L/C at sight: shipped 32 days ago, the documents still not presented
            order.update(lc_date=day(-88), po_issued=day(-86), lc_latest_shipment=day(-28), lc_expiry=day(20))
        rows["orders"].append(order)
        rows["lines"].extend(lines)
        rows["shipments"].append(shipment)


def math_ceil(qty: Decimal, per: int) -> int:
    """Cartons for a quantity (ceil division)."""
    return int(-(-qty // per))


def _history(rng: random.Random, rows: dict[str, list[Row]], per_pair: int) -> Iterator[Row]:
    """Earlier confirmed contracts for every customer + item of the orders, the newest at today's price."""
    seen: set[tuple[str, str, str]] = set()
    orders = {o["order_no"]: o for o in rows["orders"]}
    serial = 0
    for line in rows["lines"]:
        order = orders[line["order_no"]]
        key = (order["customer"], line["item_no"], order["currency"])
        if key in seen:
            continue
        seen.add(key)
        for back in range(per_pair, 0, -1):
            serial += 1
            when = order["order_date"] - timedelta(days=60 * back + rng.randint(0, 20))
            step = Decimal(1) - Decimal("0.03") * (back - 1)
            yield {"customer": order["customer"], "factory": order["factory"], "item_no": line["item_no"],
                   "currency": order["currency"], "incoterm": order["incoterm"], "unit": line["unit"],
                   "unit_price": _money(line["unit_price"] * step), "purchase_price": line["purchase_price"],
                   "contract_no": f"HY{when.year % 100:02d}S{9000 - serial:04d}", "contract_date": when}


def _plant(rows: dict[str, list[Row]], today: date, year: int) -> None:
    """Put the deliberate problems of :data:`PLANTED_SPECS` into the rows."""
    orders = {o["order_no"]: o for o in rows["orders"]}
    lines: dict[str, list[Row]] = {}
    for line in rows["lines"]:
        lines.setdefault(line["order_no"], []).append(line)

    def order(i: int) -> Row:
        return orders[_order_no(year, i)]

    late = order(4)
    late.update({"delivery_date": today - timedelta(days=12), "factory_delivery_date": today - timedelta(days=15),
                 "status": "生产中 In production", "etd": None})
    rows["shipments"] = [s for s in rows["shipments"] if s["order_no"] != late["order_no"]]
    rows["payments"] = [p for p in rows["payments"] if p["order_no"] != late["order_no"] or "Balance" not in p["kind"]]
    first = lines[order(7)["order_no"]][0]
    first["unit_price"] += Decimal("0.20")
    first["amount"] = _money(first["qty"] * first["unit_price"])
    order(7)["order_total"] = sum((line["amount"] for line in lines[order(7)["order_no"]]), Decimal(0))
    nine = order(9)
    nine["deposit_date"] = nine["order_date"] + timedelta(days=9)
    nine["po_issued"] = nine["order_date"] + timedelta(days=4)
    for payment in rows["payments"]:
        if payment["order_no"] == nine["order_no"] and "Deposit" in payment["kind"]:
            payment["date"] = nine["deposit_date"]
    wrong = lines[order(11)["order_no"]][0]
    wrong["amount"] = wrong["amount"] + Decimal("450.00")
    order(11)["order_total"] = sum((line["amount"] for line in lines[order(11)["order_no"]]), Decimal(0))
    order(13)["order_total"] = order(13)["order_total"] + Decimal("1000.00")
    lines[order(16)["order_no"]][0]["qty"] = "about 500"
    order(19)["delivery_date"] = f"{year}-02-30"
    lines[order(22)["order_no"]][-1]["amount"] = Formula("=NA()", "#N/A")
    _messy_but_valid(rows, year)


def _messy_but_valid(rows: dict[str, list[Row]], year: int) -> None:
    """Cells typed the way people type them; the reader must accept all of these without a finding."""
    orders = rows["orders"]
    orders[1]["order_date"] = f"{orders[1]['order_date'].year}/{orders[1]['order_date'].month}/{orders[1]['order_date'].day}"
    day = orders[2]["order_date"]
    orders[2]["order_date"] = f"{day.year}年{day.month}月{day.day}日"
    day = orders[5]["order_date"]
    orders[5]["order_date"] = f"{day.year}.{day.month}.{day.day}"
    orders[3]["deposit_pct"] = "30%" if orders[3].get("deposit_pct") else orders[3].get("deposit_pct")
    line = rows["lines"][2]
    line["qty"] = f"{int(line['qty']):,}"
    line = rows["lines"][5]
    line["unit_price"] = f"US${line['unit_price']}"
    line = rows["lines"][8]
    line["qty"] = str(int(line["qty"])).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def write_demo_workbook(directory: Path | str, *, today: date | None = None) -> tuple[Path, DemoData]:
    """Write ``gendan_demo.xlsx`` into ``directory`` (created if needed); returns its path and the data."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    data = demo_rows(today or date.today())
    path = write_workbook(folder / "gendan_demo.xlsx", data.rows)
    return path, data


def _col(header: str, table: str, field: str, width: float = 11) -> TrackerColumn:
    return TrackerColumn(header, table, field, width)


# The demo as a merchandiser's own one-sheet tracker: their headers, the order's cells merged down its lines.
FLAT_COLUMNS: tuple[TrackerColumn, ...] = (
    _col("订单号", "orders", "order_no", 13), _col("客户", "orders", "customer", 11), _col("客人PO", "orders", "customer_po"),
    _col("合同号", "orders", "contract_no"), _col("下单日期", "orders", "order_date"), _col("币种", "orders", "currency", 6),
    _col("价格条款", "orders", "incoterm", 7), _col("交货地点", "orders", "incoterm_place"), _col("起运港", "orders", "pol"),
    _col("目的港", "orders", "pod"), _col("目的国", "orders", "destination_country"),
    _col("付款方式", "orders", "payment_terms", 22), _col("订金比例", "orders", "deposit_pct", 7),
    _col("订金到账日", "orders", "deposit_date"), _col("订金金额", "orders", "deposit_amount"),
    _col("到证日期", "orders", "lc_date"), _col("客人交期", "orders", "delivery_date"),
    _col("生产工厂", "orders", "factory", 12), _col("采购单号", "orders", "po_no"),
    _col("下单给工厂日期", "orders", "po_issued"), _col("工厂回签日", "orders", "po_signed"),
    _col("工厂交期", "orders", "factory_delivery_date"), _col("确认交期日", "orders", "factory_confirmed"),
    _col("产前样确认日", "orders", "sample_approved"), _col("是否商检", "orders", "inspection_required", 6),
    _col("开船日", "orders", "etd"), _col("合同金额", "orders", "order_total"), _col("订单状态", "orders", "status", 13),
    _col("跟单", "orders", "merchandiser", 7),
    _col("货号", "lines", "item_no", 9), _col("品名", "lines", "description", 24), _col("规格", "lines", "spec", 16),
    _col("海关编码", "lines", "hs_code"), _col("数量", "lines", "qty", 8), _col("单位", "lines", "unit", 6),
    _col("售价", "lines", "unit_price", 8), _col("金额", "lines", "amount"), _col("进价", "lines", "purchase_price", 8),
    _col("装箱量", "lines", "pcs_per_carton", 7), _col("箱规", "lines", "carton_size", 11),
    _col("净重", "lines", "nw_per_carton", 7), _col("毛重", "lines", "gw_per_carton", 7), _col("品牌", "lines", "brand", 8),
)
_FLAT_SHEETS = frozenset({"price_history", "customers", "factories", "settings"})  # beside the tracker sheet
_PRICES = (("客户", "customer"), ("工厂", "factory"), ("货号", "item_no"), ("币种", "currency"), ("价格条款", "incoterm"),
           ("单位", "unit"), ("售价", "unit_price"), ("进价", "purchase_price"), ("合同号", "contract_no"),
           ("日期", "contract_date"))
_CUSTOMERS = (("客户简称", "code"), ("公司名称", "name"), ("国家", "country"), ("地址", "address"), ("联系人", "contact"),
              ("邮箱", "email"), ("电话", "phone"), ("唛头", "marks"), ("付款方式", "payment_terms"), ("币种", "currency"))
_FACTORIES = (("工厂简称", "code"), ("工厂全称", "name"), ("地址", "address"), ("联系人", "contact"), ("电话", "phone"),
              ("税号", "tax_id"), ("开户行", "bank"))


def _table(rows: list[Row], columns: tuple[tuple[str, str], ...]) -> tuple[list[str], list[list[Any]]]:
    return [h for h, _ in columns], [[row.get(f) for _, f in columns] for row in rows]


def write_flat_demo_workbook(directory: Path | str, *, today: date | None = None) -> tuple[Path, DemoData]:
    """Write ``gendan_demo_flat.xlsx``: the same demo (and planted problems) as a merchandiser's one-sheet tracker.

    One sheet of order lines with the order's cells merged down its rows, under a title row, plus
    the price list (以往成交价), customers (客户资料), factories (工厂资料) and settings (设置) beside it.
    The planted cases returned are those such a tracker can hold (no shipments or payments sheet).
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    data = demo_rows(today or date.today())
    by_order: dict[str, list[Row]] = {}
    for line in data.rows["lines"]:
        row = dict(line)
        if all(row.get(k) is not None for k in ("carton_l", "carton_w", "carton_h")):
            row["carton_size"] = (row["carton_l"], row["carton_w"], row["carton_h"])
        by_order.setdefault(line["order_no"], []).append(row)
    orders = [(order, by_order.get(order["order_no"], [])) for order in data.rows["orders"]]
    settings = data.rows["settings"]
    path = write_tracker_file(
        folder / "gendan_demo_flat.xlsx", orders, FLAT_COLUMNS, sheet="2026跟单",
        title="宁波环宇进出口有限公司 外贸跟单表", layout="merged",
        other_sheets={"以往成交价": _table(data.rows["price_history"], _PRICES),
                      "客户资料": _table(data.rows["customers"], _CUSTOMERS),
                      "工厂资料": _table(data.rows["factories"], _FACTORIES),
                      "设置": (["参数", "值", "说明"], [[r["key"], r["value"], r.get("note", "")] for r in settings])})
    held = tuple(p for p in data.planted if set(p.needs) <= _FLAT_SHEETS)
    return path, DemoData(data.rows, held)  # nor a shipment of several orders: that lives on the 出运 sheet
