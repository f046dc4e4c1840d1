r"""What the buttons in the master workbook run: check, documents, shipment plan, the findings of a row.

Each button's VBA Sub is one line (``macros/gendan.bas``), e.g.
``RunPython "import gendan_xl.xl as g; g.check()"``. RunPython starts a new Python for every
click, so this module imports nothing heavy at the top; each function imports what it needs.

Every entry point takes the open workbook from ``xw.Book.caller()`` (or the ``book`` given, which
is how the tests pass a fake one), reads its *current* values through xlwings — unsaved edits
included; the file Excel holds open is never read — runs the same core as the command line, and
writes through xlwings into the open workbook. A run that cannot go on ends in a message box in
Chinese and English, never a traceback; an unexpected error also writes its traceback to
``gendan_xl-excel.log`` in the temp folder and names that file. Long runs report progress in
Excel's status bar.

Debugging from Python (Windows or macOS with Excel; ``set_mock_caller`` makes
``Book.caller()`` return the given workbook)::

    import xlwings as xw
    import gendan_xl.xl as g

    xw.Book(r"C:\Users\me\Documents\跟单总表.xlsm").set_mock_caller()
    g.check()
"""

from __future__ import annotations

import re
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gendan_xl.checks import Report
    from gendan_xl.excel.live import LiveResult
    from gendan_xl.excel.livebook import LiveBook
    from gendan_xl.findings import Finding
    from gendan_xl.models import SheetInfo, Workbook

__all__ = [
    "DOCUMENTS_FOLDER",
    "LOG_NAME",
    "TITLE",
    "Selection",
    "check",
    "make_documents",
    "parse_rows",
    "read_selection",
    "shipment_plan",
    "show_findings",
]

TITLE = "gendan_xl"
DOCUMENTS_FOLDER = "单证 Documents"  # next to the workbook
LOG_NAME = "gendan_xl-excel.log"
_SHOWN_FINDINGS = 12
_CELL = re.compile(r"^\$?([A-Za-z]{0,3})\$?(\d*)$")


# ---------------------------------------------------------------------------------------------
# The buttons
# ---------------------------------------------------------------------------------------------


def check(book: LiveBook | None = None, *, today: date | None = None) -> None:
    """Button 检查 Check: check the open workbook and write statuses, colours and notes into it."""
    from gendan_xl.pipeline import check_live

    with _session(book) as live:
        checked = check_live(live, today=today, progress=_status_bar(live))
        live.app.alert(_check_summary(checked.report, checked.written), TITLE, mode="info")


def make_documents(book: LiveBook | None = None, *, today: date | None = None) -> None:
    """Button 生成单证 Documents: the documents of the orders in the selected rows, into a folder next to the workbook.

    Rows may be selected on the orders sheet or on any sheet whose rows name an order (lines,
    shipments, payments). On the 出运 sheet a row of a shipment that several orders share (one
    shipment no.) makes that shipment's documents: one invoice, packing list, booking note, customs
    and C/O data for its orders. Each document is logged on the 单证记录 sheet through xlwings.
    """
    from gendan_xl.errors import ConfigError
    from gendan_xl.pipeline import documents_live, read_live_workbook

    with _session(book) as live:
        progress = _status_bar(live)
        selection = read_selection(live)
        workbook = read_live_workbook(live, progress=progress) if selection is not None else None
        orders = selection.order_numbers(workbook) if selection is not None and workbook is not None else []
        if workbook is None or not orders:
            live.app.alert("请先选中订单所在的行（订单、订单明细、出货或收款表），再点“生成单证”。\n\n"
                           "Select the rows of the orders first (on the orders, lines, shipments or payments "
                           "sheet), then click Documents.", TITLE, mode="info")
            return
        if workbook.path is None:
            raise ConfigError("请先把工作簿保存到本机文件夹，单证会生成在它旁边。",
                              "Save the workbook to a local folder first: the documents are written next to it.")
        folder = workbook.path.parent / DOCUMENTS_FOLDER
        shipments = selection.shipment_numbers(workbook) if selection is not None else []
        run = documents_live(live, workbook, orders, shipments=shipments, out_dir=folder, today=today or date.today(),
                             progress=progress)
        names = "\n".join(f"  {f.docx.name}" for f in run.files[:15])
        more = f"\n  …（共 {len(run.files)} 个 / {len(run.files)} in all）" if len(run.files) > 15 else ""
        live.app.alert(f"已生成 {len(run.files)} 个单证 / {len(run.files)} document(s) written to\n{folder}\n\n"
                       f"{names}{more}", TITLE, mode="info")


def shipment_plan(book: LiveBook | None = None, *, today: date | None = None) -> None:
    """Button 出运计划 Plan: group the open orders due soon into shipments, on the 出运计划 sheet."""
    from gendan_xl.pipeline import plan_live
    from gendan_xl.planning import PLAN_SHEET

    with _session(book) as live:
        plan = plan_live(live, today=today, progress=_status_bar(live))
        groups = len(plan.groups)
        live.app.alert(f"出运计划已写入“{PLAN_SHEET}”表：{groups} 组，{plan.horizon_days} 天内到期的订单。\n\n"
                       f"The shipment plan is on the “{PLAN_SHEET}” sheet: {groups} group(s) of the orders due within "
                       f"{plan.horizon_days} days.", TITLE, mode="info")


def show_findings(book: LiveBook | None = None, *, today: date | None = None) -> None:
    """Button 本行问题 Findings: the findings of the selected row (an order's own and its other sheets') in a message box."""
    from gendan_xl.pipeline import check_live

    with _session(book) as live:
        selection = read_selection(live)
        if selection is None or not selection.rows:
            live.app.alert("请先选中一行。\nSelect a row first.", TITLE, mode="info")
            return
        checked = check_live(live, today=today, write=False, progress=_status_bar(live))
        row = min(selection.rows)
        live.app.alert(_findings_text(checked.workbook, checked.report, selection.sheet, row), TITLE, mode="info")


# ---------------------------------------------------------------------------------------------
# Selection
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """The selected rows of one sheet (``rows`` None: whole columns, i.e. every row)."""

    sheet: str
    rows: frozenset[int] | None

    def shipment_numbers(self, workbook: Workbook) -> list[str]:
        """The shipment numbers of the selected rows of the 出运 sheet, in sheet order, each once (none elsewhere)."""
        info = workbook.sheets.get("shipments")
        if info is None or info.name.casefold() != self.sheet.casefold():
            return []
        return list(dict.fromkeys(s.shipment_no for s in workbook.shipments if self.rows is None or s.row in self.rows))

    def order_numbers(self, workbook: Workbook) -> list[str]:
        """The orders named in the selected rows, in sheet order, each once."""
        from gendan_xl.workbook.schema import ORDER_SHEETS

        found: list[str] = []
        wanted = self.sheet.casefold()
        for key in (spec.key for spec in ORDER_SHEETS):
            info = workbook.sheets.get(key)
            if info is None or not any(part.name.casefold() == wanted for part in info.sheets):
                continue
            for item in getattr(workbook, key):
                part, row = info.part_of(item.row)  # a table on several sheets: the row's own sheet
                if part.name.casefold() == wanted and (self.rows is None or row in self.rows) \
                        and item.order_no not in found:
                    found.append(item.order_no)
        return found


def parse_rows(address: str) -> frozenset[int] | None:
    """The rows an Excel address covers: ``$A$2:$C$4,$A$7`` → {2, 3, 4, 7}; whole columns (``$A:$C``) → None."""
    rows: set[int] = set()
    for area in address.replace(";", ",").split(","):
        ends = [_CELL.match(part.strip().split("!")[-1]) for part in area.split(":")]
        if not all(ends):
            raise ValueError(f"not an Excel address: {address!r}")
        numbers = [int(m.group(2)) for m in ends if m and m.group(2)]
        if not numbers:
            return None  # a whole column
        rows.update(range(min(numbers), max(numbers) + 1))
    return frozenset(rows)


def read_selection(book: LiveBook) -> Selection | None:
    """The selection of the open workbook, or None when nothing (or a shape) is selected."""
    selected = book.selection
    if selected is None:
        return None
    try:
        rows = parse_rows(selected.address)
    except ValueError:
        return None
    return Selection(selected.sheet.name, rows)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _caller() -> LiveBook:
    from gendan_xl.errors import ConfigError

    try:
        import xlwings as xw
    except ImportError as exc:
        raise ConfigError('需要 xlwings：pip install "gendan_xl[excel]"',
                          'xlwings is needed: pip install "gendan_xl[excel]"') from exc
    try:
        book: LiveBook = xw.Book.caller()
    except Exception as exc:  # xlwings raises a bare Exception, or AttributeError where there is no Excel
        raise ConfigError(
            "没有调用它的 Excel 工作簿：请从 Excel 按钮运行，或调试时先执行 xw.Book(路径).set_mock_caller()"
            "（需要 Windows 或 macOS 上的 Excel）。",
            "no calling Excel workbook: run this from an Excel button, or for debugging call "
            "xw.Book(path).set_mock_caller() first (needs Excel on Windows or macOS).") from exc
    return book


@contextmanager
def _session(book: LiveBook | None) -> Iterator[LiveBook]:
    """The open workbook; any exception inside becomes a message box, the status bar is reset at the end."""
    from gendan_xl.errors import GendanError

    live = book if book is not None else _caller()
    try:
        yield live
    except GendanError as exc:
        _alert_error(live, f"{exc.message_zh}\n\n{exc.message_en}")
    except Exception as exc:  # a user of the button must never see a traceback
        log = _log_traceback()
        _alert_error(live, f"内部错误：{type(exc).__name__}: {exc}\n详情见 {log}\n\n"
                           f"Internal error: {type(exc).__name__}: {exc}\nDetails in {log}")
    finally:
        with suppress(Exception):  # Excel may be gone; nothing is left to tell
            live.app.status_bar = False  # give the status bar back to Excel


def _alert_error(book: LiveBook, text: str) -> None:
    try:
        book.app.alert(text, TITLE, mode="critical")
    except Exception:
        _log_traceback(text)


def _log_traceback(text: str | None = None) -> Path:
    path = Path(tempfile.gettempdir()) / LOG_NAME
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n{text or traceback.format_exc()}\n")
    except OSError:
        pass
    return path


def _status_bar(book: LiveBook) -> Callable[[str], None]:
    def show(text: str) -> None:
        book.app.status_bar = f"gendan_xl: {text}"

    return show


def _check_summary(report: Report, result: LiveResult | None) -> str:
    from gendan_xl.findings import Severity

    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    text = (f"检查完成：{len(report.orders)} 个订单，{errors} 个错误，{warnings} 个警告；已写入状态列。\n"
            f"Checked {len(report.orders)} order(s): {errors} error(s), {warnings} warning(s); the status columns "
            "are up to date.")
    if result is not None and result.skipped:
        cells = ", ".join(f"{s.sheet}!{s.cell}" for s in result.skipped[:10])
        text += (f"\n\n{len(result.skipped)} 个单元格已有他人的批注，未写入 gendan 批注：{cells}\n"
                 f"{len(result.skipped)} cell(s) already had someone else's note, kept as it is: {cells}")
    return text


def _part(info: SheetInfo, sheet: str) -> SheetInfo:
    """The part of a (perhaps multi-sheet) table that is the sheet called ``sheet``."""
    return next((part for part in info.sheets if part.name.casefold() == sheet.casefold()), info)


def _findings_text(workbook: Workbook, report: Report, sheet: str, row: int) -> str:
    keys = {part.name.casefold(): key for key, info in workbook.sheets.items() for part in info.sheets}
    key = keys.get(sheet.casefold())
    info = workbook.sheets.get(key) if key else None
    order_no = next((item.order_no for item in getattr(workbook, key or "", [])
                     if info is not None and info.part_of(item.row) == (_part(info, sheet), row)), None)
    mine: list[Finding] = [f for f in report.findings
                           if (f.sheet or "").casefold() == sheet.casefold() and f.row == row]
    if key == "orders" and order_no is not None:
        mine += [f for f in report.findings if f.order_no == order_no and f not in mine]
    where = f"{sheet}!{row}" + (f" — {order_no}" if order_no else "")
    if not mine:
        return f"{where}\n\n此行没有发现问题。\nNo findings for this row."
    lines = [f"【{f.severity.zh}】{f.message_zh}\n{f.message_en}" for f in mine[:_SHOWN_FINDINGS]]
    if len(mine) > _SHOWN_FINDINGS:
        rest = len(mine) - _SHOWN_FINDINGS
        lines.append(f"…另有 {rest} 条（点“检查”后看状态列的批注）/ {rest} more (see the notes in the status columns)")
    return f"{where}：{len(mine)} 条 / finding(s)\n\n" + "\n\n".join(lines)


