"""Records of a batch of documents as Arrow tables of the datasets' contracts."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

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
        for name, values in _partition_columns(r.document, len(sentences)).items():
            columns[name] += values
    return pa.table(columns, schema=SENTENCES.schema)


def tokens_table(results: Sequence[DocumentResult]) -> pa.Table:
    """One row per jieba word, with offsets into the source text."""
    columns: dict[str, list] = {f.name: [] for f in TOKENS.schema}
    for r in results:
        count = 0
        for sentence, words in zip(r.sentences, r.words, strict=True):
            offsets = sentence.offsets
            bounds = list(itertools.accumulate(map(len, words), initial=0))
            columns["sentence_id"] += [sentence.sentence_id] * len(words)
            columns["token_id"] += range(len(words))
            columns["token"] += words
            columns["start"] += [offsets[a] for a in bounds[:-1]]
            columns["end"] += [offsets[b - 1] + 1 for b in bounds[1:]]
            count += len(words)
        columns["doc_id"] += [r.document.doc_id] * count
        columns["pos"] += [None] * count
        for name, values in _partition_columns(r.document, count).items():
            columns[name] += values
    return pa.table(columns, schema=TOKENS.schema)


def indicators_table(results: Sequence[DocumentResult]) -> pa.Table:
    """One row per indicator mention, sorted by document and offset."""
    columns: dict[str, list] = {f.name: [] for f in INDICATORS.schema}
    record_fields = [f.name for f in INDICATORS.schema if f.name not in ("region_name", "level", "report_year")]
    for r in results:
        rows = sorted(r.indicators, key=lambda i: (i.start, i.end))
        for name in record_fields:
            columns[name] += [getattr(i, name) for i in rows]
        columns["region_name"] += [r.document.region] * len(rows)
        for name, values in _partition_columns(r.document, len(rows)).items():
            columns[name] += values
    return pa.table(columns, schema=INDICATORS.schema)


def batch_tables(results: Sequence[DocumentResult], pipeline_version: str) -> dict[str, pa.Table]:
    """The rows of every stage's dataset for a batch of documents."""
    return {
        "documents": documents_table(results, pipeline_version),
        "sentences": sentences_table(results),
        "tokens": tokens_table(results),
        "indicators": indicators_table(results),
    }
