"""``gendan excel-setup``: a macro-enabled copy (.xlsm) of an existing master workbook, with the buttons.

The user's ``.xlsx`` is left untouched; the copy is written next to it through the lossless
writer, so every member of the package stays byte-identical except:

* ``xl/workbook.xml`` — the workbook's code name (``<workbookPr codeName="ThisWorkbook">``) and
  the new ``xlwings.conf`` sheet;
* the worksheets whose ``<sheetPr>`` gets a code name (``Sheet1`` …; existing code names are
  kept) — Excel needs one document module per code name, or it adds its own;
* the orders sheet's legacy drawing, its ``.rels`` and, when it had none, a ``<legacyDrawing>``
  element: the form-control buttons (:mod:`gendan_xl.ooxml.buttons`);
* added: ``xl/vbaProject.bin`` (built from the shipped macros, :mod:`gendan_xl.excel.macros`),
  the ``xlwings.conf`` sheet and its parts, with the Python the buttons start (a workbook that
  already has that sheet keeps it, and only its interpreter cells are set, :mod:`gendan_xl.excel.conf`); ``xl/_rels/workbook.xml.rels`` gains the VBA
  project's relationship and ``[Content_Types].xml`` declares it and marks the workbook
  macro-enabled (``application/vnd.ms-excel.sheet.macroEnabled.main+xml``).

The package surgery is :func:`gendan_xl.ooxml.enable_macros`; this module decides what goes in.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gendan_xl.errors import ConfigError
from gendan_xl.excel.conf import plan_conf
from gendan_xl.excel.interpreter import Interpreters, running_interpreters
from gendan_xl.excel.macros import BUTTONS, workbook_project
from gendan_xl.excel.xlsm import BUTTON_WIDTH, button_column
from gendan_xl.ooxml import (
    ButtonShape,
    SheetPatch,
    apply_patches,
    check_writable,
    enable_macros,
    verify_parts,
)
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.schema import LINE_CHECK, sheet_spec

__all__ = ["SetupResult", "setup_excel"]


@dataclass(frozen=True)
class SetupResult:
    """What ``excel-setup`` wrote: the new file, the code names given, the parts changed or added."""

    path: Path
    code_names: tuple[str, ...]
    touched_parts: tuple[str, ...]


def setup_excel(path: Path | str, *, target: Path | str | None = None, overwrite: bool = False,
                interpreters: Interpreters | None = None) -> SetupResult:
    """Write a macro-enabled copy of the master workbook at ``path`` (default: the same name with ``.xlsm``).

    ``interpreters`` go on the ``xlwings.conf`` sheet; default: the running Python.
    """
    source = Path(path)
    workbook = read_workbook(source)  # refuses anything that is not a readable master workbook
    if source.suffix.lower() != ".xlsx":
        raise ConfigError(f"excel-setup 需要 .xlsx 工作簿：{source.name}（.xlsm 已可含宏；新建请用 gendan init --excel）",
                          f"excel-setup takes an .xlsx workbook: {source.name} (for a new one: gendan init --excel)",
                          path=source)
    out = Path(target) if target is not None else source.with_suffix(".xlsm")
    if out.suffix.lower() != ".xlsm":
        raise ConfigError(f"目标文件应以 .xlsm 结尾：{out}", f"the target must end in .xlsm: {out}", path=out)
    if out.exists():
        if not overwrite:
            raise ConfigError(f"文件已存在，不会覆盖：{out}（加 --force 覆盖）", f"{out} already exists (use --force)", path=out)
        check_writable(out)
    # The buttons go on the user's own order sheet, right of the status columns the first check will add there
    # (on a one-sheet tracker the line-check column too).
    orders = workbook.sheets["orders"]
    wanted = list(sheet_spec("orders").status_columns)
    present = dict(orders.status_columns)
    if orders.layout == "flat":
        wanted.append(LINE_CHECK)
        present.update(workbook.sheets["lines"].status_columns)
    missing = [s for s in wanted if s.key not in present]
    last = max([orders.last_column, *present.values()])
    data = source.read_bytes()
    conf = plan_conf(source, running_interpreters() if interpreters is None else interpreters)
    if isinstance(conf, SheetPatch):
        data = apply_patches(data, [conf]).data
    elif conf is not None:
        data = apply_patches(data, [], [conf]).data
    first = button_column(last, len(missing))
    data, code_names, touched = enable_macros(data, orders.name, [
        ButtonShape(b.sub, b.caption, orders.header_row, first, 4 + i * (BUTTON_WIDTH + 8), 0, BUTTON_WIDTH, 0)
        for i, b in enumerate(BUTTONS)], _project)
    _write(out, data, touched)
    return SetupResult(out, code_names, touched)


def _write(target: Path, data: bytes, touched: tuple[str, ...]) -> None:
    """Write ``data`` to ``target`` through a verified temporary file in the same folder."""
    temporary = target.with_name(f".{target.name}.gendan-tmp")
    try:
        temporary.write_bytes(data)
        with zipfile.ZipFile(temporary) as archive:
            xml = [n for n in archive.namelist() if n in touched and n.endswith((".xml", ".rels"))]
        verify_parts(temporary, xml)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _project(code_names: Sequence[str], workbook_code_name: str) -> bytes:
    return workbook_project(code_names, workbook_code_name=workbook_code_name)
