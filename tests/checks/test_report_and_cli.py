"""The report's DataFrame and JSON, and ``gendan check`` on the command line."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from gendan_xl.checks import run_checks
from gendan_xl.cli import app
from gendan_xl.workbook.reader import read_workbook
from tests.checks.clean import TODAY, clean_rows, order, set_price, write_rows

runner = CliRunner()


def spoiled(tmp_path: Path) -> Path:
    rows = clean_rows()
    set_price(rows, "2.80")
    order(rows)["order_total"] = Decimal("1.00")
    return write_rows(rows, tmp_path / "book.xlsx")


def test_frame_and_json(tmp_path: Path) -> None:
    report = run_checks(read_workbook(spoiled(tmp_path)), today=TODAY)
    frame = report.to_frame()
    assert set(frame["code"]) == {"price-mismatch", "order-total-mismatch"}
    assert list(frame["severity"]) == ["error", "error"]
    price = frame[frame["code"] == "price-mismatch"].iloc[0]
    assert price["address"] == "订单明细!H2" and price["family"] == "prices"
    assert price["data"]["reference"] == "2.5" and price["data"]["contract_no"] == "SC-OLD"
    payload = json.loads(report.to_json())
    assert payload["summary"] == {"error": 2, "warning": 0, "info": 0}
    assert payload["orders"][0]["order_no"] == "T-001"
    assert payload["orders"][0]["next_action"].startswith("与业务员确认单价")
    orders = report.orders_frame()
    assert orders.loc[0, "price_check"].startswith("单价与上次确认价不符")


def test_cli_check_exit_codes_and_json(tmp_path: Path) -> None:
    clean = write_rows(clean_rows(), tmp_path / "clean.xlsx")
    ok = runner.invoke(app, ["check", str(clean), "--today", "2026-11-26"])
    assert ok.exit_code == 0, ok.output
    assert "T-001" in ok.output
    bad = runner.invoke(app, ["check", str(spoiled(tmp_path)), "--today", "2026-11-26", "--format", "json",
                              "--output", str(tmp_path / "report.json")])
    assert bad.exit_code == 1
    written = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert {f["code"] for f in written["findings"]} == {"price-mismatch", "order-total-mismatch"}
    only = runner.invoke(app, ["check", str(spoiled(tmp_path)), "--today", "2026-11-26", "--format", "json",
                               "--only", "order-total-mismatch"])
    assert [f["code"] for f in json.loads(only.stdout)["findings"]] == ["order-total-mismatch"]


def test_cli_check_cannot_run(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["check", str(tmp_path / "nope.xlsx")])
    assert missing.exit_code == 2
    assert "Traceback" not in missing.output
    bad_date = runner.invoke(app, ["check", str(spoiled(tmp_path)), "--today", "26/11/2026"])
    assert bad_date.exit_code == 2
    assert "--today" in bad_date.output


def test_batch_run_over_several_workbooks(tmp_path: Path) -> None:
    good = write_rows(clean_rows(), tmp_path / "a.xlsx")
    bad = spoiled(tmp_path)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    both = runner.invoke(app, ["check", str(good), str(bad), "--today", "2026-11-26", "--format", "json"])
    assert both.exit_code == 1
    assert [len(w["findings"]) for w in json.loads(both.stdout)["workbooks"]] == [0, 2]
    with_broken = runner.invoke(app, ["check", str(good), str(broken), str(bad), "--today", "2026-11-26", "--write"])
    assert with_broken.exit_code == 2
    assert "broken.xlsx" in with_broken.output and "Traceback" not in with_broken.output
    assert read_workbook(bad).sheets["orders"].status_columns  # the others were still checked and written
