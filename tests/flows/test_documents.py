"""PDF and Word reports through the whole pipeline: pages on every row, bad files rejected beside good ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from flows.pipeline import RunConfig, RunSummary
from flows.pipeline import run as run_and_summarize
from tests.conftest import SEED, SHARED
from tests.documents import old_doc, report_docx, report_pdf, scanned_pdf, zip_not_docx
from transforms.review import page_name

pytestmark = pytest.mark.usefixtures("prefect_server")

BEIJING_PDF = SHARED / "corpus" / "pdf" / "province_beijing_2024.pdf"
EXPECTED_REJECTS = {
    "locked.pdf": "encrypted PDF",
    "broken.pdf": "corrupt PDF",
    "scanned.pdf": "no text layer (scanned pages); OCR is not supported",
    "old_report.doc": "old binary Word .doc",
    "not_a_zip.docx": "not a ZIP package",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunSummary]:
    """The Beijing PDF, the seed as .docx, and a bad file of every kind, in one folder."""
    folder = tmp_path_factory.mktemp("documents")
    shutil.copy(BEIJING_PDF, folder / BEIJING_PDF.name)
    seed = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    (folder / "seed.docx").write_bytes(report_docx(seed))
    (folder / "locked.pdf").write_bytes(report_pdf(["地区生产总值增长5%。"], encrypt="secret"))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    (folder / "scanned.pdf").write_bytes(scanned_pdf())
    (folder / "old_report.doc").write_bytes(old_doc())
    (folder / "not_a_zip.docx").write_bytes("地区生产总值增长5%。".encode())
    (folder / "archive.docx").write_bytes(zip_not_docx())
    data_dir = tmp_path_factory.mktemp("data")
    # A run with rejected files ends Failed: `run` returns its summary either way.
    return data_dir, run_and_summarize(RunConfig(paths=(folder,), data_dir=data_dir))


def _rows(data_dir: Path, dataset: str) -> list[dict]:
    return ds.dataset(data_dir / dataset, format="parquet", partitioning="hive").to_table().to_pylist()


def test_the_beijing_pdf_is_read_with_its_metadata_and_pages(run: tuple[Path, RunSummary]) -> None:
    data_dir, _ = run
    (document,) = [d for d in _rows(data_dir, "documents") if d["doc"] == BEIJING_PDF.name]
    assert (document["region"], document["level"], document["report_year"]) == ("北京", "province", 2024)
    rows = [r for r in _rows(data_dir, "indicators") if r["doc"] == BEIJING_PDF.name]
    assert len(rows) >= 130
    assert all(1 <= r["page"] <= 13 for r in rows)
    found = {(r["indicator"], r["quote"], r["status"], r["period"], r["page"]) for r in rows}
    assert ("地区生产总值", "5%左右", "target", "2024", 5) in found
    assert ("地区生产总值", "5.2%", "actual", "2023", 1) in found
    sentences = [s for s in _rows(data_dir, "sentences") if s["doc_id"] == document["doc_id"]]
    assert {s["page"] for s in sentences} == set(range(1, 14))


def test_word_rows_have_no_page(run: tuple[Path, RunSummary]) -> None:
    data_dir, _ = run
    rows = [r for r in _rows(data_dir, "indicators") if r["doc"] == "seed.docx"]
    assert len(rows) >= 80 and all(r["page"] is None for r in rows)


def test_bad_files_are_rejected_with_their_reason_beside_published_ones(run: tuple[Path, RunSummary]) -> None:
    data_dir, summary = run
    reasons = {Path(r.file).name: r.reason for r in summary.rejects}
    for name, expected in EXPECTED_REJECTS.items():
        assert expected in reasons[name], (name, reasons.get(name))
    assert "not a Word document" in reasons["archive.docx"]
    assert {d["doc"] for d in _rows(data_dir, "documents")} == {BEIJING_PDF.name, "seed.docx"}


def test_the_catalog_shows_the_page(run: tuple[Path, RunSummary]) -> None:
    data_dir, _ = run
    with duckdb.connect(str(data_dir / "govreport.duckdb"), read_only=True) as connection:
        pages = connection.execute(
            "SELECT count(*), count(page) FROM indicators WHERE doc = ?", [BEIJING_PDF.name]
        ).fetchone()
    assert pages is not None and pages[0] == pages[1] > 0


def test_the_review_page_shows_the_page(run: tuple[Path, RunSummary]) -> None:
    data_dir, _ = run
    (document,) = [d for d in _rows(data_dir, "documents") if d["doc"] == BEIJING_PDF.name]
    html = (data_dir / "quality" / "review" / page_name(document["doc_id"])).read_text(encoding="utf-8")
    assert "<th>page</th>" in html
    assert '<td class="code">gdp</td><td>5</td>' in html
