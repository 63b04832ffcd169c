"""How finished batches travel to the flow and are grouped for validation."""

from __future__ import annotations

import pickle

import pyarrow as pa

from flows.pipeline import _pieces, _taken
from flows.quality import _frame
from flows.tasks import BatchTables, Reject


def _batch(doc_id: str, chars: int) -> BatchTables:
    documents = pa.table({"doc_id": [doc_id], "chars": pa.array([chars], pa.int32())})
    words = ["城镇", "新增", "就业"]
    tokens = pa.table({"doc_id": [doc_id] * 3, "token": words, "start": pa.array([0, 2, 4], pa.int32())})
    return BatchTables({"documents": documents, "tokens": tokens}, [Reject(f"{doc_id}.txt", None, "read", "x")])


def test_a_batch_crosses_processes_compressed_and_whole() -> None:
    batch = _batch("a", 10)
    back = pickle.loads(pickle.dumps(batch))
    assert back.rejects == batch.rejects
    assert all(back.tables[name].equals(table) for name, table in batch.tables.items())


class _Done:
    """A finished future: all `_taken` asks of one."""

    def __init__(self, result: BatchTables) -> None:
        self._result = result

    def result(self) -> BatchTables:
        return self._result


def test_the_tables_are_moved_out_of_the_future_that_keeps_them() -> None:
    kept = _batch("a", 10)
    taken = _taken(_Done(kept))
    assert taken.tables["tokens"].num_rows == 3 and len(taken.rejects) == 1
    assert kept.tables == {} and kept.rejects == []


def test_batches_are_joined_into_pieces_the_last_batch_alone() -> None:
    batches = [_batch(name, 400) for name in "abcdef"]
    pieces = list(_pieces(iter(batches), len(batches), chars=700))
    ids = [p.tables["documents"].column("doc_id").to_pylist() for p in pieces]
    assert ids == [["a", "b"], ["c", "d"], ["e"], ["f"]]
    assert [len(p.rejects) for p in pieces] == [2, 2, 1, 1]
    assert pieces[0].tables["tokens"].num_rows == 6


def test_integers_reach_great_expectations_as_int64() -> None:
    frame = _frame(pa.table({"start": pa.array([1, 2], pa.int32()), "value": [1.5, None], "doc": ["a", "b"]}))
    assert str(frame["start"].dtype) == "int64" and str(frame["value"].dtype) == "float64"
