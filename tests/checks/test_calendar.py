"""Working days: Chinese holidays and make-up workdays (调休), fallbacks, other calendars."""

from __future__ import annotations

from datetime import date

from gendan_xl.checks.calendar import WorkCalendar


def test_national_day_and_make_up_workday_2026() -> None:
    cn = WorkCalendar("CN")
    assert not cn.is_workday(date(2026, 10, 1))  # National Day
    assert cn.is_workday(date(2026, 10, 10))  # a Saturday worked in lieu (调休)
    assert not cn.is_workday(date(2026, 11, 28))  # an ordinary Saturday
    assert cn.estimated_years == set()


def test_year_without_official_data_falls_back_and_says_so() -> None:
    cn = WorkCalendar("CN")
    assert not cn.is_workday(date(2027, 10, 1))
    assert cn.is_workday(date(2027, 3, 3))
    assert cn.estimated_years == {2027}


def test_counting_and_moving_deadlines() -> None:
    cn = WorkCalendar("CN")
    assert cn.workdays_until(date(2026, 11, 26), date(2026, 11, 30)) == 2  # Fri 27, Mon 30
    assert cn.previous_workday(date(2026, 11, 29)) == date(2026, 11, 27)
    assert cn.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)  # over the Golden Week (Oct 1–7)
    assert cn.add_workdays(date(2026, 10, 8), -1) == date(2026, 9, 30)


def test_other_calendars() -> None:
    plain = WorkCalendar("NONE")
    assert plain.is_workday(date(2026, 10, 1)) and not plain.is_workday(date(2026, 10, 3))
    germany = WorkCalendar("de")
    assert not germany.is_workday(date(2026, 10, 3))  # German Unity Day
    assert germany.is_workday(date(2026, 10, 1))
