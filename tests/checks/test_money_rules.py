"""Rule table for money: bank charges, the deposit gate, payment terms with instalments, the margin.

Each case is named after the rule it shows and, where the rule was wrong before, holds the case
that was reported wrongly (a remittance short by bank charges, credit terms with the B/L released
before payment, ``30 days after arrival``, several instalments, a deposit before an L/C).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gendan_xl.checks import run_checks
from gendan_xl.checks.rebates import lookup_rebate_rate
from gendan_xl.findings import Severity
from gendan_xl.workbook.reader import read_workbook
from tests.checks.casekit import Case, add_row, case, chain, history, no_deposit_terms, run_case, upd
from tests.checks.clean import TODAY, Rows, clean_rows, line, order, setting, shipped, write_rows


def balance(amount: str, **fields: Any) -> Callable[[Rows], None]:
    """Ship T-001 and receive its balance (1,750.00 due) as ``amount``, the B/L released the day after."""
    def change(rows: Rows) -> None:
        shipped(rows, bl_released=date(2026, 11, 17))
        rows["payments"][-1].update(amount=Decimal(amount), **fields)

    return change


def pay(day: date, amount: str) -> Callable[[Rows], None]:
    return add_row("payments", order_no="T-001", date=day, amount=Decimal(amount), currency="USD")


def ship_unpaid(**fields: Any) -> Callable[[Rows], None]:
    return lambda rows: shipped(rows, paid=False, **fields)


def move_bl(day: date) -> Callable[[Rows], None]:
    return lambda rows: rows["shipments"][0].update(bl_date=day, etd=day)


def deposit_in_parts(rows: Rows) -> None:
    rows["payments"][0].update(amount=Decimal("300.00"))
    rows["payments"].append({"order_no": "T-001", "date": date(2026, 10, 9), "amount": Decimal("450.00"),
                             "currency": "USD"})


LC_DATES = {"lc_date": date(2026, 10, 6), "lc_latest_shipment": date(2026, 12, 28), "lc_expiry": date(2027, 1, 18)}

MONEY_CASES = [
    # bank charges: a T/T arrives short by what the banks deduct
    case("remittance short by bank charges is paid", balance("1725.00"), "bank-charges-deducted",
         addresses={"bank-charges-deducted": "收款!C3"}),
    case("remittance short beyond the bank-charge tolerance", balance("1600.00"), "balance-overdue",
         "bl-released-before-payment"),
    case("bank charges recorded on the payment are paid", balance("1600.00", bank_charges=Decimal("150.00"))),
    case("bank-charge tolerance set to zero", chain(balance("1725.00"),
                                                   lambda rows: setting(rows, "银行费用容差 USD", 0)),
         "balance-overdue", "bl-released-before-payment"),
    case("deposit short by bank charges opens the gate", lambda rows: rows["payments"][0].update(
        amount=Decimal("720.00"))),
    case("deposit column short by bank charges", upd(order, deposit_amount=Decimal("720.00"))),
    case("deposit gate needs the deposit, not any first payment", deposit_in_parts, "po-before-deposit"),
    # payment terms: credit terms release the B/L before payment by design
    case("T/T 60 days after B/L released before payment",
         chain(no_deposit_terms("T/T 60 days after B/L"), ship_unpaid(bl_released=date(2026, 11, 12))),
         "credit-terms"),
    case("T/T 60 days after B/L unpaid at 60 days",
         chain(no_deposit_terms("T/T 60 days after B/L"), ship_unpaid(), move_bl(date(2026, 9, 1))),
         "balance-overdue", "credit-terms"),
    case("deposit then 60 days after B/L released after the deposit",
         chain(upd(order, payment_terms="30% deposit, 70% 60 days after B/L"),
               ship_unpaid(bl_released=date(2026, 11, 12))), "credit-terms"),
    case("deposit then 60 days after B/L released before the deposit",
         chain(upd(order, payment_terms="30% deposit, 70% 60 days after B/L", po_issued=None, po_signed=None),
               lambda rows: rows["payments"][0].update(date=date(2026, 11, 20)),
               ship_unpaid(bl_released=date(2026, 11, 12))), "bl-released-before-payment", "credit-terms"),
    case("30 days after arrival not yet due", chain(no_deposit_terms("T/T 30 days after arrival"),
                                                   ship_unpaid(eta=date(2026, 11, 15))), "credit-terms"),
    case("30 days after arrival overdue", chain(no_deposit_terms("T/T 30 days after arrival"),
                                               ship_unpaid(eta=date(2026, 10, 10))), "balance-overdue", "credit-terms"),
    case("cash against documents unpaid", chain(no_deposit_terms("CAD"),
                                               ship_unpaid(documents_presented=date(2026, 11, 12))),
         "balance-overdue", "credit-terms"),
    case("cash against documents paid", chain(no_deposit_terms("Cash against documents"),
                                             ship_unpaid(documents_presented=date(2026, 11, 12)),
                                             pay(date(2026, 11, 18), "2500.00")), "credit-terms"),
    case("70% before shipment, 30% against B/L copy",
         chain(no_deposit_terms("70% before shipment, 30% against B/L copy"), pay(date(2026, 11, 5), "1750.00"),
               ship_unpaid(bl_released=date(2026, 11, 17)), pay(date(2026, 11, 16), "750.00"))),
    case("70% before shipment unpaid at sailing",
         chain(no_deposit_terms("70% before shipment, 30% against B/L copy"), ship_unpaid()), "balance-overdue"),
    case("deposit then L/C: the L/C is missing",
         upd(order, payment_terms="30% deposit, 70% L/C at sight"), "lc-not-received"),
    case("deposit then L/C: the deposit is missing",
         chain(no_deposit_terms("30% deposit, 70% L/C at sight"), upd(order, **LC_DATES)), "po-before-deposit"),
    case("deposit then L/C in order", upd(order, payment_terms="30% deposit, 70% L/C at sight", **LC_DATES)),
    # margin: no blanket 13 % rebate
    case("margin without a rebate rate", chain(upd(line, purchase_price=Decimal("17.00")),
                                              history(purchase_price=Decimal("17.00"))), "margin-low"),
    case("retired rebate setting", lambda rows: setting(rows, "默认退税率", "13%"), "setting-retired"),
    case("retired inspection validity setting", lambda rows: setting(rows, "商检有效期(月)", 3), "setting-retired"),
]


@pytest.mark.parametrize("spec", MONEY_CASES, ids=[c.name for c in MONEY_CASES])
def test_money_rule(spec: Case, tmp_path: Path) -> None:
    run_case(spec, tmp_path)


def _check(rows: Rows, tmp_path: Path) -> Any:
    return run_checks(read_workbook(write_rows(rows, tmp_path / "book.xlsx")), today=TODAY)


def test_bank_charges_deducted_reports_the_amount(tmp_path: Path) -> None:
    rows = clean_rows()
    balance("1725.00")(rows)
    (found,) = [f for f in _check(rows, tmp_path).findings if f.code == "bank-charges-deducted"]
    assert found.severity is Severity.INFO
    assert found.data["short"] == Decimal("25.00")
    assert found.data["tolerance"] == Decimal(50)


def test_bank_charge_tolerance_is_per_remittance(tmp_path: Path) -> None:
    # two remittances, each short by 40: 80 in all is still within 2 × 50
    rows = clean_rows()
    rows["payments"][0].update(amount=Decimal("710.00"))
    balance("1710.00")(rows)
    codes = {f.code for f in _check(rows, tmp_path).findings}
    assert codes == {"bank-charges-deducted"}


def test_unknown_terms_list_the_accepted_forms(tmp_path: Path) -> None:
    rows = clean_rows()
    order(rows)["payment_terms"] = "as usual"
    (found,) = [f for f in _check(rows, tmp_path).findings if f.code == "payment-terms-unknown"]
    choices = str(found.data["choices"])
    for form in ("T/T 60 days after B/L", "30 days after arrival", "CAD", "30% deposit, 70% L/C at sight"):
        assert form in choices


def test_margin_without_rebate_says_so(tmp_path: Path) -> None:
    rows = clean_rows()
    line(rows)["purchase_price"] = Decimal("17.00")
    rows["price_history"][0]["purchase_price"] = Decimal("17.00")
    (found,) = [f for f in _check(rows, tmp_path).findings if f.code == "margin-low"]
    assert found.data["rebate_rate"] is None
    assert found.data["cost_cny"] == Decimal("17.00")  # the full purchase price, no 13 % taken off
    assert "without export rebate" in found.message_en and "HS 8215990000" in found.message_en


@pytest.mark.parametrize(("hs_code", "rate"), [
    ("8215990000", Decimal("0.13")),  # the 10-digit code itself
    ("8215200000", Decimal("0.09")),  # its heading 8215
    ("7606123000", Decimal(0)),  # aluminium: no rebate since 2024-12-01, still a rate
    ("9403609990", None),
    (None, None),
])
def test_rebate_rate_takes_the_longest_prefix(hs_code: str | None, rate: Decimal | None) -> None:
    table = {"8215990000": Decimal("0.13"), "8215": Decimal("0.09"), "7606": Decimal(0)}
    assert lookup_rebate_rate(table, hs_code) == rate
