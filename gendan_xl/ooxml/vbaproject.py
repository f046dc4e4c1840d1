"""Macro-enable a workbook package: code names, a VBA project part and form-control buttons.

File-format work only: the caller supplies the VBA project's bytes for the code names given here
(Excel needs one document module per worksheet code name, or it adds its own). Changes, in the
package bytes, nothing but:

* ``xl/workbook.xml`` — the workbook's code name (``<workbookPr codeName="ThisWorkbook">``);
* the worksheets whose ``<sheetPr>`` gets a code name (``Sheet1`` …; existing code names are kept);
* the button sheet's legacy drawing, its ``.rels`` and, when it had none, a ``<legacyDrawing>``
  element (:mod:`gendan_xl.ooxml.buttons`);
* added: the VBA project part; ``xl/_rels/workbook.xml.rels`` gains its relationship and
  ``[Content_Types].xml`` declares it and marks the workbook macro-enabled.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from gendan_xl.errors import ConfigError
from gendan_xl.ooxml.buttons import ButtonShape, add_buttons, row_height_px
from gendan_xl.ooxml.edit import PackageEdit
from gendan_xl.ooxml.package import Package, relative_target, rels_path_for
from gendan_xl.ooxml.xmlbytes import escape_attr, iter_children, parse_attrs, root_info, set_attrs, splice

__all__ = ["MACRO_MAIN_CT", "VBA_CT", "VBA_REL", "VbaProjectBuilder", "enable_macros"]

VBA_CT = "application/vnd.ms-office.vbaProject"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
MACRO_MAIN_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_WORKBOOK_BEFORE_PR = (b"fileVersion", b"fileSharing")  # CT_Workbook children that precede workbookPr
_IDS = re.compile(rb"""\bId\s*=\s*["']([^"']*)["']""")

# (worksheet code names in tab order, the workbook's code name) -> the vbaProject.bin bytes
VbaProjectBuilder = Callable[[Sequence[str], str], bytes]


def enable_macros(data: bytes, button_sheet: str, buttons: Sequence[ButtonShape],
                  project: VbaProjectBuilder) -> tuple[bytes, tuple[str, ...], tuple[str, ...]]:
    """Macro-enable package ``data``: code names, the VBA project ``project`` builds, buttons on ``button_sheet``.

    Returns the new bytes, the worksheets' code names in tab order and the parts touched. A
    button's ``height`` of 0 means: fit the button into its row.
    """
    pkg = Package(data)
    if any(name.lower().endswith("vbaproject.bin") for name in pkg.names()):
        raise ConfigError("工作簿已含 VBA 项目。", "the workbook already has a VBA project.")
    edit = PackageEdit(pkg)
    workbook_part = pkg.workbook_part
    workbook_code, xml = _workbook_code_name(edit.read(workbook_part), workbook_part)
    edit.put(workbook_part, xml)
    sheets = [s for s in pkg.sheets() if s.kind == "worksheet" and s.part is not None]
    existing = {s.part: _code_name(edit.read(s.part), s.part)[0] for s in sheets if s.part}
    taken = {name.casefold() for name in existing.values() if name} | {workbook_code.casefold()}
    code_names: list[str] = []
    for sheet in sheets:
        assert sheet.part is not None
        name = existing[sheet.part]
        xml = edit.read(sheet.part)
        if not name:
            number = 1
            while f"sheet{number}" in taken:
                number += 1
            name = f"Sheet{number}"
            taken.add(name.casefold())
            xml = _code_name(xml, sheet.part, name)[1]
        code_names.append(name)
        if sheet.name.casefold() == button_sheet.casefold():
            fitted = [_fit(b, row_height_px(xml, sheet.part, b.row)) if b.height <= 0 else b for b in buttons]
            xml = add_buttons(edit, sheet.part, xml, fitted)
        edit.put(sheet.part, xml)
    vba_part = "xl/vbaProject.bin" if not edit.exists("xl/vbaProject.bin") else edit.unused_name("xl/vbaProject{n}.bin")
    edit.put(vba_part, project(code_names, workbook_code))
    edit.set_override(vba_part, VBA_CT)
    _add_rel(edit, workbook_part, VBA_REL, vba_part)
    _set_content_type(edit, workbook_part, MACRO_MAIN_CT)
    return edit.render(), tuple(code_names), (*edit.replaced, *edit.added)


def _fit(button: ButtonShape, row_px: int) -> ButtonShape:
    height = max(14, min(24, row_px - 4))
    return ButtonShape(button.macro, button.caption, button.row, button.col, button.x_offset,
                       max(0, (row_px - height) // 2), button.width, height)


def _children(data: bytes, part: str) -> tuple[bytes, list[tuple[bytes, int, int, int]]]:
    """The root's prefix and its children as (local name, start, start-tag end, end)."""
    root, _ = root_info(data, part)
    prefix = root.name[: -len(root.local)]
    kids = [] if root.empty else [(k.local, k.start, k.tag_end, k.end) for k in iter_children(data, root.tag_end,
                                                                                                root.close_start)]
    return prefix, kids


def _workbook_code_name(data: bytes, part: str) -> tuple[str, bytes]:
    prefix, kids = _children(data, part)
    for local, start, tag_end, _ in kids:
        if local == b"workbookPr":
            name = parse_attrs(data[start:tag_end]).get(b"codeName")
            if name:
                return name.decode(), data
            return "ThisWorkbook", splice(data, [(start, tag_end, set_attrs(data[start:tag_end],
                                                                              {b"codeName": b"ThisWorkbook"}))])
    at = next((start for local, start, _, _ in kids if local not in _WORKBOOK_BEFORE_PR), None)
    if at is None:
        raise ConfigError("xl/workbook.xml 无法识别。", "xl/workbook.xml cannot be read.")
    return "ThisWorkbook", splice(data, [(at, at, b"<" + prefix + b'workbookPr codeName="ThisWorkbook"/>')])


def _code_name(data: bytes, part: str, new: str | None = None) -> tuple[str, bytes]:
    """The worksheet's code name ("" if none); with ``new``, the XML with that code name set."""
    prefix, kids = _children(data, part)
    first = kids[0] if kids else None
    if first is not None and first[0] == b"sheetPr":
        _, start, tag_end, _ = first
        name = parse_attrs(data[start:tag_end]).get(b"codeName", b"").decode()
        if new is None or name:
            return name, data
        return new, splice(data, [(start, tag_end, set_attrs(data[start:tag_end], {b"codeName": new.encode()}))])
    if new is None:
        return "", data
    root, _ = root_info(data, part)
    element = b"<" + prefix + b'sheetPr codeName="' + escape_attr(new).encode() + b'"/>'
    return new, splice(data, [(root.tag_end, root.tag_end, element)])


def _add_rel(edit: PackageEdit, source: str, type_uri: str, target: str) -> None:
    """A relationship of any type (PackageEdit.add_rel only knows officeDocument types)."""
    rels = rels_path_for(source)
    data = edit.read(rels)
    root, _ = root_info(data, rels)
    ids = {m.decode() for m in _IDS.findall(data)}
    number = 1
    while f"rId{number}" in ids:
        number += 1
    prefix = root.name[: -len(b"Relationships")]
    element = (f'<{prefix.decode()}Relationship Id="rId{number}" Type="{escape_attr(type_uri)}" '
               f'Target="{escape_attr(relative_target(source, target))}"/>').encode()
    edit.put(rels, splice(data, [(root.close_start, root.close_start, element)]))


def _set_content_type(edit: PackageEdit, part: str, content_type: str) -> None:
    """Change the ``<Override>`` of ``part`` (PackageEdit.set_override would add a second one)."""
    name = "[Content_Types].xml"
    data = edit.read(name)
    _, kids = _children(data, name)
    for local, start, tag_end, _ in kids:
        attrs = parse_attrs(data[start:tag_end])
        if local == b"Override" and attrs.get(b"PartName", b"").decode().lstrip("/").casefold() == part.casefold():
            tag = set_attrs(data[start:tag_end], {b"ContentType": content_type.encode()})
            edit.put(name, splice(data, [(start, tag_end, tag)]))
            return
    edit.set_override(part, content_type)

