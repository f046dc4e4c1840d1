"""Price review (审单): unit prices against the last confirmed price, purchase prices, margins.

References come from the price-history sheet, from earlier orders in the same workbook and
from an optional archive of earlier workbooks. They are indexed once by customer + item +
currency (and by factory + item for purchase prices), so each line costs one dictionary lookup
and a binary search by date — never a scan of the whole history.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.findings import Finding, Severity, define_rule
from gendan_xl.models import Order, OrderLine, PriceRecord, Workbook, round_money

__all__ = ["PriceIndex", "PriceRef", "build_price_index"]

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

define_rule(
    "price-mismatch", E, "prices",
    title=("单价与上次确认价不符", "Price differs from the last contract"),
    message=("{address}：单价 {price} 与上次确认价 {reference}（{contract_no}，{reference_date}，来源 {source}）相差 {delta_pct}%",
             "{address}: unit price {price} differs from the last confirmed {reference} ({contract_no}, "
             "{reference_date}, from {source}) by {delta_pct}%"),
    rule="Each line's unit price is compared with the last confirmed price for the same customer + item + "
         "currency (+ incoterm where both are known) before the order date, from the price history, earlier "
         "orders and the archive. A difference above the tolerance (larger of `价格容差%` × reference and "
         "`价格容差金额`) is an error: confirm it with sales before the contract goes out.",
    example="订单明细!H23: unit price 2.35 differs from the last confirmed 2.15 (HY26S8950, 2026-06-03) by 9.3%",
    action=("与业务员确认单价", "confirm the price with sales"),
)
define_rule(
    "price-no-reference", INFO, "prices",
    title=("没有历史价格", "No earlier price"),
    message=("{address}：客户 {customer} 的 {item_no}（{currency}）没有历史价格可比对，请确认报价",
             "{address}: no earlier price for {item_no} ({currency}) with {customer}; confirm the quotation"),
    rule="The customer has no earlier confirmed price for this item in this currency: the price is new.",
    example="订单明细!H30: no earlier price for LT-3002 (USD) with SUNCOAST; confirm the quotation",
)
define_rule(
    "price-currency-differs", W, "prices",
    title=("币种与历史价格不同", "Currency differs from earlier prices"),
    message=("{address}：{item_no} 以前以 {reference_currencies} 成交，本单用 {currency}",
             "{address}: {item_no} was sold in {reference_currencies} before, this order uses {currency}"),
    rule="Earlier prices for this customer + item exist only in other currencies: check the currency.",
    example="订单明细!H12: KT-1001 was sold in EUR before, this order uses USD",
)
define_rule(
    "price-unit-differs", W, "prices",
    title=("单位与历史价格不同", "Unit differs from the reference"),
    message=("{address}：单位 {unit} 与上次确认价的单位 {reference_unit}（{contract_no}）不同，单价无法比对",
             "{address}: unit {unit} differs from the reference's unit {reference_unit} ({contract_no}); "
             "prices are not comparable"),
    rule="The last confirmed price was for another unit (SETS vs PCS …); the price is not compared.",
    example="订单明细!G8: unit PCS differs from the reference's unit SETS (HY26S0112)",
)
define_rule(
    "purchase-price-mismatch", W, "prices",
    title=("采购价与上次不同", "Purchase price differs"),
    message=("{address}：采购单价 {price} 与工厂 {factory} 上次价格 {reference}（{contract_no}，{reference_date}）相差 {delta_pct}%",
             "{address}: purchase price {price} differs from {factory}'s last price {reference} "
             "({contract_no}, {reference_date}) by {delta_pct}%"),
    rule="The purchase price is compared with the last purchase price for the same factory + item "
         "(tolerance `采购价容差%`).",
    example="订单明细!J9: purchase price 7.20 differs from NB-KITCHEN's last price 6.80 (HY26P004) by 5.9%",
    action=("与工厂确认采购价", "confirm the purchase price with the factory"),
)
define_rule(
    "margin-negative", E, "prices",
    title=("亏损", "Negative margin"),
    message=("{address}：毛利率 {margin_pct}%（售价折合 {revenue_cny} 元，退税后成本 {cost_cny} 元）",
             "{address}: margin {margin_pct}% (price {revenue_cny} CNY, cost after rebate {cost_cny} CNY)"),
    rule="Selling price × exchange rate is below the purchase price net of the export rebate "
         "(purchase × (1 − rebate ÷ (1 + VAT))).",
    example="订单明细!H40: margin -3.2% (price 7.10 CNY, cost after rebate 7.33 CNY)",
    action=("与业务员核对价格", "review the price with sales"),
)
define_rule(
    "margin-low", W, "prices",
    title=("毛利偏低", "Low margin"),
    message=("{address}：毛利率 {margin_pct}% 低于最低要求 {minimum_pct}%",
             "{address}: margin {margin_pct}% is below the minimum {minimum_pct}%"),
    rule="Gross margin (as for margin-negative) is below `最低毛利率`.",
    example="订单明细!H18: margin 3.1% is below the minimum 5%",
)
define_rule(
    "exchange-rate-missing", INFO, "prices",
    title=("缺少汇率", "Exchange rate missing"),
    message=("设置表没有 {currency} 汇率，{currency} 订单不计算毛利；请加一行“汇率 {currency}”",
             "no {currency} exchange rate in the settings; margins of {currency} orders are not checked — "
             "add a row “Exchange Rate {currency}”"),
    rule="Margins need CNY per unit of the order currency from the settings sheet.",
    example="no EUR exchange rate in the settings; margins of EUR orders are not checked",
)


@dataclass(frozen=True, slots=True)
class PriceRef:
    """One confirmed price: what, when, under which contract, and where it was found."""

    price: Decimal
    day: date
    contract_no: str
    incoterm: str | None
    unit: str | None
    currency: str | None
    source: str
    order_no: str | None = None


def _key(*parts: str | None) -> tuple[str, ...]:
    return tuple((part or "").strip().casefold() for part in parts)


@dataclass
class PriceIndex:
    """Confirmed selling and purchase prices, sorted by date per key."""

    sales: dict[tuple[str, ...], _Dated]
    sales_currencies: dict[tuple[str, ...], set[str]]
    purchases: dict[tuple[str, ...], _Dated]

    def last_sale(self, order: Order, line: OrderLine) -> PriceRef | None:
        """The latest confirmed selling price before the order date, matching incoterm where known."""
        return _latest(self.sales.get(_key(order.customer, line.item_no, order.currency)), order, order.incoterm)

    def last_purchase(self, order: Order, line: OrderLine) -> PriceRef | None:
        """The latest purchase price of the factory for the item before the order date."""
        return _latest(self.purchases.get(_key(order.factory, line.item_no)), order, None)


_Dated = tuple[list[date], list[PriceRef]]  # dates and references, both sorted by date


def _sorted(table: dict[tuple[str, ...], list[PriceRef]]) -> dict[tuple[str, ...], _Dated]:
    result: dict[tuple[str, ...], _Dated] = {}
    for key, refs in table.items():
        refs.sort(key=lambda r: r.day)
        result[key] = ([r.day for r in refs], refs)
    return result


def _latest(dated: _Dated | None, order: Order, incoterm: str | None) -> PriceRef | None:
    if not dated:
        return None
    days, refs = dated
    end = len(refs) if order.order_date is None else bisect_left(days, order.order_date)
    for position in range(end - 1, -1, -1):
        ref = refs[position]
        if ref.order_no == order.order_no:
            continue
        if incoterm and ref.incoterm and ref.incoterm != incoterm:
            continue
        return ref
    return None


def _history_refs(records: Iterable[PriceRecord], source: str, workbook: Workbook | None
                  ) -> Iterator[tuple[str, PriceRecord, str]]:
    for record in records:
        where = workbook.address("price_history", "unit_price", record.row) if workbook else source
        yield where, record, record.contract_no or where


def build_price_index(workbook: Workbook, archive: Iterable[tuple[str, Workbook]] = ()) -> PriceIndex:
    """Index every confirmed price of the workbook and the archive workbooks."""
    sales: dict[tuple[str, ...], list[PriceRef]] = defaultdict(list)
    currencies: dict[tuple[str, ...], set[str]] = defaultdict(set)
    purchases: dict[tuple[str, ...], list[PriceRef]] = defaultdict(list)
    sources: list[tuple[str, Workbook, bool]] = [("", workbook, True)]
    sources += [(name, book, False) for name, book in archive]
    for name, book, own in sources:
        for where, record, contract in _history_refs(book.price_history, name, book if own else None):
            if record.customer and record.unit_price is not None:
                ref = PriceRef(record.unit_price, record.contract_date, contract, record.incoterm, record.unit,
                               record.currency, where)
                sales[_key(record.customer, record.item_no, record.currency)].append(ref)
                currencies[_key(record.customer, record.item_no)].add(record.currency or "")
            if record.factory and record.purchase_price is not None:
                purchases[_key(record.factory, record.item_no)].append(PriceRef(
                    record.purchase_price, record.contract_date, contract, None, record.unit, "CNY", where))
        orders = book.orders_by_no
        for line in book.lines:
            order = orders.get(line.order_no)
            if order is None or order.order_date is None or order.is_cancelled:
                continue
            where = book.address("lines", "unit_price", line.row) if own else f"{name} {line.order_no}"
            contract = order.contract_no or order.order_no
            if order.customer and line.unit_price is not None:
                sales[_key(order.customer, line.item_no, order.currency)].append(PriceRef(
                    line.unit_price, order.order_date, contract, order.incoterm, line.unit, order.currency, where,
                    order.order_no))
                currencies[_key(order.customer, line.item_no)].add(order.currency or "")
            if order.factory and line.purchase_price is not None:
                purchases[_key(order.factory, line.item_no)].append(PriceRef(
                    line.purchase_price, order.order_date, order.po_no or contract, None, line.unit, "CNY", where,
                    order.order_no))
    return PriceIndex(_sorted(sales), dict(currencies), _sorted(purchases))


def _delta_pct(price: Decimal, reference: Decimal) -> Decimal:
    if reference == 0:
        return Decimal(100)
    return ((price - reference) / reference * 100).quantize(Decimal("0.1"))


@check("prices")
def check_prices(ctx: CheckContext) -> Iterator[Finding]:
    """Selling prices against the last confirmed price, purchase prices, margins."""
    settings = ctx.settings
    index: PriceIndex = ctx.memo("price_index",
                                 lambda: build_price_index(ctx.workbook, ctx.cache.get("archive_books", [])))
    orders = ctx.workbook.orders_by_no
    missing_rates: set[str] = set()
    for line in ctx.workbook.lines:
        order = orders.get(line.order_no)
        if order is None or order.is_cancelled or line.unit_price is None:
            continue
        yield from _check_sale(ctx, index, order, line)
        yield from _check_purchase(ctx, index, order, line)
        if line.purchase_price is not None and line.purchase_price > 0 and order.currency:
            rate = Decimal(1) if order.currency == "CNY" else settings.exchange_rates.get(order.currency)
            if rate is None:
                missing_rates.add(order.currency)
            else:
                yield from _check_margin(ctx, order, line, line.unit_price * rate)
    for currency in sorted(missing_rates):
        yield ctx.finding("exchange-rate-missing", sheet="settings", field=None, row=None, currency=currency)


def _check_sale(ctx: CheckContext, index: PriceIndex, order: Order, line: OrderLine) -> Iterator[Finding]:
    assert line.unit_price is not None
    where: dict[str, Any] = {"sheet": "lines", "row": line.row, "order_no": order.order_no}
    ref = index.last_sale(order, line)
    if ref is None:
        others = index.sales_currencies.get(_key(order.customer, line.item_no), set()) - {order.currency or ""}
        if others:
            yield ctx.finding("price-currency-differs", field="currency", **where, item_no=line.item_no,
                              currency=order.currency, reference_currencies=", ".join(sorted(others)))
        else:
            yield ctx.finding("price-no-reference", field="unit_price", **where, item_no=line.item_no,
                              currency=order.currency, customer=order.customer)
        return
    if ref.unit and line.unit and ref.unit != line.unit:
        yield ctx.finding("price-unit-differs", field="unit", **where, unit=line.unit, reference_unit=ref.unit,
                          contract_no=ref.contract_no)
        return
    settings = ctx.settings
    delta = line.unit_price - ref.price
    if abs(delta) > max(settings.price_tolerance_abs, settings.price_tolerance_pct * ref.price):
        yield ctx.finding("price-mismatch", field="unit_price", **where, price=line.unit_price,
                          reference=ref.price, contract_no=ref.contract_no, reference_date=ref.day,
                          source=ref.source, delta=delta, delta_pct=_delta_pct(line.unit_price, ref.price),
                          item_no=line.item_no)


def _check_purchase(ctx: CheckContext, index: PriceIndex, order: Order, line: OrderLine) -> Iterator[Finding]:
    if line.purchase_price is None:
        return
    ref = index.last_purchase(order, line)
    if ref is None or (ref.unit and line.unit and ref.unit != line.unit):
        return
    delta = line.purchase_price - ref.price
    if abs(delta) > max(ctx.settings.price_tolerance_abs, ctx.settings.purchase_tolerance_pct * ref.price):
        yield ctx.finding("purchase-price-mismatch", sheet="lines", field="purchase_price", row=line.row,
                          order_no=order.order_no, price=line.purchase_price, reference=ref.price,
                          factory=order.factory, contract_no=ref.contract_no, reference_date=ref.day,
                          delta_pct=_delta_pct(line.purchase_price, ref.price), item_no=line.item_no)


def _check_margin(ctx: CheckContext, order: Order, line: OrderLine, revenue: Decimal) -> Iterator[Finding]:
    assert line.purchase_price is not None
    settings = ctx.settings
    cost = line.purchase_price * (1 - settings.rebate_rate / (1 + settings.vat_rate))
    if revenue <= 0:
        return
    margin = (revenue - cost) / revenue
    shown: dict[str, Any] = {"margin_pct": (margin * 100).quantize(Decimal("0.1")), "revenue_cny": round_money(revenue),
             "cost_cny": round_money(cost)}
    where: dict[str, Any] = {"sheet": "lines", "field": "unit_price", "row": line.row, "order_no": order.order_no}
    if margin < 0:
        yield ctx.finding("margin-negative", **where, **shown)
    elif margin < settings.min_margin_pct:
        yield ctx.finding("margin-low", **where, **shown,
                          minimum_pct=(settings.min_margin_pct * 100).normalize())
