"""The orders that sail together (拼柜): one shipment's data, gathered from several orders, and its fingerprint.

A shipment is what the 出运 sheet says it is: the rows that share a shipment no. (出运编号), one
or more per order. Orders not on 出运 yet can be shipped as a group of the saved shipment plan
(the 出运计划 sheet that ``gendan plan --write`` writes), named ``G3`` or ``3`` after its 组
column; the pipeline reads that sheet and hands the groups in as plain data, so this module never
opens a file. :func:`gather_shipment` returns a :class:`ShipmentData`: one
:class:`~gendan_xl.documents.source.OrderData` per order (its parts) and the shipment's rows.
The context builder treats an order as a shipment of one part, so every section works on both.

The customer decides how a shipment's invoice and packing list group the lines (客户 sheet,
合并单证分组): by our order (the default), by its own PO no., or as one list. The parts are put in
that group order before anything is counted, so cartons are numbered continuously through the
groups (C/NO. 1–62, 63–140 …).

A shipment document's fingerprint (:func:`shipment_fingerprint`) is ``s1:`` followed by one hash
per order, ``s1:GD2026-041=3f…;GD2026-042=9a…``: each covers the order's fields the kind shows
(plus its numbers in the group headings and the customer's grouping) and the order's 出运 rows
of the shipment, so a change to any order marks the shipment's documents outdated and names the
order. Per-order fingerprints (``v1:``) are untouched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property

from gendan_xl.config import Settings
from gendan_xl.errors import ConfigError
from gendan_xl.models import Customer, OrderLine, SheetInfo, Shipment, Workbook
from gendan_xl.vocab import squash

from .formats import clean_text, joined
from .kinds import SHIPMENT_FIELDS, DocumentKind
from .source import OrderData, digest, gather_order, order_payload, row_payload

__all__ = [
    "SHIPMENT_FINGERPRINT_VERSION",
    "LineGrouping",
    "ShipmentData",
    "gather_shipment",
    "group_key",
    "line_groups",
    "parse_grouping",
    "part_hash",
    "plan_group_key",
    "read_shipment_fingerprint",
    "regather_shipment",
    "shipment_fingerprint",
    "shipment_orders",
]

SHIPMENT_FINGERPRINT_VERSION = "s1"


class LineGrouping(StrEnum):
    """How a shipment's invoice and packing list group the lines (客户 合并单证分组)."""

    ORDER = "order"  # 按订单: a heading and a subtotal per order of ours
    PO = "po"  # 按客户PO: per customer PO no. (orders with the same PO together)
    NONE = "none"  # 不分组: one list


def parse_grouping(text: str | None) -> LineGrouping | None:
    """The grouping a customer asked for (``按订单 By order``, ``按客户PO``, ``不分组``…); empty is by order, None not understood."""
    flat = squash(text or "")
    if not flat:
        return LineGrouping.ORDER
    if "po" in flat:
        return LineGrouping.PO
    if any(word in flat for word in ("不分", "none", "flat", "onelist", "合并列")):
        return LineGrouping.NONE
    if any(word in flat for word in ("订单", "order", "合同", "contract")):
        return LineGrouping.ORDER
    return None


def group_key(part: OrderData, grouping: LineGrouping | None) -> str:
    """The group a part's lines go into: its order no., its customer PO (the order no. without one), or one group."""
    if grouping is LineGrouping.NONE:
        return ""
    if grouping is LineGrouping.PO and part.order.customer_po:
        return "po:" + squash(part.order.customer_po)
    return "order:" + part.order.order_no


@dataclass(frozen=True, slots=True)
class LineGroup:
    """One group of a shipment's lines: indexes into all its lines and the texts a template shows for it."""

    lines: tuple[int, ...]
    values: dict[str, str]


def line_groups(parts: Sequence[OrderData], grouping: LineGrouping | None) -> list[LineGroup]:
    """The parts' lines in groups, with headings (``Order GD2026-041 · Contract … · Customer PO …``) when several."""
    members: dict[str, list[int]] = {}
    for index, part in enumerate(parts):
        members.setdefault(group_key(part, grouping), []).append(index)
    several = len(members) > 1
    starts = [sum(len(p.lines) for p in parts[:i]) for i in range(len(parts))]
    groups: list[LineGroup] = []
    for indexes in members.values():
        chosen = [parts[i] for i in indexes]
        orders = joined(clean_text(p.order.order_no) for p in chosen)
        contracts = joined(clean_text(p.order.contract_no) for p in chosen)
        pos = joined(clean_text(p.order.customer_po) for p in chosen)
        if not several:
            heading = ""
        elif grouping is LineGrouping.PO and chosen[0].order.customer_po:
            heading = f"Customer PO {pos} · Order{'s' if len(chosen) > 1 else ''} {orders}"
        else:
            heading = " · ".join(t for t in (f"Order {orders}", f"Contract {contracts}" if contracts and
                                             contracts != orders else "", f"Customer PO {pos}" if pos else "") if t)
        lines = tuple(starts[i] + n for i in indexes for n in range(len(parts[i].lines)))
        shown = {"orders": orders, "contract_no": contracts, "customer_po": pos} if several else \
            {"orders": "", "contract_no": "", "customer_po": ""}  # one group: the document's header says it all
        groups.append(LineGroup(lines, {"heading": heading, "subtotal": "yes" if several else "", **shown}))
    return groups


@dataclass(frozen=True)
class ShipmentData:
    """The orders of one shipment (its parts, in group order) and the shipment's 出运 rows."""

    name: str  # as the shipment is known: its shipment no., or the plan group (G3)
    parts: tuple[OrderData, ...]
    rows: tuple[Shipment, ...]
    source: str  # "shipments" (the 出运 sheet) or "plan" (the saved shipment plan)
    grouping: LineGrouping | None  # None: the customer's choice was not understood (by order, and a gap)
    settings: Settings
    today: date
    sheets: Mapping[str, SheetInfo] = field(default_factory=dict)
    hs_units: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @cached_property
    def lines(self) -> tuple[OrderLine, ...]:
        """Every line of every part, in group order."""
        return tuple(line for part in self.parts for line in part.lines)

    @property
    def customer(self) -> Customer | None:
        """The first order's customer (the consignee check compares the others')."""
        return self.parts[0].customer

    @property
    def order_nos(self) -> tuple[str, ...]:
        """The orders of the shipment, in group order."""
        return tuple(part.order.order_no for part in self.parts)

    def rows_of(self, order_no: str) -> tuple[Shipment, ...]:
        """The shipment's 出运 rows of one order."""
        return tuple(row for row in self.rows if row.order_no == order_no)

    def sheet_name(self, key: str) -> str:
        """The sheet's name in this workbook (the schema's Chinese name when unknown)."""
        return self.parts[0].sheet_name(key)

    def address(self, key: str, field_name: str, row: int) -> str:
        """``订单!AA5`` for a field of a row."""
        return self.parts[0].address(key, field_name, row)

    def line_rows(self) -> str:
        """``订单明细 rows 12–15, 40–44`` — where the lines of all parts are."""
        spans = [span for part in self.parts if (span := part.line_span())]
        return f"{self.sheet_name('lines')} rows {', '.join(spans)}" if spans else self.sheet_name("lines")


def shipment_orders(workbook: Workbook) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every shipment on the 出运 sheet: its folded number → (the number as written, its orders in sheet order)."""
    found: dict[str, tuple[str, list[str]]] = {}
    for row in workbook.shipments:
        key = squash(row.shipment_no)
        if not key:
            continue
        orders = found.setdefault(key, (row.shipment_no, []))[1]
        if row.order_no not in orders:
            orders.append(row.order_no)
    return {key: (number, tuple(orders)) for key, (number, orders) in found.items()}


def plan_group_key(name: str) -> str:
    """``G3``, ``g 3``, ``组3``, ``3`` → ``3`` (the 组 column of the saved plan); other names unchanged."""
    flat = squash(name)
    for prefix in ("g", "组", "group", "plan"):
        if flat.startswith(prefix) and flat[len(prefix):].isdigit():
            return str(int(flat[len(prefix):]))
    return str(int(flat)) if flat.isdigit() else flat


def gather_shipment(workbook: Workbook, name: str, *, today: date,
                    hs_units: Mapping[str, tuple[str, str]] | None = None,
                    plan: Mapping[str, Sequence[str]] | None = None) -> ShipmentData:
    """Collect one shipment: rows of the 出运 sheet sharing ``name`` as shipment no., else group ``name`` of ``plan``.

    ``plan`` maps the saved plan's group numbers (``"3"``) to their order numbers. ConfigError when
    neither knows the name, when a row names an order that is not on the orders sheet, or when the
    plan group's orders are on 出运 under different shipment numbers (出运 decides).
    """
    number = name.strip()
    on_sheet = shipment_orders(workbook).get(squash(number))
    if on_sheet is not None:
        number, order_nos = on_sheet
        source = "shipments"
    else:
        group = (plan or {}).get(plan_group_key(number))
        if not group:
            known = ", ".join(n for n, _ in shipment_orders(workbook).values())[:300]
            planned = ", ".join(f"G{key}" for key in (plan or {}))[:100]
            raise ConfigError(
                f"出运表中没有出运编号“{name}”，出运计划中也没有这一组（出运：{known or '无'}；计划：{planned or '无'}）",
                f"no shipment “{name}” on the 出运 sheet nor group in the saved shipment plan (shipments: "
                f"{known or 'none'}; plan groups: {planned or 'none'})")
        order_nos = tuple(dict.fromkeys(no.strip() for no in group if no.strip()))
        source = "plan"
    unknown = [no for no in order_nos if no not in workbook.orders_by_no]
    if unknown:
        where = "出运表" if source == "shipments" else "出运计划"
        raise ConfigError(f"{where}“{name}”中的订单不在订单表中：{', '.join(unknown)}",
                          f"shipment “{name}” names orders that are not on the orders sheet: {', '.join(unknown)}")
    wanted = number if source == "shipments" else None
    parts = [gather_order(workbook, no, today=today, hs_units=hs_units, shipment_no=wanted) for no in order_nos]
    if source == "shipments":
        rows = tuple(row for row in workbook.shipments if squash(row.shipment_no) == squash(number))
    else:
        rows = tuple(part.shipment for part in parts if part.shipment is not None)
        numbers = list(dict.fromkeys(row.shipment_no for row in rows))
        if len(numbers) > 1:
            raise ConfigError(f"出运计划第 {plan_group_key(name)} 组的订单在出运表中分属不同出运：{', '.join(numbers)}；"
                              "请按出运编号生成", f"the orders of plan group {plan_group_key(name)} are on the 出运 "
                              f"sheet as different shipments ({', '.join(numbers)}); render those shipments instead")
        number = f"G{plan_group_key(name)}"
    grouping = parse_grouping(parts[0].customer.doc_grouping if parts[0].customer else None)
    order = list(dict.fromkeys(group_key(part, grouping) for part in parts))
    ordered = tuple(sorted(parts, key=lambda part: order.index(group_key(part, grouping))))  # stable: sheet order within
    return ShipmentData(name=number, parts=ordered, rows=rows, source=source, grouping=grouping,
                        settings=workbook.settings, today=today, sheets=workbook.sheets, hs_units=hs_units or {})


# --- fingerprint -----------------------------------------------------------------------------------


def _escape(order_no: str) -> str:
    return order_no.replace("%", "%25").replace(";", "%3B").replace("=", "%3D")


def _unescape(text: str) -> str:
    return text.replace("%3D", "=").replace("%3B", ";").replace("%25", "%")


def part_hash(part: OrderData, rows: tuple[Shipment, ...], kind: DocumentKind) -> str:
    """12 hex digits over one order's fields ``kind`` shows in a shipment and its 出运 rows of the shipment."""
    fields = kind.fields | SHIPMENT_FIELDS
    return digest({"kind": kind.key, **order_payload(part, fields), "shipments": row_payload(rows, fields)}, 12)


def shipment_fingerprint(data: ShipmentData, kind: DocumentKind) -> str:
    """``s1:`` and ``order=hash`` per order of the shipment, ``;``-separated."""
    hashes = (f"{_escape(p.order.order_no)}={part_hash(p, data.rows_of(p.order.order_no), kind)}" for p in data.parts)
    return f"{SHIPMENT_FINGERPRINT_VERSION}:" + ";".join(hashes)


def read_shipment_fingerprint(text: str) -> list[tuple[str, str]] | None:
    """The (order no., hash) pairs of a shipment fingerprint; None if ``text`` is not one."""
    head, _, body = text.strip().partition(":")
    if head != SHIPMENT_FINGERPRINT_VERSION or not body:
        return None
    pairs: list[tuple[str, str]] = []
    for item in body.split(";"):
        order_no, sep, value = item.rpartition("=")
        if not sep or not order_no:
            return None
        pairs.append((_unescape(order_no), value))
    return pairs


def regather_shipment(workbook: Workbook, number: str, order_nos: Sequence[str], *,
                      today: date) -> tuple[ShipmentData | None, dict[str, tuple[OrderData, tuple[Shipment, ...]]]]:
    """A logged shipment as the workbook has it now, to compare fingerprints.

    Returns the shipment when ``number`` is still a shipment on 出运 (None for a plan group, whose
    make-up the workbook does not hold), and, for each logged order still on the orders sheet, its
    data and its rows of the shipment (a plan group's order: its latest 出运 row).
    """
    current: ShipmentData | None = None
    if squash(number) in shipment_orders(workbook):
        try:
            current = gather_shipment(workbook, number, today=today)
        except ConfigError:
            current = None  # a row names an unknown order: the orders are compared one by one below
    parts: dict[str, tuple[OrderData, tuple[Shipment, ...]]] = {}
    for order_no in order_nos:
        if order_no not in workbook.orders_by_no:
            continue
        if current is not None:
            data = gather_order(workbook, order_no, today=today, shipment_no=number)
            rows = current.rows_of(order_no)
        else:
            data = gather_order(workbook, order_no, today=today)
            rows = data.rows
        parts[order_no] = (data, rows)
    return current, parts
