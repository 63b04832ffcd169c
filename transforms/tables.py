"""Records of a batch of documents as Arrow tables of the datasets' contracts."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from transforms.codes import IndicatorCodes
from transforms.contracts import DOCUMENTS, INDICATORS, SENTENCES, TOKENS
from transforms.records import Document, Indicator, Sentence


@dataclass(frozen=True)
class DocumentResult:
    """Everything the stages made of one document."""

    document: Document
    sentences: Sequence[Sentence]
    words: Sequence[Sequence[str]]  # each sentence's jieba words
    indicators: Sequence[Indicator]


def _partition_columns(document: Document, rows: int) -> dict[str, list]:
    return {
        "level": [document.level] * rows,
        "report_year": [document.report_year] * rows,
    }


def page_of(document: Document, offset: int) -> int | None:
    """The 1-based page of a source offset, None for a document without pages.

    >>> page_of(Document("a.pdf", "0", "a.pdf", "pdf", "xy", page_starts=(0, 1)), 1)
    2
    """
    return bisect_right(document.page_starts, offset) if document.page_starts else None


def documents_table(results: Sequence[DocumentResult], pipeline_version: str) -> pa.Table:
    """One row per document."""
    docs = [r.document for r in results]
    return pa.table(
        {
            "doc_id": [d.doc_id for d in docs],
            "doc": [d.doc for d in docs],
            "source_path": [d.source_path for d in docs],
            "encoding": [d.encoding for d in docs],
            "chars": [len(d.text) for d in docs],
            "sentences": [len(r.sentences) for r in results],
            "indicators": [len(r.indicators) for r in results],
            "title": [d.title for d in docs],
            "region": [d.region for d in docs],
            "pipeline_version": [pipeline_version] * len(docs),
            "level": [d.level for d in docs],
            "report_year": [d.report_year for d in docs],
        },
        schema=DOCUMENTS.schema,
    )


def sentences_table(results: Sequence[DocumentResult]) -> pa.Table:
    """One row per sentence, with its source span."""
    columns: dict[str, list] = {f.name: [] for f in SENTENCES.schema}
    for r in results:
        sentences = r.sentences
        columns["doc_id"] += [r.document.doc_id] * len(sentences)
        columns["sentence_id"] += [s.sentence_id for s in sentences]
        columns["heading"] += [s.heading for s in sentences]
        columns["text"] += [s.text for s in sentences]
        columns["start"] += [s.start for s in sentences]
        columns["end"] += [s.end for s in sentences]
        columns["page"] += [page_of(r.document, s.start) for s in sentences]
        for name, values in _partition_columns(r.document, len(sentences)).items():
            columns[name] += values
    return pa.table(columns, schema=SENTENCES.schema)


def tokens_table(results: Sequence[DocumentResult]) -> pa.Table:
    """One row per jieba word, with offsets into the source text.

    A batch holds millions of words, so the columns are computed array-wise: the words of
    all sentences joined give back their cleaned texts joined, so a word's start is the
    running sum of the lengths before it, looked up in the sentences' offsets joined.
    """
    sentences = [s for r in results for s in r.sentences]
    counts = np.fromiter((len(w) for r in results for w in r.words), np.int64, len(sentences))
    words = pa.array(list(chain.from_iterable(w for r in results for w in r.words)), pa.string())
    lengths = pc.utf8_length(words).cast(pa.int64())
    first = pc.subtract(pc.cumulative_sum(lengths), lengths)
    offsets = pa.array(np.fromiter(chain.from_iterable(s.offsets for s in sentences), np.int32))
    last = pc.add(first, pc.subtract(lengths, 1))
    sentence_of_word = np.repeat(np.arange(len(sentences)), counts)
    sentence_first_word = np.cumsum(counts) - counts
    document_of_sentence = np.repeat(np.arange(len(results)), [len(r.sentences) for r in results])
    document_of_word = document_of_sentence[sentence_of_word]
    documents = [r.document for r in results]
    return pa.table(
        {
            "doc_id": pc.take(pa.array([d.doc_id for d in documents], pa.string()), document_of_word),
            "sentence_id": pc.take(pa.array([s.sentence_id for s in sentences], pa.int32()), sentence_of_word),
            "token_id": pa.array(np.arange(len(words)) - sentence_first_word[sentence_of_word], pa.int32()),
            "token": words,
            "pos": pa.nulls(len(words), pa.string()),
            "start": pc.take(offsets, first),
            "end": pc.add(pc.take(offsets, last), 1),
            "level": pc.take(pa.array([d.level for d in documents], pa.string()), document_of_word),
            "report_year": pc.take(pa.array([d.report_year for d in documents], pa.int32()), document_of_word),
        },
        schema=TOKENS.schema,
    )


def indicators_table(results: Sequence[DocumentResult], codes: IndicatorCodes | None = None) -> pa.Table:
    """One row per indicator mention, sorted by document and offset, with its standard code."""
    columns: dict[str, list] = {f.name: [] for f in INDICATORS.schema}
    added = ("indicator_code", "page", "region_name", "corrected", "level", "report_year")
    record_fields = [f.name for f in INDICATORS.schema if f.name not in added]
    for r in results:
        rows = sorted(r.indicators, key=lambda i: (i.start, i.end))
        for name in record_fields:
            columns[name] += [getattr(i, name) for i in rows]
        columns["indicator_code"] += [codes.code_for(i.indicator, i.unit, i.measure) if codes else None for i in rows]
        columns["page"] += [page_of(r.document, i.start) for i in rows]
        columns["region_name"] += [r.document.region] * len(rows)
        columns["corrected"] += [None] * len(rows)  # set where the flow applies corrections
        for name, values in _partition_columns(r.document, len(rows)).items():
            columns[name] += values
    return pa.table(columns, schema=INDICATORS.schema)


def batch_tables(
    results: Sequence[DocumentResult], pipeline_version: str, codes: IndicatorCodes | None = None
) -> dict[str, pa.Table]:
    """The rows of every stage's dataset for a batch of documents."""
    return {
        "documents": documents_table(results, pipeline_version),
        "sentences": sentences_table(results),
        "tokens": tokens_table(results),
        "indicators": indicators_table(results, codes),
    }
