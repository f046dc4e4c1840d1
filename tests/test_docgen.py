"""Generated docs: the committed pages equal a fresh render, and each page says what it must."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gendan_xl.config import SETTING_SPECS
from gendan_xl.docgen import (
    PAGES,
    TYPE_NOTES,
    check_pages,
    render_checks,
    render_settings,
    render_workbook,
    write_pages,
)
from gendan_xl.findings import RULES, Rule, Severity
from gendan_xl.workbook.schema import SHEETS, ColumnType

ROOT = Path(__file__).resolve().parents[1]


def test_committed_pages_are_current() -> None:
    """Rendered in a fresh interpreter, so the registry holds exactly what the documented modules define."""
    done = subprocess.run([sys.executable, "-m", "gendan_xl.docgen", "--check", "--docs", str(ROOT / "docs")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workbook_page_names_every_sheet_column_alias_and_choice() -> None:
    page = render_workbook()
    for spec in SHEETS:
        assert f"## {spec.zh} {spec.en}" in page
        for alias in spec.aliases:
            assert f"`{alias}`" in page
        for column in spec.columns:
            assert f"| {column.zh} | {column.en} | {column.type.value} |" in page
            for alias in column.aliases:
                assert f"`{alias.replace('|', chr(92) + '|')}`" in page, alias
            for choice in column.choices:
                assert f"`{choice}`" in page
        for status in spec.status_columns:
            assert f"| {status.zh} | {status.en} |" in page
    assert set(TYPE_NOTES) == set(ColumnType)
    assert "| 订单 | Orders | yes |" in page and "| 价格记录 | Price History |  |" in page


def test_settings_page_lists_every_key_with_its_default() -> None:
    page = render_settings()
    for spec in SETTING_SPECS:
        assert f"| {spec.zh} | {spec.en} | `{spec.field}` | {spec.kind} |" in page
    assert "| 预警天数 | Warning Window (working days) | `warning_days` | days | 3 |" in page
    assert "| 价格容差% | Price Tolerance % | `price_tolerance_pct` | percent | 0.5 % |" in page


def test_checks_page_lists_every_reader_code() -> None:
    page = render_checks()
    for code, rule in RULES.items():
        if rule.family == "read":
            assert f"### {code}" in page
            assert f"severity `{rule.severity.value}`" in page
            assert rule.rule_text in page
            assert rule.example in page


def test_checks_page_layout() -> None:
    rules = {
        "b-code": Rule("b-code", Severity.WARNING, "zeta", "乙", "Bee", "{x}", "{x}", "Rule B.", "ex B"),
        "a-code": Rule("a-code", Severity.ERROR, "alpha", "甲", "Ay", "{x}", "{x}", "Rule A.", "",
                       action=("催工厂", "Chase the factory")),
    }
    page = render_checks(rules)
    assert page.index("## Family `alpha`") < page.index("## Family `zeta`")
    assert "| [`a-code`](#a-code) | alpha | error | 甲 Ay |" in page
    assert "Example: ex B" in page and "Next step: 催工厂 / Chase the factory" in page
    assert "Example: \n" not in page


def test_write_and_check_pages(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    assert sorted(check_pages(docs)) == sorted(PAGES)
    written = write_pages(docs)
    assert sorted(p.name for p in written) == sorted(PAGES)
    assert check_pages(docs) == []
    (docs / "workbook.md").write_text("edited by hand", encoding="utf-8")
    assert check_pages(docs) == ["workbook.md"]
    stale = subprocess.run([sys.executable, "-m", "gendan_xl.docgen", "--check", "--docs", str(docs)],
                           capture_output=True, text=True, check=False)
    assert stale.returncode == 1 and "workbook.md" in stale.stdout
