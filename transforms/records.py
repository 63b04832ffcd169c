"""Typed records passed between stages; the Arrow schemas in contracts.py mirror them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """One input file, decoded, with what its text says about itself."""

    doc: str  # file base name
    doc_id: str  # sha256 of the bytes, first 16 hex digits
    source_path: str
    encoding: str
    text: str  # the source text exactly as decoded: every offset points into it
    title: str | None = None
    region: str | None = None
    level: str | None = None  # national | province | city | county
    report_year: int | None = None
    # Offset in `text` where each page starts (page n at index n - 1); empty without pages (text, HTML, Word).
    page_starts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Sentence:
    """A sentence of cleaned text and where each of its characters sits in the source."""

    doc_id: str
    sentence_id: int  # position in the document, from 0
    heading: str  # section heading path, e.g. "一、… > （一）…", "" before the first heading
    text: str  # cleaned text: furniture removed, layout-split words joined
    offsets: tuple[int, ...]  # offsets[i] = source index of text[i]

    @property
    def start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0

    def source_span(self, a: int, b: int) -> tuple[int, int]:
        """Source [start, end) of the cleaned text's [a, b)."""
        return self.offsets[a], self.offsets[b - 1] + 1


@dataclass(frozen=True)
class Indicator:
    """One indicator mention, with the fields of the annotation guideline."""

    doc: str
    doc_id: str
    sentence_id: int
    start: int
    end: int
    quote: str
    indicator: str | None
    value: float
    value_high: float | None
    unit: str
    raw_unit: str
    measure: str
    direction: str | None
    qualifier: str
    baseline: str | None
    status: str
    period: str | None
    scope_cue: str | None = None  # the time-scope level that decided period and status
