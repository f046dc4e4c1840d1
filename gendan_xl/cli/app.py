"""The typer app, its global options and the error guard every command runs under.

Exit codes: 0 — done, no errors in the data; 1 — done, the data has errors (findings of
severity error); 2 — could not run (file missing, not a workbook, encrypted, damaged, missing
sheets or columns, bad option). ``--debug`` shows the traceback of a run that could not go on.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from datetime import date
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from gendan_xl.cli.render import print_error
from gendan_xl.errors import ConfigError, GendanError, SchemaError

__all__ = [
    "EXIT_DATA_ERRORS",
    "EXIT_FAILED",
    "EXIT_OK",
    "TodayOption",
    "app",
    "console",
    "err_console",
    "guarded",
    "parse_today",
]

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


def guarded(command: Callable[P, R]) -> Callable[P, R]:
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


def _print_version(value: bool) -> None:
    if value:
        from gendan_xl import __version__

        console.print(f"gendan_xl {__version__}", highlight=False)
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback when a run cannot go on.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Show the version of gendan_xl and exit.",
                                          callback=_print_version, is_eager=True)] = False,
) -> None:
    _State.debug = debug


def parse_today(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--today 应写成 2026-03-05，而不是 {value}", f"--today must look like 2026-03-05, not {value}") from None


TodayOption = Annotated[str | None, typer.Option("--today", help="Check as of this date (YYYY-MM-DD); default today.")]


