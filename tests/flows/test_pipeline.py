"""End to end: the real flow on Prefect's test server, real suites, real Parquet files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flows.pipeline import RunConfig, RunSummary, run
from tests.conftest import SEED, SHARED, published_rows

pytestmark = pytest.mark.usefixtures("prefect_server")


def _run(*paths: Path, data_dir: Path, **options: object) -> RunSummary:
    return run(RunConfig(paths=tuple(paths), data_dir=data_dir, **options))


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunSummary]:
    data_dir = tmp_path_factory.mktemp("data")
    return data_dir, _run(SEED, data_dir=data_dir)


def test_the_seed_run_publishes_every_dataset(seed_run: tuple[Path, RunSummary]) -> None:
    data_dir, summary = seed_run
    assert summary.ok, (summary.failures, summary.rejects)
    assert (summary.found, summary.processed) == (1, 1)
    assert len(published_rows(data_dir, "indicators")) >= 80
    (document,) = published_rows(data_dir, "documents")
    assert (document["doc"], document["level"], document["report_year"]) == (SEED.name, "city", 2021)
    assert len(published_rows(data_dir, "sentences")) > 50
    assert (data_dir / "quality" / "index.html").exists()


def test_every_quote_is_the_source_text_at_its_offsets(seed_run: tuple[Path, RunSummary]) -> None:
    data_dir, _ = seed_run
    text = SEED.read_bytes().decode("utf-8")
    for row in published_rows(data_dir, "indicators"):
        assert text[row["start"] : row["end"]] == row["quote"]


def test_the_seed_scores_against_the_gold(seed_run: tuple[Path, RunSummary]) -> None:
    data_dir, _ = seed_run
    score = SHARED / "eval" / "score.py"
    out = subprocess.run(
        [sys.executable, str(score), str(SHARED / "eval" / "gold"), str(data_dir / "indicators"), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures = json.loads(out.stdout)
    assert figures["f1"] >= 0.97, figures
    assert figures["strict_f1"] >= 0.90, figures


def test_a_rerun_on_unchanged_input_does_nothing(seed_run: tuple[Path, RunSummary]) -> None:
    data_dir, _ = seed_run
    before = {name: published_rows(data_dir, name) for name in ("documents", "sentences", "indicators", "rejects")}
    links = {p.name: p.readlink() for p in data_dir.iterdir() if p.is_symlink()}
    summary = _run(SEED, data_dir=data_dir)
    assert (summary.processed, summary.unchanged) == (0, 1)
    assert {p.name: p.readlink() for p in data_dir.iterdir() if p.is_symlink()} == links
    assert {name: published_rows(data_dir, name) for name in before} == before


def test_the_catalog_opens_read_only_with_typed_views(seed_run: tuple[Path, RunSummary]) -> None:
    import duckdb

    data_dir, summary = seed_run
    assert summary.catalog == data_dir / "govreport.duckdb"
    with duckdb.connect(str(summary.catalog), read_only=True) as db:
        views = {name for (name,) in db.sql("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        assert {"documents", "sentences", "indicators", "targets_vs_actuals"} <= views
        types = dict(db.sql("SELECT column_name, column_type FROM (DESCRIBE indicators)").fetchall())
        assert (types["value"], types["start"], types["end"]) == ("DOUBLE", "INTEGER", "INTEGER")
        assert db.sql("SELECT count(*) FROM indicators").fetchall()[0][0] >= 80
    assert (data_dir / "indicators" / "level=city" / "report_year=2021").is_dir()


def test_a_review_page_shows_each_figure_in_its_sentence(seed_run: tuple[Path, RunSummary]) -> None:
    data_dir, summary = seed_run
    pages = [p.read_text(encoding="utf-8") for p in summary.review_index.parent.glob("*.html")]
    assert any("城镇新增就业<mark>77.4万人</mark>" in page for page in pages)
    assert all("https://" not in page and "<script" not in page for page in pages)
    assert "review/index.html" in (data_dir / "quality" / "index.html").read_text(encoding="utf-8")
