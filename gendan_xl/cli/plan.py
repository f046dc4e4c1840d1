"""Command ``plan``: the shipment plan (出运计划) — which open orders ship together, in what containers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gendan_xl.cli.app import TodayOption, app, console, guarded, parse_today
from gendan_xl.planning import ShipmentPlan

__all__ = ["plan_command", "plan_table"]


@app.command("plan")
@guarded
def plan_command(
    path: Annotated[Path, typer.Argument(help="The master workbook (.xlsx/.xlsm).")],
    today: TodayOption = None,
    within: Annotated[int, typer.Option("--within", help="Plan orders due within this many days.")] = 30,
    write: Annotated[bool, typer.Option("--write", help="Write the plan to the 出运计划 sheet.")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --write: ignore Excel's lock file (~$name).")] = False,
) -> None:
    """Group the open orders due soon into shipments, with cartons, CBM, weight and containers."""
    from gendan_xl.pipeline import plan_workbook

    plan = plan_workbook(path, today=parse_today(today), horizon_days=within, write=write, force=force)
    console.print(plan_table(plan))
    if write:
        console.print(f"[green]已写入出运计划 Plan written to[/green] {path}")


def plan_table(plan: ShipmentPlan) -> Table:
    """The plan as a rich table, one row per group."""
    table = Table(title=f"出运计划 Shipment plan — {plan.today.isoformat()} (+{plan.horizon_days} days)")
    for header in ("组", "客户 Customer", "POL → POD", "最早交期 Delivery", "订舱截止 Book by", "订单 Orders",
                   "箱数 Ctns", "CBM", "G.W. kg", "柜型 Containers", "缺资料 Missing"):
        table.add_column(header)
    for group in plan.groups:
        table.add_row(str(group.number), group.customer, f"{group.pol} → {group.pod}", group.earliest.isoformat(),
                      group.booking_deadline.isoformat() if group.booking_deadline else "",
                      ", ".join(o.order_no for o in group.orders), str(group.volume.cartons), f"{group.volume.cbm:.2f}",
                      f"{group.volume.gross_kg:,.0f}", group.containers, str(len(group.missing) or ""))
    if not plan.groups:
        table.caption = "没有需要安排的订单 No open orders due in this period"
    return table
