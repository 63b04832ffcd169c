"""What a report's text says about itself: title, region, level and year.

Conventions:

* ``region`` names the government giving the report. A province-level one by
  its short name, without 省/市/自治区 and the nationality before 自治区: 江苏,
  北京, 广西, 内蒙古 (never 自治). Below that, the name as the government writes
  it, suffix included, since the bare names collide (朝阳市, 朝阳县, 朝阳区):
  郑州市, 蠡县, 正蓝旗, 斗门区, 楚雄彝族自治州. National (State Council)
  reports have region ``中国``.
* ``level`` is ``national`` (国务院 / 中央人民政府), ``province`` (省, 自治区
  and the four 直辖市 北京 上海 天津 重庆), ``city`` (市, and the other
  prefecture-level 自治州, 地区, 盟) or ``county`` (县, 自治县, 旗, 区, 新区).
  A county-level 市 (江阴市) is ``county`` where seeds/places.tsv is given
  (the flows give it), else ``city``: its name does not tell.
* ``report_year`` is the year the report is delivered in, voted from weighted cues:
  the date of the meeting it is delivered at (7; a report delivered in December
  keeps that year, as the catalogues of reports list it, and its review ends in
  that year: the extractor's time scope reads the December date itself), the
  title (6), the NPC session it is given at (national reports, 5),
  "第十届全国人民代表大会第一次会议以来的五年" (4), "2020年工作回顾" (+1),
  "刚刚过去的2020年" (+1), "2021年主要工作", "2019年经济社会发展总体要求",
  "关于2026年工作", "今年是“十四五”开局之年", "“十五五”时期主要目标任务" and
  "“十四五”时期发展回顾" (the first year of 十五五) (3), a page's publication
  date in January-March (1). Without any cue, the most
  mentioned year plus one (1): a report looks back on the year before it.
* ``title`` is the title line as written ("2026年海南省政府工作报告",
  "政府工作报告"), never a sentence that merely mentions the report.

The title, dateline and speaker are read from the lines before the address to
the deputies ("各位代表：") and from the last lines of the text: copies taken
from Word files and newspaper pages print them after the body. Every field is
``None`` when the text does not say. Metadata is read from the raw text
(invisible characters, spaces, glued junk tokens ignored; digits and the
traditional characters of ``transforms.numbers`` folded), not from the cleaned
sentences, so reading a document does not need the full cleaning pass.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from transforms.cleaning import REPORT_TITLE, is_meta_line, junk_token_pattern, junk_tokens
from transforms.numbers import NumberError, fold_text, parse_chinese

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
_NO_ADDRESS_LINES = 5  # header lines of a text with no "各位代表" (a news report, an excerpt)
_TAIL_LINES = 6  # last lines searched for a title, 来源 and meeting line printed after the body
_MAX_META_LINE = 160  # a tail line longer than this is body text
_MAX_BYLINE = 60  # characters of a line searched for the speaker

# Never content, and in the way of the cue patterns.
_INVISIBLE = re.compile(r"<U\+[0-9A-Fa-f]{4,6}>|<!--.*?-->|[\u200b-\u200f\u2060\ufeff\u00ad]", re.DOTALL)
_INLINE_SPACE = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\n{2,}")

_CJK = r"[\u4e00-\u9fff]"
_UNIT_SUFFIX = r"(?:特别行政区|自治区|自治州|自治县|自治旗|新区|地区|林区|省|市|县|区|旗|盟)"
# One administrative unit, its name at least one character: 珠海市, 斗门区, 楚雄彝族自治州.
# A unit's name holds no preposition or particle: "省长刘小明在海南省" is not one.
_UNIT = rf"[^\W\d_在于於的届和与及是为、]{{1,10}}?{_UNIT_SUFFIX}"
_UNIT_RE = re.compile(_UNIT)
# A chain of units from the largest to the government's own: 内蒙古自治区锡林郭勒盟正蓝旗.
_CHAIN = rf"(?:{_UNIT}){{1,4}}"
# Where a place name can start: a line start, after a non-ideograph (a date, a dash,
# a bracket) or after 在/于/日 (在蠡县…, 1月14日海南省省长…).
_NAME_START = r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[在于於日]))(?![在于於])"
_CN_NUM = "[一二三四五六七八九十]{1,3}"
# The meeting the report is given at: 在蠡县第十七届人民代表大会, 海口市十五届人大三次会议
# (after a date, never after a verb: 完成了市十五届人大…确定的任务), broken after 届 or not.
_MEETING = re.compile(
    rf"(?:^|(?<=[在于於日午\-—(（\d])|(?<=[日午][,，]))(?![在于於])({_CHAIN})?第?{_CN_NUM}届\n?(?:人民代表大会|人大)",
    re.MULTILINE,
)
# 我代表蠡县人民政府 / 我代表十八届县人民政府 / 冀文林代表海口市人民政府.
_ON_BEHALF = re.compile(rf"代表(?:第?{_CN_NUM}届)?({_CHAIN}|{_UNIT_SUFFIX})人民政府")
# The speaker under the title: 蠡县人民政府代县长都建华, 县长 邓伟, 自治区人民政府主席.
_SPEAKER = re.compile(
    rf"{_NAME_START}({_CHAIN}|{_UNIT_SUFFIX})?(?:人民政府)?(?:代理?|副)?(省长|市长|县长|区长|旗长|州长|盟长|主席|专员)",
    re.MULTILINE,
)
_SPEAKER_LEVEL = {
    "省长": ("省", "province"), "主席": ("自治区", "province"), "市长": ("市", "city"),
    "州长": ("自治州", "city"), "盟长": ("盟", "city"), "专员": ("地区", "city"),
    "县长": ("县", "county"), "区长": ("区", "county"), "旗长": ("旗", "county"),
}  # fmt: skip
# A page title: (河北省)2017年蠡县人民政府工作报告(全文), 2015年某县两会《政府工作报告》,
# 泉州人民政府2011年工作报告; the brackets and years are dropped before matching.
_BRACKETED = re.compile(r"[(（【\[][^()（）【】\[\]]{0,16}[)）】\]]")
_YEAR_WORD = re.compile(r"\d{4}年(?:度)?")
_TITLE_NAME = re.compile(
    rf"^《?({_CHAIN}|{_CJK}{{2,8}}?)(?:两会|人代会)?《?(?:人民)?政府(?:工作)?[报報]告"
    r"(?:[（(]?(?:摘要|全文|草案)[）)]?)?》?(?:$|[-—|_:：\s]|全文)"
)
_NATIONAL_CUES = re.compile(
    r"代表(?:国务院|國務院|中央人民政府)|(?:国务院|國務院)(?:总理|總理)|国务院政府工作报告|(?:国务院|國務院)的委托"
    r"|第[一二三四五六七八九十]{1,3}[届屆]全[国國]人民代表大[会會]"
)
# Weak cue over the whole text: 中共无锡市委.
_PARTY_COMMITTEE = re.compile(rf"中共({_CHAIN})委")
# Weak level cues over the whole text: 全县, 我市, 全旗 (全区 is a district's or an autonomous region's).
_SPEAKS_AS = re.compile(r"(?:全|我)(省|市|县|区|旗|州|盟)")
_SPEAKS_AS_LEVEL = {"省": "province", "市": "city", "州": "city", "盟": "city", "县": "county", "旗": "county"}
_LEVEL_OF_SUFFIX = (
    ("特别行政区", "province"), ("自治区", "province"), ("省", "province"), ("自治州", "city"),
    ("地区", "city"), ("盟", "city"), ("市", "city"), ("自治县", "county"), ("自治旗", "county"),
    ("新区", "county"), ("林区", "county"), ("县", "county"), ("区", "county"), ("旗", "county"),
)  # fmt: skip
_MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
_MIN_PREFECTURE_SHORT = 3  # 黔东南州, 湘西州: the short name of an autonomous prefecture
# A line that is only the government's name, a site's banner: 武功县人民政府.
_BANNER = re.compile(rf"({_CHAIN})(?:人民)?政府")

# A dated line: delivered at a meeting (会议, 大会, 人大) or published (发布时间 2013-02-28).
_DATE = re.compile(r"(\d{4})(?:年|-|/|\.)(\d{1,2})(?:月|-|/|\.)(?:(\d{1,2})日?)?")
_MEETING_WORDS = re.compile(r"会议|大会|人大|开幕|讲话|届|日在")
_DELIVERY_WEIGHT = 7
_TITLE_WEIGHT = 6
_PUBLISHED_WEIGHT = 1
_DECEMBER = 12
_SESSION_MONTHS = 3  # local and national sessions meet in January-March


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
    r"|工作(?:总体)?(?:安排|任务|部署)|政府工作(?:安排|任务|的建议)|重点工作|经济社会发展的?总体要求))"
    r")"
)
# 刚刚过去的2020年 / a heading 去年工作回顾 followed by "2005年，…" / 今年主要任务 + "2006年是…".
_LAST_YEAR = re.compile(r"刚刚过去的(\d{4})年|去年[^\n。]{0,10}\n\s*(\d{4})年")
_THIS_YEAR = re.compile(r"今年[^\n。]{0,10}\n\s*(\d{4})年")
# 三、关于2026年工作 (a heading of the plan for the year).
_ABOUT_YEAR = re.compile(r"关于(\d{4})年的?(?:政府)?工作")
# A five-year plan's targets are set out in the report of its first year, the last plan's
# results reviewed there too: "十五五"时期主要目标任务, "十四五"时期发展成就.
_PLAN_PERIOD = re.compile(
    r"[“\"](十[一二三四五]?五|[六七八九]五)[”\"](?:规划)?时期(?:的)?"
    r"(?:(?P<new>主要目标(?:任务|和重大任务)?|发展目标)|(?P<done>[^。，；\n]{0,12}?(?:发展成就|主要成就|回顾)))?"
)
# 关于《国民经济和社会发展第十一个五年规划纲要（草案）》的说明: a plan's draft, put in its first year.
_PLAN_DRAFT = re.compile(r"第([一二三四五六七八九十]{1,3})个五年(?:规划|计划)(?:纲要)?[（(]草案[）)]")
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
_SPELT_YEAR = re.compile(r"[〇零○一二三四五六七八九]{4}(?=年)")


_PLACE_NAME = re.compile(
    r"(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族|维吾尔)*(?:自治州|自治县|自治旗|地区|新区|林区|市|县|区|旗|盟)"
)
_PLACE_NAME_LENGTHS = (2, 3, 4)


@dataclass(frozen=True)
class Places:
    """China's cities and counties (seeds/places.tsv), to find a government a text names only in passing."""

    level: dict[str, str]  # full name → city | county (江阴市 is a county-level 市)
    full_names: dict[str, tuple[str, ...]]  # short name (郑州, 宜丰, 楚雄, 馬鞍山) → full names
    simplified: dict[str, str]  # a full name in traditional characters → as the conventions write it


def parse_places(tsv: str) -> Places:
    r"""Places from the rows "code, name, level, bare, traditional" of seeds/places.tsv ("#": comments).

    Only names whose short form is not also a common word (bare = 1) are matched bare: 解放
    of 解放区 is mostly 解放思想.

    >>> tsv = "code\tname\tlevel\tbare\ttraditional\n410100\t郑州市\tcity\t1\t鄭州市"
    >>> places = parse_places(tsv + "\n532300\t楚雄彝族自治州\tcity\t1\t\n130305\t解放区\tcounty\t0\t解放區")
    >>> places.full_names, places.simplified
    ({'郑州': ('郑州市',), '鄭州': ('郑州市',), '楚雄': ('楚雄彝族自治州',)}, {'鄭州市': '郑州市', '解放區': '解放区'})
    """
    level: dict[str, str] = {}
    full_names: dict[str, list[str]] = {}
    simplified: dict[str, str] = {}
    for line in tsv.splitlines():
        fields = line.split("\t")
        if line.startswith("#") or len(fields) != 5 or fields[2] not in ("city", "county"):
            continue
        name, traditional = fields[1], fields[4]
        level[name] = fields[2]
        if traditional:
            simplified[traditional] = name
        if fields[3] != "1":
            continue
        for written in (name, traditional) if traditional else (name,):
            match = _PLACE_NAME.fullmatch(written)
            # A one-character name (兴县, 蠡县) reads as a phrase (和谐兴县): never matched bare.
            if match and len(match.group(1)) in _PLACE_NAME_LENGTHS:
                full_names.setdefault(match.group(1), []).append(name)
    return Places(level, {k: tuple(v) for k, v in full_names.items()}, simplified)


def _named_in_passing(body: str, level: str, places: Places) -> str | None:
    """The one place of the level that the text names most often (宜丰 of 落户宜丰), or None if tied."""
    counts: Counter[str] = Counter()
    for n in _PLACE_NAME_LENGTHS:
        for i in range(len(body) - n + 1):
            for name in places.full_names.get(body[i : i + n], ()):
                if places.level[name] == level:
                    counts[name] += 1
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


@dataclass(frozen=True)
class Metadata:
    """Title, region, level and report year read from a report's text."""

    title: str | None
    region: str | None
    level: str | None
    report_year: int | None


def _cn_number(s: str) -> int | None:
    """Value of a small Chinese numeral (十三 → 13); None for a typo such as 一一 read as no number.

    >>> _cn_number("十三"), _cn_number("二十"), _cn_number("四"), _cn_number("一一")
    (13, 20, 4, None)
    """
    try:
        value = int(parse_chinese(s))
    except NumberError:
        return None
    # A congress or session number is written with 十 (十一, 二十): "一一" is a slip, not 11.
    return value if len(s) == 1 or "十" in s else None


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


def npc_year(congress: str, session: str) -> int | None:
    """Year of a session of the NPC written in Chinese numerals; None for a typo or an impossible session.

    >>> npc_year("十三", "四"), npc_year("十四", "一一"), npc_year("十四", "九")
    (2021, None, None)
    """
    c, s = _cn_number(congress), _cn_number(session)
    if c is None or s is None or not 1 <= s <= 5:  # a congress meets in five yearly sessions
        return None
    return npc_session_year(c, s)


def _spelt_years(text: str) -> str:
    """The text with years spelt in Chinese numerals (一九五四年) in ASCII digits."""
    return _SPELT_YEAR.sub(lambda m: str(int(parse_chinese(m.group()))), text)


def searchable(text: str) -> str:
    """The text as the cue patterns see it: no invisible characters, junk tokens or inline spaces,
    single newlines, digits and traditional characters folded, spelt years in digits.

    >>> searchable("政 府 工 作 报\\n\\u200b\\n告\\n\\n\\u3000\\u3000１９８９年\\n二○○八年 屆")
    '政府工作报\\n告\\n1989年\\n2008年届'
    """
    text = _INVISIBLE.sub("", text)
    junk = junk_token_pattern(junk_tokens(text))
    if junk is not None:
        text = junk.sub("", text)
    text = _NEWLINES.sub("\n", _INLINE_SPACE.sub("", fold_text(text)))
    return _spelt_years(text).strip("\n")


def front_lines(body: str) -> list[str]:
    """The first lines of the body, with one- and two-character fragments joined to the line before.

    Wikisource breaks the title as "政府工作报\\n告".
    """
    lines: list[str] = []
    for line in body[:_FRONT_CHARS].split("\n")[:_FRONT_LINES]:
        if lines and len(line) <= 2 and not lines[-1].endswith(("。", "：", ":", "！", "!")):
            lines[-1] += line
        elif line:
            lines.append(line)
    return lines


def _header(lines: list[str]) -> list[str]:
    """The lines before the address to the deputies ("各位代表："): title, dateline, byline."""
    for i, line in enumerate(lines):
        if line.startswith("各位代表"):
            return lines[:i]
    return lines[:_NO_ADDRESS_LINES]


def tail_lines(text: str) -> list[str]:
    """The lines after the body that are about the report: a title, 来源, meeting line or speaker
    that a copy printed last (never the body's own last lines, which may hold dates too)."""
    tail: list[str] = []
    for line in reversed(text[-_TAIL_LINES * _MAX_META_LINE :].split("\n")[-_TAIL_LINES:]):
        if not is_meta_line(line):
            break
        tail.append(line)
    return tail[::-1]


def find_title(lines: list[str]) -> str | None:
    """The title line: a line that starts with a name ending in 政府工作报告 and goes on with no clause."""
    for line in lines:
        line = _BRACKETED.sub("", line, count=1) if line[:1] in "(（【[" else line
        match = REPORT_TITLE.match(line)
        if match and line[match.end() : match.end() + 1] not in ("，", ",", "、", "。", "的", "中"):
            return match.group(1)
        if line.startswith("各位代表"):
            break  # the title comes before the address to the deputies
    return None


def _unit(chain: str) -> tuple[str | None, str]:
    """(name, suffix) of the last unit of a chain: (斗门区, 区) of 珠海市斗门区; (None, 自治区) of 自治区."""
    units = _UNIT_RE.findall(chain)
    last = units[-1] if units else chain
    for suffix, _ in _LEVEL_OF_SUFFIX:
        if last.endswith(suffix):
            name = last[: -len(suffix)]
            return (last if name and name != "自治" else None), suffix
    return last, ""


def _level_of(name: str, suffix: str) -> str | None:
    if name.startswith(PROVINCES) and (suffix in ("省", "自治区", "特别行政区") or name.startswith(_MUNICIPALITIES)):
        return "province"
    return dict(_LEVEL_OF_SUFFIX).get(suffix)


def region_name(name: str, level: str | None) -> str:
    """The region as the conventions write it: 广西 of 广西壮族自治区, 北京 of 北京市, 蠡县 as is."""
    if level == "province":
        for province in PROVINCES:
            if name.startswith(province):
                return province
    return name


class _Votes:
    """Weighted votes for named governments and for levels."""

    def __init__(self) -> None:
        self.named: Counter[tuple[str, str]] = Counter()
        self.levels: Counter[str] = Counter()
        self.bare: Counter[str] = Counter()  # names written without a suffix: 泉州人民政府

    def chain(self, chain: str | None, weight: int, suffix: str = "") -> None:
        name, unit_suffix = _unit(chain) if chain else (None, suffix)
        level = _level_of(name, unit_suffix) if name else dict(_LEVEL_OF_SUFFIX).get(unit_suffix)
        if name and level:
            self.named[(name, level)] += weight
        if level:
            self.levels[level] += weight


def _title_name(line: str) -> str | None:
    """The government named by a page title: 蠡县 of (河北省)2017年蠡县人民政府工作报告(全文)."""
    match = _TITLE_NAME.match(_YEAR_WORD.sub("", _BRACKETED.sub("", line)))
    return match.group(1) if match else None


def _title_cues(votes: _Votes, line: str) -> None:
    name = _title_name(line)
    if not name:
        return
    if _UNIT_RE.fullmatch(name) or _UNIT_RE.match(name):
        votes.chain(name, 4)
    elif name.startswith(PROVINCES) and len(name) <= 4:
        votes.named[(name, "province")] += 4  # 2025年广西政府工作报告
        votes.levels["province"] += 4
    elif len(name) <= 4:
        votes.bare[name] += 4


def _complete(name: str, level: str, places: Places | None) -> str:
    """The full name of a government a title names without its suffix: 泉州 → 泉州市, 黔东南州 → the 自治州."""
    if places is not None:
        for short in (name, name[:-1]) if name.endswith("州") else (name,):
            found = [full for full in places.full_names.get(short, ()) if places.level[full] == level]
            if len(found) == 1:
                return found[0]
    if name.endswith("州") and len(name) >= _MIN_PREFECTURE_SHORT:
        return name  # 黔东南州, an autonomous prefecture's short name; 泉州 is a 市
    return name + ("市" if level == "city" else "县")


def find_region_level(
    meta: list[str], front: str, body: str, places: Places | None = None
) -> tuple[str | None, str | None]:
    """Region and administrative level of the government giving the report."""
    joined = "\n".join(meta)
    if _NATIONAL_CUES.search(joined) or _NATIONAL_CUES.search(front):
        return NATIONAL_REGION, "national"
    votes = _Votes()
    for line in meta:
        if "工作报告" in line or "工作報告" in line:
            _title_cues(votes, line)
        banner = _BANNER.fullmatch(line)
        if banner:
            votes.chain(banner.group(1), 2)
        if len(line) <= _MAX_BYLINE:
            for match in _SPEAKER.finditer(line):
                suffix, _ = _SPEAKER_LEVEL[match.group(2)]
                votes.chain(match.group(1), 2, suffix)
    for text in (joined, front):
        for match in _MEETING.finditer(text):
            votes.chain(match.group(1), 3)
    for match in _ON_BEHALF.finditer(front):
        votes.chain(match.group(1), 2)
    for match in _PARTY_COMMITTEE.finditer(body):
        votes.chain(match.group(1), 1)
    for word, n in Counter(m.group(1) for m in _SPEAKS_AS.finditer(body)).items():
        if word in _SPEAKS_AS_LEVEL:
            votes.levels[_SPEAKS_AS_LEVEL[word]] += min(n, 3) / 3  # a hint, never above a named cue
    if votes.named:
        (name, level), _ = max(votes.named.items(), key=lambda item: (item[1], len(item[0][0])))
        if places is not None:
            name = places.simplified.get(name, name)  # 馬鞍山市 of a page in traditional script
            if level == "city":
                level = places.level.get(name, level)  # a county-level 市 (江阴市) is county level
        return region_name(name, level), level
    level = max(votes.levels.items(), key=lambda item: item[1])[0] if votes.levels else None
    if votes.bare and level in ("city", "county"):
        name, _ = votes.bare.most_common(1)[0]
        return _complete(name, level, places), level
    if places is not None and level in ("city", "county"):
        return _named_in_passing(body, level, places), level
    if level is None:
        # No government named: a State Council report still speaks of 国务院 and 全国.
        national = body.count("国务院")
        local = sum(body.count(w) for w in ("全省", "全市", "全区", "全县", "我省", "我市"))
        if national >= 2 and body.count("全国") > local:
            return NATIONAL_REGION, "national"
    return None, level


def _dated_lines(votes: Counter[int], meta: list[str], title_lines: list[str]) -> None:
    """Votes from the delivery date of the meeting line and the publication date of a page."""
    for full in meta:
        line = full[:_MAX_META_LINE]  # a text with its newlines lost is one long "line"
        meeting = _MEETING_WORDS.search(line) is not None
        for match in _DATE.finditer(line):
            year, month = int(match.group(1)), int(match.group(2))
            if not 1 <= month <= _DECEMBER:
                continue
            if meeting or (full in title_lines and match.group(3)):
                _vote(votes, year, _DELIVERY_WEIGHT)
            elif month <= _SESSION_MONTHS or month == _DECEMBER:
                _vote(votes, year, _PUBLISHED_WEIGHT)


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


def _year_votes(meta: list[str], front: str, body: str, national: bool) -> Counter[int]:
    """Weighted votes for the report year; the weights rank how directly a cue says it."""
    votes: Counter[int] = Counter()
    title_lines = [line for line in meta if "工作报告" in line and (find_title([line]) or _title_name(line))]
    for line in title_lines:
        # A year of the title, not the date of delivery in its brackets: 石棉县…报告(2021年12月12日).
        # A text with its newlines lost is one long line: only its title counts.
        head = line if len(line) <= _MAX_META_LINE else find_title([line]) or ""
        for match in re.finditer(r"(\d{4})年(?!\d{1,2}月)", head):
            _vote(votes, int(match.group(1)), _TITLE_WEIGHT)
    _dated_lines(votes, meta, title_lines)
    if national:
        for match in _SESSION_AT.finditer(front):
            _vote(votes, npc_year(match.group(1), match.group(2) or "一"), 5)
        for window in _windows(body, "届屆", 24, 48):
            for match in _SESSION_FIVE_YEARS.finditer(window):
                start = npc_year(match.group(1), "一")
                _vote(votes, start + 5 if start else None, 4)
            for match in _SESSION_LAST_YEAR.finditer(window):
                congress, session = match.group(1, 2) if match.group(1) else match.group(3, 4)
                year = npc_year(congress, session)
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
        plan = _PLAN_NAMES.get(match.group(1) or "") or (_cn_number(match.group(2)) if match.group(2) else None)
        if plan in _FIVE_YEAR_PLANS:
            _vote(votes, _FIVE_YEAR_PLANS[plan] + _PLAN_YEAR[match.group(3)], 3)
    for match in _ABOUT_YEAR.finditer(body):
        _vote(votes, int(match.group(1)), 3)
    for match in _PLAN_PERIOD.finditer(body):
        plan = _PLAN_NAMES.get(match.group(1))
        if plan in _FIVE_YEAR_PLANS and (match.group("new") or match.group("done")):
            _vote(votes, _FIVE_YEAR_PLANS[plan] + (5 if match.group("done") else 0), 3)
    for match in _PLAN_DRAFT.finditer(body):
        plan = _cn_number(match.group(1))
        _vote(votes, _FIVE_YEAR_PLANS.get(plan) if plan else None, 3)
    for match in _PAST_YEAR_WAS.finditer(body):
        year = _year_before(body, match.start())
        _vote(votes, year + 1 if year else None, 2)
    if not votes:
        # Weak fallback: a report looks back on the year before it most, and
        # ahead to its own year.
        mentions = Counter(int(y) for y in _MENTION.findall(body))
        scores = {y: 2 * mentions[y - 1] + mentions[y] for y in set(mentions) | {y + 1 for y in mentions}}
        if scores:
            year, _ = max(scores.items(), key=lambda item: (item[1], item[0]))
            _vote(votes, year, 1)
    return votes


def find_report_year(meta: list[str], front: str, body: str, national: bool = False) -> int | None:
    """The year the report is delivered in, or None when no cue says it."""
    votes = _year_votes(meta, front, body, national)
    if not votes:
        return None
    return max(votes.items(), key=lambda item: (item[1], item[0]))[0]


def read_metadata(text: str, places: Places | None = None) -> Metadata:
    """Title, region, level and report year of a report's decoded text.

    With `places`, a city or county government that the text never names as such
    (an excerpt without its title) is the place of that level it mentions most.
    """
    body = searchable(text)
    lines = front_lines(body)
    meta = _header(lines) + tail_lines(body)
    front = "\n".join(lines)[:_REGION_FRONT]
    title = find_title(lines) or find_title(tail_lines(body))
    region, level = find_region_level(meta, front, body, places)
    year = find_report_year(meta, front, body, level == "national")
    return Metadata(title, region, level, year)
