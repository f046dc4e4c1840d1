"""Domain models: the validated content of the master order workbook.

Every row model carries ``row``, the Excel row number it came from, so any finding can point at
the exact cell (``订单明细!I17``) through :meth:`Workbook.cell`. Money and quantities are
``Decimal``; dates are ``date``. Field names match the columns in :mod:`gendan_xl.workbook.schema`
(a test keeps the two in step).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field

from gendan_xl.config import Settings
from gendan_xl.fastmodel import typed_constructor
from gendan_xl.findings import Finding, Severity, format_address
from gendan_xl.vocab import OrderStatus, PaymentTerms, parse_payment_terms, squash

__all__ = [
    "ROW_STRIDE",
    "Change",
    "Complaint",
    "Customer",
    "DocumentRecord",
    "Factory",
    "Order",
    "OrderLine",
    "Payment",
    "PriceRecord",
    "RowModel",
    "Sample",
    "SheetInfo",
    "Shipment",
    "Workbook",
    "column_letter",
    "round_money",
]

CENT = Decimal("0.01")
# A table kept on several sheets (one per month …) numbers its rows part × ROW_STRIDE + the Excel row, so a
# model's ``row`` names its sheet too (see SheetInfo.part_of); Excel has at most 1,048,576 rows.
ROW_STRIDE = 10_000_000


def round_money(value: Decimal) -> Decimal:
    """Round half-up to cents, as invoices do (never banker's rounding)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def column_letter(index: int) -> str:
    """Excel column letters for a 1-based column index (1 → A, 27 → AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


RowT = TypeVar("RowT", bound="RowModel")


class RowModel(BaseModel):
    """Base of every row model: where the row is in the workbook. Rows are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    row: int = Field(description="Excel row number (1-based) the values came from")

    @classmethod
    def constructor(cls: type[RowT]) -> Callable[[dict[str, Any]], RowT]:
        """A fast constructor for values the reader's column parsers already typed.

        pydantic's own validation would take longer than reading the file at 100,000 rows; the
        parsers produce exactly the field types (a test validates read rows with
        ``model_validate`` and compares). See :mod:`gendan_xl.fastmodel`.
        """
        return typed_constructor(cls)


class Order(RowModel):
    """One export order (订单)."""

    order_no: str
    customer: str | None = None
    customer_po: str | None = None
    contract_no: str | None = None
    order_date: date | None = None
    currency: str | None = None
    incoterm: str | None = None
    incoterm_place: str | None = None
    pol: str | None = None
    pod: str | None = None
    destination_country: str | None = None
    payment_terms: str | None = None
    deposit_pct: Decimal | None = None
    deposit_date: date | None = None
    deposit_amount: Decimal | None = None
    lc_date: date | None = None
    lc_latest_shipment: date | None = None
    lc_expiry: date | None = None
    lc_presentation_days: int | None = None
    delivery_date: date | None = None
    factory: str | None = None
    po_no: str | None = None
    po_issued: date | None = None
    po_signed: date | None = None
    factory_delivery_date: date | None = None
    factory_confirmed: date | None = None
    sample_approved: date | None = None
    pp_sample: str | None = None
    inspection_required: bool | None = None
    etd: date | None = None
    order_total: Decimal | None = None
    status: OrderStatus | None = None
    merchandiser: str | None = None
    remarks: str | None = None

    @cached_property
    def terms(self) -> PaymentTerms | None:
        """The payment terms classified (T/T deposit, L/C …), or None if not understood."""
        return parse_payment_terms(self.payment_terms) if self.payment_terms else None

    @property
    def deposit_share(self) -> Decimal | None:
        """Deposit share: the Deposit % column, else the share named in the payment terms."""
        if self.deposit_pct is not None:
            return self.deposit_pct
        return self.terms.deposit_pct if self.terms else None

    @property
    def is_shipped(self) -> bool:
        """True once the goods have left."""
        return self.status is not None and self.status.is_shipped

    @property
    def is_cancelled(self) -> bool:
        """True for a cancelled order."""
        return self.status is OrderStatus.CANCELLED

    @property
    def is_closed(self) -> bool:
        """True when no follow-up is due any more (completed or cancelled)."""
        return self.status is not None and self.status.is_closed


class OrderLine(RowModel):
    """One item of an order (订单明细)."""

    order_no: str
    item_no: str
    description: str | None = None
    spec: str | None = None
    hs_code: str | None = None
    qty: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    purchase_price: Decimal | None = None
    pcs_per_carton: int | None = None
    carton_l: Decimal | None = None
    carton_w: Decimal | None = None
    carton_h: Decimal | None = None
    nw_per_carton: Decimal | None = None
    gw_per_carton: Decimal | None = None
    brand: str | None = None
    origin_criterion: str | None = None
    remarks: str | None = None

    @property
    def computed_amount(self) -> Decimal | None:
        """qty × unit price, rounded half-up to cents."""
        if self.qty is None or self.unit_price is None:
            return None
        return round_money(self.qty * self.unit_price)

    @property
    def cartons(self) -> int | None:
        """Cartons needed: ceil(qty ÷ pcs per carton)."""
        if self.qty is None or not self.pcs_per_carton or self.pcs_per_carton <= 0:
            return None
        return math.ceil(self.qty / self.pcs_per_carton)

    @property
    def carton_cbm(self) -> Decimal | None:
        """Volume of one carton in m³: L × W × H (cm) ÷ 1,000,000."""
        if self.carton_l is None or self.carton_w is None or self.carton_h is None:
            return None
        return self.carton_l * self.carton_w * self.carton_h / Decimal(1_000_000)

    @property
    def has_carton_data(self) -> bool:
        """True when cartons, volume and weights can all be computed."""
        return None not in (self.cartons, self.carton_cbm, self.gw_per_carton)


class PriceRecord(RowModel):
    """A confirmed price from an earlier contract (价格记录)."""

    customer: str | None = None
    factory: str | None = None
    item_no: str
    currency: str | None = None
    incoterm: str | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    purchase_price: Decimal | None = None
    contract_no: str | None = None
    contract_date: date
    remarks: str | None = None


class Customer(RowModel):
    """A customer (客户)."""

    code: str
    name: str | None = None
    country: str | None = None
    address: str | None = None
    contact: str | None = None
    email: str | None = None
    phone: str | None = None
    consignee: str | None = None
    notify_party: str | None = None
    marks: str | None = None
    payment_terms: str | None = None
    co_type: str | None = None
    currency: str | None = None
    doc_grouping: str | None = None
    pp_sample: str | None = None


class Factory(RowModel):
    """A factory / supplier (工厂)."""

    code: str
    name: str | None = None
    address: str | None = None
    contact: str | None = None
    phone: str | None = None
    tax_id: str | None = None
    bank: str | None = None


class Shipment(RowModel):
    """One order's part of a shipment (出运): booking, container, B/L, documents, inspection record, C/O."""

    shipment_no: str
    order_no: str
    booking_no: str | None = None
    forwarder: str | None = None
    booking_date: date | None = None
    container_type: str | None = None
    container_no: str | None = None
    seal_no: str | None = None
    loading_date: date | None = None
    etd: date | None = None
    eta: date | None = None
    vessel: str | None = None
    bl_no: str | None = None
    bl_date: date | None = None
    bl_released: date | None = None
    documents_presented: date | None = None
    documents_accepted: date | None = None
    maturity_date: date | None = None
    invoice_amount: Decimal | None = None
    shipped_qty: Decimal | None = None
    inspection_applied: date | None = None
    inspection_no: str | None = None
    inspection_date: date | None = None
    inspection_valid_until: date | None = None
    inspection_amount: Decimal | None = None
    inspection_qty: Decimal | None = None
    co_type: str | None = None
    co_applied: date | None = None
    co_no: str | None = None
    declaration_no: str | None = None
    declaration_date: date | None = None
    remarks: str | None = None


class Payment(RowModel):
    """Money received (收款)."""

    order_no: str
    date: date
    amount: Decimal
    bank_charges: Decimal | None = None
    currency: str | None = None
    kind: str | None = None
    reference: str | None = None
    remarks: str | None = None


class DocumentRecord(RowModel):
    """One rendered document, as recorded in the document log (单证记录)."""

    order_no: str
    kind: str
    doc_no: str | None = None
    file: str | None = None
    rendered_at: date | None = None
    fingerprint: str
    recalled: bool | None = None
    snapshot: str | None = None
    remarks: str | None = None


class Sample(RowModel):
    """A sample sent to the customer (样品): pre-production, shipping or approval sample, and the verdict."""

    order_no: str
    sample_no: str | None = None
    item_no: str | None = None
    kind: str | None = None
    sent_date: date | None = None
    courier: str | None = None
    tracking_no: str | None = None
    verdict: str | None = None
    verdict_date: date | None = None
    comments: str | None = None


class Complaint(RowModel):
    """A customer complaint (客诉) about an order: what, whose fault, how it was settled."""

    order_no: str
    complaint_date: date
    complaint_no: str | None = None
    item_no: str | None = None
    complaint_type: str | None = None
    description: str | None = None
    factory: str | None = None
    resolution: str | None = None
    claim_amount: Decimal | None = None
    currency: str | None = None
    agreed_amount: Decimal | None = None
    closed_date: date | None = None
    remarks: str | None = None


class Change(RowModel):
    """A change of an order (改单) or its cancellation, and who has confirmed it."""

    order_no: str
    changed_on: date
    what: str
    item_no: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    requested_by: str | None = None
    customer_confirmed: date | None = None
    factory_confirmed: date | None = None
    forwarder_confirmed: date | None = None
    snapshot: str | None = None
    remarks: str | None = None


class SheetInfo(BaseModel):
    """Where a schema sheet was found in the workbook and how its columns are laid out.

    A table kept on several sheets lists them in ``parts`` (each a SheetInfo of its own, the first
    being this one's copy); its rows are numbered ``part × ROW_STRIDE + Excel row``. On a one-sheet
    tracker (``layout`` flat) the orders and the lines are on the same sheets; ``order_key`` says
    which column forms the orders and ``merged_orders`` that the order's cells are merged down its rows.
    """

    key: str
    name: str
    header_row: int
    last_header_row: int
    columns: dict[str, int] = {}
    extra_columns: dict[int, str] = {}
    status_columns: dict[str, int] = {}
    status_rows: list[int] = []
    last_column: int = 0
    last_row: int = 0
    parts: list[SheetInfo] = []
    layout: str = "split"
    order_key: str = "order_no"
    merged_orders: bool = False

    def letter(self, field: str) -> str | None:
        """Column letter of a field, or None if the sheet has no such column."""
        index = self.columns.get(field)
        return column_letter(index) if index else None

    def part_of(self, row: int) -> tuple[SheetInfo, int]:
        """The sheet (part) a model's row number is on and its Excel row there."""
        if not self.parts:
            return self, row
        part, excel_row = divmod(row, ROW_STRIDE)
        return self.parts[min(part, len(self.parts) - 1)], excel_row

    def locate(self, field: str | None, row: int) -> tuple[str, str, int]:
        """Sheet name, cell reference (``I17``; column A when the field has no column) and Excel row of a field."""
        part, excel_row = self.part_of(row)
        letter = part.letter(field) if field else None
        return part.name, f"{letter or 'A'}{excel_row}", excel_row

    @property
    def sheets(self) -> list[SheetInfo]:
        """Every sheet of the table (itself when it is on one sheet)."""
        return self.parts or [self]


def _is_row_model(kind: object) -> bool:
    return isinstance(kind, type) and issubclass(kind, RowModel)


class Workbook(BaseModel):
    """Everything read from one master order workbook, with the problems found while reading."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    path: Path | None = None
    orders: list[Order] = []
    lines: list[OrderLine] = []
    price_history: list[PriceRecord] = []
    customers: list[Customer] = []
    factories: list[Factory] = []
    shipments: list[Shipment] = []
    payments: list[Payment] = []
    samples: list[Sample] = []
    complaints: list[Complaint] = []
    changes: list[Change] = []
    documents: list[DocumentRecord] = []
    settings: Settings = Field(default_factory=Settings)
    sheets: dict[str, SheetInfo] = {}
    findings: list[Finding] = []

    def cell(self, sheet_key: str, field: str | None, row: int | None) -> tuple[str | None, str | None]:
        """The sheet name and cell reference (``I17``) of a field in a row, as far as known."""
        name, cell, _ = self.locate(sheet_key, field, row)
        return name, cell

    def locate(self, sheet_key: str, field: str | None, row: int | None) -> tuple[str | None, str | None, int | None]:
        """The sheet name, cell reference and Excel row of a field in a model's row (see SheetInfo.part_of)."""
        info = self.sheets.get(sheet_key)
        if info is None:
            return None, None, row
        if row is None:
            return info.name, None, None
        return info.locate(field, row)

    def address(self, sheet_key: str, field: str | None, row: int | None) -> str:
        """``订单明细!I17`` for a field in a row."""
        return format_address(*self.cell(sheet_key, field, row))

    @cached_property
    def lines_by_order(self) -> dict[str, list[OrderLine]]:
        """Order lines grouped by order number, in sheet order."""
        grouped: dict[str, list[OrderLine]] = defaultdict(list)
        for line in self.lines:
            grouped[line.order_no].append(line)
        return dict(grouped)

    @cached_property
    def shipments_by_order(self) -> dict[str, list[Shipment]]:
        """Shipment rows grouped by order number, in sheet order."""
        grouped: dict[str, list[Shipment]] = defaultdict(list)
        for shipment in self.shipments:
            grouped[shipment.order_no].append(shipment)
        return dict(grouped)

    @cached_property
    def masters_by_code(self) -> tuple[dict[str, Customer], dict[str, Factory]]:
        """Customers and factories by their code folded for lookups (case, spaces, full-width ignored)."""
        return {squash(c.code): c for c in self.customers}, {squash(f.code): f for f in self.factories}

    @cached_property
    def orders_by_no(self) -> dict[str, Order]:
        """Orders by number (the first row wins when a number is duplicated)."""
        table: dict[str, Order] = {}
        for order in self.orders:
            table.setdefault(order.order_no, order)
        return table

    @classmethod
    def row_fields(cls) -> tuple[str, ...]:
        """The fields holding a sheet's rows, named like their sheet keys (``orders``, ``lines`` …)."""
        return tuple(name for name, info in cls.model_fields.items()
                     if get_origin(info.annotation) is list and _is_row_model(get_args(info.annotation)[0]))

    def counts(self) -> dict[str, int]:
        """Rows read per sheet key."""
        return {key: len(getattr(self, key)) for key in self.row_fields()}

    def errors(self) -> Iterator[Finding]:
        """The findings of severity error."""
        return (f for f in self.findings if f.severity is Severity.ERROR)
