"""Whole worksheets written by gendan_xl (shipment plans, document logs), marked as ours.

The marker is a sheet custom property named ``gendan_xl`` (why: see :mod:`gendan_xl.ooxml.patch`).
A sheet carrying it may be rewritten on the next run (``NewSheet.replace``); a sheet of the same
name without it belongs to the user and is never touched. Replacing rewrites the worksheet part
in place and keeps its relationships, tab position and visibility. ``docProps/app.xml`` (the
cached list of sheet titles) is left stale on purpose: Excel rebuilds it on save and no reader
relies on it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from gendan_xl.errors import WriteError
from gendan_xl.ooxml.cells import DEFAULT_DATE_FORMAT, DEFAULT_DATETIME_FORMAT, NewSheet, cell_xml, number_text
from gendan_xl.ooxml.package import (
    MAIN_NS_STRICT,
    MAIN_NS_TRANSITIONAL,
    REL_NS_STRICT,
    REL_NS_TRANSITIONAL,
)
from gendan_xl.ooxml.sheetxml import MAX_COL
from gendan_xl.ooxml.xmlbytes import cell_ref, escape_attr, escape_text, iter_children, parse_attrs, root_info, splice

if TYPE_CHECKING:
    from gendan_xl.ooxml.edit import PackageEdit
    from gendan_xl.ooxml.sheetpatch import Patcher

__all__ = [
    "CUSTOM_PROPERTY_CT",
    "OWNER_MARKER",
    "WORKSHEET_CT",
    "is_gendan_sheet",
    "validate_sheet_name",
    "write_new_sheet",
]

CUSTOM_PROPERTY_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.customProperty"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
OWNER_MARKER = "gendan_xl"

_BAD_CHARS = set(":\\/?*[]")
_CUSTOM_PR = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?customPr\b[^>]*>")


def validate_sheet_name(name: str) -> None:
    """Raise WriteError unless Excel accepts ``name`` as a sheet name."""
    bad = sorted(set(name) & _BAD_CHARS)
    if (
        not name.strip()
        or len(name) > 31
        or bad
        or name.startswith("'")
        or name.endswith("'")
        or (name.casefold() == "history")
    ):
        raise WriteError(
            f"工作表名“{name}”不可用：最多 31 个字符，不能含 : \\ / ? * [ ]，不能以 ' 开头或结尾，不能叫 History。",
            f"Sheet name '{name}' is not allowed: at most 31 characters, none of : \\ / ? * [ ], "
            "no leading/trailing apostrophe, not 'History'.",
        )


def is_gendan_sheet(edit: PackageEdit, part: str) -> str | None:
    """Return the relationship Id of our ownership marker in worksheet ``part``, or None."""
    data = edit.read(part)
    rels = {r.id: r for r in edit.pkg.relationships(part)}
    for m in _CUSTOM_PR.finditer(data):
        attrs = parse_attrs(m.group(0))
        if attrs.get(b"name") != OWNER_MARKER.encode():
            continue
        rid = next((v.decode() for k, v in attrs.items() if k.endswith(b":id")), None)
        if rid and rid in rels and rels[rid].kind == "customProperty":
            return rid
    return None


def write_new_sheet(patcher: Patcher, sheet: NewSheet) -> bool:
    """Add or replace a gendan-made sheet; return True if its content changed."""
    validate_sheet_name(sheet.name)
    pkg, edit = patcher.pkg, patcher.edit
    existing = next((s for s in pkg.sheets() if s.name.casefold() == sheet.name.casefold()), None)
    if existing is not None:
        marker = is_gendan_sheet(edit, existing.part) if existing.part and existing.kind == "worksheet" else None
        if marker is None and sheet.adopt and existing.part and existing.kind == "worksheet":
            marker = _add_marker(edit, existing.part)
        if marker is None:
            raise WriteError(
                f"工作簿中已有名为“{existing.name}”的工作表，且不是 gendan_xl 生成的；为保护您的数据未作任何改动。"
                "请重命名或删除该表后重试。",
                f"The workbook already has a sheet named '{existing.name}' that gendan_xl did not create; nothing "
                "was changed. Rename or delete that sheet and try again.",
            )
        if not sheet.replace:
            raise WriteError(
                f"工作表“{existing.name}”已存在（replace=False），未改动。",
                f"The sheet '{existing.name}' already exists (replace=False); nothing was changed.",
            )
        assert existing.part is not None
        part = existing.part
    else:
        part = edit.unused_name("xl/worksheets/sheet{n}.xml")
        marker = _add_marker(edit, part)
        rid = edit.add_rel(pkg.workbook_part, "worksheet", part)
        edit.set_override(part, WORKSHEET_CT)
        _add_sheet_entry(edit, pkg.workbook_part, sheet.name, rid, strict=pkg.strict)
    xml = _sheet_xml(patcher, sheet, marker)
    before = edit.read(part) if edit.exists(part) else b""
    edit.put(part, xml)
    return xml != before


def _add_marker(edit: PackageEdit, part: str) -> str:
    """Give the worksheet ``part`` gendan's owner marker; returns the relationship id."""
    marker_part = edit.unused_name("xl/customProperty{n}.bin")
    edit.put(marker_part, OWNER_MARKER.encode("utf-16-le"))
    edit.set_override(marker_part, CUSTOM_PROPERTY_CT)
    return edit.add_rel(part, "customProperty", marker_part)


def _add_sheet_entry(edit: PackageEdit, part: str, name: str, rid: str, *, strict: bool) -> None:
    data = edit.read(part)
    root, ns = root_info(data, part)
    sheets = next(el for el in iter_children(data, root.tag_end, root.close_start) if el.local == b"sheets")
    body = b"" if sheets.empty else data[sheets.tag_end : sheets.close_start]
    ids = [int(x) for x in re.findall(rb"""sheetId\s*=\s*["'](\d+)["']""", body)]
    prefix = root.name[: -len(b"workbook")]
    rel_ns = (REL_NS_STRICT if strict else REL_NS_TRANSITIONAL).encode()
    rp = next((p for p, uri in ns.items() if uri in (REL_NS_STRICT.encode(), REL_NS_TRANSITIONAL.encode()) and p), None)
    decl = b"" if rp else b' xmlns:r="' + rel_ns + b'"'
    xml = (
        b"<"
        + prefix
        + b'sheet name="'
        + escape_attr(name).encode()
        + b'" sheetId="'
        + str(max(ids, default=0) + 1).encode()
        + b'"'
        + decl
        + b" "
        + (rp or b"r")
        + b':id="'
        + rid.encode()
        + b'"/>'
    )
    if sheets.empty:
        tag = data[sheets.start : sheets.end]
        new = splice(data, [(sheets.start, sheets.end, tag[:-2].rstrip() + b">" + xml + b"</" + sheets.name + b">")])
    else:
        new = splice(data, [(sheets.close_start, sheets.close_start, xml)])
    edit.put(part, new)


def _validations_xml(sheet: NewSheet) -> bytes:
    """The sheet's drop-downs as ``<dataValidations>`` (warning style: another value may still be typed)."""
    if not sheet.validations:
        return b""
    items = []
    for v in sheet.validations:
        prompt = (b' showInputMessage="1" prompt="' + escape_attr(v.prompt[:255]).encode() + b'"') if v.prompt else b""
        items.append(b'<dataValidation type="list" errorStyle="warning" allowBlank="1" showErrorMessage="1"'
                     + prompt + b' sqref="' + escape_attr(v.ref).encode() + b'"><formula1>'
                     + escape_text(v.formula()).encode() + b"</formula1></dataValidation>")
    return b'<dataValidations count="%d">' % len(items) + b"".join(items) + b"</dataValidations>"


def _sheet_xml(patcher: Patcher, sheet: NewSheet, marker_rid: str) -> bytes:
    styles = patcher.styles
    strict = patcher.pkg.strict
    bold = styles.xf(0, font_id=styles.bold_font(styles.xf_attr(0, "fontId")))
    rows_xml: list[bytes] = []
    max_col = 0
    for r, values in enumerate(sheet.rows, start=1):
        if len(values) > MAX_COL:
            raise WriteError(
                f"工作表“{sheet.name}”第 {r} 行列数过多。", f"Sheet '{sheet.name}' row {r} has too many columns."
            )
        cells: list[bytes] = []
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            xf = bold if r == 1 else 0
            if isinstance(value, (date, datetime)):
                code = DEFAULT_DATETIME_FORMAT if isinstance(value, datetime) else DEFAULT_DATE_FORMAT
                xf = styles.xf(xf, numfmt_id=styles.numfmt(code))
            try:
                cells.append(cell_xml(b"", cell_ref(r, c), xf, value, patcher.pkg.date1904))
            except (ValueError, TypeError) as exc:
                where = f"{sheet.name}!{cell_ref(r, c)}"
                raise WriteError(f"无法写入 {where}：{exc}", f"Cannot write {where}: {exc}") from exc
            max_col = max(max_col, c)
        if cells:
            rows_xml.append(b'<row r="%d">' % r + b"".join(cells) + b"</row>")
    last_row = len(sheet.rows)
    dim = "A1" if not max_col else f"A1:{cell_ref(max(last_row, 1), max_col)}"
    cols = b"".join(
        b'<col min="%d" max="%d" width="%s" customWidth="1"/>' % (c, c, number_text(w).encode())
        for c, w in sorted(sheet.column_widths.items())
        if 1 <= c <= MAX_COL and 0 < w <= 255
    )
    main = MAIN_NS_STRICT if strict else MAIN_NS_TRANSITIONAL
    rel = REL_NS_STRICT if strict else REL_NS_TRANSITIONAL
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="'
        + main.encode()
        + b'" xmlns:r="'
        + rel.encode()
        + b'"><dimension ref="'
        + dim.encode()
        + b'"/><sheetViews>'
        b'<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        b'<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        b'<sheetFormatPr defaultRowHeight="15"/>'
        + (b"<cols>" + cols + b"</cols>" if cols else b"")
        + b"<sheetData>"
        + b"".join(rows_xml)
        + b"</sheetData>"
        + _validations_xml(sheet)
        + b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        b'<customProperties><customPr name="gendan_xl" r:id="' + marker_rid.encode() + b'"/></customProperties>'
        b"</worksheet>"
    )
