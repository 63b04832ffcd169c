"""The stages as Prefect tasks, each over a batch of documents; they call the transforms."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from prefect import task

from flows.inputs import InputFile
from flows.resources import tokenizer
from transforms.extract import extract_indicators
from transforms.ingest import IngestError, read_document, split_sentences
from transforms.records import Document, Indicator, Sentence, Token
from transforms.segment import segment_sentences


@dataclass(frozen=True)
class Reject:
    """An input a stage could not handle, and why."""

    file: str
    doc_id: str | None
    stage: str
    reason: str


@dataclass(frozen=True)
class Ingested:
    """A batch after ingest: its documents and their sentences, and what was rejected."""

    documents: list[Document]
    sentences: list[list[Sentence]]
    rejects: list[Reject]


def _apply_override(document: Document, source: InputFile) -> Document:
    override = source.override
    return dataclasses.replace(
        document,
        region=override.region or document.region,
        level=override.level or document.level,
        report_year=override.year or document.report_year,
    )


@task(name="ingest", retries=1, retry_delay_seconds=1)
def ingest_batch(files: Sequence[InputFile]) -> Ingested:
    """Read and decode each file, take its metadata, split it into located sentences."""
    documents, sentences, rejects = [], [], []
    for source in files:
        try:
            data = source.path.read_bytes()
            document = _apply_override(read_document(source.name, str(source.path), data), source)
        except OSError as error:
            rejects.append(Reject(str(source.path), None, "read", f"cannot be read: {error.strerror or error}"))
            continue
        except IngestError as error:
            rejects.append(Reject(str(source.path), source.doc_id, "ingest", error.reason))
            continue
        documents.append(document)
        sentences.append(split_sentences(document))
    return Ingested(documents, sentences, rejects)


@task(name="segment")
def segment_batch(batch: Ingested) -> list[list[list[Token]]]:
    """The jieba tokens of every sentence of every document of the batch."""
    words = tokenizer()
    return [segment_sentences(sentences, words) for sentences in batch.sentences]


@task(name="extract")
def extract_batch(batch: Ingested, tokens: list[list[list[Token]]]) -> list[list[Indicator]]:
    """The indicator mentions of every document of the batch."""
    return [
        extract_indicators(document, sentences, document_tokens)
        for document, sentences, document_tokens in zip(batch.documents, batch.sentences, tokens, strict=True)
    ]
