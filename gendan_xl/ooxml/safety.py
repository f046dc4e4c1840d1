"""First look at a file: is it a workbook we can and may read?

Runs before any parser touches the file and turns every way a file can be unusable into one
clear exception: missing, the wrong kind (``.xls``, ``.csv``, ``.docx``), encrypted, a damaged
zip, a zip bomb, or XML with a DTD (entities are never resolved — we refuse the file instead).
It also maps sheet names to their XML parts and finds error cells (``#N/A``), which
python-calamine reads as empty strings.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from gendan_xl.errors import (
    CorruptWorkbookError,
    EncryptedWorkbookError,
    NotAWorkbookError,
    UnsafeWorkbookError,
    WorkbookNotFoundError,
)
from gendan_xl.ooxml.package import Package

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_UNCOMPRESSED_BYTES",
    "PackageInfo",
    "find_error_cells",
    "inspect_workbook",
]

MAX_UNCOMPRESSED_BYTES = 2 * 1024**3  # refuse a package that would inflate past 2 GiB
MAX_COMPRESSION_RATIO = 250  # XML compresses ~10–30×; far beyond that is a bomb
_RATIO_FLOOR = 16 * 1024**2  # small members may compress extremely well (e.g. empty styles)
_MAX_MEMBERS = 20_000
_MAX_PROLOG = 1024**2

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)

_ADVICE = {
    ".xls": ("这是旧版 Excel 97-2003 (.xls) 文件，请在 Excel 中另存为 .xlsx",
             "this is an old Excel 97-2003 (.xls) file; save it as .xlsx in Excel"),
    ".csv": ("这是 CSV 文本文件，不是 Excel 工作簿；请用 gendan init 新建总表后粘贴数据",
             "this is a CSV text file, not an Excel workbook; create a master workbook with gendan init"),
    ".xlsb": ("不支持二进制工作簿 (.xlsb)，请另存为 .xlsx", "binary workbooks (.xlsb) are not supported; save as .xlsx"),
    ".ods": ("这是 OpenDocument 表格 (.ods)，请另存为 .xlsx", "this is an OpenDocument spreadsheet; save it as .xlsx"),
}


@dataclass(slots=True)
class PackageInfo:
    """What the first look learned: sheet names → XML parts, visibility, date system, VBA."""

    path: Path
    sheet_parts: dict[str, str] = field(default_factory=dict)
    hidden_sheets: set[str] = field(default_factory=set)
    date1904: bool = False
    macro_enabled: bool = False
    worksheets: list[str] = field(default_factory=list)  # the worksheets' names in tab order (no chart sheets)
    styles_part: str | None = None
    shared_strings_part: str | None = None


def inspect_workbook(path: Path | str) -> PackageInfo:
    """Check that ``path`` is a safe, readable .xlsx/.xlsm and map its sheets; raise a WorkbookError if not."""
    path = Path(path)
    if not path.exists():
        raise WorkbookNotFoundError(f"找不到文件：{path}", f"file not found: {path}", path=path)
    if not path.is_file():
        raise WorkbookNotFoundError(f"不是文件：{path}", f"not a file: {path}", path=path)
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)  # 8 bytes tell zip from OLE; the rest tells text (CSV) apart
    except OSError as exc:
        raise WorkbookNotFoundError(f"无法打开文件：{path}（{exc.strerror}）", f"cannot open {path}: {exc.strerror}",
                                    path=path) from exc
    if head.startswith(_OLE_MAGIC):
        _refuse_ole(path)
    if not head.startswith(_ZIP_MAGICS):
        _refuse_other(path, head)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_bomb(path, archive)
            _check_prologs(path, archive)
            return _map_sheets(path, archive)
    except zipfile.BadZipFile as exc:
        raise CorruptWorkbookError(
            f"文件已损坏（zip 结构错误）：{path.name}", f"the file is damaged (broken zip): {path.name}", path=path
        ) from exc
    except (zlib.error, EOFError) as exc:
        raise CorruptWorkbookError(
            f"文件已损坏（数据无法解压）：{path.name}", f"the file is damaged (cannot inflate): {path.name}", path=path
        ) from exc


def _refuse_ole(path: Path) -> None:
    import msoffcrypto  # only needed for OLE files, which are rare

    encrypted = False
    try:
        with path.open("rb") as handle:
            encrypted = bool(msoffcrypto.OfficeFile(handle).is_encrypted())
    except Exception:
        encrypted = False
    if encrypted:
        raise EncryptedWorkbookError(
            f"工作簿设置了打开密码：{path.name}。请在 Excel 中 文件 → 信息 → 保护工作簿 → 用密码进行加密，清除密码后再试",
            f"the workbook is password-protected: {path.name}. Remove the password to open "
            "(File → Info → Protect Workbook → Encrypt with Password) and try again",
            path=path,
        )
    zh, en = _ADVICE[".xls"]
    raise NotAWorkbookError(f"{path.name}：{zh}", f"{path.name}: {en}", path=path)


def _refuse_other(path: Path, head: bytes) -> None:
    suffix = path.suffix.lower()
    if suffix in _ADVICE:
        zh, en = _ADVICE[suffix]
    elif head[:1] in (b"\xef", b"\xff", b"\xfe") or _looks_like_text(head):
        zh, en = _ADVICE[".csv"] if b"," in head or b";" in head or b"\t" in head else (
            "这是文本文件，不是 Excel 工作簿", "this is a text file, not an Excel workbook")
    else:
        zh, en = "不是 Excel 工作簿（.xlsx/.xlsm）", "not an Excel workbook (.xlsx/.xlsm)"
    raise NotAWorkbookError(f"{path.name}：{zh}", f"{path.name}: {en}", path=path)


def _looks_like_text(head: bytes) -> bool:
    """Text in UTF-8 or GB18030 (what Chinese Excel saves CSV as), without control bytes."""
    if not head or any(b < 32 and b not in (9, 10, 13) for b in head):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a character cut at the end of the sample is fine
                continue
        return True
    return False


def _check_bomb(path: Path, archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    total = sum(info.file_size for info in members)
    worst = max(
        (info for info in members if info.file_size > _RATIO_FLOOR),
        key=lambda info: info.file_size / max(info.compress_size, 1),
        default=None,
    )
    ratio = worst.file_size / max(worst.compress_size, 1) if worst else 0
    if len(members) > _MAX_MEMBERS or total > MAX_UNCOMPRESSED_BYTES or ratio > MAX_COMPRESSION_RATIO:
        raise UnsafeWorkbookError(
            f"拒绝读取：{path.name} 解压后过大（{total / 1024**2:,.0f} MB，压缩比 {ratio:,.0f}），疑似压缩炸弹",
            f"refused: {path.name} would inflate to {total / 1024**2:,.0f} MB (ratio {ratio:,.0f}); "
            "it looks like a zip bomb",
            path=path,
        )


def _check_prologs(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse any XML part whose prolog declares a DTD (the door to entity expansion and XXE)."""
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")) or info.file_size == 0:
            continue
        with archive.open(info) as stream:
            prolog = b""
            while len(prolog) < _MAX_PROLOG:
                chunk = stream.read(4096)
                if not chunk:
                    break
                prolog += chunk
                if re.search(rb"<[A-Za-z_]", prolog):
                    break
        root_at = re.search(rb"<[A-Za-z_]", prolog)
        head = prolog[: root_at.start()] if root_at else prolog
        if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
            raise UnsafeWorkbookError(
                f"拒绝读取：{path.name} 的 {info.filename} 含有 DTD/实体声明（Excel 从不写这种内容）",
                f"refused: {info.filename} in {path.name} declares a DTD/entities (Excel never writes these)",
                path=path,
            )


def _read_xml(path: Path, archive: zipfile.ZipFile, name: str) -> etree._Element:
    try:
        return etree.fromstring(archive.read(name), _PARSER)
    except KeyError as exc:
        raise NotAWorkbookError(
            f"{path.name} 是 zip 文件，但不是 Excel 工作簿（缺少 {name}）",
            f"{path.name} is a zip file but not an Excel workbook (no {name})",
            path=path,
        ) from exc
    except etree.XMLSyntaxError as exc:
        raise CorruptWorkbookError(
            f"文件已损坏：{name} 不是有效的 XML", f"the file is damaged: {name} is not valid XML ({exc})", path=path
        ) from exc


def _map_sheets(path: Path, archive: zipfile.ZipFile) -> PackageInfo:
    root_rels = _read_xml(path, archive, "_rels/.rels")
    target = next(
        (rel.get("Target", "") for rel in root_rels if rel.get("Type", "").endswith("/officeDocument")), None
    )
    if not target:
        raise NotAWorkbookError(
            f"{path.name} 是 Office 文件，但不是 Excel 工作簿", f"{path.name} is an Office file but not an Excel workbook",
            path=path,
        )
    workbook_part = target.lstrip("/")
    if workbook_part.lower().endswith(".bin"):
        zh, en = _ADVICE[".xlsb"]
        raise NotAWorkbookError(f"{path.name}：{zh}", f"{path.name}: {en}", path=path)
    if not workbook_part.startswith("xl/") and "workbook" not in workbook_part:
        raise NotAWorkbookError(
            f"{path.name} 是 Office 文件（如 Word），不是 Excel 工作簿",
            f"{path.name} is an Office file (e.g. Word), not an Excel workbook",
            path=path,
        )
    # The sheet list itself comes from the package view the writer uses (strict OOXML, odd part names).
    package = Package(path.read_bytes(), path=path)
    info = PackageInfo(path=path, date1904=package.date1904,
                       macro_enabled=any(n.lower().endswith("vbaproject.bin") for n in package.names()))
    for sheet in package.sheets():
        if sheet.part is not None:
            info.sheet_parts[sheet.name] = sheet.part
            if sheet.kind == "worksheet":
                info.worksheets.append(sheet.name)
            if sheet.state != "visible":
                info.hidden_sheets.add(sheet.name)
    for rel in package.relationships(package.workbook_part):
        if rel.part and package.has(rel.part):
            if rel.kind == "styles":
                info.styles_part = rel.part
            elif rel.kind == "sharedStrings":
                info.shared_strings_part = rel.part
    return info


_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\bt=\"e\"[^>]*>")
_CELL_REF = re.compile(rb"\br=\"([A-Z]{1,3})(\d+)\"")
_ERROR_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def _column_index(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + byte - 64
    return index


def find_error_cells(path: Path, part: str) -> dict[tuple[int, int], str]:
    """Error cells (``#N/A``, ``#REF!`` …) of one sheet part, keyed by 0-based (row, col).

    python-calamine reads error cells as empty strings, so the sheet XML is scanned for
    ``t="e"`` cells; the scan streams the part and never builds a DOM.
    """
    found: dict[tuple[int, int], str] = {}
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        pending = b""
        while True:
            chunk = stream.read(1 << 20)
            buffer = pending + chunk
            # Scan whole rows only, so a cell is never split between two chunks.
            cut = buffer.rfind(b"</row>") if chunk else len(buffer)
            if cut < 0:
                pending = buffer
                continue
            scan, pending = buffer[:cut], buffer[cut:]
            if b't="e"' in scan:
                _collect_errors(scan, found)
            if not chunk:
                return found


def _collect_errors(scan: bytes, found: dict[tuple[int, int], str]) -> None:
    for match in _ERROR_CELL.finditer(scan):
        ref = _CELL_REF.search(match.group(0))
        if ref is None:
            continue
        end = scan.find(b"</c>", match.end())
        value = _ERROR_VALUE.search(scan, match.end(), end + 8) if end >= 0 else None
        key = (int(ref.group(2)) - 1, _column_index(ref.group(1)) - 1)
        found[key] = value.group(1).decode() if value else "#ERROR"
