"""Write-back fidelity on a workbook carrying every Excel feature (.xlsx and .xlsm with VBA)."""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from gendan_xl.ooxml.package import Package
from gendan_xl.ooxml.patch import CellWrite, NewSheet, SheetPatch, apply_patches, patch_workbook
from tests.featured import (
    HIDDEN,
    N_ORDERS,
    ORDERS,
    STATUS_COL,
    SUMMARY,
    VERY_HIDDEN,
    calamine_rows,
    members,
    outside_sheet_data,
    raw_members,
    row_slices,
    sheet_cells,
    soffice_csv,
)

J, K = STATUS_COL, STATUS_COL + 1
ODD_TEXTS = ["=1+1", "+86 138 0000", "-5", "@user", "  leading and trailing  ", "line1\nline2", "A&B <c>"]
# Members the patcher may change for an existing sheet; everything else must stay byte-identical.
MAY_CHANGE = {
    "xl/worksheets/sheet1.xml",
    "xl/styles.xml",
    "xl/comments1.xml",
    "xl/drawings/vmlDrawing1.vml",
    "xl/worksheets/_rels/sheet1.xml.rels",
    "[Content_Types].xml",
    "xl/workbook.xml",
}


def status_writes() -> list[CellWrite]:
    """Status columns J/K for every order: values of every type, fills and notes."""
    writes = [
        CellWrite(1, J, "状态\nStatus", style_like=(1, 8)),
        CellWrite(1, K, "检查 Checked", style_like=(1, 8)),
    ]
    kinds: list[object] = [42, 3.5, Decimal("1234.56"), True, False, date(2026, 5, 1), datetime(2026, 5, 1, 14, 30)]
    for i, r in enumerate(range(2, N_ORDERS + 2)):
        late = i % 3 == 0
        text = ODD_TEXTS[i % len(ODD_TEXTS)] if i % 2 else ("逾期 late" if late else "正常 OK")
        writes.append(
            CellWrite(r, J, text, fill="FFC7CE" if late else "C6EFCE", note=f"交期已过 {r}" if late else None)
        )
        writes.append(CellWrite(r, K, kinds[i % len(kinds)]))  # type: ignore[arg-type]
    # Bob already has a note on C6: ours must be skipped, his kept. Same value as before.
    writes.append(CellWrite(6, 3, 500, note="gendan wants this cell"))
    return writes


def expected(w: CellWrite) -> object:
    """What python-calamine reads back for a written value."""
    if isinstance(w.value, Decimal):
        return float(w.value)
    if isinstance(w.value, int) and not isinstance(w.value, bool):
        return float(w.value)
    if isinstance(w.value, datetime):
        return w.value
    return w.value


@pytest.fixture
def patched(featured: Path) -> tuple[Path, bytes, bytes]:
    original = featured.read_bytes()
    outcome = apply_patches(original, [SheetPatch(ORDERS, status_writes())])
    out = featured.with_name("out" + featured.suffix)
    out.write_bytes(outcome.data)
    assert outcome.full_recalc  # the orders sheet holds formulas and values changed
    assert [s.cell for s in outcome.skipped] == ["C6"]
    return out, original, outcome.data


def test_untouched_members_are_byte_identical(patched: tuple[Path, bytes, bytes]) -> None:
    _, original, new = patched
    before, after = raw_members(original), raw_members(new)
    unpacked_before, unpacked_after = members(original), members(new)
    for name, raw in before.items():
        if name not in MAY_CHANGE:
            assert after[name] == raw, f"{name} changed (raw bytes or zip metadata)"
            assert unpacked_after[name] == unpacked_before[name]
    assert [n for n in after if n in before] == list(before), "member order changed"
    assert set(after) == set(before), "no part may be added or lost here"
    assert "xl/vbaProject.bin" in after or not str(patched[0]).endswith(".xlsm")


def test_sheet_cells_unchanged_except_written(patched: tuple[Path, bytes, bytes]) -> None:
    _, original, new = patched
    old_xml, new_xml = members(original)["xl/worksheets/sheet1.xml"], members(new)["xl/worksheets/sheet1.xml"]
    written = {(w.row, w.col) for w in status_writes()}
    old_cells, new_cells = sheet_cells(old_xml), sheet_cells(new_xml)
    for key, cell in old_cells.items():
        if key not in written:
            assert new_cells[key] == cell, f"cell {key} changed"
    assert set(new_cells) - set(old_cells) <= written
    old_rows, new_rows = row_slices(old_xml), row_slices(new_xml)
    touched_rows = {r for r, _ in written}
    untouched = [r for r in old_rows if r not in touched_rows]
    assert untouched, "the fixture must have rows we do not touch"
    for r in untouched:
        assert new_rows[r] == old_rows[r]
    for r in touched_rows & set(old_rows):
        for cell in re.findall(rb"<c [^>]*?(?:/>|>.*?</c>)", old_rows[r], re.S):
            col = re.search(rb'r="([A-Z]+)', cell)
            assert col
            if (r, sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(col.group(1).decode())))) not in written:
                assert cell in new_rows[r], f"bytes of an untouched cell in row {r} changed"
    # Conditional formats (incl. x14 data bars), validations, merges, hyperlinks, drawings: untouched bytes.
    assert outside_sheet_data(new_xml) == outside_sheet_data(old_xml)


def test_values_read_back(patched: tuple[Path, bytes, bytes]) -> None:
    out, _, _ = patched
    rows = calamine_rows(out, ORDERS)
    for w in status_writes():
        assert rows[w.row - 1][w.col - 1] == expected(w), (w.row, w.col)
    # Cached formula values survive (openpyxl would have emptied them).
    for r in range(2, N_ORDERS + 2):
        assert rows[r - 1][4] == pytest.approx(100 * (r - 1) * (1.25 + r - 2))
    total = calamine_rows(out, SUMMARY)[0][1]
    assert isinstance(total, float) and total > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(out, keep_vba=out.suffix == ".xlsm")
    sheet = book[ORDERS]
    assert sheet.cell(1, J).value == "状态\nStatus"
    assert sheet.cell(1, J).font.b  # the header took the bold style of H1
    assert sheet.cell(2, J).fill.fgColor.rgb == "FFFFC7CE"
    assert sheet.cell(3, J).fill.fgColor.rgb == "FFC6EFCE"
    assert sheet.cell(2, J).comment is not None and sheet.cell(2, J).comment.text == "交期已过 2"
    assert sheet.cell(2, J).comment.author == "gendan_xl"
    assert sheet.cell(5, 2).comment.author == "Alice"
    assert sheet.cell(6, 3).comment.author == "Bob" and sheet.cell(6, 3).comment.text == "qty confirmed"
    assert sheet.cell(7, K).number_format == "yyyy-mm-dd"
    assert book[HIDDEN].sheet_state == "hidden"
    assert book[VERY_HIDDEN].sheet_state == "veryHidden"
    assert "单价区" in book.defined_names
    assert book[ORDERS].freeze_panes == "B2"


def test_second_run_is_byte_identical(patched: tuple[Path, bytes, bytes]) -> None:
    _, _, new = patched
    again = apply_patches(new, [SheetPatch(ORDERS, status_writes())])
    assert again.data == new
    assert not again.changed


def test_vml_keeps_button_and_user_notes(patched: tuple[Path, bytes, bytes]) -> None:
    _, original, new = patched
    old_vml = members(original)["xl/drawings/vmlDrawing1.vml"]
    new_vml = members(new)["xl/drawings/vmlDrawing1.vml"]
    old_shapes = re.findall(rb"<v:shape .*?</v:shape>", old_vml, re.S)
    assert any(b'ObjectType="Button"' in s for s in old_shapes)
    for shape in old_shapes:
        assert shape in new_vml
    ids = re.findall(rb'<v:shape id="(_x0000_s\d+)"', new_vml)
    assert len(ids) == len(set(ids)) == len(old_shapes) + sum(1 for w in status_writes() if w.note and w.col == J)


def test_cached_values_still_present_for_every_formula(patched: tuple[Path, bytes, bytes]) -> None:
    _, original, new = patched
    old_xml, new_xml = members(original)["xl/worksheets/sheet1.xml"], members(new)["xl/worksheets/sheet1.xml"]
    formulas = re.findall(rb"<f[ >].*?</c>", old_xml, re.S)
    assert len(formulas) >= N_ORDERS
    for cell in formulas:
        assert cell in new_xml


def test_libreoffice_opens_the_result(patched: tuple[Path, bytes, bytes], soffice: str, tmp_path: Path) -> None:
    out, _, _ = patched
    csvs = soffice_csv(soffice, out, tmp_path / "csv")
    orders = next(text for name, text in csvs.items() if ORDERS in name)
    assert "逾期 late" in orders and "=1+1" in orders and "@user" in orders
    assert any(SUMMARY in name for name in csvs)


def test_notes_and_new_sheet_on_a_sheet_without_drawing(featured: Path, soffice: str, tmp_path: Path) -> None:
    """汇总 has no VML drawing: the comments part, VML part, rels and content types are created."""
    result = patch_workbook(
        featured,
        [SheetPatch(SUMMARY, [CellWrite(3, 1, "备注", note="由 gendan_xl 生成"), CellWrite(3, 2, 7, fill="FFEB9C")])],
        [NewSheet("出货计划", [["订单号", "出货日"], ["PO-1", date(2026, 6, 1)]], column_widths={1: 16})],
        backups=1,
    )
    assert result.changed and result.backup is not None and result.backup.exists()
    data = featured.read_bytes()
    pkg = Package(data)
    summary = pkg.sheet(SUMMARY)
    assert summary.part is not None
    rels = pkg.sheet_rels(summary.part)
    assert rels.comments is not None and len(rels.vml) == 1
    assert b"<legacyDrawing" in pkg.read(summary.part)
    vml = pkg.read(rels.vml[0])
    blocks: set[bytes] = set()
    for name in pkg.names():
        if name.endswith(".vml"):
            found = re.search(rb'data="([\d,]+)"', pkg.read(name))
            assert found
            block = set(found.group(1).split(b","))
            assert not blocks & block, "two drawings share an o:idmap block"
            blocks |= block
    assert b'ObjectType="Note"' in vml
    assert [s.name for s in pkg.sheets()][-1] == "出货计划"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(featured, keep_vba=featured.suffix == ".xlsm")
    assert book[SUMMARY]["A3"].comment.text == "由 gendan_xl 生成"
    assert book["出货计划"]["A1"].font.b
    assert book["出货计划"].column_dimensions["A"].width == 16
    assert calamine_rows(featured, "出货计划") == [["订单号", "出货日"], ["PO-1", date(2026, 6, 1)]]
    csvs = soffice_csv(soffice, featured, tmp_path / "csv")
    assert any("出货计划" in name and "PO-1" in text for name, text in csvs.items())
    assert any(SUMMARY in name and "备注" in text for name, text in csvs.items())
