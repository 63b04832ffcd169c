"""Extraction in one process, without Prefect: ingest -> segment -> extract over a folder, as JSONL.

usage: python bench/extraction.py FOLDER OUT.jsonl [--manifest FILE]  (text, HTML, Word and PDF files)

The quick loop for working on the extractor: it runs the same transforms as the pipeline
(the real tokenizer, the document metadata, a manifest's overrides) and writes the rows
`../shared/eval/score.py` reads, with the time it took.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from flows.resources import places, tokenizer, vocabulary  # noqa: E402
from transforms.extract import extract_indicators  # noqa: E402
from transforms.ingest import read_document, split_sentences  # noqa: E402
from transforms.segment import segment_sentences  # noqa: E402


def _manifest(path: Path | None) -> dict[str, dict[str, str]]:
    if path is None:
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--manifest", type=Path, help="TSV with file, region, level, year (as SOURCES.tsv)")
    args = parser.parse_args()
    overrides = _manifest(args.manifest)
    words = tokenizer()
    began = time.perf_counter()
    rows = []
    readable = (".txt", ".html", ".htm", ".docx", ".pdf")
    for path in sorted(p for p in args.folder.rglob("*") if p.suffix.lower() in readable):
        document = read_document(path.name, str(path), path.read_bytes(), places())
        if path.name in overrides:
            row = overrides[path.name]
            document = dataclasses.replace(
                document, region=row["region"], level=row["level"], report_year=int(row["year"])
            )
        sentences = split_sentences(document)
        for indicator in extract_indicators(document, sentences, segment_sentences(sentences, words), vocabulary()):
            rows.append(dataclasses.asdict(indicator))
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    sys.stderr.write(f"{len(rows)} rows in {time.perf_counter() - began:.1f} s\n")


if __name__ == "__main__":
    main()
