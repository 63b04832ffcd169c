"""Shared fixtures: paths to the seeds and the shared material, one Prefect server a session."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pyarrow.dataset as ds
import pytest

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"
SHARED = PROJECT.parent / "shared"
SEED = SEEDS / "000_7ecb4e462155040d.txt"

for name, value in {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}.items():
    os.environ.setdefault(name, value)


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[str]:
    """Prefect's test harness (a fresh database), started once: it costs ~20 s."""
    from prefect.testing.utilities import prefect_test_harness

    from flows.server import prefect_api

    with prefect_test_harness(server_startup_timeout=120), prefect_api() as url:
        yield url


def published_rows(data_dir: Path, dataset: str) -> list[dict]:
    """A published dataset's rows (partition columns included) in a stable order, to compare runs."""
    table = ds.dataset(data_dir / dataset, format="parquet", partitioning="hive").to_table()
    return sorted(table.to_pylist(), key=lambda r: json.dumps(r, sort_keys=True, default=str))
