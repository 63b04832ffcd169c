"""Reviewers' corrections in a run: read and check the file, apply it to a set of documents' mentions.

The `mentions` dataset keeps the raw extraction; a document's `indicators` are its mentions with
the corrections of the file applied (transforms/corrections.py). A run builds them for every
document it processes, and again for a published document whose lines in the file changed since
the last run (told by the `corrections` dataset, which records the lines a run applied): a changed
corrections file alone re-applies without extracting anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from expectations.suites import CHECK_COLUMNS
from flows.checks import with_check_columns
from flows.inputs import UsageError, discover_inputs, doc_id_of
from flows.resources import indicator_codes
from flows.store import read_dataset
from transforms.contracts import CORRECTIONS, DOCUMENTS, INDICATORS, MENTIONS
from transforms.corrections import (
    STALE,
    Correction,
    CorrectionsError,
    Source,
    apply_corrections,
    check_offsets,
    parse_corrections,
)
from transforms.ingest import IngestError, read_document


def source_text(doc_id: str, source_path: str) -> str | None:
    """The text of a document as extraction read it, if its file still holds the same bytes."""
    try:
        data = Path(source_path).read_bytes()
    except OSError:
        return None
    if doc_id_of(data) != doc_id:
        return None
    try:
        return read_document(Path(source_path).name, source_path, data).text
    except IngestError:
        return None


def _text_lengths(data_dir: Path, inputs: Sequence[Path], wanted: set[str]) -> dict[str, int]:
    """The text length of each wanted document: published, or among this run's input files."""
    documents = read_dataset(data_dir / "documents", DOCUMENTS, ["doc_id", "chars"]).to_pylist()
    lengths = {r["doc_id"]: r["chars"] for r in documents if r["doc_id"] in wanted}
    if wanted - lengths.keys():
        paths, _ = discover_inputs(list(inputs))
        for path in paths:
            try:
                doc_id = doc_id_of(path.read_bytes())
            except OSError:
                continue
            if doc_id in wanted and doc_id not in lengths:
                text = source_text(doc_id, str(path))
                if text is not None:
                    lengths[doc_id] = len(text)
    return lengths


def read_corrections(path: Path, data_dir: Path, inputs: Sequence[Path]) -> list[Correction]:
    """The corrections of the file at `path`, every line checked; raises UsageError naming the line.

    Offsets are checked against the text of the document, published or among the inputs; a
    line of a document found nowhere is not an error but stale.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such corrections file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot be read as UTF-8 text ({error})") from None
    try:
        corrections = parse_corrections(text, {c.code for c in indicator_codes().codes})
        check_offsets(corrections, _text_lengths(data_dir, inputs, {c.doc_id for c in corrections}))
    except CorrectionsError as error:
        raise UsageError(f"{path} {error}; nothing was published") from None
    return corrections


def _lines(corrections: Iterable[Correction]) -> dict[str, list[tuple]]:
    """Per document, what its lines ask, in file order (line numbers and notes aside)."""
    by_doc: dict[str, list[tuple]] = {}
    for c in corrections:
        by_doc.setdefault(c.doc_id, []).append((c.start, c.end, c.field, c.value))
    return by_doc


def recorded(data_dir: Path) -> pa.Table:
    """The corrections the last run recorded (the `corrections` dataset)."""
    return read_dataset(data_dir / "corrections", CORRECTIONS)


def changed_documents(corrections: Sequence[Correction], previous: pa.Table) -> set[str]:
    """The documents whose lines in the file differ from those the last run applied."""
    before = _lines(Correction(**{k: r[k] for k in ("line", "doc_id", "start", "end", "field", "value", "note")})
                    for r in previous.to_pylist())  # fmt: skip
    now = _lines(corrections)
    return {d for d in before.keys() | now.keys() if before.get(d) != now.get(d)}


def same_as_recorded(corrections: Sequence[Correction], previous: pa.Table) -> bool:
    """Whether the file says exactly what the `corrections` dataset recorded, notes and lines too."""
    columns = ("line", "doc_id", "start", "end", "field", "value", "note")
    mine = sorted((c.line, c.doc_id, c.start, c.end, c.field, c.value, c.note) for c in corrections)
    return mine == sorted(tuple(r[k] for k in columns) for r in previous.to_pylist())


def _sources(documents: pa.Table, sentences: pa.Table, doc_ids: set[str]) -> tuple[dict[str, str], dict[str, Source]]:
    texts: dict[str, str] = {}
    sources: dict[str, Source] = {}
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for s in sentences.select(["doc_id", "sentence_id", "start", "end"]).to_pylist():
        if s["doc_id"] in doc_ids:
            spans.setdefault(s["doc_id"], []).append((s["sentence_id"], s["start"], s["end"]))
    for d in documents.to_pylist():
        if d["doc_id"] not in doc_ids:
            continue
        text = source_text(d["doc_id"], d["source_path"])
        if text is None:
            continue  # the checks then fail on the document's rows: its earlier rows stay
        texts[d["doc_id"]] = text
        metadata = {"doc": d["doc"], "region_name": d["region"], "level": d["level"], "report_year": d["report_year"]}
        sources[d["doc_id"]] = Source(text, sorted(spans.get(d["doc_id"], []), key=lambda s: s[1]), metadata)
    return texts, sources


def _has(table: pa.Table, doc_ids: set[str]) -> pa.ChunkedArray:
    return pc.is_in(table.column("doc_id"), value_set=pa.array(sorted(doc_ids), pa.string()))


def corrected_indicators(
    mentions: pa.Table, documents: pa.Table, sentences: pa.Table, corrections: Sequence[Correction]
) -> tuple[pa.Table, dict[int, str]]:
    """The `indicators` rows (with their check columns) of the documents in `documents`, from their
    mentions and the corrections; and what became of each of their corrections.

    Mentions with check columns (fresh from extraction) keep them where no correction applies;
    the other documents' rows are checked against their text, read again from the source file.
    """
    doc_ids = set(documents.column("doc_id").to_pylist())
    mine = [c for c in corrections if c.doc_id in doc_ids]
    checks = CHECK_COLUMNS["indicators"]
    checked = all(name in mentions.column_names for name in checks)
    touched = {c.doc_id for c in mine} if checked else doc_ids
    outcome = {c.line: STALE for c in mine}
    if not touched:
        return mentions, outcome
    plain = mentions.select([n for n in mentions.column_names if n not in checks])
    rows = plain.filter(_has(plain, touched)).to_pylist()
    texts, sources = _sources(documents, sentences, touched)
    applied, decided = apply_corrections(rows, mine, sources, indicator_codes().code_for)
    outcome.update(decided)
    table = with_check_columns("indicators", pa.Table.from_pylist(applied, schema=INDICATORS.schema), texts)
    if checked:
        kept = mentions.filter(pc.invert(_has(mentions, touched)))
        table = pa.concat_tables([kept.select(table.column_names).cast(table.schema), table])
    return table, outcome


def mentions_of(indicators: pa.Table) -> pa.Table:
    """The raw extraction's table for the `mentions` suite: the extracted rows, their mention checks."""
    return indicators.select([f.name for f in MENTIONS.schema] + list(CHECK_COLUMNS["mentions"]))


def corrections_table(corrections: Sequence[Correction], status: dict[int, str]) -> pa.Table:
    """The `corrections` dataset: every line with what became of it (stale if no run decided it)."""
    rows = [
        {"line": c.line, "doc_id": c.doc_id, "start": c.start, "end": c.end, "field": c.field, "value": c.value,
         "note": c.note, "status": status.get(c.line, STALE)}
        for c in corrections
    ]  # fmt: skip
    return pa.Table.from_pylist(rows, schema=CORRECTIONS.schema)
