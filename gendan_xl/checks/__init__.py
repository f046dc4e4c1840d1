"""The checks: prices, amounts, deliveries and deadlines, payments, inspection, certificates, volume.

:func:`run_checks` runs every registered check (one module per rule family) over a validated
workbook and returns a :class:`Report` with every finding and a summary per order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from gendan_xl.bulk import collector_paused
from gendan_xl.checks import (  # noqa: F401 - each module registers its checks
    amounts,
    compliance,
    delivery,
    documents,
    payments,
    prices,
    quality,
    volume,
)
from gendan_xl.checks.archive import load_archive
from gendan_xl.checks.base import CHECKS, CheckContext
from gendan_xl.checks.calendar import WorkCalendar
from gendan_xl.checks.report import DeliveryState, OrderSummary, Report
from gendan_xl.checks.summary import summarize_orders
from gendan_xl.findings import RULES, Finding, Severity, define_rule, make_finding
from gendan_xl.models import Workbook

__all__ = ["DeliveryState", "OrderSummary", "Report", "run_checks"]

define_rule(
    "calendar-estimated", Severity.INFO, "settings",
    title=("工作日历为估算", "Working days estimated"),
    message=("{years} 年的调休安排尚未收录，工作日按法定节假日估算", "no official 调休 data for {years} yet; working "
             "days are estimated from the statutory holidays"),
    rule="chinese-calendar knows each year's make-up workdays only after the State Council's notice; for later "
         "years the statutory holidays of the `holidays` package are used and this note is added.",
    example="no official 调休 data for 2027 yet; working days are estimated",
)


def run_checks(
    workbook: Workbook,
    *,
    today: date | None = None,
    archive: Path | str | None = None,
    only: Iterable[str] | None = None,
) -> Report:
    """Run every check over ``workbook`` as of ``today``; ``archive`` is a folder of earlier workbooks.

    ``only`` keeps the findings whose code or family is listed (the per-order summary still uses all).
    """
    with collector_paused():
        return _run(workbook, today or date.today(), archive, only)


def _run(workbook: Workbook, today: date, archive: Path | str | None, only: Iterable[str] | None) -> Report:
    folder = Path(archive) if archive else (Path(workbook.settings.archive_dir) if workbook.settings.archive_dir
                                            else None)
    books, findings = load_archive(folder, exclude=workbook.path) if folder else ([], [])
    ctx = CheckContext(workbook=workbook, today=today, calendar=WorkCalendar(workbook.settings.calendar))
    ctx.cache["archive_books"] = books
    findings = [*workbook.findings, *findings]
    for check in CHECKS.values():
        findings.extend(check(ctx))
    if ctx.calendar.estimated_years:
        years = "、".join(str(y) for y in sorted(ctx.calendar.estimated_years))
        findings.append(make_finding("calendar-estimated", years=years))
    summaries = summarize_orders(ctx, findings)
    if only is not None:
        wanted = set(only)
        findings = [f for f in findings if f.code in wanted or _family(f) in wanted]
    return Report(today=today, path=workbook.path, findings=findings, orders=summaries, checks=list(CHECKS))


def _family(finding: Finding) -> str:
    rule = RULES.get(finding.code)
    return rule.family if rule else ""
