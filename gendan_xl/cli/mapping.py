"""Command ``map``: which of the user's columns holds which field — print it, save it, add our sheets.

Python twin: :func:`gendan_xl.pipeline.map_workbook` (and ``save_mapping``, ``add_sheets``). Exit
codes: 0 — the workbook can be read through this mapping; 1 — a required field is missing or
doubtful (correct it on the saved mapping sheet, or in the sidecar file); 2 — could not run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from gendan_xl.cli.app import EXIT_DATA_ERRORS, EXIT_OK, app, console, guarded
from gendan_xl.cli.render import MESSAGE_WIDTH, Cell, Column, FitTable, bilingual
from gendan_xl.errors import ConfigError
from gendan_xl.workbook.adopt import MappingReport, TableReport

__all__ = ["map_command", "mapping_tables"]

_SOURCES = {"proposed": ("自动识别（未保存）", "proposed, not saved"), "sheet": ("已保存：映射 Mapping 表", "saved: the Mapping sheet"),
            "sidecar": ("已保存：.gendan.toml 文件", "saved: the .gendan.toml file")}


@app.command("map")
@guarded
def map_command(
    path: Annotated[Path, typer.Argument(help="The workbook (.xlsx/.xlsm): your own tracker or the template.")],
    output_format: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    save: Annotated[bool, typer.Option("--save", help="Keep the mapping as a sheet “映射 Mapping” in the workbook.")]
    = False,
    sidecar: Annotated[bool, typer.Option("--sidecar", help="Keep it in PATH.gendan.toml instead (no change to the "
                                                            "workbook).")] = False,
    add_sheets: Annotated[str | None, typer.Option("--add-sheets", help="Add our sheets to the workbook: customers,"
                                                                        "factories,shipments,payments,samples,"
                                                                        "complaints,changes.")] = None,
    force: Annotated[bool, typer.Option("--force", help="With --save / --add-sheets: ignore Excel's lock file.")]
    = False,
) -> None:
    """Show how your workbook's sheets and columns map to gendan's fields; save the mapping or add our sheets."""
    from gendan_xl.pipeline import add_sheets as add
    from gendan_xl.pipeline import map_workbook, save_mapping

    if output_format not in ("table", "json"):
        raise ConfigError(f"--format 只能是 table 或 json：{output_format}", f"--format must be table or json: {output_format}")
    if save and sidecar:
        raise ConfigError("--save 与 --sidecar 只能选一个", "use either --save or --sidecar, not both")
    messages: list[str] = []
    if add_sheets:
        keys = [k.strip() for k in add_sheets.split(",") if k.strip()]
        added, _ = add(path, keys, force=force)
        messages.append(f"已添加工作表 Sheets added: {', '.join(added)}" if added
                        else "工作簿已有这些表，未添加 / the workbook already has these tables; nothing added")
    if save or sidecar:
        written = save_mapping(path, sidecar=sidecar, force=force)
        messages.append(f"已保存映射 Mapping saved → {written}" + ("" if sidecar else "（工作表 sheet “映射 Mapping”）"))
    report = map_workbook(path)
    if output_format == "json":
        sys.stdout.write(json.dumps(report.as_dict() | {"messages": messages}, ensure_ascii=False, indent=2) + "\n")
    else:
        for table in mapping_tables(report):
            console.print(table)
        for line in _summary(report):
            console.print(line)
        for message in messages:
            console.print(f"[green]{message}[/green]")
    raise typer.Exit(EXIT_OK if report.usable else EXIT_DATA_ERRORS)


def mapping_tables(report: MappingReport) -> list[FitTable]:
    """Per table the fields found (column, header, confidence, evidence, runner-up), then the fields missing."""
    tables: list[FitTable] = []
    for table in report.tables:
        tables.append(_found_table(table))
        missing = table.missing
        if missing:
            rows: list[list[Cell]] = []
            by_cost: dict[tuple[str, str], list[str]] = {}
            quiet: list[str] = []
            for row in missing:
                if row.required:
                    rows.append([f"{row.zh} {row.en}", Text("必需 required", style="bold red")])
                elif row.cost is None or row.cost[1] == "not read":
                    quiet.append(f"{row.zh} {row.en}")
                else:
                    by_cost.setdefault(row.cost, []).append(f"{row.zh} {row.en}")
            for (cost_zh, cost_en), names in by_cost.items():  # carton fields share one cost: one row
                rows.append(["\n".join(names), bilingual(cost_zh, cost_en)])
            if quiet and not rows:
                rows.append([", ".join(quiet), bilingual("不影响检查", "no check needs them")])
                quiet = []
            caption = f"也未找到 Also not found: {', '.join(quiet)}" if quiet else None
            tables.append(FitTable(f"未找到 Not found — {table.label[0]} {table.label[1]}",
                                   [Column("字段 Field", "key"), Column("缺少时 Without it", "text",
                                                                        min_width=MESSAGE_WIDTH)], rows, caption))
    return tables


def _found_table(table: TableReport) -> FitTable:
    zh, en = table.label
    key = f" · 订单按 orders by {table.order_key}" if table.order_key else ""
    title = f"{zh} {en} — {' / '.join(table.sheets)}（表头 header row {', '.join(map(str, table.header_rows))}）{key}"
    columns = [Column("字段 Field", "key"), Column("列 Col", "key"), Column("表头 Header", wrap=True),
               Column("把握 Conf.", justify="right"), Column("依据 Evidence", "text", min_width=24),
               Column("次选 Runner-up", wrap=True)]
    rows: list[list[Cell]] = []
    for row in table.found:
        style = "green" if not row.doubtful else "yellow"
        required = " *" if row.required else ""
        rows.append([f"{row.zh}{required} {row.en}", row.letter or "", row.header or "",
                     Text(f"{row.confidence:.2f}", style=style), "; ".join(row.evidence), row.runner_up or ""])
    unused = [f"({sheet}) {', '.join(headers)}" for sheet, headers in table.unclaimed.items() if headers]
    caption = f"未使用的列 Columns not used: {'; '.join(unused)}" if unused else None
    return FitTable(title, columns, rows, caption)


def _summary(report: MappingReport) -> list[str]:
    zh, en = _SOURCES.get(report.source, (report.source, report.source))
    lines = [f"映射来源 Mapping: {zh} / {en}"]
    if report.unused:
        lines.append(f"未使用的工作表 Sheets not used: {', '.join(report.unused)}")
    for role, cost_zh, cost_en in report.missing_sheets:
        lines.append(f"[dim]{cost_zh} / {cost_en}（gendan map --add-sheets {role}）[/dim]"
                     if role != "price_history" else f"[dim]{cost_zh} / {cost_en}[/dim]")
    doubtful = report.doubtful
    if doubtful:
        names = ", ".join(f"{f.zh} {f.en}" for f in doubtful)
        lines.append(f"[bold red]必需字段缺失或把握不大 Required fields missing or doubtful:[/bold red] {names}")
        lines.append("改正：gendan map --save 后在“映射 Mapping”表用下拉选择表头 / correct it: gendan map --save, then pick "
                     "the headers from the drop-downs on the “映射 Mapping” sheet")
    elif report.source == "proposed":
        lines.append("[green]可以直接使用 Ready to use[/green]（保存 keep it: gendan map --save 或 or --sidecar）")
    return lines
