"""Tests that macros/ holds exactly the xlwings standalone modules of the pinned xlwings."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

import pytest

from gendan_xl.excel.vba import VbaModuleKind, module_source
from gendan_xl.excel.xlwings_vba import (
    XLWINGS_MODULE_NAMES,
    extract_standalone_modules,
    installed_xlwings_dir,
    installed_xlwings_version,
    module_file_name,
    pinned_xlwings_version_in_module,
    read_module_files,
    write_module_files,
)

REPO = Path(__file__).resolve().parents[2]
MACROS = REPO / "macros"
UPDATE_HINT = "run: python macros/update_xlwings_modules.py"


def test_extracts_the_two_standalone_modules_with_their_kinds() -> None:
    modules = extract_standalone_modules()
    assert [m.name for m in modules] == list(XLWINGS_MODULE_NAMES)
    assert [m.kind for m in modules] == [VbaModuleKind.STANDARD, VbaModuleKind.CLASS]
    for module in modules:
        assert module.source.startswith(f'Attribute VB_Name = "{module.name}"\r\n')
        assert "\n" not in module.source.replace("\r\n", "") and "\r" not in module.source.replace("\r\n", "")
        assert module.source.endswith("\r\n")


def test_macros_files_match_the_installed_xlwings_byte_for_byte() -> None:
    for module in extract_standalone_modules():
        committed = (MACROS / module_file_name(module)).read_bytes()
        assert committed == module.source.encode("ascii"), f"{module_file_name(module)} is stale; {UPDATE_HINT}"


def test_standalone_xlwings_module_is_the_shipped_xlwings_bas() -> None:
    # Two copies inside the xlwings package: the quickstart workbook's module and xlwings.bas.
    shipped = (installed_xlwings_dir() / "xlwings.bas").read_bytes().decode("ascii")
    normalised = re.sub(r"\r\n|\r|\n", "\r\n", shipped)
    assert extract_standalone_modules()[0].source.rstrip("\r\n") == normalised.rstrip("\r\n")


def test_module_version_matches_installed_and_pinned_xlwings() -> None:
    module_version = pinned_xlwings_version_in_module((MACROS / "xlwings.bas").read_text(encoding="ascii"))
    assert module_version == installed_xlwings_version(), UPDATE_HINT
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project.get("dependencies", [])]
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    pins = {m.group(1) for r in requirements if (m := re.fullmatch(r"xlwings\s*==\s*([^\s;,]+)", r.strip()))}
    assert pins == {module_version}, f"pyproject pins xlwings {sorted(pins)}, macros/xlwings.bas is {module_version}"


def test_builder_keeps_the_xlwings_modules_unchanged() -> None:
    for module in read_module_files(MACROS):
        assert module_source(module) == module.source


SAMPLE = (
    'Attribute VB_Name = "xlwings"\r\n\'Version: 1.2.3\r\n'
    'Const XLPyDLLName As String = "xlwings64-1.2.3.dll"\r\n'
    'Public Const XLWINGS_VERSION As String = "1.2.3"\r\n'
)


def test_pinned_version_reads_the_constant() -> None:
    assert pinned_xlwings_version_in_module(SAMPLE) == "1.2.3"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('Attribute VB_Name = "xlwings"\r\n\'Version: 1.2.3\r\n', "found \\[\\]"),
        (SAMPLE.replace("'Version: 1.2.3", "'Version: 1.2.4"), "1.2.4"),
        (SAMPLE.replace("xlwings64-1.2.3.dll", "xlwings64-1.2.2.dll"), "1.2.2"),
        (SAMPLE + 'Public Const XLWINGS_VERSION As String = "9"\r\n', "expected one"),
    ],
)
def test_pinned_version_rejects_missing_or_inconsistent_modules(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        pinned_xlwings_version_in_module(text)


def test_write_and_read_module_files_round_trip(tmp_path: Path) -> None:
    modules = extract_standalone_modules()
    paths = write_module_files(modules, tmp_path)
    assert [p.name for p in paths] == ["xlwings.bas", "Dictionary.cls"]
    assert read_module_files(tmp_path) == modules


def test_update_script_regenerates_the_committed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("update_xlwings_modules", MACROS / "update_xlwings_modules.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(script, "MACROS_DIR", tmp_path)
    assert script.main() == 0
    for name in ("xlwings.bas", "Dictionary.cls"):
        assert (tmp_path / name).read_bytes() == (MACROS / name).read_bytes()
