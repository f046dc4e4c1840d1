"""XlsxWriter builders for the write-back tests: an orders workbook carrying every Excel feature.

Nothing here reads /work/shared: the only binary input is ``tests/data/vbaProject.bin`` (see the
README there), needed because XlsxWriter cannot compile VBA itself.
"""

from __future__ import annotations

import io
import os
import re
import signal
import struct
import subprocess
import zipfile
import zlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import python_calamine
import xlsxwriter
from lxml import etree

VBA_BIN = Path(__file__).resolve().parent / "data" / "vbaProject.bin"
ORDERS = "订单"
TABLE_SHEET = "表格"
SUMMARY = "汇总"
HIDDEN = "隐藏"
VERY_HIDDEN = "深藏"
N_ORDERS = 20  # data rows 2..21
STATUS_COL = 10  # J: first status column written by the tests (after the checkbox column H)
HEADER = ["订单号\nOrder No.", "客户", "数量", "单价", "金额", "交期", "备注", "已确认"]
CUSTOMERS = ["ACME Ltd", "Müller GmbH", "東京商事", "ACME Ltd"]


def tiny_png(rgb: tuple[int, int, int] = (200, 30, 30), size: int = 4) -> bytes:
    """A valid ``size``×``size`` single-colour PNG, made without Pillow."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def build_featured(path: Path, *, macro: bool = False) -> Path:
    """Write the feature workbook (``.xlsm`` with a VBA project and a macro button when ``macro``)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_urls": False})
    if macro:
        book.add_vba_project(str(VBA_BIN))
    bold = book.add_format({"bold": True, "bg_color": "#D9E1F2", "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    red = book.add_format({"font_color": "#9C0006"})
    italic = book.add_format({"italic": True})

    orders = book.add_worksheet(ORDERS)
    orders.write_row(0, 0, HEADER, bold)
    orders.set_column(0, 0, 14)
    orders.set_column(3, 4, 11, money)
    for i in range(N_ORDERS):
        r = i + 1
        orders.write_string(r, 0, f"PO-2026-{r:03d}")
        orders.write_string(r, 1, CUSTOMERS[i % len(CUSTOMERS)])
        orders.write_number(r, 2, 100 * r)
        orders.write_number(r, 3, 1.25 + i)
        orders.write_formula(r, 4, f"=C{r + 1}*D{r + 1}", money, 100 * r * (1.25 + i))
        orders.write_datetime(r, 5, datetime(2026, 1, 1 + i), day)
    orders.write_rich_string(2, 6, "加急 ", red, "urgent", " by air")
    orders.write_url(3, 6, "https://example.com/po/3", string="PO link")
    orders.write_comment(4, 1, "客户要求改色 / colour change", {"author": "Alice"})
    orders.write_comment(5, 2, "qty confirmed", {"author": "Bob"})
    for r in range(1, N_ORDERS + 1):
        orders.insert_checkbox(r, 7, r % 2 == 0)
    orders.freeze_panes(1, 1)
    orders.autofilter(0, 0, N_ORDERS, 7)
    orders.data_validation(1, 1, N_ORDERS, 1, {"validate": "list", "source": ["ACME Ltd", "Müller GmbH", "東京商事"]})
    orders.data_validation(1, 2, N_ORDERS, 2, {"validate": "integer", "criteria": ">", "value": 0})
    orders.conditional_format(1, 2, N_ORDERS, 2, {"type": "cell", "criteria": ">", "value": 1000, "format": italic})
    orders.conditional_format(1, 4, N_ORDERS, 4, {"type": "data_bar", "data_bar_2010": True, "bar_solid": True})
    orders.merge_range(1, 13, 2, 14, "合并备注 merged", bold)
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": f"='{ORDERS}'!$E$2:$E${N_ORDERS + 1}", "name": "金额"})
    orders.insert_chart(1, 16, chart)
    orders.insert_image(18, 16, "dot.png", {"image_data": io.BytesIO(tiny_png())})
    orders.insert_textbox(30, 16, "文本框 textbox", {"width": 200, "height": 60})
    orders.insert_button(36, 16, {"macro": "say_hello" if macro else "", "caption": "运行 Run"})
    orders.embed_image(N_ORDERS + 3, 0, "cell.png", {"image_data": io.BytesIO(tiny_png((30, 30, 200)))})
    orders.write_array_formula(N_ORDERS + 3, 2, N_ORDERS + 3, 2, f"{{=SUM(C2:C{N_ORDERS + 1}*D2:D{N_ORDERS + 1})}}")
    orders.write_dynamic_array_formula(N_ORDERS + 5, 2, N_ORDERS + 7, 2, "=SORT(C2:C4)", None, 100)

    table = book.add_worksheet(TABLE_SHEET)
    table.add_table(
        1,
        1,
        6,
        4,
        {
            "name": "出货表",
            "columns": [
                {"header": "货号"},
                {"header": "箱数"},
                {"header": "每箱"},
                {"header": "合计", "formula": "=[@箱数]*[@每箱]"},
            ],
            "data": [[f"SKU{i}", i, 12] for i in range(1, 6)],
        },
    )

    summary = book.add_worksheet(SUMMARY)
    summary.write_string(0, 0, "总金额")
    total = sum(100 * r * (1.25 + r - 1) for r in range(1, N_ORDERS + 1))
    summary.write_formula(0, 1, f"=SUM('{ORDERS}'!E2:E{N_ORDERS + 1})", money, total)
    summary.write_datetime(1, 1, date(2026, 2, 1), day)
    book.define_name("单价区", f"='{ORDERS}'!$D$2:$D${N_ORDERS + 1}")
    book.define_name(f"'{SUMMARY}'!本地名", f"='{SUMMARY}'!$B$1")

    hidden = book.add_worksheet(HIDDEN)
    hidden.write_string(0, 0, "hidden data")
    hidden.hide()
    very = book.add_worksheet(VERY_HIDDEN)
    very.write_string(0, 0, "very hidden data")
    very.very_hidden()
    orders.activate()
    book.set_properties({"title": "跟单总表", "author": "tests"})
    book.close()
    return path


def build_simple(path: Path, rows: list[list[object]], *, sheet: str = ORDERS) -> Path:
    """A one-sheet workbook with ``rows`` from A1 (None leaves a cell empty)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    book.close()
    return path


# ---------------------------------------------------------------------------------------------
# Independent checkers (standard library + lxml, not the code under test)
# ---------------------------------------------------------------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def raw_members(data: bytes) -> dict[str, tuple[bytes, tuple[object, ...]]]:
    """Each member's raw compressed bytes and zip metadata, read with :mod:`zipfile`."""
    out: dict[str, tuple[bytes, tuple[object, ...]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            nlen, xlen = struct.unpack_from("<HH", data, info.header_offset + 26)
            start = info.header_offset + 30 + nlen + xlen
            meta = (
                info.date_time,
                info.external_attr,
                info.compress_type,
                info.CRC,
                info.flag_bits,
                info.comment,
                info.create_system,
                info.extra,
            )
            out[info.filename] = (data[start : start + info.compress_size], meta)
    return out


def members(data: bytes) -> dict[str, bytes]:
    """Every member, decompressed, in zip order."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return {n: z.read(n) for n in z.namelist()}


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def sheet_cells(xml: bytes) -> dict[tuple[int, int], tuple[dict[str, str], bytes]]:
    """Parse a worksheet fully with lxml: (row, col) → (attributes without r, canonical content)."""
    root = etree.fromstring(xml)
    out: dict[tuple[int, int], tuple[dict[str, str], bytes]] = {}
    row_no = 0
    for row in root.iter(f"{{{MAIN_NS}}}row"):
        row_no = int(row.get("r") or 0) or row_no + 1
        col = 0
        for c in row.findall(f"{{{MAIN_NS}}}c"):
            ref = c.get("r")
            if ref:
                m = re.match(r"([A-Z]+)(\d+)$", ref)
                assert m and int(m.group(2)) == row_no
                col = col_number(m.group(1))
            else:
                col += 1
            attrs = {k: v for k, v in c.attrib.items() if k != "r"}
            content = b"".join(etree.tostring(child, method="c14n") for child in c)
            out[(row_no, col)] = (attrs, content)
    return out


def row_slices(xml: bytes) -> dict[int, bytes]:
    """Byte slice of every ``<row r=…>`` element (rows carry r in every fixture that uses this)."""
    out = {}
    for m in re.finditer(rb'<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)', xml, re.S):
        out[int(m.group(1))] = m.group(0)
    return out


def outside_sheet_data(xml: bytes) -> bytes:
    """The worksheet XML without its sheetData (prefix + suffix)."""
    return re.sub(rb"<sheetData>.*</sheetData>|<sheetData/>", b"", xml, flags=re.S)


def calamine_rows(path: Path, sheet: str) -> list[list[Any]]:
    """The sheet as python-calamine reads it (cached values for formulas)."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def soffice_csv(soffice: str, path: Path, outdir: Path) -> dict[str, str]:
    """Convert every sheet to CSV with LibreOffice headless; return {file name: text}."""
    profile = outdir / "lo-profile"
    cmd = [
        soffice,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        "--outdir",
        str(outdir),
        str(path),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # soffice.bin outlives its wrapper script otherwise
        proc.communicate()
        raise AssertionError(f"LibreOffice timed out converting {path.name}") from None
    assert proc.returncode == 0, err.decode(errors="replace")
    found = {p.name: p.read_text(encoding="utf-8") for p in outdir.glob("*.csv")}
    assert found, f"LibreOffice produced no CSV: {err.decode(errors='replace')}"
    return found
