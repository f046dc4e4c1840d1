"""PDF through LibreOffice: one document of each kind, the totals read back from the PDF text.

Skipped only when LibreOffice is missing and GENDAN_REQUIRE_SOFFICE is unset; CI sets it, so
there a missing LibreOffice fails (the ``soffice`` fixture in tests/conftest.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from gendan_xl.documents import KINDS, render_documents

from .conftest import TODAY, Rows


def _pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return re.sub(r"[ \t]+", " ", text)


def test_one_of_each_kind_to_pdf(soffice: str, rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    run = render_documents(write_book(rows), out_dir=tmp_path / "out", orders=["T-001"], today=TODAY, pdf=True,
                           log=False, workers=1)
    assert [f.kind for f in run.files] == [k.key for k in KINDS]
    texts = {}
    for item in run.files:
        assert item.pdf is not None and item.pdf.read_bytes().startswith(b"%PDF")
        texts[item.kind] = _pdf_text(item.pdf)
    for kind in ("proforma-invoice", "commercial-invoice"):
        assert "TOTAL AMOUNT: USD 2,082.50" in texts[kind]
        assert "SAY US DOLLARS TWO THOUSAND EIGHTY-TWO AND CENTS FIFTY ONLY" in texts[kind]
    assert "合同总值" in texts["sales-contract"] and "2,082.50" in texts["sales-contract"]
    assert "美元贰仟零捌拾贰元伍角整" in texts["sales-contract"]
    assert "采 购 合 同" in texts["purchase-contract"] or "采购合同" in texts["purchase-contract"]
    assert "人民币壹万贰仟贰佰伍拾元整" in texts["purchase-contract"] and "12,250.00" in texts["purchase-contract"]
    packing = texts["packing-list"]
    assert "SAY TOTAL TWENTY CARTONS ONLY" in packing
    assert all(figure in packing for figure in ("1-12", "14-19", "163.75", "183.75", "0.937"))
    assert "20 CTNS" in texts["booking-note"] and "183.75" in texts["booking-note"]
    assert "USD 2,082.50" in texts["shipping-advice"] and "MSC ISABELLA" in texts["shipping-advice"]
    assert "8215990000" in texts["customs-data"] and "申报总价" in texts["customs-data"]
    assert "2,082.50" in texts["customs-data"]
    assert "出境货物报检资料" in texts["inspection-data"] and "宁波市海曙厨具有限公司" in texts["inspection-data"]
