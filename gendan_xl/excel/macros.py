"""The master workbook's VBA project: gendan's button module, xlwings' standalone modules, document modules.

The module sources ship with the package (``gendan_xl.macros``, the repository's ``macros/``
folder): ``gendan.bas`` — one Sub per button, each a single ``RunPython`` line — and xlwings'
``xlwings.bas`` and ``Dictionary.cls`` of the pinned xlwings version (``RunPython`` itself).
A workbook also needs one document module per code name (``ThisWorkbook``, ``Sheet1`` …) or
Excel adds its own ``ThisWorkbook1``. The ``xlwings.conf`` sheet (:mod:`gendan_xl.excel.conf`)
tells the xlwings module which Python to start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from gendan_xl.excel.vba import VbaModule, VbaModuleKind, build_vba_project

__all__ = [
    "BUTTONS",
    "MACRO_FILES",
    "Button",
    "document_modules",
    "macro_modules",
    "read_macro",
    "workbook_project",
]

MACRO_FILES = (("gendan.bas", VbaModuleKind.STANDARD), ("xlwings.bas", VbaModuleKind.STANDARD),
               ("Dictionary.cls", VbaModuleKind.CLASS))


@dataclass(frozen=True)
class Button:
    """A form-control button: the Sub it runs (in ``gendan.bas``) and its caption."""

    sub: str
    caption: str


BUTTONS = (
    Button("GendanCheck", "检查 Check"),
    Button("GendanDocuments", "生成单证 Documents"),
    Button("GendanPlan", "出运计划 Plan"),
    Button("GendanFindings", "本行问题 Findings"),
)


def read_macro(name: str) -> str:
    """The text of one shipped macro file (ASCII, line endings as stored)."""
    return resources.files("gendan_xl.macros").joinpath(name).read_bytes().decode("ascii")


def macro_modules() -> tuple[VbaModule, ...]:
    """``gendan``, ``xlwings`` and ``Dictionary``, from the shipped ``.bas``/``.cls`` files."""
    return tuple(VbaModule(name.rsplit(".", 1)[0], read_macro(name), kind) for name, kind in MACRO_FILES)


def document_modules(workbook_code_name: str, sheet_code_names: Sequence[str]) -> list[VbaModule]:
    """Empty document modules for the workbook and each worksheet, named by their code names."""
    return [VbaModule(workbook_code_name, "", VbaModuleKind.DOCUMENT),
            *(VbaModule(name, "", VbaModuleKind.DOCUMENT) for name in sheet_code_names)]


def workbook_project(sheet_code_names: Sequence[str], *, workbook_code_name: str = "ThisWorkbook") -> bytes:
    """The ``vbaProject.bin`` of a master workbook whose worksheets have these code names."""
    return build_vba_project([*document_modules(workbook_code_name, sheet_code_names), *macro_modules()])
