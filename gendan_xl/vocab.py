"""Controlled vocabularies: currencies, incoterms, units, order statuses, payment terms, countries.

Each ``normalize_*`` function takes what a merchandiser typed (Chinese, English, codes, odd
spacing, full-width characters) and returns the canonical value, or ``None`` when it does not
know the word. The canonical lists also feed the template's drop-downs.
"""

from __future__ import annotations

import dataclasses
import gettext
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cache, lru_cache

import pycountry

__all__ = [
    "CERTIFICATE_CHOICES",
    "COMMON_CURRENCIES",
    "INCOTERMS",
    "NON_PREFERENTIAL_CERTIFICATE",
    "PAYMENT_TERM_CHOICES",
    "PAYMENT_TERM_EXAMPLES",
    "STATUS_CHOICES",
    "UNIT_CHOICES",
    "Instalment",
    "OrderStatus",
    "PaymentKind",
    "PaymentMethod",
    "PaymentTerms",
    "Trigger",
    "country_name_en",
    "country_name_zh",
    "normalize_certificate",
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
    """The family of payment terms (付款方式) as merchandisers name them; the instalments decide the checks."""

    TT_DEPOSIT = "tt_deposit"  # T/T with a deposit (订金) before production, the rest later
    TT_ADVANCE = "tt_advance"  # 100% T/T before production (前T/T, 全款)
    TT_AFTER = "tt_after"  # T/T without deposit: before shipment, against B/L copy, n days after B/L, on arrival
    LC = "lc"  # letter of credit (信用证)
    DP = "dp"  # documents against payment (付款交单)
    DA = "da"  # documents against acceptance (承兑交单)
    CAD = "cad"  # cash against documents (见单付款)
    OA = "oa"  # open account (赊销)


class PaymentMethod(StrEnum):
    """How one instalment is paid (汇付、信用证、托收、赊销)."""

    TT = "tt"
    LC = "lc"
    DP = "dp"
    DA = "da"
    CAD = "cad"
    OA = "oa"


class Trigger(StrEnum):
    """What makes an instalment due (到期依据)."""

    ORDER = "order"  # before production: deposit or payment in advance; the purchase contract waits for it
    BEFORE_SHIPMENT = "before_shipment"  # by the sailing date (出运前)
    BL_COPY = "bl_copy"  # against the B/L copy (见提单复印件): the B/L date plus the grace days
    AFTER_BL = "after_bl"  # n days after the B/L date (提单日后 n 天; O/A n days)
    ARRIVAL = "arrival"  # on arrival (货到付款: ETA plus the grace days) or n days after arrival (ETA + n)
    DOCUMENTS = "documents"  # against documents through the banks (CAD, D/P): once the documents are presented
    ACCEPTANCE = "acceptance"  # D/A: at maturity, n days after the buyer accepted the draft
    CREDIT = "credit"  # under the L/C: the bank pays against a complying presentation


_BEFORE_RELEASE = frozenset({Trigger.ORDER, Trigger.BEFORE_SHIPMENT, Trigger.BL_COPY})
_ON_CREDIT = frozenset({Trigger.AFTER_BL, Trigger.ARRIVAL, Trigger.DOCUMENTS, Trigger.ACCEPTANCE})


@dataclass(frozen=True, slots=True)
class Instalment:
    """One part of the price (分期): its share, how it is paid, what makes it due, and the days after that event.

    ``share`` is a fraction of the order total (``0.3``), or None when the terms do not state it
    (the balance, or a deposit whose percentage is in the order's Deposit % column).
    """

    share: Decimal | None
    trigger: Trigger
    days: int = 0
    method: PaymentMethod = PaymentMethod.TT

    @property
    def before_release(self) -> bool:
        """True when this money must arrive before the B/L is released (deposit, before shipment, B/L copy)."""
        return self.trigger in _BEFORE_RELEASE

    @property
    def on_credit(self) -> bool:
        """True when the goods leave before this money is secured (after B/L or arrival, O/A, CAD, D/P, D/A)."""
        return self.trigger in _ON_CREDIT


@dataclass(frozen=True, slots=True)
class PaymentTerms:
    """Parsed payment terms (付款方式): the instalments, in the order the terms name them.

    What the checks ask of every order is worked out once, when the terms are parsed:
    ``payment_before_production`` (money before the purchase contract), ``ships_on_credit`` (some
    money is secured only after the goods left), ``lc`` (the instalment under an L/C) and
    ``collection`` (the one collected through the banks: D/P, D/A, CAD).
    """

    instalments: tuple[Instalment, ...]
    payment_before_production: bool = field(init=False, repr=False, compare=False)
    ships_on_credit: bool = field(init=False, repr=False, compare=False)
    lc: Instalment | None = field(init=False, repr=False, compare=False)
    collection: Instalment | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # frozen: the derived answers are set once here, not recomputed per order
        collected = (PaymentMethod.DP, PaymentMethod.DA, PaymentMethod.CAD)
        object.__setattr__(self, "payment_before_production",
                           any(i.trigger is Trigger.ORDER for i in self.instalments))
        object.__setattr__(self, "ships_on_credit", any(i.on_credit for i in self.instalments))
        object.__setattr__(self, "lc", next((i for i in self.instalments if i.method is PaymentMethod.LC), None))
        object.__setattr__(self, "collection", next((i for i in self.instalments if i.method in collected), None))

    @property
    def kind(self) -> PaymentKind:
        """The family the terms belong to (T/T with deposit, 100% in advance, L/C …)."""
        before = [i for i in self.instalments if i.trigger is Trigger.ORDER]
        if before:
            full = len(before) == len(self.instalments) and all(i.share == 1 for i in before)
            return PaymentKind.TT_ADVANCE if full else PaymentKind.TT_DEPOSIT
        for instalment in self.instalments:
            if instalment.method is not PaymentMethod.TT:
                return PaymentKind(instalment.method.value)
        return PaymentKind.TT_AFTER

    @property
    def deposit_pct(self) -> Decimal | None:
        """The share due before production, as the terms state it (None when they state none)."""
        shares = [i.share for i in self.instalments if i.trigger is Trigger.ORDER]
        if not shares or None in shares:
            return None
        return sum((s for s in shares if s is not None), Decimal(0))

    def shares(self, deposit: Decimal | None = None) -> tuple[Decimal | None, ...]:
        """Each instalment's share with the unstated ones filled in where the others tell.

        ``deposit`` (the order's Deposit % column) replaces the share of a single deposit; an
        instalment without a share then takes what the others leave.
        """
        return _shares(self, deposit)


@lru_cache(maxsize=1024)
def _shares(terms: PaymentTerms, deposit: Decimal | None) -> tuple[Decimal | None, ...]:
    # cached: tens of thousands of orders share a handful of terms and deposit percentages
    before = [k for k, i in enumerate(terms.instalments) if i.trigger is Trigger.ORDER]
    shares = [i.share for i in terms.instalments]
    if deposit is not None and len(before) == 1:
        shares[before[0]] = deposit
    unknown = [k for k, share in enumerate(shares) if share is None]
    known = sum((s for s in shares if s is not None), Decimal(0))
    if len(unknown) == 1 and known <= 1:
        shares[unknown[0]] = 1 - known
    return tuple(shares)


PAYMENT_TERM_CHOICES: tuple[str, ...] = (
    "T/T 30% deposit, balance before shipment",
    "T/T 30% deposit, balance against B/L copy",
    "100% T/T in advance",
    "T/T against B/L copy",
    "T/T 60 days after B/L",
    "L/C at sight",
    "30% deposit, 70% L/C at sight",
    "D/P at sight",
    "CAD",
    "O/A 30 days",
)
# What the payment-terms-unknown finding offers: the drop-down and the other forms understood.
PAYMENT_TERM_EXAMPLES: tuple[str, ...] = (
    *PAYMENT_TERM_CHOICES, "30% deposit, 70% 60 days after B/L", "70% before shipment, 30% against B/L copy",
    "30 days after arrival", "D/A 60 days", "30%定金 70%见提单复印件",
)

_PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*%")
_PAIR = re.compile(r"(?<![\d/.])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/.%])")
_DAYS = re.compile(r"(\d{1,3})\s*(?:days?|天|日)|\bnet\s*(\d{1,3})\b")
_SEPARATORS = re.compile(r"[,;，；+。]|\band\b|\bplus\b|\bthen\b")
_TT = re.compile(r"t\s*/\s*t|\btt\b|电汇|telegraphic|\bwire\b")
_METHODS: tuple[tuple[PaymentMethod, Trigger, re.Pattern[str]], ...] = (
    (PaymentMethod.LC, Trigger.CREDIT, re.compile(r"\bl\s*/\s*c\b|\blc\b|letter\s*of\s*credit|信用证")),
    (PaymentMethod.DP, Trigger.DOCUMENTS, re.compile(r"\bd\s*/\s*p\b|\bdp\b|付款交单|documents?\s*against\s*payment")),
    (PaymentMethod.DA, Trigger.ACCEPTANCE,
     re.compile(r"\bd\s*/\s*a\b|承兑交单|documents?\s*against\s*acceptance")),
    (PaymentMethod.CAD, Trigger.DOCUMENTS,
     re.compile(r"\bcad\b|cash\s*against\s*documents?|against\s*documents?|见单付款|凭单付款")),
    (PaymentMethod.OA, Trigger.AFTER_BL, re.compile(r"\bo\s*/\s*a\b|open\s*account|赊销|月结|账期|\bnet\s*\d")),
)
# Matched on the text without spaces, in this order: the first that matches decides.
_TRIGGERS: tuple[tuple[Trigger, re.Pattern[str]], ...] = (
    (Trigger.ORDER, re.compile(r"deposit|定金|订金|预付|首付|downpayment|advance|前t/?t|prepa|withorder")),
    (Trigger.BEFORE_SHIPMENT, re.compile(
        r"before(the)?(shipment|loading|delivery|etd|sailing)|priorto(shipment|loading)|出货前|发货前|装运前|出运前|"
        r"装船前|装柜前|交货前|提货前")),
    (Trigger.BL_COPY, re.compile(r"b/?lcopy|copyof(the)?b/?l|提单复印件|提单副本|见提单|against(the)?(b/?l|copy)")),
    (Trigger.AFTER_BL, re.compile(
        r"after(the)?(b/?l|shipment|sailing|etd|invoice)|fromb/?l|b/?ldate|提单日?后|出运后|发货后|出货后|装运后|发票日?后")),
    (Trigger.ARRIVAL, re.compile(r"arrival|到港|货到|到货|aftereta|uponeta|oneta")),
)
_DEPOSIT_WORDS = re.compile(r"deposit|定金|订金|首付|downpayment")
_REST_WORDS = re.compile(r"balance|rest|remain|余款|尾款|余额|剩余")
_FULL_WORDS = re.compile(r"全款|fullpayment|fullamount|全额")


@dataclass(frozen=True, slots=True)
class _Part:
    share: Decimal | None
    trigger: Trigger | None
    days: int
    method: PaymentMethod


def _pieces(text: str) -> list[str]:
    """Split terms into the phrases of their instalments: at separators and before every percentage but the first."""
    pieces: list[str] = []
    for part in _SEPARATORS.split(text):
        cuts = [0, *(m.start() for m in list(_PERCENT.finditer(part))[1:]), len(part)]
        pieces += [part[a:b].strip() for a, b in itertools.pairwise(cuts)]
    return [p for p in pieces if p]


def _part(piece: str) -> _Part | None:
    """One phrase as an instalment; None for a phrase that names no share, method, trigger or days."""
    flat = piece.replace(" ", "")
    percent = _PERCENT.search(piece)
    share = Decimal(percent[1]) / 100 if percent else None
    days_match = _DAYS.search(piece)
    days = int(days_match[1] or days_match[2]) if days_match else None
    method, trigger = PaymentMethod.TT, None
    for candidate, implied, pattern in _METHODS:
        if pattern.search(piece):
            method, trigger = candidate, implied
            break
    else:
        trigger = next((t for t, pattern in _TRIGGERS if pattern.search(flat)), None)
    if trigger is Trigger.AFTER_BL and days is None and method is PaymentMethod.TT:
        trigger = Trigger.BL_COPY  # "balance after shipment": against the documents, with the grace days
    if share is None and _FULL_WORDS.search(flat):
        share = Decimal(1)
        trigger = trigger or Trigger.ORDER  # "全款": the full price, before production
    if share is None and trigger is Trigger.ORDER and not _DEPOSIT_WORDS.search(flat):
        share = Decimal(1)  # "T/T in advance", "前T/T": the whole price before production
    if share is None and trigger is None and days is None and method is PaymentMethod.TT \
            and not _REST_WORDS.search(flat) and not _TT.search(piece):
        return None
    return _Part(share, trigger, days or 0, method)


@lru_cache(maxsize=1024)
def parse_payment_terms(value: str) -> PaymentTerms | None:
    """Parse free-text payment terms into instalments, or None when they are not understood.

    Understood: T/T with a deposit (``T/T 30% deposit, balance against B/L copy``, ``30%定金
    70%见提单复印件``, ``T/T 30/70``), in advance, before shipment, against B/L copy, n days after
    B/L (``T/T 60 days after B/L``), on or n days after arrival, several instalments (``70% before
    shipment, 30% against B/L copy``), L/C (also after a deposit: ``30% deposit, 70% L/C``), D/P,
    D/A, CAD and O/A.
    """
    text = unicodedata.normalize("NFKC", value).casefold().strip()
    text = _PAIR.sub(lambda m: f"{m[1]}% {m[2]}%" if int(m[1]) + int(m[2]) == 100 else m[0], text)
    parts = [part for piece in _pieces(text) if (part := _part(piece)) is not None]
    if not parts:
        return None
    instalments: list[Instalment] = []
    for index, part in enumerate(parts):
        trigger = part.trigger
        if trigger is None:
            # an unnamed part: "60 days" runs from the B/L; the first of several is the deposit; the last falls
            # due before shipment, as a plain "T/T" does
            trigger = (Trigger.AFTER_BL if part.days else Trigger.ORDER if index < len(parts) - 1
                       else Trigger.BEFORE_SHIPMENT)
        instalments.append(Instalment(part.share, trigger, part.days, part.method))
    known = sum((i.share for i in instalments if i.share is not None), Decimal(0))
    if known > 1:
        return None
    if all(i.trigger is Trigger.ORDER for i in instalments) and (known < 1 or any(i.share is None for i in instalments)):
        instalments.append(Instalment(None, Trigger.BEFORE_SHIPMENT))  # "T/T 30% deposit": the rest before shipment
    elif all(i.share is not None for i in instalments) and known < 1:
        return None  # "30% deposit, 60% before shipment": the shares do not add up
    if len(instalments) == 1 and instalments[0].share is None:
        instalments[0] = dataclasses.replace(instalments[0], share=Decimal(1))
    return PaymentTerms(tuple(instalments))


# --- certificates of origin ------------------------------------------------------------------

NON_PREFERENTIAL_CERTIFICATE = "C/O"
# Canonical name → what merchandisers also write. Which destination takes which certificate is data
# (gendan_xl/data/certificates.csv, with sources), read by the compliance check.
_CERTIFICATES: dict[str, tuple[str, ...]] = {
    "C/O": ("CO", "Certificate of Origin", "一般原产地证", "一般产地证", "非优惠原产地证", "贸促会产地证", "CCPIT"),
    "Form A": ("GSP", "GSP Form A", "普惠制", "普惠制产地证", "普惠制原产地证", "普惠证"),
    "Form E": ("China-ASEAN FTA", "ACFTA", "东盟证书", "东盟产地证", "中国-东盟原产地证"),
    "Form B": ("APTA", "Asia-Pacific Trade Agreement", "亚太贸易协定", "亚太证书", "亚太产地证"),
    "RCEP": ("RCEP原产地证", "RCEP产地证", "RCEP证书"),
    "Form F": ("China-Chile FTA", "智利证书", "中智证书"),
    "Form P": ("China-Pakistan FTA", "巴基斯坦证书", "中巴证书"),
    "Form N": ("China-New Zealand FTA", "新西兰证书"),
    "Form X": ("China-Singapore FTA", "新加坡证书"),
    "Form R": ("China-Peru FTA", "秘鲁证书", "中秘证书"),
    "Form L": ("China-Costa Rica FTA", "哥斯达黎加证书", "中哥证书"),
    "China-Australia FTA": ("ChAFTA", "中澳证书", "澳大利亚证书"),
    "China-Korea FTA": ("KCFTA", "中韩证书", "韩国证书"),
    "China-Switzerland FTA": ("中瑞证书", "瑞士证书"),
    "China-Iceland FTA": ("中冰证书", "冰岛证书"),
    "China-Georgia FTA": ("中格证书", "格鲁吉亚证书"),
    "China-Mauritius FTA": ("毛里求斯证书",),
    "China-Cambodia FTA": ("中柬证书", "柬埔寨证书"),
    "China-Nicaragua FTA": ("尼加拉瓜证书",),
    "China-Serbia FTA": ("塞尔维亚证书",),
    "China-Ecuador FTA": ("厄瓜多尔证书",),
    "China-Maldives FTA": ("马尔代夫证书",),
}
# The template's drop-down: Excel keeps at most 255 characters of an inline list.
CERTIFICATE_CHOICES: tuple[str, ...] = (
    "C/O", "Form A", "Form E", "Form B", "RCEP", "Form F", "Form P", "Form N", "Form X", "Form R", "Form L",
    "China-Australia FTA", "China-Korea FTA", "China-Switzerland FTA", "China-Cambodia FTA", "China-Maldives FTA",
)
_CERTIFICATE_LOOKUP = {squash(alias): name for name, aliases in _CERTIFICATES.items() for alias in (name, *aliases)}
_BRACKETS = re.compile(r"[(（][^)）]*[)）]")


@lru_cache(maxsize=1024)
def normalize_certificate(value: str) -> str | None:
    """The canonical certificate-of-origin name (``Form E``, ``C/O`` …) for what was typed, or None if unknown."""
    found = _CERTIFICATE_LOOKUP.get(squash(value))
    if found is None:  # "Form E (ASEAN)", "RCEP（日本）"
        found = _CERTIFICATE_LOOKUP.get(squash(_BRACKETS.sub("", value)))
    return found


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
def country_name_en(code: str) -> str:
    """English short name of an ISO alpha-2 country code (``KR`` → ``South Korea``); the code when unknown."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return _SHORT_NAMES.get(code) or str(getattr(country, "common_name", None) or country.name)


_SHORT_NAMES = {"KR": "South Korea", "RU": "Russia", "VN": "Vietnam", "LA": "Laos", "IR": "Iran", "SY": "Syria",
                "TZ": "Tanzania", "BO": "Bolivia", "VE": "Venezuela", "MD": "Moldova", "US": "the United States",
                "GB": "the United Kingdom"}


@cache
def country_name_zh(code: str) -> str:
    """Chinese name of an ISO alpha-2 country code (falls back to the English name)."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    return str(zh.gettext(country.name))
