"""DataFrames and plots for Jupyter: orders, lines, findings, receivables and factory quality of a workbook.

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
from gendan_xl.checks.complaints import complaint_factory, quality_stats
from gendan_xl.checks.instalments import balance_due_date
from gendan_xl.checks.report import Report
from gendan_xl.errors import ConfigError
from gendan_xl.models import Workbook

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["AGING_BUCKETS", "complaints_frame", "lines_frame", "orders_frame", "plot_deliveries", "plot_findings",
           "plot_quality", "plot_receivables", "quality_frame", "receivables_frame"]

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


def complaints_frame(workbook: Workbook, *, today: date | None = None) -> pd.DataFrame:
    """One row per complaint (客诉): the order's customer, the factory it counts against, type, claim, days open."""
    import pandas as pd

    today = today or date.today()
    orders = workbook.orders_by_no
    rows = []
    for complaint in workbook.complaints:
        order = orders.get(complaint.order_no)
        row = complaint.model_dump(exclude={"row"})
        end = complaint.closed_date or today
        row.update(customer=order.customer if order else None, counted_factory=complaint_factory(complaint, order),
                   currency=complaint.currency or (order.currency if order else None),
                   open=complaint.closed_date is None, days_open=(end - complaint.complaint_date).days)
        rows.append(row)
    return pd.DataFrame(rows)


def quality_frame(workbook: Workbook, *, by: str = "factory", today: date | None = None) -> pd.DataFrame:
    """Factory quality statistics (工厂质量统计): per factory (or ``by="item"``) what was shipped and complained about.

    Columns: ``shipped`` (orders per factory, order lines per item), ``shipped_qty`` (items), ``complaints``,
    ``open``, ``rate`` (complaints per shipped order or line), ``types`` and ``resolutions`` (counts), and the
    claimed and agreed amounts per currency (``claimed_USD``, ``agreed_EUR`` …, exact Decimals).
    """
    import pandas as pd

    if by not in ("factory", "item"):
        raise ConfigError(f"by 只能是 factory 或 item：{by}", f"by must be factory or item: {by}")
    stats = quality_stats(_context(workbook, today or date.today()), "factory" if by == "factory" else "item")
    rows = []
    for stat in stats:
        row: dict[str, Any] = {by: stat.key, "shipped": stat.shipped, "complaints": stat.complaints, "open": stat.open,
                               "rate": stat.rate, "types": dict(stat.types), "resolutions": dict(stat.resolutions)}
        if by == "item":
            row["shipped_qty"] = stat.shipped_qty
        row.update({f"claimed_{currency}": amount for currency, amount in sorted(stat.claimed.items())})
        row.update({f"agreed_{currency}": amount for currency, amount in sorted(stat.agreed.items())})
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.set_index(by, drop=False) if not frame.empty else frame


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


def plot_quality(frame: pd.DataFrame, *, ax: Axes | None = None, top: int = 15) -> Axes:
    """Bar chart: complaints per shipped order (or line) of the ``top`` most complained-about (from :func:`quality_frame`)."""
    plt = _pyplot()
    axes = ax or plt.subplots(figsize=(7, 3))[1]
    shown = frame[frame["complaints"] > 0].head(top) if not frame.empty else frame
    if shown.empty:
        axes.set_title("No complaints")
        return axes
    key = "factory" if "factory" in shown.columns else "item"
    shown.assign(rate=shown["rate"].fillna(0.0).astype(float)).plot.bar(x=key, y="rate", ax=axes, legend=False,
                                                                         color="#C0504D")
    axes.set_ylabel("complaints per shipment")
    axes.set_title("Complaint rate (客诉率)")
    return axes
