"""The examples in the module docstrings of the store-agnostic and registry modules run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pyocm.repository.component_index",
    "pyocm.repository.ctf.ocistore",
    "pyocm.repository.oci",
    "pyocm.repository.oci.store",
    "pyocm.repository.ocm",
    "pyocm.repository.store",
    "pyocm.repository.stored_blobs",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
