"""`govreport review`: the review pages served on 127.0.0.1 with forms that append corrections.

GET serves the pages of DIR/quality/review (nothing else: any other path, `../` included, is a
404); a document's page is rendered for the request from the published datasets, with a form on
every row and on every sentence, and the lines saved but not yet applied by a run marked
pending. POST checks the submitted correction like a line of the file (with the file's other
lines: an `add` needs its attributes) and appends it atomically: the old content and the new
lines go to a temporary file, which is synced and renamed over the file, so a server killed at
any moment leaves the file as it was or with the whole line added. A bad submission is refused
with its reason (400) and the file is unchanged. A request naming another host (DNS rebinding)
or a form posted from another site's page (its Origin) is refused (403): the server is on
127.0.0.1, but the browser that reaches it also visits other sites.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import threading
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pyarrow.compute as pc

from flows.corrections import recorded, source_text
from flows.reports import REVIEW_DIR
from flows.resources import indicator_codes
from flows.store import read_dataset
from transforms.contracts import DOCUMENTS, INDICATORS, SENTENCES
from transforms.corrections import HEADER, Correction, CorrectionsError, check_offsets, parse_corrections
from transforms.review import Editing, page_name, render_review

HOST = "127.0.0.1"
ACTION = "/corrections"
_PAGE = re.compile(r"^/([A-Za-z0-9_.-]+\.html)?$")
_LATER_PAGE = re.compile(r"-p\d+\.html$")
MAX_FORM_BYTES = 64 * 1024


class Refused(ValueError):
    """A submitted correction that cannot be saved; the message says why."""


def _csv_line(values: Iterable[object]) -> str:
    """One CSV line, quoted where needed (a note may hold commas, quotes or line breaks)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(["" if v is None else str(v) for v in values])
    return out.getvalue()


class ReviewSite:
    """The data folder's review pages and the corrections file they append to."""

    def __init__(self, data_dir: Path, corrections: Path) -> None:
        self.data_dir = data_dir
        self.folder = data_dir / "quality" / REVIEW_DIR
        self.corrections = corrections
        self._lock = threading.Lock()
        self._codes = {c.code for c in indicator_codes().codes}

    # Reading

    def _file_text(self) -> str:
        text = self.corrections.read_text(encoding="utf-8") if self.corrections.exists() else ""
        return text if text.strip() else ",".join(HEADER) + "\n"

    def pending(self) -> dict[tuple[str, int, int], tuple[str, ...]]:
        """The saved lines no run has applied yet (not in the `corrections` dataset), by key."""
        try:
            lines = parse_corrections(self._file_text(), self._codes)
        except CorrectionsError:
            return {}
        applied = recorded(self.data_dir).to_pylist()
        done = {(r["doc_id"], r["start"], r["end"], r["field"], r["value"]) for r in applied}
        waiting: dict[tuple[str, int, int], tuple[str, ...]] = {}
        for c in lines:
            if (c.doc_id, c.start, c.end, c.field, c.value) not in done:
                shown = c.field if c.value is None else f"{c.field}={c.value}"
                waiting[c.key] = (*waiting.get(c.key, ()), shown)
        return waiting

    def page(self, name: str) -> bytes | None:
        """A page of the review folder: a document's rendered with forms, others as written; None if none."""
        documents = read_dataset(self.data_dir / "documents", DOCUMENTS).to_pylist()
        first_page = _LATER_PAGE.sub(".html", name)  # a long document's page 2, 3 …: its first page's name
        document = next((d for d in documents if page_name(d["doc_id"]) == first_page), None)
        if document is None:
            path = self.folder / name
            return path.read_bytes() if name == "index.html" and path.is_file() else None
        doc_id = document["doc_id"]
        indicators = read_dataset(self.data_dir / "indicators", INDICATORS)
        indicators = indicators.filter(pc.equal(indicators.column("doc_id"), doc_id))
        sentences = read_dataset(self.data_dir / "sentences", SENTENCES)
        sentences = sentences.filter(pc.equal(sentences.column("doc_id"), doc_id)).to_pylist()
        editing = Editing(ACTION, self.pending())
        pages = render_review([document], sentences, indicators.to_pylist(), indicator_codes(), editing)
        page = pages.get(name)
        return page.encode("utf-8") if page is not None else None

    # Writing

    def _document(self, doc_id: str) -> dict | None:
        documents = read_dataset(self.data_dir / "documents", DOCUMENTS).to_pylist()
        return next((d for d in documents if d["doc_id"] == doc_id), None)

    def _lines_of(self, form: dict[str, str]) -> list[list[object]]:
        """The corrections-file lines a submitted form asks for."""
        doc_id = form.get("doc_id", "")
        note = form.get("note") or None
        if form.get("action") == "correct":
            return [[doc_id, form.get("start", ""), form.get("end", ""), form.get("field", ""), form.get("value", ""),
                     note]]  # fmt: skip
        if form.get("action") != "add":
            raise Refused("unknown action: use the page's forms")
        start, end = self._find_quote(doc_id, form.get("sentence_id", ""), form.get("quote", ""))
        lines: list[list[object]] = [[doc_id, start, end, "add", "", note]]
        for name in ("indicator", "value", "unit", "status", "period"):
            lines.append([doc_id, start, end, name, form.get(name, ""), None])
        return lines

    def _find_quote(self, doc_id: str, sentence_id: str, quote: str) -> tuple[int, int]:
        """The offsets of the quote inside the sentence, in the document's source text."""
        if not quote.strip():
            raise Refused("quote: type the figure as the sentence writes it")
        document = self._document(doc_id)
        if document is None or not sentence_id.isdigit():
            raise Refused(f"no published document {doc_id!r} with sentence {sentence_id!r}")
        sentences = read_dataset(self.data_dir / "sentences", SENTENCES, ["doc_id", "sentence_id", "start", "end"])
        span = next((s for s in sentences.to_pylist()
                     if s["doc_id"] == doc_id and s["sentence_id"] == int(sentence_id)), None)  # fmt: skip
        text = source_text(doc_id, document["source_path"])
        if span is None or text is None:
            raise Refused("the sentence or the document's source file cannot be found: run the pipeline again")
        at = text.find(quote.strip(), span["start"], span["end"])
        if at < 0:
            raise Refused(f"quote {quote.strip()!r} is not written in sentence {sentence_id} as typed")
        return at, at + len(quote.strip())

    def append(self, form: dict[str, str]) -> list[Correction]:
        """Check the form's lines with the file's and append them atomically; returns the new corrections."""
        if self._document(form.get("doc_id", "")) is None:
            raise Refused(f"no published document {form.get('doc_id')!r}")
        with self._lock:
            old = self._file_text()
            if old and not old.endswith("\n"):
                old += "\n"
            new = old + "".join(_csv_line(line) for line in self._lines_of(form))
            try:
                parsed = parse_corrections(new, self._codes)
                documents = read_dataset(self.data_dir / "documents", DOCUMENTS, ["doc_id", "chars"]).to_pylist()
                check_offsets(parsed, {d["doc_id"]: d["chars"] for d in documents})
            except CorrectionsError as error:
                raise Refused(error.reason) from None
            self._replace(new)
            return parsed[len(parse_corrections(old, self._codes)) :]

    def _replace(self, text: str) -> None:
        self.corrections.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.corrections.with_name(f".{self.corrections.name}.{os.getpid()}.tmp")
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.corrections)
        folder = os.open(self.corrections.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _handler(site: ReviewSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "govreport-review"

        def log_message(self, format: str, *args: object) -> None:
            sys.stderr.write(f"review: {format % args}\n")

        def _send(self, status: HTTPStatus, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _message(self, status: HTTPStatus, text: str) -> None:
            from html import escape

            body = (f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>{status.value}</title>'
                    f"<p>{escape(text)}</p><p><a href=\"javascript:history.back()\">back</a> · "
                    '<a href="/">all documents</a></p></html>')  # fmt: skip
            self._send(status, body.encode("utf-8"))

        def _foreign(self) -> bool:
            """Whether the request comes through another host name, or from another site's page."""
            port = self.server.server_address[1]
            own = {f"{HOST}:{port}", f"localhost:{port}"}
            origin = self.headers.get("Origin")
            if self.headers.get("Host") not in own or (
                origin is not None and origin not in {f"http://{o}" for o in own}
            ):
                self._message(HTTPStatus.FORBIDDEN, "refused: only pages of this server may use it")
                return True
            return False

        def do_GET(self) -> None:  # noqa: N802 (the base class's name)
            if self._foreign():
                return
            path = unquote(urlsplit(self.path).path)
            match = _PAGE.match(path)
            page = site.page(match.group(1) or "index.html") if match else None
            if page is None:
                self._message(HTTPStatus.NOT_FOUND, f"not found: {path}")
            else:
                self._send(HTTPStatus.OK, page)

        def do_POST(self) -> None:  # noqa: N802
            if self._foreign():
                return
            if urlsplit(self.path).path != ACTION:
                self._message(HTTPStatus.NOT_FOUND, "not found")
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_FORM_BYTES:
                self._message(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "form too large")
                return
            fields = parse_qs(self.rfile.read(length).decode("utf-8", "replace"), keep_blank_values=True)
            form = {name: values[-1] for name, values in fields.items()}
            try:
                added = site.append(form)
            except Refused as refused:
                self._message(HTTPStatus.BAD_REQUEST, f"not saved: {refused}")
                return
            self.log_message("saved %s", "; ".join(c.describe() for c in added))
            self.send_response(HTTPStatus.SEE_OTHER)  # back to the page, where the row now shows as pending
            self.send_header("Location", "/" + page_name(form["doc_id"]))
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


def make_server(data_dir: Path, corrections: Path, port: int) -> ThreadingHTTPServer:
    """The review server bound to 127.0.0.1:port (0: a free port)."""
    return ThreadingHTTPServer((HOST, port), _handler(ReviewSite(data_dir, corrections)))


def serve_review(data_dir: Path, corrections: Path, port: int) -> int:
    """Serve until interrupted; the command line's exit code."""
    if not (data_dir / "documents").exists():
        print(f"govreport: {data_dir} holds no published datasets: run `govreport run` first", file=sys.stderr)  # noqa: T201
        return 2
    try:
        parse_corrections(corrections.read_text(encoding="utf-8") if corrections.exists() else ",".join(HEADER))
    except (CorrectionsError, UnicodeDecodeError, OSError) as error:
        print(f"govreport: {corrections} {error}", file=sys.stderr)  # noqa: T201
        return 2
    server = make_server(data_dir, corrections, port)
    print(f"review pages on http://{HOST}:{server.server_port}/ ; corrections go to {corrections}")  # noqa: T201
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
