"""Pending changes to a package: replaced, added and removed parts, relationships, content types.

Relationship and content-type parts are edited by splicing bytes (insert one element, drop
another), so every element we do not touch keeps its bytes. :meth:`PackageEdit.render` then hands
everything to :meth:`~gendan_xl.ooxml.package.Package.write`, which copies untouched members
raw.
"""

from __future__ import annotations

import posixpath
import re

from gendan_xl.ooxml.package import (
    PKG_REL_NS,
    Package,
    rel_type,
    relative_target,
    rels_path_for,
)
from gendan_xl.ooxml.xmlbytes import escape_attr, iter_children, parse_attrs, root_info, splice

__all__ = ["PackageEdit"]

_XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class PackageEdit:
    """Accumulates changes to one package and renders the new zip."""

    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.replaced: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}
        self.removed: set[str] = set()

    # -- parts -------------------------------------------------------------------------------------
    def exists(self, name: str) -> bool:
        """True if ``name`` is in the package after the pending changes."""
        if name in self.added:
            return True
        found = self.pkg.find(name)
        return found is not None and found not in self.removed

    def read(self, name: str) -> bytes:
        """Return the current bytes of ``name`` (pending content first)."""
        if name in self.added:
            return self.added[name]
        found = self.pkg.find(name) or name
        if found in self.replaced:
            return self.replaced[found]
        if found in self.removed:
            raise KeyError(name)
        return self.pkg.read(found)

    def put(self, name: str, data: bytes) -> None:
        """Set the content of ``name``; a part whose bytes end up unchanged is left untouched."""
        found = self.pkg.find(name)
        if found is not None and found not in self.removed:
            if data == self.pkg.read(found):
                self.replaced.pop(found, None)
            else:
                self.replaced[found] = data
        else:
            self.added[name] = data

    def delete(self, name: str) -> None:
        """Remove ``name`` from the package."""
        if name in self.added:
            del self.added[name]
            return
        found = self.pkg.find(name)
        if found is not None:
            self.replaced.pop(found, None)
            self.removed.add(found)

    def unused_name(self, pattern: str) -> str:
        """Return ``pattern.format(n=…)`` for the smallest n naming no present or pending part."""
        return self.pkg.unused_name(pattern, taken=[*self.added, *self.removed])

    def all_names(self) -> list[str]:
        """Every part name after the pending changes."""
        return [n for n in self.pkg.names() if n not in self.removed] + list(self.added)

    @property
    def changed(self) -> bool:
        """True if anything differs from the original package."""
        return bool(self.replaced or self.added or self.removed)

    def render(self) -> bytes:
        """Return the new package bytes (the original bytes if nothing changed)."""
        if not self.changed:
            return self.pkg.data
        return self.pkg.write(self.replaced, list(self.added.items()), self.removed)

    # -- relationships -----------------------------------------------------------------------------
    def add_rel(self, source: str, kind: str, target: str) -> str:
        """Add a relationship of ``kind`` from ``source`` to part ``target``; return its new Id."""
        rels = rels_path_for(source)
        data = (
            self.read(rels)
            if self.exists(rels)
            else (_XML_DECL + b'<Relationships xmlns="' + PKG_REL_NS.encode() + b'"></Relationships>')
        )
        root, _ = root_info(data, rels)
        ids = {m.decode() for m in re.findall(rb"""\bId\s*=\s*["']([^"']*)["']""", data)}
        n = 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        prefix = root.name[: -len(b"Relationships")]
        element = (
            f'<{prefix.decode()}Relationship Id="{rid}" Type="{escape_attr(rel_type(kind, strict=self.pkg.strict))}" '
            f'Target="{escape_attr(relative_target(source, target))}"/>'
        ).encode()
        if root.empty:
            tag = data[root.start : root.end]
            new = splice(data, [(root.start, root.end, tag[:-2].rstrip() + b">" + element + b"</" + root.name + b">")])
        else:
            new = splice(data, [(root.close_start, root.close_start, element)])
        self.put(rels, new)
        return rid

    def remove_rel(self, source: str, rid: str) -> None:
        """Remove relationship ``rid`` of ``source`` (and the .rels part if it becomes empty)."""
        rels = rels_path_for(source)
        if not self.exists(rels):
            return
        data = self.read(rels)
        root, _ = root_info(data, rels)
        kids = list(iter_children(data, root.tag_end, root.close_start)) if not root.empty else []
        for el in kids:
            if el.local == b"Relationship" and parse_attrs(data[el.start : el.tag_end]).get(b"Id") == rid.encode():
                if len([k for k in kids if k.local == b"Relationship"]) == 1:
                    self.delete(rels)  # an empty .rels part is legal but useless
                else:
                    self.put(rels, splice(data, [(el.start, el.end, b"")]))
                return

    # -- content types -------------------------------------------------------------------------------
    def _types(self) -> tuple[bytes, list[tuple[bytes, dict[bytes, bytes], int, int]]]:
        name = "[Content_Types].xml"
        data = self.read(name)
        root, _ = root_info(data, name)
        kids = [] if root.empty else list(iter_children(data, root.tag_end, root.close_start))
        return data, [(k.local, parse_attrs(data[k.start : k.tag_end]), k.start, k.end) for k in kids]

    def _insert_type(self, element: str) -> None:
        name = "[Content_Types].xml"
        data = self.read(name)
        root, _ = root_info(data, name)
        prefix = root.name[: -len(b"Types")].decode()
        xml = f"<{prefix}{element}/>".encode()
        if root.empty:
            tag = data[root.start : root.end]
            self.put(
                name, splice(data, [(root.start, root.end, tag[:-2].rstrip() + b">" + xml + b"</" + root.name + b">")])
            )
        else:
            self.put(name, splice(data, [(root.close_start, root.close_start, xml)]))

    def content_type_of(self, part: str) -> str | None:
        """Return the effective content type of ``part`` after pending changes."""
        _, kids = self._types()
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        default = None
        for local, attrs, _, _ in kids:
            if local == b"Override" and attrs.get(b"PartName", b"").decode().lstrip("/").casefold() == part.casefold():
                return attrs.get(b"ContentType", b"").decode()
            if local == b"Default" and attrs.get(b"Extension", b"").decode().lower() == ext:
                default = attrs.get(b"ContentType", b"").decode()
        return default

    def set_override(self, part: str, ctype: str) -> None:
        """Declare ``part``'s content type with an ``<Override>`` unless it already resolves to it."""
        if self.content_type_of(part) == ctype:
            return
        self._insert_type(f'Override PartName="/{escape_attr(part)}" ContentType="{escape_attr(ctype)}"')

    def ensure_default(self, ext: str, ctype: str) -> None:
        """Add ``<Default Extension=ext>`` unless one exists for that extension."""
        _, kids = self._types()
        if any(
            local == b"Default" and attrs.get(b"Extension", b"").decode().lower() == ext for local, attrs, _, _ in kids
        ):
            return
        self._insert_type(f'Default Extension="{escape_attr(ext)}" ContentType="{escape_attr(ctype)}"')

    def remove_override(self, part: str) -> None:
        """Drop the ``<Override>`` of ``part``, if any."""
        data, kids = self._types()
        for local, attrs, start, end in kids:
            if local == b"Override" and attrs.get(b"PartName", b"").decode().lstrip("/").casefold() == part.casefold():
                self.put("[Content_Types].xml", splice(data, [(start, end, b"")]))
                return
