"""The `govreport` command line.

Exit codes: 0 every input was processed and every check passed; 1 some input was
rejected, a check failed, or the data folder was busy (with --no-wait); 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
INTERRUPTS = {signal.SIGINT, signal.SIGTERM}

# Set before Prefect is imported. A fresh machine's first start of Prefect's local
# server creates its database and takes longer than Prefect's default 20 s timeout.
ENVIRONMENT_DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    # Arrow's default allocator (mimalloc) keeps freed memory for reuse: with a batch's
    # tables coming and going, the process grew by tens of MB a batch. The system
    # allocator gives it back.
    "ARROW_DEFAULT_MEMORY_POOL": "system",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govreport",
        description="Turn Chinese government work reports into validated Parquet indicator datasets.",
        epilog="exit codes: 0 all good; 1 some input rejected, a check failed or the data folder busy; 2 usage error",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run",
        help="read reports and publish the datasets",
        description="Read every report (.txt, .html, .htm) under PATH and publish the documents, sentences, "
        "tokens, indicators and rejects datasets under DIR, each validated by its Great Expectations suite. "
        "Files already published unchanged are not processed again.",
        epilog="exit codes: 0 all good; 1 some input rejected, a check failed or the data folder busy; 2 usage error",
    )
    run.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="a report file or a folder (searched recursively); default: seeds/",
    )
    run.add_argument(
        "--data-dir", type=Path, default=Path("data"), metavar="DIR", help="where the datasets go (default: data/)"
    )
    run.add_argument(
        "--manifest",
        type=Path,
        metavar="FILE",
        help="CSV or TSV with columns file, region, level, year that override what the text says",
    )
    run.add_argument(
        "--corrections",
        type=Path,
        metavar="FILE",
        help="reviewers' corrections: a CSV with the header doc_id,start,end,field,value,note (see README)",
    )
    run.add_argument("--full", action="store_true", help="reprocess every file, even those published unchanged")
    run.add_argument(
        "--runner",
        choices=["processes", "threads", "dask"],
        default="processes",
        help="where the stage tasks run: a process pool on both cores (default), threads, or a Dask cluster",
    )
    run.add_argument(
        "--dask-address",
        metavar="tcp://HOST:PORT",
        help="the Dask scheduler for --runner dask (default: a local cluster)",
    )
    run.add_argument(
        "--no-wait", action="store_true", help="refuse to run, rather than wait, while another run writes DIR"
    )
    review = commands.add_parser(
        "review",
        help="serve the review pages with forms that append corrections",
        description="Serve DIR/quality/review on 127.0.0.1 with a form on every row (correct or drop it) and "
        "on every sentence (add a missed figure); saving appends a line to FILE, applied by the next run "
        "given --corrections FILE.",
    )
    review.add_argument("--data-dir", type=Path, default=Path("data"), metavar="DIR", help="default: data/")
    review.add_argument("--corrections", type=Path, required=True, metavar="FILE", help="the corrections file")
    review.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default: 8765; 0: any free)")
    return parser


def _watch_interrupts() -> None:
    """End the run on Ctrl-C or SIGTERM from a thread of its own, whatever the main thread is doing.

    Blocked in every thread (and so in Prefect's, which would turn SIGTERM into a crash it
    reports, and its worker pool, which would wait for running batches), then taken by sigwait.
    Blocked first thing, before any other thread exists, so none of them takes the signal.
    """
    from multiprocessing import resource_tracker

    import psutil  # noqa: F401 (for _end_children, which must not import while the main thread does)

    # Started now, before the mask: starting it later (with the worker pool) unblocks both
    # signals in the thread that starts it.
    resource_tracker.ensure_running()
    signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTS)
    threading.Thread(target=_end_on_interrupt, name="govreport interrupts", daemon=True).start()


def _end_on_interrupt() -> None:
    number = signal.sigwait(INTERRUPTS)
    # Not a daemon: the interpreter waits for it before it exits, so the main thread, whose
    # workers are about to vanish, cannot end the process with its own exit code first.
    threading.Thread(target=_interrupt, args=(number,), name="govreport interrupt", daemon=False).start()


def _interrupt(number: int) -> None:
    terminal = os.dup(2)
    line = "interrupted: published data unchanged"
    try:  # whatever happens here, the run ends: one line, the signal's exit code
        store = sys.modules.get("flows.store")  # not imported here: the main thread may hold the import lock
        if store is not None:
            store.PUBLISH_LOCK.acquire(timeout=30)  # a publish under way ends first; no later one starts
            if store.published_here:
                line = "interrupted after publishing: the new data is complete"
        # From here the run's other threads see their workers vanish and would log tracebacks:
        # the terminal gets the one line instead.
        silent = os.open(os.devnull, os.O_WRONLY)
        os.dup2(silent, 1)
        os.dup2(silent, 2)
        _end_children()
    finally:
        os.write(terminal, f"govreport: {line}\n".encode())
        os._exit(128 + number)  # 130 for Ctrl-C, 143 for SIGTERM; the lock goes with the process


def _end_children() -> None:
    """End the worker processes and the temporary Prefect server: asked first, then killed."""
    import psutil  # imported already (by _watch_interrupts): no import lock to wait for

    children = psutil.Process().children(recursive=True)
    for child in children:
        try:
            child.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(children, timeout=3)
    for child in alive:
        try:
            child.kill()
        except psutil.Error:
            pass


def _print_summary(summary, data_dir: Path) -> None:  # noqa: ANN001 (a RunSummary, imported lazily)
    from flows.inputs import printable

    print(f"documents: {summary.found} found, {summary.processed} processed, {summary.unchanged} unchanged")
    published = f"{summary.published_indicators} published in {data_dir / 'indicators'}"
    print(f"indicators: {summary.new_indicators} new, {published}")
    checks_failed = len(summary.failures)
    print(f"checks: {summary.validations} suite run(s), {checks_failed} failed expectation(s)")
    for failure in summary.failures:
        print(f"  FAILED {printable(failure.describe())}")
    for reject in summary.rejects:
        print(f"  rejected {printable(reject.file)} [{reject.stage}]: {printable(reject.reason)}")
    if summary.corrections_applied or summary.stale:
        print(f"corrections: {summary.corrections_applied} line(s) applied, {len(summary.stale)} stale")
    for correction in summary.stale:
        print(f"  stale correction {printable(correction.describe())}: its key matches no mention")
    if summary.passed_over:
        print(f"  {len(summary.passed_over)} other file(s) passed over (tables, dictionaries, duplicates)")
    for label, path in (("data quality report", summary.docs_index), ("review pages", summary.review_index),
                        ("DuckDB catalog", summary.catalog)):  # fmt: skip
        if path:
            print(f"{label}: {path}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "review":
        from flows.review_server import serve_review

        return serve_review(args.data_dir, args.corrections, args.port)
    _watch_interrupts()
    from flows.memory import ENVIRONMENT, return_freed_memory

    for name, value in (ENVIRONMENT_DEFAULTS | ENVIRONMENT).items():
        os.environ.setdefault(name, value)
    return_freed_memory()
    from flows.inputs import UsageError, discover_inputs, printable, read_manifest
    from flows.store import DataFolderError, prepare_data_dir

    paths = tuple(args.paths or [Path("seeds")])
    try:  # usage errors are caught here, before a flow run starts, so none logs a traceback
        discover_inputs(list(paths), exclude=[args.data_dir])
        if args.manifest:
            read_manifest(args.manifest)
        prepare_data_dir(args.data_dir)
        if args.corrections:
            from flows.corrections import read_corrections

            read_corrections(args.corrections, args.data_dir, paths)
    except (UsageError, DataFolderError) as error:
        print(f"govreport: {printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    from flows.pipeline import RunConfig, run
    from flows.server import ServerStartError, prefect_api

    if args.dask_address and args.runner != "dask":
        print("govreport: --dask-address needs --runner dask", file=sys.stderr)
        return EXIT_USAGE
    config = RunConfig(
        paths=paths, data_dir=args.data_dir, manifest=args.manifest, corrections=args.corrections, full=args.full,
        wait=not args.no_wait, runner=args.runner, dask_address=args.dask_address,
    )  # fmt: skip
    try:
        with prefect_api(preload=["great_expectations"]):
            summary = run(config)  # a run with problems ends Failed in Prefect, its summary the state's data
    except ServerStartError as error:
        print(f"govreport: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    if summary.error:
        print(f"govreport: {printable(summary.error)}", file=sys.stderr)
        return EXIT_PROBLEMS
    _print_summary(summary, args.data_dir)
    return EXIT_OK if summary.ok else EXIT_PROBLEMS


if __name__ == "__main__":
    sys.exit(main())
