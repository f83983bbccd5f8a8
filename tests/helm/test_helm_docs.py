"""The examples in the module docstrings of the helm modules run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pyocm.helm",
    "pyocm.helm.chart",
    "pyocm.helm.package",
    "pyocm.helm.oci",
    "pyocm.helm.repository",
    "pyocm.helm.transformer",
    "pyocm.access.helm",
    "pyocm.constructor.inputs.helm",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
