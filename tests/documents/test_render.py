"""Rendering: every kind for several demo orders, figures read back from the .docx, escaping, templates."""

from __future__ import annotations

import io
import math
import shutil
import zipfile
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from docx import Document

from gendan_xl.documents import KINDS, DocumentKind, build_context, gather_order, render_documents
from gendan_xl.documents.build_templates import TEMPLATE_DIR, build_template
from gendan_xl.documents.render import BUILTIN_TEMPLATES, CompiledTemplate, check_variables, template_paths
from gendan_xl.documents.words import amount_in_words_en, amount_in_words_zh
from gendan_xl.errors import ConfigError, TemplateError
from gendan_xl.workbook.reader import read_workbook

from .conftest import TODAY, Rows, docx_text, table_rows

DEMO_ORDERS = ["GD2026-001", "GD2026-005", "GD2026-009"]  # EUR shipped LCL · USD CFR PCS+SETS · not yet shipped


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, demo_master: Path) -> tuple[Path, Path]:
    """Every kind of three demo orders, rendered once for the module (log on a private copy)."""
    folder = tmp_path_factory.mktemp("rendered")
    book = folder / "demo.xlsx"
    shutil.copyfile(demo_master, book)
    run = render_documents(book, out_dir=folder / "out", orders=DEMO_ORDERS, today=TODAY, workers=1)
    assert len(run.files) == len(DEMO_ORDERS) * len(KINDS)
    return book, folder / "out"


@pytest.mark.parametrize("order_no", DEMO_ORDERS)
def test_every_kind_shows_the_workbooks_figures(rendered: tuple[Path, Path], order_no: str) -> None:
    book, out = rendered
    wb = read_workbook(book)
    order = wb.orders_by_no[order_no]
    lines = wb.lines_by_order[order_no]
    currency = order.currency or "USD"
    total = sum((line.qty * line.unit_price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                for line in lines if line.qty is not None and line.unit_price is not None)
    cartons = sum(math.ceil(line.qty / line.pcs_per_carton) for line in lines if line.qty and line.pcs_per_carton)
    gross = sum(Decimal(math.ceil(ln.qty / ln.pcs_per_carton)) * ln.gw_per_carton for ln in lines
                if ln.qty and ln.pcs_per_carton and ln.gw_per_carton)  # demo quantities fill whole cartons
    purchase = sum((ln.qty * ln.purchase_price).quantize(Decimal("0.01")) for ln in lines
                   if ln.qty is not None and ln.purchase_price is not None)
    customer = next(c for c in wb.customers if c.code == order.customer)
    texts = {kind.key: docx_text(out / f"{order_no}_{kind.key}.docx") for kind in KINDS}

    pi = texts["proforma-invoice"]
    assert f"TOTAL AMOUNT: {currency} {_money(total)}" in pi
    assert amount_in_words_en(total, currency) in pi
    assert customer.name is not None and customer.name in pi
    assert (order.contract_no or "") in pi
    sc = texts["sales-contract"]
    assert f"合同总值 Total Value: {currency} {_money(total)}" in sc and amount_in_words_zh(total, currency) in sc
    pc = texts["purchase-contract"]
    assert f"¥{_money(purchase)}" in pc and amount_in_words_zh(purchase, "CNY") in pc
    assert _money(total) not in pc  # the factory never sees the selling total
    ci = texts["commercial-invoice"]
    assert f"TOTAL AMOUNT: {currency} {_money(total)}" in ci and f"PACKED IN {cartons} CARTONS" in ci
    assert f"G.W. {_money(gross)} KGS" in ci
    pl_rows = table_rows(out / f"{order_no}_packing-list.docx", 1)
    assert pl_rows[1][0] == f"1-{math.ceil(lines[0].qty / lines[0].pcs_per_carton)}"  # type: ignore[operator]
    assert pl_rows[-1][4] == str(cartons) and pl_rows[-1][7] == _money(gross)  # totals row: cartons, G.W.
    assert texts["packing-list"].count("C/No.") == 1
    bn = texts["booking-note"]
    consignee_line = (customer.consignee or customer.name or "").split("\n")[0]
    assert consignee_line in bn and f"{cartons} CTNS" in bn and (order.pod or "") in bn
    customs = texts["customs-data"]
    assert all((line.hs_code or "") in customs for line in lines)
    assert "品牌类型" in customs and "出口享惠情况" in customs
    shipment = next((s for s in reversed(wb.shipments) if s.order_no == order_no), None)
    stated = shipment.invoice_amount if shipment and shipment.invoice_amount is not None else total
    assert f"申报总价：{currency} {_money(stated)}" in customs
    assert f"Invoice Value\n{currency} {_money(stated)}" in texts["shipping-advice"]
    assert f"货物总值：{currency} {_money(stated)}" in texts["inspection-data"]
    assert (shipment.shipment_no if shipment else order.contract_no or "") in texts["commercial-invoice"]


def test_the_log_records_what_was_rendered(rendered: tuple[Path, Path]) -> None:
    book, _ = rendered
    wb = read_workbook(book)
    earlier = [d for d in wb.documents if d.order_no not in DEMO_ORDERS]  # the demo's log of earlier documents
    new = wb.documents[len(earlier):]
    assert len(new) == len(DEMO_ORDERS) * len(KINDS)
    first = new[0]
    assert (first.order_no, first.kind, first.row) == ("GD2026-001", "形式发票 Proforma Invoice", len(earlier) + 2)
    assert first.snapshot is not None and '"qty":' in first.snapshot  # what changes are compared with later
    assert first.file is not None and first.file.endswith("GD2026-001_proforma-invoice.docx")
    assert first.fingerprint.startswith("v1:") and first.recalled is None


def test_every_template_variable_is_provided(demo_master: Path) -> None:
    wb = read_workbook(demo_master)
    data = [gather_order(wb, order_no, today=TODAY) for order_no in DEMO_ORDERS]
    for kind in KINDS:
        template = CompiledTemplate(kind, BUILTIN_TEMPLATES / kind.template_name)
        values = build_context(data[0], kind).values
        assert template.undeclared(values) == set(), kind.key  # docxtpl's own check, top-level names
        for order in data:
            assert template.missing(build_context(order, kind).values) == [], kind.key  # and every dotted name


def test_special_characters_and_long_text_render_intact(rows: Rows, write_book: Callable[..., Path],
                                                        tmp_path: Path) -> None:
    tricky = 'Tongs & Co <b>"Deluxe"</b> it\'s 🍳 100% {{ not a tag }} ' + "very long description " * 150
    rows["lines"][0]["description"] = tricky
    rows["customers"][0]["name"] = "Smith & Sons <GmbH> 🚢"
    run = render_documents(write_book(rows), out_dir=tmp_path / "out", orders=["T-001"], today=TODAY, log=False,
                           kinds=["pi", "pl", "customs-data"])
    for item in run.files:
        text = docx_text(item.docx)
        assert tricky.strip() in text, item.kind
        with zipfile.ZipFile(item.docx) as package:
            xml = package.read("word/document.xml")
        assert b"{%" not in xml and b"{{ l." not in xml and b"{{ order." not in xml  # every tag rendered
    assert "Smith & Sons <GmbH> 🚢" in docx_text(run.files[0].docx)


def test_user_template_overrides_one_kind(rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    own = tmp_path / "my_templates"
    own.mkdir()
    document = Document(str(TEMPLATE_DIR / "proforma-invoice.docx"))
    document.add_paragraph("OUR OWN LAYOUT for {{ order.no }} / {{ buyer.name }}")
    document.save(str(own / "proforma-invoice.docx"))
    run = render_documents(write_book(rows), out_dir=tmp_path / "out", orders=["T-001"], today=TODAY, log=False,
                           kinds=["pi", "ci"], templates_dir=own)
    assert run.templates["proforma-invoice"] == own / "proforma-invoice.docx"
    assert run.templates["commercial-invoice"] == BUILTIN_TEMPLATES / "commercial-invoice.docx"
    assert "OUR OWN LAYOUT for T-001 / Hansa Haushaltswaren GmbH" in docx_text(run.files[0].docx)
    assert "OUR OWN LAYOUT" not in docx_text(run.files[1].docx)


def test_templates_folder_from_the_settings_relative_to_the_workbook(rows: Rows, write_book: Callable[..., Path],
                                                                    tmp_path: Path) -> None:
    (tmp_path / "vorlagen").mkdir()
    document = Document(str(TEMPLATE_DIR / "packing-list.docx"))
    document.add_paragraph("FROM SETTINGS {{ doc.no }}")
    document.save(str(tmp_path / "vorlagen" / "packing-list.docx"))
    for row in rows["settings"]:
        if row["key"] == "单证模板文件夹":
            row["value"] = "vorlagen"
    run = render_documents(write_book(rows), out_dir=tmp_path / "out", orders=["T-001"], kinds=["pl"], today=TODAY,
                           log=False)
    assert "FROM SETTINGS HY-INV-077" in docx_text(run.files[0].docx)


def test_a_variable_the_data_lacks_is_named(rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    own = tmp_path / "bad"
    own.mkdir()
    document = Document(str(TEMPLATE_DIR / "commercial-invoice.docx"))
    document.add_paragraph("{{ order.letter_of_credit }} {{ bank_account }}")
    document.save(str(own / "commercial-invoice.docx"))
    out = tmp_path / "out"
    with pytest.raises(TemplateError) as caught:
        render_documents(write_book(rows), out_dir=out, orders=["T-001"], today=TODAY, templates_dir=own)
    assert "order.letter_of_credit" in caught.value.message_en and "bank_account" in caught.value.message_en
    assert "commercial-invoice.docx" in caught.value.message_zh
    assert not out.exists() or not any(out.iterdir())  # checked before anything was rendered


def test_strict_rendering_catches_what_the_static_check_cannot(rows: Rows, write_book: Callable[..., Path],
                                                              tmp_path: Path) -> None:
    document = Document(str(TEMPLATE_DIR / "packing-list.docx"))
    document.add_paragraph("{% for r in packing_rows %}{{ r['no_such_key'] }}{% endfor %}")
    path = tmp_path / "packing-list.docx"
    document.save(str(path))
    kind = KINDS[4]
    template = CompiledTemplate(kind, path)
    data = gather_order(read_workbook(write_book(rows)), "T-001", today=TODAY)
    values = build_context(data, kind).values
    with pytest.raises(TemplateError, match=r"r\.no_such_key"):
        check_variables(template, values)
    with pytest.raises(TemplateError, match="no_such_key"):
        template.render(values, tmp_path / "x.docx")


def test_broken_templates_are_clear_errors(tmp_path: Path) -> None:
    not_word = tmp_path / "proforma-invoice.docx"
    not_word.write_text("hello")
    with pytest.raises(TemplateError, match="not a Word document"):
        CompiledTemplate(KINDS[0], not_word)
    document = Document(str(TEMPLATE_DIR / "proforma-invoice.docx"))
    document.add_paragraph("{{ order.no ")
    document.save(str(not_word))
    with pytest.raises(TemplateError, match="syntax error"):
        CompiledTemplate(KINDS[0], not_word)
    with pytest.raises(ConfigError, match="does not exist"):
        template_paths(KINDS, tmp_path / "nowhere")


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_templates_use_cjk_fonts_and_repeat_table_headers(kind: DocumentKind) -> None:
    key = kind.key
    with zipfile.ZipFile(TEMPLATE_DIR / f"{key}.docx") as package:
        styles = package.read("word/styles.xml").decode()
        body = package.read("word/document.xml").decode()
    assert 'w:eastAsia="SimSun"' in styles and "asciiTheme" not in styles.split("</w:docDefaults>")[0]
    assert 'w:eastAsia="zh-CN"' in styles
    assert 'w:eastAsia="SimSun"' in body  # on every run: a value such as {{ company.name }} may be Chinese
    if key in ("sales-contract", "purchase-contract", "booking-note", "customs-data", "inspection-data"):
        assert 'w:hint="eastAsia"' in body  # runs with Chinese labels are marked as East Asian text
    assert '<w:tblLayout w:type="fixed"/>' in body  # long text wraps instead of widening the table
    if key != "shipping-advice":  # a letter with a form, no goods table
        assert "<w:tblHeader/>" in body  # the goods table's header repeats on every page
        assert "{%tr for " in body and "{%tr endfor %}" in body


def test_templates_are_rebuilt_identically() -> None:
    for kind in KINDS:
        fresh = build_template(kind.key)
        shipped = (TEMPLATE_DIR / kind.template_name).read_bytes()
        with zipfile.ZipFile(io.BytesIO(fresh)) as new, zipfile.ZipFile(io.BytesIO(shipped)) as old:
            assert new.namelist() == old.namelist(), kind.key
            for info in new.infolist():
                assert info.date_time == (2026, 1, 1, 0, 0, 0)
                assert new.read(info.filename) == old.read(info.filename), f"{kind.key}: {info.filename}"
        assert "docProps/thumbnail.jpeg" not in zipfile.ZipFile(io.BytesIO(fresh)).namelist()
