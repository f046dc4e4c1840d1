"""The checks: prices, amounts, deliveries and deadlines, payments, inspection, certificates, volume.

:func:`run_checks` runs every registered check (one module per rule family) over a validated
workbook and returns a :class:`Report` with every finding and a summary per order.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from datetime import date

from gendan_xl.bulk import collector_paused
from gendan_xl.checks.base import CHECKS, Archive, CheckContext
from gendan_xl.checks.calendar import WorkCalendar
from gendan_xl.checks.report import DeliveryState, OrderSummary, Report
from gendan_xl.checks.summary import summarize_orders
from gendan_xl.findings import RULES, Finding, Severity, define_rule, make_finding
from gendan_xl.models import Workbook

__all__ = ["Archive", "DeliveryState", "OrderSummary", "Report", "run_checks"]

# Every module of this package is loaded, so a check module registers its rules and checks by being
# here: a new check is one new module (and its tests), nothing else to edit.
for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

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
    archive: Archive | None = None,
    only: Iterable[str] | None = None,
) -> Report:
    """Run every registered check over ``workbook`` as of ``today``; ``archive`` holds earlier workbooks, read.

    ``only`` keeps the findings whose code or family is listed (the per-order summary still uses all).
    Checks registered outside this package run too once their module is imported: the document
    log's (:mod:`gendan_xl.documents.outdated`), which :mod:`gendan_xl.pipeline` loads.
    """
    with collector_paused():
        return _run(workbook, today or date.today(), archive or Archive(), only)


def _run(workbook: Workbook, today: date, archive: Archive, only: Iterable[str] | None) -> Report:
    ctx = CheckContext(workbook=workbook, today=today, calendar=WorkCalendar(workbook.settings.calendar),
                       archive=archive)
    findings = [*workbook.findings, *archive.findings]
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
    return rule.family.key if rule else ""
