"""Rich tables for the command line: what was read, and the findings."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table

from gendan_xl.findings import Finding, Severity
from gendan_xl.models import Workbook
from gendan_xl.workbook.schema import SHEETS

__all__ = ["SEVERITY_STYLE", "findings_table", "read_summary_table"]

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def read_summary_table(workbook: Workbook) -> Table:
    """One row per schema sheet: the sheet it was found as, header row, rows read, extra columns."""
    table = Table(title="读取结果 What was read", show_lines=False)
    table.add_column("表 Sheet")
    table.add_column("工作表 Found as")
    table.add_column("表头行 Header", justify="right")
    table.add_column("行数 Rows", justify="right")
    table.add_column("未识别的列 Columns not used")
    counts = workbook.counts()
    for spec in SHEETS:
        info = workbook.sheets.get(spec.key)
        if info is None:
            table.add_row(f"{spec.zh} {spec.en}", "[dim]—[/dim]", "", "", "")
            continue
        rows = "" if spec.key == "settings" else f"{counts.get(spec.key, 0):,}"
        extras = ", ".join(text.replace("\n", " ") for text in info.extra_columns.values())
        table.add_row(f"{spec.zh} {spec.en}", info.name, str(info.header_row), rows, extras or "")
    return table


def findings_table(findings: Iterable[Finding], *, title: str = "发现的问题 Findings", limit: int | None = None) -> Table:
    """Findings, most severe first, with the cell address and both languages."""
    table = Table(title=title, show_lines=False, expand=True)
    table.add_column("级别 Level", no_wrap=True)
    table.add_column("代码 Code", no_wrap=True)
    table.add_column("位置 Cell", no_wrap=True)
    table.add_column("订单 Order", no_wrap=True)
    table.add_column("说明 Message", ratio=1)
    ordered = sorted(findings, key=lambda f: (f.severity.rank, f.sheet or "", f.row or 0, f.cell or ""))
    shown = ordered if limit is None else ordered[:limit]
    for finding in shown:
        style = SEVERITY_STYLE[finding.severity]
        table.add_row(f"[{style}]{finding.severity.zh} {finding.severity.value}[/{style}]", finding.code,
                      finding.address, finding.order_no or "", f"{finding.message_zh}\n[dim]{finding.message_en}[/dim]")
    if limit is not None and len(ordered) > limit:
        table.caption = f"… 另有 {len(ordered) - limit} 条 / {len(ordered) - limit} more"
    return table


def print_error(console: Console, zh: str, en: str) -> None:
    """A run-stopping error, in both languages, without a traceback."""
    console.print(f"[bold red]错误 Error:[/bold red] {zh}")
    if en != zh:
        console.print(f"[red]{en}[/red]")
