"""Scheduled runs: the pipeline every day at 06:00 Beijing time, then the DuckDB catalog.

`python -m flows.schedule [--input-dir DIR] [--data-dir DIR] [--manifest FILE] [--corrections FILE]` (what
`make serve` runs) serves the deployment `govreport-scheduled/govreport-daily` from this
process: no work pool, no worker. Schedules fire only on a Prefect server that runs its
scheduler service, which the temporary server Prefect starts by itself does not: so the
server is the one PREFECT_API_URL names, or one already answering on 127.0.0.1:4200, or one
started here (`prefect server start`, UI at http://127.0.0.1:4200) and stopped on exit.
`prefect.yaml` declares the same deployment for `prefect deploy` with a work pool.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.schedules import Cron
from prefect.states import Failed, State

from flows.cli import ENVIRONMENT_DEFAULTS
from flows.corrections import read_corrections
from flows.inputs import discover_inputs, read_manifest
from flows.pipeline import RunConfig, failure_message, run
from flows.server import exported_api_url

DEPLOYMENT_NAME = "govreport-daily"
CRON = "0 6 * * *"
TIMEZONE = "Asia/Shanghai"
SERVER_HOST = "127.0.0.1"
SERVER_PORT = 4200
SERVER_STARTUP_SECONDS = 120


class SchedulerUnavailable(RuntimeError):
    """No Prefect server to schedule runs on could be reached or started."""


@flow(name="govreport-scheduled", log_prints=False)
def scheduled_run(
    input_dir: str = "seeds", data_dir: str = "data", manifest: str | None = None, corrections: str | None = None
) -> dict[str, Any] | State:
    """Run the pipeline on input_dir into data_dir (which rebuilds the catalog); returns the run's counts,
    as the data of a Failed state when a check failed or an input was rejected.

    Relative paths are taken from the working directory of the process that runs the flow
    (the repository root under `make serve` and under `prefect deploy` run from there).
    """
    config = RunConfig(paths=(Path(input_dir),), data_dir=Path(data_dir), manifest=Path(manifest) if manifest else None,
                       corrections=Path(corrections) if corrections else None)  # fmt: skip
    discover_inputs(list(config.paths))  # a missing input folder fails the run here, saying which
    if config.manifest:
        read_manifest(config.manifest)
    if config.corrections:  # so does a bad corrections file, naming the line
        read_corrections(config.corrections, config.data_dir, config.paths)
    summary = run(config)  # its summary, whether the pipeline run ended Completed or Failed
    if summary.error:
        raise RuntimeError(summary.error)
    result = {
        "found": summary.found,
        "processed": summary.processed,
        "unchanged": summary.unchanged,
        "new_indicators": summary.new_indicators,
        "published_documents": summary.published_documents,
        "published_indicators": summary.published_indicators,
        "failed_checks": len(summary.failures),
        "rejects": len(summary.rejects),
        "ok": summary.ok,
        "corrections_applied": summary.corrections_applied,
        "stale_corrections": [c.describe() for c in summary.stale],
        "catalog": str(summary.catalog) if summary.catalog else None,
    }
    if not summary.ok:
        # Failed, not Completed with a warning: Prefect's notifications and automations see it.
        get_run_logger().warning("some input was rejected or a check failed: %s", result)
        return Failed(message=failure_message(summary), data=result)
    return result


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def _api_url_set(url: str) -> Iterator[None]:
    """PREFECT_API_URL in this process's settings and in the environment its flow runs inherit."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: url}), exported_api_url(url):
        yield


@contextlib.contextmanager
def scheduling_server(port: int = SERVER_PORT) -> Iterator[str]:
    """The API URL of a Prefect server that runs schedules: configured, already running, or started here."""
    from prefect.settings import get_current_settings

    configured = get_current_settings().api.url
    if configured:
        if not _healthy(str(configured)):
            raise SchedulerUnavailable(
                f"PREFECT_API_URL={configured} does not answer: start that server, or unset PREFECT_API_URL "
                "to have a local one started"
            )
        yield str(configured)
        return
    url = f"http://{SERVER_HOST}:{port}/api"
    if _healthy(url):
        with _api_url_set(url):
            yield url
        return
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", SERVER_HOST, "--port", str(port)]
    server = subprocess.Popen(command, env={**ENVIRONMENT_DEFAULTS, **os.environ})
    try:
        deadline = time.monotonic() + SERVER_STARTUP_SECONDS
        while not _healthy(url):
            if server.poll() is not None:
                started = " ".join(command)
                raise SchedulerUnavailable(f"`{started}` exited with code {server.returncode}: see its output")
            if time.monotonic() > deadline:
                raise SchedulerUnavailable(f"the Prefect server did not answer on {url} in {SERVER_STARTUP_SECONDS} s")
            time.sleep(0.5)
        with _api_url_set(url):
            yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def serve(
    input_dir: Path, data_dir: Path, manifest: Path | None = None, port: int = SERVER_PORT,
    corrections: Path | None = None,
) -> None:  # fmt: skip
    """Serve the daily deployment from this process until it is stopped (Ctrl-C, SIGTERM)."""
    from prefect import serve as serve_deployments
    from prefect.types.entrypoint import EntrypointType

    parameters = {
        "input_dir": str(input_dir.absolute()),
        "data_dir": str(data_dir.absolute()),
        "manifest": str(manifest.absolute()) if manifest else None,
        "corrections": str(corrections.absolute()) if corrections else None,
    }
    # A deployment, not `scheduled_run.serve()`: that runs the in-memory flow, pickled by value
    # (cloudpickle), and the pickled run_pipeline loses the globals its string annotations name
    # (RunConfig), so its parameters fail validation. A deployment is imported by each run's
    # process, by module path, the way a worker would: wherever the package is installed.
    deployment = scheduled_run.to_deployment(
        name=DEPLOYMENT_NAME,
        schedules=[Cron(CRON, timezone=TIMEZONE)],
        parameters=parameters,
        description=f"govreport on {parameters['input_dir']} into {parameters['data_dir']}, daily",
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    with scheduling_server(port):
        serve_deployments(deployment, limit=1)  # a run still going at the next 06:00 is not joined by another


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m flows.schedule",
        description=f"Serve the govreport pipeline on the schedule '{CRON}' ({TIMEZONE}) until stopped.",
    )
    input_dir = Path(os.environ.get("GOVREPORT_INPUT_DIR", "seeds"))
    data_dir = Path(os.environ.get("GOVREPORT_DATA_DIR", "data"))
    parser.add_argument("--input-dir", type=Path, default=input_dir, metavar="DIR",
                        help="the reports to read (default: $GOVREPORT_INPUT_DIR or seeds/)")  # fmt: skip
    parser.add_argument("--data-dir", type=Path, default=data_dir, metavar="DIR",
                        help="where the datasets go (default: $GOVREPORT_DATA_DIR or data/)")  # fmt: skip
    parser.add_argument("--manifest", type=Path, metavar="FILE", help="CSV or TSV overriding region, level, year")
    parser.add_argument("--corrections", type=Path, metavar="FILE",
                        help="reviewers' corrections applied by every run (see README)")  # fmt: skip
    parser.add_argument("--port", type=int, default=SERVER_PORT,
                        help=f"port of the Prefect server to use or start, when PREFECT_API_URL is unset "
                             f"(default: {SERVER_PORT})")  # fmt: skip
    args = parser.parse_args(argv)
    for name, value in ENVIRONMENT_DEFAULTS.items():
        os.environ.setdefault(name, value)
    if not args.input_dir.exists():
        parser.error(f"{args.input_dir}: no such file or folder")
    serve(args.input_dir, args.data_dir, args.manifest, args.port, args.corrections)
    return 0


if __name__ == "__main__":
    # Run through the imported module, so that the served flow is flows.schedule.scheduled_run,
    # not __main__.scheduled_run, which no flow run process could import.
    from flows.schedule import main as _main

    sys.exit(_main())
