"""Inspection records (电子底账) and certificates of origin (产地证).

Inspection: since 2018-06-01 the export declaration carries the number of the electronic
inspection record instead of a paper clearance form (GACC Announcement 2018 No. 50). A record is
valid until the date printed on it (column 底账有效期), else `商检有效期(天)` (60) days from its
date, and it may serve several partial shipments as long as together they stay within its amount
and quantity.

Certificates: which certificates a destination takes is data shipped with the package
(``data/certificates.csv``: country, certificate, accepted / preferred / ended, since when, the
agreement, the source and the day it was checked), overridable per country in the settings
(``产地证 DE = C/O``). GSP Form A is accepted only where the destination still grants GSP to China
(Norway, New Zealand, Australia); a certificate of an agreement the destination is not party to
(Form E to Korea) is an error. A plain C/O is always possible.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.checks.common import customer_of, order_shipments
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.models import Order, Shipment
from gendan_xl.vocab import (
    NON_PREFERENTIAL_CERTIFICATE,
    country_name_en,
    country_name_zh,
    normalize_certificate,
    normalize_country,
)

__all__ = ["CertificateRow", "Destination", "certificate_table", "destination"]

E, INFO = Severity.ERROR, Severity.INFO
CENT = Decimal("0.01")
AS_OF = date(2026, 12, 2)  # the day the sources below were checked
FORM_A = "Form A"

COMPLIANCE = define_family("compliance", "商检与产地证", "Inspection and certificates", stage=60,
                           status_column="delivery_status")

define_rule(
    "form-a-not-accepted", E, "compliance",
    title=("目的国不接受 Form A", "Form A not accepted"),
    message=("{address}：{country_zh}{since_zh}不给予中国普惠制待遇，不能用 Form A，请改办 {alternative}",
             "{address}: {country} does not grant GSP to China{since_en}; Form A is refused — apply for "
             "{alternative}"),
    rule="GSP Form A is valid only where the destination still grants GSP to China: Norway, New Zealand and "
         "Australia (certificate table). Everywhere else it is an error: the EU, UK, Canada, Turkey, Ukraine and "
         "Liechtenstein since 2021-12-01, Japan since 2019-04-01, the Eurasian Economic Union (RU, BY, KZ, AM, "
         "KG) since 2021-10-12, Switzerland since its FTA (2014-07-01), and countries that never granted it.",
    example="出运!AA4: Japan does not grant GSP to China since 2019-04-01; Form A is refused — apply for RCEP / C/O",
    action=("改办其他原产地证", "apply for another certificate of origin"),
    source="GACC Announcement 2021 No. 84 (2021-10-25, from 2021-12-01); Japan Ministry of Finance, China out of "
           "Japan's GSP from 2019-04-01; Eurasian Economic Commission Council decision of 2021-03-05 (from "
           "2021-10-12); China FTA Network (fta.mofcom.gov.cn), China-Switzerland FTA in force 2014-07-01",
    as_of=AS_OF,
)
define_rule(
    "certificate-not-for-destination", E, "compliance",
    title=("产地证与目的国不符", "Certificate does not fit the destination"),
    message=("{address}：{country_zh}不接受 {certificate}；可用：{accepted}",
             "{address}: {country} does not take {certificate}; it takes: {accepted}"),
    rule="A preferential certificate belongs to one agreement and serves only its parties, from the day it is in "
         "force there (certificate table): Form E only for ASEAN members, the China-Korea FTA certificate only "
         "for Korea, Form B (APTA) for Bangladesh, India, Korea, Laos, Sri Lanka and Mongolia … A non-preferential "
         "C/O always fits.",
    example="出运!AA9: South Korea does not take Form E; it takes: China-Korea FTA, RCEP, Form B, C/O",
    action=("改办目的国适用的原产地证", "apply for a certificate the destination takes"),
    source="China FTA Network (fta.mofcom.gov.cn), agreements in force; China-Maldives FTA in force 2025-01-01 "
           "(MOFCOM statement of 2024-12-30)",
    as_of=AS_OF,
)
define_rule(
    "fta-certificate-suggested", INFO, "compliance",
    title=("可用优惠原产地证", "Preferential certificate available"),
    message=("{address}：{country_zh} 可用 {certificate}（{agreement}），客户可享关税优惠",
             "{address}: {country} takes {certificate} ({agreement}); the customer saves duty"),
    rule="The destination has a trade agreement with China (certificate table) and a plain C/O or none is "
         "planned for the shipment.",
    example="出运!AA7: Vietnam takes Form E (China-ASEAN FTA)",
    source="China FTA Network (fta.mofcom.gov.cn), agreements in force",
    as_of=AS_OF,
)
define_rule(
    "inspection-record-expired", E, "compliance",
    title=("电子底账已过期", "Inspection record expired"),
    message=("{address}：电子底账 {inspection_no} 有效期至 {expires}，出运日 {ship_date} 已过期",
             "{address}: inspection record {inspection_no} is valid until {expires}, before shipment on {ship_date}"),
    rule="An inspection record (电子底账) must be valid on the day the goods ship (B/L date, else ETD): until the "
         "validity date on the record (column 底账有效期), else its date plus `商检有效期(天)` (60 days for "
         "general goods; plants and fresh goods have shorter periods).",
    example="出运!W5: inspection record 31021234567 is valid until 2026-09-01, before shipment on 2026-09-15",
    action=("重新报检", "apply for inspection again"),
    source="GACC Announcement 2018 No. 50 (paper clearance form abolished from 2018-06-01, the declaration carries "
           "the electronic record number); the validity printed on the record, about 60 days for general goods "
           "by practice",
    as_of=AS_OF,
)
define_rule(
    "inspection-amount-exceeded", E, "compliance",
    title=("出运金额超过底账金额", "Shipped amount above the record"),
    message=("{address}：电子底账 {inspection_no} 共出运 {shipped}（{shipments}），超过底账金额 {limit}",
             "{address}: shipped in total {shipped} ({shipments}) against inspection record {inspection_no}, more "
             "than its amount {limit}"),
    rule="One inspection record may serve several partial shipments; together they may not ship more than the "
         "record's amount (the shipped amounts of every shipment row with the record's number).",
    example="出运!S6: shipped in total 25,000.00 (HY-INV-004, HY-INV-005) against inspection record 31021234567, "
            "more than its amount 20,000.00",
    source="GACC Announcement 2018 No. 50 (electronic record on the declaration); partial shipments against one "
           "record within its quantity and amount, by practice",
    as_of=AS_OF,
)
define_rule(
    "inspection-qty-exceeded", E, "compliance",
    title=("出运数量超过底账数量", "Shipped quantity above the record"),
    message=("{address}：电子底账 {inspection_no} 共出运数量 {shipped_qty}（{shipments}），超过底账数量 {limit_qty}",
             "{address}: shipped in total {shipped_qty} ({shipments}) against inspection record {inspection_no}, "
             "more than its quantity {limit_qty}"),
    rule="Together the shipments on one inspection record may not ship more than its quantity (column 出运数量, "
         "else the order's line quantities when the order ships in one row).",
    example="出运!T6: shipped in total 12,000 (HY-INV-004, HY-INV-005) against inspection record 31021234567, "
            "more than its quantity 10,000",
    source="GACC Announcement 2018 No. 50 (electronic record on the declaration); partial shipments against one "
           "record within its quantity and amount, by practice",
    as_of=AS_OF,
)


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """One row of the certificate table: a destination, a certificate and its standing there."""

    country: str
    certificate: str
    status: str  # "preferred" (suggested), "accepted", or "ended" (Form A no longer granted)
    since: date | None
    agreement: str
    source: str
    as_of: date


@dataclass(frozen=True, slots=True)
class Destination:
    """What one destination takes: its certificate rows and the one to suggest."""

    country: str
    rows: tuple[CertificateRow, ...]
    preferred: CertificateRow | None

    def accepts(self, certificate: str, day: date) -> bool:
        """True when ``certificate`` (canonical name) serves this destination on ``day``."""
        if certificate == NON_PREFERENTIAL_CERTIFICATE:
            return True
        return any(r.certificate == certificate and r.status != "ended" and (r.since is None or r.since <= day)
                   for r in self.rows)

    def ended(self, certificate: str) -> CertificateRow | None:
        """The row saying since when the destination no longer takes ``certificate``, if there is one."""
        return next((r for r in self.rows if r.certificate == certificate and r.status == "ended"), None)

    def taken(self, day: date) -> list[str]:
        """The certificates this destination takes on ``day``, the suggested one first, C/O last."""
        names = [r.certificate for r in sorted(self.rows, key=lambda r: r.status != "preferred")
                 if self.accepts(r.certificate, day)]
        return [*dict.fromkeys(names), NON_PREFERENTIAL_CERTIFICATE]


@cache
def certificate_table() -> dict[str, tuple[CertificateRow, ...]]:
    """The shipped certificate table (gendan_xl/data/certificates.csv), by ISO country code."""
    text = resources.files("gendan_xl").joinpath("data/certificates.csv").read_text(encoding="utf-8")
    table: dict[str, list[CertificateRow]] = defaultdict(list)
    for row in csv.DictReader(text.splitlines()):
        since = date.fromisoformat(row["since"]) if row["since"] else None
        table[row["country"]].append(CertificateRow(row["country"], row["certificate"], row["status"], since,
                                                    row["agreement"], row["source"], date.fromisoformat(row["as_of"])))
    return {country: tuple(rows) for country, rows in table.items()}


def destination(country: str | None, overrides: dict[str, str]) -> Destination | None:
    """What ``country`` takes (a settings override names the certificate to use there); None if unknown."""
    code = normalize_country(country) if country else None
    if code is None:
        return None
    rows = certificate_table().get(code, ())
    preferred = next((r for r in rows if r.status == "preferred"), None)
    if code in overrides:
        # the user knows better than the shipped table: the certificate named in the settings serves and is suggested
        name = normalize_certificate(overrides[code]) or overrides[code]
        own = CertificateRow(code, name, "preferred", None, "设置 settings", "workbook settings", AS_OF)
        preferred = None if name == NON_PREFERENTIAL_CERTIFICATE else own
        rows = (*rows, own)
    return Destination(code, rows, preferred)


@check("compliance")
def check_compliance(ctx: CheckContext) -> Iterator[Finding]:
    """Inspection records (validity, totals shipped against them) and certificates of origin."""
    yield from _inspection_records(ctx)
    yield from _certificates(ctx)


# --- inspection records ------------------------------------------------------------------------

def _shipped_qty(ctx: CheckContext, shipment: Shipment, order: Order | None) -> Decimal | None:
    """What the row shipped: its Shipped Qty, else the order's line quantities when the order ships in one row."""
    if shipment.shipped_qty is not None:
        return shipment.shipped_qty
    if order is None or len(order_shipments(ctx, order.order_no)) != 1:
        return None
    quantities = [line.qty for line in ctx.workbook.lines_by_order.get(order.order_no, [])]
    if not quantities or None in quantities:
        return None
    return sum((q for q in quantities if q is not None), Decimal(0))


def _inspection_records(ctx: CheckContext) -> Iterator[Finding]:
    orders = ctx.workbook.orders_by_no
    records: dict[str, list[Shipment]] = defaultdict(list)
    for shipment in ctx.workbook.shipments:
        order = orders.get(shipment.order_no)
        if shipment.inspection_no and not (order is not None and order.is_cancelled):
            records[shipment.inspection_no].append(shipment)
    validity = timedelta(days=ctx.settings.inspection_validity_days)
    for number, rows in records.items():
        issued = next((s.inspection_date for s in rows if s.inspection_date), None)
        valid_until = next((s.inspection_valid_until for s in rows if s.inspection_valid_until), None)
        expires = valid_until or (issued + validity if issued else None)
        for shipment in rows:
            order = orders.get(shipment.order_no)
            shipped_on = shipment.bl_date or shipment.etd or (order.etd if order else None)
            if expires is not None and shipped_on is not None and shipped_on > expires:
                yield ctx.finding("inspection-record-expired", sheet="shipments",
                                  field="inspection_valid_until" if valid_until else "inspection_date",
                                  row=shipment.row, order_no=shipment.order_no, inspection_no=number,
                                  expires=expires, ship_date=shipped_on)
        yield from _record_totals(ctx, number, rows)


def _record_totals(ctx: CheckContext, number: str, rows: list[Shipment]) -> Iterator[Finding]:
    """One finding per measure when the shipments on a record together exceed its amount or quantity."""
    orders = ctx.workbook.orders_by_no
    names = ", ".join(dict.fromkeys(s.shipment_no for s in rows))
    limit = next((s.inspection_amount for s in rows if s.inspection_amount is not None), None)
    amounts = [s.invoice_amount for s in rows]
    if limit is not None and any(a is not None for a in amounts):
        running = Decimal(0)
        for shipment, amount in zip(rows, amounts, strict=True):
            running += amount or 0
            if running > limit + CENT:
                total = sum((a for a in amounts if a is not None), Decimal(0))
                yield ctx.finding("inspection-amount-exceeded", sheet="shipments", field="invoice_amount",
                                  row=shipment.row, order_no=shipment.order_no, inspection_no=number,
                                  shipped=total, limit=limit, shipments=names)
                break
    limit_qty = next((s.inspection_qty for s in rows if s.inspection_qty is not None), None)
    quantities = [_shipped_qty(ctx, s, orders.get(s.order_no)) for s in rows]
    if limit_qty is None or None in quantities:
        return
    running = Decimal(0)
    for shipment, qty in zip(rows, quantities, strict=True):
        running += qty or 0
        if running > limit_qty:
            yield ctx.finding("inspection-qty-exceeded", sheet="shipments",
                              field="shipped_qty" if shipment.shipped_qty is not None else "inspection_qty",
                              row=shipment.row, order_no=shipment.order_no, inspection_no=number,
                              shipped_qty=sum((q for q in quantities if q is not None), Decimal(0)),
                              limit_qty=limit_qty, shipments=names)
            return


# --- certificates of origin --------------------------------------------------------------------

def _certificates(ctx: CheckContext) -> Iterator[Finding]:
    overrides = ctx.settings.certificates
    checked_defaults: set[tuple[int, str]] = set()
    places: dict[str | None, Destination | None] = {}
    for order in ctx.workbook.orders:
        if order.is_cancelled:
            continue
        country = order.destination_country
        if country not in places:
            places[country] = destination(country, overrides)
        place = places[country]
        if place is None:
            continue
        shipments = order_shipments(ctx, order.order_no)
        customer = customer_of(ctx, order)
        default = customer.co_type if customer else None
        for shipment in shipments:
            where: dict[str, Any] = {"sheet": "shipments", "field": "co_type", "row": shipment.row,
                                     "order_no": order.order_no}
            day = shipment.co_applied or shipment.bl_date or shipment.etd or ctx.today
            planned = shipment.co_type or default
            if shipment.co_type:
                yield from _certificate_fits(ctx, place, shipment.co_type, day, where)
            if place.preferred is not None and (
                    not planned or normalize_certificate(planned) == NON_PREFERENTIAL_CERTIFICATE):
                yield ctx.finding("fta-certificate-suggested", **where, **_country(place),
                                  certificate=place.preferred.certificate, agreement=place.preferred.agreement)
        if default and customer and not any(s.co_type for s in shipments) \
                and (customer.row, place.country) not in checked_defaults:
            checked_defaults.add((customer.row, place.country))
            where = {"sheet": "customers", "field": "co_type", "row": customer.row, "order_no": order.order_no}
            yield from _certificate_fits(ctx, place, default, order.etd or ctx.today, where)


def _country(place: Destination) -> dict[str, Any]:
    return {"country": country_name_en(place.country), "country_code": place.country,
            "country_zh": country_name_zh(place.country)}


def _certificate_fits(ctx: CheckContext, place: Destination, typed: str, day: date, where: dict[str, Any]
                      ) -> Iterator[Finding]:
    """A finding when the certificate ``typed`` does not serve ``place`` on ``day`` (unknown names are left alone)."""
    name = normalize_certificate(typed)
    if name is None or place.accepts(name, day):
        return
    ended = place.ended(name)
    if ended is not None and ended.since is not None and day < ended.since:
        return  # shipped before the destination withdrew it
    alternatives = [c for c in place.taken(day) if c != name]
    if name == FORM_A:
        since = ended.since if ended else None
        yield ctx.finding("form-a-not-accepted", **where, **_country(place), since=since,
                          since_zh=f"自 {since} 起" if since else "", since_en=f" since {since}" if since else "",
                          alternative=" / ".join(alternatives[:2]))
        return
    yield ctx.finding("certificate-not-for-destination", **where, **_country(place), certificate=name,
                      accepted=", ".join(alternatives))
