"""The extractor's word lists (qualifiers, verbs of change, name trimming, plans), read from their text.

The lists are data: one ``.tsv`` file each under ``seeds/vocabulary/`` (not ``.txt``: seeds/
is also a folder of input reports) that a linguist edits without reading Python: one entry
a line, ``word<TAB>value`` for the lists that map words to a meaning, ``#`` comments. `flows.resources` reads the files once and the pipeline version
hashes them; this module only parses their text, so the stages stay free of I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields


class VocabularyError(ValueError):
    """A word list is missing or has a line that cannot be read; the message names the list and line."""


Pairs = tuple[tuple[str, str], ...]
Plans = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Vocabulary:
    """Every word list of the extractor, immutable (and so usable as a cache key)."""

    prefix_qualifiers: Pairs  # 超过 → over: qualifier words written before a figure
    suffix_qualifiers: Pairs  # 左右 → approx: qualifier words written after a figure
    cap_verbs: tuple[str, ...]  # 控制在: a cap, under unless qualified otherwise
    change_verbs: Pairs  # 增长 → up: verbs of change right before a figure
    to_level: tuple[str, ...]  # 升至: a change verb then one of these states a new level
    verb_to_figure_fillers: tuple[str, ...]  # 增长了, 分别提高: words between a verb and its figure
    new_as_level: tuple[str, ...]  # 新增就业: yearly amounts named with 新增, levels
    name_leading_trim: tuple[str, ...]  # 全市, 其中: words trimmed from a name's start
    name_trailing_trim: tuple[str, ...]  # 达到, 增长: words trimmed from a name's end
    verb_only_names: tuple[str, ...]  # 惠及: verbs that take the subject before them
    threshold_nouns: tuple[str, ...]  # 三千亿元城市: nouns that make a money figure part of a name
    right_name_stops: tuple[str, ...]  # 164家基层卫生机构提档升级: verbs ending a name read to the right
    left_action_verbs: tuple[str, ...]  # 新建幼儿园71所: verbs left of a count whose name is to the right
    prefix_word_tails: tuple[str, ...]  # 节约10%: words ending in a qualifier character
    shared_heads: tuple[str, ...]  # 水利工程、…整治项目: heads a list of names shares
    counts_of: tuple[str, ...]  # 事故及死亡人数: heads that count the thing named before them
    purpose_leads: tuple[str, ...]  # 为实现“十五五”…: words opening a clause whose time is an aim
    review_leads: tuple[str, ...]  # 回望“十四五”…: verbs making a plan the topic of a review
    people_heads: tuple[str, ...]  # 12万城镇就业困难人员: nouns making a bare scaled number a count of people
    stretch_leads: tuple[str, ...]  # 增长7%以上、力争达到8%: words setting a stretch goal on a target
    five_year_plans: Plans  # 十四五 → 2021-2025
    ordinal_plans: Plans  # 第一个五年计划 → 1953-1957

    def mapping(self, name: str) -> dict[str, str]:
        """A word list of pairs as a dict (word → meaning)."""
        return dict(getattr(self, name))

    def plans(self, name: str) -> dict[str, tuple[int, int]]:
        """A list of plans as a dict (name → first and last year)."""
        return {plan: (first, last) for plan, first, last in getattr(self, name)}


def _entries(name: str, text: str) -> list[list[str]]:
    """The non-empty, non-comment lines of a list, split on tabs."""
    out = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            out.append([part.strip() for part in line.split("\t")])
    if not out:
        raise VocabularyError(f"vocabulary: {name}.tsv lists no word")
    return out


def _pairs(name: str, text: str) -> Pairs:
    entries = _entries(name, text)
    for entry in entries:
        if len(entry) != 2:
            raise VocabularyError(f"vocabulary: {name}.tsv: {entry[0]!r} needs a tab and its meaning")
    return tuple((word, meaning) for word, meaning in entries)


def _plans(name: str, text: str) -> Plans:
    out = []
    for entry in _entries(name, text):
        try:
            first, last = (int(y) for y in entry[1].split("-"))
        except (IndexError, ValueError):
            raise VocabularyError(
                f"vocabulary: {name}.tsv: {entry[0]!r} needs a tab and its years, as 2021-2025"
            ) from None
        out.append((entry[0], first, last))
    return tuple(out)


def parse_vocabulary(texts: Mapping[str, str]) -> Vocabulary:
    """The vocabulary from the text of each list, keyed by list name (the file name without .tsv).

    >>> lists = {f.name: {"Pairs": "增长\\tup", "Plans": "十四五\\t2021-2025"}.get(f.type, "词") for f in fields(Vocabulary)}
    >>> parse_vocabulary(lists).plans("five_year_plans")
    {'十四五': (2021, 2025)}
    >>> parse_vocabulary(lists | {"change_verbs": "增长"})
    Traceback (most recent call last):
    transforms.vocabulary.VocabularyError: vocabulary: change_verbs.tsv: '增长' needs a tab and its meaning
    """
    values: dict[str, object] = {}
    for field in fields(Vocabulary):
        if field.name not in texts:
            raise VocabularyError(f"vocabulary: the list {field.name}.tsv is missing from seeds/vocabulary/")
        text = texts[field.name]
        if field.type == "Pairs":
            values[field.name] = _pairs(field.name, text)
        elif field.type == "Plans":
            values[field.name] = _plans(field.name, text)
        else:
            values[field.name] = tuple(entry[0] for entry in _entries(field.name, text))
    return Vocabulary(**values)  # type: ignore[arg-type]
