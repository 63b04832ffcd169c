"""Ctrl-C, SIGTERM and kill -9 of a run: it ends within seconds, alone, and published data is unchanged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from flows.pipeline import RunConfig, run
from tests.conftest import SEED, SHARED, published_rows

pytestmark = pytest.mark.usefixtures("prefect_server")
DATASETS = ("documents", "sentences", "indicators", "rejects")


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough reports that a run is still busy seconds after it starts writing."""
    folder = tmp_path_factory.mktemp("inbox")
    for path in sorted((SHARED / "corpus").glob("province_*.txt"))[:12]:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Prefect home for the runs that start their own temporary server: its database is made once."""
    return tmp_path_factory.mktemp("prefect-home")


def _start(inbox: Path, data_dir: Path, env: dict[str, str]) -> subprocess.Popen:
    """The CLI on `inbox`, in a process group of its own (as a shell job), once it is writing."""
    command = [sys.executable, "-m", "flows.cli", "run", str(inbox), str(SEED), "--data-dir", str(data_dir)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 180
    while not (data_dir / ".staging").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert process.poll() is None, process.communicate()
    time.sleep(2)
    return process


def _published(data_dir: Path) -> dict[str, list[dict]]:
    assert run(RunConfig(paths=(SEED,), data_dir=data_dir)).ok
    return {name: published_rows(data_dir, name) for name in DATASETS}


def _gone(processes: list[psutil.Process], within: float) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=within)
    return not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


@pytest.mark.parametrize(
    ("how", "code", "own_server"),
    [(signal.SIGINT, 130, False), (signal.SIGTERM, 143, True)],
    ids=["ctrl-c", "sigterm"],
)
def test_an_interrupted_run_ends_at_once_leaving_the_data_unchanged(
    how: signal.Signals, code: int, own_server: bool, inbox: Path, prefect_home: Path, prefect_server: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    data_dir = tmp_path / "data"
    before = _published(data_dir)
    env = dict(os.environ, PREFECT_API_URL=prefect_server)
    if own_server:  # the run starts Prefect's temporary server, which must end with it
        env.pop("PREFECT_API_URL")
        env["PREFECT_HOME"] = str(prefect_home)
    process = _start(inbox, data_dir, env)
    children = psutil.Process(process.pid).children(recursive=True)
    assert len(children) >= 2 + own_server  # the workers, and the server when the run started it
    sent = time.monotonic()
    if how == signal.SIGINT:
        os.killpg(process.pid, how)  # Ctrl-C: the terminal signals the whole foreground job
    else:
        process.send_signal(how)
    out, err = process.communicate(timeout=60)
    assert time.monotonic() - sent < 10
    assert process.returncode == code, err[-3000:]
    assert err.strip().splitlines()[-1] == "govreport: interrupted: published data unchanged"
    assert "Traceback" not in out + err
    assert _gone(children, within=5)
    assert {name: published_rows(data_dir, name) for name in DATASETS} == before


def test_a_server_orphaned_by_kill_9_ends_soon(inbox: Path, prefect_home: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PREFECT_HOME=str(prefect_home))
    env.pop("PREFECT_API_URL", None)
    process = _start(inbox, tmp_path / "data", env)
    children = psutil.Process(process.pid).children(recursive=True)
    server = [c for c in children if "uvicorn" in " ".join(c.cmdline())]
    assert server
    process.kill()  # kill -9 of the run alone: nothing of ours runs after it
    process.communicate(timeout=60)
    assert _gone(children, within=15)
