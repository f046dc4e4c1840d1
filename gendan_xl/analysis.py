"""DataFrames and plots for Jupyter: orders, lines, findings and receivables of a workbook.

The frames are built from the same validated models and report the CLI and the Excel buttons use.
Money columns hold exact ``Decimal`` values (object dtype): sum them with ``sum()`` or convert with
``.astype(float)`` for plotting only. Plots need matplotlib (``pip install "gendan_xl[notebook]"``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from gendan_xl.checks.base import CheckContext
from gendan_xl.checks.calendar import WorkCalendar
from gendan_xl.checks.common import amount_paid_by, settlement, total_of
from gendan_xl.checks.instalments import balance_due_date
from gendan_xl.checks.report import Report
from gendan_xl.errors import ConfigError
from gendan_xl.models import Workbook

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["AGING_BUCKETS", "lines_frame", "orders_frame", "plot_deliveries", "plot_findings",
           "plot_receivables", "receivables_frame"]

AGING_BUCKETS = ("not due", "1-30", "31-60", "61-90", ">90")


def orders_frame(workbook: Workbook, report: Report | None = None) -> pd.DataFrame:
    """One row per order: the order's columns, its computed total and, with a report, its statuses."""
    import pandas as pd

    ctx = _context(workbook, report.today if report else date.today())
    summaries = {s.order_no: s for s in report.orders} if report else {}
    rows: list[dict[str, Any]] = []
    for order in workbook.orders:
        row = order.model_dump(exclude={"row"})
        row["status"] = order.status.value if order.status else None
        row["computed_total"] = total_of(ctx, order)
        summary = summaries.get(order.order_no)
        if summary is not None:
            row.update(delivery_state=summary.delivery.value, next_action=summary.next_action_en,
                       next_due=summary.next_due, cartons=summary.cartons, cbm=summary.cbm,
                       container=summary.container, worst=summary.worst.value if summary.worst else None)
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.set_index("order_no", drop=False) if not frame.empty else frame


def lines_frame(workbook: Workbook) -> pd.DataFrame:
    """One row per order line with its computed amount, cartons and CBM (and its sheet and Excel row)."""
    import pandas as pd

    rows = []
    info = workbook.sheets.get("lines")
    for line in workbook.lines:
        cbm = line.carton_cbm
        row = line.model_dump(exclude={"row"})
        sheet, excel_row = info.part_of(line.row) if info is not None else (None, line.row)
        if info is not None and info.parts:  # a table on several sheets: which sheet the row is on
            row["sheet"] = sheet.name if sheet is not None else None
        row.update(excel_row=excel_row, computed_amount=line.computed_amount, cartons=line.cartons,
                   cbm=cbm * line.cartons if cbm is not None and line.cartons else None)
        rows.append(row)
    return pd.DataFrame(rows)


def receivables_frame(workbook: Workbook, *, today: date | None = None) -> pd.DataFrame:
    """Money still to collect per order (收汇): total, received, balance, due date, days overdue, aging bucket."""
    import pandas as pd

    today = today or date.today()
    ctx = _context(workbook, today)
    rows = []
    for order in workbook.orders:
        total = total_of(ctx, order) or order.order_total
        if total is None or order.is_cancelled:
            continue
        received = amount_paid_by(ctx, order, today)
        balance = total - received
        if balance <= 0 or settlement(ctx, order, total, today).covered:
            continue  # paid, or short by no more than the bank charges
        due = balance_due_date(ctx, order, order.terms, total) if order.terms else None
        overdue = (today - due).days if due and due < today else 0
        rows.append({"order_no": order.order_no, "customer": order.customer, "currency": order.currency,
                     "total": total, "received": received, "balance": balance, "due": due,
                     "days_overdue": overdue, "bucket": _bucket(overdue)})
    return pd.DataFrame(rows, columns=["order_no", "customer", "currency", "total", "received", "balance", "due",
                                       "days_overdue", "bucket"])


def _bucket(days: int) -> str:
    if days <= 0:
        return AGING_BUCKETS[0]
    if days <= 30:
        return AGING_BUCKETS[1]
    if days <= 60:
        return AGING_BUCKETS[2]
    return AGING_BUCKETS[3] if days <= 90 else AGING_BUCKETS[4]


def _context(workbook: Workbook, today: date) -> CheckContext:
    return CheckContext(workbook=workbook, today=today, calendar=WorkCalendar(workbook.settings.calendar))


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ConfigError("画图需要 matplotlib：pip install \"gendan_xl[notebook]\"",
                          "plots need matplotlib: pip install \"gendan_xl[notebook]\"") from exc
    return plt


def plot_findings(report: Report, *, ax: Axes | None = None) -> Axes:
    """Bar chart: findings per family, stacked by severity."""
    plt = _pyplot()
    frame = report.to_frame()
    axes = ax or plt.subplots(figsize=(8, 4))[1]
    if frame.empty:
        axes.set_title("No findings")
        return axes
    table = frame.pivot_table(index="family", columns="severity", values="code", aggfunc="count", fill_value=0)
    order = [s for s in ("error", "warning", "info") if s in table.columns]
    colours = {"error": "#C0504D", "warning": "#F2B134", "info": "#8DB4E2"}
    table[order].plot.barh(stacked=True, ax=axes, color=[colours[s] for s in order])
    axes.set_xlabel("findings")
    axes.set_title(f"Findings by family — {report.today.isoformat()}")
    return axes


def plot_deliveries(report: Report, *, ax: Axes | None = None) -> Axes:
    """Bar chart: open orders by delivery state (on time, at risk, late …)."""
    plt = _pyplot()
    import pandas as pd

    axes = ax or plt.subplots(figsize=(6, 3))[1]
    counts = pd.Series([s.delivery.value for s in report.orders]).value_counts()
    colours = {"late": "#C0504D", "at_risk": "#F2B134", "on_time": "#9BBB59"}
    counts.plot.bar(ax=axes, color=[colours.get(state, "#A6A6A6") for state in counts.index])
    axes.set_ylabel("orders")
    axes.set_title("Orders by delivery state")
    return axes


def plot_receivables(frame: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Bar chart: outstanding balance per aging bucket and currency (from :func:`receivables_frame`)."""
    plt = _pyplot()
    axes = ax or plt.subplots(figsize=(7, 3))[1]
    if frame.empty:
        axes.set_title("Nothing outstanding")
        return axes
    data = frame.assign(balance=frame["balance"].map(Decimal).astype(float))
    table = data.pivot_table(index="bucket", columns="currency", values="balance", aggfunc="sum", fill_value=0.0)
    table = table.reindex([b for b in AGING_BUCKETS if b in table.index])
    table.plot.bar(ax=axes)
    axes.set_ylabel("balance")
    axes.set_title("Receivables aging (收汇)")
    return axes
