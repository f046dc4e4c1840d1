"""Form-control buttons in a worksheet's legacy VML drawing, added without touching anything else.

A button is a ``<v:shape>`` with ``<x:ClientData ObjectType="Button">`` whose ``<x:FmlaMacro>``
names the VBA Sub it runs (``[0]!GendanCheck``: ``[0]`` is this workbook), written the way
XlsxWriter writes them. Buttons share the sheet's VML part with its notes (and any other
controls), so the drawing is edited as bytes exactly as :mod:`gendan_xl.ooxml.comments` does
for notes, and with its machinery: the ``o:idmap`` blocks that keep shape ids unique across
drawings, and a new drawing with its ``<legacyDrawing>`` element when the sheet has none. The
anchor (the cells the button spans) is computed from the sheet's own column widths and row
heights, so the button has the intended size wherever it sits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gendan_xl.ooxml.comments import (  # the notes' VML machinery, shared on purpose
    VML_CT,
    _blocks_in_package,
    _free_block,
    _legacy_drawing,
    _new_vml,
    _rel_ns,
    _Vml,
)
from gendan_xl.ooxml.edit import PackageEdit
from gendan_xl.ooxml.sheetxml import SheetXml
from gendan_xl.ooxml.xmlbytes import escape_text, parse_attrs, splice

__all__ = ["ButtonShape", "add_buttons", "row_height_px"]

_SHAPE_ID = re.compile(rb"_x0000_s(\d+)")
_DEFAULT_COL_PX, _DEFAULT_ROW_PX = 64, 20


@dataclass(frozen=True)
class ButtonShape:
    """A button: the Sub it runs, its caption, its top-left cell (1-based) plus offsets, its size, in pixels."""

    macro: str
    caption: str
    row: int
    col: int
    x_offset: int = 0
    y_offset: int = 0
    width: int = 120
    height: int = 24


class _Grid:
    """Column widths and row heights of a sheet in pixels (Excel's defaults where it records none)."""

    def __init__(self, sx: SheetXml) -> None:
        self.sx = sx
        fmt = sx.find_top(b"sheetFormatPr")
        attrs = parse_attrs(sx.data[fmt.start:fmt.tag_end]) if fmt is not None else {}
        self.default_row = round(float(attrs.get(b"defaultRowHeight", b"15")) * 4 / 3)
        width = attrs.get(b"defaultColWidth")
        self.default_col = _char_px(float(width)) if width else _DEFAULT_COL_PX

    def col(self, number: int) -> int:
        for _, attrs in self.sx.col_elements:
            if int(attrs.get(b"min", b"0")) <= number <= int(attrs.get(b"max", b"0")):
                if attrs.get(b"hidden") in (b"1", b"true"):
                    return 0
                return _char_px(float(attrs[b"width"])) if b"width" in attrs else self.default_col
        return self.default_col

    def row(self, number: int) -> int:
        span = self.sx.row(number)
        height = self.sx.row_attrs(span).get(b"ht") if span is not None else None
        return round(float(height) * 4 / 3) if height else self.default_row

    def locate(self, start: int, offset: int, axis: str) -> tuple[int, int]:
        """(0-based index, offset in px inside it) of the point ``offset`` px after the start of cell ``start``."""
        measure = self.col if axis == "col" else self.row
        index = start
        while offset >= (size := measure(index)) and index < start + 16_384:
            offset -= size  # a hidden column (0 px) is stepped over
            index += 1
        return index - 1, offset


def _char_px(width: float) -> int:
    """Pixels of a column ``width`` characters wide (Calibri 11: 7 px per character plus 5 px padding)."""
    return int(width * 7 + 5) if width > 0 else 0


def _anchor(grid: _Grid, button: ButtonShape) -> bytes:
    left_col, left_off = grid.locate(button.col, button.x_offset, "col")
    top_row, top_off = grid.locate(button.row, button.y_offset, "row")
    right_col, right_off = grid.locate(button.col, button.x_offset + button.width, "col")
    bottom_row, bottom_off = grid.locate(button.row, button.y_offset + button.height, "row")
    return f"{left_col}, {left_off}, {top_row}, {top_off}, {right_col}, {right_off}, {bottom_row}, {bottom_off}".encode()


def _points(grid: _Grid, start: int, offset: int, axis: str) -> float:
    measure = grid.col if axis == "col" else grid.row
    return (sum(measure(i) for i in range(1, start)) + offset) * 0.75


def _button_type(vml: _Vml) -> tuple[bytes, bytes]:
    """(shapetype id, XML to insert or b"") for the button shape type (o:spt 201)."""
    for m in re.finditer(rb"<" + re.escape(vml.v) + rb"shapetype\b[^>]*>", vml.data):
        attrs = parse_attrs(m.group(0))
        if attrs.get(vml.o + b"spt") == b"201" and attrs.get(b"id"):
            return attrs[b"id"], b""
    v, o = vml.v, vml.o
    xml = (b"<" + v + b'shapetype id="_x0000_t201" coordsize="21600,21600" ' + o + b'spt="201" '
           b'path="m,l,21600r21600,l21600,xe"><' + v + b'stroke joinstyle="miter"/><' + v + b'path shadowok="f" '
           + o + b'extrusionok="f" strokeok="f" fillok="f" ' + o + b'connecttype="rect"/><' + o
           + b'lock v:ext="edit" shapetype="t"/></' + v + b"shapetype>")
    return b"_x0000_t201", xml


def _shape(vml: _Vml, grid: _Grid, button: ButtonShape, shape_id: int, z: int, type_id: bytes) -> bytes:
    v, o, x = vml.v, vml.o, vml.x
    left = _points(grid, button.col, button.x_offset, "col")
    top = _points(grid, button.row, button.y_offset, "row")
    style = (f"position:absolute;margin-left:{left:g}pt;margin-top:{top:g}pt;width:{button.width * 0.75:g}pt;"
             f"height:{button.height * 0.75:g}pt;z-index:{z};mso-wrap-style:tight").encode()
    caption = escape_text(button.caption).encode()
    return (
        b"<" + v + b'shape id="_x0000_s' + str(shape_id).encode() + b'" type="#' + type_id + b'" style="' + style
        + b'" ' + o + b'button="t" fillcolor="buttonFace [67]" strokecolor="windowText [64]" ' + o
        + b'insetmode="auto"><' + v + b'fill color2="buttonFace [67]" ' + o + b'detectmouseclick="t"/><' + o
        + b'lock v:ext="edit" rotation="t"/><' + v + b'textbox style="mso-direction-alt:auto" ' + o
        + b'singleclick="f"><div style="text-align:center"><font face="Calibri" size="220" color="#000000">'
        + caption + b"</font></div></" + v + b"textbox><" + x + b'ClientData ObjectType="Button"><' + x + b"Anchor>"
        + _anchor(grid, button) + b"</" + x + b"Anchor><" + x + b"PrintObject>False</" + x + b"PrintObject><" + x
        + b"AutoFill>False</" + x + b"AutoFill><" + x + b"FmlaMacro>[0]!" + button.macro.encode() + b"</" + x
        + b"FmlaMacro><" + x + b"TextHAlign>Center</" + x + b"TextHAlign><" + x + b"TextVAlign>Center</" + x
        + b"TextVAlign></" + x + b"ClientData></" + v + b"shape>"
    )


def _append(vml: _Vml, grid: _Grid, buttons: Sequence[ButtonShape], used_elsewhere: set[int]) -> bytes:
    """The drawing with the buttons appended; ids above every id, in this drawing's id blocks."""
    type_id, type_xml = _button_type(vml)
    ids = [int(n) for n in _SHAPE_ID.findall(vml.data)]
    blocks = vml.blocks
    next_id = max(ids) + 1 if ids else blocks[0] * 1024 + 1 if blocks else 0
    z = vml.shape_count()
    new_blocks: list[int] = []
    xml = bytearray(type_xml)
    for button in buttons:
        if next_id // 1024 not in blocks + new_blocks or next_id % 1024 == 0:
            block = _free_block(used_elsewhere | set(blocks) | set(new_blocks))
            new_blocks.append(block)
            next_id = block * 1024 + 1
        z += 1
        xml += _shape(vml, grid, button, next_id, z, type_id)
        next_id += 1
    edits: list[tuple[int, int, bytes]] = []
    if new_blocks:
        m = re.search(rb"(<" + re.escape(vml.o) + rb"""idmap\b[^>]*?\sdata\s*=\s*["'])([^"']*)""", vml.data)
        joined = ",".join(str(b) for b in [*blocks, *new_blocks]).encode()
        if m:
            edits.append((m.start(2), m.end(2), joined))
        else:
            layout = (b"<" + vml.o + b"shapelayout " + vml.v + b'ext="edit"><' + vml.o + b"idmap " + vml.v
                      + b'ext="edit" data="' + joined + b'"/></' + vml.o + b"shapelayout>")
            edits.append((vml.root.tag_end, vml.root.tag_end, layout))
    edits.append((vml.root.close_start, vml.root.close_start, bytes(xml)))
    return splice(vml.data, edits)


def row_height_px(sheet_xml: bytes, sheet_part: str, row: int) -> int:
    """The height of ``row`` in pixels (the sheet's default height when the row sets none)."""
    return _Grid(SheetXml(sheet_xml, sheet_part)).row(row)


def add_buttons(edit: PackageEdit, sheet_part: str, sheet_xml: bytes, buttons: Sequence[ButtonShape]) -> bytes:
    """Add ``buttons`` to the sheet's VML drawing (created when missing); return the sheet's new XML.

    The sheet XML changes only when the sheet had no drawing (a ``<legacyDrawing>`` element is
    inserted where the worksheet schema puts it); every other part but the drawing, the sheet's
    ``.rels`` and, for a new drawing, ``[Content_Types].xml`` keeps its bytes.
    """
    if not buttons:
        return sheet_xml
    sx = SheetXml(sheet_xml, sheet_part)
    grid = _Grid(sx)
    vml_part, _, _, _ = _legacy_drawing(edit.pkg, sheet_part, sx)
    used_blocks = _blocks_in_package(edit, exclude=vml_part)
    if vml_part is not None:
        edit.put(vml_part, _append(_Vml(edit.read(vml_part), vml_part), grid, buttons, used_blocks))
        return sheet_xml
    vml = _Vml(_new_vml(_free_block(used_blocks)), "new.vml")
    vml_part = edit.unused_name("xl/drawings/vmlDrawing{n}.vml")
    edit.put(vml_part, _append(vml, grid, buttons, used_blocks))
    edit.ensure_default("vml", VML_CT)
    rid = edit.add_rel(sheet_part, "vmlDrawing", vml_part)
    rp = sx.rel_prefix
    declaration = b"" if rp else b' xmlns:r="' + _rel_ns(edit).encode() + b'"'
    element = (b"<" + sx.prefix_bytes + b"legacyDrawing" + declaration + b" " + (rp or b"r") + b':id="'
               + rid.encode() + b'"/>')
    at = sx.insert_offset_for(b"legacyDrawing")
    return splice(sheet_xml, [(at, at, element)])
