"""Tests for the [MS-OVBA] project builder, checked with olefile, oletools and LibreOffice."""

from __future__ import annotations

import io
import os
import random
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import olefile
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream, filter_vba

from gendan_xl.excel.vba import (
    VbaModule,
    VbaModuleKind,
    build_vba_project,
    compress,
    decompress,
    decrypt_project_data,
    encrypt_project_data,
    load_module_file,
    module_source,
)

MACROS = Path(__file__).resolve().parents[2] / "macros"
CHECK_CALL = 'RunPython "import gendan_xl.xl; gendan_xl.xl.check()"'
BUTTON_SUBS = ("CheckOrders", "CheckShipments", "CheckPayments")
BUTTONS_BODY = ["Option Explicit", ""] + [
    line for sub in BUTTON_SUBS for line in (f"Sub {sub}()", f"    {CHECK_CALL}", "End Sub", "")
]
CLASS_BODY = [
    "Option Explicit",
    "Private mOrderNo As String",
    "Public Property Get OrderNo() As String",
    "    OrderNo = mOrderNo",
    "End Property",
]
WORKBOOK_BODY = ["Option Explicit", "Private Sub Workbook_Open()", "End Sub"]
SHEETS = ("Sheet1", "Sheet2", "Sheet3")
CLASS_HEADER = [
    "Attribute VB_GlobalNameSpace = False",
    "Attribute VB_Creatable = False",
    "Attribute VB_PredeclaredId = False",
    "Attribute VB_Exposed = False",
]


def document_header(base_guid: str) -> list[str]:
    return [
        f'Attribute VB_Base = "0{{{base_guid}}}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]


def crlf(lines: list[str]) -> str:
    return "".join(f"{line}\r\n" for line in lines)


def xlwings_modules() -> list[VbaModule]:
    return [load_module_file(MACROS / "xlwings.bas"), load_module_file(MACROS / "Dictionary.cls")]


def project_modules() -> list[VbaModule]:
    """The workbook's modules; the hand-written ones use LF, CR and no attributes on purpose."""
    return [
        VbaModule("ThisWorkbook", "\n".join(WORKBOOK_BODY) + "\n", VbaModuleKind.DOCUMENT),
        *(VbaModule(name, "", VbaModuleKind.DOCUMENT) for name in SHEETS),
        VbaModule("Buttons", "\n".join(BUTTONS_BODY) + "\n"),
        VbaModule("OrderRow", "\r".join(CLASS_BODY), VbaModuleKind.CLASS),
        *xlwings_modules(),
    ]


def expected_sources() -> dict[str, str]:
    """What each module stream must hold, written out independently of module_source()."""
    expected = {
        "ThisWorkbook": crlf(
            [
                'Attribute VB_Name = "ThisWorkbook"',
                *document_header("00020819-0000-0000-C000-000000000046"),
                *WORKBOOK_BODY,
            ]
        ),
        "Buttons": crlf(['Attribute VB_Name = "Buttons"', *BUTTONS_BODY]),
        "OrderRow": crlf(['Attribute VB_Name = "OrderRow"', *CLASS_HEADER, *CLASS_BODY]),
    }
    for sheet in SHEETS:
        expected[sheet] = crlf(
            [f'Attribute VB_Name = "{sheet}"', *document_header("00020820-0000-0000-C000-000000000046")]
        )
    for name, suffix in (("xlwings", "bas"), ("Dictionary", "cls")):
        expected[name] = (MACROS / f"{name}.{suffix}").read_bytes().decode("ascii")
    return expected


@pytest.fixture(scope="module")
def project() -> bytes:
    return build_vba_project(project_modules())


@pytest.fixture(scope="module")
def xlsm(project: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An .xlsm written by XlsxWriter around the built project, with one button per Sub."""
    path = tmp_path_factory.mktemp("xlsm") / "gendan.xlsm"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_vba_name("ThisWorkbook")
    for index, code_name in enumerate(SHEETS):
        sheet = workbook.add_worksheet(["订单", "出货", "收款"][index])
        sheet.set_vba_name(code_name)
        sheet.write("A1", f"cell-{code_name}")
        sheet.insert_button("C3", {"macro": BUTTON_SUBS[index], "caption": "检查"})
    workbook.add_vba_project(io.BytesIO(project), is_stream=True)
    workbook.close()
    return path


# ------------------------------------------------------------------------------------------
# compression
# ------------------------------------------------------------------------------------------


def chunk_headers(container: bytes) -> list[int]:
    headers, pos = [], 1
    while pos < len(container):
        (header,) = struct.unpack_from("<H", container, pos)
        headers.append(header)
        pos += (header & 0x0FFF) + 3
    return headers


def test_spec_example_decompresses() -> None:
    # [MS-OVBA] 3.2.2 "Normal Compression" example, which exercises copy tokens.
    container = bytes.fromhex(
        "012FB000236161616263646582660070616768696A013808616B6C00306D6E6F700671027004107273747576107778797A003C"
    )
    expected = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
    assert decompress(container) == expected
    assert decompress(compress(expected)) == expected
    assert len(compress(expected)) == len(container)


def test_spec_example_without_matches_compresses_byte_for_byte() -> None:
    # [MS-OVBA] 3.2.1 "No Compression" example: literals only, but still a compressed chunk.
    assert compress(b"abcdefghijklmnopqrstuv.") == bytes.fromhex(
        "0119B000616263646566676800696A6B6C6D6E6F70007172737475762E"
    )


def test_text_uses_compressed_chunks_and_shrinks() -> None:
    text = (MACROS / "xlwings.bas").read_bytes()
    container = compress(text)
    assert len(container) < len(text) / 2
    headers = chunk_headers(container)
    assert len(headers) == -(-len(text) // 4096)
    assert all(h & 0x8000 and h & 0x7000 == 0x3000 for h in headers)  # flag set, signature 0b011
    assert decompress(container) == text == decompress_stream(bytearray(container))


def test_incompressible_full_chunks_are_stored_raw_without_padding() -> None:
    data = random.Random(7).randbytes(8192)
    container = compress(data)
    assert chunk_headers(container) == [0x3FFF, 0x3FFF]
    assert decompress(container) == data == decompress_stream(bytearray(container))


def test_raw_chunks_can_be_refused() -> None:
    with pytest.raises(ValueError, match="raw chunks are off"):
        compress(random.Random(7).randbytes(4096), allow_raw_chunks=False)
    text = (MACROS / "xlwings.bas").read_bytes()
    assert compress(text, allow_raw_chunks=False) == compress(text)


def test_project_refuses_a_module_that_would_need_a_raw_chunk() -> None:
    # Random alphanumerics: too few repeated 3-byte runs to pay for the flag bytes, so a chunk would grow.
    rng = random.Random(3)
    noise = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(9000))
    module = VbaModule("Noise", "\n".join(f"' {noise[i : i + 90]}" for i in range(0, 9000, 90)))
    with pytest.raises(ValueError, match="module 'Noise' cannot be stored"):
        build_vba_project([module])


def test_incompressible_short_final_chunk_is_refused_rather_than_padded() -> None:
    with pytest.raises(ValueError, match="pad"):
        compress(random.Random(7).randbytes(4096 + 4000))


# Hypothesis favours short values; repeating a sample to a drawn length also covers many chunks
# and chunk boundaries falling inside matches.
_TEXTISH = st.builds(
    lambda sample, length: (sample * (length // max(len(sample), 1) + 1))[:length] if sample else "",
    st.text(alphabet=st.sampled_from(list("Sub End  \r\n\"'()_.ABCabc0123")), max_size=300),
    st.integers(0, 20_000),
)
_ANY_BYTES = st.one_of(
    st.binary(max_size=5000),
    st.builds(lambda seed, n: random.Random(seed).randbytes(n), st.integers(0, 2**32), st.integers(0, 12_000)),
)


@settings(max_examples=150, deadline=None)
@given(_TEXTISH.map(lambda s: s.encode("ascii")))
def test_property_text_round_trips_through_both_decompressors(data: bytes) -> None:
    container = compress(data)
    assert decompress(container) == data
    assert decompress_stream(bytearray(container)) == data
    assert all(h & 0x8000 for h in chunk_headers(container))


@settings(max_examples=150, deadline=None)
@given(_ANY_BYTES)
def test_property_any_bytes_round_trip_or_refuse_only_an_unpaddable_tail(data: bytes) -> None:
    try:
        container = compress(data)
    except ValueError:
        # n literal bytes need n + ceil(n / 8) bytes, so a tail of up to 3640 bytes always fits.
        assert len(data) % 4096 > 3640
        return
    assert decompress(container) == data == decompress_stream(bytearray(container))


@pytest.mark.parametrize(
    ("container", "message"),
    [
        (b"", "signature"),
        (b"\x02\x00\xb0\x00a", "signature"),
        (b"\x01\x00\x00\x00a", "CompressedChunkSignature"),
        (b"\x01\x05\xb0\x00a", "past the end"),
        (b"\x01\x02\xb0\x01\x00\x00", "nothing to copy"),
        (b"\x01\x03\xb0\x02a\x00\x10", "before its chunk"),
        (b"\x01\x02\xb0\x02a\x00", "truncated CopyToken"),
        (b"\x01\x00\x30a", "4096"),
        (b"\x01\x01\xb0\x00a\x01\xb0\x00b", "less than 4096"),
    ],
)
def test_decompress_rejects_malformed_containers(container: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decompress(container)


# ------------------------------------------------------------------------------------------
# PROJECT stream encryption ([MS-OVBA] 2.4.3)
# ------------------------------------------------------------------------------------------


EXCEL_PROJECT_ID = "{5CF9CDAB-B77B-4FE4-BD7E-D29900070E1B}"
# From xlwings' quickstart_standalone.xlsm, saved by Excel: unprotected, no password, visible.
EXCEL_VALUES = {
    "CMG": ("8D8FA61394EA98EA98EA98EA98", bytes(4)),
    "DPB": ("8D8FA61394EF95EF95EF", b"\x00"),
    "GC": ("8D8FA61394EF95EF9510", b"\xff"),
}


@pytest.mark.parametrize("key", EXCEL_VALUES)
def test_decrypts_values_excel_wrote(key: str) -> None:
    value, plain = EXCEL_VALUES[key]
    assert decrypt_project_data(value, project_id=EXCEL_PROJECT_ID) == plain
    with pytest.raises(ValueError, match="project key"):
        decrypt_project_data(value, project_id="{00000000-0000-0000-0000-000000000000}")


@pytest.mark.parametrize("key", EXCEL_VALUES)
def test_encryption_reproduces_excel_output_given_its_ignored_bytes(key: str) -> None:
    value, plain = EXCEL_VALUES[key]
    # Excel's two "ignored" bytes are random; recover them one at a time (each only affects the
    # ciphertext from its own position on), then the whole value must come out identical.
    ignored = b""
    for position in range(2):
        ignored += next(
            bytes([b])
            for b in range(256)
            if encrypt_project_data(plain, project_id=EXCEL_PROJECT_ID, seed=0x8D, ignored=ignored + bytes([b]))[
                : 2 * (4 + position)
            ]
            == value[: 2 * (4 + position)]
        )
    assert encrypt_project_data(plain, project_id=EXCEL_PROJECT_ID, seed=0x8D, ignored=ignored) == value


@given(st.binary(max_size=64), st.integers(0, 255), st.uuids())
def test_property_encryption_round_trips(data: bytes, seed: int, guid: object) -> None:
    project_id = "{" + str(guid).upper() + "}"
    value = encrypt_project_data(data, project_id=project_id, seed=seed)
    assert len(value) == 2 * (3 + (seed & 6) // 2 + 4 + len(data))
    assert decrypt_project_data(value, project_id=project_id) == data


# ------------------------------------------------------------------------------------------
# module text
# ------------------------------------------------------------------------------------------


def test_module_source_adds_header_and_crlf() -> None:
    assert module_source(VbaModule("M", "Sub A()\nEnd Sub")) == 'Attribute VB_Name = "M"\r\nSub A()\r\nEnd Sub\r\n'
    assert module_source(VbaModule("M", "")) == 'Attribute VB_Name = "M"\r\n'


def test_module_source_keeps_given_attributes_in_excel_order_and_strips_export_header() -> None:
    exported = (
        "VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  'True\nEND\n"
        'Attribute VB_Name = "Pair"\nattribute vb_exposed = True\n'
        'Attribute VB_Description = "two values"\nAttribute VB_Base = "0{X}"\n'
        "Public Key As String\n"
        "Public Property Get Item() As String\nAttribute Item.VB_UserMemId = 0\nEnd Property\n"
    )
    assert module_source(VbaModule("Pair", exported, VbaModuleKind.CLASS)) == crlf(
        [
            'Attribute VB_Name = "Pair"',
            'Attribute VB_Base = "0{X}"',
            "Attribute VB_GlobalNameSpace = False",
            "Attribute VB_Creatable = False",
            "Attribute VB_PredeclaredId = False",
            "Attribute VB_Exposed = True",
            'Attribute VB_Description = "two values"',
            "Public Key As String",
            "Public Property Get Item() As String",
            "Attribute Item.VB_UserMemId = 0",
            "End Property",
        ]
    )


@pytest.mark.parametrize("module", project_modules(), ids=lambda m: m.name)
def test_module_source_is_idempotent(module: VbaModule) -> None:
    once = module_source(module)
    assert module_source(VbaModule(module.name, once, module.kind)) == once


# ------------------------------------------------------------------------------------------
# the built project, read by independent parsers
# ------------------------------------------------------------------------------------------


def test_project_reads_with_strict_olefile(project: bytes) -> None:
    ole = olefile.OleFileIO(io.BytesIO(project), raise_defects=olefile.DEFECT_UNSURE)
    names = {m.name for m in project_modules()}
    listed = {"/".join(p) for p in ole.listdir()}
    assert listed == {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"} | {f"VBA/{n}" for n in names}
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")
    expected = expected_sources()
    for name in names:
        # MODULEOFFSET is 0: the whole stream is the compressed source, no performance cache.
        raw = ole.openstream(f"VBA/{name}").read()
        assert decompress_stream(bytearray(raw)).decode("cp1252") == expected[name]


def test_building_twice_gives_identical_bytes(project: bytes) -> None:
    assert build_vba_project(project_modules()) == project
    assert build_vba_project(list(reversed(project_modules()))) != project  # order is meaningful


def dir_records(data: bytes) -> list[tuple[int, bytes]]:
    """Split the decompressed dir stream into (id, payload) pairs ([MS-OVBA] 2.3.4.2)."""
    records, pos = [], 0
    while pos < len(data):
        record_id, size = struct.unpack_from("<HI", data, pos)
        if record_id == 0x0009:  # PROJECTVERSION: Reserved=4, then VersionMajor + VersionMinor
            assert size == 4
            size = 6
        elif record_id in (0x0010, 0x002B, 0x0021, 0x0022):  # Id + Reserved (u32) = 0
            assert size == 0
        records.append((record_id, data[pos + 6 : pos + 6 + size]))
        pos += 6 + size
    assert pos == len(data)
    return records


def test_dir_stream_has_every_required_record_in_order(project: bytes) -> None:
    ole = olefile.OleFileIO(io.BytesIO(project), raise_defects=olefile.DEFECT_UNSURE)
    records = dir_records(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    modules = project_modules()
    module_ids = [0x19, 0x47, 0x1A, 0x32, 0x1C, 0x48, 0x31, 0x1E, 0x2C]
    expected_ids = [0x01, 0x02, 0x14, 0x03, 0x04, 0x05, 0x40, 0x06, 0x3D, 0x07, 0x08, 0x09, 0x0C, 0x3C]
    expected_ids += [0x16, 0x3E, 0x0D] * 2 + [0x0F, 0x13]
    for module in modules:
        expected_ids += [*module_ids, 0x21 if module.kind is VbaModuleKind.STANDARD else 0x22, 0x2B]
    assert [rid for rid, _ in records] == [*expected_ids, 0x10]

    values = dict(records[:14])
    assert struct.unpack("<I", values[0x02]) == struct.unpack("<I", values[0x14]) == (0x0409,)
    assert struct.unpack("<H", values[0x03]) == (1252,)
    assert values[0x04] == b"VBAProject"
    assert struct.unpack("<I", values[0x08]) == (0,)
    refs = records[14:20]
    assert [refs[0][1], refs[3][1]] == [b"stdole", b"Office"]
    assert refs[1][1] == "stdole".encode("utf-16-le")
    assert b"{00020430-0000-0000-C000-000000000046}" in refs[2][1]
    assert b"{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}" in refs[5][1]
    assert struct.unpack("<H", records[20][1]) == (len(modules),)
    assert struct.unpack("<H", records[21][1]) == (0xFFFF,)
    per_module = [records[22 + i * 11 : 33 + i * 11] for i in range(len(modules))]
    for module, fields in zip(modules, per_module, strict=True):
        assert fields[0][1] == fields[2][1] == module.name.encode()
        assert fields[1][1] == fields[3][1] == module.name.encode("utf-16-le")
        assert fields[6][1] == bytes(4)  # MODULEOFFSET 0
        assert fields[8][1] == b"\xff\xff"  # MODULECOOKIE


def test_project_and_projectwm_streams(project: bytes) -> None:
    ole = olefile.OleFileIO(io.BytesIO(project), raise_defects=olefile.DEFECT_UNSURE)
    text = ole.openstream("PROJECT").read().decode("cp1252")
    assert text.endswith("\r\n\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    project_id = lines[0].removeprefix('ID="').removesuffix('"')
    assert lines[0] == f'ID="{project_id}"' and len(project_id) == 38
    kinds = {"document": "Document={}/&H00000000", "standard": "Module={}", "class": "Class={}"}
    module_lines = [kinds[m.kind].format(m.name) for m in project_modules()]
    assert lines[1 : 1 + len(module_lines)] == module_lines
    rest = lines[1 + len(module_lines) :]
    assert rest[:3] == ['Name="VBAProject"', 'HelpContextID="0"', 'VersionCompatible32="393222000"']
    secrets = {}
    for line in rest[3:6]:
        key, _, value = line.partition("=")
        secrets[key] = decrypt_project_data(value.strip('"'), project_id=project_id)
    assert secrets == {"CMG": bytes(4), "DPB": b"\x00", "GC": b"\xff"}
    assert rest[6:10] == [
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
    ]
    assert rest[10] == "[Workspace]"
    assert rest[11:-2] == [f"{m.name}=0, 0, 0, 0, C" for m in project_modules()]

    wm = ole.openstream("PROJECTwm").read()
    expected_wm = b"".join(
        m.name.encode() + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00" for m in project_modules()
    )
    assert wm == expected_wm + b"\x00\x00"


def test_olevba_extracts_exactly_our_modules_from_the_xlsm(xlsm: Path) -> None:
    """olevba (strict mode) finds every module, with the right kind, and the exact stored text.

    Compared twice: the full text olevba returns (attribute lines included, CRLF), and the
    text olevba displays after filter_vba() drops the leading ``Attribute VB_`` lines.
    """
    parser = VBA_Parser(str(xlsm), relaxed=False)
    try:
        found = {str(path): (str(name), str(code)) for _, path, name, code in parser.extract_macros()}
    finally:
        parser.close()
    expected = expected_sources()
    assert set(found) == {f"VBA/{name}" for name in expected}
    suffix = {VbaModuleKind.STANDARD: "bas", VbaModuleKind.CLASS: "cls", VbaModuleKind.DOCUMENT: "cls"}
    for module in project_modules():
        file_name, code = found[f"VBA/{module.name}"]
        assert file_name == f"{module.name}.{suffix[module.kind]}"
        assert code == expected[module.name], module.name
    shown = {name: filter_vba(code) for name, (_, code) in found.items()}
    assert shown["VBA/Buttons"] == "\n".join(BUTTONS_BODY)
    assert shown["VBA/OrderRow"] == "\n".join(CLASS_BODY)
    assert shown["VBA/ThisWorkbook"] == "\n".join(WORKBOOK_BODY)
    assert shown["VBA/Sheet2"] == ""
    assert shown["VBA/Buttons"].count(CHECK_CALL) == len(BUTTON_SUBS)


def test_xlsm_wires_code_names_and_buttons(xlsm: Path) -> None:
    with zipfile.ZipFile(xlsm) as archive:
        names = archive.namelist()
        workbook = archive.read("xl/workbook.xml").decode()
        drawings = "".join(archive.read(n).decode() for n in names if n.startswith("xl/drawings/vml"))
    assert "xl/vbaProject.bin" in names
    assert 'codeName="ThisWorkbook"' in workbook
    for sub in BUTTON_SUBS:
        assert f"[0]!{sub}" in drawings


def test_codepage_936_carries_chinese_text_and_olevba_decodes_it() -> None:
    module = VbaModule("Captions", 'Sub Show()\n    MsgBox "检查完成"\nEnd Sub\n')
    parser = VBA_Parser("p.bin", data=build_vba_project([module], codepage=936), relaxed=False)
    try:
        (code,) = [str(code) for *_, code in parser.extract_macros()]
    finally:
        parser.close()
    assert 'MsgBox "检查完成"' in code


# ------------------------------------------------------------------------------------------
# errors
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("modules", "kwargs", "message"),
    [
        ([VbaModule("M", 'Sub A()\n    MsgBox "检查"\nEnd Sub')], {}, r"line 2, column 13.*ChrW"),
        ([VbaModule("M", ""), VbaModule("m", "")], {}, "duplicate module name"),
        ([VbaModule("1st", "")], {}, "not a valid VBA identifier"),
        ([VbaModule("my-module", "")], {}, "not a valid VBA identifier"),
        ([VbaModule("模块", "")], {}, "not a valid VBA identifier"),
        ([VbaModule("", "")], {}, "not a valid VBA identifier"),
        ([VbaModule("M" * 32, "")], {}, "not a valid VBA identifier"),
        ([VbaModule("Sub", "")], {}, "reserved"),
        ([VbaModule("dir", "")], {}, "reserved"),
        ([VbaModule("M", "")], {"project_name": "My Project"}, "not a valid VBA identifier"),
        ([VbaModule("VBAProject", "")], {}, "clashes with the project name"),
        ([VbaModule("M", "")], {"codepage": 65001}, "not a Windows ANSI code page"),
        ([], {}, "at least one module"),
        ([VbaModule("M", 'Attribute VB_Name = "N"\n')], {}, 'expected "M"'),
        ([VbaModule("M", 'Attribute VB_Name = "m"\n')], {}, 'expected "M"'),
        ([VbaModule("M", 'Attribute VB_Name = "M"\nAttribute VB_Name = "M"\n')], {}, "given twice"),
        ([VbaModule("M", 'Sub A()\nEnd Sub\nAttribute VB_Name = "M"\n')], {}, r"VB_Name' must.*line 3"),
        ([VbaModule("M", "\nAttribute VB_Exposed = True\n", VbaModuleKind.CLASS)], {}, "VB_Exposed' must"),
        ([VbaModule("M", "x = 1 ' " + "y" * 1020)], {}, "longer than 1023"),
        ([VbaModule("C", "VERSION 1.0 CLASS\nBEGIN\n", VbaModuleKind.CLASS)], {}, "no END line"),
    ],
)
def test_invalid_input_is_rejected(modules: list[VbaModule], kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_vba_project(modules, **kwargs)  # type: ignore[arg-type]


def test_module_kind_may_be_given_as_a_string() -> None:
    module = VbaModule("C", "", "class")  # type: ignore[arg-type]
    assert module.kind is VbaModuleKind.CLASS


def test_unknown_module_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="form"):
        VbaModule("F", "", "form")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------
# LibreOffice as a third reader
# ------------------------------------------------------------------------------------------


def soffice_or_fail() -> str:
    found = shutil.which("soffice")
    if found is None:
        pytest.fail("GENDAN_REQUIRE_SOFFICE is set but soffice is not installed")
    return found


@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("GENDAN_REQUIRE_SOFFICE"),
    reason="LibreOffice (soffice) not installed; set GENDAN_REQUIRE_SOFFICE=1 to make this a failure",
)
def test_libreoffice_opens_the_xlsm_and_imports_the_vba_project(xlsm: Path, tmp_path: Path) -> None:
    soffice = soffice_or_fail()
    profile = (tmp_path / "lo-profile").as_uri()
    for target in ("csv", "ods"):
        result = subprocess.run(
            [
                soffice,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={profile}",
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path),
                str(xlsm),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "gendan.csv").read_text(encoding="utf-8", errors="replace").startswith("cell-Sheet1")
    # LibreOffice turns an imported VBA project into a Basic library of the same name.
    with zipfile.ZipFile(tmp_path / "gendan.ods") as ods:
        library = ods.read("Basic/VBAProject/script-lb.xml").decode()
        modules = {m.name: ods.read(f"Basic/VBAProject/{m.name}.xml").decode() for m in project_modules()}
    for module in project_modules():
        assert f'library:name="{module.name}"' in library
    lo_kind = {"standard": "normal", "class": "class", "document": "document"}
    for module in project_modules():
        assert f'script:moduleType="{lo_kind[module.kind]}"' in modules[module.name], module.name
    assert modules["Buttons"].count(CHECK_CALL.replace('"', "&quot;")) == len(BUTTON_SUBS)
    assert "Public Const XLWINGS_VERSION" in modules["xlwings"]
