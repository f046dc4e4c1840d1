"""Controlled vocabularies: currencies, incoterms, units, order statuses, payment terms, countries.

Each ``normalize_*`` function takes what a merchandiser typed (Chinese, English, codes, odd
spacing, full-width characters) and returns the canonical value, or ``None`` when it does not
know the word. The canonical lists also feed the template's drop-downs.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache, lru_cache

import pycountry

__all__ = [
    "COMMON_CURRENCIES",
    "INCOTERMS",
    "PAYMENT_TERM_CHOICES",
    "STATUS_CHOICES",
    "UNIT_CHOICES",
    "BalanceTrigger",
    "OrderStatus",
    "PaymentKind",
    "PaymentTerms",
    "country_name_zh",
    "normalize_country",
    "normalize_currency",
    "normalize_incoterm",
    "normalize_status",
    "normalize_unit",
    "parse_payment_terms",
    "squash",
]


def squash(text: str) -> str:
    """Fold a word for lookups: NFKC (full-width → half-width), casefold, letters and digits only."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


# --- currencies (ISO 4217) -------------------------------------------------------------------

COMMON_CURRENCIES: tuple[str, ...] = ("USD", "EUR", "CNY", "GBP", "JPY", "AUD", "CAD", "HKD", "CHF", "AED")

_CURRENCY_ALIASES = {
    "rmb": "CNY", "人民币": "CNY", "元": "CNY", "美元": "USD", "美金": "USD", "usdollar": "USD",
    "us": "USD", "欧元": "EUR", "英镑": "GBP", "日元": "JPY", "港币": "HKD", "港元": "HKD",
    "澳元": "AUD", "加元": "CAD", "瑞郎": "CHF",
}


@cache
def _iso_currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


@lru_cache(maxsize=4096)
def normalize_currency(value: str) -> str | None:
    """ISO 4217 code for ``value`` (``usd``, ``RMB``, ``美元`` …), or None if unknown."""
    key = squash(value)
    if key in _CURRENCY_ALIASES:
        return _CURRENCY_ALIASES[key]
    code = key.upper()
    return code if code in _iso_currencies() else None


# --- incoterms (Incoterms 2020) --------------------------------------------------------------

INCOTERMS: tuple[str, ...] = ("EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF")
_INCOTERM_ALIASES = {"cnf": "CFR", "c&f": "CFR", "candf": "CFR", "cf": "CFR"}


@lru_cache(maxsize=4096)
def normalize_incoterm(value: str) -> str | None:
    """Incoterm code from ``value``; a trailing named place (``FOB Ningbo``) is ignored here."""
    text = unicodedata.normalize("NFKC", value).strip()
    head = re.split(r"[\s,/]+", text, maxsplit=1)[0] if text else ""
    for candidate in (head, text):
        key = candidate.casefold().replace(" ", "")
        if key in _INCOTERM_ALIASES:
            return _INCOTERM_ALIASES[key]
        if key.upper() in INCOTERMS:
            return key.upper()
    return None


# --- units -------------------------------------------------------------------------------------

_UNITS: dict[str, tuple[str, ...]] = {
    "PCS": ("pcs", "pc", "piece", "pieces", "ea", "each", "个", "只", "件", "支", "把", "台", "张", "块"),
    "SETS": ("sets", "set", "套"),
    "PAIRS": ("pairs", "pair", "prs", "双", "对", "副"),
    "CTNS": ("ctns", "ctn", "carton", "cartons", "箱"),
    "KGS": ("kgs", "kg", "kilogram", "kilograms", "千克", "公斤"),
    "MTRS": ("mtrs", "mtr", "m", "meter", "meters", "metre", "米"),
    "DOZ": ("doz", "dozen", "dozens", "dz", "打"),
    "ROLLS": ("rolls", "roll", "卷"),
    "BAGS": ("bags", "bag", "袋", "包"),
    "BOXES": ("boxes", "box", "盒"),
    "TONS": ("tons", "ton", "mt", "吨"),
    "SQM": ("sqm", "m2", "平方米"),
    "YDS": ("yds", "yd", "yard", "yards", "码"),
}
UNIT_CHOICES: tuple[str, ...] = tuple(_UNITS)
_UNIT_LOOKUP = {squash(alias): code for code, aliases in _UNITS.items() for alias in (code, *aliases)}


@lru_cache(maxsize=4096)
def normalize_unit(value: str) -> str | None:
    """Canonical unit code (``PCS``, ``SETS`` …) for ``value`` (``个``, ``pc``, ``(PCS)`` …)."""
    return _UNIT_LOOKUP.get(squash(value))


# --- order status ----------------------------------------------------------------------------


class OrderStatus(StrEnum):
    """Where an order stands (订单状态)."""

    NEW = "new"
    CONFIRMED = "confirmed"
    IN_PRODUCTION = "in_production"
    READY = "ready"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ON_HOLD = "on_hold"

    @property
    def label(self) -> str:
        """Bilingual label as offered in the template's drop-down."""
        return _STATUS_LABELS[self]

    @property
    def is_shipped(self) -> bool:
        """True once the goods have left (shipped or completed)."""
        return self in (OrderStatus.SHIPPED, OrderStatus.COMPLETED)

    @property
    def is_closed(self) -> bool:
        """True when no more follow-up is due (completed or cancelled)."""
        return self in (OrderStatus.COMPLETED, OrderStatus.CANCELLED)


_STATUS_LABELS = {
    OrderStatus.NEW: "新单 New",
    OrderStatus.CONFIRMED: "已确认 Confirmed",
    OrderStatus.IN_PRODUCTION: "生产中 In production",
    OrderStatus.READY: "待出运 Ready to ship",
    OrderStatus.SHIPPED: "已出运 Shipped",
    OrderStatus.COMPLETED: "已完成 Completed",
    OrderStatus.CANCELLED: "已取消 Cancelled",
    OrderStatus.ON_HOLD: "暂停 On hold",
}
STATUS_CHOICES: tuple[str, ...] = tuple(_STATUS_LABELS.values())
_STATUS_ALIASES: dict[str, OrderStatus] = {
    "新单": OrderStatus.NEW, "新订单": OrderStatus.NEW, "待确认": OrderStatus.NEW, "open": OrderStatus.NEW,
    "已确认": OrderStatus.CONFIRMED, "确认": OrderStatus.CONFIRMED,
    "生产中": OrderStatus.IN_PRODUCTION, "生产": OrderStatus.IN_PRODUCTION, "production": OrderStatus.IN_PRODUCTION,
    "待出运": OrderStatus.READY, "待出货": OrderStatus.READY, "待发货": OrderStatus.READY, "ready": OrderStatus.READY,
    "已出运": OrderStatus.SHIPPED, "已出货": OrderStatus.SHIPPED, "已发货": OrderStatus.SHIPPED,
    "已完成": OrderStatus.COMPLETED, "完成": OrderStatus.COMPLETED, "closed": OrderStatus.COMPLETED,
    "结案": OrderStatus.COMPLETED, "done": OrderStatus.COMPLETED,
    "已取消": OrderStatus.CANCELLED, "取消": OrderStatus.CANCELLED, "canceled": OrderStatus.CANCELLED,
    "暂停": OrderStatus.ON_HOLD, "hold": OrderStatus.ON_HOLD, "onhold": OrderStatus.ON_HOLD,
}
_STATUS_LOOKUP = {squash(k): v for k, v in _STATUS_ALIASES.items()}
for _status in OrderStatus:
    _STATUS_LOOKUP[squash(_status.value)] = _status
    _STATUS_LOOKUP[squash(_status.label)] = _status
    _STATUS_LOOKUP[squash(_status.label.split(" ", 1)[1])] = _status


@lru_cache(maxsize=4096)
def normalize_status(value: str) -> OrderStatus | None:
    """Order status for ``value`` (``生产中``, ``In production``, ``生产中 In production`` …)."""
    return _STATUS_LOOKUP.get(squash(value))


# --- payment terms ---------------------------------------------------------------------------


class PaymentKind(StrEnum):
    """The family of payment terms; decides what must happen before production."""

    TT_DEPOSIT = "tt_deposit"  # T/T with a deposit (订金) before production, balance later
    TT_ADVANCE = "tt_advance"  # 100% T/T before production (前T/T, 全款)
    TT_AFTER = "tt_after"  # T/T after shipment without deposit (e.g. against B/L copy)
    LC = "lc"  # letter of credit (信用证)
    DP = "dp"  # documents against payment (付款交单)
    DA = "da"  # documents against acceptance (承兑交单)
    OA = "oa"  # open account (赊销)


class BalanceTrigger(StrEnum):
    """What makes the balance (尾款) due."""

    BEFORE_SHIPMENT = "before_shipment"
    BL_COPY = "bl_copy"
    ARRIVAL = "arrival"
    DAYS_AFTER_BL = "days_after_bl"


@dataclass(frozen=True, slots=True)
class PaymentTerms:
    """Parsed payment terms (付款方式): the kind, deposit share, balance trigger and credit days."""

    kind: PaymentKind
    deposit_pct: Decimal | None = None
    trigger: BalanceTrigger | None = None
    days: int | None = None

    @property
    def payment_before_production(self) -> bool:
        """True when money must arrive before the purchase contract goes to the factory."""
        return self.kind in (PaymentKind.TT_DEPOSIT, PaymentKind.TT_ADVANCE)

    @property
    def balance_before_release(self) -> bool:
        """True when the B/L may be released only after the balance is paid."""
        return self.kind in (PaymentKind.TT_DEPOSIT, PaymentKind.TT_ADVANCE, PaymentKind.TT_AFTER)


PAYMENT_TERM_CHOICES: tuple[str, ...] = (
    "T/T 30% deposit, balance before shipment",
    "T/T 30% deposit, balance against B/L copy",
    "100% T/T in advance",
    "T/T against B/L copy",
    "L/C at sight",
    "D/P at sight",
    "O/A 30 days",
)

_PCT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*%")
_SPLIT = re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})\b")
_DAYS = re.compile(r"(\d{1,3})\s*(?:days?|天)")


@lru_cache(maxsize=1024)
def parse_payment_terms(value: str) -> PaymentTerms | None:
    """Classify free-text payment terms (``T/T 30% deposit…``, ``30%定金 70%见提单复印件``, ``L/C``…)."""
    text = unicodedata.normalize("NFKC", value).casefold()
    flat = text.replace(" ", "")
    days_match = _DAYS.search(text)
    days = int(days_match.group(1)) if days_match else None
    if re.search(r"\bl\s*/\s*c\b|\blc\b|letter\s*of\s*credit|信用证", text):
        return PaymentTerms(PaymentKind.LC, days=days)
    if re.search(r"\bd\s*/\s*p\b|\bdp\b|付款交单", text):
        return PaymentTerms(PaymentKind.DP, days=days)
    if re.search(r"\bd\s*/\s*a\b|承兑交单", text):
        return PaymentTerms(PaymentKind.DA, days=days)
    if re.search(r"\bo\s*/\s*a\b|open\s*account|赊销|月结|账期", text):
        return PaymentTerms(PaymentKind.OA, days=days)
    if not re.search(r"t/?t|电汇|预付|定金|订金|全款|deposit|advance|wire|prepay", flat):
        return None
    trigger = _balance_trigger(flat, days)
    percents = [Decimal(p) for p in _PCT.findall(text)]
    split = _SPLIT.search(text)
    if split and not percents and int(split[1]) + int(split[2]) == 100:
        percents = [Decimal(split[1]), Decimal(split[2])]
    advance = BalanceTrigger.BEFORE_SHIPMENT
    if re.search(r"100%(t/?t)?(in)?advance|100%前|全款|前t/?t|100%预付|prepaid|full(payment)?inadvance", flat):
        return PaymentTerms(PaymentKind.TT_ADVANCE, deposit_pct=Decimal(1), trigger=advance)
    if re.search(r"deposit|定金|订金|预付款|首付", flat) or (percents and percents[0] < 100 and len(percents) >= 2):
        pct = percents[0] / 100 if percents else None
        if pct is not None and pct >= 1:
            return PaymentTerms(PaymentKind.TT_ADVANCE, deposit_pct=Decimal(1), trigger=trigger)
        return PaymentTerms(PaymentKind.TT_DEPOSIT, deposit_pct=pct, trigger=trigger, days=days)
    if "advance" in flat or "预付" in flat:
        return PaymentTerms(PaymentKind.TT_ADVANCE, deposit_pct=Decimal(1), trigger=advance)
    return PaymentTerms(PaymentKind.TT_AFTER, trigger=trigger or BalanceTrigger.BL_COPY, days=days)


def _balance_trigger(flat: str, days: int | None) -> BalanceTrigger:
    if re.search(r"b/?lcopy|copyofb/?l|提单复印件|提单副本|见提单|againstb/?l", flat):
        return BalanceTrigger.BL_COPY
    if re.search(r"arrival|到港|到货", flat):
        return BalanceTrigger.ARRIVAL
    if days is not None and re.search(r"afterb/?l|提单日后|blda", flat):
        return BalanceTrigger.DAYS_AFTER_BL
    return BalanceTrigger.BEFORE_SHIPMENT


# --- countries -------------------------------------------------------------------------------

_COUNTRY_EXTRA = {
    "uk": "GB", "英国": "GB", "greatbritain": "GB", "england": "GB", "usa": "US", "america": "US",
    "美国": "US", "韩国": "KR", "southkorea": "KR", "korea": "KR", "台湾": "TW", "越南": "VN",
    "vietnam": "VN", "turkey": "TR", "土耳其": "TR", "russia": "RU", "俄罗斯": "RU", "荷兰": "NL",
    "holland": "NL", "iran": "IR", "伊朗": "IR", "laos": "LA", "老挝": "LA", "czechia": "CZ",
    "czechrepublic": "CZ", "捷克": "CZ", "uae": "AE", "阿联酋": "AE", "迪拜": "AE", "bolivia": "BO",
    "venezuela": "VE", "tanzania": "TZ", "syria": "SY", "moldova": "MD", "macedonia": "MK",
    "香港": "HK", "澳门": "MO", "中国": "CN", "prc": "CN", "新西兰": "NZ", "沙特": "SA",
    "沙特阿拉伯": "SA", "南非": "ZA", "ivorycoast": "CI",
}


@cache
def _country_lookup() -> dict[str, str]:
    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    table: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        names = [code, country.alpha_3, country.name, getattr(country, "common_name", ""),
                 getattr(country, "official_name", ""), zh.gettext(country.name)]
        for name in names:
            if name:
                table.setdefault(squash(name), code)
    table.update({squash(k): v for k, v in _COUNTRY_EXTRA.items()})
    return table


@lru_cache(maxsize=4096)
def normalize_country(value: str) -> str | None:
    """ISO 3166 alpha-2 code for a country given as a code or an English or Chinese name."""
    return _country_lookup().get(squash(value))


@cache
def country_name_zh(code: str) -> str:
    """Chinese name of an ISO alpha-2 country code (falls back to the English name)."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    return str(zh.gettext(country.name))
