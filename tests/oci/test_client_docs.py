"""The examples in the module docstrings of the registry client modules run."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys

import pytest

MODULES = [
    "pyocm.oci.auth",
    "pyocm.oci.retry",
    "pyocm.oci.client",
    "pyocm.oci.remote",
    "pyocm.oci.blob_upload",
    "pyocm.oci.blob_download",
    "pyocm.oci.reference",
    "pyocm.oci.layout_tar",
    "pyocm.oci.artifact",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0


def test_importing_pyocm_oci_does_not_load_httpx() -> None:
    code = "import sys, pyocm.oci, pyocm.oci.auth, pyocm.oci.retry; print('httpx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
