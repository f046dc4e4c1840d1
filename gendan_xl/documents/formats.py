"""How documents write values: text safe for Word, numbers with thousands separators, money, prices, dates.

Every value of a template context is display text, so a template edited in Word needs no
filters: ``12,345.67``, ``1.15``, ``0.1925``, ``2026-11-26``, ``30%``; a missing value is ``""``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from gendan_xl.models import OrderLine, round_money
from gendan_xl.vocab import squash

__all__ = ["clean_text", "day", "item_text", "joined", "money", "number", "pct", "port_key", "price", "qty_key",
           "qty_text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(value: object) -> str:
    """Text safe for a Word document: no XML-illegal control characters, ``\\n`` line breaks only."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text).strip()


def number(value: Decimal | int | None, places: int | None = None, *, group: bool = True) -> str:
    """``1,234.5`` (``places`` fixes the decimals; without, trailing zeros go); ``group=False``: no separators."""
    if value is None:
        return ""
    value = Decimal(value)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    else:
        value = value.normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
    return format(value, ",f" if group else "f")


def money(value: Decimal | None) -> str:
    """``12,345.67``."""
    return number(round_money(value) if value is not None else None, 2)


def price(value: Decimal | None) -> str:
    """A unit price: two decimals at least, four at most (``1.15``, ``0.1925``)."""
    if value is None:
        return ""
    text = number(value)
    decimals = len(text.split(".")[1]) if "." in text else 0
    return number(value, min(max(decimals, 2), 4))


def qty_text(value: Decimal | int | None) -> str:
    """``1,200`` or ``12.5``."""
    return number(value)


def day(value: date | None) -> str:
    """ISO date, unambiguous in every language: ``2026-11-26``."""
    return value.isoformat() if value else ""


def pct(value: Decimal | None) -> str:
    """``30%``."""
    return "" if value is None else f"{number(value * 100)}%"


def joined(values: Iterable[str], sep: str = ", ") -> str:
    """The distinct non-empty texts of ``values``, in order: several orders' contract numbers on one line."""
    return sep.join(dict.fromkeys(text for text in values if text))


def port_key(text: str) -> str:
    """A port name folded for comparing: ``Ningbo Port``, ``NINGBO, CHINA`` and ``宁波港`` → ``ningbo`` / ``宁波``."""
    head = text.split(",")[0]
    return re.sub(r"(port|港)$", "", squash(head))


def item_text(line: OrderLine) -> dict[str, str]:
    """How a line's goods are written: item no., description (the item no. when there is none), spec."""
    description, spec = clean_text(line.description), clean_text(line.spec)
    return {"item_no": clean_text(line.item_no), "description": description or clean_text(line.item_no),
            "spec": spec, "description_full": "\n".join(t for t in (description, spec) if t)}


def qty_key(by_unit: dict[str, Decimal]) -> str:
    """Quantities per unit as one comparable text: ``PCS=1250;SETS=300``."""
    return ";".join(f"{unit}={number(q, group=False)}" for unit, q in sorted(by_unit.items()))
