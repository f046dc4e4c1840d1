"""Cell value parsers: what a merchandiser typed → exact Python values.

Each parser takes the raw value python-calamine gives (``str``, ``float``, ``int``, ``bool``,
``date``, ``datetime``, ``timedelta``) and returns the typed value or raises
:class:`ValueProblem` with a code and a bilingual reason. Money never goes through float
arithmetic: a float cell becomes ``Decimal(repr(x))`` (the shortest round-tripping text).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from gendan_xl.vocab import squash

__all__ = [
    "ValueProblem",
    "excel_serial_to_date",
    "parse_bool",
    "parse_code",
    "parse_date",
    "parse_decimal",
    "parse_dimensions",
    "parse_integer",
    "parse_percent",
    "parse_text",
]

RawValue = str | float | int | bool | date | datetime | timedelta | time


class ValueProblem(ValueError):
    """A cell value that cannot be read as the column's type."""

    def __init__(self, code: str, reason_zh: str, reason_en: str) -> None:
        self.code = code
        self.reason_zh = reason_zh
        self.reason_en = reason_en
        super().__init__(reason_en)


def _nfkc(text: str) -> str:
    # Full-width digits, letters, punctuation and ideographic spaces become ASCII.
    return unicodedata.normalize("NFKC", text).strip()


def parse_text(value: RawValue) -> str:
    """Text as typed; a float that is a whole number loses its ``.0``; dates become ISO text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return str(value)


def parse_code(value: RawValue) -> str:
    """An identifier kept as text: ``9403609990.0`` → ``9403609990``, full-width → half-width."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    # NFKC leaves ASCII unchanged, and nearly every code is ASCII: skip the normalisation then.
    text = value.strip() if isinstance(value, str) and value.isascii() else _nfkc(parse_text(value))
    if "." in text and _FLOAT_CODE.fullmatch(text):
        return text.split(".", 1)[0]
    return text


_FLOAT_CODE = re.compile(r"\d+\.0+")


_CURRENCY_MARKS = re.compile(
    r"^(?:US\$|USD|RMB|CNY|EUR|GBP|HKD|JPY|AUD|CAD|[$¥￥€£])\s*|\s*(?:USD|RMB|CNY|EUR|GBP|HKD|JPY|元|美元)$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")


def parse_decimal(value: RawValue) -> Decimal:
    """An exact decimal from a number or text (``1,234.50``, ``$12``, ``１２３``, ``(12.5)``)."""
    if isinstance(value, bool):
        raise ValueProblem("not-a-number", f"应为数字，却是逻辑值 {value}", f"expected a number, found {value}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueProblem("not-a-number", "不是有效数字", "not a finite number")
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise ValueProblem("not-a-number", f"应为数字，却是 {parse_text(value)}", f"expected a number, found {value}")
    text = _nfkc(value)
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    text = _CURRENCY_MARKS.sub("", text).replace(" ", "").replace("\u00a0", "")
    if "," in text:
        if not _GROUPED.match(text):
            raise ValueProblem("not-a-number", f"“{value}”不是数字", f"“{value}” is not a number")
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise ValueProblem("not-a-number", f"“{value}”不是数字", f"“{value}” is not a number")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid literals
        raise ValueProblem("not-a-number", f"“{value}”不是数字", f"“{value}” is not a number") from exc
    return -number if negative else number


def parse_integer(value: RawValue) -> int:
    """A whole number; ``24.0`` is fine, ``24.5`` is not."""
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise ValueProblem("not-an-integer", f"应为整数，却是 {number}", f"expected a whole number, found {number}")
    return int(number)


def parse_percent(value: RawValue) -> Decimal:
    """A share as a fraction: ``30%``, ``0.3`` and ``30`` (read as percent points) → ``0.3``."""
    if isinstance(value, str):
        text = _nfkc(value).replace(" ", "")
        if text.endswith("%"):
            return _check_share(parse_decimal(text[:-1]) / 100, value)
        number = parse_decimal(text)
    else:
        number = parse_decimal(value)
    if number > 1:
        number = number / 100
    return _check_share(number, value)


def _check_share(number: Decimal, raw: RawValue) -> Decimal:
    if not Decimal(0) <= number <= Decimal(1):
        raise ValueProblem(
            "bad-percent", f"比例“{raw}”应在 0%–100% 之间", f"share “{raw}” must be between 0% and 100%"
        )
    return number.normalize() if number else Decimal(0)


# Excel's 1900 date system: serial 1 = 1900-01-01, with the fictitious 1900-02-29 (serial 60).
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_EPOCH_1904 = date(1904, 1, 1)
_MIN_SERIAL, _MAX_SERIAL = 32874, 73051  # 1990-01-01 … 2099-12-31: plausible trade dates


def excel_serial_to_date(serial: float, *, date1904: bool = False) -> date:
    """The calendar date of an Excel serial number."""
    epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH
    return epoch + timedelta(days=int(serial))


_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY_TEXT = re.compile(r"^(\d{1,2})[\s\-/.]*([A-Za-z]{3,9})\.?[\s\-/.,]*(\d{4})$")
_MDY_TEXT = re.compile(r"^([A-Za-z]{3,9})\.?\s*(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d{4})$")
_NUMERIC_AMBIGUOUS = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_MONTHS = {m: i for i, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for m in names}


def _make_date(year: int, month: int, day: int, raw: RawValue) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueProblem(
            "invalid-date", f"日期“{raw}”不存在", f"“{raw}” is not a real calendar date"
        ) from exc


def parse_date(value: RawValue, *, date1904: bool = False) -> date:
    """A date from an Excel date, a serial number or text (``2026-03-05``, ``2026/3/5``,
    ``2026.3.5``, ``2026年3月5日``, ``20260305``, ``5-Mar-2026``, ``Mar 5, 2026``)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueProblem("not-a-date", f"应为日期，却是 {value}", f"expected a date, found {value}")
    if isinstance(value, int | float):
        if _MIN_SERIAL <= value <= _MAX_SERIAL:
            return excel_serial_to_date(value, date1904=date1904)
        raise ValueProblem("not-a-date", f"数字 {parse_text(value)} 不是日期", f"the number {value} is not a date")
    if not isinstance(value, str):
        raise ValueProblem("not-a-date", f"应为日期，却是 {value}", f"expected a date, found {value}")
    text = _nfkc(value)
    if match := _YMD.match(text) or _YMD_COMPACT.match(text):
        return _make_date(int(match[1]), int(match[2]), int(match[3]), value)
    if match := _DMY_TEXT.match(text):
        month = _MONTHS.get(match[2].casefold())
        if month:
            return _make_date(int(match[3]), month, int(match[1]), value)
    if match := _MDY_TEXT.match(text):
        month = _MONTHS.get(match[1].casefold())
        if month:
            return _make_date(int(match[3]), month, int(match[2]), value)
    if match := _NUMERIC_AMBIGUOUS.match(text):
        first, second = int(match[1]), int(match[2])
        if first > 12 >= second:
            return _make_date(int(match[3]), second, first, value)
        if second > 12 >= first:
            return _make_date(int(match[3]), first, second, value)
        raise ValueProblem(
            "ambiguous-date",
            f"日期“{value}”无法判断是日/月还是月/日，请写成 2026-03-05",
            f"“{value}” could be day/month or month/day; write it as 2026-03-05",
        )
    raise ValueProblem("not-a-date", f"“{value}”不是日期", f"“{value}” is not a date")


_TRUE = frozenset(squash(w) for w in ("是", "要", "需要", "有", "y", "yes", "true", "1", "对"))
_FALSE = frozenset(squash(w) for w in ("否", "不", "不要", "不需要", "无", "n", "no", "false", "0"))


def parse_bool(value: RawValue) -> bool:
    """Yes/no from ``是/否``, ``Y/N``, ``yes/no``, ``TRUE/FALSE``, ``1/0``, ``√``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = squash(parse_text(value)) if not isinstance(value, str) else squash(value)
    raw = _nfkc(value) if isinstance(value, str) else ""
    if text in _TRUE or raw in ("√", "✓"):
        return True
    if text in _FALSE or raw in ("×", "-", "/"):
        return False
    raise ValueProblem("not-a-yes-no", f"“{value}”应填 是 或 否", f"“{value}” should be yes or no")


_DIMENSIONS = re.compile(r"^\s*([\d.]+)\s*[*xX×]\s*([\d.]+)\s*[*xX×]\s*([\d.]+)\s*(?:cm|CM|厘米)?\s*$")


def parse_dimensions(value: RawValue) -> tuple[Decimal, Decimal, Decimal]:
    """Carton size L×W×H in cm from one cell: ``29*21*12``, ``108x20x20``, ``26.5×26×32cm``."""
    text = _nfkc(parse_text(value))
    match = _DIMENSIONS.match(text)
    if not match:
        raise ValueProblem(
            "bad-dimensions", f"箱规“{value}”应写成 长*宽*高，如 29*21*12", f"“{value}” should be L*W*H, e.g. 29*21*12"
        )
    try:
        length, width, height = (Decimal(g) for g in match.groups())
    except InvalidOperation as exc:
        raise ValueProblem("bad-dimensions", f"箱规“{value}”有误", f"“{value}” is not a carton size") from exc
    return length, width, height
