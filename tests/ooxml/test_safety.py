"""Files that are not usable workbooks: each gets its own exception class and a clear message."""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

import pytest

from gendan_xl import read_workbook
from gendan_xl.errors import (
    CorruptWorkbookError,
    EncryptedWorkbookError,
    NotAWorkbookError,
    UnsafeWorkbookError,
    WorkbookError,
    WorkbookNotFoundError,
)
from gendan_xl.ooxml import safety
from gendan_xl.ooxml.safety import find_error_cells, inspect_workbook
from gendan_xl.workbook.template import Formula
from tests.builders import (
    BILLION_LAUGHS,
    MakeXlsx,
    encrypted_xlsx,
    minimal_docx,
    minimal_sheets,
    old_xls,
    rewrite_members,
    zip_bomb,
)


@pytest.fixture
def good(make_xlsx: MakeXlsx) -> Path:
    return make_xlsx(minimal_sheets(), name="good.xlsx")


def refused(path: Path, kind: type[WorkbookError]) -> WorkbookError:
    """Read ``path`` expecting ``kind`` exactly; returns the exception for further checks."""
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    assert type(caught.value) is kind
    assert caught.value.message_zh and caught.value.message_en
    assert caught.value.path == path
    return caught.value


def test_file_not_found(tmp_path: Path) -> None:
    error = refused(tmp_path / "nope.xlsx", WorkbookNotFoundError)
    assert "not found" in error.message_en


def test_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    error = refused(folder, WorkbookNotFoundError)
    assert "not a file" in error.message_en


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(bytes([0x8F, 0x00, 0xFE, 0x13]) + os.urandom(4092))
    refused(path, NotAWorkbookError)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    refused(path, NotAWorkbookError)


@pytest.mark.parametrize("name", ["old.xls", "old-renamed.xlsx"])
def test_old_xls(tmp_path: Path, name: str) -> None:
    error = refused(old_xls(tmp_path / name), NotAWorkbookError)
    assert ".xls" in error.message_en and "save it as .xlsx" in error.message_en


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("订单号,客户\nGD-001,HANSA\n", encoding="utf-8")
    error = refused(path, NotAWorkbookError)
    assert "CSV" in error.message_en


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_renamed_to_xlsx(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "orders.xlsx"
    path.write_text("订单号,客户,品名\nGD-001,HANSA,不锈钢厨具夹\n" * 300, encoding=encoding)
    assert "CSV" in refused(path, NotAWorkbookError).message_en


def test_docx_renamed_to_xlsx(tmp_path: Path) -> None:
    error = refused(minimal_docx(tmp_path / "contract.xlsx"), NotAWorkbookError)
    assert "Word" in error.message_en


def test_zip_that_is_not_office(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    refused(path, NotAWorkbookError)


def test_password_protected(good: Path, tmp_path: Path) -> None:
    error = refused(encrypted_xlsx(good, tmp_path / "locked.xlsx"), EncryptedWorkbookError)
    assert "password" in error.message_en and "密码" in error.message_zh


def test_truncated_zip(good: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    refused(path, CorruptWorkbookError)


def test_damaged_member_data(good: Path, tmp_path: Path) -> None:
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start:start + 40] = bytes(40)  # overwrite the deflated bytes: CRC or inflate fails
    path = tmp_path / "bad-data.xlsx"
    path.write_bytes(bytes(data))
    refused(path, CorruptWorkbookError)


def test_broken_sheet_xml(good: Path, tmp_path: Path) -> None:
    path = rewrite_members(good, tmp_path / "broken.xlsx",
                           {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row r='1'><c r='A1'"})
    refused(path, CorruptWorkbookError)


def test_zip_bomb(good: Path, tmp_path: Path) -> None:
    path = zip_bomb(good, tmp_path / "bomb.xlsx", inflated_mib=40)
    assert path.stat().st_size < 1_000_000  # 40 MiB of sheet in well under 1 MB
    error = refused(path, UnsafeWorkbookError)
    assert "zip bomb" in error.message_en


def test_declared_size_limit(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inspect_workbook(good)  # fine under the real limit
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_BYTES", 1000)
    refused(good, UnsafeWorkbookError)


def test_compression_ratio_limit(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "_RATIO_FLOOR", 0)
    monkeypatch.setattr(safety, "MAX_COMPRESSION_RATIO", 1)
    refused(good, UnsafeWorkbookError)


def test_member_count_limit(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "_MAX_MEMBERS", 3)
    refused(good, UnsafeWorkbookError)


def test_member_larger_than_declared(good: Path, tmp_path: Path) -> None:
    """A bomb that lies about its size in the zip directory is stopped when read, not inflated."""
    path = zip_bomb(good, tmp_path / "liar.xlsx", inflated_mib=8)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    at = data.find(b"PK\x01\x02")
    while at >= 0:  # central directory entry: uncompressed size at +24
        if data[at + 46:at + 46 + len(name)] == name:
            struct.pack_into("<I", data, at + 24, 4096)
        at = data.find(b"PK\x01\x02", at + 4)
    at = data.find(b"PK\x03\x04")
    while at >= 0:  # local header: uncompressed size at +22
        if data[at + 30:at + 30 + len(name)] == name:
            struct.pack_into("<I", data, at + 22, 4096)
        at = data.find(b"PK\x03\x04", at + 4)
    path.write_bytes(bytes(data))
    with pytest.raises((CorruptWorkbookError, UnsafeWorkbookError)):
        read_workbook(path)


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_xml_with_entities_is_refused_never_resolved(good: Path, tmp_path: Path, member: str) -> None:
    path = rewrite_members(good, tmp_path / "laughs.xlsx", {member: BILLION_LAUGHS})
    error = refused(path, UnsafeWorkbookError)
    assert member in error.message_en and "DTD" in error.message_en


def test_external_entity_is_refused(good: Path, tmp_path: Path) -> None:
    xxe = (b'<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
           b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>')
    with zipfile.ZipFile(good) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()
    refused(rewrite_members(good, tmp_path / "xxe.xlsx", {"xl/sharedStrings.xml": xxe}), UnsafeWorkbookError)


def test_package_info(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx(minimal_sheets(Extra=[["x"]]))
    info = inspect_workbook(path)
    assert info.sheet_parts == {"订单": "xl/worksheets/sheet1.xml", "订单明细": "xl/worksheets/sheet2.xml",
                                "Extra": "xl/worksheets/sheet3.xml"}
    assert info.date1904 is False
    assert info.macro_enabled is False
    assert info.hidden_sheets == set()


def test_error_cells_are_found_in_the_sheet_xml(make_xlsx: MakeXlsx) -> None:
    rows = [["a", "b", "c"], [Formula("=NA()", "#N/A"), 1, Formula("=1/0", "#DIV/0!")]]
    rows += [[i] for i in range(3, 30)] + [[None] * 27 + [Formula("=X1", "#REF!")]]
    path = make_xlsx({"S": rows})
    assert find_error_cells(path, "xl/worksheets/sheet1.xml") == {(1, 0): "#N/A", (1, 2): "#DIV/0!",
                                                                  (29, 27): "#REF!"}
