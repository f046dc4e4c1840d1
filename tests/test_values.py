"""Cell value parsers: examples for every accepted form, and round-trip properties (hypothesis)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gendan_xl.values import (
    ValueProblem,
    excel_serial_to_date,
    parse_bool,
    parse_code,
    parse_date,
    parse_decimal,
    parse_dimensions,
    parse_integer,
    parse_percent,
    parse_text,
)

FULL_WIDTH = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")


def full_width(text: str) -> str:
    """The same text typed with a Chinese IME in full-width mode."""
    return text.translate(FULL_WIDTH)


# --- dates -------------------------------------------------------------------------------------

DATE_FORMS = {
    "iso": lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}",
    "iso-short": lambda d: f"{d.year}-{d.month}-{d.day}",
    "slash": lambda d: f"{d.year}/{d.month}/{d.day}",
    "dot": lambda d: f"{d.year}.{d.month}.{d.day}",
    "chinese": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "compact": lambda d: f"{d.year:04d}{d.month:02d}{d.day:02d}",
    "d-mon-y": lambda d: d.strftime("%d-%b-%Y"),
    "mon d, y": lambda d: d.strftime("%b %d, %Y"),
    "month d, y": lambda d: d.strftime("%B %d, %Y"),
    "with time": lambda d: f"{d.year}/{d.month:02d}/{d.day:02d} 10:30",
}
trade_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-03-05", date(2026, 3, 5)), ("2026/3/5", date(2026, 3, 5)), ("2026.3.5", date(2026, 3, 5)),
     ("2026年3月5日", date(2026, 3, 5)), ("２０２６年３月５日", date(2026, 3, 5)), (" 2026-03-05 ", date(2026, 3, 5)),
     ("20260305", date(2026, 3, 5)), ("5-Mar-2026", date(2026, 3, 5)), ("Mar 5, 2026", date(2026, 3, 5)),
     ("March 5th, 2026", date(2026, 3, 5)), ("13/05/2026", date(2026, 5, 13)), ("05/13/2026", date(2026, 5, 13))],
)
def test_text_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_excel_dates_and_serials() -> None:
    assert parse_date(date(2026, 3, 5)) == date(2026, 3, 5)
    assert parse_date(datetime(2026, 3, 5, 14, 0)) == date(2026, 3, 5)
    assert type(parse_date(datetime(2026, 3, 5, 14, 0))) is date
    assert parse_date(46086.0) == date(2026, 3, 5)  # a date cell read as its serial number
    assert parse_date(46086) == date(2026, 3, 5)
    assert parse_date(46086.0, date1904=True) == date(2026, 3, 5) + timedelta(days=1462)


@pytest.mark.parametrize(
    ("value", "code"),
    [("2026-02-30", "invalid-date"), ("2026-13-01", "invalid-date"), ("2026.2.29", "invalid-date"),
     ("next week", "not-a-date"), (123.0, "not-a-date"), (True, "not-a-date"), ("03/05/2026", "ambiguous-date")],
)
def test_bad_dates(value: object, code: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_date(value)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert caught.value.reason_zh and caught.value.reason_en


@given(day=trade_dates, form=st.sampled_from(sorted(DATE_FORMS)), wide=st.booleans())
def test_dates_round_trip_in_every_text_form(day: date, form: str, wide: bool) -> None:
    text = DATE_FORMS[form](day)
    assert parse_date(full_width(text) if wide else text) == day


@given(day=trade_dates)
def test_excel_serials_round_trip(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days
    assert parse_date(float(serial)) == day
    assert excel_serial_to_date(serial) == day


# --- numbers -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,234.50", Decimal("1234.50")), ("US$1,234.50", Decimal("1234.50")), ("$12", Decimal(12)),
     ("¥3.5", Decimal("3.5")), ("￥１，２３４．５", Decimal("1234.5")), ("RMB 12", Decimal(12)), ("12元", Decimal(12)),
     ("€ 3", Decimal(3)), ("1,234.50 USD", Decimal("1234.50")), ("(12.5)", Decimal("-12.5")), (".5", Decimal("0.5")),
     ("１２０", Decimal(120)), (" 42 ", Decimal(42)), ("1 234.5", Decimal("1234.5"))],
)
def test_numbers_stored_as_text(text: str, expected: Decimal) -> None:
    number = parse_decimal(text)
    assert type(number) is Decimal
    assert number == expected


def test_float_cells_become_exact_decimals() -> None:
    assert parse_decimal(0.1) == Decimal("0.1")  # not 0.1000000000000000055511151231257827
    assert parse_decimal(1.15) == Decimal("1.15")
    assert parse_decimal(7) == Decimal(7)
    assert type(parse_decimal(0.1)) is Decimal


@pytest.mark.parametrize("text", ["about 500", "1.234,50", "12,34", "$1.2.3", "", "N/A", "1-2"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_decimal(text)
    assert caught.value.code == "not-a-number"


@pytest.mark.parametrize("value", [True, float("nan"), float("inf"), date(2026, 1, 1)])
def test_non_number_cells(value: object) -> None:
    with pytest.raises(ValueProblem):
        parse_decimal(value)  # type: ignore[arg-type]


amounts = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False)
PREFIXES = ["", "$", "US$", "USD ", "¥", "￥", "RMB ", "€", "£"]
SUFFIXES = ["", " USD", "元", " RMB"]


@given(amount=amounts, grouped=st.booleans(), prefix=st.sampled_from(PREFIXES), suffix=st.sampled_from(SUFFIXES),
       wide=st.booleans())
def test_decimals_round_trip_through_every_typed_form(amount: Decimal, grouped: bool, prefix: str, suffix: str,
                                                     wide: bool) -> None:
    digits = f"{amount:,f}" if grouped else f"{amount:f}"
    text = prefix + (full_width(digits) if wide else digits) + suffix
    parsed = parse_decimal(text)
    assert type(parsed) is Decimal
    assert parsed == amount


@given(amount=amounts.filter(lambda d: d > 0))
def test_negative_amounts_in_both_notations(amount: Decimal) -> None:
    assert parse_decimal(f"-{amount:,f}") == -amount
    assert parse_decimal(f"({amount:,f})") == -amount


@given(value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_float_cells_keep_their_shortest_text(value: float) -> None:
    assert parse_decimal(value) == Decimal(repr(value))
    assert float(parse_decimal(value)) == value


@given(n=st.integers(min_value=-10**12, max_value=10**12), grouped=st.booleans(), wide=st.booleans())
def test_integers_round_trip(n: int, grouped: bool, wide: bool) -> None:
    text = f"{n:,}" if grouped else str(n)
    assert parse_integer(full_width(text) if wide else text) == n
    assert parse_integer(float(n)) == n
    assert type(parse_integer(float(n))) is int


def test_fractions_are_not_integers() -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_integer(24.5)
    assert caught.value.code == "not-an-integer"


# --- percentages -------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["30%", "30 %", "３０％", "0.3", "０．３", "30", 0.3, 30, 30.0])
def test_thirty_percent_in_every_form(value: object) -> None:
    share = parse_percent(value)  # type: ignore[arg-type]
    assert type(share) is Decimal
    assert share == Decimal("0.3")


@pytest.mark.parametrize("value", ["130%", "-5%", 101, "-0.1"])
def test_shares_outside_zero_to_hundred_percent(value: object) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_percent(value)  # type: ignore[arg-type]
    assert caught.value.code == "bad-percent"


shares = st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False)


@given(share=shares, wide=st.booleans())
def test_percent_with_sign_round_trips(share: Decimal, wide: bool) -> None:
    text = f"{share * 100:f}%"
    assert parse_percent(full_width(text) if wide else text) == share


@given(share=shares)
def test_percent_as_fraction_round_trips(share: Decimal) -> None:
    assert parse_percent(f"{share:f}") == share
    assert parse_percent(float(share)) == share


@given(share=shares.filter(lambda s: s * 100 > 1))
def test_percent_as_points_round_trips(share: Decimal) -> None:
    assert parse_percent(f"{share * 100:f}") == share  # "30" means 30 %


# --- codes, text, yes/no, carton sizes ---------------------------------------------------------

def test_hs_code_stored_as_number_keeps_its_digits() -> None:
    assert parse_code(9403609990.0) == "9403609990"
    assert parse_code("9403609990.0") == "9403609990"
    assert parse_code("0102030405") == "0102030405"  # leading zero kept
    assert parse_code("００１２") == "0012"
    assert parse_code(12.5) == "12.5"


@given(code=st.from_regex(r"[0-9A-Z][0-9A-Z\-/]{0,14}", fullmatch=True))
def test_text_codes_are_kept_exactly(code: str) -> None:
    assert parse_code(code) == code
    assert parse_code(f" {code} ") == code


@given(number=st.integers(min_value=0, max_value=10**15))
def test_numeric_codes_lose_only_the_float_point(number: int) -> None:
    assert parse_code(float(number)) == str(number)


def test_text_of_other_cell_types() -> None:
    assert parse_text(" Tongs ") == "Tongs"
    assert parse_text(24.0) == "24"
    assert parse_text(True) == "TRUE"
    assert parse_text(datetime(2026, 3, 5)) == "2026-03-05"


@pytest.mark.parametrize(("value", "expected"), [("是", True), ("否", False), ("Y", True), ("no", False), ("√", True),
                                                 ("×", False), (1.0, True), (0, False), (True, True), ("ＹＥＳ", True)])
def test_yes_no(value: object, expected: bool) -> None:
    assert parse_bool(value) is expected  # type: ignore[arg-type]


def test_not_yes_no() -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_bool("maybe")
    assert caught.value.code == "not-a-yes-no"


@pytest.mark.parametrize(("text", "expected"), [("29*21*12", ("29", "21", "12")), ("108x20x20", ("108", "20", "20")),
                                                ("26.5×26×32", ("26.5", "26", "32")), ("40 X 30 X 20 cm", ("40", "30", "20")),
                                                ("２９＊２１＊１２", ("29", "21", "12"))])
def test_carton_sizes(text: str, expected: tuple[str, str, str]) -> None:
    assert parse_dimensions(text) == tuple(Decimal(x) for x in expected)


@pytest.mark.parametrize("text", ["40 by 30", "29*21", "a*b*c", "1..2*3*4"])
def test_bad_carton_sizes(text: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_dimensions(text)
    assert caught.value.code == "bad-dimensions"
