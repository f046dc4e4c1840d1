"""Read a master order workbook into validated models, collecting every problem on the way.

The fast path: python-calamine streams each sheet's cached values (formulas are never
evaluated, openpyxl is never used for values); each sheet's first rows are scanned and its role
and columns decided (:mod:`gendan_xl.workbook.layouts`, :mod:`gendan_xl.workbook.mapping`, or a
saved mapping, :mod:`gendan_xl.workbook.mapstore`); each cell goes through the parser for its
column type; each row becomes a pydantic model. Bad cells become findings with their address
and reading goes on. Only a file that cannot be read at all, a missing required sheet or column,
or a mapping too doubtful to use stops the run (with every such problem listed).

Orders and lines kept on one sheet (a one-sheet tracker) are read by :mod:`gendan_xl.workbook.flat`;
a table on several sheets (one per month …) is read part by part, its rows numbered by part
(:data:`gendan_xl.models.ROW_STRIDE`), its findings addressed at the real sheet.

The values come from a source (:mod:`gendan_xl.workbook.sources`): a file
(:func:`read_workbook`) or rows already in memory (:func:`read_values`, e.g. an open workbook's
current values through xlwings); both go through the same code from there on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import gendan_xl.workbook.problems  # noqa: F401 - registers the read finding codes
from gendan_xl.bulk import collector_paused
from gendan_xl.config import Settings, build_settings, find_setting, parse_setting_value, retired_setting
from gendan_xl.errors import SchemaError
from gendan_xl.findings import Finding, make_finding
from gendan_xl.models import ROW_STRIDE, RowModel, SheetInfo, Workbook, column_letter
from gendan_xl.values import ValueProblem, parse_text
from gendan_xl.workbook.layouts import BookMap, SheetScan, Table, scan_book
from gendan_xl.workbook.mapstore import resolve_mapping
from gendan_xl.workbook.schema import ROW_SHEETS, SHEETS, SheetSpec, sheet_spec
from gendan_xl.workbook.sources import BookSource, FileSource, SheetValues, ValuesSource
from gendan_xl.workbook.table import TableReader

__all__ = ["SheetValues", "read_source", "read_values", "read_workbook"]

MODELS: dict[str, type[RowModel]] = {spec.key: spec.model for spec in ROW_SHEETS if spec.model}


def read_workbook(path: Path | str) -> Workbook:
    """Read the master workbook at ``path``; raises a WorkbookError, SchemaError or MappingError if it cannot be read."""
    with collector_paused():
        return read_source(FileSource(Path(path)))


def read_values(sheets: Iterable[SheetValues], *, path: Path | str | None = None, date1904: bool = False) -> Workbook:
    """Read a master workbook from worksheets' values in memory (see :class:`SheetValues`).

    ``path`` is recorded as the workbook's path (relative settings such as the templates folder
    resolve against it, and a sidecar mapping ``PATH.gendan.toml`` is found beside it); nothing
    else is read from it. ``date1904`` is the workbook's date system, which only matters for
    dates typed as plain numbers. Raises SchemaError like :func:`read_workbook`.
    """
    with collector_paused():
        return read_source(ValuesSource(sheets, path=Path(path) if path is not None else None, date1904=date1904))


def read_source(source: BookSource) -> Workbook:
    """Read any source of sheets (a file, values in memory) into the models; closes the source."""
    try:
        scans = scan_book(source)
        findings: list[Finding] = []
        book = resolve_mapping(source, scans, findings)
        return _read(source, scans, book, findings)
    finally:
        source.close()


def _read(source: BookSource, scans: list[SheetScan], book: BookMap, findings: list[Finding]) -> Workbook:
    path = source.path
    by_name = {scan.name: scan for scan in scans}
    for sheet, first, role in book.duplicates:
        spec = sheet_spec("orders" if role == "flat" else role)
        findings.append(make_finding("duplicate-sheet", sheet=sheet, sheet_name=sheet, first=first,
                                     sheet_zh=spec.zh, sheet_en=spec.en))
    problems = _missing_tables(book)
    workbook = Workbook(path=path)
    for spec in SHEETS:
        role = "flat" if spec.key == "orders" and "flat" in book.tables else spec.key
        table = book.table(role)
        if table is None or (role == "flat" and spec.key != "orders"):
            continue
        if role == "flat":
            from gendan_xl.workbook.flat import read_flat

            problems.extend(read_flat(workbook, table, by_name, source, findings))
        else:
            problems.extend(_read_table(workbook, spec, table, by_name, source, findings))
        for part in table.parts:  # read: let the sheet's cells go before the next table's models are made
            by_name[part.sheet].release()
    if problems:
        raise SchemaError(
            "工作簿缺少必需的工作表或列：\n" + "\n".join(zh for zh, _ in problems),
            "the workbook lacks required sheets or columns:\n" + "\n".join(en for _, en in problems),
            path=path,
            problems=[en for _, en in problems],
        )
    from gendan_xl.workbook.mapstore import currency_hints

    currency_hints(workbook, book, findings)
    workbook.findings = findings
    return workbook


def _missing_tables(book: BookMap) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if "flat" in book.tables:
        return problems
    for spec in SHEETS:
        if spec.required and spec.key not in book.tables:
            names = " / ".join(_sheet_names(spec))
            problems.append((
                f"缺少工作表“{spec.zh}”，可用名称：{names}（或一张含订单和明细列的总表；运行 gendan map 查看识别结果）",
                f"the sheet “{spec.en}” is missing; accepted names: {names} (or one sheet with the orders' and the "
                "lines' columns; run gendan map to see what was recognised)"))
    return problems


def _read_table(workbook: Workbook, spec: SheetSpec, table: Table, scans: dict[str, SheetScan], source: BookSource,
                findings: list[Finding]) -> list[tuple[str, str]]:
    """Read one table (one sheet or several of one layout) into the workbook; returns the schema problems."""
    problems: list[tuple[str, str]] = []
    readers: list[TableReader] = []
    several = len(table.parts) > 1
    for index, part in enumerate(table.parts):
        reader = TableReader(spec, scans[part.sheet], part, spec.key, source, findings,
                             row_base=index * ROW_STRIDE if several else 0)
        problems.extend(reader.schema_problems())
        readers.append(reader)
    if problems:
        return problems
    infos = [reader.info() for reader in readers]
    info = _table_info(infos)
    workbook.sheets[spec.key] = info
    if spec.key == "settings":
        workbook.settings = _read_settings(readers[0], findings)
        return problems
    rows: list[Any] = []
    for reader, part_info in zip(readers, infos, strict=True):
        rows.extend(reader.models(MODELS[spec.key]))
        part_info.status_rows = sorted(reader.status_rows)
    if several:
        info.parts = infos
    info.status_rows = infos[0].status_rows
    setattr(workbook, spec.key, rows)
    return problems


def _table_info(infos: list[SheetInfo]) -> SheetInfo:
    """The SheetInfo of a table: its first sheet's, with every sheet as a part when there are several."""
    first = infos[0].model_copy()
    return first


def _sheet_names(spec: SheetSpec) -> list[str]:
    return [spec.zh, spec.en, *spec.aliases]


def _read_settings(table: TableReader, findings: list[Finding]) -> Settings:
    pairs: list[tuple[str, Any]] = []
    key_col = table.fields.get("key", 0)
    value_col = table.fields.get("value", key_col + 1)
    for index, cells in table.raw_cells():
        key = parse_text(cells.get("key", "")) if cells.get("key", "") != "" else ""
        if not key:
            continue
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
