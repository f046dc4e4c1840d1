"""The ``xlwings.conf`` sheet: its rows in a new workbook, and setting the Python path of an existing one.

xlwings' VBA module reads this sheet (by that name, case aside) from A1 down to the last cell of
the block that starts there (``End(xlDown)``): each key in A, upper-cased (so case does not
matter, and a key twice is a VBA error), its value in B. Column C is our explanation; xlwings
ignores it. The notes below the block are separated by one blank row, so xlwings never reads them.

:func:`configure_excel` (``gendan excel-config``) sets ``Interpreter_Win`` / ``Interpreter_Mac``
of a workbook through the lossless writer: only those value cells change (a key missing from the
block is added below it; a workbook without the sheet gets one), with the writer's backup, lock
check and atomic save.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gendan_xl.errors import ConfigError
from gendan_xl.excel.interpreter import Interpreters
from gendan_xl.ooxml import CellValue, CellWrite, NewSheet, SheetPatch, patch_workbook
from gendan_xl.workbook.sources import FileSource

__all__ = [
    "CONF_NOTES",
    "CONF_SHEET",
    "CONF_WIDTHS",
    "INTERPRETER_MAC",
    "INTERPRETER_WIN",
    "ConfResult",
    "conf_rows",
    "conf_sheet",
    "configure_excel",
    "plan_conf",
    "read_conf",
]

CONF_SHEET = "xlwings.conf"
INTERPRETER_WIN, INTERPRETER_MAC = "Interpreter_Win", "Interpreter_Mac"

_EXPLAINED = (
    (INTERPRETER_WIN,
     "Windows：按钮启动的 Python（pythonw.exe 的完整路径），由 gendan 写入；移动或重装后运行 gendan excel-config "
     "/ the Python the buttons start (full path of pythonw.exe), written by gendan; after moving or reinstalling it, "
     "run gendan excel-config. 留空 = PATH 上的 python / empty = python on the PATH"),
    (INTERPRETER_MAC,
     "macOS：按钮启动的 Python（如 /Users/you/gendan/bin/python），由 gendan 写入 / the Python the buttons start "
     "(such as /Users/you/gendan/bin/python), written by gendan. 留空 = python / empty = python"),
    ("PYTHONPATH",
     "仅当 gendan_xl 未装进该 Python 时，填其源代码文件夹 / only if gendan_xl is not installed in that Python: "
     "the folder of its source"),
    ("UDF Modules", "工作表函数 gd_… 的模块（仅 Windows）/ the module of the gd_… worksheet functions (Windows only)"),
)
_DEFAULTS = {"UDF Modules": "gendan_xl.udfs"}
CONF_NOTES = (
    "说明 Notes:",
    "这些设置由工作簿中的 xlwings 模块读取（从 A1 起，遇空行为止）。Python 路径由 gendan init --excel、"
    "gendan excel-setup 或安装脚本写入，可用 gendan excel-config 更改；详见 gendan_xl 文档 docs/install.md。",
    "The xlwings module of this workbook reads these settings (from A1 down to the first blank row). The Python "
    "path is written by gendan init --excel, gendan excel-setup or the set-up script; change it with gendan "
    "excel-config (docs/install.md of gendan_xl).",
)
CONF_WIDTHS = {1: 18.0, 2: 46.0, 3: 100.0}


def conf_rows(interpreters: Interpreters) -> tuple[tuple[str, str, str], ...]:
    """The key block of a new sheet: (key, value, explanation); an interpreter left as None is empty."""
    values = {INTERPRETER_WIN: interpreters.win or "", INTERPRETER_MAC: interpreters.mac or "", **_DEFAULTS}
    return tuple((key, values.get(key, ""), note) for key, note in _EXPLAINED)


def conf_sheet(interpreters: Interpreters) -> list[list[CellValue]]:
    """Every row of a new ``xlwings.conf`` sheet: the key block, one blank row, the notes."""
    rows: list[list[CellValue]] = [[key, value, note] for key, value, note in conf_rows(interpreters)]
    rows.append([])
    rows.extend([text] for text in CONF_NOTES)
    return rows


@dataclass(frozen=True)
class ConfBlock:
    """The key block of an existing ``xlwings.conf`` sheet as xlwings reads it."""

    sheet: str
    keys: dict[str, tuple[int, str]]  # upper-cased key -> (1-based row, its value as text)
    end: int  # the last row of the block (0: A1 is empty)


def read_conf(path: Path) -> ConfBlock | None:
    """The ``xlwings.conf`` block of the workbook at ``path``, or None when it has no such sheet."""
    source = FileSource(path)
    try:
        name = next((n for n in source.worksheet_names() if n.casefold() == CONF_SHEET), None)
        if name is None:
            return None
        sheet = source.sheet(name)
        start = sheet.start
        keys: dict[str, tuple[int, str]] = {}
        end = 0
        if start is not None and start[1] == 0:
            for index, row in enumerate(sheet.iter_rows(), start=1):
                key = _text(row[0] if row else "")
                if not key:
                    break
                keys.setdefault(key.upper(), (index, _text(row[1] if len(row) > 1 else "")))
                end = index
        return ConfBlock(name, keys, end)
    finally:
        source.close()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plan_conf(path: Path, interpreters: Interpreters) -> SheetPatch | NewSheet | None:
    """What to write so the workbook at ``path`` starts these interpreters (None: it already does)."""
    block = read_conf(path)
    if block is None:
        return NewSheet(CONF_SHEET, conf_sheet(interpreters), CONF_WIDTHS, replace=False)
    writes: list[CellWrite] = []
    free = block.end + 1
    for key, value in ((INTERPRETER_WIN, interpreters.win), (INTERPRETER_MAC, interpreters.mac)):
        if value is None:
            continue
        found = block.keys.get(key.upper())
        if found is None:  # xlwings reads the block down to its first blank row: extend it there
            writes += [CellWrite(free, 1, key), CellWrite(free, 2, value or None)]
            free += 1
        elif found[1] != value:
            writes.append(CellWrite(found[0], 2, value or None))
    return SheetPatch(block.sheet, writes) if writes else None


@dataclass(frozen=True)
class ConfResult:
    """What ``excel-config`` did: the workbook, whether it changed, the keys set and the backup kept."""

    path: Path
    changed: bool
    interpreters: Interpreters
    backup: Path | None


def configure_excel(path: Path | str, interpreters: Interpreters, *, force: bool = False,
                    backups: int = 3) -> ConfResult:
    """Set the Python the buttons of the macro-enabled workbook at ``path`` start (see the module docstring)."""
    target = Path(path)
    if target.suffix.lower() != ".xlsm":
        raise ConfigError(f"excel-config 需要带按钮的 .xlsm 工作簿：{target.name}（.xlsx 请先用 gendan excel-setup）",
                          f"excel-config takes a macro-enabled .xlsm workbook: {target.name} (for an .xlsx: "
                          "gendan excel-setup)", path=target)
    plan = plan_conf(target, interpreters)
    if plan is None:
        return ConfResult(target, False, interpreters, None)
    patches, new = ([plan], []) if isinstance(plan, SheetPatch) else ([], [plan])
    result = patch_workbook(target, patches, new, backups=backups, force=force)
    return ConfResult(result.path, result.changed, interpreters, result.backup)
