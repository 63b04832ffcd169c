"""Finding the input reports and reading the manifest that overrides their metadata."""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from transforms.contracts import LEVELS

REPORT_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx", ".doc")
# Tables and notes that live beside reports in a folder: passed over, not rejected.
SIDE_FILE_SUFFIXES = (".tsv", ".csv", ".md", ".json", ".jsonl", ".yaml", ".yml", ".dict")


class UsageError(ValueError):
    """The command line or the manifest is wrong; the message says how to fix it."""


@dataclass(frozen=True)
class Override:
    """Metadata a manifest gives for one file; None where it says nothing."""

    region: str | None = None
    level: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class InputFile:
    """A report file to read, with its manifest override and a hash of its bytes."""

    path: Path
    name: str
    doc_id: str
    override: Override


@dataclass(frozen=True)
class Skipped:
    """A file that was found but will not be read, and why."""

    path: Path
    reason: str
    rejected: bool  # True: the user must be told (bad input); False: a side file


def doc_id_of(data: bytes) -> str:
    """The document id: the first 16 hex digits of the bytes' SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]


def _walk(root: Path) -> list[Path]:
    """Files below `root`, sorted; symbolic links are not followed out of it."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(folder) / f for f in sorted(files) if not f.startswith(".")]
    return found


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def discover_inputs(paths: list[Path]) -> tuple[list[Path], list[Skipped]]:
    """The report files under `paths` (files, or folders searched recursively), and the rest."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    for given in paths:
        if not given.exists() and not given.is_symlink():
            raise UsageError(f"{given}: no such file or folder")
        candidates = [(given, given.parent)] if not given.is_dir() else [(p, given) for p in _walk(given)]
        for path, root in candidates:
            suffix = path.suffix.lower()
            if path.is_symlink() and not _inside(path, root):
                skipped.append(Skipped(path, "symbolic link to a file outside the input folder: not followed", True))
            elif suffix in SIDE_FILE_SUFFIXES:
                skipped.append(Skipped(path, f"a {suffix} file, not a report: passed over", False))
            elif suffix not in REPORT_SUFFIXES:
                kinds = ", ".join(REPORT_SUFFIXES)
                skipped.append(
                    Skipped(path, f"unsupported file type {suffix or '(none)'}: govreport reads {kinds}", True)
                )
            else:
                files.append(path)
    # Absolute, so that a file is the same file however the command line named it.
    return sorted({p.absolute() for p in files}, key=str), skipped


_REGION = re.compile(r"^[^\x00-\x1f/\\]{1,40}$")


def _parse_override(row: dict[str, str], where: str) -> Override:
    region = (row.get("region") or "").strip() or None
    level = (row.get("level") or "").strip() or None
    year_text = (row.get("year") or "").strip()
    if region is not None and not _REGION.match(region):
        raise UsageError(
            f"{where}: region {region!r} is not a plain name (no slashes or control characters, 1-40 characters)"
        )
    if level is not None and level not in LEVELS:
        raise UsageError(f"{where}: level {level!r} is not one of {', '.join(LEVELS)}")
    year = None
    if year_text:
        if not year_text.isdigit() or not 1949 <= int(year_text) <= 2100:
            raise UsageError(f"{where}: year {year_text!r} is not a year between 1949 and 2100")
        year = int(year_text)
    return Override(region=region, level=level, year=year)


def read_manifest(path: Path) -> dict[str, Override]:
    """Overrides by file name (base name or path as written) from a CSV or TSV manifest."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"manifest {path}: cannot be read as UTF-8 text ({error})") from None
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" or "\t" in text.split("\n", 1)[0] else "excel"
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    if not reader.fieldnames or "file" not in reader.fieldnames:
        raise UsageError(f"manifest {path}: needs a header row with the columns file, region, level, year")
    overrides = {}
    for number, row in enumerate(reader, start=2):
        name = (row.get("file") or "").strip()
        if name:
            overrides[name] = _parse_override(row, f"manifest {path}, line {number}")
    return overrides


def override_for(path: Path, overrides: dict[str, Override]) -> Override:
    """The manifest's override for `path`: by its longest matching trailing path, else none."""
    parts = path.parts
    for length in range(len(parts), 0, -1):
        key = "/".join(parts[-length:])
        if key in overrides:
            return overrides[key]
    return Override()
