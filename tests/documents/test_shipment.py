"""A shipment's documents: which orders it holds, how its lines are grouped and numbered, and 单单一致 across it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gendan_xl.documents import KINDS, build_context, find_kind, render_documents
from gendan_xl.documents.consistency import DocumentProblem, check_shipment, container_problems
from gendan_xl.documents.kinds import SHIPMENT_KINDS, split_kinds
from gendan_xl.documents.shipment import ShipmentData, gather_shipment, parse_grouping, plan_group_key
from gendan_xl.errors import ConfigError, DocumentCheckError
from gendan_xl.models import Workbook
from gendan_xl.workbook.reader import read_workbook

from .conftest import SHIPMENT_NO, TODAY, Rows, docx_text, set_qty, table_rows
from .test_consistency import cell


def _kind(key: str) -> Any:
    kind = find_kind(key)
    assert kind is not None
    return kind


def _book(rows: Rows, write_book: Callable[..., Path]) -> Workbook:
    return read_workbook(write_book(rows))


def _shipment(rows: Rows, write_book: Callable[..., Path], name: str = SHIPMENT_NO, **options: Any) -> ShipmentData:
    return gather_shipment(_book(rows, write_book), name, today=TODAY, **options)


def _problems(data: ShipmentData, rendering: list[str] | None = None) -> list[DocumentProblem]:
    contexts = [build_context(data, kind) for kind in SHIPMENT_KINDS]
    orders = {part.order.order_no: [build_context(part, kind) for kind in KINDS] for part in data.parts}
    cancelled = [part.order.order_no for part in data.parts if part.order.is_cancelled]
    return check_shipment(contexts, orders, rendering or [k.key for k in SHIPMENT_KINDS], cancelled=cancelled,
                          containers=container_problems(data))


# --- what a shipment is -----------------------------------------------------------------------------


def test_a_shipment_is_the_rows_sharing_a_shipment_no(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    data = _shipment(ship_rows, write_book, "hy-inv-s01")  # the number as typed, case and spaces aside
    assert data.name == SHIPMENT_NO and data.source == "shipments"
    assert data.order_nos == ("T-001", "T-002", "T-003")
    assert [row.order_no for row in data.rows] == ["T-001", "T-002", "T-003"]
    assert all(part.shipment is not None and part.shipment.shipment_no == SHIPMENT_NO for part in data.parts)


def test_an_unknown_shipment_names_the_known_ones(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    with pytest.raises(ConfigError, match=SHIPMENT_NO) as caught:
        _shipment(ship_rows, write_book, "HY-INV-999")
    assert "HY-INV-999" in caught.value.message_en


def test_a_row_naming_an_order_not_on_the_orders_sheet(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    ship_rows["shipments"].append(dict(ship_rows["shipments"][0], order_no="T-404"))
    with pytest.raises(ConfigError, match="T-404"):
        _shipment(ship_rows, write_book)


def test_a_group_of_the_saved_plan(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    ship_rows["shipments"] = []
    plan = {"2": ("T-002", "T-001")}
    data = _shipment(ship_rows, write_book, "G2", plan=plan)
    assert (data.name, data.source, data.order_nos, data.rows) == ("G2", "plan", ("T-002", "T-001"), ())
    values = build_context(data, _kind("ci")).values
    assert values["doc"]["no"] == "HY26S0002"  # no 出运 row yet: the first order's contract no.
    assert [plan_group_key(name) for name in ("2", "G2", "g 2", "组2", "Group 2")] == ["2"] * 5


def test_a_plan_group_that_the_shipments_sheet_splits(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    ship_rows["shipments"] = [dict(ship_rows["shipments"][0], shipment_no="HY-A"),
                              dict(ship_rows["shipments"][1], shipment_no="HY-B")]
    with pytest.raises(ConfigError, match="HY-A, HY-B"):
        _shipment(ship_rows, write_book, "1", plan={"1": ("T-001", "T-002")})


# --- grouping and numbering ----------------------------------------------------------------------------


def test_cartons_are_numbered_through_the_orders(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    values = build_context(_shipment(ship_rows, write_book), _kind("pl")).values
    groups = values["groups"]
    assert [g["heading"] for g in groups] == [
        "Order T-001 · Contract HY26S0077 · Customer PO HAN-PO-77",
        "Order T-002 · Contract HY26S0002 · Customer PO HAN-PO-78",
        "Order T-003 · Contract HY26S0003 · Customer PO HAN-PO-77"]
    assert [(g["carton_range"], g["cartons"], g["subtotal"]) for g in groups] == [
        ("1-20", "20", "yes"), ("21-47", "27", "yes"), ("48-72", "25", "yes")]
    assert [r["carton_range"] for r in groups[1]["rows"]] == ["21-43", "44", "45-47"]  # 23 full, 1 of 10, 3 tongs
    assert [line["no"] for line in values["lines"]] == ["1", "2", "3", "4", "5"]
    totals = values["totals"]
    assert (totals["cartons"], totals["qty"]) == ("72", "2,620 PCS\n300 SETS")
    assert totals["cartons_words"] == "SAY TOTAL SEVENTY-TWO CARTONS ONLY"


def test_the_customer_may_group_by_its_po(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    ship_rows["customers"][0]["doc_grouping"] = "按客户PO By PO"
    data = _shipment(ship_rows, write_book)
    assert data.order_nos == ("T-001", "T-003", "T-002")  # the PO's orders together, so the cartons run on
    groups = build_context(data, _kind("pl")).values["groups"]
    assert [(g["heading"], g["carton_range"]) for g in groups] == [
        ("Customer PO HAN-PO-77 · Orders T-001, T-003", "1-45"), ("Customer PO HAN-PO-78 · Order T-002", "46-72")]


def test_or_one_list(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    ship_rows["customers"][0]["doc_grouping"] = "不分组"
    groups = build_context(_shipment(ship_rows, write_book), _kind("ci")).values["groups"]
    assert len(groups) == 1 and groups[0]["heading"] == groups[0]["subtotal"] == ""
    assert len(groups[0]["lines"]) == 5


def test_a_grouping_not_understood_is_missing_data(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    ship_rows["customers"][0]["doc_grouping"] = "按颜色"
    problems = _problems(_shipment(ship_rows, write_book))
    assert [p.code for p in problems] == ["missing-data"]
    assert cell("customers", "doc_grouping") in problems[0].message_en


@pytest.mark.parametrize(("text", "grouping"), [(None, "order"), ("", "order"), ("按订单 By order", "order"),
                                                ("按客户PO By PO", "po"), ("customer po", "po"), ("不分组 None", "none"),
                                                ("flat", "none"), ("随便", None)])
def test_parse_grouping(text: str | None, grouping: str | None) -> None:
    found = parse_grouping(text)
    assert (found.value if found else None) == grouping


def test_one_invoice_number_every_contract_and_the_containers(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    ship_rows["shipments"][2].update(container_no="TGHU7700002", seal_no="SL770002")
    values = build_context(_shipment(ship_rows, write_book), _kind("ci")).values
    assert (values["doc"]["no"], values["invoice"]["date"]) == (SHIPMENT_NO, "2026-12-15")
    assert values["order"]["contract_no"] == "HY26S0077, HY26S0002, HY26S0003"
    assert values["order"]["customer_po"] == "HAN-PO-77, HAN-PO-78"
    transport = values["transport"]
    assert transport["containers"] == "2 X 40HQ"
    assert transport["container_seals"] == ("TGHU7700001 / SEAL SL770001 (40HQ)\n"
                                            "TGHU7700002 / SEAL SL770002 (40HQ)")
    assert [g["amount"] for g in values["groups"]] == ["2,082.50", "1,849.00", "1,110.00"]
    assert values["doc"]["amount"] == "5,041.50"


def test_customs_items_merge_an_item_across_orders(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    items = build_context(_shipment(ship_rows, write_book), _kind("cd")).values["customs_items"]
    tongs = next(i for i in items if i["hs_code"] == "8215990000")
    assert (tongs["qty"], tongs["models"], tongs["cartons"]) == ("1,550", "KT-1001", "16")  # 1,250 + 300 tongs


# --- 单单一致 across the shipment -------------------------------------------------------------------------


def test_a_clean_shipment_passes(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    assert _problems(_shipment(ship_rows, write_book)) == []


def test_orders_in_two_currencies_cannot_share_an_invoice(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    ship_rows["orders"][1]["currency"] = "EUR"
    problems = _problems(_shipment(ship_rows, write_book))
    assert [p.code for p in problems] == ["figure-differs"]
    message = problems[0].message_en
    assert message.startswith(f"{SHIPMENT_NO} currency differs")
    assert cell("orders", "currency", 2) in message and cell("orders", "currency", 3) in message
    assert "Commercial Invoice" in message and "EUR" in message and "USD" in message


def test_one_item_under_two_hs_codes(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    ship_rows["lines"][3]["hs_code"] = "8215991000"  # T-002's tongs
    problems = _problems(_shipment(ship_rows, write_book))
    assert [p.code for p in problems] == ["figure-differs"]
    message = problems[0].message_en
    assert "HS code of KT-1001 differs" in message
    assert "Customs Declaration Data, C/O Application Data 8215990000" in message
    assert cell("lines", "hs_code", 2) in message and cell("lines", "hs_code", 5) in message


def test_rows_that_date_the_invoice_differently(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    ship_rows["shipments"][1]["loading_date"] = date(2026, 12, 16)
    problems = _problems(_shipment(ship_rows, write_book), ["commercial-invoice"])
    assert [p.code for p in problems] == ["figure-differs"]
    assert "invoice date differs" in problems[0].message_en and "2026-12-16" in problems[0].message_en


def test_one_container_with_two_seals(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    ship_rows["shipments"][1]["seal_no"] = "SL999999"
    (problem,) = _problems(_shipment(ship_rows, write_book), ["booking-note"])
    assert "seal no. of TGHU7700001 differs" in problem.message_en
    assert cell("shipments", "seal_no", 3) in problem.message_en


def test_the_containers_on_the_shipments_sheet_must_hold_the_goods(ship_rows: Rows,
                                                                  write_book: Callable[..., Path]) -> None:
    for row in ship_rows["shipments"]:
        row["container_type"] = "20GP"
    set_qty(ship_rows, "T-003", "KT-1004", 14400)  # 600 cartons of 0.04752 m³: 28.5 m³ alone
    problems = _problems(_shipment(ship_rows, write_book))
    assert [p.code for p in problems] == ["containers-too-small"]
    assert "1 X 20GP" in problems[0].message_en and cell("shipments", "container_type", 2) in problems[0].message_en


def test_an_orders_own_difference_is_reported_once_at_the_order(ship_rows: Rows,
                                                               write_book: Callable[..., Path]) -> None:
    ship_rows["shipments"][1]["invoice_amount"] = Decimal("1949.00")  # T-002's row says 100 more than its lines
    problems = _problems(_shipment(ship_rows, write_book))
    assert len(problems) == 1
    assert problems[0].message_en.startswith("T-002 amount differs")
    assert cell("shipments", "invoice_amount", 3) in problems[0].message_en


def test_a_cancelled_order_stops_the_shipment(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    ship_rows["orders"][2]["status"] = "已取消 Cancelled"
    assert [(p.order_no, p.code) for p in _problems(_shipment(ship_rows, write_book))] == [("T-003", "order-cancelled")]


def test_sailing_after_one_orders_latest_date(ship_rows: Rows, write_book: Callable[..., Path]) -> None:
    ship_rows["orders"][2]["delivery_date"] = date(2026, 12, 10)
    problems = _problems(_shipment(ship_rows, write_book))
    assert [(p.order_no, p.code) for p in problems] == [("T-003", "shipped-late")]


# --- kinds, rendering ------------------------------------------------------------------------------------


def test_kinds_made_per_order_only_are_refused_for_a_shipment() -> None:
    orders, shipments = split_kinds(None, shipments=True, orders=False)
    assert orders == () and [k.key for k in shipments] == ["commercial-invoice", "packing-list", "booking-note",
                                                           "shipping-advice", "customs-data", "co-data"]
    with pytest.raises(ConfigError, match="proforma-invoice"):
        split_kinds(["pi,ci"], shipments=True, orders=False)
    both = split_kinds(["pi,ci"], shipments=True, orders=True)
    assert [k.key for k in both[0]] == ["proforma-invoice", "commercial-invoice"]
    assert [k.key for k in both[1]] == ["commercial-invoice"]


def test_renders_one_set_for_the_shipment(ship_rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    book = write_book(ship_rows)
    run = render_documents(book, out_dir=tmp_path / "out", shipments=[SHIPMENT_NO], orders=["T-001"],
                           kinds=["pi", "ci", "pl"], today=TODAY, workers=1)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "HY-INV-S01_commercial-invoice.docx", "HY-INV-S01_packing-list.docx", "T-001_commercial-invoice.docx",
        "T-001_packing-list.docx", "T-001_proforma-invoice.docx"]
    assert run.shipments == {SHIPMENT_NO: ("T-001", "T-002", "T-003")}
    invoice = table_rows(tmp_path / "out" / "HY-INV-S01_commercial-invoice.docx", 3)
    texts = [row[0] for row in invoice]
    assert "Order T-002 · Contract HY26S0002 · Customer PO HAN-PO-78" in texts
    assert "Subtotal T-002" in texts and texts[-1] == "TOTAL"
    subtotal = next(row for row in invoice if row[0] == "Subtotal T-002")
    assert subtotal[-1] == "1,849.00" and subtotal[3] == "770 PCS"
    assert invoice[-1][-1] == "5,041.50"
    own = table_rows(tmp_path / "out" / "T-001_commercial-invoice.docx", 3)
    assert [row[0] for row in own] == ["No.", "1", "2", "TOTAL"]  # an order's invoice: no headings, no subtotals
    packing = docx_text(tmp_path / "out" / "HY-INV-S01_packing-list.docx")
    assert all(text in packing for text in ("48-72", "Subtotal T-003  C/NO. 48-72", "SEVENTY-TWO CARTONS"))


def test_refused_without_force_then_forced(ship_rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    ship_rows["orders"][1]["currency"] = "EUR"
    book = write_book(ship_rows)
    with pytest.raises(DocumentCheckError) as caught:
        render_documents(book, out_dir=tmp_path / "out", shipments=[SHIPMENT_NO], kinds=["ci"], today=TODAY)
    assert any("currency differs" in line for line in caught.value.differences)
    assert not (tmp_path / "out").exists()
    run = render_documents(book, out_dir=tmp_path / "out", shipments=[SHIPMENT_NO], kinds=["ci"], today=TODAY,
                           force=True)
    assert [f.docx.name for f in run.files] == ["HY-INV-S01_commercial-invoice.docx"] and run.forced


def test_nothing_to_render_is_an_error(ship_rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--shipment"):
        render_documents(write_book(ship_rows), out_dir=tmp_path, today=TODAY)
    with pytest.raises(ConfigError, match="names no shipment"):
        render_documents(write_book(ship_rows), out_dir=tmp_path, shipments=[" , "], today=TODAY)


def test_a_plan_group_through_the_pipeline(ship_rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    from gendan_xl.pipeline import make_documents
    from gendan_xl.planning import plan_shipments, write_plan

    ship_rows["shipments"] = []  # planned, not booked yet
    book = write_book(ship_rows)
    write_plan(book, plan_shipments(read_workbook(book), today=TODAY), backups=0)
    run = make_documents(book, out_dir=tmp_path / "out", shipments=["G1"], kinds=["booking-note"], today=TODAY)
    assert [f.docx.name for f in run.files] == ["G1_booking-note.docx"]
    assert run.shipments == {"G1": ("T-001", "T-002", "T-003")}
    (record,) = read_workbook(book).documents
    assert (record.order_no, record.doc_no) == ("T-001, T-002, T-003", "HY26S0077")
    text = docx_text(run.files[0].docx)
    assert "72 CTNS" in text and "SAY TOTAL SEVENTY-TWO CARTONS ONLY" in text and "HY26S0077" in text
