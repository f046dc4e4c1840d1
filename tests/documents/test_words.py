"""Amounts in words: the trade style in English per currency, Chinese uppercase with 整 where due."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan_xl.documents.words import amount_in_words_en, amount_in_words_zh, count_in_words_en


@pytest.mark.parametrize(("amount", "words"), [
    ("0.01", "SAY US DOLLARS ONE CENT ONLY"),
    ("10", "SAY US DOLLARS TEN ONLY"),
    ("100.10", "SAY US DOLLARS ONE HUNDRED AND CENTS TEN ONLY"),
    ("1000000", "SAY US DOLLARS ONE MILLION ONLY"),
    ("9999999.99", "SAY US DOLLARS NINE MILLION NINE HUNDRED NINETY-NINE THOUSAND NINE HUNDRED NINETY-NINE "
                   "AND CENTS NINETY-NINE ONLY"),
    ("12345.67", "SAY US DOLLARS TWELVE THOUSAND THREE HUNDRED FORTY-FIVE AND CENTS SIXTY-SEVEN ONLY"),
    ("101.01", "SAY US DOLLARS ONE HUNDRED ONE AND CENTS ONE ONLY"),
    ("80", "SAY US DOLLARS EIGHTY ONLY"),  # num2words' currency mode would read an int 80 as cents
    ("0", "SAY US DOLLARS ZERO ONLY"),
    ("20.005", "SAY US DOLLARS TWENTY AND CENTS ONE ONLY"),  # half-up, never banker's rounding
])
def test_english_trade_style(amount: str, words: str) -> None:
    assert amount_in_words_en(Decimal(amount), "USD") == words


@pytest.mark.parametrize(("currency", "amount", "words"), [
    ("EUR", "4050.36", "SAY EUROS FOUR THOUSAND FIFTY AND CENTS THIRTY-SIX ONLY"),
    ("GBP", "12.50", "SAY POUNDS STERLING TWELVE AND PENCE FIFTY ONLY"),
    ("CNY", "23242.80", "SAY CHINESE YUAN TWENTY-THREE THOUSAND TWO HUNDRED FORTY-TWO AND FEN EIGHTY ONLY"),
    ("JPY", "1234.5", "SAY JAPANESE YEN ONE THOUSAND TWO HUNDRED THIRTY-FIVE ONLY"),
    ("XYZ", "1.5", "SAY XYZ ONE AND CENTS FIFTY ONLY"),
])
def test_english_per_currency(currency: str, amount: str, words: str) -> None:
    assert amount_in_words_en(Decimal(amount), currency) == words


@pytest.mark.parametrize(("currency", "amount", "words"), [
    ("USD", "0.50", "SAY US DOLLARS FIFTY CENTS ONLY"),
    ("USD", "0.995", "SAY US DOLLARS ONE ONLY"),  # rounds up to a whole dollar
    ("GBP", "0.75", "SAY POUNDS STERLING SEVENTY-FIVE PENCE ONLY"),
    ("EUR", "0.01", "SAY EUROS ONE CENT ONLY"),
])
def test_amount_under_one_unit_names_only_the_cents(currency: str, amount: str, words: str) -> None:
    # was "SAY US DOLLARS ZERO AND CENTS FIFTY ONLY"
    assert amount_in_words_en(Decimal(amount), currency) == words


@pytest.mark.parametrize(("amount", "words"), [
    ("0.01", "人民币壹分"),
    ("10", "人民币壹拾元整"),
    ("100.10", "人民币壹佰元壹角整"),
    ("1000000", "人民币壹佰万元整"),
    ("9999999.99", "人民币玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("12345.67", "人民币壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("101.01", "人民币壹佰零壹元零壹分"),
    ("100000000.05", "人民币壹亿元零伍分"),
    ("0.50", "人民币伍角整"),
])
def test_chinese_uppercase(amount: str, words: str) -> None:
    assert amount_in_words_zh(Decimal(amount), "CNY") == words


def test_chinese_uppercase_names_the_currency() -> None:
    assert amount_in_words_zh(Decimal("2082.50"), "USD") == "美元贰仟零捌拾贰元伍角整"
    assert amount_in_words_zh(Decimal("1"), "EUR") == "欧元壹元整"


@pytest.mark.parametrize("bad", [Decimal("-1"), Decimal("NaN"), Decimal("Infinity")])
def test_refuses_what_cannot_be_written(bad: Decimal) -> None:
    with pytest.raises(ValueError):
        amount_in_words_en(bad)
    with pytest.raises(ValueError):
        amount_in_words_zh(bad)


def test_refuses_float() -> None:
    with pytest.raises(TypeError):
        amount_in_words_en(12.5)  # type: ignore[arg-type]


def test_cartons_in_words() -> None:
    assert count_in_words_en(317) == "SAY TOTAL THREE HUNDRED SEVENTEEN CARTONS ONLY"
    assert count_in_words_en(1, "PALLETS") == "SAY TOTAL ONE PALLETS ONLY"
