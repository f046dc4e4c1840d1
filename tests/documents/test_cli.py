"""``gendan docs``: exit codes, the refusal with its differences, --force, options, and the library twin."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gendan_xl.cli import app
from gendan_xl.documents import render_documents, select_orders
from gendan_xl.errors import ConfigError, DocumentCheckError
from gendan_xl.workbook.reader import read_workbook

from .conftest import TODAY, Rows, docx_text

runner = CliRunner()


def _docs(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["docs", *args, "--today", TODAY.isoformat()])
    return result.exit_code, result.output


def test_renders_the_documents_and_logs_them(demo_book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = read_workbook(demo_book).documents  # the demo's log already holds a few earlier documents
    code, output = _docs(str(demo_book), "--order", "GD2026-001", "--kind", "ci,pl", "--out", str(out))
    assert code == 0, output
    assert sorted(p.name for p in out.iterdir()) == ["GD2026-001_commercial-invoice.docx",
                                                      "GD2026-001_packing-list.docx"]
    assert f"单证记录!A{len(before) + 2}" in output
    wb = read_workbook(demo_book)
    assert wb.documents[:len(before)] == before
    assert [(d.order_no, d.kind) for d in wb.documents[len(before):]] == [
        ("GD2026-001", "商业发票 Commercial Invoice"), ("GD2026-001", "装箱单 Packing List")]


def test_a_shipment_of_the_demo_renders_cleanly(demo_book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = {d.row for d in read_workbook(demo_book).documents}  # the demo's log already holds other documents
    code, output = _docs(str(demo_book), "--shipment", "HY-INV-C41", "--out", str(out))
    assert code == 0, output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"HY-INV-C41_{key}.docx" for key in ("commercial-invoice", "packing-list", "booking-note", "shipping-advice",
                                             "customs-data", "co-data"))
    records = [d for d in read_workbook(demo_book).documents if d.row not in before]
    assert {(d.order_no, d.doc_no) for d in records} == {("GD2026-041, GD2026-042, GD2026-043", "HY-INV-C41")}
    text = docx_text(out / "HY-INV-C41_packing-list.docx")
    assert all(part in text for part in ("1-92", "93-173", "174-373", "373", "29.289"))
    code, output = _docs(str(demo_book), "--shipment", "HY-INV-C41", "--kind", "pi", "--out", str(out))
    assert code == 2 and "per order" in output


def test_refuses_when_documents_disagree_and_lists_why(demo_book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = read_workbook(demo_book).documents
    code, output = _docs(str(demo_book), "--order", "GD2026-011,GD2026-001", "--out", str(out))
    assert code == 2
    assert "GD2026-011" in output and "amount differs" in output and "订单!AA12" in output
    assert not out.exists() or not any(out.iterdir())
    assert read_workbook(demo_book).documents == before


def test_force_renders_anyway_and_says_so(demo_book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = _docs(str(demo_book), "--order", "GD2026-011", "--kind", "sc,pi", "--out", str(out), "--force")
    assert code == 0, output
    assert "Forced" in output
    assert "2,393.50" in docx_text(out / "GD2026-011_sales-contract.docx")  # the contract keeps the order total
    assert "1,943.50" in docx_text(out / "GD2026-011_proforma-invoice.docx")


def test_due_within_selects_unshipped_orders_due_soon(demo_book: Path, tmp_path: Path) -> None:
    wb = read_workbook(demo_book)
    before = wb.documents
    chosen = select_orders(wb, orders=None, due_within=10, today=TODAY)
    assert chosen and all(o.delivery_date is not None and (o.delivery_date - TODAY).days <= 10 for o in chosen)
    assert all(not o.is_shipped and not o.is_cancelled for o in chosen)
    assert "GD2026-004" in [o.order_no for o in chosen]  # late: its delivery date has passed, still in production
    code, output = _docs(str(demo_book), "--due-within", "10", "--kind", "booking-note", "--out", str(tmp_path / "o"),
                         "--no-log")
    assert code == 0, output
    assert len(list((tmp_path / "o").iterdir())) == len(chosen)
    assert read_workbook(demo_book).documents == before  # --no-log


@pytest.mark.parametrize("args", [
    ["--kind", "ci"],  # neither --order nor --due-within
    ["--order", "GD2026-001", "--due-within", "5"],
    ["--order", "NO-SUCH"],
    ["--order", "GD2026-001", "--kind", "invoicex"],
    ["--order", "GD2026-001", "--templates", "/no/such/folder"],
])
def test_bad_options_exit_2(demo_book: Path, tmp_path: Path, args: list[str]) -> None:
    code, output = _docs(str(demo_book), *args, "--out", str(tmp_path / "out"))
    assert code == 2, output
    assert "Error" in output


def test_missing_workbook_exits_2(tmp_path: Path) -> None:
    code, output = _docs(str(tmp_path / "nope.xlsx"), "--order", "A", "--out", str(tmp_path))
    assert code == 2 and "Error" in output


def test_pdf_without_libreoffice_is_a_clear_message(demo_book: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import gendan_xl.documents.run as run_module

    monkeypatch.setattr(run_module, "find_soffice", lambda: None)
    out = tmp_path / "out"
    code, output = _docs(str(demo_book), "--order", "GD2026-001", "--pdf", "--out", str(out))
    assert code == 2
    assert "LibreOffice" in output and "libreoffice-writer-nogui" in output and "--pdf" in output
    assert not out.exists()


def test_library_twin_raises_with_the_differences(rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    rows["orders"][0]["order_total"] = Decimal("1.00")
    with pytest.raises(DocumentCheckError) as caught:
        render_documents(write_book(rows), out_dir=tmp_path / "out", orders=["T-001"], today=TODAY)
    assert len(caught.value.differences) == 1 and "amount differs" in caught.value.differences[0]
    with pytest.raises(ConfigError):
        render_documents(write_book(rows, "b.xlsx"), out_dir=tmp_path, orders=None, due_within=None, today=TODAY)


def test_order_numbers_are_made_safe_for_file_names(rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    second = dict(rows["orders"][0], order_no="T:001")
    rows["orders"] = [dict(rows["orders"][0], order_no="T/001"), second]
    rows["lines"] = [dict(line, order_no=no) for no in ("T/001", "T:001") for line in rows["lines"]]
    rows["shipments"] = []
    run = render_documents(write_book(rows), out_dir=tmp_path / "out", orders=["T/001,T:001"], kinds=["pi"],
                           today=TODAY, log=False)
    assert [f.docx.name for f in run.files] == ["T-001_proforma-invoice.docx", "T-001~2_proforma-invoice.docx"]


def test_docs_names_per_document_what_a_tracker_does_not_keep(tmp_path: Path) -> None:
    from tests.trackers import CN_MERGED

    path = CN_MERGED.write(tmp_path)
    result = CliRunner().invoke(app, ["docs", str(path), "--out", str(tmp_path / "out"), "--order", "GD2026-002"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "Packing List: the workbook has no customers sheet" in result.output
    assert "HS Code column" in result.output and "Pcs/Carton column" in result.output
