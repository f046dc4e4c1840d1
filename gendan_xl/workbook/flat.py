"""The one-sheet tracker: orders and their lines on the same rows, read into the same models.

Each row is an order line. The order's own fields (customer, terms, dates …) are repeated on every
line, written once in cells merged down the order's rows, or only on its first row with blanks
below; an order is formed by its key (order no., else contract no., else customer PO). So:

* a blank key continues the order above (a merged or first-row-only key); a blank row, a title or
  note row (one text, e.g. ``2026年7月``) or a subtotal row ends it and is skipped;
* the order is built from its first row; a blank order cell there takes the value of a merged
  range above it or of the order's next row that has one;
* an order cell that differs between the order's rows gives an ``order-cells-disagree`` finding
  naming both cells (the first row's value is read);
* line columns merged down several lines (an HS code for all of them) are filled; order columns
  are not (their blanks already mean "as above"), which keeps a 100,000-line tracker fast.

The work is columnar per chunk of rows, inside :meth:`TableReader.models`'s loop (its ``hook``).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from itertools import compress
from operator import ne
from typing import Any

from gendan_xl.findings import Finding, make_finding
from gendan_xl.models import ROW_STRIDE, Order, OrderLine, SheetInfo, Workbook, column_letter
from gendan_xl.values import parse_text
from gendan_xl.workbook.columns import ColumnParser
from gendan_xl.workbook.layouts import SheetScan, Table
from gendan_xl.workbook.mapping import SheetMap
from gendan_xl.workbook.mapstore import unit_hint
from gendan_xl.workbook.schema import LINE_CHECK, LINES, ORDERS, Column
from gendan_xl.workbook.sources import BookSource
from gendan_xl.workbook.table import TableReader, columns_of, is_total_key

__all__ = ["read_flat"]

_BLANK = ("", None)


def read_flat(workbook: Workbook, table: Table, scans: dict[str, SheetScan], source: BookSource,
              findings: list[Finding]) -> list[tuple[str, str]]:
    """Read a one-sheet tracker (on one sheet or several of one layout) into orders and lines; returns problems."""
    problems: list[tuple[str, str]] = []
    several = len(table.parts) > 1
    parts: list[_Part] = []
    for index, sheet_map in enumerate(table.parts):
        part = _Part(sheet_map, scans[sheet_map.sheet], table.key, source, findings,
                     index * ROW_STRIDE if several else 0, several)
        problems.extend(part.problems())
        parts.append(part)
    if problems:
        return problems
    orders: list[Order] = []
    lines: list[OrderLine] = []
    order_infos: list[SheetInfo] = []
    line_infos: list[SheetInfo] = []
    unit = unit_hint(table.parts)
    for part in parts:
        part_lines, part_orders = part.read(unit)
        lines.extend(part_lines)
        orders.extend(part_orders)
        order_infos.append(part.orders_info())
        line_infos.append(part.lines_info())
    workbook.orders, workbook.lines = orders, lines
    for key, infos in (("orders", order_infos), ("lines", line_infos)):
        info = infos[0].model_copy()
        if several:
            info.parts = infos
        workbook.sheets[key] = info
    return problems


class _Part:
    """One sheet of a one-sheet tracker: its two tables (orders, lines) over the same rows."""

    def __init__(self, sheet_map: SheetMap, scan: SheetScan, key: str, source: BookSource, findings: list[Finding],
                 row_base: int, several: bool) -> None:
        self.map = sheet_map
        self.scan = scan
        self.key = key
        self.findings = findings
        self.several = several
        key_candidate = sheet_map.chosen.get(f"orders.{key}")
        self.key_col = key_candidate.column if key_candidate is not None else None
        order_fields = sheet_map.fields("orders")
        line_fields = sheet_map.fields("lines")
        if self.key_col is not None:
            order_fields["order_no"] = self.key_col
            line_fields["order_no"] = self.key_col
        self.constants: dict[str, Any] = {}
        if "customer" not in order_fields and several:
            self.constants["customer"] = scan.name  # per-customer sheets (HANSA, BRIGHTON …) name the customer
        self.orders = TableReader(ORDERS, scan, sheet_map, "orders", source, findings, row_base=row_base,
                                  fields=order_fields, fill_merged=False)
        self.lines = TableReader(LINES, scan, sheet_map, "lines", source, findings, row_base=row_base,
                                 fields=line_fields, fill_merged=False, report_duplicates=False,
                                 status_keys=(LINE_CHECK.key,))
        if "customer" in self.constants:
            self.orders.missing = [c for c in self.orders.missing if c.field != "customer"]
        self.merged_orders = False

    def problems(self) -> list[tuple[str, str]]:
        """The schema problems of this sheet (a missing key, item, quantity or price)."""
        if self.key_col is None and self.map.header_row >= 0:
            names = " / ".join(("订单号 Order No.", "合同号 Contract No.", "客户PO号 Customer PO"))
            return [(f"工作表“{self.map.sheet}”没有可组成订单的列（{names}）",
                     f"sheet “{self.map.sheet}” has no column that forms the orders ({names})")]
        return list(dict.fromkeys(self.orders.schema_problems() + self.lines.schema_problems()))

    def read(self, unit: str | None) -> tuple[list[OrderLine], list[Order]]:
        """The sheet's lines and orders."""
        assert self.key_col is not None
        grouper = _Grouper(self)
        lines = self.lines.models(OrderLine, hook=grouper, constants={"unit": unit} if unit else None)
        self.merged_orders = grouper.merged
        orders = self.orders.models(Order, rows=grouper.order_rows, numbers=grouper.order_indexes,
                                    constants=self.constants)
        return lines, orders

    def orders_info(self) -> SheetInfo:
        """Where the orders' columns are; the unclaimed headers are listed on both tables."""
        info = self.orders.info()
        info.layout, info.order_key, info.merged_orders = "flat", self.key, self.merged_orders
        info.extra_columns = {c + 1: t for c, t in self.map.unclaimed.items()}
        return info

    def lines_info(self) -> SheetInfo:
        """Where the lines' columns are."""
        info = self.lines.info()
        info.layout, info.order_key, info.merged_orders = "flat", self.key, self.merged_orders
        info.extra_columns = {c + 1: t for c, t in self.map.unclaimed.items()}
        return info


class _Grouper:
    """Sees each chunk before it is parsed: continues keys, drops title rows, collects orders, compares cells."""

    def __init__(self, part: _Part) -> None:
        offset = part.scan.col_offset
        assert part.key_col is not None
        self.part = part
        self.sheet = part.scan.name
        self.offset = offset
        self.key_rel = part.key_col - offset
        line_fields = part.lines.fields
        self.line_rels = [line_fields[f] - offset for f in ("item_no", "qty", "description", "unit_price")
                          if f in line_fields and line_fields[f] != part.key_col]
        self.order_rels: dict[int, Column] = {col - offset: ORDERS.column(f) for f, col in part.orders.fields.items()
                                              if col != part.key_col}
        self.carry: Any = None
        self.starts: dict[Any, int] = {}
        self.order_rows: list[list[Any]] = []
        self.order_indexes: list[int] = []
        self.first: dict[int, dict[Any, Any]] = {rel: {} for rel in self.order_rels}
        self.first_row: dict[Any, int] = {}
        self.reported: set[tuple[Any, int]] = set()
        self.parsers: dict[int, ColumnParser] = {}
        self.merged = False
        self._merges(part.scan.merged, len(part.scan.head), part.map.last_header_row)

    def _merges(self, merged: Sequence[Any], head: int, header_end: int) -> None:
        """Index the merged ranges below the header: order columns (for blank first cells), line columns (to fill)."""
        line_rels = set(self.line_rels) | {c - self.offset for c in self.part.lines.fields.values()}
        order_rels = set(self.order_rels) | {self.key_rel}
        self.order_ranges: dict[int, list[tuple[int, int]]] = {}
        self.fills: dict[int, list[tuple[int, int]]] = {}  # row → (rel, top row)
        self.tops: dict[int, list[int]] = {}  # row → rels whose value later rows copy
        for (top, left), (bottom, right) in merged:
            if bottom <= header_end or bottom == top:
                continue
            for rel in range(left - self.offset, right - self.offset + 1):
                if rel in order_rels:
                    self.merged = True
                    self.order_ranges.setdefault(rel, []).append((top, bottom))
                    self.tops.setdefault(top, []).append(rel)
                elif rel in line_rels and left == right:
                    self.tops.setdefault(top, []).append(rel)
                    for r in range(max(top + 1, head), bottom + 1):
                        self.fills.setdefault(r, []).append((rel, top))
        for ranges in self.order_ranges.values():
            ranges.sort()
        self.top_values: dict[tuple[int, int], Any] = {}

    def _is_line(self, row: list[Any]) -> bool:
        return any(row[rel] not in _BLANK for rel in self.line_rels)

    @staticmethod
    def _is_note(row: list[Any]) -> bool:
        values = {repr(v) for v in row if v not in _BLANK}
        return len(values) <= 1

    def __call__(self, rows: list[list[Any]], indexes: Sequence[int]) -> None:
        k = self.key_rel
        tops, fills, top_values = self.tops, self.fills, self.top_values
        for at, row in enumerate(rows):
            index = indexes[at]
            if index in tops:
                for rel in tops[index]:
                    top_values[(index, rel)] = row[rel]
            if index in fills:
                for rel, top in fills[index]:
                    if row[rel] in _BLANK:
                        row[rel] = top_values.get((top, rel), "")
            value = row[k]
            if value in _BLANK:
                if self.carry is not None and self._is_line(row):
                    row[k] = self.carry
                    continue
                self.carry = None
                if self._is_note(row):
                    rows[at] = [""] * len(row)  # a title or note row inside the table
                continue
            if isinstance(value, str) and is_total_key(value):
                self.carry = None
                continue
            if not self._is_line(row) and self._is_note(row):
                rows[at] = [""] * len(row)
                self.carry = None
                continue
            self.carry = value
            if value not in self.starts:
                self._start(value, row, index)
        self._compare(rows, indexes)

    def _start(self, key: Any, row: list[Any], index: int) -> None:
        self.starts[key] = len(self.order_rows)
        self.order_rows.append(row)
        self.order_indexes.append(index)
        self.first_row[key] = index
        for rel in self.order_rels:
            value = row[rel]
            if value in _BLANK and rel in self.order_ranges:
                value = self._merged_above(rel, index)
                row[rel] = value
            self.first[rel][key] = value

    def _merged_above(self, rel: int, index: int) -> Any:
        """The value of a merged range in an order column that covers ``index`` from above (another order's)."""
        ranges = self.order_ranges[rel]
        at = bisect.bisect_right(ranges, (index, 1 << 30)) - 1
        if at >= 0:
            top, bottom = ranges[at]
            if top < index <= bottom:
                return self.top_values.get((top, rel), "")
        return ""

    def _compare(self, rows: list[list[Any]], indexes: Sequence[int]) -> None:
        if not self.order_rels or not rows:
            return
        rels = list(self.order_rels)
        keys = [row[self.key_rel] for row in rows]
        for rel, column in zip(rels, columns_of(rows, rels), strict=True):
            first = self.first[rel]
            expected = list(map(first.get, keys))
            for at in compress(range(len(rows)), map(ne, column, expected)):
                value, key = column[at], keys[at]
                if value in _BLANK or key in _BLANK or key not in first:
                    continue
                before = first[key]
                if before in _BLANK:  # the order's first row left it blank: a later row gives it
                    first[key] = value
                    self.order_rows[self.starts[key]][rel] = value
                    continue
                if (key, rel) in self.reported or self._same(rel, before, value):
                    continue
                self.reported.add((key, rel))
                self._report(key, rel, indexes[at], value, before)

    def _same(self, rel: int, one: Any, other: Any) -> bool:
        """Two raw cells that read as the same value (a date typed as text, 1200 and "1,200")."""
        parser = self.parsers.get(rel)
        if parser is None:
            parser = self.parsers[rel] = ColumnParser(self.order_rels[rel], date1904=self.part.orders.date1904)
        parsed, problems = parser.parse([one, other])
        return not problems and parsed[0] == parsed[1]

    def _report(self, key: Any, rel: int, index: int, value: Any, before: Any) -> None:
        column = self.order_rels[rel]
        letter = column_letter(rel + self.offset + 1)
        first = f"{letter}{self.first_row[key] + 1}"
        self.part.findings.append(make_finding(
            "order-cells-disagree", sheet=self.sheet, cell=f"{letter}{index + 1}", row=index + 1,
            order_no=parse_text(key), field=column.field, column_zh=column.zh, column_en=column.en,
            value=parse_text(value), first=first, first_value=parse_text(before)))
