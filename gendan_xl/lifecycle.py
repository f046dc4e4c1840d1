"""Vocabulary of the order's later life: samples (样品), complaints (客诉) and changes (改单).

Like :mod:`gendan_xl.vocab`, each ``normalize_*`` function takes what a merchandiser typed
(Chinese, English, short forms, full-width characters) and returns the canonical value, or
``None`` when the word is not known; the labels feed the template's drop-downs.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache
from typing import TypeVar

from gendan_xl.vocab import squash

__all__ = [
    "ASPECT_CHOICES",
    "COMPLAINT_TYPE_CHOICES",
    "PARTY_CHOICES",
    "PP_CHOICES",
    "RESOLUTION_CHOICES",
    "SAMPLE_KIND_CHOICES",
    "VERDICT_CHOICES",
    "Aspect",
    "ComplaintType",
    "Party",
    "PpRequirement",
    "Resolution",
    "SampleKind",
    "Verdict",
    "normalize_complaint_type",
    "normalize_party",
    "normalize_pp_requirement",
    "normalize_resolution",
    "normalize_sample_kind",
    "normalize_verdict",
    "parse_aspects",
]

E = TypeVar("E", bound=StrEnum)


def _lookup(labels: Mapping[E, str], aliases: Mapping[str, E]) -> dict[str, E]:
    """Every accepted word (the value, the bilingual label, each half of it, the aliases) → the member."""
    table: dict[str, E] = {}
    for member, label in labels.items():
        zh, _, en = label.partition(" ")
        for word in (member.value, label, zh, en):
            table[squash(word)] = member
    table.update({squash(word): member for word, member in aliases.items()})
    return table


class SampleKind(StrEnum):
    """What a sample is for (样品类型)."""

    PP = "pp"  # 产前样: made from bulk materials, approved before bulk production
    SHIPPING = "shipping"  # 船样 / 大货样: taken from the finished goods before shipment
    APPROVAL = "approval"  # 确认样: the design / development sample the order was placed on
    OTHER = "other"

    @property
    def label(self) -> str:
        """Bilingual label as offered in the template's drop-down."""
        return _KIND_LABELS[self]


_KIND_LABELS = {SampleKind.PP: "产前样 PP", SampleKind.SHIPPING: "船样 Shipping", SampleKind.APPROVAL: "确认样 Approval",
                SampleKind.OTHER: "其他 Other"}
SAMPLE_KIND_CHOICES: tuple[str, ...] = tuple(_KIND_LABELS.values())
_KINDS = _lookup(_KIND_LABELS, {
    "产前样品": SampleKind.PP, "PPS": SampleKind.PP, "PP Sample": SampleKind.PP, "Pre-production": SampleKind.PP,
    "Pre-production Sample": SampleKind.PP, "预生产样": SampleKind.PP, "产前封样": SampleKind.PP,
    "船头样": SampleKind.SHIPPING, "大货样": SampleKind.SHIPPING, "出货样": SampleKind.SHIPPING, "SS": SampleKind.SHIPPING,
    "Shipping Sample": SampleKind.SHIPPING, "Shipment Sample": SampleKind.SHIPPING, "TOP": SampleKind.SHIPPING,
    "TOP Sample": SampleKind.SHIPPING, "Production Sample": SampleKind.SHIPPING,
    "确认样品": SampleKind.APPROVAL, "开发样": SampleKind.APPROVAL, "打样": SampleKind.APPROVAL, "样板": SampleKind.APPROVAL,
    "Approval Sample": SampleKind.APPROVAL, "Counter Sample": SampleKind.APPROVAL, "回样": SampleKind.APPROVAL,
    "Development Sample": SampleKind.APPROVAL, "Proto": SampleKind.APPROVAL, "Proto Sample": SampleKind.APPROVAL,
    "Salesman Sample": SampleKind.OTHER, "参考样": SampleKind.OTHER,
})


@lru_cache(maxsize=512)
def normalize_sample_kind(value: str) -> SampleKind | None:
    """The kind of a sample (``产前样``, ``PP sample``, ``船样`` …), or None."""
    return _KINDS.get(squash(value))


class Verdict(StrEnum):
    """The customer's verdict on a sample (客户意见)."""

    APPROVED = "approved"
    APPROVED_WITH_COMMENTS = "approved_with_comments"  # bulk may go ahead with the comments applied
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        """Bilingual label as offered in the template's drop-down."""
        return _VERDICT_LABELS[self]

    @property
    def approves(self) -> bool:
        """True when bulk production may go ahead on this sample."""
        return self is not Verdict.REJECTED


_VERDICT_LABELS = {Verdict.APPROVED: "通过 Approved", Verdict.APPROVED_WITH_COMMENTS: "修改后通过 Approved with comments",
                   Verdict.REJECTED: "不通过 Rejected"}
VERDICT_CHOICES: tuple[str, ...] = tuple(_VERDICT_LABELS.values())
_VERDICTS = _lookup(_VERDICT_LABELS, {
    "OK": Verdict.APPROVED, "Pass": Verdict.APPROVED, "Passed": Verdict.APPROVED, "Approve": Verdict.APPROVED,
    "合格": Verdict.APPROVED, "确认": Verdict.APPROVED, "已确认": Verdict.APPROVED, "同意": Verdict.APPROVED,
    "批准": Verdict.APPROVED, "Accepted": Verdict.APPROVED, "Good": Verdict.APPROVED, "Y": Verdict.APPROVED,
    "有条件通过": Verdict.APPROVED_WITH_COMMENTS, "OK with comments": Verdict.APPROVED_WITH_COMMENTS,
    "Approved with comment": Verdict.APPROVED_WITH_COMMENTS, "Conditional": Verdict.APPROVED_WITH_COMMENTS,
    "Conditionally approved": Verdict.APPROVED_WITH_COMMENTS, "意见通过": Verdict.APPROVED_WITH_COMMENTS,
    "Reject": Verdict.REJECTED, "NG": Verdict.REJECTED, "Fail": Verdict.REJECTED, "Failed": Verdict.REJECTED,
    "Not approved": Verdict.REJECTED, "不合格": Verdict.REJECTED, "退回": Verdict.REJECTED, "拒绝": Verdict.REJECTED,
    "重做": Verdict.REJECTED, "重新打样": Verdict.REJECTED, "N": Verdict.REJECTED,
})


@lru_cache(maxsize=512)
def normalize_verdict(value: str) -> Verdict | None:
    """The verdict on a sample (``OK``, ``通过``, ``NG``, ``Approved with comments`` …), or None."""
    return _VERDICTS.get(squash(value))


class PpRequirement(StrEnum):
    """Whether an order waits for the customer's approval of a pre-production sample (产前样要求)."""

    BEFORE_BULK = "before_bulk"  # bulk production starts only after approval (the usual clause)
    BEFORE_PC = "before_pc"  # not even the purchase contract goes out before approval (a new item, a new factory)
    NONE = "none"

    @property
    def label(self) -> str:
        """Bilingual label as offered in the template's drop-down."""
        return _PP_LABELS[self]


_PP_LABELS = {PpRequirement.BEFORE_BULK: "大货前确认 Before bulk", PpRequirement.BEFORE_PC: "下单前确认 Before PC",
              PpRequirement.NONE: "不需要 Not required"}
PP_CHOICES: tuple[str, ...] = tuple(_PP_LABELS.values())
_PP = _lookup(_PP_LABELS, {
    "是": PpRequirement.BEFORE_BULK, "Yes": PpRequirement.BEFORE_BULK, "Y": PpRequirement.BEFORE_BULK,
    "需要": PpRequirement.BEFORE_BULK, "要": PpRequirement.BEFORE_BULK, "Required": PpRequirement.BEFORE_BULK,
    "True": PpRequirement.BEFORE_BULK, "1": PpRequirement.BEFORE_BULK, "大货前": PpRequirement.BEFORE_BULK,
    "Before Production": PpRequirement.BEFORE_BULK, "Before Bulk Production": PpRequirement.BEFORE_BULK,
    "下单前": PpRequirement.BEFORE_PC, "采购前": PpRequirement.BEFORE_PC, "Before Purchase Contract": PpRequirement.BEFORE_PC,
    "Before PO": PpRequirement.BEFORE_PC,
    "否": PpRequirement.NONE, "No": PpRequirement.NONE, "N": PpRequirement.NONE, "不要": PpRequirement.NONE,
    "无": PpRequirement.NONE, "False": PpRequirement.NONE, "0": PpRequirement.NONE, "Not needed": PpRequirement.NONE,
})


@lru_cache(maxsize=256)
def normalize_pp_requirement(value: str) -> PpRequirement | None:
    """An order's pre-production sample requirement (``是``, ``大货前确认``, ``Before PC``, ``否`` …), or None."""
    return _PP.get(squash(value))


class ComplaintType(StrEnum):
    """What a customer complains about (客诉类型)."""

    QUALITY = "quality"
    QUANTITY = "quantity"
    PACKING = "packing"
    DELAY = "delay"
    DOCUMENTS = "documents"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Bilingual label as offered in the template's drop-down."""
        return _TYPE_LABELS[self]


_TYPE_LABELS = {ComplaintType.QUALITY: "质量 Quality", ComplaintType.QUANTITY: "数量 Quantity",
                ComplaintType.PACKING: "包装 Packing", ComplaintType.DELAY: "交期 Delay",
                ComplaintType.DOCUMENTS: "单证 Documents", ComplaintType.OTHER: "其他 Other"}
COMPLAINT_TYPE_CHOICES: tuple[str, ...] = tuple(_TYPE_LABELS.values())
_TYPES = _lookup(_TYPE_LABELS, {
    "品质": ComplaintType.QUALITY, "质量问题": ComplaintType.QUALITY, "Defect": ComplaintType.QUALITY,
    "Defects": ComplaintType.QUALITY, "Damage": ComplaintType.QUALITY, "Damaged": ComplaintType.QUALITY,
    "破损": ComplaintType.QUALITY, "次品": ComplaintType.QUALITY,
    "短装": ComplaintType.QUANTITY, "少货": ComplaintType.QUANTITY, "Shortage": ComplaintType.QUANTITY,
    "Short Shipment": ComplaintType.QUANTITY, "溢装": ComplaintType.QUANTITY, "数量不符": ComplaintType.QUANTITY,
    "Packaging": ComplaintType.PACKING, "唛头": ComplaintType.PACKING, "Marks": ComplaintType.PACKING,
    "Label": ComplaintType.PACKING, "Labelling": ComplaintType.PACKING, "包装问题": ComplaintType.PACKING,
    "延误": ComplaintType.DELAY, "延期": ComplaintType.DELAY, "晚交": ComplaintType.DELAY, "Late": ComplaintType.DELAY,
    "Late Delivery": ComplaintType.DELAY, "Late Shipment": ComplaintType.DELAY,
    "单据": ComplaintType.DOCUMENTS, "单证问题": ComplaintType.DOCUMENTS, "Document": ComplaintType.DOCUMENTS,
    "Docs": ComplaintType.DOCUMENTS, "Paperwork": ComplaintType.DOCUMENTS,
})


@lru_cache(maxsize=256)
def normalize_complaint_type(value: str) -> ComplaintType | None:
    """The type of a complaint (``质量``, ``shortage``, ``唛头`` …), or None."""
    return _TYPES.get(squash(value))


class Resolution(StrEnum):
    """How a complaint was settled (处理方式)."""

    REWORK = "rework"
    REPRODUCE = "reproduce"
    DISCOUNT = "discount"
    RETURN = "return"
    DECLINED = "declined"  # the claim was not accepted
    OTHER = "other"

    @property
    def label(self) -> str:
        """Bilingual label as offered in the template's drop-down."""
        return _RESOLUTION_LABELS[self]


_RESOLUTION_LABELS = {Resolution.REWORK: "返工 Rework", Resolution.REPRODUCE: "重做 Re-produce",
                      Resolution.DISCOUNT: "折扣 Discount", Resolution.RETURN: "退货 Return",
                      Resolution.DECLINED: "不接受 Declined", Resolution.OTHER: "其他 Other"}
RESOLUTION_CHOICES: tuple[str, ...] = tuple(_RESOLUTION_LABELS.values())
_RESOLUTIONS = _lookup(_RESOLUTION_LABELS, {
    "返修": Resolution.REWORK, "Repair": Resolution.REWORK, "Re-work": Resolution.REWORK, "挑选": Resolution.REWORK,
    "Sorting": Resolution.REWORK,
    "重新生产": Resolution.REPRODUCE, "补货": Resolution.REPRODUCE, "Reproduce": Resolution.REPRODUCE,
    "Replacement": Resolution.REPRODUCE, "Replace": Resolution.REPRODUCE, "Remake": Resolution.REPRODUCE,
    "赔款": Resolution.DISCOUNT, "赔偿": Resolution.DISCOUNT, "扣款": Resolution.DISCOUNT, "降价": Resolution.DISCOUNT,
    "Claim": Resolution.DISCOUNT, "Compensation": Resolution.DISCOUNT, "Credit Note": Resolution.DISCOUNT,
    "Refund": Resolution.DISCOUNT, "Rebate": Resolution.DISCOUNT,
    "退回": Resolution.RETURN, "Returned": Resolution.RETURN, "Return Goods": Resolution.RETURN,
    "拒赔": Resolution.DECLINED, "不赔": Resolution.DECLINED, "Rejected": Resolution.DECLINED,
    "Declined": Resolution.DECLINED, "No Action": Resolution.DECLINED,
})


@lru_cache(maxsize=256)
def normalize_resolution(value: str) -> Resolution | None:
    """How a complaint was settled (``返工``, ``credit note``, ``退货`` …), or None."""
    return _RESOLUTIONS.get(squash(value))


class Party(StrEnum):
    """Who asked for a change (提出方)."""

    CUSTOMER = "customer"
    US = "us"
    FACTORY = "factory"

    @property
    def label(self) -> str:
        """Bilingual label as offered in the template's drop-down."""
        return _PARTY_LABELS[self]


_PARTY_LABELS = {Party.CUSTOMER: "客户 Customer", Party.US: "我方 Us", Party.FACTORY: "工厂 Factory"}
PARTY_CHOICES: tuple[str, ...] = tuple(_PARTY_LABELS.values())
_PARTIES = _lookup(_PARTY_LABELS, {
    "客人": Party.CUSTOMER, "Buyer": Party.CUSTOMER, "Client": Party.CUSTOMER, "买方": Party.CUSTOMER,
    "我司": Party.US, "公司": Party.US, "本公司": Party.US, "We": Party.US, "Internal": Party.US, "跟单": Party.US,
    "业务": Party.US, "供应商": Party.FACTORY, "Supplier": Party.FACTORY, "厂家": Party.FACTORY,
})


@lru_cache(maxsize=256)
def normalize_party(value: str) -> Party | None:
    """Who asked for a change (``客户``, ``buyer``, ``工厂`` …), or None."""
    return _PARTIES.get(squash(value))


class Aspect(StrEnum):
    """What a change of an order touches (改单内容)."""

    ITEMS = "items"
    QTY = "qty"
    PRICE = "price"
    PURCHASE_PRICE = "purchase_price"
    PACKING = "packing"
    DELIVERY = "delivery"
    FACTORY_DATE = "factory_date"
    PORT = "port"
    INCOTERM = "incoterm"
    PAYMENT = "payment"
    CANCELLED = "cancelled"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Bilingual label as offered in the template's drop-down."""
        return _ASPECT_LABELS[self]

    @property
    def zh(self) -> str:
        """The Chinese half of the label."""
        return _ASPECT_LABELS[self].split(" ", 1)[0]

    @property
    def en(self) -> str:
        """The English half of the label."""
        return _ASPECT_LABELS[self].split(" ", 1)[1]


_ASPECT_LABELS = {
    Aspect.ITEMS: "货号品名 Items", Aspect.QTY: "数量 Quantity", Aspect.PRICE: "单价 Price",
    Aspect.PURCHASE_PRICE: "采购价 Purchase price", Aspect.PACKING: "包装 Packing", Aspect.DELIVERY: "交期 Delivery date",
    Aspect.FACTORY_DATE: "工厂交期 Factory date", Aspect.PORT: "港口 Port", Aspect.INCOTERM: "贸易术语 Incoterm",
    Aspect.PAYMENT: "付款方式 Payment terms", Aspect.CANCELLED: "取消 Cancelled", Aspect.OTHER: "其他 Other",
}
ASPECT_CHOICES: tuple[str, ...] = tuple(_ASPECT_LABELS.values())
_ASPECTS = _lookup(_ASPECT_LABELS, {
    "货号": Aspect.ITEMS, "品名": Aspect.ITEMS, "款号": Aspect.ITEMS, "型号": Aspect.ITEMS, "规格": Aspect.ITEMS,
    "Item": Aspect.ITEMS, "Description": Aspect.ITEMS, "Spec": Aspect.ITEMS, "加单": Aspect.ITEMS, "Add Item": Aspect.ITEMS,
    "Qty": Aspect.QTY, "Quantities": Aspect.QTY, "改数量": Aspect.QTY, "增量": Aspect.QTY, "减量": Aspect.QTY,
    "售价": Aspect.PRICE, "价格": Aspect.PRICE, "Unit Price": Aspect.PRICE, "Prices": Aspect.PRICE, "币种": Aspect.PRICE,
    "Currency": Aspect.PRICE, "采购单价": Aspect.PURCHASE_PRICE, "工厂价": Aspect.PURCHASE_PRICE, "Cost": Aspect.PURCHASE_PRICE,
    "装箱": Aspect.PACKING, "唛头": Aspect.PACKING, "箱规": Aspect.PACKING, "Packaging": Aspect.PACKING,
    "Carton": Aspect.PACKING, "客户交期": Aspect.DELIVERY, "交货期": Aspect.DELIVERY, "船期": Aspect.DELIVERY,
    "Delivery": Aspect.DELIVERY, "Ship Date": Aspect.DELIVERY, "Shipment Date": Aspect.DELIVERY,
    "工厂交货期": Aspect.FACTORY_DATE, "Factory Delivery Date": Aspect.FACTORY_DATE, "Ex-factory Date": Aspect.FACTORY_DATE,
    "目的港": Aspect.PORT, "起运港": Aspect.PORT, "目的国": Aspect.PORT, "Ports": Aspect.PORT, "POD": Aspect.PORT,
    "POL": Aspect.PORT, "Destination": Aspect.PORT, "术语": Aspect.INCOTERM, "价格条款": Aspect.INCOTERM,
    "Trade Term": Aspect.INCOTERM, "付款": Aspect.PAYMENT, "付款条件": Aspect.PAYMENT, "Payment": Aspect.PAYMENT,
    "Terms": Aspect.PAYMENT, "撤单": Aspect.CANCELLED, "取消订单": Aspect.CANCELLED, "Cancel": Aspect.CANCELLED,
    "Cancellation": Aspect.CANCELLED, "Canceled": Aspect.CANCELLED,
})


_SPLIT = str.maketrans({"，": ",", "、": ",", "/": ",", ";": ",", "；": ",", "+": ",", "&": ","})


@lru_cache(maxsize=512)
def parse_aspects(value: str) -> tuple[Aspect, ...]:
    """What a change touches (``数量``, ``交期``, ``Cancelled``; ``数量、交期`` gives both); empty when not known."""
    found = _ASPECTS.get(squash(value))
    if found is not None:
        return (found,)
    parts = (_ASPECTS.get(squash(part)) for part in value.translate(_SPLIT).split(","))
    return tuple(dict.fromkeys(a for a in parts if a is not None))
