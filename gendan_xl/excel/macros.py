"""The master workbook's VBA project: gendan's button module, xlwings' standalone modules, document modules.

The module sources ship with the package (``gendan_xl.macros``, the repository's ``macros/``
folder): ``gendan.bas`` — one Sub per button, each a single ``RunPython`` line — and xlwings'
``xlwings.bas`` and ``Dictionary.cls`` of the pinned xlwings version (``RunPython`` itself).
A workbook also needs one document module per code name (``ThisWorkbook``, ``Sheet1`` …) or
Excel adds its own ``ThisWorkbook1``. The ``xlwings.conf`` sheet tells the xlwings module which
Python to start; its keys are those the embedded ``xlwings.bas`` reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from gendan_xl.excel.vba import VbaModule, VbaModuleKind, build_vba_project

__all__ = [
    "BUTTONS",
    "CONF_NOTES",
    "CONF_ROWS",
    "CONF_SHEET",
    "CONF_WIDTHS",
    "MACRO_FILES",
    "Button",
    "document_modules",
    "macro_modules",
    "read_macro",
    "workbook_project",
]

MACRO_FILES = (("gendan.bas", VbaModuleKind.STANDARD), ("xlwings.bas", VbaModuleKind.STANDARD),
               ("Dictionary.cls", VbaModuleKind.CLASS))
CONF_SHEET = "xlwings.conf"


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

#: The xlwings.conf sheet: keys from A1 down without a gap (xlwings reads A1 to the first blank
#: cell), values in B, an explanation in C (xlwings reads only A and B).
CONF_ROWS: tuple[tuple[str, str, str], ...] = (
    ("Interpreter_Win", "",
     "Windows：Python 的完整路径，如 C:\\Users\\你\\AppData\\Local\\Programs\\Python\\Python312\\pythonw.exe；"
     "留空 = 用 PATH 上的 python / full path of pythonw.exe; empty = python on the PATH"),
    ("Interpreter_Mac", "",
     "macOS：Python 的完整路径，如 /Users/you/gendan/.venv/bin/python；留空 = python / full path of python"),
    ("PYTHONPATH", "",
     "仅当 gendan_xl 未装进该 Python 时，填其源代码文件夹 / only if gendan_xl is not installed in that Python: "
     "the folder of its source"),
    ("UDF Modules", "gendan_xl.udfs", "工作表函数 gd_… 的模块（仅 Windows）/ the module of the gd_… worksheet functions "
     "(Windows only)"),
)
CONF_NOTES = (
    "说明 Notes:",
    "这些设置由工作簿中的 xlwings 模块读取（从 A1 起，遇空行为止）。Python 路径请按本机填写；"
    "详见 gendan_xl 文档 docs/excel.md。",
    "The xlwings module of this workbook reads these settings (from A1 down to the first blank row). Fill in "
    "the path of your Python; see docs/excel.md of gendan_xl.",
)
CONF_WIDTHS = {1: 18.0, 2: 46.0, 3: 100.0}


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
