"""Command ``plan``: the shipment plan (出运计划) — which open orders ship together, in what containers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gendan_xl.cli.app import TodayOption, app, console, guarded, parse_today
from gendan_xl.cli.render import Cell, Column, FitTable, note
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
        console.print(note("已写入出运计划 Plan written to", str(path)))


def plan_table(plan: ShipmentPlan) -> FitTable:
    """The plan, one row per group of orders that ship together."""
    rows: list[list[Cell]] = [
        [str(group.number), group.customer, f"{group.pol} → {group.pod}", group.earliest.isoformat(),
         group.booking_deadline.isoformat() if group.booking_deadline else "", ", ".join(o.order_no for o in group.orders),
         str(group.volume.cartons), f"{group.volume.cbm:.2f}", f"{group.volume.gross_kg:,.0f}", group.containers,
         str(len(group.missing) or "")]
        for group in plan.groups]
    return FitTable(f"出运计划 Shipment plan — {plan.today.isoformat()} (+{plan.horizon_days} days)", [
        Column("组", "key"), Column("客户 Customer", "key"), Column("POL → POD", "key", wrap=True),
        Column("最早交期 Delivery"), Column("订舱截止 Book by"), Column("订单 Orders", wrap=True),
        Column("箱数 Ctns", justify="right"), Column("CBM", justify="right"), Column("G.W. kg", justify="right"),
        Column("柜型 Containers", wrap=True), Column("缺资料 Missing", justify="right"),
    ], rows, caption=None if plan.groups else "没有需要安排的订单 No open orders due in this period")
