"""The data one order's documents are made from, gathered from the validated workbook, and its fingerprint.

Documents never read cells: :func:`gather_order` picks the order, its lines, its customer and
factory master rows and its (latest) shipment row out of a :class:`~gendan_xl.models.Workbook`.
:func:`fingerprint` hashes exactly the fields a kind of document is made from (see
:mod:`gendan_xl.documents.kinds`), so the document log can tell later whether the order has
changed since a document was issued.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from gendan_xl.config import Settings
from gendan_xl.findings import format_address
from gendan_xl.models import Customer, Factory, Order, OrderLine, SheetInfo, Shipment, Workbook
from gendan_xl.vocab import squash
from gendan_xl.workbook.schema import sheet_spec

from .kinds import DocumentKind

__all__ = ["FINGERPRINT_VERSION", "OrderData", "digest", "fingerprint", "gather_order", "match_code", "order_payload",
           "row_payload"]

FINGERPRINT_VERSION = "v1"


@dataclass(frozen=True)
class OrderData:
    """One order with everything its documents show, plus where each piece sits in the workbook."""

    order: Order
    lines: tuple[OrderLine, ...]
    customer: Customer | None
    factory: Factory | None
    shipment: Shipment | None
    settings: Settings
    today: date
    sheets: Mapping[str, SheetInfo] = field(default_factory=dict)
    hs_units: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def sheet_name(self, key: str) -> str:
        """The sheet's name in this workbook (the schema's Chinese name when unknown)."""
        info = self.sheets.get(key)
        return info.name if info else sheet_spec(key).zh

    def address(self, key: str, field_name: str, row: int) -> str:
        """``订单!AA5`` for a field of a row (the sheet and row only when the column is unknown).

        A table kept on several sheets names the row's own sheet (see ``SheetInfo.locate``).
        """
        info = self.sheets.get(key)
        if info is None:
            return format_address(self.sheet_name(key), f"A{row}")
        sheet, cell, _ = info.locate(field_name, row)
        return format_address(sheet, cell)

    def line_rows(self) -> str:
        """``订单明细 rows 12–15`` — where the lines are."""
        span = self.line_span()
        return f"{self.sheet_name('lines')} rows {span}" if span else self.sheet_name("lines")

    def line_span(self) -> str:
        """``12–15`` (empty without lines)."""
        rows = [line.row for line in self.lines]
        if not rows:
            return ""
        return f"{min(rows)}" if min(rows) == max(rows) else f"{min(rows)}–{max(rows)}"

    @property
    def parts(self) -> tuple[OrderData, ...]:
        """The orders a document of this data shows: this one (a shipment has several)."""
        return (self,)

    @property
    def rows(self) -> tuple[Shipment, ...]:
        """The 出运 rows the documents take transport and invoice data from."""
        return (self.shipment,) if self.shipment is not None else ()

    def rows_of(self, order_no: str) -> tuple[Shipment, ...]:
        """The 出运 rows of one order of the documents (this one's row)."""
        return self.rows if order_no == self.order.order_no else ()


def match_code(code: str | None, candidates: Mapping[str, Any]) -> Any:
    """The master row whose code matches ``code`` loosely (case, spaces, full-width ignored)."""
    if not code:
        return None
    return candidates.get(squash(code))


def gather_order(workbook: Workbook, order_no: str, *, today: date,
                 hs_units: Mapping[str, tuple[str, str]] | None = None, shipment_no: str | None = None) -> OrderData:
    """Collect one order's data; KeyError if the workbook has no such order.

    The shipment row is the order's latest on 出运, or with ``shipment_no`` its row of that shipment.
    """
    order = workbook.orders_by_no[order_no]
    customers, factories = workbook.masters_by_code  # built once per workbook: one lookup per order
    shipments = [s for s in workbook.shipments_by_order.get(order_no, [])
                 if shipment_no is None or squash(s.shipment_no) == squash(shipment_no)]
    return OrderData(
        order=order,
        lines=tuple(workbook.lines_by_order.get(order_no, ())),
        customer=match_code(order.customer, customers),
        factory=match_code(order.factory, factories),
        shipment=shipments[-1] if shipments else None,  # a split shipment: the latest row is the current one
        settings=workbook.settings,
        today=today,
        sheets=workbook.sheets,
        hs_units=hs_units or {},
    )


def _plain(value: Any) -> Any:
    """A JSON-stable form: Decimals normalised (10.0 and 10 hash alike), dates as ISO text."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)  # an int column and a decimal column holding 10 hash alike
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value else "NaN"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _pick(model: BaseModel | None, names: list[str]) -> dict[str, Any] | None:
    if model is None:
        return None
    return {name: _plain(getattr(model, name)) for name in names}


def fingerprint(data: OrderData, kind: DocumentKind) -> str:
    """A stable hash of the order data ``kind`` is made from: ``v1:`` and 16 hex digits.

    Row numbers are not part of it (sorting the sheet does not change a document); neither are
    fields the kind does not show, nor the company settings.
    """
    wanted = _wanted(kind.fields)
    payload = {"kind": kind.key, **order_payload(data, wanted),
               "shipment": _pick(data.shipment, wanted.get("shipment", []))}
    return f"{FINGERPRINT_VERSION}:{digest(payload, 16)}"


def _wanted(fields: frozenset[str]) -> dict[str, list[str]]:
    wanted: dict[str, list[str]] = {}
    for item in sorted(fields):
        model, name = item.split(".", 1)
        wanted.setdefault(model, []).append(name)
    return wanted


def order_payload(data: OrderData, wanted: Mapping[str, list[str]] | frozenset[str]) -> dict[str, Any]:
    """The order's fields (``wanted``: field names per model, or ``model.field`` names) as JSON-stable data."""
    if isinstance(wanted, frozenset):
        wanted = _wanted(wanted)
    return {
        "order": _pick(data.order, wanted.get("order", [])),
        "lines": [_pick(line, wanted["line"]) for line in data.lines] if "line" in wanted else [],
        "customer": _pick(data.customer, wanted.get("customer", [])),
        "factory": _pick(data.factory, wanted.get("factory", [])),
    }


def row_payload(rows: tuple[Shipment, ...], fields: frozenset[str]) -> list[dict[str, Any] | None]:
    """The ``shipment.*`` fields of 出运 rows as JSON-stable data."""
    names = _wanted(fields).get("shipment", [])
    return [_pick(row, names) for row in rows]


def digest(payload: Any, length: int) -> str:
    """The first ``length`` hex digits of the SHA-256 of ``payload`` as canonical JSON."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]
