"""The 出运 rows as documents write them: the first stated value, the containers and seals of a shipment.

An order's documents read its one row; a shipment's read all its rows, which usually repeat the
booking, vessel and container but may name several containers (one row per order and container).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from gendan_xl.models import Shipment
from gendan_xl.vocab import squash

from .formats import clean_text

__all__ = ["containers", "containers_on_rows", "date_of", "first_stated"]


def first_stated(rows: Iterable[Shipment], name: str) -> Shipment | None:
    """The first row that has a value in field ``name``."""
    return next((row for row in rows if getattr(row, name) not in (None, "")), None)


def date_of(rows: Iterable[Shipment], name: str) -> date | None:
    """The first row's value of a date field that has one."""
    row = first_stated(rows, name)
    value = getattr(row, name) if row is not None else None
    return value if isinstance(value, date) else None


def containers(rows: Iterable[Shipment]) -> dict[str, tuple[str, str, Shipment]]:
    """Every numbered container of the rows: number → (type, seal, the first row naming it)."""
    boxes: dict[str, tuple[str, str, Shipment]] = {}
    for row in rows:
        no = clean_text(row.container_no)
        if no and squash(no) not in {squash(n) for n in boxes}:
            boxes[no] = (clean_text(row.container_type).upper(), clean_text(row.seal_no), row)
    return boxes


def containers_on_rows(rows: tuple[Shipment, ...]) -> str:
    """``1 X 40HQ``, ``2 X 40HQ + LCL`` from the rows' container types (distinct numbered containers counted)."""
    counted: dict[str, set[str]] = {}
    for row in rows:
        kind = clean_text(row.container_type).upper()
        if kind:
            counted.setdefault(kind, set())
            if row.container_no:
                counted[kind].add(squash(row.container_no))
    if not counted:
        return ""
    parts = [f"{max(1, len(numbers))} X {kind}" for kind, numbers in counted.items() if kind != "LCL"]
    return " + ".join([*parts, "LCL"] if "LCL" in counted else parts)
