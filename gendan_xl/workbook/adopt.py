"""Adopting the user's own tracker: the mapping as a report, saving it, adding our sheets beside theirs.

``gendan map`` (:func:`gendan_xl.pipeline.map_workbook`) shows a :class:`MappingReport`: per table
the sheets that hold it, per field the column chosen, the confidence and evidence, the
runner-up, the fields not found with what each costs, the columns nobody claims and the sheets
not used. It reads only the first rows of each sheet (a sample), never the whole workbook.
:func:`save_mapping` stores it in the workbook (the ``映射 Mapping`` sheet, through the lossless
writer) or beside it (``PATH.gendan.toml``); :func:`add_template_sheets` adds our customers,
factories, shipments, payments, samples, complaints and change-log sheets (template headers and
drop-downs) to the user's workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gendan_xl.errors import ConfigError
from gendan_xl.findings import Finding
from gendan_xl.models import column_letter
from gendan_xl.ooxml import ListValidation, NewSheet, PatchResult, patch_workbook
from gendan_xl.workbook.coverage import SHEET_COSTS, field_cost
from gendan_xl.workbook.layouts import HEAD_ROWS, BookMap, scan_book
from gendan_xl.workbook.mapping import HIGH, role_columns, role_label
from gendan_xl.workbook.mapstore import (
    MAPPING_SHEET,
    apply_saved,
    load_saved,
    mapping_sheet_rows,
    required_keys,
    sidecar_path,
    sidecar_text,
)
from gendan_xl.workbook.schema import sheet_spec
from gendan_xl.workbook.sources import HeadSource
from gendan_xl.workbook.template import VALIDATION_ROWS

__all__ = ["ADDABLE", "FieldRow", "MappingReport", "TableReport", "add_template_sheets", "map_file", "save_mapping"]

ADDABLE = ("customers", "factories", "shipments", "payments", "samples", "complaints", "changes")


@dataclass(frozen=True)
class FieldRow:
    """One field of one table: where it was found (or not), how sure, why, and what else was close."""

    key: str
    zh: str
    en: str
    required: bool
    sheet: str | None = None
    letter: str | None = None
    header: str | None = None
    confidence: float | None = None
    evidence: tuple[str, ...] = ()
    runner_up: str | None = None  # "F “Ship Date” 0.62"
    cost: tuple[str, str] | None = None  # what its absence costs

    @property
    def doubtful(self) -> bool:
        """Found, but not with high confidence."""
        return self.confidence is not None and self.confidence < HIGH

    def as_dict(self) -> dict[str, Any]:
        """The row as JSON-ready data."""
        return {"key": self.key, "field_zh": self.zh, "field_en": self.en, "required": self.required,
                "sheet": self.sheet, "column": self.letter, "header": self.header, "confidence": self.confidence,
                "evidence": list(self.evidence), "runner_up": self.runner_up,
                "missing_costs": list(self.cost) if self.cost else None}


@dataclass
class TableReport:
    """One table of the mapping: its role, sheets, order key and fields."""

    role: str
    sheets: list[str]
    header_rows: list[int]
    order_key: str | None
    fields: list[FieldRow] = field(default_factory=list)
    unclaimed: dict[str, list[str]] = field(default_factory=dict)  # sheet → headers nobody claims

    @property
    def label(self) -> tuple[str, str]:
        """The table's role in Chinese and English."""
        return role_label(self.role)

    @property
    def found(self) -> list[FieldRow]:
        """The fields a column was found for."""
        return [f for f in self.fields if f.letter is not None]

    @property
    def missing(self) -> list[FieldRow]:
        """The fields no column was found for."""
        return [f for f in self.fields if f.letter is None]


@dataclass
class MappingReport:
    """What ``gendan map`` found: the tables, how they map, what is missing, and whether it can be used."""

    path: Path
    source: str  # proposed | sheet | sidecar
    layout: str
    tables: list[TableReport]
    unused: list[str]
    missing_sheets: list[tuple[str, str, str]]  # (role, zh cost, en cost)
    findings: list[Finding]
    book: BookMap

    @property
    def doubtful(self) -> list[FieldRow]:
        """Required fields matched without high confidence, or not at all."""
        return [f for t in self.tables for f in t.fields if f.required and (f.doubtful or f.letter is None)]

    @property
    def usable(self) -> bool:
        """True when the workbook can be read through this mapping without asking the user."""
        return not self.doubtful and ("flat" in {t.role for t in self.tables}
                                      or {"orders", "lines"} <= {t.role for t in self.tables})

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "path": str(self.path), "source": self.source, "layout": self.layout, "usable": self.usable,
            "tables": [{"role": t.role, "label": list(t.label), "sheets": t.sheets, "header_rows": t.header_rows,
                        "order_key": t.order_key, "fields": [f.as_dict() for f in t.fields],
                        "unclaimed": t.unclaimed} for t in self.tables],
            "unused_sheets": self.unused,
            "missing_sheets": [{"role": r, "costs": [zh, en]} for r, zh, en in self.missing_sheets],
            "findings": [f.model_dump(mode="json") for f in self.findings],
        }


def _book(path: Path) -> tuple[BookMap, list[Finding]]:
    """The book map of a workbook file: its saved mapping if any, else the proposal (never refused)."""
    from gendan_xl.workbook.layouts import propose_book

    source = HeadSource(path, HEAD_ROWS)  # the first rows of each sheet are enough: never the whole workbook
    try:
        scans = scan_book(source)
        findings: list[Finding] = []
        saved = load_saved(source)
        book = apply_saved(saved, scans, findings) if saved is not None else propose_book(scans)
        return book, findings
    finally:
        source.close()


def map_file(path: Path | str) -> MappingReport:
    """The mapping of the workbook at ``path`` as a report (reads a sample of each sheet only)."""
    path = Path(path)
    book, findings = _book(path)
    tables: list[TableReport] = []
    for table in book.tables.values():
        if table.role in ("settings", "documents"):
            continue
        required = set(required_keys(table.role, table.key))
        report = TableReport(table.role, table.sheets, [p.header_row + 1 for p in table.parts],
                             table.key if table.role in ("flat", "orders") else None)
        first = table.parts[0]
        by_sheet_name = table.role == "flat" and len(table.parts) > 1 and "orders.customer" not in first.chosen
        for key, column in role_columns(table.role).items():
            chosen = first.chosen.get(key)
            if chosen is None and key == "orders.customer" and by_sheet_name:
                report.fields.append(FieldRow(key, column.zh, column.en, True, first.sheet, "—", "(工作表名 sheet name)",
                                              HIGH, (f"one sheet per customer: {', '.join(table.sheets)}",)))
                continue
            runner = first.runners.get(key)
            shown = (f"{runner.letter} “{runner.header}” {min(runner.confidence, 1.0):.2f}" if runner is not None else None)
            if chosen is None:
                report.fields.append(FieldRow(key, column.zh, column.en, key in required, runner_up=shown,
                                              cost=field_cost(key)))
                continue
            report.fields.append(FieldRow(key, column.zh, column.en, key in required, first.sheet, chosen.letter,
                                          chosen.header, round(min(chosen.confidence, 1.0), 2), chosen.evidence, shown))
        for part in table.parts:
            if part.unclaimed:
                report.unclaimed[part.sheet] = list(part.unclaimed.values())
        tables.append(report)
    missing_sheets = [(role, zh, en) for role, (zh, en) in SHEET_COSTS.items() if role not in book.tables]
    return MappingReport(path, book.source, book.layout, tables, book.unused, missing_sheets, findings, book)


def save_mapping(path: Path | str, *, sidecar: bool = False, force: bool = False) -> Path:
    """Store the workbook's mapping (saved or proposed) as its ``映射 Mapping`` sheet, or as ``PATH.gendan.toml``.

    Returns the file written. The sheet is written through the lossless writer (every other part
    keeps its bytes); an existing mapping sheet of gendan's is replaced, the user's own never.
    """
    path = Path(path)
    book, _ = _book(path)
    if not book.tables:
        raise ConfigError(f"没有找到任何订单表，无法保存映射：{path.name}", f"no table of ours was found; nothing to save: {path.name}",
                          path=path)
    if sidecar:
        target = sidecar_path(path)
        target.write_text(sidecar_text(book, path.name), encoding="utf-8")
        return target
    rows, validations, widths = mapping_sheet_rows(book)
    sheet = NewSheet(MAPPING_SHEET, rows, widths, replace=True,
                     validations=[ListValidation(ref, source=src, prompt="从下拉列表选您的表头 / pick your header")
                                  for ref, src in validations])
    patch_workbook(path, [], [sheet], force=force)
    return path


def add_template_sheets(path: Path | str, keys: Sequence[str], *, force: bool = False) -> tuple[list[str], PatchResult | None]:
    """Add our sheets (``customers``, ``factories``, ``shipments``, ``payments``, ``samples``, ``complaints``,
    ``changes``) with the template's headers and drop-downs to the workbook; returns the names added (a table the
    workbook already has is not added)."""
    path = Path(path)
    unknown = [k for k in keys if k not in ADDABLE]
    if unknown:
        raise ConfigError(f"--add-sheets 只能是 {', '.join(ADDABLE)}：{', '.join(unknown)}",
                          f"--add-sheets takes {', '.join(ADDABLE)}: not {', '.join(unknown)}")
    book, _ = _book(path)
    new: list[NewSheet] = []
    for key in dict.fromkeys(keys):
        if key in book.tables:
            continue
        spec = sheet_spec(key)
        header: list[Any] = [c.header for c in spec.columns]
        validations = []
        for index, column in enumerate(spec.columns, start=1):
            items = tuple(column.choices)
            if items and len(",".join(items)) <= 250:  # a longer inline list does not fit Excel's 255 characters
                letter = column_letter(index)
                validations.append(ListValidation(f"{letter}2:{letter}{VALIDATION_ROWS}", items=items))
        widths = {i: c.width for i, c in enumerate(spec.columns, start=1)}
        new.append(NewSheet(spec.title, [header], widths, replace=False, validations=validations))
    if not new:
        return [], None
    result = patch_workbook(path, [], new, force=force)
    return [s.name for s in new], result
