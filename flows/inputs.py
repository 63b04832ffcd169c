"""Finding the input reports and reading the manifest that overrides their metadata."""

from __future__ import annotations

import csv
import errno
import hashlib
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

from transforms.contracts import LEVELS

REPORT_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx", ".doc")
# Tables and notes that live beside reports in a folder: passed over, not rejected.
SIDE_FILE_SUFFIXES = (".tsv", ".csv", ".md", ".json", ".jsonl", ".yaml", ".yml", ".dict")
DATA_FOLDER_MARKER = ".govreport-data"  # written by flows.store into every data folder
MANIFEST_COLUMNS = ("file", "region", "level", "year")
MAX_CELL = 1000  # characters: a path or a region name is far shorter; more is a wrong file


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


def shown_path(path: Path | str) -> str:
    """`path` as text that stores and prints: a name that is not UTF-8 read as GB18030 (a GBK
    name from a Windows archive), else its undecodable bytes as %XX.

    >>> shown_path(os.fsdecode("/数据/".encode() + b"\\xb1\\xa8\\xb8\\xe6.txt"))
    '/数据/报告.txt'
    >>> shown_path(os.fsdecode(b"/in/\\xff.txt"))
    '/in/%FF.txt'
    """
    return "/".join(_shown_name(part) for part in os.fsencode(path).split(b"/"))


def _shown_name(raw: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    text = raw.decode("utf-8", "surrogateescape")
    return "".join(f"%{ord(c) - 0xDC00:02X}" if 0xDC80 <= ord(c) <= 0xDCFF else c for c in text)


def printable(text: str) -> str:
    r"""`text` with control and other unprintable characters escaped, for a terminal.

    >>> printable("a\x1b[31mb\n")
    'a\\x1b[31mb\\n'
    """
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def is_data_folder(folder: Path) -> bool:
    """Whether `folder` is a govreport data folder (it holds the marker the store writes)."""
    return (folder / DATA_FOLDER_MARKER).is_file()


def _walk(root: Path, exclude: frozenset[Path]) -> list[Path]:
    """Files below `root`, sorted; symbolic links are not followed out of it, data folders are skipped."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".") and not is_data_folder(Path(folder) / d)
            and Path(os.path.abspath(Path(folder) / d)) not in exclude
        )  # fmt: skip
        found += [Path(folder) / f for f in sorted(files) if not f.startswith(".")]
    return found


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as a report file (a FIFO would block a run forever), or None."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop: not followed"
        if path.is_symlink():
            return "broken symbolic link: its target does not exist"
        return f"cannot be read: {error.strerror or error}"
    if stat.S_ISREG(mode):
        return None
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"not a regular file ({kind}): not read"


def discover_inputs(paths: list[Path], exclude: Sequence[Path] = ()) -> tuple[list[Path], list[Skipped]]:
    """The report files under `paths` (files, or folders searched recursively), and the rest.

    Folders in `exclude` (the data folder) and every govreport data folder are not searched:
    a run must never read its own output. Paths are absolute: one file, one name.
    """
    files: list[Path] = []
    skipped: dict[Path, Skipped] = {}
    excluded = frozenset(Path(os.path.abspath(p)) for p in exclude)
    for given in paths:
        if not given.exists() and not given.is_symlink():
            raise UsageError(f"{printable(shown_path(given))}: no such file or folder")
        given = Path(os.path.abspath(given))
        if given.is_dir() and (is_data_folder(given) or given in excluded):
            raise UsageError(f"{printable(shown_path(given))}: a govreport data folder, not reports; give the inputs")
        walked = _walk(given, excluded) if given.is_dir() else []
        candidates = [(p, given) for p in walked] if given.is_dir() else [(given, given.parent)]
        for path, root in candidates:
            suffix = path.suffix.lower()
            if path.is_symlink() and not _inside(path, root):
                why = _not_a_file(path) or "symbolic link to a file outside the input folder: not followed"
                skipped[path] = Skipped(path, why, True)
            elif suffix in SIDE_FILE_SUFFIXES:
                skipped[path] = Skipped(path, f"a {suffix} file, not a report: passed over", False)
            elif suffix not in REPORT_SUFFIXES:
                kinds = ", ".join(REPORT_SUFFIXES)
                shown = printable(suffix) or "(none)"
                skipped[path] = Skipped(path, f"unsupported file type {shown}: govreport reads {kinds}", True)
            elif why := _not_a_file(path):
                skipped[path] = Skipped(path, why, True)
            else:
                files.append(path)
    return sorted(set(files), key=str), [skipped[p] for p in sorted(skipped, key=str)]


_REGION = re.compile(r"^[^\x00-\x1f/\\]{1,40}$")


_YEAR = re.compile(r"^[0-9]{4}$")  # ASCII digits only: str.isdigit() also takes ²⁰²³


def _parse_override(row: dict[str, str], where: str) -> Override:
    region = (row.get("region") or "").strip() or None
    level = (row.get("level") or "").strip() or None
    year_text = (row.get("year") or "").strip()
    if region is not None and not _REGION.match(region):
        raise UsageError(
            f"{where}: region {printable(region)!r} is not a plain name "
            "(no slashes or control characters, 1-40 characters)"
        )
    if level is not None and level not in LEVELS:
        raise UsageError(f"{where}: level {printable(level)!r} is not one of {', '.join(LEVELS)}")
    year = None
    if year_text:
        if not _YEAR.match(year_text) or not 1949 <= int(year_text) <= 2100:
            raise UsageError(f"{where}: year {printable(year_text)!r} is not a year between 1949 and 2100 in digits")
        year = int(year_text)
    return Override(region=region, level=level, year=year)


def read_manifest(path: Path) -> dict[str, Override]:
    """Overrides by file name (base name or path as written) from a CSV or TSV manifest.

    Strict: a wrong header, a duplicate file or a bad cell is a usage error naming the line,
    never a manifest silently ignored.
    """
    shown = printable(shown_path(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"manifest {shown}: cannot be read as UTF-8 text ({error})") from None
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" or "\t" in text.split("\n", 1)[0] else "excel"
    rows = csv.reader(text.splitlines(), dialect=dialect)
    overrides: dict[str, Override] = {}
    lines: dict[str, int] = {}
    try:
        header = [name.strip() for name in next(rows, [])]
        # Other columns (notes, sources) are passed over; one that looks like a misspelled
        # column would silently lose its overrides, so it is an error.
        misspelled = [n for n in header if n not in MANIFEST_COLUMNS and get_close_matches(n, MANIFEST_COLUMNS, 1, 0.6)]
        known = [n for n in header if n in MANIFEST_COLUMNS]
        if "file" not in known or len(known) < 2 or misspelled or len(set(known)) != len(known):
            found = ", ".join(printable(n) for n in header) or "nothing"
            raise UsageError(
                f"manifest {shown}, line 1: the header must name the column file and one or more of region, level, "
                f"year, each once; found {found}"
            )
        for number, cells in enumerate(rows, start=2):
            where = f"manifest {shown}, line {number}"
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise UsageError(f"{where}: {len(cells)} cell(s) where the header has {len(header)}")
            if any(len(c) > MAX_CELL for c in cells):
                raise UsageError(f"{where}: a cell longer than {MAX_CELL} characters")
            row = dict(zip(header, cells, strict=True))
            name = row["file"].strip()
            if not name:
                raise UsageError(f"{where}: no file named")
            if name in lines:
                raise UsageError(f"{where}: {printable(name)!r} is already given on line {lines[name]}")
            lines[name] = number
            overrides[name] = _parse_override(row, where)
    except csv.Error as error:
        raise UsageError(f"manifest {shown}, line {rows.line_num}: {error}") from None
    return overrides


def override_for(path: Path, overrides: dict[str, Override]) -> Override:
    """The manifest's override for `path`: by its longest matching trailing path, else none."""
    parts = path.parts
    for length in range(len(parts), 0, -1):
        key = "/".join(parts[-length:])
        if key in overrides:
            return overrides[key]
    return Override()
