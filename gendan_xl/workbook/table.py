"""One table on one sheet: rows → models, column by column, with a finding for every bad cell.

:class:`TableReader` takes a scanned sheet (:class:`~gendan_xl.workbook.layouts.SheetScan`) and the
columns its mapping chose, and parses chunks of rows one column at a time (see
:mod:`gendan_xl.workbook.columns`). Rows that need a second look (a required value missing, an
error cell, a TOTAL row, a carton size in one cell) are found per chunk; every other row is built
without per-row checks. The one-sheet tracker reader (:mod:`gendan_xl.workbook.flat`) feeds it
rows of its own (the orders' first rows) and looks at each chunk before it is parsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import chain, count, islice, repeat
from operator import is_, itemgetter
from typing import Any, NamedTuple

from gendan_xl.findings import Finding, make_finding
from gendan_xl.models import RowModel, SheetInfo, column_letter
from gendan_xl.values import ValueProblem, parse_code, parse_text
from gendan_xl.vocab import STATUS_CHOICES
from gendan_xl.workbook.columns import ColumnParser
from gendan_xl.workbook.layouts import SheetScan
from gendan_xl.workbook.mapping import Candidate, SheetMap
from gendan_xl.workbook.schema import Column, ColumnType, SheetSpec
from gendan_xl.workbook.sources import BookSource

__all__ = ["BATCH", "ChunkHook", "TableReader", "columns_of", "is_total_key", "is_total_row"]

_TOTAL_ROW = re.compile(r"^\s*(total|grand\s*total|sub\s*total|合\s*计|总\s*计|小\s*计)\b", re.IGNORECASE)
# A key cell (order no., item no.) that holds nothing but the word: "TOTAL:", "合计", "Grand Total".
_TOTAL_KEY = re.compile(r"^[ \t]*(?:(?:grand|sub)[ \t]*)?total[ \t]*[:：.]?[ \t]*$|^[ \t]*[合总小][ \t]*计[ \t]*[:：]?[ \t]*$",
                        re.IGNORECASE)
BATCH = 4096
# Called with each chunk of rows and their 0-based sheet rows before it is parsed; may change the rows in place.
ChunkHook = Callable[[list[list[Any]], Sequence[int]], None]


class _PlanEntry(NamedTuple):
    field: str
    rel: int
    column: Column
    required: bool
    parser: ColumnParser
    scale: Decimal | None


class TableReader:
    """One table on one sheet: where its columns are, and its rows parsed into models with findings."""

    def __init__(self, spec: SheetSpec, scan: SheetScan, sheet_map: SheetMap, table: str, source: BookSource,
                 findings: list[Finding], *, row_base: int = 0, fields: dict[str, int] | None = None,
                 fill_merged: bool = True, report_duplicates: bool = True,
                 status_keys: Iterable[str] | None = None) -> None:
        self.spec = spec
        self.name = scan.name
        self.scan = scan
        self.map = sheet_map
        self.date1904 = source.date1904
        self.findings = findings
        self.col_offset = scan.col_offset
        self.height = scan.height
        self.row_base = row_base
        self.has_header = sheet_map.header_row >= 0
        self.fields = fields if fields is not None else sheet_map.fields(table)
        self.candidates: dict[str, Candidate] = {c.field: c for c in sheet_map.chosen.values() if c.table == table}
        wanted = set(status_keys) if status_keys is not None else {s.key for s in spec.status_columns}
        self.status = {k: v for k, v in sheet_map.status.items() if k in wanted}
        self.status_rows: set[int] = set()  # rows whose gendan status cells hold something (1-based, Excel)
        self.missing: list[Column] = []
        self._fill_merged = fill_merged
        if self.has_header:
            present = set(self.fields)
            if "carton_size" in present:
                present |= {"carton_l", "carton_w", "carton_h"}
            self.missing = [c for c in spec.required_columns if c.field not in present]
            if report_duplicates:
                for absolute, header, first in sheet_map.duplicates:
                    self.findings.append(make_finding(
                        "duplicate-column", sheet=self.name,
                        cell=f"{column_letter(absolute + 1)}{sheet_map.header_row + 1}", header=header,
                        first=column_letter(first + 1)))
        self.errors = source.error_cells(self.name) if self.has_header else {}

    # -- what the sheet holds ---------------------------------------------------------------------
    def schema_problems(self) -> list[tuple[str, str]]:
        """What is missing on this sheet, in Chinese and English, with the header names accepted."""
        if not self.has_header:
            wanted = "; ".join(f"{c.zh} ({c.en})" for c in self.spec.required_columns)
            return [(f"工作表“{self.name}”找不到表头行，应有列：{wanted}",
                     f"sheet “{self.name}”: no header row found; expected columns {wanted}")]
        return [(f"工作表“{self.name}”缺少列“{c.zh}”，可用表头：{' / '.join(_single_line_names(c))}",
                 f"sheet “{self.name}” lacks the column “{c.en}”; accepted headers: {' / '.join(_single_line_names(c))}")
                for c in self.missing]

    def info(self) -> SheetInfo:
        """Where this sheet's header and columns are (1-based, as Excel counts)."""
        sheet_map = self.map
        taken = set(self.fields.values()) | set(self.status.values())
        extras = {col + 1: text for col, text in sheet_map.headers.items() if col not in taken}
        return SheetInfo(
            key=self.spec.key, name=self.name, header_row=sheet_map.header_row + 1,
            last_header_row=sheet_map.last_header_row + 1,
            columns={k: v + 1 for k, v in self.fields.items()},
            extra_columns=extras,
            status_columns={k: v + 1 for k, v in self.status.items()},
            last_column=max([sheet_map.last_column, *self.status.values()]) + 1, last_row=self.height,
        )

    # -- rows ---------------------------------------------------------------------------------------
    def data_rows(self) -> Iterator[list[Any]]:
        """The rows after the header; the first is sheet row ``last_header_row + 1`` (0-based)."""
        scan = self.scan
        yield from scan.head[self.map.last_header_row + 1:]
        if not self._fill_merged or not scan.merged:
            yield from scan.rest
            return
        fills, tops = _merged_fills(scan.merged, self.col_offset, start=len(scan.head))
        values: dict[tuple[int, int], Any] = {}
        for (top, left), _ in scan.merged:
            if top < len(scan.head):
                row = scan.head[top]
                rel = left - self.col_offset
                values[(top, rel)] = row[rel] if 0 <= rel < len(row) else ""
        last_merged = max(chain(fills, tops), default=-1)
        index = len(scan.head)
        for row in scan.rest:
            for col in tops.get(index, ()):
                values[(index, col)] = row[col] if col < len(row) else ""
            for col, source_row, source_col in fills.get(index, ()):
                if col < len(row):
                    row[col] = values.get((source_row, source_col), "")
            yield row
            index += 1
            if index > last_merged:
                break
        yield from scan.rest  # past the last merged range: no filling, no per-row work

    def raw_cells(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Rows as ``{field: raw value}`` (for the key/value settings sheet)."""
        fields = [(f, c - self.col_offset) for f, c in self.fields.items()]
        for index, row in enumerate(self.data_rows(), start=self.map.last_header_row + 1):
            yield index, {f: row[c] if c < len(row) else "" for f, c in fields}

    def models(self, model: type[RowModel], *, rows: Iterable[list[Any]] | None = None,
               numbers: Iterable[int] | None = None, hook: ChunkHook | None = None,
               constants: dict[str, Any] | None = None) -> list[Any]:
        """Parse rows into ``model``, appending findings for bad cells.

        ``rows`` default to the sheet's data rows and ``numbers`` (their 0-based sheet rows) to the
        rows after the header, one by one; ``hook`` sees each chunk first; ``constants`` are fields
        every row gets (a unit named in the quantity's header).
        """
        plan = self._plan(model)
        identity = [f for f, info in model.model_fields.items() if info.is_required() and f != "row"]
        names = [entry.field for entry in plan]
        order_pos = names.index("order_no") if "order_no" in names else None
        identity_pos = [names.index(f) for f in identity if f in names]
        required_pos = [p for p, entry in enumerate(plan) if entry.required]
        dims_pos = next((p for p, entry in enumerate(plan) if entry.column.type is ColumnType.DIMENSIONS), None)
        errors_by_row: dict[int, list[int]] = {}
        for (error_row, error_col) in self.errors:
            errors_by_row.setdefault(error_row, []).append(error_col)
        plain = [p for p in range(len(plan)) if p != dims_pos]
        if dims_pos is not None:  # a carton size in one cell becomes L, W and H (see _split_dimensions)
            names.extend(f for f in _DIMENSION_FIELDS if f not in names)
            plain += [names.index(f) for f in _DIMENSION_FIELDS if names.index(f) >= len(plan)]
        extra = dict(constants or {})
        plain_names = (*(names[p] for p in plain), *extra, "row")
        construct = model.constructor()
        results: list[Any] = []
        source = iter(rows) if rows is not None else self.data_rows()
        numbering = iter(numbers) if numbers is not None else count(self.map.last_header_row + 1)
        status_rels = [col - self.col_offset for col in self.status.values()]
        rels = [entry.rel for entry in plan]
        base = self.row_base
        while batch := list(islice(source, BATCH)):
            size = len(batch)
            indexes = list(islice(numbering, size))
            if hook is not None:
                hook(batch, indexes)
            for rel in status_rels:
                self.status_rows.update(indexes[at] + 1 for at, row in enumerate(batch)
                                        if rel < len(row) and row[rel] not in ("", None))
            raw_columns = columns_of(batch, rels)
            parsed_columns = []
            for entry, raw in zip(plan, raw_columns, strict=True):
                parsed, problems = entry.parser.parse(raw)
                for at, problem in problems:
                    self._report_problem(problem, entry.column, indexes[at], entry.rel, raw[at],
                                         _order_of(raw_columns, order_pos, at))
                if entry.scale is not None:
                    parsed = _scaled(parsed, entry.scale)
                parsed_columns.append(parsed)
            totals = _total_key_rows(parsed_columns, identity_pos)
            special = _none_rows(parsed_columns, required_pos) | totals
            if errors_by_row:
                special.update(at for at, index in enumerate(indexes) if index in errors_by_row)
            if dims_pos is not None:
                _split_dimensions(parsed_columns, names, dims_pos)
            numbers_1 = [index + 1 + base for index in indexes]
            constant_columns = [[value] * size for value in extra.values()]
            if not special:
                columns = [parsed_columns[p] for p in plain] + constant_columns
                results.extend(construct(dict(zip(plain_names, values, strict=True)))
                               for values in zip(*columns, numbers_1, strict=True))
                continue
            for at, values in enumerate(zip(*parsed_columns, strict=True)):
                if at not in special:
                    record = dict(zip(names, values, strict=True))
                    if dims_pos is not None:
                        del record[names[dims_pos]]
                    record.update(extra)
                    record["row"] = numbers_1[at]
                    results.append(construct(record))
                    continue
                index = indexes[at]
                error_cols = errors_by_row.get(index)
                if error_cols:
                    self._report_errors(index, error_cols, plan, _order_of(raw_columns, order_pos, at))
                skipped = any(values[p] is None for p in identity_pos)
                if skipped and all(column[at] in ("", None) for column in raw_columns) and not error_cols:
                    continue  # a blank row
                if (skipped and is_total_row(batch[at])) or at in totals:
                    continue  # a TOTAL / 合计 row under the table
                for p in required_pos:
                    if values[p] is None and raw_columns[p][at] in ("", None) and not (
                            error_cols and plan[p].rel + self.col_offset in error_cols):
                        self._report_missing(plan[p].column, index, plan[p].rel, skipped,
                                             _order_of(raw_columns, order_pos, at))
                if skipped:
                    continue
                record = dict(zip(names, values, strict=True))
                record.update(extra)
                record["row"] = numbers_1[at]
                if dims_pos is not None:
                    del record[names[dims_pos]]
                results.append(construct(record))
        return results

    def _plan(self, model: type[RowModel]) -> list[_PlanEntry]:
        fields = model.model_fields
        plan = []
        for column in self.spec.columns:
            absolute = self.fields.get(column.field)
            if absolute is None or (column.field not in fields and column.type is not ColumnType.DIMENSIONS):
                continue
            required = column.required or (column.field in fields and fields[column.field].is_required())
            candidate = self.candidates.get(column.field)
            scale = candidate.scale if candidate is not None and candidate.column == absolute else None
            plan.append(_PlanEntry(column.field, absolute - self.col_offset, column, required,
                                   ColumnParser(column, date1904=self.date1904), scale))
        return plan

    # -- findings -----------------------------------------------------------------------------------
    def _report_errors(self, index: int, error_cols: list[int], plan: list[_PlanEntry], order: str | None) -> None:
        for entry in plan:
            absolute = entry.rel + self.col_offset
            if absolute in error_cols:
                self._report("cell-error", entry.column, index, entry.rel, order, error=self.errors[(index, absolute)])

    def _report_missing(self, column: Column, index: int, rel: int, skipped: bool, order: str | None) -> None:
        self._report("missing-value", column, index, rel, order, column_zh=column.zh, column_en=column.en,
                     skipped_zh="，此行未读取" if skipped else "", skipped_en="; the row was skipped" if skipped else "")

    def _report(self, code: str, column: Column, index: int, rel: int, order: str | None, **figures: Any) -> None:
        cell = f"{column_letter(rel + self.col_offset + 1)}{index + 1}"
        self.findings.append(make_finding(code, sheet=self.name, cell=cell, row=index + 1, field=column.field,
                                          order_no=order, **figures))

    def _report_problem(self, problem: ValueProblem, column: Column, index: int, rel: int, raw: Any,
                        order: str | None) -> None:
        if problem.code == "unknown-status":
            self._report("unknown-status", column, index, rel, order, value=parse_text(raw),
                         choices=", ".join(STATUS_CHOICES))
            return
        self._report(problem.code, column, index, rel, order, reason_zh=f"{column.zh}：{problem.reason_zh}",
                     reason_en=f"{column.en}: {problem.reason_en}", value=parse_text(raw))


def _scaled(values: list[Any], scale: Decimal) -> list[Any]:
    """Numbers (or L×W×H triples) converted to our unit."""
    out: list[Any] = []
    for value in values:
        if value is None:
            out.append(None)
        elif isinstance(value, tuple):
            out.append(tuple((v * scale).normalize() for v in value))
        else:
            out.append((value * scale).normalize())
    return out


def _none_rows(parsed_columns: list[list[Any]], positions: list[int]) -> set[int]:
    """Positions in a chunk where any of the given columns is None (blank or unreadable)."""
    found: set[int] = set()
    for p in positions:
        column = parsed_columns[p]
        # identity, not "None in column": Decimal == None goes through an ABC isinstance check
        if any(map(is_, column, repeat(None))):
            found.update(at for at, v in enumerate(column) if v is None)
    return found


def _order_of(raw_columns: list[Sequence[Any]], order_pos: int | None, at: int) -> str | None:
    if order_pos is None:
        return None
    raw = raw_columns[order_pos][at]
    return parse_code(raw) or None if raw not in ("", None) else None


_DIMENSION_FIELDS = ("carton_l", "carton_w", "carton_h")


def _split_dimensions(parsed_columns: list[list[Any]], names: list[str], dims_pos: int) -> None:
    """Turn a parsed carton-size column into L, W and H: filling the separate columns' blanks, or as new columns."""
    dims = parsed_columns[dims_pos]
    for part, name in enumerate(_DIMENSION_FIELDS):
        values = [d[part] if d is not None else None for d in dims]
        at = names.index(name)
        if at < len(parsed_columns):
            own = parsed_columns[at]
            parsed_columns[at] = [v if v is not None else d for v, d in zip(own, values, strict=True)]
        else:
            parsed_columns.append(values)


def columns_of(rows: list[list[Any]], rels: list[int]) -> list[Sequence[Any]]:
    """The cells at ``rels`` of every row, column by column (a C-level transpose, not a loop per cell)."""
    if not rels:
        return []
    if len(rels) == 1:
        rel = rels[0]
        return [[row[rel] if rel < len(row) else "" for row in rows]]
    return list(zip(*map(itemgetter(*rels), rows), strict=True))


def _single_line_names(column: Column) -> list[str]:
    return [name for name in column.names if "\n" not in name]


def _total_key_rows(parsed_columns: list[list[Any]], identity_pos: list[int]) -> set[int]:
    """Positions in a chunk whose key cell says TOTAL / 合计."""
    found: set[int] = set()
    for p in identity_pos:
        column = parsed_columns[p]
        # One substring scan over the whole chunk (nearly always no hit), then the exact test per cell.
        text = "\n".join(map(str, column))
        if "计" not in text and "total" not in text.lower():
            continue
        found.update(at for at, v in enumerate(column) if isinstance(v, str) and _TOTAL_KEY.fullmatch(v))
    return found


def is_total_key(text: str) -> bool:
    """True for a key cell that holds nothing but TOTAL / 合计 / 小计."""
    return bool(_TOTAL_KEY.fullmatch(text))


def is_total_row(row: Sequence[Any]) -> bool:
    """True for a TOTAL / 合计 / 小计 row under (or inside) a table."""
    return any(isinstance(v, str) and _TOTAL_ROW.match(v) for v in row)


def _merged_fills(
    ranges: Iterable[Any], col_offset: int, *, start: int = 0
) -> tuple[dict[int, list[tuple[int, int, int]]], dict[int, list[int]]]:
    """Per sheet row from ``start`` on, the cells merged ranges cover and the top-left cells they copy from.

    Returns ``(fills, tops)``: ``fills[row]`` lists (relative col, source row, source relative
    col); ``tops[row]`` lists the relative cols of top-left cells whose value must be kept.
    """
    fills: dict[int, list[tuple[int, int, int]]] = {}
    tops: dict[int, list[int]] = {}
    budget = 1_000_000  # a range covering a whole sheet would otherwise cost millions of entries
    for (top, left), (bottom, right) in ranges:
        cells = (bottom - top + 1) * (right - left + 1)
        if cells <= 1 or cells > budget or bottom < start:
            continue
        budget -= cells
        if top >= start:
            tops.setdefault(top, []).append(left - col_offset)
        for r in range(max(top, start), bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    fills.setdefault(r, []).append((c - col_offset, top, left - col_offset))
    return fills, tops
