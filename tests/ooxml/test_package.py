"""The package view (sheet mapping, relationships) and the raw zip copy it relies on."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from gendan_xl.errors import CorruptWorkbookError, EncryptedWorkbookError, NotAWorkbookError, UnsafeWorkbookError
from gendan_xl.ooxml.package import Package, parse_xml
from gendan_xl.ooxml.patch import CellWrite, SheetPatch, patch_package
from tests.featured import HIDDEN, ORDERS, SUMMARY, TABLE_SHEET, VERY_HIDDEN, build_simple, members

TRANSITIONAL = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_T = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_S = b"http://purl.oclc.org/ooxml/officeDocument/relationships"


def rezip(data: bytes, edit: dict[str, bytes | None], *, rename: dict[str, str] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = edit.get(info.filename, src.read(info.filename))
            if content is None:
                continue
            dst.writestr((rename or {}).get(info.filename, info.filename), content)
    return out.getvalue()


def test_sheets_with_parts_kinds_and_visibility(featured_xlsx: Path) -> None:
    pkg = Package.open(featured_xlsx)
    sheets = {s.name: s for s in pkg.sheets()}
    assert list(sheets) == [ORDERS, TABLE_SHEET, SUMMARY, HIDDEN, VERY_HIDDEN]
    assert sheets[ORDERS].part == "xl/worksheets/sheet1.xml" and sheets[ORDERS].kind == "worksheet"
    assert sheets[HIDDEN].state == "hidden" and sheets[VERY_HIDDEN].state == "veryHidden"
    assert sheets[ORDERS].state == "visible" and sheets[SUMMARY].index == 2
    rels = pkg.sheet_rels("xl/worksheets/sheet1.xml")
    assert rels.comments == "xl/comments1.xml"
    assert rels.vml == ("xl/drawings/vmlDrawing1.vml",) and rels.drawings == ("xl/drawings/drawing1.xml",)
    assert pkg.sheet_rels("xl/worksheets/sheet2.xml").tables == ("xl/tables/table1.xml",)
    assert not pkg.strict and not pkg.date1904


def test_parts_are_found_through_the_relationships_not_by_name(tmp_path: Path) -> None:
    data = build_simple(tmp_path / "a.xlsx", [["x"]])
    data_bytes = data.read_bytes()
    rels = members(data_bytes)["xl/_rels/workbook.xml.rels"]
    moved = rezip(
        data_bytes,
        {
            "xl/_rels/workbook.xml.rels": rels.replace(
                b'Target="worksheets/sheet1.xml"', b'Target="/xl/data/orders%20main.xml"'
            ),
            "[Content_Types].xml": members(data_bytes)["[Content_Types].xml"].replace(
                b"/xl/worksheets/sheet1.xml", b"/xl/data/orders main.xml"
            ),
        },
        rename={"xl/worksheets/sheet1.xml": "xl/data/orders main.xml"},
    )
    pkg = Package(moved)
    assert pkg.sheet(ORDERS).part == "xl/data/orders main.xml"
    out = patch_package(moved, [SheetPatch(ORDERS, [CellWrite(1, 2, "ok")])])
    assert b"ok" in members(out)["xl/data/orders main.xml"]


def test_strict_namespaces_and_relationship_types(tmp_path: Path) -> None:
    data = build_simple(tmp_path / "s.xlsx", [["x"]]).read_bytes()
    parts = members(data)
    strict = {
        name: content.replace(TRANSITIONAL, STRICT).replace(REL_T, REL_S)
        for name, content in parts.items()
        if name.endswith((".xml", ".rels")) and name != "[Content_Types].xml"
    }
    pkg_data = rezip(data, dict(strict))
    pkg = Package(pkg_data)
    assert pkg.strict and pkg.sheet(ORDERS).part == "xl/worksheets/sheet1.xml"
    out = patch_package(pkg_data, [SheetPatch(ORDERS, [CellWrite(1, 2, "n", note="strict note", fill="FFC7CE")])])
    new = members(out)
    assert b"purl.oclc.org/ooxml/officeDocument/relationships/comments" in new["xl/worksheets/_rels/sheet1.xml.rels"]
    assert new["xl/comments1.xml"].count(STRICT) == 1
    assert b'<c r="B1" s="1" t="inlineStr">' in new["xl/worksheets/sheet1.xml"]


def test_non_standard_prefixes_in_workbook_xml(tmp_path: Path) -> None:
    data = build_simple(tmp_path / "p.xlsx", [["x"]]).read_bytes()
    wb = (
        b'<?xml version="1.0"?><x:workbook xmlns:x="'
        + TRANSITIONAL
        + b'"><x:sheets><x:sheet name="'
        + ORDERS.encode()
        + b'" sheetId="1" xmlns:ns="'
        + REL_T
        + b'" ns:id="rId1" state="hidden"/></x:sheets></x:workbook>'
    )
    pkg = Package(rezip(data, {"xl/workbook.xml": wb}))
    (sheet,) = pkg.sheets()
    assert sheet.part == "xl/worksheets/sheet1.xml" and sheet.state == "hidden"


def test_not_a_workbook_encrypted_and_damaged(tmp_path: Path) -> None:
    with pytest.raises(NotAWorkbookError):
        Package(b"plain text, not a zip")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(NotAWorkbookError, match="xls"):
        Package(ole)
    with pytest.raises(EncryptedWorkbookError):
        Package(ole + "EncryptionInfo".encode("utf-16-le"))
    data = bytearray(build_simple(tmp_path / "d.xlsx", [["x"] * 50]).read_bytes())
    info = next(i for i in zipfile.ZipFile(io.BytesIO(bytes(data))).infolist() if i.filename.endswith("sheet1.xml"))
    start = info.header_offset + 30 + len(info.filename) + 10
    data[start] ^= 0xFF
    with pytest.raises(CorruptWorkbookError):
        Package(bytes(data)).read("xl/worksheets/sheet1.xml")
    with pytest.raises(CorruptWorkbookError):
        Package(bytes(data[:-30]))


def test_dtds_are_refused() -> None:
    with pytest.raises(UnsafeWorkbookError):
        parse_xml(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "evil.xml")
    with pytest.raises(CorruptWorkbookError):
        parse_xml(b"<x><y></x>", "broken.xml")


def test_raw_copy_keeps_descriptors_comments_attributes_and_stored_members(tmp_path: Path) -> None:
    """A zip written to a non-seekable stream has data descriptors; members must still copy verbatim."""
    src = build_simple(tmp_path / "r.xlsx", [["x"]]).read_bytes()

    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.buf = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b: bytes) -> int:  # type: ignore[override]
            self.buf += b
            return len(b)

    sink = Unseekable()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(sink, "w") as zout:
        for i, info in enumerate(zin.infolist()):
            new = zipfile.ZipInfo(info.filename, date_time=(2024, 5, 6, 7, 8, 10))
            new.compress_type = zipfile.ZIP_STORED if info.filename.endswith(".rels") else zipfile.ZIP_DEFLATED
            new.external_attr = (0o640 << 16) | i
            new.comment = f"member {i}".encode()
            zout.writestr(new, zin.read(info.filename))
        zout.comment = b"archive comment"
    data = bytes(sink.buf)
    assert any(i.flag_bits & 0x08 for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    out = patch_package(data, [SheetPatch(ORDERS, [CellWrite(1, 2, "y")])])
    before = {i.filename: i for i in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert z.testzip() is None and z.comment == b"archive comment"
        for info in z.infolist():
            old = before[info.filename]
            assert (info.date_time, info.external_attr, info.comment) == (old.date_time, old.external_attr, old.comment)
            if info.filename != "xl/worksheets/sheet1.xml":
                assert (info.compress_type, info.flag_bits, info.CRC) == (old.compress_type, old.flag_bits, old.CRC)
                raw_old = data[old.header_offset : old.header_offset + 30 + len(old.filename) + old.compress_size]
                raw_new = out[info.header_offset : info.header_offset + 30 + len(info.filename) + info.compress_size]
                assert raw_new == raw_old
    assert Package(out).read("xl/worksheets/sheet1.xml").count(b"<c ") == 2


def test_unused_names_and_lookup(featured_xlsx: Path) -> None:
    pkg = Package.open(featured_xlsx)
    assert pkg.unused_name("xl/comments{n}.xml") == "xl/comments2.xml"
    assert pkg.unused_name("xl/comments{n}.xml", taken=["xl/comments2.xml"]) == "xl/comments3.xml"
    assert pkg.find("/XL/Workbook.xml") == "xl/workbook.xml"
    assert pkg.content_type(
        "xl/worksheets/sheet1.xml",
    ).endswith("worksheet+xml")  # type: ignore[union-attr]
