"""``gendan excel-setup``: a macro-enabled copy (.xlsm) of an existing master workbook, with the buttons.

The user's ``.xlsx`` is left untouched; the copy is written next to it through the lossless
writer, so every member of the package stays byte-identical except:

* ``xl/workbook.xml`` — the workbook's code name (``<workbookPr codeName="ThisWorkbook">``) and
  the new ``xlwings.conf`` sheet;
* the worksheets whose ``<sheetPr>`` gets a code name (``Sheet1`` …; existing code names are
  kept) — Excel needs one document module per code name, or it adds its own;
* the orders sheet's legacy drawing, its ``.rels`` and, when it had none, a ``<legacyDrawing>``
  element: the form-control buttons (:mod:`gendan_xl.ooxml.buttons`);
* added: ``xl/vbaProject.bin`` (built from the shipped macros, :mod:`gendan_xl.excel.macros`),
  the ``xlwings.conf`` sheet and its parts, with the Python the buttons start (a workbook that
  already has that sheet keeps it, and only its interpreter cells are set, :mod:`gendan_xl.excel.conf`); ``xl/_rels/workbook.xml.rels`` gains the VBA
  project's relationship and ``[Content_Types].xml`` declares it and marks the workbook
  macro-enabled (``application/vnd.ms-excel.sheet.macroEnabled.main+xml``).
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from gendan_xl.errors import ConfigError
from gendan_xl.excel.conf import plan_conf
from gendan_xl.excel.interpreter import Interpreters, running_interpreters
from gendan_xl.excel.macros import BUTTONS, workbook_project
from gendan_xl.excel.xlsm import BUTTON_WIDTH, button_column
from gendan_xl.ooxml.buttons import ButtonShape, add_buttons, row_height_px
from gendan_xl.ooxml.cells import SheetPatch
from gendan_xl.ooxml.edit import PackageEdit
from gendan_xl.ooxml.package import Package, relative_target, rels_path_for
from gendan_xl.ooxml.patch import apply_patches, verify_parts
from gendan_xl.ooxml.safe_save import check_writable
from gendan_xl.ooxml.xmlbytes import escape_attr, iter_children, parse_attrs, root_info, set_attrs, splice
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.schema import sheet_spec

__all__ = ["MACRO_MAIN_CT", "VBA_CT", "VBA_REL", "SetupResult", "enable_macros", "setup_excel"]

VBA_CT = "application/vnd.ms-office.vbaProject"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
MACRO_MAIN_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_WORKBOOK_BEFORE_PR = (b"fileVersion", b"fileSharing")  # CT_Workbook children that precede workbookPr
_IDS = re.compile(rb"""\bId\s*=\s*["']([^"']*)["']""")


@dataclass(frozen=True)
class SetupResult:
    """What ``excel-setup`` wrote: the new file, the code names given, the parts changed or added."""

    path: Path
    code_names: tuple[str, ...]
    touched_parts: tuple[str, ...]


def setup_excel(path: Path | str, *, target: Path | str | None = None, overwrite: bool = False,
                interpreters: Interpreters | None = None) -> SetupResult:
    """Write a macro-enabled copy of the master workbook at ``path`` (default: the same name with ``.xlsm``).

    ``interpreters`` go on the ``xlwings.conf`` sheet; default: the running Python.
    """
    source = Path(path)
    workbook = read_workbook(source)  # refuses anything that is not a readable master workbook
    if source.suffix.lower() != ".xlsx":
        raise ConfigError(f"excel-setup 需要 .xlsx 工作簿：{source.name}（.xlsm 已可含宏；新建请用 gendan init --excel）",
                          f"excel-setup takes an .xlsx workbook: {source.name} (for a new one: gendan init --excel)",
                          path=source)
    out = Path(target) if target is not None else source.with_suffix(".xlsm")
    if out.suffix.lower() != ".xlsm":
        raise ConfigError(f"目标文件应以 .xlsm 结尾：{out}", f"the target must end in .xlsm: {out}", path=out)
    if out.exists():
        if not overwrite:
            raise ConfigError(f"文件已存在，不会覆盖：{out}（加 --force 覆盖）", f"{out} already exists (use --force)", path=out)
        check_writable(out)
    orders = workbook.sheets["orders"]
    missing = [s for s in sheet_spec("orders").status_columns if s.key not in orders.status_columns]
    last = max([orders.last_column, *orders.status_columns.values()])
    data = source.read_bytes()
    conf = plan_conf(source, running_interpreters() if interpreters is None else interpreters)
    if isinstance(conf, SheetPatch):
        data = apply_patches(data, [conf]).data
    elif conf is not None:
        data = apply_patches(data, [], [conf]).data
    first = button_column(last, len(missing))
    data, code_names, touched = enable_macros(data, orders.name, [
        ButtonShape(b.sub, b.caption, orders.header_row, first, 4 + i * (BUTTON_WIDTH + 8), 0, BUTTON_WIDTH, 0)
        for i, b in enumerate(BUTTONS)])
    _write(out, data, touched)
    return SetupResult(out, code_names, touched)


def _write(target: Path, data: bytes, touched: tuple[str, ...]) -> None:
    """Write ``data`` to ``target`` through a verified temporary file in the same folder."""
    temporary = target.with_name(f".{target.name}.gendan-tmp")
    try:
        temporary.write_bytes(data)
        with zipfile.ZipFile(temporary) as archive:
            xml = [n for n in archive.namelist() if n in touched and n.endswith((".xml", ".rels"))]
        verify_parts(temporary, xml)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def enable_macros(data: bytes, button_sheet: str, buttons: list[ButtonShape]) -> tuple[bytes, tuple[str, ...], tuple[str, ...]]:
    """Macro-enable package ``data``: code names, the VBA project, buttons on ``button_sheet``.

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
    edit.put(vba_part, workbook_project(code_names, workbook_code_name=workbook_code))
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

