"""Cell notes (legacy comments): add, replace or remove gendan's notes; never touch anyone else's.

A note lives in two parts: the text in ``xl/commentsN.xml`` (ECMA-376 18.7) and its box, a
``<v:shape>`` with ``<x:ClientData ObjectType="Note">``, in the sheet's legacy VML drawing (the
part referenced by ``<legacyDrawing r:id>``). That VML part may also hold form-control buttons
and the user's notes, so it is edited as bytes: our shapes are appended or cut out and every
other byte stays.

A note is **ours** when its author is ``note_author`` or its text starts with ``note_author + ":"``
(a note the Excel buttons wrote through xlwings carries Excel's user name as its author, so its
text says whose it is — see ``NOTE_PREFIX`` in :mod:`gendan_xl.workbook.writeback`). Where the
user already has a note on a cell we want to annotate, ours is skipped and reported. Shape ids are
allocated above every id in the drawing, inside an ``o:idmap`` block (1024 ids each) that no other
drawing uses.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from gendan_xl.ooxml.edit import PackageEdit
from gendan_xl.ooxml.package import REL_NS_STRICT, REL_NS_TRANSITIONAL, Package
from gendan_xl.ooxml.sheetxml import SheetXml
from gendan_xl.ooxml.xmlbytes import cell_ref, parse_attrs, parse_ref, root_info, splice, tag_at

__all__ = ["COMMENTS_CT", "VML_CT", "NotesResult", "apply_notes"]

COMMENTS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_CT = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_VML_NS = b"urn:schemas-microsoft-com:vml"
_O_NS = b"urn:schemas-microsoft-com:office:office"
_X_NS = b"urn:schemas-microsoft-com:office:excel"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SHAPE_ID = re.compile(rb"_x0000_s(\d+)")
Cell = tuple[int, int]


@dataclass
class NotesResult:
    """What :func:`apply_notes` did to one sheet."""

    sheet_edits: list[tuple[int, int, bytes]] = field(default_factory=list)
    skipped: list[Cell] = field(default_factory=list)
    changed: bool = False


def _comment_text(comment: etree._Element, ns: str) -> str:
    return "".join(t.text or "" for t in comment.iter(f"{{{ns}}}t"))


def _set_text(comment: etree._Element, ns: str, text: str) -> None:
    for old in comment.findall(f"{{{ns}}}text"):
        comment.remove(old)
    body = etree.SubElement(comment, f"{{{ns}}}text")
    t = etree.SubElement(body, f"{{{ns}}}t")
    t.set(_XML_SPACE, "preserve")
    t.text = _clean(text)


def _clean(text: str) -> str:
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", text)


def _new_comments(ns: str) -> etree._Element:
    root = etree.Element(f"{{{ns}}}comments", nsmap={None: ns})
    etree.SubElement(root, f"{{{ns}}}authors")
    etree.SubElement(root, f"{{{ns}}}commentList")
    return root


def apply_notes(
    edit: PackageEdit, sheet_part: str, sx: SheetXml, notes: Mapping[Cell, str | None], author: str
) -> NotesResult:
    """Apply note changes for one sheet; return sheet-XML edits (``<legacyDrawing>``) and skips."""
    result = NotesResult()
    if not notes:
        return result
    pkg = edit.pkg
    rels = pkg.sheet_rels(sheet_part)
    comments_part = rels.comments
    comments_rel = next((r.id for r in rels.relationships if r.kind == "comments"), None)
    main_ns = sx.ns[sx.prefix_bytes.rstrip(b":")].decode()
    root = pkg.xml(comments_part) if comments_part else _new_comments(main_ns)
    ns = etree.QName(root).namespace or main_ns
    authors = root.find(f"{{{ns}}}authors")
    if authors is None:
        authors = etree.Element(f"{{{ns}}}authors")
        root.insert(0, authors)
    clist = root.find(f"{{{ns}}}commentList")
    if clist is None:
        clist = etree.SubElement(root, f"{{{ns}}}commentList")
    names = [a.text or "" for a in authors.findall(f"{{{ns}}}author")]
    existing: dict[Cell, etree._Element] = {}
    for c in clist.findall(f"{{{ns}}}comment"):
        try:
            existing[parse_ref(c.get("ref", "").split(":")[0])] = c
        except ValueError:
            continue
    added: list[Cell] = []
    removed: list[Cell] = []
    order = _CommentOrder(clist, ns)
    for cell in sorted(notes):
        text = notes[cell]
        current = existing.get(cell)
        if current is not None:
            aid = int(current.get("authorId", "-1"))
            by_author = 0 <= aid < len(names) and names[aid] == author
            if not (by_author or _comment_text(current, ns).startswith(f"{author}:")):
                if text is not None:
                    result.skipped.append(cell)
                continue
            if text is None:
                order.remove(current)
                removed.append(cell)
            elif _comment_text(current, ns) != _clean(text):
                _set_text(current, ns, text)
                result.changed = True
            continue
        if text is None:
            continue
        if author not in names:
            etree.SubElement(authors, f"{{{ns}}}author").text = author
            names.append(author)
        comment = etree.Element(f"{{{ns}}}comment", ref=cell_ref(*cell), authorId=str(names.index(author)))
        _set_text(comment, ns, text)
        order.insert(comment, cell)
        added.append(cell)
    if not (added or removed or result.changed):
        return result
    result.changed = True
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if comments_part is None:
        comments_part = edit.unused_name("xl/comments{n}.xml")
        edit.put(comments_part, xml)
        edit.add_rel(sheet_part, "comments", comments_part)
        edit.set_override(comments_part, COMMENTS_CT)
    elif len(clist.findall(f"{{{ns}}}comment")) == 0:
        edit.delete(comments_part)
        if comments_rel:
            edit.remove_rel(sheet_part, comments_rel)
        edit.remove_override(comments_part)
    else:
        edit.put(comments_part, xml)
    _apply_vml(edit, sheet_part, sx, added, removed, result)
    return result


class _CommentOrder:
    """Inserts comments before the first one with a later cell, as Excel orders them.

    Excel writes the comment list sorted by cell; then a binary search finds each place (a sheet
    may get thousands of notes in one run). A list in another order falls back to a scan.
    """

    def __init__(self, clist: etree._Element, ns: str) -> None:
        self.clist = clist
        self.elements = clist.findall(f"{{{ns}}}comment")
        self.keys = [_sort_key(c) for c in self.elements]
        self.sorted = all(a <= b for a, b in zip(self.keys, self.keys[1:], strict=False))

    def insert(self, comment: etree._Element, cell: Cell) -> None:
        if self.sorted:
            position = bisect_right(self.keys, cell)
        else:
            position = next((i for i, key in enumerate(self.keys) if key > cell), len(self.keys))
        if position == len(self.elements):
            self.clist.append(comment)
        else:
            self.elements[position].addprevious(comment)
        self.elements.insert(position, comment)
        self.keys.insert(position, cell)

    def remove(self, comment: etree._Element) -> None:
        position = self.elements.index(comment)
        del self.elements[position], self.keys[position]
        self.clist.remove(comment)


def _sort_key(comment: etree._Element) -> Cell:
    try:
        return parse_ref(comment.get("ref", "").split(":")[0])
    except ValueError:
        return (0, 0)


def _legacy_drawing(pkg: Package, sheet_part: str, sx: SheetXml) -> tuple[str | None, str | None, int, int]:
    """Return (vml part, rel id, element start, element end) of the sheet's ``<legacyDrawing>``."""
    el = sx.find_top(b"legacyDrawing")
    if el is None:
        return None, None, 0, 0
    attrs = parse_attrs(sx.data[el.start + len(el.name) + 1 : el.tag_end])
    rid = next((v.decode() for k, v in attrs.items() if k.endswith(b":id")), None)
    rel = pkg.sheet_rels(sheet_part).by_id(rid) if rid else None
    part = rel.part if rel and rel.part and pkg.has(rel.part) else None
    return part, rid, el.start, el.end


def _apply_vml(
    edit: PackageEdit, sheet_part: str, sx: SheetXml, added: list[Cell], removed: list[Cell], result: NotesResult
) -> None:
    vml_part, rid, el_start, el_end = _legacy_drawing(edit.pkg, sheet_part, sx)
    used_blocks = _blocks_in_package(edit, exclude=vml_part)
    if vml_part is None:
        if not added:
            return
        block = _free_block(used_blocks)
        vml = _Vml(_new_vml(block), "new.vml")
        vml.add_notes(added, used_blocks)
        vml_part = edit.unused_name("xl/drawings/vmlDrawing{n}.vml")
        edit.put(vml_part, vml.data)
        edit.ensure_default("vml", VML_CT)
        new_rid = edit.add_rel(sheet_part, "vmlDrawing", vml_part)
        rp = sx.rel_prefix
        decl = b"" if rp else b' xmlns:r="' + _rel_ns(edit).encode() + b'"'
        element = b"<" + sx.prefix_bytes + b"legacyDrawing" + decl + b" " + (rp or b"r") + b':id="'
        element += new_rid.encode() + b'"/>'
        at = sx.insert_offset_for(b"legacyDrawing")
        result.sheet_edits.append((at, at, element))
        return
    vml = _Vml(edit.read(vml_part), vml_part)
    vml.remove_notes(removed)
    vml.add_notes(added, used_blocks)
    if vml.shape_count() == 0:
        edit.delete(vml_part)
        if rid:
            edit.remove_rel(sheet_part, rid)
        result.sheet_edits.append((el_start, el_end, b""))
    else:
        edit.put(vml_part, vml.data)


def _rel_ns(edit: PackageEdit) -> str:
    return REL_NS_STRICT if edit.pkg.strict else REL_NS_TRANSITIONAL


def _blocks_in_package(edit: PackageEdit, exclude: str | None) -> set[int]:
    used: set[int] = set()
    for name in edit.all_names():
        if name.lower().endswith(".vml") and name != exclude:
            try:
                used |= set(_Vml(edit.read(name), name).blocks)
            except (ValueError, KeyError):
                continue
    return used


def _free_block(used: set[int]) -> int:
    n = 1
    while n in used:
        n += 1
    return n


def _new_vml(block: int) -> bytes:
    return (
        b'<xml xmlns:v="urn:schemas-microsoft-com:vml"\n xmlns:o="urn:schemas-microsoft-com:office:office"\n'
        b' xmlns:x="urn:schemas-microsoft-com:office:excel">\n <o:shapelayout v:ext="edit">\n'
        b'  <o:idmap v:ext="edit" data="' + str(block).encode() + b'"/>\n </o:shapelayout>'
        b"</xml>"
    )


class _Vml:
    """A legacy VML drawing edited as bytes (it is often not well-formed enough for a parser)."""

    def __init__(self, data: bytes, part: str) -> None:
        self.data = data
        self.part = part
        root, ns = root_info(data, part)
        self.root = root
        by_uri = {uri: p for p, uri in ns.items()}
        self.v = (by_uri.get(_VML_NS) or b"v") + b":"
        self.o = (by_uri.get(_O_NS) or b"o") + b":"
        self.x = (by_uri.get(_X_NS) or b"x") + b":"

    @property
    def blocks(self) -> list[int]:
        """The ``o:idmap data`` blocks this drawing owns."""
        m = re.search(rb"<" + re.escape(self.o) + rb"""idmap\b[^>]*?\sdata\s*=\s*["']([^"']*)["']""", self.data)
        if not m:
            return []
        return [int(n) for n in re.findall(rb"\d+", m.group(1))]

    def _shapes(self) -> list[tuple[int, int, bytes]]:
        """(start, end, bytes) of every ``<v:shape>`` element."""
        out: list[tuple[int, int, bytes]] = []
        open_pat = b"<" + self.v + b"shape"
        close_pat = b"</" + self.v + b"shape>"
        pos = self.data.find(open_pat)
        while pos >= 0:
            nxt = self.data[pos + len(open_pat) : pos + len(open_pat) + 1]
            if nxt in (b" ", b"\t", b"\r", b"\n", b">", b"/"):
                tag_end, empty, _ = tag_at(self.data, pos)
                end = tag_end if empty else self.data.index(close_pat, tag_end) + len(close_pat)
                out.append((pos, end, self.data[pos:end]))
                pos = self.data.find(open_pat, end)
            else:
                pos = self.data.find(open_pat, pos + 1)
        return out

    def shape_count(self) -> int:
        """Number of shapes left in the drawing."""
        return len(self._shapes())

    def _note_cell(self, shape: bytes) -> Cell | None:
        if not re.search(rb"""ObjectType\s*=\s*["']Note["']""", shape):
            return None
        x = re.escape(self.x)
        row = re.search(rb"<" + x + rb"Row>\s*(\d+)\s*</" + x + rb"Row>", shape)
        col = re.search(rb"<" + x + rb"Column>\s*(\d+)\s*</" + x + rb"Column>", shape)
        if not row or not col:
            return None
        return int(row.group(1)) + 1, int(col.group(1)) + 1

    def remove_notes(self, cells: list[Cell]) -> None:
        """Cut out the note shapes anchored at ``cells``."""
        wanted = set(cells)
        edits = [(s, e, b"") for s, e, raw in self._shapes() if self._note_cell(raw) in wanted]
        self.data = splice(self.data, edits)

    def _note_type(self) -> tuple[bytes, bytes]:
        """Return (shapetype id, XML to insert or b"") for the note shape type (o:spt 202)."""
        pat = re.compile(rb"<" + re.escape(self.v) + rb"shapetype\b[^>]*>")
        for m in pat.finditer(self.data):
            attrs = parse_attrs(m.group(0))
            if attrs.get(self.o + b"spt") == b"202" and attrs.get(b"id"):
                return attrs[b"id"], b""
        v, o = self.v, self.o
        xml = (
            b"<" + v + b'shapetype id="_x0000_t202" coordsize="21600,21600" ' + o + b'spt="202"\n'
            b'  path="m,l,21600r21600,l21600,xe">\n  <'
            + v
            + b'stroke joinstyle="miter"/>\n  <'
            + v
            + b'path gradientshapeok="t" '
            + o
            + b'connecttype="rect"/>\n </'
            + v
            + b"shapetype>"
        )
        return b"_x0000_t202", xml

    def add_notes(self, cells: list[Cell], used_elsewhere: set[int]) -> None:
        """Append a hidden note shape for each cell, with ids that collide with nothing."""
        if not cells:
            return
        type_id, type_xml = self._note_type()
        ids = [int(n) for n in _SHAPE_ID.findall(self.data)]
        blocks = self.blocks
        next_id = max(ids) + 1 if ids else blocks[0] * 1024 + 1 if blocks else 0
        z = len(self._shapes())
        xml = bytearray()
        new_blocks: list[int] = []
        for row, col in cells:
            if next_id // 1024 not in blocks + new_blocks or next_id % 1024 == 0:
                block = _free_block(used_elsewhere | set(blocks) | set(new_blocks))
                new_blocks.append(block)
                next_id = block * 1024 + 1
            z += 1
            xml += self._note_shape(next_id, z, row, col, type_id)
            next_id += 1
        edits: list[tuple[int, int, bytes]] = []
        if new_blocks:
            m = re.search(rb"(<" + re.escape(self.o) + rb"""idmap\b[^>]*?\sdata\s*=\s*["'])([^"']*)""", self.data)
            if m:
                joined = ",".join(str(b) for b in [*blocks, *new_blocks]).encode()
                edits.append((m.start(2), m.end(2), joined))
            else:
                layout = (
                    b"<"
                    + self.o
                    + b"shapelayout "
                    + self.v
                    + b'ext="edit"><'
                    + self.o
                    + b"idmap "
                    + self.v
                    + b'ext="edit" data="'
                    + ",".join(str(b) for b in new_blocks).encode()
                    + b'"/></'
                    + self.o
                    + b"shapelayout>"
                )
                edits.append((self.root.tag_end, self.root.tag_end, layout))
        close = self.root.close_start
        edits.append((close, close, type_xml + bytes(xml)))
        self.data = splice(self.data, edits)

    def _note_shape(self, shape_id: int, z: int, row: int, col: int, type_id: bytes) -> bytes:
        v, o, x = self.v, self.o, self.x
        r0, c0 = row - 1, col - 1
        top = max(r0 - 1, 0)
        anchor = f"{c0 + 1}, 15, {top}, 10, {c0 + 3}, 15, {top + 4}, 4".encode()
        return (
            b"<" + v + b'shape id="_x0000_s' + str(shape_id).encode() + b'" type="#' + type_id + b'"\n'
            b"  style='position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:108pt;height:59.25pt;z-index:"
            + str(z).encode()
            + b';\n  visibility:hidden\' fillcolor="#ffffe1" '
            + o
            + b'insetmode="auto">\n  <'
            + v
            + b'fill color2="#ffffe1"/>\n  <'
            + v
            + b'shadow on="t" color="black" obscured="t"/>\n  <'
            + v
            + b"path "
            + o
            + b'connecttype="none"/>\n  <'
            + v
            + b"textbox style='mso-direction-alt:auto'>\n"
            b"   <div style='text-align:left'></div>\n  </"
            + v
            + b"textbox>\n  <"
            + x
            + b'ClientData ObjectType="Note">\n   <'
            + x
            + b"MoveWithCells/>\n   <"
            + x
            + b"SizeWithCells/>\n   <"
            + x
            + b"Anchor>\n    "
            + anchor
            + b"</"
            + x
            + b"Anchor>\n   <"
            + x
            + b"AutoFill>False</"
            + x
            + b"AutoFill>\n   <"
            + x
            + b"Row>"
            + str(r0).encode()
            + b"</"
            + x
            + b"Row>\n   <"
            + x
            + b"Column>"
            + str(c0).encode()
            + b"</"
            + x
            + b"Column>\n  </"
            + x
            + b"ClientData>\n </"
            + v
            + b"shape>"
        )
