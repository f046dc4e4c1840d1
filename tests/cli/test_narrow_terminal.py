"""``read``, ``map``, ``check``, ``plan`` and ``docs`` on the demo workbook in an 80- and a 140-column terminal.

At 80 columns the tables stack into blocks: no line is wider than the terminal, every finding shows its
code with its address and both messages, and no message is broken one word per line. At 140 the
table layout is kept.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from gendan_xl.cli import app
from gendan_xl.cli.app import console, err_console
from gendan_xl.demo import write_demo_workbook
from gendan_xl.workbook.reader import read_workbook

TODAY = "2026-11-26"
BOX = "┃"  # a rich table's heavy header border: the table layout only
runner = CliRunner()


@pytest.fixture(autouse=True)
def terminal_width_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The consoles take their width from COLUMNS at each print, not from the test runner's own at import."""
    for each in (console, err_console):
        monkeypatch.setattr(each, "_width", None)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path, _ = write_demo_workbook(tmp_path_factory.mktemp("narrow"), today=date.fromisoformat(TODAY))
    return path


def gendan(columns: int, *args: str | Path) -> tuple[int, list[str]]:
    """Run ``gendan ARGS`` in a terminal ``columns`` wide; the exit code and the output lines (stdout, stderr)."""
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns)}, catch_exceptions=False)
    return result.exit_code, (result.output + (result.stderr or "")).splitlines()


def assert_fits(lines: list[str], columns: int) -> None:
    widest = max(lines, key=cell_len)
    assert cell_len(widest) <= columns, widest


def compact(text: str) -> str:
    return "".join(text.split())


def block_of(lines: list[str], text: str) -> list[str]:
    """The consecutive lines that hold ``text`` (wrapped or whole), found by its first line."""
    wanted = compact(text)
    for start, line in enumerate(lines):
        head = compact(line)
        if head and wanted.startswith(head):
            taken, joined = [], ""
            for following in lines[start:]:
                joined += compact(following)
                taken.append(following)
                if not wanted.startswith(joined) or joined == wanted:
                    break
            if joined == wanted:
                return taken
    raise AssertionError(f"not found whole on consecutive lines: {text}")


def assert_reads_as_prose(lines: list[str], text: str) -> None:
    """``text`` is on its own line(s), at least 30 cells a line: never one word per line."""
    block = block_of(lines, text)
    assert len(block) <= cell_len(text) // 30 + 1, block


def findings_of(*args: str | Path) -> list[dict[str, Any]]:
    result = runner.invoke(app, [str(a) for a in (*args, "--format", "json")], catch_exceptions=False)
    payload = json.loads(result.output)
    return list(payload["findings"])


def test_read_at_80_columns(demo: Path) -> None:
    code, lines = gendan(80, "read", demo)
    assert code == 1
    assert_fits(lines, 80)
    findings = findings_of("read", demo)
    assert findings
    for finding in findings:
        assert any(finding["code"] in line and finding["address"] in line for line in lines), finding["code"]
        assert_reads_as_prose(lines, finding["message_zh"])
        assert_reads_as_prose(lines, finding["message_en"])
    lines_read = str(read_workbook(demo).counts()["lines"])
    assert any("订单明细 Order Lines" in line and lines_read in line for line in lines)  # the summary is still a table


def test_check_at_80_columns(demo: Path) -> None:
    code, lines = gendan(80, "check", demo, "--today", TODAY)
    assert code == 1
    assert_fits(lines, 80)
    findings = findings_of("check", demo, "--today", TODAY)
    assert len(findings) > 10
    for finding in findings:
        assert any(finding["code"] in line and finding["address"] in line for line in lines), finding["code"]
        assert_reads_as_prose(lines, finding["message_zh"])
        assert_reads_as_prose(lines, finding["message_en"])
    # each order with findings heads its block, with its delivery state
    assert "GD2026-004 已延误 Late" in [line.strip() for line in lines]
    # the next actions: one block per order, each language of the action on a line of its own
    stripped = [line.strip() for line in lines]
    start = stripped.index("GD2026-036  正常 On time")
    assert stripped[start + 2: start + 4] == ["与工厂确认交期", "confirm the delivery date with the factory"]
    assert not any(BOX in line for line in lines)


def test_plan_at_80_columns(demo: Path) -> None:
    code, lines = gendan(80, "plan", demo, "--today", TODAY, "--within", "60")
    assert code == 0
    assert_fits(lines, 80)
    # a group's key line (its number, customer and route), then its labelled fields
    key = next(line for line in lines if line.split("  ", 1)[0].isdigit() and line.endswith("  MAPLE  Ningbo → Vancouver"))
    block = lines[lines.index(key):][:4]
    assert any("订单 Orders: GD2026-036, GD2026-020" in line for line in block)
    assert any("柜型 Containers: 1×40HQ + 1×40GP" in line for line in block)


def test_docs_at_80_columns(demo: Path, tmp_path: Path) -> None:
    book = shutil.copyfile(demo, tmp_path / "book.xlsx")
    code, lines = gendan(80, "docs", book, "--order", "GD2026-004", "--kind", "ci,pl", "--out", tmp_path / "out",
                         "--today", TODAY)
    assert code == 0
    assert_fits(lines, 80)
    assert any("GD2026-004_commercial-invoice.docx" in line for line in lines)
    refused, lines = gendan(80, "docs", book, "--order", "GD2026-011", "--out", tmp_path / "out", "--today", TODAY)
    assert refused == 2
    assert_fits(lines, 80)
    assert any("未生成任何文件" in line for line in lines)
    assert "fix the workbook and run again, or use --force" in [line.strip() for line in lines]


def test_map_at_80_columns(tmp_path: Path) -> None:
    from gendan_xl.demo import write_flat_demo_workbook

    flat, _ = write_flat_demo_workbook(tmp_path, today=date.fromisoformat(TODAY))
    code, lines = gendan(80, "map", flat)
    assert code == 0
    assert_fits(lines, 80)
    payload = json.loads(runner.invoke(app, ["map", str(flat), "--format", "json"], catch_exceptions=False).output)
    stripped = [line.strip() for line in lines]
    found = [f for table in payload["tables"] for f in table["fields"] if f["column"]]
    assert len(found) > 20
    for field in found:  # each field's block starts with its names and the column letter
        assert any(line.startswith(field["field_zh"]) and line.endswith(f" {field['column']}") for line in stripped), \
            field
    assert any(line.startswith("─") and "订单及明细" in line for line in lines)  # the fields stack into blocks
    _, wide = gendan(140, "map", flat)
    assert any(BOX in line for line in wide)


@pytest.mark.parametrize("command", ["read", "check", "plan", "docs"])
def test_140_columns_keep_the_tables(command: str, demo: Path, tmp_path: Path) -> None:
    args: dict[str, list[str | Path]] = {
        "read": ["read", demo], "check": ["check", demo, "--today", TODAY],
        "plan": ["plan", demo, "--today", TODAY, "--within", "60"],
        "docs": ["docs", shutil.copyfile(demo, tmp_path / "book.xlsx"), "--order", "GD2026-004", "--kind", "ci",
                 "--out", tmp_path / "out", "--no-log", "--today", TODAY],
    }
    _, lines = gendan(140, *args[command])
    assert_fits(lines, 140)
    if command != "docs":  # (its table needs less than 80 columns)
        assert max(cell_len(line) for line in lines) > 80  # the terminal's width was taken
    assert any(BOX in line for line in lines)
    assert not any(line.startswith("───") for line in lines)  # no stacked block's title rule
    if command == "check":
        assert any("GD2026-004" in line and "booking-overdue" in line and "订单!W5" in line for line in lines)
    if command == "plan":
        assert any("MAPLE" in line and "2026-11-14" in line and "94.65" in line for line in lines)
