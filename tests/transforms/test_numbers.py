"""Number parsing: digits, Chinese numerals, scales, fractions and the fold of full-width forms."""

from __future__ import annotations

import doctest

import pytest

import transforms.numbers as numbers
from transforms.numbers import NumberError, doubling_times, fold_text, fraction_percent, parse_chinese, parse_number


def test_doctests() -> None:
    assert doctest.testmod(numbers).failed == 0


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("77.4万", 774000),
        ("4155亿", 415500000000),
        ("1.3万亿", 1.3e12),
        ("１１．２", 11.2),
        ("1,234", 1234),
        ("一千二百万", 12000000),
        ("两", 2),
        ("三千", 3000),
        ("十二万五千", 125000),
        ("二〇二五", 2025),
        ("零", 0),
    ],
)
def test_parse_number(raw: str, value: float) -> None:
    assert parse_number(raw) == pytest.approx(value)


@pytest.mark.parametrize("raw", ["万", "百", "abc"])
def test_unreadable_numerals_raise_number_error(raw: str) -> None:
    with pytest.raises(NumberError):
        parse_number(raw)


@pytest.mark.parametrize(("word", "times"), [("", 2), ("一", 2), ("两", 4), ("三", 8)])
def test_doubling(word: str, times: float) -> None:
    assert doubling_times(word) == times


def test_fraction_percent() -> None:
    assert fraction_percent(1, 3) == pytest.approx(33.3333, abs=1e-4)
    assert fraction_percent(parse_chinese("一"), parse_chinese("四")) == 25


def test_fold_keeps_length_and_clause_commas() -> None:
    text = "增长６．５％－７％，城镇新增就业１，１００万人"
    folded = fold_text(text)
    assert len(folded) == len(text)
    assert folded == "增长6.5%-7%，城镇新增就业1,100万人"


@pytest.mark.parametrize("raw", ["二三十", "一两百"])
def test_approximate_spans_are_not_numbers(raw: str) -> None:
    # 二三十个 (twenty or thirty) has no single value; the extractor skips it.
    with pytest.raises(NumberError):
        parse_chinese(raw)


def test_cn2an_failures_become_number_errors() -> None:
    with pytest.raises(NumberError):
        parse_chinese("十百千")
