"""The context builder: packing arithmetic, amounts per document, customs data, and honest fingerprints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from gendan_xl.documents import KINDS, build_context, find_kind, fingerprint, gather_order
from gendan_xl.documents.customs import brand_type, export_preference, find_legal_units, transaction_mode
from gendan_xl.documents.packing import PackingTotals, containers_text, pack_lines
from gendan_xl.models import Customer, Factory, Order, OrderLine, Shipment, Workbook
from gendan_xl.vocab import OrderStatus
from gendan_xl.workbook.reader import read_workbook

from .conftest import TODAY, Rows


def _kind(key: str) -> Any:
    kind = find_kind(key)
    assert kind is not None
    return kind


def _book(rows: Rows, write_book: Callable[..., Path]) -> Workbook:
    return read_workbook(write_book(rows))


def test_cartons_numbered_through_the_order_with_part_filled_cartons(rows: Rows, write_book: Callable[..., Path]) -> None:
    wb = _book(rows, write_book)
    values = build_context(gather_order(wb, "T-001", today=TODAY), _kind("packing-list")).values
    packing = [(r["carton_range"], r["per_carton"], r["qty"], r["nw"], r["gw"]) for r in values["packing_rows"]]
    assert packing == [("1-12", "100", "1,200", "114.00", "126.00"),
                       ("13", "50", "50", "4.75", "5.75"),  # half a carton: half the net weight, the full tare
                       ("14-19", "48", "288", "43.20", "49.20"),
                       ("20", "12", "12", "1.80", "2.80")]
    totals = values["totals"]
    assert (totals["cartons"], totals["nw"], totals["gw"]) == ("20", "163.75", "183.75")
    # each row's volume as printed (0.559, 0.047, 0.284, 0.047) and their sum: the packing list adds up
    assert [r["cbm"] for r in values["packing_rows"]] == ["0.559", "0.047", "0.284", "0.047"]
    assert totals["cbm"] == "0.937"
    assert totals["cartons_words"] == "SAY TOTAL TWENTY CARTONS ONLY"
    assert totals["qty"] == "1,250 PCS\n300 SETS"
    assert [line["carton_range"] for line in values["lines"]] == ["1-13", "14-20"]


def test_missing_carton_data_is_a_gap_except_on_the_purchase_contract(rows: Rows, write_book: Callable[..., Path]) -> None:
    rows["lines"][1]["gw_per_carton"] = None
    data = gather_order(_book(rows, write_book), "T-001", today=TODAY)
    packing = build_context(data, _kind("packing-list"))
    assert any("KT-1002" in gap.en and "gw_per_carton" in gap.en for gap in packing.gaps)
    assert packing.values["totals"]["packing_complete"] == ""
    purchase = build_context(data, _kind("purchase-contract"))
    assert purchase.gaps == []
    assert purchase.values["lines"][1]["gw_per_carton"] == ""


def _totals(cbm: str, gw: str) -> PackingTotals:
    return PackingTotals(cartons=0, nw=Decimal(0), gw=Decimal(gw), cbm=Decimal(cbm), complete=True)


def test_container_suggestion_uses_the_settings() -> None:
    from gendan_xl.config import Settings

    settings = Settings()
    assert containers_text(_totals("3", "500"), settings) == "LCL"
    assert containers_text(_totals("25", "9000"), settings) == "1 X 20GP"
    assert containers_text(_totals("25", "19000"), settings) == "1 X 40GP"  # too heavy for a 20GP
    assert containers_text(_totals("65", "9000"), settings) == "1 X 40HQ"
    assert containers_text(_totals("150", "9000"), settings) == "2 X 40HQ + LCL"  # 14 m³ left over
    assert containers_text(_totals("160", "9000"), settings) == "2 X 40HQ + 1 X 20GP"


def test_pack_lines_without_data() -> None:
    line = OrderLine(row=2, order_no="X", item_no="A", qty=Decimal(10))
    packed, totals = pack_lines([line])
    assert packed[0].rows == () and "pcs_per_carton" in packed[0].missing
    assert not totals.complete and totals.cartons == 0


def test_each_document_states_its_own_source_of_the_total(rows: Rows, write_book: Callable[..., Path]) -> None:
    rows["orders"][0]["order_total"] = Decimal("2100.00")
    rows["shipments"][0]["invoice_amount"] = Decimal("2000.00")
    data = gather_order(_book(rows, write_book), "T-001", today=TODAY)
    stated = {k.key: build_context(data, k).values["doc"].get("amount") for k in KINDS}
    assert stated["proforma-invoice"] == stated["commercial-invoice"] == "2,082.50"  # Σ qty × unit price
    assert stated["sales-contract"] == "2,100.00"  # the agreed order total
    assert stated["shipping-advice"] == stated["customs-data"] == stated["inspection-data"] == "2,000.00"
    assert stated["packing-list"] is None and stated["purchase-contract"] is None
    doc = build_context(data, _kind("proforma-invoice")).values["doc"]
    assert doc["amount_words_en"] == "SAY US DOLLARS TWO THOUSAND EIGHTY-TWO AND CENTS FIFTY ONLY"
    assert doc["amount_words_zh"] == "美元贰仟零捌拾贰元伍角整"
    assert (doc["deposit_amount"], doc["balance_amount"]) == ("624.75", "1,457.75")


def test_purchase_contract_is_in_cny_with_uppercase_total(rows: Rows, write_book: Callable[..., Path]) -> None:
    data = gather_order(_book(rows, write_book), "T-001", today=TODAY)
    values = build_context(data, _kind("purchase-contract")).values
    assert values["purchase"]["total"] == "12,250.00"  # 1,250 × 6.80 + 300 × 12.50
    assert values["purchase"]["total_words_zh"] == "人民币壹万贰仟贰佰伍拾元整"
    assert values["factory"]["name"] == "宁波市海曙厨具有限公司"
    assert "buyer" not in values and "unit_price" not in values["lines"][0]  # the factory sees no customer prices


def test_customs_data(rows: Rows, write_book: Callable[..., Path]) -> None:
    rows["lines"][1]["brand"] = "HANSA 境外品牌(贴牌生产)"
    rows["shipments"][0]["co_type"] = "Form E"
    data = gather_order(_book(rows, write_book), "T-001", today=TODAY)
    values = build_context(data, _kind("customs-data")).values
    items = values["customs_items"]
    assert [(i["hs_code"], i["qty"], i["unit"], i["nw"]) for i in items] == [
        ("8215990000", "1,250", "个", "118.75"), ("3924100000", "300", "套", "45.00")]
    assert items[0]["brand_type"] == "0 无品牌" and items[1]["brand_type"] == "3 境外品牌(贴牌生产)"
    assert "出口享惠情况：1 享受优惠关税" in items[0]["elements"]
    assert values["customs"]["transaction_mode"] == "1 CIF"
    assert values["customs"]["destination_zh"] == "德国"
    assert items[0]["legal_unit_1"] == ""  # no hs_units.csv: legal units are not guessed


def test_legal_units_from_the_users_table(rows: Rows, write_book: Callable[..., Path]) -> None:
    wb = _book(rows, write_book)
    data = gather_order(wb, "T-001", today=TODAY, hs_units={"8215": ("千克", ""), "3924100000": ("套", "千克")})
    items = build_context(data, _kind("customs-data")).values["customs_items"]
    assert (items[0]["legal_qty_1"], items[0]["legal_unit_1"]) == ("118.75", "千克")  # kg: the net weight
    assert (items[1]["legal_qty_1"], items[1]["legal_unit_1"], items[1]["legal_qty_2"]) == ("300", "套", "45.00")


@pytest.mark.parametrize(("brand", "code"), [(None, 0), ("无品牌", 0), ("NO BRAND", 0), ("OEM HANSA", 3),
                                             ("自主品牌 HY", 1), ("ACME", None)])
def test_brand_type(brand: str | None, code: int | None) -> None:
    assert brand_type(brand)[0] == code


def test_customs_vocabulary() -> None:
    assert export_preference(None)[0] == 2 and export_preference("C/O")[0] == 0 and export_preference("RCEP")[0] == 1
    assert transaction_mode("FCA") == "3 FOB" and transaction_mode("CPT") == "2 C&F" and transaction_mode("EXW") == "7 EXW"
    assert find_legal_units("9405.21.0000", {"9405": ("个", "千克")}) == ("个", "千克")


def test_text_is_cleaned_for_word(rows: Rows, write_book: Callable[..., Path]) -> None:
    rows["lines"][0]["description"] = "Tongs\x0b & <b>\r\nline two\x01"
    data = gather_order(_book(rows, write_book), "T-001", today=TODAY)
    line = build_context(data, _kind("proforma-invoice")).values["lines"][0]
    assert line["description"] == "Tongs & <b>\nline two"  # escaping is the renderer's job, not the context's


# --- fingerprints: a kind's fingerprint fields are exactly what its context is made of -------------

_MODELS: dict[str, type[BaseModel]] = {"order": Order, "line": OrderLine, "customer": Customer, "factory": Factory,
                                       "shipment": Shipment}
_ATTR = {"order": "orders", "line": "lines", "customer": "customers", "factory": "factories", "shipment": "shipments"}
_SPECIAL: dict[str, Any] = {"shipment.co_type": "Form E", "order.incoterm": "FOB", "order.currency": "EUR",
                            "line.unit": "PAIRS", "order.destination_country": "FR", "shipment.container_type": "LCL",
                            "line.brand": "OEM ACME", "customer.currency": "GBP"}


def _different(key: str, value: Any) -> Any:
    if key in _SPECIAL and value != _SPECIAL[key]:
        return _SPECIAL[key]
    if isinstance(value, bool):
        return not value
    if isinstance(value, Enum):
        return next(member for member in type(value) if member != value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value + 7
    if isinstance(value, Decimal):
        return value + Decimal("7.3")
    if isinstance(value, date):
        return value + timedelta(days=3)
    if isinstance(value, str):
        return value + "Z"
    return None


def _filled(key: str, model: type[BaseModel]) -> Any:
    annotation = str(model.model_fields[key.split(".")[1]].annotation)
    if key in _SPECIAL:
        return _SPECIAL[key]
    for name, sample in (("bool", True), ("Decimal", Decimal("4.5")), ("date", date(2026, 12, 1)), ("int", 6),
                         ("OrderStatus", OrderStatus.CANCELLED), ("str", "NEW")):
        if name in annotation:
            return sample
    raise AssertionError(annotation)


def _copy(model: Any, **changes: Any) -> Any:
    """A fresh model with ``changes`` (model_copy would carry cached properties such as computed_amount over)."""
    return type(model)(**{**{f: getattr(model, f) for f in type(model).model_fields}, **changes})


def _mutated(wb: Workbook, key: str) -> Workbook:
    model_name, field = key.split(".")
    attr = _ATTR[model_name]
    items = list(getattr(wb, attr))
    if not items:
        return wb  # the base without a shipment row
    current = getattr(items[0], field)
    value = _different(key, current) if current is not None else _filled(key, _MODELS[model_name])
    items[0] = _copy(items[0], **{field: value})
    parts = {name: getattr(wb, name) for name in _ATTR.values()}
    parts[attr] = items
    return Workbook(path=wb.path, settings=wb.settings, sheets=wb.sheets, **parts)


def _sparse(rows: Rows) -> Rows:
    """The clean rows with the fields that have fallbacks left empty (so the fallbacks are exercised)."""
    order = rows["orders"][0]
    for field in ("currency", "contract_no", "etd", "po_no", "po_issued", "order_total"):
        order[field] = None
    rows["customers"][0]["consignee"] = None
    for field in ("etd", "loading_date", "invoice_amount", "booking_date", "bl_date"):
        rows["shipments"][0][field] = None
    return rows


def _fields() -> list[str]:
    skip = {"row"}
    return [f"{name}.{field}" for name, model in _MODELS.items() for field in model.model_fields if field not in skip]


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> list[Workbook]:
    from gendan_xl.workbook.template import write_workbook

    from .conftest import base_rows

    folder = tmp_path_factory.mktemp("fingerprint")
    unshipped = _sparse(base_rows())
    unshipped["shipments"] = []
    return [read_workbook(write_workbook(folder / "full.xlsx", base_rows())),
            read_workbook(write_workbook(folder / "sparse.xlsx", _sparse(base_rows()))),
            read_workbook(write_workbook(folder / "unshipped.xlsx", unshipped))]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_fields_outside_the_fingerprint_do_not_change_the_document(kind: Any, bases: list[Workbook]) -> None:
    for base in bases:
        before = build_context(gather_order(base, "T-001", today=TODAY), kind).values
        for key in _fields():
            if key in kind.fields:
                continue
            after = build_context(gather_order(_mutated(base, key), "T-001", today=TODAY), kind).values
            assert after == before, f"{key} changes the {kind.key} but is not in its fingerprint fields"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_every_fingerprint_field_changes_the_document_and_the_fingerprint(kind: Any, bases: list[Workbook]) -> None:
    for key in sorted(kind.fields):
        changed_context = False
        for base in bases:
            data = gather_order(base, "T-001", today=TODAY)
            mutated = _mutated(base, key)
            if key in ("order.order_no",):
                mutated = Workbook(path=mutated.path, settings=mutated.settings, sheets=mutated.sheets,
                                   orders=mutated.orders, lines=[_copy(ln, order_no="T-001Z") for ln in mutated.lines],
                                   customers=mutated.customers, factories=mutated.factories,
                                   shipments=[_copy(s, order_no="T-001Z") for s in mutated.shipments])
                other = gather_order(mutated, "T-001Z", today=TODAY)
            elif mutated is base:
                continue  # nothing to change: this base has no such row
            else:
                other = gather_order(mutated, "T-001", today=TODAY)
            assert fingerprint(other, kind) != fingerprint(data, kind), f"{key} does not change the fingerprint"
            changed_context |= build_context(other, kind).values != build_context(data, kind).values
        assert changed_context, f"{key} is declared for {kind.key} but never changes its document"


def test_fingerprint_ignores_row_numbers_and_number_types(rows: Rows, write_book: Callable[..., Path]) -> None:
    wb = _book(rows, write_book)
    data = gather_order(wb, "T-001", today=TODAY)
    moved = replace(data, order=_copy(data.order, row=40),
                    lines=tuple(_copy(ln, row=ln.row + 9, qty=(ln.qty or Decimal(0)).quantize(Decimal("0.001"))) for ln in data.lines))
    for kind in KINDS:
        assert fingerprint(moved, kind) == fingerprint(data, kind)
        assert fingerprint(data, kind).startswith("v1:") and len(fingerprint(data, kind)) == 19


def test_every_declared_section_has_a_builder_and_runs_alone(rows: Rows, write_book: Callable[..., Path]) -> None:
    from gendan_xl.documents.context import SECTIONS
    from gendan_xl.documents.kinds import SECTION_FIELDS, DocumentKind

    assert set(SECTIONS) == set(SECTION_FIELDS)
    data = gather_order(_book(rows, write_book), "T-001", today=TODAY)
    for section in SECTIONS:  # no section relies on another having run first
        alone = DocumentKind(f"only-{section}", "单", "Only", (), (section,))
        assert build_context(data, alone).values["doc"]["kind"] == alone.key
