"""The first rows of a sheet read by streaming its XML give what python-calamine gives for them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from gendan_xl.ooxml.headrows import read_head_rows
from gendan_xl.ooxml.safety import inspect_workbook
from gendan_xl.workbook.layouts import HEAD_ROWS, scan_book
from gendan_xl.workbook.sources import FileSource, HeadSource
from tests.trackers import TRACKERS


def _build(path: Path, *, date1904: bool = False) -> Path:
    book = xlsxwriter.Workbook(str(path), {"date_1904": date1904, "strings_to_numbers": False})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    custom = book.add_format({"num_format": "d-mmm-yy"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    money = book.add_format({"num_format": "#,##0.00"})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("数据")
    sheet.merge_range("C3:H3", "标题 Title", bold)
    sheet.write_row("C5", ["订单号", "日期", "金额", "是否", "备注", "时间"], bold)
    for r in range(6, 300):
        sheet.write_string(r, 2, f"GD-{r:04d}")
        sheet.write_datetime(r, 3, datetime(2026, 1, 1 + r % 28), day if r % 2 else custom)
        sheet.write_number(r, 4, r * 1.25, money)
        sheet.write_boolean(r, 5, r % 3 == 0)
        sheet.write_rich_string(r, 6, "富", bold, "文本", " text") if r % 7 == 0 else sheet.write_string(r, 6, "同一句")
        sheet.write_datetime(r, 7, datetime(2026, 2, 3, 9, 30), stamp)
    sheet.write_formula("E300", "=1/0", None, "#DIV/0!")
    sheet.merge_range("G10:G12", "合并")
    sheet.merge_range("C2000:D2001", "far below")
    other = book.add_worksheet("Empty")
    other.hide()
    book.add_chartsheet("Chart")
    book.close()
    return path


def _trim(rows: list[list[Any]]) -> list[tuple[Any, ...]]:
    out = [tuple(r) for r in rows]
    while out and all(v in ("", None) for v in out[-1]):
        out.pop()
    return out


def _same_heads(path: Path) -> None:
    full = {s.name: s for s in scan_book(FileSource(path))}
    quick = {s.name: s for s in scan_book(HeadSource(path, HEAD_ROWS))}
    assert list(full) == list(quick)
    for name, scan in full.items():
        assert scan.col_offset == quick[name].col_offset, name
        assert _trim(scan.head) == _trim(quick[name].head), name
        assert sorted(m for m in scan.merged if m[0][0] < HEAD_ROWS) == sorted(quick[name].merged), name


@pytest.mark.parametrize("date1904", [False, True])
def test_types_dates_strings_merges_like_calamine(tmp_path: Path, date1904: bool) -> None:
    path = _build(tmp_path / "kinds.xlsx", date1904=date1904)
    _same_heads(path)
    info = inspect_workbook(path)
    [head] = read_head_rows(path, {"数据": info.sheet_parts["数据"]}, rows=12, date1904=date1904,
                            styles=info.styles_part, shared_strings=info.shared_strings_part).values()
    assert head.start == (2, 2) and len(head.rows) == 12
    assert head.rows[6][:6] == ["GD-0006", date(2026, 1, 7), 7.5, True, "同一句", datetime(2026, 2, 3, 9, 30)]
    assert head.rows[7][1] == date(2026, 1, 8)  # a custom date format is a date too
    assert ((9, 6), (11, 6)) in head.merged_cell_ranges and all(m[0][0] < 12 for m in head.merged_cell_ranges)


@pytest.mark.parametrize("tracker", TRACKERS, ids=lambda t: t.name)
def test_trackers_look_the_same_either_way(tracker: Any, tmp_path: Path) -> None:
    _same_heads(tracker.write(tmp_path))
