"""Standard indicator codes: the same quantity under the many names reports give it gets one code.

`seeds/indicator_codes.csv` lists each code with its standard name, the names reports write
(地区生产总值, 国内生产总值, 生产总值, GDP → `gdp`), the canonical unit of its level and its usual
measure. `parse_codes` reads that table; `IndicatorCodes.code_for` gives an indicator row its
code, or None when the name or the unit does not say clearly which quantity it is: a wrong code
would silently join unlike series, a missing one only leaves a row for review.

>>> codes = parse_codes("code,name,aliases,unit,measure\\ngdp,地区生产总值,国内生产总值|GDP,CNY,level\\n")
>>> codes.code_for("全市地区生产总值", "percent", "change")
'gdp'
>>> codes.code_for("ＧＤＰ", "CNY", "level")
'gdp'
>>> codes.code_for("国内生产总值", "person", "level") is None
True
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field

from transforms.contracts import MEASURES, UNITS
from transforms.numbers import FULL_WIDTH_TABLE, TRADITIONAL_TABLE

HEADER = ("code", "name", "aliases", "unit", "measure")
HEADER_LINE = ",".join(HEADER) + "\n"
_CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")

# Units that measure the same quantity in another scale: a report gives foreign investment or
# trade in 美元 one year and in 元 the next, grain in 吨 or in 斤, land in 亩 or in 公顷. The row's
# unit still says which; the code only says what is measured.
_UNIT_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"CNY", "USD"}),
    frozenset({"ton", "jin"}),
    frozenset({"mu", "ha"}),
)

# Words around a name that do not change what is measured: where (全市地区生产总值), when
# (年末常住人口 is an alias, 全年 is not), who plans it (拟安排财政赤字), and the verbs and
# target words the extract stage leaves at the end of a name (地区生产总值增长, 广义货币M2预期,
# 城镇调查失业率平 from 平均). Words that do change it (占…比重, 人均, 新增 …) are never stripped:
# they are parts of aliases of their own.
_PREFIXES = (
    "全国", "全省", "全市", "全区", "全县", "全州", "全盟", "全自治区", "全年",
    "我国", "我省", "我市", "我区", "我县", "本市", "本省", "今年", "当年", "年均", "年度",
    "拟安排", "安排", "拟发行", "发行", "预计", "计划", "实现", "完成", "其中", "累计",
)  # fmt: skip
_SUFFIXES = (
    "增长", "增速", "增幅", "增长率", "年均增长", "预期目标", "预期增长目标", "目标", "预期", "预计", "总量",
    "达到", "达", "为", "实现", "分别", "由前", "由", "从", "比", "比上年", "同比", "同比增长", "累计", "拟",
    "平均", "平", "上涨", "下降", "降低", "提高", "增加", "减少", "规模", "水平", "年均",
)  # fmt: skip


def _alternation(words: tuple[str, ...]) -> str:
    # Longest first, so 年均增长 is taken whole rather than as 年均 then 增长 … or not at all.
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_PREFIX_RE = re.compile(f"(?:{_alternation(_PREFIXES)})")
_SUFFIX_RE = re.compile(f"(?:{_alternation(_SUFFIXES)})$")

_SPACES = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """The indicator name as codes compare it: no spaces, half-width ASCII upper-cased, simplified.

    >>> normalize_name(" ＧＤＰ 增长 ")
    'GDP增长'
    >>> normalize_name("細顆粒物（pm2.5）濃度") == normalize_name("細顆粒物(PM2.5)濃度")
    True
    >>> normalize_name("國內生產總值")
    '国内生产总值'
    """
    text = _SPACES.sub("", name).translate(FULL_WIDTH_TABLE).translate(TRADITIONAL_TABLE)
    return "".join(c.upper() if c.isascii() else c for c in text)


@dataclass(frozen=True)
class IndicatorCode:
    """One standard indicator: its code, standard name, the names reports use, unit and measure."""

    code: str
    name: str
    aliases: tuple[str, ...]
    unit: str
    measure: str


def _fit(code: IndicatorCode, unit: str, measure: str) -> int:
    """How well a row's unit fits a code: 2 its own unit, 1 a change or share of it, 0 not at all."""
    family = next((f for f in _UNIT_FAMILIES if code.unit in f), frozenset({code.unit}))
    if unit in family:
        return 2
    if code.unit == "percent":
        # A rate moves in percentage points (城镇化率提高1.2个百分点); anything else is another quantity.
        return 2 if unit == "pp" else 0
    if unit in ("percent", "pp") and measure in ("change", "share"):
        return 1
    # 翻一番 / 增加3.9倍 / 是1980年的4.2倍: a multiple of the quantity itself.
    return 1 if unit == "times" else 0


@dataclass(frozen=True)
class IndicatorCodes:
    """The code table, with every normalized alias mapped to the codes that use it (in table order)."""

    codes: tuple[IndicatorCode, ...]
    by_alias: dict[str, tuple[IndicatorCode, ...]] = field(repr=False, compare=False)
    by_code: dict[str, IndicatorCode] = field(repr=False, compare=False)

    def code_for(self, indicator: str | None, unit: str, measure: str) -> str | None:
        """The code of an indicator row, or None when its name or unit does not identify one.

        The longest alias equal to the name, or to its core once place, planner and trailing
        verbs are stripped, wins; among codes sharing that alias (优良天数 as a ratio or a count
        of days) the one whose unit fits best.
        """
        candidates = self.match(indicator)
        if not candidates:
            return None
        best = max(candidates, key=lambda c: _fit(c, unit, measure))
        # The longest matching alias decides what is measured: if its unit does not fit, a
        # shorter one inside it (地区生产总值 in 人均地区生产总值) would be a different quantity.
        return best.code if _fit(best, unit, measure) else None

    def match(self, indicator: str | None) -> tuple[IndicatorCode, ...]:
        """The codes whose longest alias the name (or its core) is, whatever the unit; () if none.

        >>> [c.code for c in parse_codes(HEADER_LINE + "gdp,地区生产总值,GDP,CNY,level\\n").match("全省GDP")]
        ['gdp']
        """
        if not indicator:
            return ()
        for core in _name_cores(indicator):
            candidates = self.by_alias.get(core)
            if candidates is not None:
                return candidates
        return ()

    def unit_fits(self, code: str, unit: str, measure: str) -> bool:
        """Whether a row in this unit and measure can be a figure of the code (its level, a change, a share)."""
        entry = self.by_code.get(code)
        return entry is not None and _fit(entry, unit, measure) > 0

    def __len__(self) -> int:
        return len(self.codes)


@functools.lru_cache(maxsize=1 << 16)
def _name_cores(indicator: str) -> tuple[str, ...]:
    # Reports repeat their names (城镇新增就业 in every year's report): a pure function of the
    # name, so memoising it changes nothing but the time, about 3x on the corpus.
    return tuple(_cores(normalize_name(indicator)))


def _cores(name: str) -> list[str]:
    """The name and what is left of it without leading place/planner words and trailing verbs, longest first.

    >>> _cores("全市地区生产总值增长")
    ['全市地区生产总值增长', '全市地区生产总值', '地区生产总值增长', '地区生产总值']
    """
    heads = [name]
    while (m := _PREFIX_RE.match(heads[-1])) and m.end() < len(heads[-1]):
        heads.append(heads[-1][m.end() :])
    cores = []
    for head in heads:
        cores.append(head)
        while (m := _SUFFIX_RE.search(cores[-1])) and m.start() > 0:
            cores.append(cores[-1][: m.start()])
    return sorted(dict.fromkeys(cores), key=len, reverse=True)


def parse_codes(text: str) -> IndicatorCodes:
    """The code table from the text of `seeds/indicator_codes.csv`; ValueError naming the line if invalid."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != HEADER:
        raise ValueError(f"indicator codes line 1: header must be {','.join(HEADER)}, got {header!r}")
    codes: list[IndicatorCode] = []
    seen: dict[str, int] = {}
    alias_units: dict[tuple[str, str], tuple[str, int]] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER):
            raise ValueError(f"indicator codes line {line}: expected {len(HEADER)} columns, got {len(row)}: {row!r}")
        code, name, aliases_text, unit, measure = (cell.strip() for cell in row)
        if not _CODE.fullmatch(code):
            raise ValueError(f"indicator codes line {line}: code {code!r} is not ASCII snake_case")
        if code in seen:
            raise ValueError(f"indicator codes line {line}: code {code!r} already defined on line {seen[code]}")
        if unit not in UNITS:
            raise ValueError(f"indicator codes line {line}: unit {unit!r} of {code!r} is not one of {', '.join(UNITS)}")
        if measure not in MEASURES:
            raise ValueError(f"indicator codes line {line}: measure {measure!r} of {code!r} is not one of "
                             f"{', '.join(MEASURES)}")  # fmt: skip
        if not name:
            raise ValueError(f"indicator codes line {line}: code {code!r} has no name")
        aliases = tuple(dict.fromkeys(normalize_name(a) for a in (name, *aliases_text.split("|")) if a.strip()))
        for alias in aliases:
            # The same alias may name two codes only if their units tell them apart (优良天数: a
            # percent ratio or a number of days); otherwise which one a row gets would be arbitrary.
            if (alias, unit) in alias_units:
                other, other_line = alias_units[(alias, unit)]
                raise ValueError(f"indicator codes line {line}: alias {alias!r} of {code!r} is already an alias "
                                 f"of {other!r} (line {other_line}) with the same unit {unit!r}")  # fmt: skip
            alias_units[(alias, unit)] = (code, line)
        seen[code] = line
        codes.append(IndicatorCode(code, name, aliases, unit, measure))
    by_alias: dict[str, tuple[IndicatorCode, ...]] = {}
    for entry in codes:
        for alias in entry.aliases:
            by_alias[alias] = (*by_alias.get(alias, ()), entry)
    return IndicatorCodes(tuple(codes), by_alias, {c.code: c for c in codes})
