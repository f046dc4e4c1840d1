"""Commands ``init``, ``demo`` and ``read``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from gendan_xl.cli.app import EXIT_DATA_ERRORS, EXIT_OK, TodayOption, app, console, guarded, parse_today
from gendan_xl.cli.check import report_tables
from gendan_xl.cli.excel import (
    InterpreterOption,
    PortableOption,
    chosen_interpreters,
    print_interpreters,
    print_next_steps,
)
from gendan_xl.cli.plan import plan_table
from gendan_xl.cli.render import (
    MESSAGE_WIDTH,
    Column,
    FitTable,
    findings_table,
    note,
    read_summary_table,
)
from gendan_xl.errors import ConfigError

__all__ = ["demo_command", "init_command", "read_command"]


@app.command("init")
@guarded
def init_command(
    path: Annotated[Path, typer.Argument(help="Where to write the new master workbook (.xlsx; .xlsm with --excel).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    excel: Annotated[bool, typer.Option("--excel", help="A macro-enabled .xlsm with the Excel buttons (docs/excel.md).")]
    = False,
    interpreter: InterpreterOption = None,
    portable: PortableOption = False,
) -> None:
    """Create a new, empty master order workbook (跟单总表) from the template."""
    from gendan_xl.pipeline import create_workbook

    if excel:
        interpreters = chosen_interpreters(interpreter, portable)
        written = create_workbook(path, overwrite=force, excel=True, interpreters=interpreters)
        console.print(note("已创建 Created", str(written)))
        print_interpreters(interpreters)
        print_next_steps(written)
        return
    if interpreter is not None or portable:
        raise ConfigError("--interpreter 和 --portable 只用于 --excel", "--interpreter and --portable go with --excel")
    written = create_workbook(path, overwrite=force)
    console.print(note("已创建 Created", str(written)))


@app.command("demo")
@guarded
def demo_command(
    directory: Annotated[Path, typer.Argument(help="Folder for the demo workbook.")] = Path("gendan-demo"),
    today: TodayOption = None,
    layout: Annotated[str, typer.Option("--layout", help="split (the template's orders + lines sheets) or flat (a "
                                                          "one-sheet tracker with merged order cells).")] = "split",
) -> None:
    """Write a realistic demo workbook with planted problems, run the pipeline on it, print a summary."""
    from gendan_xl.pipeline import run_demo

    run = run_demo(directory, today=parse_today(today), layout=layout)
    console.print(note("示例总表 Demo workbook", str(run.path)))
    console.print(read_summary_table(run.workbook))
    for table in report_tables(run.report):
        console.print(table)
    console.print(plan_table(run.plan))
    if run.documents:
        console.print(note("单证 Documents", f"{len(run.documents)} → {run.documents[0].parent}"))
    console.print(note("步骤 Steps run", ", ".join(run.steps), style=""))
    console.print(FitTable("埋下的问题 Planted problems", [
        Column("订单 Order", "key"), Column("代码 Code", "key"), Column("问题 Problem", "text", min_width=MESSAGE_WIDTH),
    ], [[planted.order_no, planted.code, planted.what] for planted in run.data.planted]), style="dim")


@app.command("read")
@guarded
def read_command(
    path: Annotated[Path, typer.Argument(help="The master workbook (.xlsx/.xlsm).")],
    output_format: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Read a master workbook and list what was read and every problem found, with cell addresses."""
    from gendan_xl.pipeline import read_workbook

    if output_format not in ("table", "json"):
        raise ConfigError(f"--format 只能是 table 或 json：{output_format}", f"--format must be table or json: {output_format}")
    workbook = read_workbook(path)
    errors = any(True for _ in workbook.errors())
    if output_format == "json":
        payload: dict[str, Any] = {
            "path": str(path), "counts": workbook.counts(),
            "sheets": {k: v.model_dump() for k, v in workbook.sheets.items()},
            "findings": [f.model_dump(mode="json") | {"address": f.address} for f in workbook.findings],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        console.print(read_summary_table(workbook))
        if workbook.findings:
            console.print(findings_table(workbook.findings))
        else:
            console.print("[green]没有发现问题 No problems found[/green]")
    raise typer.Exit(EXIT_DATA_ERRORS if errors else EXIT_OK)
