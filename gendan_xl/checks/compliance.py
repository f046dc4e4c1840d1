"""Commodity inspection (商检) vouchers and certificates of origin (产地证).

Inspection: a voucher / electronic record (换证凭条 / 电子底账) is valid for three months
(setting), may be used for one shipment only, and the amount shipped may not exceed its amount.
Certificates: which certificate a destination takes comes from a data table shipped with the
package (``data/certificates.csv``: country → recommended certificate, agreement, source and
as-of date), overridable per country in the settings (``产地证 DE = C/O``). Since 2021-12-01 China
Customs no longer issues GSP Form A for the EU, the UK, Canada, Turkey, Ukraine and
Liechtenstein (GACC announcement 2021 No. 84).
"""

from __future__ import annotations

import calendar as month_calendar
import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.vocab import country_name_zh, normalize_country, squash

__all__ = ["CertificateRule", "certificate_for", "certificate_table", "needs_preferential_certificate"]

E, INFO = Severity.ERROR, Severity.INFO
NON_PREFERENTIAL = "C/O"
_DEFAULT_AS_OF = date(2026, 1, 1)  # the as-of date of the shipped table

COMPLIANCE = define_family("compliance", "商检与产地证", "Inspection and certificates", stage=60, status_column="delivery_status")

define_rule(
    "form-a-not-accepted", E, "compliance",
    title=("目的国不再接受 Form A", "Form A no longer issued"),
    message=("{address}：{country_zh} 自 {since} 起不再签发 Form A，请改办一般原产地证（C/O）",
             "{address}: Form A is no longer issued for {country} since {since}; apply for a non-preferential C/O"),
    rule="GSP Form A for the EU, UK, Canada, Turkey, Ukraine and Liechtenstein is no longer issued "
         "(GACC 2021 No. 84, from 2021-12-01).",
    example="出运!U4: Form A is no longer issued for DE since 2021-12-01",
    action=("改办一般原产地证", "apply for a non-preferential C/O"),
)
define_rule(
    "fta-certificate-suggested", INFO, "compliance",
    title=("可用优惠原产地证", "Preferential certificate available"),
    message=("{address}：{country_zh} 可用 {certificate}（{agreement}），客户可享关税优惠",
             "{address}: {country} takes {certificate} ({agreement}); the customer saves duty"),
    rule="The destination has a trade agreement with China (certificate table); a plain C/O or none was "
         "planned.",
    example="出运!U7: VN takes Form E (China-ASEAN FTA)",
)
define_rule(
    "inspection-voucher-expired", E, "compliance",
    title=("商检凭条已过期", "Inspection record expired"),
    message=("{address}：商检凭条/底账 {inspection_no} 于 {inspection_date} 出具，{expires} 到期，开船日 {etd} 已过期",
             "{address}: inspection record {inspection_no} of {inspection_date} expires {expires}, before ETD {etd}"),
    rule="An inspection voucher / electronic record is valid for `商检有效期(月)` months (3) and must be valid "
         "at ETD.",
    example="出运!S5: inspection record 31021234567 of 2026-06-01 expires 2026-09-01, before ETD 2026-09-15",
    action=("重新报检", "apply for inspection again"),
)
define_rule(
    "inspection-voucher-reused", E, "compliance",
    title=("商检凭条重复使用", "Inspection record used twice"),
    message=("{address}：商检凭条/底账 {inspection_no} 已用于出运 {other_shipment}，只能使用一次",
             "{address}: inspection record {inspection_no} is already used for shipment {other_shipment}; "
             "it may be used once"),
    rule="One voucher / electronic record serves one shipment only.",
    example="出运!S9: inspection record 31021234567 is already used for shipment HY-INV-004",
)
define_rule(
    "inspection-amount-exceeded", E, "compliance",
    title=("出运金额超过凭条金额", "Shipped amount above the record"),
    message=("{address}：出运金额 {shipped} 超过商检凭条金额 {voucher}",
             "{address}: shipped amount {shipped} exceeds the inspection record's {voucher}"),
    rule="The amount shipped may be less than, never more than, the voucher / record amount.",
    example="出运!P6: shipped amount 25,000.00 exceeds the inspection record's 20,000.00",
)


@dataclass(frozen=True, slots=True)
class CertificateRule:
    """One row of the certificate table."""

    country: str
    certificate: str
    agreement: str
    form_a_refused_since: date | None
    source: str
    as_of: date


@cache
def certificate_table() -> dict[str, CertificateRule]:
    """The shipped country → certificate table (gendan_xl/data/certificates.csv)."""
    text = resources.files("gendan_xl").joinpath("data/certificates.csv").read_text(encoding="utf-8")
    table: dict[str, CertificateRule] = {}
    for row in csv.DictReader(text.splitlines()):
        refused = row["form_a_refused_since"]
        table[row["country"]] = CertificateRule(
            row["country"], row["certificate"], row["agreement"], date.fromisoformat(refused) if refused else None,
            row["source"], date.fromisoformat(row["as_of"]))
    return table


def certificate_for(country: str | None, overrides: dict[str, str]) -> CertificateRule | None:
    """The rule for a destination (settings override first); None for an unknown country."""
    code = normalize_country(country) if country else None
    if code is None:
        return None
    base = certificate_table().get(code)
    if code in overrides:
        return CertificateRule(code, overrides[code], "设置 settings", base.form_a_refused_since if base else None,
                               "workbook settings", base.as_of if base else _DEFAULT_AS_OF)
    return base or CertificateRule(code, NON_PREFERENTIAL, "", None, "default", _DEFAULT_AS_OF)


def needs_preferential_certificate(country: str | None, overrides: dict[str, str]) -> bool:
    """True when the destination takes a preferential certificate (an FTA form, RCEP …)."""
    rule = certificate_for(country, overrides)
    return rule is not None and squash(rule.certificate) != squash(NON_PREFERENTIAL)


def _is_form_a(co_type: str | None) -> bool:
    return co_type is not None and squash(co_type) in ("forma", "gspforma", "gsp")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month when it does not exist)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


@check("compliance")
def check_compliance(ctx: CheckContext) -> Iterator[Finding]:
    """Inspection vouchers (validity, single use, amount) and certificates of origin."""
    orders = ctx.workbook.orders_by_no
    overrides = ctx.settings.certificates
    used: dict[str, list[str]] = defaultdict(list)
    for shipment in ctx.workbook.shipments:
        order = orders.get(shipment.order_no)
        if order is not None and order.is_cancelled:
            continue
        where: dict[str, Any] = {"sheet": "shipments", "row": shipment.row, "order_no": shipment.order_no}
        if shipment.inspection_no:
            earlier = [s for s in used[shipment.inspection_no] if s != shipment.shipment_no]
            if earlier:
                yield ctx.finding("inspection-voucher-reused", field="inspection_no", **where,
                                  inspection_no=shipment.inspection_no, other_shipment=earlier[0])
            used[shipment.inspection_no].append(shipment.shipment_no)
            etd = shipment.etd or (order.etd if order else None)
            if shipment.inspection_date and etd:
                expires = add_months(shipment.inspection_date, ctx.settings.inspection_validity_months)
                if etd > expires:
                    yield ctx.finding("inspection-voucher-expired", field="inspection_date", **where,
                                      inspection_no=shipment.inspection_no, inspection_date=shipment.inspection_date,
                                      expires=expires, etd=etd)
        if shipment.inspection_amount is not None and shipment.invoice_amount is not None \
                and shipment.invoice_amount > shipment.inspection_amount:
            yield ctx.finding("inspection-amount-exceeded", field="invoice_amount", **where,
                              shipped=shipment.invoice_amount, voucher=shipment.inspection_amount)
        country = order.destination_country if order else None
        rule = certificate_for(country, overrides)
        if rule is None:
            continue
        shown: dict[str, Any] = {"country": rule.country, "country_zh": country_name_zh(rule.country)}
        when = shipment.co_applied or shipment.etd or ctx.today
        if _is_form_a(shipment.co_type) and rule.form_a_refused_since and when >= rule.form_a_refused_since:
            yield ctx.finding("form-a-not-accepted", field="co_type", **where, **shown,
                              since=rule.form_a_refused_since)
        elif needs_preferential_certificate(country, overrides) and (
                not shipment.co_type or squash(shipment.co_type) == squash(NON_PREFERENTIAL)):
            yield ctx.finding("fta-certificate-suggested", field="co_type", **where, **shown,
                              certificate=rule.certificate, agreement=rule.agreement or rule.certificate)
