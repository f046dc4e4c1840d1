"""Cell notes: ours are added, replaced and removed; the user's notes and form buttons are kept."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter

from gendan_xl.ooxml.package import Package
from gendan_xl.ooxml.patch import CellWrite, SheetPatch, apply_patches, patch_package
from tests.featured import ORDERS, build_simple, members, raw_members, soffice_csv, tiny_png


def load(tmp_path: Path, data: bytes, name: str = "o.xlsx") -> openpyxl.Workbook:
    path = tmp_path / name
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path)


def notes_of(tmp_path: Path, data: bytes) -> dict[str, tuple[str, str]]:
    sheet = load(tmp_path, data)[ORDERS]
    return {c.coordinate: (c.comment.author, c.comment.text) for row in sheet.iter_rows() for c in row if c.comment}


def test_first_note_creates_every_part(tmp_path: Path, soffice: str) -> None:
    data = build_simple(tmp_path / "a.xlsx", [["PO", "状态"], ["PO-1", None]]).read_bytes()
    out = patch_package(data, [SheetPatch(ORDERS, [CellWrite(2, 2, "逾期", note="交期已过\n请跟进")])])
    parts = members(out)
    assert parts["xl/comments1.xml"].count(b"<comment ") == 1
    assert b'<o:idmap v:ext="edit" data="1"/>' in parts["xl/drawings/vmlDrawing1.vml"]
    assert b"<x:Row>1</x:Row>" in parts["xl/drawings/vmlDrawing1.vml"]
    sheet_rels = parts["xl/worksheets/_rels/sheet1.xml.rels"]
    assert b"/comments" in sheet_rels and b"/vmlDrawing" in sheet_rels
    assert re.search(rb'<legacyDrawing r:id="rId\d"/></worksheet>$', parts["xl/worksheets/sheet1.xml"])
    types = parts["[Content_Types].xml"]
    assert b'PartName="/xl/comments1.xml"' in types and b'Extension="vml"' in types
    assert notes_of(tmp_path, out) == {"B2": ("gendan_xl", "交期已过\n请跟进")}
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        for name in ("xl/comments1.xml", "xl/drawings/vmlDrawing1.vml", "xl/worksheets/_rels/sheet1.xml.rels"):
            info = z.getinfo(name)
            assert info.date_time == (1980, 1, 1, 0, 0, 0), "new members carry no timestamp"
            assert info.compress_type == zipfile.ZIP_DEFLATED
        assert z.namelist()[0] == "[Content_Types].xml"
    (tmp_path / "lo.xlsx").write_bytes(out)
    assert any("逾期" in text for text in soffice_csv(soffice, tmp_path / "lo.xlsx", tmp_path / "csv").values())


def user_notes_workbook(tmp_path: Path) -> bytes:
    path = tmp_path / "u.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(ORDERS)
    ws.write_row(0, 0, ["PO", "客户", "状态"])
    ws.write_row(1, 0, ["PO-1", "ACME", "ok"])
    ws.write_comment("B2", "user note", {"author": "Alice"})
    ws.insert_button("E2", {"caption": "Run"})
    book.close()
    return path.read_bytes()


def test_user_notes_and_buttons_survive_our_changes(tmp_path: Path) -> None:
    data = user_notes_workbook(tmp_path)
    vml_before = members(data)["xl/drawings/vmlDrawing1.vml"]
    user_shapes = re.findall(rb"<v:shape .*?</v:shape>", vml_before, re.S)
    assert len(user_shapes) == 2  # Alice's note and the button

    first = apply_patches(
        data, [SheetPatch(ORDERS, [CellWrite(2, 3, "late", note="first"), CellWrite(2, 2, "ACME", note="ours?")])]
    )
    assert [s.cell for s in first.skipped] == ["B2"]
    assert notes_of(tmp_path, first.data) == {"B2": ("Alice", "user note"), "C2": ("gendan_xl", "first")}
    vml = members(first.data)["xl/drawings/vmlDrawing1.vml"]
    assert all(shape in vml for shape in user_shapes)
    ids = [int(i) for i in re.findall(rb'id="_x0000_s(\d+)"', vml)]
    assert len(ids) == len(set(ids)) == 3 and max(ids) < 2048  # inside the drawing's idmap block 1

    replaced = patch_package(first.data, [SheetPatch(ORDERS, [CellWrite(2, 3, "late", note="second")])])
    assert notes_of(tmp_path, replaced) == {"B2": ("Alice", "user note"), "C2": ("gendan_xl", "second")}
    assert members(replaced)["xl/drawings/vmlDrawing1.vml"] == vml, "text lives in comments1.xml only"

    removed = patch_package(replaced, [SheetPatch(ORDERS, [CellWrite(2, 3, "ok"), CellWrite(2, 2, "ACME")])])
    assert notes_of(tmp_path, removed) == {"B2": ("Alice", "user note")}
    assert members(removed)["xl/drawings/vmlDrawing1.vml"] == vml_before
    assert members(removed)["xl/comments1.xml"].count(b"<comment ") == 1


def test_same_note_twice_is_byte_identical(tmp_path: Path) -> None:
    data = user_notes_workbook(tmp_path)
    patches = [SheetPatch(ORDERS, [CellWrite(2, 3, "late", note="n1"), CellWrite(3, 3, "x", note="n2")])]
    once = patch_package(data, patches)
    assert patch_package(once, patches) == once


def test_removing_our_last_note_removes_the_parts_we_added(tmp_path: Path) -> None:
    data = build_simple(tmp_path / "a.xlsx", [["PO", "状态"], ["PO-1", None]]).read_bytes()
    noted = patch_package(data, [SheetPatch(ORDERS, [CellWrite(2, 2, "x", note="n")])])
    cleared = patch_package(noted, [SheetPatch(ORDERS, [CellWrite(2, 2, "x")])])
    parts = members(cleared)
    assert not any(n.startswith(("xl/comments", "xl/drawings/")) for n in parts)
    assert "xl/worksheets/_rels/sheet1.xml.rels" not in parts
    assert b"legacyDrawing" not in parts["xl/worksheets/sheet1.xml"]
    assert b"comments" not in parts["[Content_Types].xml"]
    assert notes_of(tmp_path, cleared) == {}
    assert Package(cleared).sheets()[0].name == ORDERS


def test_a_note_on_a_sheet_with_a_drawing_goes_before_table_parts(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(ORDERS)
    ws.add_table(0, 0, 3, 1, {"columns": [{"header": "A"}, {"header": "B"}]})
    ws.insert_image(5, 5, "i.png", {"image_data": io.BytesIO(tiny_png())})
    book.close()
    out = patch_package(path.read_bytes(), [SheetPatch(ORDERS, [CellWrite(3, 3, "x", note="n")])])
    xml = members(out)["xl/worksheets/sheet1.xml"]
    order = [m.decode() for m in re.findall(rb"<(drawing|legacyDrawing|tableParts)\b", xml)]
    assert order == ["drawing", "legacyDrawing", "tableParts"]
    before, after = raw_members(path.read_bytes()), raw_members(out)
    assert after["xl/drawings/drawing1.xml"] == before["xl/drawings/drawing1.xml"]
    assert "xl/drawings/vmlDrawing1.vml" in after  # a new name that did not exist


def test_two_sheets_get_separate_drawings_and_idmap_blocks(tmp_path: Path) -> None:
    path = tmp_path / "two.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet(ORDERS).write(0, 0, "a")
    book.add_worksheet("明细").write(0, 0, "b")
    book.close()
    out = patch_package(
        path.read_bytes(),
        [SheetPatch(ORDERS, [CellWrite(1, 2, "x", note="1")]), SheetPatch("明细", [CellWrite(1, 2, "y", note="2")])],
    )
    parts = members(out)
    vmls = sorted(n for n in parts if n.endswith(".vml"))
    assert len(vmls) == 2 and len({n for n in parts if n.startswith("xl/comments")}) == 2
    blocks = [re.search(rb'data="(\d+)"', parts[n]).group(1) for n in vmls]  # type: ignore[union-attr]
    assert len(set(blocks)) == 2
    shape_ids = [re.search(rb'id="_x0000_s(\d+)"', parts[n]).group(1) for n in vmls]  # type: ignore[union-attr]
    assert len(set(shape_ids)) == 2
    wb = load(tmp_path, out)
    assert wb[ORDERS]["B1"].comment.text == "1" and wb["明细"]["B1"].comment.text == "2"
