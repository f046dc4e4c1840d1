"""Tests for the [MS-CFB] writer, read back with olefile at its strictest defect level."""

from __future__ import annotations

import io
import struct
from collections.abc import Mapping

import olefile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan_xl.excel.cfb import build_compound_file

SIZES = (0, 1, 63, 64, 4095, 4096, 4097, 100_000)
RED, BLACK = 0, 1  # [MS-CFB] 2.6.1 ColorFlag; olefile has no names for them


def open_strict(data: bytes) -> olefile.OleFileIO:
    """Open with olefile raising on every defect it knows, even the 'unsure' ones."""
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_UNSURE)
    assert ole.parsing_issues == []
    return ole


def payload(size: int, seed: int = 0) -> bytes:
    """Deterministic bytes that are not a repeating pattern of any short period."""
    return bytes((i * 31 + (i >> 7) * 7 + seed) & 0xFF for i in range(size))


def assert_round_trip(data: bytes, streams: Mapping[str, bytes]) -> olefile.OleFileIO:
    ole = open_strict(data)
    for path, content in streams.items():
        assert ole.get_type(path) == olefile.STGTY_STREAM, path
        assert ole.get_size(path) == len(content), path
        with ole.openstream(path) as stream:
            assert stream.read() == content, path
    listed = {"/".join(parts) for parts in ole.listdir(streams=True, storages=False)}
    assert listed == set(streams)
    return ole


def cfb_key(name: str) -> tuple[int, str]:
    """[MS-CFB] 2.6.4 order, written independently of the implementation for BMP names."""
    return (len(name.encode("utf-16-le")), name.upper())


def check_red_black(ole: olefile.OleFileIO) -> None:
    """Every storage's children form a binary search tree that satisfies the red-black rules."""
    entries = ole.direntries
    reachable = 0

    def walk(sid: int, parent_red: bool) -> tuple[list[str], int]:
        nonlocal reachable
        if sid == olefile.NOSTREAM:
            return [], 1
        entry = entries[sid]
        reachable += 1
        red = entry.color == RED
        assert not (red and parent_red), f"red entry {entry.name!r} has a red parent"
        left_names, left_black = walk(entry.sid_left, red)
        right_names, right_black = walk(entry.sid_right, red)
        assert left_black == right_black, f"unequal black height below {entry.name!r}"
        if entry.entry_type in (olefile.STGTY_STORAGE, olefile.STGTY_ROOT):
            check_storage(entry.sid_child)
        return [*left_names, entry.name, *right_names], left_black + (0 if red else 1)

    def check_storage(child: int) -> None:
        if child == olefile.NOSTREAM:
            return
        assert entries[child].color == BLACK, "the root of a sibling tree must be black"
        names, _ = walk(child, False)
        keys = [cfb_key(n) for n in names]
        assert keys == sorted(keys) and len(set(keys)) == len(keys), names

    root = entries[0]
    assert root.entry_type == olefile.STGTY_ROOT
    check_storage(root.sid_child)
    assert reachable == sum(1 for e in entries[1:] if e is not None)


@pytest.mark.parametrize("size", SIZES)
def test_single_stream_of_each_size_reads_back(size: int) -> None:
    streams = {"data": payload(size)}
    assert_round_trip(build_compound_file(streams), streams)


def test_all_sizes_together_with_nested_and_empty_storages() -> None:
    streams = {f"s{size}": payload(size, size) for size in SIZES}
    streams |= {"VBA/dir": b"dir", "VBA/Deep/er/x": payload(5000, 3), "VBA/Deep/y": b""}
    data = build_compound_file(streams, storages=["Empty", "VBA/AlsoEmpty"])
    ole = assert_round_trip(data, streams)
    for storage in ("Empty", "VBA", "VBA/AlsoEmpty", "VBA/Deep", "VBA/Deep/er"):
        assert ole.get_type(storage) == olefile.STGTY_STORAGE
    assert ole.listdir(streams=False, storages=True) == [
        ["Empty"],
        ["VBA"],
        ["VBA", "AlsoEmpty"],
        ["VBA", "Deep"],
        ["VBA", "Deep", "er"],
    ]
    check_red_black(ole)


def test_small_streams_live_in_the_mini_stream_and_large_ones_in_the_fat() -> None:
    streams = {f"s{size}": payload(size) for size in (1, 4095, 4096, 4097)}
    ole = open_strict(build_compound_file(streams))
    placement = {e.name: e.is_minifat for e in ole.direntries if e is not None and e.name in streams}
    assert placement == {"s1": True, "s4095": True, "s4096": False, "s4097": False}
    assert ole.root.size == 64 + 4096  # mini stream: one 64-byte sector plus 64 of them


def test_header_is_version_3_with_fixed_geometry_and_no_identity() -> None:
    data = build_compound_file({"a": b"x" * 10, "b": payload(9000)})
    assert len(data) % 512 == 0
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    assert data[8:24] == bytes(16)  # header CLSID
    minor, major, order, shift, mini_shift = struct.unpack_from("<HHHHH", data, 24)
    assert (minor, major, order, shift, mini_shift) == (0x3E, 3, 0xFFFE, 9, 6)
    (dir_sectors,) = struct.unpack_from("<I", data, 40)
    (cutoff,) = struct.unpack_from("<I", data, 56)
    assert (dir_sectors, cutoff) == (0, 4096)
    ole = open_strict(data)
    for entry in ole.direntries:
        if entry is not None:
            assert entry.clsid == "" and entry.createTime == 0 and entry.modifyTime == 0


def test_output_is_deterministic_and_independent_of_insertion_order() -> None:
    forward = {f"n{i}": payload(i * 97, i) for i in range(40)}
    backward = dict(reversed(list(forward.items())))
    first = build_compound_file(forward, storages=["x", "y"])
    assert first == build_compound_file(forward, storages=["x", "y"])
    assert first == build_compound_file(backward, storages=["y", "x"])


def test_more_than_109_fat_sectors_uses_difat_sectors() -> None:
    big = payload(7_400_000)  # > 109 FAT sectors * 128 ids * 512 bytes
    streams = {"big": big, "small": b"tail"}
    data = build_compound_file(streams)
    ole = assert_round_trip(data, streams)
    assert ole.num_difat_sectors >= 1
    assert ole.num_fat_sectors > 109


def test_many_siblings_form_a_valid_red_black_tree() -> None:
    streams = {f"Module{i}": payload(i % 300, i) for i in range(1, 200)}
    ole = assert_round_trip(build_compound_file(streams), streams)
    check_red_black(ole)
    colours = {e.color for e in ole.direntries[1:] if e is not None}
    assert colours == {RED, BLACK}  # 199 nodes: not a perfect tree, so some are red


def test_sibling_order_is_length_first_then_case_insensitive() -> None:
    streams = {name: name.encode() for name in ("b", "A", "aa", "B_", "Zz", "c", "dir", "_VBA_PROJECT")}
    check_red_black(assert_round_trip(build_compound_file(streams), streams))


def test_non_ascii_names_round_trip_in_spec_order() -> None:
    # Names whose upper case is one code unit each, so cfb_key() is the spec's order for them.
    streams = {name: name.encode("utf-8") for name in ("订单", "Ωmega", "ωa", "b", "收款表", "Ä", "ä1")}
    check_red_black(assert_round_trip(build_compound_file(streams), streams))


_NAME = st.text(
    alphabet=st.characters(
        min_codepoint=0x20, max_codepoint=0x7E, blacklist_characters="/\\:!", blacklist_categories=()
    ),
    min_size=1,
    max_size=31,
)
_PATHS = st.lists(_NAME, min_size=1, max_size=3).map("/".join)
_SIZE = st.one_of(st.sampled_from(SIZES[:-1]), st.integers(0, 9000))


def consistent_layout(layout: dict[str, int]) -> dict[str, bytes]:
    """Turn arbitrary paths into a layout a file system could hold.

    Storage names are re-spelled as first seen (names compare case-insensitively), and a path
    equal to, or a prefix of, an accepted one is dropped (a stream cannot also be a storage).
    """
    spelling: dict[tuple[str, ...], str] = {}
    accepted: set[tuple[str, ...]] = set()
    streams: dict[str, bytes] = {}
    for path, size in layout.items():
        parts = path.split("/")
        key = tuple(p.upper() for p in parts)  # ASCII names: upper() is the spec's simple mapping
        if any(key[: len(k)] == k or k[: len(key)] == key for k in accepted):
            continue
        parts = [spelling.setdefault(key[: i + 1], part) for i, part in enumerate(parts)]
        accepted.add(key)
        streams["/".join(parts)] = payload(size, len(streams))
    return streams


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_PATHS, _SIZE, min_size=1, max_size=40))
def test_property_many_streams_round_trip(layout: dict[str, int]) -> None:
    streams = consistent_layout(layout)
    data = build_compound_file(streams)
    check_red_black(assert_round_trip(data, streams))
    assert build_compound_file(streams) == data


@pytest.mark.parametrize(
    ("streams", "storages", "message"),
    [
        ({"x" * 32: b""}, (), "longer than 31"),
        ({"a:b": b""}, (), "illegal"),
        ({"a!b": b""}, (), "illegal"),
        ({"a\\b": b""}, (), "illegal"),
        ({"a//b": b""}, (), "empty name"),
        ({"": b""}, (), "empty name"),
        ({"nul\x00": b""}, (), "NUL"),
        ({"VBA/dir": b"", "vba/other": b""}, (), "collides case-insensitively"),
        ({"Data": b"", "DATA": b""}, (), "collides case-insensitively"),
        ({"a": b"", "a/b": b""}, (), "is a stream"),
        ({"a": b""}, ("a",), "both stream and storage"),
    ],
)
def test_invalid_layouts_are_rejected(streams: dict[str, bytes], storages: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_compound_file(streams, storages)
