"""The VBA modules xlwings' standalone mode embeds (``xlwings`` and ``Dictionary``).

``xlwings quickstart NAME --standalone`` copies the package's ``quickstart_standalone.xlsm``,
so that workbook's VBA project is the authoritative source of the two modules.  They are
read from the installed package with oletools (a development dependency, imported lazily)
and kept in the repository as ``macros/xlwings.bas`` and ``macros/Dictionary.cls``; the
``xlwings`` module hard-codes the xlwings version and DLL name, so it must match the pinned
xlwings exactly.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from gendan_xl.excel.vba import VbaModule, VbaModuleKind, load_module_file

__all__ = [
    "XLWINGS_MODULE_NAMES",
    "extract_standalone_modules",
    "installed_xlwings_dir",
    "installed_xlwings_version",
    "module_file_name",
    "pinned_xlwings_version_in_module",
    "read_module_files",
    "write_module_files",
]

XLWINGS_MODULE_NAMES = ("xlwings", "Dictionary")
_STANDALONE_WORKBOOK = "quickstart_standalone.xlsm"
_VERSION_CONST = re.compile(r'^\s*Public\s+Const\s+XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]+)"', re.M | re.I)
_VERSION_COMMENT = re.compile(r"^'Version:\s*(\S+)\s*$", re.M)
_DLL_NAME = re.compile(r'"xlwings(?:32|64)-([^"]+)\.dll"', re.I)


def installed_xlwings_dir() -> Path:
    """Return the directory of the installed xlwings package without importing it."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise LookupError("xlwings is not installed (pip install 'gendan_xl[excel]')")
    return Path(spec.origin).parent


def installed_xlwings_version() -> str:
    """Return the version of the installed xlwings distribution."""
    return importlib.metadata.version("xlwings")


def _crlf(text: str) -> str:
    text = re.sub(r"\r\n|\r|\n", "\r\n", text)
    return text if text.endswith("\r\n") else text + "\r\n"


def extract_standalone_modules(workbook: Path | None = None) -> tuple[VbaModule, ...]:
    """Read the ``xlwings`` and ``Dictionary`` modules from xlwings' standalone quickstart workbook.

    The text is returned as stored in the workbook's VBA project (attribute lines included),
    with CRLF line endings.  ``workbook`` defaults to the installed package's copy.
    """
    from oletools.olevba import VBA_Parser  # development dependency: only the updater needs it

    path = workbook if workbook is not None else installed_xlwings_dir() / _STANDALONE_WORKBOOK
    with zipfile.ZipFile(path) as archive:
        project = archive.read("xl/vbaProject.bin")
    parser = VBA_Parser(str(path), data=project, relaxed=False)
    try:
        found: dict[str, VbaModule] = {}
        for _, stream_path, file_name, code in parser.extract_macros():
            name = str(stream_path).rsplit("/", 1)[-1]
            if name not in XLWINGS_MODULE_NAMES:
                continue
            # olevba names standard modules *.bas and class/document modules *.cls.
            kind = VbaModuleKind.STANDARD if str(file_name).endswith(".bas") else VbaModuleKind.CLASS
            found[name] = VbaModule(name=name, source=_crlf(str(code)), kind=kind)
    finally:
        parser.close()
    missing = [name for name in XLWINGS_MODULE_NAMES if name not in found]
    if missing:
        raise LookupError(f"{path}: VBA module(s) {missing} not found")
    return tuple(found[name] for name in XLWINGS_MODULE_NAMES)


def pinned_xlwings_version_in_module(text: str) -> str:
    """Return the xlwings version hard-coded in ``xlwings.bas`` (``XLWINGS_VERSION``).

    Raises ValueError when the constant is missing or disagrees with the ``'Version:``
    comment or the DLL names the module declares.
    """
    constants: set[str] = set(_VERSION_CONST.findall(text))
    if len(constants) != 1:
        raise ValueError(f"expected one XLWINGS_VERSION constant in the module, found {sorted(constants)}")
    version = constants.pop()
    others: set[str] = set(_VERSION_COMMENT.findall(text)) | set(_DLL_NAME.findall(text))
    if others - {version}:
        raise ValueError(f"XLWINGS_VERSION is {version!r} but the module also names {sorted(others - {version})}")
    return version


def module_file_name(module: VbaModule) -> str:
    """Return ``Name.bas`` for a standard module and ``Name.cls`` otherwise, as VBE exports them."""
    return f"{module.name}.{'bas' if module.kind is VbaModuleKind.STANDARD else 'cls'}"


def write_module_files(modules: Iterable[VbaModule], directory: Path) -> list[Path]:
    """Write each module's source (ASCII, CRLF kept) to ``directory`` and return the paths."""
    written = []
    for module in modules:
        target = directory / module_file_name(module)
        with target.open("w", encoding="ascii", newline="") as handle:
            handle.write(module.source)
        written.append(target)
    return written


def read_module_files(directory: Path) -> tuple[VbaModule, ...]:
    """Load ``xlwings.bas`` and ``Dictionary.cls`` from ``directory`` (for example ``macros/``)."""
    return (
        load_module_file(directory / "xlwings.bas", kind=VbaModuleKind.STANDARD),
        load_module_file(directory / "Dictionary.cls", kind=VbaModuleKind.CLASS),
    )
