"""Samples (样品): the pre-production sample before bulk, verdicts the customer owes, rejected samples to redo.

An order *requires* a pre-production (PP) sample approval when its 产前样要求 column says so
(大货前确认: before bulk production, 下单前确认: before the purchase contract, 不需要: not at all);
an empty cell takes the customer's default (客户 sheet), and with none there an order that has a
PP sample on the 样品 sheet is taken to wait for its approval before bulk (that is what sending
one means), any other order not to.

The PP approval date is read from the 样品 sheet when it has PP samples for the order (per item:
the latest sample with a verdict decides; the order is approved when every item sampled is, on the
latest of those dates); otherwise the order's own 产前样确认日 counts. When both are filled and
disagree, a finding says so, and the samples sheet (the record of each sample) is believed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.checks.common import customer_of
from gendan_xl.checks.schedule import is_shipped
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.lifecycle import (
    SAMPLE_KIND_CHOICES,
    VERDICT_CHOICES,
    PpRequirement,
    SampleKind,
    Verdict,
    normalize_pp_requirement,
    normalize_sample_kind,
    normalize_verdict,
)
from gendan_xl.models import Order, Sample
from gendan_xl.vocab import OrderStatus

__all__ = ["PpStatus", "pp_status", "samples_of"]

E, W = Severity.ERROR, Severity.WARNING
SAMPLES = define_family("samples", "样品", "Samples", stage=45, status_column="delivery_status")
_PRACTICE = "merchandiser practice (外贸跟单): bulk production only after the customer approved the pre-production sample"
_AS_OF = date(2026, 12, 2)

define_rule(
    "sample-no-verdict", W, SAMPLES,
    title=("样品未获客户意见", "Sample without a verdict"),
    message=("{address}：样品{sample_no}（{kind_zh}）{sent} 寄出已 {days} 天，客户尚未回复意见",
             "{address}: sample{sample_no} ({kind_en}) sent {sent}, {days} days ago, has no verdict from the customer"),
    rule="A sample sent (寄出日) gets the customer's verdict within `样品确认天数` days (10); after that the latest "
         "sample of its order, item and kind without a verdict is chased. A later sample of the same item and kind "
         "replaces it.",
    example="样品!E5：样品 S-0412（产前样 PP）2026-11-10 寄出已 16 天，客户尚未回复意见",
    action=("催客户确认样品", "chase the customer for the sample verdict"),
)
define_rule(
    "sample-rejected-no-resend", W, SAMPLES,
    title=("样品被拒未重寄", "Rejected sample not redone"),
    message=("{address}：样品{sample_no}（{kind_zh}）{verdict_on} 被客户拒绝，尚未寄出新样品",
             "{address}: sample{sample_no} ({kind_en}) was rejected on {verdict_on} and no new sample has been sent"),
    rule="When the latest sample of an order, item and kind was rejected (不通过), a new one is due within "
         "`样品重寄天数` days (7) of the verdict; a row for the new sample with its sent date clears this.",
    example="样品!H7：样品 S-0398（产前样 PP）2026-11-18 被客户拒绝，尚未寄出新样品",
    action=("按客户意见改样并重新寄出", "rework the sample as commented and send a new one"),
)
define_rule(
    "pc-before-pp-approval", E, SAMPLES,
    title=("产前样未确认即下采购合同", "Purchase contract before PP approval"),
    message=("{address}：订单 {order_no} 要求产前样确认后才下采购合同，但采购合同 {issued} 已下，{approval}",
             "{address}: order {order_no} must have its PP sample approved before the purchase contract, but the "
             "contract went out on {issued}; {approval_en}"),
    rule="An order whose 产前样要求 is 下单前确认 (Before PC) gets its purchase contract only after the customer "
         "approved the pre-production sample: a contract issued before that day (or with no approval yet) is reported.",
    example="订单!Y12：订单 GD2026-031 要求产前样确认后才下采购合同，但采购合同 2026-10-02 已下，产前样 2026-10-09 才确认",
    source=_PRACTICE, as_of=_AS_OF,
)
define_rule(
    "bulk-before-pp-approval", E, SAMPLES,
    title=("产前样未确认即开大货", "Bulk production before PP approval"),
    message=("{address}：订单 {order_no} 已{stage_zh}，但产前样尚未获客户确认{pending}",
             "{address}: order {order_no} is {stage_en} but its PP sample has not been approved by the customer"
             "{pending_en}"),
    rule="An order that requires a pre-production sample approval (产前样要求 大货前确认 or 下单前确认, from the order "
         "or the customer) is not in production (生产中), ready or shipped before the customer approved the PP sample.",
    example="订单!AC9：订单 GD2026-027 已生产中，但产前样尚未获客户确认（样品 S-0405 2026-11-12 寄出，待回复）",
    action=("暂停大货，催客户确认产前样", "hold bulk production and get the PP sample approved"),
    at_risk=True, source=_PRACTICE, as_of=_AS_OF,
)
define_rule(
    "sample-approval-disagrees", W, SAMPLES,
    title=("产前样确认日与样品表不符", "Sample approval disagrees"),
    message=("{address}：订单上的产前样确认日 {order_date} 与样品表不符（样品表：{samples}）",
             "{address}: the order's sample approval date {order_date} disagrees with the samples sheet ({samples_en})"),
    rule="When the order's 产前样确认日 is filled and the 样品 sheet has PP samples for it, both say the same: approved "
         "on the same day. The samples sheet is believed for the other sample rules.",
    example="订单!X14：订单上的产前样确认日 2026-10-05 与样品表不符（样品表：S-0377 2026-10-07 不通过，新样品待回复）",
)
define_rule(
    "sample-value-unknown", W, SAMPLES,
    title=("样品信息无法识别", "Sample entry not understood"),
    message=("{address}：{column_zh}“{value}”无法识别（可填 {choices}）",
             "{address}: {column_en} “{value}” is not understood ({choices})"),
    rule="Sample kinds, verdicts and the PP sample requirement are words from the drop-downs (产前样 PP, 通过 Approved, "
         "大货前确认 Before bulk …; OK, NG, 是, 否 are understood too). A sample whose kind or verdict is not "
         "understood is left out of the sample rules.",
    example="样品!H9：客户意见“再看看”无法识别（可填 通过 Approved / 修改后通过 Approved with comments / 不通过 Rejected）",
)
define_rule(
    "sample-without-order", W, SAMPLES,
    title=("样品找不到订单", "Sample without an order"),
    message=("{address}：订单号 {order_no} 不在订单表中", "{address}: order no. {order_no} is not on the orders sheet"),
    rule="Every sample's order no. must exist on the orders sheet.",
    example="样品!B9: order no. GD2026-099 is not on the orders sheet",
)

_BULK_STATES = {OrderStatus.IN_PRODUCTION: ("生产中", "in production"), OrderStatus.READY: ("待出运", "ready to ship"),
                OrderStatus.SHIPPED: ("出运", "shipped"), OrderStatus.COMPLETED: ("出运", "shipped")}


@dataclass(frozen=True, slots=True)
class _Read:
    """A sample row with its kind and verdict understood (None when blank or not understood)."""

    sample: Sample
    kind: SampleKind | None
    verdict: Verdict | None

    @property
    def when(self) -> date:
        return self.sample.sent_date or self.sample.verdict_date or date.min


@dataclass(frozen=True, slots=True)
class PpStatus:
    """An order's pre-production sample: what it requires and when (if) the customer approved it.

    ``approved`` is None while not approved; ``date.min`` when approved on a day not recorded.
    ``from_samples`` says the 样品 sheet decided (the order has PP samples there).
    """

    requirement: PpRequirement
    approved: date | None
    from_samples: bool
    pending: Sample | None = None  # the PP sample awaiting a verdict, if any


def _read_samples(ctx: CheckContext) -> dict[str, list[_Read]]:
    def build() -> dict[str, list[_Read]]:
        grouped: dict[str, list[_Read]] = defaultdict(list)
        for sample in ctx.workbook.samples:
            kind = normalize_sample_kind(sample.kind) if sample.kind else None
            verdict = normalize_verdict(sample.verdict) if sample.verdict else None
            grouped[sample.order_no].append(_Read(sample, kind, verdict))
        return dict(grouped)

    result: dict[str, list[_Read]] = ctx.memo("samples_by_order", build)
    return result


def samples_of(ctx: CheckContext, order_no: str) -> list[Sample]:
    """The sample rows of an order, in sheet order."""
    return [read.sample for read in _read_samples(ctx).get(order_no, [])]


def _latest_by_group(reads: list[_Read]) -> dict[tuple[str, SampleKind], _Read]:
    """The latest sample per (item, kind): by sent date, then sheet order."""
    latest: dict[tuple[str, SampleKind], _Read] = {}
    for read in reads:
        if read.kind is None:
            continue
        key = ((read.sample.item_no or "").strip().casefold(), read.kind)
        held = latest.get(key)
        if held is None or (read.when, read.sample.row) >= (held.when, held.sample.row):
            latest[key] = read
    return latest


def _requirement(ctx: CheckContext, order: Order, has_pp: bool) -> PpRequirement:
    customer = customer_of(ctx, order)
    for text in (order.pp_sample, customer.pp_sample if customer else None):
        if text:
            found = normalize_pp_requirement(text)
            if found is not None:
                return found
    return PpRequirement.BEFORE_BULK if has_pp else PpRequirement.NONE


def _approval_from_samples(pp: list[_Read]) -> tuple[date | None, Sample | None]:
    """When the PP samples were all approved (None if not), and a PP sample awaiting its verdict."""
    by_item: dict[str, list[_Read]] = defaultdict(list)
    for read in pp:
        by_item[(read.sample.item_no or "").strip().casefold()].append(read)
    days: list[date] = []
    pending: Sample | None = None
    approved_all = True
    for reads in by_item.values():
        ordered = sorted(reads, key=lambda r: (r.when, r.sample.row))
        decided = [r for r in ordered if r.verdict is not None]
        if ordered[-1].verdict is None:
            pending = ordered[-1].sample
        if not decided or not decided[-1].verdict or not decided[-1].verdict.approves:
            approved_all = False
            continue
        days.append(decided[-1].sample.verdict_date or date.min)
    return (max(days) if approved_all and days else None), pending


def pp_status(ctx: CheckContext, order: Order) -> PpStatus:
    """The order's PP sample requirement and approval (see the module docstring)."""
    known: dict[int, PpStatus] = ctx.memo("pp_status", dict)
    status = known.get(order.row)
    if status is None:
        pp = [r for r in _read_samples(ctx).get(order.order_no, []) if r.kind is SampleKind.PP]
        requirement = _requirement(ctx, order, bool(pp))
        if pp:
            approved, pending = _approval_from_samples(pp)
            status = PpStatus(requirement, approved, True, pending)
        else:
            status = PpStatus(requirement, order.sample_approved, False)
        known[order.row] = status
    return status


@check("samples")
def check_samples(ctx: CheckContext) -> Iterator[Finding]:
    """Samples without a verdict, rejected samples not redone, bulk or contracts before the PP approval."""
    workbook = ctx.workbook
    orders = workbook.orders_by_no
    for order_no, reads in _read_samples(ctx).items():
        order = orders.get(order_no)
        for read in reads:
            yield from _unknown_values(ctx, read)
            if order is None:
                yield ctx.finding("sample-without-order", sheet="samples", field="order_no", row=read.sample.row,
                                  order_no=order_no)
        if order is None or order.is_cancelled:
            continue
        for read in _latest_by_group(reads).values():
            yield from _follow_up(ctx, read)
    by_order = _read_samples(ctx)
    seen: set[str] = set()
    for order in workbook.orders:
        if order.order_no in seen or order.is_cancelled:
            continue
        seen.add(order.order_no)
        if not order.pp_sample and order.order_no not in by_order:
            customer = customer_of(ctx, order)
            if customer is None or not customer.pp_sample:
                continue  # no requirement and no samples: nothing to follow (most orders of a large workbook)
        if order.pp_sample and normalize_pp_requirement(order.pp_sample) is None:
            yield ctx.finding("sample-value-unknown", sheet="orders", field="pp_sample", row=order.row,
                              order_no=order.order_no, value=order.pp_sample, column_zh="产前样要求",
                              column_en="PP sample requirement", choices=" / ".join(_PP_WORDS))
        status = pp_status(ctx, order)
        if status.from_samples and order.sample_approved is not None:
            yield from _disagreement(ctx, order, status)
        if status.requirement is not PpRequirement.NONE:
            yield from _before_approval(ctx, order, status)


_PP_WORDS = ("大货前确认", "下单前确认", "不需要", "是", "否")


def _unknown_values(ctx: CheckContext, read: _Read) -> Iterator[Finding]:
    sample = read.sample
    where: dict[str, Any] = {"sheet": "samples", "row": sample.row, "order_no": sample.order_no}
    if sample.kind and read.kind is None:
        yield ctx.finding("sample-value-unknown", field="kind", **where, value=sample.kind, column_zh="样品类型",
                          column_en="sample kind", choices=" / ".join(SAMPLE_KIND_CHOICES))
    if sample.verdict and read.verdict is None:
        yield ctx.finding("sample-value-unknown", field="verdict", **where, value=sample.verdict, column_zh="客户意见",
                          column_en="verdict", choices=" / ".join(VERDICT_CHOICES))


def _follow_up(ctx: CheckContext, read: _Read) -> Iterator[Finding]:
    """A pending verdict past its days, or a rejection not followed by a new sample (the latest of its group)."""
    sample, kind = read.sample, read.kind
    assert kind is not None
    label = kind.label.split(" ", 1)
    number = f" {sample.sample_no}" if sample.sample_no else ""
    where: dict[str, Any] = {"sheet": "samples", "row": sample.row, "order_no": sample.order_no,
                             "sample_no": number, "kind_zh": kind.label, "kind_en": f"{label[1]} sample"}
    if read.verdict is None and not sample.verdict and sample.sent_date is not None:
        due = sample.sent_date + timedelta(days=ctx.settings.sample_verdict_days)
        if ctx.today >= due:
            yield ctx.finding("sample-no-verdict", field="verdict", **where, due=due, sent=sample.sent_date,
                              days=(ctx.today - sample.sent_date).days)
    elif read.verdict is Verdict.REJECTED:
        day = sample.verdict_date or sample.sent_date or ctx.today
        yield ctx.finding("sample-rejected-no-resend", field="verdict", **where,
                          due=day + timedelta(days=ctx.settings.sample_resend_days),
                          verdict_on=sample.verdict_date or "—")


def _describe(status: PpStatus) -> tuple[str, str]:
    """The samples sheet's word on the PP approval, in Chinese and English."""
    if status.approved is not None:
        day = "" if status.approved == date.min else f" {status.approved.isoformat()}"
        return f"产前样{day}已确认", f"PP sample approved{day}"
    if status.pending is not None:
        sent = status.pending.sent_date.isoformat() if status.pending.sent_date else "—"
        number = f" {status.pending.sample_no}" if status.pending.sample_no else ""
        return f"样品{number} {sent} 寄出，待回复", f"sample{number} sent {sent} awaits the verdict"
    return "产前样未确认", "PP sample not approved"


def _disagreement(ctx: CheckContext, order: Order, status: PpStatus) -> Iterator[Finding]:
    approved = status.approved
    if approved is not None and (approved == date.min or approved == order.sample_approved):
        return
    zh, en = _describe(status)
    yield ctx.finding("sample-approval-disagrees", sheet="orders", field="sample_approved", row=order.row,
                      order_no=order.order_no, order_date=order.sample_approved, samples=zh, samples_en=en)


def _before_approval(ctx: CheckContext, order: Order, status: PpStatus) -> Iterator[Finding]:
    approved = status.approved
    where: dict[str, Any] = {"sheet": "orders", "row": order.row, "order_no": order.order_no}
    if status.requirement is PpRequirement.BEFORE_PC and order.po_issued is not None and (
            approved is None or (approved != date.min and approved > order.po_issued)):
        zh = f"产前样 {approved.isoformat()} 才确认" if approved else "产前样至今未确认"
        en = f"the PP sample was approved only on {approved.isoformat()}" if approved else "the PP sample is not approved"
        yield ctx.finding("pc-before-pp-approval", field="po_issued", **where, issued=order.po_issued,
                          approval=zh, approval_en=en)
    if approved is not None:
        return
    state = _BULK_STATES.get(order.status) if order.status else None
    if state is None and is_shipped(ctx, order):
        state = _BULK_STATES[OrderStatus.SHIPPED]
    if state is None:
        return
    zh, en = _describe(status)
    yield ctx.finding("bulk-before-pp-approval", field="status", **where, due=ctx.today, stage_zh=state[0],
                      stage_en=state[1], pending=f"（{zh}）" if status.pending else "",
                      pending_en=f" ({en})" if status.pending else "")
