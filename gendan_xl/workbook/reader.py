"""Read a master order workbook into validated models, collecting every problem on the way.

The fast path: python-calamine streams each sheet's cached values (formulas are never
evaluated, openpyxl is never used for values); headers are matched against the schema; each
cell goes through the parser for its column type; each row becomes a pydantic model. Bad
cells become findings with their address and reading goes on. Only a file that cannot be read
at all, or a missing required sheet or column, stops the run (with every such problem listed).

The values come from a source (:mod:`gendan_xl.workbook.sources`): a file
(:func:`read_workbook`) or rows already in memory (:func:`read_values`, e.g. an open workbook's
current values through xlwings); both go through the same code from there on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from itertools import chain, islice, repeat
from operator import is_, itemgetter
from pathlib import Path
from typing import Any, NamedTuple

import gendan_xl.workbook.problems  # noqa: F401 - registers the read finding codes
from gendan_xl.bulk import collector_paused
from gendan_xl.config import Settings, build_settings, find_setting, parse_setting_value, retired_setting
from gendan_xl.errors import SchemaError
from gendan_xl.findings import Finding, make_finding
from gendan_xl.models import (
    Customer,
    DocumentRecord,
    Factory,
    Order,
    OrderLine,
    Payment,
    PriceRecord,
    RowModel,
    SheetInfo,
    Shipment,
    Workbook,
    column_letter,
)
from gendan_xl.values import (
    ValueProblem,
    parse_code,
    parse_text,
)
from gendan_xl.vocab import (
    STATUS_CHOICES,
    squash,
)
from gendan_xl.workbook.columns import ColumnParser
from gendan_xl.workbook.headers import HEADER_SCAN_ROWS, HeaderLayout, HeaderMatcher, detect_header
from gendan_xl.workbook.schema import SHEETS, Column, ColumnType, SheetSpec
from gendan_xl.workbook.sources import BookSource, FileSource, SheetSource, SheetValues, ValuesSource

__all__ = ["SheetValues", "read_values", "read_workbook"]

MODELS: dict[str, type[RowModel]] = {
    "orders": Order,
    "lines": OrderLine,
    "price_history": PriceRecord,
    "customers": Customer,
    "factories": Factory,
    "shipments": Shipment,
    "payments": Payment,
    "documents": DocumentRecord,
}
_TOTAL_ROW = re.compile(r"^\s*(total|grand\s*total|sub\s*total|合\s*计|总\s*计|小\s*计)\b", re.IGNORECASE)
# A key cell (order no., item no.) that holds nothing but the word: "TOTAL:", "合计", "Grand Total".
_TOTAL_KEY = re.compile(r"^[ \t]*(?:(?:grand|sub)[ \t]*)?total[ \t]*[:：.]?[ \t]*$|^[ \t]*[合总小][ \t]*计[ \t]*[:：]?[ \t]*$",
                        re.IGNORECASE)
_BATCH = 4096


def read_workbook(path: Path | str) -> Workbook:
    """Read the master workbook at ``path``; raises a WorkbookError or SchemaError if it cannot be read."""
    with collector_paused():
        return _read(FileSource(Path(path)))


def read_values(sheets: Iterable[SheetValues], *, path: Path | str | None = None, date1904: bool = False) -> Workbook:
    """Read a master workbook from worksheets' values in memory (see :class:`SheetValues`).

    ``path`` is recorded as the workbook's path (relative settings such as the templates folder
    resolve against it); nothing is read from it. ``date1904`` is the workbook's date system,
    which only matters for dates typed as plain numbers. Raises SchemaError like
    :func:`read_workbook`.
    """
    with collector_paused():
        return _read(ValuesSource(sheets, path=Path(path) if path is not None else None, date1904=date1904))


def _read(source: BookSource) -> Workbook:
    path = source.path
    findings: list[Finding] = []
    chosen = _choose_sheets(source.worksheet_names(), findings)
    problems = [
        (f"缺少工作表“{spec.zh}”，可用名称：{' / '.join(_sheet_names(spec))}",
         f"the sheet “{spec.en}” is missing; accepted names: {' / '.join(_sheet_names(spec))}")
        for spec in SHEETS if spec.required and spec.key not in chosen
    ]
    workbook = Workbook(path=path)
    for spec in SHEETS:
        name = chosen.get(spec.key)
        if name is None:
            continue
        table = _SheetReader(spec, source.sheet(name), source, findings)
        if table.layout is None or table.missing:
            problems.extend(table.schema_problems())
            continue
        info = workbook.sheets[spec.key] = table.info()
        if spec.key == "settings":
            workbook.settings = _read_settings(table, findings)
        else:
            setattr(workbook, spec.key, table.models(MODELS[spec.key]))
            info.status_rows = sorted(table.status_rows)
    source.close()
    if problems:
        raise SchemaError(
            "工作簿缺少必需的工作表或列：\n" + "\n".join(zh for zh, _ in problems),
            "the workbook lacks required sheets or columns:\n" + "\n".join(en for _, en in problems),
            path=path,
            problems=[en for _, en in problems],
        )
    workbook.findings = findings
    return workbook


def _choose_sheets(worksheets: list[str], findings: list[Finding]) -> dict[str, str]:
    """Match the workbook's worksheets to schema sheets by name or alias (tab order decides ties)."""
    by_alias = {squash(alias): spec for spec in SHEETS for alias in spec.names}
    chosen: dict[str, str] = {}
    for name in worksheets:
        spec = by_alias.get(squash(name))
        if spec is None:
            continue
        if spec.key in chosen:
            findings.append(make_finding("duplicate-sheet", sheet=name, sheet_name=name, first=chosen[spec.key],
                                         sheet_zh=spec.zh, sheet_en=spec.en))
            continue
        chosen[spec.key] = name
    return chosen


class _SheetReader:
    """One worksheet: header detection, merged-cell filling, rows → models with findings."""

    def __init__(self, spec: SheetSpec, sheet: SheetSource, source: BookSource,
                 findings: list[Finding]) -> None:
        self.spec = spec
        self.name = sheet.name
        self.date1904 = source.date1904
        self.findings = findings
        self.col_offset = sheet.start[1] if sheet.start else 0
        self.height = sheet.height + (sheet.start[0] if sheet.start else 0)
        self._merged, self._merged_tops = _merged_fills(sheet.merged_cell_ranges or [], self.col_offset)
        self._merged_values: dict[tuple[int, int], Any] = {}
        self._rows: Iterator[list[Any]] = sheet.iter_rows() if sheet.start else iter(())
        head = [self._fill(index, row) for index, row in enumerate(islice(self._rows, HEADER_SCAN_ROWS))]
        self._head = head
        self.layout: HeaderLayout | None = detect_header(HeaderMatcher(spec), head, self.col_offset)
        self.missing: list[Column] = []
        self.status_rows: set[int] = set()  # rows whose gendan status cells hold something (1-based)
        if self.layout is not None:
            present = set(self.layout.fields)
            if "carton_size" in present:
                present |= {"carton_l", "carton_w", "carton_h"}
            self.missing = [c for c in spec.required_columns if c.field not in present]
            for absolute, header, first in self.layout.duplicates:
                self.findings.append(make_finding(
                    "duplicate-column", sheet=self.name, cell=f"{column_letter(absolute + 1)}{self.layout.header_row + 1}",
                    header=header, first=column_letter(first + 1)))
        self._errors = source.error_cells(self.name) if self.layout is not None else {}

    def schema_problems(self) -> list[tuple[str, str]]:
        """What is missing on this sheet, in Chinese and English, with the header names accepted."""
        if self.layout is None:
            wanted = "; ".join(f"{c.zh} ({c.en})" for c in self.spec.required_columns)
            return [(f"工作表“{self.name}”找不到表头行，应有列：{wanted}",
                     f"sheet “{self.name}”: no header row found; expected columns {wanted}")]
        return [(f"工作表“{self.name}”缺少列“{c.zh}”，可用表头：{' / '.join(_single_line_names(c))}",
                 f"sheet “{self.name}” lacks the column “{c.en}”; accepted headers: {' / '.join(_single_line_names(c))}")
                for c in self.missing]

    def info(self) -> SheetInfo:
        """Where this sheet's header and columns are (1-based, as Excel counts)."""
        assert self.layout is not None
        layout = self.layout
        return SheetInfo(
            key=self.spec.key, name=self.name, header_row=layout.header_row + 1,
            last_header_row=layout.last_header_row + 1,
            columns={k: v + 1 for k, v in layout.fields.items()},
            extra_columns={k + 1: v for k, v in layout.extras.items()},
            status_columns={k: v + 1 for k, v in layout.status.items()},
            last_column=layout.last_column + 1, last_row=self.height,
        )

    def _fill(self, index: int, row: list[Any]) -> list[Any]:
        """Give every cell of a merged range the value of its top-left cell."""
        for col in self._merged_tops.get(index, ()):
            self._merged_values[(index, col)] = row[col] if col < len(row) else ""
        for col, source_row, source_col in self._merged.get(index, ()):
            if col < len(row):
                row[col] = self._merged_values.get((source_row, source_col), "")
        return row

    def data_rows(self) -> Iterator[list[Any]]:
        """The rows after the header, merged cells filled; the first is sheet row ``last_header_row + 1``."""
        assert self.layout is not None
        yield from self._head[self.layout.last_header_row + 1:]
        index = len(self._head)
        last_merged = max(chain(self._merged, self._merged_tops), default=-1)
        for row in self._rows:
            if index > last_merged:
                yield row
                break
            yield self._fill(index, row)
            index += 1
        yield from self._rows  # past the last merged range: no filling, no per-row work

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Data rows (0-based sheet index, values) after the header, merged cells filled."""
        assert self.layout is not None
        return enumerate(self.data_rows(), start=self.layout.last_header_row + 1)

    def raw_cells(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Rows as ``{field: raw value}`` (for the key/value settings sheet)."""
        assert self.layout is not None
        fields = [(f, c - self.col_offset) for f, c in self.layout.fields.items()]
        for index, row in self.rows():
            yield index, {f: row[c] if c < len(row) else "" for f, c in fields}

    def models(self, model: type[RowModel]) -> list[Any]:
        """Parse every data row into ``model``, appending findings for bad cells.

        Works on chunks of rows, column by column (see :mod:`gendan_xl.workbook.columns`). Rows
        that need a second look (a required value missing, an error cell, a TOTAL row, a carton
        size in one cell) are found per chunk; every other row is built without per-row checks.
        """
        assert self.layout is not None
        plan = self._plan(model)
        identity = [f for f, info in model.model_fields.items() if info.is_required() and f != "row"]
        names = [entry.field for entry in plan]
        order_pos = names.index("order_no") if "order_no" in names else None
        identity_pos = [names.index(f) for f in identity if f in names]
        required_pos = [p for p, entry in enumerate(plan) if entry.required]
        dims_pos = next((p for p, entry in enumerate(plan) if entry.column.type is ColumnType.DIMENSIONS), None)
        errors_by_row: dict[int, list[int]] = {}
        for (error_row, error_col) in self._errors:
            errors_by_row.setdefault(error_row, []).append(error_col)
        plain = [p for p in range(len(plan)) if p != dims_pos]
        plain_names = (*(names[p] for p in plain), "row")
        construct = model.constructor()
        results: list[Any] = []
        first = self.layout.last_header_row + 1  # 0-based sheet row of the chunk's first row
        source = self.data_rows()
        status_rels = [col - self.col_offset for col in self.layout.status.values()]
        rels = [entry.rel for entry in plan]
        while rows := list(islice(source, _BATCH)):
            count = len(rows)
            for rel in status_rels:
                self.status_rows.update(first + at + 1 for at, row in enumerate(rows)
                                        if rel < len(row) and row[rel] not in ("", None))
            raw_columns = _columns(rows, rels)
            parsed_columns = []
            for entry, raw in zip(plan, raw_columns, strict=True):
                parsed, problems = entry.parser.parse(raw)
                for at, problem in problems:
                    order = _order_of(raw_columns, order_pos, at)
                    self._report_problem(problem, entry.column, first + at, entry.rel, raw[at], order)
                parsed_columns.append(parsed)
            totals = _total_key_rows(parsed_columns, identity_pos)
            special = _none_rows(parsed_columns, required_pos) | totals
            special.update(index - first for index in errors_by_row if first <= index < first + count)
            if dims_pos is not None and parsed_columns[dims_pos].count(None) != count:
                special.update(at for at, v in enumerate(parsed_columns[dims_pos]) if v is not None)
            numbers = range(first + 1, first + count + 1)
            if not special:
                columns = [parsed_columns[p] for p in plain]
                results.extend(construct(dict(zip(plain_names, values, strict=True)))
                               for values in zip(*columns, numbers, strict=True))
                first += count
                continue
            for at, values in enumerate(zip(*parsed_columns, strict=True)):
                if at not in special:
                    record = dict(zip(names, values, strict=True))
                    if dims_pos is not None:
                        del record[names[dims_pos]]
                    record["row"] = first + at + 1
                    results.append(construct(record))
                    continue
                index = first + at
                error_cols = errors_by_row.get(index)
                if error_cols:
                    self._report_errors(index, error_cols, plan, _order_of(raw_columns, order_pos, at))
                skipped = any(values[p] is None for p in identity_pos)
                if skipped and all(column[at] in ("", None) for column in raw_columns) and not error_cols:
                    continue  # a blank row
                if (skipped and _is_total_row(rows[at])) or at in totals:
                    continue  # a TOTAL / 合计 row under the table
                for p in required_pos:
                    if values[p] is None and raw_columns[p][at] in ("", None) and not (
                            error_cols and plan[p].rel + self.col_offset in error_cols):
                        self._report_missing(plan[p].column, index, plan[p].rel, skipped,
                                             _order_of(raw_columns, order_pos, at))
                if skipped:
                    continue
                record = dict(zip(names, values, strict=True))
                record["row"] = index + 1
                if dims_pos is not None:
                    _apply_dimensions(record, names[dims_pos])
                results.append(construct(record))
            first += count
        return results

    def _plan(self, model: type[RowModel]) -> list[_PlanEntry]:
        assert self.layout is not None
        fields = model.model_fields
        plan = []
        for column in self.spec.columns:
            absolute = self.layout.fields.get(column.field)
            if absolute is None or (column.field not in fields and column.type is not ColumnType.DIMENSIONS):
                continue
            required = column.required or (column.field in fields and fields[column.field].is_required())
            plan.append(_PlanEntry(column.field, absolute - self.col_offset, column, required,
                                   ColumnParser(column, date1904=self.date1904)))
        return plan

    def _report_errors(self, index: int, error_cols: list[int], plan: list[_PlanEntry], order: str | None) -> None:
        for entry in plan:
            absolute = entry.rel + self.col_offset
            if absolute in error_cols:
                self._report("cell-error", entry.column, index, entry.rel, order, error=self._errors[(index, absolute)])

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


class _PlanEntry(NamedTuple):
    field: str
    rel: int
    column: Column
    required: bool
    parser: ColumnParser


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


def _apply_dimensions(record: dict[str, Any], field: str) -> None:
    dims = record.pop(field, None)
    if dims is None:
        return
    for name, number in zip(("carton_l", "carton_w", "carton_h"), dims, strict=True):
        if record.get(name) is None:
            record[name] = number


def _columns(rows: list[list[Any]], rels: list[int]) -> list[Sequence[Any]]:
    """The cells at ``rels`` of every row, column by column (a C-level transpose, not a loop per cell)."""
    if not rels:
        return []
    if len(rels) == 1:
        return [[row[rels[0]] for row in rows]]
    return list(zip(*map(itemgetter(*rels), rows), strict=True))


def _sheet_names(spec: SheetSpec) -> list[str]:
    return [spec.zh, spec.en, *spec.aliases]


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


def _is_total_row(row: Sequence[Any]) -> bool:
    return any(isinstance(v, str) and _TOTAL_ROW.match(v) for v in row)


def _merged_fills(
    ranges: Iterable[Any], col_offset: int
) -> tuple[dict[int, list[tuple[int, int, int]]], dict[int, list[int]]]:
    """Per sheet row, the cells merged ranges cover and the top-left cells they copy from.

    Returns ``(fills, tops)``: ``fills[row]`` lists (relative col, source row, source relative
    col); ``tops[row]`` lists the relative cols of top-left cells whose value must be kept.
    """
    fills: dict[int, list[tuple[int, int, int]]] = {}
    tops: dict[int, list[int]] = {}
    budget = 1_000_000  # a range covering a whole sheet would otherwise cost millions of entries
    for (top, left), (bottom, right) in ranges:
        cells = (bottom - top + 1) * (right - left + 1)
        if cells <= 1 or cells > budget:
            continue
        budget -= cells
        tops.setdefault(top, []).append(left - col_offset)
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    fills.setdefault(r, []).append((c - col_offset, top, left - col_offset))
    return fills, tops


def _read_settings(table: _SheetReader, findings: list[Finding]) -> Settings:
    pairs: list[tuple[str, Any]] = []
    for index, cells in table.raw_cells():
        key = parse_text(cells.get("key", "")) if cells.get("key", "") != "" else ""
        if not key:
            continue
        key_col = table.layout.fields["key"] if table.layout else 0
        value_col = table.layout.fields.get("value", key_col + 1) if table.layout else 1
        found = find_setting(key)
        if found is None:
            retired = retired_setting(key)
            findings.append(make_finding("unknown-setting" if retired is None else "setting-retired", sheet=table.name,
                                         cell=f"{column_letter(key_col + 1)}{index + 1}", row=index + 1, key=key,
                                         reason_zh=retired[0] if retired else "", reason_en=retired[1] if retired else ""))
            continue
        spec, currency = found
        raw = cells.get("value", "")
        if raw in ("", None):
            continue
        cell = f"{column_letter(value_col + 1)}{index + 1}"
        try:
            value = parse_setting_value(spec, raw)
        except ValueProblem as problem:
            findings.append(make_finding(
                "bad-setting", sheet=table.name, cell=cell, row=index + 1, key=key,
                reason_zh=problem.reason_zh, reason_en=problem.reason_en, default=_show_default(spec.default)))
            continue
        pairs.append((spec.field, (currency, value) if currency else value))
    return build_settings(pairs)


def _show_default(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return "—"
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value != "" else "—"

