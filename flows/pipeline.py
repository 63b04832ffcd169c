"""The govreport flow: find reports, run the stages over batches, validate, publish."""

from __future__ import annotations

import datetime as dt
import os
import traceback
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from prefect import flow, get_run_logger
from prefect.futures import PrefectFuture
from prefect.states import Failed, State

from flows.artifacts import publish_artifact
from flows.catalog import build_catalog
from flows.corrections import (
    changed_documents,
    corrected_indicators,
    corrections_table,
    mentions_of,
    read_corrections,
    recorded,
    same_as_recorded,
)
from flows.errors import log_error, log_errors
from flows.inputs import (
    InputFile,
    Skipped,
    UsageError,
    discover_inputs,
    doc_id_of,
    override_for,
    read_manifest,
    shown_path,
)
from flows.memory import release_memory
from flows.quality import Failure, QualityGate
from flows.reports import (
    REPORT_ERRORS,
    ReportError,
    link_review_pages,
    mark_reports_built,
    reports_stale,
    write_review_pages,
)
from flows.resources import pipeline_version, use_data_dir_cache
from flows.runners import make_task_runner
from flows.store import DataFolderBusy, DataFolderError, Snapshot, clean_up, locked, read_dataset
from flows.tasks import BatchTables, Reject, process_batch
from transforms.contracts import DOCUMENTS, INDICATORS, MENTIONS, REJECTS, SENTENCES, Contract
from transforms.corrections import APPLIED, FAILED, STALE, Correction

# Documents are batched by size (bytes: about a third as many characters of UTF-8 Chinese)
# so that a task carries enough work to dwarf its bookkeeping (10-25 ms a task run; far
# more on Dask), yet there are two batches a worker for the last ones to balance.
BATCH_BYTES = 1_000_000
MIN_BATCH_BYTES = 100_000
# A suite run costs about a third of a second whatever its rows (GX's bookkeeping per
# expectation), so finished batches are validated and written in pieces of this many
# characters: few suite runs, large row groups, memory bounded whatever the corpus.
VALIDATION_CHARS = 900_000
# `mentions` is the raw extraction, `indicators` the same with reviewers' corrections applied.
STAGE_DATASETS = ("documents", "sentences", "tokens", "mentions", "indicators")


@dataclass(frozen=True)
class RunConfig:
    """What to run on, where to write, and how."""

    paths: tuple[Path, ...]
    data_dir: Path
    manifest: Path | None = None
    corrections: Path | None = None  # a reviewers' corrections file (transforms/corrections.py)
    full: bool = False
    wait: bool = True
    runner: str = "processes"  # see flows.runners
    dask_address: str | None = None
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)


@dataclass
class RunSummary:
    """What a run did, for the command line's report and its exit code."""

    found: int = 0
    processed: int = 0
    unchanged: int = 0
    published_documents: int = 0
    published_indicators: int = 0
    new_indicators: int = 0
    validations: int = 0
    failures: list[Failure] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    corrections_applied: int = 0
    stale: list[Correction] = field(default_factory=list)  # corrections whose key matches no mention
    passed_over: list[Skipped] = field(default_factory=list)
    docs_index: Path | None = None
    review_index: Path | None = None
    catalog: Path | None = None
    error: str | None = None  # why the run could not start

    @property
    def ok(self) -> bool:
        return not self.failures and not self.rejects


def _batches(files: Sequence[InputFile], sizes: dict[Path, int], workers: int) -> list[list[InputFile]]:
    total = sum(sizes.values())
    target = max(MIN_BATCH_BYTES, min(BATCH_BYTES, total // max(1, 2 * workers)))
    batches: list[list[InputFile]] = [[]]
    filled = 0
    for source in files:
        if batches[-1] and filled + sizes[source.path] > target:
            batches.append([])
            filled = 0
        batches[-1].append(source)
        filled += sizes[source.path]
    return [b for b in batches if b]


@dataclass(frozen=True)
class Plan:
    """The files to process, their sizes, and what the data folder already holds."""

    todo: list[InputFile]
    sizes: dict[Path, int]
    seen: set[str]  # every input path of this run
    published: dict[str, str]  # doc_id -> source path, as published before this run


def _plan(config: RunConfig, version: str, summary: RunSummary) -> Plan:
    """What this run must do: new or changed files, or all with --full or a new pipeline version."""
    paths, skipped = discover_inputs(list(config.paths), exclude=[config.data_dir])
    summary.found = len(paths)
    summary.passed_over = [s for s in skipped if not s.rejected]
    summary.rejects += [Reject(str(s.path), None, "read", s.reason) for s in skipped if s.rejected]
    overrides = read_manifest(config.manifest) if config.manifest else {}
    columns = ["doc_id", "source_path", "pipeline_version"]
    rows = read_dataset(config.data_dir / "documents", DOCUMENTS, columns).to_pylist()
    done = {(r["source_path"], r["doc_id"]) for r in rows if r["pipeline_version"] == version}
    todo, sizes, ids = [], {}, set()
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            summary.rejects.append(Reject(str(path), None, "read", f"cannot be read: {error.strerror or error}"))
            continue
        doc_id = doc_id_of(data)
        if doc_id in ids and data:  # every empty file is rejected, not passed over as a copy
            summary.passed_over.append(Skipped(path, "the same bytes as another input: read once", False))
            continue
        ids.add(doc_id)
        if not config.full and (shown_path(path), doc_id) in done:
            summary.unchanged += 1
            continue
        todo.append(InputFile(path, path.name, doc_id, override_for(path, overrides)))
        sizes[path] = len(data)
    published = {r["doc_id"]: r["source_path"] for r in rows}
    return Plan(todo, sizes, {shown_path(p) for p in [*paths, *(s.path for s in skipped)]}, published)


def _kept(plan: Plan, published_now: dict[str, str]) -> set[str]:
    """Published doc ids to carry over: all but those this run replaced (`published_now`: id -> path).

    A file that changed and now fails keeps its last good version published.
    """
    paths = set(published_now.values())
    return {d for d, path in plan.published.items() if path not in paths and d not in published_now}


def _run_batches(config: RunConfig, batches: list[list[InputFile]], version: str) -> Iterator[BatchTables]:
    """Each batch's tables, in order, with two batches a worker submitted ahead of the one awaited.

    Submitting ahead keeps every worker busy while this process validates and writes (a
    piece takes it about as long as a batch takes a worker), and bounds how many finished
    batches wait in memory. The task runner (its worker processes, or a local Dask
    cluster) lives only while batches run: it stops as soon as the last batch is in, so
    neither the last validation nor the report holds its memory.
    """
    with make_task_runner(config.runner, config.dask_address, config.workers) as runner:
        get_run_logger().info("%d batch(es) on %d worker(s), task runner %s",
                              len(batches), config.workers, type(runner).__name__)  # fmt: skip
        pending: deque = deque()
        for batch in batches:
            pending.append(runner.submit(process_batch, {"files": batch, "pipeline_version": version}))
            if len(pending) > 2 * config.workers:
                yield _taken(pending.popleft())
        while len(pending) > 1:
            yield _taken(pending.popleft())
        last = _taken(pending.popleft()) if pending else None
    if last is not None:
        yield last


def _taken(future: PrefectFuture[BatchTables]) -> BatchTables:
    """A batch's tables, moved out of its future.

    Prefect keeps every task run's final state, and with it the task's result, until the
    flow run ends: left there, every batch's tables would stay in memory for the whole run.
    """
    result = future.result()
    taken = BatchTables(dict(result.tables), list(result.rejects))
    result.tables.clear()
    result.rejects.clear()
    return taken


def _pieces(batches: Iterable[BatchTables], count: int, chars: int) -> Iterator[BatchTables]:
    """The `count` batches joined into pieces of at least `chars` characters, the last batch
    a piece of its own: it is validated after every worker has finished, on one core."""
    held: list[BatchTables] = []
    filled = 0
    for number, batch in enumerate(batches, start=1):
        held.append(batch)
        filled += pc.sum(batch.tables["documents"].column("chars")).as_py() or 0
        if filled >= chars or number >= count - 1:
            yield _joined(held)
            held, filled = [], 0


def _joined(batches: list[BatchTables]) -> BatchTables:
    if len(batches) == 1:
        return batches[0]
    tables = {name: pa.concat_tables([b.tables[name] for b in batches]) for name in batches[0].tables}
    return BatchTables(tables, [r for b in batches for r in b.rejects])


def _validate_piece(gate: QualityGate, piece: BatchTables, summary: RunSummary) -> dict[str, pa.Table]:
    """The piece's tables without the documents whose rows fail a suite; those become rejects."""
    paths = _source_paths(piece.tables["documents"])
    blocked: dict[str, Failure] = {}
    for dataset in STAGE_DATASETS:
        failures = gate.validate(dataset, piece.tables[dataset])
        summary.validations += 1
        summary.failures += failures
        for failure in failures:
            for doc_id in failure.doc_ids if failure.doc_ids is not None else paths:
                blocked.setdefault(doc_id, failure)
    for doc_id, failure in sorted(blocked.items()):
        reason = f"failed the {failure.dataset} suite: {failure.expectation}"
        summary.rejects.append(Reject(paths.get(doc_id, doc_id), doc_id, "validate", reason))
    if not blocked:
        return piece.tables
    withheld = pa.array(sorted(blocked), pa.string())
    return {name: t.filter(pc.invert(pc.is_in(t.column("doc_id"), withheld))) for name, t in piece.tables.items()}


def _source_paths(documents: pa.Table) -> dict[str, str]:
    """Doc id -> source path of a documents table."""
    return dict(zip(documents.column("doc_id").to_pylist(), documents.column("source_path").to_pylist(), strict=True))


def _rejects_table(rejects: list[Reject], previous: pa.Table, seen: set[str]) -> pa.Table:
    """This run's rejects, and earlier ones of files this run did not see.

    A reject seen before keeps the time it was first recorded, so re-runs change nothing.
    """
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    earlier = previous.to_pylist()
    first_seen = {(r["file"], r["doc_id"], r["stage"], r["reason"]): r["time"] for r in earlier}
    rows = [r for r in earlier if r["file"] not in seen]
    rows += [
        {"file": r.file, "doc_id": r.doc_id, "stage": r.stage, "reason": r.reason,
         "time": first_seen.get((r.file, r.doc_id, r.stage, r.reason), now)}
        for r in rejects
    ]  # fmt: skip
    rows.sort(key=lambda r: (r["file"], r["stage"], r["reason"]))
    return pa.Table.from_pylist(rows, schema=REJECTS.schema)


class _Run:
    """One run's state: the plan, the quality gate, the snapshot being filled, the summary."""

    def __init__(self, config: RunConfig, summary: RunSummary) -> None:
        self.config = config
        self.summary = summary
        self.version = pipeline_version()
        self.log = get_run_logger()
        self._gate: Future[QualityGate] | None = None
        self.corrections: list[Correction] = []
        self.status: dict[int, str] = {}  # correction line -> what this run made of it

    def open_gate(self) -> None:
        """Start opening the quality gate in the background: importing GX takes seconds,
        which then overlap the first batch's work. Only a run with something to validate opens it."""
        if self._gate is None:
            self._gate = ThreadPoolExecutor(max_workers=1).submit(
                QualityGate, self.config.data_dir / "gx", self.config.data_dir / "quality"
            )

    @property
    def gate(self) -> QualityGate:
        self.open_gate()
        return self._gate.result()

    @property
    def validated(self) -> bool:
        return self._gate is not None

    def execute(self) -> None:
        self.log.info("pipeline version %s", self.version)
        plan = _plan(self.config, self.version, self.summary)
        self.log.info("%d report(s) found: %d to process, %d unchanged",
                      self.summary.found, len(plan.todo), self.summary.unchanged)  # fmt: skip
        previous = recorded(self.config.data_dir)
        if self.config.corrections:
            try:
                self.corrections = read_corrections(self.config.corrections, self.config.data_dir, self.config.paths)
            except UsageError as error:
                self.summary.error = str(error)
                return
        if not plan.todo and not self.summary.rejects and same_as_recorded(self.corrections, previous):
            return
        self.open_gate()
        snapshot = Snapshot(self.config.data_dir)
        try:
            published_now = self._process(plan, snapshot)
            kept = _kept(plan, published_now)
            refreshed = self._reapply(changed_documents(self.corrections, previous) & kept, snapshot)
            for dataset in STAGE_DATASETS:
                snapshot.carry_over(dataset, kept - refreshed if dataset == "indicators" else kept, "doc_id")
            self._write_corrections(previous, kept - refreshed, snapshot)
            self._write_rejects(plan, snapshot)
            snapshot.publish()
        finally:
            snapshot.discard()

    def _process(self, plan: Plan, snapshot: Snapshot) -> dict[str, str]:
        """Run the stages over the plan's batches into the snapshot; returns published doc id -> path."""
        batches = _batches(plan.todo, plan.sizes, self.config.workers)
        published: dict[str, str] = {}
        done = 0
        for piece in _pieces(_run_batches(self.config, batches, self.version), len(batches), VALIDATION_CHARS):
            done += piece.tables["documents"].num_rows + len(piece.rejects)
            published.update(self._validate_and_write(piece, snapshot))
            release_memory()
            self.log.info("%d/%d report(s) done", done, len(plan.todo))
        return published

    def _validate_and_write(self, piece: BatchTables, snapshot: Snapshot) -> dict[str, str]:
        """Validate a piece, write what passed into the snapshot; returns its written doc id -> path.

        A method of its own so that the piece's tables are freed when it returns.
        """
        self.summary.rejects += piece.rejects
        extracted = piece.tables["indicators"]
        indicators, outcome = corrected_indicators(
            extracted, piece.tables["documents"], piece.tables["sentences"], self.corrections
        )
        tables = piece.tables | {"mentions": mentions_of(extracted), "indicators": indicators}
        piece = BatchTables(tables, piece.rejects)
        del extracted, indicators
        tables = _validate_piece(self.gate, piece, self.summary)
        self._decided(outcome, set(tables["documents"].column("doc_id").to_pylist()))
        for dataset, table in tables.items():
            snapshot.write(dataset, table)
        documents, count = tables["documents"], tables["indicators"].num_rows
        self.summary.processed += documents.num_rows
        self.summary.new_indicators += count
        self.log.info("%d document(s) and %d indicator(s) validated and written", documents.num_rows, count)
        return _source_paths(documents)

    def _decided(self, outcome: dict[int, str], published: set[str]) -> None:
        """Record what became of corrections; those of a document withheld by a failed check failed."""
        documents = {c.line: c.doc_id for c in self.corrections}
        for line, status in outcome.items():
            self.status[line] = FAILED if status == APPLIED and documents[line] not in published else status

    def _reapply(self, doc_ids: set[str], snapshot: Snapshot) -> set[str]:
        """Rebuild the indicators of published documents whose corrections changed, from their
        published mentions, without extracting again; returns those whose new rows passed.

        A document whose corrected rows fail the suite keeps its published indicators.
        """
        if not doc_ids:
            return set()
        data_dir, wanted = self.config.data_dir, pa.array(sorted(doc_ids), pa.string())

        def published(name: str, contract: Contract) -> pa.Table:
            table = read_dataset(data_dir / name, contract)
            return table.filter(pc.is_in(table.column("doc_id"), value_set=wanted))

        mentions = published("mentions", MENTIONS)
        # A document published before mentions were kept has none: its rows stay as they are.
        doc_ids &= set(mentions.column("doc_id").to_pylist())
        if not doc_ids:
            return set()
        wanted = pa.array(sorted(doc_ids), pa.string())
        documents = published("documents", DOCUMENTS)
        indicators, outcome = corrected_indicators(mentions, documents, published("sentences", SENTENCES),
                                                   self.corrections)  # fmt: skip
        failures = self.gate.validate("indicators", indicators)
        self.summary.validations += 1
        self.summary.failures += failures
        paths = _source_paths(documents)
        blocked: set[str] = set()
        for failure in failures:
            for doc_id in sorted((doc_ids if failure.doc_ids is None else failure.doc_ids) - blocked):
                blocked.add(doc_id)
                reason = f"corrections failed the indicators suite: {failure.expectation}; its earlier rows stay"
                self.summary.rejects.append(Reject(paths.get(doc_id, doc_id), doc_id, "validate", reason))
        passed = doc_ids - blocked
        keep = pc.is_in(indicators.column("doc_id"), value_set=pa.array(sorted(passed), pa.string()))
        snapshot.write("indicators", indicators.filter(keep))
        self._decided(outcome, passed)
        self.log.info("corrections re-applied to %d published document(s)", len(passed))
        return passed

    def _write_corrections(self, previous: pa.Table, unchanged: set[str], snapshot: Snapshot) -> None:
        """The `corrections` dataset: this run's outcomes; for documents left as they were, the last run's."""
        before = {(r["doc_id"], r["start"], r["end"], r["field"], r["value"]): r["status"]
                  for r in previous.to_pylist() if r["doc_id"] in unchanged}  # fmt: skip
        status = dict(self.status)
        for c in self.corrections:
            if c.line not in status and c.doc_id in unchanged:
                status[c.line] = before.get((c.doc_id, c.start, c.end, c.field, c.value), STALE)
        table = corrections_table(self.corrections, status)
        self.summary.failures += self.gate.validate("corrections", table)
        self.summary.validations += 1
        snapshot.write("corrections", table)

    def _write_rejects(self, plan: Plan, snapshot: Snapshot) -> None:
        previous = read_dataset(self.config.data_dir / "rejects", REJECTS)
        rejects = _rejects_table(self.summary.rejects, previous, plan.seen)
        self.summary.failures += self.gate.validate("rejects", rejects)
        self.summary.validations += 1
        snapshot.write("rejects", rejects)


def _report(run: _Run, summary: RunSummary) -> None:
    """Rebuild what people read, when this run published something: catalog, review pages, Data Docs."""
    data_dir = run.config.data_dir
    quality = data_dir / "quality"
    # Also rebuilt when missing or older than the data: a run that died in this stage (a full
    # disk) is repaired by the next run, even when that one publishes nothing new.
    if (run.validated or reports_stale(data_dir)) and (data_dir / "documents").exists():
        try:
            mark_reports_built(data_dir, built=False)
            summary.catalog = build_catalog(data_dir)
            summary.review_index = write_review_pages(data_dir)
            summary.docs_index = run.gate.build_docs()
            link_review_pages(summary.docs_index)
            mark_reports_built(data_dir)
        except REPORT_ERRORS as error:
            raise ReportError(error) from error
        run.log.info("data quality report %s, review pages %s", summary.docs_index, summary.review_index)
    for name, path in (("docs_index", quality / "index.html"), ("review_index", quality / "review" / "index.html"),
                       ("catalog", data_dir / "govreport.duckdb")):  # fmt: skip
        if getattr(summary, name) is None and path.exists():
            setattr(summary, name, path)


def _count_corrections(data_dir: Path, summary: RunSummary) -> None:
    """The published corrections' counts in the summary: applied ones, and the stale ones named."""
    rows = recorded(data_dir).to_pylist()
    summary.corrections_applied = sum(1 for r in rows if r["status"] == APPLIED)
    columns = ("line", "doc_id", "start", "end", "field", "value", "note")
    summary.stale = [Correction(**{k: r[k] for k in columns}) for r in rows if r["status"] == STALE]


def failure_message(summary: RunSummary) -> str:
    """One line for the Failed state: what went wrong."""
    if summary.error:
        return summary.error
    return f"{len(summary.failures)} failed check(s), {len(summary.rejects)} rejected input(s)"


@flow(name="govreport", log_prints=False)
def run_pipeline(config: RunConfig) -> RunSummary | State:
    """Read every report under the paths and publish validated datasets to the data folder."""
    summary = RunSummary()
    data_dir = config.data_dir
    try:
        with locked(data_dir, wait=config.wait):
            clean_up(data_dir)
            use_data_dir_cache(data_dir)
            run = _Run(config, summary)
            try:
                run.execute()
            finally:  # a document's unexpected error: its reject says what, the log says where
                log_errors(data_dir, ((f"{r.stage} {r.file}", r.detail) for r in summary.rejects if r.detail))
            clean_up(data_dir)
            _report(run, summary)
            summary.published_documents = read_dataset(data_dir / "documents", DOCUMENTS, ["doc_id"]).num_rows
            summary.published_indicators = read_dataset(data_dir / "indicators", INDICATORS, ["doc_id"]).num_rows
            _count_corrections(data_dir, summary)
    except DataFolderBusy as busy:
        summary.error = str(busy)
    except (DataFolderError, ReportError, OSError, pa.ArrowException) as error:  # what a user can meet
        logged = log_error(data_dir, type(error).__name__, traceback.format_exc())
        summary.error = f"{error}" + (f" (details in {logged})" if logged else "")
    publish_artifact(summary)
    if summary.error or not summary.ok:
        # Failed, so that Prefect's UI, notifications and automations see it; the summary is
        # the state's data, read by the command line with return_state=True.
        return Failed(message=failure_message(summary), data=summary)
    return summary


def run(config: RunConfig) -> RunSummary:
    """Run the flow and return its summary, whether the run ended Completed or Failed."""
    return run_pipeline(config, return_state=True).result(raise_on_failure=False)
