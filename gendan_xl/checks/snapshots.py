"""Order snapshots (订单快照): the figures of an order a change can touch, kept to say what changed since.

A snapshot holds, per :class:`~gendan_xl.lifecycle.Aspect`, the order's figures as text: per item
(quantities, prices, purchase prices, packing, descriptions) or for the order (delivery date,
factory date, ports, incoterm, payment terms, cancelled). ``gendan docs`` writes one beside every
document it logs (单证记录), and ``gendan check --write`` beside every change it records (改单记录);
comparing the latest with the order as it is now names what changed, from what to what.

Snapshots are compact JSON (``{"v":1,"qty":{"KT-1001":"1,200 PCS"},"delivery":"2026-12-01",…}``);
an order with very many lines keeps a hash of each per-item aspect instead of every value, so a
cell stays well under Excel's 32,767 characters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from gendan_xl.lifecycle import Aspect
from gendan_xl.models import Order, OrderLine

__all__ = [
    "ASPECT_FIELDS",
    "LINE_ASPECTS",
    "SNAPSHOT_VERSION",
    "Difference",
    "compare_snapshots",
    "parse_snapshot",
    "snapshot_text",
    "take_snapshot",
]

SNAPSHOT_VERSION = 1
_LIMIT = 6000  # characters of JSON before per-item aspects are kept as hashes
_SHOWN = 4  # items listed in a difference before "… +N"

# The model fields behind each aspect, named like the document kinds' fields ("model.field"), so the
# documents an aspect's change makes outdated are those whose kind shows one of them.
ASPECT_FIELDS: dict[Aspect, frozenset[str]] = {
    Aspect.ITEMS: frozenset({"line.item_no", "line.description", "line.spec"}),
    Aspect.QTY: frozenset({"line.qty", "line.unit"}),
    Aspect.PRICE: frozenset({"line.unit_price", "order.currency"}),
    Aspect.PURCHASE_PRICE: frozenset({"line.purchase_price"}),
    Aspect.PACKING: frozenset({"line.pcs_per_carton", "line.carton_l", "line.carton_w", "line.carton_h",
                               "line.nw_per_carton", "line.gw_per_carton"}),
    Aspect.DELIVERY: frozenset({"order.delivery_date"}),
    Aspect.FACTORY_DATE: frozenset({"order.factory_delivery_date"}),
    Aspect.PORT: frozenset({"order.pol", "order.pod", "order.destination_country"}),
    Aspect.INCOTERM: frozenset({"order.incoterm", "order.incoterm_place"}),
    Aspect.PAYMENT: frozenset({"order.payment_terms", "order.deposit_pct"}),
    Aspect.CANCELLED: frozenset({"order.status"}),
    Aspect.OTHER: frozenset(),
}
LINE_ASPECTS = (Aspect.ITEMS, Aspect.QTY, Aspect.PRICE, Aspect.PURCHASE_PRICE, Aspect.PACKING)
_ORDER_ASPECTS = (Aspect.DELIVERY, Aspect.FACTORY_DATE, Aspect.PORT, Aspect.INCOTERM, Aspect.PAYMENT, Aspect.CANCELLED)


def _num(value: Decimal | int | None) -> str:
    if value is None:
        return "—"
    number = Decimal(value).normalize()
    return f"{number:,f}" if number == number.to_integral() else f"{number:,}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _num(value)
    return str(value).strip()


def _line_keys(lines: Sequence[OrderLine]) -> list[str]:
    """Each line's key: its item no., with ``#2``, ``#3`` … for an item repeated in the order."""
    seen: dict[str, int] = {}
    keys: list[str] = []
    for line in lines:
        item = line.item_no.strip()
        seen[item] = seen.get(item, 0) + 1
        keys.append(item if seen[item] == 1 else f"{item}#{seen[item]}")
    return keys


def _line_values(aspect: Aspect, line: OrderLine, currency: str) -> str:
    if aspect is Aspect.ITEMS:
        return " | ".join(p for p in (line.description or "", line.spec or "") if p) or "—"
    if aspect is Aspect.QTY:
        return f"{_num(line.qty)} {line.unit or ''}".strip()
    if aspect is Aspect.PRICE:
        return f"{currency} {_num(line.unit_price)}".strip()
    if aspect is Aspect.PURCHASE_PRICE:
        return _num(line.purchase_price)
    size = "×".join(_num(v) for v in (line.carton_l, line.carton_w, line.carton_h))
    return (f"{_num(line.pcs_per_carton)}/ctn {size}cm N.W.{_num(line.nw_per_carton)} "
            f"G.W.{_num(line.gw_per_carton)}")


def take_snapshot(order: Order, lines: Sequence[OrderLine]) -> dict[str, Any]:
    """The order's figures per aspect (see the module docstring)."""
    keys = _line_keys(lines)
    currency = _text(order.currency)
    snapshot: dict[str, Any] = {"v": SNAPSHOT_VERSION}
    for aspect in LINE_ASPECTS:
        snapshot[aspect.value] = {key: _line_values(aspect, line, currency) for key, line in zip(keys, lines,
                                                                                                  strict=True)}
    snapshot[Aspect.DELIVERY.value] = _text(order.delivery_date)
    snapshot[Aspect.FACTORY_DATE.value] = _text(order.factory_delivery_date)
    route = " → ".join(p for p in (_text(order.pol), _text(order.pod)) if p)
    country = _text(order.destination_country)
    snapshot[Aspect.PORT.value] = f"{route} ({country})" if country else route
    snapshot[Aspect.INCOTERM.value] = " ".join(p for p in (_text(order.incoterm), _text(order.incoterm_place)) if p)
    deposit = f" ({_num(order.deposit_pct * 100)}%)" if order.deposit_pct is not None else ""
    snapshot[Aspect.PAYMENT.value] = _text(order.payment_terms) + deposit
    snapshot[Aspect.CANCELLED.value] = "yes" if order.is_cancelled else ""
    # a line adds some 150 characters: only a long order can pass the limit, and only its text is measured
    if len(lines) * 150 > _LIMIT // 2 and len(snapshot_text(snapshot)) > _LIMIT:
        for aspect in LINE_ASPECTS:
            snapshot[aspect.value] = _digest(snapshot[aspect.value])
    return snapshot


def _digest(values: Mapping[str, str]) -> dict[str, str]:
    text = json.dumps(values, ensure_ascii=False, sort_keys=True)
    return {"#": hashlib.sha256(text.encode("utf-8")).hexdigest()[:12], "n": str(len(values))}


def snapshot_text(snapshot: Mapping[str, Any]) -> str:
    """The snapshot as the compact JSON kept in a cell."""
    return json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"))


def parse_snapshot(text: str | None) -> dict[str, Any] | None:
    """A snapshot read back from a cell, or None when the cell holds none (or something else)."""
    if not text or not text.lstrip().startswith("{"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) and value.get("v") == SNAPSHOT_VERSION else None


@dataclass(frozen=True, slots=True)
class Difference:
    """One aspect that differs between two snapshots: the old and new values as shown, the one item concerned."""

    aspect: Aspect
    old: str
    new: str
    item_no: str | None = None


def compare_snapshots(before: Mapping[str, Any], now: Mapping[str, Any]) -> list[Difference]:
    """The aspects that differ, in the order of :class:`Aspect` (an aspect missing from either is skipped)."""
    found: list[Difference] = []
    for aspect in (*LINE_ASPECTS, *_ORDER_ASPECTS):
        key = aspect.value
        if key not in before or key not in now or before[key] == now[key]:
            continue
        old, new = before[key], now[key]
        if isinstance(old, dict) and isinstance(new, dict):
            found.append(_line_difference(aspect, old, new))
        else:
            found.append(Difference(aspect, _shown(old), _shown(new)))
    return found


def _shown(value: object) -> str:
    if value == "yes":
        return "已取消 Cancelled"
    return str(value) if value not in ("", None) else "—"


def _line_difference(aspect: Aspect, old: Mapping[str, str], new: Mapping[str, str]) -> Difference:
    if "#" in old or "#" in new:
        return Difference(aspect, f"{old.get('n', len(old))} 行 lines", f"{new.get('n', len(new))} 行 lines (changed)")
    keys = [k for k in dict.fromkeys((*old, *new)) if old.get(k) != new.get(k)]
    more = f"; … +{len(keys) - _SHOWN}" if len(keys) > _SHOWN else ""
    before = "; ".join(f"{k} {old.get(k, '—')}" for k in keys[:_SHOWN]) + more
    after = "; ".join(f"{k} {new.get(k, '—')}" for k in keys[:_SHOWN]) + more
    item = keys[0].split("#", 1)[0] if len(keys) == 1 else None
    return Difference(aspect, before, after, item)
