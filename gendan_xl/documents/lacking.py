"""What each kind of document needs that the workbook does not keep at all: the columns and sheets it lacks.

A tracker of the user's own often has no HS code column or no customers sheet. A document made from it
then lacks those data on every order; :func:`lacking` names them per kind, so ``gendan docs`` can say
which documents lack what before anything is written (the gaps of one order's values are the
consistency check's, :mod:`gendan_xl.documents.consistency`).
"""

from __future__ import annotations

from collections.abc import Iterable

from gendan_xl.models import Workbook
from gendan_xl.workbook.schema import sheet_spec

from .kinds import DocumentKind

__all__ = ["lacking", "lacking_lines"]

_SHEET = {"order": "orders", "line": "lines", "customer": "customers", "factory": "factories", "shipment": "shipments"}
_ANY_SIZE = {"carton_l", "carton_w", "carton_h"}  # a carton size in one cell holds all three
_KEYS = {"order_no", "code", "shipment_no"}  # the keys that tie the rows together: always there when the sheet is


def lacking(workbook: Workbook, kind: DocumentKind) -> list[tuple[str, str]]:
    """The columns (``客户 Customer``) and sheets (``客户表 the customers sheet``) a kind uses that the workbook lacks."""
    out: list[tuple[str, str]] = []
    for model, name in sorted(f.split(".", 1) for f in kind.fields):
        key = _SHEET[model]
        spec = sheet_spec(key)
        info = workbook.sheets.get(key)
        if info is None:
            entry = (f"{spec.zh}表", f"{spec.en.lower()} sheet")
        elif name in _KEYS or name in info.columns or (name in _ANY_SIZE and "carton_size" in info.columns):
            continue
        else:
            column = spec.column("carton_size" if name in _ANY_SIZE else name)  # L, W, H: one carton size
            entry = (f"{column.zh}列", f"{column.en} column")
        if entry not in out:
            out.append(entry)
    return out


def lacking_lines(workbook: Workbook, kinds: Iterable[DocumentKind]) -> list[str]:
    """One line per kind that lacks something: ``商业发票 Commercial Invoice：总表没有 … / … lacks …``."""
    lines = []
    for kind in kinds:
        found = lacking(workbook, kind)
        if found:
            lines.append(f"{kind.zh}：总表没有{'、'.join(zh for zh, _ in found)} / {kind.en}: the workbook has no "
                         f"{', no '.join(en for _, en in found)}")
    return lines
