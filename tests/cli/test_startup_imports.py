"""Starting ``ocm`` must not load the heavy library parts (YAML, cryptography, schemas, rich)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ["yaml", "cryptography", "jsonschema", "rich", "pyocm.descriptor"]


def _loaded_after(code: str) -> list[str]:
    script = (
        "import io, json, sys, contextlib\n"
        f"{code}\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]), file=sys.__stdout__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    return list(json.loads(done.stdout.splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_module() -> None:
    assert _loaded_after("import pyocm.cli") == []


def test_importing_pyocm_loads_no_heavy_module() -> None:
    assert _loaded_after("import pyocm") == []


@pytest.mark.parametrize("args", [["--help"], ["version"], ["get", "cv", "--help"]])
def test_running_help_and_version_loads_no_heavy_module(args: list[str]) -> None:
    code = (
        "from pyocm.cli import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    cli.main({args!r}, standalone_mode=False)"
    )
    assert _loaded_after(code) == []
