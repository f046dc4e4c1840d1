"""Rule table for certificates of origin and inspection records (电子底账).

Named after the rule; where a rule was wrong before, the case holds what was reported wrongly:
Form A to Japan passed, Form A to the US passed, a C/O deadline fired with no certificate
planned, a record was "used twice" for two partial shipments within its amount, a record was
valid three months instead of its own date or 60 days.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gendan_xl.checks import run_checks
from gendan_xl.checks.compliance import certificate_table, destination
from gendan_xl.findings import RULES, Severity
from gendan_xl.vocab import CERTIFICATE_CHOICES, normalize_certificate
from gendan_xl.workbook.reader import read_workbook
from gendan_xl.workbook.schema import sheet_spec
from tests.checks.casekit import Case, add_row, case, chain, confirmed, deliver, run_case, upd
from tests.checks.clean import TODAY, Rows, booked, clean_rows, setting, shipped, write_rows


def to(country: str, co_type: str | None) -> Callable[[Rows], None]:
    """Send T-001 to ``country`` with ``co_type`` planned on a booked shipment row."""
    def change(rows: Rows) -> None:
        rows["orders"][0]["destination_country"] = country
        booked(rows, co_type=co_type)

    return change


def customer_default(co_type: str) -> Callable[[Rows], None]:
    return lambda rows: rows["customers"][0].update(co_type=co_type)


def record(**fields: Any) -> Callable[[Rows], None]:
    """Ship T-001 (B/L 2026-11-10) on inspection record 310200001 of 2026-10-01 with ``fields``."""
    def change(rows: Rows) -> None:
        values = {"inspection_no": "310200001", "inspection_date": date(2026, 10, 1), **fields}
        shipment = shipped(rows, **{k: v for k, v in values.items() if k != "invoice_amount"})
        shipment.update({k: v for k, v in values.items() if k == "invoice_amount"})

    return change


def partial(shipment_no: str, amount: str, **fields: Any) -> Callable[[Rows], None]:
    """A second shipment row of T-001 on the same record."""
    return add_row("shipments", shipment_no=shipment_no, order_no="T-001", bl_no="BL-2", bl_date=date(2026, 11, 20),
                   etd=date(2026, 11, 20), invoice_amount=Decimal(amount), inspection_no="310200001",
                   inspection_date=date(2026, 10, 1), **fields)


CERTIFICATE_CASES = [
    # Form A only where the destination still grants GSP to China
    case("Form A to Japan", to("日本", "Form A"), "form-a-not-accepted", addresses={"form-a-not-accepted": "出运!AA2"}),
    case("Form A to the United States", to("US", "Form A"), "form-a-not-accepted"),
    case("Form A to Russia", to("Russia", "GSP Form A"), "form-a-not-accepted"),
    case("Form A to Switzerland", to("CH", "Form A"), "form-a-not-accepted"),
    case("Form A to Norway", to("Norway", "Form A")),
    case("Form A to Germany applied before 2021-12-01", lambda rows: booked(rows, co_type="Form A",
                                                                          co_applied=date(2021, 11, 20))),
    # a certificate must belong to an agreement the destination is party to
    case("Form E to Korea", to("Korea", "Form E"), "certificate-not-for-destination"),
    case("Form B to India", to("India", "Form B")),
    case("Form B to Germany", to("DE", "APTA"), "certificate-not-for-destination"),
    case("China-Switzerland FTA to Liechtenstein", to("Liechtenstein", "China-Switzerland FTA")),
    case("China-Maldives FTA to the Maldives", to("Maldives", "China-Maldives FTA")),
    case("plain C/O to the Maldives", to("马尔代夫", "C/O"), "fta-certificate-suggested"),
    case("bilateral certificate to Cambodia", to("Cambodia", "China-Cambodia FTA")),
    case("bilateral certificate to Singapore", to("Singapore", "Form X")),
    case("Form E to Cambodia", to("KH", "Form E")),
    case("customer's default Form A to Japan", chain(upd(lambda rows: rows["orders"][0], destination_country="JP"),
                                                    customer_default("Form A")), "form-a-not-accepted",
         addresses={"form-a-not-accepted": "客户!L2"}),
    # C/O deadlines only when a certificate is planned
    case("C/O deadline with no certificate planned", chain(
        deliver(date(2026, 12, 2), destination_country="Vietnam"), confirmed, booked), "fta-certificate-suggested"),
    case("C/O deadline from the customer's default", chain(deliver(date(2026, 12, 7)), confirmed, booked,
                                                          customer_default("C/O")), "co-due"),
    # inspection records
    case("inspection record valid 60 days", record(inspection_amount=Decimal("2500.00"),
                                                   inspection_date=date(2026, 9, 1)), "inspection-record-expired"),
    case("inspection record's own validity date", record(inspection_date=date(2026, 9, 1),
                                                         inspection_valid_until=date(2026, 11, 30))),
    case("inspection record valid until before shipment", record(inspection_valid_until=date(2026, 11, 5)),
         "inspection-record-expired"),
    case("one record for partial shipments within its amount", chain(
        record(inspection_amount=Decimal("2500.00"), invoice_amount=Decimal("1250.00")),
        partial("INV-002", "1250.00"))),
    case("partial shipments above the record's amount", chain(
        record(inspection_amount=Decimal("2000.00"), invoice_amount=Decimal("1250.00")),
        partial("INV-002", "1250.00")), "inspection-amount-exceeded", addresses={"inspection-amount-exceeded": "出运!S3"}),
    case("shipped quantity above the record's", record(inspection_qty=Decimal(800)), "inspection-qty-exceeded"),
    case("partial quantities within the record's", chain(
        record(inspection_qty=Decimal(1000), shipped_qty=Decimal(600)), partial("INV-002", "0", shipped_qty=Decimal(400)))),
]


@pytest.mark.parametrize("spec", CERTIFICATE_CASES, ids=[c.name for c in CERTIFICATE_CASES])
def test_certificate_rule(spec: Case, tmp_path: Path) -> None:
    run_case(spec, tmp_path)


def test_co_overdue_is_a_warning(tmp_path: Path) -> None:
    rows = clean_rows()
    chain(deliver(date(2026, 12, 2)), confirmed, lambda r: booked(r, co_type="C/O"))(rows)
    report = run_checks(read_workbook(write_rows(rows, tmp_path / "book.xlsx")), today=TODAY)
    (found,) = [f for f in report.findings if f.code == "co-overdue"]
    assert found.severity is Severity.WARNING
    assert RULES["co-overdue"].severity is Severity.WARNING
    assert RULES["booking-overdue"].severity is Severity.ERROR


def test_form_a_is_accepted_only_by_norway_new_zealand_and_australia() -> None:
    accepting = {country for country, rows in certificate_table().items()
                 for row in rows if row.certificate == "Form A" and row.status == "accepted"}
    assert accepting == {"NO", "NZ", "AU"}
    japan = destination("JP", {})
    assert japan is not None and not japan.accepts("Form A", TODAY)
    ended = japan.ended("Form A")
    assert ended is not None and ended.since == date(2019, 4, 1)


@pytest.mark.parametrize(("country", "since"), [("RU", date(2021, 10, 12)), ("DE", date(2021, 12, 1)),
                                                ("CH", date(2014, 7, 1)), ("LI", date(2021, 12, 1))])
def test_form_a_withdrawal_dates(country: str, since: date) -> None:
    place = destination(country, {})
    assert place is not None
    ended = place.ended("Form A")
    assert ended is not None and ended.since == since
    assert not place.accepts("Form A", TODAY)


def test_every_table_row_names_a_known_certificate_a_source_and_a_date() -> None:
    for country, rows in certificate_table().items():
        assert len(country) == 2
        assert sum(1 for r in rows if r.status == "preferred") <= 1, country
        for row in rows:
            assert normalize_certificate(row.certificate) == row.certificate
            assert row.status in ("preferred", "accepted", "ended")
            assert row.source and row.as_of >= date(2026, 1, 1)


def test_maldives_fta_from_2025() -> None:
    maldives = destination("MV", {})
    assert maldives is not None
    assert maldives.accepts("China-Maldives FTA", date(2025, 1, 1))
    assert not maldives.accepts("China-Maldives FTA", date(2024, 12, 31))
    assert maldives.preferred is not None and maldives.preferred.certificate == "China-Maldives FTA"


def test_certificate_drop_down_has_form_b_and_fits_excel() -> None:
    for sheet, field in (("shipments", "co_type"), ("customers", "co_type")):
        choices = sheet_spec(sheet).column(field).choices
        assert choices == CERTIFICATE_CHOICES
    assert "Form B" in CERTIFICATE_CHOICES and "China-Maldives FTA" in CERTIFICATE_CHOICES
    assert len(",".join(CERTIFICATE_CHOICES)) <= 255  # Excel drops a longer inline list


def test_settings_override_names_the_certificate(tmp_path: Path) -> None:
    rows = clean_rows()
    to("Brazil", "Form Z")(rows)  # an unknown name is left alone
    setting(rows, "产地证 BR", "C/O")
    report = run_checks(read_workbook(write_rows(rows, tmp_path / "book.xlsx")), today=TODAY)
    assert {f.code for f in report.findings} == set()
