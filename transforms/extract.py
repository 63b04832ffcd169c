"""Extract stage: indicator mentions (a figure, what it measures, and its attributes) from sentences.

The stage reads each sentence's cleaned text with full-width digits folded (same
length, so indices stay valid), finds figures with compiled patterns, then decides
per figure: the indicator name (left of the figure, or right of a count, or carried
over from the previous figure when the subject is elided), measure, direction,
qualifier, baseline, and the period and status the report's section gives it.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from transforms.numbers import (
    COUNT_CLASSIFIERS,
    SCALES,
    UNITS,
    NumberError,
    doubling_times,
    fold_text,
    fraction_percent,
    is_plausible,
    parse_chinese,
    parse_number,
)
from transforms.records import Document, Indicator, Sentence
from transforms.vocabulary import (
    CAP_VERBS,
    CHANGE_VERBS,
    FIVE_YEAR_PLANS,
    LEFT_ACTION_VERBS,
    NAME_LEADING_TRIM,
    NAME_TRAILING_TRIM,
    NEW_AS_LEVEL,
    ORDINAL_PLANS,
    PREFIX_QUALIFIERS,
    RIGHT_NAME_STOPS,
    SUFFIX_QUALIFIERS,
    THRESHOLD_NOUNS,
    TO_LEVEL,
    VERB_ONLY_NAMES,
    VERB_TO_FIGURE_FILLERS,
)


def _alternation(words: Sequence[str] | dict[str, object]) -> str:
    """A regex alternation of words, longest first so 个百分点 wins over 个."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CN = "零〇一二两三四五六七八九十百千万亿"
_YEAR4 = r"(?:1[89]\d\d|20\d\d|[一二][〇零一二三四五六七八九]{3})"
_NUM = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[零〇一二两三四五六七八九十][{_CN}]*(?:点[零〇一二三四五六七八九]+)?)"
_SCALE = _alternation(SCALES)
_UNIT = _alternation(UNITS)
_PRE = _alternation(PREFIX_QUALIFIERS)
_POST = _alternation(SUFFIX_QUALIFIERS)

# A figure: qualifier? number (余|多)? scale? (余|多)? [unit? range-separator number scale?] unit qualifier?
_FIGURE_TEMPLATE = (
    rf"(?P<pre>{_PRE})?"
    rf"(?P<num>{_NUM})(?P<more1>[余多])?(?P<scale>{_SCALE})?(?P<more2>[余多])?"
    # 到2025年 after a figure is its horizon, not the upper end of a range.
    rf"(?:(?P<unit1>{_UNIT})?(?P<sep>-{{1,2}}|~|至|到)(?!{_YEAR4}年)(?P<num2>{_NUM})(?P<scale2>{_SCALE})?(?P<more3>[余多])?)?"
    # 吨公里, 人公里 (freight and passenger turnover) have no canonical unit: not 吨 or 人.
    rf"(?P<unit>(?:{_UNIT})(?!公里|千米)){{UNIT_OPTIONAL}}"
    rf"(?P<post>{_POST}|多|余)?"
)
# Two passes: a unit is preferred (五十三万千瓦 is 53万 kW, not 五十三万千 and a stray 瓦);
# a bare scaled number counts only when a qualifier marks it (减少1000万以上).
FIGURE_RE = re.compile(_FIGURE_TEMPLATE.replace("{UNIT_OPTIONAL}", ""))
BARE_FIGURE_RE = re.compile(
    _FIGURE_TEMPLATE.replace("{UNIT_OPTIONAL}", "?").replace(f"(?P<scale>{_SCALE})?", f"(?P<scale>{_SCALE})", 1)
)
_PERCENT_NUM = rf"(?:[{_CN}]+(?:点[{_CN}]+)?|\d+(?:\.\d+)?)"
PERCENT_WORD_RE = re.compile(
    rf"(?P<pre>{_PRE})?百分之(?P<num>{_PERCENT_NUM})"
    rf"(?:(?:至|到|-)(?!(?:百分之)?{_YEAR4}年)(?:百分之)?(?P<num2>{_PERCENT_NUM}))?(?P<post>{_POST})?"
)
FRACTION_WORD_RE = re.compile(rf"(?P<pre>{_PRE})?(?P<den>[{_CN}]+)分之(?P<num>[{_CN}]+)(?P<post>{_POST})?")
TENTHS_RE = re.compile(
    rf"(?P<pre>{_PRE})?(?P<num>[一二两三四五六七八九]|\d)成(?![员本果就为效立熟功品交长型绩都套片规年人了不])(?P<post>{_POST})?"
)
HALF_RE = re.compile(rf"(?P<pre>{_PRE})?一半(?P<post>{_POST})?")
DOUBLING_RE = re.compile(r"翻(?P<n>[一两二三])?番(?P<post>以上|多)?")
SLASH_FRACTION_RE = re.compile(r"(?<![\d./])(?P<num>\d{1,2})/(?P<den>\d{1,2})(?![\d/])")
RATIO_RE = re.compile(r"(?<![\d.:])\d+(?:\.\d+)?(?::\d+(?:\.\d+)?){1,4}(?![\d:])")

_POPULATION_AFTER_RE = re.compile(r"[\u4e00-\u9fff]{0,8}?人口")

# Clause boundaries for reading names; 、 separates list items.
CLAUSE_DELIMS = "，,；;:。！？!?\n、（）()"
HARD_DELIMS = "，,；;:。！？!?\n"
_BRACKETED_RE = re.compile(r"[［\[【][^］\]】]{0,6}[］\]】]")
_SHORT_QUOTE_RE = re.compile(r"[“\"「『][^”\"」』]{1,12}[”\"」』]")

_CN_SMALL = "一二两三四五六七八九十"
_YEAR4_RE = re.compile(_YEAR4)
_CN_MAGNITUDE_RE = re.compile("[十百千万亿点]")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
BASELINE_YEAR_RE = re.compile(rf"(?:较|比|同|与|相对于|相比)(?P<year>{_YEAR4})年(?:末|底|同期)?")
BASELINE_SINCE_RE = re.compile(rf"在(?P<year>{_YEAR4})年(?:的)?基础上")
BASELINE_PREV_RE = re.compile(r"同比|比上一?年|较上一?年|比去年|较去年|与上一?年|与去年|上年同期|比前一年")
BASELINE_AGO_RE = re.compile(rf"(?:比|较)(?P<n>[{_CN_SMALL}\d]+)年前")
BASELINE_OTHER_RE = re.compile(
    r"(?:比|较)(?!上一?年|去年|前一年|同期|\d|[一二][〇零])[\u4e00-\u9fff]|(?:超过|超出|高于|低于)了?(?:原定|年度|计划|预期|规定|第)"
)
# 超过原定的年度计划4.1%: a change against a plan, read from the verb before its object.
_BEYOND_PLAN_RE = re.compile(r"(?P<verb>超过|超额完成|超出|高于|低于|少于)[^，,；;:。]{1,20}$")
MULTI_YEAR_RE = re.compile(r"年均(?!浓度|值)|年平均(?!浓度|值)|平均每年|每年平均|累计|五年来|多年来|以来")
# A figure stated as a total reached (累计达到831家) is a level whatever its name says.
_LEVEL_END_RE = re.compile(r"(?:累计|总数|总量|共|总计|合计)?(?:达到|达|为|是|有)(?:了)?$")
# A base year named at the head of a sentence for all its changes (一九八二年同一九七八年相比，…).
SENTENCE_BASELINE_RE = re.compile(rf"(?:同|与|和|比|较)(?P<year>{_YEAR4})年(?:相比|比较)")


# Words that, removed from the text left of a figure, leave the indicator's name.
def _unnamed(pattern: str) -> str:
    """A pattern with its group names dropped, so several can share one alternation."""
    return re.sub(r"\?P<\w+>", "", pattern)


_NAME_NOISE_RE = re.compile(
    _unnamed(
        "|".join(
            (
                BASELINE_YEAR_RE.pattern,
                BASELINE_SINCE_RE.pattern,
                BASELINE_PREV_RE.pattern,
                BASELINE_AGO_RE.pattern,
                rf"(?:{_YEAR4}年?[-~至到])?(?:到|至|截至|截止)?{_YEAR4}年(?:底|末|初|前|以来|上半年|下半年|全年|的)?",
                r"(?<![\d.A-Za-z])(?:过去|今后|未来|近|这)?[一二两三四五六七八九十\d]+年(?:来|间|中|里)?",
                r"今年|去年|明年|全年|年内|年末|年底|当年|上年",
                r"“?十[一二三四五六]?五”?(?:时期|期间|末|以来)?",
                r"(?:比|较)(?:省定|国家|预期|计划)?目标",
                r"(?:不)?包括[^，,；;]{0,20}在内|",
                rf"按{_YEAR4}年不变价格(?:计算)?|按可比(?:价格|口径)计算|按可比(?:价格|口径)|扣除(?:物价上涨|价格)因素(?:后)?|剔除[^，,]{1, 6}因素(?:后)?",
            )
        )
    )
)
_LEAD_TRIM_RE = re.compile(rf"^(?:{_alternation(NAME_LEADING_TRIM)})")
_TRAIL_TRIM_RE = re.compile(rf"(?:{_alternation((*NAME_TRAILING_TRIM, *CHANGE_VERBS))})$")
_EDGE_PUNCT = " \t\u3000、,，;；:：.。()（）[]【】<>《》-~□"
_CHANGE_END_RE = re.compile(
    rf"(?P<verb>{_alternation(CHANGE_VERBS)})(?P<to>{_alternation(TO_LEVEL)})?(?:{_alternation(VERB_TO_FIGURE_FILLERS)})*$"
)
_CAP_END_RE = re.compile(rf"(?:{_alternation(CAP_VERBS)})$")
_RIGHT_STOP_RE = re.compile(_alternation(RIGHT_NAME_STOPS))
_LEFT_ACTION_END_RE = re.compile(rf"(?:{_alternation(LEFT_ACTION_VERBS)})$")

# Characters after a unit that show it is the start of another word (人民, 部门, 项目 …).
UNIT_BLOCKERS: dict[str, str] = {
    "人": "民大才工口员",
    "名": "单称牌列额次",
    "位": "于居列置数一",
    "家": "庭族乡园长属电具",
    "部": "门分署委队长件",
    "所": "有以在得属谓述需",
    "条": "例件款",
    "项": "目",
    "场": "所景馆地",
    "座": "谈",
    "台": "湾阶风账",
    "户": "籍口外型",
    "只": "有是要能",
    "间": "隔",
    "种": "类子植养业粮",
    "起": "来步点草诉",
    "次": "会全",
    "支": "持出付援柱",
    "根": "本据",
    "列": "入车",
    "份": "额子",
    "处": "理置罚于",
    "批": "准复次",
    "个": "月体人性别",
    "天": "然津地下空",
    "日": "均益前报",
    "元": "素旦首宵",
    "度": "",
    "年": "",
    "头": "部",
    "套": "餐",
    "块": "钱",
    "张": "网图",
    "级": "",
}

_LETTER_BEFORE = re.compile(r"[A-Za-z0-9.\-_/#]$")


@dataclass(frozen=True)
class Figure:
    """A number found in a sentence's cleaned text, read into value, unit and qualifier."""

    start: int  # of the quote (qualifier included) in the cleaned text
    end: int
    num_start: int  # where the number itself starts (after a prefix qualifier)
    value: float
    value_high: float | None
    unit: str
    raw_unit: str
    qualifier: str
    kind: str  # plain | percent_word | fraction | tenths | half | doubling | ratio
    bare_qualifier: str = "exact"  # the qualifier without the prefix word, for when that word is not one


@dataclass(frozen=True)
class Period:
    """Years a figure covers, first to last inclusive."""

    first: int
    last: int

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


@dataclass(frozen=True)
class _LocalPeriod(Period):
    """A period named for one clause only (近三年): it does not carry to the next sentence."""


@dataclass(frozen=True)
class _FromPeriod(_LocalPeriod):
    """The start of a 由…的A…到B change: it dates only the figure right after it."""


# ---------------------------------------------------------------- figures


_APPROX_END_RE = re.compile(r"(?:大约|约)(?:占|为|是|有|达)$")


def _qualifier(pre: str | None, inner_over: bool, post: str | None, left: str) -> str:
    """The qualifier code of a figure from the words around it (GUIDELINES §2)."""
    if post in SUFFIX_QUALIFIERS:
        return SUFFIX_QUALIFIERS[post]
    if post in ("多", "余") or inner_over:
        return "over"
    if pre:
        return PREFIX_QUALIFIERS[pre]
    if _CAP_END_RE.search(left):
        return "under"
    if _APPROX_END_RE.search(left):
        return "approx"  # 约占80%: the 约 qualifies the figure though a verb stands between
    return "exact"


def _is_year_figure(num: str, unit: str | None, left: str, has_decimal: bool) -> bool:
    """Whether a figure with 年 is a date or a duration rather than a measured number of years."""
    if unit != "年":
        return False
    if has_decimal and re.search(r"(年限|寿命|期限|年龄)\S{0,4}$", left):
        return False
    return True


def _blocked(text: str, m: re.Match[str], unit: str) -> bool:
    """Whether the figure is part of a name, date, slogan or marker rather than a measurement."""
    start, end = m.start("num"), m.end()
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    unit_end_next = text[m.end("unit") : m.end("unit") + 1] if m.group("unit") else ""
    if m.group("pre") is None and (before in ("第", "每", "前", "［", "[", "【") or _LETTER_BEFORE.search(before)):
        return True
    if unit in UNIT_BLOCKERS and unit_end_next and unit_end_next in UNIT_BLOCKERS[unit]:
        return True
    if unit == "日" and "月" in text[max(0, start - 4) : start]:
        return True  # 11月1日 is a date
    if unit == "度" and not m.group("scale"):
        return True  # 360度 is a figure of speech; kWh comes with a scale (亿度)
    if after and re.match(r"[号届周强级星型代版期]", after) and not m.group("post"):
        return True
    return False


def _plain_figures(text: str) -> Iterator[Figure]:
    """Figures written as digits or Chinese numerals with a unit (and ranges of them)."""
    for m in (*FIGURE_RE.finditer(text), *BARE_FIGURE_RE.finditer(text)):
        num, unit = m.group("num"), m.group("unit")
        scale = m.group("scale")
        population = False
        if unit is None:
            # A bare number counts only with a scale and a qualifier (减少1000万以上) or when it
            # counts people (551万农村贫困人口).
            population = bool(scale) and bool(_POPULATION_AFTER_RE.match(text, m.end()))
            if not scale or not (m.group("post") in ("以上", "左右", "以内") or m.group("pre") or population):
                continue
            if m.group("sep"):
                continue
        if unit and m.group("unit1") and m.group("unit1") != unit:
            continue
        is_cn = not num[0].isdigit()
        if is_cn and len(num) > 1 and not _CN_MAGNITUDE_RE.search(num) and not _YEAR4_RE.fullmatch(num):
            continue  # 一二三次产业, 三四个: digits in a row that are a list or a guess, not a number
        has_decimal = "." in num
        left = text[max(0, m.start() - 8) : m.start()]
        if unit == "年" and _is_year_figure(num, unit, left, has_decimal):
            continue
        if _YEAR4_RE.fullmatch(num) and (m.group("sep") or unit in ("年", None)):
            continue
        if _blocked(text, m, unit or ""):
            continue
        try:
            if scale and is_cn and "亿" in num and scale == "万":
                value = parse_number(num + scale)  # 一亿一千七百多万: the scale ends the numeral
            else:
                value = parse_number(num) * SCALES.get(scale or "", 1)
            high = None
            if m.group("num2"):
                high = parse_number(m.group("num2")) * SCALES.get(m.group("scale2") or scale or "", 1)
                if not m.group("scale2") and m.group("scale") and m.group("sep"):
                    # 50万-60万人 has two scales; 6-7万人 puts one after both numbers.
                    pass
        except NumberError:
            continue
        if m.group("num2") and not m.group("scale") and m.group("scale2"):
            value *= SCALES[m.group("scale2")]
        if unit is None and text[max(0, m.start() - 8) : m.start()].rstrip("超过近约达到为有").endswith("人口"):
            population = True  # 60岁以上人口超过2.6亿
        code, factor = UNITS[unit] if unit else ("person" if population else "count", 1.0)
        if unit == "岁" and m.group("post") in ("以上", "以下") and _HAN_RE.match(text, m.end()):
            continue  # 60岁以上人口: an age band naming a population
        if code == "CNY" and not m.group("post") and text.startswith(THRESHOLD_NOUNS, m.end()):
            continue  # 三千亿元城市, 百亿元企业: a threshold inside a name
        if is_cn and code == "count" and value <= 10 and not scale:
            continue  # 两个确保, 三项制度, 一批: rhetoric rather than counts
        if is_cn and ((code == "person" and value <= 2) or (code == "day" and value <= 10)) and not scale:
            continue  # 两人, 三天的讨论: not measurements
        if m.group("sep") and high is not None and high <= value:
            continue  # 1-1 or a date span, not a range
        pre = m.group("pre")
        post = m.group("post")
        inner_over = bool(m.group("more1") or m.group("more2") or m.group("more3"))
        qualifier = "range" if high is not None else _qualifier(pre, inner_over, post, text[: m.start()])
        raw_unit = (scale or "") + (unit or "")
        if raw_unit == "" and scale:
            raw_unit = scale
        yield Figure(
            start=m.start(),
            end=m.end(),
            num_start=m.start("num"),
            value=value * factor,
            value_high=high * factor if high is not None else None,
            unit=code,
            raw_unit=raw_unit,
            qualifier=qualifier,
            kind="plain",
            bare_qualifier="range" if high is not None else _qualifier(None, inner_over, post, text[: m.start()]),
        )


def _word_figure(m: re.Match[str], value: float, unit: str, raw_unit: str, kind: str) -> Figure:
    """A figure written in words (百分之五, 三分之一, 九成, 一半)."""
    groups = m.groupdict()
    pre, post = groups.get("pre"), groups.get("post")
    return Figure(
        start=m.start(),
        end=m.end(),
        num_start=m.end("pre") if pre else m.start(),  # where the figure starts without its qualifier word
        value=value,
        value_high=None,
        unit=unit,
        raw_unit=raw_unit,
        qualifier=_qualifier(pre, False, post, ""),
        kind=kind,
        bare_qualifier=_qualifier(None, False, post, ""),
    )


def _cn_or_arabic(raw: str) -> float:
    """The value of a short figure in either script, 点 as the decimal point."""
    if raw[0].isdigit():
        return float(raw)
    if "点" in raw:
        whole, frac = raw.split("点", 1)
        return parse_chinese(whole) + float("0." + "".join(str(int(parse_chinese(c))) for c in frac))
    return parse_chinese(raw)


def _word_figures(text: str) -> Iterator[Figure]:
    """Percents, fractions and multiples written in words, and slash fractions."""
    # Each pattern needs a telltale character; checking for it first keeps the stage fast.
    if "分之" in text:
        yield from _percent_and_fraction_words(text)
    if "成" in text:
        yield from _tenths(text)
    if "一半" in text:
        for m in HALF_RE.finditer(text):
            yield _word_figure(m, 50.0, "percent", "一半", "half")
    if "番" in text:
        for m in DOUBLING_RE.finditer(text):
            qualifier = "over" if m.group("post") else "exact"
            yield Figure(
                m.start(),
                m.end(),
                m.start(),
                doubling_times(m.group("n") or ""),
                None,
                "times",
                "番",
                qualifier,
                "doubling",
            )
    if "/" in text:
        for m in SLASH_FRACTION_RE.finditer(text):
            num, den = int(m.group("num")), int(m.group("den"))
            if 0 < num < den:
                yield Figure(
                    m.start(), m.end(), m.start(), fraction_percent(num, den), None, "percent", "/", "exact", "fraction"
                )


def _percent_and_fraction_words(text: str) -> Iterator[Figure]:
    """百分之五 and 三分之一, as percents."""
    for m in PERCENT_WORD_RE.finditer(text):
        try:
            fig = _word_figure(m, _cn_or_arabic(m.group("num")), "percent", "百分之", "percent_word")
            if m.group("num2"):
                high = _cn_or_arabic(m.group("num2"))  # 百分之七至百分之十: a range
                if high > fig.value:
                    fig = replace(fig, value_high=high, qualifier="range", bare_qualifier="range")
            yield fig
        except (NumberError, ValueError):
            continue
    for m in FRACTION_WORD_RE.finditer(text):
        if text[max(0, m.start() - 1) : m.start()] == "百" or m.group("den").startswith("百"):
            continue
        den = m.group("den")
        try:
            # 千分之十二 (per mille) is a fraction of 1000 like any other.
            value = fraction_percent(parse_chinese(m.group("num")), 1000.0 if den == "千" else parse_chinese(den))
        except (NumberError, ValueError):
            continue
        yield _word_figure(m, value, "percent", "分之", "fraction")


def _tenths(text: str) -> Iterator[Figure]:
    """九成, 9成: tenths as percents."""
    for m in TENTHS_RE.finditer(text):
        if text[max(0, m.start("num") - 1) : m.start("num")] in ("第", "一", "十") and not m.group("pre"):
            continue
        try:
            yield _word_figure(m, _cn_or_arabic(m.group("num")) * 10, "percent", "成", "tenths")
        except (NumberError, ValueError):
            continue


def _ratio_figures(text: str) -> Iterator[Figure]:
    """Each part of a ratio such as 4.0:37.7:58.3, as a share in percent."""
    if ":" not in text:
        return
    for m in RATIO_RE.finditer(text):
        parts = m.group().split(":")
        if len(parts) < 3 and not all("." in p for p in parts):
            continue  # 1:1 matching rules are not measurements
        pos = m.start()
        for part in parts:
            yield Figure(pos, pos + len(part), pos, float(part), None, "percent", ":", "exact", "ratio")
            pos += len(part) + 1


# A cheap gate: a digit, or a Chinese numeral right before a unit-like character. Most
# sentences fail it (一体化, 进一步) and skip the full patterns, which keeps the stage fast.
_MAYBE_FIGURE_RE = re.compile(
    rf"\d|[{_CN}][{_CN}点多余]*[{COUNT_CLASSIFIERS}人名位元美平公亩微立吨斤标千度天日岁年倍成分番半担市‰]|一半|翻番"
)


def find_figures(text: str) -> list[Figure]:
    """The figures of a folded sentence, in order, none overlapping (the earliest, then longest, wins)."""
    if not _MAYBE_FIGURE_RE.search(text):
        return []
    masked = _mask_names(text)
    candidates = [*_ratio_figures(masked), *_plain_figures(masked), *_word_figures(masked)]
    candidates.sort(key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[Figure] = []
    last_end = -1
    for fig in map(lambda f: _without_word_tail_prefix(text, f), candidates):
        if fig.start >= last_end and is_plausible(fig.value):
            chosen.append(fig)
            last_end = fig.end
    return chosen


# Words whose last character reads like a qualifier before a figure: 节约10% is not 约10%.
_PREFIX_WORD_TAILS = frozenset(
    {
        "节约",
        "制约",
        "简约",
        "预约",
        "契约",
        "公约",
        "条约",
        "违约",
        "集约",
        "附近",
        "靠近",
        "最近",
        "临近",
        "邻近",
        "贴近",
        "亲近",
        "赶超",
        "高超",
        "新近",
        "就近",
    }
)


def _without_word_tail_prefix(text: str, fig: Figure) -> Figure:
    """The figure without its qualifier prefix when that prefix ends another word (节约, 最近)."""
    if fig.num_start > fig.start and text[max(0, fig.start - 1) : fig.start + 1] in _PREFIX_WORD_TAILS:
        return replace(fig, start=fig.num_start, qualifier=fig.bare_qualifier)
    return fig


def _mask_names(text: str) -> str:
    """The text with short quoted names (“惠企20条”) and note markers (［28］) blanked, same length."""

    def blank(m: re.Match[str]) -> str:
        return "□" * len(m.group())

    text = _BRACKETED_RE.sub(blank, text)
    return _SHORT_QUOTE_RE.sub(
        lambda m: blank(m) if re.search(r"[\d一二两三四五六七八九十]", m.group()) else m.group(), text
    )


# ---------------------------------------------------------------- names


# 等 closing a list of examples; not 高等, 平等, 中等 … nor 等级, 等于.
_EXAMPLES_RE = re.compile(r"^.*[^高中初平同均对相超次优上何]等(?![级于同等])(?=..)")


_PARENTHETICAL_RE = re.compile(r"[（(][^（）()]{0,20}[）)]")


def _trim_name(raw: str) -> str:
    """The core noun phrase of the text left of a figure: time, baseline, asides and verbs removed."""
    name = _NAME_NOISE_RE.sub("", _PARENTHETICAL_RE.sub("", raw)).strip(_EDGE_PUNCT)
    for _ in range(6):
        before = name
        name = _LEAD_TRIM_RE.sub("", name).strip(_EDGE_PUNCT)
        name = _TRAIL_TRIM_RE.sub("", name).strip(_EDGE_PUNCT)
        if name == before:
            break
    listed = _EXAMPLES_RE.search(name)
    if listed:
        # 黄石、咸宁、天门等全国文明城市: the examples before 等 are not the name.
        name = name[listed.end() :]
    name = name.strip('“”"')
    if name.count("“") != name.count("”"):
        name = name.replace("“", "").replace("”", "")
    return name


def _right_name(text: str, end: int) -> str:
    """The name written right of a count (45个重点道桥项目), up to a verb or clause end."""
    stop = len(text)
    for i in range(end, min(len(text), end + 20)):
        if text[i] in CLAUSE_DELIMS or text[i] == "□":
            stop = i
            break
    else:
        stop = min(len(text), end + 20)
    right = text[end:stop]
    if right.startswith("的"):
        right = right[1:]
    m = _RIGHT_STOP_RE.search(right, 2)
    if m:
        right = right[: m.start()]
    if FIGURE_RE.search(right) and re.search(r"\d", right):
        right = right[: re.search(r"\d", right).start()]
    return right.strip(_EDGE_PUNCT)[:14]


def _shorten(name: str, words: Sequence[str], name_end: int) -> str:
    """A long name cut to its last 18 characters, at a word boundary when the words say one."""
    if len(name) <= 18:
        return name
    cut = name_end - 18
    starts = itertools.accumulate((len(w) for w in words), initial=0)
    boundaries = [start for start in starts if cut <= start < name_end]
    start = boundaries[0] if boundaries else cut
    return name[len(name) - (name_end - start) :]


# ---------------------------------------------------------------- time


_PLAN_RE = re.compile(
    r"“?(?P<plan>十[一二三四五六]五|十五|[六七八九]五)”?(?P<tail>规划|计划|时期|期间|末|以来|开局|时期)?"
)
_ORDINAL_PLAN_RE = re.compile(r"第(?P<n>[一二三四五六七])个五年计划")
_YEAR_CUE_RE = re.compile(
    rf"(?P<prefix>到|至|截至|截止|比|较|同|与|在|按)?(?P<year>{_YEAR4})年(?:(?:-|至|到)(?P<year2>{_YEAR4})年)?(?P<suffix>基础上|以来|的基础)?"
)
_CUE_RE = re.compile(
    r"(?P<this>今年|本年度|本年)|(?P<last>过去一年|过去的一年|去年|一年来)|"
    r"(?P<five>五年来|过去五年|过去的五年)|(?P<next5>今后五年|未来五年)|"
    r"(?:近|过去)(?P<recent>[两三四五六七八九十]|\d{1,2})年"
)


def _year_span(m: re.Match[str]) -> tuple[int, int]:
    """First and last year of a year cue match (1978年 or 2016-2020年)."""
    first = _year_of(m.group("year"))
    return first, _year_of(m.group("year2")) if m.group("year2") else first


def _year_of(raw: str) -> int:
    """A four-digit year from digits or Chinese numerals (二〇二一)."""
    return int(raw) if raw.isdigit() else int(parse_chinese(raw))


def _cues(text: str, report_year: int) -> list[tuple[int, Period]]:
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
            n = int(_cn_or_arabic(m.group("recent")))
            found.append((m.start(), _LocalPeriod(report_year - n, report_year - 1)))
        else:
            found.append((m.start(), Period(report_year, report_year + 4)))
    for m in _PLAN_RE.finditer(text):
        quoted = m.group().startswith("“") or m.group("tail")
        if len(m.group("plan")) == 2 and m.group("tail") not in ("计划", "时期", "期间"):
            continue  # “八五”普法, “十五”: the short names of older plans need 计划/时期 to mean a plan
        if quoted:
            first, last = FIVE_YEAR_PLANS[m.group("plan")]
            # A plan already under way (“十四五” in a 2024 report) dates only its own sentence.
            kind = _LocalPeriod if first < report_year <= last else Period
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
            found.append((m.start(), _FromPeriod(*_year_span(m))))
            continue
        year = _year_of(m.group("year"))
        if m.group("year2"):
            found.append((m.start(), Period(year, _year_of(m.group("year2")))))
        elif m.group("suffix") == "以来":
            found.append((m.start(), Period(min(year + 1, report_year - 1), report_year - 1)))
        elif year > report_year:
            # A later year names the end of a plan or vision that starts with the report's year;
            # only 到2035年… opens a passage, 2030年前碳达峰 qualifies its own sentence.
            kind = Period if prefix in ("到", "至") else _LocalPeriod
            found.append((m.start(), kind(report_year, year)))
        else:
            found.append((m.start(), Period(year, year)))
    found.sort(key=lambda t: t[0])
    return found


_REPORT_YEAR_FORWARD_RE = re.compile(
    rf"(?P<year>{_YEAR4})年(?:是|的)?(?:政府工作|工作的?总体要求|主要工作|重点工作|工作任务|工作安排|经济社会发展的?主要预期目标|主要预期目标|的?主要任务)"
)
_REPORT_YEAR_BACK_RE = re.compile(rf"(?:刚刚过去的|过去的|回顾)(?P<year>{_YEAR4})年|(?P<year2>{_YEAR4})年工作回顾")
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
_ANY_YEAR_RE = re.compile(rf"(?P<year>{_YEAR4})年")


def infer_report_year(text: str) -> int | None:
    """The year a report is for, read from what its text says (今年是“十四五”开局之年 → 2021)."""
    folded = fold_text(text)
    votes: Counter[int] = Counter()
    for m in _REPORT_YEAR_PLAN_RE.finditer(folded):
        votes[FIVE_YEAR_PLANS[m.group("plan")][0] + _PLAN_OFFSETS[m.group("which")]] += 3
    for m in _REPORT_YEAR_FORWARD_RE.finditer(folded):
        votes[_year_of(m.group("year"))] += 2
    for m in _REPORT_YEAR_BACK_RE.finditer(folded):
        votes[_year_of(m.group("year") or m.group("year2")) + 1] += 2
    if votes:
        return votes.most_common(1)[0][0]
    # A report mostly reviews the year before it; baselines (比2015年) and horizons (到2035年) say nothing.
    years = Counter(
        _year_of(m.group("year"))
        for m in _ANY_YEAR_RE.finditer(folded)
        if folded[max(0, m.start() - 1) : m.start()] not in ("比", "较", "到", "至", "同", "与")
    )
    return years.most_common(1)[0][0] + 1 if years else None


# ---------------------------------------------------------------- attributes


@dataclass(frozen=True)
class Reading:
    """What the words around one figure say about it."""

    name: str | None
    measure: str
    direction: str | None
    baseline: str | None


def _change_verb(left: str) -> tuple[str | None, bool]:
    """The change verb ending the text left of a figure, and whether it states a new level (升至)."""
    left = _CAP_END_RE.sub("", left)
    m = _CHANGE_END_RE.search(left)
    if not m:
        return None, False
    return m.group("verb"), bool(m.group("to"))


def _baseline(clause_left: str, period: Period | None, multi_year: bool, sentence_left: str = "") -> str | None:
    """What a change is compared with: a year, prev_year, or None (GUIDELINES §2)."""
    m = BASELINE_YEAR_RE.search(clause_left) or BASELINE_SINCE_RE.search(clause_left)
    if m:
        return str(_year_of(m.group("year")))
    if sentence_left:
        m = SENTENCE_BASELINE_RE.search(sentence_left)
        if m and not BASELINE_PREV_RE.search(clause_left):
            return str(_year_of(m.group("year")))
    if BASELINE_PREV_RE.search(clause_left):
        return "prev_year"
    m = BASELINE_AGO_RE.search(clause_left)
    if m:
        end = period.last if period else None
        return str(end - int(_cn_or_arabic(m.group("n")))) if end else None
    if BASELINE_OTHER_RE.search(clause_left):
        return None
    if multi_year or (period is not None and period.first != period.last):
        return None
    return "prev_year"


# Verbs that, right before a count, change the count itself (新增5家, 减少3个).
_COUNT_CHANGE_VERBS = frozenset({"增加", "新增", "净增", "减少", "增", "减", "多增", "还多", "多出", "增长", "下降"})
_CHANGE_AFTER_RE = re.compile(r"的?(?P<verb>增长|增速|增幅|下降|降幅|涨幅)")


def _measure(fig: Figure, name: str, left: str, right: str = "") -> tuple[str, str | None]:
    """Measure and direction of a figure from its unit, its name and the verb before it."""
    verb, to_level = _change_verb(left)
    if verb and fig.unit in _RIGHT_NAMED_UNITS and verb not in _COUNT_CHANGE_VERBS and _HAN_RE.match(right[:1] or " "):
        verb = None  # 提升39个欠发达县域帮扶质效: the verb governs the things counted, not the count
    if verb is None and fig.unit == "percent":
        after = _CHANGE_AFTER_RE.match(right)
        if after:
            verb = after.group("verb")  # 保持20%以上增长: the verb follows the figure
    if fig.kind == "ratio":
        return "share", None
    beyond = _BEYOND_PLAN_RE.search(left) if verb is None and fig.unit == "percent" else None
    if beyond:
        return "change", "down" if beyond.group("verb") in ("低于", "少于") else "up"
    if fig.kind == "doubling":
        return "change", "up"
    if verb and not to_level:
        if (
            verb == "新增"
            and fig.unit not in ("percent", "pp", "times")
            and any(w in "新增" + name for w in NEW_AS_LEVEL)
        ):
            return "level", None
        return "change", CHANGE_VERBS[verb]
    if fig.unit == "pp":
        return "change", None
    if fig.unit == "percent":
        # 经济增长预期目标5%左右: a growth target is a change, whatever target word follows.
        if re.search(r"(增长|增速|增幅|涨幅|上涨幅度|增长幅度|上升幅度)(?:的?预期目标|的?目标|预期)?$", name):
            return "change", "up"
        if re.search(r"(降幅|下降|下降幅度|减少幅度)(?:的?预期目标|的?目标|预期)?$", name):
            return "change", "down"
        return "share", None
    if "新增" in name and not any(w in name for w in NEW_AS_LEVEL) and not _LEVEL_END_RE.search(left):
        return "change", "up"
    if fig.unit == "times" and verb is None:
        return "level", None
    return "level", None


# ---------------------------------------------------------------- sentence


def _clause_start(text: str, pos: int, delims: str) -> int:
    """Index after the last delimiter before pos."""
    best = 0
    for d in delims:
        i = text.rfind(d, 0, pos)
        if i + 1 > best:
            best = i + 1
    return best


def _respectively_names(text: str, figures: Sequence[Figure]) -> dict[int, str]:
    """Names for figures of a 分别 clause (甲、乙分别增长5%、6%), keyed by figure index."""
    out: dict[int, str] = {}
    by_clause: dict[int, list[int]] = {}
    for i, fig in enumerate(figures):
        by_clause.setdefault(_clause_start(text, fig.start, HARD_DELIMS), []).append(i)
    for start, idxs in by_clause.items():
        first = figures[idxs[0]]
        head = text[start : first.start]
        if "分别" not in head:
            continue
        subject = head[: head.index("分别")]
        subject = _NAME_NOISE_RE.sub("", subject)
        parts = [p for p in (_trim_name(x) for x in re.split(r"[、和及与]", subject)) if p]
        if len(parts) > 1:
            # 城镇和农村居民人均可支配收入: a short first part shares the last part's tail.
            tail = parts[-1]
            parts = [p + tail[len(p) :] if len(p) <= 3 and len(tail) > len(p) + 3 else p for p in parts]
        if len(parts) == len(idxs) and len(parts) > 1:
            out.update(dict(zip(idxs, parts, strict=True)))
    return out


# Names that relate a figure to something else (a plan, a target) rather than naming a quantity.
_RELATIONAL_NAME_RE = re.compile(r"(?:超过|超额完成|超出|高于|低于|只完成|完成了?(?:原定|年度|计划))")
_LIST_GAP_RE = re.compile(r"^[、和及与]$")
_ACTION_PREFIX_RE = re.compile(rf"^(?:{_alternation(LEFT_ACTION_VERBS)})")
_RIGHT_NOT_NAME_RE = re.compile(
    rf"(?:[以之增减提降达比较占是到至左跃从由]|上下|同比|实现|目标|任务|规模|水平|以上|左右|{_alternation(CHANGE_VERBS)})"
)
_RIGHT_NAMED_UNITS = frozenset({"count", "person", "person_time"})
_SHORT_LEFT_UNITS = frozenset({"m2", "mu", "km", "CNY", "ton", "ha"})


# Single characters that head a clause without naming anything (占3.7%, 为16亿元).
_NOT_ONE_CHAR_NAMES = frozenset("占为是有达增减降约近共计和及与或等到至从由比较超逾")


def _is_threshold_in_name(text: str, fig: Figure) -> bool:
    """Whether a figure is a threshold inside a name (10亿元以上产业项目): 以上/以下 then more name."""
    after = text[fig.end : fig.end + 1]
    return (
        fig.qualifier in ("over", "under")
        and text[fig.end - 2 : fig.end] in ("以上", "以下")
        and bool(re.match(r"[\u4e00-\u9fff]", after))
    )


def _name_of(
    text: str,
    fig: Figure,
    left_start: int,
    carried: str | None,
    prev_name: str | None,
    after_list_mark: bool,
    prev_end: int = 0,
) -> tuple[str, int]:
    """The name of one figure and where the text it used ends (past the figure when read to the right)."""
    raw_left = text[left_start : fig.start]
    name = _trim_name(raw_left)
    one_char_name = len(name) == 1 and raw_left.strip(_EDGE_PUNCT) == name and name not in _NOT_ONE_CHAR_NAMES
    right_first = fig.unit in _RIGHT_NAMED_UNITS and len(_right_name(text, fig.end)) >= 2
    if (
        not one_char_name
        and not right_first
        and len(name) <= 1
        and left_start > 0
        and text[left_start - 1] in HARD_DELIMS
        and left_start > prev_end + 1
    ):
        # 生产资料的比重，在1954年将由28.8%上升为42.3%: the subject ends a clause before.
        end = left_start - 1
        for _ in range(3):
            start = _clause_start(text, end, HARD_DELIMS)
            if start < prev_end:
                break
            name = _trim_name(text[start:end]) or name
            if len(name) > 1 or start == 0 or text[start - 1] not in HARD_DELIMS:
                break
            end = start - 1
    used_end = fig.end
    action = _LEFT_ACTION_END_RE.search(_NAME_NOISE_RE.sub("", raw_left).rstrip(_EDGE_PUNCT))
    wants_right = fig.unit in _RIGHT_NAMED_UNITS or (
        fig.unit in _SHORT_LEFT_UNITS and (len(name) <= 1 or action is not None)
    )
    if wants_right:
        right = _right_name(text, fig.end)
        if len(right) >= 2 and not _RIGHT_NOT_NAME_RE.match(right):
            verb = action.group() if action else ""
            name = verb + right if verb and not right.startswith(verb) else right
    if fig.kind in ("half", "tenths", "fraction") and text[fig.end : fig.end + 1] == "的":
        right = _right_name(text, fig.end)  # 九成以上的新增就业: what the fraction is of
        if len(right) >= 2:
            name = right
    if len(name) <= 1 and text[fig.end : fig.end + 1] == "的":
        right = _right_name(text, fig.end)  # 5.5%左右的预期增长目标
        name = right if len(right) >= 2 else name
    if len(name) == 2 and name not in CHANGE_VERBS:
        verb, _ = _change_verb(raw_left)
        if verb and raw_left.rstrip().endswith(verb):
            name += verb  # 经济增长5.5%: the two-character subject needs its verb to mean anything
    if one_char_name and re.match(r"[\u4e00-\u9fff]", name):
        pass  # 钢217万吨: a one-character product name heading its clause
    elif name in CHANGE_VERBS or len(name) <= 1:
        name = carried or name
    elif name in VERB_ONLY_NAMES and carried:
        name = carried + name
    elif (
        re.match(r"(?:大约|约)?占", raw_left.lstrip(_EDGE_PUNCT))
        and carried
        and fig.unit == "percent"
        and "占" not in carried
    ):
        name = carried + name.lstrip("大约")
    elif after_list_mark and prev_name and not _ACTION_PREFIX_RE.match(name):
        verb = _ACTION_PREFIX_RE.match(prev_name)
        if verb:
            name = verb.group() + name
    return name, used_end


def _as_written(name: str, folded: str, original: str) -> str:
    """The name in the characters the sentence uses (traditional stays traditional), when it is contiguous."""
    at = folded.rfind(name)
    return original[at : at + len(name)] if at >= 0 and folded is not original else name


_ASIDE_RE = re.compile(r"（[^（）]{1,40}）|\([^()]{1,40}\)")


def _mask_asides(text: str, figures: Sequence[Figure]) -> str:
    """The text with parenthetical asides blanked (same length), unless a figure sits inside one.

    （不包括手工业产值，下同） holds a comma that would otherwise cut the clause that names
    the figure after it.
    """

    def blank(m: re.Match[str]) -> str:
        if any(m.start() <= f.start < m.end() for f in figures):
            return m.group()
        return "□" * len(m.group())

    return _ASIDE_RE.sub(blank, text) if "（" in text or "(" in text else text


def _read_figures(
    text: str,
    figures: Sequence[Figure],
    words: Sequence[str],
    carried: str | None,
    period: Period | None,
    original: str = "",
) -> tuple[list[Reading], str | None]:
    """A reading of each figure of one sentence, and the name carried to the next sentence."""
    text = _mask_asides(text, figures)
    readings: list[Reading] = []
    respectively = _respectively_names(text, figures)
    prev_end = 0
    prev: Figure | None = None
    for i, fig in enumerate(figures):
        clause = _clause_start(text, fig.start, CLAUSE_DELIMS)
        hard_clause = _clause_start(text, fig.start, HARD_DELIMS)
        threshold = prev is not None and _is_threshold_in_name(text, prev)
        left_start = clause if threshold else max(clause, prev_end)
        gap = text[prev.end : fig.start] if prev is not None else None
        in_list = gap is not None and bool(_LIST_GAP_RE.match(gap)) and prev.unit == fig.unit
        after_list_mark = clause > 0 and text[clause - 1] == "、" and prev is not None and prev.end > hard_clause
        prev_name = readings[-1].name if readings else carried
        if i in respectively:
            name = respectively[i]
        elif in_list:
            name = prev_name or ""
        else:
            name, _ = _name_of(text, fig, left_start, carried, prev_name, after_list_mark, prev_end)
        relational = bool(name) and _RELATIONAL_NAME_RE.match(name) is not None
        if relational and carried and not name.startswith(carried):
            name = carried + name  # 超过年度计划4.1%: the subject is the one before
        name = _shorten(name, words, fig.start) if name else name
        if name and original and original != text:
            name = _as_written(name, text, original)
        if in_list and readings:
            last = readings[-1]
            readings.append(Reading(name or None, last.measure, last.direction, last.baseline))
        else:
            measure, direction = _measure(fig, name or "", text[hard_clause : fig.start], text[fig.end : fig.end + 4])
            baseline = None
            if measure == "change":
                multi = bool(MULTI_YEAR_RE.search(text[hard_clause : fig.start]))
                baseline = _baseline(text[hard_clause : fig.start], period, multi, text[: fig.start])
            readings.append(Reading(name or None, measure, direction, baseline))
        if name and not _is_threshold_in_name(text, fig) and not relational:
            carried = name
        prev_end = fig.end
        prev = fig
    return readings, carried


def _period_at(
    cues: Sequence[tuple[int, Period]], pos: int, running: Period | None, figure_starts: Sequence[int] = ()
) -> Period | None:
    """The period in force at a position: the last cue before it in the sentence, else the running one."""
    current = running
    for at, period in cues:
        if at > pos:
            break
        if isinstance(period, _FromPeriod) and any(at < f < pos for f in figure_starts):
            continue  # 由1978年的36.5%调整到29%: 1978 dates the 36.5% only
        current = period
    return current


_ACCOMPLISHED_RE = re.compile(r"截至|截止|已经|已有|已")


def _status(period: Period | None, report_year: int | None, clause_left: str = "") -> str:
    """target when the period reaches the report's year or later, else actual.

    A figure the text says is already reached (截至今年2月底, 已有) is actual even in the
    report's own year.
    """
    if period is None or report_year is None:
        return "actual"
    if period.first == period.last == report_year and _ACCOMPLISHED_RE.search(clause_left):
        return "actual"
    return "target" if period.last >= report_year else "actual"


def extract_indicators(
    document: Document, sentences: Sequence[Sentence], words: Sequence[Sequence[str]]
) -> list[Indicator]:
    """The indicator mentions of a document, in text order, with every attribute of GUIDELINES §2."""
    report_year = document.report_year or infer_report_year(document.text)
    year = report_year or 0
    out: list[Indicator] = []
    running = _first_period(sentences, year) if report_year else None
    heading = None
    carried: str | None = None
    for index, sentence in enumerate(sentences):
        text = fold_text(sentence.text)
        if sentence.heading != heading:
            opened = _heading_period(heading or "", sentence.heading, year) if report_year else None
            running = opened or running
            heading = sentence.heading
        cues = _cues(text, year) if report_year else []
        figures = find_figures(text)
        if figures:
            sentence_words = words[index] if index < len(words) else ()
            readings, carried = _read_figures(text, figures, sentence_words, carried, None, sentence.text)
            for fig, reading in zip(figures, readings, strict=True):
                period = _period_at(cues, fig.start, running, [f.start for f in figures])
                if (
                    reading.measure == "change"
                    and reading.baseline == "prev_year"
                    and period
                    and period.first != period.last
                ):
                    clause = text[_clause_start(text, fig.start, HARD_DELIMS) : fig.start]
                    if not BASELINE_PREV_RE.search(clause):
                        reading = Reading(reading.name, reading.measure, reading.direction, None)
                if reading.measure == "change" and reading.baseline is None and fig.kind != "doubling":
                    clause = text[_clause_start(text, fig.start, HARD_DELIMS) : fig.start]
                    reading = Reading(
                        reading.name,
                        reading.measure,
                        reading.direction,
                        _baseline(clause, period, bool(MULTI_YEAR_RE.search(clause)), text[: fig.start]),
                    )
                elif fig.kind == "doubling":
                    clause = text[_clause_start(text, fig.start, HARD_DELIMS) : fig.start]
                    m = BASELINE_SINCE_RE.search(text[: fig.start]) or BASELINE_YEAR_RE.search(clause)
                    reading = Reading(reading.name, "change", "up", str(_year_of(m.group("year"))) if m else None)
                sentence_left = text[: fig.start]
                out.append(_indicator(document, sentence, fig, reading, period, report_year, sentence_left))
        sticky = [(at, p) for at, p in cues if not isinstance(p, _LocalPeriod)]
        if sticky and sticky[0][0] <= _OPENING_CUE_MAX:
            running = sticky[0][1]
        elif sticky and len(text) <= 40 and not figures:  # a heading-like line sets the time of what follows
            running = sticky[-1][1]
    return out


def _heading_period(previous: str, current: str, report_year: int) -> Period | None:
    """The period a newly opened section heading names: the first cue of its first new level.

    Only the levels that changed count, so a sub-heading does not re-read its parent's
    "2025年主要工作和“十四五”发展成就" and jump from 2025 to the plan period.
    """
    old_parts, new_parts = previous.split(" > "), current.split(" > ")
    same = 0
    while same < min(len(old_parts), len(new_parts)) and old_parts[same] == new_parts[same]:
        same += 1
    for part in new_parts[same:]:
        cues = [c for c in _cues(fold_text(part), report_year) if not isinstance(c[1], _LocalPeriod)]
        if cues:
            return cues[0][1]
    return None


# A time cue this close to a sentence's start (五年来，/ 刚刚过去的2020年，) opens a passage;
# later in the sentence it qualifies only that sentence (…与“十五五”目标衔接).
_OPENING_CUE_MAX = 6


def _first_period(sentences: Sequence[Sentence], report_year: int) -> Period | None:
    """The period the first time cue of the text sets: a page that starts mid-section belongs to it."""
    # Returns the year before the report when the text names no time at all.
    for sentence in sentences[:200]:
        cues = _cues(fold_text(sentence.heading + sentence.text), report_year)
        if cues:
            return cues[0][1]
    return Period(report_year - 1, report_year - 1)  # with no time named, a report reviews its last year


def _tidy(value: float) -> float:
    """The value without binary floating-point noise (12‰ → 1.2, not 1.2000000000000002)."""
    return float(f"{value:.12g}")


def _indicator(
    document: Document,
    sentence: Sentence,
    fig: Figure,
    reading: Reading,
    period: Period | None,
    report_year: int | None,
    clause_left: str = "",
) -> Indicator:
    """The Indicator record of one figure, its offsets and quote taken from the source text."""
    start, end = sentence.source_span(fig.start, fig.end)
    return Indicator(
        doc=document.doc,
        doc_id=document.doc_id,
        sentence_id=sentence.sentence_id,
        start=start,
        end=end,
        quote=document.text[start:end],
        indicator=reading.name,
        value=_tidy(fig.value),
        value_high=_tidy(fig.value_high) if fig.value_high is not None else None,
        unit=fig.unit,
        raw_unit=fig.raw_unit,
        measure=reading.measure,
        direction=reading.direction if reading.measure == "change" else None,
        qualifier=fig.qualifier,
        baseline=reading.baseline if reading.measure == "change" else None,
        status=_status(period, report_year, clause_left),
        period=period.label if period else None,
    )
