"""Models → template context: one pure function per document kind, the figures it shows, and gaps.

:func:`build_context` turns an :class:`~gendan_xl.documents.source.OrderData` — or a
:class:`~gendan_xl.documents.shipment.ShipmentData`, the orders that sail together — into the
mapping a template is rendered with. Every value is display text (``12,345.67``, ``2026-11-26``),
so a template edited in Word needs no filters; missing values are empty strings. The context is
made of *sections* (``order``, ``buyer``, ``lines`` …); a kind gets only the sections it declares
in :mod:`gendan_xl.documents.kinds`, which is what keeps its fingerprint honest. Each section
reads the order data and what is derived from it alone (the packing of the lines, the document's
number), never what another section stored, so the sections can run in any order and a kind can
take any of them.

An order is a shipment of one part: every section iterates the parts (``self.parts``) and the
lines of all of them, takes the header values (buyer, ports, terms) from the first order and
states a figure per order, so orders of one shipment that disagree (another currency, consignee
or port) are caught by the cross-document check like documents that disagree. The lines are
numbered through the shipment and grouped (``groups``) as the customer wants — one group for an
order, whose heading and subtotal stay empty.

Besides the values, each context lists the :class:`Figure` s the document will show (quantity,
cartons, weights, volume, amount, currency, incoterm, ports, consignee, marks, invoice number
and date, HS codes, containers) with the cell they come from, for the cross-document check, and
the :class:`Gap` s — data the document needs but the workbook lacks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from gendan_xl.models import round_money
from gendan_xl.vocab import country_name_zh, squash

from . import customs as cu
from .formats import clean_text, day, item_text, joined, money, number, pct, port_key, price, qty_key, qty_text
from .kinds import DocumentKind
from .origin import CRITERION_HINT, certificate_advice, country_name_en, origin_item, packages_text, route_text
from .packing import LinePacking, PackingTotals, containers_text, pack_lines, sum_known
from .shipment import LineGrouping, ShipmentData, line_groups
from .source import OrderData
from .transport import containers, containers_on_rows, date_of, first_stated
from .words import amount_in_words_en, amount_in_words_zh, count_in_words_en

__all__ = ["SECTIONS", "DocumentContext", "Figure", "Gap", "build_context", "clean_text"]

Source = OrderData | ShipmentData


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
    """What one document is rendered from: template values, the figures it shows, its gaps.

    ``order_no`` names what the document is for: the order, or the shipment (its number) whose
    orders are ``orders``.
    """

    kind: DocumentKind
    order_no: str
    values: dict[str, Any]
    figures: list[Figure] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    dates: dict[str, tuple[date, str]] = field(default_factory=dict)
    orders: tuple[str, ...] = ()


class _Builder:
    """Collects one kind's values, figures and gaps section by section."""

    def __init__(self, data: Source, kind: DocumentKind) -> None:
        self.data = data
        self.kind = kind
        self.parts: tuple[OrderData, ...] = data.parts
        self.lead = data.parts[0]  # the header (buyer, terms, ports) of a shipment is its first order's
        self.values: dict[str, Any] = {}
        self.lines: list[dict[str, Any]] = [{"no": str(i)} for i in range(1, len(data.lines) + 1)]
        self.totals: dict[str, Any] = {}
        self.figures: list[Figure] = []
        self.gaps: list[Gap] = []
        self.dates: dict[str, tuple[date, str]] = {}
        self.groups, self.group_lines = self._groups()

    def _groups(self) -> tuple[list[dict[str, Any]], list[list[int]]]:
        """The groups of lines (one for an order) with their headings; sections add their subtotals."""
        grouping = self.data.grouping if isinstance(self.data, ShipmentData) else LineGrouping.NONE
        groups = line_groups(self.parts, grouping)
        return [{**group.values, "lines": [self.lines[i] for i in group.lines], "rows": []} for group in groups], \
            [list(group.lines) for group in groups]

    @cached_property
    def packed(self) -> tuple[tuple[LinePacking, ...], PackingTotals]:
        """The lines' cartons, weights and volume, numbered through all lines (packing, customs, transport)."""
        return pack_lines(self.data.lines)

    @cached_property
    def customs_groups(self) -> list[tuple[tuple[str, str, str, str], list[int]]]:
        """Lines with the same HS code, name, unit and brand, over all orders: one declaration item each."""
        groups: dict[tuple[str, str, str, str], list[int]] = {}
        for index, line in enumerate(self.data.lines):
            key = (line.hs_code or "", clean_text(line.description), line.unit or "", clean_text(line.brand))
            groups.setdefault(key, []).append(index)
        return list(groups.items())

    def figure(self, name: str, value: str, shown: str, source: str) -> None:
        self.figures.append(Figure(name, value, shown, source))

    def gap(self, zh: str, en: str, where: str) -> None:
        self.gaps.append(Gap(zh, en, where))

    @staticmethod
    def order_cell(part: OrderData) -> str:
        return part.sheet_name("orders") + f" row {part.order.row}"

    @staticmethod
    def currency_of(part: OrderData) -> str:
        o, c = part.order, part.customer
        return o.currency or (c.currency if c and c.currency else "")

    def currency(self) -> str:
        return self.currency_of(self.lead)

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

    def order(self) -> None:
        o = self.lead.order
        incoterm, place = o.incoterm or "", clean_text(o.incoterm_place)
        country = o.destination_country or ""
        dated = [(p.order.delivery_date, p) for p in self.parts if p.order.delivery_date]
        latest = min(dated, key=lambda item: item[0]) if dated else None
        self.values["order"] = {
            "no": joined(clean_text(p.order.order_no) for p in self.parts),
            "contract_no": joined(clean_text(p.order.contract_no or p.order.order_no) for p in self.parts),
            "customer_po": joined(clean_text(p.order.customer_po) for p in self.parts), "date": day(o.order_date),
            "currency": self.currency(), "incoterm": incoterm, "incoterm_place": place,
            "price_term": f"{incoterm} {place}".strip().upper(), "pol": clean_text(o.pol), "pod": clean_text(o.pod),
            "destination_country": country, "destination_country_zh": country_name_zh(country) if country else "",
            "payment_terms": joined((clean_text(p.order.payment_terms) for p in self.parts), "; "),
            "deposit_pct": pct(o.deposit_share), "latest_shipment": day(latest[0] if latest else None),
        }
        for part in self.parts:
            self._order_figures(part)
        if latest:
            self.dates["latest_shipment"] = (latest[0], latest[1].address("orders", "delivery_date", latest[1].order.row))

    def _order_figures(self, part: OrderData) -> None:
        o, currency = part.order, self.currency_of(part)
        incoterm, place = o.incoterm or "", clean_text(o.incoterm_place)
        self.figure("currency", currency, currency, part.address("orders", "currency", o.row))
        if incoterm:
            self.figure("incoterm", incoterm, incoterm, part.address("orders", "incoterm", o.row))
        if o.pol:
            self.figure("port_of_loading", port_key(o.pol), o.pol, part.address("orders", "pol", o.row))
        if o.pod:
            self.figure("port_of_discharge", port_key(o.pod), o.pod, part.address("orders", "pod", o.row))
        # The named place of a sea Incoterm is a port the price was agreed for: FOB Ningbo is a
        # statement about the port of loading, CIF Hamburg about the port of discharge.
        if place and incoterm in ("FOB", "FAS"):
            self.figure("port_of_loading", port_key(place), f"{incoterm} {place}",
                        part.address("orders", "incoterm_place", o.row))
        if place and incoterm in ("CFR", "CIF"):
            self.figure("port_of_discharge", port_key(place), f"{incoterm} {place}",
                        part.address("orders", "incoterm_place", o.row))

    def buyer(self) -> None:
        for part in self.parts:
            c, o = part.customer, part.order
            if c is None:
                self.gap(f"客户“{o.customer or ''}”不在客户表中", f"customer “{o.customer or ''}” is not on the customers "
                         "sheet", part.address("orders", "customer", o.row))
            where = part.address("customers", "code", c.row) if c else part.address("orders", "customer", o.row)
            self.figure("buyer", squash(c.code if c else o.customer or ""), clean_text(c.code if c else o.customer),
                        where)
        c, o = self.lead.customer, self.lead.order
        self.values["buyer"] = {
            "code": clean_text(o.customer), "name": clean_text(c.name or c.code) if c else clean_text(o.customer),
            "address": clean_text(c.address) if c else "", "country": clean_text(c.country) if c else "",
            "contact": clean_text(c.contact) if c else "", "phone": clean_text(c.phone) if c else "",
            "email": clean_text(c.email) if c else "",
        }

    def consignee(self) -> None:
        shown: list[tuple[str, str]] = []
        for part in self.parts:
            c, o = part.customer, part.order
            if c is None:
                self.gap(f"客户“{o.customer or ''}”不在客户表中，无收货人", f"customer “{o.customer or ''}” is not on the "
                         "customers sheet: no consignee", part.address("orders", "customer", o.row))
                name, notify, source = clean_text(o.customer), "", part.address("orders", "customer", o.row)
            else:
                fallback = "\n".join(t for t in (clean_text(c.name or c.code), clean_text(c.address)) if t)
                name = clean_text(c.consignee) or fallback
                notify = clean_text(c.notify_party) or "SAME AS CONSIGNEE"
                source = part.address("customers", "consignee" if c.consignee else "name", c.row)
            shown.append((name, notify))
            first = name.split("\n")[0]
            self.figure("consignee", squash(first), first, source)
        self.values["consignee"] = {"name": shown[0][0], "notify": shown[0][1]}

    def marks(self) -> None:
        for part in self.parts:
            c = part.customer
            text = clean_text(c.marks) if c else ""
            source = part.address("customers", "marks", c.row) if c else self.order_cell(part)
            self.figure("marks", squash(text) or "nm", (text or "N/M").replace("\n", " / "), source)
        c = self.lead.customer
        text = clean_text(c.marks) if c else ""
        self.values["marks"] = text or "N/M"
        self.values["marks_inline"] = (text or "N/M").replace("\n", " / ")

    def goods(self) -> None:
        d = self.data
        for part in self.parts:
            if not part.lines:
                self.gap("订单没有明细行", "the order has no lines", self.order_cell(part))
        if isinstance(d, ShipmentData) and d.grouping is None and d.customer is not None:
            self.gap(f"客户表“合并单证分组”无法识别：{d.customer.doc_grouping}（可填 按订单、按客户PO、不分组）",
                     f"the customers sheet's grouping “{d.customer.doc_grouping}” is not understood (use 按订单 by "
                     "order, 按客户PO by PO, 不分组 none)", d.address("customers", "doc_grouping", d.customer.row))
        by_unit: dict[str, Decimal] = defaultdict(Decimal)
        for entry, line in zip(self.lines, d.lines, strict=True):
            entry.update(item_text(line))
            entry.update({"qty": qty_text(line.qty), "unit": line.unit or ""})
            if line.qty is None:
                self.gap("数量为空", "no quantity", d.address("lines", "qty", line.row))
            else:
                by_unit[line.unit or ""] += line.qty
        self.totals["commodities"] = "; ".join(dict.fromkeys(entry["description"] for entry in self.lines))
        self.totals["qty"] = "\n".join(f"{qty_text(q)} {u}".strip() for u, q in by_unit.items())
        self.totals["qty_by_unit"] = [{"qty": qty_text(q), "unit": u} for u, q in by_unit.items()]
        for group, index in zip(self.groups, self.group_lines, strict=True):
            units: dict[str, Decimal] = defaultdict(Decimal)
            for i in index:
                if d.lines[i].qty is not None:
                    units[d.lines[i].unit or ""] += d.lines[i].qty or 0
            group["qty"] = "\n".join(f"{qty_text(q)} {u}".strip() for u, q in units.items())
        self.figure("qty", qty_key(by_unit), self.totals["qty"].replace("\n", " + "), d.line_rows())

    def sales(self) -> None:
        d = self.data
        amounts: list[Decimal] = []
        for entry, line in zip(self.lines, d.lines, strict=True):
            amount = line.computed_amount
            entry.update({"unit_price": price(line.unit_price), "amount": money(amount)})
            if line.unit_price is None:
                self.gap("单价为空", "no unit price", d.address("lines", "unit_price", line.row))
            amounts.append(amount or Decimal(0))
        self.totals["amount"] = money(sum(amounts, Decimal(0)))
        for group, index in zip(self.groups, self.group_lines, strict=True):
            group["amount"] = money(sum((amounts[i] for i in index), Decimal(0)))

    def packing(self) -> None:
        d = self.data
        packed, totals = self.packed
        rows: list[list[dict[str, Any]]] = []
        for entry, line, lp in zip(self.lines, d.lines, packed, strict=True):
            size = "×".join(number(v) for v in (line.carton_l, line.carton_w, line.carton_h) if v is not None)
            entry.update({
                "pcs_per_carton": qty_text(line.pcs_per_carton), "carton_size": size if size.count("×") == 2 else "",
                "nw_per_carton": number(line.nw_per_carton, 2), "gw_per_carton": number(line.gw_per_carton, 2),
                "cartons": str(lp.cartons) if lp.cartons is not None else "", "carton_range": lp.carton_range,
                "nw": number(lp.total("nw"), 2), "gw": number(lp.total("gw"), 2), "cbm": number(lp.total("cbm"), 3),
            })
            if lp.missing and self.kind.key != "purchase-contract":  # the contract asks the factory for them
                self.gap(f"{line.item_no} 缺少装箱资料（{', '.join(lp.missing)}）",
                         f"{line.item_no} lacks carton data ({', '.join(lp.missing)})", d.address("lines", lp.missing[0], line.row))
            item = item_text(line)
            rows.append([{
                "carton_range": r.carton_range, "cartons": str(r.cartons), "item_no": item["item_no"],
                "description": item["description"], "spec": item["spec"], "per_carton": qty_text(r.per_carton),
                "qty": qty_text(r.qty), "unit": line.unit or "", "nw_per_carton": number(r.nw_per_carton, 2),
                "gw_per_carton": number(r.gw_per_carton, 2), "nw": number(r.nw, 2), "gw": number(r.gw, 2),
                "cbm": number(r.cbm, 3), "carton_size": entry["carton_size"],
            } for r in lp.rows])
        self.values["packing_rows"] = [row for line_rows in rows for row in line_rows]
        for group, index in zip(self.groups, self.group_lines, strict=True):
            group["rows"] = [row for i in index for row in rows[i]]
            runs = [r for i in index for r in packed[i].rows]
            first, last = (runs[0].first, runs[-1].last) if runs else (0, 0)
            group.update({
                "cartons": str(sum(r.cartons for r in runs)) if runs else "",
                "carton_range": "" if not runs else str(first) if first == last else f"{first}-{last}",
                "nw": number(sum_known(r.nw for r in runs), 2) if runs else "",
                "gw": number(sum_known(r.gw for r in runs), 2) if runs else "",
                "cbm": number(sum_known(r.cbm for r in runs), 3) if runs else "",
            })
        self.totals.update({
            "cartons": str(totals.cartons) if totals.cartons else "", "nw": number(totals.nw, 2),
            "gw": number(totals.gw, 2), "cbm": number(totals.cbm, 3),
            "cartons_words": count_in_words_en(totals.cartons) if totals.cartons else "",
            "containers": containers_text(totals, d.settings), "packing_complete": "yes" if totals.complete else "",
        })
        where = d.line_rows()
        self.figure("cartons", str(totals.cartons), self.totals["cartons"], where)
        self.figure("nw", number(totals.nw, 2, group=False), self.totals["nw"] + " KGS", where)
        self.figure("gw", number(totals.gw, 2, group=False), self.totals["gw"] + " KGS", where)
        self.figure("cbm", number(totals.cbm, 3, group=False), self.totals["cbm"] + " CBM", where)

    def customs(self) -> None:
        d, o = self.data, self.lead.order
        planned = first_stated(d.rows, "co_type")
        pref_code, pref = cu.export_preference(planned.co_type if planned else None)
        for line in d.lines:
            if not line.hs_code:
                self.gap(f"{line.item_no} 没有 HS 编码", f"{line.item_no} has no HS code", d.address("lines", "hs_code", line.row))
        items: list[dict[str, Any]] = []
        by_unit: dict[str, Decimal] = defaultdict(Decimal)
        packed, _ = self.packed
        for count, (key, members) in enumerate(self.customs_groups, start=1):
            item, qty = cu.customs_item(count, key, [d.lines[i] for i in members], [packed[i] for i in members],
                                      pref_code, d.hs_units)
            items.append(item)
            by_unit[key[2]] += qty
        country = o.destination_country or ""
        self.values["customs_items"] = items
        self.values["customs"] = {
            "trade_mode": "0110 一般贸易", "transaction_mode": cu.transaction_mode(o.incoterm),
            "export_preference": f"{pref_code} {pref}", "destination_zh": country_name_zh(country) if country else "",
            "origin": "中国 CHN", "package_kind": "纸箱",
            "declaration_no": joined(clean_text(row.declaration_no) for row in d.rows),
            "legal_units_known": "yes" if any(i["legal_unit_1"] for i in items) else "",
            "total_qty": "\n".join(f"{qty_text(q)} {cu.customs_unit(u)}".strip() for u, q in by_unit.items()),
        }
        shown = self.values["customs"]["total_qty"].replace("\n", " + ")
        customs_qty: dict[str, Decimal] = defaultdict(Decimal)
        for unit, q in by_unit.items():  # the declaration's units mapped back: 个 is PCS, 套 is SETS
            customs_qty[cu.unit_from_customs(cu.customs_unit(unit))] += q
        self.figure("qty", qty_key(customs_qty), shown, d.line_rows() + " (报关单位 customs units)")
        self._hs_and_certificate_figures()

    def _hs_and_certificate_figures(self) -> None:
        """One HS code per item across the orders (an item under two codes is declared twice), one C/O type per shipment."""
        d = self.data
        for line in d.lines:
            self.figure(f"hs_code:{clean_text(line.item_no)}", squash(line.hs_code or "") or "none",
                        line.hs_code or "—", d.address("lines", "hs_code", line.row))
        for row in d.rows:
            if row.co_type:
                self.figure("certificate", squash(row.co_type), row.co_type, d.address("shipments", "co_type", row.row))

    def purchase(self) -> None:
        d, lead, o, f = self.data, self.lead, self.lead.order, self.lead.factory
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
        no, when = _purchase_number(lead)
        self.values["purchase"] = {
            "no": no, "date": when,
            "order_no": clean_text(o.order_no), "delivery_date": day(o.factory_delivery_date),
            "delivery_place": clean_text(o.pol), "vat_rate": pct(d.settings.vat_rate), "currency": "CNY",
            "total": money(total), "total_words_zh": amount_in_words_zh(total, "CNY"),
        }
        self.totals["purchase_amount"] = money(total)

    def invoice(self) -> None:
        d, lead = self.data, self.lead
        no, when = self._invoice_number()
        self.values["invoice"] = {"no": no, "date": when}
        rows = d.rows
        source = d.address("shipments", "shipment_no", rows[0].row) if rows else \
            lead.address("orders", "contract_no", lead.order.row)
        self.figure("invoice_no", squash(no), no, source)
        loaded = [row for row in rows if row.loading_date]
        for row in loaded:  # each row of a shipment states the loading day its invoice is dated
            self.figure("invoice_date", day(row.loading_date), day(row.loading_date),
                        d.address("shipments", "shipment_no", row.row))
        if not loaded:
            self.figure("invoice_date", when, when, source)

    def transport(self) -> None:
        d, o = self.data, self.lead.order
        rows = d.rows
        sailing = first_stated(rows, "etd")
        dated = [p for p in self.parts if p.order.etd]
        first_order = min(dated, key=lambda p: p.order.etd or date.max) if dated else None
        etd = sailing.etd if sailing else (first_order.order.etd if first_order else None)
        freight = "FREIGHT PREPAID" if (o.incoterm or "")[:1] in ("C", "D") else "FREIGHT COLLECT" if o.incoterm else ""
        boxes = containers(rows)
        self.values["transport"] = {
            "booking_no": joined(clean_text(r.booking_no) for r in rows),
            "forwarder": joined(clean_text(r.forwarder) for r in rows),
            "booking_date": day(date_of(rows, "booking_date")), "vessel": joined(clean_text(r.vessel) for r in rows),
            "etd": day(etd), "eta": day(date_of(rows, "eta")), "bl_no": joined(clean_text(r.bl_no) for r in rows),
            "bl_date": day(date_of(rows, "bl_date")),
            "container_type": joined(clean_text(r.container_type).upper() for r in rows),
            "container_no": joined(clean_text(r.container_no) for r in rows),
            "seal_no": joined(clean_text(r.seal_no) for r in rows),
            "containers": containers_on_rows(rows) or containers_text(self.packed[1], d.settings),
            "container_list": [{"no": no, "seal": seal, "type": kind} for no, (kind, seal, _) in boxes.items()],
            "container_seals": "\n".join(f"{no}{f' / SEAL {seal}' if seal else ''}{f' ({kind})' if kind else ''}"
                                         for no, (kind, seal, _) in boxes.items()),
            "freight": freight,
        }
        names = {squash(no): no for no in boxes}
        for row in rows:  # every row naming a container states the same type and seal for it
            if not row.container_no:
                continue
            no, kind, seal = names[squash(row.container_no)], clean_text(row.container_type).upper(), clean_text(row.seal_no)
            if kind:
                self.figure(f"container_type:{no}", squash(kind), kind, d.address("shipments", "container_type", row.row))
            if seal:
                self.figure(f"seal_no:{no}", squash(seal), seal, d.address("shipments", "seal_no", row.row))
        if etd:
            where = d.address("shipments", "etd", sailing.row) if sailing else \
                d.address("orders", "etd", first_order.order.row if first_order else o.row)
            self.dates["etd"] = (etd, where)
            for row in rows:
                if row.etd:
                    self.figure("etd", day(row.etd), day(row.etd), d.address("shipments", "etd", row.row))

    def inspection(self) -> None:
        d, o, f = self.data, self.lead.order, self.lead.factory
        s = first_stated(d.rows, "inspection_no") or (d.rows[0] if d.rows else None)
        self.values["inspection"] = {
            "applied": day((s.inspection_applied if s else None) or d.today),
            "record_no": clean_text(s.inspection_no) if s else "",
            "producer": clean_text(f.name or f.code) if f else clean_text(o.factory),
            "producer_address": clean_text(f.address) if f else "",
        }

    def origin(self) -> None:
        d, o = self.data, self.lead.order
        planned = first_stated(d.rows, "co_type")
        country = o.destination_country or ""
        if not country:
            self.gap("订单没有目的国，无法确定产地证类型", "the order has no country of destination: the certificate "
                     "cannot be chosen", d.address("orders", "destination_country", o.row))
        advice = certificate_advice(country or None, planned.co_type if planned else None, d.settings.certificates)
        packed, totals = self.packed
        items = [origin_item(count, key, [d.lines[i] for i in members], [packed[i] for i in members])
                 for count, (key, members) in enumerate(self.customs_groups, start=1)]
        producers = {clean_text(p.factory.name or p.factory.code) if p.factory else clean_text(p.order.factory):
                     clean_text(p.factory.address) if p.factory else "" for p in self.parts}
        applied = first_stated(d.rows, "co_applied")
        self.values["origin_items"] = items
        self.values["origin"] = {
            **advice, "destination": country_name_en(country) if country else "",
            "destination_zh": country_name_zh(country) if country else "",
            "route": route_text(o.pol or "", o.pod or "", country), "transport": "BY SEA",
            "applied": day(applied.co_applied if applied else d.today),
            "co_no": joined(clean_text(r.co_no) for r in d.rows),
            "producers": "\n".join(f"{name}, {address}" if address else name for name, address in producers.items()
                                   if name),
            "packages": packages_text(totals.cartons if totals.complete else None),
            "criterion_hint_zh": CRITERION_HINT[0], "criterion_hint_en": CRITERION_HINT[1],
        }
        self._hs_and_certificate_figures()

    # --- the document itself ----------------------------------------------------------------

    def doc(self) -> None:
        kind = self.kind
        no, when = self._number_and_date()
        values: dict[str, Any] = {"kind": kind.key, "title_zh": kind.zh, "title_en": kind.en.upper(), "no": no,
                                  "date": when}
        if kind.amount_sources:
            currency = self.currency()
            amount, source = self._stated_amount()
            values.update({
                "currency": currency, "amount": money(amount),
                "amount_words_en": amount_in_words_en(amount, currency or "USD") if currency else "",
                "amount_words_zh": amount_in_words_zh(amount, currency) if currency else "",
            })
            shares = {p.order.deposit_share for p in self.parts}
            share = shares.pop() if len(shares) == 1 else None  # one deposit share for the orders, or none stated
            deposit = round_money(amount * share) if share is not None and share < 1 else None
            values.update({"deposit_amount": money(deposit), "balance_amount": money(amount - deposit) if deposit else ""})
            if not currency:
                o = self.lead.order
                self.gap("币种为空", "no currency", self.lead.address("orders", "currency", o.row))
            self.figure("amount", f"{currency} {money(amount)}", f"{currency} {money(amount)}", source)
        self.values["doc"] = values

    def _stated_amount(self) -> tuple[Decimal, str]:
        """The document's total: per order the first source of the kind it has (order total, 出运金额, its lines)."""
        total = Decimal(0)
        cells: list[str] = []
        from_lines: list[OrderData] = []
        for part in self.parts:
            o, rows = part.order, self.data.rows_of(part.order.order_no)
            for name in self.kind.amount_sources:
                if name == "order_total" and o.order_total is not None:
                    total += o.order_total
                    cells.append(part.address("orders", "order_total", o.row))
                    break
                if name == "invoice_amount" and rows and all(r.invoice_amount is not None for r in rows):
                    total += sum((r.invoice_amount or Decimal(0) for r in rows), Decimal(0))
                    cells.extend(part.address("shipments", "invoice_amount", r.row) for r in rows)
                    break
                if name == "lines":
                    total += sum((ln.computed_amount or Decimal(0) for ln in part.lines), Decimal(0))
                    from_lines.append(part)
                    break
            else:
                cells.append(self.order_cell(part))
        if from_lines:
            spans = ", ".join(span for p in from_lines if (span := p.line_span()))
            cells.append(f"{self.data.sheet_name('lines')} rows {spans} (qty × unit price)" if spans else
                         f"{self.data.sheet_name('lines')} (qty × unit price)")
        return total, "; ".join(cells)

    def _invoice_number(self) -> tuple[str, str]:
        """The invoice's number and date: the shipment no. (else the contract no.) and the loading day."""
        d, o = self.data, self.lead.order
        no = clean_text(d.rows[0].shipment_no if d.rows else None) or clean_text(o.contract_no or o.order_no)
        return no, day(date_of(d.rows, "loading_date") or d.today)

    def _number_and_date(self) -> tuple[str, str]:
        d, o, key = self.data, self.lead.order, self.kind.key
        if key in ("proforma-invoice", "sales-contract"):
            return clean_text(o.contract_no or o.order_no), day(o.order_date or d.today)
        if key == "purchase-contract":
            return _purchase_number(self.lead)
        no, when = self._invoice_number()
        if key == "booking-note":
            return no, day(date_of(d.rows, "booking_date") or d.today)
        if key == "shipping-advice":
            sailed = next((r.bl_date or r.etd for r in d.rows if r.bl_date or r.etd), None)
            return no, day(sailed or d.today)
        if key == "co-data":
            return no, day(date_of(d.rows, "co_applied") or d.today)
        return no, when


def _purchase_number(data: OrderData) -> tuple[str, str]:
    """The purchase contract's number and date: the PO no. (else ``{order}-P``) and the day it was issued."""
    o = data.order
    return clean_text(o.po_no) or f"{clean_text(o.order_no)}-P", day(o.po_issued or data.today)


# Every section a kind may declare (documents/kinds.py SECTION_FIELDS), in the order a document shows them.
SECTIONS: dict[str, Callable[[_Builder], None]] = {
    "order": _Builder.order, "buyer": _Builder.buyer, "consignee": _Builder.consignee, "marks": _Builder.marks,
    "goods": _Builder.goods, "sales": _Builder.sales, "packing": _Builder.packing, "customs": _Builder.customs,
    "purchase": _Builder.purchase, "invoice": _Builder.invoice, "transport": _Builder.transport,
    "inspection": _Builder.inspection, "origin": _Builder.origin,
}


def build_context(data: Source, kind: DocumentKind) -> DocumentContext:
    """The context of ``kind`` for one order or one shipment: values for the template, figures shown, gaps."""
    builder = _Builder(data, kind)
    builder.company()
    for section, build in SECTIONS.items():
        if section in kind.sections:
            build(builder)
    builder.doc()
    builder.values["lines"] = builder.lines
    builder.values["groups"] = builder.groups
    builder.values["totals"] = builder.totals
    subject = data.name if isinstance(data, ShipmentData) else data.order.order_no
    return DocumentContext(kind=kind, order_no=subject, values=builder.values, figures=builder.figures,
                           gaps=builder.gaps, dates=builder.dates,
                           orders=tuple(part.order.order_no for part in data.parts))
