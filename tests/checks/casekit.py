"""The machinery of the rule tables: a case is a change to the clean workbook and the codes it must raise.

Each table module (``test_rules``, ``test_money_rules`` …) lists its cases; :func:`run_case` writes
the changed workbook, reads it back and runs every check as of 2026-11-26, so the cell addresses,
the reader and the checks are exercised together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from gendan_xl.checks.report import Report
from gendan_xl.pipeline import check_workbook
from tests.checks.clean import TODAY, Rows, clean_rows, order, write_rows


@dataclass(frozen=True)
class Case:
    """A change to the clean workbook and the finding codes it must raise — no more, no less."""

    name: str
    change: Callable[[Rows], Any]
    expected: frozenset[str]
    edit_file: Callable[[Path], None] | None = None
    archive: Callable[[Path], Path] | None = None
    extra_sheets: tuple[str, ...] = ()
    addresses: dict[str, str] = field(default_factory=dict)


def case(name: str, change: Callable[[Rows], Any], *codes: str, **options: Any) -> Case:
    return Case(name, change, frozenset(codes), **options)


def nothing(rows: Rows) -> None:
    return None


def upd(target: Callable[[Rows], dict[str, Any]], **values: Any) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        target(rows).update(values)

    return change


def chain(*changes: Callable[[Rows], Any]) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        for step in changes:
            step(rows)

    return change


def history(**values: Any) -> Callable[[Rows], None]:
    return lambda rows: rows["price_history"][0].update(values)


def deliver(day: date, **values: Any) -> Callable[[Rows], None]:
    """Move the customer delivery date (and the factory's, five days earlier)."""
    return upd(order, **{"delivery_date": day, "factory_delivery_date": day - timedelta(days=5), **values})


def confirmed(rows: Rows) -> None:
    order(rows)["factory_confirmed"] = date(2026, 11, 20)


def no_deposit_terms(terms: str) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        order(rows).update(payment_terms=terms, deposit_pct=None, deposit_date=None, deposit_amount=None)
        rows["payments"].clear()

    return change


def add_row(sheet: str, **values: Any) -> Callable[[Rows], None]:
    return lambda rows: rows[sheet].append(values)


def logged(kind: str, **values: Any) -> Callable[[Rows], None]:
    record = {"order_no": "T-001", "kind": kind, "doc_no": "INV-001", "rendered_at": date(2026, 11, 20), **values}
    return lambda rows: rows.setdefault("documents", []).append(record)


def run_case(spec: Case, tmp_path: Path) -> Report:
    """Apply the case to a clean workbook, check it, and assert exactly its codes (and addresses)."""
    rows = clean_rows()
    spec.change(rows)
    path = write_rows(rows, tmp_path / "book.xlsx", extra_sheets=spec.extra_sheets)
    if spec.edit_file:
        spec.edit_file(path)
    archive = spec.archive(tmp_path) if spec.archive else None
    report = check_workbook(path, today=TODAY, archive=archive)
    codes = {f.code for f in report.findings}
    assert codes == spec.expected, [f.message_en for f in report.findings]
    for code, address in spec.addresses.items():
        assert address in {f.address for f in report.findings if f.code == code}
    return report
