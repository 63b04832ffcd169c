"""Figures: numbers found in a sentence's folded text, read into value, unit and qualifier."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from transforms.extract.lexicon import Lexicon
from transforms.extract.patterns import CN_NUMERALS, HAN_RE, YEAR4_RE, cn_or_arabic
from transforms.numbers import (
    COUNT_CLASSIFIERS,
    SCALES,
    UNITS,
    NumberError,
    doubling_times,
    fraction_percent,
    is_plausible,
    parse_chinese,
    parse_number,
)

DOUBLING_RE = re.compile(r"翻(?P<n>[一两二三])?番(?P<post>以上|多)?")
SLASH_FRACTION_RE = re.compile(r"(?<![\d./])(?P<num>\d{1,2})/(?P<den>\d{1,2})(?![\d/])")
RATIO_RE = re.compile(r"(?<![\d.:])\d+(?:\.\d+)?(?::\d+(?:\.\d+)?){1,4}(?![\d:])")

_BRACKETED_RE = re.compile(r"[［\[【][^］\]】]{0,6}[］\]】]")
_SHORT_QUOTE_RE = re.compile(r"[“\"「『][^”\"」』]{1,12}[”\"」』]")


_CN_MAGNITUDE_RE = re.compile("[十百千万亿点]")


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


# Units of things counted: what they count is written right of the figure (45个重点道桥项目).
RIGHT_NAMED_UNITS = frozenset({"count", "person", "person_time"})


_APPROX_END_RE = re.compile(r"(?:大约|约)(?:占|为|是|有|达)$")


def _qualifier(lex: Lexicon, pre: str | None, inner_over: bool, post: str | None, left: str) -> str:
    """The qualifier code of a figure from the words around it (GUIDELINES §2)."""
    if post in lex.suffix_qualifiers:
        return lex.suffix_qualifiers[post]
    if post in ("多", "余") or inner_over:
        return "over"
    if pre:
        return lex.prefix_qualifiers[pre]
    if lex.cap_end_re.search(left):
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


def _plain_figures(text: str, lex: Lexicon) -> Iterator[Figure]:
    """Figures written as digits or Chinese numerals with a unit (and ranges of them)."""
    for m in (*lex.figure_re.finditer(text), *lex.bare_figure_re.finditer(text)):
        num, unit = m.group("num"), m.group("unit")
        scale = m.group("scale")
        population = False
        if unit is None:
            # A bare number counts only with a scale and a qualifier (减少1000万以上) or when it
            # counts people (551万农村贫困人口, 12万城镇就业困难人员).
            population = bool(scale) and bool(lex.population_after_re.match(text, m.end()))
            if not scale or not (m.group("post") in ("以上", "左右", "以内") or m.group("pre") or population):
                continue
            if m.group("sep"):
                continue
        if unit and m.group("unit1") and m.group("unit1") != unit:
            continue
        is_cn = not num[0].isdigit()
        if is_cn and len(num) > 1 and not _CN_MAGNITUDE_RE.search(num) and not YEAR4_RE.fullmatch(num):
            continue  # 一二三次产业, 三四个: digits in a row that are a list or a guess, not a number
        has_decimal = "." in num
        left = text[max(0, m.start() - 8) : m.start()]
        if unit == "年" and _is_year_figure(num, unit, left, has_decimal):
            continue
        if YEAR4_RE.fullmatch(num) and (m.group("sep") or unit in ("年", None)):
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
        if unit == "岁" and m.group("post") in ("以上", "以下") and HAN_RE.match(text, m.end()):
            continue  # 60岁以上人口: an age band naming a population
        if code == "CNY" and not m.group("post") and text.startswith(lex.threshold_nouns, m.end()):
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
        qualifier = "range" if high is not None else _qualifier(lex, pre, inner_over, post, text[: m.start()])
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
            bare_qualifier="range" if high is not None else _qualifier(lex, None, inner_over, post, text[: m.start()]),
        )


def _word_figure(lex: Lexicon, m: re.Match[str], value: float, unit: str, raw_unit: str, kind: str) -> Figure:
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
        qualifier=_qualifier(lex, pre, False, post, ""),
        kind=kind,
        bare_qualifier=_qualifier(lex, None, False, post, ""),
    )


def _word_figures(text: str, lex: Lexicon) -> Iterator[Figure]:
    """Percents, fractions and multiples written in words, and slash fractions."""
    # Each pattern needs a telltale character; checking for it first keeps the stage fast.
    if "分之" in text:
        yield from _percent_and_fraction_words(text, lex)
    if "成" in text:
        yield from _tenths(text, lex)
    if "一半" in text:
        for m in lex.half_re.finditer(text):
            yield _word_figure(lex, m, 50.0, "percent", "一半", "half")
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


def _percent_and_fraction_words(text: str, lex: Lexicon) -> Iterator[Figure]:
    """百分之五 and 三分之一, as percents."""
    for m in lex.percent_word_re.finditer(text):
        try:
            fig = _word_figure(lex, m, cn_or_arabic(m.group("num")), "percent", "百分之", "percent_word")
            if m.group("num2"):
                high = cn_or_arabic(m.group("num2"))  # 百分之七至百分之十: a range
                if high > fig.value:
                    fig = replace(fig, value_high=high, qualifier="range", bare_qualifier="range")
            yield fig
        except (NumberError, ValueError):
            continue
    for m in lex.fraction_word_re.finditer(text):
        if text[max(0, m.start() - 1) : m.start()] == "百" or m.group("den").startswith("百"):
            continue
        den = m.group("den")
        try:
            # 千分之十二 (per mille) is a fraction of 1000 like any other.
            value = fraction_percent(parse_chinese(m.group("num")), 1000.0 if den == "千" else parse_chinese(den))
        except (NumberError, ValueError):
            continue
        yield _word_figure(lex, m, value, "percent", "分之", "fraction")


def _tenths(text: str, lex: Lexicon) -> Iterator[Figure]:
    """九成, 9成: tenths as percents."""
    for m in lex.tenths_re.finditer(text):
        if text[max(0, m.start("num") - 1) : m.start("num")] in ("第", "一", "十") and not m.group("pre"):
            continue
        try:
            yield _word_figure(lex, m, cn_or_arabic(m.group("num")) * 10, "percent", "成", "tenths")
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
    rf"\d|[{CN_NUMERALS}][{CN_NUMERALS}点多余]*[{COUNT_CLASSIFIERS}人名位元美平公亩微立吨斤标千度天日岁年倍成分番半担市‰]|一半|翻番"
)


def find_figures(text: str, lex: Lexicon) -> list[Figure]:
    """The figures of a folded sentence, in order, none overlapping (the earliest, then longest, wins)."""
    if not _MAYBE_FIGURE_RE.search(text):
        return []
    masked = _mask_names(text)
    candidates = [*_ratio_figures(masked), *_plain_figures(masked, lex), *_word_figures(masked, lex)]
    candidates.sort(key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[Figure] = []
    last_end = -1
    for fig in (_without_word_tail_prefix(text, f, lex) for f in candidates):
        if fig.start >= last_end and is_plausible(fig.value):
            chosen.append(fig)
            last_end = fig.end
    return chosen


def _without_word_tail_prefix(text: str, fig: Figure, lex: Lexicon) -> Figure:
    """The figure without its qualifier prefix when that prefix ends another word (节约, 最近)."""
    if fig.num_start > fig.start and text[max(0, fig.start - 1) : fig.start + 1] in lex.prefix_word_tails:
        return replace(fig, start=fig.num_start, qualifier=fig.bare_qualifier)
    return fig


# Page furniture a web copy carries: timestamps, clock times, phone and QQ numbers, and the
# numbers after 访问量/浏览/大小/页数 labels. None is a figure of the report.
_FURNITURE_RE = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|(?<![\d.:])[0-2]?\d:[0-5]\d(?::[0-5]\d)?(?![\d.:])"
    r"|(?<!\d)(?:0\d{2,3}-?\d{7,8}|1[3-9]\d{9})(?!\d)"
    r"|(?:访问量|访问次数|浏览量|浏览次数|浏览|点击量|点击数|点击|阅读量|阅读数|阅读|人气|电话|手机|传真|QQ|qq|邮编"
    r"|文件大小|大小|页数|字数)[:\s]*\d[\d.,]*(?:\s*(?:KB|MB|GB|K|M|B|kb|mb|次|页|字))?"
)


def _mask_names(text: str) -> str:
    """The text with short quoted names (“惠企20条”), note markers (［28］) and page furniture blanked, same length.

    >>> _mask_names("公文搜2021-07-23 10:26:26 浏览次数:35 结构调整为3.1:45.2:51.7")
    '公文搜□□□□□□□□□□□□□□□□□□□ □□□□□□□ 结构调整为3.1:45.2:51.7'
    """

    def blank(m: re.Match[str]) -> str:
        return "□" * len(m.group())

    text = _FURNITURE_RE.sub(blank, _BRACKETED_RE.sub(blank, text))
    return _SHORT_QUOTE_RE.sub(
        lambda m: blank(m) if re.search(r"[\d一二两三四五六七八九十]", m.group()) else m.group(), text
    )
