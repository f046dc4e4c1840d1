"""Small byte-level XML helpers: attributes, escaping, cell references, children, splicing.

They work on the raw bytes of an OOXML part so that everything not edited keeps its exact bytes.
They assume well-formed input from a spreadsheet producer; they are not a general XML parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from gendan_xl.errors import CorruptWorkbookError, UnsafeWorkbookError

__all__ = [
    "Element",
    "attr_bytes",
    "cell_ref",
    "col_letters",
    "col_number",
    "escape_attr",
    "escape_text",
    "iter_children",
    "parse_attrs",
    "parse_range",
    "parse_ref",
    "root_info",
    "set_attrs",
    "splice",
    "tag_at",
]

_ATTR_RE = re.compile(rb"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
# One token of generic XML: comment, CDATA, PI/declaration, or a tag (quote-aware).
_TOKEN_RE = re.compile(
    rb"""<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[?!][^>]*>|<(/?)([^\s/>]+)((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>""",
    re.S,
)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


_COLS: dict[bytes, int] = {}


def col_number(letters: bytes) -> int:
    """Return the 1-based column of ``b"AB"`` (cached: sheets repeat the same few columns)."""
    found = _COLS.get(letters)
    if found is None:
        found = 0
        for ch in letters.upper():
            found = found * 26 + ch - 64
        _COLS[letters] = found
    return found


_LETTERS: dict[int, str] = {}


def col_letters(col: int) -> str:
    """Return the column letters of 1-based ``col`` (1 → A, 28 → AB)."""
    found = _LETTERS.get(col)
    if found is None:
        out, n = "", col
        while n:
            n, rem = divmod(n - 1, 26)
            out = chr(65 + rem) + out
        found = _LETTERS[col] = out
    return found


def cell_ref(row: int, col: int) -> str:
    """Return the A1 reference of a 1-based (row, col)."""
    return f"{col_letters(col)}{row}"


def parse_ref(ref: str) -> tuple[int, int]:
    """Return the 1-based (row, col) of an A1 reference such as ``K5`` or ``$K$5``."""
    m = _REF_RE.match(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """Return (row1, col1, row2, col2) of ``A1:C3`` or a single cell."""
    first, _, last = ref.partition(":")
    r1, c1 = parse_ref(first)
    r2, c2 = parse_ref(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def escape_text(text: str) -> str:
    """Escape text for an element body; strip XML-illegal characters; keep Excel's ``_xHHHH_`` literal."""
    text = _ILLEGAL_XML.sub("", text)
    text = _EXCEL_ESCAPE.sub(r"_x005F_\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def escape_attr(text: str) -> str:
    """Escape text for a double-quoted attribute value."""
    text = _ILLEGAL_XML.sub("", text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def parse_attrs(tag: bytes) -> dict[bytes, bytes]:
    """Return the attributes of a start tag (raw, still escaped values)."""
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR_RE.finditer(tag)}


def attr_bytes(attrs: dict[bytes, bytes]) -> bytes:
    """Serialise raw attributes in their order."""
    return b"".join(b" " + k + b'="' + v.replace(b'"', b"&quot;") + b'"' for k, v in attrs.items())


def set_attrs(tag: bytes, changes: dict[bytes, bytes | None]) -> bytes:
    """Return ``tag`` (a whole start/empty tag) with attributes replaced, added (at the end) or removed."""
    m = re.match(rb"<([^\s/>]+)", tag)
    if m is None:
        raise ValueError("not a tag")
    closing = b"/>" if tag.rstrip().endswith(b"/>") else b">"
    attrs = parse_attrs(tag[m.end() : len(tag) - len(closing)])
    for key, value in changes.items():
        if value is None:
            attrs.pop(key, None)
        else:
            attrs[key] = value
    return b"<" + m.group(1) + attr_bytes(attrs) + closing


def splice(data: bytes, edits: Sequence[tuple[int, int, bytes]]) -> bytes:
    """Apply non-overlapping (start, end, replacement) edits; equal-offset inserts keep their order."""
    if not edits:
        return data
    order = sorted(range(len(edits)), key=lambda i: (edits[i][0], edits[i][1], i))
    out: list[bytes] = []
    cursor = 0
    for i in order:
        start, end, repl = edits[i]
        if start < cursor:
            raise ValueError("overlapping edits")
        out.append(data[cursor:start])
        out.append(repl)
        cursor = end
    out.append(data[cursor:])
    return b"".join(out)


@dataclass(frozen=True, slots=True)
class Element:
    """One element found by :func:`iter_children` (byte offsets into the document)."""

    name: bytes  # qualified name as written, e.g. b"x:cols"
    start: int
    tag_end: int  # after the start tag
    close_start: int  # start of the end tag (== end for an empty element)
    end: int

    @property
    def local(self) -> bytes:
        """The name without its prefix."""
        return self.name.rsplit(b":", 1)[-1]

    @property
    def empty(self) -> bool:
        """True for ``<x/>``."""
        return self.close_start == self.end


def iter_children(data: bytes, start: int, end: int) -> Iterator[Element]:
    """Yield the direct child elements between ``start`` and ``end`` (inside a parent)."""
    depth = 0
    open_stack: list[tuple[bytes, int, int]] = []
    for m in _TOKEN_RE.finditer(data, start, end):
        name = m.group(2)
        if name is None:
            continue  # comment, PI, CDATA
        if m.group(1):  # end tag
            depth -= 1
            if depth == 0:
                qname, s, te = open_stack.pop()
                yield Element(qname, s, te, m.start(), m.end())
            elif open_stack and depth < 0:
                break
            continue
        if m.group(4):  # empty element
            if depth == 0:
                yield Element(name, m.start(), m.end(), m.end(), m.end())
            continue
        if depth == 0:
            open_stack.append((name, m.start(), m.end()))
        depth += 1


def tag_at(data: bytes, pos: int) -> tuple[int, bool, dict[bytes, bytes]]:
    """Return (end offset, is-empty, attributes) of the tag starting at ``pos`` (quote-aware)."""
    m = _TOKEN_RE.match(data, pos)
    if m is None or m.group(2) is None:
        raise ValueError("no tag at offset")
    return m.end(), bool(m.group(4)), parse_attrs(m.group(3))


def root_info(data: bytes, part: str) -> tuple[Element, dict[bytes, bytes]]:
    """Return the root element span and its namespace declarations (prefix → URI, b"" = default)."""
    for m in _TOKEN_RE.finditer(data):
        if m.group(2) is None:
            if m.group(0).startswith(b"<!DOCTYPE"):
                raise UnsafeWorkbookError(
                    f"工作簿部件 {part} 含有 DTD，拒绝处理。",
                    f"The part {part} contains a DTD; refusing it.",
                    path=None,
                )
            continue
        attrs = parse_attrs(m.group(3))
        ns = {k[6:]: v for k, v in attrs.items() if k.startswith(b"xmlns:")}
        if b"xmlns" in attrs:
            ns[b""] = attrs[b"xmlns"]
        if m.group(4):
            return Element(m.group(2), m.start(), m.end(), m.end(), m.end()), ns
        close = data.rfind(b"</")
        return Element(m.group(2), m.start(), m.end(), close, len(data)), ns
    raise CorruptWorkbookError(f"工作簿部件 {part} 为空。", f"The workbook part {part} is empty.", path=None)
