"""Extract stage: indicator mentions (a figure, what it measures, and its attributes) from sentences.

The stage reads each sentence's cleaned text with full-width digits folded (same
length, so indices stay valid), finds figures with compiled patterns, then decides
per figure: the indicator name (left of the figure, or right of a count, or carried
over from the previous figure when the subject is elided), measure, direction,
qualifier, baseline, and the period and status the report's section gives it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from transforms.extract.attributes import MULTI_YEAR_RE, Reading, read_baseline, read_measure
from transforms.extract.figures import Figure, find_figures
from transforms.extract.lexicon import Lexicon, lexicon
from transforms.extract.names import (
    LIST_GAP_RE,
    RELATIONAL_NAME_RE,
    as_written,
    is_threshold_in_name,
    mask_asides,
    name_of,
    ratio_names,
    respectively_names,
    shorten,
    word_starts,
)
from transforms.extract.patterns import (
    BASELINE_MULTIPLE_RE,
    BASELINE_PREV_RE,
    BASELINE_SINCE_RE,
    BASELINE_YEAR_RE,
    CLAUSE_DELIMS,
    HARD_DELIMS,
    clause_start,
)
from transforms.extract.timescope import (
    Period,
    Scope,
    calendar_of,
    document_scope,
    heading_scope,
    opened_scope,
    read_status,
    scope_at,
    time_cues,
    year_of,
)
from transforms.numbers import (
    fold_text,
)
from transforms.records import Document, Indicator, Sentence
from transforms.vocabulary import Vocabulary

# Short listed modifiers sharing the head after them (国家级、省级荣誉, 市、县两级财政).
_COHEAD = r"[^、，,；;\d一二三四五六七八九十百千万亿几]"
_COHEADS_RE = re.compile(rf"{_COHEAD}{{1,8}}、(?:{_COHEAD}{{1,4}}、)*")


def _read_figures(
    lex: Lexicon,
    text: str,
    figures: Sequence[Figure],
    words: Sequence[str],
    carried: str | None,
    period: Period | None,
    original: str = "",
) -> tuple[list[Reading], str | None]:
    """A reading of each figure of one sentence, and the name carried to the next sentence."""
    text = mask_asides(text, figures)
    readings: list[Reading] = []
    respectively = respectively_names(text, figures, lex) | ratio_names(text, figures)
    starts = word_starts(words)
    prev_end = 0
    prev: Figure | None = None
    for i, fig in enumerate(figures):
        clause = clause_start(text, fig.start, CLAUSE_DELIMS)
        hard_clause = clause_start(text, fig.start, HARD_DELIMS)
        threshold = prev is not None and is_threshold_in_name(text, prev)
        left_start = clause if threshold else max(clause, prev_end)
        if (
            text[clause - 1 : clause] == "、"
            and prev_end <= hard_clause
            and _COHEADS_RE.fullmatch(text, hard_clause, clause)
        ):
            left_start = hard_clause  # 国家级、省级荣誉22项: listed words without figures name it together
        gap = text[prev.end : fig.start] if prev is not None else None
        in_list = gap is not None and bool(LIST_GAP_RE.match(gap) or lex.stretch_gap_re.fullmatch(gap))
        in_list = in_list and prev is not None and prev.unit == fig.unit
        after_list_mark = clause > 0 and text[clause - 1] == "、" and prev is not None and prev.end > hard_clause
        prev_name = readings[-1].name if readings else carried
        if i in respectively:
            named = respectively[i]
            name = (readings[named].name or "") if isinstance(named, int) else named
        elif in_list:
            name = prev_name or ""
        else:
            name, _ = name_of(lex, text, fig, left_start, carried, prev_name, after_list_mark, prev_end)
        relational = bool(name) and RELATIONAL_NAME_RE.match(name) is not None
        if relational and carried and not name.startswith(carried):
            name = carried + name  # 超过年度计划4.1%: the subject is the one before
        name = shorten(name, starts, text, fig.start) if name else name
        if in_list and readings:
            last = readings[-1]
            readings.append(Reading(name or None, last.measure, last.direction, last.baseline))
        else:
            measure, direction = read_measure(
                lex, fig, name or "", text[hard_clause : fig.start], text[fig.end : fig.end + 4]
            )
            listed_after = gap is not None and bool(LIST_GAP_RE.match(gap)) and readings
            if measure == "change" and direction is None and listed_after and readings[-1].direction:
                direction = readings[-1].direction  # 增加81.5平方公里和11.5个百分点: one verb for both
            baseline = None
            if measure == "change":
                multi = bool(MULTI_YEAR_RE.search(text[hard_clause : fig.start]))
                baseline = read_baseline(text[hard_clause : fig.start], period, multi, text[: fig.start])
            readings.append(Reading(name or None, measure, direction, baseline))
        if name and original and original != text:
            # Read in the folded text, the name is kept in the characters the report uses.
            readings[-1] = replace(readings[-1], name=as_written(name, text, original))
        if name and not is_threshold_in_name(text, fig) and not relational:
            carried = name
        prev_end = fig.end
        prev = fig
    return readings, carried


def extract_indicators(
    document: Document, sentences: Sequence[Sentence], words: Sequence[Sequence[str]], vocabulary: Vocabulary
) -> list[Indicator]:
    """The indicator mentions of a document, in text order, with every attribute of GUIDELINES §2.

    The report year is the document's (transforms.metadata); without one, rows have no period.
    """
    report_year = document.report_year
    lex = lexicon(vocabulary)
    calendar = (
        calendar_of(
            document.text, report_year, lex.five_year_plans, lex.ordinal_plans, lex.purpose_leads, lex.review_leads
        )
        if report_year
        else None
    )
    out: list[Indicator] = []
    running = document_scope(sentences, calendar) if calendar else Scope(None, None, "document")
    heading = None
    carried: str | None = None
    for index, sentence in enumerate(sentences):
        text = fold_text(sentence.text)
        if sentence.heading != heading:
            opened = heading_scope(heading or "", sentence.heading, calendar) if calendar else None
            running = opened or running
            heading = sentence.heading
        cues = time_cues(text, calendar) if calendar else []
        figures = find_figures(text, lex)
        if figures:
            sentence_words = words[index] if index < len(words) else ()
            readings, carried = _read_figures(lex, text, figures, sentence_words, carried, None, sentence.text)
            starts = [f.start for f in figures]
            for fig, reading in zip(figures, readings, strict=True):
                clause_at = clause_start(text, fig.start, HARD_DELIMS)
                scope = scope_at(cues, fig.start, clause_at, running, starts)
                reading = _dated_baseline(text, fig, reading, scope.period, clause_at)
                scope = _multiple_span(fig, reading, scope, text[clause_at : fig.start])
                status = read_status(scope, calendar, text[: fig.start])
                out.append(_indicator(document, sentence, fig, reading, scope, status))
        running = opened_scope(cues, text, bool(figures), running)
    return out


def _multiple_span(fig: Figure, reading: Reading, scope: Scope, clause_left: str) -> Scope:
    """A multiple of a base year (截至2016年末…是2011年的1.37倍) covers the years from the base to the level's year."""
    period = scope.period
    if fig.unit != "times" or period is None or not BASELINE_MULTIPLE_RE.search(clause_left):
        return scope
    if not (reading.baseline or "").isdigit():
        return scope
    base = int(reading.baseline or 0)
    if period.first == period.last > base + 1:
        return replace(scope, period=Period(base + 1, period.last))
    return scope


def _dated_baseline(text: str, fig: Figure, reading: Reading, period: Period | None, clause_at: int) -> Reading:
    """The reading with its baseline settled now that the figure's period is known."""
    clause = text[clause_at : fig.start]
    if fig.kind == "doubling":
        m = BASELINE_SINCE_RE.search(text[: fig.start]) or BASELINE_YEAR_RE.search(clause)
        return Reading(reading.name, "change", "up", str(year_of(m.group("year"))) if m else None)
    if reading.measure != "change":
        return reading
    baseline = reading.baseline
    if baseline == "prev_year" and period and period.first != period.last and not BASELINE_PREV_RE.search(clause):
        baseline = None  # a change over several years names no single previous year
    if baseline is None:
        baseline = read_baseline(clause, period, bool(MULTI_YEAR_RE.search(clause)), text[: fig.start])
    return Reading(reading.name, reading.measure, reading.direction, baseline)


def _tidy(value: float) -> float:
    """The value without binary floating-point noise (12‰ → 1.2, not 1.2000000000000002)."""
    return float(f"{value:.12g}")


def _indicator(
    document: Document,
    sentence: Sentence,
    fig: Figure,
    reading: Reading,
    scope: Scope,
    status: str,
) -> Indicator:
    """The Indicator record of one figure, its offsets and quote taken from the source text."""
    start, end = sentence.source_span(fig.start, fig.end)
    return Indicator(
        doc=document.doc,
        doc_id=document.doc_id,
        sentence_id=sentence.sentence_id,
        start=start,
        end=end,
        quote=document.text[start:end],
        indicator=reading.name,
        value=_tidy(fig.value),
        value_high=_tidy(fig.value_high) if fig.value_high is not None else None,
        unit=fig.unit,
        raw_unit=fig.raw_unit,
        measure=reading.measure,
        direction=reading.direction if reading.measure == "change" else None,
        qualifier=fig.qualifier,
        baseline=reading.baseline if reading.measure == "change" else None,
        status=status,
        period=scope.period.label if scope.period else None,
        scope_cue=scope.level,
    )
