"""Command ``docs``: render an order's or a shipment's documents (.docx, optionally PDF) — parse, call, print.

Python twin: :func:`gendan_xl.pipeline.make_documents`. Exit codes: 0 done; 2 refused (the
documents disagree or lack data — the differences are listed — or a template, option or the
workbook cannot be used).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from gendan_xl.cli.app import EXIT_FAILED, EXIT_OK, TodayOption, app, console, err_console, guarded, parse_today
from gendan_xl.cli.render import MESSAGE_WIDTH, Cell, Column, FitTable, bilingual, note, print_error
from gendan_xl.errors import DocumentCheckError

if TYPE_CHECKING:  # the documents package loads docxtpl: only when a command makes documents
    from gendan_xl.documents import DocumentRun

__all__ = ["docs_command", "problems_table", "written_table"]


class _LazyProgress:
    """A rich progress bar that appears with the first finished document (after the worker pool started)."""

    def __init__(self) -> None:
        self.bar: Progress | None = None
        self.task = TaskID(0)

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < 2:
                return
            self.bar = Progress(TextColumn("单证 Documents"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                console=err_console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("render", total=total)
        self.bar.update(self.task, completed=done)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def problems_table(error: DocumentCheckError) -> FitTable:
    """The differences that stopped rendering, one per row, both languages."""
    rows: list[list[Cell]] = []
    for index, line in enumerate(error.differences, start=1):
        zh, _, en = line.partition(" / ")
        rows.append([str(index), bilingual(zh, en)])
    return FitTable("单证不一致 Documents disagree — 未生成 nothing written",
                    [Column("#", "key", justify="right"), Column("问题 Problem", "text", min_width=MESSAGE_WIDTH)], rows,
                    caption="修改总表后重试，或加 --force 强制生成\nfix the workbook and run again, or use --force")


def written_table(run: DocumentRun) -> FitTable:
    """The documents written, one per row, with the .docx (and .pdf) file names."""
    rows: list[list[Cell]] = [[item.order_no, item.kind, item.docx.name + (f"\n{item.pdf.name}" if item.pdf else "")]
                              for item in run.files]
    return FitTable(f"已生成 {len(run.files)} 份单证 Documents written",
                    [Column("订单 Order", "key"), Column("单证 Document", "key"), Column("文件 File")], rows)


@app.command("docs")
@guarded
def docs_command(
    path: Annotated[Path, typer.Argument(help="The master workbook (.xlsx/.xlsm).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the documents.")],
    order: Annotated[str | None, typer.Option("--order", help="Order number(s), comma-separated.")] = None,
    due_within: Annotated[int | None, typer.Option("--due-within", help="Orders due within DAYS and not shipped.")] = None,
    shipment: Annotated[str | None, typer.Option(
        "--shipment", help="Shipment no(s). of the 出运 sheet or plan group(s) (G3): one set for its orders.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Document kind(s), comma-separated; default: all.")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write PDFs (needs LibreOffice).")] = False,
    templates: Annotated[Path | None, typer.Option("--templates", help="Folder of your own templates.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Render even if the documents disagree.")] = False,
    no_log: Annotated[bool, typer.Option("--no-log", help="Do not record the documents in 单证记录.")] = False,
    today: TodayOption = None,
) -> None:
    """Render documents (PI, contracts, invoice, packing list, booking note, advice, customs, inspection, C/O data)."""
    from gendan_xl.pipeline import make_documents

    progress = _LazyProgress()
    try:
        run = make_documents(path, out_dir=out, orders=[order] if order is not None else None,
                               due_within=due_within, shipments=[shipment] if shipment is not None else None,
                               kinds=[kind] if kind else None, pdf=pdf, templates_dir=templates,
                               force=force, today=parse_today(today), log=not no_log, progress=progress)
    except DocumentCheckError as exc:
        progress.stop()
        console.print(problems_table(exc))
        print_error(err_console, "单证数据不一致或不完整，未生成任何文件", "the documents disagree or lack data; nothing was written")
        raise typer.Exit(EXIT_FAILED) from None
    finally:
        progress.stop()
    if not run.files:
        console.print("[yellow]没有符合条件的订单 No order matches[/yellow]")
        raise typer.Exit(EXIT_OK)
    console.print(written_table(run))
    for problem in run.forced:
        console.print(note("已强制 Forced", problem.message_zh, Text(problem.message_en, style="dim"), style="yellow"))
    for line in run.lacking:
        zh, _, en = line.partition(" / ")
        console.print(note("缺少 Missing", zh, Text(en, style="dim"), style="dim"))
    if run.log is not None:
        backup = [Text(f"备份 backup: {run.log.backup}", style="dim")] if run.log.backup else []
        console.print(note("已记录 Logged", f"{run.log.rows} 行 rows → {run.log.sheet}!A{run.log.first_row}", *backup))
    raise typer.Exit(EXIT_OK)
