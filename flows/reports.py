"""What a run leaves for people: the review pages, linked from the Data Docs index."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from flows.catalog import CATALOG_NAME, CatalogError
from flows.resources import indicator_codes
from flows.store import read_dataset
from transforms.contracts import DOCUMENTS, INDICATORS, SENTENCES
from transforms.review import render_review

REVIEW_DIR = "review"
LINK_MARK = "<!-- govreport review link -->"
BUILT_STAMP = ".built"  # in DIR/quality: the snapshot the reports were last fully built from
# What the report stage can meet from the machine (a full disk, a read-only file): one line, not a traceback.
REPORT_ERRORS = (OSError, duckdb.Error, CatalogError)


class ReportError(RuntimeError):
    """The report stage failed after the data was published; the next run rebuilds the reports."""

    def __init__(self, error: BaseException) -> None:
        cause = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        super().__init__(
            f"the report stage (catalog, review pages, Data Docs) failed: {cause}; "
            "the datasets are published and unchanged by it; the next run rebuilds the reports"
        )


def _published_snapshot(data_dir: Path) -> str | None:
    link = data_dir / "documents"
    return os.readlink(link) if link.is_symlink() else None


def reports_stale(data_dir: Path) -> bool:
    """Whether the reports are missing, half-built, or older than the published data."""
    quality = data_dir / "quality"
    stamp = quality / BUILT_STAMP
    needed = (stamp, quality / "index.html", quality / REVIEW_DIR / "index.html", data_dir / CATALOG_NAME)
    if not all(p.exists() for p in needed):
        return True
    return stamp.read_text(encoding="utf-8").strip() != _published_snapshot(data_dir)


def mark_reports_built(data_dir: Path, built: bool = True) -> None:
    """Record that the reports show the published snapshot (or, with built=False, that they may not)."""
    stamp = data_dir / "quality" / BUILT_STAMP
    if not built:
        stamp.unlink(missing_ok=True)
        return
    write_atomically(stamp, (_published_snapshot(data_dir) or "") + "\n")


def write_atomically(path: Path, text: str) -> None:
    """Write `path` through a temporary file renamed over it: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _referenced_sentences(data_dir: Path, indicators: pa.Table) -> list[dict]:
    """The sentences indicators come from; the others are not read into memory."""
    keys = pc.binary_join_element_wise(
        indicators.column("doc_id"), pc.cast(indicators.column("sentence_id"), pa.string()), ":"
    )
    sentences = read_dataset(data_dir / "sentences", SENTENCES, ["doc_id", "sentence_id", "text", "start"])
    own = pc.binary_join_element_wise(
        sentences.column("doc_id"), pc.cast(sentences.column("sentence_id"), pa.string()), ":"
    )
    return sentences.filter(pc.is_in(own, value_set=pc.unique(keys))).to_pylist()


def write_review_pages(data_dir: Path) -> Path:
    """Render the review pages of everything published into DIR/quality/review/; returns its index."""
    documents = read_dataset(data_dir / "documents", DOCUMENTS).to_pylist()
    indicators = read_dataset(data_dir / "indicators", INDICATORS)
    pages = render_review(documents, _referenced_sentences(data_dir, indicators), indicators.to_pylist(),
                          indicator_codes())  # fmt: skip
    folder = data_dir / "quality" / REVIEW_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name, html in pages.items():
        write_atomically(folder / name, html)
    for stale in folder.glob("*.html"):
        if stale.name not in pages:
            stale.unlink()
    return folder / "index.html"


def link_review_pages(docs_index: Path) -> None:
    """Add a link to the review pages at the top of the Data Docs index (rebuilt by each run)."""
    html = docs_index.read_text(encoding="utf-8")
    if LINK_MARK in html:
        return
    link = (
        f'{LINK_MARK}<div style="padding:8px 16px;background:#fff8e1;font-size:16px">'
        f'<a href="{REVIEW_DIR}/index.html">Indicator review pages</a>: every figure with its sentence, '
        "attributes and flags (works offline)</div>"
    )
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + link, html, count=1)
    write_atomically(docs_index, html)
