"""Time scope: the period a figure covers and whether it is a target or an actual.

One model decides both for every figure. Cues are phrases that name a time (2012年,
五年来, 截至2016年末, 由2010年的…, “十四五”时期) or a status (主要预期目标为, 过去五年
工作回顾); each cue has a reach. A figure takes the nearest cue that reaches it, in this
order of precedence, and the row records which level decided (`scope_cue`):

1. ``figure``    a cue that dates the one figure right after it (由2010年的8.6亿元);
2. ``clause``    a cue earlier in the figure's clause (截至2016年末，…96.4亿元);
3. ``sentence``  a cue earlier in the figure's sentence (…，2012年，全年实现…);
4. ``paragraph`` a cue that opened a passage: at a sentence's start, or a short line;
5. ``heading``   the cue of the section heading the sentence sits under;
6. ``document``  the default: the first cue of the text, else the year before the report.

The status is the cue's own when it states one (a term review reports actuals, 预计
ones included; a statement of the year's targets gives targets), else it follows from
the period: ending in the report's year or later is a target, earlier an actual. A new
kind of report adds a cue here, not a branch in the extractor.

Not every time word is a cue for what follows: a plan named in a purpose clause
(为实现“十五五”良好开局打牢基础) or as the object of the year's work (编制“十五五”规划)
reaches only its own sentence, and 创2006年以来新高 is a record, no cue at all. The
words that tell them apart are lists under seeds/vocabulary/ (purpose_leads, review_leads).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from transforms.extract.patterns import YEAR4, cn_or_arabic, year_of
from transforms.numbers import fold_text
from transforms.records import Sentence


@dataclass(frozen=True)
class Period:
    """Years a figure covers, first to last inclusive."""

    first: int
    last: int

    @property
    def label(self) -> str:
        """The period as the guideline writes it: "2020" or "2016-2020".

        >>> Period(2016, 2020).label, Period(2020, 2020).label
        ('2016-2020', '2020')
        """
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


@dataclass(frozen=True)
class Cue:
    """A phrase that names the time (and maybe the status) of the figures it reaches.

    reach: ``figure`` dates only the figure right after it; ``sentence`` the rest of its
    sentence; ``passage`` its sentence and, when it opens one, the sentences that follow.
    A cue that only states the status (预期目标是) keeps the period of a cue before it.
    """

    at: int
    end: int
    period: Period
    status: str | None = None
    reach: str = "passage"
    status_only: bool = False


@dataclass(frozen=True)
class Scope:
    """The period and status a figure takes, and the precedence level that decided them."""

    period: Period | None
    status: str | None  # stated by the cue; None: follows from the period
    level: str


@dataclass(frozen=True)
class Calendar:
    """The two years every relative cue counts from: the report's year and the last year it reviews."""

    report_year: int
    review_end: int
    # The five-year plans by name (十四五 → 2021-2025) and by ordinal (第一个五年计划), from the vocabulary.
    five_year_plans: Mapping[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    ordinal_plans: Mapping[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    # Words opening a purpose clause (为实现…开局): a time named there is an aim, not a scope.
    purpose_leads: tuple[str, ...] = field(default=(), repr=False)
    # Verbs of looking back (回望“十四五”): a plan named after one is the topic of a review.
    review_leads: tuple[str, ...] = field(default=(), repr=False)

    december: bool = False  # delivered in December: 今年 is the year delivered in, the last one reviewed

    @property
    def this_year(self) -> int:
        """The year 今年 names: the report's, or the delivery year of a December report."""
        return self.review_end if self.december else self.report_year


_PLAN_RE = re.compile(
    r"“?(?P<plan>十[一二三四五六]五|十五|[六七八九]五)”?(?P<tail>规划|计划|时期|期间|末|以来|开局|时期)?"
)
_ORDINAL_PLAN_RE = re.compile(r"第(?P<n>[一二三四五六七])个五年计划")
_YEAR_CUE_RE = re.compile(
    rf"(?P<prefix>到|至|截至|截止|比|较|同|与|在|按)?(?P<year>{YEAR4})年(?:(?:-|至|到)(?P<year2>{YEAR4})年)?"
    r"(?P<suffix>基础上|以来|的基础)?(?P<date>\d{1,2}月\d{1,2}日)?"
)
_CUE_RE = re.compile(
    r"(?P<this>今年|本年度|本年)|(?P<last>过去一年|过去的一年|去年|一年来)|"
    r"(?P<term>五年来|过去五年|过去的五年|本届政府工作回顾|本届政府的五年|本届政府以来|本届人大一次会议以来)|"
    r"(?P<four>四年来|过去四年)|(?P<next5>今后五年|未来五年)|"
    r"(?:近|过去)(?P<recent>[两三四五六七八九十]|\d{1,2})年|"
    r"(?P<targets>(?:主要预期目标|主要目标|预期目标)(?:是|为|:))"
)
# Every cue holds one of these: most sentences hold none and skip the patterns.
_CUE_GATE_RE = re.compile("[年五届]|目标")
# Words before a time word that make it a comparison (比去年, 高于去年), not a time.
_COMPARING = ("比", "较", "同", "与", "于", "如", "像")
# A report delivered in December (2021年12月12日在…会议上) reviews the year it is delivered in.
_DECEMBER_RE = re.compile(rf"(?P<year>{YEAR4})年12月\d{{1,2}}日")


def _year_span(m: re.Match[str]) -> tuple[int, int]:
    """First and last year of a year cue match (1978年 or 2016-2020年)."""
    first = year_of(m.group("year"))
    return first, year_of(m.group("year2")) if m.group("year2") else first


def calendar_of(
    text: str,
    report_year: int,
    five_year_plans: Mapping[str, tuple[int, int]] | None = None,
    ordinal_plans: Mapping[str, tuple[int, int]] | None = None,
    purpose_leads: tuple[str, ...] = (),
    review_leads: tuple[str, ...] = (),
) -> Calendar:
    """The report's year and the last year its review covers (the year before, or December's own).

    >>> calendar_of("2021年12月12日在石棉县第十七届人民代表大会第一次会议上", 2021)
    Calendar(report_year=2021, review_end=2021, december=True)
    >>> calendar_of("2021年12月12日在石棉县第十七届人民代表大会第一次会议上", 2022).this_year
    2021
    >>> calendar_of("2017年2月22日在蠡县第十六届人民代表大会第一次会议上", 2017)
    Calendar(report_year=2017, review_end=2016, december=False)
    """
    plans, ordinals = five_year_plans or {}, ordinal_plans or {}
    m = _DECEMBER_RE.search(fold_text(text[:600]))
    if m and year_of(m.group("year")) in (report_year - 1, report_year):
        december = year_of(m.group("year"))
        return Calendar(report_year, december, plans, ordinals, purpose_leads, review_leads, december=True)
    return Calendar(report_year, report_year - 1, plans, ordinals, purpose_leads, review_leads)


def time_cues(text: str, calendar: Calendar) -> list[Cue]:
    """The time cues of a folded text, in order.

    >>> cues = time_cues("过去五年，由2010年的8.6亿元增加到", Calendar(2016, 2015))
    >>> [(c.period.label, c.status, c.reach) for c in cues]
    [('2011-2015', 'actual', 'passage'), ('2010', None, 'figure')]
    """
    found: list[Cue] = []
    if not _CUE_GATE_RE.search(text):
        return found
    year, end = calendar.report_year, calendar.review_end
    for m in _CUE_RE.finditer(text):
        if text[max(0, m.start() - 1) : m.start()] in _COMPARING:
            continue  # 比去年, 高于去年: a comparison, not the time of the figures
        at = m.start()
        if m.group("this"):
            this = calendar.this_year
            found.append(Cue(at, m.end(), Period(this, this)))
        elif m.group("last"):
            found.append(Cue(at, m.end(), Period(calendar.this_year - 1, calendar.this_year - 1)))
        elif m.group("term"):
            # A term review reports actuals, 预计 ones included.
            found.append(Cue(at, m.end(), Period(end - 4, end), "actual"))
        elif m.group("four"):
            found.append(Cue(at, m.end(), Period(end - 3, end), "actual"))
        elif m.group("recent"):
            n = int(cn_or_arabic(m.group("recent")))
            found.append(Cue(at, m.end(), Period(end - n + 1, end), reach="sentence"))
        elif m.group("targets"):
            found.append(Cue(at, m.end(), Period(year, year), "target", status_only=True))
        else:
            found.append(Cue(at, m.end(), Period(year, year + 4), "target"))
    for m in _PLAN_RE.finditer(text):
        quoted = m.group().startswith("“") or m.group("tail")
        if len(m.group("plan")) == 2 and m.group("tail") not in ("计划", "时期", "期间"):
            continue  # “八五”普法, “十五”: the short names of older plans need 计划/时期 to mean a plan
        if quoted:
            if m.group("plan") not in calendar.five_year_plans:
                continue
            first, last = calendar.five_year_plans[m.group("plan")]
            # A plan already under way (“十四五” in a 2024 report) dates only its own sentence; so
            # does a plan named as the object of work: one not yet begun is prepared (抓好“十五五”
            # 谋划布局, 编制“十五五”规划), and a past plan's task is one achievement among the
            # year's (超额完成国家“十四五”找矿目标任务). Only a past plan as a whole (完成了“十三五”
            # 规划确定的目标) opens the review of its years.
            under_way = first < year <= last
            whole_past_plan = first < year and m.group("tail") == "规划"
            as_object = not whole_past_plan and _plan_as_object(text, m, calendar.review_leads)
            reach = "sentence" if under_way or as_object else "passage"
            found.append(Cue(m.start(), m.end(), Period(first, last), reach=reach))
    for m in _ORDINAL_PLAN_RE.finditer(text):
        if m.group("n") in calendar.ordinal_plans:
            found.append(Cue(m.start(), m.end(), Period(*calendar.ordinal_plans[m.group("n")])))
    for m in _YEAR_CUE_RE.finditer(text):
        cue = _year_cue(text, m, calendar)
        if cue is not None:
            found.append(cue)
    found.sort(key=lambda c: c.at)
    return [_aim_only(text, c, calendar.purpose_leads) for c in found]


# Marks that end a clause: a purpose clause runs from one of them to the cue.
_CLAUSE_MARKS = "，,；;：:。！？"
# Tails that make a plan's name its years (“十五五”时期); words before it that keep it a time (在“十五五”期间).
_PLAN_TIME_TAILS = ("时期", "期间", "以来", "末")
_PLAN_TIME_LEADS = ("在", "到", "至", "于", "从", "截至", "整个")


def _plan_as_object(text: str, m: re.Match[str], review_leads: tuple[str, ...] = ()) -> bool:
    """Whether a plan's name is the object of a verb in its clause (抓好“十五五”谋划布局), not a time.

    >>> _plan_as_object("全力抓好“十五五”谋划布局", _PLAN_RE.search("全力抓好“十五五”谋划布局"))
    True
    >>> _plan_as_object("二、“十五五”时期主要目标", _PLAN_RE.search("二、“十五五”时期主要目标"))
    False
    >>> _plan_as_object("“十五五”是关键时期", _PLAN_RE.search("“十五五”是关键时期"))
    False
    >>> _plan_as_object("回望“十四五”这五年", _PLAN_RE.search("回望“十四五”这五年"), ("回望",))
    False
    """
    if m.group("tail") in _PLAN_TIME_TAILS:
        return False
    start = max(text.rfind(mark, 0, m.start()) for mark in _CLAUSE_MARKS + "、") + 1
    before = text[start : m.start()].strip()
    if not before or _NUMBERING_RE.fullmatch(before):
        return False
    return not before.endswith(_PLAN_TIME_LEADS) and not before.endswith(review_leads)


# Numbering before a heading's text: 二、 (cut at 、), （一）, 1.
_NUMBERING_RE = re.compile(r"[（(]?[一二三四五六七八九十\d]+[）).]?")


def _aim_only(text: str, cue: Cue, purpose_leads: tuple[str, ...]) -> Cue:
    """A passage cue inside a purpose clause (为实现“十五五”良好开局) dates only its own sentence.

    The clause names what the year's work aims at, not the time of the figures after it.

    >>> plan = Cue(3, 8, Period(2026, 2030))
    >>> _aim_only("为实现“十五五”良好开局打牢基础", plan, ("为",)).reach
    'sentence'
    >>> _aim_only("今年，“十五五”开局", Cue(3, 8, Period(2026, 2030)), ("为",)).reach
    'passage'
    """
    if cue.reach != "passage" or cue.status_only or not purpose_leads:
        return cue
    start = max(text.rfind(mark, 0, cue.at) for mark in _CLAUSE_MARKS) + 1
    if text[start : cue.at].lstrip().startswith(purpose_leads):
        return replace(cue, reach="sentence")
    return cue


# Words after 某年以来 that make it a record (2006年以来新高), not a time scope.
_RECORD_WORDS = ("新高", "新低", "最高", "最低", "最好", "最快", "最大", "最多", "最优", "最佳")


def _year_cue(text: str, m: re.Match[str], calendar: Calendar) -> Cue | None:
    """The cue of a written year (2012年, 截至2016年末, 2016-2020年, 到2035年), or None for a base or date."""
    prefix, before = m.group("prefix"), text[max(0, m.start() - 1) : m.start()]
    after = text[m.end() : m.end() + 1]
    if prefix in ("比", "较", "同", "与", "按") or m.group("suffix") in ("基础上", "的基础"):
        return None  # 比2015年 is a base, 按1952年不变价格 a price basis
    if before in ("于", "是") and after == "的":
        return None  # 等于1949年的2.6倍: the year is a base, not the time the figure covers
    if m.group("date") and prefix not in ("到", "至", "截至", "截止"):
        return None  # 2013年2月27日上午…开幕: the date of an event, not the time of figures
    if (before in ("由", "从") or prefix in ("到", "至")) and after == "的":
        return Cue(m.start(), m.end(), Period(*_year_span(m)), reach="figure")  # 由2010年的8.6亿元
    year = year_of(m.group("year"))
    if m.group("year2"):
        return Cue(m.start(), m.end(), Period(year, year_of(m.group("year2"))))
    if m.group("suffix") == "以来" and (before == "创" or text[m.end() : m.end() + 2] in _RECORD_WORDS):
        return None  # 创2006年以来新高: a record against the years since, not the time of the figures
    if m.group("suffix") == "以来":
        end = calendar.review_end
        return Cue(m.start(), m.end(), Period(min(year + 1, end), end), "actual")
    if year > calendar.report_year:
        # A later year names the end of a plan or vision that starts with the report's year;
        # only 到2035年… opens a passage, 2030年前碳达峰 qualifies its own sentence.
        reach = "passage" if prefix in ("到", "至") else "sentence"
        return Cue(m.start(), m.end(), Period(calendar.report_year, year), "target", reach)
    return Cue(m.start(), m.end(), Period(year, year))


def scope_at(cues: Sequence[Cue], pos: int, clause: int, running: Scope, figure_starts: Sequence[int] = ()) -> Scope:
    """The scope of a figure at pos: the last cue before it in its sentence, else the running scope."""
    best: Cue | None = None
    for cue in cues:
        if cue.at > pos:
            break
        if cue.reach == "figure" and any(cue.at < f < pos for f in figure_starts):
            continue  # 由1978年的36.5%调整到29%: 1978 dates the 36.5% only
        if cue.status_only and best is not None:
            best = replace(best, status=cue.status)  # “十五”期间…预期目标为7%: the plan's years, a target
            continue
        best = cue
    if best is None:
        return running
    level = "figure" if best.reach == "figure" else "clause" if best.at >= clause else "sentence"
    # A cue of the year in a passage of targets (今年…力争) keeps the passage's status.
    status = best.status or (running.status if running.period == best.period else None)
    return Scope(best.period, status, level)


def opened_scope(cues: Sequence[Cue], text: str, has_figures: bool, running: Scope) -> Scope:
    """The scope the sentences after this one take: a passage cue opening it, else the running one."""
    passage = [c for c in cues if c.reach == "passage"]
    if not passage:
        return running
    first = passage[0]
    stated = next((c.status for c in passage if c.status_only), None)
    if first.status_only and len(passage) > 1:
        first = passage[1]
    if stated:
        first = replace(first, status=stated)  # 2013年…的主要预期目标为：the year's targets follow
    alone = text[first.at - 1 : first.at] in _OPENER_TAILS and text[first.end : first.end + 1] in _OPENER_TAILS
    address = _ADDRESS_RE.match(text)
    opens = first.at - (address.end() if address else 0) <= OPENING_CUE_MAX or alone
    if opens:
        return Scope(first.period, first.status, "paragraph")
    if len(text) <= 40 and not has_figures:  # a heading-like line sets the time of what follows
        last = passage[-1]
        return Scope(last.period, last.status, "paragraph")
    return running


# The speaker addressing the hall (各位代表，刚刚过去的2025年，…) comes before a sentence's opening cue.
_ADDRESS_RE = re.compile(r"\s*(?:各位代表|各位委员|同志们|代表们)[，,！!：:]")
# A cue that is a clause of its own (…指出，2012年，面对…) is the topic of the passage that follows.
_OPENER_TAILS = "，,：:"


_ACCOMPLISHED_RE = re.compile(r"截至|截止|已经|已有|已")


def read_status(scope: Scope, calendar: Calendar | None, clause_left: str = "") -> str:
    """The status of a figure: the cue's own, else target when the period ends after the years reviewed.

    A figure the text says is already reached (截至今年2月底, 已有) is actual even in the
    report's own year.

    >>> read_status(Scope(Period(2021, 2021), None, "clause"), Calendar(2021, 2020))
    'target'
    >>> read_status(Scope(Period(2021, 2021), None, "clause"), Calendar(2021, 2020), "截至今年2月底，")
    'actual'
    >>> read_status(Scope(Period(2021, 2021), None, "clause"), Calendar(2021, 2021, december=True))
    'actual'
    """
    period = scope.period
    if scope.status is not None:
        return scope.status
    if period is None or calendar is None:
        return "actual"
    if period.first == period.last == calendar.this_year and _ACCOMPLISHED_RE.search(clause_left):
        return "actual"
    return "target" if period.last > calendar.review_end else "actual"


def heading_scope(previous: str, current: str, calendar: Calendar) -> Scope | None:
    """The scope a newly opened section heading names: the first cue of its first new level.

    Only the levels that changed count, so a sub-heading does not re-read its parent's
    "2025年主要工作和“十四五”发展成就" and jump from 2025 to the plan period.
    """
    old_parts, new_parts = previous.split(" > "), current.split(" > ")
    same = 0
    while same < min(len(old_parts), len(new_parts)) and old_parts[same] == new_parts[same]:
        same += 1
    for part in new_parts[same:]:
        cues = [c for c in time_cues(fold_text(part), calendar) if c.reach == "passage"]
        if cues:
            return Scope(cues[0].period, cues[0].status, "heading")
    return None


# A time cue this close to a sentence's start (五年来，/ 刚刚过去的2020年，) opens a passage;
# later in the sentence it qualifies only that sentence (…与“十五五”目标衔接).
OPENING_CUE_MAX = 6


def document_scope(sentences: Sequence[Sentence], calendar: Calendar) -> Scope:
    """The default scope: the first time cue of the text (a page that starts mid-section belongs to
    it), else the last year the report reviews."""
    for sentence in sentences[:200]:
        cues = [c for c in time_cues(fold_text(sentence.heading + sentence.text), calendar) if c.reach != "figure"]
        if cues:
            return Scope(cues[0].period, cues[0].status, "document")
    return Scope(Period(calendar.review_end, calendar.review_end), None, "document")
