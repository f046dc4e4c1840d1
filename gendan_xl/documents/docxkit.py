"""Small python-docx helpers for building the Word templates: fonts, tables, borders, fields, saving.

python-docx covers paragraphs and tables; what trade documents need beyond that — a Chinese
font on every run (Word takes CJK glyphs from ``w:eastAsia``, not from the font name), header
rows repeated on each page (``w:tblHeader``), fixed column widths so long text wraps instead of
widening the table, cell shading, page-number fields and a reproducible zip — is raw WordprocessingML
set here.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

__all__ = [
    "CJK_FONT",
    "LATIN_FONT",
    "Col",
    "Groups",
    "add_page_footer",
    "add_par",
    "borderless",
    "items_table",
    "keep_together",
    "new_document",
    "reproducible_bytes",
    "set_cell",
    "shade",
]

LATIN_FONT = "Arial"
CJK_FONT = "SimSun"  # 宋体: present on every Chinese Windows; LibreOffice substitutes Noto CJK
HEADER_FILL = "D9E2F3"
TOTAL_FILL = "F2F2F2"
GREY = RGBColor(0x59, 0x59, 0x59)
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
FIXED_TIME = datetime(2026, 1, 1, tzinfo=UTC)

Doc = Any  # python-docx ships no type information


def _fonts(rpr: Any, *, cjk: bool = False) -> None:
    """Explicit fonts for ``rpr``: theme fonts removed (they would win over named fonts)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    for attr, name in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:cs", LATIN_FONT), ("w:eastAsia", CJK_FONT)):
        fonts.set(qn(attr), name)
    if cjk:
        fonts.set(qn("w:hint"), "eastAsia")


def new_document(*, landscape: bool = False, size: float = 9) -> Doc:
    """An A4 document with our fonts in the defaults and the Normal style, tight paragraph spacing."""
    doc = Document()
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):  # python-docx's own preview picture, not ours
            del package.rels[rid]
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(size)
    _fonts(normal.element.get_or_add_rPr())
    for name in ("Table Grid",):
        _fonts(doc.styles[name].element.get_or_add_rPr())
    section = doc.sections[0]
    section.page_width, section.page_height = (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.top_margin = section.bottom_margin = Cm(1.4)
    section.left_margin = section.right_margin = Cm(1.6)
    section.header_distance = section.footer_distance = Cm(0.7)
    props = doc.core_properties
    props.author = props.last_modified_by = "gendan_xl"
    props.comments = "Template made by gendan_xl (build_templates.py); edit freely in Word, keep the tags in double braces."
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    return doc


def content_width(doc: Doc) -> float:
    """Usable width of the first section in cm."""
    section = doc.sections[0]
    return float((section.page_width - section.left_margin - section.right_margin) / 360000)


def add_run(paragraph: Any, text: str, *, bold: bool = False, size: float | None = None, italic: bool = False,
            grey: bool = False, underline: bool = False) -> Any:
    """A run with our fonts (and the East Asian hint when the text has Chinese)."""
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None
    if size:
        run.font.size = Pt(size)
    if grey:
        run.font.color.rgb = GREY
    _fonts(run._r.get_or_add_rPr(), cjk=bool(_CJK.search(text)))
    return run


_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
          "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def add_par(container: Any, text: str = "", *, bold: bool = False, size: float | None = None,
            align: str = "left", before: float = 0, after: float = 0, grey: bool = False,
            border_bottom: bool = False, keep_next: bool = False) -> Any:
    """A paragraph in ``container`` (document or cell); ``**x**`` in ``text`` marks bold parts."""
    paragraph = container.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if keep_next:
        fmt.keep_with_next = True
    for index, part in enumerate(re.split(r"\*\*", text)):
        if part:
            add_run(paragraph, part, bold=bold or index % 2 == 1, size=size, grey=grey)
    if border_bottom:
        _border(paragraph._p.get_or_add_pPr(), "w:pBdr", ("bottom",), size=12, space=2)
    return paragraph


def _border(parent: Any, tag: str, sides: Sequence[str], *, size: int = 4, space: int = 0, val: str = "single") -> None:
    box = parent.find(qn(tag))
    if box is None:
        box = OxmlElement(tag)
        parent.append(box)
    for side in sides:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), val)
        edge.set(qn("w:sz"), str(size))
        edge.set(qn("w:space"), str(space))
        edge.set(qn("w:color"), "auto")
        box.append(edge)


def shade(cell: Any, fill: str) -> None:
    """Background colour of a table cell."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def set_cell(cell: Any, text: str, *, bold: bool = False, align: str = "left", size: float | None = None,
             fill: str | None = None, grey: bool = False) -> None:
    """Replace a cell's content with ``text``; ``\\n`` starts a new paragraph inside the cell."""
    first = cell.paragraphs[0]
    for index, line in enumerate(text.split("\n")):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.alignment = _ALIGN[align]
        for part_index, part in enumerate(re.split(r"\*\*", line)):
            if part:
                add_run(paragraph, part, bold=bold or part_index % 2 == 1, size=size, grey=grey)
    if fill:
        shade(cell, fill)


def _fixed(table: Any, widths: Sequence[float]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    width = tbl_pr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(sum(widths) * 567)))
    for column, cm in zip(table.columns, widths, strict=True):
        column.width = Cm(cm)
    for row in table.rows:
        for cell, cm in zip(row.cells, widths, strict=True):
            cell.width = Cm(cm)


def borderless(table: Any) -> None:
    """Remove every border of a table (layout tables: party blocks, signatures)."""
    tbl_pr = table._tbl.tblPr
    _border(tbl_pr, "w:tblBorders", ("top", "left", "bottom", "right", "insideH", "insideV"), val="nil")


def grid(doc_or_cell: Any, rows: int, widths: Sequence[float], *, borders: bool = True) -> Any:
    """A fixed-width table of ``rows`` × len(widths) cells."""
    table = doc_or_cell.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    _fixed(table, widths)
    if not borders:
        borderless(table)
    return table


def keep_together(row: Any) -> None:
    """Never split a table row across two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def repeat_header(row: Any) -> None:
    """Mark a row as a header row, repeated at the top of each page, never split."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        tr_pr.append(element)


@dataclass(frozen=True, slots=True)
class Col:
    """One column of an items table: header text, width (cm), cell tag, alignment, totals-row and subtotal-row text."""

    header: str
    width: float
    cell: str
    align: str = "left"
    total: str = ""
    subtotal: str = ""


@dataclass(frozen=True, slots=True)
class Groups:
    """Rows of an items table in groups (a shipment's orders): the outer loop, its heading and subtotal label.

    The heading row and the subtotal row are only rendered when the group has them (a document of
    one order has one group with neither), so the same template serves an order and a shipment.
    """

    loop: str = "g in groups"
    heading: str = "{{ g.heading }}"
    when_heading: str = "g.heading"
    label: str = "Subtotal"
    when_subtotal: str = "g.subtotal"


def _tag_row(row: Any, tag: str, size: float) -> None:
    set_cell(row.cells[0], tag, size=size)


def _label_row(row: Any, columns: Sequence[Col], label_span: int, label: str, texts: Sequence[str], *, size: float,
               fill: str | None) -> None:
    """A totals or subtotal row: ``label`` over the first ``label_span`` cells, ``texts`` in the others."""
    cell = row.cells[0].merge(row.cells[label_span - 1]) if label_span > 1 else row.cells[0]
    set_cell(cell, label, bold=True, align="center", size=size, fill=fill)
    for target, column, text in list(zip(row.cells, columns, texts, strict=True))[label_span:]:
        set_cell(target, text, bold=True, align=column.align, size=size, fill=fill)
    keep_together(row)


def items_table(doc: Doc, columns: Sequence[Col], loop: str, *, total_label: str = "TOTAL", label_span: int = 0,
                size: float = 8, groups: Groups | None = None) -> Any:
    """The goods table: header row (repeated on every page), a ``{%tr for %}`` row pair, a totals row.

    ``loop`` is the Jinja loop head (``l in lines``); ``label_span`` merges that many first cells
    of the totals row for ``total_label`` (0: no totals row). With ``groups`` the rows loop inside
    an outer loop over the groups (``loop`` is then ``l in g.lines``), each group under a heading
    row across the table and over a subtotal row (the columns' ``subtotal`` texts).
    """
    widths = [c.width for c in columns]
    count = 4 + (1 if label_span else 0) + (8 if groups else 0)
    table = grid(doc, count, widths)
    rows = iter(table.rows)
    header = next(rows)
    for cell, column in zip(header.cells, columns, strict=True):
        set_cell(cell, column.header, bold=True, align="center", size=size, fill=HEADER_FILL)
    repeat_header(header)
    if groups:
        _tag_row(next(rows), f"{{%tr for {groups.loop} %}}", size)
        _tag_row(next(rows), f"{{%tr if {groups.when_heading} %}}", size)
        heading = next(rows)
        cell = heading.cells[0].merge(heading.cells[-1])
        set_cell(cell, groups.heading, bold=True, size=size, fill=TOTAL_FILL)
        for paragraph in cell.paragraphs:  # a heading never ends a page: it stays with its first line
            paragraph.paragraph_format.keep_with_next = True
        keep_together(heading)
        _tag_row(next(rows), "{%tr endif %}", size)
    _tag_row(next(rows), f"{{%tr for {loop} %}}", size)
    body = next(rows)
    for cell, column in zip(body.cells, columns, strict=True):
        set_cell(cell, column.cell, align=column.align, size=size)
    keep_together(body)  # a line is not torn across two pages
    _tag_row(next(rows), "{%tr endfor %}", size)
    if groups:
        _tag_row(next(rows), f"{{%tr if {groups.when_subtotal} %}}", size)
        _label_row(next(rows), columns, max(label_span, 1), groups.label, [c.subtotal for c in columns], size=size,
                   fill=None)
        _tag_row(next(rows), "{%tr endif %}", size)
        _tag_row(next(rows), "{%tr endfor %}", size)
    if label_span:
        _label_row(next(rows), columns, label_span, total_label, [c.total for c in columns], size=size, fill=TOTAL_FILL)
    return table


def _field(paragraph: Any, code: str, size: float) -> None:
    for kind, text in (("begin", None), ("instr", code), ("separate", None), ("text", "1"), ("end", None)):
        run = add_run(paragraph, "", size=size, grey=True)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        elif kind == "text":
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def add_page_footer(doc: Doc, left: str, *, chinese: bool = False, size: float = 7) -> None:
    """Footer: ``left`` text and ``Page x of y`` (``第 x 页 共 y 页`` with ``chinese``) on the right."""
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_run(paragraph, left + "    ", size=size, grey=True)
    add_run(paragraph, "第 " if chinese else "Page ", size=size, grey=True)
    _field(paragraph, "PAGE", size)
    add_run(paragraph, " 页 共 " if chinese else " of ", size=size, grey=True)
    _field(paragraph, "NUMPAGES", size)
    if chinese:
        add_run(paragraph, " 页", size=size, grey=True)


_FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def reproducible_bytes(doc: Doc) -> bytes:
    """The .docx bytes with fixed member timestamps, so the same build gives the same package."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
