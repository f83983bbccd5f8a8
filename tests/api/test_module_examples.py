"""The examples in the docstrings of every pyocm module run as written (doctest)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import pyocm


def _runs(example: doctest.Example) -> bool:
    return not example.options.get(doctest.SKIP, False)


def _modules_with_examples() -> list[str]:
    """Every pyocm module with at least one example that is not marked to be skipped (those
    need a repository or registry to run against)."""
    finder = doctest.DocTestFinder()
    found = []
    for info in pkgutil.walk_packages(pyocm.__path__, "pyocm."):
        module = importlib.import_module(info.name)
        if any(_runs(e) for test in finder.find(module) for e in test.examples):
            found.append(info.name)
    return found


MODULES = _modules_with_examples()


def test_the_examples_cover_the_packages() -> None:
    packages = {name.split(".")[1] for name in MODULES if name.count(".") >= 1}
    for package in ("access", "config", "constructor", "helm", "oci", "repository", "transfer"):
        assert package in packages


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
