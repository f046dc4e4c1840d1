"""The document kinds: names, template files, what each shows and which data it depends on.

Each kind declares the *sections* of the context it uses (see :mod:`gendan_xl.documents.context`)
and where its stated total comes from. The sections decide the kind's fingerprint fields: the
model fields a document of that kind is made from, so that a change to a field the document does
not show (a purchase price on a commercial invoice, the ETA on a sales contract) does not mark
it outdated. A test mutates every field outside a kind's set and asserts the kind's context is
unchanged, so the declarations cannot drift from the context builder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from gendan_xl.errors import ConfigError
from gendan_xl.vocab import squash

__all__ = [
    "AMOUNT_SOURCES",
    "KINDS",
    "SECTION_FIELDS",
    "SHIPMENT_FIELDS",
    "SHIPMENT_KINDS",
    "DocumentKind",
    "document_file_name",
    "find_kind",
    "parse_kinds",
    "safe_file_stem",
    "split_kinds",
]

# Model fields each context section reads, as "model.field". ``line`` is an order line.
SECTION_FIELDS: dict[str, frozenset[str]] = {
    "order": frozenset({
        "order.order_no", "order.customer_po", "order.contract_no", "order.order_date", "order.currency",
        "order.incoterm", "order.incoterm_place", "order.pol", "order.pod", "order.destination_country",
        "order.payment_terms", "order.deposit_pct", "order.delivery_date", "order.customer", "customer.code",
        "customer.currency",
    }),
    "buyer": frozenset({
        "order.customer", "customer.code", "customer.name", "customer.address", "customer.country",
        "customer.contact", "customer.phone", "customer.email",
    }),
    "consignee": frozenset({
        "order.customer", "customer.code", "customer.name", "customer.address", "customer.consignee",
        "customer.notify_party",
    }),
    "marks": frozenset({"order.customer", "customer.code", "customer.marks"}),
    # The order number and each line's order number tie the lines to the order.
    "goods": frozenset({"order.order_no", "line.order_no", "line.item_no", "line.description", "line.spec",
                        "line.qty", "line.unit"}),
    "sales": frozenset({"line.qty", "line.unit_price"}),
    "packing": frozenset({
        "line.qty", "line.pcs_per_carton", "line.carton_l", "line.carton_w", "line.carton_h",
        "line.nw_per_carton", "line.gw_per_carton",
    }),
    # Customs items carry each item's net weight and cartons, so the declaration reads the packing too.
    "customs": frozenset({
        "line.hs_code", "line.brand", "order.destination_country", "order.incoterm", "shipment.co_type",
        "shipment.order_no", "shipment.declaration_no", "line.qty", "line.pcs_per_carton", "line.carton_l",
        "line.carton_w", "line.carton_h", "line.nw_per_carton", "line.gw_per_carton",
    }),
    "purchase": frozenset({
        "order.factory", "order.po_no", "order.po_issued", "order.factory_delivery_date", "order.order_no",
        "order.pol", "line.purchase_price", "factory.code", "factory.name", "factory.address",
        "factory.contact", "factory.phone", "factory.tax_id", "factory.bank",
    }),
    "invoice": frozenset({"shipment.order_no", "shipment.shipment_no", "shipment.loading_date", "order.contract_no",
                          "order.order_no"}),
    # Without a container type on 出运, the containers are suggested from the packed volume and weight.
    "transport": frozenset({
        "shipment.order_no", "shipment.booking_no", "shipment.forwarder", "shipment.booking_date",
        "shipment.container_type", "shipment.container_no", "shipment.seal_no", "shipment.etd", "shipment.eta",
        "shipment.vessel", "shipment.bl_no", "shipment.bl_date", "order.etd", "line.qty", "line.pcs_per_carton",
        "line.carton_l", "line.carton_w", "line.carton_h", "line.nw_per_carton", "line.gw_per_carton",
    }),
    "inspection": frozenset({
        "shipment.order_no", "shipment.inspection_applied", "shipment.inspection_no", "order.factory",
        "factory.code", "factory.name", "factory.address",
    }),
    # The C/O application: the certificate for the destination, the route, the producers and the goods by HS
    # code with their origin criterion, packages, weights and value.
    "origin": frozenset({
        "order.destination_country", "order.pol", "order.pod", "order.factory", "factory.code", "factory.name",
        "factory.address", "shipment.order_no", "shipment.co_type", "shipment.co_applied", "shipment.co_no",
        "line.hs_code", "line.description", "line.unit", "line.brand", "line.qty", "line.unit_price",
        "line.origin_criterion", "line.pcs_per_carton", "line.carton_l", "line.carton_w", "line.carton_h",
        "line.nw_per_carton", "line.gw_per_carton",
    }),
}

# What a shipment's documents show beyond each kind's fields: the orders' numbers in the group headings and
# the customer's choice of grouping (see gendan_xl.documents.shipment).
SHIPMENT_FIELDS: frozenset[str] = frozenset({
    "order.order_no", "order.contract_no", "order.customer_po", "customer.doc_grouping", "shipment.shipment_no",
})

# Where a document's stated total comes from, in order of preference.
AMOUNT_SOURCES: dict[str, frozenset[str]] = {
    "lines": frozenset({"line.qty", "line.unit_price"}),
    "order_total": frozenset({"order.order_total"}),
    "invoice_amount": frozenset({"shipment.order_no", "shipment.invoice_amount"}),
}


@dataclass(frozen=True, slots=True)
class DocumentKind:
    """One kind of document: its key (used in file names and ``--kind``), titles and data."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...]
    sections: tuple[str, ...]
    amount_sources: tuple[str, ...] = ()  # empty: the document states no sales total
    description: str = ""
    per_shipment: bool = False  # also made once for a shipment of several orders (gendan docs --shipment)

    @property
    def template_name(self) -> str:
        """File name of the kind's template (built-in and user override alike)."""
        return f"{self.key}.docx"

    @property
    def title(self) -> str:
        """``形式发票 Proforma Invoice``."""
        return f"{self.zh} {self.en}"

    @property
    def names(self) -> tuple[str, ...]:
        """Every name accepted for this kind (``--kind``, the log sheet)."""
        return (self.key, self.zh, self.en, self.title, f"{self.zh}{self.en}", f"{self.zh} {self.key}",
                *self.aliases)

    @property
    def fields(self) -> frozenset[str]:
        """The model fields this kind's documents are made from (its fingerprint fields)."""
        used: set[str] = set()
        for section in self.sections:
            used |= SECTION_FIELDS[section]
        for source in self.amount_sources:
            used |= AMOUNT_SOURCES[source]
        return frozenset(used)


K = DocumentKind
KINDS: tuple[DocumentKind, ...] = (
    K("proforma-invoice", "形式发票", "Proforma Invoice", ("pi", "proforma", "形式发票", "PI"),
      ("order", "buyer", "goods", "sales"), ("lines",),
      "Sent to the customer to confirm the order and ask for the deposit: prices, totals, terms, bank."),
    K("sales-contract", "销售合同", "Sales Contract", ("sc", "contract", "销售合同", "外销合同"),
      ("order", "buyer", "marks", "goods", "sales"), ("order_total", "lines"),
      "Bilingual contract with the customer: goods, total in words (EN and 大写), shipment and payment clauses."),
    K("purchase-contract", "采购合同", "Purchase Contract", ("pc", "po", "购货合同", "采购合同"),
      ("goods", "packing", "purchase", "marks"), (),
      "Chinese contract with the factory: goods, purchase prices, total in 大写, delivery, quality, carton data."),
    K("commercial-invoice", "商业发票", "Commercial Invoice", ("ci", "invoice", "发票", "商业发票"),
      ("order", "buyer", "consignee", "marks", "goods", "sales", "packing", "invoice", "transport"), ("lines",),
      "The shipment's invoice: invoice no. and date, goods at contract prices, totals, marks, vessel.", True),
    K("packing-list", "装箱单", "Packing List", ("pl", "packing", "装箱单"),
      ("order", "buyer", "consignee", "marks", "goods", "packing", "invoice"), (),
      "Carton numbers, pieces, N.W., G.W. and measurement per line with totals and marks.", True),
    K("booking-note", "托书", "Booking Note", ("bn", "so", "booking", "shipping-order", "托书", "订舱委托书"),
      ("order", "consignee", "marks", "goods", "packing", "invoice", "transport"), (),
      "Shipping order (托书) to the forwarder: parties, ports, goods, cartons, G.W., CBM, containers.", True),
    K("shipping-advice", "装运通知", "Shipping Advice", ("sa", "advice", "装运通知", "装船通知"),
      ("order", "buyer", "consignee", "marks", "goods", "packing", "invoice", "transport"),
      ("invoice_amount", "lines"),
      "Tells the customer the goods have sailed: vessel, B/L, containers, ETD/ETA, quantities, value.", True),
    K("customs-data", "报关资料", "Customs Declaration Data", ("cd", "customs", "报关", "报关资料", "报关单"),
      ("order", "consignee", "marks", "goods", "sales", "packing", "customs", "invoice", "transport"),
      ("invoice_amount", "lines"),
      "Data for the customs broker: HS codes, 申报要素 (brand type, export preference), units, value, weights.", True),
    K("inspection-data", "报检资料", "Inspection Application Data", ("id", "inspection", "报检", "商检", "报检资料"),
      ("order", "consignee", "marks", "goods", "sales", "packing", "customs", "invoice", "transport",
       "inspection"),
      ("invoice_amount", "lines"),
      "Data for the commodity inspection application (出境货物检验检疫): goods, origin, factory, value, packing."),
    K("co-data", "产地证申请资料", "C/O Application Data",
      ("co", "certificate-of-origin", "产地证", "产地证资料", "原产地证", "产地证申请", "Certificate of Origin"),
      ("order", "consignee", "marks", "goods", "sales", "packing", "customs", "invoice", "transport", "origin"),
      ("invoice_amount", "lines"),
      "Data for the certificate of origin application (原产地证书申请): certificate for the destination, exporter, "
      "consignee, route, goods with HS codes and origin criterion, packages, weights, invoice no. and date.", True),
)

SHIPMENT_KINDS: tuple[DocumentKind, ...] = tuple(k for k in KINDS if k.per_shipment)

_BY_NAME: dict[str, DocumentKind] = {squash(name): kind for kind in KINDS for name in kind.names}


def find_kind(name: str) -> DocumentKind | None:
    """The kind for any of its names (``ci``, ``商业发票``, ``Commercial Invoice`` …), or None."""
    return _BY_NAME.get(squash(name))


def parse_kinds(names: Iterable[str] | None) -> tuple[DocumentKind, ...]:
    """Kinds from ``--kind`` values (comma-separated allowed); every kind when none is given."""
    wanted = [part.strip() for name in names or () for part in name.split(",") if part.strip()]
    if not wanted:
        return KINDS
    chosen: list[DocumentKind] = []
    for name in wanted:
        kind = find_kind(name)
        if kind is None:
            known = ", ".join(k.key for k in KINDS)
            raise ConfigError(f"不认识的单证类型“{name}”，可用：{known}", f"unknown document kind “{name}”; use one of {known}")
        if kind not in chosen:
            chosen.append(kind)
    return tuple(k for k in KINDS if k in chosen)  # always in the natural order of the trade


def split_kinds(names: Iterable[str] | None, *, shipments: bool,
                orders: bool = True) -> tuple[tuple[DocumentKind, ...], tuple[DocumentKind, ...]]:
    """The kinds for the orders and for the shipments of one run, from ``--kind`` values.

    Without names: every kind per order, every shipment kind per shipment. With names, a shipment
    takes those of them that are made per shipment; naming only per-order kinds (a proforma
    invoice, a purchase contract) for shipments alone is a ConfigError.
    """
    chosen = parse_kinds(names)
    explicit = chosen is not KINDS
    for_shipments = tuple(k for k in chosen if k.per_shipment) if shipments else ()
    if shipments and explicit:
        per_order = [k for k in chosen if not k.per_shipment]
        if not for_shipments or (per_order and not orders):
            known = ", ".join(k.key for k in SHIPMENT_KINDS)
            names_zh = "、".join(k.zh for k in per_order)
            names_en = ", ".join(k.key for k in per_order)
            raise ConfigError(f"{names_zh} 按订单出具，不按出运；出运可出具：{known}",
                              f"{names_en} is made per order, not per shipment; for a shipment use {known}")
    return (chosen if orders else ()), for_shipments


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))})


def safe_file_stem(text: str) -> str:
    """``text`` made safe as a file name on Windows, macOS and Linux (``GD/2026:7`` → ``GD-2026-7``)."""
    stem = _UNSAFE.sub("-", text.strip()).strip(" .-") or "order"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return stem[:120]


def document_file_name(order_no: str, kind: DocumentKind, suffix: str = ".docx") -> str:
    """``{order}_{kind}.docx`` with the order number made safe for file names."""
    return f"{safe_file_stem(order_no)}_{kind.key}{suffix}"
