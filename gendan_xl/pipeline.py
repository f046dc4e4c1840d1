"""The one core every face calls: read → check → write back → documents.

The CLI, the Excel buttons and the notebook API all go through these functions, so a workbook
gives the same answers whichever way it is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gendan_xl.checks import Report, run_checks
from gendan_xl.demo import DemoData, write_demo_workbook
from gendan_xl.documents import outdated  # noqa: F401 - registers the document log's check with the others
from gendan_xl.models import Workbook
from gendan_xl.planning import ShipmentPlan, plan_shipments, write_plan
from gendan_xl.workbook.archive import archive_folder, load_archive
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.template import build_template, new_workbook_path
from gendan_xl.workbook.writeback import write_status

__all__ = ["DemoRun", "check_workbook", "create_workbook", "plan_workbook", "read_workbook", "run_demo"]


def create_workbook(path: Path | str, *, overwrite: bool = False) -> Path:
    """Write a new, empty master workbook from the template; refuses to overwrite unless asked."""
    return build_template(new_workbook_path(path, ".xlsx", overwrite=overwrite))


def check_workbook(
    path: Path | str,
    *,
    today: date | None = None,
    archive: Path | str | None = None,
    only: Iterable[str] | None = None,
    write: bool = False,
    force: bool = False,
) -> Report:
    """Read the workbook at ``path`` and run every check on it (see :func:`gendan_xl.checks.run_checks`).

    With ``write`` the statuses, fills and notes go back into the same file (see
    :func:`gendan_xl.workbook.writeback.write_status`); ``force`` ignores Excel's lock file.
    """
    workbook = read_workbook(path)
    books = load_archive(archive_folder(workbook, archive), exclude=workbook.path)
    report = run_checks(workbook, today=today, archive=books, only=only)
    if write:
        full = report if only is None else run_checks(workbook, today=today, archive=books)
        write_status(path, workbook, full, force=force)
    return report


def plan_workbook(
    path: Path | str,
    *,
    today: date | None = None,
    horizon_days: int = 30,
    write: bool = False,
    force: bool = False,
) -> ShipmentPlan:
    """Plan the shipments of the workbook at ``path``; with ``write`` put the plan on its 出运计划 sheet."""
    workbook = read_workbook(path)
    plan = plan_shipments(workbook, today=today, horizon_days=horizon_days)
    if write:
        write_plan(path, plan, backups=workbook.settings.backup_count, force=force)
    return plan


@dataclass
class DemoRun:
    """What ``gendan demo`` did: the workbook it wrote and what the pipeline made of it."""

    path: Path
    data: DemoData
    workbook: Workbook
    report: Report
    plan: ShipmentPlan
    documents: list[Path] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)


def run_demo(directory: Path | str, *, today: date | None = None) -> DemoRun:
    """Write the demo workbook into ``directory`` and run the whole pipeline on it."""
    today = today or date.today()
    path, data = write_demo_workbook(directory, today=today)
    workbook = read_workbook(path)
    report = run_checks(workbook, today=today)
    write_status(path, workbook, report, backups=0)
    plan = plan_shipments(workbook, today=today)
    write_plan(path, plan, backups=0)
    documents = _demo_documents(path, report, {p.order_no for p in data.planted}, today)
    return DemoRun(path=path, data=data, workbook=workbook, report=report, plan=plan, documents=documents,
                   steps=["read", "check", "write statuses", "shipment plan", "documents"])


def _demo_documents(path: Path, report: Report, planted: set[str], today: date) -> list[Path]:
    """Every document of the next clean order to ship, into ``documents/`` beside the demo workbook."""
    from gendan_xl.documents import render_documents
    from gendan_xl.errors import DocumentCheckError

    candidates = sorted((s for s in report.orders if s.next_due and s.worst is None and s.order_no not in planted
                         and s.delivery.value == "on_time"), key=lambda s: s.next_due or today)
    for summary in candidates[:5]:
        try:
            run = render_documents(path, out_dir=path.parent / "documents", orders=[summary.order_no], today=today,
                                   workers=1)
        except DocumentCheckError:
            continue  # this order's documents would disagree: try the next one
        return [rendered.docx for rendered in run.files]
    return []
