"""Worksheet functions (UDFs) for the master workbook: prices, carton CBM, amounts in words, deadlines.

In Excel (Windows: xlwings' UDFs run in its COM server; macOS has none) after 导入函数 /
``ImportPythonUDFs`` with ``UDF Modules`` = ``gendan_xl.udfs`` on the xlwings.conf sheet::

    =gd_last_price(B2, C2, "USD")           last confirmed price of item C2 for customer B2
    =gd_carton_cbm("29*21*12")              0.007308 m³ (or =gd_carton_cbm(L, W, H, cartons))
    =gd_words_en(AA2, "USD")                SAY US DOLLARS … ONLY
    =gd_words_zh(AA2, "CNY")                人民币壹万贰仟叁佰肆拾伍元陆角柒分
    =gd_deadline(Q2, "booking")             the booking deadline for delivery date Q2

Every parameter and return value is annotated ``Any`` on purpose: xlwings turns annotations into
converters and has none for ``str | None`` or ``Decimal``. Bad input gives a short bilingual
text in the cell, never an exception (Excel would show a bare ``#VALUE!``); no result gives "".

``gd_last_price`` and ``gd_deadline`` read the calling workbook (its price history, lines,
orders and settings) through xlwings. Excel recalculates a function whenever its arguments
change, so one read serves every call for :data:`CACHE_SECONDS`; as the functions do not depend
on the price sheets in Excel's eyes, press Ctrl+Alt+F9 after editing prices to see new results.
The same rules as the checks apply: the price index of :mod:`gendan_xl.checks.prices` and the
deadlines of :func:`gendan_xl.checks.schedule.order_steps` (a test keeps the two in step).
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gendan_xl.checks.calendar import WorkCalendar
    from gendan_xl.checks.prices import PriceIndex, PriceRef
    from gendan_xl.models import Workbook

import xlwings as xw  # the UDF module is for Excel: xlwings is there (and a no-op on Linux)

__all__ = [
    "CACHE_SECONDS",
    "MILESTONES",
    "carton_cbm",
    "clear_cache",
    "gd_carton_cbm",
    "gd_deadline",
    "gd_last_price",
    "gd_words_en",
    "gd_words_zh",
    "last_confirmed_price",
    "milestone_deadline",
]

CACHE_SECONDS = 5.0
_clock: Callable[[], float] = time.monotonic

#: Milestone → (settings field with the days before, counted back from the ETD instead of the
#: delivery date?) — the rules of gendan_xl.checks.schedule.order_steps.
MILESTONES: dict[str, tuple[str, bool]] = {
    "factory-confirmation": ("factory_confirm_days", False),
    "booking": ("booking_days", False),
    "inspection": ("inspection_days_late", False),
    "co": ("co_days", True),
}
_MILESTONE_NAMES = {
    "factory-confirmation": ("factory", "factoryconfirmation", "confirm", "工厂确认", "确认交期", "工厂"),
    "booking": ("booking", "book", "订舱"),
    "inspection": ("inspection", "商检", "报检", "检验"),
    "co": ("co", "c/o", "certificateoforigin", "origin", "产地证"),
}


# ---------------------------------------------------------------------------------------------
# The rules, as plain functions
# ---------------------------------------------------------------------------------------------


def carton_cbm(length: Any, width: Any = None, height: Any = None) -> Decimal:
    """One carton's volume in m³ from L, W, H in cm, or from one text such as ``29*21*12``; ValueError if unreadable."""
    from gendan_xl.values import ValueProblem, parse_decimal, parse_dimensions

    try:
        if width in (None, "") and height in (None, ""):
            sides = parse_dimensions(length)
        else:
            sides = (parse_decimal(length), parse_decimal(width), parse_decimal(height))
    except ValueProblem as problem:
        raise ValueError(f"{problem.reason_zh} / {problem.reason_en}") from None
    if any(side <= 0 for side in sides):
        raise ValueError("箱规应大于 0 / carton sides must be above 0")
    return sides[0] * sides[1] * sides[2] / Decimal(1_000_000)


def last_confirmed_price(index: PriceIndex, customer: str, item: str, currency: str | None = None,
                         before: date | None = None) -> PriceRef | None:
    """The latest confirmed selling price of ``item`` for ``customer`` (in ``currency`` if given), before ``before``.

    The same references the price check uses: the price history, earlier orders of the workbook
    (cancelled ones left out) and the archive.
    """
    from gendan_xl.vocab import normalize_currency

    wanted = index.key(customer, item)
    code = (normalize_currency(currency) or currency.strip().upper()) if currency else None
    best: PriceRef | None = None
    for key, (days, refs) in index.sales.items():
        if key[:2] != wanted or (code is not None and key[2] != code.casefold()):
            continue
        end = len(refs) if before is None else bisect_left(days, before)
        if end and (best is None or refs[end - 1].day >= best.day):
            best = refs[end - 1]
    return best


def milestone_deadline(delivery: date, milestone: str, calendar: WorkCalendar, settings: Any,
                       etd: date | None = None) -> date:
    """The deadline of a milestone for an order delivered on ``delivery`` (ValueError for an unknown milestone).

    ``booking``/``订舱``, ``inspection``/``商检``, ``co``/``产地证`` (from ``etd`` when given),
    ``factory``/``工厂确认``: the days of the settings sheet before the date, moved back to a
    working day — exactly as the checks compute them.
    """
    from gendan_xl.vocab import squash

    key = next((k for k, names in _MILESTONE_NAMES.items() if squash(milestone) in {squash(n) for n in names}), None)
    if key is None:
        raise ValueError(f"未知节点“{milestone}”，可用 booking/订舱、inspection/商检、co/产地证、factory/工厂确认 / "
                         f"unknown milestone {milestone!r}")
    setting, from_etd = MILESTONES[key]
    base = etd if from_etd and etd is not None else delivery
    day: date = calendar.previous_workday(base - timedelta(days=int(getattr(settings, setting))))
    return day


# ---------------------------------------------------------------------------------------------
# The calling workbook, read once per CACHE_SECONDS
# ---------------------------------------------------------------------------------------------


@dataclass
class _Snapshot:
    read_at: float
    workbook: Workbook
    _index: PriceIndex | None = None
    _calendar: WorkCalendar | None = None

    @property
    def index(self) -> PriceIndex:
        if self._index is None:
            from gendan_xl.checks.prices import build_price_index

            self._index = build_price_index(self.workbook)
        return self._index

    @property
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            from gendan_xl.checks.calendar import WorkCalendar

            self._calendar = WorkCalendar(self.workbook.settings.calendar)
        return self._calendar


_SNAPSHOTS: dict[str, _Snapshot] = {}


def clear_cache() -> None:
    """Forget every workbook read (the next call reads again)."""
    _SNAPSHOTS.clear()


def _snapshot(caller: Any) -> _Snapshot:
    from gendan_xl.excel.live import read_live

    book = caller.sheet.book
    key = book.fullname
    now = _clock()
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is None or now - snapshot.read_at > CACHE_SECONDS:
        workbook = read_live(book, keys={"orders", "lines", "price_history", "settings"})
        snapshot = _SNAPSHOTS[key] = _Snapshot(now, workbook)
    return snapshot


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or value in (None, ""):
        raise ValueError("缺少数值 / a number is missing")
    try:
        number = Decimal(str(value).replace(",", "").strip()) if not isinstance(value, float) else Decimal(repr(value))
    except InvalidOperation:
        raise ValueError(f"不是数字 / not a number: {value}") from None
    if not number.is_finite():
        raise ValueError(f"不是数字 / not a number: {value}")
    return number


def _day(value: Any) -> date:
    from gendan_xl.values import ValueProblem, parse_date

    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return parse_date(value)
    except (ValueProblem, TypeError):
        raise ValueError(f"不是日期 / not a date: {value}") from None


def _error(exc: Exception) -> str:
    return f"#gendan: {exc}"


# ---------------------------------------------------------------------------------------------
# The worksheet functions
# ---------------------------------------------------------------------------------------------


@xw.func(category="gendan_xl")
@xw.arg("customer", doc="客户 customer (as on the orders sheet)")
@xw.arg("item", doc="货号 item no.")
@xw.arg("currency", doc="币种 currency, e.g. USD (optional: any)")
@xw.arg("before", doc="只看此日期之前的价格 only prices confirmed before this date (optional)")
def gd_last_price(customer: Any, item: Any, currency: Any = None, before: Any = None, caller: Any = None) -> Any:
    """Last confirmed price of an item for a customer (price history and earlier orders of this workbook)."""
    try:
        if customer in (None, "") or item in (None, ""):
            return ""
        snapshot = _snapshot(caller)
        ref = last_confirmed_price(snapshot.index, str(customer), _text(item), str(currency) if currency else None,
                                   _day(before) if before not in (None, "") else None)
        return float(ref.price) if ref is not None else ""
    except Exception as exc:
        return _error(exc)


@xw.func(category="gendan_xl")
@xw.arg("length", doc="长 L (cm), or the whole size such as 29*21*12")
@xw.arg("width", doc="宽 W (cm)")
@xw.arg("height", doc="高 H (cm)")
@xw.arg("cartons", doc="箱数 cartons (optional: CBM of all of them)")
def gd_carton_cbm(length: Any, width: Any = None, height: Any = None, cartons: Any = None) -> Any:
    """Carton volume in m³ (L × W × H cm ÷ 1,000,000), times the cartons when given."""
    try:
        if length in (None, ""):
            return ""
        volume = carton_cbm(length, width, height)
        if cartons not in (None, ""):
            volume *= _decimal(cartons)
        return float(volume)
    except Exception as exc:
        return _error(exc)


@xw.func(category="gendan_xl")
@xw.arg("amount", doc="金额 amount")
@xw.arg("currency", doc="币种 currency (default USD)")
def gd_words_en(amount: Any, currency: Any = "USD") -> Any:
    """The amount in English words, trade style: SAY US DOLLARS … AND CENTS … ONLY."""
    from gendan_xl.documents.words import amount_in_words_en

    try:
        return "" if amount in (None, "") else amount_in_words_en(_decimal(amount), str(currency or "USD"))
    except Exception as exc:
        return _error(exc)


@xw.func(category="gendan_xl")
@xw.arg("amount", doc="金额 amount")
@xw.arg("currency", doc="币种 currency (default CNY)")
def gd_words_zh(amount: Any, currency: Any = "CNY") -> Any:
    """The amount in Chinese uppercase (大写) with the currency name: 人民币壹万元整."""
    from gendan_xl.documents.words import amount_in_words_zh

    try:
        return "" if amount in (None, "") else amount_in_words_zh(_decimal(amount), str(currency or "CNY"))
    except Exception as exc:
        return _error(exc)


@xw.func(category="gendan_xl")
@xw.arg("delivery", doc="客户交期 customer delivery date")
@xw.arg("milestone", doc="booking/订舱, inspection/商检, co/产地证, factory/工厂确认")
@xw.arg("etd", doc="ETD (optional; the C/O deadline counts from it)")
def gd_deadline(delivery: Any, milestone: Any, etd: Any = None, caller: Any = None) -> Any:
    """Deadline of a milestone, by the lead times and working-day calendar of this workbook's settings."""
    try:
        if delivery in (None, ""):
            return ""
        calendar, settings = _calendar_and_settings(caller)
        day = milestone_deadline(_day(delivery), str(milestone), calendar, settings,
                                 _day(etd) if etd not in (None, "") else None)
        return datetime(day.year, day.month, day.day)
    except Exception as exc:
        return _error(exc)


def _calendar_and_settings(caller: Any) -> tuple[WorkCalendar, Any]:
    """The workbook's settings, or the defaults when there is no workbook to read (called from Python)."""
    if caller is None:
        from gendan_xl.checks.calendar import WorkCalendar
        from gendan_xl.config import Settings

        settings = Settings()
        return WorkCalendar(settings.calendar), settings
    snapshot = _snapshot(caller)
    return snapshot.calendar, snapshot.workbook.settings


def _text(value: Any) -> str:
    from gendan_xl.values import parse_code

    return parse_code(value)
