"""The CLI's tables: a rich table when the console fits its columns, stacked blocks below that width."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from gendan_xl.cli.render import Cell, Column, FitTable, bilingual, note

BOX = "┃"  # a rich table's heavy header border: present in the table layout only


def render(renderable: object, width: int) -> list[str]:
    """What a terminal ``width`` cells wide shows, one string per line, without colours."""
    console = Console(width=width, record=True, color_system=None, force_terminal=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get().rstrip("\n").split("\n")


def findings(messages: Sequence[tuple[str, str]]) -> FitTable:
    rows: list[list[Cell]] = [["错误 error", f"code-{n}", f"订单明细!F{n + 2}", bilingual(zh, en)]
                              for n, (zh, en) in enumerate(messages)]
    return FitTable("发现的问题 Findings", [Column("级别 Level", "key"), Column("代码 Code", "key"),
                                        Column("位置 Cell", "key"), Column("说明 Message", "text", min_width=40)], rows)


MESSAGES = [("订单明细!F2：数量：“about 500”不是数字", "订单明细!F2: Quantity: “about 500” is not a number"),
            ("订单!Q5：客户交期 2026-11-14 已过 12 天，订单仍未出运",
             "订单!Q5: the delivery date 2026-11-14 passed 12 days ago and the order has not shipped")]


def test_the_threshold_is_the_columns_minimums_in_terminal_cells() -> None:
    table = findings(MESSAGES)
    # "错误 error" and "订单明细!F3" are 10 and 11 cells (a Chinese character takes two), code-1 is 6, the prose 40
    assert (cell_len("错误 error"), cell_len("订单明细!F3")) == (10, 11)
    assert table.table_width() == 10 + 6 + 11 + 40 + 3 * 4 + 1
    wide = render(table, table.table_width())
    narrow = render(table, table.table_width() - 1)
    assert any(BOX in line for line in wide)
    assert not any(BOX in line for line in narrow)
    for lines, width in ((wide, table.table_width()), (narrow, table.table_width() - 1)):
        assert max(cell_len(line) for line in lines) <= width


def test_the_table_keeps_short_cells_whole_and_gives_the_rest_to_the_prose() -> None:
    lines = render(findings(MESSAGES), 140)
    assert len({cell_len(line) for line in lines if BOX in line or "│" in line}) == 1  # one table, 140 wide
    assert max(cell_len(line) for line in lines) == 140
    for zh, en in MESSAGES:
        assert any(zh in line for line in lines)  # each message on one line of its cell
        assert any(en in line for line in lines)
    assert any("错误 error" in line and "订单明细!F2" in line for line in lines)


def test_stacked_blocks_put_each_language_on_its_own_line() -> None:
    lines = [line.rstrip() for line in render(findings(MESSAGES[:1]), 60)]
    assert lines[0].startswith("─") and "发现的问题 Findings" in lines[0]
    assert lines[1:] == ["错误 error  code-0  订单明细!F2",
                         "  订单明细!F2：数量：“about 500”不是数字",
                         "  订单明细!F2: Quantity: “about 500” is not a number"]


def test_stacked_fields_are_labelled_and_packed_groups_head_their_rows() -> None:
    table = FitTable("出运 Plan", [Column("订单 Order", "group"), Column("代码 Code", "key"),
                                 Column("箱数 Ctns"), Column("柜型 Container"), Column("空 Empty"),
                                 Column("说明 Note", "text", min_width=40)],
                     [[Text("GD-1\n已延误 Late"), "a", "12", "1×40HQ", "", bilingual("甲", "first")],
                      ["", "b", "3", "LCL", "", ""], [Text("GD-2"), "c", "", "", "", ""]])
    lines = [line.rstrip() for line in render(table, 50)]
    assert lines[1:] == ["GD-1 已延误 Late", "  a", "    箱数 Ctns: 12 · 柜型 Container: 1×40HQ", "    甲", "    first",
                         "  b", "    箱数 Ctns: 3 · 柜型 Container: LCL", "", "GD-2", "  c"]


def test_a_long_line_wraps_under_its_block_not_under_the_margin() -> None:
    zh = "订单!L8：付款方式 O/A 30 days 为赊销/托收，货款有风险，建议投保出口信用保险" * 2
    en = "订单!L8: O/A 30 days ships before payment is secured; consider export credit insurance"
    lines = render(findings([(zh, en)]), 50)
    body = lines[2:]
    assert all(line.startswith("  ") for line in body)
    assert "".join(line.strip() for line in body).replace(" ", "") == (zh + en).replace(" ", "")


def test_cells_are_text_not_markup() -> None:
    lines = render(findings([("[bold]客户[/bold] [HANSA]", "[red]customer[/red]")]), 140)
    assert any("[bold]客户[/bold] [HANSA]" in line for line in lines)
    assert any("[red]customer[/red]" in line for line in lines)


def test_a_note_wraps_under_its_text() -> None:
    path = "/home/merchandiser/2026/订单/跟单总表-客户订单-最终版-第三稿.xlsx"
    lines = [line.rstrip() for line in render(note("已写回状态列 Statuses written to", path), 50)]
    label = "已写回状态列 Statuses written to "
    assert len(lines) > 1 and lines[0].startswith(label)
    assert all(line.startswith(" " * cell_len(label)) for line in lines[1:])
    assert "".join(line.strip() for line in [lines[0].removeprefix(label), *lines[1:]]) == path


words = st.text(st.sampled_from("订单明细客户交期abcXYZ-!0123456789"), min_size=1, max_size=14)
cells = st.lists(words, min_size=0, max_size=6).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(cells, cells, cells, cells, cells), max_size=6), width=st.integers(20, 180))
def test_no_line_is_wider_than_the_console(rows: list[tuple[str, str, str, str, str]], width: int) -> None:
    table = FitTable("表 Table", [Column("订单 Order", "group"), Column("代码 Code", "key"),
                                 Column("路线 Route", wrap=True), Column("箱数 Ctns"),
                                 Column("说明 Message", "text", min_width=30)],
                     [[Text(row[0]), row[1], row[2], row[3], bilingual(row[4], row[4].upper())] for row in rows])
    lines = render(table, width)
    assert max(cell_len(line) for line in lines) <= width
    if width < table.table_width():  # stacked: every value is there, whole or wrapped
        flat = "".join("".join(lines).split())
        for row in rows:
            for value in row:
                assert "".join(value.split()) in flat
