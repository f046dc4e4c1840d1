"""Command ``check``: run every check, print the findings grouped by order with each order's next action."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from gendan_xl.checks.report import DeliveryState, Report
from gendan_xl.cli.app import (
    EXIT_DATA_ERRORS,
    EXIT_FAILED,
    EXIT_OK,
    TodayOption,
    app,
    console,
    err_console,
    guarded,
    parse_today,
)
from gendan_xl.cli.render import (
    MESSAGE_WIDTH,
    SEVERITY_STYLE,
    Cell,
    Column,
    FitTable,
    bilingual,
    note,
    print_error,
    severity_cell,
)
from gendan_xl.errors import ConfigError, GendanError

__all__ = ["check_command", "report_tables"]

_STATE_STYLE = {DeliveryState.LATE: "bold red", DeliveryState.AT_RISK: "yellow", DeliveryState.ON_TIME: "green",
                DeliveryState.SHIPPED: "dim", DeliveryState.CANCELLED: "dim"}
ACTION_WIDTH = 12
"""A next action or a status is a short phrase (订舱 booking, 正常 OK): this many cells keep it to a few lines."""


@app.command("check")
@guarded
def check_command(
    paths: Annotated[list[Path], typer.Argument(help="Master workbooks (.xlsx/.xlsm); several for a batch run.")],
    today: TodayOption = None,
    output_format: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    output: Annotated[Path | None, typer.Option("--output", help="Write the report to this file too.")] = None,
    only: Annotated[list[str] | None, typer.Option("--only", help="Only these finding codes or families.")] = None,
    archive: Annotated[Path | None, typer.Option("--archive", help="Folder of earlier workbooks (prices).")] = None,
    write: Annotated[bool, typer.Option("--write", help="Write statuses, colours and notes into the workbook.")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --write: ignore Excel's lock file (~$name).")] = False,
) -> None:
    """Check prices, amounts, deliveries and deadlines, payments, inspection, certificates and volume.

    With several workbooks each is checked in turn; one that cannot be read is reported and the
    others still run (exit code 2 at the end).
    """
    from gendan_xl.pipeline import check_workbook

    if output_format not in ("table", "json"):
        raise ConfigError(f"--format 只能是 table 或 json：{output_format}", f"--format must be table or json: {output_format}")
    day = parse_today(today)
    reports: list[Report] = []
    failed = False
    for path in paths:
        try:
            reports.append(check_workbook(path, today=day, archive=archive, only=only, write=write, force=force))
        except GendanError as exc:
            if len(paths) == 1:
                raise
            failed = True
            print_error(err_console, f"{path}: {exc.message_zh}", f"{path}: {exc.message_en}")
            continue
        if write and output_format == "table":
            console.print(note("已写回状态列 Statuses written to", str(path)))
    _emit(reports, output_format, output)
    if failed:
        raise typer.Exit(EXIT_FAILED)
    raise typer.Exit(EXIT_DATA_ERRORS if any(r.has_errors for r in reports) else EXIT_OK)


def _emit(reports: list[Report], output_format: str, output: Path | None) -> None:
    if output_format == "json":
        text = reports[0].to_json() if len(reports) == 1 else json.dumps(
            {"workbooks": [json.loads(r.to_json()) for r in reports]}, ensure_ascii=False, indent=2)
        sys.stdout.write(text + "\n")
        if output:
            output.write_text(text + "\n", encoding="utf-8")
        return
    for report in reports:
        if len(reports) > 1:
            console.rule(str(report.path))
        for table in report_tables(report):
            console.print(table)
    if output:
        with output.open("w", encoding="utf-8") as handle:
            file_console = Console(file=handle, width=160, color_system=None)
            for report in reports:
                file_console.rule(str(report.path))
                for table in report_tables(report):
                    file_console.print(table)


def report_tables(report: Report) -> list[FitTable]:
    """The findings grouped by order (errors first), then the orders' next actions."""
    summaries = {s.order_no: s for s in report.orders}
    groups = sorted(report.by_order().items(), key=lambda item: (item[1][0].severity.rank, item[0] or ""))
    rows: list[list[Cell]] = []
    for order_no, items in groups:
        summary = summaries.get(order_no) if order_no else None
        heading = Text(order_no or "工作簿\nWorkbook")
        if summary is not None:
            heading.append(f"\n{summary.delivery.label}", _STATE_STYLE.get(summary.delivery, ""))
        rows.extend([heading if index == 0 else "", severity_cell(finding.severity, lines=True), finding.code,
                     finding.address, bilingual(finding.message_zh, finding.message_en)]
                    for index, finding in enumerate(items))
    findings = FitTable(f"检查结果 Findings — {report.today.isoformat()}", [
        Column("订单 Order", "group"), Column("级别 Level", "key"), Column("代码 Code", "key"),
        Column("位置 Cell", "key"), Column("说明 Message", "text", min_width=MESSAGE_WIDTH),
    ], rows, caption=" · ".join(f"{s.zh} {s.value}: {report.count(s)}" for s in SEVERITY_STYLE))
    actions: list[list[Cell]] = []
    for summary in sorted(report.orders, key=lambda s: (s.next_due is None, s.next_due or report.today)):
        if not summary.next_action_zh and summary.delivery in (DeliveryState.SHIPPED, DeliveryState.CANCELLED):
            continue
        actions.append([summary.order_no, Text(summary.delivery.label, _STATE_STYLE.get(summary.delivery, "")),
                        summary.price_check, summary.amount_check,
                        bilingual(summary.next_action_zh, summary.next_action_en),
                        summary.next_due.isoformat() if summary.next_due else "", str(summary.cartons or ""),
                        summary.cbm, summary.container])
    return [findings, FitTable("下一步 Next actions", [
        Column("订单 Order", "key"), Column("交期状态 Delivery", "key"),
        Column("价格 Price", wrap=True, min_width=ACTION_WIDTH), Column("金额 Amount", wrap=True, min_width=ACTION_WIDTH),
        Column("下一步 Next action", "text", min_width=ACTION_WIDTH),
        Column("截止 Due"), Column("箱数 Ctns", justify="right"), Column("体积 CBM", justify="right"),
        Column("柜型 Container", wrap=True),
    ], actions)]
