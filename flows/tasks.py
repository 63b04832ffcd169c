"""The stages as Prefect tasks, each over a batch of documents; they call the transforms.

No task caches its result: a cache key hashes the task's inputs, and hashing a batch's
sentences cost more than segmenting them. Re-runs skip unchanged documents instead.
"""

from __future__ import annotations

import dataclasses
import functools
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import pyarrow as pa
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.checks import with_check_columns
from flows.inputs import InputFile, shown_path
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


# A report is tens to hundreds of KB; a file this large is not one, and would take GBs to process.
MAX_REPORT_BYTES = 20 * 1024 * 1024
MAX_REASON = 400  # characters of an error's message kept as a reject's reason


@dataclass(frozen=True)
class Reject:
    """An input a stage could not handle, and why; `detail` is an unexpected error's traceback."""

    file: str
    doc_id: str | None
    stage: str
    reason: str
    detail: str | None = None

    def __post_init__(self) -> None:
        # Stored and printed as valid UTF-8 whatever the file system gave (a GBK file name).
        object.__setattr__(self, "file", shown_path(self.file))
        object.__setattr__(self, "reason", shown_path(self.reason))


def crashed(file: str, doc_id: str | None, stage: str, error: Exception) -> Reject:
    """The reject of a document whose stage raised an unexpected error: one document, not the run."""
    message = str(error).replace("\n", " ")
    reason = f"{type(error).__name__}: {message}"[:MAX_REASON]
    return Reject(file, doc_id, stage, reason, traceback.format_exc())


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


def _contained(work: Callable[[], T], file: str, doc_id: str | None, stage: str) -> T | Reject:
    """`work()`, or the reject of its document when it raises: one document never takes down the run."""
    try:
        return work()
    except Exception as error:  # noqa: BLE001 (recorded: the reject names it, the log keeps its traceback)
        return crashed(file, doc_id, stage, error)


def _ingest_one(source: InputFile) -> tuple[Document, list[Sentence]] | Reject:
    """One file read, decoded, split into sentences; or its reject."""
    file = shown_path(source.path)
    try:
        size = source.path.stat().st_size
        if size > MAX_REPORT_BYTES:
            limit = MAX_REPORT_BYTES // 1024 // 1024
            reason = f"{size / 1e6:.0f} MB: over {limit} MB, too large to be one report; split it into its reports"
            return Reject(file, source.doc_id, "ingest", reason)
        data = source.path.read_bytes()
        document = _apply_override(read_document(shown_path(source.name), file, data, places()), source)
    except OSError as error:
        return Reject(file, None, "read", f"cannot be read: {error.strerror or error}")
    except IngestError as error:
        return Reject(file, source.doc_id, "ingest", error.reason)
    return document, split_sentences(document)


@task(name="ingest", retries=1, retry_delay_seconds=1, cache_policy=NO_CACHE)
def ingest_batch(files: Sequence[InputFile]) -> Held[Ingested]:
    """Read and decode each file, take its metadata, split it into located sentences."""
    documents, sentences, rejects = [], [], []
    for source in files:
        outcome = _contained(functools.partial(_ingest_one, source), shown_path(source.path), source.doc_id, "ingest")
        if isinstance(outcome, Reject):
            rejects.append(outcome)
        else:
            documents.append(outcome[0])
            sentences.append(outcome[1])
    return Held(Ingested(documents, sentences, rejects))


@task(name="segment", cache_policy=NO_CACHE)
def segment_batch(packed: Held[Ingested]) -> Held[list[list[list[str]] | Reject]]:
    """The jieba words of every sentence of every document of the batch (or the document's reject)."""
    words = tokenizer()
    segmented: list[list[list[str]] | Reject] = []
    for document, sentences in zip(packed.value.documents, packed.value.sentences, strict=True):
        work = functools.partial(segment_sentences, sentences, words)
        segmented.append(_contained(work, document.source_path, document.doc_id, "segment"))
    return Held(segmented)


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


def _extract_one(
    document: Document, sentences: list[Sentence], words: list[list[str]] | Reject
) -> DocumentResult | Reject:
    if isinstance(words, Reject):
        return words
    work = functools.partial(extract_indicators, document, sentences, words, vocabulary())
    indicators = _contained(work, document.source_path, document.doc_id, "extract")
    return indicators if isinstance(indicators, Reject) else DocumentResult(document, sentences, words, indicators)


def _tables(results: list[DocumentResult], pipeline_version: str) -> dict[str, pa.Table]:
    texts = {r.document.doc_id: r.document.text for r in results}
    return {
        name: with_check_columns(name, table, texts)
        for name, table in batch_tables(results, pipeline_version, indicator_codes()).items()
    }


def _contained_tables(results: list[DocumentResult], pipeline_version: str) -> tuple[dict[str, pa.Table], list[Reject]]:
    """The batch's tables; built document by document, without those that fail, if building them fails."""
    whole = _contained(functools.partial(_tables, results, pipeline_version), "", None, "extract")
    if not isinstance(whole, Reject):
        return whole, []
    tables, rejects = [_tables([], pipeline_version)], []
    for r in results:
        one = _contained(functools.partial(_tables, [r], pipeline_version), r.document.source_path,
                         r.document.doc_id, "extract")  # fmt: skip
        (rejects if isinstance(one, Reject) else tables).append(one)
    return {name: pa.concat_tables([t[name] for t in tables]) for name in tables[0]}, rejects


@task(name="extract", cache_policy=NO_CACHE)
def extract_batch(
    packed: Held[Ingested], packed_words: Held[list[list[list[str]] | Reject]], pipeline_version: str
) -> Held[BatchTables]:
    """The indicator mentions of every document of the batch, and the batch's tables.

    The tables are built here, in the worker, so that the flow's process only validates
    and writes them.
    """
    batch, words = packed.value, packed_words.value
    outcomes = [_extract_one(*parts) for parts in zip(batch.documents, batch.sentences, words, strict=True)]
    rejects = list(batch.rejects) + [o for o in outcomes if isinstance(o, Reject)]
    results = [o for o in outcomes if not isinstance(o, Reject)]
    for r in results:
        if not r.indicators:
            reason = "no indicators found: is this a government work report?"
            rejects.append(Reject(r.document.source_path, r.document.doc_id, "extract", reason))
    tables, failed = _contained_tables([r for r in results if r.indicators], pipeline_version)
    return Held(BatchTables(tables, rejects + failed))


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
