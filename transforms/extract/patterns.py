"""Text patterns every part of the extractor shares: numerals, years, clause ends, baselines."""

from __future__ import annotations

import re
from collections.abc import Sequence

from transforms.numbers import (
    parse_chinese,
)


def alternation(words: Sequence[str] | dict[str, object]) -> str:
    """A regex alternation of words, longest first so 个百分点 wins over 个.

    >>> alternation(["个", "个百分点", "%"])
    '个百分点|个|%'
    """
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


CN_NUMERALS = "零〇一二两三四五六七八九十百千万亿"
YEAR4 = r"(?:1[89]\d\d|20\d\d|[一二][〇零一二三四五六七八九]{3})"
NUM = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[零〇一二两三四五六七八九十][{CN_NUMERALS}]*(?:点[零〇一二三四五六七八九]+)?)"


# Clause boundaries for reading names; 、 separates list items.
CLAUSE_DELIMS = "，,；;:。！？!?\n、（）()"
HARD_DELIMS = "，,；;:。！？!?\n"


CN_SMALL = "一二两三四五六七八九十"
YEAR4_RE = re.compile(YEAR4)
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
BASELINE_YEAR_RE = re.compile(rf"(?:较|比|同|与|相对于|相比)(?P<year>{YEAR4})年(?:末|底|同期)?")
# 是2011年的1.37倍, 等于1949年的2.6倍: a multiple of the figure in a base year.
BASELINE_MULTIPLE_RE = re.compile(rf"(?:是|为|等于|相当于)(?P<year>{YEAR4})年(?:末|底)?的")
BASELINE_SINCE_RE = re.compile(rf"在(?P<year>{YEAR4})年(?:的)?基础上")
BASELINE_PREV_RE = re.compile(r"同比|比上一?年|较上一?年|比去年|较去年|与上一?年|与去年|上年同期|比前一年")
BASELINE_AGO_RE = re.compile(rf"(?:比|较)(?P<n>[{CN_SMALL}\d]+)年前")
BASELINE_OTHER_RE = re.compile(
    r"(?:比|较)(?!上一?年|去年|前一年|同期|\d|[一二][〇零])[\u4e00-\u9fff]|(?:超过|超出|高于|低于)了?(?:原定|年度|计划|预期|规定|第)"
)
# 超过原定的年度计划4.1%: a change against a plan, read from the verb before its object.


def clause_start(text: str, pos: int, delims: str) -> int:
    """Index after the last delimiter before pos.

    >>> clause_start("全年地区生产总值增长7%，城镇新增就业50万人", 20, "，")
    13
    """
    best = 0
    for d in delims:
        i = text.rfind(d, 0, pos)
        if i + 1 > best:
            best = i + 1
    return best


def cn_or_arabic(raw: str) -> float:
    """The value of a short figure in either script, 点 as the decimal point.

    >>> cn_or_arabic("3"), cn_or_arabic("三点五"), cn_or_arabic("十二")
    (3.0, 3.5, 12.0)
    """
    if raw[0].isdigit():
        return float(raw)
    if "点" in raw:
        whole, frac = raw.split("点", 1)
        return parse_chinese(whole) + float("0." + "".join(str(int(parse_chinese(c))) for c in frac))
    return parse_chinese(raw)


def year_of(raw: str) -> int:
    """A four-digit year from digits or Chinese numerals.

    >>> year_of("2021"), year_of("二〇二一")
    (2021, 2021)
    """
    return int(raw) if raw.isdigit() else int(parse_chinese(raw))
