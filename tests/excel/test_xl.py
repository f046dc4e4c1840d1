"""The Excel entry points, run against the fake open workbook: what they write, what they tell the user."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

import gendan_xl.xl as xl
from gendan_xl.documents import KINDS, render_documents
from gendan_xl.excel.live import read_live
from gendan_xl.pipeline import check_workbook
from gendan_xl.planning import PLAN_SHEET, plan_shipments, write_plan
from gendan_xl.workbook.reader import read_workbook
from tests.builders import minimal_sheets
from tests.checks.clean import TODAY
from tests.excel.fakebook import FakeBook, load_xlsx, select

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gendan_xl.demo import write_demo_workbook

    path, _ = write_demo_workbook(tmp_path_factory.mktemp("demo"), today=TODAY)
    return path


@pytest.fixture
def book(demo: Path, tmp_path: Path) -> FakeBook:
    """The demo workbook as Excel holds it open, saved in its own folder (documents go next to it)."""
    copy = shutil.copy(demo, tmp_path / "跟单总表.xlsx")
    return load_xlsx(Path(copy))


def alerts(book: FakeBook) -> list[tuple[str, str | None, str | None]]:
    return book.app._alerts


def test_check_writes_what_the_command_line_writes_and_reports(book: FakeBook, demo: Path, tmp_path: Path) -> None:
    xl.check(book, today=TODAY)
    (text, title, mode), = alerts(book)
    assert title == "gendan_xl" and mode == "info" and "检查完成：43 个订单" in text and "Checked 43 order(s)" in text
    assert book.app._status[0] == "gendan_xl: 读取 Reading 订单" and book.app._status[-1] is False
    file = Path(shutil.copy(demo, tmp_path / "file.xlsx"))
    check_workbook(file, today=TODAY, write=True)
    written = load_xlsx(file)
    for name in ("订单", "订单明细"):
        assert book.sheets[name]._values == written.sheets[name]._values
        assert book.sheets[name]._colors == written.sheets[name]._colors


def test_a_workbook_that_cannot_be_read_gives_a_bilingual_message_box() -> None:
    book = FakeBook()
    sheet = book.sheets.add("随便")
    sheet._values[(1, 1)] = "x"
    xl.check(book, today=TODAY)
    (text, _, mode), = alerts(book)
    assert mode == "critical" and "缺少工作表" in text and "is missing" in text and "Traceback" not in text
    assert book.app._status[-1] is False


def test_an_internal_error_names_the_log_instead_of_a_traceback(book: FakeBook, monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    import gendan_xl.pipeline

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(gendan_xl.pipeline, "run_checks", broken)
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(tmp_path))
    xl.check(book, today=TODAY)
    (text, _, mode), = alerts(book)
    assert mode == "critical" and "RuntimeError: boom" in text and str(tmp_path / xl.LOG_NAME) in text
    assert "Traceback" in (tmp_path / xl.LOG_NAME).read_text(encoding="utf-8")


def test_documents_for_the_selected_rows_land_next_to_the_workbook_and_in_the_log(book: FakeBook, demo: Path,
                                                                                  tmp_path: Path) -> None:
    select(book, "订单", (2, 3), (3, 9))  # two order rows, several columns
    xl.make_documents(book, today=TODAY)
    folder = tmp_path / xl.DOCUMENTS_FOLDER
    written = sorted(p.name for p in folder.glob("*.docx"))
    assert len(written) == 2 * len(KINDS) and written[0].startswith("GD2026-001_")
    (text, _, mode), = alerts(book)
    assert mode == "info" and str(2 * len(KINDS)) in text and str(folder) in text
    chosen = {"GD2026-001", "GD2026-002"}  # the demo's log holds earlier documents of other orders
    live_log = [r for r in read_live(book).documents if r.order_no in chosen]
    file = Path(shutil.copy(demo, tmp_path / "file.xlsx"))
    render_documents(file, out_dir=tmp_path / "file-docs", orders=sorted(chosen), today=TODAY, workers=1)
    file_log = [r for r in read_workbook(file).documents if r.order_no in chosen]

    def key(records: list) -> list[tuple[str, str, str, str]]:  # type: ignore[type-arg]
        return sorted((r.order_no, r.kind, r.doc_no, r.fingerprint) for r in records)

    assert key(live_log) == key(file_log) and len(live_log) == 2 * len(KINDS)
    assert all(r.rendered_at == date.today() and r.file and r.file.startswith(xl.DOCUMENTS_FOLDER) for r in live_log)
    log = book.sheets["单证记录"]
    assert any(isinstance(v, datetime) for v in log._values.values())


def test_a_row_of_a_consolidated_shipment_makes_the_shipments_documents(book: FakeBook, tmp_path: Path) -> None:
    from gendan_xl.documents.kinds import SHIPMENT_KINDS

    workbook = read_live(book)
    rows = [s.row for s in workbook.shipments if s.shipment_no == "HY-INV-C41"]
    single = next(s for s in workbook.shipments if s.order_no == "GD2026-001")
    assert len(rows) == 3
    select(book, "出运", (rows[1], 1), (rows[1], 4))  # one row of the shipment
    xl.make_documents(book, today=TODAY)
    folder = tmp_path / xl.DOCUMENTS_FOLDER
    assert sorted(p.name for p in folder.glob("*.docx")) == sorted(f"HY-INV-C41_{k.key}.docx" for k in SHIPMENT_KINDS)
    (text, _, mode), = alerts(book)
    assert mode == "info" and "HY-INV-C41_commercial-invoice.docx" in text
    select(book, "出运", (single.row, 1))  # an order shipped alone: its own documents, as before
    xl.make_documents(book, today=TODAY)
    assert len(list(folder.glob("GD2026-001_*.docx"))) == len(KINDS)
    log = read_live(book).documents
    shipped = [r for r in log if r.doc_no == "HY-INV-C41"]
    assert len(shipped) == len(SHIPMENT_KINDS)
    assert all(r.order_no == "GD2026-041, GD2026-042, GD2026-043" and r.fingerprint.startswith("s1:") for r in shipped)


def test_documents_take_orders_from_a_lines_selection_and_refuse_inconsistent_ones(book: FakeBook) -> None:
    from tests.excel.fakebook import select as pick

    pick(book, "订单", (8, 1))  # GD2026-007 has planted document differences
    xl.make_documents(book, today=TODAY)
    (text, _, mode), = alerts(book)
    assert mode == "critical" and "nothing was written" in text
    book.app._alerts.clear()
    book._selection = None
    xl.make_documents(book, today=TODAY)
    assert "Select the rows of the orders first" in alerts(book)[0][0]
    first = read_live(book).lines[0]
    selection = xl.Selection("订单明细", frozenset({first.row}))
    assert selection.order_numbers(read_live(book)) == [first.order_no]


def test_shipment_plan_is_the_same_sheet_the_command_line_writes(book: FakeBook, demo: Path, tmp_path: Path) -> None:
    xl.shipment_plan(book, today=TODAY)
    xl.shipment_plan(book, today=TODAY)  # a second run replaces gendan's own sheet
    file = Path(shutil.copy(demo, tmp_path / "file.xlsx"))
    plan = plan_shipments(read_workbook(file), today=TODAY)
    write_plan(file, plan, backups=0)
    assert book.sheets[PLAN_SHEET]._values == load_xlsx(file).sheets[PLAN_SHEET]._values
    assert [s.name for s in book.sheets][-1] == PLAN_SHEET
    text, _, mode = alerts(book)[-1]
    assert mode == "info" and f"{len(plan.groups)} 组" in text


def test_show_findings_of_the_selected_row(book: FakeBook) -> None:
    workbook = read_live(book)
    late = next(o for o in workbook.orders if o.order_no == "GD2026-007")
    select(book, "订单", (late.row, 2))
    xl.show_findings(book, today=TODAY)
    text = alerts(book)[0][0]
    assert text.startswith(f"订单!{late.row} — GD2026-007") and "【" in text
    book.app._alerts.clear()
    select(book, "订单", (60, 2))
    xl.show_findings(book, today=TODAY)
    assert "No findings for this row" in alerts(book)[0][0]


@pytest.mark.parametrize(("address", "rows"), [
    ("$A$2", {2}), ("$A$2:$C$4,$A$7", {2, 3, 4, 7}), ("$3:$5", {3, 4, 5}), ("B9:B8", {8, 9}), ("$A:$C", None),
    ("'订单'!$A$2", {2}),
])
def test_parse_rows(address: str, rows: set[int] | None) -> None:
    assert xl.parse_rows(address) == (frozenset(rows) if rows is not None else None)


def test_parse_rows_refuses_what_is_not_an_address() -> None:
    with pytest.raises(ValueError):
        xl.parse_rows("Rectangle 3")


def test_without_excel_the_entry_points_say_how_to_debug() -> None:
    from gendan_xl.errors import ConfigError

    with pytest.raises(ConfigError, match="set_mock_caller"):
        xl.check()


def test_the_module_imports_nothing_heavy() -> None:
    code = ("import sys, gendan_xl.xl; heavy = [m for m in ('xlwings', 'pandas', 'docxtpl', 'openpyxl', 'holidays') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_an_unsaved_workbook_is_asked_to_be_saved_first() -> None:
    from tests.builders import write_xlsx

    book = FakeBook(fullname="Book1")
    source = load_xlsx(write_xlsx(Path(__import__("tempfile").mkdtemp()) / "b.xlsx", minimal_sheets()))
    book._sheets = source._sheets
    for sheet in book.sheets:
        sheet._book = book
    select(book, "订单", (2, 1))
    xl.make_documents(book, today=date(2026, 11, 26))
    assert "Save the workbook" in alerts(book)[0][0]
