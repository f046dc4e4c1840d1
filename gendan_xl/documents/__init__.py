"""Trade documents from the master workbook: contexts, templates, the cross-document check, PDFs, the log.

The public API:

- :func:`render_documents` — the one call behind ``gendan docs``;
- :func:`build_context` / :func:`gather_order` — an order's template context from the validated models;
- :func:`gather_shipment` — the orders that sail together (a 出运 shipment no. or a plan group) as one
  :class:`ShipmentData`, whose documents :func:`build_context` makes too;
- :func:`check_documents` — the cross-document check (单单一致);
- :func:`fingerprint` — the hash of the order data a kind of document is made from;
- :func:`amount_in_words_en`, :func:`amount_in_words_zh` — amounts in words;
- :data:`KINDS` — the document kinds.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gendan_xl.documents.consistency import Difference, DocumentProblem, check_documents
    from gendan_xl.documents.context import DocumentContext, Figure, Gap, build_context
    from gendan_xl.documents.kinds import KINDS, DocumentKind, find_kind, parse_kinds
    from gendan_xl.documents.run import DocumentRun, render_documents, select_orders
    from gendan_xl.documents.shipment import ShipmentData, gather_shipment
    from gendan_xl.documents.source import OrderData, fingerprint, gather_order
    from gendan_xl.documents.words import amount_in_words_en, amount_in_words_zh

# The checks import the kinds and the fingerprint on every run; rendering pulls in docxtpl, cn2an and
# friends (~0.5 s). Load each public name from its module on first use so `gendan check` and the Excel
# buttons (a new Python per click) do not pay for documents they do not make.
_HOME = {
    "Difference": "consistency", "DocumentProblem": "consistency", "check_documents": "consistency",
    "DocumentContext": "context", "Figure": "context", "Gap": "context", "build_context": "context",
    "KINDS": "kinds", "DocumentKind": "kinds", "find_kind": "kinds", "parse_kinds": "kinds",
    "DocumentRun": "run", "render_documents": "run", "select_orders": "run",
    "OrderData": "source", "fingerprint": "source", "gather_order": "source",
    "ShipmentData": "shipment", "gather_shipment": "shipment",
    "amount_in_words_en": "words", "amount_in_words_zh": "words",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "KINDS",
    "Difference",
    "DocumentContext",
    "DocumentKind",
    "DocumentProblem",
    "DocumentRun",
    "Figure",
    "Gap",
    "OrderData",
    "ShipmentData",
    "amount_in_words_en",
    "amount_in_words_zh",
    "build_context",
    "check_documents",
    "find_kind",
    "fingerprint",
    "gather_order",
    "gather_shipment",
    "parse_kinds",
    "render_documents",
    "select_orders",
]
