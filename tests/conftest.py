"""Shared test fixtures: the reference test vectors and running the ``ocm`` command."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from fixtures.cli import ocm_command

pytest_plugins = ["fixtures.registry", "fixtures.http_server", "fixtures.go_ocm"]

ROOT = Path(__file__).resolve().parents[1]
VECTORS = ROOT / "tests" / "vectors"


@pytest.fixture(scope="session")
def vectors() -> Path:
    """The reference repositories' test data (tests/vectors, see its README)."""
    if not VECTORS.is_dir():
        pytest.fail(f"test vectors not found at {VECTORS}")
    return VECTORS


RunOcm = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_ocm() -> RunOcm:
    """Run ``ocm`` in a subprocess (``input``: text for its stdin); returns the completed
    process (text output)."""

    def run(
        *args: str,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        input: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*ocm_command(), *args],
            input=input,
            capture_output=True,
            text=True,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            timeout=120,
        )

    return run
