"""Each suite passes a good table and fails a bad one, naming what failed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

from flows.checks import with_check_columns
from flows.quality import QualityGate
from transforms.contracts import REJECTS
from transforms.records import Document, Indicator, Sentence
from transforms.tables import DocumentResult, batch_tables

TEXT = "城镇新增就业77.4万人，PM2.5平均浓度33微克/立方米。"
DOC_ID = "0123456789abcdef"


def _indicator(**changes: object) -> Indicator:
    fields = dict(
        doc="a.txt", doc_id=DOC_ID, sentence_id=0, start=6, end=12, quote="77.4万人", indicator="城镇新增就业",
        value=774000.0, value_high=None, unit="person", raw_unit="万人", measure="level", direction=None,
        qualifier="exact", baseline=None, status="actual", period="2020",
    )  # fmt: skip
    fields.update(changes)
    return Indicator(**fields)


def _result(*indicators: Indicator) -> DocumentResult:
    document = Document("a.txt", DOC_ID, "/in/a.txt", "utf-8", TEXT, "报告", "无锡", "city", 2021)
    sentence = Sentence(DOC_ID, 0, "", TEXT, tuple(range(len(TEXT))))
    return DocumentResult(document, [sentence], [[]], list(indicators or [_indicator()]))


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory) -> QualityGate:
    root: Path = tmp_path_factory.mktemp("quality")
    return QualityGate(root / "gx", root / "quality")


def _table(dataset: str, result: DocumentResult) -> pa.Table:
    table = batch_tables([result], "v1")[dataset]
    return with_check_columns(dataset, table, {DOC_ID: TEXT})


def _validate(gate: QualityGate, dataset: str, result: DocumentResult) -> list[str]:
    return [f.expectation for f in gate.validate(dataset, _table(dataset, result))]


@pytest.mark.parametrize("dataset", ["documents", "sentences", "tokens", "indicators"])
def test_a_good_table_passes(gate: QualityGate, dataset: str) -> None:
    assert _validate(gate, dataset, _result()) == []


BAD_INDICATORS = {
    "absurd growth": (dict(quote="77.4万人", value=99999.0, unit="percent"), "column=value_in_unit_range"),
    "negative concentration": (dict(value=-3.0, unit="ug_m3"), "column=value_in_unit_range"),
    "unknown unit": (dict(unit="furlong"), "expect_column_values_to_be_in_set(column=unit"),
    "quote not at its offsets": (dict(quote="77.5万人"), "column=quote_is_source"),
    "span beyond the text": (dict(start=40, end=46), "column=span_in_document"),
    "range without upper bound": (dict(qualifier="range"), "expect_column_values_to_not_be_null(column=value_high"),
    "direction on a level": (dict(direction="up"), "expect_column_values_to_be_null(column=direction"),
    "no status": (dict(status=None), "expect_column_values_to_not_be_null(column=status"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_INDICATORS))
def test_the_indicators_suite_fails_a_bad_row(gate: QualityGate, case: str) -> None:
    changes, expected = BAD_INDICATORS[case]
    failed = _validate(gate, "indicators", _result(_indicator(**changes)))
    assert any(expected in f for f in failed), failed


def test_duplicate_mentions_fail_the_key(gate: QualityGate) -> None:
    failed = _validate(gate, "indicators", _result(_indicator(), _indicator()))
    assert any("compound_columns_to_be_unique" in f for f in failed), failed


def test_failures_name_the_documents(gate: QualityGate) -> None:
    (failure,) = gate.validate("indicators", _table("indicators", _result(_indicator(value=-1.0))))
    assert failure.doc_ids == {DOC_ID}
    assert "indicators" in failure.describe()


@pytest.mark.parametrize("dataset", ["documents", "sentences", "tokens", "indicators"])
def test_a_missing_column_fails_the_whole_table(gate: QualityGate, dataset: str) -> None:
    table = _table(dataset, _result()).drop_columns(["doc_id"])
    failures = gate.validate(dataset, table)
    assert any("table_columns_to_match_set" in f.expectation and f.doc_ids is None for f in failures)


def test_the_rejects_suite_fails_an_unknown_stage(gate: QualityGate) -> None:
    row = {"file": "a.txt", "doc_id": None, "stage": "teleport", "reason": "?",
           "time": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}  # fmt: skip
    table = pa.Table.from_pylist([row], schema=REJECTS.schema)
    failed = [f.expectation for f in gate.validate("rejects", table)]
    assert any("column=stage" in f for f in failed), failed


def test_the_data_docs_show_the_failures(gate: QualityGate) -> None:
    index = gate.build_docs()
    assert index.exists()
    assert any("indicators" in p.name or "indicators" in str(p) for p in index.parent.rglob("*.html"))
