"""What a report's text says about itself: title, region, level and year.

Conventions:

* ``region`` is the Chinese place name without its administrative suffix
  (省, 市, 自治区 and the nationality before it, 县, 区): 江苏, 无锡, 广西,
  内蒙古. National (State Council) reports have region ``中国``.
* ``level`` is ``national`` (国务院 / 中央人民政府), ``province`` (省, 自治区
  and the four 直辖市 北京 上海 天津 重庆), ``city`` (市) or ``county`` (县, 区).
* ``report_year`` is the year the report plans for (the year it is delivered),
  voted from weighted cues: the title, the delivery date under it, the NPC
  session (national reports), "2020年工作回顾" (+1), "2021年主要工作",
  "刚刚过去的2020年" (+1), "今年是“十四五”开局之年".

Every field is ``None`` when the text does not say.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
    "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆",
    "香港", "澳门",
)  # fmt: skip
_PROVINCE_SET = frozenset(PROVINCES)
NATIONAL_REGION = "中国"

# How far into the cleaned text the front matter (title, dateline, byline) reaches.
_FRONT = 1500

_CJK = r"[\u4e00-\u9fff]"
_SUFFIX = r"(?:壮族自治区|回族自治区|维吾尔自治区|自治区|省|市|县|区)"
_REPORT = r"(?:人民)?政府工作[报報]告"

_NATIONAL_CUES = re.compile(
    r"代表(?:国务院|國務院|中央人民政府)|(?:国务院|國務院)(?:总理|總理)|国务院政府工作报告"
    r"|第[一二三四五六七八九十]{1,3}[届屆]全[国國]人民代表大[会會]"
)
_REGION_PATTERNS: tuple[re.Pattern[str], ...] = (
    # title: 2026年安徽省政府工作报告 / 陕西省2026年政府工作报告
    re.compile(rf"(?:\d{{4}}年)?({_CJK}{{2,8}}?){_SUFFIX}(?:\d{{4}}年)?{_REPORT}"),
    # dateline: 在安徽省第十四届人民代表大会 / 在甘肃省十四届人民代表大会
    re.compile(rf"在({_CJK}{{2,8}}?){_SUFFIX}第?[一二三四五六七八九十]{{1,3}}届人民代表大会"),
    # 我代表上海市人民政府
    re.compile(rf"代表({_CJK}{{2,8}}?){_SUFFIX}人民政府"),
    # byline: 上海市市长 / 海南省省长 / 自治区主席
    re.compile(rf"({_CJK}{{2,8}}?){_SUFFIX}(?:人民政府)?(?:省长|市长|县长|区长|主席)"),
)
# Weak cue over the whole text: 中共无锡市委, 无锡市人民政府.
_PARTY_COMMITTEE = re.compile(rf"中共({_CJK}{{2,6}}?)(省|市|县|区|自治区)委")
_SCOPE_WORD = re.compile(r"全(省|市|县|区)")

_TITLE = re.compile(rf"{_CJK}{{0,20}}(?:\d{{4}}年)?{_CJK}{{0,12}}政府工作[报報]告")

_YEAR = r"(\d{4}|[〇零○一二三四五六七八九]{4})"
_MONTH_DAY = r"[0-9一二三四五六七八九十]{1,3}月[0-9一二三四五六七八九十]{1,3}日"
_NUMERAL = "一二三四五六七八九十"


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


def _year_value(s: str) -> int:
    """1954 from "1954" or "一九五四"."""
    return int(s.translate(_CN_DIGITS))


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


def find_title(text: str) -> str | None:
    """The title line: the first short line of the front matter naming a 政府工作报告."""
    for line in text[: _FRONT * 2].split("\n"):
        if len(line) <= 40 and _TITLE.search(line):
            return line.strip("《》 ")
    return None


def _normalise_region(name: str) -> str:
    return name.removeprefix("中共")


def find_region_level(text: str, title: str | None) -> tuple[str | None, str | None]:
    """Region and administrative level of the government giving the report."""
    front = text[:_FRONT]
    if _NATIONAL_CUES.search(front) or (title and ("国务院" in title or "國務院" in title)):
        return NATIONAL_REGION, "national"
    candidates: Counter[tuple[str, str]] = Counter()
    for weight, pattern in zip((4, 3, 2, 2), _REGION_PATTERNS):
        for source in ((title,) if weight == 4 and title else ()) + (front,):
            for match in pattern.finditer(source):
                name = _normalise_region(match.group(1))
                suffix = match.group(0)[match.end(1) - match.start(0) :][:1]
                candidates[(name, suffix)] += weight
    for match in _PARTY_COMMITTEE.finditer(text):
        candidates[(match.group(1), match.group(2)[:1])] += 1
    if not candidates:
        # A province name in the front matter, if the title does not say.
        return None, None
    (name, suffix), _ = candidates.most_common(1)[0]
    for province in PROVINCES:
        if name.endswith(province) and len(name) <= len(province) + 1:
            return province, "province"
    if suffix == "市":
        return name, "city"
    if suffix in "县区":
        return name, "county"
    if suffix in "省自":
        return name, "province"
    return name, None


def _year_votes(text: str, title: str | None, national: bool) -> Counter[int]:
    votes: Counter[int] = Counter()
    front = text[:_FRONT]
    if title:
        for match in re.finditer(r"(\d{4})年", title):
            votes[int(match.group(1))] += 5
    for match in re.finditer(rf"{_YEAR}年{_MONTH_DAY}(?:在|於|于)", front):
        votes[_year_value(match.group(1))] += 5
    if national:
        session = re.search(
            r"第([一二三四五六七八九十]{1,3})[届屆]全[国國]人民代表大[会會]第([一二三四五六七八九十]{1,2})次[会會]",
            front,
        )
        if session:
            year = npc_session_year(_cn_number(session.group(1)), _cn_number(session.group(2)))
            if year:
                votes[year] += 4
    for match in re.finditer(r"(\d{4})年(?:的)?(?:工作)?回[顾顧]", text):
        votes[int(match.group(1)) + 1] += 2
    for match in re.finditer(r"刚刚过去的(\d{4})年|(\d{4})年已经过去", text):
        votes[int(match.group(1) or match.group(2)) + 1] += 2
    for match in re.finditer(
        r"(\d{4})年(?:的)?(?:主要工作|主要目标|主要预期目标|发展主要预期目标|经济社会发展(?:的)?主要预期目标"
        r"|工作(?:总体)?(?:安排|任务|部署)|政府工作(?:安排|任务)|重点工作)",
        text,
    ):
        votes[int(match.group(1))] += 2
    plans = {"十五": 2001, "十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}
    for match in re.finditer(r"今年是[“\"]?(十[一二三四五]?五)[”\"]?(?:规划)?(?:时期)?的?(开局|收官)之年", text):
        start = plans.get(match.group(1))
        if start:
            votes[start + (0 if match.group(2) == "开局" else 4)] += 2
    return votes


def find_report_year(text: str, title: str | None, national: bool = False) -> int | None:
    """The year the report is for, or None when no cue says it."""
    votes = _year_votes(text.translate(_FULLWIDTH_DIGITS), title, national)
    plausible = [(count, year) for year, count in votes.items() if 1949 <= year <= 2100]
    if not plausible:
        return None
    return max(plausible)[1]


def read_metadata(text: str) -> Metadata:
    """Title, region, level and report year of a cleaned report text."""
    title = find_title(text)
    region, level = find_region_level(text, title)
    return Metadata(title, region, level, find_report_year(text, title, level == "national"))
