"""The ``gendan`` command line: parse options, call the pipeline, print with rich, set the exit code.

Exit codes: 0 — done, no errors in the data; 1 — done, the data has errors (findings of
severity error); 2 — could not run (file missing, not a workbook, encrypted, damaged, missing
sheets or columns, bad option). ``--debug`` shows the traceback of a run that could not go on.
"""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from gendan_xl.cli.render import findings_table, print_error, read_summary_table
from gendan_xl.errors import ConfigError, GendanError, SchemaError

__all__ = ["EXIT_DATA_ERRORS", "EXIT_FAILED", "EXIT_OK", "app", "main"]

EXIT_OK, EXIT_DATA_ERRORS, EXIT_FAILED = 0, 1, 2

app = typer.Typer(
    name="gendan",
    help="gendan_xl — 外贸跟单总表的检查、回写与单证 / checks, write-back and documents for the master order "
         "workbook.\n\nExit codes: 0 no errors · 1 the data has errors · 2 could not run.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


class _State:
    debug = False


def _guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Turn library exceptions into a readable message and exit code 2 (traceback only with --debug)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except GendanError as exc:
            if _State.debug:
                traceback.print_exc()
            print_error(err_console, exc.message_zh, exc.message_en)
            if isinstance(exc, SchemaError) and exc.problems:
                err_console.print(f"[dim]共 {len(exc.problems)} 处 / {len(exc.problems)} problem(s)[/dim]")
            raise typer.Exit(EXIT_FAILED) from None
        except KeyboardInterrupt:
            print_error(err_console, "已中断", "interrupted")
            raise typer.Exit(EXIT_FAILED) from None
        except Exception as exc:  # an internal error must still not show a traceback to a user
            if _State.debug:
                traceback.print_exc()
            print_error(err_console, f"内部错误：{type(exc).__name__}: {exc}（加 --debug 查看详情）",
                        f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
            raise typer.Exit(EXIT_FAILED) from None

    return run


@app.callback()
def _main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback when a run cannot go on.")] = False,
) -> None:
    _State.debug = debug


def _parse_today(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--today 应写成 2026-03-05，而不是 {value}", f"--today must look like 2026-03-05, not {value}") from None


TodayOption = Annotated[str | None, typer.Option("--today", help="Check as of this date (YYYY-MM-DD); default today.")]


@app.command("init")
@_guarded
def init_command(
    path: Annotated[Path, typer.Argument(help="Where to write the new master workbook (.xlsx).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Create a new, empty master order workbook (跟单总表) from the template."""
    from gendan_xl.pipeline import create_workbook

    written = create_workbook(path, overwrite=force)
    console.print(f"[green]已创建 Created[/green] {written}")


@app.command("demo")
@_guarded
def demo_command(
    directory: Annotated[Path, typer.Argument(help="Folder for the demo workbook.")] = Path("gendan-demo"),
    today: TodayOption = None,
) -> None:
    """Write a realistic demo workbook with planted problems, run the pipeline on it, print a summary."""
    from gendan_xl.pipeline import run_demo

    run = run_demo(directory, today=_parse_today(today))
    console.print(f"[green]示例总表 Demo workbook:[/green] {run.path}")
    console.print(read_summary_table(run.workbook))
    console.print(findings_table(run.workbook.findings, title="读取时发现 Found while reading"))
    console.print(f"步骤 Steps run: {', '.join(run.steps)}")
    console.print("[dim]埋下的问题 Planted problems:[/dim]")
    for planted in run.data.planted:
        console.print(f"[dim]  {planted.order_no}: {planted.what} ({planted.code})[/dim]")


@app.command("read")
@_guarded
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


def main() -> None:
    """Entry point of the ``gendan`` console script."""
    app()
