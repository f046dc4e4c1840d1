"""Workbooks and broken files for tests, built with XlsxWriter and zipfile in ``tmp_path``.

Tests describe a workbook as ``{sheet name: rows}`` where each row is a list of cell values
starting in column A; ``None`` leaves a cell empty. A :class:`Formula` writes a formula with
its cached value, a ``date``/``datetime`` an Excel date. Merged ranges are given per sheet.
The ``make_xlsx`` fixture (tests/conftest.py) wraps :func:`write_xlsx`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from gendan_xl.workbook.template import Formula

Rows = Sequence[Sequence[Any]]
MakeXlsx = Callable[..., Path]

ORDERS_HEADER = ["订单号\nOrder No.", "客户\nCustomer"]
LINES_HEADER = ["订单号\nOrder No.", "货号\nItem No.", "数量\nQuantity", "单价\nUnit Price"]


def write_xlsx(
    path: Path,
    sheets: Mapping[str, Rows],
    *,
    merges: Mapping[str, Sequence[tuple[str, Any]]] | None = None,
) -> Path:
    """Write ``sheets`` (name → rows from A1) to ``path``; ``merges`` maps a sheet to (range, value) pairs."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _write(sheet, r, c, value, date_format)
        for cell_range, value in (merges or {}).get(name, ()):
            sheet.merge_range(cell_range, "")
            first = cell_range.split(":")[0]
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(first, value)
            else:
                sheet.write_string(first, str(value))
    book.close()
    return path


def _write(sheet: Any, r: int, c: int, value: Any, date_format: Any) -> None:
    if value is None:
        return
    if isinstance(value, Formula):
        sheet.write_formula(r, c, value.text, None, value.cached)
    elif isinstance(value, datetime):
        sheet.write_datetime(r, c, value, date_format)
    elif isinstance(value, date):
        sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), date_format)
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, int | float):
        sheet.write_number(r, c, value)
    else:
        sheet.write_string(r, c, str(value))


def minimal_sheets(**overrides: Rows) -> dict[str, Rows]:
    """A smallest readable workbook: one order with one line; override or add sheets by name."""
    sheets: dict[str, Rows] = {
        "订单": [ORDERS_HEADER, ["GD-001", "HANSA"]],
        "订单明细": [LINES_HEADER, ["GD-001", "KT-1001", 100, 1.15]],
    }
    sheets.update(overrides)
    return sheets


# --- files that are not usable workbooks --------------------------------------------------------

def rewrite_members(source: Path, target: Path, changes: Mapping[str, bytes | None]) -> Path:
    """Copy the zip ``source`` to ``target`` with some members replaced (bytes) or removed (None)."""
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in changes:
                data = changes[info.filename]
                if data is not None:
                    new.writestr(info.filename, data)
            else:
                new.writestr(info, old.read(info.filename))
    return target


def minimal_docx(path: Path) -> Path:
    """A tiny but well-formed Word document (what a .docx renamed to .xlsx looks like inside)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        archive.writestr("word/document.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Sales contract</w:t></w:r></w:p></w:body>'
            '</w:document>'))
    return path


def encrypted_xlsx(source: Path, target: Path, password: str = "secret") -> Path:
    """``source`` protected with a password to open, as Excel does it (ECMA-376 agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with source.open("rb") as plain, target.open("wb") as out:
        OOXMLFile(plain).encrypt(password, out)
    return target


def old_xls(path: Path) -> Path:
    """An OLE compound file with a ``Workbook`` stream: what an Excel 97-2003 .xls is."""
    from gendan_xl.excel.cfb import build_compound_file

    bof = bytes.fromhex("0908100000060500") + bytes(12)  # a BIFF8 BOF record: version 0x0600, workbook globals
    path.write_bytes(build_compound_file({"Workbook": bof + bytes(4096)}))
    return path


BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE worksheet [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol4;</t></is></c></row></sheetData></worksheet>'
)


def zip_bomb(source: Path, target: Path, inflated_mib: int = 40) -> Path:
    """``source`` with its first sheet padded by ``inflated_mib`` MiB of ``<`` that compress ~1000×.

    Written in 1 MiB chunks, so the test never holds the inflated text in memory.
    """
    import zipfile

    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != sheet:
                new.writestr(info, old.read(info.filename))
                continue
            member = zipfile.ZipInfo(sheet, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            with new.open(member, "w") as stream:
                stream.write(old.read(sheet))
                chunk = b"<" * (1 << 20)
                for _ in range(inflated_mib):
                    stream.write(chunk)
    return target
