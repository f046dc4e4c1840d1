"""Column mapping: which column of the user's sheet holds which field of ours, scored from evidence.

Every column of a sheet is scored against every field of the role the sheet may play (orders,
order lines, both on one sheet, price history, customers …) from two kinds of evidence:

* its **header** (:mod:`gendan_xl.workbook.headers`): exact name, alias, a name with a word that
  keeps its meaning, fuzzy similarity, or a name merely contained in it;
* its **content** (:mod:`gendan_xl.workbook.profile`), sampled from the first data rows: dates,
  money, currencies, incoterms, payment terms, HS codes, ports …

The confidence combines both: a strong header is enough unless the content contradicts it; a
weak header (a name merely contained, ``Requested Ship Date``) needs content that agrees; a text
field (customer, factory) cannot be confirmed by content, so a weak header never maps one; a few
fields can be recognised by content alone (a column of incoterms). Each field then gets at most
one column and each column at most one field, strongest evidence first: an exact header always
beats a partial one, and of two equal ones the leftmost wins (the other is a duplicate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from typing import Any

from gendan_xl.models import column_letter
from gendan_xl.workbook.headers import (
    STATUS_PREFIX,
    HeaderHit,
    HeaderMatcher,
    Tier,
    find_header_rows,
    header_currency,
    header_scale,
    header_texts,
    one_line,
)
from gendan_xl.workbook.profile import Profile, content_fit, contradicts, is_distinctive, profile
from gendan_xl.workbook.schema import (
    CHANGES,
    COMPLAINTS,
    CUSTOMERS,
    DOCUMENT_LOG,
    FACTORIES,
    LINE_CHECK,
    LINES,
    ORDERS,
    PAYMENTS,
    PRICE_HISTORY,
    SAMPLES,
    SETTINGS,
    SHIPMENTS,
    Column,
    ColumnType,
    SheetSpec,
)

__all__ = [
    "HIGH",
    "ROLES",
    "ROLE_SPECS",
    "Candidate",
    "SheetMap",
    "all_fields_matcher",
    "map_sheet",
    "role_columns",
    "role_label",
]

HIGH = 0.8  # a field matched at least this confidently needs no confirmation
LOW = 0.62  # below this a column is not taken for a field at all (it may still be shown as the runner-up)
SAMPLE_ROWS = 200

ROLE_SPECS: dict[str, tuple[SheetSpec, ...]] = {
    "flat": (ORDERS, LINES),
    "orders": (ORDERS,),
    "lines": (LINES,),
    "price_history": (PRICE_HISTORY,),
    "customers": (CUSTOMERS,),
    "factories": (FACTORIES,),
    "shipments": (SHIPMENTS,),
    "payments": (PAYMENTS,),
    "samples": (SAMPLES,),
    "complaints": (COMPLAINTS,),
    "changes": (CHANGES,),
    "documents": (DOCUMENT_LOG,),
    "settings": (SETTINGS,),
}
ROLES = tuple(ROLE_SPECS)
_ROLE_LABELS = {
    "flat": ("订单及明细（同一张表）", "orders and their lines on one sheet"),
    "orders": ("订单", "orders"),
    "lines": ("订单明细", "order lines"),
    "price_history": ("价格记录", "price history"),
    "customers": ("客户", "customers"),
    "factories": ("工厂", "factories"),
    "shipments": ("出运", "shipments"),
    "payments": ("收款", "payments"),
    "samples": ("样品", "samples"),
    "complaints": ("客诉", "complaints"),
    "changes": ("改单记录", "change log"),
    "documents": ("单证记录", "document log"),
    "settings": ("设置", "settings"),
}
# On a one-sheet tracker the order number is the order's key (not a line field) and remarks are the line's.
_FLAT_SKIP = frozenset({"lines.order_no", "orders.remarks"})


def role_label(role: str) -> tuple[str, str]:
    """The role of a sheet in Chinese and English."""
    return _ROLE_LABELS[role]


def role_columns(role: str) -> dict[str, Column]:
    """The fields a sheet in ``role`` may hold, by key (``orders.customer``)."""
    out: dict[str, Column] = {}
    for spec in ROLE_SPECS[role]:
        for column in spec.columns:
            key = f"{spec.key}.{column.field}"
            if role == "flat" and key in _FLAT_SKIP:
                continue
            out[key] = column
    return out


@cache
def _matcher(role: str) -> HeaderMatcher:
    extra = (LINE_CHECK,) if role == "flat" else ()
    return HeaderMatcher(*ROLE_SPECS[role], qualify=True, extra_status=extra)


@cache
def all_fields_matcher() -> HeaderMatcher:
    """One matcher over every sheet's fields: finds the header row before the sheet's role is known."""
    specs = [spec for role in ROLES for spec in ROLE_SPECS[role]]
    return HeaderMatcher(*dict.fromkeys(specs), qualify=True, extra_status=(LINE_CHECK,))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A column proposed for a field: where, how sure, and why.

    ``scale`` converts the column's numbers to our unit (mm → cm); ``currency`` is the currency its
    header names (``单价 USD``); ``unit`` the unit it names (``数量(PCS)``).
    """

    key: str
    column: int  # 0-based, absolute
    header: str
    confidence: float
    tier: int  # the header's evidence (0: content alone)
    evidence: tuple[str, ...]
    scale: Decimal | None = None
    currency: str | None = None
    unit: str | None = None

    @property
    def table(self) -> str:
        """The schema sheet of the field (``orders``, ``lines`` …)."""
        return self.key.split(".", 1)[0]

    @property
    def field(self) -> str:
        """The field's name."""
        return self.key.split(".", 1)[1]

    @property
    def letter(self) -> str:
        """The column's letter."""
        return column_letter(self.column + 1)

    @property
    def strong(self) -> bool:
        """A header that names the field by itself, not contradicted by the content."""
        return self.tier >= Tier.ALIAS and self.confidence >= HIGH


@dataclass
class SheetMap:
    """One sheet's proposed (or saved) mapping for one role."""

    sheet: str
    role: str
    header_row: int  # 0-based
    last_header_row: int
    col_offset: int
    headers: dict[int, str] = field(default_factory=dict)  # every header cell, one line, by absolute column
    chosen: dict[str, Candidate] = field(default_factory=dict)
    runners: dict[str, Candidate] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    duplicates: list[tuple[int, str, int]] = field(default_factory=list)  # (column, header, column taken)
    profiles: dict[int, Profile] = field(default_factory=dict)
    saved: bool = False

    def fields(self, table: str) -> dict[str, int]:
        """The chosen columns of one schema sheet's fields (0-based, absolute)."""
        return {c.field: c.column for c in self.chosen.values() if c.table == table}

    def candidate(self, table: str, field_name: str) -> Candidate | None:
        """The column chosen for a field, or None."""
        return self.chosen.get(f"{table}.{field_name}")

    @property
    def unclaimed(self) -> dict[int, str]:
        """Header columns no field claims (listed, never lost)."""
        taken = {c.column for c in self.chosen.values()} | set(self.status.values())
        return {col: text for col, text in self.headers.items() if col not in taken}

    @property
    def last_column(self) -> int:
        """The right-most header column (0-based, absolute; -1 when none)."""
        return max(self.headers, default=-1)

    def doubtful(self, required: Sequence[str]) -> list[str]:
        """Keys of ``required`` fields that are missing or below the high confidence."""
        return [key for key in required if key not in self.chosen or self.chosen[key].confidence < HIGH]

    def score(self, weights: dict[str, float] | None = None) -> float:
        """The evidence that the sheet plays its role: the chosen fields' confidences, weighted."""
        return sum(c.confidence * (weights or {}).get(c.key, 1.0) for c in self.chosen.values())


def _merge_hits(pieces: Sequence[str], matcher: HeaderMatcher) -> dict[str, tuple[HeaderHit, str]]:
    """The best hit per field over a header's pieces (lower header row first) and its whole text."""
    best: dict[str, tuple[HeaderHit, str]] = {}
    whole = "\n".join(pieces)
    texts = [*reversed(pieces), whole] if len(pieces) > 1 else [whole]
    for rank, text in enumerate(texts):
        bonus = 0.01 if rank == 0 and len(pieces) > 1 else 0.0  # the specific lower row beats a group title
        for hit in matcher.hits(text):
            scored = HeaderHit(hit.field, hit.tier, hit.score + bonus, hit.name, hit.how)
            old = best.get(hit.field)
            if old is None or (scored.tier, scored.score) > (old[0].tier, old[0].score):
                best[hit.field] = (scored, text)
    return best


_TYPED = frozenset({ColumnType.DATE, ColumnType.DECIMAL, ColumnType.INTEGER, ColumnType.CURRENCY,
                    ColumnType.INCOTERM, ColumnType.PERCENT, ColumnType.BOOL, ColumnType.DIMENSIONS, ColumnType.STATUS})


def _combine(hit: HeaderHit | None, column: Column, found: Profile | None) -> tuple[float, int, list[str]]:
    """The confidence for a column holding ``column``'s field, its header tier and the evidence in words."""
    evidence: list[str] = []
    fit = content_fit(column, found) if found is not None else None
    against = found is not None and contradicts(column, found)
    if fit is not None and found is not None:
        evidence.append(f"content {fit:.0%} fits ({found.count} cells)")
    elif against and found is not None:
        evidence.append(f"content does not fit ({found.count} cells)")
    if hit is not None:
        evidence.insert(0, f"header {hit.how}: {hit.name}")
        tier = int(hit.tier)
        score = hit.score
        if hit.tier >= Tier.ALIAS:
            # a name is a name: only a typed column (dates, numbers, codes of a list) can be ruled out by content
            return (score * 0.6 if against and column.type in _TYPED else score), tier, evidence
        if hit.tier == Tier.NAMED:
            if against:
                return score * 0.55, tier, evidence
            if fit is not None and fit >= 0.8:
                score = min(0.97, score + 0.1)
            return score, tier, evidence
        if fit is not None and fit >= 0.8 and not against:
            return min(0.9, score + 0.4 * fit), tier, evidence
        return score, tier, evidence
    if fit is not None and fit >= 0.9 and is_distinctive(column) and found is not None and found.count >= 3:
        return 0.65, 0, evidence
    return 0.0, 0, evidence


def column_profiles(rows: Sequence[Sequence[Any]], last_header: int, col_offset: int, last_col: int) -> dict[int, Profile]:
    """The content profile of each column from the rows after the header (a sample), by absolute column."""
    sample = rows[last_header + 1:last_header + 1 + SAMPLE_ROWS]
    out: dict[int, Profile] = {}
    for col in range(last_col - col_offset + 1):
        found = profile([row[col] if col < len(row) else "" for row in sample])
        if found is not None:
            out[col + col_offset] = found
    return out


def map_sheet(
    sheet: str,
    rows: Sequence[Sequence[Any]],
    col_offset: int,
    role: str,
    *,
    header: tuple[int, int] | None = None,
    profiles: dict[int, Profile] | None = None,
) -> SheetMap | None:
    """Propose the mapping of one sheet for ``role`` from its first rows (merged cells filled); None without a header.

    ``rows`` are the first rows of the sheet from row 0 (a header scan and a sample of data rows);
    ``header`` gives the header rows when already found.
    """
    found = header or find_header_rows(all_fields_matcher(), rows)
    if found is None:
        return None
    top, bottom = found
    headers = header_texts(rows, top, bottom, col_offset)
    if not headers:
        return None
    if role == "settings":
        profiles = {}  # a key/value sheet's values are of every kind: its columns are told by their headers alone
    elif profiles is None:
        profiles = column_profiles(rows, bottom, col_offset, max(headers))
    result = SheetMap(sheet, role, top, bottom, col_offset, {c: one_line(t) for c, t in headers.items()},
                      profiles=profiles)
    _propose(result, headers, role)
    return result


def _propose(result: SheetMap, headers: dict[int, str], role: str) -> None:
    matcher = _matcher(role)
    columns = role_columns(role)
    candidates: list[Candidate] = []
    for col, text in headers.items():
        pieces = text.split("\n")
        hits = _merge_hits(pieces, matcher)
        status = [(h, t) for k, (h, t) in hits.items() if k.startswith(STATUS_PREFIX) and h.tier >= Tier.ALIAS]
        if status:
            key = status[0][0].field.removeprefix(STATUS_PREFIX)
            result.status.setdefault(key, col)
            continue
        found = result.profiles.get(col)
        for key, column in columns.items():
            hit_text = hits.get(key)
            hit = hit_text[0] if hit_text else None
            confidence, tier, evidence = _combine(hit, column, found)
            if confidence < LOW * 0.6:
                continue
            shown = hit_text[1] if hit_text else text
            # (the lower header row's +0.01 ranks it above a group title; reports show at most 1.00)
            candidates.append(Candidate(key, col, one_line(text), round(confidence, 3), tier, tuple(evidence),
                                        header_scale(shown, column.field), header_currency(text, column.field),
                                        _unit_hint(text) if column.field == "qty" else None))
    _assign(result, candidates)


def _unit_hint(text: str) -> str | None:
    from gendan_xl.vocab import normalize_unit

    inner = [part.strip("()（）[]【】 ") for part in text.replace("（", "(").replace("）", ")").split("(")[1:]]
    for part in inner:
        unit = normalize_unit(part.split(")")[0])
        if unit:
            return unit
    return None


def _rank(candidate: Candidate) -> tuple[bool, float, int, int]:
    # Strong names first (an exact header always beats a partial one), then confidence; leftmost wins ties.
    return (candidate.strong, candidate.confidence, candidate.tier, -candidate.column)


def _assign(result: SheetMap, candidates: list[Candidate]) -> None:
    taken_columns: set[int] = set()
    ordered = sorted(candidates, key=_rank, reverse=True)
    for candidate in ordered:
        if candidate.confidence < LOW:
            continue
        if candidate.key in result.chosen:
            chosen = result.chosen[candidate.key]
            if candidate.strong and chosen.strong and candidate.column not in taken_columns:
                result.duplicates.append((candidate.column, candidate.header, chosen.column))
                taken_columns.add(candidate.column)  # a second column under the same name: noted, not read
            continue
        if candidate.column in taken_columns:
            continue
        result.chosen[candidate.key] = candidate
        taken_columns.add(candidate.column)
    for candidate in ordered:
        if candidate.key in result.runners:
            continue
        taken = result.chosen.get(candidate.key)
        if taken is not None and taken.column == candidate.column:
            continue
        result.runners[candidate.key] = candidate
    for key, chosen in list(result.chosen.items()):
        runner = result.runners.get(key)
        if not chosen.strong and runner is not None and runner.confidence >= chosen.confidence - 0.1 \
                and chosen.confidence >= HIGH:
            # two columns about as likely: neither is sure (List Price or Quoted Price?)
            result.chosen[key] = replace(chosen, confidence=round(HIGH - 0.05, 3),
                                         evidence=(*chosen.evidence, f"close runner-up: {runner.letter} {runner.header}"))


def apply_headers(result: SheetMap, wanted: dict[str, list[str]]) -> list[str]:
    """Replace a proposal's choices by saved ones: ``wanted`` maps a key to the headers it may have.

    A saved header is found in the sheet by its text (compared folded); returns the keys whose
    saved header is not in the sheet (any more).
    """
    from gendan_xl.workbook.headers import fold

    by_text: dict[str, int] = {}
    for col, text in result.headers.items():
        by_text.setdefault(fold(text), col)
    columns = role_columns(result.role)
    proposal = result.chosen
    result.chosen = {}
    missing: list[str] = []
    for key, headers in wanted.items():
        column = columns.get(key)
        if column is None:
            continue
        found = next((by_text[f] for h in headers if (f := fold(h)) and f in by_text), None)
        if found is None:
            if any(h.strip() for h in headers):
                missing.append(key)
            continue
        col = found
        text = result.headers[col]
        old = proposal.get(key)
        result.chosen[key] = Candidate(key, col, text, 1.0, int(Tier.EXACT), ("saved mapping",),
                                       header_scale(text, column.field), header_currency(text, column.field),
                                       old.unit if old is not None and old.column == col else None)
    result.saved = True
    result.duplicates = []
    return missing
