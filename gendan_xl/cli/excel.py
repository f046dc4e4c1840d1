"""Commands ``excel-setup`` and ``excel-config``: the Excel buttons for a workbook, and the Python they start.

The options ``--interpreter`` and ``--portable`` (also on ``init --excel`` and ``setup``) choose what
goes on the ``xlwings.conf`` sheet: by default the Python running this command.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from gendan_xl.cli.app import app, console, guarded
from gendan_xl.cli.render import note
from gendan_xl.errors import ConfigError
from gendan_xl.excel.interpreter import PORTABLE, Interpreters, interpreters_for, running_interpreters

__all__ = [
    "InterpreterOption",
    "PortableOption",
    "chosen_interpreters",
    "excel_config_command",
    "excel_setup_command",
    "print_interpreters",
    "print_next_steps",
]

InterpreterOption = Annotated[str | None, typer.Option(
    "--interpreter", metavar="PATH",
    help="The Python the buttons start (default: this one). A Windows path sets Interpreter_Win, a POSIX path "
         "Interpreter_Mac.")]
PortableOption = Annotated[bool, typer.Option(
    "--portable", help="Leave the Python path empty: each computer then starts its own `python`.")]


def chosen_interpreters(interpreter: str | None, portable: bool) -> Interpreters:
    """The interpreters the options ask for: ``--portable``, ``--interpreter PATH`` or the running Python."""
    if portable and interpreter is not None:
        raise ConfigError("--interpreter 与 --portable 只能用一个", "use --interpreter or --portable, not both")
    if portable:
        return PORTABLE
    return running_interpreters() if interpreter is None else interpreters_for(interpreter)


def print_interpreters(interpreters: Interpreters) -> None:
    """Say which Python the buttons start, and warn when this Python cannot run them."""
    if interpreters == PORTABLE:
        console.print("Python：留空，按钮启动 PATH 上的 python / left empty: the buttons start `python` from the PATH")
        return
    console.print(f"Python（xlwings.conf）：{interpreters.shown()}", highlight=False)
    if interpreters == running_interpreters() and importlib.util.find_spec("xlwings") is None:
        console.print("[yellow]注意：此 Python 未安装 xlwings，按钮需要 gendan_xl[excel]（见 docs/install.md）/ "
                      "note: xlwings is not installed in this Python; the buttons need gendan_xl[excel] "
                      "(docs/install.md)[/yellow]")
    mine = interpreters.win if sys.platform == "win32" else interpreters.mac
    if mine and not mine.startswith(("%", "$")) and not Path(mine).exists():
        console.print(f"[yellow]注意：本机没有 {mine} / note: {mine} does not exist on this computer[/yellow]")


def print_next_steps(workbook: Path) -> None:
    """The numbered next steps for the user, in both languages."""
    from gendan_xl.excel.install import next_steps

    steps = Table.grid(padding=(0, 1))
    steps.add_column(justify="right", no_wrap=True)
    steps.add_column()
    for number, (zh, en) in enumerate(next_steps(workbook), start=1):
        steps.add_row(f"{number}.", Text.assemble(zh, "\n", (en, "dim")))  # wrapped lines keep their indent
    console.print("[bold]下一步 Next:[/bold]")
    console.print(steps, highlight=False)


@app.command("excel-setup")
@guarded
def excel_setup_command(
    path: Annotated[Path, typer.Argument(help="The master workbook (.xlsx); it is not changed.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The .xlsm to write (default: PATH with .xlsm).")]
    = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing .xlsm.")] = False,
    interpreter: InterpreterOption = None,
    portable: PortableOption = False,
) -> None:
    """Write PATH.xlsm next to PATH: the same workbook plus the buttons, the xlwings.conf sheet and the macros."""
    from gendan_xl.pipeline import setup_excel

    interpreters = chosen_interpreters(interpreter, portable)
    result = setup_excel(path, target=output, overwrite=force, interpreters=interpreters)
    console.print(note("已写入 Written", str(result.path), f"原文件未改动 / {path.name} is unchanged"))
    print_interpreters(interpreters)
    print_next_steps(result.path)


@app.command("excel-config")
@guarded
def excel_config_command(
    path: Annotated[Path, typer.Argument(help="The macro-enabled workbook (.xlsm).")],
    interpreter: InterpreterOption = None,
    portable: PortableOption = False,
    force: Annotated[bool, typer.Option("--force", help="Write even if Excel's lock file (~$name) is present.")]
    = False,
) -> None:
    """Set the Python the buttons of PATH start, on its xlwings.conf sheet (after moving Python, or for a colleague)."""
    from gendan_xl.pipeline import configure_excel

    interpreters = chosen_interpreters(interpreter, portable)
    result = configure_excel(path, interpreters, force=force)
    if result.changed:
        console.print(f"[green]已更新 Updated[/green] {result.path}"
                      + (f"  [dim]备份 backup: {result.backup}[/dim]" if result.backup else ""))
    else:
        console.print(f"未改动：已是这个 Python / unchanged: {result.path} already starts this Python")
    print_interpreters(interpreters)
