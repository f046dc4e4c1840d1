"""Command ``excel-setup``: a macro-enabled copy of an existing master workbook, with the Excel buttons."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gendan_xl.cli.app import app, console, guarded
from gendan_xl.cli.render import EXCEL_NEXT_STEP, note

__all__ = ["excel_setup_command"]


@app.command("excel-setup")
@guarded
def excel_setup_command(
    path: Annotated[Path, typer.Argument(help="The master workbook (.xlsx); it is not changed.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The .xlsm to write (default: PATH with .xlsm).")]
    = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing .xlsm.")] = False,
) -> None:
    """Write PATH.xlsm next to PATH: the same workbook plus the buttons, the xlwings.conf sheet and the macros."""
    from gendan_xl.excel.setup import setup_excel

    result = setup_excel(path, target=output, overwrite=force)
    console.print(note("已写入 Written", str(result.path), f"原文件未改动 / {path.name} is unchanged"))
    console.print(EXCEL_NEXT_STEP)
