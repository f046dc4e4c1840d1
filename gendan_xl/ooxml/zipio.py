"""Raw zip reading and writing for OOXML packages: untouched members are copied byte for byte.

The central directory and local headers are parsed by hand rather than through :mod:`zipfile`
because write-back must copy every untouched member *verbatim*: local header, compressed bytes,
data descriptor and central-directory record (dates, attributes, extra fields, comment). Nothing
is recompressed, which is also much faster. Zip64 archives can be read; the output is plain zip
(a workbook past 4 GB is refused).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from gendan_xl.errors import (
    CorruptWorkbookError,
    EncryptedWorkbookError,
    NotAWorkbookError,
    UnsafeWorkbookError,
    WriteError,
)

__all__ = ["ParsedZip", "ZipMember", "dos_datetime_1980", "parse_zip", "write_zip"]

# Uncompressed size above which we refuse to inflate a package at all (zip-bomb guard).
_MAX_TOTAL_UNCOMPRESSED = 4 * 1024**3
_SIG_LOCAL = b"PK\x03\x04"
_SIG_CENTRAL = b"PK\x01\x02"
_SIG_EOCD = b"PK\x05\x06"
_SIG_EOCD64_LOCATOR = b"PK\x06\x07"
_SIG_DESCRIPTOR = b"PK\x07\x08"
_CENTRAL = struct.Struct("<4s6H3I5HII")
_LOCAL = struct.Struct("<4s5H3I2H")
_EOCD = struct.Struct("<4s4H2IH")
_BIG_MEMBER = 4 * 1024 * 1024
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def dos_datetime_1980() -> tuple[int, int]:
    """Return the (time, date) DOS stamp of 1980-01-01 00:00, used for every new member."""
    return 0, (0 << 9) | (1 << 5) | 1


@dataclass(frozen=True, slots=True)
class ZipMember:
    """One zip entry with the byte offsets needed to copy it raw."""

    name: str
    flags: int
    method: int
    crc: int
    compressed_size: int
    size: int
    dos_time: int
    dos_date: int
    made_by: int
    internal_attr: int
    external_attr: int
    comment: bytes
    central_extra: bytes
    central: bytes  # the whole central-directory record, verbatim
    record_start: int  # local header offset
    data_start: int
    record_end: int  # after the data descriptor, if any


@dataclass(frozen=True)
class ParsedZip:
    """The members of a zip, in stored order, and the bytes they point into."""

    data: bytes
    members: list[ZipMember]
    comment: bytes


def _zip64_values(extra: bytes, wanted: Sequence[bool]) -> list[int | None]:
    """Read the zip64 extra field values flagged in ``wanted`` (usize, csize, offset)."""
    pos = 0
    while pos + 4 <= len(extra):
        hid, size = struct.unpack_from("<HH", extra, pos)
        if hid == 1:
            out: list[int | None] = []
            cur = pos + 4
            for need in wanted:
                if need:
                    out.append(struct.unpack_from("<Q", extra, cur)[0])
                    cur += 8
                else:
                    out.append(None)
            return out
        pos += 4 + size
    raise ValueError("zip64 extra field missing")


def parse_zip(data: bytes, path: Path | str | None = None) -> ParsedZip:
    """Parse the zip directory of ``data`` (raising bilingual workbook errors)."""

    def corrupt(detail: str) -> CorruptWorkbookError:
        return CorruptWorkbookError(
            f"工作簿的 zip 结构已损坏（{detail}）。", f"The workbook's zip structure is damaged ({detail}).", path=path
        )

    if data[:8] == _OLE_SIGNATURE:
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise EncryptedWorkbookError(
                "工作簿设置了打开密码，无法写入。请先在 Excel 中取消密码。",
                "The workbook is password-protected; remove the password in Excel first.",
                path=path,
            )
        raise NotAWorkbookError(
            "这是旧版 .xls（OLE）文件，不是 .xlsx/.xlsm。请在 Excel 中另存为 .xlsx。",
            "This is an old .xls (OLE) file, not .xlsx/.xlsm. Save it as .xlsx in Excel.",
            path=path,
        )
    if data[:4] != _SIG_LOCAL:
        raise NotAWorkbookError(
            "文件不是 .xlsx/.xlsm 工作簿（不是 zip）。",
            "The file is not an .xlsx/.xlsm workbook (not a zip).",
            path=path,
        )
    eocd = data.rfind(_SIG_EOCD, max(0, len(data) - 22 - 65535))
    if eocd < 0 or eocd + 22 > len(data):
        raise corrupt("no end-of-central-directory record")
    _, _, _, _, count, cd_size, cd_offset, comment_len = _EOCD.unpack_from(data, eocd)
    comment = data[eocd + 22 : eocd + 22 + comment_len]
    if count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        loc = eocd - 20
        if loc < 0 or data[loc : loc + 4] != _SIG_EOCD64_LOCATOR:
            raise corrupt("zip64 locator missing")
        (eocd64,) = struct.unpack_from("<Q", data, loc + 8)
        count, cd_size, cd_offset = struct.unpack_from("<QQQ", data, eocd64 + 32)
    members: list[ZipMember] = []
    seen: set[str] = set()
    total = 0
    pos = cd_offset
    for _ in range(count):
        if data[pos : pos + 4] != _SIG_CENTRAL:
            raise corrupt("bad central directory record")
        (_, made_by, _, flags, method, dtime, ddate, crc, csize, usize, nlen, xlen, clen, _, iattr, eattr, offset) = (
            _CENTRAL.unpack_from(data, pos)
        )
        raw_name = data[pos + 46 : pos + 46 + nlen]
        extra = data[pos + 46 + nlen : pos + 46 + nlen + xlen]
        mcomment = data[pos + 46 + nlen + xlen : pos + 46 + nlen + xlen + clen]
        end = pos + 46 + nlen + xlen + clen
        central = data[pos:end]
        pos = end
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437")
        wanted = (usize == 0xFFFFFFFF, csize == 0xFFFFFFFF, offset == 0xFFFFFFFF)
        if any(wanted):
            try:
                z_usize, z_csize, z_offset = _zip64_values(extra, wanted)
            except (ValueError, struct.error) as exc:
                raise corrupt(f"bad zip64 data for {name}") from exc
            usize = usize if z_usize is None else z_usize
            csize = csize if z_csize is None else z_csize
            offset = offset if z_offset is None else z_offset
        if name in seen:
            raise corrupt(f"duplicate member {name}")
        seen.add(name)
        if data[offset : offset + 4] != _SIG_LOCAL:
            raise corrupt(f"bad local header for {name}")
        _, _, _lflags, _, _, _, _, _, _, lnlen, lxlen = _LOCAL.unpack_from(data, offset)
        data_start = offset + 30 + lnlen + lxlen
        record_end = data_start + csize
        if flags & 0x08:
            local_extra = data[offset + 30 + lnlen : data_start]
            size_len = 8 if b"\x01\x00" in local_extra[:2] or any(wanted) else 4
            sig = 4 if data[record_end : record_end + 4] == _SIG_DESCRIPTOR else 0
            record_end += sig + 4 + 2 * size_len
        if record_end > len(data):
            raise corrupt(f"truncated member {name}")
        total += usize
        if total > _MAX_TOTAL_UNCOMPRESSED:
            raise UnsafeWorkbookError(
                "工作簿解压后过大（疑似 zip 炸弹），拒绝处理。",
                "The workbook would inflate to an implausible size (zip bomb?); refusing it.",
                path=path,
            )
        members.append(
            ZipMember(
                name,
                flags,
                method,
                crc,
                csize,
                usize,
                dtime,
                ddate,
                made_by,
                iattr,
                eattr,
                mcomment,
                extra,
                central,
                offset,
                data_start,
                record_end,
            )
        )
    return ParsedZip(data, members, comment)


def _patch_central_offset(central: bytes, offset: int) -> bytes:
    """Return a verbatim central record with only its local-header offset changed."""
    old = struct.unpack_from("<I", central, 42)[0]
    if old != 0xFFFFFFFF:
        if offset > 0xFFFFFFFF:
            raise _too_big()
        return central[:42] + struct.pack("<I", offset) + central[46:]
    # The offset lives in the zip64 extra field after any 64-bit sizes present there.
    usize, csize = struct.unpack_from("<II", central, 20)
    nlen, xlen = struct.unpack_from("<HH", central, 28)
    pos = 46 + nlen
    end = pos + xlen
    buf = bytearray(central)
    while pos + 4 <= end:
        hid, size = struct.unpack_from("<HH", buf, pos)
        if hid == 1:
            skip = 8 * ((usize == 0xFFFFFFFF) + (csize == 0xFFFFFFFF))
            struct.pack_into("<Q", buf, pos + 4 + skip, offset)
            return bytes(buf)
        pos += 4 + size
    raise _too_big()


def _too_big() -> WriteError:
    return WriteError(
        "工作簿超过 4 GB，无法按 zip32 写回。", "The workbook would exceed 4 GB; it cannot be written back.", path=None
    )


def _strip_zip64(extra: bytes) -> bytes:
    """Drop the zip64 field from an extra block; other fields (timestamps …) are kept."""
    out = bytearray()
    pos = 0
    while pos + 4 <= len(extra):
        hid, size = struct.unpack_from("<HH", extra, pos)
        if hid != 1:
            out += extra[pos : pos + 4 + size]
        pos += 4 + size
    return bytes(out)


@dataclass(frozen=True, slots=True)
class _NewRecord:
    name: str
    data: bytes
    template: ZipMember | None


def write_zip(
    source: ParsedZip,
    replaced: Mapping[str, bytes],
    added: Sequence[tuple[str, bytes]],
    removed: Iterable[str] = (),
    *,
    level: int = 3,
) -> bytes:
    """Return a new zip: untouched members copied raw in order, replaced ones rewritten, new ones last.

    ``replaced`` and ``removed`` use the stored member names. Rewritten members keep their name,
    date/time, attributes and comment; new members get the fixed 1980-01-01 stamp so the output
    is deterministic.
    """
    gone = set(removed)
    repl = dict(replaced)
    chunks: list[bytes | memoryview] = []
    centrals: list[bytes] = []
    offset = 0
    plan: list[ZipMember | _NewRecord] = []
    for member in source.members:
        if member.name in gone:
            continue
        plan.append(_NewRecord(member.name, repl[member.name], member) if member.name in repl else member)
    plan.extend(_NewRecord(name, data, None) for name, data in added)
    for item in plan:
        if isinstance(item, ZipMember):
            record = memoryview(source.data)[item.record_start : item.record_end]
            chunks.append(record)
            centrals.append(_patch_central_offset(item.central, offset))
            offset += len(record)
            continue
        local, central = _encode_member(item, offset, level)
        chunks.append(local)
        centrals.append(central)
        offset += len(local)
    if offset > 0xFFFFFFFF or len(centrals) >= 0xFFFF:
        raise _too_big()
    cd = b"".join(centrals)
    chunks.append(cd)
    chunks.append(_EOCD.pack(_SIG_EOCD, 0, 0, len(centrals), len(centrals), len(cd), offset, len(source.comment)))
    chunks.append(source.comment)
    return b"".join(chunks)


def _encode_member(item: _NewRecord, offset: int, level: int) -> tuple[bytes, bytes]:
    tpl = item.template
    name_bytes = item.name.encode("utf-8")
    utf8 = 0x800 if (tpl.flags & 0x800 if tpl else not item.name.isascii()) else 0
    if not utf8:
        name_bytes = item.name.encode("cp437")
    method = 0 if tpl is not None and tpl.method == 0 else 8
    if method == 8:
        # Big sheets are compressed at level 1: about twice as fast as level 3 for ~15 % more bytes.
        used = 1 if len(item.data) > _BIG_MEMBER else level
        comp = zlib.compressobj(used, zlib.DEFLATED, -15)
        payload = comp.compress(item.data) + comp.flush()
        # General-purpose bits 1-2 announce the deflate speed option (informational only).
        flags = utf8 | (0x6 if used == 1 else 0x4 if used == 2 else 0)
    else:
        payload = item.data
        flags = utf8
    if len(payload) > 0xFFFFFFFF or len(item.data) > 0xFFFFFFFF:
        raise _too_big()
    crc = zlib.crc32(item.data)
    dtime, ddate = (tpl.dos_time, tpl.dos_date) if tpl else dos_datetime_1980()
    extra = _strip_zip64(tpl.central_extra) if tpl else b""
    local = (
        _LOCAL.pack(_SIG_LOCAL, 20, flags, method, dtime, ddate, crc, len(payload), len(item.data), len(name_bytes), 0)
        + name_bytes
        + payload
    )
    made_by = tpl.made_by if tpl else 20
    central = (
        _CENTRAL.pack(
            _SIG_CENTRAL,
            made_by,
            20,
            flags,
            method,
            dtime,
            ddate,
            crc,
            len(payload),
            len(item.data),
            len(name_bytes),
            len(extra),
            len(tpl.comment) if tpl else 0,
            0,
            tpl.internal_attr if tpl else 0,
            tpl.external_attr if tpl else 0,
            offset,
        )
        + name_bytes
        + extra
        + (tpl.comment if tpl else b"")
    )
    return local, central
