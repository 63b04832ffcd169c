"""What a report's text says about itself: title, region, level and year.

Conventions:

* ``region`` is the Chinese place name without its administrative suffix
  (省, 市, 自治区 and the nationality before it, 县, 区): 江苏, 无锡, 广西,
  内蒙古. National (State Council) reports have region ``中国``.
* ``level`` is ``national`` (国务院 / 中央人民政府), ``province`` (省, 自治区
  and the four 直辖市 北京 上海 天津 重庆), ``city`` (市, and the other
  prefecture-level 自治州, 地区, 盟) or ``county`` (县, 自治县, 区, 新区).
  A county-level 市 (江阴市) cannot be told from a prefecture-level one by its
  name and is ``city``.
* ``report_year`` is the year the report is delivered in and plans for, voted
  from weighted cues: the title and the delivery date under it (6), the NPC
  session it is given at (national reports, 5), "第十届全国人民代表大会第一次会议
  以来的五年" (4), "2020年工作回顾" (+1), "刚刚过去的2020年" (+1),
  "2021年主要工作", "今年是“十四五”开局之年" (3). Without any cue, the most
  mentioned year plus one (1): a report looks back on the year before it.
* ``title`` is the title line as written ("2026年海南省政府工作报告",
  "政府工作报告"), never a sentence that merely mentions the report.

Every field is ``None`` when the text does not say. Metadata is read from the raw
text (invisible characters and whitespace ignored), not from the cleaned
sentences, so reading a document does not need the full cleaning pass.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from transforms.cleaning import REPORT_TITLE

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
    "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆",
    "香港", "澳门",
)  # fmt: skip
NATIONAL_REGION = "中国"

_FRONT_CHARS = 4000  # raw characters searched for the title, dateline and byline
_FRONT_LINES = 40
_REGION_FRONT = 2500
_MAX_BYLINE = 40  # characters of the front lines searched for region cues

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
_NUMERAL = "一二三四五六七八九十"

# Never content, and in the way of the cue patterns.
_INVISIBLE = re.compile(r"<U\+[0-9A-Fa-f]{4,6}>|<!--.*?-->|[\u200b-\u200f\u2060\ufeff\u00ad]", re.DOTALL)
_INLINE_SPACE = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\n{2,}")

_CJK = r"[\u4e00-\u9fff]"
_SUFFIX = r"(?:自治区|自治州|自治县|新区|地区|省|市|县|区|盟)"
# The nationalities before 自治…: 广西壮族自治区, 新疆维吾尔自治区, 湘西土家族苗族自治州.
_NATIONALITIES = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族|维吾尔)+$")
_REPORT = r"(?:人民)?政府工作[报報]告"

_NATIONAL_CUES = re.compile(
    r"代表(?:国务院|國務院|中央人民政府)|(?:国务院|國務院)(?:总理|總理)|国务院政府工作报告|(?:国务院|國務院)的委托"
    r"|第[一二三四五六七八九十]{1,3}[届屆]全[国國]人民代表大[会會]"
)
_REGION_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    # title: 2026年安徽省政府工作报告 / 陕西省2026年政府工作报告
    (4, re.compile(rf"({_CJK}{{2,8}}?)({_SUFFIX})(?:\d{{4}}年)?{_REPORT}")),
    # dateline: 在安徽省第十四届人民代表大会 / 在甘肃省十四届人民代表大会
    (3, re.compile(rf"在({_CJK}{{2,8}}?)({_SUFFIX})第?[一二三四五六七八九十]{{1,3}}届人民代表大会")),
    # 我代表上海市人民政府
    (2, re.compile(rf"代表({_CJK}{{2,8}}?)({_SUFFIX})人民政府")),
    # byline: 上海市市长 / 海南省省长
    (2, re.compile(rf"({_CJK}{{2,8}}?)({_SUFFIX})(?:人民政府)?(?:省长|市长|县长|区长|州长|盟长|专员|主席)")),
)
# Weak cue over the whole text: 中共无锡市委.
_PARTY_COMMITTEE = re.compile(rf"中共({_CJK}{{2,6}}?)(自治区|省|市|县|区)委")

_YEAR = r"(\d{4}|[〇零○一二三四五六七八九]{4})"
_MONTH_DAY = r"[0-9一二三四五六七八九十]{1,3}月(?:[0-9一二三四五六七八九十]{1,3}日)?"
_DATELINE = re.compile(rf"{_YEAR}年{_MONTH_DAY}(?:在|於|于)")

_CN_NUM = "[一二三四五六七八九十]{1,3}"
_HUIYI = "[会會][议議]"
_RENDA = r"(?:全[国國]人民代表大[会會]|全[国國]人大|人大)"
# 在第十三届全国人民代表大会第四次会议上 / 向第一届全国人民代表大会第二次会议提出 /
# 我们第一届全国人民代表大会第一次会议: the session the report is given at.
_SESSION_AT = re.compile(
    rf"(?:在|向|我[们們])第?({_CN_NUM})[届屆]{_RENDA}(?:第({_CN_NUM})次{_HUIYI})?(?:上|作|提出|报告|，|,)"
)
# 第十届全国人民代表大会第一次会议以来的五年 / 从第七届…第一次会议，到这次大会…五年: a term review.
_SESSION_FIVE_YEARS = re.compile(
    rf"第?({_CN_NUM})[届屆]{_RENDA}第?一次{_HUIYI}(?:以来的五年|[^。]{{0,12}}到这次大会[^。]{{0,20}}五年)"
)
# 去年三月第五届全国人民代表大会第一次会议 / 八届全国人大一次会议确定的任务: last year's session.
_SESSION_LAST_YEAR = re.compile(
    rf"去年[^。，]{{0,8}}?第?({_CN_NUM})[届屆]{_RENDA}第?({_CN_NUM})次{_HUIYI}"
    rf"|第?({_CN_NUM})[届屆]{_RENDA}第?({_CN_NUM})次{_HUIYI}所?(?:确定|批准|通过)的"
)
# One pass over every "年" followed by a cue; the four digits before it are checked
# apart, because a pattern starting with a literal is scanned many times faster.
_YEAR_CUES = re.compile(
    r"年(?:"
    r"(?P<review>的?(?:工作)?回[顾顧])"
    r"|(?P<gone>已经过去)"
    r"|(?P<done>[，,]?(?:经济社会发展|全年)?主要目标任务(?:全面|较好|圆满|胜利)?完成)"
    r"|(?P<plan>的?(?:主要工作|主要任务|主要目标|主要预期目标|发展主要预期目标|经济社会发展的?主要预期目标"
    r"|工作(?:总体)?(?:安排|任务|部署)|政府工作(?:安排|任务)|重点工作))"
    r")"
)
# 刚刚过去的2020年 / a heading 去年工作回顾 followed by "2005年，…" / 今年主要任务 + "2006年是…".
_LAST_YEAR = re.compile(r"刚刚过去的(\d{4})年|去年[^\n。]{0,10}\n\s*(\d{4})年")
_THIS_YEAR = re.compile(r"今年[^\n。]{0,10}\n\s*(\d{4})年")
_FIVE_YEAR_PLANS = {1: 1953, 2: 1958, 3: 1966, 4: 1971, 5: 1976, 6: 1981, 7: 1986, 8: 1991}
_FIVE_YEAR_PLANS.update({n: 1996 + 5 * (n - 9) for n in range(9, 16)})
_PLAN_NAMES = {
    "六五": 6, "七五": 7, "八五": 8, "九五": 9, "十五": 10, "十一五": 11, "十二五": 12,
    "十三五": 13, "十四五": 14, "十五五": 15,
}  # fmt: skip
_PLAN_YEAR = {
    "头一年": 0, "第一年": 0, "开局之年": 0, "第二年": 1, "第三年": 2, "承上启下": 2, "第四年": 3,
    "最后一年": 4, "收官之年": 4,
}  # fmt: skip
# 今年是“十四五”开局之年 / 今年是实行“七五”计划的头一年 / 今年是第六个五年计划的第二年 /
# 今年是…，是实施“十四五”规划承上启下的关键一年 (the middle, third year)
_THIS_YEAR_IN_PLAN = re.compile(
    rf"今年是[^。]{{0,40}}?(?:[“\"](十[一二三四五]?五|[六七八九]五)[”\"](?:计划|规划)?|第({_CN_NUM})个五年(?:计划|规划))"
    r"[^。，]{0,6}?(头一年|第一年|开局之年|第二年|第三年|承上启下|第四年|最后一年|收官之年)"
)
# 2008年是极不平凡的一年 (said of the year just ended).
_PAST_YEAR_WAS = re.compile(r"年是[^。]{0,30}?(?:极不平凡|很不平凡|不平凡|极为困难|最为困难|取得[^。]{0,12}成就)的一年")
_MENTION = re.compile(r"(?<![\d到至向望])(\d{4})年")  # not a target year: 到2035年, 面向2030年
_FULLWIDTH = re.compile(r"[０-９]+")
_SPELT_YEAR = re.compile(r"[〇零○一二三四五六七八九]{4}(?=年)")


@dataclass(frozen=True)
class Metadata:
    """Title, region, level and report year read from a report's text."""

    title: str | None
    region: str | None
    level: str | None
    report_year: int | None


def _cn_number(s: str) -> int:
    """Value of a Chinese numeral from 1 to 99.

    >>> _cn_number("十三"), _cn_number("二十"), _cn_number("四")
    (13, 20, 4)
    """
    if "十" in s:
        tens, _, units = s.partition("十")
        return (_NUMERAL.index(tens) + 1 if tens else 1) * 10 + (_NUMERAL.index(units) + 1 if units else 0)
    return _NUMERAL.index(s) + 1


def npc_session_year(congress: int, session: int) -> int | None:
    """Year of the given session of the given National People's Congress.

    >>> npc_session_year(13, 4), npc_session_year(1, 1), npc_session_year(5, 2)
    (2021, 1954, 1979)
    """
    irregular = {(2, 1): 1959, (2, 2): 1960, (2, 3): 1962, (2, 4): 1963, (3, 1): 1964, (4, 1): 1975}
    if congress == 1:
        return 1953 + session
    if (congress, session) in irregular:
        return irregular[(congress, session)]
    if congress == 5:
        return 1977 + session
    if congress >= 6:
        return 1983 + 5 * (congress - 6) + session - 1
    return None


def _digits(text: str) -> str:
    """The text with full-width digits in ASCII digits."""
    return _FULLWIDTH.sub(lambda m: m.group().translate(_FULLWIDTH_DIGITS), text)


def _spelt_years(text: str) -> str:
    """The text with years spelt in Chinese numerals (一九五四年) in ASCII digits."""
    return _SPELT_YEAR.sub(lambda m: m.group().translate(_CN_DIGITS), text)


def metadata_front(text: str) -> str:
    """The start of the text as the front-matter patterns see it: no invisible characters, no spaces,
    single newlines, ASCII digits.

    >>> metadata_front("政府工作报\\n\\u200b\\n告\\n\\n\\u3000\\u3000１９８９年")
    '政府工作报\\n告\\n1989年'
    """
    text = _INVISIBLE.sub("", text[:_FRONT_CHARS])
    text = _INLINE_SPACE.sub("", text)
    return _spelt_years(_digits(_NEWLINES.sub("\n", text))).strip("\n")


def front_lines(body: str) -> list[str]:
    """The first lines of the body, with one- and two-character fragments joined to the line before.

    Wikisource breaks the title as "政府工作报\\n告".
    """
    lines: list[str] = []
    for line in body[:_FRONT_CHARS].split("\n")[:_FRONT_LINES]:
        if lines and len(line) <= 2 and not lines[-1].endswith(("。", "：", "！")):
            lines[-1] += line
        elif line:
            lines.append(line)
    return lines


def _header(lines: list[str]) -> list[str]:
    """The lines before the address to the deputies ("各位代表："): title, dateline, byline."""
    for i, line in enumerate(lines):
        if line.startswith("各位代表"):
            return lines[:i]
    return lines


def find_title(lines: list[str]) -> str | None:
    """The title line: a line that starts with a name ending in 政府工作报告 and goes on with no clause."""
    for line in lines:
        match = REPORT_TITLE.match(line)
        if match and line[match.end() : match.end() + 1] not in ("，", ",", "、", "。", "的"):
            return match.group(1)
        if line.startswith("各位代表"):
            break  # the title comes before the address to the deputies
    return None


def _region_name(name: str) -> str:
    """无锡 from a cue's name group ("年无锡" of "2021年无锡市…", "中共无锡"); 广西 from 广西壮族."""
    name = name.rpartition("年")[2].removeprefix("中共")
    match = _NATIONALITIES.match(name)
    return match.group(1) if match else name


def find_region_level(front: str, body: str, title: str | None) -> tuple[str | None, str | None]:
    """Region and administrative level of the government giving the report."""
    if _NATIONAL_CUES.search(front) or (title and ("国务院" in title or "國務院" in title)):
        return NATIONAL_REGION, "national"
    candidates: Counter[tuple[str, str]] = Counter()
    lines = _header(front.split("\n"))
    # Patterns that cannot start with a literal run only on the lines they are for:
    # the title and byline lines before "各位代表：".
    sources = (
        [line for line in lines if "工作报告" in line or "工作報告" in line] + ([title] if title else []),
        [front],
        [front],
        [line for line in lines if len(line) <= _MAX_BYLINE and ("长" in line or "主席" in line)],
    )
    for (weight, pattern), texts in zip(_REGION_PATTERNS, sources, strict=True):
        for source in texts:
            for match in pattern.finditer(source):
                candidates[(_region_name(match.group(1)), match.group(2))] += weight
    for match in _PARTY_COMMITTEE.finditer(body):
        candidates[(_region_name(match.group(1)), match.group(2))] += 1
    if not candidates:
        # No government named: a State Council report still speaks of 国务院 and 全国.
        national = body.count("国务院") + body.count("國務院")
        local = sum(body.count(w) for w in ("全省", "全市", "全区", "全县", "我省", "我市"))
        if national >= 2 and body.count("全国") + body.count("全國") > local:
            return NATIONAL_REGION, "national"
        return None, None
    (name, suffix), _ = candidates.most_common(1)[0]
    for province in PROVINCES:
        if name == province or (name.endswith(province) and len(name) == len(province) + 1):
            return province, "province"
    if suffix in ("市", "地区", "盟") or suffix.endswith("自治州"):
        return name, "city"  # prefecture level
    if suffix in ("县", "区", "新区") or suffix.endswith("自治县"):
        return name, "county"
    return name, "province" if suffix == "省" or suffix.endswith("自治区") else None


def _windows(text: str, chars: str, before: int, after: int) -> Iterator[str]:
    """Pieces of text around each occurrence of one of `chars`, overlapping pieces merged.

    Lets the slow patterns that cannot start with a literal run on a few
    hundred characters instead of the whole report.
    """
    start = end = -1
    for match in re.finditer(f"[{chars}]", text):
        a, b = max(0, match.start() - before), match.end() + after
        if a > end:
            if end > 0:
                yield text[start:end]
            start = a
        end = b
    if end > 0:
        yield text[start:end]


def _year_before(text: str, end: int) -> int | None:
    """The four-digit year written just before text[end] ("2021" of "2021年"), if any."""
    digits = text[end - 4 : end]
    # isdecimal: ASCII or full-width digits, which int() reads alike.
    if len(digits) == 4 and digits.isdecimal() and not text[end - 5 : end - 4].isdecimal():
        return int(digits)
    return None


def _vote(votes: Counter[int], year: int | None, weight: int) -> None:
    if year is not None and 1949 <= year <= 2100:
        votes[year] += weight


def _year_votes(front: str, body: str, title: str | None, national: bool) -> Counter[int]:
    """Weighted votes for the report year; the weights rank how directly a cue says it."""
    votes: Counter[int] = Counter()
    if title:
        for match in re.finditer(r"(\d{4})年", title):
            _vote(votes, int(match.group(1)), 6)
    for match in _DATELINE.finditer(front):
        _vote(votes, int(match.group(1)), 6)
    if national:
        for match in _SESSION_AT.finditer(front):
            _vote(votes, npc_session_year(_cn_number(match.group(1)), _cn_number(match.group(2) or "一")), 5)
        for window in _windows(body, "届屆", 24, 48):
            for match in _SESSION_FIVE_YEARS.finditer(window):
                start = npc_session_year(_cn_number(match.group(1)), 1)
                _vote(votes, start + 5 if start else None, 4)
            for match in _SESSION_LAST_YEAR.finditer(window):
                congress, session = match.group(1, 2) if match.group(1) else match.group(3, 4)
                year = npc_session_year(_cn_number(congress), _cn_number(session))
                _vote(votes, year + 1 if year else None, 3)
    for match in _YEAR_CUES.finditer(body):
        year = _year_before(body, match.start())
        if year:
            _vote(votes, year if match.group("plan") else year + 1, 3)
    for match in _LAST_YEAR.finditer(body):
        _vote(votes, int(match.group(1) or match.group(2)) + 1, 3)
    for match in _THIS_YEAR.finditer(body):
        _vote(votes, int(match.group(1)), 3)
    for match in _THIS_YEAR_IN_PLAN.finditer(body):
        plan = _PLAN_NAMES.get(match.group(1) or "") or (_cn_number(match.group(2)) if match.group(2) else 0)
        if plan in _FIVE_YEAR_PLANS:
            _vote(votes, _FIVE_YEAR_PLANS[plan] + _PLAN_YEAR[match.group(3)], 3)
    for match in _PAST_YEAR_WAS.finditer(body):
        year = _year_before(body, match.start())
        _vote(votes, year + 1 if year else None, 2)
    if not votes:
        # Weak fallback: a report looks back on the year before it most, and
        # ahead to its own year.
        mentions = Counter(int(y) for y in _MENTION.findall(_spelt_years(body)))
        scores = {y: 2 * mentions[y - 1] + mentions[y] for y in set(mentions) | {y + 1 for y in mentions}}
        if scores:
            year, _ = max(scores.items(), key=lambda item: (item[1], item[0]))
            _vote(votes, year, 1)
    return votes


def find_report_year(front: str, body: str, title: str | None, national: bool = False) -> int | None:
    """The year the report is for, or None when no cue says it."""
    votes = _year_votes(front, body, title, national)
    if not votes:
        return None
    return max(votes.items(), key=lambda item: (item[1], item[0]))[0]


def read_metadata(text: str) -> Metadata:
    """Title, region, level and report year of a report's decoded text."""
    body = text  # the year cues tolerate spaces, invisible characters and full-width digits
    lines = front_lines(metadata_front(text))
    front = "\n".join(lines)[:_REGION_FRONT]
    title = find_title(lines)
    region, level = find_region_level(front, body, title)
    year = find_report_year(front, body, title, level == "national")
    return Metadata(title, region, level, year)
