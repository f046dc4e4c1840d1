"""Command ``check``: run every check, print the findings grouped by order with each order's next action."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

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
from gendan_xl.cli.render import SEVERITY_STYLE, print_error
from gendan_xl.errors import ConfigError, GendanError

__all__ = ["check_command", "report_tables"]

_STATE_STYLE = {DeliveryState.LATE: "bold red", DeliveryState.AT_RISK: "yellow", DeliveryState.ON_TIME: "green",
                DeliveryState.SHIPPED: "dim", DeliveryState.CANCELLED: "dim"}


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
            console.print(f"[green]已写回状态列 Statuses written to[/green] {path}")
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


def report_tables(report: Report) -> list[Table]:
    """The findings grouped by order (errors first), then the orders' next actions."""
    summaries = {s.order_no: s for s in report.orders}
    groups = sorted(report.by_order().items(), key=lambda item: (item[1][0].severity.rank, item[0] or ""))
    findings = Table(title=f"检查结果 Findings — {report.today.isoformat()}", expand=True, show_lines=False)
    findings.add_column("订单 Order", no_wrap=True)
    findings.add_column("级别 Level", no_wrap=True)
    findings.add_column("代码 Code")
    findings.add_column("位置 Cell")
    findings.add_column("说明 Message", ratio=1)
    for order_no, items in groups:
        summary = summaries.get(order_no) if order_no else None
        heading = order_no or "工作簿\nWorkbook"
        if summary is not None:
            style = _STATE_STYLE.get(summary.delivery, "")
            heading += f"\n[{style}]{summary.delivery.label}[/{style}]" if style else f"\n{summary.delivery.label}"
        for index, finding in enumerate(items):
            style = SEVERITY_STYLE[finding.severity]
            findings.add_row(heading if index == 0 else "", f"[{style}]{finding.severity.zh}\n{finding.severity.value}[/{style}]",
                             finding.code, finding.address, f"{finding.message_zh}\n[dim]{finding.message_en}[/dim]")
        findings.add_section()
    counts = " · ".join(f"{s.zh} {s.value}: {report.count(s)}" for s in SEVERITY_STYLE)
    findings.caption = counts
    actions = Table(title="下一步 Next actions", expand=True)
    for header in ("订单 Order", "交期状态 Delivery", "价格 Price", "金额 Amount", "下一步 Next action",
                   "截止 Due", "箱数 Ctns", "体积 CBM", "柜型 Container"):
        actions.add_column(header)
    for summary in sorted(report.orders, key=lambda s: (s.next_due is None, s.next_due or report.today)):
        if not summary.next_action_zh and summary.delivery in (DeliveryState.SHIPPED, DeliveryState.CANCELLED):
            continue
        style = _STATE_STYLE.get(summary.delivery, "")
        actions.add_row(summary.order_no, f"[{style}]{summary.delivery.label}[/{style}]" if style else summary.delivery.label,
                        summary.price_check, summary.amount_check,
                        f"{summary.next_action_zh}\n[dim]{summary.next_action_en}[/dim]" if summary.next_action_zh else "",
                        summary.next_due.isoformat() if summary.next_due else "", str(summary.cartons or ""),
                        summary.cbm, summary.container)
    return [findings, actions]
