"""PDF and Word files made from report text for the tests: reportlab and python-docx writers."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import docx
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"  # reportlab's built-in Adobe CID font: Chinese without a font file
SIZE = 10.5
LEADING = 16.0
MARGIN = 60.0
GUTTER = 24.0
HEADER = "某省人民政府工作报告（测试稿）"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def wrap(paragraph: str, width: float = A4[0] - 2 * MARGIN, indent: float = 2 * SIZE) -> list[tuple[str, float]]:
    """The paragraph cut into lines that fill `width`, each with its x offset (the first indented)."""
    lines: list[tuple[str, float]] = []
    line, offset = "", indent
    for ch in paragraph:
        if pdfmetrics.stringWidth(line + ch, _font(), SIZE) > width - offset:
            lines.append((line, offset))
            line, offset = "", 0.0
        line += ch
    if line:
        lines.append((line, offset))
    return lines


def report_pdf(
    paragraphs: Sequence[str],
    columns: int = 1,
    running_head: bool = True,
    encrypt: str | None = None,
    lines_per_column: int | None = None,
    headline: str | None = None,
) -> bytes:
    """A born-digital PDF of the paragraphs: columns, indented paragraphs, running head, page numbers.

    A headline is set large across the columns at the top of the first page, as on a newspaper page.
    """
    buffer = io.BytesIO()
    encryption = StandardEncryption(encrypt, ownerPassword=encrypt + "-owner") if encrypt else None
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encryption, invariant=1)
    width, height = A4
    column_width = (width - 2 * MARGIN - GUTTER * (columns - 1)) / columns
    lines = [line for p in paragraphs for line in wrap(p, column_width, 2 * SIZE)]
    top, bottom = height - MARGIN - 2 * LEADING, MARGIN + 2 * LEADING
    per_column = lines_per_column or int((top - bottom) // LEADING)
    page = 0
    while lines:
        page += 1
        pdf.setFont(_font(), SIZE)
        if running_head:
            pdf.drawString(MARGIN, height - MARGIN, HEADER)
            pdf.drawCentredString(width / 2, MARGIN, f"- {page} -")
        start, rows = top, per_column
        if headline and page == 1:
            pdf.setFont(_font(), 2 * SIZE)
            pdf.drawCentredString(width / 2, top, headline)
            pdf.setFont(_font(), SIZE)
            start, rows = top - 3 * LEADING, per_column - 3
        for column in range(columns):
            x = MARGIN + column * (column_width + GUTTER)
            for row in range(rows):
                if not lines:
                    break
                text, offset = lines.pop(0)
                pdf.drawString(x + offset, start - row * LEADING, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A PDF of one page that is only an image: what a scanner gives, no text layer."""
    image = Image.new("RGB", (200, 280), "white")
    buffer = io.BytesIO()
    image.save(buffer, format="PDF")
    return buffer.getvalue()


def report_docx(paragraphs: Sequence[str], table: Sequence[Sequence[str]] = ()) -> bytes:
    """A .docx of the paragraphs, and a table after the first one when given."""
    document = docx.Document()
    for k, paragraph in enumerate(paragraphs):
        document.add_paragraph(paragraph)
        if k == 0 and table:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for row, cells in zip(grid.rows, table, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def old_doc() -> bytes:
    """The start of an old binary Word file: the OLE compound-file signature and header."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "政府工作报告".encode("utf-16-le") * 40


def zip_not_docx() -> bytes:
    """A ZIP archive that holds no Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "不是报告")
    return buffer.getvalue()
