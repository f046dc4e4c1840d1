"""The worksheet functions as plain functions (xlwings' decorators are no-ops on Linux), and as xlwings registers them."""

from __future__ import annotations

import importlib
import io
import sys
import types
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

import gendan_xl.udfs as udfs
from gendan_xl.checks.base import CheckContext
from gendan_xl.checks.calendar import WorkCalendar
from gendan_xl.checks.prices import build_price_index
from gendan_xl.checks.schedule import order_steps
from gendan_xl.documents.words import amount_in_words_en, amount_in_words_zh
from gendan_xl.workbook.reader import read_workbook
from tests.checks.clean import TODAY
from tests.excel.fakebook import FakeBook, FakeRange, load_xlsx

FUNCTIONS = ("gd_carton_cbm", "gd_deadline", "gd_last_price", "gd_words_en", "gd_words_zh")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gendan_xl.demo import write_demo_workbook

    path, _ = write_demo_workbook(tmp_path_factory.mktemp("demo"), today=TODAY)
    return path


@pytest.fixture
def caller(demo: Path) -> Iterator[FakeRange]:
    """The cell a formula sits in, in the demo workbook as Excel holds it open."""
    udfs.clear_cache()
    book = load_xlsx(demo)
    yield book.sheets["订单"].range((2, 40))
    udfs.clear_cache()


@pytest.mark.parametrize(("args", "expected"), [
    (("29*21*12",), 0.007308), ((29, 21, 12), 0.007308), ((50, 40, 30, 10), 0.6), (("108x20x20", None, None, 2), 0.0864),
    (("26.5×26×32cm",), 0.022048),
], ids=["text", "numbers", "cartons", "x-and-cartons", "unicode"])
def test_carton_cbm(args: tuple[object, ...], expected: float) -> None:
    assert udfs.gd_carton_cbm(*args) == pytest.approx(expected)


def test_bad_input_gives_a_short_text_and_blank_gives_blank() -> None:
    assert udfs.gd_carton_cbm("29 by 21").startswith("#gendan: ") and "L*W*H" in udfs.gd_carton_cbm("29 by 21")
    assert udfs.gd_carton_cbm(0, 5, 5).startswith("#gendan")
    assert udfs.gd_carton_cbm(None) == "" and udfs.gd_words_en("") == "" and udfs.gd_deadline(None, "booking") == ""
    assert udfs.gd_words_en("abc").startswith("#gendan") and udfs.gd_deadline(date(2026, 12, 28), "lunch").startswith(
        "#gendan: 未知节点")
    with pytest.raises(ValueError):
        udfs.carton_cbm("nonsense")


def test_amounts_in_words_as_the_documents_write_them() -> None:
    assert udfs.gd_words_en(12345.67, "usd") == amount_in_words_en(Decimal("12345.67"), "USD")
    assert udfs.gd_words_en(0.1 + 0.2) == "SAY US DOLLARS THIRTY CENTS ONLY"
    assert udfs.gd_words_zh(10000) == "人民币壹万元整" == amount_in_words_zh(Decimal(10000))
    assert udfs.gd_words_zh("1,234.5", "USD") == "美元壹仟贰佰叁拾肆元伍角整"


def test_deadline_uses_the_calendar_and_lead_times_of_the_checks(demo: Path, caller: FakeRange) -> None:
    workbook = read_workbook(demo)
    ctx = CheckContext(workbook=workbook, today=TODAY, calendar=WorkCalendar(workbook.settings.calendar))
    compared = 0
    for order in workbook.orders:
        if order.delivery_date is None or order.is_shipped:
            continue
        for step in order_steps(ctx, order):
            name = {"booking": "订舱", "inspection": "inspection", "factory-confirmation": "工厂确认"}.get(step.code)
            if name is None or step.due is None:
                continue
            got = udfs.gd_deadline(datetime.combine(order.delivery_date, datetime.min.time()), name, caller=caller)
            assert got == datetime.combine(step.due, datetime.min.time()), (order.order_no, step.code)
            compared += 1
    assert compared > 20
    # 2026-10-01 (National Day) minus 0: the C/O deadline counts from the ETD and skips the holidays
    assert udfs.gd_deadline(date(2026, 12, 28), "产地证", date(2026, 10, 8)) == datetime(2026, 9, 30)


def test_last_price_reads_the_calling_workbook_once(demo: Path, caller: FakeRange,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    workbook = read_workbook(demo)
    index = build_price_index(workbook)
    record = next(r for r in workbook.price_history if r.customer and r.unit_price is not None and r.currency == "USD")
    ref = udfs.last_confirmed_price(index, record.customer or "", record.item_no, "USD")
    assert ref is not None
    book: FakeBook = caller.sheet.book
    now = [1000.0]
    monkeypatch.setattr(udfs, "_clock", lambda: now[0])
    assert udfs.gd_last_price(record.customer, record.item_no, "usd", caller=caller) == float(ref.price)
    assert udfs.gd_last_price(f" {record.customer.lower()} ", record.item_no, "美元", caller=caller) == float(ref.price)
    assert udfs.gd_last_price(record.customer, record.item_no, caller=caller) is not None
    reads = book._calls["value"]
    assert udfs.gd_last_price(record.customer, "NO-SUCH-ITEM", caller=caller) == ""
    assert book._calls["value"] == reads  # served from the cache
    now[0] += udfs.CACHE_SECONDS + 1
    udfs.gd_last_price(record.customer, record.item_no, caller=caller)
    assert book._calls["value"] > reads
    assert udfs.gd_last_price(record.customer, record.item_no, "USD", date(1990, 1, 1), caller=caller) == ""
    assert udfs.gd_last_price("", "X") == ""


def test_last_price_picks_the_latest_before_a_date(demo: Path) -> None:
    workbook = read_workbook(demo)
    index = build_price_index(workbook)
    key, (days, _) = next((k, v) for k, v in index.sales.items() if len(v[1]) > 2 and v[0][0] != v[0][-1])
    latest = udfs.last_confirmed_price(index, key[0], key[1], key[2])
    assert latest is not None and latest.day == days[-1]
    earlier = udfs.last_confirmed_price(index, key[0], key[1], key[2], before=days[-1])
    assert earlier is not None and earlier.day < days[-1]


@pytest.fixture
def windows_decorators(monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    """xlwings' real UDF decorators (xlwings/udfs.py), importable here once its Windows modules are stubbed."""
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None  # type: ignore[attr-defined]
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *_: None  # type: ignore[attr-defined]
    win32com = types.ModuleType("win32com")
    win32com.client = client  # type: ignore[attr-defined]
    for name, module in {"pythoncom": pythoncom, "pywintypes": types.ModuleType("pywintypes"),
                         "win32com": win32com, "win32com.client": client}.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.delitem(sys.modules, "xlwings.udfs", raising=False)
    real = importlib.import_module("xlwings.udfs")
    import xlwings

    monkeypatch.setattr(xlwings, "func", real.xlfunc)
    monkeypatch.setattr(xlwings, "arg", real.xlarg)
    importlib.reload(udfs)
    yield real
    monkeypatch.undo()
    sys.modules.pop("xlwings.udfs", None)
    importlib.reload(udfs)


def test_xlwings_on_windows_can_convert_every_argument_and_writes_ascii_vba(windows_decorators: types.ModuleType) -> None:
    from xlwings.conversion import accessors

    module = sys.modules["gendan_xl.udfs"]
    for name in FUNCTIONS:
        info = getattr(module, name).__xlfunc__
        assert info["category"] == "gendan_xl"
        for arg in info["args"]:
            assert arg["options"].get("convert") in accessors, (name, arg["name"])  # else Excel shows an error
        assert info["ret"]["options"].get("convert") in accessors
    class Workbook:
        Name = "跟单总表.xlsm"

    vba = io.StringIO()
    windows_decorators.generate_vba_wrapper("gendan_xl.udfs", module, vba, Workbook())
    text = vba.getvalue()
    text.encode("ascii")
    for name in FUNCTIONS:
        assert f"Function {name}(" in text
    assert 'Array(customer, item, currency, before, Nothing)' in text  # caller: filled in by xlwings


def test_the_examples_in_the_docs_are_what_the_functions_return() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "excel.md").read_text(encoding="utf-8")
    assert f"`=gd_carton_cbm(\"29*21*12\")` → {udfs.gd_carton_cbm('29*21*12'):g}" in page
    assert f"`{udfs.gd_words_en(12345.67, 'USD')}`" in page
    assert f"`{udfs.gd_words_zh(12345.67, 'CNY')}`" in page
    for name in FUNCTIONS:
        assert f"`{name}(" in page
