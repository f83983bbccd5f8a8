"""The examples in the module docstrings of the resolver modules run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pyocm.repository.resolvers",
    "pyocm.repository.resolvers_glob",
    "pyocm.repository.resolvers_repository",
    "pyocm.constructor.external",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
