"""The vocabulary of samples, complaints and changes: what merchandisers type is understood, the rest is not."""

from __future__ import annotations

import pytest

from gendan_xl.lifecycle import (
    ASPECT_CHOICES,
    COMPLAINT_TYPE_CHOICES,
    PARTY_CHOICES,
    PP_CHOICES,
    RESOLUTION_CHOICES,
    SAMPLE_KIND_CHOICES,
    VERDICT_CHOICES,
    Aspect,
    ComplaintType,
    Party,
    PpRequirement,
    Resolution,
    SampleKind,
    Verdict,
    normalize_complaint_type,
    normalize_party,
    normalize_pp_requirement,
    normalize_resolution,
    normalize_sample_kind,
    normalize_verdict,
    parse_aspects,
)


@pytest.mark.parametrize(("text", "kind"), [
    ("产前样 PP", SampleKind.PP), ("PP sample", SampleKind.PP), ("pps", SampleKind.PP), ("ＰＰ", SampleKind.PP),
    ("船样", SampleKind.SHIPPING), ("TOP sample", SampleKind.SHIPPING), ("大货样", SampleKind.SHIPPING),
    ("确认样", SampleKind.APPROVAL), ("counter sample", SampleKind.APPROVAL), ("样品", None), ("", None),
])
def test_sample_kinds(text: str, kind: SampleKind | None) -> None:
    assert normalize_sample_kind(text) is kind


@pytest.mark.parametrize(("text", "verdict"), [
    ("通过 Approved", Verdict.APPROVED), ("OK", Verdict.APPROVED), ("ok", Verdict.APPROVED), ("合格", Verdict.APPROVED),
    ("Approved with comments", Verdict.APPROVED_WITH_COMMENTS), ("修改后通过", Verdict.APPROVED_WITH_COMMENTS),
    ("NG", Verdict.REJECTED), ("不通过", Verdict.REJECTED), ("rejected", Verdict.REJECTED), ("再看看", None),
])
def test_verdicts(text: str, verdict: Verdict | None) -> None:
    assert normalize_verdict(text) is verdict


def test_only_a_rejection_stops_bulk() -> None:
    assert [v.approves for v in Verdict] == [True, True, False]


@pytest.mark.parametrize(("text", "requirement"), [
    ("是", PpRequirement.BEFORE_BULK), ("Y", PpRequirement.BEFORE_BULK), ("大货前确认 Before bulk", PpRequirement.BEFORE_BULK),
    ("下单前确认", PpRequirement.BEFORE_PC), ("before PO", PpRequirement.BEFORE_PC), ("否", PpRequirement.NONE),
    ("不需要 Not required", PpRequirement.NONE), ("maybe", None),
])
def test_pp_requirements(text: str, requirement: PpRequirement | None) -> None:
    assert normalize_pp_requirement(text) is requirement


@pytest.mark.parametrize(("text", "kind"), [
    ("质量 Quality", ComplaintType.QUALITY), ("破损", ComplaintType.QUALITY), ("短装", ComplaintType.QUANTITY),
    ("shortage", ComplaintType.QUANTITY), ("唛头", ComplaintType.PACKING), ("late delivery", ComplaintType.DELAY),
    ("单据", ComplaintType.DOCUMENTS), ("其它问题", None),
])
def test_complaint_types(text: str, kind: ComplaintType | None) -> None:
    assert normalize_complaint_type(text) is kind


@pytest.mark.parametrize(("text", "resolution"), [
    ("返工", Resolution.REWORK), ("credit note", Resolution.DISCOUNT), ("赔款", Resolution.DISCOUNT),
    ("补货", Resolution.REPRODUCE), ("退货 Return", Resolution.RETURN), ("拒赔", Resolution.DECLINED), ("算了", None),
])
def test_resolutions(text: str, resolution: Resolution | None) -> None:
    assert normalize_resolution(text) is resolution


@pytest.mark.parametrize(("text", "party"), [("客户", Party.CUSTOMER), ("buyer", Party.CUSTOMER), ("我司", Party.US),
                                             ("工厂 Factory", Party.FACTORY), ("supplier", Party.FACTORY), ("?", None)])
def test_parties(text: str, party: Party | None) -> None:
    assert normalize_party(text) is party


@pytest.mark.parametrize(("text", "aspects"), [
    ("数量 Quantity", (Aspect.QTY,)), ("qty", (Aspect.QTY,)), ("数量、交期", (Aspect.QTY, Aspect.DELIVERY)),
    ("单价/采购价", (Aspect.PRICE, Aspect.PURCHASE_PRICE)), ("目的港", (Aspect.PORT,)), ("取消", (Aspect.CANCELLED,)),
    ("Cancellation", (Aspect.CANCELLED,)), ("工厂交期 Factory date", (Aspect.FACTORY_DATE,)), ("改颜色", ()),
    ("数量; 数量", (Aspect.QTY,)),
])
def test_aspects(text: str, aspects: tuple[Aspect, ...]) -> None:
    assert parse_aspects(text) == aspects


@pytest.mark.parametrize(("choices", "parse"), [
    (SAMPLE_KIND_CHOICES, normalize_sample_kind), (VERDICT_CHOICES, normalize_verdict),
    (PP_CHOICES, normalize_pp_requirement), (COMPLAINT_TYPE_CHOICES, normalize_complaint_type),
    (RESOLUTION_CHOICES, normalize_resolution), (PARTY_CHOICES, normalize_party),
    (ASPECT_CHOICES, lambda text: parse_aspects(text)[0] if parse_aspects(text) else None),
])
def test_every_drop_down_choice_is_understood(choices: tuple[str, ...], parse: object) -> None:
    assert callable(parse)
    assert all(parse(choice) is not None for choice in choices)
    assert len(",".join(choices)) <= 250  # fits an inline drop-down (Excel's 255 characters)
