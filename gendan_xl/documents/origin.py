"""Certificate of origin application data (产地证申请资料): the certificate to apply for, the route, the packages.

Which certificate a destination takes is the checks' rule, not a second copy of it:
:func:`gendan_xl.checks.compliance.destination` over the shipped table
(``data/certificates.csv``) and the workbook's overrides (设置 ``产地证 XX``). The application is
made for the certificate planned on the 出运 sheet (产地证类型) or, when none is planned yet, for
the recommended one; where they differ the data sheet says so (the checks report the error cases,
such as Form A for the EU).

The origin criterion (原产地标准) comes from the lines (订单明细 原产地标准): it depends on the goods
and the agreement and cannot be derived from the workbook, so an empty one prints as 待确认 (to be
confirmed) for the merchandiser to fill in on the application, as the customs data does with brand types.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pycountry

from gendan_xl.checks.compliance import destination
from gendan_xl.models import OrderLine
from gendan_xl.vocab import NON_PREFERENTIAL_CERTIFICATE, normalize_certificate

from .formats import clean_text, day, joined, money, number, qty_text
from .packing import LinePacking, sum_known
from .words import number_in_words_en

__all__ = ["CRITERION_HINT", "TO_CONFIRM", "certificate_advice", "country_name_en", "criterion_text", "origin_item",
           "packages_text", "route_text"]

TO_CONFIRM = "待确认 to confirm"
CRITERION_HINT = (
    "原产地标准按证书类型填写：一般原产地证（C/O）申报完全原产或含进口成分；优惠原产地证按协定规则填写，如 WO 完全获得、"
    "PE 完全由原产材料生产、RVC 区域价值成分、CTH 税目改变、PSR 产品特定规则。",
    "Origin criterion as the certificate requires: for a non-preferential C/O wholly obtained or with imported "
    "content; for FTA certificates the agreement's code, e.g. WO wholly obtained, PE produced from originating "
    "materials, RVC regional value content, CTH change of tariff heading, PSR product-specific rule.",
)


def country_name_en(code: str) -> str:
    """``AU`` → ``AUSTRALIA`` (the code itself when unknown)."""
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return code.upper()
    return str(getattr(country, "common_name", None) or country.name).upper()


def route_text(pol: str, pod: str, country: str) -> str:
    """Box 3 of a certificate: ``FROM NINGBO, CHINA TO BRISBANE, AUSTRALIA BY SEA``."""
    origin = f"FROM {clean_text(pol).upper()}, CHINA" if pol else "FROM CHINA"
    place = ", ".join(t for t in (clean_text(pod).upper(), country_name_en(country) if country else "") if t)
    return f"{origin} TO {place} BY SEA" if place else f"{origin} BY SEA"


def packages_text(cartons: int | None) -> str:
    """``ONE HUNDRED FORTY (140) CARTONS`` (empty without carton data)."""
    if not cartons:
        return ""
    return f"{number_in_words_en(cartons)} ({cartons}) CARTON{'S' if cartons != 1 else ''}"


def criterion_text(criteria: Iterable[str | None]) -> str:
    """The origin criteria of an item's lines (``WO``; ``PE; RVC 40%``), or 待确认 when a line has none."""
    values = [clean_text(c).upper() for c in criteria]
    if not values or any(not v for v in values):
        return TO_CONFIRM
    return joined(values, "; ")


def certificate_advice(country: str | None, planned: str | None, overrides: dict[str, str]) -> dict[str, str]:
    """The certificate to apply for and why: planned (出运 产地证类型) or recommended for the destination."""
    place = destination(country, overrides)
    planned_text = clean_text(planned)
    planned_name = normalize_certificate(planned_text) or planned_text
    suggested = place.preferred if place else None
    recommended = suggested.certificate if suggested else NON_PREFERENTIAL_CERTIFICATE if place else ""
    chosen = planned_text or recommended
    preferential = bool(chosen) and (normalize_certificate(chosen) or chosen) != NON_PREFERENTIAL_CERTIFICATE
    ended = place.ended(planned_name) if place and planned_text else None
    agreement = suggested.agreement if suggested else ""
    if place is None:
        note = ("订单没有可识别的目的国，无法推荐证书类型", "the order has no known country of destination: no certificate "
                "can be recommended")
    elif not planned_text:
        note = (f"出运表未填产地证类型：按目的国推荐申请 {recommended}", f"no C/O type on the 出运 sheet yet: apply for "
                f"{recommended}, recommended for the destination")
    elif planned_name == recommended:
        note = ("", "")
    elif ended is not None:
        since = day(ended.since)
        note = (f"目的国自 {since} 起不再接受 {planned_name}，应申请 {recommended}", f"{planned_name} is no longer "
                f"issued for the destination since {since}: apply for {recommended}")
    else:
        note = (f"出运表计划申请 {planned_text}；目的国推荐 {recommended}（{agreement or recommended}），客户要求时可改",
                f"the 出运 sheet plans {planned_text}; the destination's recommended certificate is {recommended} "
                f"({agreement or recommended}), if the customer asks for it")
    return {
        "certificate": chosen, "planned": planned_text, "recommended": recommended, "agreement": agreement,
        "rule_source": suggested.source if suggested else "", "rule_as_of": day(suggested.as_of) if suggested else "",
        "preferential": "yes" if preferential else "", "note_zh": note[0], "note_en": note[1],
    }


def origin_item(count: int, key: tuple[str, str, str, str], lines: list[OrderLine],
                packed: list[LinePacking]) -> dict[str, Any]:
    """One goods item of the application: the lines of one declaration item (HS code, name, unit, brand)."""
    cartons = sum_known(Decimal(p.cartons) if p.cartons is not None else None for p in packed)
    qty = sum((ln.qty or Decimal(0) for ln in lines), Decimal(0))
    amount = sum((ln.computed_amount or Decimal(0) for ln in lines), Decimal(0))
    return {
        "no": str(count), "hs_code": key[0], "description": key[1].upper(), "unit": key[2],
        "criterion": criterion_text(ln.origin_criterion for ln in lines), "qty": qty_text(qty),
        "gw": number(sum_known(p.total("gw") for p in packed), 2), "nw": number(sum_known(p.total("nw") for p in packed), 2),
        "cartons": str(cartons) if cartons is not None else "",
        "packages": packages_text(int(cartons)) if cartons is not None else "", "amount": money(amount),
    }
