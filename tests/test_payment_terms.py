"""Payment terms parse into instalments: share, trigger, days, method (付款方式).

Each form that was misread before is here with what it means now: credit terms are not "balance
before release", ``30 days after arrival`` runs 30 days from the ETA, ``70% before shipment, 30%
against B/L copy`` is two instalments and no deposit, ``30% deposit, 70% L/C`` is a deposit and an
L/C, and CAD is collection against documents.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gendan_xl.vocab import (
    PAYMENT_TERM_CHOICES,
    PAYMENT_TERM_EXAMPLES,
    PaymentKind,
    PaymentMethod,
    Trigger,
    parse_payment_terms,
)

T, M = Trigger, PaymentMethod
D = Decimal


def parts(text: str) -> list[tuple[Decimal | None, Trigger, int, PaymentMethod]]:
    terms = parse_payment_terms(text)
    assert terms is not None, text
    return [(i.share, i.trigger, i.days, i.method) for i in terms.instalments]


@pytest.mark.parametrize(("text", "expected"), [
    ("T/T 30% deposit, balance before shipment", [(D("0.3"), T.ORDER, 0, M.TT), (None, T.BEFORE_SHIPMENT, 0, M.TT)]),
    ("T/T 30% deposit; balance against B/L copy", [(D("0.3"), T.ORDER, 0, M.TT), (None, T.BL_COPY, 0, M.TT)]),
    ("30%定金 70%见提单复印件", [(D("0.3"), T.ORDER, 0, M.TT), (D("0.7"), T.BL_COPY, 0, M.TT)]),
    ("T/T 30/70", [(D("0.3"), T.ORDER, 0, M.TT), (D("0.7"), T.BEFORE_SHIPMENT, 0, M.TT)]),
    ("100% T/T in advance", [(D(1), T.ORDER, 0, M.TT)]),
    ("前T/T", [(D(1), T.ORDER, 0, M.TT)]),
    ("T/T against B/L copy", [(D(1), T.BL_COPY, 0, M.TT)]),
    ("T/T", [(D(1), T.BEFORE_SHIPMENT, 0, M.TT)]),
    # credit terms: due n days after the B/L, the B/L released before payment
    ("T/T 60 days after B/L", [(D(1), T.AFTER_BL, 60, M.TT)]),
    ("30% deposit, 70% 60 days after B/L", [(D("0.3"), T.ORDER, 0, M.TT), (D("0.7"), T.AFTER_BL, 60, M.TT)]),
    ("O/A 30 days", [(D(1), T.AFTER_BL, 30, M.OA)]),
    ("月结60天", [(D(1), T.AFTER_BL, 60, M.OA)]),
    ("Net 30", [(D(1), T.AFTER_BL, 30, M.OA)]),
    # arrival: on arrival (grace days) or n days after it
    ("30 days after arrival", [(D(1), T.ARRIVAL, 30, M.TT)]),
    ("货到付款", [(D(1), T.ARRIVAL, 0, M.TT)]),
    # several instalments, none before production
    ("70% before shipment, 30% against B/L copy", [(D("0.7"), T.BEFORE_SHIPMENT, 0, M.TT),
                                                   (D("0.3"), T.BL_COPY, 0, M.TT)]),
    # a deposit, then the L/C
    ("30% deposit, 70% L/C", [(D("0.3"), T.ORDER, 0, M.TT), (D("0.7"), T.CREDIT, 0, M.LC)]),
    ("L/C at sight", [(D(1), T.CREDIT, 0, M.LC)]),
    ("L/C 90 days after sight", [(D(1), T.CREDIT, 90, M.LC)]),
    # collections
    ("CAD", [(D(1), T.DOCUMENTS, 0, M.CAD)]),
    ("Cash against documents", [(D(1), T.DOCUMENTS, 0, M.CAD)]),
    ("D/P at sight", [(D(1), T.DOCUMENTS, 0, M.DP)]),
    ("D/A 60 days", [(D(1), T.ACCEPTANCE, 60, M.DA)]),
])
def test_terms_parse_into_instalments(text: str, expected: list[tuple[Decimal | None, Trigger, int, PaymentMethod]]
                                      ) -> None:
    assert parts(text) == expected


@pytest.mark.parametrize(("text", "kind", "deposit", "before_production", "on_credit"), [
    ("T/T 30% deposit, balance against B/L copy", PaymentKind.TT_DEPOSIT, D("0.3"), True, False),
    ("100% T/T in advance", PaymentKind.TT_ADVANCE, D(1), True, False),
    ("T/T 60 days after B/L", PaymentKind.TT_AFTER, None, False, True),
    ("70% before shipment, 30% against B/L copy", PaymentKind.TT_AFTER, None, False, False),
    ("30% deposit, 70% L/C", PaymentKind.TT_DEPOSIT, D("0.3"), True, False),
    ("30 days after arrival", PaymentKind.TT_AFTER, None, False, True),
    ("CAD", PaymentKind.CAD, None, False, True),
    ("O/A 30 days", PaymentKind.OA, None, False, True),
])
def test_what_the_terms_mean(text: str, kind: PaymentKind, deposit: Decimal | None, before_production: bool,
                             on_credit: bool) -> None:
    terms = parse_payment_terms(text)
    assert terms is not None
    assert terms.kind is kind
    assert terms.deposit_pct == deposit
    assert terms.payment_before_production is before_production
    assert terms.ships_on_credit is on_credit


def test_deposit_then_lc_has_both_gates() -> None:
    terms = parse_payment_terms("30% deposit, 70% L/C at sight")
    assert terms is not None and terms.payment_before_production and terms.lc is not None


def test_unstated_shares_are_filled_from_the_deposit_column() -> None:
    terms = parse_payment_terms("T/T deposit, balance against B/L copy")
    assert terms is not None
    assert terms.shares() == (None, None)
    assert terms.shares(D("0.4")) == (D("0.4"), D("0.6"))
    plain = parse_payment_terms("T/T 30% deposit")  # the rest falls due before shipment
    assert plain is not None and plain.shares() == (D("0.3"), D("0.7"))
    assert plain.instalments[1].trigger is Trigger.BEFORE_SHIPMENT


@pytest.mark.parametrize("text", ["as usual", "see contract", "30% deposit, 60% before shipment",
                                  "60% deposit, 70% against B/L copy", ""])
def test_terms_not_understood(text: str) -> None:
    assert parse_payment_terms(text) is None


def test_every_offered_form_is_understood() -> None:
    for text in (*PAYMENT_TERM_EXAMPLES, *(c.replace(",", ";") for c in PAYMENT_TERM_CHOICES)):
        assert parse_payment_terms(text) is not None, text
    assert len(",".join(PAYMENT_TERM_CHOICES)) <= 255  # Excel keeps at most 255 characters of a drop-down


@given(st.integers(min_value=1, max_value=99), st.sampled_from(["before shipment", "against B/L copy",
                                                               "60 days after B/L", "L/C at sight"]))
def test_deposit_and_rest_always_add_up(deposit: int, rest: str) -> None:
    terms = parse_payment_terms(f"{deposit}% deposit, {100 - deposit}% {rest}")
    assert terms is not None
    shares = terms.shares()
    assert None not in shares
    assert sum(s for s in shares if s is not None) == 1
    assert terms.instalments[0].trigger is Trigger.ORDER
