"""The vocabulary compiled into the patterns the extractor reads text with, once per vocabulary."""

from __future__ import annotations

import functools
import re

from transforms.extract.patterns import CN_NUMERALS, NUM, YEAR4, alternation
from transforms.numbers import SCALES, UNITS
from transforms.vocabulary import Vocabulary

_SCALE = alternation(SCALES)
_UNIT = alternation(UNITS)


class Lexicon:
    """Word lists as the stages use them (sets, mappings) and the patterns built from them."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        v = vocabulary
        self.vocabulary = v
        self.prefix_qualifiers = v.mapping("prefix_qualifiers")
        self.suffix_qualifiers = v.mapping("suffix_qualifiers")
        self.change_verbs = v.mapping("change_verbs")
        self.new_as_level = v.new_as_level
        self.verb_only_names = frozenset(v.verb_only_names)
        self.threshold_nouns = v.threshold_nouns
        self.prefix_word_tails = frozenset(v.prefix_word_tails)
        self.shared_heads = v.shared_heads
        self.counts_of = v.counts_of
        self.five_year_plans = v.plans("five_year_plans")
        self.ordinal_plans = v.plans("ordinal_plans")
        self.purpose_leads = v.purpose_leads
        self.review_leads = v.review_leads
        # A bare scaled number counts people when a people noun ends the phrase after it.
        self.population_after_re = re.compile(rf"[\u4e00-\u9fff]{{0,8}}?(?:{alternation(v.people_heads)})")
        # The gap between a target and its stretch goal: 、力争达到 (增长7%以上、力争达到8%).
        self.stretch_gap_re = re.compile(rf"[、，,]\s*(?:{alternation(v.stretch_leads)})(?:达到|实现|增长)?\s*")
        pre, post = alternation(self.prefix_qualifiers), alternation(self.suffix_qualifiers)
        # A figure: qualifier? number (余|多)? scale? (余|多)? [unit? range-separator number scale?] unit qualifier?
        template = (
            rf"(?P<pre>{pre})?"
            rf"(?P<num>{NUM})(?P<more1>[余多])?(?P<scale>{_SCALE})?(?P<more2>[余多])?"
            # 到2025年 after a figure is its horizon, not the upper end of a range.
            rf"(?:(?P<unit1>{_UNIT})?(?P<sep>-{{1,2}}|~|至|到)(?!{YEAR4}年)(?P<num2>{NUM})(?P<scale2>{_SCALE})?(?P<more3>[余多])?)?"
            # 吨公里, 人公里 (freight and passenger turnover) have no canonical unit: not 吨 or 人.
            rf"(?P<unit>(?:{_UNIT})(?!公里|千米)){{UNIT_OPTIONAL}}"
            rf"(?P<post>{post}|多|余)?"
        )
        # Two passes: a unit is preferred (五十三万千瓦 is 53万 kW, not 五十三万千 and a stray 瓦);
        # a bare scaled number counts only when a qualifier marks it (减少1000万以上).
        self.figure_re = re.compile(template.replace("{UNIT_OPTIONAL}", ""))
        self.bare_figure_re = re.compile(
            template.replace("{UNIT_OPTIONAL}", "?").replace(f"(?P<scale>{_SCALE})?", f"(?P<scale>{_SCALE})", 1)
        )
        percent_num = rf"(?:[{CN_NUMERALS}]+(?:点[{CN_NUMERALS}]+)?|\d+(?:\.\d+)?)"
        self.percent_word_re = re.compile(
            rf"(?P<pre>{pre})?百分之(?P<num>{percent_num})"
            rf"(?:(?:至|到|-)(?!(?:百分之)?{YEAR4}年)(?:百分之)?(?P<num2>{percent_num}))?(?P<post>{post})?"
        )
        self.fraction_word_re = re.compile(
            rf"(?P<pre>{pre})?(?P<den>[{CN_NUMERALS}]+)分之(?P<num>[{CN_NUMERALS}]+)(?P<post>{post})?"
        )
        self.tenths_re = re.compile(
            rf"(?P<pre>{pre})?(?P<num>[一二两三四五六七八九]|\d)成"
            rf"(?![员本果就为效立熟功品交长型绩都套片规年人了不])(?P<post>{post})?"
        )
        self.half_re = re.compile(rf"(?P<pre>{pre})?一半(?P<post>{post})?")
        self.cap_end_re = re.compile(rf"(?:{alternation(v.cap_verbs)})$")
        self.change_end_re = re.compile(
            rf"(?P<verb>{alternation(self.change_verbs)})(?P<to>{alternation(v.to_level)})?"
            rf"(?:{alternation(v.verb_to_figure_fillers)})*$"
        )
        self.lead_trim_re = re.compile(rf"^(?:{alternation(v.name_leading_trim)})")
        self.trail_trim_re = re.compile(rf"(?:{alternation((*v.name_trailing_trim, *self.change_verbs))})$")
        self.right_stop_re = re.compile(alternation(v.right_name_stops))
        self.left_action_end_re = re.compile(rf"(?:{alternation(v.left_action_verbs)})$")
        self.action_prefix_re = re.compile(rf"^(?:{alternation(v.left_action_verbs)})")
        self.right_not_name_re = re.compile(
            r"(?:[以之增减提降达比较占是到至左跃从由]|上下|同比|实现|目标|任务|规模|水平|以上|左右|"
            rf"{alternation(self.change_verbs)})"
        )


@functools.cache
def lexicon(vocabulary: Vocabulary) -> Lexicon:
    """The compiled lexicon of a vocabulary: compiling costs milliseconds, so once per vocabulary."""
    return Lexicon(vocabulary)
