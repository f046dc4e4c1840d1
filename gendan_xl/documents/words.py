"""Amounts in words, as trade documents write them: English per currency and Chinese uppercase (大写).

English: ``SAY US DOLLARS TWELVE THOUSAND THREE HUNDRED FORTY-FIVE AND CENTS SIXTY-SEVEN ONLY``
(domain.md §3). num2words spells the whole units and the cents separately, each as a cardinal
number: its ``to="currency"`` mode reads an ``int`` as cents and writes "dollars, … cents" in an
order trade documents do not use (pitfalls.md). Commas and the British "and" inside a number
are dropped, so the one "AND" left separates the units from the cents.

Chinese: cn2an's ``rmb`` mode gives the uppercase figures (壹万贰仟叁佰肆拾伍元陆角柒分); the
currency name goes in front (人民币, 美元 …) and, as the 支付结算办法 requires, an amount
ending in 元 or 角 ends in 整.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import cn2an
from num2words import num2words

__all__ = [
    "CURRENCY_NAMES",
    "amount_in_words_en",
    "amount_in_words_zh",
    "count_in_words_en",
    "number_in_words_en",
]

CENT = Decimal("0.01")

# English name of the whole unit and of the minor unit, Chinese name, minor units per unit.
CURRENCY_NAMES: dict[str, tuple[str, str, str, int]] = {
    "USD": ("US DOLLARS", "CENTS", "美元", 100),
    "EUR": ("EUROS", "CENTS", "欧元", 100),
    "GBP": ("POUNDS STERLING", "PENCE", "英镑", 100),
    "CNY": ("CHINESE YUAN", "FEN", "人民币", 100),
    "HKD": ("HONG KONG DOLLARS", "CENTS", "港币", 100),
    "JPY": ("JAPANESE YEN", "", "日元", 1),
    "AUD": ("AUSTRALIAN DOLLARS", "CENTS", "澳元", 100),
    "CAD": ("CANADIAN DOLLARS", "CENTS", "加元", 100),
    "CHF": ("SWISS FRANCS", "CENTIMES", "瑞士法郎", 100),
    "AED": ("UAE DIRHAMS", "FILS", "阿联酋迪拉姆", 100),
    "SGD": ("SINGAPORE DOLLARS", "CENTS", "新加坡元", 100),
    "NZD": ("NEW ZEALAND DOLLARS", "CENTS", "新西兰元", 100),
}


_SINGULAR = {"CENTS": "CENT", "PENCE": "PENNY", "CENTIMES": "CENTIME"}


def _check(amount: Decimal) -> None:
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a Decimal, not {type(amount).__name__}")
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"cannot write {amount} in words")


def _cardinal(number: int) -> str:
    """``12345`` → ``TWELVE THOUSAND THREE HUNDRED FORTY-FIVE`` (no commas, no inner AND)."""
    words = num2words(Decimal(number), lang="en").replace(",", "").replace("-", " - ")
    kept = [word for word in words.split() if word != "and"]
    return " ".join(kept).replace(" - ", "-").upper()


def amount_in_words_en(amount: Decimal, currency: str = "USD") -> str:
    """The trade style ``SAY US DOLLARS … AND CENTS … ONLY``; the amount is rounded half-up to cents first.

    An amount under one unit names only the minor unit: ``SAY US DOLLARS FIFTY CENTS ONLY``.
    """
    _check(amount)
    code = currency.upper()
    unit, minor, _zh, per = CURRENCY_NAMES.get(code, (code, "CENTS", code, 100))
    if per == 1:
        whole, cents = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)), 0
    else:
        rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
        whole = int(rounded)
        cents = int((rounded - whole) * 100)
    if cents and not whole:
        # under one unit: "SAY US DOLLARS FIFTY CENTS ONLY", never "ZERO AND CENTS FIFTY"
        return f"SAY {unit} {_cardinal(cents)} {_SINGULAR.get(minor, minor) if cents == 1 else minor} ONLY"
    text = f"SAY {unit} {_cardinal(whole)}"
    if cents:
        text += f" AND {minor} {_cardinal(cents)}"
    return text + " ONLY"


def amount_in_words_zh(amount: Decimal, currency: str = "CNY") -> str:
    """Chinese uppercase with the currency in front: ``人民币壹万贰仟叁佰肆拾伍元陆角柒分``, ``美元壹拾元整``."""
    _check(amount)
    code = currency.upper()
    name = CURRENCY_NAMES.get(code, (code, "", code, 100))[2]
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    figures = str(cn2an.an2cn(format(rounded, "f"), "rmb"))
    if figures.endswith("角"):
        figures += "整"  # the rule: 到元或角为止的写“整”
    return name + figures


def count_in_words_en(count: int, unit: str = "CARTONS") -> str:
    """``SAY TOTAL TWO HUNDRED FIVE CARTONS ONLY`` for packing lists and booking notes."""
    if count < 0:
        raise ValueError(f"cannot write {count} in words")
    return f"SAY TOTAL {_cardinal(count)} {unit} ONLY"


def number_in_words_en(count: int) -> str:
    """``140`` → ``ONE HUNDRED FORTY``, as certificates of origin write the number of packages."""
    if count < 0:
        raise ValueError(f"cannot write {count} in words")
    return _cardinal(count)
