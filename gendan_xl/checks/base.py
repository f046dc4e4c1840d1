"""The check framework: a context every check reads from, and the registry of checks.

A check is a function ``(CheckContext) -> Iterable[Finding]`` registered with :func:`check`.
Checks are pure: they read the validated workbook and the context, never a file, and they
yield findings built with :meth:`CheckContext.finding`, which fills in the sheet and cell
address of the field the finding is about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gendan_xl.checks.calendar import WorkCalendar
from gendan_xl.config import Settings
from gendan_xl.findings import FigureValue, Finding, Severity, make_finding
from gendan_xl.models import Workbook

__all__ = ["CHECKS", "Archive", "CheckContext", "CheckFunction", "check"]


@dataclass(frozen=True)
class Archive:
    """Earlier workbooks (历史总表) whose confirmed prices the price check also uses, already read.

    ``books`` are (file name, workbook) pairs; ``findings`` are the problems met reading them
    (a missing folder, an unreadable file), reported with the check's own findings. Reading the
    files is the workbook layer's job (:func:`gendan_xl.workbook.archive.load_archive`).
    """

    books: tuple[tuple[str, Workbook], ...] = ()
    findings: tuple[Finding, ...] = ()


@dataclass
class CheckContext:
    """What every check may use: the workbook, the day of the check, the calendar, the archive and indexes."""

    workbook: Workbook
    today: date
    calendar: WorkCalendar
    archive: Archive = field(default_factory=Archive)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        """The workbook's settings (defaults where the settings sheet is silent)."""
        return self.workbook.settings

    def finding(
        self,
        code: str,
        *,
        sheet: str,
        field: str | None,
        row: int | None,
        order_no: str | None = None,
        due: date | None = None,
        severity: Severity | None = None,
        **figures: FigureValue,
    ) -> Finding:
        """A finding about ``field`` in ``row`` of the sheet with key ``sheet`` (``orders``, ``lines`` …)."""
        sheet_name, cell, excel_row = self.workbook.locate(sheet, field, row)
        return make_finding(code, sheet=sheet_name, cell=cell, order_no=order_no, row=excel_row, due=due,
                            severity=severity, **figures)

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """Build an index once per run and share it between checks."""
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]


CheckFunction = Callable[[CheckContext], Iterable[Finding]]
CHECKS: dict[str, CheckFunction] = {}


def check(name: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check under ``name`` (its family: ``prices``, ``amounts`` …)."""

    def register(function: CheckFunction) -> CheckFunction:
        if name in CHECKS:
            raise ValueError(f"check {name!r} registered twice")
        CHECKS[name] = function
        return function

    return register
