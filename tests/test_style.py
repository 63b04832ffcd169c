"""The code follows the house style's machine-checkable part: ruff, with import sorting and no print."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT


def test_ruff_finds_nothing() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--quiet", str(PROJECT)], capture_output=True, text=True, cwd=PROJECT
    )
    assert result.returncode == 0, result.stdout + result.stderr
