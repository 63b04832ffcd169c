"""Names: the noun phrase a figure measures, read from the words around it."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from transforms.extract.attributes import change_verb
from transforms.extract.figures import RIGHT_NAMED_UNITS, Figure
from transforms.extract.lexicon import Lexicon
from transforms.extract.patterns import (
    BASELINE_AGO_RE,
    BASELINE_MULTIPLE_RE,
    BASELINE_PREV_RE,
    BASELINE_SINCE_RE,
    BASELINE_YEAR_RE,
    CLAUSE_DELIMS,
    HARD_DELIMS,
    YEAR4,
    clause_start,
)


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
                BASELINE_MULTIPLE_RE.pattern,
                BASELINE_PREV_RE.pattern,
                BASELINE_AGO_RE.pattern,
                rf"(?:{YEAR4}年?[-~至到])?(?:到|至|截至|截止)?{YEAR4}年(?:底|末|初|前|以来|上半年|下半年|全年|的)?",
                r"(?<![\d.A-Za-z])(?:过去|今后|未来|近|这)?[一二两三四五六七八九十\d]+年(?:来|间|中|里)?",
                r"今年|去年|明年|全年|年内|年末|年底|当年|上年",
                r"“?十[一二三四五六]?五”?(?:时期|期间|末|以来)?",
                r"(?:比|较)(?:省定|国家|预期|计划)?目标",
                r"(?:不)?包括[^，,；;]{0,20}在内|",
                rf"按{YEAR4}年不变价格(?:计算)?|按可比(?:价格|口径)计算|按可比(?:价格|口径)"
                rf"|扣除(?:物价上涨|价格)因素(?:后)?|剔除[^，,]{{1,6}}因素(?:后)?",
            )
        )
    )
)
_EDGE_PUNCT = " \t\u3000、,，;；:：.。()（）[]【】<>《》-~□"


# 等 closing a list of examples; not 高等, 平等, 中等 … nor 等级, 等于.
_EXAMPLES_RE = re.compile(r"^.*[^高中初平同均对相超次优上何]等(?![级于同等])(?=..)")


_PARENTHETICAL_RE = re.compile(r"[（(][^（）()]{0,20}[）)]")


# A status word (预计, 力争) starts the subject: what stands before it belongs to another phrase,
# such as a heading line a web copy ran into the sentence.
_BEFORE_STATUS_RE = re.compile(r"^.+?(?=(?:预计|力争).{2})")
_STATUS_WORD_RE = re.compile(r"(?:今年)?(?:预计|力争)(?:将)?")


def _trim_name(raw: str, lex: Lexicon) -> str:
    """The core noun phrase of the text left of a figure: time, baseline, asides and verbs removed."""
    name = _NAME_NOISE_RE.sub("", _PARENTHETICAL_RE.sub("", raw)).strip(_EDGE_PUNCT)
    after_status = _BEFORE_STATUS_RE.sub("", name)
    if after_status != name:
        # Only when a subject follows the status word (预计全县地区生产总值…), not a verb (投入预计年均增长).
        trimmed = _trim_name(after_status, lex)
        if len(trimmed) >= 2:
            return trimmed
        name = _STATUS_WORD_RE.sub("", name)
    for _ in range(6):
        before = name
        name = lex.lead_trim_re.sub("", name).strip(_EDGE_PUNCT)
        name = lex.trail_trim_re.sub("", name).strip(_EDGE_PUNCT)
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


def _right_name(text: str, end: int, lex: Lexicon) -> str:
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
    m = lex.right_stop_re.search(right, 2)
    if m:
        right = right[: m.start()]
    if lex.figure_re.search(right) and re.search(r"\d", right):
        right = right[: re.search(r"\d", right).start()]
    return right.strip(_EDGE_PUNCT)[:14]


def word_starts(words: Sequence[str]) -> frozenset[int]:
    """Where each jieba word of a sentence starts (the words joined give back its text).

    >>> sorted(word_starts(["研发", "经费", "支出"]))
    [0, 2, 4]
    """
    return frozenset(itertools.accumulate((len(w) for w in words[:-1]), initial=0)) if words else frozenset()


def shorten(name: str, starts: frozenset[int], text: str, before: int) -> str:
    """A long name cut to at most 18 characters, at the first word start within them when the words say one.

    >>> text = "规模以上工业企业研究与试验发展经费支出占营业收入比重"
    >>> words = ["规模", "以上", "工业企业", "研究", "与", "试验", "发展", "经费", "支出", "占", "营业", "收入", "比重"]
    >>> shorten(text, word_starts(words), text, len(text))
    '研究与试验发展经费支出占营业收入比重'
    """
    if len(name) <= _MAX_NAME:
        return name
    at = text.rfind(name, 0, before)
    if at < 0:
        return name[-_MAX_NAME:]
    end = at + len(name)
    inside = sorted(s for s in starts if end - _MAX_NAME <= s < end)
    cut = inside[0] if inside else end - _MAX_NAME
    return text[cut:end]


_MAX_NAME = 18


def _listed_names(subject: str, lex: Lexicon) -> list[str]:
    """The names of a list subject (甲、乙和丙), each completed with what the others share.

    (Cases: tests/transforms/test_extract.py::test_listed_names.)
    """
    parts = [p for p in (_trim_name(x, lex) for x in re.split(r"[、和及与]", _NAME_NOISE_RE.sub("", subject))) if p]
    if len(parts) < 2:
        return parts
    first, tail = parts[0], parts[-1]
    counted = len(parts) == 2 and len(tail) <= 4 and tail.endswith(lex.counts_of) and not first.endswith(lex.counts_of)
    head = None if counted else next((h for h in lex.shared_heads if tail.endswith(h) and len(tail) > len(h)), None)
    out = []
    for p in parts[:-1]:
        if len(p) <= 3 and len(tail) > len(p) + 3:
            p = p + tail[len(p) :]  # 城镇和农村居民人均可支配收入: a short first part shares the tail
        elif head and not p.endswith(head):
            p = p + head
        out.append(p)
    if len(tail) == 2 and len(first) > 4 and not first.endswith(tail):
        tail = first[:-2] + tail  # 一般公共预算收入和支出: a two-character last part shares the head
    elif counted:
        tail = first + tail  # 安全生产事故及死亡人数: the count of the thing first named
    return [*out, tail]


_SECTORS = ("第一产业", "第二产业", "第三产业")


def ratio_names(text: str, figures: Sequence[Figure]) -> dict[int, str]:
    """Names for the parts of a three-sector ratio (三次产业结构为3.1:45.2:51.7), keyed by figure index."""
    out: dict[int, str] = {}
    run: list[int] = []
    for i, fig in enumerate(figures):
        if fig.kind == "ratio" and run and text[figures[run[-1]].end : fig.start] == ":":
            run.append(i)
        else:
            run = [i] if fig.kind == "ratio" else []
        # A run is complete when the next figure does not continue it.
        following = figures[i + 1] if i + 1 < len(figures) else None
        continues = following is not None and following.kind == "ratio" and text[fig.end : following.start] == ":"
        if (
            len(run) == 3
            and not continues
            and "产业" in text[clause_start(text, figures[run[0]].start, HARD_DELIMS) : figures[run[0]].start]
        ):
            out.update({j: sector + "比重" for j, sector in zip(run, _SECTORS, strict=True)})
    return out


def respectively_names(text: str, figures: Sequence[Figure], lex: Lexicon) -> dict[int, str | int]:
    """Names for figures listed against listed names, keyed by figure index.

    A name, or the index of an earlier figure whose name the figure takes: 甲、乙分别增长5%、6%;
    甲、乙项目5个和6个; 甲5元，乙6元，分别增长3%和4% (the figures before name those after);
    甲、乙分别增长5%、6%，达7亿元、8亿元 (the next clause's list continues the same names).
    """
    out: dict[int, str | int] = {}
    by_clause: dict[int, list[int]] = {}
    for i, fig in enumerate(figures):
        by_clause.setdefault(clause_start(text, fig.start, HARD_DELIMS), []).append(i)
    previous: list[str] = []
    for start, idxs in by_clause.items():
        first = figures[idxs[0]]
        head = text[start : first.start]
        listed = len(idxs) > 1 and all(
            LIST_GAP_RE.match(text[figures[a].end : figures[b].start]) for a, b in itertools.pairwise(idxs)
        )
        if "分别" in head:
            parts = _listed_names(head[: head.index("分别")], lex)
        elif listed:
            parts = _listed_names(head, lex)
            if len(parts) != len(idxs) and len(_trim_name(head, lex)) <= 1 and len(previous) == len(idxs):
                parts = previous  # …分别增长14.1%、22.1%，达4270亿元、500.36亿元: the same names again
        else:
            previous = []
            continue
        if len(parts) == len(idxs) and len(parts) > 1:
            out.update(dict(zip(idxs, parts, strict=True)))
            previous = parts
        elif "分别" in head and not parts and idxs[0] >= len(idxs):
            # 甲5元，乙6元，分别增长3%和4%: as many figures before name these, in order.
            out.update({i: idxs[0] - len(idxs) + k for k, i in enumerate(idxs)})
    return out


LIST_GAP_RE = re.compile(r"^[、和及与]$")
# Names that relate a figure to something else (a plan, a target) rather than naming a quantity.
RELATIONAL_NAME_RE = re.compile(r"(?:超过|超额完成|超出|高于|低于|只完成|完成了?(?:原定|年度|计划))")
_SHORT_LEFT_UNITS = frozenset({"m2", "mu", "km", "CNY", "ton", "ha"})


# Single characters that head a clause without naming anything (占3.7%, 为16亿元).
_NOT_ONE_CHAR_NAMES = frozenset("占为是有达增减降约近共计和及与或等到至从由比较超逾")


def is_threshold_in_name(text: str, fig: Figure) -> bool:
    """Whether a figure is a threshold inside a name (10亿元以上产业项目): 以上/以下 then more name."""
    after = text[fig.end : fig.end + 1]
    return (
        fig.qualifier in ("over", "under")
        and text[fig.end - 2 : fig.end] in ("以上", "以下")
        and bool(re.match(r"[\u4e00-\u9fff]", after))
    )


def name_of(
    lex: Lexicon,
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
    name = _trim_name(raw_left, lex)
    one_char_name = len(name) == 1 and raw_left.strip(_EDGE_PUNCT) == name and name not in _NOT_ONE_CHAR_NAMES
    right_first = fig.unit in RIGHT_NAMED_UNITS and len(_right_name(text, fig.end, lex)) >= 2
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
            start = clause_start(text, end, HARD_DELIMS)
            if start < prev_end:
                break
            name = _trim_name(text[start:end], lex) or name
            if len(name) > 1 or start == 0 or text[start - 1] not in HARD_DELIMS:
                break
            end = start - 1
    used_end = fig.end
    action = lex.left_action_end_re.search(_NAME_NOISE_RE.sub("", raw_left).rstrip(_EDGE_PUNCT))
    wants_right = fig.unit in RIGHT_NAMED_UNITS or (
        fig.unit in _SHORT_LEFT_UNITS and (len(name) <= 1 or action is not None)
    )
    if wants_right:
        right = _right_name(text, fig.end, lex)
        if len(right) >= 2 and not lex.right_not_name_re.match(right):
            verb = action.group() if action else ""
            name = verb + right if verb and not right.startswith(verb) else right
    if fig.kind in ("half", "tenths", "fraction") and text[fig.end : fig.end + 1] == "的":
        right = _right_name(text, fig.end, lex)  # 九成以上的新增就业: what the fraction is of
        if len(right) >= 2:
            name = right
    if len(name) <= 1 and text[fig.end : fig.end + 1] == "的":
        right = _right_name(text, fig.end, lex)  # 5.5%左右的预期增长目标
        name = right if len(right) >= 2 else name
    if len(name) == 2 and name not in lex.change_verbs:
        verb, _ = change_verb(raw_left, lex)
        if verb and raw_left.rstrip().endswith(verb):
            name += verb  # 经济增长5.5%: the two-character subject needs its verb to mean anything
    if one_char_name and re.match(r"[\u4e00-\u9fff]", name):
        pass  # 钢217万吨: a one-character product name heading its clause
    elif name in lex.change_verbs or len(name) <= 1:
        name = carried or name
    elif name in lex.verb_only_names and carried:
        name = carried + name
    elif (
        re.match(r"(?:大约|约)?占", raw_left.lstrip(_EDGE_PUNCT))
        and carried
        and fig.unit == "percent"
        and "占" not in carried
    ):
        name = carried + name.lstrip("大约")
    elif after_list_mark and prev_name and not lex.action_prefix_re.match(name):
        verb = lex.action_prefix_re.match(prev_name)
        if verb:
            name = verb.group() + name
    return name, used_end


def as_written(name: str, folded: str, original: str) -> str:
    """The name in the characters the sentence uses (traditional stays traditional), when it is contiguous."""
    at = folded.rfind(name)
    return original[at : at + len(name)] if at >= 0 and folded is not original else name


_ASIDE_RE = re.compile(r"（[^（）]{1,40}）|\([^()]{1,40}\)")


def mask_asides(text: str, figures: Sequence[Figure]) -> str:
    """The text with parenthetical asides blanked (same length), unless a figure sits inside one.

    （不包括手工业产值，下同） holds a comma that would otherwise cut the clause that names
    the figure after it.
    """

    def blank(m: re.Match[str]) -> str:
        if any(m.start() <= f.start < m.end() for f in figures):
            return m.group()
        return "□" * len(m.group())

    return _ASIDE_RE.sub(blank, text) if "（" in text or "(" in text else text
