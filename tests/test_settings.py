"""Settings added or retired by the rules review: bank-charge tolerance per currency, record validity in days."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from gendan_xl.config import Settings, build_settings, find_setting, parse_setting_value, retired_setting
from gendan_xl.values import ValueProblem
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.template import default_settings_rows
from tests.checks.clean import clean_rows, setting, write_rows


@pytest.mark.parametrize("key", ["银行费用容差 USD", "Bank Charge Tolerance usd", "bank charges USD", "银行费用容差USD"])
def test_bank_charge_keys_name_a_currency(key: str) -> None:
    found = find_setting(key)
    assert found is not None
    spec, currency = found
    assert spec.field == "bank_charges" and currency == "USD"


def test_bank_charges_add_to_the_defaults() -> None:
    settings = build_settings([("bank_charges", ("HKD", Decimal(300))), ("bank_charges", ("USD", Decimal(30)))])
    assert settings.bank_charges == {"USD": Decimal(30), "EUR": Decimal(50), "GBP": Decimal(40), "HKD": Decimal(300)}
    assert Settings().bank_charges["USD"] == Decimal(50)


def test_a_zero_tolerance_is_allowed_a_negative_one_is_not() -> None:
    spec, _ = find_setting("银行费用容差 USD") or (None, None)
    assert spec is not None
    assert parse_setting_value(spec, 0) == 0
    with pytest.raises(ValueProblem):
        parse_setting_value(spec, -5)


def test_template_lists_the_default_tolerances_and_new_days() -> None:
    rows = {row["key"]: row["value"] for row in default_settings_rows()}
    assert rows["银行费用容差 USD"] == 50 and rows["银行费用容差 GBP"] == 40
    assert rows["商检有效期(天)"] == 60 and rows["交单期(天)"] == 21
    assert "商检最早提前天数" not in rows and "默认退税率" not in rows and "商检有效期(月)" not in rows


@pytest.mark.parametrize("key", ["默认退税率", "Default Rebate Rate", "商检有效期(月)", "商检最早提前天数"])
def test_retired_keys_say_what_replaced_them(key: str) -> None:
    assert find_setting(key) is None
    reason = retired_setting(key)
    assert reason is not None and reason[0] and reason[1]


def test_settings_sheet_reads_the_tolerance_and_notes_a_retired_key(tmp_path: Path) -> None:
    rows = clean_rows()
    setting(rows, "银行费用容差 USD", 25)
    setting(rows, "商检最早提前天数", 14)
    workbook = read_workbook(write_rows(rows, tmp_path / "book.xlsx"))
    assert workbook.settings.bank_charges["USD"] == Decimal(25)
    assert [f.code for f in workbook.findings] == ["setting-retired"]
