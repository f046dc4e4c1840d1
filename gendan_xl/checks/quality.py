"""Data quality: the references between sheets and the values every other check relies on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.vocab import (
    INCOTERMS,
    UNIT_CHOICES,
    normalize_country,
    normalize_currency,
    normalize_incoterm,
    normalize_unit,
)

__all__: list[str] = []

E, W = Severity.ERROR, Severity.WARNING

QUALITY = define_family("quality", "数据完整", "Data quality", stage=10, status_column="delivery_status")

define_rule(
    "duplicate-order-no", E, "quality",
    title=("订单号重复", "Duplicate order no."),
    message=("{address}：订单号 {order_no} 已在第 {first_row} 行出现", "{address}: order no. {order_no} already used in row {first_row}"),
    rule="Order numbers are unique on the orders sheet; later duplicates are ignored by the other checks.",
    example="订单!A30: order no. GD2026-012 already used in row 13",
)
define_rule(
    "line-without-order", E, "quality",
    title=("明细找不到订单", "Line without an order"),
    message=("{address}：订单号 {order_no} 不在订单表中", "{address}: order no. {order_no} is not on the orders sheet"),
    rule="Every line's order no. must exist on the orders sheet.",
    example="订单明细!A55: order no. GD2026-099 is not on the orders sheet",
)
define_rule(
    "order-without-lines", W, "quality",
    title=("订单没有明细", "Order without lines"),
    message=("{address}：订单 {order_no} 在明细表中没有任何行", "{address}: order {order_no} has no lines"),
    rule="An order (not cancelled) needs at least one line on the order-lines sheet.",
    example="订单!A21: order GD2026-020 has no lines",
)
define_rule(
    "unknown-customer", W, "quality",
    title=("客户未登记", "Unknown customer"),
    message=("{address}：客户“{customer}”不在客户表中", "{address}: customer “{customer}” is not on the customers sheet"),
    rule="When the customers sheet has entries, every order's customer must be one of them (documents need "
         "its name and address).",
    example="订单!B8: customer “Hansa GmbH” is not on the customers sheet",
)
define_rule(
    "unknown-factory", W, "quality",
    title=("工厂未登记", "Unknown factory"),
    message=("{address}：工厂“{factory}”不在工厂表中", "{address}: factory “{factory}” is not on the factories sheet"),
    rule="When the factories sheet has entries, every order's factory must be one of them.",
    example="订单!R8: factory “NB KITCHEN” is not on the factories sheet",
)
define_rule(
    "non-positive-qty", E, "quality",
    title=("数量不大于零", "Quantity not above zero"),
    message=("{address}：数量 {qty} 应大于 0", "{address}: quantity {qty} must be above 0"),
    rule="Quantities must be positive.",
    example="订单明细!F9: quantity 0 must be above 0",
)
define_rule(
    "non-positive-price", E, "quality",
    title=("单价不大于零", "Price not above zero"),
    message=("{address}：{column} {price} 应大于 0", "{address}: {column_en} {price} must be above 0"),
    rule="Unit prices and purchase prices must be positive.",
    example="订单明细!H9: unit price -1.20 must be above 0",
)
define_rule(
    "unknown-currency", E, "quality",
    title=("币种无法识别", "Unknown currency"),
    message=("{address}：币种“{value}”不是 ISO 4217 代码（如 USD、EUR、CNY）",
             "{address}: currency “{value}” is not an ISO 4217 code (USD, EUR, CNY …)"),
    rule="Currencies are ISO 4217 codes (RMB and 美元 are understood).",
    example="订单!F6: currency “US” is not an ISO 4217 code",
)
define_rule(
    "unknown-incoterm", W, "quality",
    title=("贸易术语无法识别", "Unknown incoterm"),
    message=("{address}：“{value}”不是 Incoterms 2020 术语（{choices}）",
             "{address}: “{value}” is not an Incoterms 2020 term ({choices})"),
    rule="Incoterms are the 11 Incoterms 2020 (C&F / CNF are read as CFR).",
    example="订单!G6: “FOB/CIF” is not an Incoterms 2020 term",
)
define_rule(
    "unknown-unit", W, "quality",
    title=("单位无法识别", "Unknown unit"),
    message=("{address}：单位“{value}”无法识别（可用 {choices}）", "{address}: unit “{value}” is not known ({choices})"),
    rule="Units are PCS, SETS, PAIRS, CTNS, KGS … (个, 套, 双 … are understood).",
    example="订单明细!G7: unit “bundle” is not known",
)
define_rule(
    "unknown-country", W, "quality",
    title=("目的国无法识别", "Unknown country"),
    message=("{address}：目的国“{value}”无法识别，产地证检查未做", "{address}: country “{value}” is not known; certificate checks skipped"),
    rule="Countries are ISO codes or their English or Chinese names.",
    example="订单!K6: country “Deutschlandd” is not known",
)
define_rule(
    "shipment-without-order", W, "quality",
    title=("出运找不到订单", "Shipment without an order"),
    message=("{address}：订单号 {order_no} 不在订单表中", "{address}: order no. {order_no} is not on the orders sheet"),
    rule="Every shipment row's order no. must exist on the orders sheet.",
    example="出运!B9: order no. GD2026-099 is not on the orders sheet",
)
define_rule(
    "payment-without-order", W, "quality",
    title=("收款找不到订单", "Payment without an order"),
    message=("{address}：订单号 {order_no} 不在订单表中", "{address}: order no. {order_no} is not on the orders sheet"),
    rule="Every payment's order no. must exist on the orders sheet.",
    example="收款!A9: order no. GD2026-099 is not on the orders sheet",
)


@check("quality")
def check_quality(ctx: CheckContext) -> Iterator[Finding]:
    """Duplicates, dangling references, unknown codes, non-positive quantities and prices."""
    workbook = ctx.workbook
    first_row: dict[str, int] = {}
    for order in workbook.orders:
        where: dict[str, Any] = {"sheet": "orders", "row": order.row, "order_no": order.order_no}
        if order.order_no in first_row:
            yield ctx.finding("duplicate-order-no", field="order_no", **where, first_row=first_row[order.order_no])
            continue
        first_row[order.order_no] = order.row
        yield from _order_values(ctx, order.order_no, order.row, order.customer, order.factory, order.currency,
                                 order.incoterm, order.destination_country)
        if not order.is_cancelled and order.order_no not in workbook.lines_by_order:
            yield ctx.finding("order-without-lines", field="order_no", **where)
    for line in workbook.lines:
        at: dict[str, Any] = {"sheet": "lines", "row": line.row, "order_no": line.order_no}
        if line.order_no not in first_row:
            yield ctx.finding("line-without-order", field="order_no", **at)
        if line.qty is not None and line.qty <= 0:
            yield ctx.finding("non-positive-qty", field="qty", **at, qty=line.qty)
        for field, zh, en in (("unit_price", "单价", "unit price"), ("purchase_price", "采购单价", "purchase price")):
            price = getattr(line, field)
            if price is not None and price <= 0:
                yield ctx.finding("non-positive-price", field=field, **at, price=price, column=zh, column_en=en)
        if line.unit and normalize_unit(line.unit) is None:
            yield ctx.finding("unknown-unit", field="unit", **at, value=line.unit, choices=", ".join(UNIT_CHOICES[:6]))
    for shipment in workbook.shipments:
        if shipment.order_no not in first_row:
            yield ctx.finding("shipment-without-order", sheet="shipments", field="order_no", row=shipment.row,
                              order_no=shipment.order_no)
    for payment in workbook.payments:
        if payment.order_no not in first_row:
            yield ctx.finding("payment-without-order", sheet="payments", field="order_no", row=payment.row,
                              order_no=payment.order_no)
        if payment.currency and normalize_currency(payment.currency) is None:
            yield ctx.finding("unknown-currency", sheet="payments", field="currency", row=payment.row,
                              order_no=payment.order_no, value=payment.currency)


def _order_values(ctx: CheckContext, order_no: str, row: int, customer: str | None, factory: str | None,
                  currency: str | None, incoterm: str | None, country: str | None) -> Iterator[Finding]:
    workbook = ctx.workbook
    where: dict[str, Any] = {"sheet": "orders", "row": row, "order_no": order_no}
    customers = ctx.memo("customer_codes", lambda: {c.code.strip().casefold() for c in workbook.customers})
    factories = ctx.memo("factory_codes", lambda: {f.code.strip().casefold() for f in workbook.factories})
    if customer and customers and customer.strip().casefold() not in customers:
        yield ctx.finding("unknown-customer", field="customer", **where, customer=customer)
    if factory and factories and factory.strip().casefold() not in factories:
        yield ctx.finding("unknown-factory", field="factory", **where, factory=factory)
    if currency and normalize_currency(currency) is None:
        yield ctx.finding("unknown-currency", field="currency", **where, value=currency)
    if incoterm and normalize_incoterm(incoterm) is None:
        yield ctx.finding("unknown-incoterm", field="incoterm", **where, value=incoterm, choices=" ".join(INCOTERMS))
    if country and normalize_country(country) is None:
        yield ctx.finding("unknown-country", field="destination_country", **where, value=country)
