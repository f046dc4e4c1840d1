"""The mapping a workbook is read through: a saved one (a sheet or a sidecar file), or the proposal.

Saved where the user chose (``gendan map --save`` / ``--sidecar``):

* the sheet ``映射 Mapping`` in the workbook itself (written through the lossless writer): one row
  per field — the table, our field in Chinese and English, its key, the user's sheet(s) and
  header — with a drop-down of that sheet's headers on the header cell, so the mapping can be
  corrected in Excel; the headers the drop-downs offer are listed to the right;
* ``PATH.gendan.toml`` beside the workbook, for users who want no change to its sheets.

:func:`resolve_mapping` is what every face reads through: the saved mapping when there is one
(the sheet first), else the proposal — used as it is when every required field is matched with
high confidence (an ``info`` finding says so in one line), refused otherwise with a
:class:`~gendan_xl.errors.MappingError` naming the doubtful fields and ``gendan map``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gendan_xl.workbook.problems  # noqa: F401 - registers the mapping finding codes
from gendan_xl.errors import MappingError
from gendan_xl.findings import Finding, make_finding
from gendan_xl.models import Workbook, column_letter
from gendan_xl.vocab import squash
from gendan_xl.workbook.headers import Tier
from gendan_xl.workbook.layouts import (
    BookMap,
    SheetScan,
    Table,
    classify_sheet,
    order_key,
    propose_book,
)
from gendan_xl.workbook.mapping import (
    HIGH,
    ROLE_SPECS,
    Candidate,
    SheetMap,
    apply_headers,
    map_sheet,
    role_columns,
    role_label,
)
from gendan_xl.workbook.sources import BookSource

__all__ = [
    "MAPPING_SHEET",
    "SavedMapping",
    "SavedTable",
    "currency_hints",
    "load_saved",
    "required_keys",
    "resolve_mapping",
    "saved_from_book",
    "sidecar_path",
]

MAPPING_SHEET = "映射 Mapping"
SIDECAR_SUFFIX = ".gendan.toml"
_KEY_HEADER = "键 Key"
_NAME_ONLY = ("settings", "documents")


def sidecar_path(path: Path) -> Path:
    """Where the sidecar mapping of a workbook lives: ``PATH.gendan.toml`` beside it."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


@dataclass
class SavedTable:
    """One table of a saved mapping: its role, its sheets and the header of each field."""

    role: str
    sheets: list[str]
    columns: dict[str, list[str]] = field(default_factory=dict)  # key → the headers it may have


@dataclass
class SavedMapping:
    """A mapping as saved by the user (``origin``: ``sheet`` or ``sidecar``)."""

    tables: list[SavedTable]
    origin: str


def required_keys(role: str, key: str = "order_no") -> list[str]:
    """The fields a table of ``role`` cannot be read without (the order key in place of the order no.)."""
    out: list[str] = []
    for spec in ROLE_SPECS[role]:
        for column in spec.required_columns:
            name = f"{spec.key}.{column.field}"
            if name in role_columns(role) or (role == "flat" and name == "orders.order_no"):
                out.append(f"orders.{key}" if name == "orders.order_no" and role in ("flat", "orders") else name)
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------------------------------
# Reading a saved mapping
# ---------------------------------------------------------------------------------------------


def load_saved(source: BookSource) -> SavedMapping | None:
    """The saved mapping of a workbook: its mapping sheet, else its sidecar file, else None."""
    names = {squash(n): n for n in source.worksheet_names()}
    sheet_name = names.get(squash(MAPPING_SHEET))
    if sheet_name is not None:
        rows = list(source.sheet(sheet_name).iter_rows())
        found = _from_rows(rows)
        if found is not None:
            return found
    if source.path is not None:
        sidecar = sidecar_path(source.path)
        if sidecar.is_file():
            return _from_toml(sidecar)
    return None


def _from_rows(rows: Sequence[Sequence[Any]]) -> SavedMapping | None:
    header_at = next((i for i, row in enumerate(rows) if _KEY_HEADER in [str(v).strip() for v in row]), None)
    if header_at is None:
        return None
    header = [str(v).strip() for v in rows[header_at]]
    at = {name: header.index(name) for name in ("表 Table", _KEY_HEADER, "您的工作表 Your sheets",
                                                "您的表头 Your header") if name in header}
    if len(at) < 4:
        return None
    tables: dict[str, SavedTable] = {}
    for row in rows[header_at + 1:]:
        cells = [str(v).strip() if v is not None else "" for v in row]
        if len(cells) <= max(at.values()) or not cells[at[_KEY_HEADER]]:
            continue
        role = cells[at["表 Table"]].split(" ", 1)[0]
        key = cells[at[_KEY_HEADER]]
        if role not in ROLE_SPECS:
            continue
        sheets = [s.strip() for s in cells[at["您的工作表 Your sheets"]].split(" / ") if s.strip()]
        table = tables.setdefault(role, SavedTable(role, []))
        table.sheets.extend(s for s in sheets if s not in table.sheets)
        text = cells[at["您的表头 Your header"]]
        table.columns.setdefault(key, []).extend([text] if text else [])
    return SavedMapping(list(tables.values()), "sheet") if tables else None


def _from_toml(path: Path) -> SavedMapping:
    from gendan_xl.errors import ConfigError

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"映射文件无法读取：{path.name}（{exc}）", f"the mapping file cannot be read: {path.name} ({exc})",
                          path=path) from exc
    tables: list[SavedTable] = []
    for entry in data.get("table", []):
        role = str(entry.get("role", ""))
        if role not in ROLE_SPECS:
            continue
        columns = {str(k): ([str(v)] if isinstance(v, str) else [str(x) for x in v])
                   for k, v in dict(entry.get("columns", {})).items()}
        tables.append(SavedTable(role, [str(s) for s in entry.get("sheets", [])], columns))
    return SavedMapping(tables, "sidecar")


def apply_saved(saved: SavedMapping, scans: Sequence[SheetScan], findings: list[Finding]) -> BookMap:
    """The book map a saved mapping describes, its headers found again in the sheets."""
    by_name = {squash(s.name): s for s in scans}
    book = BookMap(source=saved.origin)
    used: set[str] = set()
    for saved_table in saved.tables:
        table = Table(saved_table.role)
        for sheet in saved_table.sheets:
            scan = by_name.get(squash(sheet))
            if scan is None:
                findings.append(make_finding("mapping-sheet-missing", sheet=sheet, sheet_name=sheet))
                continue
            proposed = map_sheet(scan.name, scan.head, scan.col_offset, saved_table.role)
            if proposed is None:
                proposed = SheetMap(scan.name, saved_table.role, -1, -1, scan.col_offset)
            for key in apply_headers(proposed, saved_table.columns):
                header = " / ".join(saved_table.columns[key])
                findings.append(make_finding("mapping-header-missing", sheet=scan.name, sheet_name=scan.name,
                                             header=header, field=key))
            table.parts.append(proposed)
            used.add(scan.name)
        if table.parts:
            if table.role in ("flat", "orders"):
                table.key = next((k for k in (order_key(p) for p in table.parts) if k), "order_no")
            book.tables[table.role] = table
    for scan in scans:
        if scan.name in used:
            continue
        found = classify_sheet(scan)
        if found is not None and found[0] in _NAME_ONLY and found[0] not in book.tables and found[1] is not None:
            book.tables[found[0]] = Table(found[0], [found[1]])  # our own sheets (log, settings) need no mapping
        else:
            book.unused.append(scan.name)
    return book


# ---------------------------------------------------------------------------------------------
# Deciding what to read through
# ---------------------------------------------------------------------------------------------


def doubtful_fields(book: BookMap) -> list[tuple[str, str, Candidate | None]]:
    """(sheet, key, candidate or None) of every required field not matched with high confidence."""
    out: list[tuple[str, str, Candidate | None]] = []
    for table in book.tables.values():
        for part in table.parts:
            if part.header_row < 0:
                continue
            for key in required_keys(table.role, table.key):
                found = part.chosen.get(key)
                if found is not None and found.confidence < HIGH:
                    out.append((part.sheet, key, found))
    return out


def resolve_mapping(source: BookSource, scans: Sequence[SheetScan], findings: list[Finding]) -> BookMap:
    """The book map to read through: saved, or proposed and confident enough (else MappingError)."""
    saved = load_saved(source)
    if saved is not None:
        return apply_saved(saved, scans, findings)
    book = propose_book(scans)
    doubtful = doubtful_fields(book)
    if doubtful:
        listed = [f"{sheet}!{c.letter if c else '?'} “{c.header if c else ''}” → {_field_label(key)}"
                  for sheet, key, c in doubtful]
        raise MappingError(
            "无法确定这些必需列对应哪一项（把握不大）：\n" + "\n".join(listed)
            + "\n请运行 gendan map 查看识别结果，改正后用 gendan map --save 保存。",
            "these required columns could not be matched with confidence:\n" + "\n".join(listed)
            + "\nRun gendan map to see the proposal, correct it and save it with gendan map --save.",
            path=source.path, problems=listed)
    if not _template_like(book):
        weak = sum(1 for t in book.tables.values() for p in t.parts for c in p.chosen.values() if c.confidence < HIGH)
        findings.append(make_finding("mapping-automatic", layout=_layout_words(book)[0], layout_en=_layout_words(book)[1],
                                     weak=weak, weak_zh=f"，{weak} 个可选字段把握不大" if weak else "",
                                     weak_en=f"; {weak} optional field(s) uncertain" if weak else ""))
    return book


def _template_like(book: BookMap) -> bool:
    """True for a workbook in our own layout: split, each table on one sheet named as ours, every header a name."""
    from gendan_xl.workbook.layouts import _exact_name

    if book.layout != "split":
        return False
    for table in book.tables.values():
        if len(table.parts) != 1 or not _exact_name(table.parts[0].sheet):
            return False
        if any(c.tier < Tier.ALIAS for c in table.parts[0].chosen.values()):
            return False
    return True


def _layout_words(book: BookMap) -> tuple[str, str]:
    if book.layout == "flat":
        table = book.tables["flat"]
        sheets = "、".join(table.sheets)
        return f"订单及明细同表（{sheets}）", f"orders and lines on one sheet ({', '.join(table.sheets)})"
    return "订单表＋明细表", "an orders sheet and an order-lines sheet"


def _field_label(key: str) -> str:
    table, name = key.split(".", 1)
    for spec in ROLE_SPECS.get(table, ()) or [s for specs in ROLE_SPECS.values() for s in specs if s.key == table]:
        for column in spec.columns:
            if column.field == name:
                return f"{column.zh} {column.en}"
    return key


# ---------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------


def saved_from_book(book: BookMap) -> SavedMapping:
    """A book map as it is saved: per table its sheets and each field's header (unmatched fields empty)."""
    tables: list[SavedTable] = []
    for table in book.tables.values():
        if table.role in _NAME_ONLY:
            continue
        columns: dict[str, list[str]] = {}
        for key in role_columns(table.role):
            headers = list(dict.fromkeys(p.chosen[key].header for p in table.parts if key in p.chosen))
            columns[key] = headers
        tables.append(SavedTable(table.role, table.sheets, columns))
    return SavedMapping(tables, "proposed")


def sidecar_text(book: BookMap, workbook_name: str) -> str:
    """The sidecar file's TOML text for a book map."""
    import tomli_w

    saved = saved_from_book(book)
    data = {"version": 1, "workbook": workbook_name,
            "table": [{"role": t.role, "sheets": t.sheets,
                       "columns": {k: (v[0] if len(v) == 1 else v) for k, v in t.columns.items() if v}}
                      for t in saved.tables]}
    head = ("# gendan_xl column mapping (gendan map --sidecar). Each table: the sheets that hold it and, per field\n"
            "# (sheet.field), the header of the column that holds it. Edit a header to correct the mapping.\n")
    return head + tomli_w.dumps(data)


def mapping_sheet_rows(book: BookMap) -> tuple[list[list[Any]], list[tuple[str, str]], dict[int, float]]:
    """The mapping sheet's rows, its drop-downs ((cells, list range)) and column widths."""
    header = ["表 Table", "字段", "Field", _KEY_HEADER, "您的工作表 Your sheets", "您的表头 Your header", "列 Column",
              "置信度 Confidence", "依据 Evidence"]
    rows: list[list[Any]] = [header]
    lists: dict[str, list[str]] = {}
    list_rows: dict[str, list[int]] = {}
    for table in book.tables.values():
        if table.role in _NAME_ONLY:
            continue
        zh, en = role_label(table.role)
        sheets = " / ".join(table.sheets)
        first = table.parts[0]
        lists.setdefault(first.sheet, list(dict.fromkeys(first.headers.values())))
        for key, column in role_columns(table.role).items():
            chosen = first.chosen.get(key)
            rows.append([f"{table.role} {zh} {en}", column.zh, column.en, key, sheets,
                         chosen.header if chosen else None, chosen.letter if chosen else None,
                         round(min(chosen.confidence, 1.0), 2) if chosen else None,
                         "; ".join(chosen.evidence) if chosen else None])
            list_rows.setdefault(first.sheet, []).append(len(rows))
    width = len(header)
    validations: list[tuple[str, str]] = []
    for index, (sheet, headers) in enumerate(lists.items()):
        col = width + 2 + index
        letter = column_letter(col)
        for r, text in enumerate([f"可选表头 Headers: {sheet}", *headers], start=1):
            while len(rows) < r:
                rows.append([])
            row = rows[r - 1]
            row.extend([None] * (col - 1 - len(row)))
            row.append(text)
        source = f"${letter}$2:${letter}${len(headers) + 1}"
        for r in list_rows.get(sheet, []):
            validations.append((f"F{r}", source))
    widths: dict[int, float] = {1: 26, 2: 14, 3: 22, 4: 24, 5: 20, 6: 26, 7: 6, 8: 10, 9: 40}
    for index in range(len(lists)):
        widths[width + 2 + index] = 24
    return rows, validations, widths


# ---------------------------------------------------------------------------------------------
# Currencies named in price headers
# ---------------------------------------------------------------------------------------------


def currency_hints(workbook: Workbook, book: BookMap, findings: list[Finding]) -> None:
    """Apply the currencies price headers name (``单价 USD``): the orders' currency where none is given,
    and a warning for a column whose currency is not its orders' (its values are then not used)."""
    hints = _money_hints(book)
    if not hints:
        return
    orders_have_currency = any(o.currency for o in workbook.orders)
    selling = next((cur for (table, fld), (cur, _, _) in hints.items() if table == "lines" and fld == "unit_price"), None)
    if selling is not None and not orders_have_currency and workbook.orders:
        workbook.orders = [o if o.currency else o.model_copy(update={"currency": selling}) for o in workbook.orders]
    currencies = {o.order_no: o.currency for o in workbook.orders}
    for (table, name), (currency, sheet, cell) in hints.items():
        expected = "CNY" if name == "purchase_price" else None
        rows = getattr(workbook, table)
        clash = [r for r in rows if getattr(r, name, None) is not None
                 and currency != (expected or currencies.get(getattr(r, "order_no", ""), currency))]
        if not clash:
            continue
        keys = {id(r) for r in clash}
        setattr(workbook, table, [r.model_copy(update={name: None}) if id(r) in keys else r for r in rows])
        findings.append(make_finding("column-currency-differs", sheet=sheet, cell=cell, currency=currency,
                                     count=len(clash), expected=expected or "订单币种 the order's currency"))


def _money_hints(book: BookMap) -> dict[tuple[str, str], tuple[str, str, str]]:
    out: dict[tuple[str, str], tuple[str, str, str]] = {}
    for table in book.tables.values():
        for part in table.parts:
            for candidate in part.chosen.values():
                if candidate.currency:
                    out.setdefault((candidate.table, candidate.field),
                                   (candidate.currency, part.sheet, f"{candidate.letter}{part.header_row + 1}"))
    return out


def unit_hint(parts: Iterable[SheetMap]) -> str | None:
    """The unit the quantity's header names (``数量(PCS)``) when the sheet has no unit column."""
    for part in parts:
        qty = part.chosen.get("lines.qty")
        if qty is not None and qty.unit and "lines.unit" not in part.chosen:
            return qty.unit
    return None
