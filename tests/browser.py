"""Headless Chromium from the distribution's packages, for tests that need a real browser.

`offline_dom` renders a page with every network request refused (a proxy that does not exist
and no name resolution): what a reader on a machine without network sees. `Browser` drives a
page over the Chrome DevTools protocol, as a user would: fill a form, press its button.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
OFFLINE = ["--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND"]


def chromium() -> str:
    """The browser's path; the test is skipped where it is not installed (.ci/run installs it)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (Debian package chromium; .ci/run installs it)")
    return CHROMIUM


def offline_dom(url: str, wait_ms: int = 8000) -> str:
    """The page's DOM after its scripts ran, with no network."""
    with tempfile.TemporaryDirectory() as profile:
        command = [chromium(), *FLAGS, *OFFLINE, f"--user-data-dir={profile}", f"--virtual-time-budget={wait_ms}",
                   "--dump-dom", url]  # fmt: skip
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


class Browser:
    """One headless Chromium page driven over the DevTools protocol."""

    def __init__(self, socket_url: str) -> None:
        from websockets.sync.client import connect

        self._socket = connect(socket_url, max_size=None)
        self._id = 0

    def call(self, method: str, **params: object) -> dict:
        self._id += 1
        self._socket.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv(timeout=60))
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str) -> object:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def open(self, url: str) -> None:
        """Go to `url` and wait until its document has loaded."""
        self.call("Page.navigate", url=url)
        self.wait_for(f"location.href === {json.dumps(url)} && document.readyState === 'complete'")

    def wait_for(self, condition: str, seconds: float = 30) -> None:
        """Wait until `condition` holds in a page that has finished loading."""
        deadline = time.monotonic() + seconds
        while not self.evaluate(f"document.readyState === 'complete' && Boolean({condition})"):
            if time.monotonic() > deadline:
                raise TimeoutError(condition)
            time.sleep(0.1)


@contextlib.contextmanager
def browser() -> Iterator[Browser]:
    """A headless Chromium with one blank page, closed afterwards."""
    profile = tempfile.mkdtemp(prefix="chromium-")
    process = subprocess.Popen([chromium(), *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
                                "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        port_file = Path(profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            pages = [t for t in json.load(response) if t["type"] == "page"]
        page = Browser(pages[0]["webSocketDebuggerUrl"])
        page.call("Page.enable")
        yield page
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)
