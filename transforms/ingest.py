"""The ingest stage: bytes of a report → Document → cleaned, located Sentences.

Pure functions: the flow reads the file and passes its bytes and name.
Every failure is an ``IngestError`` naming the file, the problem and the fix.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from html.parser import HTMLParser

import charset_normalizer

from transforms.cleaning import (
    HEADING_1,
    HEADING_2,
    REPORT_TITLE,
    Line,
    clean_lines,
    clean_text,
    is_numeral_line,
)
from transforms.metadata import Places, read_metadata
from transforms.records import Document, Sentence

__all__ = [
    "IngestError",
    "clean_text",
    "decode_bytes",
    "html_to_text",
    "read_document",
    "split_sentences",
]


class IngestError(ValueError):
    """A file the ingest stage cannot turn into a Document; the message says what to do."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: ingest: {reason}")
        self.name = name
        self.reason = reason


# Magic numbers of binary formats people drop into an input folder by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (a .docx/.xlsx?)"),
    (b"\xd0\xcf\x11\xe0", "an OLE document (a .doc/.xls?)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# charset-normalizer's names for the Chinese legacy codecs; GB18030 is their
# superset and decodes every file they decode, identically.
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn"})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_BINARY_CONTROL_SHARE = 0.001  # control characters per character above which a "text" is binary
# A GB18030 decode is trusted without charset-normalizer when this share of the
# visible characters are Chinese (reports: 0.8 and more, their first lines 0.4).
_MIN_CHINESE_SHARE = 0.3
_SPACE = re.compile(r"\s")


def _check_text(text: str, name: str, encoding: str) -> None:
    if "\x00" in text:
        raise IngestError(name, f"binary data: NUL characters after decoding as {encoding}; give a text file")
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) * _BINARY_CONTROL_SHARE):
        raise IngestError(
            name, f"binary data: {controls} control characters after decoding as {encoding}; give a text file"
        )
    if not _CJK.search(text):
        raise IngestError(
            name,
            f"no Chinese characters after decoding as {encoding}; "
            "this is not a Chinese report, or its encoding is not UTF-8/UTF-16/GB18030",
        )


def _decode_strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        where = "at the end (the file is truncated)" if error.end >= len(data) - 1 else f"at byte {error.start}"
        raise IngestError(
            name, f"invalid {encoding} {where}: {error.reason}; re-export or re-download the file"
        ) from None
    except LookupError:
        raise IngestError(name, f"unknown encoding {encoding}; convert the file to UTF-8") from None


def _truncated_utf8(data: bytes, error: UnicodeDecodeError) -> bool:
    """True when the data is valid UTF-8 with Chinese text but cut inside its last character."""
    if error.start < len(data) - 3 or error.start == 0:
        return False
    try:
        head = data[: error.start].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(_CJK.search(head)) and data[error.start] >= 0xC0


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Text of the bytes and the name of the encoding it was decoded from.

    A BOM decides UTF-8-sig/UTF-16/UTF-32 (the BOM is not part of the text);
    then UTF-8 is tried, strictly (charset-normalizer can mislabel short UTF-8);
    anything else is detected by charset-normalizer, GB2312/GBK read as their
    superset GB18030. Where charset-normalizer finds nothing or names a codec
    that does not give Chinese (it calls short GB18030 text cp949 or Shift-JIS),
    a strict GB18030 decode that gives Chinese text is taken. Never decodes with
    replacement characters: a broken or truncated file is an IngestError.
    """
    if not data:
        raise IngestError(name, "empty file; check the download")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise IngestError(name, f"binary data: this is {kind}, not text; extract its text first")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _decode_strict(data, encoding, name)
            text = text.removeprefix("\ufeff")
            _check_text(text, name, encoding)
            return text, encoding
    if b"\x00" in data:
        raise IngestError(name, "binary data: NUL bytes (UTF-16 without a BOM is not supported); give a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _truncated_utf8(data, error):
            raise IngestError(
                name, "invalid utf-8 at the end (the file is truncated mid-character); re-download the file"
            ) from None
    else:
        _check_text(text, name, "utf-8")
        return text, "utf-8"
    best = charset_normalizer.from_bytes(data).best()
    guess = str(best.encoding).lower() if best is not None else None
    # GB18030 when charset-normalizer says a Chinese legacy codec, or when a strict
    # GB18030 decode gives Chinese text: charset-normalizer finds nothing for some
    # valid GB18030 reports (zero-width spaces are 4-byte sequences there) and
    # calls short ones cp949, Shift-JIS or UTF-16-BE. Our inputs are Chinese.
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as error:
        text = None
        if (
            error.start >= len(data) - 3
            and _chinese_share(data[: error.start].decode("gb18030", "replace")) >= _MIN_CHINESE_SHARE
        ):
            raise IngestError(
                name, "invalid gb18030 at the end (the file is truncated mid-character); re-download the file"
            ) from None
    if text is not None and (guess in _GB_FAMILY or _chinese_share(text) >= _MIN_CHINESE_SHARE):
        _check_text(text, name, "gb18030")
        return text, "gb18030"
    if guess is not None and not guess.startswith(("utf_16", "utf_32", "utf-16", "utf-32")):
        text = _decode_or_none(data, guess)
        if text is not None and _chinese_share(text) >= _MIN_CHINESE_SHARE:
            _check_text(text, name, guess)  # Big5, for instance
            return text, guess
        if text is not None and not _CJK.search(text):
            _check_text(text, name, guess)  # raises: no Chinese at all (a Latin-1 text, say)
    raise IngestError(
        name,
        "undecodable: not UTF-8, UTF-16 with a BOM, GB18030 or another Chinese encoding "
        "(a truncated or corrupt file, or binary data); re-export the report as UTF-8 text",
    )


def _decode_or_none(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _chinese_share(text: str) -> float:
    """Share of Chinese characters among the non-space characters."""
    visible = len(text) - sum(1 for _ in _SPACE.finditer(text))
    return len(_CJK.findall(text)) / visible if visible else 0.0


_SKIP_TAGS = frozenset({"script", "style", "head", "noscript", "template", "svg"})
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
        "th", "thead", "title", "tr", "ul",
    }
)  # fmt: skip


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag in _BLOCK_TAGS and not self.skip_depth:
            self.pieces.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS and not self.skip_depth:
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK_TAGS and not self.skip_depth:
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.pieces.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page: script/style/head dropped, block elements on their own lines.

    Entities are decoded. For an HTML input this extracted text *is* the
    Document.text: every offset downstream points into it, not into the markup.

    >>> html_to_text("<html><head><title>t</title></head><body><p>一&amp;二</p><script>x</script><p>三</p></body>")
    '\\n一&二\\n\\n三\\n'
    """
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return "".join(parser.pieces)


def _is_html(name: str) -> bool:
    return name.lower().endswith((".html", ".htm", ".xhtml"))


def read_document(name: str, source_path: str, data: bytes, places: Places | None = None) -> Document:
    """A Document of the file's bytes: decoded text (HTML reduced to its text) and metadata.

    `places` (seeds/places.tsv) lets metadata find a city or county named only in passing.
    """
    doc = re.split(r"[\\/]", name)[-1]
    page_starts: tuple[int, ...] = ()
    if doc.lower().endswith((".pdf", ".docx", ".doc")):
        text, encoding, page_starts = _extract_text(doc, data)
    else:
        text, encoding = decode_bytes(data, doc)
    if _is_html(doc):
        try:
            text = html_to_text(text)
        except AssertionError as error:
            # html.parser asserts on some malformed declarations ("<![foo").
            raise IngestError(doc, f"malformed HTML ({error}); save the page as text and ingest that") from None
        if not _CJK.search(text):
            raise IngestError(doc, "no Chinese text outside the HTML markup; is this the report page?")
    meta = read_metadata(text, places)
    return Document(
        doc=doc,
        doc_id=hashlib.sha256(data).hexdigest()[:16],
        source_path=source_path,
        encoding=encoding,
        text=text,
        title=meta.title,
        region=meta.region,
        level=meta.level,
        report_year=meta.report_year,
        page_starts=page_starts,
    )


def _extract_text(doc: str, data: bytes) -> tuple[str, str, tuple[int, ...]]:
    """Text, format name and page starts of a PDF or Word file; IngestError when it has none."""
    # Imported here: pdfminer, pypdfium2, Pillow and lxml take ~30 MB in every process that
    # imports them, and only the workers that meet a PDF or Word file need them.
    from transforms.docx_text import DocxError, docx_text
    from transforms.pdf_text import PdfError, pdf_text

    try:
        if doc.lower().endswith(".pdf"):
            extracted = pdf_text(data)
            text, encoding, page_starts = extracted.text, "pdf", extracted.page_starts
        else:
            text, encoding, page_starts = docx_text(data), "docx", ()
    except (PdfError, DocxError) as error:
        raise IngestError(doc, str(error)) from None
    if not _CJK.search(text):
        raise IngestError(doc, f"no Chinese text in the {encoding.upper()}; is this a Chinese report?")
    return text, encoding, page_starts


# A sentence ends after 。！？； (or their ASCII forms) and any closing quotes.
_SENTENCE_END = re.compile(r"[。！？；!?;]+[”’」』）)》]*")
_MAX_HEADING = 40
_HEADING_STRIP = "。：:；; "
_FULL_STOPS = "。！？!?"
_CLOSING = "”’」』）)》"
_HEADING_START = frozenset("一二三四五六七八九十第（(")
_MAX_PLAIN_HEADING = 25
_MAX_FRONT_PARAGRAPHS = 20
_CLAUSE_PUNCTUATION = frozenset("，。；：！？,;:!?、…")
_FRAGMENT_END = frozenset("的在和与及对把将为是要从向以于了并而或由被使让给同跟《“（(")
_CLOSING_SECTIONS = frozenset({"结束语", "結束語"})
_CJK_CHARS = re.compile(r"[\u4e00-\u9fff]")
# A sentence with no letter, digit or ideograph ("”", "】") is left-over punctuation.
_CONTENT = re.compile(r"[^\W_]")


def _heading_of(text: str, start: int = 0) -> tuple[int, str] | None:
    """(level, heading) if text[start:] starts with a section heading: 一、… / （一）… / a bare 一."""
    if start == 0 and is_numeral_line(text):
        return 1, text  # old reports number their sections with a bare numeral line
    level = 1 if HEADING_1.match(text, start) else 2 if HEADING_2.match(text, start) else 0
    if not level:
        return None
    end = _SENTENCE_END.search(text, start, start + _MAX_HEADING + 8)
    stop = len(text) if end is None else end.start()
    if stop - start > _MAX_HEADING:
        return None
    if end is not None and end.group()[0] in "；;":
        return None  # an item of a list: "二、适当提高铁路短途运价，…；"
    return level, text[start:stop].rstrip(_HEADING_STRIP)


def sentences_of_lines(doc_id: str, paragraphs: list[Line]) -> list[Sentence]:
    """Sentences of cleaned paragraphs, each with its heading path.

    A heading starts a paragraph, or, in a text whose line breaks were lost,
    follows a full stop inside one ("…完成。二、2021年主要任务…").
    """
    sentences: list[Sentence] = []
    append = sentences.append
    top = sub = path = ""
    numbered_top = any(HEADING_1.match(p.text) and _heading_of(p.text) for p in paragraphs)
    body_start = _body_start(paragraphs)
    for k, paragraph in enumerate(paragraphs):
        text, offsets = paragraph.text, paragraph.offsets
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        if not ends or ends[-1] < len(text):
            ends.append(len(text))
        start = 0
        if k >= body_start and _is_plain_heading(text):
            # An unnumbered heading ("结束语", "关于外交工作"): a section of its own
            # in a report without 一、 headings, else a subsection.
            if not numbered_top or text in _CLOSING_SECTIONS:
                top, sub = text, ""
            else:
                sub = text
            path = f"{top} > {sub}" if top and sub else top or sub
        for end in ends:
            if text[start] in _HEADING_START:
                heading = _heading_of(text) if start == 0 else _inner_heading(text, start)
                if heading is not None:
                    if heading[0] == 1:
                        top, sub = heading[1], ""
                    else:
                        sub = heading[1]
                    path = f"{top} > {sub}" if top and sub else top or sub
            piece = text[start:end]
            if piece[0].isalnum() or _CONTENT.search(piece):
                append(Sentence(doc_id, len(sentences), path, piece, offsets[start:end]))
            start = end
    return sentences


def _body_start(paragraphs: list[Line]) -> int:
    """Index of the first paragraph after the front matter (title, dateline, byline, "各位代表：")."""
    for k, paragraph in enumerate(paragraphs[:_MAX_FRONT_PARAGRAPHS]):
        if paragraph.text.startswith("各位代表"):
            return k + 1
    return 0


def _is_plain_heading(text: str) -> bool:
    """True for a short line with no punctuation that is neither a title nor a fragment."""
    return (
        2 <= len(text) <= _MAX_PLAIN_HEADING
        and not any(ch in _CLAUSE_PUNCTUATION for ch in text)
        and text[-1] not in _FRAGMENT_END
        and len(_CJK_CHARS.findall(text)) >= 2
        and REPORT_TITLE.fullmatch(text) is None
        and "会议上" not in text
    )


def _inner_heading(text: str, start: int) -> tuple[int, str] | None:
    """A heading after a full stop inside a paragraph; not an item of a list run in a sentence (after ；)."""
    before = text[start - 1]
    if before not in _FULL_STOPS and not (before in _CLOSING and start >= 2 and text[start - 2] in _FULL_STOPS):
        return None
    return _heading_of(text, start)


def split_sentences(document: Document) -> list[Sentence]:
    """The cleaned sentences of a document, with headings and source offsets, ids 0..n-1."""
    return sentences_of_lines(document.doc_id, clean_lines(document.text))
