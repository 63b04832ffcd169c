"""Golden cases of the extract stage: sentences in, indicator rows out (tests/golden/indicators/*.yaml).

Each case gives a text (split here on 。！？； so the test does not depend on the
ingest stage), the report year and the section heading; `expected` lists every row
the text must yield, in order, with the fields of GUIDELINES §2 (and, where given, the
time-scope level that decided period and status). The words come from the project's
real tokenizer, as in the pipeline. A case with
`xfail: <reason>` is a known failure and must keep failing until fixed.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import yaml

from flows.resources import tokenizer, vocabulary
from transforms.extract import extract_indicators, find_figures
from transforms.extract.lexicon import lexicon
from transforms.records import Document, Indicator, Sentence
from transforms.segment import segment_sentences

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "indicators"
FIELDS = ("quote", "indicator", "value", "value_high", "unit", "measure", "direction", "qualifier", "baseline",
          "status", "period")  # fmt: skip


def split_simple(doc_id: str, text: str, heading: str) -> list[Sentence]:
    """Sentences ending at 。！？； with identity offsets: enough for one-paragraph cases."""
    sentences = []
    for m in re.finditer(r"[^。！？；]+[。！？；]?", text):
        sentences.append(Sentence(doc_id, len(sentences), heading, m.group(), tuple(range(m.start(), m.end()))))
    return sentences


def extract_case(text: str, report_year: int | None, heading: str = "") -> list[Indicator]:
    """The rows the extract stage gives for one golden case."""
    document = Document(
        doc="case.txt", doc_id="case", source_path="case.txt", encoding="utf-8", text=text, report_year=report_year
    )
    sentences = split_simple("case", text, heading)
    # The project's real tokenizer (user dictionary included): names are cut at its words.
    return extract_indicators(document, sentences, segment_sentences(sentences, tokenizer()), vocabulary())


def _cases() -> list:
    params = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
            params.append(pytest.param(case, id=f"{path.stem}:{case['id']}", marks=marks))
    return params


def _same(expected: object, actual: object) -> bool:
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return math.isclose(float(expected), float(actual), rel_tol=1e-6, abs_tol=1e-4)
    return expected == actual


@pytest.mark.parametrize("case", _cases())
def test_golden_case(case: dict) -> None:
    rows = extract_case(case["text"], case.get("report_year"), case.get("heading", ""))
    got = [{f: getattr(r, f) for f in (*FIELDS, "scope_cue")} for r in rows]
    expected = case["expected"]
    assert [r["quote"] for r in got] == [r["quote"] for r in expected]
    for exp, act in zip(expected, got, strict=True):
        wrong = {f: (exp[f], act[f]) for f in exp if not _same(exp[f], act[f])}
        assert not wrong, f"{exp['quote']}: (expected, got) {wrong}"


def test_quote_is_the_source_text() -> None:
    text = "五年来，全市ＧＤＰ增长１１．２％，城镇新\n增就业77.4万人。"
    document = Document(doc="d.txt", doc_id="d", source_path="d.txt", encoding="utf-8", text=text, report_year=2021)
    cleaned = [(i, c) for i, c in enumerate(text) if c != "\n"]
    sentence = Sentence("d", 0, "", "".join(c for _, c in cleaned), tuple(i for i, _ in cleaned))
    rows = extract_indicators(document, [sentence], segment_sentences([sentence], tokenizer()), vocabulary())
    assert [r.quote for r in rows] == ["１１．２％", "77.4万人"]
    assert all(text[r.start : r.end] == r.quote for r in rows)
    assert rows[1].indicator == "城镇新增就业"


@pytest.mark.parametrize(
    "text",
    ["", "。", "１２３４５６７８９０", "增长%", "翻番翻番", "百分之", "三分之", "9999999999999999999999亿元",
     "一二三四五六七八九十百千万亿", "1:2:3:4:5:6", "［１］［２］", "―――", "增长1.2.3%"],
)  # fmt: skip
def test_odd_text_never_raises(text: str) -> None:
    figures = find_figures(text, lexicon(vocabulary()))
    assert all(math.isfinite(f.value) for f in figures)
    extract_case(text, None)


@pytest.mark.parametrize(
    ("subject", "names"),
    [
        ("城镇和农村居民人均可支配收入", ["城镇居民人均可支配收入", "农村居民人均可支配收入"]),
        ("新增公路、铁路里程", ["新增公路里程", "铁路里程"]),
        ("一般公共预算收入和支出", ["一般公共预算收入", "一般公共预算支出"]),
        ("安全生产事故及死亡人数", ["安全生产事故", "安全生产事故死亡人数"]),
    ],
)
def test_listed_names(subject: str, names: list[str]) -> None:
    from transforms.extract.names import _listed_names

    assert _listed_names(subject, lexicon(vocabulary())) == names
