"""The ``gendan`` command line: run each command, then check the files and the exit codes 0/1/2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gendan_xl import read_workbook
from gendan_xl.cli import app
from tests.builders import (
    BILLION_LAUGHS,
    MakeXlsx,
    encrypted_xlsx,
    minimal_docx,
    minimal_sheets,
    old_xls,
    rewrite_members,
    zip_bomb,
)

runner = CliRunner()
TODAY = "2026-11-26"


def gendan(*args: str | Path) -> Any:
    """Run ``gendan ARGS`` in-process; returns click's Result (output, stderr, exit_code)."""
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def all_output(result: Any) -> str:
    """stdout and stderr with rich's line wrapping undone (words joined by single spaces)."""
    return " ".join((str(result.output) + " " + str(getattr(result, "stderr", "") or "")).split())


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    result = gendan("demo", folder, "--today", TODAY)
    assert result.exit_code == 0, all_output(result)
    return folder


def test_init_writes_a_workbook_that_reads_clean(tmp_path: Path) -> None:
    path = tmp_path / "new" / "跟单总表.xlsx"
    result = gendan("init", path)
    assert result.exit_code == 0, all_output(result)
    assert path.is_file()
    assert read_workbook(path).findings == []
    read = gendan("read", path, "--format", "json")
    assert read.exit_code == 0
    payload = json.loads(read.output)
    assert payload["findings"] == []
    assert payload["sheets"]["orders"]["name"] == "订单"


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"mine")
    result = gendan("init", path)
    assert result.exit_code == 2
    assert "already exists" in all_output(result)
    assert path.read_bytes() == b"mine"
    assert gendan("init", path, "--force").exit_code == 0
    assert path.read_bytes() != b"mine"


def test_init_wants_xlsx(tmp_path: Path) -> None:
    result = gendan("init", tmp_path / "book.xls")
    assert result.exit_code == 2
    assert ".xlsx" in all_output(result)


def test_demo_leaves_the_workbook_and_prints_a_summary(demo_dir: Path) -> None:
    path = demo_dir / "gendan_demo.xlsx"
    assert path.is_file()
    result = gendan("demo", demo_dir, "--today", TODAY)
    output = all_output(result)
    assert result.exit_code == 0
    assert "gendan_demo.xlsx" in output
    assert "订单 Orders" in output and "39" in output  # the summary table: 39 orders read
    for code in ("not-a-number", "invalid-date", "cell-error", "price-mismatch", "po-before-deposit"):
        assert code in output  # found while reading, or listed among the planted problems


def test_read_lists_the_planted_problems_with_addresses(demo_dir: Path) -> None:
    result = gendan("read", demo_dir / "gendan_demo.xlsx", "--format", "json")
    assert result.exit_code == 1  # the data has errors
    payload = json.loads(result.output)
    assert payload["counts"]["orders"] == 43  # 36 regular, 4 scenario orders, 3 that sail together
    found = {(f["code"], f["address"], f["order_no"]) for f in payload["findings"]}
    workbook = read_workbook(demo_dir / "gendan_demo.xlsx")
    late = next(o for o in workbook.orders if o.order_no == "GD2026-019")
    qty = next(line for line in workbook.lines if line.order_no == "GD2026-016" and line.qty is None)
    error = next(line for line in workbook.lines if line.order_no == "GD2026-022" and line.amount is None)
    assert found == {("invalid-date", f"订单!Q{late.row}", "GD2026-019"),
                     ("not-a-number", f"订单明细!F{qty.row}", "GD2026-016"),
                     ("cell-error", f"订单明细!I{error.row}", "GD2026-022")}
    for finding in payload["findings"]:
        assert finding["severity"] == "error"
        assert finding["message_zh"] and finding["message_en"]


def test_read_table_output(demo_dir: Path) -> None:
    result = gendan("read", demo_dir / "gendan_demo.xlsx")
    output = all_output(result)
    assert result.exit_code == 1
    assert "invalid-date" in output and "cell-error" in output and "not-a-number" in output
    assert "读取结果 What was read" in output


def test_read_clean_workbook_exits_zero(make_xlsx: MakeXlsx) -> None:
    result = gendan("read", make_xlsx(minimal_sheets()))
    assert result.exit_code == 0
    assert "No problems found" in all_output(result)


def test_read_warnings_only_exits_zero(make_xlsx: MakeXlsx) -> None:
    sheets = minimal_sheets(订单=[["订单号", "客户", "状态"], ["GD-001", "HANSA", "half done"]])
    result = gendan("read", make_xlsx(sheets), "--format", "json")
    assert result.exit_code == 0
    assert [f["code"] for f in json.loads(result.output)["findings"]] == ["unknown-status"]


def test_missing_columns_exit_two_and_name_the_aliases(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx({"订单": [["订单号", "客户"]], "订单明细": [["订单号", "备注"]]})
    result = gendan("read", path)
    output = all_output(result)
    assert result.exit_code == 2
    assert "Q'TY" in output and "Model No." in output and "3 problem(s)" in output
    assert "Traceback" not in output


BadFile = Callable[[Path, Path], Path]


def _random(good: Path, folder: Path) -> Path:
    path = folder / "random.xlsx"
    path.write_bytes(bytes(range(256)) * 16)
    return path


def _csv(good: Path, folder: Path) -> Path:
    path = folder / "orders.csv"
    path.write_text("订单号,客户\nGD-001,HANSA\n", encoding="utf-8")
    return path


def _truncated(good: Path, folder: Path) -> Path:
    path = folder / "cut.xlsx"
    path.write_bytes(good.read_bytes()[:2000])
    return path


def _directory(good: Path, folder: Path) -> Path:
    path = folder / "a-folder.xlsx"
    path.mkdir()
    return path


BAD_FILES: dict[str, BadFile] = {
    "not-found": lambda good, folder: folder / "missing.xlsx",
    "directory": _directory,
    "random-bytes": _random,
    "xls": lambda good, folder: old_xls(folder / "old.xls"),
    "csv": _csv,
    "docx-renamed": lambda good, folder: minimal_docx(folder / "contract.xlsx"),
    "encrypted": lambda good, folder: encrypted_xlsx(good, folder / "locked.xlsx"),
    "corrupt-zip": _truncated,
    "zip-bomb": lambda good, folder: zip_bomb(good, folder / "bomb.xlsx", inflated_mib=20),
    "xml-entities": lambda good, folder: rewrite_members(good, folder / "laughs.xlsx",
                                                         {"xl/worksheets/sheet1.xml": BILLION_LAUGHS}),
}
EXPECTED_WORDS = {
    "not-found": "not found", "directory": "not a file", "random-bytes": "not an Excel workbook", "xls": ".xls",
    "csv": "CSV", "docx-renamed": "Word", "encrypted": "password", "corrupt-zip": "damaged",
    "zip-bomb": "zip bomb", "xml-entities": "DTD",
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_files_exit_two_without_traceback(kind: str, make_xlsx: MakeXlsx, tmp_path: Path) -> None:
    path = BAD_FILES[kind](make_xlsx(minimal_sheets()), tmp_path)
    result = gendan("read", path)
    output = all_output(result)
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    assert "错误 Error" in output
    assert EXPECTED_WORDS[kind] in output


def test_debug_shows_the_traceback(make_xlsx: MakeXlsx, tmp_path: Path) -> None:
    path = encrypted_xlsx(make_xlsx(minimal_sheets()), tmp_path / "locked.xlsx")
    result = gendan("--debug", "read", path)
    assert result.exit_code == 2
    assert "Traceback" in all_output(result) and "EncryptedWorkbookError" in all_output(result)
    assert "Traceback" not in all_output(gendan("read", path))  # --debug does not stick


def test_bad_options_exit_two(demo_dir: Path, tmp_path: Path) -> None:
    assert gendan("read", demo_dir / "gendan_demo.xlsx", "--format", "xml").exit_code == 2
    result = gendan("demo", tmp_path, "--today", "26/11/2026")
    assert result.exit_code == 2
    assert "--today" in all_output(result)


def test_real_process_exit_codes_and_module_entry(tmp_path: Path) -> None:
    """The installed console script and ``python -m gendan_xl`` behave as in-process runs do."""
    env = {**os.environ, "COLUMNS": "200"}
    missing = subprocess.run([sys.executable, "-m", "gendan_xl", "read", str(tmp_path / "nope.xlsx")],
                             capture_output=True, text=True, env=env, check=False)
    assert missing.returncode == 2
    assert "Traceback" not in missing.stdout + missing.stderr
    assert "file not found" in missing.stderr
    helped = subprocess.run([sys.executable, "-m", "gendan_xl", "--help"], capture_output=True, text=True, env=env,
                            check=False)
    assert helped.returncode == 0
    for command in ("init", "demo", "read"):
        assert command in helped.stdout


def test_version_prints_the_one_version_and_exits_0() -> None:
    import gendan_xl

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output == f"gendan_xl {gendan_xl.__version__}\n"
    module = subprocess.run([sys.executable, "-m", "gendan_xl", "--version"], capture_output=True, text=True, check=False)
    assert module.returncode == 0 and module.stdout.strip() == f"gendan_xl {gendan_xl.__version__}"
