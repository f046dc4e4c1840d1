"""Build a source-only ``vbaProject.bin`` per [MS-OVBA] without Office.

The project carries no performance cache: ``_VBA_PROJECT`` is the 7-byte stub of
[MS-OVBA] 2.3.4.1 and every module's compiled-code offset is 0, so Office compiles the
modules from their source text when the workbook is opened.  Everything is deterministic
(fixed project GUID, fixed encryption seeds, no timestamps).
"""

from __future__ import annotations

import codecs
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from gendan_xl.excel.cfb import build_compound_file

__all__ = [
    "ANSI_CODEPAGES",
    "VbaModule",
    "VbaModuleKind",
    "build_vba_project",
    "compress",
    "decompress",
    "decrypt_project_data",
    "encrypt_project_data",
    "load_module_file",
    "module_source",
]


class VbaModuleKind(StrEnum):
    """What a module is to VBA: a standard module, a class module or a host document module."""

    STANDARD = "standard"
    CLASS = "class"
    DOCUMENT = "document"


@dataclass(frozen=True)
class VbaModule:
    """One VBA module: its name, its source text and its kind.

    ``source`` may or may not start with ``Attribute VB_...`` lines and may use any line
    ending; :func:`module_source` gives the exact text that ends up in the project.  A
    document module named ``ThisWorkbook`` is the workbook's module, every other document
    module is a worksheet's (XlsxWriter code names ``Sheet1``…), unless ``source`` declares
    its own ``VB_Base``.
    """

    name: str
    source: str
    kind: VbaModuleKind = VbaModuleKind.STANDARD

    def __post_init__(self) -> None:
        # Accept plain strings ("class") at run time as well as the enum.
        object.__setattr__(self, "kind", VbaModuleKind(self.kind))


def load_module_file(path: Path, *, kind: VbaModuleKind | None = None) -> VbaModule:
    """Read a ``.bas`` (standard) or ``.cls`` (class) file into a module named after the file."""
    if kind is None:
        suffixes = {".bas": VbaModuleKind.STANDARD, ".cls": VbaModuleKind.CLASS}
        if path.suffix.lower() not in suffixes:
            raise ValueError(f"{path}: cannot tell the module kind from the suffix {path.suffix!r}")
        kind = suffixes[path.suffix.lower()]
    # newline="" keeps the file's own line endings; module_source normalises them.
    with path.open(encoding="ascii", newline="") as handle:
        return VbaModule(name=path.stem, source=handle.read(), kind=kind)


# --------------------------------------------------------------------------------------------
# [MS-OVBA] 2.4.1 compression
# --------------------------------------------------------------------------------------------

_CHUNK_SIZE = 4096  # 2.4.1.1.3: a DecompressedChunk holds at most 4096 bytes
_CONTAINER_SIGNATURE = 0x01  # 2.4.1.1.1
_CHUNK_SIGNATURE = 0b011 << 12  # 2.4.1.1.5: CompressedChunkSignature
_CHUNK_FLAG = 0x8000  # 2.4.1.1.5: CompressedChunkFlag (1 = compressed)
_RAW_CHUNK_HEADER = _CHUNK_SIGNATURE | 0x0FFF  # 2.4.1.3.10: raw chunks always declare 4098 bytes
_MIN_MATCH = 3  # 2.4.1.3.19.1: a CopyToken stores Length - 3, so 3 is the shortest copy
# Bounding the candidate chain keeps long runs of spaces from going quadratic; only the
# compression ratio depends on it, never correctness.
_MAX_CANDIDATES = 96


def _copy_token_bit_count(position_in_chunk: int) -> int:
    """Offset bits of a CopyToken at this position ([MS-OVBA] 2.4.1.3.19.1 CopyToken Help)."""
    return max((position_in_chunk - 1).bit_length(), 4)


def _compress_chunk(chunk: bytes) -> bytes:
    """Token sequences for one DecompressedChunk (2.4.1.3.7), longest nearest match first."""
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    size = len(chunk)
    pos = 0

    def remember(start: int, stop: int) -> None:
        for i in range(start, min(stop, size - _MIN_MATCH + 1)):
            seen.setdefault(chunk[i : i + _MIN_MATCH], []).append(i)

    while pos < size:
        flag_at = len(out)
        out.append(0)
        for bit in range(8):
            if pos >= size:
                break
            bit_count = _copy_token_bit_count(pos)
            max_length = min((0xFFFF >> bit_count) + _MIN_MATCH, size - pos)
            best_length, best_offset = 0, 0
            for candidate in reversed(seen.get(chunk[pos : pos + _MIN_MATCH], [])[-_MAX_CANDIDATES:]):
                length = _MIN_MATCH
                while length < max_length and chunk[candidate + length] == chunk[pos + length]:
                    length += 1
                if length > best_length:
                    best_length, best_offset = length, pos - candidate
                    if length == max_length:
                        break
            if best_length >= _MIN_MATCH:
                token = ((best_offset - 1) << (16 - bit_count)) | (best_length - _MIN_MATCH)
                out += struct.pack("<H", token)
                out[flag_at] |= 1 << bit
                remember(pos, pos + best_length)
                pos += best_length
            else:
                out.append(chunk[pos])
                remember(pos, pos + 1)
                pos += 1
    return bytes(out)


def compress(data: bytes, *, allow_raw_chunks: bool = True) -> bytes:
    """Compress ``data`` into an [MS-OVBA] 2.4.1 CompressedContainer.

    Chunks are written as compressed chunks; a full 4096-byte chunk that would grow is
    stored raw as 2.4.1.3.7 requires, or refused with ValueError if ``allow_raw_chunks`` is
    false.  A short final chunk that would grow cannot be stored losslessly (a raw chunk
    always decompresses to 4096 bytes), so it raises ValueError; text never gets there.
    """
    out = bytearray([_CONTAINER_SIGNATURE])
    for start in range(0, len(data), _CHUNK_SIZE):
        chunk = bytes(data[start : start + _CHUNK_SIZE])
        body = _compress_chunk(chunk)
        if len(body) <= _CHUNK_SIZE:
            # 2.4.1.1.5: CompressedChunkSize is the chunk size including its header, minus 3.
            out += struct.pack("<H", _CHUNK_FLAG | _CHUNK_SIGNATURE | (len(body) + 2 - 3)) + body
        elif len(chunk) == _CHUNK_SIZE and allow_raw_chunks:
            out += struct.pack("<H", _RAW_CHUNK_HEADER) + chunk
        elif len(chunk) == _CHUNK_SIZE:
            raise ValueError(f"the 4096-byte chunk at offset {start} does not compress and raw chunks are off")
        else:
            raise ValueError(
                f"the final {len(chunk)}-byte chunk at offset {start} does not compress and a raw "
                "chunk would pad it to 4096 bytes ([MS-OVBA] 2.4.1.3.10)"
            )
    return bytes(out)


def decompress(data: bytes) -> bytes:
    """Decompress an [MS-OVBA] 2.4.1 CompressedContainer, rejecting malformed input with ValueError."""
    if not data or data[0] != _CONTAINER_SIGNATURE:
        raise ValueError("not a CompressedContainer: the signature byte must be 0x01")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if len(out) % _CHUNK_SIZE:
            raise ValueError(f"chunk before offset {pos} decompressed to less than 4096 bytes")
        if pos + 2 > len(data):
            raise ValueError(f"truncated chunk header at offset {pos}")
        (header,) = struct.unpack_from("<H", data, pos)
        if header & 0x7000 != _CHUNK_SIGNATURE:
            raise ValueError(f"bad CompressedChunkSignature at offset {pos}")
        end = pos + (header & 0x0FFF) + 3
        if end > len(data):
            raise ValueError(f"chunk at offset {pos} runs past the end of the data")
        if not header & _CHUNK_FLAG:
            if end - pos != _CHUNK_SIZE + 2:
                raise ValueError(f"raw chunk at offset {pos} does not hold 4096 bytes")
            out += data[pos + 2 : end]
            pos = end
            continue
        chunk_start = len(out)
        pos += 2
        while pos < end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags >> bit & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                if pos + 2 > end:
                    raise ValueError(f"truncated CopyToken at offset {pos}")
                (token,) = struct.unpack_from("<H", data, pos)
                pos += 2
                distance = len(out) - chunk_start
                if distance == 0:
                    raise ValueError(f"CopyToken at offset {pos - 2} has nothing to copy from")
                bit_count = _copy_token_bit_count(distance)
                length = (token & (0xFFFF >> bit_count)) + _MIN_MATCH
                offset = (token >> (16 - bit_count)) + 1
                if offset > distance:
                    raise ValueError(f"CopyToken at offset {pos - 2} points before its chunk")
                source = len(out) - offset
                for i in range(length):  # byte by byte: source and target may overlap
                    out.append(out[source + i])
        if len(out) - chunk_start > _CHUNK_SIZE:
            raise ValueError("a compressed chunk decompressed to more than 4096 bytes")
    return bytes(out)


# --------------------------------------------------------------------------------------------
# [MS-OVBA] 2.4.3 data encryption, used for the CMG / DPB / GC values of the PROJECT stream
# --------------------------------------------------------------------------------------------

_ENCRYPTION_VERSION = 2  # 2.4.3.2: Version is always 2


def _project_key(project_id: str) -> int:
    return sum(project_id.encode("ascii")) & 0xFF  # 2.4.3.2: sum of the ProjectID bytes


def encrypt_project_data(data: bytes, *, project_id: str, seed: int, ignored: bytes = b"") -> str:
    """Encrypt per [MS-OVBA] 2.4.3.2 and return uppercase hex; ``ignored`` pads to (seed & 6) // 2 bytes."""
    ignored_length = (seed & 6) // 2
    if not 0 <= seed <= 0xFF or len(ignored) > ignored_length:
        raise ValueError(f"seed {seed!r} allows {ignored_length} ignored bytes, got {len(ignored)}")
    key = _project_key(project_id)
    out = bytearray([seed, seed ^ _ENCRYPTION_VERSION, seed ^ key])
    unencrypted, encrypted1, encrypted2 = key, out[2], out[1]
    plain = ignored.ljust(ignored_length, b"\x07") + struct.pack("<I", len(data)) + data
    for byte in plain:
        enc = byte ^ ((encrypted2 + unencrypted) & 0xFF)
        out.append(enc)
        encrypted2, encrypted1, unencrypted = encrypted1, enc, byte
    return out.hex().upper()


def decrypt_project_data(hex_text: str, *, project_id: str | None = None) -> bytes:
    """Decrypt an [MS-OVBA] 2.4.3.3 value (hex) and return its Data; checks the key if ``project_id``."""
    raw = bytes.fromhex(hex_text)
    if len(raw) < 7:
        raise ValueError("encrypted value too short")
    seed, version_enc, key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != _ENCRYPTION_VERSION:
        raise ValueError(f"unsupported encryption version {seed ^ version_enc}")
    key = seed ^ key_enc
    if project_id is not None and key != _project_key(project_id):
        raise ValueError("project key does not match the project id")
    unencrypted, encrypted1, encrypted2 = key, key_enc, version_enc
    plain = bytearray()
    for enc in raw[3:]:
        byte = enc ^ ((encrypted2 + unencrypted) & 0xFF)
        plain.append(byte)
        encrypted2, encrypted1, unencrypted = encrypted1, enc, byte
    skip = (seed & 6) // 2
    (length,) = struct.unpack_from("<I", plain, skip)
    data = bytes(plain[skip + 4 :])
    if len(data) != length:
        raise ValueError(f"declared length {length} but {len(data)} bytes follow")
    return data


# --------------------------------------------------------------------------------------------
# Module source text
# --------------------------------------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_MAX_MODULE_NAME = 31  # VBE limit, and also the [MS-CFB] stream name limit
_MAX_LINE = 1023  # VBE rejects longer physical lines
# [MS-VBAL] 3.3.5.2 reserved identifiers, plus names a module would shadow: the libraries the
# project references and "Dir", whose stream name would collide with the VBA/dir stream.
# fmt: off
_RESERVED = frozenset(
    word.lower()
    for word in (
        "Abs", "AddressOf", "And", "Any", "Array", "As", "Attribute", "Boolean", "ByRef", "Byte",
        "ByVal", "Call", "Case", "CBool", "CByte", "CCur", "CDate", "CDbl", "CDec", "CDecl", "CInt",
        "Circle", "CLng", "CLngLng", "CLngPtr", "Close", "Const", "CSng", "CStr", "Currency", "CVar",
        "CVErr", "Date", "Debug", "Decimal", "Declare", "DefBool", "DefByte", "DefCur", "DefDate",
        "DefDbl", "DefDec", "DefInt", "DefLng", "DefLngLng", "DefLngPtr", "DefObj", "DefSng", "DefStr",
        "DefVar", "Dim", "Do", "DoEvents", "Double", "Each", "Else", "ElseIf", "Empty", "End", "EndIf",
        "Enum", "Eqv", "Erase", "Event", "Exit", "False", "Fix", "For", "Friend", "Function", "Get",
        "Global", "GoSub", "GoTo", "If", "Imp", "Implements", "In", "Input", "InputB", "Int",
        "Integer", "Is", "LBound", "Len", "LenB", "Let", "Like", "LINEINPUT", "Lock", "Long",
        "LongLong", "LongPtr", "Loop", "LSet", "Me", "Mod", "New", "Next", "Not", "Nothing", "Null",
        "On", "Open", "Option", "Optional", "Or", "ParamArray", "Preserve", "Print", "Private", "PSet",
        "Public", "Put", "RaiseEvent", "ReDim", "Rem", "Resume", "Return", "RSet", "Scale", "Seek",
        "Select", "Set", "Sgn", "Shared", "Single", "Spc", "Static", "Step", "Stop", "String", "Sub",
        "Tab", "Then", "To", "True", "Type", "TypeOf", "UBound", "Unlock", "Until", "Variant", "Wend",
        "While", "With", "WithEvents", "Write", "Xor", "VBA", "Excel", "Office", "stdole", "Dir",
    )
)
# fmt: on

_WORKBOOK_BASE = '"0{00020819-0000-0000-C000-000000000046}"'  # Excel Workbook coclass
_WORKSHEET_BASE = '"0{00020820-0000-0000-C000-000000000046}"'  # Excel Worksheet coclass
_ATTRIBUTE_ORDER = (
    "VB_Name",
    "VB_Base",
    "VB_GlobalNameSpace",
    "VB_Creatable",
    "VB_PredeclaredId",
    "VB_Exposed",
    "VB_TemplateDerived",
    "VB_Customizable",
)
_CANONICAL_SPELLING = {name.lower(): name for name in _ATTRIBUTE_ORDER}
_CLASS_DEFAULTS = {
    "VB_GlobalNameSpace": "False",
    "VB_Creatable": "False",
    "VB_PredeclaredId": "False",
    "VB_Exposed": "False",
}
_DOCUMENT_DEFAULTS = {
    "VB_GlobalNameSpace": "False",
    "VB_Creatable": "False",
    "VB_PredeclaredId": "True",
    "VB_Exposed": "True",
    "VB_TemplateDerived": "False",
    "VB_Customizable": "True",
}
_HEADER_ATTRIBUTE = re.compile(r"Attribute\s+(VB_\w+)\s*=\s*(.*?)\s*\Z", re.IGNORECASE)
# Module-level attributes have no "Member." prefix; procedure attributes such as
# "Attribute Item.VB_UserMemId = 0" legitimately sit inside the body.
_MODULE_ATTRIBUTE = re.compile(r"\s*Attribute\s+(VB_\w+)\s*=", re.IGNORECASE)
_EXPORT_HEADER = re.compile(r"VERSION\s+\d+\.\d+\s+CLASS\s*\Z", re.IGNORECASE)


def _check_identifier(name: str, what: str, limit: int) -> None:
    if not _IDENTIFIER.match(name) or len(name) > limit:
        raise ValueError(
            f"{what} {name!r} is not a valid VBA identifier (an ASCII letter, then letters, digits "
            f"or '_', at most {limit} characters)"
        )
    if name.lower() in _RESERVED:
        raise ValueError(f"{what} {name!r} is a reserved VBA word or clashes with a referenced library")


def module_source(module: VbaModule) -> str:
    """Return the exact source text stored for ``module``: CRLF lines, normalised attribute header.

    The ``VERSION 1.0 CLASS``/``BEGIN``…``END`` block of an exported ``.cls`` file is dropped.
    ``Attribute VB_Name`` is added when absent (a mismatching or repeated one is a ValueError),
    and the attributes VBA expects for class and document modules are added with their usual
    defaults where the source does not set them.  Header attributes are put in the order Excel
    writes them; others (such as ``VB_Description``) follow in their original order.
    """
    lines = re.split(r"\r\n|\r|\n", module.source)
    if lines and lines[-1] == "":
        lines.pop()
    if module.kind is not VbaModuleKind.STANDARD and lines and _EXPORT_HEADER.match(lines[0]):
        end = next((i for i, line in enumerate(lines) if line.strip().upper() == "END"), None)
        if end is None:
            raise ValueError(f"module {module.name!r}: 'VERSION ... CLASS' block has no END line")
        lines = lines[end + 1 :]

    header: dict[str, str] = {}
    spelled: dict[str, str] = {}
    body_start = 0
    while body_start < len(lines) and (match := _HEADER_ATTRIBUTE.match(lines[body_start])):
        key = match.group(1).lower()
        if key in header:
            raise ValueError(f"module {module.name!r}: attribute {match.group(1)} is given twice")
        header[key], spelled[key] = match.group(2), _CANONICAL_SPELLING.get(key, match.group(1))
        body_start += 1
    body = lines[body_start:]
    for number, line in enumerate(body, start=body_start + 1):
        if stray := _MODULE_ATTRIBUTE.match(line):
            raise ValueError(
                f"module {module.name!r}: 'Attribute {stray.group(1)}' must appear once, in the "
                f"attribute lines at the top (line {number})"
            )
    expected_name = f'"{module.name}"'
    if header.get("vb_name", expected_name) != expected_name:
        raise ValueError(
            f"module {module.name!r}: source declares Attribute VB_Name = {header['vb_name']}, expected {expected_name}"
        )

    defaults: dict[str, str] = {"VB_Name": expected_name}
    if module.kind is VbaModuleKind.CLASS:
        defaults.update(_CLASS_DEFAULTS)
    elif module.kind is VbaModuleKind.DOCUMENT:
        defaults["VB_Base"] = _WORKBOOK_BASE if module.name == "ThisWorkbook" else _WORKSHEET_BASE
        defaults.update(_DOCUMENT_DEFAULTS)
    for name, value in defaults.items():
        if name.lower() not in header:
            header[name.lower()], spelled[name.lower()] = value, name

    rank = {name.lower(): index for index, name in enumerate(_ATTRIBUTE_ORDER)}
    ordered = sorted(header, key=lambda key: rank.get(key, len(rank)))  # stable for the rest
    text_lines = [f"Attribute {spelled[key]} = {header[key]}" for key in ordered] + body
    for number, line in enumerate(text_lines, start=1):
        if len(line) > _MAX_LINE:
            raise ValueError(f"module {module.name!r}: line {number} is longer than {_MAX_LINE} characters")
    return "\r\n".join(text_lines) + "\r\n"


# --------------------------------------------------------------------------------------------
# Project streams
# --------------------------------------------------------------------------------------------

# Windows ANSI code pages VBA can use as a project code page ([MS-OVBA] 2.3.4.2.1.5).
ANSI_CODEPAGES = frozenset({874, 932, 936, 949, 950, 1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258})
_PROJECT_GUID = "{5A0E1B2C-3D4F-4A6B-8C7D-9E0F1A2B3C4D}"  # fixed on purpose: reproducible builds
_LCID = 0x0409  # 2.3.4.2.1.3 and 2.3.4.2.1.4: MUST be 0x409
_SYSKIND_WIN32 = 0x00000001  # 2.3.4.2.1.1; Office recompiles for its own platform anyway
# 2.3.4.2.1.11: any value; this is what a recent Excel wrote (seen in xlwings' quickstart).
_VERSION_MAJOR, _VERSION_MINOR = 0x68FBFAC5, 0x0004
_VERSION_COMPATIBLE32 = "393222000"  # 2.3.1.14: the only value the ABNF allows
# 2.3.1 HostExtenders: the VBE host extender every Office project lists.
_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
_VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000100")  # 2.3.4.1: Reserved1, Version, Reserved2/3
# The two references Excel puts into a new workbook (2.3.4.2.2.5 REFERENCEREGISTERED).
_REFERENCES = (
    (
        "stdole",
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\SysWOW64\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files (x86)\Common Files"
        r"\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
    ),
)
# 2.3.1.15-17, encrypted per 2.4.3: CMG = ProjectProtectionState (4 bytes, 0 = unprotected),
# DPB = ProjectPassword (a single 0x00 = no password), GC = ProjectVisibilityState (0xFF = visible).
_CMG, _DPB, _GC = b"\x00\x00\x00\x00", b"\x00", b"\xff"
_SEED = 0x8D  # any byte works; a constant one keeps builds reproducible


def _record(record_id: int, payload: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(payload)) + payload


def _text_record(record_id: int, reserved_id: int, mbcs: bytes, unicode_text: str) -> bytes:
    """A record holding a string twice: MBCS, then (after the Reserved id) UTF-16LE."""
    return _record(record_id, mbcs) + _record(reserved_id, unicode_text.encode("utf-16-le"))


def _dir_stream(modules: Sequence[VbaModule], project_name: str, codepage: int, codec: str) -> bytes:
    """The decompressed ``VBA/dir`` stream ([MS-OVBA] 2.3.4.2)."""
    u32 = struct.Struct("<I").pack
    u16 = struct.Struct("<H").pack
    out = [
        _record(0x0001, u32(_SYSKIND_WIN32)),  # PROJECTSYSKIND
        _record(0x0002, u32(_LCID)),  # PROJECTLCID
        _record(0x0014, u32(_LCID)),  # PROJECTLCIDINVOKE
        _record(0x0003, u16(codepage)),  # PROJECTCODEPAGE
        _record(0x0004, project_name.encode(codec)),  # PROJECTNAME
        _text_record(0x0005, 0x0040, b"", ""),  # PROJECTDOCSTRING
        # PROJECTHELPFILEPATH: HelpFile1 and HelpFile2 are both MBCS; empty, so same bytes either way.
        _text_record(0x0006, 0x003D, b"", ""),
        _record(0x0007, u32(0)),  # PROJECTHELPCONTEXT
        _record(0x0008, u32(0)),  # PROJECTLIBFLAGS: MUST be 0
        # PROJECTVERSION: its Reserved field (4) sits where other records keep their size.
        struct.pack("<HIIH", 0x0009, 4, _VERSION_MAJOR, _VERSION_MINOR),
        _text_record(0x000C, 0x003C, b"", ""),  # PROJECTCONSTANTS
    ]
    for reference, libid in _REFERENCES:
        out.append(_text_record(0x0016, 0x003E, reference.encode(codec), reference))  # REFERENCENAME
        libid_bytes = libid.encode(codec)
        # REFERENCEREGISTERED: Size covers SizeOfLibid, Libid, Reserved1 (u32) and Reserved2 (u16).
        out.append(_record(0x000D, u32(len(libid_bytes)) + libid_bytes + u32(0) + u16(0)))
    out.append(_record(0x000F, u16(len(modules))))  # PROJECTMODULES
    out.append(_record(0x0013, u16(0xFFFF)))  # PROJECTCOOKIE: MUST be 0xFFFF on write
    for module in modules:
        name = module.name.encode(codec)
        out += [
            _record(0x0019, name),  # MODULENAME
            _record(0x0047, module.name.encode("utf-16-le")),  # MODULENAMEUNICODE
            _text_record(0x001A, 0x0032, name, module.name),  # MODULESTREAMNAME
            _text_record(0x001C, 0x0048, b"", ""),  # MODULEDOCSTRING
            _record(0x0031, u32(0)),  # MODULEOFFSET: source starts at 0, no performance cache
            _record(0x001E, u32(0)),  # MODULEHELPCONTEXT
            _record(0x002C, u16(0xFFFF)),  # MODULECOOKIE: MUST be 0xFFFF on write
            # MODULETYPE: 0x0021 procedural, 0x0022 class/document; then Reserved u32 = 0.
            struct.pack("<HI", 0x0021 if module.kind is VbaModuleKind.STANDARD else 0x0022, 0),
            struct.pack("<HI", 0x002B, 0),  # module Terminator + Reserved
        ]
    out.append(struct.pack("<HI", 0x0010, 0))  # dir stream Terminator + Reserved
    return b"".join(out)


def _project_stream(modules: Sequence[VbaModule], project_name: str) -> str:
    """The ``PROJECT`` stream text ([MS-OVBA] 2.3.1), before encoding."""
    lines = [f'ID="{_PROJECT_GUID}"']
    for module in modules:
        if module.kind is VbaModuleKind.DOCUMENT:
            lines.append(f"Document={module.name}/&H00000000")  # 2.3.1.4: DocTlibVer 0
        elif module.kind is VbaModuleKind.CLASS:
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        f'VersionCompatible32="{_VERSION_COMPATIBLE32}"',
        f'CMG="{encrypt_project_data(_CMG, project_id=_PROJECT_GUID, seed=_SEED)}"',
        f'DPB="{encrypt_project_data(_DPB, project_id=_PROJECT_GUID, seed=_SEED)}"',
        f'GC="{encrypt_project_data(_GC, project_id=_PROJECT_GUID, seed=_SEED)}"',
        "",
        "[Host Extender Info]",
        _HOST_EXTENDER,
        "",
        "[Workspace]",
        *(f"{module.name}=0, 0, 0, 0, C" for module in modules),  # 2.3.1 ProjectWorkspace: window closed
        "",
    ]
    return "\r\n".join(lines) + "\r\n"


def _project_wm_stream(modules: Iterable[VbaModule], codec: str) -> bytes:
    """The ``PROJECTwm`` stream: each name in MBCS and UTF-16, NUL-terminated ([MS-OVBA] 2.3.3)."""
    parts = [m.name.encode(codec) + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00" for m in modules]
    return b"".join(parts) + b"\x00\x00"


def _encode(text: str, codec: str, codepage: int, where: str) -> bytes:
    try:
        return text.encode(codec)
    except UnicodeEncodeError as error:
        lines = re.split(r"\r\n|\r|\n", text[: error.start])
        char = text[error.start]
        raise ValueError(
            f"{where}, line {len(lines)}, column {len(lines[-1]) + 1}: character {char!r} "
            f"(U+{ord(char):04X}) cannot be encoded in code page {codepage}; keep VBA source ASCII "
            "and build such text with ChrW()"
        ) from None


def build_vba_project(modules: Sequence[VbaModule], *, project_name: str = "VBAProject", codepage: int = 1252) -> bytes:
    """Return the bytes of a source-only ``vbaProject.bin`` holding ``modules`` in the given order.

    Raises ValueError on an unsupported code page, invalid or duplicate names, a bad
    ``Attribute VB_Name`` and on text the code page cannot encode.
    """
    if codepage not in ANSI_CODEPAGES:
        raise ValueError(f"code page {codepage} is not a Windows ANSI code page: {sorted(ANSI_CODEPAGES)}")
    codec = codecs.lookup(f"cp{codepage}").name
    _check_identifier(project_name, "project name", 128)  # 2.3.4.2.1.6: 1..128 bytes
    if not modules:
        raise ValueError("a VBA project needs at least one module")
    seen: dict[str, str] = {}
    for module in modules:
        _check_identifier(module.name, "module name", _MAX_MODULE_NAME)
        if module.name.lower() == project_name.lower():
            raise ValueError(f"module name {module.name!r} clashes with the project name")
        if module.name.lower() in seen:
            raise ValueError(f"duplicate module name {module.name!r} (VBA names ignore case)")
        seen[module.name.lower()] = module.name

    streams = {
        "PROJECT": _encode(_project_stream(modules, project_name), codec, codepage, "PROJECT stream"),
        "PROJECTwm": _project_wm_stream(modules, codec),
        "VBA/_VBA_PROJECT": _VBA_PROJECT_STREAM,
        "VBA/dir": compress(_dir_stream(modules, project_name, codepage, codec), allow_raw_chunks=False),
    }
    for module in modules:
        # Encoding the caller's text first makes error positions refer to their own lines.
        _encode(module.source, codec, codepage, f"module {module.name!r}")
        text = _encode(module_source(module), codec, codepage, f"module {module.name!r}")
        try:
            # Excel is reported to drop modules stored in raw chunks (never needed for text).
            streams[f"VBA/{module.name}"] = compress(text, allow_raw_chunks=False)
        except ValueError as error:
            raise ValueError(f"module {module.name!r} cannot be stored: {error}") from None
    return build_compound_file(streams)
