"""Property: random writes on random sparse sheets land exactly where asked and nowhere else."""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from gendan_xl.ooxml.patch import CellWrite, SheetPatch, patch_package
from tests.featured import MAIN_NS, ORDERS, col_number, members, sheet_cells

SHEET = "xl/worksheets/sheet1.xml"
Cell = tuple[int, int]


@cache
def base_package() -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    book.add_worksheet(ORDERS).write(0, 0, "x")
    book.close()
    return buf.getvalue()


def package_with_sheet(xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base_package())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, xml if info.filename == SHEET else src.read(info.filename))
    return out.getvalue()


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.from_regex(r"\A_x[0-9A-F]{4}_[ a-z=]{0,3}\Z"),
)
positions = st.tuples(st.integers(1, 40), st.integers(1, 12))


@st.composite
def sparse_sheet(draw: st.DrawFn) -> tuple[bytes, dict[Cell, float]]:
    """Worksheet XML with random rows/cells; rows and cells sometimes omit ``r``."""
    cells = draw(st.dictionaries(positions, st.integers(0, 999), max_size=60))
    by_row: dict[int, list[tuple[int, int]]] = {}
    for (r, c), v in sorted(cells.items()):
        by_row.setdefault(r, []).append((c, v))
    parts = [b'<worksheet xmlns="' + MAIN_NS.encode() + b'"><dimension ref="A1"/><sheetData>']
    prev_row = 0
    for r, row in sorted(by_row.items()):
        implicit_row = r == prev_row + 1 and draw(st.booleans())
        parts.append(b"<row>" if implicit_row else b'<row r="%d">' % r)
        prev_col = 0
        for c, v in row:
            implicit = c == prev_col + 1 and draw(st.booleans())
            ref = b"" if implicit else b' r="%s%d"' % (_letters(c).encode(), r)
            parts.append(b"<c%s><v>%d</v></c>" % (ref, v))
            prev_col = c
        parts.append(b"</row>")
        prev_row = r
    parts.append(b"</sheetData></worksheet>")
    return b"".join(parts), {k: float(v) for k, v in cells.items()}


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_value(attrs: dict[str, str], content: bytes) -> object:
    """Decode a cell from sheet_cells() back to a Python value (independent of the patcher)."""
    if not content:
        return None
    el = etree.fromstring(b"<w>" + content + b"</w>")
    kind = attrs.get("t", "n")
    if kind == "inlineStr":
        text = "".join(t.text or "" for t in el.iter(f"{{{MAIN_NS}}}t"))
        return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)  # Excel's own escape
    v = el.find(f"{{{MAIN_NS}}}v")
    assert v is not None and v.text is not None
    return v.text == "1" if kind == "b" else float(v.text)


def clean(text: str) -> str:
    """The patcher strips characters XML 1.0 cannot carry."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ch not in "\ufffe\uffff"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sparse_sheet(), st.dictionaries(positions, values, max_size=25))
def test_random_writes_land_exactly(sheet: tuple[bytes, dict[Cell, float]], writes: dict[Cell, object]) -> None:
    xml, original = sheet
    data = package_with_sheet(xml)
    cells = [CellWrite(r, c, v) for (r, c), v in writes.items()]  # type: ignore[arg-type]
    out = patch_package(data, [SheetPatch(ORDERS, cells)])
    new_xml = members(out)[SHEET]
    result = sheet_cells(new_xml)
    for key, value in original.items():
        if key not in writes:
            assert cell_value(*result[key]) == value
    for key, wanted in writes.items():
        got = cell_value(*result[key]) if key in result else None
        if isinstance(wanted, str):
            assert got == clean(wanted)
        elif isinstance(wanted, bool) or wanted is None:
            assert got == wanted
        else:
            assert isinstance(wanted, int | float)
            assert got == float(wanted)
    extra = set(result) - set(original) - set(writes)
    assert not extra, f"cells appeared where nothing was written: {extra}"
    # Rows strictly ascending, cells strictly ascending within each row.
    root = etree.fromstring(new_xml)
    row_numbers = []
    last = 0
    for row in root.iter(f"{{{MAIN_NS}}}row"):
        last = int(row.get("r") or 0) or last + 1
        row_numbers.append(last)
        cols = []
        col = 0
        for c in row.findall(f"{{{MAIN_NS}}}c"):
            ref = c.get("r")
            col = col_number("".join(ch for ch in ref if ch.isalpha())) if ref else col + 1
            cols.append(col)
        assert cols == sorted(set(cols))
    assert row_numbers == sorted(set(row_numbers))
    assert patch_package(out, [SheetPatch(ORDERS, cells)]) == out, "the same writes again change nothing"
