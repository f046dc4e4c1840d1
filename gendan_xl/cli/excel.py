"""Command ``excel-setup``: a macro-enabled copy of an existing master workbook, with the Excel buttons."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gendan_xl.cli.app import app, console, guarded

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
    console.print(f"[green]已写入 Written[/green] {result.path}（原文件未改动 / {path.name} is unchanged）")
    console.print("下一步：按 docs/excel.md 在 xlwings.conf 表填写 Python 路径并启用宏 / next: set the Python path on "
                  "the xlwings.conf sheet and enable macros (docs/excel.md)")
