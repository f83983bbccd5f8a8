"""Importing the OCI primitives stays light."""

from __future__ import annotations

import subprocess
import sys


def test_importing_pyocm_oci_does_not_load_httpx() -> None:
    code = "import sys, pyocm.oci, pyocm.oci.auth, pyocm.oci.retry; print('httpx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
