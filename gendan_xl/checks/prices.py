"""Price review (审单): unit prices against the last confirmed price, purchase prices, margins.

References come from the price-history sheet, from earlier orders in the same workbook and
from an optional archive of earlier workbooks. They are indexed once by customer + item +
currency (and by factory + item for purchase prices), so each line costs one dictionary lookup
and a binary search by date — never a scan of the whole history.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from operator import attrgetter
from typing import Any, NamedTuple

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.checks.rebates import rebate_rate
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.models import Order, OrderLine, Workbook, round_money

__all__ = ["PriceIndex", "PriceRef", "build_price_index"]

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

PRICES = define_family("prices", "价格", "Prices", stage=20, status_column="price_check")

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
    message=("{address}：毛利率 {margin_pct}%（售价折合 {revenue_cny} 元，成本 {cost_cny} 元，{rebate_zh}）",
             "{address}: margin {margin_pct}% (price {revenue_cny} CNY, cost {cost_cny} CNY {rebate_en})"),
    rule="Selling price × exchange rate is below the cost: the purchase price (incl. VAT) net of the export rebate, "
         "purchase × (1 − rebate ÷ (1 + VAT)), when the rebate rate table gives the line's HS code a rate; else "
         "the full purchase price, and the message says the margin is without the rebate. No blanket rate is "
         "assumed: since 2024-12-01 many goods have 9 % or 0 %.",
    example="订单明细!H40: margin -3.2% (price 7.10 CNY, cost 7.33 CNY without export rebate: no rate for HS "
            "8215990000)",
    source="MOF/STA Announcement 2024 No. 15 (2024-11-15): rebates cut from 13 % to 9 % or cancelled for many "
           "goods from 2024-12-01",
    as_of=date(2026, 12, 2),
    action=("与业务员核对价格", "review the price with sales"),
)
define_rule(
    "margin-low", W, "prices",
    title=("毛利偏低", "Low margin"),
    message=("{address}：毛利率 {margin_pct}% 低于最低要求 {minimum_pct}%（{rebate_zh}）",
             "{address}: margin {margin_pct}% is below the minimum {minimum_pct}% ({rebate_en})"),
    rule="Gross margin (as for margin-negative, with or without the rebate) is below `最低毛利率`.",
    example="订单明细!H18: margin 3.1% is below the minimum 5% (after a 13% export rebate)",
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


# (own workbook or None for an archive file, sheet key, archive file name)
_Origin = tuple[Workbook | None, str, str]


class PriceRef(NamedTuple):
    """One confirmed price: what, when, under which contract, and where it was found."""

    price: Decimal
    day: date
    contract_no: str | None
    incoterm: str | None
    unit: str | None
    currency: str | None
    origin: _Origin
    row: int
    order_no: str | None = None

    @property
    def source(self) -> str:
        """Where the price was found: a cell (``价格记录!G12``) or an archive file and order."""
        book, sheet_key, name = self.origin
        if book is not None:
            return book.address(sheet_key, "unit_price", self.row)
        return f"{name} {self.order_no}" if self.order_no else f"{name} ({self.row})"

    @property
    def contract(self) -> str:
        """The contract that confirmed the price, or its source when no contract no. was recorded."""
        return self.contract_no or self.source




class _Keys:
    """Builds folded lookup keys (customer, item, currency …), each distinct combination once.

    Keys are case- and space-insensitive ("ACME " and "acme" are one customer); the same few
    combinations recur on every line, so the folded tuple is cached per raw tuple.
    """

    def __init__(self) -> None:
        self._cache: dict[tuple[str | None, ...], tuple[str, ...]] = {}
        self.cached = self._cache.get  # hot loops call this directly, then make() on a miss

    def make(self, parts: tuple[str | None, ...]) -> tuple[str, ...]:
        """Fold and remember one raw key."""
        key = self._cache[parts] = tuple((part or "").strip().casefold() for part in parts)
        return key

    def __call__(self, *parts: str | None) -> tuple[str, ...]:
        return self.cached(parts) or self.make(parts)


@dataclass
class PriceIndex:
    """Confirmed selling and purchase prices, sorted by date per key."""

    sales: dict[tuple[str, ...], _Dated]
    purchases: dict[tuple[str, ...], _Dated]
    key: _Keys
    workbook: Workbook
    _currencies: dict[tuple[str, ...], set[str]] | None = None
    _sale_refs: dict[int, PriceRef | None] | None = None
    _purchase_refs: dict[int, PriceRef | None] | None = None

    def last_sale(self, order: Order, line: OrderLine) -> PriceRef | None:
        """The latest confirmed selling price before the order date, matching incoterm where known."""
        if self._sale_refs is None:
            self._sale_refs = _references(self.sales, self.workbook)
        if line.row in self._sale_refs:
            return self._sale_refs[line.row]
        return _latest(self.sales.get(self.key(order.customer, line.item_no, order.currency)), order, order.incoterm)

    def last_purchase(self, order: Order, line: OrderLine) -> PriceRef | None:
        """The latest purchase price of the factory for the item before the order date."""
        if self._purchase_refs is None:
            self._purchase_refs = _references(self.purchases, self.workbook)
        if line.row in self._purchase_refs:
            return self._purchase_refs[line.row]
        return _latest(self.purchases.get(self.key(order.factory, line.item_no)), order, None)

    def other_currencies(self, order: Order, line: OrderLine) -> set[str]:
        """Currencies of earlier prices for the customer + item other than the order's."""
        if self._currencies is None:  # needed only for lines without a reference: built on first use
            self._currencies = defaultdict(set)
            for customer, item, currency in self.sales:
                self._currencies[(customer, item)].add(currency.upper())
        folded = self.key(order.customer, line.item_no)
        return self._currencies.get(folded, set()) - {(order.currency or "").upper()}


_Dated = tuple[list[date], list[PriceRef]]  # dates and references, both sorted by date


_day = attrgetter("day")
# tuple.__new__ skips NamedTuple's Python-level __new__: the index holds ~250,000 of these.
_ref: Callable[[tuple[Any, ...]], PriceRef] = partial(tuple.__new__, PriceRef)


def _sorted(table: dict[tuple[str, ...], list[PriceRef]]) -> dict[tuple[str, ...], _Dated]:
    result: dict[tuple[str, ...], _Dated] = {}
    for key, refs in table.items():
        refs.sort(key=_day)
        result[key] = (list(map(_day, refs)), refs)
    return result


def _references(table: dict[tuple[str, ...], _Dated], workbook: Workbook) -> dict[int, PriceRef | None]:
    """The reference of every indexed line of ``workbook``, in one pass over each key's dated list.

    For a line dated D the reference is the latest price dated before D whose incoterm is
    compatible. Walking each list by date while remembering the latest price per incoterm
    answers every line at once; an order's own lines share its date, so they never refer to
    each other. When a key has one incoterm throughout (the usual case) the latest earlier
    price is simply the one just before the line's date.
    """
    found: dict[int, PriceRef | None] = {}
    for days, refs in table.values():
        own = [i for i, ref in enumerate(refs) if ref.origin[0] is workbook and ref.origin[1] == "lines"]
        if not own:
            continue
        if len({ref.incoterm for ref in refs}) == 1:
            for position in own:
                earlier = bisect_left(days, days[position])
                found[refs[position].row] = refs[earlier - 1] if earlier else None
            continue
        latest: dict[str | None, tuple[int, PriceRef]] = {}
        start, count = 0, len(refs)
        while start < count:
            end = bisect_right(days, days[start], start)
            for position in range(start, end):
                ref = refs[position]
                if ref.origin[0] is workbook and ref.origin[1] == "lines":
                    found[ref.row] = _pick(latest, ref.incoterm)
            for position in range(start, end):
                latest[refs[position].incoterm] = (position, refs[position])
            start = end
    return found


def _pick(latest: dict[str | None, tuple[int, PriceRef]], incoterm: str | None) -> PriceRef | None:
    candidates: Iterable[tuple[int, PriceRef]]
    if incoterm is None:
        candidates = latest.values()
    else:
        candidates = [c for c in (latest.get(incoterm), latest.get(None)) if c is not None]
    best = max(candidates, default=None, key=lambda item: item[0])
    return best[1] if best else None


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


def build_price_index(workbook: Workbook, archive: Iterable[tuple[str, Workbook]] = ()) -> PriceIndex:
    """Index every confirmed price of the workbook and the archive workbooks."""
    sales: dict[tuple[str, ...], list[PriceRef]] = defaultdict(list)
    purchases: dict[tuple[str, ...], list[PriceRef]] = defaultdict(list)
    key = _Keys()
    cached, make = key.cached, key.make
    books: list[tuple[str, Workbook, bool]] = [("", workbook, True), *((n, b, False) for n, b in archive)]
    raw: tuple[str | None, ...]
    for name, book, own in books:
        history: _Origin = (book if own else None, "price_history", name)
        for record in book.price_history:
            if record.customer and record.unit_price is not None:
                raw = (record.customer, record.item_no, record.currency)
                sales[cached(raw) or make(raw)].append(_ref((
                    record.unit_price, record.contract_date, record.contract_no, record.incoterm, record.unit,
                    record.currency, history, record.row, None)))
            if record.factory and record.purchase_price is not None:
                raw = (record.factory, record.item_no)
                purchases[cached(raw) or make(raw)].append(_ref((
                    record.purchase_price, record.contract_date, record.contract_no, None, record.unit, "CNY",
                    history, record.row, None)))
        lines: _Origin = (book if own else None, "lines", name)
        orders = book.orders_by_no
        for line in book.lines:
            order = orders.get(line.order_no)
            if order is None or order.order_date is None or order.is_cancelled:
                continue
            contract = order.contract_no or order.order_no
            if order.customer and line.unit_price is not None:
                raw = (order.customer, line.item_no, order.currency)
                sales[cached(raw) or make(raw)].append(_ref((
                    line.unit_price, order.order_date, contract, order.incoterm, line.unit, order.currency, lines,
                    line.row, order.order_no)))
            if order.factory and line.purchase_price is not None:
                raw = (order.factory, line.item_no)
                purchases[cached(raw) or make(raw)].append(_ref((
                    line.purchase_price, order.order_date, order.po_no or contract, None, line.unit, "CNY", lines,
                    line.row, order.order_no)))
    return PriceIndex(_sorted(sales), _sorted(purchases), key, workbook)


def _rebate_note(rate: Decimal | None, hs_code: str | None) -> dict[str, str]:
    if rate is not None:
        pct = f"{(rate * 100).normalize():f}%"
        return {"rebate_zh": f"已扣退税 {pct}", "rebate_en": f"after a {pct} export rebate"}
    code = hs_code or "—"
    return {"rebate_zh": f"未计退税：HS {code} 无退税率", "rebate_en": f"without export rebate: no rate for HS {code}"}


def _delta_pct(price: Decimal, reference: Decimal) -> Decimal:
    if reference == 0:
        return Decimal(100)
    return ((price - reference) / reference * 100).quantize(Decimal("0.1"))


@check("prices")
def check_prices(ctx: CheckContext) -> Iterator[Finding]:
    """Selling prices against the last confirmed price, purchase prices, margins."""
    settings = ctx.settings
    index: PriceIndex = ctx.memo("price_index",
                                 lambda: build_price_index(ctx.workbook, ctx.archive.books))
    orders = ctx.workbook.orders_by_no
    rates = {"CNY": Decimal(1), **settings.exchange_rates}
    missing_rates: set[str] = set()
    for line in ctx.workbook.lines:
        order = orders.get(line.order_no)
        if order is None or order.is_cancelled or line.unit_price is None:
            continue
        finding = _check_sale(ctx, index, order, line)
        if finding is not None:
            yield finding
        if line.purchase_price is None:
            continue
        finding = _check_purchase(ctx, index, order, line)
        if finding is not None:
            yield finding
        if line.purchase_price > 0 and order.currency:
            rate = rates.get(order.currency)
            if rate is None:
                missing_rates.add(order.currency)
            else:
                finding = _check_margin(ctx, order, line, line.unit_price * rate)
                if finding is not None:
                    yield finding
    for currency in sorted(missing_rates):
        yield ctx.finding("exchange-rate-missing", sheet="settings", field=None, row=None, currency=currency)


def _check_sale(ctx: CheckContext, index: PriceIndex, order: Order, line: OrderLine) -> Finding | None:
    assert line.unit_price is not None
    ref = index.last_sale(order, line)
    if ref is not None and ref.price == line.unit_price and (ref.unit == line.unit or not ref.unit or not line.unit):
        return None  # the usual case: the same price as last time
    if ref is None:
        others = index.other_currencies(order, line)
        if others:
            return ctx.finding("price-currency-differs", sheet="lines", field="currency", row=line.row,
                               order_no=order.order_no, item_no=line.item_no, currency=order.currency,
                               reference_currencies=", ".join(sorted(others)))
        return ctx.finding("price-no-reference", sheet="lines", field="unit_price", row=line.row,
                           order_no=order.order_no, item_no=line.item_no, currency=order.currency,
                           customer=order.customer)
    if ref.unit and line.unit and ref.unit != line.unit:
        return ctx.finding("price-unit-differs", sheet="lines", field="unit", row=line.row, order_no=order.order_no,
                           unit=line.unit, reference_unit=ref.unit, contract_no=ref.contract)
    settings = ctx.settings
    delta = line.unit_price - ref.price
    if abs(delta) <= max(settings.price_tolerance_abs, settings.price_tolerance_pct * ref.price):
        return None
    return ctx.finding("price-mismatch", sheet="lines", field="unit_price", row=line.row, order_no=order.order_no,
                       price=line.unit_price, reference=ref.price, contract_no=ref.contract, reference_date=ref.day,
                       source=ref.source, delta=delta, delta_pct=_delta_pct(line.unit_price, ref.price),
                       item_no=line.item_no)


def _check_purchase(ctx: CheckContext, index: PriceIndex, order: Order, line: OrderLine) -> Finding | None:
    assert line.purchase_price is not None
    ref = index.last_purchase(order, line)
    if ref is None or ref.price == line.purchase_price or (ref.unit and line.unit and ref.unit != line.unit):
        return None
    delta = line.purchase_price - ref.price
    if abs(delta) <= max(ctx.settings.price_tolerance_abs, ctx.settings.purchase_tolerance_pct * ref.price):
        return None
    return ctx.finding("purchase-price-mismatch", sheet="lines", field="purchase_price", row=line.row,
                       order_no=order.order_no, price=line.purchase_price, reference=ref.price,
                       factory=order.factory, contract_no=ref.contract, reference_date=ref.day,
                       delta_pct=_delta_pct(line.purchase_price, ref.price), item_no=line.item_no)


def _check_margin(ctx: CheckContext, order: Order, line: OrderLine, revenue: Decimal) -> Finding | None:
    assert line.purchase_price is not None
    if revenue <= 0:
        return None
    rebate = rebate_rate(ctx, line.hs_code)
    # Cost net of the export rebate: purchase price (incl. VAT) × (1 − rebate ÷ (1 + VAT)); no rate, no rebate.
    cost = line.purchase_price * (1 - rebate / (1 + ctx.settings.vat_rate)) if rebate is not None \
        else line.purchase_price
    margin = (revenue - cost) / revenue
    minimum = ctx.settings.min_margin_pct
    if margin >= minimum:
        return None
    shown: dict[str, Any] = {"margin_pct": (margin * 100).quantize(Decimal("0.1")), "revenue_cny": round_money(revenue),
                             "cost_cny": round_money(cost), "rebate_rate": rebate, **_rebate_note(rebate, line.hs_code)}
    where: dict[str, Any] = {"sheet": "lines", "field": "unit_price", "row": line.row, "order_no": order.order_no}
    if margin < 0:
        return ctx.finding("margin-negative", **where, **shown)
    return ctx.finding("margin-low", **where, **shown, minimum_pct=(minimum * 100).normalize())
