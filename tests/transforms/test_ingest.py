"""Ingest: golden cases from tests/golden/ingest/*.json, encodings, errors and the offsets property."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.conftest import SHARED
from transforms.ingest import IngestError, decode_bytes, html_to_text, read_document, split_sentences
from transforms.records import Document, Sentence

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "ingest"
SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_7ecb4e462155040d.txt"


def _cases() -> list[pytest.param]:
    params = []
    for path in sorted(GOLDEN.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}", marks=marks))
    return params


def _document(text: str, name: str = "case.txt") -> Document:
    return read_document(name, name, text.encode("utf-8"))


def assert_offsets(document: Document, sentences: list[Sentence]) -> None:
    """Every character of every sentence is the source character its offset points at."""
    for s in sentences:
        assert len(s.offsets) == len(s.text)
        assert list(s.offsets) == sorted(s.offsets)
        assert "".join(document.text[i] for i in s.offsets) == s.text


@pytest.mark.parametrize("case", _cases())
def test_golden(case: dict) -> None:
    name = case.get("file", "case.html" if case.get("html") else "case.txt")
    document = _document(case["input"], name)
    sentences = split_sentences(document)
    texts = [s.text for s in sentences]
    if "sentences" in case:
        assert texts == case["sentences"]
    if "headings" in case:
        assert [s.heading for s in sentences] == case["headings"]
    for absent in case.get("absent", []):
        assert all(absent not in t for t in texts), absent
    for present in case.get("present", []):
        assert any(present in t for t in texts), present
    for key, value in case.get("metadata", {}).items():
        assert getattr(document, key) == value, key
    assert [s.sentence_id for s in sentences] == list(range(len(sentences)))
    assert_offsets(document, sentences)


CORPUS = SHARED / "corpus"
CORPUS_FILES = sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("alt/*.txt"))
JUNK = (
    "\u200b",
    "\ufeff",
    "<U+",
    "<!--",
    "上接第",
    "下转第",
    "［",
    "\n",
    "\r",
    "\u3000",
    "扫一扫",
    "相关报道：",
    "责任编辑",
)


@pytest.mark.skipif(not CORPUS_FILES, reason="shared corpus not present")
def test_corpus_offsets_and_no_junk() -> None:
    """On every real report: offsets point at the same characters, and no junk is left in a sentence."""
    for path in CORPUS_FILES:
        document = read_document(path.name, str(path), path.read_bytes())
        sentences = split_sentences(document)
        assert len(sentences) > 100, path.name
        assert_offsets(document, sentences)
        for s in sentences:
            assert not any(junk in s.text for junk in JUNK), (path.name, s.text)


def test_seed_metadata_and_offsets() -> None:
    document = read_document(SEED.name, str(SEED), SEED.read_bytes())
    assert (document.region, document.level, document.report_year) == ("无锡市", "city", 2021)
    sentences = split_sentences(document)
    assert_offsets(document, sentences)
    texts = "".join(s.text for s in sentences)
    assert "上接第1版" not in texts and "下转第3版" not in texts
    assert "开通“灵锡”" in texts and "远景目标纲要" in texts


REPORT = (
    "2021年无锡市政府工作报告\r\n\r\n各位代表：\r\n\u3000\u3000现在，我代表市人民政府向大会报告工作。𠀾字测试。\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_every_encoding_gives_the_same_text(encoding: str) -> None:
    text, found = decode_bytes(REPORT.encode(encoding), "r.txt")
    assert text == REPORT
    assert found == encoding


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_the_seed_in_every_encoding_gives_the_same_sentences(encoding: str) -> None:
    data = SEED.read_bytes()
    reference = split_sentences(read_document(SEED.name, str(SEED), data))
    document = read_document(SEED.name, str(SEED), data.decode("utf-8").encode(encoding))
    assert document.encoding == encoding
    assert document.text == data.decode("utf-8")
    assert [(s.text, s.offsets, s.heading) for s in split_sentences(document)] == [
        (s.text, s.offsets, s.heading) for s in reference
    ]


@pytest.mark.parametrize(
    "text",
    ["政府工作报告", "\u200b\n\n政府工作报\n告\n\n——2021年3月5", "各位代表：\n一、2020年工作回顾"],
)
def test_short_gb18030_is_not_mistaken_for_korean_or_japanese(text: str) -> None:
    """charset-normalizer calls such snippets cp949, Shift-JIS or UTF-16-BE, or nothing."""
    assert decode_bytes(text.encode("gb18030"), "r.txt") == (text, "gb18030")


def test_big5_is_detected() -> None:
    text = "我們第一次會議，已經光榮地完成了一件歷史性的工作。我國偉大的人民革命的根本目的，是在於解放我國的生產力。"
    assert decode_bytes(text.encode("big5"), "r.txt") == (text, "big5")


def test_gbk_family_is_read_as_gb18030() -> None:
    text = REPORT.replace("𠀾", "") * 3
    assert decode_bytes(text.encode("gbk"), "r.txt") == (text, "gb18030")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
        (b"%PDF-1.4 abc", "PDF"),
        ("政府工作报告\x00\x00".encode(), "binary"),
        ("政府\x01\x02\x03\x04工作报告".encode(), "binary"),
        ("政府工作报告，全市生产总值增长。".encode()[:-2], "truncated"),
        ("政府工作报告，全市生产总值增长。".encode("gb18030")[:-1], "truncated"),
        (b"Hello world, this is English only.", "no Chinese"),
        ("café crème brûlée".encode("cp1252"), "no Chinese"),
        ("政府工作报告，全市生产总值增长。".encode("gb18030")[:-3], "truncated"),
        (bytes([0x81, 0x30, 0xFF, 0xFE, 0x20] * 3), ""),
    ],
)
def test_errors_name_the_file_and_the_problem(data: bytes, reason: str) -> None:
    with pytest.raises(IngestError) as error:
        read_document("bad.txt", "in/bad.txt", data)
    assert "bad.txt" in str(error.value)
    assert reason in str(error.value)


def test_html_offsets_point_into_the_extracted_text() -> None:
    html = "<html><head><style>p{}</style></head><body><p>一、总体要求</p><p>增长&nbsp;5%。</p></body></html>"
    assert "增长" in html_to_text(html)
    document = read_document("r.html", "r.html", html.encode("utf-8"))
    sentences = split_sentences(document)
    assert [s.text for s in sentences] == ["一、总体要求", "增长5%。"]
    assert_offsets(document, sentences)


@pytest.mark.parametrize("html", ["<![foo 政府工作报告", "<!--政府工作报告", "<p>政府&#99999999;</p>", "<![CDATA[政府"])
def test_malformed_html_raises_only_ingest_error(html: str) -> None:
    try:
        document = read_document("r.html", "r.html", html.encode("utf-8"))
    except IngestError as error:
        assert "r.html" in str(error)
    else:
        assert_offsets(document, split_sentences(document))


def test_fuzz_raises_only_ingest_error() -> None:
    rng = random.Random(7)
    alphabet = "政府工作报告增长。，、\n\r\u3000\u200b <>!-U+0A（一）一、上接第1版>>>"
    for _ in range(300):
        kind = rng.randrange(3)
        if kind == 0:
            data = rng.randbytes(rng.randrange(0, 300))
        elif kind == 1:
            data = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 300))).encode()
        else:
            data = "".join(chr(rng.randrange(1, 0x2FFFF)) for _ in range(rng.randrange(0, 200))).encode(
                "utf-8", "surrogatepass"
            )
        try:
            document = read_document("fuzz.txt", "fuzz.txt", data)
        except IngestError:
            continue
        assert_offsets(document, split_sentences(document))


def test_long_single_line_is_fast_and_split() -> None:
    text = "全市生产总值增长6%，一般公共预算收入增长5%。" * 20000
    document = _document(text)
    sentences = split_sentences(document)
    assert len(sentences) == 20000
