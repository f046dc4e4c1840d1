"""The master workbook template: reproducible, committed up to date, and what a merchandiser needs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from gendan_xl.config import SETTING_SPECS
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.schema import SHEETS, sheet_spec
from gendan_xl.workbook.template import VALIDATION_ROWS, build_template

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "workbook_templates" / "master_template.xlsx"


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("template") / "master.xlsx")


@pytest.fixture(scope="module")
def opened(template: Path) -> Iterator[openpyxl.Workbook]:
    book = openpyxl.load_workbook(template)  # only to look at the layout; never used to save
    yield book
    book.close()


def test_build_is_reproducible(template: Path, tmp_path: Path) -> None:
    again = build_template(tmp_path / "again.xlsx")
    assert again.read_bytes() == template.read_bytes()


def test_committed_template_is_current(template: Path) -> None:
    assert COMMITTED.exists(), "run python workbook_templates/build_templates.py"
    # Member contents first, so a difference names the part; then the exact bytes (zip metadata too).
    assert members(COMMITTED) == members(template), "run python workbook_templates/build_templates.py"
    assert COMMITTED.read_bytes() == template.read_bytes()


def test_build_script_check_mode() -> None:
    script = ROOT / "workbook_templates" / "build_templates.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_template_reads_clean(template: Path) -> None:
    workbook = read_workbook(template)
    assert workbook.findings == []
    assert set(workbook.sheets) == {spec.key for spec in SHEETS}
    assert sum(workbook.counts().values()) == 0
    assert workbook.settings.warning_days == 3


def test_sheets_headers_and_frozen_panes(opened: openpyxl.Workbook) -> None:
    assert opened.sheetnames == [spec.zh for spec in SHEETS]
    for spec in SHEETS:
        sheet = opened[spec.zh]
        assert [cell.value for cell in sheet[1]] == [f"{c.zh}\n{c.en}" for c in spec.columns]
        assert sheet.freeze_panes in ("B2", "A2")
        assert sheet["A1"].font.b


def test_number_formats_and_widths(opened: openpyxl.Workbook) -> None:
    lines = opened["订单明细"]
    letters = {c.field: openpyxl.utils.get_column_letter(i + 1) for i, c in enumerate(sheet_spec("lines").columns)}
    assert lines.column_dimensions[letters["description"]].width > lines.column_dimensions[letters["qty"]].width
    orders = opened["订单"]
    order_letters = {c.field: openpyxl.utils.get_column_letter(i + 1)
                     for i, c in enumerate(sheet_spec("orders").columns)}
    styles = {dim: orders.column_dimensions[order_letters[dim]] for dim in ("order_date", "deposit_pct", "order_no")}
    assert all(d.width for d in styles.values())


def drop_downs(sheet: object) -> dict[str, str]:
    """First column letter of each list validation → its source."""
    found = {}
    for validation in sheet.data_validations.dataValidation:  # type: ignore[attr-defined]
        if validation.type == "list":
            found[str(validation.sqref).split(":")[0].rstrip("0123456789")] = validation.formula1
    return found


def test_drop_downs(opened: openpyxl.Workbook) -> None:
    orders = drop_downs(opened["订单"])
    spec = sheet_spec("orders")
    letter = {c.field: openpyxl.utils.get_column_letter(i + 1) for i, c in enumerate(spec.columns)}
    assert orders[letter["currency"]].startswith('"USD,EUR,CNY')
    assert "FOB" in orders[letter["incoterm"]] and "DPU" in orders[letter["incoterm"]]
    assert "生产中 In production" in orders[letter["status"]]
    assert orders[letter["customer"]] == "'客户'!$A$2:$A$5000"
    terms = orders[letter["payment_terms"]].strip('"').split(",")
    # Excel splits at commas: every choice must stay one entry of the list.
    assert len(terms) == len(spec.column("payment_terms").choices)
    assert "T/T 30% deposit; balance before shipment" in terms
    assert "PCS" in drop_downs(opened["订单明细"])["G"]


def test_input_messages_on_key_columns(opened: openpyxl.Workbook) -> None:
    prompts = {str(v.sqref): v.prompt for v in opened["订单"].data_validations.dataValidation if v.prompt}
    assert prompts[f"A2:A{VALIDATION_ROWS + 1}"].startswith("每个订单一行")
    assert any("Latest shipment date" in p for p in prompts.values())


def test_settings_sheet_lists_every_setting(opened: openpyxl.Workbook) -> None:
    keys = [row[0] for row in opened["设置"].iter_rows(min_row=2, values_only=True)]
    single = [spec.zh for spec in SETTING_SPECS if not isinstance(spec.default, dict)]
    assert keys[:len(single)] == single or set(single) <= set(keys)
    assert "预警天数" in keys and "汇率 USD" in keys  # keyed settings are shown by one example row
