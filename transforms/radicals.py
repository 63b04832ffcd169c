"""Kangxi and CJK radical code points read as the ideographs they stand for.

PDF files often map a glyph to a radical code point (``⽣`` U+2F63, ``⻓`` U+2ED3)
where the text means the ideograph (生, 长). Each radical becomes exactly one code
point, so the text keeps its length and every offset into it stays valid.
"""

from __future__ import annotations

import unicodedata

# CJK Radicals Supplement (U+2E80-U+2EF3) has no decomposition in UnicodeData, so
# NFKC leaves it alone; these pairs are Unicode's EquivalentUnifiedIdeograph.txt for
# the block (U+2E80 and U+2E9A have no equivalent ideograph and stay as they are).
_SUPPLEMENT_PAIRS = (
    "⺁厂 ⺂乛 ⺃乚 ⺄乙 ⺅亻 ⺆冂 ⺇𠘨 ⺈刀 ⺉刂 ⺊卜 ⺋㔾 ⺌小 ⺍小 ⺎兀 ⺏尣 ⺐尢 ⺑𡯂 ⺒巳 ⺓幺 ⺔彑 ⺕𫜹 ⺖忄 "
    "⺗心 ⺘扌 ⺙攵 ⺛旡 ⺜日 ⺝月 ⺞歺 ⺟母 ⺠民 ⺡氵 ⺢氺 ⺣灬 ⺤爫 ⺥爫 ⺦丬 ⺧牛 ⺨犭 ⺩王 ⺪𤴔 ⺫目 ⺬示 "
    "⺭礻 ⺮𥫗 ⺯糹 ⺰纟 ⺱罓 ⺲罒 ⺳㓁 ⺴冗 ⺵𦉫 ⺶羊 ⺷𦍌 ⺸𦍋 ⺹耂 ⺺肀 ⺻聿 ⺼肉 ⺽𦥑 ⺾艹 ⺿艹 ⻀艹 ⻁虎 "
    "⻂衤 ⻃覀 ⻄西 ⻅见 ⻆角 ⻇𧢲 ⻈讠 ⻉贝 ⻊𧾷 ⻋车 ⻌辶 ⻍辶 ⻎辶 ⻏邑 ⻐钅 ⻑長 ⻒镸 ⻓长 ⻔门 ⻕𨸏 ⻖阝 "
    "⻗雨 ⻘青 ⻙韦 ⻚页 ⻛风 ⻜飞 ⻝食 ⻞𩙿 ⻟飠 ⻠饣 ⻡𩠐 ⻢马 ⻣骨 ⻤鬼 ⻥鱼 ⻦鸟 ⻧卤 ⻨麦 ⻩黄 ⻪黾 ⻫斉 "
    "⻬齐 ⻭歯 ⻮齿 ⻯竜 ⻰龙 ⻱龜 ⻲亀 ⻳龟"
)
_KANGXI = range(0x2F00, 0x2FD6)


def _table() -> dict[int, str]:
    table = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in _KANGXI}
    for pair in _SUPPLEMENT_PAIRS.split():
        radical, ideograph = pair
        table[ord(radical)] = ideograph
    return table


RADICAL_IDEOGRAPHS: dict[int, str] = _table()


def read_radicals(text: str) -> str:
    """The text with every Kangxi or supplement radical replaced by its ideograph, same length.

    >>> read_radicals("地区⽣产总值增⻓5.5%")
    '地区生产总值增长5.5%'
    >>> len(read_radicals("⺇")) == 1
    True
    """
    return text.translate(RADICAL_IDEOGRAPHS)
