"""The one core every face calls: read → check → write back → documents.

The CLI, the Excel buttons and the notebook API all go through these functions, so a workbook
gives the same answers whichever way it is used. A file is read and written through the lossless
writer; an open workbook in Excel (the buttons) through xlwings, with the ``*_live`` functions,
which run the very same read, checks, plan and documents over its current values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from gendan_xl.checks import Report, run_checks
from gendan_xl.demo import DemoData, write_demo_workbook, write_flat_demo_workbook
from gendan_xl.documents import outdated  # noqa: F401 - registers the document log's check with the others
from gendan_xl.excel.conf import configure_excel
from gendan_xl.excel.install import prepare_workbook
from gendan_xl.excel.interpreter import Interpreters
from gendan_xl.excel.setup import setup_excel
from gendan_xl.excel.xlsm import create_excel_workbook
from gendan_xl.models import Workbook
from gendan_xl.planning import ShipmentPlan, plan_shipments, read_plan, write_plan
from gendan_xl.workbook.archive import archive_folder, load_archive
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.template import build_template, new_workbook_path
from gendan_xl.workbook.writeback import plan_status, write_status

if TYPE_CHECKING:
    from gendan_xl.documents import DocumentRun
    from gendan_xl.excel.live import LiveResult
    from gendan_xl.excel.livebook import LiveBook
    from gendan_xl.ooxml import PatchResult
    from gendan_xl.workbook.adopt import MappingReport

__all__ = [
    "DemoRun",
    "LiveCheck",
    "add_sheets",
    "check_live",
    "check_workbook",
    "configure_excel",
    "create_workbook",
    "documents_live",
    "make_documents",
    "map_workbook",
    "plan_live",
    "plan_workbook",
    "prepare_workbook",
    "read_live_workbook",
    "read_workbook",
    "run_demo",
    "save_mapping",
    "setup_excel",
]

Progress = Callable[[str], None]


def create_workbook(path: Path | str, *, overwrite: bool = False, excel: bool = False,
                    interpreters: Interpreters | None = None) -> Path:
    """Write a new, empty master workbook from the template; refuses to overwrite unless asked.

    With ``excel`` it is a macro-enabled ``.xlsm`` with the buttons, and ``interpreters`` (default:
    the running Python) go on its ``xlwings.conf`` sheet. Adding the buttons to an existing workbook
    is :func:`setup_excel`, pointing them at another Python :func:`configure_excel`, and the set-up
    scripts' make-or-upgrade step :func:`prepare_workbook` (all from :mod:`gendan_xl.excel`).
    """
    if excel:
        return create_excel_workbook(path, overwrite=overwrite, interpreters=interpreters)
    return build_template(new_workbook_path(path, ".xlsx", overwrite=overwrite))


def map_workbook(path: Path | str) -> MappingReport:
    """Which sheet holds which table and which column each field (``gendan map``): the saved mapping or the proposal.

    Reads the first rows of each sheet only. Every other function here reads through the same mapping.
    """
    from gendan_xl.workbook.adopt import map_file

    return map_file(path)


def save_mapping(path: Path | str, *, sidecar: bool = False, force: bool = False) -> Path:
    """Keep the mapping: the ``映射 Mapping`` sheet in the workbook (lossless), or ``PATH.gendan.toml`` with ``sidecar``."""
    from gendan_xl.workbook.adopt import save_mapping as save

    return save(path, sidecar=sidecar, force=force)


def add_sheets(path: Path | str, keys: Sequence[str], *, force: bool = False) -> tuple[list[str], PatchResult | None]:
    """Add our customers / factories / shipments / payments sheets (template headers, drop-downs) to the workbook."""
    from gendan_xl.workbook.adopt import add_template_sheets

    return add_template_sheets(path, keys, force=force)


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


def make_documents(
    source: Workbook | Path | str,
    *,
    out_dir: Path | str,
    orders: Sequence[str] | None = None,
    due_within: int | None = None,
    shipments: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
    pdf: bool = False,
    templates_dir: Path | str | None = None,
    force: bool = False,
    today: date | None = None,
    workers: int | None = None,
    log: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> DocumentRun:
    """Render the chosen orders' and shipments' documents into ``out_dir`` (see :func:`gendan_xl.documents.render_documents`).

    ``shipments`` are shipment numbers of the 出运 sheet or groups (``G3``) of the plan saved on
    the workbook's 出运计划 sheet, which is read here for them.
    """
    from gendan_xl.documents import render_documents

    plan = None
    if shipments:
        if not isinstance(source, Workbook):  # read (and refuse a bad file) before the plan sheet is looked at
            source = read_workbook(source)
        plan = read_plan(source.path) if source.path is not None else None
    return render_documents(source, out_dir=out_dir, orders=orders, due_within=due_within, shipments=shipments,
                            plan=plan, kinds=kinds, pdf=pdf, templates_dir=templates_dir, force=force, today=today,
                            workers=workers, log=log, progress=progress)


# ---------------------------------------------------------------------------------------------
# The open workbook in Excel (the buttons): the same steps over its current values, through xlwings
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveCheck:
    """What checking the open workbook did: the report and, when written, what the write-back wrote."""

    workbook: Workbook
    report: Report
    written: LiveResult | None = None


def read_live_workbook(book: LiveBook, *, progress: Progress | None = None) -> Workbook:
    """Read the open workbook's current values (unsaved edits included) into the models."""
    from gendan_xl.excel.live import read_live

    return read_live(book, progress=progress)


def check_live(book: LiveBook, *, today: date | None = None, write: bool = True,
               progress: Progress | None = None) -> LiveCheck:
    """Check the open workbook; with ``write`` put the statuses, colours and notes into it."""
    from gendan_xl.excel.live import apply_live

    workbook = read_live_workbook(book, progress=progress)
    if progress:
        progress("检查 Checking")
    books = load_archive(archive_folder(workbook, None), exclude=workbook.path)
    report = run_checks(workbook, today=today, archive=books)
    written = apply_live(book, plan_status(workbook, report), progress=progress) if write else None
    return LiveCheck(workbook, report, written)


def plan_live(book: LiveBook, *, today: date | None = None, progress: Progress | None = None) -> ShipmentPlan:
    """Plan the open workbook's shipments and put the plan on its 出运计划 sheet."""
    from gendan_xl.excel.live import write_sheet_live

    workbook = read_live_workbook(book, progress=progress)
    if progress:
        progress("计划 Planning")
    plan = plan_shipments(workbook, today=today)
    write_sheet_live(book, plan.sheet(), progress=progress)
    return plan


def documents_live(book: LiveBook, workbook: Workbook, orders: Sequence[str], *, out_dir: Path, today: date,
                   shipments: Sequence[str] = (), progress: Progress | None = None) -> DocumentRun:
    """Render ``orders``' and ``shipments``' documents from the open workbook into ``out_dir``; log them on 单证记录.

    ``shipments`` are shipment numbers of the open workbook's 出运 sheet (the selected rows'): a
    shipment several orders share gets one set of shipment documents, its orders none of their own;
    a shipment of one order gets that order's documents, as before.
    """
    from gendan_xl.documents import render_documents
    from gendan_xl.documents.shipment import shipment_orders
    from gendan_xl.excel.livedocs import append_log_live, log_entries
    from gendan_xl.vocab import squash

    on_sheet = shipment_orders(workbook)
    together = [no for no in dict.fromkeys(shipments) if len(on_sheet.get(squash(no), ("", ()))[1]) > 1]
    shipped = {order for no in together for order in on_sheet[squash(no)][1]}
    alone = [order for order in orders if order not in shipped]
    run = render_documents(workbook, out_dir=out_dir, orders=alone or None, shipments=together or None, today=today,
                           workers=1, log=False,
                           progress=(lambda done, total: progress(f"生成单证 Documents {done}/{total}")) if progress
                           else None)
    if progress:
        progress("记录 Logging")
    append_log_live(book, workbook, log_entries(workbook, run, today=today))
    return run


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


def run_demo(directory: Path | str, *, today: date | None = None, layout: str = "split") -> DemoRun:
    """Write the demo workbook into ``directory`` and run the whole pipeline on it.

    ``layout`` ``flat`` writes it as a merchandiser's own one-sheet tracker (the order's cells merged
    down its lines, their headers, a price list beside it) and reads it through the automatic mapping.
    """
    from gendan_xl.errors import ConfigError

    if layout not in ("split", "flat"):
        raise ConfigError(f"--layout 只能是 split 或 flat：{layout}", f"--layout must be split or flat: {layout}")
    today = today or date.today()
    writer = write_flat_demo_workbook if layout == "flat" else write_demo_workbook
    path, data = writer(directory, today=today)
    workbook = read_workbook(path)
    report = run_checks(workbook, today=today)
    write_status(path, workbook, report, backups=0)
    plan = plan_shipments(workbook, today=today)
    write_plan(path, plan, backups=0)
    documents = _demo_documents(path, report, {p.order_no for p in data.planted}, today)
    if data.consolidated:  # the orders that sail together: one set of shipment documents
        run = make_documents(path, out_dir=path.parent / "documents", shipments=data.consolidated, today=today,
                             workers=1)
        documents += [rendered.docx for rendered in run.files]
    return DemoRun(path=path, data=data, workbook=workbook, report=report, plan=plan, documents=documents,
                   steps=["read", "check", "write statuses", "shipment plan", "documents"])


def _demo_documents(path: Path, report: Report, planted: set[str], today: date) -> list[Path]:
    """Every document of the next clean order to ship, into ``documents/`` beside the demo workbook."""
    from gendan_xl.errors import DocumentCheckError

    candidates = sorted((s for s in report.orders if s.next_due and s.worst is None and s.order_no not in planted
                         and s.delivery.value == "on_time"), key=lambda s: s.next_due or today)
    for summary in candidates[:5]:
        try:
            run = make_documents(path, out_dir=path.parent / "documents", orders=[summary.order_no], today=today,
                                 workers=1)
        except DocumentCheckError:
            continue  # this order's documents would disagree: try the next one
        return [rendered.docx for rendered in run.files]
    return []
