"""Trackers as merchandisers keep them, built in code: each with the mapping it must get.

A :class:`Tracker` is one or more sheets of orders and lines in a layout of its own (title rows,
one or two header rows, order cells merged / repeated / on the first row only, subtotal and note
rows) plus any other sheets (a price list, customers …). Each column names the field it holds
(``key``) or None for a column that must stay unclaimed (``客户评价``). :data:`TRACKERS` are the
fixtures of tests/workbook/test_trackers.py and of ``bench/mapping_score.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

Order = dict[str, Any]
Value = Callable[[Order, dict[str, Any]], Any]


def _order(no: str, contract: str, po: str, customer: str, ordered: date, delivery: date, currency: str,
           incoterm: str, terms: str, factory: str, country: str, pod: str, lines: list[dict[str, Any]]) -> Order:
    total = sum((Decimal(str(line["qty"])) * Decimal(str(line["price"])) for line in lines), Decimal(0))
    return {"order_no": no, "contract_no": contract, "customer_po": po, "customer": customer, "order_date": ordered,
            "delivery_date": delivery, "currency": currency, "incoterm": incoterm, "payment_terms": terms,
            "factory": factory, "country": country, "pol": "Ningbo", "pod": pod, "total": float(total.quantize(Decimal("0.01"))),
            "po_issued": date(ordered.year, ordered.month, min(ordered.day + 3, 28)), "lines": lines}


def _line(item: str, desc: str, qty: int, price: float, cost: float, hs: str, pcs: int, size: tuple[int, int, int],
          gw: float, unit: str = "PCS") -> dict[str, Any]:
    return {"item_no": item, "description": desc, "qty": qty, "price": price, "cost": cost, "hs": hs, "pcs": pcs,
            "size": size, "gw": gw, "nw": round(gw - 1, 1), "unit": unit,
            "amount": float((Decimal(str(qty)) * Decimal(str(price))).quantize(Decimal("0.01")))}


ORDERS: list[Order] = [
    _order("GD2026-001", "HY26S0001", "HAN-PO4407", "HANSA", date(2026, 3, 2), date(2026, 5, 20), "USD", "FOB",
           "T/T 30% deposit, balance against B/L copy", "NB-KITCHEN", "DE", "Hamburg", [
               _line("KT-1001", "Stainless Steel Kitchen Tongs", 1200, 1.15, 6.8, "8215990000", 100, (52, 32, 28), 10.5),
               _line("KT-1002", "Silicone Spatula Set", 480, 2.15, 12.5, "8215990000", 48, (45, 35, 30), 8.2, "SETS"),
               _line("KT-1003", "Bamboo Cutting Board", 200, 3.2, 18.0, "4419110000", 20, (42, 32, 36), 15.2)]),
    _order("GD2026-002", "HY26S0002", "BRI-PO4414", "BRIGHTON", date(2026, 3, 9), date(2026, 6, 1), "USD", "CIF",
           "L/C at sight", "YW-CRAFT", "GB", "Felixstowe", [
               _line("HD-2001", "Ceramic Mug", 960, 0.85, 4.1, "6912001000", 48, (50, 34, 30), 14.2)]),
    _order("GD2026-003", "HY26S0003", "SUN-PO4421", "SUNCOAST", date(2026, 3, 16), date(2026, 6, 15), "USD", "CIF",
           "100% T/T in advance", "SZ-LIGHT", "AU", "Brisbane", [
               _line("LT-3001", "LED Desk Lamp", 240, 6.9, 38.0, "9405210000", 12, (56, 36, 40), 9.6),
               _line("LT-3002", "Solar Garden Light", 400, 2.1, 11.2, "9405420000", 40, (52, 42, 38), 9.3)]),
    _order("GD2026-004", "HY26S0004", "MAP-PO4428", "MAPLE", date(2026, 3, 23), date(2026, 7, 1), "USD", "FOB",
           "T/T 30% deposit, balance before shipment", "TZ-PLASTIC", "CA", "Vancouver", [
               _line("PL-4001", "Plastic Storage Box", 300, 2.9, 15.5, "3924100000", 10, (62, 42, 45), 10.5),
               _line("PL-4002", "Plastic Hanger Set", 500, 1.05, 6.0, "3926909000", 50, (50, 40, 30), 11.0, "SETS"),
               _line("PL-4003", "Kids Lunch Box", 480, 1.7, 8.8, "3924100000", 48, (55, 38, 36), 9.8)]),
]


def o(name: str) -> Value:
    """An order's value (the same on all its lines)."""
    return lambda order, line: order[name]


def ln(name: str) -> Value:
    """A line's value."""
    return lambda order, line: line[name]


@dataclass(frozen=True)
class Col:
    """One column: its header (two rows as a tuple), the field it holds (None: must stay unclaimed), its values."""

    header: str | tuple[str, str]
    key: str | None
    value: Value
    order_level: bool = False

    @property
    def shown(self) -> str:
        """The header as the mapping shows it (two rows on one line)."""
        if isinstance(self.header, tuple):
            return " ".join(dict.fromkeys(p for p in self.header if p))
        return " ".join(self.header.split())


def oc(header: str | tuple[str, str], key: str | None, value: Value) -> Col:
    """An order-level column."""
    return Col(header, key, value, order_level=True)


def lc(header: str | tuple[str, str], key: str | None, value: Value) -> Col:
    """A line-level column."""
    return Col(header, key, value)


@dataclass
class OrderSheet:
    """A sheet of order lines: ``layout`` is merged, repeated or first_row; ``orders`` the orders it holds."""

    name: str
    columns: Sequence[Col]
    orders: Sequence[Order]
    layout: str = "repeated"
    title: str | None = None
    subtotals: bool = False
    note: str | None = None
    blank_between: bool = False


@dataclass
class Tracker:
    """A workbook to build and the mapping it must get."""

    name: str
    sheets: Sequence[OrderSheet]
    other: dict[str, list[list[Any]]] = field(default_factory=dict)  # other sheets, rows from A1
    role: str = "flat"
    key: str = "order_no"
    order_sheets: dict[str, Sequence[Col]] = field(default_factory=dict)  # split: orders sheet columns by name

    @property
    def expected(self) -> dict[str, str]:
        """key → header of every column that must map (first sheet)."""
        return {c.key: c.shown for c in self.sheets[0].columns if c.key is not None}

    @property
    def unclaimed(self) -> list[str]:
        """Headers that must not be taken for any field."""
        return [c.shown for c in self.sheets[0].columns if c.key is None]

    def write(self, folder: Path) -> Path:
        """Write the workbook into ``folder``; returns its path."""
        path = folder / f"{self.name}.xlsx"
        write_tracker(path, self)
        return path


def _cell(sheet: Any, r: int, c: int, value: Any, formats: dict[str, Any]) -> None:
    if value is None or value == "":
        return
    if isinstance(value, datetime | date):
        moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        sheet.write_datetime(r, c, moment, formats["date"])
    elif isinstance(value, bool):
        sheet.write_string(r, c, "是" if value else "否")
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(r, c, float(value))
    else:
        sheet.write_string(r, c, str(value))


def write_tracker(path: Path, tracker: Tracker) -> Path:
    """Write ``tracker`` with XlsxWriter: title, header(s), lines with the sheet's order layout, other sheets."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    formats = {"date": book.add_format({"num_format": "yyyy-mm-dd"}), "head": book.add_format({"bold": True}),
               "title": book.add_format({"bold": True, "font_size": 14})}
    for spec in tracker.sheets:
        _write_order_sheet(book, spec, formats)
    for name, rows in tracker.other.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _cell(sheet, r, c, value, formats)
    book.close()
    return path


def _write_order_sheet(book: Any, spec: OrderSheet, formats: dict[str, Any]) -> None:
    sheet = book.add_worksheet(spec.name)
    columns = list(spec.columns)
    r = 0
    if spec.title:
        sheet.merge_range(0, 0, 0, len(columns) - 1, spec.title, formats["title"])
        r = 2
    two = any(isinstance(c.header, tuple) for c in columns)
    for c, col in enumerate(columns):
        if isinstance(col.header, tuple):
            sheet.write_string(r, c, col.header[0], formats["head"])
            sheet.write_string(r + 1, c, col.header[1], formats["head"])
        else:
            sheet.write_string(r, c, col.header, formats["head"])
    r += 2 if two else 1
    sheet.autofilter(r - 1, 0, r - 1, len(columns) - 1)
    sheet.freeze_panes(r, 0)
    for order in spec.orders:
        first = r
        for index, line in enumerate(order["lines"]):
            for c, col in enumerate(columns):
                if col.order_level and index > 0 and spec.layout in ("merged", "first_row"):
                    continue
                _cell(sheet, r, c, col.value(order, line), formats)
            r += 1
        if spec.layout == "merged" and r - first > 1:
            for c, col in enumerate(columns):
                if col.order_level:
                    value = col.value(order, order["lines"][0])
                    sheet.merge_range(first, c, r - 1, c, None)
                    _cell(sheet, first, c, value, formats)
        if spec.subtotals:
            qty_col = next((i for i, col in enumerate(columns) if col.key == "lines.qty"), None)
            label_col = next((i for i, col in enumerate(columns) if col.key and col.key.startswith("lines.")), 0)
            sheet.write_string(r, label_col, "小计")
            if qty_col is not None:
                sheet.write_number(r, qty_col, sum(line["qty"] for line in order["lines"]))
            r += 1
        if spec.blank_between:
            r += 1
    if spec.note:
        sheet.write_string(r + 1, 0, spec.note)


# --- the fixtures ---------------------------------------------------------------------------------

def _price_sheet() -> list[list[Any]]:
    rows: list[list[Any]] = [["客户", "货号", "单价", "币种", "合同号", "日期"]]
    for order in ORDERS:
        for line in order["lines"]:
            rows.append([order["customer"], line["item_no"], line["price"], order["currency"], "HY25S9001",
                         date(2025, 11, 3)])
    return rows


def _size(line: dict[str, Any], scale: int = 1, sep: str = "*") -> str:
    return sep.join(str(v * scale) for v in line["size"])


CN_MERGED = Tracker("cn_merged", [OrderSheet("2026跟单", [
    oc("序号", None, lambda order, line: ORDERS.index(order) + 1),
    oc("客户评价", None, lambda order, line: "好" if order["customer"] != "MAPLE" else "一般"),
    oc("客户", "orders.customer", o("customer")),
    oc("订单号", "orders.order_no", o("order_no")),
    oc("下单日期", "orders.order_date", o("order_date")),
    oc("客人交期", "orders.delivery_date", o("delivery_date")),
    oc("付款方式", "orders.payment_terms", o("payment_terms")),
    lc("产品编号", "lines.item_no", ln("item_no")),
    lc("品名", "lines.description", ln("description")),
    lc("数量", "lines.qty", ln("qty")),
    lc("售价", "lines.unit_price", ln("price")),
    lc("进价", "lines.purchase_price", ln("cost")),
    oc("生产工厂", "orders.factory", o("factory")),
    oc("下单给工厂日期", "orders.po_issued", o("po_issued")),
    oc("备注说明", None, lambda order, line: "加急" if order["customer"] == "HANSA" else ""),
], ORDERS, layout="merged", title="宁波环宇进出口有限公司 2026 年外贸跟单表")], other={"以往成交价": _price_sheet()})

CN_REPEATED = Tracker("cn_repeated", [OrderSheet("订单总表", [
    oc("外销合同号", "orders.order_no", o("order_no")),
    oc("客户名称", "orders.customer", o("customer")),
    oc("币种", "orders.currency", o("currency")),
    oc("价格条款", "orders.incoterm", o("incoterm")),
    oc("目的港", "orders.pod", o("pod")),
    oc("交货期", "orders.delivery_date", o("delivery_date")),
    oc("工厂", "orders.factory", o("factory")),
    oc("工厂地址", None, lambda order, line: "浙江省宁波市"),
    lc("货号", "lines.item_no", ln("item_no")),
    lc("中文品名", "lines.description", ln("description")),
    lc("HS编码", "lines.hs_code", ln("hs")),
    lc("数量", "lines.qty", ln("qty")),
    lc("单位", "lines.unit", ln("unit")),
    lc("FOB单价", "lines.unit_price", ln("price")),
    lc("金额", "lines.amount", ln("amount")),
    lc("装箱量", "lines.pcs_per_carton", ln("pcs")),
    lc("外箱尺寸(mm)", "lines.carton_size", lambda order, line: _size(line, 10)),
    lc("单箱毛重", "lines.gw_per_carton", ln("gw")),
    lc("总毛重", None, lambda order, line: round(line["gw"] * line["qty"] / line["pcs"], 1)),
    lc("单件毛重", None, lambda order, line: round(line["gw"] / line["pcs"], 3)),
], ORDERS)])

CN_FIRST_ROW = Tracker("cn_first_row", [OrderSheet("Sheet1", [
    oc("订单编号", "orders.order_no", o("order_no")),
    oc("客户", "orders.customer", o("customer")),
    oc("接单日期", "orders.order_date", o("order_date")),
    oc("交期", "orders.delivery_date", o("delivery_date")),
    oc("贸易术语", "orders.incoterm", o("incoterm")),
    oc("付款条件", "orders.payment_terms", o("payment_terms")),
    lc("型号", "lines.item_no", ln("item_no")),
    lc("数量", "lines.qty", ln("qty")),
    lc("单价", "lines.unit_price", ln("price")),
    lc("采购价", "lines.purchase_price", ln("cost")),
    oc("合同金额", "orders.order_total", o("total")),
], ORDERS, layout="first_row", subtotals=True, note="注：以上价格均不含运费。")])

EN_ERP = Tracker("en_erp", [OrderSheet("Sheet1", [
    oc("SO Number", "orders.order_no", o("order_no")),
    oc("Customer PO", "orders.customer_po", o("customer_po")),
    oc("Sold-to Party", "orders.customer", o("customer")),
    oc("Order Date", "orders.order_date", o("order_date")),
    oc("Requested Ship Date", "orders.delivery_date", o("delivery_date")),
    oc("Currency", "orders.currency", o("currency")),
    oc("Incoterms", "orders.incoterm", o("incoterm")),
    oc("Payment Terms", "orders.payment_terms", o("payment_terms")),
    oc("Supplier Code", "orders.factory", o("factory")),
    lc("Line", None, lambda order, line: order["lines"].index(line) + 1),
    lc("Item Code", "lines.item_no", ln("item_no")),
    lc("Item Description", "lines.description", ln("description")),
    lc("Order Qty", "lines.qty", ln("qty")),
    lc("UOM", "lines.unit", ln("unit")),
    lc("Selling Price", "lines.unit_price", ln("price")),
    lc("Net Value", "lines.amount", ln("amount")),
    lc("Created By", None, lambda order, line: "SAPUSER"),
], ORDERS)])

EN_ONE_PER_ORDER = Tracker("en_one_per_order", [OrderSheet("Orders 2026", [
    oc("Order #", "orders.order_no", o("order_no")),
    oc("Buyer", "orders.customer", o("customer")),
    oc("Destination", "orders.destination_country", o("country")),
    oc("Ship Date", "orders.delivery_date", o("delivery_date")),
    lc("Model No.", "lines.item_no", ln("item_no")),
    lc("Qty", "lines.qty", ln("qty")),
    lc("Unit Price USD", "lines.unit_price", ln("price")),
    lc("Amount", "lines.amount", ln("amount")),
    oc("Factory", "orders.factory", o("factory")),
    oc("Status", None, lambda order, line: "Waiting for payment"),
], [dict(order, lines=order["lines"][:1]) for order in ORDERS])])

MONTHLY = Tracker("monthly", [OrderSheet(name, [
    oc("订单号", "orders.order_no", o("order_no")),
    oc("客户", "orders.customer", o("customer")),
    oc("客户交期", "orders.delivery_date", o("delivery_date")),
    oc("付款方式", "orders.payment_terms", o("payment_terms")),
    lc("货号", "lines.item_no", ln("item_no")),
    lc("品名", "lines.description", ln("description")),
    lc("数量", "lines.qty", ln("qty")),
    lc("单价", "lines.unit_price", ln("price")),
    lc("金额", "lines.amount", ln("amount")),
    oc("工厂", "orders.factory", o("factory")),
], orders, layout="merged", title=f"{name} 月订单") for name, orders in (("2026.03", ORDERS[:2]), ("2026.04", ORDERS[2:]))],
    other={"汇总": [["月份", "订单数", "金额"], ["2026.03", 2, 5000], ["2026.04", 2, 6000]]})

BILINGUAL = Tracker("bilingual", [OrderSheet("Tracker", [
    oc(("Order No.", "订单号"), "orders.order_no", o("order_no")),
    oc(("Customer", "客户"), "orders.customer", o("customer")),
    oc(("Delivery Date", "交货期"), "orders.delivery_date", o("delivery_date")),
    oc(("Incoterm", "贸易术语"), "orders.incoterm", o("incoterm")),
    lc(("Item No.", "货号"), "lines.item_no", ln("item_no")),
    lc(("Quantity", "数量"), "lines.qty", ln("qty")),
    lc(("Unit Price", "单价"), "lines.unit_price", ln("price")),
    lc(("Carton Size", "长(L)"), "lines.carton_l", lambda order, line: line["size"][0]),
    lc(("Carton Size", "宽(W)"), "lines.carton_w", lambda order, line: line["size"][1]),
    lc(("Carton Size", "高(H)"), "lines.carton_h", lambda order, line: line["size"][2]),
    lc(("G.W.(KGS)", "毛重"), "lines.gw_per_carton", ln("gw")),
], ORDERS, layout="merged")])

UNITS = Tracker("units", [OrderSheet("2026", [
    oc("单号", "orders.order_no", o("order_no")),
    oc("客户", "orders.customer", o("customer")),
    oc("交货日期", "orders.delivery_date", o("delivery_date")),
    lc("货号", "lines.item_no", ln("item_no")),
    lc("数量(PCS)", "lines.qty", ln("qty")),
    lc("单价 USD", "lines.unit_price", ln("price")),
    lc("产品总价_元", "lines.amount", lambda order, line: round(line["qty"] * line["cost"], 2)),
    lc("Carton Size (L×W×H in mm)", "lines.carton_size", lambda order, line: _size(line, 10, "×")),
    lc("N.W.(KGS)", "lines.nw_per_carton", ln("nw")),
    lc("Total Carton Quantity", None, lambda order, line: line["qty"] // line["pcs"]),
    lc("总体积", None, lambda order, line: 1.5),
], ORDERS)])

CONTAINS = Tracker("contains", [OrderSheet("订单", [
    oc("订单号", "orders.order_no", o("order_no")),
    oc("客户电话", None, lambda order, line: "+49 40 5550101"),
    oc("客户评价", None, lambda order, line: "满意"),
    oc("客户", "orders.customer", o("customer")),
    oc("交期说明", None, lambda order, line: "可提前一周"),
    oc("交货期", "orders.delivery_date", o("delivery_date")),
    oc("工厂地址", None, lambda order, line: "浙江省义乌市"),
    oc("工厂", "orders.factory", o("factory")),
    lc("货号", "lines.item_no", ln("item_no")),
    lc("数量", "lines.qty", ln("qty")),
    lc("单价", "lines.unit_price", ln("price")),
    lc("单价说明", None, lambda order, line: "含包装"),
], ORDERS, layout="merged")])

CJK_ERP = Tracker("cjk_erp", [OrderSheet("受注一覧", [
    oc("주문번호 Order No", "orders.order_no", o("order_no")),
    oc("得意先 Customer", "orders.customer", o("customer")),
    oc("通貨", "orders.currency", o("currency")),
    oc("納期", "orders.delivery_date", o("delivery_date")),
    lc("品番", "lines.item_no", ln("item_no")),
    lc("품명", "lines.description", ln("description")),
    lc("수량 Qty", "lines.qty", ln("qty")),
    lc("単価", "lines.unit_price", ln("price")),
    lc("금액 Amount", "lines.amount", ln("amount")),
    oc("仕入先", "orders.factory", o("factory")),
], ORDERS)])

CONTRACT_KEYED = Tracker("contract_keyed", [OrderSheet("合同台账", [
    oc("合同号", "orders.contract_no", o("contract_no")),
    oc("客户", "orders.customer", o("customer")),
    oc("客户PO号", "orders.customer_po", o("customer_po")),
    oc("合同日期", "orders.order_date", o("order_date")),
    oc("交期", "orders.delivery_date", o("delivery_date")),
    lc("货号", "lines.item_no", ln("item_no")),
    lc("数量", "lines.qty", ln("qty")),
    lc("单价", "lines.unit_price", ln("price")),
    lc("金额", "lines.amount", ln("amount")),
], ORDERS, layout="merged")], key="contract_no")

PER_CUSTOMER = Tracker("per_customer", [OrderSheet(order["customer"], [
    oc("订单号", "orders.order_no", o("order_no")),
    oc("交期", "orders.delivery_date", o("delivery_date")),
    lc("货号", "lines.item_no", ln("item_no")),
    lc("数量", "lines.qty", ln("qty")),
    lc("单价", "lines.unit_price", ln("price")),
    oc("工厂", "orders.factory", o("factory")),
], [order], layout="merged") for order in ORDERS[:3]])

def _orders_sheet() -> list[list[Any]]:
    rows: list[list[Any]] = [["2026 年订单一览"], [], ["订单编号", "客户简称", "下单日期", "交货期", "币别", "价格条款", "付款条件", "工厂"]]
    for order in ORDERS:
        rows.append([order["order_no"], order["customer"], order["order_date"], order["delivery_date"],
                     order["currency"], order["incoterm"], order["payment_terms"], order["factory"]])
    return rows


# The template's layout under the user's own sheet names and headers: found by columns, not names.
SPLIT_RENAMED = Tracker("split_renamed", [OrderSheet("订单明细2026", [
    lc("订单编号", "lines.order_no", o("order_no")),
    lc("款号", "lines.item_no", ln("item_no")),
    lc("产品名称", "lines.description", ln("description")),
    lc("订单数量", "lines.qty", ln("qty")),
    lc("外销单价", "lines.unit_price", ln("price")),
    lc("外销金额", "lines.amount", ln("amount")),
    lc("工厂价", "lines.purchase_price", ln("cost")),
    lc("海关编码", "lines.hs_code", ln("hs")),
], ORDERS)], other={"2026年订单": _orders_sheet()}, role="lines", key="")

TRACKERS: list[Tracker] = [CN_MERGED, CN_REPEATED, CN_FIRST_ROW, EN_ERP, EN_ONE_PER_ORDER, MONTHLY, BILINGUAL, UNITS,
                           CONTAINS, CJK_ERP, CONTRACT_KEYED, PER_CUSTOMER, SPLIT_RENAMED]


def score(tracker: Tracker, chosen: dict[str, str], required: Sequence[str]) -> tuple[bool, float, list[str]]:
    """(every required field right, share of optional fields right, the mistakes) of a mapping ``key → header``."""
    expected = tracker.expected
    mistakes: list[str] = []
    for key, header in expected.items():
        if chosen.get(key) != header:
            mistakes.append(f"{key}: expected “{header}”, got “{chosen.get(key)}”")
    for header in tracker.unclaimed:
        taken = [k for k, h in chosen.items() if h == header]
        if taken:
            mistakes.append(f"“{header}” taken for {', '.join(taken)}")
    required_ok = all(chosen.get(k) == expected.get(k) for k in required if k in expected) and all(
        k in chosen for k in required)  # a required field the sheet holds elsewhere (a sheet name) counts when found
    optional = [k for k in expected if k not in required]
    right = sum(1 for k in optional if chosen.get(k) == expected[k])
    wrong_claims = sum(1 for h in tracker.unclaimed if h in chosen.values())
    share = right / (len(optional) + wrong_claims) if optional or wrong_claims else 1.0
    return required_ok, share, mistakes
