"""Running ``ocm`` in-process with click's runner (subprocesses: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from pyocm.cli import cli

Invoke = Callable[..., Result]


@pytest.fixture
def invoke() -> Invoke:
    """Run ``ocm`` in-process with click's test runner (stdout and stderr kept apart)."""

    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args))

    return run
