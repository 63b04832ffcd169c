"""What a run leaves for people: the review pages, linked from the Data Docs index."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from flows.resources import indicator_codes
from flows.store import read_dataset
from transforms.contracts import DOCUMENTS, INDICATORS, SENTENCES
from transforms.review import render_review

REVIEW_DIR = "review"
LINK_MARK = "<!-- govreport review link -->"


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
        temporary = folder / f".{name}.tmp"
        temporary.write_text(html, encoding="utf-8")
        os.replace(temporary, folder / name)  # a reader never sees half a page
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
    docs_index.write_text(html, encoding="utf-8")
