"""Number parsing for indicator mentions: digits, Chinese numerals, scales, fractions and units.

Everything here works on one figure already found by `transforms.extract`; nothing
scans running text with cn2an, which would turn 一体化 into 1体化.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

import cn2an

# Full-width and typographic variants mapped one character to one character, so
# that indices in the normalized text are indices in the cleaned text too.
# Blanket NFKC would also fold ［28］ and ℃ and change lengths; we fold only these.
_FOLD_PAIRS = {
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "．": ".",
    "％": "%",
    "－": "-",
    "—": "-",
    "–": "-",
    "―": "-",
    "～": "~",
    "〜": "~",
    "∶": ":",
    "︰": ":",
    "：": ":",
    "／": "/",
    "　": " ",
    "\u00a0": " ",
}
# Traditional characters of numerals, units and the verbs around figures (the 1954 report
# is in traditional script), folded so the same patterns read them. Names are still
# taken from the text as written.
_TRADITIONAL = "別內漲萬億點兩噸畝個種項處條張輛戶隻頭間長遞減與較爲為達國產産總資額貿鐵鋼紗電機業農糧從來現實際預計劃規數帶動區縣鄉鎮廠場礦開發術學醫衛職員佔務設運輸貨銷價獲經濟穩歲標準積餘約當將則這們過還進連續僅於對應該幣會議歷屆據財稅費營貧窮廣義"
_SIMPLIFIED = "别内涨万亿点两吨亩个种项处条张辆户只头间长递减与较为为达国产产总资额贸铁钢纱电机业农粮从来现实际预计划规数带动区县乡镇厂场矿开发术学医卫职员占务设运输货销价获经济稳岁标准积余约当将则这们过还进连续仅于对应该币会议历届据财税费营贫穷广义"
TRADITIONAL_TABLE = str.maketrans(_TRADITIONAL, _SIMPLIFIED)
FOLD_TABLE = str.maketrans(_FOLD_PAIRS | dict(zip(_TRADITIONAL, _SIMPLIFIED, strict=True)))
# Every full-width ASCII character (ＧＤＰ, （）, ：) to its half-width form, for comparing names;
# fold_text folds only the digits and figure punctuation, so the Chinese comma stays a comma.
FULL_WIDTH_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
# Most sentences hold none of the characters folded: one scan finds out, cheaper than a translate.
_FOLDED_RE = re.compile("[" + re.escape("".join(_FOLD_PAIRS) + _TRADITIONAL) + "]")
# A full-width comma between digit groups (２９４，３９２，０００元 in 1950s reports) is a
# thousands separator; anywhere else it is the Chinese clause comma and stays.
_DIGIT_COMMA_RE = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")


def fold_text(text: str) -> str:
    """The text with full-width digits, figure punctuation and traditional numerals folded, same length.

    >>> fold_text("增长１１．２％－１２％")
    '增长11.2%-12%'
    >>> fold_text("原煤八千一百九十九萬噸，等於一九四九年的二點六倍")
    '原煤八千一百九十九万吨，等于一九四九年的二点六倍'
    >>> fold_text("２９４，３９２，０００元，增长")
    '294,392,000元，增长'
    """
    if _FOLDED_RE.search(text):
        text = text.translate(FOLD_TABLE)
    return _DIGIT_COMMA_RE.sub(",", text)


class Unit(NamedTuple):
    """A unit as written mapped to its canonical code and the factor to that code."""

    code: str
    factor: float


# Canonical units of GUIDELINES table 3 (and contracts.UNITS); units outside the table
# are converted into the nearest canonical one (公斤 → ton, 担 → jin).
_MEASURE_UNITS: dict[str, Unit] = {
    "个百分点": Unit("pp", 1),
    "百分点": Unit("pp", 1),
    "%": Unit("percent", 1),
    "‰": Unit("permille", 1),  # as written: rates reports give per mille stay per mille
    "倍": Unit("times", 1),
    "元": Unit("CNY", 1),
    "元人民币": Unit("CNY", 1),
    "美元": Unit("USD", 1),
    "人次": Unit("person_time", 1),
    "人": Unit("person", 1),
    "名": Unit("person", 1),
    "位": Unit("person", 1),
    "平方米": Unit("m2", 1),
    "平米": Unit("m2", 1),
    "平方公里": Unit("km2", 1),
    "平方千米": Unit("km2", 1),
    "公里": Unit("km", 1),
    "千米": Unit("km", 1),
    "亩": Unit("mu", 1),
    "微克/立方米": Unit("ug_m3", 1),
    "立方米": Unit("m3", 1),
    "公顷": Unit("ha", 1),
    "吨": Unit("ton", 1),
    "公斤": Unit("ton", 1e-3),
    "千克": Unit("ton", 1e-3),
    "斤": Unit("jin", 1),
    "市斤": Unit("jin", 1),
    "担": Unit("jin", 100),  # 1950s harvests: 1 担 = 100 斤
    "公吨": Unit("ton", 1),
    "立方公尺": Unit("m3", 1),
    "标箱": Unit("TEU", 1),
    "标准箱": Unit("TEU", 1),
    "千瓦时": Unit("kWh", 1),
    "千瓦": Unit("kW", 1),
    "度": Unit("kWh", 1),
    "剂次": Unit("count", 1),
    "个工作日": Unit("day", 1),
    "工作日": Unit("day", 1),
    "天": Unit("day", 1),
    "日": Unit("day", 1),
    "岁": Unit("year", 1),
    "年": Unit("year", 1),
}

# Classifiers of counted things: what is counted stays in the indicator name.
COUNT_CLASSIFIERS = "个家所条项件场块座批户辆套张台部头只匹艘架处间栋种起宗例次份支根棵株册篇枚颗列片"
UNITS: dict[str, Unit] = {c: Unit("count", 1) for c in COUNT_CLASSIFIERS} | _MEASURE_UNITS

SCALES: dict[str, int] = {
    "万亿": 10**12,
    "千亿": 10**11,
    "百亿": 10**10,
    "亿": 10**8,
    "千万": 10**7,
    "百万": 10**6,
    "万": 10**4,
}

CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUMERAL_CHARS = CN_DIGITS + "十百千万亿"
# ○ (U+25CB, a white circle) stands for 〇 in many typed years: 二○○八年.
_CN_PLAIN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2, "○": 0}
_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


class NumberError(ValueError):
    """A figure the extractor found could not be read as a number; the message names it."""


def parse_arabic(raw: str) -> float:
    """The value of an ASCII-digit figure, thousands separators allowed.

    >>> parse_arabic("1,234.5")
    1234.5
    """
    return float(raw.replace(",", ""))


def parse_chinese(raw: str) -> float:
    """The value of a Chinese numeral such as 一千二百万, 两, 三十五 or 二〇二五.

    >>> parse_chinese("一千二百万")
    12000000.0
    >>> parse_chinese("两")
    2.0
    >>> parse_chinese("二〇二五"), parse_chinese("二○○八")
    (2025.0, 2008.0)
    >>> parse_chinese("一点二六")
    1.26
    >>> parse_chinese("六万万")
    600000000.0
    """
    if "点" in raw:
        # 一点二六 (1.26): the part after 点 is read digit by digit.
        whole, _, decimals = raw.partition("点")
        if not decimals or any(c not in _CN_PLAIN_DIGIT for c in decimals):
            raise NumberError(f"extract: cannot read Chinese decimal {raw!r}")
        base = parse_chinese(whole) if whole else 0.0
        return base + float("0." + "".join(str(_CN_PLAIN_DIGIT[c]) for c in decimals))
    if raw and all(c in _CN_PLAIN_DIGIT for c in raw) and len(raw) > 1:
        # Digit-by-digit numerals (二〇二五) are read positionally, not as 二十五.
        return float(int("".join(str(_CN_PLAIN_DIGIT[c]) for c in raw)))
    # 六万万 is the older way to write 六亿.
    raw = raw.replace("万万", "亿")
    try:
        return float(cn2an.cn2an(raw.replace("两", "二").replace("〇", "零"), "smart"))
    except (ValueError, KeyError, IndexError) as err:  # cn2an raises KeyError on some malformed numerals
        raise NumberError(
            f"extract: cannot read Chinese numeral {raw!r}; add its form to numbers.parse_chinese"
        ) from err


def parse_number(raw: str) -> float:
    """The value of one figure in Arabic digits or Chinese numerals, with a trailing scale.

    >>> parse_number("4155亿")
    415500000000.0
    >>> parse_number("1.3万亿")
    1300000000000.0
    >>> parse_number("三千")
    3000.0
    """
    raw = fold_text(raw).strip()
    match = _ARABIC.match(raw)
    if match:
        value = parse_arabic(match.group())
        rest = raw[match.end() :]
        if rest and rest not in SCALES:
            raise NumberError(f"extract: unexpected scale {rest!r} after {raw!r}")
        return value * SCALES.get(rest, 1)
    return parse_chinese(raw)


def scale_of(raw: str) -> int:
    """The multiplier of a scale word (万, 亿, 万亿 …), 1 for none.

    >>> scale_of("万亿")
    1000000000000
    """
    return SCALES.get(raw, 1)


def fraction_percent(numerator: float, denominator: float) -> float:
    """A fraction as a percent; 1/3 → 33.33…

    >>> round(fraction_percent(1, 3), 4)
    33.3333
    """
    if denominator == 0:
        raise NumberError("extract: a fraction with denominator 0")
    return numerator / denominator * 100


def doubling_times(count_word: str) -> float:
    """The multiple of 翻番 (2), 翻一番 (2), 翻两番 (4), 翻三番 (8).

    >>> doubling_times("两")
    4.0
    >>> doubling_times("")
    2.0
    """
    n = parse_chinese(count_word) if count_word else 1.0
    return float(2 ** int(n))


def is_plausible(value: float) -> bool:
    """Whether a parsed value is finite and within what a government report can state."""
    return math.isfinite(value) and 0 <= value < 1e16
