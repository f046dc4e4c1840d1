"""Customs vocabulary for 报关资料 and 报检资料: units, brand type, export preference, 成交方式, legal units.

Facts used here (GACC announcement 2017 No. 69, in force 2018-01-01): 申报要素 start with 品牌类型
(0 无品牌, 1 境内自主品牌, 2 境内收购品牌, 3 境外品牌(贴牌生产), 4 境外品牌(其它)) and, on exports,
出口享惠情况 (0 不享受, 1 享受, 2 不能确定 优惠关税 in the country of destination). The declaration's
成交方式 has its own list (1 CIF, 2 C&F, 3 FOB, 4 C&I, 7 EXW …), so an Incoterm is mapped.

Legal units (法定计量单位) depend on the HS code and change with the tariff each year; gendan_xl
ships no table of them. A user table ``hs_units.csv`` (HS code, first unit, second unit) in the
templates folder supplies them; see :func:`load_hs_units`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from gendan_xl.errors import ConfigError
from gendan_xl.models import OrderLine, round_money
from gendan_xl.vocab import squash

from .formats import clean_text, money, number, price, qty_text
from .packing import LinePacking, sum_known

__all__ = [
    "BRAND_TYPES",
    "CUSTOMS_UNITS",
    "EXPORT_PREFERENCE",
    "HS_UNITS_FILE",
    "PREFERENCE_SHORT",
    "brand_type",
    "customs_item",
    "customs_unit",
    "export_preference",
    "find_legal_units",
    "legal_quantity",
    "load_hs_units",
    "transaction_mode",
    "unit_from_customs",
]

HS_UNITS_FILE = "hs_units.csv"

BRAND_TYPES = {0: "无品牌", 1: "境内自主品牌", 2: "境内收购品牌", 3: "境外品牌(贴牌生产)", 4: "境外品牌(其它)"}
EXPORT_PREFERENCE = {
    0: "出口货物在最终目的国（地区）不享受优惠关税",
    1: "出口货物在最终目的国（地区）享受优惠关税",
    2: "出口货物不能确定在最终目的国（地区）享受优惠关税",
}

PREFERENCE_SHORT = {0: "不享受优惠关税", 1: "享受优惠关税", 2: "不能确定是否享受优惠关税"}

# Unit codes of the workbook (gendan_xl.vocab) → the unit name on a Chinese declaration.
CUSTOMS_UNITS: dict[str, str] = {
    "PCS": "个", "SETS": "套", "PAIRS": "双", "CTNS": "箱", "KGS": "千克", "MTRS": "米", "DOZ": "打",
    "ROLLS": "卷", "BAGS": "袋", "BOXES": "盒", "TONS": "吨", "SQM": "平方米", "YDS": "码",
}
_FROM_CUSTOMS = {name: code for code, name in CUSTOMS_UNITS.items()} | {"件": "PCS", "只": "PCS", "台": "PCS"}

_NO_BRAND = frozenset(squash(w) for w in ("无品牌", "无", "无牌", "没有", "no brand", "none", "n/a", "nil", "-"))
_BRAND_HINTS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (3, ("贴牌", "oem", "境外品牌(贴牌", "customer brand", "客户品牌")),
    (2, ("收购",)),
    (1, ("自主", "own brand", "自有品牌")),
    (4, ("境外品牌", "foreign brand", "licensed", "授权")),
)

# Preferential certificates (FTA / GSP); a plain C/O means no preference is claimed.
_PREFERENTIAL = re.compile(r"form\s*[aefnlp]\b|rcep|fta|自贸|优惠|亚太|ecfa", re.IGNORECASE)

# Incoterms 2020 → 成交方式 on the declaration (name, code).
_MODES: dict[str, tuple[str, int]] = {
    "EXW": ("EXW", 7), "FCA": ("FOB", 3), "FAS": ("FOB", 3), "FOB": ("FOB", 3),
    "CFR": ("C&F", 2), "CPT": ("C&F", 2), "CIF": ("CIF", 1), "CIP": ("CIF", 1),
    "DAP": ("CIF", 1), "DPU": ("CIF", 1), "DDP": ("CIF", 1),
}


def customs_unit(unit: str | None) -> str:
    """The declaration's unit name for a workbook unit code (``PCS`` → ``个``); the code itself if unknown."""
    if not unit:
        return ""
    return CUSTOMS_UNITS.get(unit, unit)


def unit_from_customs(name: str) -> str:
    """The workbook unit code for a declaration unit name (``个`` → ``PCS``), for comparing quantities."""
    return _FROM_CUSTOMS.get(name, name)


def brand_type(brand: str | None) -> tuple[int | None, str]:
    """(code, label) of 品牌类型 from the brand cell; (None, …) when a brand is named but its type is not."""
    if brand is None or squash(brand) in _NO_BRAND or not squash(brand):
        return 0, BRAND_TYPES[0]
    folded = brand.casefold()
    for code, hints in _BRAND_HINTS:
        if any(hint in folded for hint in hints):
            return code, BRAND_TYPES[code]
    return None, "待确认（品牌类型 0–4）"


def export_preference(co_type: str | None) -> tuple[int, str]:
    """(code, label) of 出口享惠情况 from the certificate of origin planned for the shipment."""
    if not co_type:
        return 2, EXPORT_PREFERENCE[2]
    if _PREFERENTIAL.search(co_type):
        return 1, EXPORT_PREFERENCE[1]
    return 0, EXPORT_PREFERENCE[0]


def transaction_mode(incoterm: str | None) -> str:
    """成交方式 for an Incoterm: ``FOB`` for FCA, ``C&F`` for CPT …; empty when unknown."""
    if not incoterm or incoterm not in _MODES:
        return ""
    name, code = _MODES[incoterm]
    return f"{code} {name}"


def legal_quantity(legal_unit: str, unit: str | None, qty: str, net_kg: str) -> str:
    """The quantity in a legal unit when it follows from the data: 千克 → net weight; same unit → qty."""
    if not legal_unit:
        return ""
    if legal_unit in ("千克", "KGS", "kg"):
        return net_kg
    if unit and customs_unit(unit) == legal_unit:
        return qty
    return ""


def load_hs_units(folder: Path | None) -> dict[str, tuple[str, str]]:
    """Read ``hs_units.csv`` (columns: HS code, first legal unit, second legal unit) from ``folder``.

    Returns an empty table when there is no folder or no file. Codes are kept as text; a code
    may be shorter than 10 digits and then applies to every code starting with it.
    """
    if folder is None:
        return {}
    path = folder / HS_UNITS_FILE
    if not path.is_file():
        return {}
    table: dict[str, tuple[str, str]] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            for number, row in enumerate(csv.reader(stream), start=1):
                if not row or not row[0].strip() or not row[0].strip()[0].isdigit():
                    continue  # header or blank row
                code = re.sub(r"\D", "", row[0])
                first = row[1].strip() if len(row) > 1 else ""
                second = row[2].strip() if len(row) > 2 else ""
                if not first:
                    raise ConfigError(f"{path.name} 第 {number} 行缺少第一法定单位", f"{path.name} row {number}: no first legal unit",
                                      path=path)
                table[code] = (first, second)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"无法读取 {path}：{exc}", f"cannot read {path}: {exc}", path=path) from exc
    return table


def find_legal_units(hs_code: str | None, table: Mapping[str, tuple[str, str]]) -> tuple[str, str]:
    """The legal units for an HS code: the longest matching code prefix in ``table``."""
    if not hs_code:
        return "", ""
    digits = re.sub(r"\D", "", hs_code)
    for length in range(len(digits), 3, -1):
        found = table.get(digits[:length])
        if found:
            return found
    return "", ""


def customs_item(count: int, key: tuple[str, str, str, str], lines: list[OrderLine], packed: list[LinePacking],
                  preference: int, hs_units: Mapping[str, tuple[str, str]]) -> tuple[dict[str, Any], Decimal]:
    """One declaration item (lines with the same HS code, name, unit and brand, with its 申报要素) and its quantity."""
    hs, description, unit, brand = key
    qty = sum((ln.qty or Decimal(0) for ln in lines), Decimal(0))
    amount = sum((ln.computed_amount or Decimal(0) for ln in lines), Decimal(0))
    net, gross = sum_known(p.total("nw") for p in packed), sum_known(p.total("gw") for p in packed)
    cartons = [p.cartons for p in packed]
    code, label = brand_type(brand or None)
    first, second = find_legal_units(hs, hs_units)
    models = "/".join(dict.fromkeys(clean_text(ln.item_no) for ln in lines))
    specs = "; ".join(dict.fromkeys(clean_text(ln.spec) for ln in lines if ln.spec))
    elements = [f"品牌类型：{'' if code is None else code} {label}".replace("：  ", "："),
                f"出口享惠情况：{preference} {PREFERENCE_SHORT[preference]}", f"品名：{description}",
                f"规格：{specs}" if specs else "", f"品牌：{brand or '无'}", f"型号：{models}"]
    unit_price = price(lines[0].unit_price) if len(lines) == 1 else price(round_money(amount / qty) if qty else None)
    return {
        "no": str(count), "hs_code": hs, "name": description, "spec": specs, "models": models,
        "brand": brand or "无", "brand_type": label if code is None else f"{code} {label}",
        "elements": "；".join(e for e in elements if e), "qty": qty_text(qty), "unit": customs_unit(unit),
        "legal_unit_1": first, "legal_qty_1": legal_quantity(first, unit, qty_text(qty), number(net, 2)),
        "legal_unit_2": second, "legal_qty_2": legal_quantity(second, unit, qty_text(qty), number(net, 2)),
        "unit_price": unit_price, "amount": money(amount), "nw": number(net, 2), "gw": number(gross, 2),
        "cartons": str(sum(n for n in cartons if n is not None)) if None not in cartons else "",
    }, qty
