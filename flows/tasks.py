"""The stages as Prefect tasks, each over a batch of documents; they call the transforms.

No task caches its result: a cache key hashes the task's inputs, and hashing a batch's
sentences cost more than segmenting them. Re-runs skip unchanged documents instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import pyarrow as pa
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.checks import with_check_columns
from flows.inputs import InputFile
from flows.memory import release_memory
from flows.resources import indicator_codes, places, tokenizer, vocabulary
from transforms.extract import extract_indicators
from transforms.ingest import IngestError, read_document, split_sentences
from transforms.records import Document, Sentence
from transforms.segment import segment_sentences
from transforms.tables import DocumentResult, batch_tables

T = TypeVar("T")


class Held(Generic[T]):
    """A stage's output as it is handed to the next stage's task.

    Prefect walks every object of a task's inputs looking for futures (in a process pool
    even inputs marked `opaque`): for a batch's millions of sentence offsets and words
    that walk took ten times longer than segmenting them. An object of a class it does
    not know is a leaf it does not enter.
    """

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value


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


@task(name="ingest", retries=1, retry_delay_seconds=1, cache_policy=NO_CACHE)
def ingest_batch(files: Sequence[InputFile]) -> Held[Ingested]:
    """Read and decode each file, take its metadata, split it into located sentences."""
    documents, sentences, rejects = [], [], []
    for source in files:
        try:
            data = source.path.read_bytes()
            document = _apply_override(read_document(source.name, str(source.path), data, places()), source)
        except OSError as error:
            rejects.append(Reject(str(source.path), None, "read", f"cannot be read: {error.strerror or error}"))
            continue
        except IngestError as error:
            rejects.append(Reject(str(source.path), source.doc_id, "ingest", error.reason))
            continue
        documents.append(document)
        sentences.append(split_sentences(document))
    return Held(Ingested(documents, sentences, rejects))


@task(name="segment", cache_policy=NO_CACHE)
def segment_batch(packed: Held[Ingested]) -> Held[list[list[list[str]]]]:
    """The jieba words of every sentence of every document of the batch."""
    words = tokenizer()
    return Held([segment_sentences(sentences, words) for sentences in packed.value.sentences])


@dataclass(frozen=True)
class BatchTables:
    """A batch's rows of every stage's dataset, with their check columns, and its rejects.

    Pickled (to go from a worker to the flow) as LZ4-compressed Arrow IPC streams: a
    finished batch waiting for the flow holds a third of its memory.
    """

    tables: dict[str, pa.Table]
    rejects: list[Reject]

    def __reduce__(self) -> tuple:
        return _unpacked, ({name: _packed(table) for name, table in self.tables.items()}, self.rejects)


def _packed(table: pa.Table) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="lz4")) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _unpacked(packed: dict[str, pa.Buffer], rejects: list[Reject]) -> BatchTables:
    return BatchTables({name: pa.ipc.open_stream(buffer).read_all() for name, buffer in packed.items()}, rejects)


@task(name="extract", cache_policy=NO_CACHE)
def extract_batch(
    packed: Held[Ingested], packed_words: Held[list[list[list[str]]]], pipeline_version: str
) -> Held[BatchTables]:
    """The indicator mentions of every document of the batch, and the batch's tables.

    The tables are built here, in the worker, so that the flow's process only validates
    and writes them.
    """
    batch, words = packed.value, packed_words.value
    lists = vocabulary()
    results = [
        DocumentResult(
            document, sentences, document_words, extract_indicators(document, sentences, document_words, lists)
        )
        for document, sentences, document_words in zip(batch.documents, batch.sentences, words, strict=True)
    ]
    rejects = list(batch.rejects)
    for r in results:
        if not r.indicators:
            reason = "no indicators found: is this a government work report?"
            rejects.append(Reject(r.document.source_path, r.document.doc_id, "extract", reason))
    kept = [r for r in results if r.indicators]
    texts = {r.document.doc_id: r.document.text for r in kept}
    tables = {
        name: with_check_columns(name, table, texts)
        for name, table in batch_tables(kept, pipeline_version, indicator_codes()).items()
    }
    return Held(BatchTables(tables, rejects))


@task(name="batch", cache_policy=NO_CACHE)
def process_batch(files: Sequence[InputFile], pipeline_version: str) -> BatchTables:
    """A batch through the stages, each a task run of its own, all in one worker process.

    One task per batch on the task runner, the stages nested in it: the batch's text,
    sentences and words never cross between processes, only its finished tables do.
    """
    ingested = ingest_batch(files)
    words = segment_batch(ingested)
    tables = extract_batch(ingested, words, pipeline_version).value
    del ingested, words
    release_memory()  # the batch's sentences and words, before the next batch comes
    return tables
