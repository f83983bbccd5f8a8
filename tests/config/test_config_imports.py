"""Importing pyocm.config stays light."""

from __future__ import annotations


def test_importing_pyocm_config_loads_no_yaml() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pyocm.config; print(sorted({'yaml', 'pyocm.descriptor'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
