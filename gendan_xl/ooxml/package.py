"""Read-only view of an OOXML workbook package: members, relationships, sheets, content types.

The zip container is read by :mod:`gendan_xl.ooxml.zipio`, which keeps the byte offsets needed
to copy untouched members verbatim when :meth:`Package.write` produces a patched package.

Part names are resolved the way Excel does it: sheet name → ``r:id`` in ``xl/workbook.xml`` →
``Target`` in the workbook's ``.rels`` (absolute or relative, possibly percent-encoded), never by
guessing ``sheetN.xml``. Transitional and Strict (ISO, ``purl.oclc.org``) namespaces and any
namespace prefix are accepted.
"""

from __future__ import annotations

import posixpath
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

from lxml import etree

from gendan_xl.errors import CorruptWorkbookError, NotAWorkbookError, UnsafeWorkbookError, WriteError
from gendan_xl.ooxml.zipio import ZipMember, dos_datetime_1980, parse_zip, write_zip

__all__ = [
    "CT_NS",
    "MAIN_NAMESPACES",
    "MAIN_NS_STRICT",
    "MAIN_NS_TRANSITIONAL",
    "PKG_REL_NS",
    "REL_NS_STRICT",
    "REL_NS_TRANSITIONAL",
    "Package",
    "Relationship",
    "SheetInfo",
    "SheetRels",
    "ZipMember",
    "dos_datetime_1980",
    "parse_xml",
    "rel_type",
    "relative_target",
    "rels_path_for",
]

MAIN_NS_TRANSITIONAL = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MAIN_NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
MAIN_NAMESPACES = frozenset({MAIN_NS_TRANSITIONAL, MAIN_NS_STRICT})
REL_NS_TRANSITIONAL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

SheetState = Literal["visible", "hidden", "veryHidden"]


def parse_xml(data: bytes, part: str, *, path: Path | str | None = None) -> etree._Element:
    """Parse one small XML part safely: no DTDs, no entity expansion, no network."""
    head = data[:4096].lstrip()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnsafeWorkbookError(
            f"工作簿部件 {part} 含有 DTD/实体声明，拒绝处理。",
            f"The workbook part {part} contains a DTD/entity declaration; refusing to process it.",
            path=path,
        )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise CorruptWorkbookError(
            f"工作簿部件 {part} 不是有效的 XML：{exc}", f"The workbook part {part} is not valid XML: {exc}", path=path
        ) from exc
    if root.getroottree().docinfo.doctype:
        raise UnsafeWorkbookError(
            f"工作簿部件 {part} 含有 DTD，拒绝处理。",
            f"The workbook part {part} contains a DTD; refusing to process it.",
            path=path,
        )
    return root


def rels_path_for(part: str) -> str:
    """Return the name of the ``.rels`` part that holds ``part``'s relationships."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relative_target(source_part: str, target_part: str) -> str:
    """Return ``target_part`` as a Target relative to ``source_part``'s folder."""
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


def rel_type(kind: str, *, strict: bool) -> str:
    """Return the officeDocument relationship type URI for ``kind`` (e.g. ``"comments"``)."""
    return f"{REL_NS_STRICT if strict else REL_NS_TRANSITIONAL}/{kind}"


@dataclass(frozen=True, slots=True)
class Relationship:
    """One ``<Relationship>``; ``part`` is the resolved package part (None if external)."""

    id: str
    type: str
    target: str
    part: str | None

    @property
    def kind(self) -> str:
        """The last path segment of the type URI, e.g. ``worksheet`` or ``comments``."""
        return self.type.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class SheetInfo:
    """A sheet as listed in ``xl/workbook.xml``."""

    name: str
    sheet_id: int
    rel_id: str
    part: str | None
    kind: str  # worksheet, chartsheet, dialogsheet, xlMacrosheet …
    state: SheetState
    index: int  # position in <sheets>, the localSheetId of defined names


@dataclass(frozen=True, slots=True)
class SheetRels:
    """The relationships of one worksheet that the patcher cares about."""

    rels_part: str
    relationships: tuple[Relationship, ...]
    comments: str | None
    vml: tuple[str, ...]
    drawings: tuple[str, ...]
    tables: tuple[str, ...]

    def by_id(self, rid: str) -> Relationship | None:
        """Return the relationship with this Id, if any."""
        return next((r for r in self.relationships if r.id == rid), None)


class Package:
    """An opened workbook package: members, relationships, sheets; never modified in place."""

    def __init__(self, data: bytes, *, path: Path | str | None = None) -> None:
        self.data = data
        self.path = Path(path) if path is not None else None
        parsed = parse_zip(data, path)
        self._zip = parsed
        self.members: list[ZipMember] = parsed.members
        self.comment = parsed.comment
        self._by_name = {m.name: m for m in self.members}
        self._by_fold = {m.name.casefold(): m for m in self.members}
        self._cache: dict[str, bytes] = {}

    @classmethod
    def open(cls, path: Path | str) -> Package:
        """Read ``path`` and open it as a package."""
        return cls(Path(path).read_bytes(), path=path)

    # -- members ---------------------------------------------------------------------------
    def find(self, name: str) -> str | None:
        """Return the stored member name for part ``name`` (exact, unquoted or case-folded)."""
        name = name.lstrip("/")
        for candidate in (name, unquote(name)):
            if candidate in self._by_name:
                return candidate
            member = self._by_fold.get(candidate.casefold())
            if member is not None:
                return member.name
        return None

    def has(self, name: str) -> bool:
        """Tell whether the package contains part ``name``."""
        return self.find(name) is not None

    def member(self, name: str) -> ZipMember:
        """Return the zip member of part ``name`` (KeyError if absent)."""
        found = self.find(name)
        if found is None:
            raise KeyError(name)
        return self._by_name[found]

    def names(self) -> list[str]:
        """Return every member name in zip order."""
        return [m.name for m in self.members]

    def raw_record(self, member: ZipMember) -> memoryview:
        """Return the member's local header + compressed data + descriptor, verbatim."""
        return memoryview(self.data)[member.record_start : member.record_end]

    def write(
        self, replaced: Mapping[str, bytes], added: Sequence[tuple[str, bytes]], removed: Iterable[str] = ()
    ) -> bytes:
        """Return new package bytes: untouched members raw, ``replaced`` rewritten, ``added`` appended."""
        repl = {self.find(n) or n: data for n, data in replaced.items()}
        gone = [self.find(n) or n for n in removed]
        return write_zip(self._zip, repl, added, gone)

    def read(self, name: str) -> bytes:
        """Return the uncompressed bytes of part ``name`` (CRC-checked)."""
        member = self.member(name)
        cached = self._cache.get(member.name)
        if cached is not None:
            return cached
        comp = memoryview(self.data)[member.data_start : member.data_start + member.compressed_size]
        if member.method == 0:
            out = bytes(comp)
        elif member.method == 8:
            inflater = zlib.decompressobj(-15)
            try:
                out = inflater.decompress(comp, member.size + 1)
            except zlib.error as exc:
                raise self._corrupt(member.name) from exc
        else:
            raise CorruptWorkbookError(
                f"工作簿成员 {member.name} 使用了不支持的压缩方式 {member.method}。",
                f"The workbook member {member.name} uses unsupported compression method {member.method}.",
                path=self.path,
            )
        if len(out) != member.size or zlib.crc32(out) != member.crc:
            raise self._corrupt(member.name)
        if member.name.endswith((".xml", ".rels")) and len(out) < 1_000_000:
            self._cache[member.name] = out
        return out

    def _corrupt(self, name: str) -> CorruptWorkbookError:
        return CorruptWorkbookError(
            f"工作簿成员 {name} 已损坏（解压或校验失败）。",
            f"The workbook member {name} is damaged (inflate or CRC check failed).",
            path=self.path,
        )

    def xml(self, name: str) -> etree._Element:
        """Parse part ``name`` safely with lxml."""
        return parse_xml(self.read(name), name, path=self.path)

    # -- relationships ---------------------------------------------------------------------
    def relationships(self, source: str) -> list[Relationship]:
        """Return the relationships of part ``source`` (``""`` for the package root)."""
        rels = rels_path_for(source) if source else "_rels/.rels"
        if not self.has(rels):
            return []
        out: list[Relationship] = []
        for el in self.xml(rels):
            if not isinstance(el.tag, str) or etree.QName(el).localname != "Relationship":
                continue
            target = el.get("Target", "")
            part: str | None = None
            if el.get("TargetMode", "Internal") != "External":
                if target.startswith("/"):
                    part = posixpath.normpath(target.lstrip("/"))
                else:
                    part = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
                part = self.find(part) or part
            out.append(Relationship(el.get("Id", ""), el.get("Type", ""), target, part))
        return out

    @cached_property
    def workbook_part(self) -> str:
        """The main workbook part (usually ``xl/workbook.xml``)."""
        for rel in self.relationships(""):
            if rel.kind == "officeDocument" and rel.part and self.has(rel.part):
                return rel.part
        if self.has("xl/workbook.xml"):
            return self.find("xl/workbook.xml") or "xl/workbook.xml"
        raise NotAWorkbookError(
            "文件中没有工作簿部件（不是 Excel 工作簿）。",
            "The package has no workbook part (not an Excel workbook).",
            path=self.path,
        )

    @cached_property
    def strict(self) -> bool:
        """True for a Strict (ISO 29500) workbook, whose namespaces are ``purl.oclc.org``."""
        return (
            self.workbook_root.nsmap.get(None) == MAIN_NS_STRICT
            or etree.QName(self.workbook_root).namespace == MAIN_NS_STRICT
        )

    @cached_property
    def workbook_root(self) -> etree._Element:
        """The parsed ``xl/workbook.xml`` root."""
        return self.xml(self.workbook_part)

    @cached_property
    def date1904(self) -> bool:
        """True when the workbook counts dates from 1904 (old Mac setting)."""
        for el in self.workbook_root:
            if isinstance(el.tag, str) and etree.QName(el).localname == "workbookPr":
                return el.get("date1904", "0").lower() in {"1", "true"}
        return False

    def sheets(self) -> list[SheetInfo]:
        """List every sheet in tab order with its part and visibility."""
        rels = {r.id: r for r in self.relationships(self.workbook_part)}
        out: list[SheetInfo] = []
        for el in self.workbook_root.iter():
            if not isinstance(el.tag, str) or etree.QName(el).localname != "sheet":
                continue
            rid = next((v for k, v in el.attrib.items() if etree.QName(k).localname == "id" and "}" in k), "")
            rel = rels.get(rid)
            state = el.get("state", "visible")
            out.append(
                SheetInfo(
                    name=el.get("name", ""),
                    sheet_id=int(el.get("sheetId", "0") or 0),
                    rel_id=rid,
                    part=rel.part if rel and rel.part and self.has(rel.part) else None,
                    kind=rel.kind if rel else "unknown",
                    state="hidden" if state == "hidden" else "veryHidden" if state == "veryHidden" else "visible",
                    index=len(out),
                )
            )
        return out

    def sheet(self, name: str) -> SheetInfo:
        """Return the worksheet called ``name`` (Excel compares names case-insensitively)."""
        sheets = self.sheets()
        found = next((s for s in sheets if s.name == name), None) or next(
            (s for s in sheets if s.name.casefold() == name.casefold()), None
        )
        if found is None:
            names = "、".join(s.name for s in sheets)
            raise WriteError(
                f"工作簿中没有名为“{name}”的工作表（现有：{names}）。",
                f"The workbook has no sheet named '{name}' (sheets: {', '.join(s.name for s in sheets)}).",
                path=self.path,
            )
        if found.kind != "worksheet" or found.part is None:
            raise WriteError(
                f"“{name}”不是普通工作表（{found.kind}），不能写入单元格。",
                f"'{name}' is not a worksheet ({found.kind}); cells cannot be written there.",
                path=self.path,
            )
        return found

    def sheet_rels(self, part: str) -> SheetRels:
        """Return the worksheet's relationships grouped by what the patcher needs."""
        rels = tuple(self.relationships(part))

        def parts(kind: str) -> tuple[str, ...]:
            return tuple(r.part for r in rels if r.kind == kind and r.part and self.has(r.part))

        comments = parts("comments")
        return SheetRels(
            rels_part=rels_path_for(part),
            relationships=rels,
            comments=comments[0] if comments else None,
            vml=parts("vmlDrawing"),
            drawings=parts("drawing"),
            tables=parts("table"),
        )

    # -- content types ---------------------------------------------------------------------
    @cached_property
    def content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        """Return (defaults by lower-case extension, overrides by part name without '/')."""
        defaults: dict[str, str] = {}
        overrides: dict[str, str] = {}
        for el in self.xml("[Content_Types].xml"):
            if not isinstance(el.tag, str):
                continue
            local = etree.QName(el).localname
            if local == "Default":
                defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
            elif local == "Override":
                overrides[el.get("PartName", "").lstrip("/")] = el.get("ContentType", "")
        return defaults, overrides

    def content_type(self, part: str) -> str | None:
        """Return the content type of ``part`` (override first, then by extension)."""
        defaults, overrides = self.content_types
        for name, ctype in overrides.items():
            if name.casefold() == part.casefold():
                return ctype
        return defaults.get(posixpath.splitext(part)[1].lstrip(".").lower())

    def unused_name(self, pattern: str, taken: Iterable[str] = ()) -> str:
        """Return ``pattern`` (with ``{n}``) for the smallest n ≥ 1 naming no member or taken name."""
        blocked = {n.casefold() for n in taken}
        n = 1
        while True:
            name = pattern.format(n=n)
            if not self.has(name) and name.casefold() not in blocked:
                return name
            n += 1
