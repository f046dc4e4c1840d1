"""Column parsers: one column of a sheet at a time, with fast paths for clean cells.

A 100,000-line workbook has millions of cells and nearly all of them are clean: floats in number
columns, dates in date columns, short repeated words in unit or currency columns. Those take a
fast path (a type check and a cache lookup); only the rest go through the tolerant parsers of
:mod:`gendan_xl.values`. Repeated values share one object (one ``Decimal("24")`` for
every carton of 24), which also keeps the models small in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import compress, count, repeat
from operator import is_
from typing import Any

from gendan_xl.values import (
    RawValue,
    ValueProblem,
    parse_bool,
    parse_code,
    parse_date,
    parse_decimal,
    parse_dimensions,
    parse_integer,
    parse_percent,
    parse_text,
)
from gendan_xl.vocab import (
    normalize_country,
    normalize_currency,
    normalize_incoterm,
    normalize_status,
    normalize_unit,
)
from gendan_xl.workbook.schema import Column, ColumnType

__all__ = ["ColumnParser"]

Parse = Callable[[RawValue], Any]
_MISS = object()  # not in the cache yet


def _status(raw: RawValue) -> Any:
    text = parse_text(raw)
    status = normalize_status(text)
    if status is None:
        raise ValueProblem("unknown-status", text, text)
    return status


def _word(normalize: Callable[[str], Any]) -> Parse:
    """A vocabulary column: the canonical word when known, else the text as typed (checks flag it)."""

    def parse(raw: RawValue) -> Any:
        text = parse_text(raw)
        return normalize(text) or text

    return parse


def _slow_parser(column: Column, date1904: bool) -> Parse:
    kind = column.type
    if kind is ColumnType.DATE:
        return lambda raw: parse_date(raw, date1904=date1904)
    table: dict[ColumnType, Parse] = {
        ColumnType.TEXT: parse_text,
        ColumnType.PAYMENT_TERMS: parse_text,
        ColumnType.CODE: parse_code,
        ColumnType.INTEGER: parse_integer,
        ColumnType.DECIMAL: parse_decimal,
        ColumnType.PERCENT: parse_percent,
        ColumnType.BOOL: parse_bool,
        ColumnType.CURRENCY: _word(normalize_currency),
        ColumnType.INCOTERM: _word(normalize_incoterm),
        ColumnType.UNIT: _word(normalize_unit),
        ColumnType.COUNTRY: _word(normalize_country),
        ColumnType.STATUS: _status,
        ColumnType.DIMENSIONS: parse_dimensions,
    }
    return table[kind]


class ColumnParser:
    """Parses the cells of one column; blank cells become None, bad cells are reported."""

    def __init__(self, column: Column, *, date1904: bool = False) -> None:
        self.column = column
        self._slow = _slow_parser(column, date1904)
        self._cache: dict[Any, Any] = {"": None}
        self._fast = self._make_fast()

    def parse(self, values: Sequence[Any]) -> tuple[list[Any], list[tuple[int, ValueProblem]]]:
        """Parsed values (None for blank or bad cells) and the problems by position."""
        # Values seen before come straight from the cache, without a Python call per cell. Not with
        # booleans: True and False would find the entries of 1.0 and 0.0.
        if bool not in set(map(type, values)):
            try:
                known = list(map(self._cache.get, values, repeat(_MISS)))
            except TypeError:  # an unhashable value cannot come from calamine, but stay safe
                known = None
            if known is not None:
                return self._fill_misses(values, known)
        try:
            return list(map(self._fast, values)), []
        except ValueProblem:
            pass  # rare: redo this chunk cell by cell to report every bad cell
        parsed: list[Any] = []
        problems: list[tuple[int, ValueProblem]] = []
        for position, value in enumerate(values):
            try:
                parsed.append(self._fast(value))
            except ValueProblem as problem:
                parsed.append(None)
                problems.append((position, problem))
        return parsed, problems

    def _fill_misses(self, values: Sequence[Any], parsed: list[Any]) -> tuple[list[Any], list[tuple[int, ValueProblem]]]:
        problems: list[tuple[int, ValueProblem]] = []
        fast = self._fast
        positions = list(compress(count(), map(is_, parsed, repeat(_MISS))))
        converted = self._batch([values[p] for p in positions]) if len(positions) > 8 else None
        if converted is not None:
            for position, value in zip(positions, converted, strict=True):
                parsed[position] = value
            return parsed, problems
        for position in positions:
            try:
                parsed[position] = fast(values[position])
            except ValueProblem as problem:
                parsed[position] = None
                problems.append((position, problem))
        return parsed, problems

    def _batch(self, missing: list[Any]) -> list[Any] | None:
        """Convert many new values with C-level maps when they are all of the plain kind; else None.

        A column of amounts or order numbers has a new value on nearly every row: converting them
        one Python call at a time would cost more than reading the file.
        """
        kind = self.column.type
        kinds = set(map(type, missing))
        unique = list(dict.fromkeys(missing))  # repeats share one parsed object, as the cache makes them
        converted: list[Any]
        if kind is ColumnType.DECIMAL and kinds == {float}:
            converted = list(map(Decimal, map(float.__repr__, unique)))
        elif kind in (ColumnType.TEXT, ColumnType.CODE, ColumnType.PAYMENT_TERMS) and kinds == {str}:
            if not all(map(str.isascii, unique)) or (kind is ColumnType.CODE and any("." in v for v in unique)):
                return None  # full-width text or codes like 9403609990.0: the cell-by-cell parser handles them
            converted = list(map(str.strip, unique))
            if "" in converted:
                return None
        else:
            return None
        found = dict(zip(unique, converted, strict=True))
        self._cache.update(found)
        return list(map(found.__getitem__, missing))

    def _make_fast(self) -> Parse:
        cache = self._cache
        slow = self._slow
        kind = self.column.type
        if kind is ColumnType.DECIMAL:

            def decimal_cell(value: Any) -> Any:
                if value.__class__ is float:
                    number = cache.get(value)
                    if number is None:
                        number = cache[value] = Decimal(repr(value))
                    return number
                if value == "" or value is None:
                    return None
                number = cache[value] = slow(value)  # text such as "1,200": the same text again is a hit
                return number

            return decimal_cell
        if kind is ColumnType.DATE:

            def date_cell(value: Any) -> Any:
                if value.__class__ is date:
                    cache[value] = value
                    return value
                if value == "" or value is None:
                    return None
                day = cache[value] = value.date() if value.__class__ is datetime else slow(value)
                return day

            return date_cell

        def cached_cell(value: Any) -> Any:
            # Text, codes and vocabulary words repeat a lot: parse each distinct value once.
            if value == "" or value is None:
                return None
            try:
                return cache[value]
            except KeyError:
                parsed = slow(value)
                if parsed == "":
                    parsed = None
                cache[value] = parsed
                return parsed
            except TypeError:  # an unhashable value cannot come from calamine, but stay safe
                return slow(value)

        return cached_cell
