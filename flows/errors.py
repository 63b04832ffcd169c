"""The data folder's error log: tracebacks of what went wrong, kept out of the terminal."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

LOG_NAME = "govreport.log"
MAX_LOG_BYTES = 10 * 1024 * 1024  # then the log starts again: it is for the latest problems


def log_error(data_dir: Path, title: str, detail: str) -> Path | None:
    """Append `detail` (a traceback) under `title` to DIR/govreport.log; its path, or None if unwritable."""
    return log_errors(data_dir, [(title, detail)])


def log_errors(data_dir: Path, entries: Iterable[tuple[str, str]]) -> Path | None:
    """Append each (title, traceback) to DIR/govreport.log; its path, or None if it cannot be written."""
    entries = list(entries)
    if not entries:
        return None
    path = data_dir / LOG_NAME
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    text = "".join(f"--- {now} pid {os.getpid()} {title}\n{detail.rstrip()}\n" for title, detail in entries)
    try:
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            path.unlink()
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
    except OSError:
        return None  # a full disk or a read-only folder: the one-line message still stands
    return path
