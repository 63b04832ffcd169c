"""Keeping a long run's memory flat: freed memory goes back to the OS rather than staying with the process.

Arrow buffers, pandas frames and a batch's millions of small objects come and go with
every batch. glibc's malloc keeps what they free for reuse, so a process's resident
memory follows the largest batch it has seen plus fragmentation, in each of the run's
processes. These settings hand it back.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

# glibc reads these at process start (worker processes inherit them): blocks over 64 KiB
# are mapped on their own and unmapped when freed, instead of glibc raising that limit
# to the largest block freed so far; free memory over 128 KiB at the heap's top goes back.
ENVIRONMENT = {"MALLOC_MMAP_THRESHOLD_": str(64 * 1024), "MALLOC_TRIM_THRESHOLD_": str(128 * 1024)}
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's names for them


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018 (only glibc has it)
    except (OSError, AttributeError):
        return None  # another C library: its allocator's defaults stand
    return libc


def return_freed_memory() -> None:
    """Apply ENVIRONMENT to this process, already started (glibc read the environment then)."""
    if libc := _glibc():
        libc.mallopt(_M_MMAP_THRESHOLD, int(ENVIRONMENT["MALLOC_MMAP_THRESHOLD_"]))
        libc.mallopt(_M_TRIM_THRESHOLD, int(ENVIRONMENT["MALLOC_TRIM_THRESHOLD_"]))


def release_memory() -> None:
    """Give the free pages of every malloc arena back: called between batches.

    (No gc.collect: a batch's objects hold no cycles, and a full collection in a process
    that has Prefect and GX loaded costs a third of a second.)
    """
    if libc := _glibc():
        libc.malloc_trim(0)
