"""The surgical patcher: values, placement, styles, refusals, recalculation flag, queries."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from gendan_xl.errors import WriteError
from gendan_xl.ooxml.package import Package
from gendan_xl.ooxml.patch import (
    CellWrite,
    SheetPatch,
    apply_patches,
    cell_protection,
    has_table_header_at,
    is_formula_cell,
    patch_package,
    sheet_dimension,
)
from tests.featured import (
    ORDERS,
    build_simple,
    calamine_rows,
    members,
    raw_members,
    row_slices,
    sheet_cells,
)

SHEET = "xl/worksheets/sheet1.xml"


def simple(tmp_path: Path, rows: list[list[object]]) -> bytes:
    return build_simple(tmp_path / "in.xlsx", rows).read_bytes()


def write(data: bytes, *cells: CellWrite, sheet: str = ORDERS) -> bytes:
    return patch_package(data, [SheetPatch(sheet, cells)])


def read_back(tmp_path: Path, data: bytes, sheet: str = ORDERS) -> list[list[object]]:
    path = tmp_path / "out.xlsx"
    path.write_bytes(data)
    return calamine_rows(path, sheet)


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    """Rebuild a zip with one member's content replaced (test fixture surgery)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, content if info.filename == name else src.read(info.filename))
    return out.getvalue()


# -- values -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("纯文本 plain", "纯文本 plain"),
        ("=SUM(A1:A2)", "=SUM(A1:A2)"),
        ("+8613800000000", "+8613800000000"),
        ("-12", "-12"),
        ("@mention", "@mention"),
        ("  spaces kept  ", "  spaces kept  "),
        ("two\nlines", "two\nlines"),
        ("<&>\"'", "<&>\"'"),
        ("bell\x07tab\tok", "belltab\tok"),
        ("_x0041_ literal", "_x0041_ literal"),
        (7, 7.0),
        (-0.5, -0.5),
        (1e20, 1e20),
        (Decimal("1234.5678"), 1234.5678),
        (True, True),
        (False, False),
        (date(2026, 3, 15), date(2026, 3, 15)),
        (datetime(2026, 3, 15, 8, 30), datetime(2026, 3, 15, 8, 30)),
    ],
)
def test_every_value_type_round_trips(tmp_path: Path, value: object, expected: object) -> None:
    data = simple(tmp_path, [["h1", "h2"], ["a", "b"]])
    out = write(data, CellWrite(2, 3, value))  # type: ignore[arg-type]
    assert read_back(tmp_path, out)[1][2] == expected
    xml = members(out)[SHEET]
    if isinstance(value, str):
        assert b'<c r="C2" t="inlineStr"><is><t xml:space="preserve">' in xml
        assert b"<f>" not in xml, "text must never become a formula"
    assert members(out)["xl/sharedStrings.xml"] == members(data)["xl/sharedStrings.xml"]


def test_openpyxl_reads_inline_text_as_text(tmp_path: Path) -> None:
    data = simple(tmp_path, [["h"]])
    out = write(data, CellWrite(2, 1, "=1+1"), CellWrite(3, 1, "_x0041_"))
    path = tmp_path / "o.xlsx"
    path.write_bytes(out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = openpyxl.load_workbook(path)[ORDERS]
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"


def test_none_empties_a_cell_without_shifting_neighbours(tmp_path: Path) -> None:
    data = simple(tmp_path, [["a", "b", "c"]])
    out = write(data, CellWrite(1, 2, None), CellWrite(5, 5, None))
    assert read_back(tmp_path, out)[0] == ["a", "", "c"]
    xml = members(out)[SHEET]
    assert b'<c r="B1"/>' in xml
    assert b'r="5"' not in xml, "None on an absent cell writes nothing"


def test_dates_respect_date1904(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "d.xlsx"), {"date_1904": True})
    book.add_worksheet(ORDERS).write(0, 0, "x")
    book.close()
    data = (tmp_path / "d.xlsx").read_bytes()
    out = write(data, CellWrite(1, 2, date(2026, 1, 1)))
    assert b"<v>44561</v>" in members(out)[SHEET]  # 46023 (1900 system) - 1462 days between the epochs
    assert read_back(tmp_path, out)[0][1] == date(2026, 1, 1)


def test_dates_in_1900_use_excels_serials(tmp_path: Path) -> None:
    data = simple(tmp_path, [["x"]])
    out = write(data, CellWrite(1, 2, date(1900, 1, 1)), CellWrite(1, 3, date(1900, 3, 1)))
    xml = members(out)[SHEET]
    assert b'<c r="B1" s="1"><v>1</v>' in xml and b"<v>61</v>" in xml


@pytest.mark.parametrize("value", [float("nan"), float("inf"), date(1899, 12, 1), "x" * 32768, object()], ids=str)
def test_unwritable_values_are_refused_by_cell(tmp_path: Path, value: object) -> None:
    data = simple(tmp_path, [["x"]])
    with pytest.raises(WriteError, match=r"订单!B7"):
        write(data, CellWrite(7, 2, value))  # type: ignore[arg-type]


# -- placement ----------------------------------------------------------------------------------------


def test_rows_and_cells_are_inserted_in_order(tmp_path: Path) -> None:
    data = simple(tmp_path, [["a", None, "c"], [], ["x", None, None, None, "e"]])
    out = write(
        data, CellWrite(1, 2, "b"), CellWrite(1, 8, "h"), CellWrite(2, 1, 2), CellWrite(3, 4, "d"), CellWrite(9, 1, 9)
    )
    xml = members(out)[SHEET]
    rows = [int(r) for r in re.findall(rb'<row r="(\d+)"', xml)]
    assert rows == sorted(rows) == [1, 2, 3, 9]
    assert re.findall(rb'<c r="([A-Z]+)3"', xml) == [b"A", b"D", b"E"]
    assert re.findall(rb'<c r="([A-Z]+)1"', xml) == [b"A", b"B", b"C", b"H"]
    assert b'<dimension ref="A1:H9"/>' in xml
    # XlsxWriter writes spans per block of rows ("1:5"); they are widened only when needed.
    assert b'<row r="1" spans="1:8"' in xml and b'<row r="3" spans="1:5"' in xml
    assert read_back(tmp_path, out)[8][0] == 9.0


def test_untouched_rows_keep_their_bytes(tmp_path: Path) -> None:
    data = simple(tmp_path, [[f"r{r}c{c}" for c in range(5)] for r in range(50)])
    out = write(data, CellWrite(10, 6, "new"), CellWrite(60, 1, "tail"))
    old, new = row_slices(members(data)[SHEET]), row_slices(members(out)[SHEET])
    assert all(new[r] == old[r] for r in old if r != 10)
    assert new[10].startswith(old[10][: old[10].index(b">") - len(b' spans="1:5"')])


def _sheet_with(body: bytes, *, root: bytes | None = None) -> bytes:
    """A one-sheet package whose worksheet XML is replaced by ``body`` inside a worksheet root."""
    book = io.BytesIO()
    wb = xlsxwriter.Workbook(book)
    wb.add_worksheet(ORDERS).write(0, 0, "x")
    wb.close()
    root = root or b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    end = b"</" + root[1:].split(b" ")[0] + b">"
    return with_member(book.getvalue(), SHEET, b'<?xml version="1.0" encoding="UTF-8"?>\n' + root + body + end)


def test_rows_and_cells_without_r(tmp_path: Path) -> None:
    data = _sheet_with(
        b"<sheetData><row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>"
        b'<row r="5"><c r="B5"><v>5</v></c></row></sheetData>'
    )
    out = write(data, CellWrite(2, 3, "c2"), CellWrite(1, 2, 20), CellWrite(4, 1, "r4"))
    cells = sheet_cells(members(out)[SHEET])
    assert cells[(1, 1)][1] == cells[(1, 1)][1] and (1, 2) in cells and (2, 1) in cells
    rows = read_back(tmp_path, out)
    assert rows[0][:2] == [1.0, 20.0] and rows[1][:3] == [3.0, "", "c2"] and rows[3][0] == "r4"
    assert rows[4][1] == 5.0


def test_prefixed_namespace_and_pretty_printed_xml(tmp_path: Path) -> None:
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    data = _sheet_with(
        b'\n  <x:dimension ref="A1:A2"/>\n  <x:sheetData>\n    <x:row r="1">\n      <x:c r="A1" t="str">'
        b'<x:v>keep</x:v></x:c>\n    </x:row>\n    <x:row r="2">\n      <x:c r="A2"><x:v>2</x:v></x:c>\n'
        b"    </x:row>\n  </x:sheetData>\n",
        root=b'<x:worksheet xmlns:x="' + ns + b'">',
    )
    out = write(data, CellWrite(1, 2, "new"), CellWrite(3, 1, 3.5))
    xml = members(out)[SHEET]
    assert b'<x:c r="B1" t="inlineStr"><x:is><x:t xml:space="preserve">new</x:t></x:is></x:c>' in xml
    assert b'<x:row r="3"><x:c r="A3"><x:v>3.5</x:v></x:c></x:row>' in xml
    assert b'\n      <x:c r="A2"><x:v>2</x:v></x:c>\n' in xml
    assert b'<x:dimension ref="A1:B3"/>' in xml
    assert read_back(tmp_path, out)[:3] == [["keep", "new"], [2.0, ""], [3.5, ""]]


def test_self_closing_sheet_data_and_rows(tmp_path: Path) -> None:
    data = _sheet_with(b'<dimension ref="A1"/><sheetData/>')
    out = write(data, CellWrite(2, 2, "x"))
    assert b'<sheetData><row r="2"><c r="B2" t="inlineStr">' in members(out)[SHEET]
    assert b'<dimension ref="B2"/>' in members(out)[SHEET]
    data = _sheet_with(b'<sheetData><row r="1" spans="1:1"/><row r="2"><c r="A2"><v>1</v></c></row></sheetData>')
    out = write(data, CellWrite(1, 3, 7))
    assert b'<row r="1" spans="1:3"><c r="C1"><v>7</v></c></row>' in members(out)[SHEET]


def test_column_widths_only_where_no_col_covers(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(ORDERS)
    ws.set_column(0, 1, 20)
    ws.set_column(5, 5, 9)
    ws.write(0, 0, "x")
    book.close()
    out = patch_package(path.read_bytes(), [SheetPatch(ORDERS, [], column_widths={2: 30, 3: 12.5, 7: 11})])
    cols = re.search(rb"<cols>.*?</cols>", members(out)[SHEET])
    assert cols
    mins = [int(m) for m in re.findall(rb'min="(\d+)"', cols.group(0))]
    assert mins == [1, 3, 6, 7], "column B is covered by A:B, so its width is not touched"
    assert b'<col min="3" max="3" width="12.5" customWidth="1"/>' in cols.group(0)
    plain = simple(tmp_path, [["x"]])
    out = patch_package(plain, [SheetPatch(ORDERS, [], column_widths={1: 15})])
    assert b'<cols><col min="1" max="1" width="15" customWidth="1"/></cols><sheetData>' in members(out)[SHEET]


# -- styles ---------------------------------------------------------------------------------------------


def xf_count(data: bytes) -> int:
    m = re.search(rb'<cellXfs count="(\d+)"', members(data)["xl/styles.xml"])
    assert m
    return int(m.group(1))


def test_styles_unchanged_when_nothing_new_is_needed(tmp_path: Path) -> None:
    data = simple(tmp_path, [["a", 1]])
    out = write(data, CellWrite(1, 3, "plain"), CellWrite(2, 1, 5))
    assert raw_members(out)["xl/styles.xml"] == raw_members(data)["xl/styles.xml"]


def test_fill_is_appended_once_and_reused(tmp_path: Path) -> None:
    data = simple(tmp_path, [["a"]])
    out = write(data, *(CellWrite(r, 2, "late", fill="FFC7CE") for r in range(1, 6)))
    styles = members(out)["xl/styles.xml"]
    assert styles.count(b'rgb="FFFFC7CE"') == 1
    assert xf_count(out) == xf_count(data) + 1
    again = write(out, CellWrite(7, 2, "late", fill="#ffc7ce"))
    assert xf_count(again) == xf_count(out)


def test_none_fill_removes_our_fill_only(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(ORDERS)
    user = book.add_format({"pattern": 2, "fg_color": "#00B0F0"})  # a hatch: never ours
    col = book.add_format({"bg_color": "#FFC7CE"})  # exactly a palette colour, but the column's own style
    ws.set_column(3, 3, 10, col)
    ws.write(0, 0, "user hatch", user)
    ws.write(0, 1, "plain")
    book.close()
    data = path.read_bytes()
    painted = write(data, CellWrite(1, 2, "x", fill="FFC7CE"), CellWrite(1, 4, "y", fill="FFC7CE"))
    cleared = write(painted, CellWrite(1, 1, "z"), CellWrite(1, 2, "x"), CellWrite(1, 4, "y"))
    out = tmp_path / "o.xlsx"
    out.write_bytes(cleared)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = openpyxl.load_workbook(out)[ORDERS]
    assert sheet["A1"].fill.patternType == "mediumGray" and sheet["A1"].fill.fgColor.rgb == "FF00B0F0"
    assert sheet["B1"].fill.patternType is None
    assert sheet["D1"].fill.fgColor.rgb == "FFFFC7CE", "the column's own fill comes back, not 'no fill'"
    assert write(cleared, CellWrite(1, 1, "z"), CellWrite(1, 2, "x"), CellWrite(1, 4, "y")) == cleared


def test_style_like_and_number_format(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(ORDERS)
    ws.write(0, 0, "Header", book.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1}))
    book.close()
    out = write(
        path.read_bytes(),
        CellWrite(1, 2, "New header", style_like=(1, 1)),
        CellWrite(2, 2, 0.125, number_format="0.0%"),
        CellWrite(3, 2, date(2026, 1, 2), number_format="yyyy/mm/dd"),
    )
    target = tmp_path / "o.xlsx"
    target.write_bytes(out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = openpyxl.load_workbook(target)[ORDERS]
    assert sheet["B1"].font.b and sheet["B1"].border.left.style == "thin"
    assert sheet["B1"].fill.fgColor.rgb == "FFD9D9D9", "a user's header fill is not ours: kept"
    assert sheet["B2"].number_format == "0.0%"
    assert sheet["B3"].number_format == "yyyy/mm/dd"


def test_bad_fill_colour_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="RRGGBB"):
        write(simple(tmp_path, [["a"]]), CellWrite(1, 1, "x", fill="red"))


# -- refusals -------------------------------------------------------------------------------------------


def test_refusals_name_the_cell_and_change_nothing(featured_xlsx: Path) -> None:
    data = featured_xlsx.read_bytes()
    cases = {
        (3, 5): "formula",  # E3 =C3*D3
        (25, 3): "array",  # C25, inside the dynamic array C26:C28? no: C24 master … see below
        (3, 15): "merged",  # O3 inside N2:O3
        (24, 1): "picture",  # A24 in-cell image
    }
    for (row, col), _ in cases.items():
        if (row, col) == (25, 3):
            continue
        with pytest.raises(WriteError) as info:
            patch_package(data, [SheetPatch(ORDERS, [CellWrite(row, col, "x")])])
        assert f"订单!{'ABCDEFGHIJKLMNO'[col - 1]}{row}" in str(info.value)
        assert "原文件未改动" in str(info.value) and "not changed" in str(info.value)
    for ref in [(27, 3), (28, 3)]:  # members of the spilled dynamic array C26:C28 hold no <f>
        with pytest.raises(WriteError, match="array"):
            patch_package(data, [SheetPatch(ORDERS, [CellWrite(*ref, 1)])])
    with pytest.raises(WriteError, match="table"):
        patch_package(data, [SheetPatch("表格", [CellWrite(2, 3, "x")])])
    # The merged range's top-left and the table body stay writable.
    patch_package(data, [SheetPatch(ORDERS, [CellWrite(2, 14, "top-left")]), SheetPatch("表格", [CellWrite(3, 3, 9)])])
    assert featured_xlsx.read_bytes() == data


def test_shared_formula_members_are_refused(tmp_path: Path) -> None:
    data = _sheet_with(
        b'<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B3" si="0">A1*2</f>'
        b'<v>2</v></c></row><row r="2"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" si="0"/><v>4</v></c></row>'
        b"</sheetData>"
    )
    for row in (1, 2):
        with pytest.raises(WriteError, match=rf"订单!B{row}.*formula"):
            write(data, CellWrite(row, 2, 0))
    assert is_formula_cell(data, ORDERS, 2, 2) and not is_formula_cell(data, ORDERS, 2, 1)


def test_bad_addresses_and_duplicates(tmp_path: Path) -> None:
    data = simple(tmp_path, [["a"]])
    with pytest.raises(WriteError, match="outside"):
        write(data, CellWrite(1_048_577, 1, "x"))
    with pytest.raises(WriteError, match="twice"):
        write(data, CellWrite(1, 1, "x"), CellWrite(1, 1, "y"))
    with pytest.raises(WriteError, match="no sheet named"):
        write(data, CellWrite(1, 1, "x"), sheet="Nope")


def test_sheet_names_match_case_insensitively(tmp_path: Path) -> None:
    data = build_simple(tmp_path / "c.xlsx", [["a"]], sheet="Orders").read_bytes()
    out = write(data, CellWrite(1, 2, "b"), sheet="ORDERS")
    assert read_back(tmp_path, out, "Orders")[0] == ["a", "b"]


# -- recalculation ------------------------------------------------------------------------------------


def test_full_calc_only_when_values_change_and_formulas_exist(tmp_path: Path, featured_xlsx: Path) -> None:
    data = featured_xlsx.read_bytes()
    outcome = apply_patches(data, [SheetPatch("隐藏", [CellWrite(2, 1, "changed")])])
    assert outcome.full_recalc
    assert b'fullCalcOnLoad="1"' in members(outcome.data)["xl/workbook.xml"]
    same = apply_patches(data, [SheetPatch(ORDERS, [CellWrite(2, 3, 100)])])  # C2 already holds 100
    assert not same.full_recalc and same.data == data
    plain = simple(tmp_path, [["a", 1]])
    outcome = apply_patches(plain, [SheetPatch(ORDERS, [CellWrite(1, 2, 2)])])
    assert not outcome.full_recalc
    assert raw_members(outcome.data)["xl/workbook.xml"] == raw_members(plain)["xl/workbook.xml"]


def test_calc_pr_is_added_in_schema_order(tmp_path: Path) -> None:
    data = simple(tmp_path, [["a"]])
    wb = members(data)["xl/workbook.xml"]
    without = re.sub(rb"<calcPr[^>]*/>", b"", wb)
    data = with_member(data, "xl/workbook.xml", without)
    data = with_member(
        data, SHEET, members(data)[SHEET].replace(b'<c r="A1" t="s"><v>0</v></c>', b'<c r="A1"><f>1+1</f><v>2</v></c>')
    )
    out = apply_patches(data, [SheetPatch(ORDERS, [CellWrite(1, 2, 5)])])
    wb = members(out.data)["xl/workbook.xml"]
    assert re.search(rb'</sheets><calcPr fullCalcOnLoad="1"/></workbook>', wb)


# -- queries -----------------------------------------------------------------------------------------------


def test_queries(featured_xlsx: Path, tmp_path: Path) -> None:
    pkg = Package.open(featured_xlsx)
    assert sheet_dimension(pkg, ORDERS) == (28, 14), "O2:O3 only carry the merge's style"
    assert is_formula_cell(pkg, ORDERS, 2, 5) and is_formula_cell(pkg, ORDERS, 27, 3)
    assert not is_formula_cell(pkg, ORDERS, 2, 4)
    assert has_table_header_at(pkg, "表格", 2, 2) and not has_table_header_at(pkg, "表格", 3, 2)
    assert cell_protection(pkg, ORDERS, 2, 10) is None
    assert "merged" in (cell_protection(pkg, ORDERS, 2, 15) or "")
    styled = _sheet_with(
        b'<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="0"/></row>'
        b'<row r="900"><c r="C900" s="1"/></row></sheetData>'
    )
    assert sheet_dimension(styled, ORDERS) == (1, 1), "style-only cells do not count"
    assert sheet_dimension(simple(tmp_path, [[None]]), ORDERS) == (0, 0)


def test_same_input_gives_same_bytes(featured_xlsx: Path) -> None:
    data = featured_xlsx.read_bytes()
    patches = [SheetPatch(ORDERS, [CellWrite(2, 10, "a", fill="FFC7CE", note="n"), CellWrite(40, 2, 1)])]
    assert patch_package(data, patches) == patch_package(data, patches)


def test_chartsheets_are_not_written(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    book = xlsxwriter.Workbook(str(path))
    data_sheet = book.add_worksheet(ORDERS)
    data_sheet.write_column(0, 0, [1, 2, 3])
    chart = book.add_chart({"type": "line"})
    chart.add_series({"values": f"={ORDERS}!$A$1:$A$3"})
    book.add_chartsheet("图表").set_chart(chart)
    book.close()
    pkg = Package.open(path)
    assert [(s.name, s.kind) for s in pkg.sheets()] == [(ORDERS, "worksheet"), ("图表", "chartsheet")]
    with pytest.raises(WriteError, match="not a worksheet"):
        write(path.read_bytes(), CellWrite(1, 1, "x"), sheet="图表")
