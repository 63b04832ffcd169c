"""Where the stage tasks run: a process pool on this machine (default), threads, or Dask."""

from __future__ import annotations

import os
import signal
import threading
import time

RUNNERS = ("processes", "threads", "dask")


def make_task_runner(kind: str, dask_address: str | None = None, workers: int | None = None):  # noqa: ANN201
    """A Prefect task runner of `kind`.

    processes: both cores, one jieba per worker process (jieba holds the GIL, so threads
    do not add speed); threads: one process, for debugging; dask: prefect-dask's
    DaskTaskRunner on the cluster at `dask_address`, or on a local cluster of `workers`
    single-threaded worker processes when no address is given.
    """
    workers = workers or os.cpu_count() or 1
    if kind == "processes":
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=workers, initializer=watch_parent, initargs=(os.getpid(),))
    if kind == "threads":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=workers)
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True})
    raise ValueError(f"unknown runner {kind!r}: choose one of {', '.join(RUNNERS)}")


def watch_parent(parent: int) -> None:
    """In a worker process: end it when the run's process is gone (even after kill -9), and leave
    Ctrl-C to the run, which ends its workers itself (see flows.cli)."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # blocked in the run (inherited)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="govreport parent watch", daemon=True).start()
