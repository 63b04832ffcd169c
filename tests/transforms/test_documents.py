"""PDF and Word reports read as text: reading order, wrapped lines, pages, and files that cannot be read."""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import cache

import pytest

from flows.resources import places, tokenizer, vocabulary
from tests.conftest import SHARED
from tests.documents import HEADER, old_doc, report_docx, report_pdf, scanned_pdf, wrap, zip_not_docx
from transforms.extract import extract_indicators
from transforms.ingest import IngestError, read_document, split_sentences
from transforms.pdf_text import pdf_text
from transforms.radicals import read_radicals
from transforms.records import Indicator
from transforms.segment import segment_sentences
from transforms.tables import page_of

# Reports of both kinds of layout in the corpus: a city-style text with a table of contents
# of short headings, a province's with long paragraphs.
REPORTS = ("province_beijing_2026.txt", "province_hubei_2026.txt")
_BLANK = re.compile(r"\s")
# STSong-Light has no glyph for the interpunct of "25·7": reportlab draws nothing there.
_UNDRAWN = re.compile(r"[\s·]")


@cache
def _paragraphs(name: str) -> tuple[str, ...]:
    text = (SHARED / "corpus" / name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@cache
def _pdf(name: str, columns: int) -> bytes:
    return report_pdf(_paragraphs(name), columns=columns)


def _figures(name: str, data: bytes) -> list[Indicator]:
    document = read_document(name, name, data, places())
    sentences = split_sentences(document)
    return extract_indicators(document, sentences, segment_sentences(sentences, tokenizer()), vocabulary())


@pytest.mark.parametrize("columns", [1, 2, 3])
def test_a_pdf_reads_in_order_with_its_paragraphs_and_without_running_heads(columns: int) -> None:
    paragraphs = _paragraphs(REPORTS[0])
    extracted = pdf_text(_pdf(REPORTS[0], columns))
    assert _UNDRAWN.sub("", extracted.text) == _UNDRAWN.sub("", "".join(paragraphs))
    assert HEADER not in extracted.text and "- 2 -" not in extracted.text
    # Wrapped lines joined, paragraphs kept: within a few of one line per paragraph.
    assert abs(extracted.text.count("\n") - len(paragraphs)) <= 3
    assert extracted.pages == len(extracted.page_starts) >= 3
    assert list(extracted.page_starts) == sorted(extracted.page_starts)


def test_a_figure_cut_by_a_page_break_is_found_whole_on_the_page_it_starts() -> None:
    fill = "各项工作取得新进展"
    for extra in range(20):
        paragraph = fill * 3 + "字" * extra + "，地区生产总值增长5.25%，好于预期。"
        first_line = wrap(paragraph)[0][0]
        if first_line.endswith(("5", "5.", "5.2")):
            break
    else:
        pytest.fail("no filler puts the figure across the line end")
    extracted = pdf_text(report_pdf([paragraph, "下一段。"], lines_per_column=1))
    assert extracted.pages >= 2
    start = extracted.text.index("增长5.25%")
    document = read_document("a.pdf", "a.pdf", report_pdf([paragraph, "下一段。"], lines_per_column=1))
    assert page_of(document, start) == 1
    assert page_of(document, extracted.text.index("下一段")) == extracted.pages


def test_radical_code_points_read_as_ideographs_without_moving_offsets() -> None:
    text = "地区⽣产总值增⻓5.5%，⻋辆⻔类"
    assert read_radicals(text) == "地区生产总值增长5.5%，车辆门类"
    kangxi = "".join(chr(c) for c in range(0x2F00, 0x2FD6))
    read = read_radicals(kangxi)
    assert len(read) == len(kangxi) and all("\u4e00" <= ch <= "\u9fff" for ch in read)
    supplement = "".join(chr(c) for c in range(0x2E80, 0x2EF4))
    assert len(read_radicals(supplement)) == len(supplement)


def test_a_docx_gives_its_paragraphs_and_table_rows_in_order() -> None:
    paragraphs = ["2025年政府工作报告", "来源：日报", "各位代表：", "地区生产总值增长5%左右。"]
    table = [["指标", "2025年目标"], ["城镇新增就业", "30万人以上"]]
    document = read_document("r.docx", "r.docx", report_docx(paragraphs, table))
    assert document.text.split("\n")[:6] == [
        paragraphs[0],
        "指标\t2025年目标",
        "城镇新增就业\t30万人以上",
        *paragraphs[1:4],
    ]
    assert document.encoding == "docx" and document.page_starts == ()


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("locked.pdf", lambda: report_pdf(["地区生产总值增长5%。"], encrypt="secret"), "encrypted PDF"),
        ("broken.pdf", lambda: b"%PDF-1.4\n1 0 obj\n<<", "corrupt PDF"),
        ("cut.pdf", lambda: report_pdf(["地区生产总值增长5%。"])[:900], "corrupt PDF"),
        ("scan.pdf", scanned_pdf, "no text layer (scanned pages); OCR is not supported"),
        ("old.doc", old_doc, "old binary Word .doc"),
        ("renamed.docx", old_doc, "old binary Word .doc"),
        ("text.docx", lambda: "地区生产总值增长5%。".encode(), "not a ZIP package"),
        ("archive.docx", zip_not_docx, "not a Word document"),
    ],
)
def test_unreadable_files_get_a_reason(name: str, make, reason: str) -> None:  # noqa: ANN001
    with pytest.raises(IngestError) as caught:
        read_document(name, name, make())
    assert reason in caught.value.reason and name in str(caught.value)


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("kind", ["docx", "pdf", "pdf2"])
def test_the_same_report_as_txt_docx_and_pdf_gives_the_same_figures(name: str, kind: str) -> None:
    """value, unit, status and period of at least 95 % of the text's rows; quotes and pages hold."""
    source = (SHARED / "corpus" / name).read_bytes()
    reference = Counter((i.value, i.unit, i.status, i.period) for i in _figures(name, source))
    if kind == "docx":
        data, doc = report_docx(_paragraphs(name)), name.replace(".txt", ".docx")
    else:
        data, doc = _pdf(name, 2 if kind == "pdf2" else 1), name.replace(".txt", ".pdf")
    rows = _figures(doc, data)
    document = read_document(doc, doc, data)
    same = sum((reference & Counter((i.value, i.unit, i.status, i.period) for i in rows)).values())
    assert same >= 0.95 * sum(reference.values()), (same, sum(reference.values()))
    assert all(document.text[i.start : i.end] == i.quote for i in rows)
    if kind != "docx":
        assert all(page_of(document, i.start) is not None for i in rows)


def test_pdfminer_font_warnings_stay_out_of_the_terminal(caplog: pytest.LogCaptureFixture) -> None:
    # A font descriptor without its FontBBox (renamed in place, so every offset stays valid).
    data = report_pdf(["地区生产总值增长5%。"]).replace(b"/FontBBox", b"/FontBBoy")
    logging.getLogger("pdfminer").setLevel(logging.NOTSET)
    with caplog.at_level(logging.WARNING):
        text = pdf_text(data).text
    assert "增长5%" in text
    assert not [r for r in caplog.records if r.name.startswith("pdfminer")]


def test_a_headline_across_the_columns_is_read_before_them_and_on_its_own() -> None:
    paragraphs = _paragraphs(REPORTS[1])[:30]
    headline = "奋力谱写中国式现代化新篇章"
    extracted = pdf_text(report_pdf(paragraphs, columns=2, headline=headline))
    assert extracted.text.startswith(headline + "\n")
    assert _UNDRAWN.sub("", extracted.text) == _UNDRAWN.sub("", headline + "".join(paragraphs))
