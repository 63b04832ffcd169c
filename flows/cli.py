"""The `govreport` command line.

Exit codes: 0 every input was processed and every check passed; 1 some input was
rejected, a check failed, or the data folder was busy (with --no-wait); 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

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


def _print_summary(summary, data_dir: Path) -> None:  # noqa: ANN001 (a RunSummary, imported lazily)
    print(f"documents: {summary.found} found, {summary.processed} processed, {summary.unchanged} unchanged")
    published = f"{summary.published_indicators} published in {data_dir / 'indicators'}"
    print(f"indicators: {summary.new_indicators} new, {published}")
    checks_failed = len(summary.failures)
    print(f"checks: {summary.validations} suite run(s), {checks_failed} failed expectation(s)")
    for failure in summary.failures:
        print(f"  FAILED {failure.describe()}")
    for reject in summary.rejects:
        print(f"  rejected {reject.file} [{reject.stage}]: {reject.reason}")
    if summary.corrections_applied or summary.stale:
        print(f"corrections: {summary.corrections_applied} line(s) applied, {len(summary.stale)} stale")
    for correction in summary.stale:
        print(f"  stale correction {correction.describe()}: its key matches no mention")
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
    from flows.memory import ENVIRONMENT, return_freed_memory

    for name, value in (ENVIRONMENT_DEFAULTS | ENVIRONMENT).items():
        os.environ.setdefault(name, value)
    return_freed_memory()
    from flows.inputs import UsageError, discover_inputs, read_manifest

    paths = tuple(args.paths or [Path("seeds")])
    try:  # usage errors are caught here, before a flow run starts, so none logs a traceback
        discover_inputs(list(paths))
        if args.manifest:
            read_manifest(args.manifest)
        if args.corrections:
            from flows.corrections import read_corrections

            read_corrections(args.corrections, args.data_dir, paths)
    except UsageError as error:
        print(f"govreport: {error}", file=sys.stderr)
        return EXIT_USAGE
    from flows.pipeline import RunConfig, run
    from flows.server import prefect_api

    if args.dask_address and args.runner != "dask":
        print("govreport: --dask-address needs --runner dask", file=sys.stderr)
        return EXIT_USAGE
    config = RunConfig(
        paths=paths, data_dir=args.data_dir, manifest=args.manifest, corrections=args.corrections, full=args.full,
        wait=not args.no_wait, runner=args.runner, dask_address=args.dask_address,
    )  # fmt: skip
    with prefect_api(preload=["great_expectations"]):
        summary = run(config)  # a run with problems ends Failed in Prefect, its summary the state's data
    if summary.error:
        print(f"govreport: {summary.error}", file=sys.stderr)
        return EXIT_PROBLEMS
    _print_summary(summary, args.data_dir)
    return EXIT_OK if summary.ok else EXIT_PROBLEMS


if __name__ == "__main__":
    sys.exit(main())
