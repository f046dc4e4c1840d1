"""Commands ``setup`` (what the set-up scripts run) and ``setup-kit`` (the folder or zip to hand out)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from gendan_xl.cli.app import app, console, guarded
from gendan_xl.cli.excel import (
    InterpreterOption,
    PortableOption,
    chosen_interpreters,
    print_interpreters,
    print_next_steps,
)
from gendan_xl.errors import ConfigError

__all__ = ["ask_for_workbook", "setup_command", "setup_kit_command"]

_DONE = {
    "created": ("已新建", "Created"),
    "macros-added": ("已写入带按钮的副本", "Wrote the copy with the buttons"),
    "configured": ("已设置 Python 路径", "Set the Python path of"),
    "unchanged": ("已是这个 Python，未改动", "Already starts this Python, unchanged:"),
}


def ask_for_workbook(default: Path, tries: int = 3) -> Path | None:
    """Ask for the workbook in the terminal (a dragged file gives its path); None: make the default one."""
    from gendan_xl.excel.install import parse_dropped_path

    console.print(f"把你的总表文件（.xlsx 或 .xlsm）拖进此窗口后按回车；直接按回车则使用 {default}\n"
                  f"[dim]Drag your workbook (.xlsx or .xlsm) into this window and press Enter; just Enter uses "
                  f"{default}[/dim]", highlight=False)
    for _ in range(tries):
        try:
            answer = parse_dropped_path(input("> "))
        except EOFError:
            return None
        if answer is None or answer.exists() or answer.suffix.lower() == ".xlsm":
            return answer
        console.print(f"[yellow]找不到 {answer}，请再试一次 / {answer} not found, try again[/yellow]", highlight=False)
    raise ConfigError("没有可用的工作簿路径", "no usable workbook path was given")


@app.command("setup")
@guarded
def setup_command(
    workbook: Annotated[Path | None, typer.Argument(
        help="Your workbook: an .xlsx gets a copy with the buttons, an .xlsm its Python path. Default: 跟单总表.xlsm "
             "in Documents, made when missing.")] = None,
    ask: Annotated[bool, typer.Option("--ask", help="Ask for the workbook when none is given (in a terminal).")]
    = False,
    interpreter: InterpreterOption = None,
    portable: PortableOption = False,
) -> None:
    """Set up the Excel buttons: check xlwings, install its macOS runner, make or upgrade the workbook, say what next."""
    from gendan_xl import __version__
    from gendan_xl.excel.install import check_excel_extra, default_workbook, install_runpython
    from gendan_xl.pipeline import prepare_workbook

    console.print(f"[bold]gendan_xl {__version__}[/bold]：设置 Excel 按钮 / setting up the Excel buttons", highlight=False)
    interpreters = chosen_interpreters(interpreter, portable)
    console.print(f"xlwings {check_excel_extra()} ✓", highlight=False)
    if sys.platform == "darwin":
        script = install_runpython()
        console.print(f"xlwings runpython install ✓ [dim]{script}[/dim]", highlight=False)
    if workbook is None and ask and sys.stdin is not None and sys.stdin.isatty():
        workbook = ask_for_workbook(default_workbook())
    outcome = prepare_workbook(workbook, interpreters)
    zh, en = _DONE[outcome.action.value]
    console.print(f"[green]{zh} / {en}[/green] {outcome.workbook}", highlight=False)
    if outcome.source is not None and outcome.action.value != "macros-added":
        console.print(f"[dim]{outcome.source.name} 旁已有 {outcome.workbook.name}，未重新生成 / "
                      f"{outcome.workbook.name} already exists beside {outcome.source.name}; kept[/dim]")
    print_interpreters(interpreters)
    print_next_steps(outcome.workbook)


@app.command("setup-kit")
@guarded
def setup_kit_command(
    out: Annotated[Path, typer.Argument(help="A folder, or a .zip file, for the kit.")],
    wheel: Annotated[Path | None, typer.Option("--wheel", help="The gendan_xl wheel (.whl) to put beside the scripts.")]
    = None,
) -> None:
    """Write the one-step set-up scripts (Windows, macOS) and a short guide, with the wheel, to hand to a user."""
    from gendan_xl.excel.install import write_setup_kit

    for path in write_setup_kit(out, wheel):
        console.print(f"[green]已写入 Written[/green] {path}", highlight=False)
    if wheel is None:
        console.print("[yellow]未附 wheel：脚本将从软件包索引安装 gendan_xl（尚未发布）/ no wheel: the scripts will "
                      "install gendan_xl from the package index, where it is not published yet[/yellow]")
