"""Rich output for the command line: tables that stack into blocks on a narrow terminal, and error lines.

Every table a command prints is a :class:`FitTable`: a normal rich table when the console is wide
enough for each column's minimum width, else one block per row — the row's key cells on one line,
its short fields as ``label: value`` pairs packed onto lines, and each line of a bilingual text
(Chinese, then English) on a line of its own. Widths are terminal cells: a Chinese character takes
two (:func:`rich.cells.cell_len`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, JustifyMethod, RenderableType, RenderResult
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from gendan_xl.findings import Finding, Severity
from gendan_xl.models import Workbook
from gendan_xl.workbook.schema import SHEETS

__all__ = [
    "EXCEL_NEXT_STEP",
    "MESSAGE_WIDTH",
    "SEVERITY_STYLE",
    "Cell",
    "Column",
    "FitTable",
    "bilingual",
    "findings_table",
    "note",
    "print_error",
    "read_summary_table",
    "severity_cell",
]

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

MESSAGE_WIDTH = 40
"""The narrowest a message column gets in a table: about half a sentence a line, never a word a line."""

Role = Literal["group", "key", "field", "text"]
Cell = str | Text


@dataclass(frozen=True)
class Column:
    """One column of a :class:`FitTable`, and how its cells show in the table and in the stacked layout.

    ``role``: ``key`` names the row (stacked: on the block's first line, without a label); ``field`` is a
    short value (stacked: ``header: value``); ``text`` is prose such as a bilingual message (table: it
    takes the spare width and wraps; stacked: each of its lines on a line of its own); ``group`` is a
    heading given on the first row of a group of rows (table: a new group starts a section; stacked:
    a line of its own above the group's blocks).
    ``wrap``: a key or field whose cells may break at spaces and between Chinese characters in the table
    (lists, routes, statuses); otherwise each line of a cell stays whole. ``min_width``: the narrowest the
    column gets in the table, in cells; a text column's is the width at which it still reads as prose
    rather than one word per line.
    """

    header: str
    role: Role = "field"
    justify: JustifyMethod = "left"
    wrap: bool = False
    min_width: int = 0


@dataclass(frozen=True)
class FitTable:
    """Rows under :class:`Column` specs: a table when the console fits it, else one block per row.

    ``title`` and ``caption`` are rich markup (ours); a ``str`` cell is plain text (a workbook's
    value is never read as markup) and a :class:`~rich.text.Text` cell keeps its styles.
    """

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]]
    caption: str | None = None

    def table_width(self) -> int:
        """The narrowest console, in cells, that shows the table layout rather than stacked blocks."""
        return sum(self._limits[0]) + _chrome(len(self.columns))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= self.table_width():
            yield self._table(options.max_width)
        else:
            yield from self._stacked(console, options.max_width)

    @cached_property  # a check of a large workbook prints tens of thousands of rows: measure them once
    def _cells(self) -> list[tuple[Text, ...]]:
        return [tuple(cell if isinstance(cell, Text) else Text(cell) for cell in row) for row in self.rows]

    @cached_property
    def _limits(self) -> tuple[list[int], list[int], list[int]]:
        """Per column: the minimum width, the width its cells need unwrapped, and that of its header."""
        rows = self._cells
        minimum, content, header = [], [], []
        for index, column in enumerate(self.columns):
            cells = [row[index].plain for row in rows]
            longest = max((_longest_line(cell) for cell in cells), default=0)
            if column.role == "text":
                least = 0
            elif column.wrap:
                least = max((_longest_word(cell) for cell in cells), default=0)
            else:
                least = longest
            minimum.append(max(least, column.min_width, _longest_word(column.header), 1))
            content.append(max(longest, minimum[-1]))
            header.append(max(_longest_line(column.header), content[-1]))
        return minimum, content, header

    def _widths(self, width: int) -> list[int]:
        """Column widths for a console ``width``: the minimums, raised evenly toward unwrapped cells, then headers."""
        minimum, content, header = self._limits
        budget = width - _chrome(len(minimum))
        widths = _fill(_fill(minimum, content, budget), header, budget)
        texts = [i for i, column in enumerate(self.columns) if column.role == "text"]
        spare = budget - sum(widths)
        for n, index in enumerate(texts):  # what is left goes to the prose, so it reads in long lines
            share = spare // (len(texts) - n)
            widths[index] += share
            spare -= share
        return widths

    def _table(self, width: int) -> Table:
        table = Table(title=self.title, caption=self.caption)
        for column, column_width in zip(self.columns, self._widths(width), strict=True):
            table.add_column(column.header, justify=column.justify, width=column_width, overflow="fold")
        group = self._group_index()
        for number, row in enumerate(self._cells):
            if number and group is not None and row[group].plain:
                table.add_section()
            table.add_row(*row)
        return table

    def _group_index(self) -> int | None:
        return next((i for i, column in enumerate(self.columns) if column.role == "group"), None)

    def _stacked(self, console: Console, width: int) -> Iterator[RenderableType]:
        yield Rule(Text.from_markup(self.title, style="bold"), style="dim")
        group = self._group_index()
        base = 0 if group is None else 2
        for number, row in enumerate(self._cells):
            if group is not None and row[group].plain:
                if number:
                    yield Text()
                yield _flat(row[group], style="bold")
            keys = [_flat(cell) for cell, column in zip(row, self.columns, strict=True)
                    if column.role == "key" and cell.plain]
            lines: list[tuple[Text, int]] = []
            if keys:
                lines.append((Text("  ", style="" if group is not None else "bold").join(keys), base))
            body = base + 2 if keys else base
            fields: list[Text] = []
            for cell, column in zip(row, self.columns, strict=True):
                if column.role == "field" and cell.plain:
                    fields.append(Text.assemble((column.header, "dim"), ": ", _flat(cell)))
                elif column.role == "text" and cell.plain:
                    lines.extend((line, body) for line in _pack(fields, width - body))
                    lines.extend((line, body) for line in cell.split("\n"))
                    fields = []
            lines.extend((line, body) for line in _pack(fields, width - body))
            for line, indent in lines:
                yield from _wrap(console, line, indent, width)
        if self.caption:
            yield Text.from_markup(self.caption, style="dim")


def _chrome(columns: int) -> int:
    """Cells a rich table adds around its columns: one space of padding each side and a border between."""
    return 3 * columns + 1


def _fill(floor: list[int], target: list[int], budget: int) -> list[int]:
    """Widths from ``floor`` toward ``target`` within ``budget``: the narrowest columns first, the rest evenly."""
    def at(level: int) -> list[int]:
        return [max(low, min(high, level)) for low, high in zip(floor, target, strict=True)]

    low, high = 0, max(target, default=0)
    while low < high:  # the highest water level that fits
        middle = (low + high + 1) // 2
        low, high = (middle, high) if sum(at(middle)) <= budget else (low, middle - 1)
    return at(low)


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def _longest_word(text: str) -> int:
    """The widest run that cannot break: a word of Latin letters or digits; Chinese breaks between characters."""
    longest = run = 0
    for char in text:
        width = cell_len(char)
        run = 0 if char.isspace() else run + width if width == 1 else 0
        longest = max(longest, run, width)
    return longest


def _flat(text: Text, *, style: str = "") -> Text:
    """A cell's lines joined by spaces (a heading like ``GD2026-004 / 已延误 Late`` on one line)."""
    joined = Text(" ").join(text.split("\n"))
    if style:
        joined.stylize(style)
    return joined


def _wrap(console: Console, text: Text, indent: int, width: int) -> Iterator[Text]:
    """``text`` wrapped to ``width`` with every line ``indent`` cells in, so a long message stays under its block."""
    for line in text.wrap(console, max(width - indent, 1), overflow="fold"):
        line.rstrip()
        yield Text(" " * indent) + line


def _pack(pieces: Iterable[Text], width: int) -> list[Text]:
    """Short ``label: value`` pieces joined by `` · `` into lines of at most ``width`` cells."""
    lines: list[Text] = []
    for piece in pieces:
        if lines and cell_len(lines[-1].plain) + 3 + cell_len(piece.plain) <= width:
            lines[-1].append(" · ", "dim")
            lines[-1].append_text(piece)
        else:
            lines.append(piece.copy())
    return lines


def bilingual(zh: str, en: str) -> Text:
    """A cell with the Chinese text on one line and the English, dimmed, on the next."""
    if not en or en == zh:
        return Text(zh)
    return Text.assemble(zh, "\n", (en, "dim")) if zh else Text(en, style="dim")


def severity_cell(severity: Severity, *, lines: bool = False) -> Text:
    """``错误 error`` in the severity's colour, on one line or (``lines``) two."""
    return Text(f"{severity.zh}{chr(10) if lines else ' '}{severity.value}", style=SEVERITY_STYLE[severity])


def read_summary_table(workbook: Workbook) -> FitTable:
    """One row per schema sheet: the sheet it was found as, header row, rows read, extra columns."""
    counts = workbook.counts()
    rows: list[list[Cell]] = []
    for spec in SHEETS:
        info = workbook.sheets.get(spec.key)
        if info is None:
            rows.append([f"{spec.zh} {spec.en}", Text("—", style="dim"), "", "", ""])
            continue
        count = "" if spec.key == "settings" else f"{counts.get(spec.key, 0):,}"
        extras = ", ".join(text.replace("\n", " ") for text in info.extra_columns.values())
        rows.append([f"{spec.zh} {spec.en}", info.name, str(info.header_row), count, extras])
    return FitTable("读取结果 What was read", [
        Column("表 Sheet", "key"), Column("工作表 Found as", "key"), Column("表头行 Header", justify="right"),
        Column("行数 Rows", justify="right"), Column("未识别的列 Columns not used", wrap=True),
    ], rows)


def findings_table(findings: Iterable[Finding], *, title: str = "发现的问题 Findings", limit: int | None = None) -> FitTable:
    """Findings, most severe first, with the cell address and both languages."""
    ordered = sorted(findings, key=lambda f: (f.severity.rank, f.sheet or "", f.row or 0, f.cell or ""))
    shown = ordered if limit is None else ordered[:limit]
    rows: list[list[Cell]] = [[severity_cell(f.severity), f.code, f.address, f.order_no or "", bilingual(f.message_zh, f.message_en)]
                              for f in shown]
    more = len(ordered) - len(shown)
    return FitTable(title, [
        Column("级别 Level", "key"), Column("代码 Code", "key"), Column("位置 Cell", "key"),
        Column("订单 Order", "key"), Column("说明 Message", "text", min_width=MESSAGE_WIDTH),
    ], rows, caption=f"… 另有 {more} 条 / {more} more" if more else None)


def note(label: str, *lines: Cell, style: str = "green") -> Table:
    """A labelled message: ``label`` on the left, ``lines`` one under another to its right, wrapped under themselves.

    For the lines a command prints around its tables (written to …, logged, the error that stopped it),
    so a long path or an English sentence never runs back under the label on a narrow terminal.
    """
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for index, line in enumerate(lines):
        grid.add_row(Text(label, style=style) if index == 0 else "", line if isinstance(line, Text) else Text(line))
    return grid


EXCEL_NEXT_STEP = note("下一步 Next:", "按 docs/excel.md 在 xlwings.conf 表填写 Python 路径并启用宏",
                       "set the Python path on the xlwings.conf sheet and enable macros (docs/excel.md)", style="")
"""What to do after writing a macro-enabled workbook (``init --excel``, ``excel-setup``)."""


def print_error(console: Console, zh: str, en: str) -> None:
    """A run-stopping error, in both languages, without a traceback."""
    console.print(note("错误 Error:", zh, *([Text(en, style="red")] if en != zh else []), style="bold red"))
