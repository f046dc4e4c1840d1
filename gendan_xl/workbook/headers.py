"""Header matching: find the header row of a sheet and map its cells to schema fields.

Real workbooks name the same column many ways (``Q'TY``, ``QUANTITY\\n（数量）``, ``数量``,
``N.W.(KGS)净重``), put title rows above the header, split a bilingual header over two rows
and merge cells across it. Matching is done on folded text (full-width → half-width,
casefold, letters and digits only), trying in turn: the whole header, the header without its
bracketed parts, each Chinese/Latin part alone, and finally the longest alias the header
contains.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from gendan_xl.vocab import squash
from gendan_xl.workbook.schema import SheetSpec

__all__ = ["HeaderLayout", "HeaderMatcher", "detect_header"]

HEADER_SCAN_ROWS = 40
_BRACKETS = re.compile(r"[(（\[【<《][^)）\]】>》]*[)）\]】>》]")
_PARTS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
STATUS_PREFIX = "status:"


class HeaderMatcher:
    """Matches header texts to the fields (and gendan status columns) of one sheet."""

    def __init__(self, spec: SheetSpec) -> None:
        self.spec = spec
        self._exact: dict[str, str] = {}
        for column in spec.columns:
            for name in column.names:
                self._exact.setdefault(squash(name), column.field)
        for status in spec.status_columns:
            for name in status.names:
                self._exact.setdefault(squash(name), STATUS_PREFIX + status.key)
        self._exact.pop("", None)
        self._contained = sorted(
            ((alias, target) for alias, target in self._exact.items() if _long_enough(alias)),
            key=lambda pair: -len(pair[0]),
        )

    def match(self, text: str) -> str | None:
        """The field a header names, ``status:<key>`` for a gendan status column, or None."""
        folded = squash(text)
        if not folded:
            return None
        if folded in self._exact:
            return self._exact[folded]
        unbracketed = squash(_BRACKETS.sub(" ", text))
        if unbracketed in self._exact:
            return self._exact[unbracketed]
        parts = [squash(_BRACKETS.sub(" ", part)) or squash(part) for part in _PARTS.findall(text)]
        hits = [self._exact[part] for part in parts if part in self._exact]
        if hits:
            return hits[0]
        for alias, target in self._contained:
            if alias in folded:
                return target
        return None


def _long_enough(alias: str) -> bool:
    # Short aliases ("l", "po", "to") only match a whole header, never inside a longer one.
    return len(alias) >= 2 if _CJK.search(alias) else len(alias) >= 5


@dataclass(slots=True)
class HeaderLayout:
    """Where the header is and which column holds which field (0-based absolute indexes)."""

    header_row: int
    last_header_row: int
    fields: dict[str, int] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    extras: dict[int, str] = field(default_factory=dict)
    duplicates: list[tuple[int, str, int]] = field(default_factory=list)
    last_column: int = -1


def _cell_text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _row_hits(matcher: HeaderMatcher, row: Sequence[object]) -> set[str]:
    return {hit for value in row if (text := _cell_text(value)) and (hit := matcher.match(text))}


def detect_header(matcher: HeaderMatcher, rows: Sequence[Sequence[object]], col_offset: int) -> HeaderLayout | None:
    """Find the header among the first rows of a sheet; None if no row names any field.

    ``rows`` are the first rows (index = 0-based sheet row), already with merged cells filled.
    """
    best_row, best_hits = -1, 0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        hits = len({h for h in _row_hits(matcher, row) if not h.startswith(STATUS_PREFIX)})
        if hits > best_hits:
            best_row, best_hits = index, hits
    if best_row < 0:
        return None
    top = best_row
    if best_row > 0 and _names_fields(matcher, rows[best_row - 1], rows[best_row]):
        top = best_row - 1  # a bilingual header over two rows whose lower row names more fields
    header = rows[top]
    second = rows[top + 1] if top + 1 < len(rows) else None
    if second is not None and top == best_row and not _continues_header(matcher, header, second):
        second = None
    layout = HeaderLayout(header_row=top, last_header_row=top + (1 if second is not None else 0))
    width = max(len(header), len(second) if second is not None else 0)
    for index in range(width):
        texts = [_cell_text(header[index]) if index < len(header) else ""]
        if second is not None:
            texts.insert(0, _cell_text(second[index]) if index < len(second) else "")
        target = next((hit for text in texts if text and (hit := matcher.match(text))), None)
        shown = " ".join(t for t in reversed(texts) if t)
        absolute = index + col_offset
        if shown:
            layout.last_column = absolute
        if target is None:
            if shown:
                layout.extras[absolute] = shown
            continue
        table = layout.status if target.startswith(STATUS_PREFIX) else layout.fields
        key = target.removeprefix(STATUS_PREFIX)
        if key in table:
            layout.duplicates.append((absolute, shown, table[key]))
        else:
            table[key] = absolute
    return layout


def _names_fields(matcher: HeaderMatcher, row: Sequence[object], below: Sequence[object]) -> bool:
    """A row above the header that is its other-language half: text only, most cells naming the
    same field as the header cell below them (a title or a Shipper/Date block does not)."""
    values = [v for v in row if v not in ("", None)]
    if not values or any(not isinstance(v, str) for v in values):
        return False
    agree = 0
    for index, value in enumerate(row):
        text, under = _cell_text(value), _cell_text(below[index]) if index < len(below) else ""
        if text and under and (hit := matcher.match(text)) is not None and hit == matcher.match(under):
            agree += 1
    return agree >= 2 and agree * 2 >= len(values)


def _continues_header(matcher: HeaderMatcher, header: Sequence[object], row: Sequence[object]) -> bool:
    """A second header row (a bilingual header over two rows, or L/W/H under a merged title)."""
    values = [v for v in row if v not in ("", None)]
    if not values or any(not isinstance(v, str) for v in values):
        return False
    hits = _row_hits(matcher, row)
    new = hits - _row_hits(matcher, header)
    return bool(new) or len(hits) * 2 >= len(values)
