"""Ways to run ``ocm`` in the CLI tests: in-process with click's runner, or as a real process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pyocm.cli import cli

RunOcm = Callable[..., subprocess.CompletedProcess[str]]
Invoke = Callable[..., Result]


def _ocm_command() -> list[str]:
    script = Path(sys.executable).with_name("ocm")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from pyocm.cli import main; main()"]


@pytest.fixture
def run_ocm() -> RunOcm:
    """Run the installed ``ocm`` console script in a subprocess; returns the completed process."""

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*_ocm_command(), *args], capture_output=True, text=True, cwd=cwd, timeout=60
        )

    return run


@pytest.fixture
def invoke() -> Invoke:
    """Run ``ocm`` in-process with click's test runner (stdout and stderr kept apart)."""

    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args))

    return run
