"""Time scope: the period a figure covers and whether it is a target or an actual."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from transforms.extract.figures import cn_or_arabic
from transforms.extract.patterns import YEAR4
from transforms.numbers import (
    fold_text,
    parse_chinese,
)
from transforms.records import Sentence
from transforms.vocabulary import (
    FIVE_YEAR_PLANS,
    ORDINAL_PLANS,
)


@dataclass(frozen=True)
class Period:
    """Years a figure covers, first to last inclusive."""

    first: int
    last: int

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


@dataclass(frozen=True)
class LocalPeriod(Period):
    """A period named for one clause only (近三年): it does not carry to the next sentence."""


@dataclass(frozen=True)
class FromPeriod(LocalPeriod):
    """The start of a 由…的A…到B change: it dates only the figure right after it."""


_PLAN_RE = re.compile(
    r"“?(?P<plan>十[一二三四五六]五|十五|[六七八九]五)”?(?P<tail>规划|计划|时期|期间|末|以来|开局|时期)?"
)
_ORDINAL_PLAN_RE = re.compile(r"第(?P<n>[一二三四五六七])个五年计划")
_YEAR_CUE_RE = re.compile(
    rf"(?P<prefix>到|至|截至|截止|比|较|同|与|在|按)?(?P<year>{YEAR4})年(?:(?:-|至|到)(?P<year2>{YEAR4})年)?(?P<suffix>基础上|以来|的基础)?"
)
_CUE_RE = re.compile(
    r"(?P<this>今年|本年度|本年)|(?P<last>过去一年|过去的一年|去年|一年来)|"
    r"(?P<five>五年来|过去五年|过去的五年)|(?P<next5>今后五年|未来五年)|"
    r"(?:近|过去)(?P<recent>[两三四五六七八九十]|\d{1,2})年"
)


def _year_span(m: re.Match[str]) -> tuple[int, int]:
    """First and last year of a year cue match (1978年 or 2016-2020年)."""
    first = year_of(m.group("year"))
    return first, year_of(m.group("year2")) if m.group("year2") else first


def year_of(raw: str) -> int:
    """A four-digit year from digits or Chinese numerals (二〇二一)."""
    return int(raw) if raw.isdigit() else int(parse_chinese(raw))


def time_cues(text: str, report_year: int) -> list[tuple[int, Period]]:
    """Where the text names the time its figures cover, and that time, in order."""
    found: list[tuple[int, Period]] = []
    if "年" not in text and "五" not in text:
        return found
    for m in _CUE_RE.finditer(text):
        before = text[max(0, m.start() - 1) : m.start()]
        if before in ("比", "较", "同", "与", "于", "如", "像"):
            continue  # 比去年, 高于去年: a comparison, not the time of the figures
        if m.group("this"):
            found.append((m.start(), Period(report_year, report_year)))
        elif m.group("last"):
            found.append((m.start(), Period(report_year - 1, report_year - 1)))
        elif m.group("five"):
            found.append((m.start(), Period(report_year - 5, report_year - 1)))
        elif m.group("recent"):
            n = int(cn_or_arabic(m.group("recent")))
            found.append((m.start(), LocalPeriod(report_year - n, report_year - 1)))
        else:
            found.append((m.start(), Period(report_year, report_year + 4)))
    for m in _PLAN_RE.finditer(text):
        quoted = m.group().startswith("“") or m.group("tail")
        if len(m.group("plan")) == 2 and m.group("tail") not in ("计划", "时期", "期间"):
            continue  # “八五”普法, “十五”: the short names of older plans need 计划/时期 to mean a plan
        if quoted:
            first, last = FIVE_YEAR_PLANS[m.group("plan")]
            # A plan already under way (“十四五” in a 2024 report) dates only its own sentence.
            kind = LocalPeriod if first < report_year <= last else Period
            found.append((m.start(), kind(first, last)))
    for m in _ORDINAL_PLAN_RE.finditer(text):
        first, last = ORDINAL_PLANS[m.group("n")]
        found.append((m.start(), Period(first, last)))
    for m in _YEAR_CUE_RE.finditer(text):
        prefix = m.group("prefix")
        if prefix in ("比", "较", "同", "与", "按") or m.group("suffix") in ("基础上", "的基础"):
            continue  # 比2015年 is a base, 按1952年不变价格 a price basis
        if text[max(0, m.start() - 1) : m.start()] in ("于", "是") and text[m.end() : m.end() + 1] == "的":
            continue  # 等于1949年的2.6倍: the year is a base, not the time the figure covers
        if (text[max(0, m.start() - 1) : m.start()] in ("由", "从") or prefix in ("到", "至")) and text[
            m.end() : m.end() + 1
        ] == "的":
            found.append((m.start(), FromPeriod(*_year_span(m))))
            continue
        year = year_of(m.group("year"))
        if m.group("year2"):
            found.append((m.start(), Period(year, year_of(m.group("year2")))))
        elif m.group("suffix") == "以来":
            found.append((m.start(), Period(min(year + 1, report_year - 1), report_year - 1)))
        elif year > report_year:
            # A later year names the end of a plan or vision that starts with the report's year;
            # only 到2035年… opens a passage, 2030年前碳达峰 qualifies its own sentence.
            kind = Period if prefix in ("到", "至") else LocalPeriod
            found.append((m.start(), kind(report_year, year)))
        else:
            found.append((m.start(), Period(year, year)))
    found.sort(key=lambda t: t[0])
    return found


_REPORT_YEAR_FORWARD_RE = re.compile(
    rf"(?P<year>{YEAR4})年(?:是|的)?(?:政府工作|工作的?总体要求|主要工作|重点工作|工作任务|工作安排|经济社会发展的?主要预期目标|主要预期目标|的?主要任务)"
)
_REPORT_YEAR_BACK_RE = re.compile(rf"(?:刚刚过去的|过去的|回顾)(?P<year>{YEAR4})年|(?P<year2>{YEAR4})年工作回顾")
_REPORT_YEAR_PLAN_RE = re.compile(
    r"今年是[^，。,]{0,10}?“(?P<plan>十[一二三四五六]?五)”(?:规划)?(?:的|实施的)?(?P<which>开局之年|开局|起步之年|第二年|第三年|第四年|收官之年|最后一年)"
)
_PLAN_OFFSETS = {
    "开局之年": 0,
    "开局": 0,
    "起步之年": 0,
    "第二年": 1,
    "第三年": 2,
    "第四年": 3,
    "收官之年": 4,
    "最后一年": 4,
}
_ANY_YEAR_RE = re.compile(rf"(?P<year>{YEAR4})年")


def infer_report_year(text: str) -> int | None:
    """The year a report is for, read from what its text says (今年是“十四五”开局之年 → 2021)."""
    folded = fold_text(text)
    votes: Counter[int] = Counter()
    for m in _REPORT_YEAR_PLAN_RE.finditer(folded):
        votes[FIVE_YEAR_PLANS[m.group("plan")][0] + _PLAN_OFFSETS[m.group("which")]] += 3
    for m in _REPORT_YEAR_FORWARD_RE.finditer(folded):
        votes[year_of(m.group("year"))] += 2
    for m in _REPORT_YEAR_BACK_RE.finditer(folded):
        votes[year_of(m.group("year") or m.group("year2")) + 1] += 2
    if votes:
        return votes.most_common(1)[0][0]
    # A report mostly reviews the year before it; baselines (比2015年) and horizons (到2035年) say nothing.
    years = Counter(
        year_of(m.group("year"))
        for m in _ANY_YEAR_RE.finditer(folded)
        if folded[max(0, m.start() - 1) : m.start()] not in ("比", "较", "到", "至", "同", "与")
    )
    return years.most_common(1)[0][0] + 1 if years else None


def period_at(
    cues: Sequence[tuple[int, Period]], pos: int, running: Period | None, figure_starts: Sequence[int] = ()
) -> Period | None:
    """The period in force at a position: the last cue before it in the sentence, else the running one."""
    current = running
    for at, period in cues:
        if at > pos:
            break
        if isinstance(period, FromPeriod) and any(at < f < pos for f in figure_starts):
            continue  # 由1978年的36.5%调整到29%: 1978 dates the 36.5% only
        current = period
    return current


_ACCOMPLISHED_RE = re.compile(r"截至|截止|已经|已有|已")


def read_status(period: Period | None, report_year: int | None, clause_left: str = "") -> str:
    """target when the period reaches the report's year or later, else actual.

    A figure the text says is already reached (截至今年2月底, 已有) is actual even in the
    report's own year.
    """
    if period is None or report_year is None:
        return "actual"
    if period.first == period.last == report_year and _ACCOMPLISHED_RE.search(clause_left):
        return "actual"
    return "target" if period.last >= report_year else "actual"


def heading_period(previous: str, current: str, report_year: int) -> Period | None:
    """The period a newly opened section heading names: the first cue of its first new level.

    Only the levels that changed count, so a sub-heading does not re-read its parent's
    "2025年主要工作和“十四五”发展成就" and jump from 2025 to the plan period.
    """
    old_parts, new_parts = previous.split(" > "), current.split(" > ")
    same = 0
    while same < min(len(old_parts), len(new_parts)) and old_parts[same] == new_parts[same]:
        same += 1
    for part in new_parts[same:]:
        cues = [c for c in time_cues(fold_text(part), report_year) if not isinstance(c[1], LocalPeriod)]
        if cues:
            return cues[0][1]
    return None


# A time cue this close to a sentence's start (五年来，/ 刚刚过去的2020年，) opens a passage;
# later in the sentence it qualifies only that sentence (…与“十五五”目标衔接).
OPENING_CUE_MAX = 6


def first_period(sentences: Sequence[Sentence], report_year: int) -> Period | None:
    """The period the first time cue of the text sets: a page that starts mid-section belongs to it."""
    # Returns the year before the report when the text names no time at all.
    for sentence in sentences[:200]:
        cues = time_cues(fold_text(sentence.heading + sentence.text), report_year)
        if cues:
            return cues[0][1]
    return Period(report_year - 1, report_year - 1)  # with no time named, a report reviews its last year
