"""Which logged documents a change on the change log (改单记录) makes outdated: to recall and issue again.

For each change row the documents concerned are the latest, not recalled, of each kind that shows
what changed (a quantity change: the PI, the contract, the purchase contract, the invoice, the
packing list …; a port change: those naming the ports; see :data:`~gendan_xl.checks.snapshots.ASPECT_FIELDS`
and each kind's fields), issued on or before the change and still showing other figures than the
order has now: by the document's snapshot of that aspect when the log kept one, else by its
fingerprint. A document is named under the latest change that concerns it; the document log's
check (:mod:`gendan_xl.documents.outdated`) then reports it there, not once more on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gendan_xl.checks.base import CheckContext
from gendan_xl.checks.changes import ChangeEvent, order_changes
from gendan_xl.checks.snapshots import ASPECT_FIELDS, parse_snapshot, take_snapshot
from gendan_xl.lifecycle import Aspect
from gendan_xl.models import DocumentRecord

from .kinds import KINDS, DocumentKind, find_kind
from .source import FINGERPRINT_VERSION, OrderData, fingerprint, gather_order

__all__ = ["Reissue", "documents_to_reissue", "kinds_showing"]


@dataclass(frozen=True)
class Reissue:
    """A change-log row and the logged documents it makes outdated."""

    event: ChangeEvent
    records: tuple[DocumentRecord, ...]


def kinds_showing(aspects: Iterable[Aspect]) -> tuple[DocumentKind, ...]:
    """The document kinds that show any of ``aspects`` (every kind for 其他 Other)."""
    wanted = set(aspects)
    if Aspect.OTHER in wanted:
        return KINDS
    fields = frozenset().union(*(ASPECT_FIELDS[a] for a in wanted))
    return tuple(kind for kind in KINDS if kind.fields & fields)


def documents_to_reissue(ctx: CheckContext, latest: Mapping[tuple[str, str], list[DocumentRecord]]) -> list[Reissue]:
    """Per change-log row, the documents to recall and reissue (rows with none are left out).

    ``latest`` holds the not-recalled log records per (order, kind key), oldest first.
    """
    workbook = ctx.workbook
    by_order: dict[str, list[tuple[DocumentKind, DocumentRecord]]] = {}
    for (order_no, _), records in latest.items():
        kind = find_kind(records[-1].kind)
        if kind is not None:
            by_order.setdefault(order_no, []).append((kind, records[-1]))
    named: dict[int, ChangeEvent] = {}  # record row → the latest change that concerns it
    for order_no, events in order_changes(ctx).items():
        order = workbook.orders_by_no.get(order_no)
        documents = by_order.get(order_no)
        if order is None or order.is_cancelled or not documents:
            continue
        now = take_snapshot(order, workbook.lines_by_order.get(order_no, []))
        data: list[OrderData] = []
        for event in sorted((e for e in events if e.row is not None), key=lambda e: (e.on, e.row or 0)):
            aspects = tuple(a for a in event.aspects if a is not Aspect.CANCELLED)
            if not aspects:
                continue
            showing = set(kinds_showing(aspects))
            for kind, record in documents:
                if kind in showing and _outdated_by(ctx, event, aspects, kind, record, now, data):
                    named[record.row] = event
    grouped: dict[int, list[DocumentRecord]] = {}
    by_row = {record.row: record for pairs in by_order.values() for _, record in pairs}
    for row, event in named.items():
        grouped.setdefault(event.row or 0, []).append(by_row[row])
    rows = {e.row: e for found in order_changes(ctx).values() for e in found if e.row is not None}
    return [Reissue(rows[row], tuple(sorted(docs, key=lambda r: r.row))) for row, docs in sorted(grouped.items())]


def _outdated_by(ctx: CheckContext, event: ChangeEvent, aspects: tuple[Aspect, ...], kind: DocumentKind,
                 record: DocumentRecord, now: Mapping[str, Any], data: list[OrderData]) -> bool:
    """True when ``record`` was issued by the change's day and shows other figures than the order has now."""
    if record.rendered_at is not None and record.rendered_at > event.on:
        return False
    snapshot = parse_snapshot(record.snapshot)
    if snapshot is not None and Aspect.OTHER not in aspects:
        return any(snapshot.get(a.value) != now.get(a.value) for a in aspects if a.value in snapshot)
    if not record.fingerprint.startswith(f"{FINGERPRINT_VERSION}:"):
        return False  # another version's hash cannot be compared
    if not data:
        data.append(gather_order(ctx.workbook, record.order_no, today=ctx.today))
    return fingerprint(data[0], kind) != record.fingerprint
