"""The examples in the module docstrings of the repository and OCI modules run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pyocm.oci",
    "pyocm.oci.digests",
    "pyocm.oci.layout",
    "pyocm.oci.manifest",
    "pyocm.oci.mediatypes",
    "pyocm.oci.tarsafe",
    "pyocm.repository",
    "pyocm.repository.ctf",
    "pyocm.repository.ctf.archive",
    "pyocm.repository.ctf.format",
    "pyocm.repository.ctf.index",
    "pyocm.repository.ctf.repository",
    "pyocm.repository.ctf.store",
    "pyocm.repository.legacy",
    "pyocm.repository.mapping",
    "pyocm.repository.mediatypes",
    "pyocm.repository.reference",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
