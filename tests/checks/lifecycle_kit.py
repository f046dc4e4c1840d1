"""Helpers of the sample, complaint and change rule tables: rows for the new sheets, addresses by field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from gendan_xl.checks.snapshots import snapshot_text, take_snapshot
from gendan_xl.documents.kinds import find_kind
from gendan_xl.documents.source import fingerprint, gather_order
from gendan_xl.models import column_letter
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.schema import sheet_spec
from tests.checks.clean import TODAY, Rows, clean_rows, write_rows


def at(sheet: str, field: str, row: int = 2) -> str:
    """The template's address of a field in a row (``样品!H2``)."""
    spec = sheet_spec(sheet)
    index = next(i for i, c in enumerate(spec.columns, start=1) if c.field == field)
    return f"{spec.title}!{column_letter(index)}{row}"


def sample(**values: Any) -> Callable[[Rows], None]:
    """Add a sample row for T-001 (S-1, sent 2026-11-01 unless given)."""
    row = {"sample_no": "S-1", "order_no": "T-001", "item_no": "X-1", "kind": "产前样 PP",
           "sent_date": date(2026, 11, 1), "courier": "DHL", "tracking_no": "1234567890", **values}
    return lambda rows: rows["samples"].append(row)


def complaint(**values: Any) -> Callable[[Rows], None]:
    """Add a complaint about T-001 received 2026-11-20."""
    row = {"complaint_no": "C-1", "order_no": "T-001", "item_no": "X-1", "complaint_date": date(2026, 11, 20),
           "complaint_type": "质量 Quality", "description": "rust spots", "claim_amount": 300, "currency": "USD",
           **values}
    return lambda rows: rows["complaints"].append(row)


def change(what: str, **values: Any) -> Callable[[Rows], None]:
    """Add a change-log row for T-001 dated 2026-11-20."""
    row = {"order_no": "T-001", "changed_on": date(2026, 11, 20), "what": what, **values}
    return lambda rows: rows["changes"].append(row)


@cache
def clean_record(kind: str) -> tuple[str, str]:
    """The snapshot and the fingerprint of ``kind`` of the clean order T-001 as it is."""
    with TemporaryDirectory() as folder:
        book = read_workbook(write_rows(clean_rows(), Path(folder) / "clean.xlsx"))
    order = book.orders[0]
    found = find_kind(kind)
    assert found is not None
    mark = fingerprint(gather_order(book, order.order_no, today=TODAY), found)
    return snapshot_text(take_snapshot(order, book.lines)), mark


def logged_as_made(kind: str, rendered: date, *, qty: str | None = None, **values: Any) -> Callable[[Rows], None]:
    """Log a document of T-001 made from the clean order (its quantity then ``qty``, when given)."""
    snapshot, mark = clean_record(kind)
    if qty is not None:
        snapshot = snapshot.replace('"X-1":"1,000 PCS"', f'"X-1":"{qty} PCS"')
        mark = "v1:0ldf1ngerpr1nt0"
    record = {"order_no": "T-001", "kind": kind, "doc_no": "PI-001", "rendered_at": rendered, "fingerprint": mark,
              "snapshot": snapshot, **values}
    return lambda rows: rows.setdefault("documents", []).append(record)
