"""What a column's cells look like: the content evidence of the column mapping.

A :class:`Profile` is made from a sample of a column's non-blank cells (the first couple of
hundred data rows, never the whole sheet) and says which share of them are dates, numbers,
money with two decimals, ISO currencies, incoterms, payment terms, 6–10 digit HS codes,
countries, ports, units, order statuses, yes/no, carton sizes, percentages or identifiers, and
how many distinct values there are. :func:`content_fit` says how well a profile fits a schema
column; the mapping adds that to the header's evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from gendan_xl.values import ValueProblem, parse_date, parse_decimal, parse_dimensions, parse_percent
from gendan_xl.vocab import (
    normalize_country,
    normalize_currency,
    normalize_incoterm,
    normalize_status,
    normalize_unit,
    parse_payment_terms,
    squash,
)
from gendan_xl.workbook.schema import Column, ColumnType

__all__ = ["CN_PORTS", "FOREIGN_PORTS", "SAMPLE_SIZE", "Profile", "content_fit", "is_distinctive", "profile"]

SAMPLE_SIZE = 80  # non-blank cells per column; enough to tell dates from money, small enough for a huge sheet

# Ports seen on Chinese export orders: loading ports in China, discharge ports abroad (English and Chinese).
CN_PORTS = frozenset(squash(p) for p in (
    "Ningbo", "Shanghai", "Shenzhen", "Yantian", "Shekou", "Qingdao", "Xiamen", "Tianjin", "Xingang", "Guangzhou",
    "Nansha", "Huangpu", "Dalian", "Lianyungang", "Fuzhou", "Zhuhai", "Zhongshan", "Jiangmen", "Shantou", "Taicang",
    "Zhangjiagang", "Nantong", "Wuhan", "Chongqing", "Yiwu", "Hong Kong", "宁波", "上海", "深圳", "盐田", "蛇口", "青岛",
    "厦门", "天津", "新港", "广州", "南沙", "黄埔", "大连", "连云港", "福州", "珠海", "中山", "江门", "汕头", "太仓",
    "张家港", "南通", "武汉", "重庆", "义乌", "香港", "Ningbo-Zhoushan", "Shanghai Port",
))
FOREIGN_PORTS = frozenset(squash(p) for p in (
    "Hamburg", "Bremerhaven", "Rotterdam", "Antwerp", "Felixstowe", "Southampton", "London Gateway", "Le Havre",
    "Marseille", "Fos", "Genoa", "La Spezia", "Valencia", "Barcelona", "Algeciras", "Piraeus", "Gdansk", "Gothenburg",
    "Los Angeles", "Long Beach", "Oakland", "Seattle", "Tacoma", "New York", "Savannah", "Charleston", "Houston",
    "Miami", "Norfolk", "Vancouver", "Montreal", "Toronto", "Prince Rupert", "Sydney", "Melbourne", "Brisbane",
    "Fremantle", "Adelaide", "Auckland", "Tokyo", "Yokohama", "Osaka", "Kobe", "Nagoya", "Busan", "Incheon",
    "Singapore", "Port Klang", "Laem Chabang", "Bangkok", "Ho Chi Minh", "Haiphong", "Jakarta", "Manila",
    "Dubai", "Jebel Ali", "Jeddah", "Mumbai", "Nhava Sheva", "Chennai", "Karachi", "Colombo", "Durban",
    "Lagos", "Mombasa", "Santos", "Buenos Aires", "Valparaiso", "San Antonio", "Callao", "Manzanillo",
    "Cartagena", "Veracruz", "Istanbul", "Mersin", "Novorossiysk", "St. Petersburg", "汉堡", "鹿特丹", "安特卫普",
    "费利克斯托", "洛杉矶", "长滩", "纽约", "温哥华", "悉尼", "墨尔本", "布里斯班", "东京", "横滨", "大阪", "釜山",
    "新加坡", "迪拜", "杰贝阿里", "胡志明", "海防", "曼谷", "雅加达", "马赛", "瓦伦西亚", "热那亚",
))
_HS = re.compile(r"^\d{6,10}$")
_HS_DOTTED = re.compile(r"^\d{4}\.\d{2}(\.\d{2,4})?$")
_CODE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-_/.#]{2,30}$")
_TWO_DECIMALS = re.compile(r"^-?\d+(\.\d{1,2})?$")


@dataclass(frozen=True, slots=True)
class Profile:
    """Shares (0–1) of a column's sampled non-blank cells that look like each kind of value."""

    count: int
    dates: float = 0
    numbers: float = 0
    integers: float = 0
    money: float = 0  # numbers with at most two decimals
    fractions: float = 0  # numbers with decimals
    shares: float = 0  # numbers between 0 and 1, or percentages
    currencies: float = 0
    incoterms: float = 0
    terms: float = 0
    hs_codes: float = 0
    countries: float = 0
    cn_ports: float = 0
    foreign_ports: float = 0
    units: float = 0
    statuses: float = 0
    yes_no: float = 0
    dimensions: float = 0
    codes: float = 0  # identifiers: letters/digits with at least one digit, no spaces
    texts: float = 0  # text that is not a number or a date
    distinct: float = 0  # distinct values ÷ count


_YES_NO = frozenset(squash(w) for w in ("是", "否", "y", "n", "yes", "no", "true", "false", "需要", "不需要", "有", "无",
                                       "√", "×"))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(parse_decimal(value))
        except (ValueProblem, ValueError):
            return None
    return None


def _is_date(value: Any) -> bool:
    if isinstance(value, date):
        return True
    if isinstance(value, str) and any(ch.isdigit() for ch in value):
        try:
            parse_date(value)
        except (ValueProblem, ValueError):
            return False
        return True
    return False


def profile(values: Sequence[Any]) -> Profile | None:
    """The profile of a column's sample (blank cells are skipped); None when nothing is filled."""
    cells = [v for v in values if v not in ("", None)][:SAMPLE_SIZE]
    if not cells:
        return None
    n = len(cells)
    counts = dict.fromkeys(Profile.__slots__, 0)
    for value in cells:
        text = value.strip() if isinstance(value, str) else ""
        folded = squash(text) if text else ""
        number = _number(value)
        if _is_date(value):
            counts["dates"] += 1
        elif number is not None:
            counts["numbers"] += 1
            plain = text if text else repr(float(number))
            if float(number).is_integer():
                counts["integers"] += 1
            else:
                counts["fractions"] += 1
            if _TWO_DECIMALS.match(plain.replace(",", "")) or float(number).is_integer() or round(number, 2) == number:
                counts["money"] += 1
            if 0 < number <= 1:
                counts["shares"] += 1
        if text:
            if number is None and not isinstance(value, date):
                counts["texts"] += 1
            if text.endswith("%"):
                try:
                    parse_percent(text)
                    counts["shares"] += 1
                except ValueProblem:
                    pass
            if len(folded) <= 4 and normalize_currency(text):
                counts["currencies"] += 1
            if normalize_incoterm(text):
                counts["incoterms"] += 1
            if len(text) > 3 and parse_payment_terms(text) is not None:
                counts["terms"] += 1
            if normalize_country(text):
                counts["countries"] += 1
            if folded in CN_PORTS:
                counts["cn_ports"] += 1
            if folded in FOREIGN_PORTS:
                counts["foreign_ports"] += 1
            if normalize_unit(text):
                counts["units"] += 1
            if normalize_status(text) is not None:
                counts["statuses"] += 1
            if folded in _YES_NO or text in ("√", "×"):
                counts["yes_no"] += 1
            if any(ch in text for ch in "*xX×"):
                try:
                    parse_dimensions(text)
                    counts["dimensions"] += 1
                except ValueProblem:
                    pass
        code_text = text or (str(int(number)) if number is not None and float(number).is_integer() else "")
        if code_text and (_HS.match(code_text) or _HS_DOTTED.match(code_text)):
            counts["hs_codes"] += 1
        if code_text and _CODE.match(code_text) and " " not in code_text:
            counts["codes"] += 1
        if isinstance(value, bool):
            counts["yes_no"] += 1
    distinct = len({repr(v) for v in cells})
    return Profile(count=n, distinct=distinct / n, **{k: v / n for k, v in counts.items() if k not in ("count",
                                                                                                        "distinct")})


_MONEY_FIELDS = frozenset({"unit_price", "amount", "purchase_price", "order_total", "deposit_amount",
                           "invoice_amount", "inspection_amount"})
_CODE_FIELDS = frozenset({"order_no", "contract_no", "customer_po", "item_no", "po_no", "shipment_no", "booking_no",
                          "container_no", "bl_no", "inspection_no", "co_no", "declaration_no", "doc_no", "seal_no"})


def content_fit(column: Column, found: Profile) -> float | None:
    """How well a column's content fits a schema column (0–1), or None when content says nothing about it."""
    kind = column.type
    name = column.field
    if kind is ColumnType.DATE:
        return found.dates
    if kind is ColumnType.CURRENCY:
        return found.currencies
    if kind is ColumnType.INCOTERM:
        return found.incoterms
    if kind is ColumnType.PAYMENT_TERMS:
        return found.terms
    if kind is ColumnType.COUNTRY:
        return max(found.countries, 0.0)
    if kind is ColumnType.UNIT:
        return found.units
    if kind is ColumnType.STATUS:
        return found.statuses
    if kind is ColumnType.BOOL:
        return found.yes_no
    if kind is ColumnType.DIMENSIONS:
        return found.dimensions
    if kind is ColumnType.PERCENT:
        return found.shares
    if kind is ColumnType.INTEGER:
        return found.integers
    if kind is ColumnType.DECIMAL:
        if name in _MONEY_FIELDS:
            return found.numbers * (0.7 + 0.3 * found.money)
        if name == "qty":
            return found.numbers * (0.8 + 0.2 * found.integers)
        return found.numbers
    if kind is ColumnType.CODE:
        if name == "hs_code":
            return found.hs_codes
        if name in _CODE_FIELDS:
            return max(found.codes, found.texts * 0.6) * (1 - found.dates)
        return None
    if name == "pol":
        return found.cn_ports
    if name == "pod":
        return found.foreign_ports
    if name in ("customer", "factory", "description", "merchandiser", "code"):
        return None  # any text fits; only a date or number column says it is not one
    return None


def contradicts(column: Column, found: Profile) -> bool:
    """True when the content rules the column out: dates or numbers where text is expected, and back."""
    kind = column.type
    if kind in (ColumnType.TEXT, ColumnType.PAYMENT_TERMS) and column.field not in ("pol", "pod"):
        return found.numbers + found.dates > 0.7 and found.count >= 3
    fit = content_fit(column, found)
    return fit is not None and fit < 0.3 and found.count >= 3


def is_distinctive(column: Column) -> bool:
    """True for columns whose content alone can name them (currencies, incoterms, HS codes …)."""
    return column.type in (ColumnType.CURRENCY, ColumnType.INCOTERM, ColumnType.PAYMENT_TERMS, ColumnType.DIMENSIONS,
                           ColumnType.STATUS) or column.field in ("hs_code", "destination_country", "pol", "pod")
