"""Working days: the Chinese calendar with its make-up workdays (调休), or another country's.

``CN`` (the default) uses ``chinese-calendar``, which carries the State Council's official
holiday and 调休 schedule; it is updated once a year after the notice, so for a year it does
not know yet we fall back to ``holidays.CN`` (statutory holidays and any weekend workdays it
knows) and say so in the report instead of failing. ``NONE`` means Monday to Friday; any other
value is a country code of the ``holidays`` package (``DE``, ``US`` …) for users abroad.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

__all__ = ["WorkCalendar"]


class WorkCalendar:
    """Answers "is this a working day?" and counts working days, for one calendar setting."""

    def __init__(self, code: str = "CN") -> None:
        self.code = code.strip().upper() or "CN"
        self.estimated_years: set[int] = set()
        self._holidays: Any = None
        self._memo: dict[date, bool] = {}
        self._spans: dict[tuple[date, date], int] = {}

    def is_workday(self, day: date) -> bool:
        """True if ``day`` is a working day in this calendar."""
        known = self._memo.get(day)
        if known is None:
            known = self._memo[day] = self._lookup(day)
        return known

    def _lookup(self, day: date) -> bool:
        if self.code == "NONE":
            return day.weekday() < 5
        if self.code == "CN":
            import chinese_calendar  # imported on first use: it is only needed for date checks

            try:
                return bool(chinese_calendar.is_workday(day))
            except NotImplementedError:
                self.estimated_years.add(day.year)
                return self._holidays_workday("CN", day)
        return self._holidays_workday(self.code, day)

    def _holidays_workday(self, country: str, day: date) -> bool:
        if self._holidays is None:
            import holidays  # slow to import; only for years or countries chinese-calendar lacks

            self._holidays = holidays.country_holidays(country)
        return bool(self._holidays.is_working_day(day))

    def previous_workday(self, day: date) -> date:
        """``day`` itself if it is a working day, else the last working day before it."""
        while not self.is_workday(day):
            day -= timedelta(days=1)
        return day

    def next_workday(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def add_workdays(self, day: date, count: int) -> date:
        """The working day ``count`` working days after ``day`` (before it if negative)."""
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        while remaining:
            day += timedelta(days=step)
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_until(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if ``end`` ≤ ``start``)."""
        key = (start, end)
        if key not in self._spans:
            self._spans[key] = self._count(start, end)
        return self._spans[key]

    def _count(self, start: date, end: date) -> int:
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count
