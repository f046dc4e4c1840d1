"""Models → template context: one pure function per document kind, the figures it shows, and gaps.

:func:`build_context` turns an :class:`~gendan_xl.documents.source.OrderData` into the mapping a
template is rendered with. Every value is display text (``12,345.67``, ``2026-11-26``), so a
template edited in Word needs no filters; missing values are empty strings. The context is made
of *sections* (``order``, ``buyer``, ``lines`` …); a kind gets only the sections it declares
in :mod:`gendan_xl.documents.kinds`, which is what keeps its fingerprint honest. Each section
reads the order data and what is derived from it alone (the packing of the lines, the document's
number), never what another section stored, so the sections can run in any order and a kind can
take any of them.

Besides the values, each context lists the :class:`Figure` s the document will show (quantity,
cartons, weights, volume, amount, currency, incoterm, ports, consignee, marks, invoice number
and date) with the cell they come from, for the cross-document check, and the :class:`Gap` s —
data the document needs but the workbook lacks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from gendan_xl.models import OrderLine, round_money
from gendan_xl.vocab import country_name_zh, squash

from . import customs as cu
from .kinds import DocumentKind
from .packing import LinePacking, PackingTotals, containers_text, pack_lines
from .source import OrderData
from .words import amount_in_words_en, amount_in_words_zh, count_in_words_en

__all__ = ["SECTIONS", "DocumentContext", "Figure", "Gap", "build_context", "clean_text"]


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure a document shows: ``value`` is normalised for comparing, ``shown`` as printed."""

    name: str
    value: str
    shown: str
    source: str


@dataclass(frozen=True, slots=True)
class Gap:
    """Data a document needs that the workbook does not have."""

    zh: str
    en: str
    where: str


@dataclass
class DocumentContext:
    """What one document is rendered from: template values, the figures it shows, its gaps."""

    kind: DocumentKind
    order_no: str
    values: dict[str, Any]
    figures: list[Figure] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    dates: dict[str, tuple[date, str]] = field(default_factory=dict)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(value: object) -> str:
    """Text safe for a Word document: no XML-illegal control characters, ``\\n`` line breaks only."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text).strip()


def _num(value: Decimal | int | None, places: int | None = None, *, group: bool = True) -> str:
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
    return _num(round_money(value) if value is not None else None, 2)


def price(value: Decimal | None) -> str:
    """A unit price: two decimals at least, four at most (``1.15``, ``0.1925``)."""
    if value is None:
        return ""
    text = _num(value)
    decimals = len(text.split(".")[1]) if "." in text else 0
    return _num(value, min(max(decimals, 2), 4))


def qty_text(value: Decimal | int | None) -> str:
    """``1,200`` or ``12.5``."""
    return _num(value)


def day(value: date | None) -> str:
    """ISO date, unambiguous in every language: ``2026-11-26``."""
    return value.isoformat() if value else ""


def pct(value: Decimal | None) -> str:
    """``30%``."""
    return "" if value is None else f"{_num(value * 100)}%"


def _port_key(text: str) -> str:
    head = text.split(",")[0]
    return re.sub(r"(port|港)$", "", squash(head))


def _item(line: OrderLine) -> dict[str, str]:
    """How a line's goods are written: item no., description (the item no. when there is none), spec."""
    description, spec = clean_text(line.description), clean_text(line.spec)
    return {"item_no": clean_text(line.item_no), "description": description or clean_text(line.item_no),
            "spec": spec, "description_full": "\n".join(t for t in (description, spec) if t)}


def _qty_key(by_unit: dict[str, Decimal]) -> str:
    return ";".join(f"{unit}={_num(q, group=False)}" for unit, q in sorted(by_unit.items()))


class _Builder:
    """Collects one kind's values, figures and gaps section by section."""

    def __init__(self, data: OrderData, kind: DocumentKind) -> None:
        self.data = data
        self.kind = kind
        self.values: dict[str, Any] = {}
        self.lines: list[dict[str, Any]] = [{"no": str(i)} for i in range(1, len(data.lines) + 1)]
        self.totals: dict[str, Any] = {}
        self.figures: list[Figure] = []
        self.gaps: list[Gap] = []
        self.dates: dict[str, tuple[date, str]] = {}

    @cached_property
    def packed(self) -> tuple[tuple[LinePacking, ...], PackingTotals]:
        """The lines' cartons, weights and volume, numbered through the order (packing, customs, transport)."""
        return pack_lines(self.data.lines)

    def figure(self, name: str, value: str, shown: str, source: str) -> None:
        self.figures.append(Figure(name, value, shown, source))

    def gap(self, zh: str, en: str, where: str) -> None:
        self.gaps.append(Gap(zh, en, where))

    @property
    def order_cell(self) -> str:
        return self.data.sheet_name("orders") + f" row {self.data.order.row}"

    # --- sections ---------------------------------------------------------------------------

    def company(self) -> None:
        s = self.data.settings
        self.values["company"] = {
            "name": clean_text(s.company_name), "name_en": clean_text(s.company_name_en),
            "address": clean_text(s.company_address), "address_en": clean_text(s.company_address_en),
            "phone": clean_text(s.company_phone), "email": clean_text(s.company_email),
            "bank": clean_text(s.company_bank),
        }
        if not (s.company_name or s.company_name_en):
            self.gap("设置表中没有公司名称", "no company name in the settings sheet", self.data.sheet_name("settings"))

    def currency(self) -> str:
        o, c = self.data.order, self.data.customer
        return o.currency or (c.currency if c and c.currency else "")

    def order(self) -> None:
        o, d = self.data.order, self.data
        incoterm, place = o.incoterm or "", clean_text(o.incoterm_place)
        country = o.destination_country or ""
        self.values["order"] = {
            "no": clean_text(o.order_no), "contract_no": clean_text(o.contract_no or o.order_no),
            "customer_po": clean_text(o.customer_po), "date": day(o.order_date), "currency": self.currency(),
            "incoterm": incoterm, "incoterm_place": place, "price_term": f"{incoterm} {place}".strip().upper(),
            "pol": clean_text(o.pol), "pod": clean_text(o.pod), "destination_country": country,
            "destination_country_zh": country_name_zh(country) if country else "",
            "payment_terms": clean_text(o.payment_terms), "deposit_pct": pct(o.deposit_share),
            "latest_shipment": day(o.delivery_date),
        }
        self.figure("currency", self.currency(), self.currency(), d.address("orders", "currency", o.row))
        if incoterm:
            self.figure("incoterm", incoterm, incoterm, d.address("orders", "incoterm", o.row))
        if o.pol:
            self.figure("port_of_loading", _port_key(o.pol), o.pol, d.address("orders", "pol", o.row))
        if o.pod:
            self.figure("port_of_discharge", _port_key(o.pod), o.pod, d.address("orders", "pod", o.row))
        # The named place of a sea Incoterm is a port the price was agreed for: FOB Ningbo is a
        # statement about the port of loading, CIF Hamburg about the port of discharge.
        if place and incoterm in ("FOB", "FAS"):
            self.figure("port_of_loading", _port_key(place), f"{incoterm} {place}",
                        d.address("orders", "incoterm_place", o.row))
        if place and incoterm in ("CFR", "CIF"):
            self.figure("port_of_discharge", _port_key(place), f"{incoterm} {place}",
                        d.address("orders", "incoterm_place", o.row))
        if o.delivery_date:
            self.dates["latest_shipment"] = (o.delivery_date, d.address("orders", "delivery_date", o.row))

    def buyer(self) -> None:
        c, o = self.data.customer, self.data.order
        if c is None:
            self.gap(f"客户“{o.customer or ''}”不在客户表中", f"customer “{o.customer or ''}” is not on the customers sheet",
                     self.data.address("orders", "customer", o.row))
        self.values["buyer"] = {
            "code": clean_text(o.customer), "name": clean_text(c.name or c.code) if c else clean_text(o.customer),
            "address": clean_text(c.address) if c else "", "country": clean_text(c.country) if c else "",
            "contact": clean_text(c.contact) if c else "", "phone": clean_text(c.phone) if c else "",
            "email": clean_text(c.email) if c else "",
        }

    def consignee(self) -> None:
        c, o = self.data.customer, self.data.order
        if c is None:
            self.gap(f"客户“{o.customer or ''}”不在客户表中，无收货人", f"customer “{o.customer or ''}” is not on the "
                     "customers sheet: no consignee", self.data.address("orders", "customer", o.row))
            name, notify, source = clean_text(o.customer), "", self.data.address("orders", "customer", o.row)
        else:
            fallback = "\n".join(t for t in (clean_text(c.name or c.code), clean_text(c.address)) if t)
            name = clean_text(c.consignee) or fallback
            notify = clean_text(c.notify_party) or "SAME AS CONSIGNEE"
            source = self.data.address("customers", "consignee" if c.consignee else "name", c.row)
        self.values["consignee"] = {"name": name, "notify": notify}
        first = name.split("\n")[0]
        self.figure("consignee", squash(first), first, source)

    def marks(self) -> None:
        c = self.data.customer
        text = clean_text(c.marks) if c else ""
        self.values["marks"] = text or "N/M"
        self.values["marks_inline"] = (text or "N/M").replace("\n", " / ")
        source = self.data.address("customers", "marks", c.row) if c else self.order_cell
        self.figure("marks", squash(text) or "nm", (text or "N/M").replace("\n", " / "), source)

    def goods(self) -> None:
        d = self.data
        if not d.lines:
            self.gap("订单没有明细行", "the order has no lines", self.order_cell)
        by_unit: dict[str, Decimal] = defaultdict(Decimal)
        for entry, line in zip(self.lines, d.lines, strict=True):
            entry.update(_item(line))
            entry.update({"qty": qty_text(line.qty), "unit": line.unit or ""})
            if line.qty is None:
                self.gap("数量为空", "no quantity", d.address("lines", "qty", line.row))
            else:
                by_unit[line.unit or ""] += line.qty
        self.totals["commodities"] = "; ".join(dict.fromkeys(entry["description"] for entry in self.lines))
        self.totals["qty"] = "\n".join(f"{qty_text(q)} {u}".strip() for u, q in by_unit.items())
        self.totals["qty_by_unit"] = [{"qty": qty_text(q), "unit": u} for u, q in by_unit.items()]
        self.figure("qty", _qty_key(by_unit), self.totals["qty"].replace("\n", " + "), d.line_rows())

    def sales(self) -> None:
        total = Decimal(0)
        for entry, line in zip(self.lines, self.data.lines, strict=True):
            amount = line.computed_amount
            entry.update({"unit_price": price(line.unit_price), "amount": money(amount)})
            if line.unit_price is None:
                self.gap("单价为空", "no unit price", self.data.address("lines", "unit_price", line.row))
            total += amount or 0
        self.totals["amount"] = money(total)

    def packing(self) -> None:
        d = self.data
        packed, totals = self.packed
        rows: list[dict[str, Any]] = []
        for entry, line, lp in zip(self.lines, d.lines, packed, strict=True):
            size = "×".join(_num(v) for v in (line.carton_l, line.carton_w, line.carton_h) if v is not None)
            entry.update({
                "pcs_per_carton": qty_text(line.pcs_per_carton), "carton_size": size if size.count("×") == 2 else "",
                "nw_per_carton": _num(line.nw_per_carton, 2), "gw_per_carton": _num(line.gw_per_carton, 2),
                "cartons": str(lp.cartons) if lp.cartons is not None else "", "carton_range": lp.carton_range,
                "nw": _num(lp.total("nw"), 2), "gw": _num(lp.total("gw"), 2), "cbm": _num(lp.total("cbm"), 3),
            })
            if lp.missing and self.kind.key != "purchase-contract":  # the contract asks the factory for them
                self.gap(f"{line.item_no} 缺少装箱资料（{', '.join(lp.missing)}）",
                         f"{line.item_no} lacks carton data ({', '.join(lp.missing)})", d.address("lines", lp.missing[0], line.row))
            item = _item(line)
            for r in lp.rows:
                rows.append({
                    "carton_range": r.carton_range, "cartons": str(r.cartons), "item_no": item["item_no"],
                    "description": item["description"], "spec": item["spec"], "per_carton": qty_text(r.per_carton),
                    "qty": qty_text(r.qty), "unit": line.unit or "", "nw_per_carton": _num(r.nw_per_carton, 2),
                    "gw_per_carton": _num(r.gw_per_carton, 2), "nw": _num(r.nw, 2), "gw": _num(r.gw, 2),
                    "cbm": _num(r.cbm, 3), "carton_size": entry["carton_size"],
                })
        self.values["packing_rows"] = rows
        self.totals.update({
            "cartons": str(totals.cartons) if totals.cartons else "", "nw": _num(totals.nw, 2), "gw": _num(totals.gw, 2),
            "cbm": _num(totals.cbm, 3), "cartons_words": count_in_words_en(totals.cartons) if totals.cartons else "",
            "containers": containers_text(totals, d.settings),
            "packing_complete": "yes" if totals.complete else "",
        })
        where = d.line_rows()
        self.figure("cartons", str(totals.cartons), self.totals["cartons"], where)
        self.figure("nw", _num(totals.nw, 2, group=False), self.totals["nw"] + " KGS", where)
        self.figure("gw", _num(totals.gw, 2, group=False), self.totals["gw"] + " KGS", where)
        self.figure("cbm", _num(totals.cbm, 3, group=False), self.totals["cbm"] + " CBM", where)

    def customs(self) -> None:
        d, o = self.data, self.data.order
        shipment = d.shipment
        pref_code, pref = cu.export_preference(shipment.co_type if shipment else None)
        groups: dict[tuple[str, str, str, str], list[int]] = {}
        for index, line in enumerate(d.lines):
            key = (line.hs_code or "", clean_text(line.description), line.unit or "", clean_text(line.brand))
            groups.setdefault(key, []).append(index)
            if not line.hs_code:
                self.gap(f"{line.item_no} 没有 HS 编码", f"{line.item_no} has no HS code", d.address("lines", "hs_code", line.row))
        items: list[dict[str, Any]] = []
        by_unit: dict[str, Decimal] = defaultdict(Decimal)
        packed, _ = self.packed
        for number, (key, members) in enumerate(groups.items(), start=1):
            item, qty = _customs_item(number, key, [d.lines[i] for i in members], [packed[i] for i in members],
                                      pref_code, d.hs_units)
            items.append(item)
            by_unit[key[2]] += qty
        country = o.destination_country or ""
        self.values["customs_items"] = items
        self.values["customs"] = {
            "trade_mode": "0110 一般贸易", "transaction_mode": cu.transaction_mode(o.incoterm),
            "export_preference": f"{pref_code} {pref}", "destination_zh": country_name_zh(country) if country else "",
            "origin": "中国 CHN", "package_kind": "纸箱", "declaration_no": clean_text(shipment.declaration_no if shipment else ""),
            "legal_units_known": "yes" if any(i["legal_unit_1"] for i in items) else "",
            "total_qty": "\n".join(f"{qty_text(q)} {cu.customs_unit(u)}".strip() for u, q in by_unit.items()),
        }
        shown = self.values["customs"]["total_qty"].replace("\n", " + ")
        customs_qty: dict[str, Decimal] = defaultdict(Decimal)
        for unit, q in by_unit.items():  # the declaration's units mapped back: 个 is PCS, 套 is SETS
            customs_qty[cu.unit_from_customs(cu.customs_unit(unit))] += q
        self.figure("qty", _qty_key(customs_qty), shown, d.line_rows() + " (报关单位 customs units)")

    def purchase(self) -> None:
        d, o, f = self.data, self.data.order, self.data.factory
        if f is None:
            self.gap(f"工厂“{o.factory or ''}”不在工厂表中", f"factory “{o.factory or ''}” is not on the factories sheet",
                     d.address("orders", "factory", o.row))
        total = Decimal(0)
        for entry, line in zip(self.lines, d.lines, strict=True):
            amount = round_money(line.qty * line.purchase_price) if line.qty is not None and line.purchase_price is not None else None
            entry.update({"purchase_price": price(line.purchase_price), "purchase_amount": money(amount)})
            if line.purchase_price is None:
                self.gap("采购单价为空", "no purchase price", d.address("lines", "purchase_price", line.row))
            total += amount or 0
        self.values["factory"] = {
            "code": clean_text(o.factory), "name": clean_text(f.name or f.code) if f else clean_text(o.factory),
            "address": clean_text(f.address) if f else "", "contact": clean_text(f.contact) if f else "",
            "phone": clean_text(f.phone) if f else "", "tax_id": clean_text(f.tax_id) if f else "",
            "bank": clean_text(f.bank) if f else "",
        }
        number, when = _purchase_number(d)
        self.values["purchase"] = {
            "no": number, "date": when,
            "order_no": clean_text(o.order_no), "delivery_date": day(o.factory_delivery_date),
            "delivery_place": clean_text(o.pol), "vat_rate": pct(d.settings.vat_rate), "currency": "CNY",
            "total": money(total), "total_words_zh": amount_in_words_zh(total, "CNY"),
        }
        self.totals["purchase_amount"] = money(total)

    def invoice(self) -> None:
        d, o, s = self.data, self.data.order, self.data.shipment
        number, when = _invoice_number(d)
        self.values["invoice"] = {"no": number, "date": when}
        source = d.address("shipments", "shipment_no", s.row) if s else d.address("orders", "contract_no", o.row)
        self.figure("invoice_no", squash(number), number, source)
        self.figure("invoice_date", when, when, source)

    def transport(self) -> None:
        d, o, s = self.data, self.data.order, self.data.shipment
        etd = (s.etd if s else None) or o.etd
        container_type = clean_text(s.container_type if s else None).upper()
        containers = ("LCL" if container_type == "LCL" else f"1 X {container_type}") if container_type else \
            containers_text(self.packed[1], d.settings)
        freight = "FREIGHT PREPAID" if (o.incoterm or "")[:1] in ("C", "D") else "FREIGHT COLLECT" if o.incoterm else ""
        self.values["transport"] = {
            "booking_no": clean_text(s.booking_no) if s else "", "forwarder": clean_text(s.forwarder) if s else "",
            "booking_date": day(s.booking_date) if s else "", "vessel": clean_text(s.vessel) if s else "",
            "etd": day(etd), "eta": day(s.eta) if s else "", "bl_no": clean_text(s.bl_no) if s else "",
            "bl_date": day(s.bl_date) if s else "", "container_type": container_type,
            "container_no": clean_text(s.container_no) if s else "", "seal_no": clean_text(s.seal_no) if s else "",
            "containers": containers, "freight": freight,
        }
        if etd:
            where = d.address("shipments", "etd", s.row) if s and s.etd else d.address("orders", "etd", o.row)
            self.dates["etd"] = (etd, where)

    def inspection(self) -> None:
        d, o, s, f = self.data, self.data.order, self.data.shipment, self.data.factory
        self.values["inspection"] = {
            "applied": day((s.inspection_applied if s else None) or d.today),
            "record_no": clean_text(s.inspection_no) if s else "",
            "producer": clean_text(f.name or f.code) if f else clean_text(o.factory),
            "producer_address": clean_text(f.address) if f else "",
        }

    # --- the document itself ----------------------------------------------------------------

    def doc(self) -> None:
        d, o, kind = self.data, self.data.order, self.kind
        number, when = self._number_and_date()
        values: dict[str, Any] = {"kind": kind.key, "title_zh": kind.zh, "title_en": kind.en.upper(), "no": number,
                                  "date": when}
        if kind.amount_sources:
            currency = self.currency()
            amount, source = self._stated_amount()
            values.update({
                "currency": currency, "amount": money(amount),
                "amount_words_en": amount_in_words_en(amount, currency or "USD") if currency else "",
                "amount_words_zh": amount_in_words_zh(amount, currency) if currency else "",
            })
            share = o.deposit_share
            deposit = round_money(amount * share) if share is not None and share < 1 else None
            values.update({"deposit_amount": money(deposit), "balance_amount": money(amount - deposit) if deposit else ""})
            if not currency:
                self.gap("币种为空", "no currency", d.address("orders", "currency", o.row))
            self.figure("amount", f"{currency} {money(amount)}", f"{currency} {money(amount)}", source)
        self.values["doc"] = values

    def _stated_amount(self) -> tuple[Decimal, str]:
        d, o, s = self.data, self.data.order, self.data.shipment
        for name in self.kind.amount_sources:
            if name == "order_total" and o.order_total is not None:
                return o.order_total, d.address("orders", "order_total", o.row)
            if name == "invoice_amount" and s is not None and s.invoice_amount is not None:
                return s.invoice_amount, d.address("shipments", "invoice_amount", s.row)
            if name == "lines":
                total = sum((ln.computed_amount or Decimal(0) for ln in d.lines), Decimal(0))
                return total, d.line_rows() + " (qty × unit price)"
        return Decimal(0), self.order_cell

    def _number_and_date(self) -> tuple[str, str]:
        d, o, s, key = self.data, self.data.order, self.data.shipment, self.kind.key
        if key in ("proforma-invoice", "sales-contract"):
            return clean_text(o.contract_no or o.order_no), day(o.order_date or d.today)
        if key == "purchase-contract":
            return _purchase_number(d)
        number, when = _invoice_number(d)
        if key == "booking-note":
            return number, day((s.booking_date if s else None) or d.today)
        if key == "shipping-advice":
            return number, day((s.bl_date or s.etd if s else None) or d.today)
        return number, when


def _purchase_number(data: OrderData) -> tuple[str, str]:
    """The purchase contract's number and date: the PO no. (else ``{order}-P``) and the day it was issued."""
    o = data.order
    return clean_text(o.po_no) or f"{clean_text(o.order_no)}-P", day(o.po_issued or data.today)


def _invoice_number(data: OrderData) -> tuple[str, str]:
    """The invoice's number and date: the shipment no. (else the contract no.) and the loading day."""
    o, s = data.order, data.shipment
    number = clean_text(s.shipment_no if s else None) or clean_text(o.contract_no or o.order_no)
    return number, day((s.loading_date if s else None) or data.today)


def _customs_item(number: int, key: tuple[str, str, str, str], lines: list[OrderLine], packed: list[LinePacking],
                  preference: int, hs_units: Mapping[str, tuple[str, str]]) -> tuple[dict[str, Any], Decimal]:
    """One declaration item (lines with the same HS code, name, unit and brand, with its 申报要素) and its quantity."""
    hs, description, unit, brand = key
    qty = sum((ln.qty or Decimal(0) for ln in lines), Decimal(0))
    amount = sum((ln.computed_amount or Decimal(0) for ln in lines), Decimal(0))
    nets = [p.total("nw") for p in packed]
    net = sum((v for v in nets if v is not None), Decimal(0)) if None not in nets else None
    cartons = [p.cartons for p in packed]
    code, label = cu.brand_type(brand or None)
    first, second = cu.find_legal_units(hs, hs_units)
    models = "/".join(dict.fromkeys(clean_text(ln.item_no) for ln in lines))
    specs = "; ".join(dict.fromkeys(clean_text(ln.spec) for ln in lines if ln.spec))
    elements = [f"品牌类型：{'' if code is None else code} {label}".replace("：  ", "："),
                f"出口享惠情况：{preference} {cu.PREFERENCE_SHORT[preference]}", f"品名：{description}",
                f"规格：{specs}" if specs else "", f"品牌：{brand or '无'}", f"型号：{models}"]
    unit_price = price(lines[0].unit_price) if len(lines) == 1 else price(round_money(amount / qty) if qty else None)
    return {
        "no": str(number), "hs_code": hs, "name": description, "spec": specs, "models": models,
        "brand": brand or "无", "brand_type": label if code is None else f"{code} {label}",
        "elements": "；".join(e for e in elements if e), "qty": qty_text(qty), "unit": cu.customs_unit(unit),
        "legal_unit_1": first, "legal_qty_1": cu.legal_quantity(first, unit, qty_text(qty), _num(net, 2)),
        "legal_unit_2": second, "legal_qty_2": cu.legal_quantity(second, unit, qty_text(qty), _num(net, 2)),
        "unit_price": unit_price, "amount": money(amount), "nw": _num(net, 2),
        "cartons": str(sum(n for n in cartons if n is not None)) if None not in cartons else "",
    }, qty


# Every section a kind may declare (documents/kinds.py SECTION_FIELDS), in the order a document shows them.
SECTIONS: dict[str, Callable[[_Builder], None]] = {
    "order": _Builder.order, "buyer": _Builder.buyer, "consignee": _Builder.consignee, "marks": _Builder.marks,
    "goods": _Builder.goods, "sales": _Builder.sales, "packing": _Builder.packing, "customs": _Builder.customs,
    "purchase": _Builder.purchase, "invoice": _Builder.invoice, "transport": _Builder.transport,
    "inspection": _Builder.inspection,
}


def build_context(data: OrderData, kind: DocumentKind) -> DocumentContext:
    """The context of ``kind`` for one order: values for the template, figures shown, gaps."""
    builder = _Builder(data, kind)
    builder.company()
    for section, build in SECTIONS.items():
        if section in kind.sections:
            build(builder)
    builder.doc()
    builder.values["lines"] = builder.lines
    builder.values["totals"] = builder.totals
    return DocumentContext(kind=kind, order_no=data.order.order_no, values=builder.values, figures=builder.figures,
                           gaps=builder.gaps, dates=builder.dates)
