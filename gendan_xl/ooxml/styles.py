"""Find-or-append cell formats in ``xl/styles.xml`` without renumbering anything.

Existing ``<xf>``, ``<fill>``, ``<font>`` and ``<numFmt>`` elements keep their bytes and indices;
new ones are appended at the end of their collection and the ``count`` attributes updated. An
identical element is reused before a new one is appended, so writing the same report twice
gives the same bytes, and ``styles.xml`` stays byte-identical when nothing new is needed.

Fill ownership rule
-------------------
Excel renumbers and compacts styles when it saves, so a record of "xf indices we created" would
not survive; ownership is decided by *content* instead. A fill is **ours** when it is a solid
pattern fill whose foreground is an opaque RGB colour from :data:`GENDAN_PALETTE` or from a
colour passed as ``CellWrite.fill`` in the same run, with no background other than Excel's
default (``indexed="64"``) and nothing else inside. Then, for a written cell:

* ``fill="RRGGBB"`` → the base style with our solid fill.
* ``fill=None`` → if the cell's own style has a fill of ours, it is replaced by the *reference* fill:
  the fill of the row style (``customFormat``) or else of the ``<col style>`` — gendan never edits
  those, so their fill is the user's even in a palette colour — else no fill (``fillId 0``). Any
  other fill on the cell (a user's hatch, theme colour, a colour outside the palette) is kept.

  With ``style_like`` the copied style keeps its fill: the caller asked for that look.

So a status cell we painted red last run loses the red when it becomes OK, while a column the
user shaded keeps its shade. Known limit: a user who painted a gendan-owned status cell with
exactly a palette colour (e.g. Excel's "Bad" style, ``FFC7CE``) will see that fill cleared.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from lxml import etree

from gendan_xl.errors import CorruptWorkbookError
from gendan_xl.ooxml.package import MAIN_NAMESPACES, MAIN_NS_STRICT, MAIN_NS_TRANSITIONAL, parse_xml
from gendan_xl.ooxml.xmlbytes import (
    Element,
    attr_bytes,
    escape_attr,
    iter_children,
    parse_attrs,
    root_info,
    set_attrs,
    splice,
)

__all__ = ["BUILTIN_NUMFMTS", "GENDAN_PALETTE", "Styles", "normalize_rgb"]

#: Status colours gendan_xl paints: Excel's Bad / Neutral / Good fills. Kept short on purpose: a
#: common header shade (grey, light blue) in here would make users' fills look like ours.
GENDAN_PALETTE = frozenset({"FFC7CE", "FFEB9C", "C6EFCE"})

#: Built-in number formats (locale-independent ones only) by format code.
BUILTIN_NUMFMTS = {
    "General": 0,
    "0": 1,
    "0.00": 2,
    "#,##0": 3,
    "#,##0.00": 4,
    "0%": 9,
    "0.00%": 10,
    "0.00E+00": 11,
    "@": 49,
}

_ORDER = [
    b"numFmts",
    b"fonts",
    b"fills",
    b"borders",
    b"cellStyleXfs",
    b"cellXfs",
    b"cellStyles",
    b"dxfs",
    b"tableStyles",
    b"colors",
    b"extLst",
]
_CHILD = {
    b"numFmts": b"numFmt",
    b"fonts": b"font",
    b"fills": b"fill",
    b"borders": b"border",
    b"cellStyleXfs": b"xf",
    b"cellXfs": b"xf",
}
_DEFAULT_CHILDREN = {
    b"fonts": [b'<{p}font><{p}sz val="11"/><{p}name val="Calibri"/><{p}family val="2"/></{p}font>'],
    b"fills": [
        b'<{p}fill><{p}patternFill patternType="none"/></{p}fill>',
        b'<{p}fill><{p}patternFill patternType="gray125"/></{p}fill>',
    ],
    b"borders": [b"<{p}border><{p}left/><{p}right/><{p}top/><{p}bottom/><{p}diagonal/></{p}border>"],
    b"cellStyleXfs": [b'<{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'],
    b"cellXfs": [b'<{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'],
}


def normalize_rgb(color: str) -> str:
    """Return ``RRGGBB`` upper-case from ``RRGGBB``/``#RRGGBB``/``AARRGGBB`` (ValueError otherwise)."""
    c = color.strip().lstrip("#").upper()
    if len(c) == 8 and c.startswith("FF"):
        c = c[2:]
    if len(c) != 6 or any(ch not in "0123456789ABCDEF" for ch in c):
        raise ValueError(f"not an RRGGBB colour: {color!r}")
    return c


def new_stylesheet(*, strict: bool) -> bytes:
    """Return a minimal styles part, for the rare package that has none."""
    ns = MAIN_NS_STRICT if strict else MAIN_NS_TRANSITIONAL
    body = b"".join(
        b"<"
        + name
        + b' count="'
        + str(len(kids)).encode()
        + b'">'
        + b"".join(k.replace(b"{p}", b"") for k in kids)
        + b"</"
        + name
        + b">"
        for name, kids in _DEFAULT_CHILDREN.items()
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="'
        + ns.encode()
        + b'">'
        + body
        + b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )


@dataclass
class _Section:
    element: Element | None
    children: list[bytes]  # raw child elements of the kind we index
    added: list[bytes]


class Styles:
    """The cell formats of one workbook; appends what is missing, renders only if changed."""

    def __init__(self, data: bytes, part: str) -> None:
        parse_xml(data, part)  # well-formed and DTD-free, or a clear error
        self.data = data
        self.part = part
        self.root, ns = root_info(data, part)
        prefixes = [p for p, uri in ns.items() if uri.decode() in MAIN_NAMESPACES]
        if not prefixes or self.root.local != b"styleSheet":
            raise CorruptWorkbookError(
                f"样式部件 {part} 无法识别。", f"The styles part {part} is not a SpreadsheetML stylesheet.", path=None
            )
        root_prefix = self.root.name[: -len(b"styleSheet")].rstrip(b":")
        self.prefix = root_prefix if root_prefix in prefixes else prefixes[0]
        self.p = self.prefix + b":" if self.prefix else b""
        self._nsdecls = b"".join((b' xmlns="' if not k else b" xmlns:" + k + b'="') + v + b'"' for k, v in ns.items())
        self._sections: dict[bytes, _Section] = {}
        top = [] if self.root.empty else list(iter_children(data, self.root.tag_end, self.root.close_start))
        for el in top:
            if el.local in _CHILD and el.name == self.p + el.local:
                kids = (
                    []
                    if el.empty
                    else [
                        data[c.start : c.end]
                        for c in iter_children(data, el.tag_end, el.close_start)
                        if c.local == _CHILD[el.local]
                    ]
                )
                self._sections[el.local] = _Section(el, kids, [])
        self._top = top
        self._xf_index: dict[tuple[tuple[tuple[bytes, bytes], ...], bytes], int] | None = None
        # Memos: a big patch asks the same questions thousands of times.
        self._rgb_memo: dict[bytes, str | None] = {}
        self._xf_memo: dict[tuple[int, int | None, int | None, int | None], int] = {}
        self._parts_memo: dict[int, tuple[dict[bytes, bytes], bytes]] = {}
        self._named: dict[tuple[str, str], int] = {}

    # -- reading -------------------------------------------------------------------------------
    def _section(self, name: bytes) -> _Section:
        sec = self._sections.get(name)
        if sec is None:
            sec = self._sections[name] = _Section(None, [], [])
        return sec

    def _all(self, name: bytes) -> list[bytes]:
        sec = self._section(name)
        return sec.children + sec.added

    @property
    def xf_count(self) -> int:
        """Number of cellXfs (existing + appended)."""
        return len(self._all(b"cellXfs"))

    def _xf_parts(self, index: int) -> tuple[dict[bytes, bytes], bytes]:
        """(attributes, inner bytes) of cellXfs[index]; callers get a copy of the attributes."""
        if index not in self._parts_memo:
            self._parts_memo[index] = self._parse_xf(index)
        attrs, inner = self._parts_memo[index]
        return dict(attrs), inner

    def _parse_xf(self, index: int) -> tuple[dict[bytes, bytes], bytes]:
        raw = self._all(b"cellXfs")[index]
        tag_end = raw.index(b">") + 1
        empty = raw[tag_end - 2 : tag_end] == b"/>"
        attrs = parse_attrs(raw[len(self.p) + 3 : tag_end - (2 if empty else 1)])
        inner = b"" if empty else raw[tag_end : raw.rindex(b"</")]
        return attrs, inner

    def xf_attr(self, index: int, name: str) -> int:
        """Return an integer attribute of cellXfs[index] (0 when absent or out of range)."""
        if not 0 <= index < self.xf_count:
            return 0
        if index not in self._parts_memo:
            self._parts_memo[index] = self._parse_xf(index)
        value = self._parts_memo[index][0].get(name.encode(), b"0")
        return int(value) if value.isdigit() else 0

    def valid_xf(self, index: int | None) -> int | None:
        """Return ``index`` if it names an existing cellXf, else None."""
        return index if index is not None and 0 <= index < self.xf_count else None

    def _fragment(self, raw: bytes) -> etree._Element:
        return parse_xml(b"<w" + self._nsdecls + b">" + raw + b"</w>", self.part)[0]

    def fill_is_ours(self, fill_id: int, palette: AbstractSet[str]) -> bool:
        """Tell whether fills[fill_id] is a gendan status fill; ``palette`` holds normalised RRGGBB."""
        fills = self._all(b"fills")
        if fill_id <= 1 or fill_id >= len(fills):
            return False
        return self._solid_rgb(fills[fill_id]) in palette

    def _solid_rgb(self, raw: bytes) -> str | None:
        if raw not in self._rgb_memo:
            self._rgb_memo[raw] = self._parse_solid_rgb(raw)
        return self._rgb_memo[raw]

    def _parse_solid_rgb(self, raw: bytes) -> str | None:
        fill = self._fragment(raw)
        kids = [k for k in fill if isinstance(k.tag, str)]
        if len(kids) != 1 or etree.QName(kids[0]).localname != "patternFill":
            return None
        pattern = kids[0]
        if pattern.get("patternType") != "solid":
            return None
        fg: str | None = None
        for kid in pattern:
            if not isinstance(kid.tag, str):
                continue
            local = etree.QName(kid).localname
            if local == "fgColor" and set(kid.attrib) == {"rgb"}:
                fg = kid.get("rgb", "").upper()
            elif local == "bgColor" and dict(kid.attrib) == {"indexed": "64"}:
                continue
            else:
                return None
        if fg is None or len(fg) != 8 or not fg.startswith("FF"):
            return None
        return fg[2:]

    # -- find or append ------------------------------------------------------------------------
    def _ensure_base(self) -> None:
        """Give a bare stylesheet the default font/fill/border/xf every cell format refers to."""
        for name, kids in _DEFAULT_CHILDREN.items():
            sec = self._section(name)
            have = len(sec.children) + len(sec.added)
            for raw in kids[have:]:
                sec.added.append(raw.replace(b"{p}", self.p))

    def fill(self, rgb: str) -> int:
        """Return the index of our solid fill of colour ``rgb``, appending it if needed."""
        self._ensure_base()
        if ("fill", rgb) in self._named:
            return self._named[("fill", rgb)]
        color = normalize_rgb(rgb)
        if ("fill", color) in self._named:
            return self._named[("fill", color)]
        self._named[("fill", color)] = self._named[("fill", rgb)] = self._find_or_add_fill(color)
        return self._named[("fill", color)]

    def _find_or_add_fill(self, color: str) -> int:
        for i, raw in enumerate(self._all(b"fills")):
            if i > 1 and self._solid_rgb(raw) == color:
                return i
        p = self.p
        self._section(b"fills").added.append(
            b"<"
            + p
            + b"fill><"
            + p
            + b'patternFill patternType="solid"><'
            + p
            + b'fgColor rgb="FF'
            + color.encode()
            + b'"/><'
            + p
            + b'bgColor indexed="64"/></'
            + p
            + b"patternFill></"
            + p
            + b"fill>"
        )
        return len(self._all(b"fills")) - 1

    def numfmt(self, code: str) -> int:
        """Return the numFmtId for format ``code``, appending a custom ``<numFmt>`` if needed."""
        if code in BUILTIN_NUMFMTS:
            return BUILTIN_NUMFMTS[code]
        if ("numfmt", code) not in self._named:
            self._named[("numfmt", code)] = self._find_or_add_numfmt(code)
        return self._named[("numfmt", code)]

    def _find_or_add_numfmt(self, code: str) -> int:
        ids = [163]
        for raw in self._all(b"numFmts"):
            el = self._fragment(raw)
            num = int(el.get("numFmtId", "0") or 0)
            ids.append(num)
            if el.get("formatCode") == code:
                return num
        new_id = max(ids) + 1
        self._section(b"numFmts").added.append(
            b"<"
            + self.p
            + b'numFmt numFmtId="'
            + str(new_id).encode()
            + b'" formatCode="'
            + escape_attr(code).encode()
            + b'"/>'
        )
        return new_id

    def bold_font(self, font_id: int) -> int:
        """Return the index of font ``font_id`` made bold (itself if it is bold already)."""
        self._ensure_base()
        fonts = self._all(b"fonts")
        raw = fonts[font_id] if 0 <= font_id < len(fonts) else fonts[0]
        el = self._fragment(raw)
        bold = next((k for k in el if isinstance(k.tag, str) and etree.QName(k).localname == "b"), None)
        if bold is not None and bold.get("val", "1").lower() in {"1", "true"}:
            return font_id
        p = self.p
        if raw.rstrip().endswith(b"/>") and raw.count(b"<") == 1:
            new = b"<" + p + b"font><" + p + b"b/></" + p + b"font>"
        else:
            tag_end = raw.index(b">") + 1
            body = raw[tag_end : raw.rindex(b"</")]
            if bold is not None:  # <b val="0"/>: drop it, then add a plain <b/>
                body = splice(body, [_find_child(body, p + b"b")])
            new = raw[:tag_end] + b"<" + p + b"b/>" + body + raw[raw.rindex(b"</") :]
        for i, existing in enumerate(fonts):
            if existing == new:
                return i
        self._section(b"fonts").added.append(new)
        return len(fonts)

    def xf(
        self, base: int, *, fill_id: int | None = None, numfmt_id: int | None = None, font_id: int | None = None
    ) -> int:
        """Return the index of cellXfs[base] with the given ids replaced, reusing an identical xf."""
        memo_key = (base, fill_id, numfmt_id, font_id)
        if memo_key not in self._xf_memo:
            self._xf_memo[memo_key] = self._derive_xf(base, fill_id, numfmt_id, font_id)
        return self._xf_memo[memo_key]

    def _derive_xf(self, base: int, fill_id: int | None, numfmt_id: int | None, font_id: int | None) -> int:
        if self.xf_count == 0:
            self._ensure_base()
        base = base if 0 <= base < self.xf_count else 0
        attrs, inner = self._xf_parts(base)
        changes: dict[bytes, bytes] = {}
        for id_attr, flag, wanted in (
            (b"fillId", b"applyFill", fill_id),
            (b"numFmtId", b"applyNumberFormat", numfmt_id),
            (b"fontId", b"applyFont", font_id),
        ):
            if wanted is not None and int(attrs.get(id_attr, b"0")) != wanted:
                changes[id_attr] = str(wanted).encode()
                changes[flag] = b"1"
        if not changes:
            return base
        self._ensure_base()
        attrs.update(changes)
        key = self._xf_key(attrs, inner)
        index = self._xf_lookup()
        if key in index:
            return index[key]
        p = self.p
        raw = b"<" + p + b"xf" + attr_bytes(attrs) + (b"/>" if not inner else b">" + inner + b"</" + p + b"xf>")
        self._section(b"cellXfs").added.append(raw)
        new_index = self.xf_count - 1
        index[key] = new_index
        return new_index

    @staticmethod
    def _xf_key(attrs: dict[bytes, bytes], inner: bytes) -> tuple[tuple[tuple[bytes, bytes], ...], bytes]:
        return tuple(sorted(attrs.items())), inner.strip()

    def _xf_lookup(self) -> dict[tuple[tuple[tuple[bytes, bytes], ...], bytes], int]:
        if self._xf_index is None:
            self._xf_index = {}
            for i in range(self.xf_count):
                self._xf_index.setdefault(self._xf_key(*self._xf_parts(i)), i)
        return self._xf_index

    # -- output ----------------------------------------------------------------------------------
    @property
    def changed(self) -> bool:
        """True if anything was appended."""
        return any(sec.added for sec in self._sections.values())

    def render(self) -> bytes:
        """Return styles.xml with the appended elements (the original bytes if nothing changed)."""
        if not self.changed:
            return self.data
        edits: list[tuple[int, int, bytes]] = []
        missing: list[tuple[int, bytes]] = []
        for name, sec in self._sections.items():
            if not sec.added:
                continue
            count = str(len(sec.children) + len(sec.added)).encode()
            el = sec.element
            if el is None:
                missing.append(
                    (
                        _ORDER.index(name),
                        b"<"
                        + self.p
                        + name
                        + b' count="'
                        + count
                        + b'">'
                        + b"".join(sec.added)
                        + b"</"
                        + self.p
                        + name
                        + b">",
                    )
                )
                continue
            tag = self.data[el.start : el.tag_end]
            changes: dict[bytes, bytes | None] = {b"count": count} if b"count=" in tag else {}
            new_tag = set_attrs(tag, changes) if changes else tag
            if el.empty:
                edits.append((el.start, el.end, new_tag[:-2] + b">" + b"".join(sec.added) + b"</" + el.name + b">"))
            else:
                edits.append((el.start, el.tag_end, new_tag))
                edits.append((el.close_start, el.close_start, b"".join(sec.added)))
        missing.sort()
        if self.root.empty and missing:
            # <styleSheet/>: open it up and put every missing section inside, in schema order.
            tag = self.data[self.root.start : self.root.end]
            inner = b"".join(xml for _, xml in missing)
            edits.append(
                (self.root.start, self.root.end, tag[:-2].rstrip() + b">" + inner + b"</" + self.root.name + b">")
            )
            missing = []
        for order, xml in missing:
            after = [el for el in self._top if el.local in _ORDER and _ORDER.index(el.local) > order]
            at = after[0].start if after else self.root.close_start
            edits.append((at, at, xml))
        return splice(self.data, edits)


def _find_child(body: bytes, qname: bytes) -> tuple[int, int, bytes]:
    for el in iter_children(body, 0, len(body)):
        if el.name == qname:
            return el.start, el.end, b""
    return 0, 0, b""
