"""Attributes: measure, direction and baseline of a figure from the words around it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.extract.figures import RIGHT_NAMED_UNITS, Figure
from transforms.extract.lexicon import Lexicon
from transforms.extract.patterns import (
    BASELINE_AGO_RE,
    BASELINE_MULTIPLE_RE,
    BASELINE_OTHER_RE,
    BASELINE_PREV_RE,
    BASELINE_SINCE_RE,
    BASELINE_YEAR_RE,
    HAN_RE,
    YEAR4,
    cn_or_arabic,
    year_of,
)
from transforms.extract.timescope import Period

_BEYOND_PLAN_RE = re.compile(r"(?P<verb>超过|超额完成|超出|高于|低于|少于)[^，,；;:。]{1,20}$")
MULTI_YEAR_RE = re.compile(r"年均(?!浓度|值)|年平均(?!浓度|值)|平均每年|每年平均|累计|五年来|多年来|以来")
# A figure stated as a total reached (累计达到831家) is a level whatever its name says.
_LEVEL_END_RE = re.compile(r"(?:累计|总数|总量|共|总计|合计)?(?:达到|达|为|是|有)(?:了)?$")
# A base year named at the head of a sentence for all its changes (一九八二年同一九七八年相比，…).
SENTENCE_BASELINE_RE = re.compile(rf"(?:同|与|和|比|较)(?P<year>{YEAR4})年(?:相比|比较)")


@dataclass(frozen=True)
class Reading:
    """What the words around one figure say about it."""

    name: str | None
    measure: str
    direction: str | None
    baseline: str | None


def change_verb(left: str, lex: Lexicon) -> tuple[str | None, bool]:
    """The change verb ending the text left of a figure, and whether it states a new level (升至)."""
    left = lex.cap_end_re.sub("", left)
    m = lex.change_end_re.search(left)
    if not m:
        return None, False
    return m.group("verb"), bool(m.group("to"))


def read_baseline(clause_left: str, period: Period | None, multi_year: bool, sentence_left: str = "") -> str | None:
    """What a change is compared with: a year, prev_year, or None (GUIDELINES §2).

    >>> read_baseline("较2015年下降", None, False), read_baseline("是2011年的", None, False)
    ('2015', '2011')
    >>> read_baseline("同比增长", None, False), read_baseline("增长", Period(2016, 2020), False)
    ('prev_year', None)
    """
    m = (
        BASELINE_YEAR_RE.search(clause_left)
        or BASELINE_SINCE_RE.search(clause_left)
        or BASELINE_MULTIPLE_RE.search(clause_left)
    )
    if m:
        return str(year_of(m.group("year")))
    if sentence_left:
        m = SENTENCE_BASELINE_RE.search(sentence_left)
        if m and not BASELINE_PREV_RE.search(clause_left):
            return str(year_of(m.group("year")))
    if BASELINE_PREV_RE.search(clause_left):
        return "prev_year"
    m = BASELINE_AGO_RE.search(clause_left)
    if m:
        end = period.last if period else None
        return str(end - int(cn_or_arabic(m.group("n")))) if end else None
    if BASELINE_OTHER_RE.search(clause_left):
        return None
    if multi_year or (period is not None and period.first != period.last):
        return None
    return "prev_year"


# Verbs that, right before a count, change the count itself (新增5家, 减少3个).
_COUNT_CHANGE_VERBS = frozenset({"增加", "新增", "净增", "减少", "增", "减", "多增", "还多", "多出", "增长", "下降"})
_RATE_UNITS = frozenset({"percent", "permille"})
_CHANGE_AFTER_RE = re.compile(r"的?(?P<verb>增长|增速|增幅|下降|降幅|涨幅)")


def read_measure(lex: Lexicon, fig: Figure, name: str, left: str, right: str = "") -> tuple[str, str | None]:
    """Measure and direction of a figure from its unit, its name and the verb before it."""
    verb, to_level = change_verb(left, lex)
    if verb and fig.unit in RIGHT_NAMED_UNITS and verb not in _COUNT_CHANGE_VERBS and HAN_RE.match(right[:1] or " "):
        verb = None  # 提升39个欠发达县域帮扶质效: the verb governs the things counted, not the count
    if verb is None and fig.unit in _RATE_UNITS:
        after = _CHANGE_AFTER_RE.match(right)
        if after:
            verb = after.group("verb")  # 保持20%以上增长: the verb follows the figure
    if fig.kind == "ratio":
        return "share", None
    if fig.unit == "times" and BASELINE_MULTIPLE_RE.search(left):
        return "change", "up"  # 是2011年的1.37倍: a multiple of a base year is growth from it
    beyond = _BEYOND_PLAN_RE.search(left) if verb is None and fig.unit in _RATE_UNITS else None
    if beyond:
        return "change", "down" if beyond.group("verb") in ("低于", "少于") else "up"
    if fig.kind == "doubling":
        return "change", "up"
    if verb and not to_level:
        if (
            verb == "新增"
            and fig.unit not in ("percent", "pp", "times")
            and any(w in "新增" + name for w in lex.new_as_level)
        ):
            return "level", None
        return "change", lex.change_verbs[verb]
    if fig.unit == "pp":
        return "change", None
    if fig.unit in _RATE_UNITS:
        if name.endswith("自然增长率"):
            return "change", "up"  # 人口自然增长率8.18‰: births less deaths, a change of the population
        # 经济增长预期目标5%左右: a growth target is a change, whatever target word follows.
        if re.search(r"(增长|增速|增幅|涨幅|上涨幅度|增长幅度|上升幅度)(?:的?预期目标|的?目标|预期)?$", name):
            return "change", "up"
        if re.search(r"(降幅|下降|下降幅度|减少幅度)(?:的?预期目标|的?目标|预期)?$", name):
            return "change", "down"
        return "share", None
    if "新增" in name and not any(w in name for w in lex.new_as_level) and not _LEVEL_END_RE.search(left):
        return "change", "up"
    if fig.unit == "times" and verb is None:
        return "level", None
    return "level", None
