"""The data folder: immutable snapshots published by an atomic symlink swap, under a lock.

Layout of DIR:
    <dataset>                  symlink to .snapshots/<id>/<dataset>: what readers see
    .snapshots/<id>/<dataset>/level=…/report_year=…/part-….parquet
    .staging/                  a run's work in progress, removed when it ends or by the next run
    .lock                      held by the run writing DIR
    .govreport-data            the marker: this folder is govreport's (input discovery skips it)
A run writes a whole new snapshot (reusing unchanged files by hard link), validates it,
then swaps each dataset's symlink, `documents` last: a run killed at any moment leaves
every dataset as it was or with whole documents added, and `documents`, the record of
what is done, never claims work that was not published.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from flows.inputs import DATA_FOLDER_MARKER as MARKER
from transforms.contracts import CONTRACTS, Contract

ROW_GROUP_ROWS = 256 * 1024
PUBLISH_ORDER = ("rejects", "corrections", "tokens", "sentences", "mentions", "indicators", "documents")
# A document that names no level or year lands in this partition folder. Arrow's default
# (__HIVE_DEFAULT_PARTITION__, read back as null) makes pandas fail to unify the partition
# column's dictionaries; a word reads everywhere, and our own reader maps it back to null.
UNKNOWN_PARTITION = "unknown"
_ARROW_DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__"


# Held while a snapshot's links are swapped: an interrupt (flows.cli) waits for it, so that a
# Ctrl-C never leaves some datasets on the new snapshot and others on the old one.
PUBLISH_LOCK = threading.Lock()
published_here: list[str] = []  # the snapshots this process published


class DataFolderBusy(RuntimeError):
    """Another run holds the data folder's lock."""


class DataFolderError(ValueError):
    """The data folder cannot be used: not a folder, not govreport's, or not writable."""


def _partitioning(contract: Contract) -> ds.Partitioning | None:
    if not contract.partitions:
        return None
    fields = [contract.schema.field(name) for name in contract.partitions]
    return ds.HivePartitioning(pa.schema(fields), null_fallback=UNKNOWN_PARTITION)


def _is_ours(data_dir: Path) -> bool:
    """Whether `data_dir` holds govreport's marker, or is a data folder made before the marker."""
    if (data_dir / MARKER).is_file():
        return True
    documents = data_dir / "documents"
    return documents.is_symlink() and os.readlink(documents).startswith(".snapshots" + os.sep)


def prepare_data_dir(data_dir: Path) -> None:
    """Create `data_dir` or check it is govreport's, and mark it; raises DataFolderError.

    A folder that holds other things is refused: a run deletes what earlier runs left in
    `.staging/` and `.snapshots/`, and must never take someone else's files for those.
    """
    if data_dir.exists() and not data_dir.is_dir():
        raise DataFolderError(f"--data-dir {data_dir}: not a folder; give a folder for the datasets")
    try:
        if data_dir.is_dir() and not _is_ours(data_dir):
            if any(data_dir.iterdir()):
                raise DataFolderError(
                    f"--data-dir {data_dir}: a folder that is not empty and not a govreport data folder "
                    f"(no {MARKER} file); give an empty or new folder"
                )
        data_dir.mkdir(parents=True, exist_ok=True)
        if not (data_dir / MARKER).is_file():
            (data_dir / MARKER).write_text("a govreport data folder: datasets, snapshots, reports\n", encoding="utf-8")
    except OSError as error:
        raise DataFolderError(f"--data-dir {data_dir}: cannot be written ({error.strerror or error})") from None


def cast_table(contract: Contract, table: pa.Table) -> pa.Table:
    """`table` with exactly the contract's columns, in its order and types."""
    return table.select([f.name for f in contract.schema]).cast(contract.schema)


def read_dataset(path: Path, contract: Contract, columns: list[str] | None = None) -> pa.Table:
    """A published or staged dataset as one table of the contract's schema (empty if absent)."""
    files = sorted(str(p) for p in path.rglob("*.parquet")) if path.exists() else []
    if not files:
        table = contract.schema.empty_table()
        return table.select(columns) if columns else table
    partitioning = _partitioning(contract)
    if partitioning is not None and any(f"={_ARROW_DEFAULT_PARTITION}" in f for f in files):
        partitioning = ds.partitioning(partitioning.schema, flavor="hive")  # a snapshot of an earlier version
    dataset = ds.dataset(files, format="parquet", partitioning=partitioning,
                         partition_base_dir=str(path), schema=contract.schema)  # fmt: skip
    return dataset.to_table(columns=columns)


@contextlib.contextmanager
def locked(data_dir: Path, wait: bool) -> Iterator[None]:
    """Hold the data folder's lock; wait for another run's, or raise DataFolderBusy."""
    prepare_data_dir(data_dir)
    with open(data_dir / ".lock", "a+") as handle:
        flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(handle, flags)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise DataFolderBusy(
                f"{data_dir} is being written by another govreport run ({holder}); "
                "wait for it to finish, or run without --no-wait to queue behind it"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


class Snapshot:
    """A new snapshot of every dataset, built in the staging folder and then published."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        self.root = data_dir / ".staging" / self.id
        self.root.mkdir(parents=True)
        self._parts = 0

    def path(self, dataset: str) -> Path:
        return self.root / dataset

    def write(self, dataset: str, table: pa.Table) -> None:
        """Add `table`'s rows to `dataset` as new files, one per partition."""
        if table.num_rows == 0:
            return
        contract = CONTRACTS[dataset]
        table = cast_table(contract, table)
        self._parts += 1
        ds.write_dataset(
            table,
            self.path(dataset),
            format="parquet",
            partitioning=_partitioning(contract),
            basename_template=f"part-{self.id}-{self._parts:06d}-{{i}}.parquet",
            existing_data_behavior="overwrite_or_ignore",
            max_rows_per_group=ROW_GROUP_ROWS,
            min_rows_per_group=min(ROW_GROUP_ROWS, table.num_rows),
        )

    def carry_over(self, dataset: str, keep_doc_ids: set[str], key: str) -> int:
        """Bring the published rows of kept documents into this snapshot; returns the row count.

        A published file whose rows all belong to kept documents is hard-linked, not copied.
        """
        published = self.data_dir / dataset
        if not published.exists():
            return 0
        rows = 0
        for source in sorted(published.resolve().rglob("*.parquet")):
            relative = source.relative_to(published.resolve())
            # Files of earlier versions sit in Arrow's default folder for a null partition.
            relative = Path(str(relative).replace(f"={_ARROW_DEFAULT_PARTITION}", f"={UNKNOWN_PARTITION}"))
            ids = pq.read_table(source, columns=[key]).column(key)
            kept = pc.is_in(ids, value_set=pa.array(sorted(keep_doc_ids), pa.string()))
            count = pc.sum(kept).as_py() or 0
            if count == 0:
                continue
            target = self.path(dataset) / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if count == len(ids):
                os.link(source, target)
            else:
                table = pq.read_table(source).filter(kept)
                pq.write_table(table, target, row_group_size=ROW_GROUP_ROWS)
            rows += count
        return rows

    def publish(self) -> None:
        """Swap every dataset's symlink to this snapshot, `documents` last."""
        final = self.data_dir / ".snapshots" / self.id
        final.parent.mkdir(exist_ok=True)
        for name in PUBLISH_ORDER:
            link = self.data_dir / name
            if link.exists() and not link.is_symlink():  # checked before any link is swapped
                raise DataFolderError(f"{link} is a real folder, not a govreport dataset link; move it away")
            self.path(name).mkdir(parents=True, exist_ok=True)
        _fsync_tree(self.root)
        with PUBLISH_LOCK:
            os.rename(self.root, final)
            for name in PUBLISH_ORDER:
                link = self.data_dir / name
                temporary = self.data_dir / f".{name}.{self.id}.link"
                os.symlink(os.path.join(".snapshots", self.id, name), temporary)
                os.replace(temporary, link)
            published_here.append(self.id)
        _fsync_dir(self.data_dir)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for folder, _, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(folder))


_SNAPSHOT_ID = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{8}$")


def clean_up(data_dir: Path) -> None:
    """Remove what killed runs left behind and snapshots no dataset links to any more.

    Only names govreport makes are removed (snapshot ids, dataset link names), and only in a
    folder that holds its marker: nothing the pipeline did not create is ever deleted.
    """
    if not _is_ours(data_dir):
        return
    staging = data_dir / ".staging"
    for stale in staging.iterdir() if staging.is_dir() and not staging.is_symlink() else ():
        if _SNAPSHOT_ID.match(stale.name):
            shutil.rmtree(stale, ignore_errors=True)
    with contextlib.suppress(OSError):
        staging.rmdir()  # only when empty
    for name in CONTRACTS:
        for stray in data_dir.glob(f".{name}.*.link"):
            if stray.is_symlink() and _SNAPSHOT_ID.match(stray.name[len(name) + 2 : -len(".link")]):
                stray.unlink(missing_ok=True)
    in_use = {os.readlink(data_dir / n).split(os.sep)[1] for n in CONTRACTS if (data_dir / n).is_symlink()}
    snapshots = data_dir / ".snapshots"
    for snapshot in snapshots.iterdir() if snapshots.is_dir() and not snapshots.is_symlink() else ():
        if snapshot.name not in in_use and _SNAPSHOT_ID.match(snapshot.name):
            shutil.rmtree(snapshot, ignore_errors=True)
