"""The whole real corpus (128 reports, 1954-2026, national and provincial, page dumps, Word and PDF) end to end."""

from __future__ import annotations

import logging
from pathlib import Path

import pyarrow.dataset as ds
import pytest
import yaml

from flows.pipeline import RunConfig, RunSummary, run
from flows.resources import indicator_codes
from tests.conftest import PROJECT, SHARED
from transforms.metadata import read_metadata
from transforms.review import page_name, render_review

pytestmark = pytest.mark.usefixtures("prefect_server")
CORPUS = SHARED / "corpus"
MANIFEST = CORPUS / "MANIFEST.tsv"
# 96 text reports, the 31 provincial reports of 2025 as Word files and Beijing's of 2024 as a PDF.
REPORTS = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".docx", ".pdf"))
HEADLINES = yaml.safe_load((PROJECT / "tests" / "golden" / "headline_targets.yaml").read_text(encoding="utf-8"))


def _indicators(data_dir: Path) -> list[dict]:
    table = ds.dataset(data_dir / "indicators", format="parquet", partitioning="hive").to_table()
    return sorted(table.to_pylist(), key=lambda r: (r["doc_id"], r["start"]))


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunSummary]:
    data_dir = tmp_path_factory.mktemp("corpus")
    return data_dir, run(RunConfig(paths=(CORPUS,), data_dir=data_dir, manifest=MANIFEST))


def test_every_report_yields_indicators_and_passes_every_suite(corpus_run: tuple[Path, RunSummary]) -> None:
    data_dir, summary = corpus_run
    assert summary.found == len(REPORTS) == 128
    assert summary.failures == [] and summary.rejects == []
    documents = ds.dataset(data_dir / "documents", partitioning="hive").to_table().to_pylist()
    counts = {row["source_path"]: row["indicators"] for row in documents}
    assert len(counts) == 128
    assert min(counts.values()) >= 10, sorted(counts.items(), key=lambda kv: kv[1])[:5]


def test_the_manifest_overrides_the_metadata(corpus_run: tuple[Path, RunSummary]) -> None:
    data_dir, _ = corpus_run
    documents = ds.dataset(data_dir / "documents", partitioning="hive").to_table().to_pylist()
    years = {Path(d["source_path"]).name: d["report_year"] for d in documents if "alt" not in d["source_path"]}
    assert years["national_china_1964.txt"] == 1964  # the text alone says 1965
    listed = {line.split("\t", 1)[0] for line in MANIFEST.read_text(encoding="utf-8").splitlines()[1:]}
    assert all(d["level"] in ("national", "province") for d in documents if Path(d["source_path"]).name in listed)


@pytest.mark.parametrize("name", [p.name for p in REPORTS if p.suffix == ".docx"])
def test_a_word_report_names_the_province_its_next_report_names(corpus_run: tuple[Path, RunSummary], name: str) -> None:
    data_dir, _ = corpus_run
    documents = {d["doc"]: d for d in ds.dataset(data_dir / "documents", partitioning="hive").to_table().to_pylist()}
    # The manifest gives the text reports a pinyin region: the next report's own text is the reference.
    next_report = read_metadata((CORPUS / name.replace("_2025.docx", "_2026.txt")).read_text(encoding="utf-8"))
    word = documents[name]
    assert (word["region"], word["level"], word["report_year"]) == (next_report.region, "province", 2025)


def test_renders_every_document_of_the_corpus(corpus_run: tuple[Path, RunSummary]) -> None:
    data_dir, _ = corpus_run
    codes = indicator_codes()

    def rows(name: str, columns: list[str] | None = None) -> list[dict]:
        return ds.dataset(data_dir / name, format="parquet", partitioning="hive").to_table(columns=columns).to_pylist()

    documents = rows("documents")
    indicators = rows("indicators")
    for row in indicators:
        row["indicator_code"] = codes.code_for(row["indicator"], row["unit"], row["measure"])
    sentences = rows("sentences", ["doc_id", "sentence_id", "text", "start", "end"])
    pages = render_review(documents, sentences, indicators, codes)
    assert {page_name(d["doc_id"]) for d in documents} | {"index.html"} == set(pages)
    marked = sum(page.count("<mark>") for name, page in pages.items() if name != "index.html")
    assert marked >= len(indicators) * 0.99


def _headline(rows: list[dict], year: int, kind: str) -> tuple | None:
    names = {"gdp": ("国内生产总值", "GDP"), "cpi": ("居民消费价格",), "jobs": ("城镇新增就业",)}[kind]
    unit = "person" if kind == "jobs" else "percent"
    for row in rows:
        name = row["indicator"] or ""
        if (
            row["doc"] == f"national_china_{year}.txt"
            and row["status"] == "target"
            and row["period"] == str(year)
            and row["unit"] == unit
            and any(n in name for n in names)
            and "单位" not in name
        ):
            return row["value"], row["value_high"], row["qualifier"]
    return None


def test_the_state_councils_headline_targets(corpus_run: tuple[Path, RunSummary]) -> None:
    data_dir, _ = corpus_run
    documents = ds.dataset(data_dir / "documents", partitioning="hive").to_table().to_pylist()
    main_ids = {d["doc_id"] for d in documents if Path(d["source_path"]).parent == CORPUS}
    rows = [r for r in _indicators(data_dir) if r["doc_id"] in main_ids]
    wrong = {
        (year, kind): (_headline(rows, year, kind), tuple(expected))
        for year, targets in HEADLINES.items()
        for kind, expected in targets.items()
        if _headline(rows, year, kind) != tuple(expected)
    }
    assert not wrong, wrong  # all 48: a regression in any one fails


FOUR = ("national_china_1975.txt", "national_china_2021.txt", "province_hebei_2026.txt", "province_shanghai_2020.txt")


def test_the_dask_runner_gives_the_same_indicators(
    corpus_run: tuple[Path, RunSummary], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir, _ = corpus_run
    config = RunConfig(
        paths=tuple(CORPUS / name for name in FOUR), data_dir=tmp_path, manifest=MANIFEST, runner="dask", workers=2
    )
    with caplog.at_level(logging.INFO):
        summary = run(config)
    assert summary.ok and summary.processed == 4
    assert "task runner DaskTaskRunner" in caplog.text
    dask_rows = _indicators(tmp_path)
    default_rows = [
        r for r in _indicators(data_dir) if r["doc"] in FOUR and r["doc_id"] in {x["doc_id"] for x in dask_rows}
    ]
    assert dask_rows == default_rows and len(dask_rows) > 100


def test_targets_beside_actuals_for_national_gdp(corpus_run: tuple[Path, RunSummary]) -> None:
    import duckdb

    data_dir, summary = corpus_run
    with duckdb.connect(str(summary.catalog), read_only=True) as db:
        rows = db.sql(
            "SELECT year, target_value, target_qualifier, actual_value, met FROM targets_vs_actuals "
            "WHERE level = 'national' AND indicator_code = 'gdp' AND year BETWEEN 2021 AND 2024 "
            "AND actual_value IS NOT NULL ORDER BY year"
        ).fetchall()
    assert rows == [
        (2021, 6.0, "over", 8.1, True),
        (2022, 5.5, "approx", 3.0, False),
        (2023, 5.0, "approx", 5.2, True),
        (2024, 5.0, "approx", 5.0, True),
    ]
