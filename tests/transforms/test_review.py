"""Review pages: escaped, self-contained, the quote marked in its sentence, flags where a reviewer must look."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from transforms.codes import parse_codes
from transforms.review import FLAG_IDS, FLAGS, page_name, render_review

CODES = parse_codes((Path(__file__).resolve().parents[2] / "seeds" / "indicator_codes.csv").read_text("utf-8"))
XSS = "<script>alert(1)</script>"


def document(doc_id: str, doc: str, **extra: object) -> dict:
    return {"doc_id": doc_id, "doc": doc, "title": "政府工作报告", "region": "shanghai", "level": "province",
            "report_year": 2021, **extra}  # fmt: skip


def sentence(doc_id: str, sentence_id: int, text: str, start: int = 0) -> dict:
    return {"doc_id": doc_id, "sentence_id": sentence_id, "heading": "", "text": text, "start": start,
            "end": start + len(text)}  # fmt: skip


def indicator(doc_id: str, sentence_id: int, start: int, quote: str, name: str | None, value: float, unit: str,
              measure: str = "level", **extra: object) -> dict:  # fmt: skip
    row = {"doc": f"{doc_id}.txt", "doc_id": doc_id, "sentence_id": sentence_id, "start": start,
           "end": start + len(quote), "quote": quote, "indicator": name, "value": value, "value_high": None,
           "unit": unit, "measure": measure, "direction": "up" if measure == "change" else None,
           "qualifier": "exact", "baseline": None, "status": "actual", "period": "2020", "raw_unit": unit,
           "region_name": "shanghai"}  # fmt: skip
    return row | extra


def rows_of(page: str) -> dict[str, str]:
    """Each table row of a document page by its number."""
    return dict(re.findall(r'<tr id="r(\d+)"[^>]*>(.*?)</tr>', page, flags=re.S))


@pytest.fixture
def pages() -> dict[str, str]:
    text_a = f"全市地区生产总值增长7%，城镇新增就业50万人。{XSS}增长250%"
    text_b = "居民消费价格上涨2.5%，涨幅2.5%。"
    documents = [document("aaa1", "a.txt", title=f"报告{XSS}"), document("bbb2", "b.txt")]
    sentences = [sentence("aaa1", 0, text_a, start=100), sentence("bbb2", 0, text_b)]
    indicators = [
        indicator("aaa1", 0, 100 + text_a.index("7%"), "7%", "全市地区生产总值", 7, "percent", "change",
                  indicator_code="gdp"),
        indicator("aaa1", 0, 100 + text_a.index("50万人"), "50万人", "城镇新增就业", 500000, "person",
                  indicator_code="urban_new_jobs"),
        indicator("aaa1", 0, 100 + text_a.index("250%"), "250%", None, 250, "percent", "change"),
        indicator("aaa1", 0, 100 + text_a.index("250%"), "250%", f"名称{XSS}", 250, "percent", "change"),
        indicator("bbb2", 0, 7, "2.5%", "居民消费价格", 2.5, "percent", "change", indicator_code="cpi"),
        indicator("bbb2", 0, 14, "2.5%", "居民消费价格", 2.5, "percent", "change", indicator_code="cpi"),
        indicator("bbb2", 0, 0, "9亿人", "国内生产总值", 9e8, "person", indicator_code=None),
    ]  # fmt: skip
    return render_review(documents, sentences, indicators, CODES)


def test_one_page_per_document_and_an_index(pages: dict[str, str]) -> None:
    assert sorted(pages) == ["aaa1.html", "bbb2.html", "index.html"]


def test_index_links_every_document_page(pages: dict[str, str]) -> None:
    links = set(re.findall(r'href="([^"]+)"', pages["index.html"]))
    assert {name for name in pages if name != "index.html"} <= links


def test_report_text_is_escaped(pages: dict[str, str]) -> None:
    for page in pages.values():
        assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["aaa1.html"]  # the sentence and the name
    assert "报告&lt;script&gt;" in pages["index.html"]  # the title


def test_quote_is_marked_inside_its_sentence(pages: dict[str, str]) -> None:
    row = rows_of(pages["aaa1.html"])["2"]
    assert "全市地区生产总值增长7%，城镇新增就业<mark>50万人</mark>。" in row


def test_same_quote_twice_marks_the_occurrence_at_the_offset(pages: dict[str, str]) -> None:
    rows = rows_of(pages["bbb2.html"])
    assert "居民消费价格上涨<mark>2.5%</mark>，涨幅2.5%" in rows["2"]
    assert "上涨2.5%，涨幅<mark>2.5%</mark>" in rows["3"]


def test_quote_missing_from_sentence_is_shown_apart_and_flagged(pages: dict[str, str]) -> None:
    row = rows_of(pages["bbb2.html"])["1"]
    assert "quote_not_found" in row and "quote: <mark>9亿人</mark>" in row


def classes(page: str, number: int) -> set[str]:
    """The CSS classes of a row of a document page: "flagged" and one "f-<flag>" per flag."""
    match = re.search(rf'<tr id="r{number}"(?: class="([^"]*)")?>', page)
    assert match, number
    return set((match.group(1) or "").split())


def test_row_without_name_is_flagged(pages: dict[str, str]) -> None:
    assert {"flagged", "f-no_name"} <= classes(pages["aaa1.html"], 3)


def test_out_of_range_value_is_flagged(pages: dict[str, str]) -> None:
    assert {"flagged", "f-out_of_range"} <= classes(pages["aaa1.html"], 4)
    assert "f-out_of_range" in classes(pages["aaa1.html"], 3)


def test_clean_rows_are_not_flagged(pages: dict[str, str]) -> None:
    assert classes(pages["aaa1.html"], 1) == classes(pages["aaa1.html"], 2) == set()


def test_duplicate_figure_and_foreign_unit_are_flagged(pages: dict[str, str]) -> None:
    page = pages["bbb2.html"]
    assert "f-duplicate" in classes(page, 2) and "f-duplicate" in classes(page, 3)
    assert "f-unit_unusual" in classes(page, 1)


def test_pages_are_self_contained_and_deterministic(pages: dict[str, str]) -> None:
    for page in pages.values():
        assert '<meta charset="utf-8">' in page and "<style>" in page
        for forbidden in ("http://", "https://", "<link", "<script src", "@import", "url("):
            assert forbidden not in page
    again = render_review(
        [document("aaa1", "a.txt", title=f"报告{XSS}"), document("bbb2", "b.txt")], [], [], CODES
    )  # fmt: skip
    assert again == render_review(
        [document("bbb2", "b.txt"), document("aaa1", "a.txt", title=f"报告{XSS}")], [], [], CODES
    )  # fmt: skip


def test_every_flag_is_described() -> None:
    assert len(FLAG_IDS) == len(set(FLAG_IDS)) == len(FLAGS)
    assert all(re.fullmatch(r"[a-z_]+", f) and d for f, d in FLAGS)


def test_page_names_are_safe() -> None:
    assert page_name("../../etc/passwd") == ".._.._etc_passwd.html"


def test_input_order_does_not_change_the_bytes() -> None:
    text = "增长7%"
    rows = [indicator("c", 0, 2, "7%", name, 7, "percent", "change") for name in ("甲", "乙", None)]
    args = ([document("c", "c.txt")], [sentence("c", 0, text)])
    assert render_review(*args, rows) == render_review(*args, rows[::-1])


def test_period_from_the_document_default_is_flagged() -> None:
    text = "全市地区生产总值增长7%，城镇新增就业50万人。"
    rows = [
        indicator("ccc3", 0, text.index("7%"), "7%", "全市地区生产总值", 7, "percent", "change", scope_cue="document"),
        indicator("ccc3", 0, text.index("50万人"), "50万人", "城镇新增就业", 500000, "person", scope_cue="clause"),
    ]
    page = render_review([document("ccc3", "c.txt")], [sentence("ccc3", 0, text)], rows, CODES)["ccc3.html"]
    assert "f-default_scope" in classes(page, 1)
    assert "f-default_scope" not in classes(page, 2)


def test_a_document_with_more_rows_than_a_page_holds_is_paged() -> None:
    from transforms.review import MAX_PAGE_ROWS

    count = MAX_PAGE_ROWS + 2
    text = "新增就业10人，" * count
    step = len("新增就业10人，")
    indicators = [indicator("big1", 0, i * step + 4, "10人", "新增就业", 10, "person") for i in range(count)]
    pages = render_review([document("big1", "big.txt")], [sentence("big1", 0, text)], indicators)
    first, second = pages[page_name("big1")], pages["big1-p2.html"]
    assert len(rows_of(first)) == MAX_PAGE_ROWS and set(rows_of(second)) == {str(count - 1), str(count)}
    assert 'href="big1-p2.html"' in first and 'href="big1.html"' in second
    assert set(pages) == {"index.html", "big1.html", "big1-p2.html"}
