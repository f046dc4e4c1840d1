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
from itertools import compress, repeat
from operator import eq, itemgetter, not_, or_
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
from gendan_xl.workbook.table import TableReader, is_total_key

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
        # a row is a line when any of these cells is filled (zero counts as empty here: a line without an item,
        # a description, a quantity and a price is a subtotal row)
        self.line_getter = itemgetter(*self.line_rels, self.line_rels[0]) if self.line_rels else None
        self.order_rels: dict[int, Column] = {col - offset: ORDERS.column(f) for f, col in part.orders.fields.items()
                                              if col != part.key_col}
        self.carry: Any = None
        self.starts: dict[Any, int] = {}
        self.order_rows: list[list[Any]] = []
        self.order_indexes: list[int] = []
        self.rels = list(self.order_rels)
        self.getter = itemgetter(*self.rels, self.rels[0]) if self.rels else None  # always a tuple
        self.blank = ("",) * (len(self.rels) + 1)
        self.first: dict[Any, tuple[Any, ...]] = {}  # key → the order's cells (its first row, blanks filled later)
        self.first_row: dict[Any, int] = {}
        self.reported: set[tuple[Any, int]] = set()
        self.parsers: dict[int, ColumnParser] = {}
        self.merged = False
        self._merges(part.scan.merged, len(part.scan.head), part.map.last_header_row)

    def _merges(self, merged: Sequence[Any], head: int, header_end: int) -> None:
        """Index the merged ranges below the header that matter: line columns (to fill) and whether orders are merged.

        A tracker can have hundreds of thousands of merged order cells; they are only looked at again
        (lazily, :meth:`_merged_above`) when an order's first cell is blank.
        """
        offset = self.offset
        order_abs = {rel + offset for rel in self.rels} | {self.key_rel + offset}
        line_abs = {c for c in self.part.lines.fields.values()} - order_abs
        self.merged = any(bottom[0] > top[0] and top[0] > header_end and top[1] in order_abs
                          for top, bottom in merged)
        self.merged_ranges = merged
        self.header_end = header_end
        self.order_ranges: dict[int, list[tuple[int, int]]] | None = None
        self.fills: dict[int, list[tuple[int, int]]] = {}  # row → (rel, top row)
        self.tops: dict[int, list[int]] = {}  # row → rels whose value later rows copy
        self.top_values: dict[tuple[int, int], Any] = {}
        for (top, left), (bottom, right) in merged:
            if left != right or left not in line_abs or bottom <= max(top, header_end):
                continue
            rel = left - offset
            self.tops.setdefault(top, []).append(rel)
            for r in range(max(top + 1, head), bottom + 1):
                self.fills.setdefault(r, []).append((rel, top))
        self.start_at: dict[int, Any] = {}  # sheet row → the key of the order starting there

    def _is_note(self, row: list[Any]) -> bool:
        values = {repr(v) for v in row if v not in _BLANK}
        return len(values) <= 1

    def __call__(self, rows: list[list[Any]], indexes: Sequence[int]) -> None:
        k = self.key_rel
        fills, tops, top_values = self.fills, self.tops, self.top_values
        if fills or tops:
            for at, index in enumerate(indexes):
                row = rows[at]
                for rel in tops.get(index, ()):
                    top_values[(index, rel)] = row[rel]
                for rel, top in fills.get(index, ()):
                    if row[rel] in _BLANK:
                        row[rel] = top_values.get((top, rel), "")
        keys = list(map(itemgetter(k), rows))
        has_line = list(map(any, map(self.line_getter, rows))) if self.line_getter else [False] * len(rows)
        carry, starts = self.carry, self.starts
        for at, value in enumerate(keys):
            if value == "" or value is None:
                if carry is not None and has_line[at]:
                    rows[at][k] = carry  # a merged or first-row-only key: the order above goes on
                    continue
                carry = None
                if self._is_note(rows[at]):
                    rows[at] = [""] * len(rows[at])  # a title or note row inside the table
                continue
            if value.__class__ is str and ("计" in value or "otal" in value or "OTAL" in value) and is_total_key(value):
                carry = None
                continue
            if not has_line[at] and self._is_note(rows[at]):
                rows[at] = [""] * len(rows[at])
                carry = None
                continue
            carry = value
            if value not in starts:
                self._start(value, rows[at], indexes[at])
        self.carry = carry
        self._compare(rows, indexes)

    def _start(self, key: Any, row: list[Any], index: int) -> None:
        self.starts[key] = len(self.order_rows)
        self.order_rows.append(row)
        self.order_indexes.append(index)
        self.first_row[key] = index
        self.start_at[index] = key
        if self.getter is None:
            return
        cells = self.getter(row)
        if self.merged and "" in cells:  # a blank first cell may lie under another order's merged cell
            filled = list(cells)
            for i, rel in enumerate(self.rels):
                if filled[i] == "":
                    filled[i] = row[rel] = self._merged_above(rel, index)
            filled[-1] = filled[0]
            cells = tuple(filled)
        self.first[key] = cells

    def _merged_above(self, rel: int, index: int) -> Any:
        """The value of a merged range in an order column that covers ``index`` from above (another order's)."""
        if self.order_ranges is None:
            self.order_ranges = self._misaligned()
        ranges = self.order_ranges.get(rel)
        if not ranges:
            return ""
        at = bisect.bisect_right(ranges, (index, 1 << 30)) - 1
        if at >= 0:
            top, bottom = ranges[at]
            if top < index <= bottom and top in self.start_at:
                return self.first[self.start_at[top]][self.rels.index(rel)]
        return ""

    def _misaligned(self) -> dict[int, list[tuple[int, int]]]:
        """The merged ranges of order columns that are not one order's rows (they run across orders)."""
        key_abs = self.key_rel + self.offset
        spans = {(top[0], bottom[0]) for top, bottom in self.merged_ranges if top[1] == key_abs}
        out: dict[int, list[tuple[int, int]]] = {}
        for (top, left), (bottom, right) in self.merged_ranges:
            if left == right and bottom > max(top, self.header_end) and (top, bottom) not in spans:
                out.setdefault(left - self.offset, []).append((top, bottom))
        for found in out.values():
            found.sort()
        return out

    def _compare(self, rows: list[list[Any]], indexes: Sequence[int]) -> None:
        """Find the rows whose order cells are neither the order's own nor blank, in C-level passes; look at those."""
        if self.getter is None or not rows:
            return
        keys = list(map(itemgetter(self.key_rel), rows))
        cells = list(map(self.getter, rows))
        firsts = list(map(self.first.get, keys))
        plain = map(or_, map(eq, cells, firsts), map(eq, cells, repeat(self.blank)))
        for at in compress(range(len(rows)), map(not_, plain)):
            key = keys[at]
            first = firsts[at]
            if key in _BLANK or first is None:
                continue
            for i, rel in enumerate(self.rels):
                value, before = cells[at][i], first[i]
                if value in _BLANK or value == before:
                    continue
                if before in _BLANK:  # the order's first row left it blank: a later row gives it
                    first = self.first[key] = (*first[:i], value, *first[i + 1:])
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
