"""The text of a Word (.docx) report: its paragraphs and table rows, in document order."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

__all__ = ["DocxError", "docx_text"]

_OLE = b"\xd0\xcf\x11\xe0"
OLD_DOC = "an old binary Word .doc file, not .docx; save it as .docx (or PDF) and ingest that"


class DocxError(ValueError):
    """A .docx whose text cannot be read; the message says why."""


def _row_lines(table: Table) -> list[str]:
    """One line per table row, its cells apart by a tab; a merged cell counted once."""
    lines = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # python-docx repeats a merged cell in every grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text.strip())
        lines.append("\t".join(cells))
    return lines


def docx_text(data: bytes) -> str:
    """The paragraphs and table rows of a .docx, one a line, in order; DocxError if it is no .docx."""
    if data.startswith(_OLE):
        raise DocxError(OLD_DOC)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocxError("not a .docx (not a ZIP package); re-save the report as .docx")
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                lines += _row_lines(block)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise DocxError(f"not a Word document ({error.__class__.__name__}); re-save the report as .docx") from None
    return "\n".join(lines) + "\n"
