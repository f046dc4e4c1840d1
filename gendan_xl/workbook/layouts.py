"""Layouts: what each sheet of the user's workbook is, found from its columns, not configured.

Each worksheet is scanned once (its first rows: the header and a sample of data rows) and its
role is decided from the column mapping (:mod:`gendan_xl.workbook.mapping`) and, as a tie-break,
its name:

* **split** — an orders sheet and an order-lines sheet (our template's layout, under any names:
  ``2026年订单`` / ``订单明细2026``);
* **flat** — one row per order line with the order's fields on the same sheet: repeated on every
  line, written once in cells merged down the order's rows, or only on its first row with blanks
  below; *one row per order* is the flat layout whose orders have a single line each;
* **several sheets of one layout** (per month, year or customer: ``2026.07``, ``2026年``,
  ``HANSA``) are the parts of one table, read in tab order;
* price history, customers, factories, shipments, payments, samples, complaints and change-log
  sheets, by their columns; the settings and document-log sheets by name.

A sheet whose columns fit no role is listed as not used. :func:`propose_book` returns the
:class:`BookMap` the reader follows (or that ``gendan map`` prints and saves).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from gendan_xl.vocab import squash
from gendan_xl.workbook.headers import HEADER_SCAN_ROWS, find_header_rows
from gendan_xl.workbook.mapping import HIGH, ROLE_SPECS, SAMPLE_ROWS, SheetMap, all_fields_matcher, map_sheet
from gendan_xl.workbook.schema import SHEETS
from gendan_xl.workbook.sources import BookSource, Merged, SheetSource

__all__ = [
    "KEY_FIELDS",
    "BookMap",
    "SheetScan",
    "Table",
    "classify_sheet",
    "propose_book",
    "scan_book",
    "scan_sheet",
]

HEAD_ROWS = HEADER_SCAN_ROWS + SAMPLE_ROWS
KEY_FIELDS = ("order_no", "contract_no", "customer_po")  # what forms an order on a flat sheet, in this order
_ORDER_ONLY = ("customer", "delivery_date", "order_date", "currency", "incoterm", "payment_terms", "factory",
               "destination_country", "pod", "pol", "order_total", "status", "customer_po", "contract_no",
               "deposit_date", "po_issued", "factory_delivery_date", "merchandiser")
_SHIPMENT_ONLY = ("shipment_no", "booking_no", "container_no", "bl_no", "vessel", "forwarder", "container_type",
                  "seal_no", "eta", "bl_date", "loading_date", "declaration_no", "co_no", "inspection_no")
_CUSTOMER_ONLY = ("name", "address", "contact", "email", "phone", "consignee", "notify_party", "marks")
_FACTORY_ONLY = ("name", "address", "contact", "phone", "tax_id", "bank")
# Columns only a samples, complaints or change-log sheet has: two of them (with its required ones) tell it apart.
_LIFECYCLE_ONLY = {
    "samples": ("kind", "sent_date", "courier", "tracking_no", "verdict", "verdict_date"),
    "complaints": ("complaint_type", "description", "resolution", "claim_amount", "agreed_amount", "closed_date"),
    "changes": ("old_value", "new_value", "requested_by", "customer_confirmed", "factory_confirmed",
                "forwarder_confirmed"),
}
# Roles recognised by the sheet's name alone: their columns say too little (key/value settings) or are ours.
_NAME_ONLY = ("settings", "documents")
# A sheet of this name is gendan's own output or its mapping: never an input table.
_OURS = ("出运计划", "xlwings.conf", "映射 Mapping", "映射", "Mapping")


@dataclass
class SheetScan:
    """One worksheet's first rows (merged cells filled) and the rest still to read."""

    name: str
    sheet: SheetSource | None
    col_offset: int
    height: int  # the sheet's rows from row 0 to the last used one
    merged: list[Merged]
    head: list[list[Any]]
    rest: Iterator[list[Any]]

    def release(self) -> None:
        """Drop the sheet once its rows are read (python-calamine holds every cell until then)."""
        self.sheet = None
        self.rest = iter(())


def _fill_head(head: list[list[Any]], merged: Sequence[Merged], col_offset: int) -> None:
    """Give every cell of a merged range inside the head the value of its top-left cell."""
    limit = len(head)
    for (top, left), (bottom, right) in merged:
        if top >= limit or (bottom == top and right == left):
            continue
        top_row = head[top]
        rel = left - col_offset
        value = top_row[rel] if 0 <= rel < len(top_row) else ""
        for r in range(top, min(bottom, limit - 1) + 1):
            row = head[r]
            for c in range(left - col_offset, right - col_offset + 1):
                if 0 <= c < len(row) and (r, c) != (top, rel):
                    row[c] = value


def scan_sheet(source: BookSource, name: str) -> SheetScan:
    """Open one worksheet and read its head (header rows and a sample), merged cells filled."""
    sheet = source.sheet(name)
    if sheet.start is None:
        return SheetScan(name, sheet, 0, 0, [], [], iter(()))
    col_offset = sheet.start[1]
    merged = list(sheet.merged_cell_ranges or [])
    rows = sheet.iter_rows()
    head = list(islice(rows, HEAD_ROWS))
    _fill_head(head, merged, col_offset)
    return SheetScan(name, sheet, col_offset, sheet.height + sheet.start[0], merged, head, rows)


def scan_book(source: BookSource) -> list[SheetScan]:
    """Scan every worksheet except gendan's own output sheets, in tab order."""
    ours = {squash(n) for n in _OURS}
    return [scan_sheet(source, name) for name in source.worksheet_names() if squash(name) not in ours]


def _name_role(name: str) -> str | None:
    folded = squash(name)
    for spec in SHEETS:
        if folded in {squash(n) for n in spec.names}:
            return "flat" if spec.key == "orders" else spec.key
    return None


def _high(result: SheetMap, *keys: str) -> list[str]:
    return [k for k in keys if (c := result.chosen.get(k)) is not None and c.confidence >= HIGH]


def order_key(result: SheetMap, table: str = "orders") -> str | None:
    """The field that forms orders on this sheet: order no., else contract no., else customer PO."""
    return next((f for f in KEY_FIELDS if _high(result, f"{table}.{f}")), None)


def classify_sheet(scan: SheetScan) -> tuple[str, SheetMap | None] | None:
    """The role a sheet plays and its mapping for that role, or None when it holds none of our tables.

    A sheet named as one of ours (订单明细, Customers …) keeps that role even when columns are
    missing (the reader then says which); an orders sheet that also carries the lines' columns is
    a one-sheet tracker. Any other sheet gets the role its columns fit.
    """
    named = _name_role(scan.name)
    header = find_header_rows(all_fields_matcher(), scan.head) if scan.head else None
    if header is None:
        return (("orders" if named == "flat" else named), None) if named is not None else None

    found_profiles: dict[int, Any] = {}

    def mapped(role: str) -> SheetMap | None:
        result = map_sheet(scan.name, scan.head, scan.col_offset, role, header=header,
                           profiles=found_profiles or None)
        if result is not None and role != "settings" and not found_profiles:
            found_profiles.update(result.profiles)  # the same columns for every role: profiled once
        return result

    if named in _NAME_ONLY:
        return named, mapped(named)
    flat = mapped("flat")
    if flat is None:
        return None
    key = order_key(flat)
    order_fields = _high(flat, *(f"orders.{f}" for f in _ORDER_ONLY))
    # a line has an item and a quantity; a price list has items and prices but no quantities
    has_line = len(_high(flat, "lines.item_no", "lines.qty")) == 2
    one_sheet = key is not None and has_line and len(order_fields) >= 1
    if named == "flat":
        return ("flat", flat) if one_sheet else ("orders", mapped("orders"))
    if named == "lines":
        return ("flat", flat) if one_sheet and len(order_fields) >= 3 else ("lines", mapped("lines"))
    if named is not None:
        return named, mapped(named)
    if not has_line:
        for role in ("shipments", "samples", "complaints", "changes", "customers", "factories", "payments",
                     "price_history"):
            found = _try_role(role, mapped, named)
            if found is not None:
                return found
    if one_sheet:
        return "flat", flat
    lines = mapped("lines")
    if lines is not None and has_line and len(_high(lines, "lines.order_no", "lines.item_no")) == 2:
        return "lines", lines
    orders = mapped("orders")
    if orders is not None and order_key(orders) is not None and order_fields:
        return "orders", orders
    return None


def _try_role(role: str, mapped: Any, named: str | None) -> tuple[str, SheetMap | None] | None:
    result: SheetMap | None = mapped(role)
    if result is None:
        return None
    spec = ROLE_SPECS[role][0]
    required = [f"{spec.key}.{c.field}" for c in spec.required_columns]
    has_required = not result.doubtful(required)
    if named == role and has_required:
        return role, result
    prefix = spec.key + "."
    own = _LIFECYCLE_ONLY.get(role)
    if own and has_required and len(_high(result, *(prefix + f for f in own))) >= 2:
        return role, result
    if role == "shipments" and len(_high(result, *(prefix + f for f in _SHIPMENT_ONLY))) >= 3:
        return role, result
    if role == "customers" and has_required and len(_high(result, *(prefix + f for f in _CUSTOMER_ONLY))) >= 2:
        return role, result
    if role == "factories" and has_required and len(_high(result, *(prefix + f for f in _FACTORY_ONLY))) >= 2:
        return role, result
    if role == "payments" and has_required and (named == role or _high(result, "payments.kind", "payments.reference")):
        return role, result
    if role == "price_history" and has_required and _high(result, "price_history.unit_price",
                                                          "price_history.purchase_price"):
        return role, result
    return None


@dataclass
class Table:
    """One of our tables in the user's workbook: its role and the sheets that hold it (one or several)."""

    role: str
    parts: list[SheetMap] = field(default_factory=list)
    key: str = "order_no"  # the field that forms orders (flat and orders tables)

    @property
    def sheets(self) -> list[str]:
        """The sheets' names, in tab order."""
        return [p.sheet for p in self.parts]


@dataclass
class BookMap:
    """Which sheet holds which table and how its columns map; where the mapping came from."""

    tables: dict[str, Table] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)  # worksheets that hold none of our tables
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, the sheet read instead, role)
    source: str = "proposed"  # proposed | sheet | sidecar

    @property
    def layout(self) -> str:
        """``flat`` (orders and lines on one sheet) or ``split``."""
        return "flat" if "flat" in self.tables else "split"

    def table(self, role: str) -> Table | None:
        """The table of a role, if the workbook has one."""
        return self.tables.get(role)

    def sheet_map(self, sheet: str) -> SheetMap | None:
        """The mapping of one sheet, if it holds one of our tables."""
        return next((p for t in self.tables.values() for p in t.parts if p.sheet == sheet), None)


def propose_book(scans: Sequence[SheetScan]) -> BookMap:
    """Decide every sheet's role and group the sheets of one role into one table."""
    book = BookMap()
    named_first: dict[str, str] = {}
    for scan in scans:
        found = classify_sheet(scan)
        if found is None:
            book.unused.append(scan.name)
            continue
        role, mapped = found
        result = mapped if mapped is not None else SheetMap(scan.name, role, -1, -1, scan.col_offset)  # no header
        named = _name_role(scan.name)
        if named is not None and _exact_name(scan.name):
            first = named_first.get(role)
            if first is not None:
                book.duplicates.append((scan.name, first, role))
                continue
            named_first[role] = scan.name
        table = book.tables.setdefault(role, Table(role))
        table.parts.append(result)
    for table in book.tables.values():
        ours = [p for p in table.parts if _exact_name(p.sheet)]
        if ours and len(table.parts) > 1:
            # our own sheet (订单明细) beside look-alikes (订单明细 (2), a copy): the copies are not read
            book.unused.extend(p.sheet for p in table.parts if p not in ours)
            table.parts = ours
    if "flat" in book.tables and "orders" in book.tables and "lines" not in book.tables:
        # an orders sheet and a lines sheet that repeats an order field or two (the customer): split
        flat = book.tables.pop("flat")
        book.tables["lines"] = Table("lines", [_as_lines(scans, part) for part in flat.parts])
    if "flat" in book.tables and "lines" in book.tables:
        # a workbook with an order-lines sheet is split: a sheet that also carries line columns is its orders sheet
        flat = book.tables.pop("flat")
        for part in flat.parts:
            book.unused.append(part.sheet)
    for table in book.tables.values():
        if table.role in ("flat", "orders"):
            table.key = next((k for k in (order_key(p) for p in table.parts) if k is not None), "order_no")
    return book


def _as_lines(scans: Sequence[SheetScan], part: SheetMap) -> SheetMap:
    scan = next(s for s in scans if s.name == part.sheet)
    found = map_sheet(scan.name, scan.head, scan.col_offset, "lines", header=(part.header_row, part.last_header_row))
    return found if found is not None else part


def _exact_name(name: str) -> bool:
    """True for a sheet named exactly as one of the schema's sheets (订单, Orders …), not 2026年订单."""
    folded = squash(name)
    return any(folded == squash(n) for spec in SHEETS for n in spec.names)
