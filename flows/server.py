"""The Prefect API a run talks to: the one configured, or Prefect's local server started here."""

from __future__ import annotations

import contextlib
import importlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence

# The temporary server's process runs this before uvicorn: it ends the server when the run's
# process is gone however it ended (kill -9 included: no clean-up of ours runs then), within
# a second or two. The run's signal mask (flows.cli blocks SIGINT/SIGTERM for its watcher
# thread) is inherited: unblocked here so that uvicorn's own shutdown on SIGTERM works.
_WATCHED_SERVER = """
import os, runpy, signal, sys, threading, time
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
parent = int(sys.argv[1])
def watch():
    while os.getppid() == parent:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(10)
    os._exit(1)
threading.Thread(target=watch, daemon=True).start()
sys.argv = ["uvicorn", *sys.argv[2:]]
runpy.run_module("uvicorn", run_name="__main__", alter_sys=True)
"""


def _watched_server_class() -> type:
    """Prefect's SubprocessASGIServer, its process started through _WATCHED_SERVER and in a
    session of its own: a Ctrl-C on the terminal is for the run, which then stops the server."""
    import prefect
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import get_current_settings

    class WatchedServer(SubprocessASGIServer):
        # Registered among Prefect's own per-port instances (the class attribute is shared):
        # Prefect's threads that find no API URL in their settings use the one running here.

        def _run_uvicorn_command(self) -> subprocess.Popen:
            # As Prefect 3.9's own command (prefect/server/api/server.py), through the watcher.
            arguments = ["--app-dir", str(prefect.__module_path__.parent), "--factory",
                         "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
                         "--log-level", "error", "--lifespan", "on"]  # fmt: skip
            environment = {
                **os.environ,
                "PREFECT_UI_ENABLED": "0",
                "PREFECT__SERVER_EPHEMERAL": "1",
                "PREFECT__SERVER_FINAL": "1",
                **get_current_settings().to_environment_variables(exclude_unset=True),
            }
            command = [sys.executable, "-c", _WATCHED_SERVER, str(os.getpid()), *arguments]
            return subprocess.Popen(command, env=environment, start_new_session=True)

    return WatchedServer


class ServerStartError(RuntimeError):
    """Prefect's temporary server could not be started."""


@contextlib.contextmanager
def prefect_api(preload: Sequence[str] = ()) -> Iterator[str]:
    """Yield the Prefect API URL for this run, starting Prefect's local server if none is set.

    `preload` names modules to import in a background thread meanwhile: the server starts in
    a process of its own, leaving this one idle for seconds (Great Expectations takes 8 s to
    import). They are imported after Prefect's server modules, so no two threads import
    the same modules at once.

    Prefect would start its local ("ephemeral") server itself, but only in this process:
    the process pool's workers would each start one more. Started here, its URL goes into
    the environment the workers inherit (a configured URL too: a test harness sets it only in
    this process's settings). Set PREFECT_API_URL (see `make server`) to use a
    server that keeps running and skip this start.
    """
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    configured = get_current_settings().api.url
    if configured:
        _import_in_background(preload)
        with exported_api_url(str(configured)):
            try:
                yield str(configured)
            finally:
                _drain_to_api()
        return
    server = _watched_server_class()()
    _import_in_background(preload)
    timeout = get_current_settings().server.ephemeral.startup_timeout_seconds
    try:
        server.start(timeout=timeout)
    except RuntimeError as error:  # Prefect's message for a server that did not answer in time
        server.stop()
        raise ServerStartError(
            f"Prefect's temporary server did not start within {timeout} s ({str(error).splitlines()[0][:200]}); "
            "raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS or set PREFECT_API_URL to a running server"
        ) from None
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url}), exported_api_url(server.api_url):
            try:
                yield server.api_url
            finally:
                _drain_to_api()
    finally:
        server.stop()


def _import_in_background(modules: Sequence[str]) -> None:
    for name in modules:
        threading.Thread(target=importlib.import_module, args=(name,), name=f"import {name}", daemon=True).start()


@contextlib.contextmanager
def exported_api_url(url: str) -> Iterator[None]:
    """PREFECT_API_URL set in the environment, which worker processes inherit."""
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous


def _drain_to_api() -> None:
    """Send the logs and events still queued, while the server is up to take them.

    Otherwise Prefect tries to send them at exit, to a server already stopped, and
    waits out its retries (about a minute).
    """
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)
    EventsWorker.drain_all(timeout=10)
