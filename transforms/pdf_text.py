"""The text of a born-digital PDF report, in reading order, and where each page starts in it.

pdfplumber (pdfminer.six) gives every glyph with its box; the lines, columns and
paragraphs are rebuilt from those boxes rather than from pdfminer's own layout, because
reports wrap lines mid-word (生产总⏎值), and newspaper pages put several columns side by side.

The returned text is the document's text: offsets downstream index into it. Lines that
wrap inside a paragraph are joined with nothing between them (a figure cut by a line or
page break, 20.4⏎万平方米, comes out whole), paragraphs end with a newline, running heads,
feet and page numbers are left out, and radical code points are read as ideographs.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from transforms.radicals import read_radicals

__all__ = ["PdfError", "PdfText", "pdf_text"]

NO_TEXT_LAYER = "no text layer (scanned pages); OCR is not supported"


class PdfError(ValueError):
    """A PDF whose text cannot be read; the message says why."""


@dataclass(frozen=True)
class PdfText:
    """The text of a PDF and the offset in it where each page (1-based: index + 1) starts."""

    text: str
    page_starts: tuple[int, ...]
    pages: int


@dataclass(frozen=True)
class _Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class _Line:
    """One printed line (or the part of it in one column): its text and horizontal extent."""

    text: str
    x0: float
    x1: float
    size: float


# A line that is only a page number: "3", "- 3 -", "第3页", "3/13", "— 3 —" (not "2024": a year wrapped alone).
_PAGE_NUMBER = re.compile(r"[\s\-—–－·•]*(?:第\s*)?[0-9０-９]{1,3}\s*(?:页|/\s*[0-9]{1,4})?[\s\-—–－·•]*")
_DIGITS = re.compile(r"[0-9０-９]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
# A running head or foot repeats on at least this share of the pages (and on two or more).
_REPEAT_SHARE = 0.5
# A gutter between columns: an x range crossed by at most this share of the page's rows.
_GUTTER_ROW_SHARE = 0.05
_MIN_COLUMN_ROWS = 3


def _glyphs(page: pdfplumber.page.Page) -> list[_Glyph]:
    return [
        _Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"] or c["bottom"] - c["top"])
        for c in page.chars
        if c["text"].strip() and c.get("upright", True)
    ]


def _rows(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Glyphs grouped into printed rows, top to bottom, each row left to right.

    Digits set in a Latin font sit a point or two lower than the Chinese around
    them, so a row is every glyph whose middle is within half a glyph of the row's first.
    """
    rows: list[list[_Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: g.middle):
        if rows and glyph.middle - rows[-1][0].middle <= 0.5 * max(glyph.size, rows[-1][0].size):
            rows[-1].append(glyph)
        else:
            rows.append([glyph])
    return [sorted(row, key=lambda g: g.x0) for row in rows]


def _segments(row: list[_Glyph]) -> list[list[_Glyph]]:
    """A row cut where the gap between two glyphs is wider than a glyph: text runs."""
    runs = [[row[0]]]
    for glyph in row[1:]:
        previous = runs[-1][-1]
        if glyph.x0 - previous.x1 > max(glyph.size, previous.size):
            runs.append([glyph])
        else:
            runs[-1].append(glyph)
    return runs


def _row_text(glyphs: Sequence[_Glyph]) -> str:
    """The glyphs' text; a space only where two Latin words or numbers are set apart."""
    pieces = [glyphs[0].text]
    for previous, glyph in zip(glyphs, glyphs[1:], strict=False):
        apart = glyph.x0 - previous.x1 > 0.2 * glyph.size
        if apart and _ASCII_WORD.match(glyph.text) and _ASCII_WORD.match(previous.text[-1]):
            pieces.append(" ")
        pieces.append(glyph.text)
    return "".join(pieces)


def _line(glyphs: Sequence[_Glyph]) -> _Line:
    return _Line(_row_text(glyphs), glyphs[0].x0, glyphs[-1].x1, statistics.median(g.size for g in glyphs))


def _gutters(rows: list[list[_Glyph]]) -> list[float]:
    """The middles of the gaps between columns: x ranges crossed by (almost) no text run, text on both sides."""
    if len(rows) < 2 * _MIN_COLUMN_ROWS:
        return []
    runs = [(run[0].x0, run[-1].x1) for row in rows for run in _segments(row)]
    left, right = min(a for a, _ in runs), max(b for _, b in runs)
    size = statistics.median(g.size for row in rows for g in row)
    step = max(1.0, size / 4)
    limit = max(1, int(len(rows) * _GUTTER_ROW_SHARE))
    middles: list[float] = []
    start = None
    x = left + (right - left) * 0.1
    stop = right - (right - left) * 0.1
    while x <= stop:
        crossing = sum(1 for a, b in runs if a <= x <= b)
        if crossing <= limit:
            start = x if start is None else start
        elif start is not None:
            if x - start >= size:
                middles.append((start + x) / 2)
            start = None
        x += step
    bounds = [left, *middles, right]
    # A real column holds text on several rows; two ragged table cells do not make one.
    for a, b in zip(bounds, bounds[1:], strict=False):
        if sum(1 for row in rows if any(a <= (g.x0 + g.x1) / 2 <= b for g in row)) < _MIN_COLUMN_ROWS:
            return []
    return middles


def _blocks(rows: list[list[_Glyph]]) -> list[list[_Line]]:
    """The page's lines in reading order, as blocks: each column of a band, then the next.

    A row with a text run across a gutter (a headline over several columns) is a block of
    its own and ends the band of columns above it.
    """
    middles = _gutters(rows)
    if not middles:
        return [[_line(row) for row in rows]]
    blocks: list[list[_Line]] = []
    band: list[list[list[_Glyph]]] = [[] for _ in range(len(middles) + 1)]

    def flush() -> None:
        blocks.extend([_line(part) for part in column] for column in band if column)
        for column in band:
            column.clear()

    for row in rows:
        if any(run[0].x0 < x < run[-1].x1 for run in _segments(row) for x in middles):
            flush()
            blocks.append([_line(row)])
            continue
        parts: list[list[_Glyph]] = [[] for _ in band]
        for glyph in row:
            parts[sum(1 for x in middles if (glyph.x0 + glyph.x1) / 2 >= x)].append(glyph)
        for column, part in zip(band, parts, strict=True):
            if part:
                column.append(part)
    flush()
    return blocks


def _normalized(row: list[_Glyph]) -> str:
    return _DIGITS.sub("#", "".join(g.text for g in row))


def _furniture(pages_rows: list[list[list[_Glyph]]]) -> list[set[int]]:
    """Per page, the indexes of rows that are running heads, feet or page numbers."""
    edges = [{0, len(rows) - 1} & set(range(len(rows))) for rows in pages_rows]
    counts = Counter(_normalized(rows[i]) for rows, found in zip(pages_rows, edges, strict=True) for i in found)
    repeated = {
        text for text, n in counts.items() if len(pages_rows) >= 2 and n >= 2 and n >= _REPEAT_SHARE * len(pages_rows)
    }
    dropped = []
    for rows, found in zip(pages_rows, edges, strict=True):
        dropped.append(
            {
                i
                for i in found
                if _normalized(rows[i]) in repeated or _PAGE_NUMBER.fullmatch("".join(g.text for g in rows[i]))
            }
        )
    return dropped


def _continues(line: _Line, right: float, following: _Line, left: float) -> bool:
    """True when `following` carries on `line`'s paragraph: line runs to the margin, the next is not indented.

    A line in another type size (a headline, a caption) never continues a paragraph.
    """
    return (
        line.x1 >= right - line.size
        and following.x0 < left + 0.8 * following.size
        and abs(line.size - following.size) <= 0.1 * line.size
    )


def _join(pages: list[list[list[_Line]]]) -> tuple[str, tuple[int, ...]]:
    """The text of the pages' blocks, wrapped lines joined, and each page's start offset."""
    pieces: list[str] = []
    length = 0
    page_starts: list[int] = []
    previous: tuple[_Line, float] | None = None  # the last line so far, and its block's right margin
    for blocks in pages:
        page_starts.append(length)
        first_on_page = True
        for block in blocks:
            left = min(line.x0 for line in block)
            right = max(line.x1 for line in block)
            for line in block:
                if previous is not None:
                    last, last_right = previous
                    glue = "" if _continues(last, last_right, line, left) else "\n"
                    pieces.append(glue)
                    length += len(glue)
                if first_on_page:
                    page_starts[-1] = length
                    first_on_page = False
                pieces.append(line.text)
                length += len(line.text)
                previous = (line, right)
    if pieces:
        pieces.append("\n")
    return "".join(pieces), tuple(page_starts)


def _open_error(error: BaseException) -> str:
    cause = error.__cause__ or error.__context__ or error
    if isinstance(error, PDFPasswordIncorrect | PDFEncryptionError) or isinstance(
        cause, PDFPasswordIncorrect | PDFEncryptionError
    ):
        return "encrypted PDF (needs a password); save an unprotected copy"
    return f"corrupt PDF ({cause.__class__.__name__}: {str(cause)[:80] or 'unreadable'}); re-download the file"


def pdf_text(data: bytes) -> PdfText:
    """The reading-order text of a PDF's bytes and its page starts; PdfError if it has no readable text."""
    # pdfminer logs a warning for every font without a bounding box ("Could not get
    # FontBBox"); they say nothing about the text and would flood the user's terminal.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages_rows = []
            for page in pdf.pages:
                pages_rows.append(_rows(_glyphs(page)))
                page.close()  # drops the page's parsed objects, else a long report's all stay in memory
    except (PdfminerException, PDFSyntaxError, PSException, PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise PdfError(_open_error(error)) from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError) as error:
        # pdfminer raises plain Python errors on some damaged cross-reference tables and streams.
        raise PdfError(f"corrupt PDF ({error.__class__.__name__}); re-download the file") from None
    if not pages_rows:
        raise PdfError("corrupt PDF (no pages); re-download the file")
    if not any(pages_rows):
        raise PdfError(NO_TEXT_LAYER)
    dropped = _furniture(pages_rows)
    kept = [
        [row for i, row in enumerate(rows) if i not in drop] for rows, drop in zip(pages_rows, dropped, strict=True)
    ]
    text, page_starts = _join([_blocks(rows) if rows else [] for rows in kept])
    return PdfText(read_radicals(text), page_starts, len(pages_rows))
