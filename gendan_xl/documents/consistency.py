"""The cross-document check (单单一致): the figures each document would show, compared across the set.

Every document of an order is built from the same workbook, but not from the same cells: the
proforma and commercial invoices total the lines (qty × unit price), the sales contract states
the agreed order total (订单金额), the shipping advice, customs and inspection data state the
shipment's invoice amount (出运金额); the price term ``CIF Hamburg`` names a port that the
booking note takes from the POD column; the customs data counts in declaration units (个, 套)
what the invoice counts in PCS and SETS. Where such sources disagree the documents disagree —
the top cause of rejected documents — and rendering stops until the workbook is fixed or the
user forces it.

All kinds of an order are built and compared, not only those being rendered (an invoice must
agree with the contract the customer already holds), but a difference is reported only when a
document being rendered is part of it. Missing data a document needs (a :class:`Gap`) and a
cancelled order stop rendering too.

A shipment of several orders (:func:`check_shipment`) is checked twice over: each order as above
(its part of the shipment's invoice must agree with its own contract), then the shipment's
documents with each other and with the 出运 sheet — every order states its currency, terms,
ports, consignee and marks, every row its invoice date, ETD, certificate type, containers and
seals, every line its HS code, so orders that cannot share one invoice show up as figures that
differ. The containers on 出运 must hold the shipment's packed volume and weight.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from gendan_xl.models import Shipment
from gendan_xl.vocab import squash

from .context import DocumentContext
from .packing import pack_lines
from .shipment import ShipmentData

__all__ = ["FIGURE_NAMES", "Difference", "DocumentProblem", "check_documents", "check_shipment", "container_problems",
           "figure_name"]

FIGURE_NAMES: dict[str, tuple[str, str]] = {
    "amount": ("金额", "amount"),
    "currency": ("币种", "currency"),
    "qty": ("数量", "quantity"),
    "cartons": ("箱数", "cartons"),
    "nw": ("净重", "N.W."),
    "gw": ("毛重", "G.W."),
    "cbm": ("体积", "measurement (CBM)"),
    "incoterm": ("贸易术语", "incoterm"),
    "port_of_loading": ("起运港", "port of loading"),
    "port_of_discharge": ("目的港", "port of discharge"),
    "consignee": ("收货人", "consignee"),
    "marks": ("唛头", "marks"),
    "invoice_no": ("发票号", "invoice no."),
    "invoice_date": ("发票日期", "invoice date"),
    "buyer": ("买方", "buyer"),
    "etd": ("开船日", "ETD"),
    "certificate": ("产地证类型", "certificate of origin type"),
    "hs_code": ("HS 编码", "HS code"),  # hs_code:ITEM — one item, one code
    "container_type": ("柜型", "container type"),  # container_type:NO
    "seal_no": ("封号", "seal no."),  # seal_no:NO
}


def figure_name(figure: str) -> tuple[str, str]:
    """The figure's name in both languages: ``hs_code:KT-1001`` → ``KT-1001 的 HS 编码`` / ``HS code of KT-1001``."""
    base, _, subject = figure.partition(":")
    zh, en = FIGURE_NAMES.get(base, (base, base))
    return (f"{subject} 的{zh}", f"{en} of {subject}") if subject else (zh, en)


@dataclass(frozen=True, slots=True)
class Difference:
    """One figure shown with different values: each value with the documents and the cell behind it."""

    order_no: str
    figure: str
    values: tuple[tuple[str, tuple[tuple[str, str], ...], str], ...]  # (shown, kinds as (zh, en), source)

    @property
    def message_zh(self) -> str:
        """``GD2026-013 金额不一致：销售合同 USD 13,345.00（订单!AA14）≠ 形式发票 …``."""
        name = figure_name(self.figure)[0]
        parts = [f"{'、'.join(zh for zh, _ in kinds)} {shown}（{source}）" for shown, kinds, source in self.values]
        return f"{self.order_no} {name}不一致：" + " ≠ ".join(parts)

    @property
    def message_en(self) -> str:
        """The same in English."""
        name = figure_name(self.figure)[1]
        parts = [f"{', '.join(en for _, en in kinds)} {shown} ({source})" for shown, kinds, source in self.values]
        return f"{self.order_no} {name} differs: " + " ≠ ".join(parts)


@dataclass(frozen=True, slots=True)
class DocumentProblem:
    """Why one order's documents may not be rendered: a difference, missing data or a cancelled order."""

    order_no: str
    code: str  # figure-differs | missing-data | order-cancelled | shipped-late | containers-too-small
    message_zh: str
    message_en: str
    key: str = ""  # what the problem is about (a figure, a gap's cell), to report a shipment's problem once

    @property
    def message(self) -> str:
        """Both languages on one line."""
        return f"{self.message_zh} / {self.message_en}"


def _differences(contexts: Sequence[DocumentContext], rendering: set[str]) -> Iterable[DocumentProblem]:
    by_figure: dict[str, dict[str, list[tuple[str, str, str]]]] = {}
    for context in contexts:
        for figure in context.figures:
            entry = by_figure.setdefault(figure.name, {})
            entry.setdefault(figure.value, []).append((context.kind.key, figure.shown, figure.source))
    order_no = contexts[0].order_no
    for name, values in by_figure.items():
        if len(values) < 2:
            continue
        involved = {key for shown in values.values() for key, _, _ in shown}
        if not involved & rendering:
            continue
        groups: list[tuple[str, tuple[tuple[str, str], ...], str]] = []
        for shown in values.values():
            sources = list(dict.fromkeys(source for _, _, source in shown))
            kinds = tuple(dict.fromkeys(_title(contexts, key) for key, _, _ in shown))
            groups.append((shown[0][1], kinds, "; ".join(sources)))
        difference = Difference(order_no, name, tuple(groups))
        yield DocumentProblem(order_no, "figure-differs", difference.message_zh, difference.message_en, f"figure:{name}")


def _title(contexts: Sequence[DocumentContext], key: str) -> tuple[str, str]:
    kind = next(c.kind for c in contexts if c.kind.key == key)
    return kind.zh, kind.en


def _late(contexts: Sequence[DocumentContext], rendering: set[str]) -> Iterable[DocumentProblem]:
    """An ETD on the booking note or shipping advice after the contract's latest date of shipment."""
    latest = next((c.dates["latest_shipment"] for c in contexts if "latest_shipment" in c.dates), None)
    sailing = [(c, c.dates["etd"]) for c in contexts if "etd" in c.dates]
    if latest is None or not sailing or not any(c.kind.key in rendering for c, _ in sailing):
        return
    etd, etd_source = sailing[0][1]
    if etd > latest[0]:
        kinds = "、".join(c.kind.zh for c, _ in sailing)
        kinds_en = ", ".join(c.kind.en for c, _ in sailing)
        order_no = contexts[0].order_no
        yield DocumentProblem(
            order_no, "shipped-late",
            f"{order_no} 开船日 {etd.isoformat()}（{etd_source}，{kinds}）晚于合同最迟装运期 {latest[0].isoformat()}（{latest[1]}）",
            f"{order_no} ETD {etd.isoformat()} ({etd_source}; {kinds_en}) is after the contract's latest date of shipment "
            f"{latest[0].isoformat()} ({latest[1]})", f"late:{latest[1]}",
        )


def check_documents(contexts: Sequence[DocumentContext], rendering: Iterable[str], *,
                    cancelled: bool = False) -> list[DocumentProblem]:
    """Problems that stop the documents ``rendering`` (kind keys) of one order; ``contexts`` holds every kind."""
    if not contexts:
        return []
    wanted = set(rendering)
    order_no = contexts[0].order_no
    problems: list[DocumentProblem] = []
    if cancelled:
        problems.append(DocumentProblem(order_no, "order-cancelled", f"{order_no} 订单已取消，不应再出具单证",
                                        f"{order_no} is cancelled; no documents should be issued for it"))
    problems.extend(_differences(contexts, wanted))
    problems.extend(_late(contexts, wanted))
    seen: set[tuple[str, str]] = set()
    for context in contexts:
        if context.kind.key not in wanted:
            continue
        for gap in context.gaps:
            if (gap.en, gap.where) in seen:
                continue
            seen.add((gap.en, gap.where))
            kinds = "、".join(c.kind.zh for c in contexts if c.kind.key in wanted and gap in c.gaps)
            problems.append(DocumentProblem(order_no, "missing-data", f"{order_no} {gap.zh}（{gap.where}；{kinds}）",
                                            f"{order_no} {gap.en} ({gap.where})", f"gap:{gap.en}|{gap.where}"))
    return problems


def check_shipment(contexts: Sequence[DocumentContext], orders: Mapping[str, Sequence[DocumentContext]],
                   rendering: Iterable[str], *, cancelled: Iterable[str] = (),
                   containers: Iterable[DocumentProblem] = ()) -> list[DocumentProblem]:
    """Problems that stop a shipment's documents ``rendering``: each order's, then the shipment's own.

    ``contexts`` are the shipment's documents (every shipment kind), ``orders`` every kind of each
    of its orders; ``containers`` the 出运 containers that cannot take the goods
    (:func:`container_problems`). A problem of the shipment that is only the sum of an order's
    (the same figure differs, the same cell lacks data) is reported once, at the order.
    """
    wanted = set(rendering)
    stopped = set(cancelled)
    problems: list[DocumentProblem] = []
    for order_no, order_contexts in orders.items():
        problems.extend(check_documents(order_contexts, wanted, cancelled=order_no in stopped))
    seen = {p.key for p in problems if p.key}
    problems.extend(p for p in check_documents(contexts, wanted) if not p.key or p.key not in seen)
    problems.extend(containers)
    return problems


def container_problems(data: ShipmentData) -> list[DocumentProblem]:
    """The containers on the shipment's 出运 rows, when they cannot hold its packed volume or gross weight.

    Numbered containers count once each; a type without numbers counts as one container. LCL and
    types not in the container settings are not measured.
    """
    name, rows, settings = data.name, data.rows, data.settings
    totals = pack_lines(data.lines)[1]
    specs = {squash(spec.name): spec for spec in settings.containers}
    boxes: dict[str, tuple[str, Shipment]] = {}
    for row in rows:
        kind = squash(row.container_type or "")
        if not kind:
            continue
        if kind == "lcl" or kind not in specs:
            return []
        boxes.setdefault(squash(row.container_no or "") or f"?{kind}", (kind, row))
    if not boxes:
        return []
    cbm = sum((specs[kind].cbm for kind, _ in boxes.values()), Decimal(0))
    payload = sum((specs[kind].payload_kg for kind, _ in boxes.values()), Decimal(0))
    if totals.cbm <= cbm and totals.gw <= payload:
        return []
    counted: dict[str, int] = {}
    for kind, _ in boxes.values():
        counted[specs[kind].name] = counted.get(specs[kind].name, 0) + 1
    shown = " + ".join(f"{n} X {kind}" for kind, n in counted.items())
    cells = "; ".join(dict.fromkeys(data.address("shipments", "container_type", row.row) for _, row in boxes.values()))
    return [DocumentProblem(
        name, "containers-too-small",
        f"{name} 出运表的柜 {shown}（{cells}）装不下本票货物：体积 {totals.cbm} / {cbm} 立方米，毛重 {totals.gw} / {payload} 千克",
        f"{name} the containers on the 出运 sheet, {shown} ({cells}), cannot take the shipment: {totals.cbm} of "
        f"{cbm} CBM, G.W. {totals.gw} of {payload} kg", "containers")]
