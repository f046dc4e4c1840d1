"""Whole sheets written by gendan_xl: added, replaced when ours, never when the user's."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from gendan_xl.errors import WriteError
from gendan_xl.ooxml.package import Package
from gendan_xl.ooxml.patch import CellWrite, NewSheet, SheetPatch, apply_patches, patch_package
from tests.featured import ORDERS, build_simple, calamine_rows, members, raw_members

PLAN = NewSheet(
    "出货计划",
    [["订单号", "出货日", "箱数"], ["PO-1", date(2026, 6, 1), 12], ["PO-2", None, 3.5]],
    column_widths={1: 18, 2: 12},
)


@pytest.fixture
def base(tmp_path: Path) -> bytes:
    return build_simple(tmp_path / "b.xlsx", [["PO"], ["PO-1"]]).read_bytes()


def test_new_sheet_is_added_with_bold_header_and_marker(tmp_path: Path, base: bytes) -> None:
    outcome = apply_patches(base, [], [PLAN])
    pkg = Package(outcome.data)
    sheets = pkg.sheets()
    assert [s.name for s in sheets] == [ORDERS, "出货计划"]
    assert sheets[1].sheet_id == 2 and sheets[1].part == "xl/worksheets/sheet2.xml"
    xml = pkg.read("xl/worksheets/sheet2.xml")
    assert b'<customPr name="gendan_xl" r:id="rId1"/>' in xml
    assert pkg.read("xl/customProperty1.bin") == "gendan_xl".encode("utf-16-le")
    assert "customProperty" in (pkg.content_type("xl/customProperty1.bin") or "")
    before, after = raw_members(base), raw_members(outcome.data)
    for name in before:
        if name not in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"):
            assert after[name] == before[name], name
    path = tmp_path / "o.xlsx"
    path.write_bytes(outcome.data)
    assert calamine_rows(path, "出货计划") == [
        ["订单号", "出货日", "箱数"],
        ["PO-1", date(2026, 6, 1), 12.0],
        ["PO-2", "", 3.5],
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = openpyxl.load_workbook(path)["出货计划"]
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 18


def test_our_sheet_is_replaced_and_idempotent(base: bytes) -> None:
    first = patch_package(base, [], [PLAN])
    assert patch_package(first, [], [PLAN]) == first
    smaller = NewSheet("出货计划", [["订单号"], ["PO-9"]])
    second = patch_package(first, [], [smaller])
    pkg = Package(second)
    assert [s.name for s in pkg.sheets()] == [ORDERS, "出货计划"]
    xml = pkg.read("xl/worksheets/sheet2.xml")
    assert b"PO-9" in xml and b"PO-1" not in xml and b"customPr" in xml
    assert members(second)["xl/workbook.xml"] == members(first)["xl/workbook.xml"]


def test_a_user_sheet_of_that_name_is_never_touched(tmp_path: Path) -> None:
    data = build_simple(tmp_path / "u.xlsx", [["mine"]], sheet="出货计划").read_bytes()
    with pytest.raises(WriteError, match="did not create"):
        patch_package(data, [], [PLAN])
    with pytest.raises(WriteError, match="did not create"):
        patch_package(data, [], [NewSheet("出货计划".upper(), [["x"]])])


def test_replace_false_refuses_even_our_sheet(base: bytes) -> None:
    first = patch_package(base, [], [PLAN])
    with pytest.raises(WriteError, match="replace=False"):
        patch_package(first, [], [NewSheet("出货计划", [["x"]], replace=False)])


@pytest.mark.parametrize("name", ["", "a" * 32, "bad/name", "x[1]", "'quoted'", "History"])
def test_invalid_sheet_names(base: bytes, name: str) -> None:
    with pytest.raises(WriteError, match="not allowed"):
        patch_package(base, [], [NewSheet(name, [["x"]])])


def test_new_sheet_and_cell_patch_together(tmp_path: Path, base: bytes) -> None:
    out = patch_package(base, [SheetPatch(ORDERS, [CellWrite(2, 2, "ok")])], [NewSheet("日志", [["时间", "事件"]])])
    path = tmp_path / "o.xlsx"
    path.write_bytes(out)
    assert calamine_rows(path, ORDERS)[1] == ["PO-1", "ok"]
    assert calamine_rows(path, "日志") == [["时间", "事件"]]
