"""Deterministic writer for [MS-CFB] compound files (version 3, 512-byte sectors).

Only what a VBA project needs is implemented, but without shortcuts: a FAT (with DIFAT
sectors once more than 109 FAT sectors are needed), a mini FAT and mini stream for streams
below the 4096-byte cutoff, nested storages, and a directory whose sibling trees are
balanced red-black trees in the order the specification defines.  Nothing time- or
environment-dependent is written (all CLSIDs, state bits and timestamps are zero), so the
same input always yields the same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "MAX_NAME_LENGTH",
    "build_compound_file",
    "name_sort_key",
]

# [MS-CFB] 2.2: header signature and fixed version-3 geometry.
_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_MINOR_VERSION = 0x003E
_MAJOR_VERSION = 0x0003
_BYTE_ORDER = 0xFFFE
_SECTOR_SHIFT = 9  # 2**9 = 512-byte sectors, mandatory for version 3
_MINI_SECTOR_SHIFT = 6  # 2**6 = 64-byte mini sectors
SECTOR_SIZE = 1 << _SECTOR_SHIFT
MINI_SECTOR_SIZE = 1 << _MINI_SECTOR_SHIFT
MINI_STREAM_CUTOFF = 0x1000  # streams strictly smaller than this live in the mini stream
_HEADER_DIFAT_SLOTS = 109  # (512 - 76) / 4

# [MS-CFB] 2.1: special sector numbers.
_DIFSECT = 0xFFFFFFFC
_FATSECT = 0xFFFFFFFD
_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF
_NOSTREAM = 0xFFFFFFFF

# [MS-CFB] 2.6.1: directory entry layout and values.
_ENTRY_SIZE = 128
_ENTRY_STRUCT = struct.Struct("<64sHBBIII16sIQQIQ")
_TYPE_UNALLOCATED = 0x00
_TYPE_STORAGE = 0x01
_TYPE_STREAM = 0x02
_TYPE_ROOT = 0x05
_RED = 0x00
_BLACK = 0x01
MAX_NAME_LENGTH = 31  # UTF-16 code units, excluding the terminating NUL
_ILLEGAL_NAME_CHARS = frozenset("/\\:!")
_ROOT_NAME = "Root Entry"

_ENTRIES_PER_SECTOR = SECTOR_SIZE // _ENTRY_SIZE
_IDS_PER_SECTOR = SECTOR_SIZE // 4

assert _ENTRY_STRUCT.size == _ENTRY_SIZE


def name_sort_key(name: str) -> tuple[int, tuple[int, ...]]:
    """Return the [MS-CFB] 2.6.4 ordering key: UTF-16 length first, then upper-cased code units."""
    # Simple (1:1) case mapping only: full mappings such as "ß" -> "SS" would change the length
    # the spec compares first.
    upper = "".join(c.upper() if len(c.upper()) == 1 else c for c in name)
    units = struct.unpack(f"<{len(upper.encode('utf-16-le')) // 2}H", upper.encode("utf-16-le"))
    return (len(units), units)


@dataclass
class _Node:
    name: str
    is_storage: bool
    data: bytes = b""
    children: dict[tuple[int, tuple[int, ...]], _Node] = field(default_factory=dict)
    entry_id: int = -1
    left: int = _NOSTREAM
    right: int = _NOSTREAM
    child: int = _NOSTREAM
    color: int = _BLACK
    start: int = _ENDOFCHAIN


def _check_name(name: str, path: str) -> None:
    if not name:
        raise ValueError(f"empty name component in compound file path {path!r}")
    bad = sorted(_ILLEGAL_NAME_CHARS.intersection(name))
    if bad:
        raise ValueError(f"compound file name {name!r} contains illegal character(s) {bad}")
    if "\x00" in name:
        raise ValueError(f"compound file name {name!r} contains a NUL character")
    if len(name.encode("utf-16-le")) // 2 > MAX_NAME_LENGTH:
        raise ValueError(f"compound file name {name!r} is longer than {MAX_NAME_LENGTH} UTF-16 units")


def _insert(root: _Node, path: str, *, is_storage: bool, data: bytes = b"") -> None:
    parts = path.split("/")
    for part in parts:
        _check_name(part, path)
    node = root
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        key = name_sort_key(part)
        existing = node.children.get(key)
        if existing is None:
            existing = _Node(name=part, is_storage=is_storage or not last, data=data if last else b"")
            node.children[key] = existing
        elif existing.name != part:
            raise ValueError(f"{path!r}: name {part!r} collides case-insensitively with {existing.name!r}")
        elif last and not (is_storage and existing.is_storage):
            raise ValueError(f"compound file path {path!r} given twice or as both stream and storage")
        elif not last and not existing.is_storage:
            raise ValueError(f"{path!r}: {part!r} is a stream, it cannot contain entries")
        node = existing


def _assign_tree(siblings: list[_Node], depth: int, deepest: int) -> int:
    """Link sorted siblings into a balanced tree and return the id of its root.

    Splitting at the midpoint keeps all leaves on the last two levels, so colouring the
    deepest level red (never the root) gives every path the same number of black nodes and
    no red node a red child, which satisfies the red-black rules of [MS-CFB] 2.6.4.
    """
    if not siblings:
        return _NOSTREAM
    mid = len(siblings) // 2
    node = siblings[mid]
    node.color = _RED if depth == deepest and depth > 0 else _BLACK
    node.left = _assign_tree(siblings[:mid], depth + 1, deepest)
    node.right = _assign_tree(siblings[mid + 1 :], depth + 1, deepest)
    return node.entry_id


def _number_entries(root: _Node) -> list[_Node]:
    """Give every node a directory id (breadth first, siblings in spec order) and link the trees."""
    order = [root]
    queue = [root]
    while queue:
        storage = queue.pop(0)
        kids = [storage.children[k] for k in sorted(storage.children)]
        for kid in kids:
            kid.entry_id = len(order)
            order.append(kid)
            if kid.is_storage:
                queue.append(kid)
        if kids:
            storage.child = _assign_tree(kids, 0, len(kids).bit_length() - 1)
    return order


def _sector_count(size: int, unit: int) -> int:
    return -(-size // unit)


def _chain(first: int, count: int) -> list[int]:
    """FAT entries for ``count`` consecutive sectors starting at ``first``."""
    return [*range(first + 1, first + count), _ENDOFCHAIN] if count else []


def _entry_bytes(node: _Node | None, *, is_root: bool = False, size: int = 0) -> bytes:
    if node is None:
        return _ENTRY_STRUCT.pack(
            b"", 0, _TYPE_UNALLOCATED, _RED, _NOSTREAM, _NOSTREAM, _NOSTREAM, bytes(16), 0, 0, 0, 0, 0
        )
    encoded = node.name.encode("utf-16-le") + b"\x00\x00"
    kind = _TYPE_ROOT if is_root else _TYPE_STORAGE if node.is_storage else _TYPE_STREAM
    # 2.6.1: a storage's starting sector and size are zero; an empty stream points nowhere.
    start = 0 if kind == _TYPE_STORAGE else node.start
    return _ENTRY_STRUCT.pack(
        encoded,
        len(encoded),
        kind,
        node.color,
        node.left,
        node.right,
        node.child,
        bytes(16),  # CLSID: zero keeps the output reproducible
        0,  # state bits
        0,  # creation time
        0,  # modified time
        start,
        size,
    )


def _fat_geometry(data_sectors: int) -> tuple[int, int]:
    """Return (FAT sectors, DIFAT sectors) big enough to map themselves plus ``data_sectors``."""
    fat = difat = 0
    while True:
        need_fat = _sector_count(data_sectors + fat + difat, _IDS_PER_SECTOR)
        # 2.5: each DIFAT sector holds 127 FAT sector ids plus the next-DIFAT link.
        need_difat = _sector_count(max(0, need_fat - _HEADER_DIFAT_SLOTS), _IDS_PER_SECTOR - 1)
        if (need_fat, need_difat) == (fat, difat):
            return fat, difat
        fat, difat = need_fat, need_difat


def _pack_ids(ids: list[int], total: int) -> bytes:
    padded = ids + [_FREESECT] * (total - len(ids))
    return struct.pack(f"<{len(padded)}I", *padded)


def build_compound_file(streams: Mapping[str, bytes], storages: Iterable[str] = ()) -> bytes:
    """Return a version-3 compound file holding ``streams`` (and optional empty ``storages``).

    Paths use ``/`` between storage and stream names (``"VBA/dir"``); intermediate storages
    are created automatically.  Raises ValueError for illegal or colliding names.
    """
    root = _Node(name=_ROOT_NAME, is_storage=True)
    for storage_path in sorted(storages):
        _insert(root, storage_path, is_storage=True)
    for path in sorted(streams):
        _insert(root, path, is_storage=False, data=bytes(streams[path]))

    order = _number_entries(root)
    stream_nodes = [n for n in order[1:] if not n.is_storage]

    # 2.4 and 2.6.2: small streams share the mini stream (held by the root entry), addressed
    # through the mini FAT.
    mini_fat: list[int] = []
    mini_parts: list[bytes] = []
    for node in stream_nodes:
        if 0 < len(node.data) < MINI_STREAM_CUTOFF:
            count = _sector_count(len(node.data), MINI_SECTOR_SIZE)
            node.start = len(mini_fat)
            mini_fat += _chain(node.start, count)
            mini_parts.append(node.data.ljust(count * MINI_SECTOR_SIZE, b"\x00"))
    mini_stream = b"".join(mini_parts)

    dir_sectors = _sector_count(len(order) * _ENTRY_SIZE, SECTOR_SIZE)
    minifat_sectors = _sector_count(len(mini_fat) * 4, SECTOR_SIZE)
    ministream_sectors = _sector_count(len(mini_stream), SECTOR_SIZE)
    big_nodes = [n for n in stream_nodes if len(n.data) >= MINI_STREAM_CUTOFF]
    big_sectors = sum(_sector_count(len(n.data), SECTOR_SIZE) for n in big_nodes)
    fat_sectors, difat_sectors = _fat_geometry(dir_sectors + minifat_sectors + ministream_sectors + big_sectors)

    # Sector order: FAT, DIFAT, directory, mini FAT, mini stream, then the large streams.
    fat: list[int] = [_FATSECT] * fat_sectors + [_DIFSECT] * difat_sectors
    dir_start = len(fat)
    fat += _chain(dir_start, dir_sectors)
    minifat_start = len(fat) if minifat_sectors else _ENDOFCHAIN
    fat += _chain(len(fat), minifat_sectors)
    root.start = len(fat) if ministream_sectors else _ENDOFCHAIN
    fat += _chain(len(fat), ministream_sectors)
    body = [mini_stream.ljust(ministream_sectors * SECTOR_SIZE, b"\x00")]
    for node in big_nodes:
        count = _sector_count(len(node.data), SECTOR_SIZE)
        node.start = len(fat)
        fat += _chain(node.start, count)
        body.append(node.data.ljust(count * SECTOR_SIZE, b"\x00"))

    fat_ids = list(range(fat_sectors))
    difat_start = fat_sectors if difat_sectors else _ENDOFCHAIN
    difat_body = []
    overflow = fat_ids[_HEADER_DIFAT_SLOTS:]
    for index in range(difat_sectors):
        chunk = overflow[index * (_IDS_PER_SECTOR - 1) : (index + 1) * (_IDS_PER_SECTOR - 1)]
        chunk += [_FREESECT] * (_IDS_PER_SECTOR - 1 - len(chunk))
        link = fat_sectors + index + 1 if index + 1 < difat_sectors else _ENDOFCHAIN
        difat_body.append(_pack_ids([*chunk, link], _IDS_PER_SECTOR))

    header = (
        struct.pack(
            "<8s16sHHHHH6sIIIIIIIII",
            _SIGNATURE,
            bytes(16),
            _MINOR_VERSION,
            _MAJOR_VERSION,
            _BYTE_ORDER,
            _SECTOR_SHIFT,
            _MINI_SECTOR_SHIFT,
            bytes(6),
            0,  # number of directory sectors: MUST be zero for version 3 (2.2)
            fat_sectors,
            dir_start,
            0,  # transaction signature
            MINI_STREAM_CUTOFF,
            minifat_start,
            minifat_sectors,
            difat_start,
            difat_sectors,
        )
        + _pack_ids(fat_ids[:_HEADER_DIFAT_SLOTS], _HEADER_DIFAT_SLOTS)
    )

    entries = [_entry_bytes(root, is_root=True, size=len(mini_stream))]
    entries += [_entry_bytes(n, size=0 if n.is_storage else len(n.data)) for n in order[1:]]
    entries += [_entry_bytes(None)] * (dir_sectors * _ENTRIES_PER_SECTOR - len(order))

    parts = [
        header,
        _pack_ids(fat, fat_sectors * _IDS_PER_SECTOR),
        *difat_body,
        b"".join(entries),
        _pack_ids(mini_fat, minifat_sectors * _IDS_PER_SECTOR),
        *body,
    ]
    return b"".join(parts)
