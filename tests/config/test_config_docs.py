"""The examples at the top of every pyocm.config module run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pyocm.config",
    "pyocm.config._fields",
    "pyocm.config.autoconfig",
    "pyocm.config.discovery",
    "pyocm.config.durations",
    "pyocm.config.effective",
    "pyocm.config.httpconfig",
    "pyocm.config.merge",
    "pyocm.config.model",
    "pyocm.config.startup",
    "pyocm.config.credentials",
    "pyocm.config.credentials.docker",
    "pyocm.config.credentials.identity",
    "pyocm.config.credentials.lookups",
    "pyocm.config.credentials.store",
    "pyocm.config.credentials.typed",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0


def test_importing_pyocm_config_loads_no_yaml() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pyocm.config; print(sorted({'yaml', 'pyocm.descriptor'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
