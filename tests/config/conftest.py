"""Every config test runs with a fake HOME, no XDG/OCM/DOCKER variables and a scratch CWD."""

from __future__ import annotations

from pathlib import Path

import pytest
from cfgtools import Sandbox


@pytest.fixture(autouse=True)
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """Point HOME at a temporary directory and clear the variables that steer discovery."""
    box = Sandbox(
        tmp_path, tmp_path / "home", tmp_path / "xdg", tmp_path / "work", tmp_path / "bin"
    )
    for directory in (box.home, box.xdg, box.cwd, box.exe_dir):
        directory.mkdir()
    monkeypatch.setenv("HOME", str(box.home))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    for name in ("XDG_CONFIG_HOME", "OCM_CONFIG", "DOCKER_CONFIG", "OCM_DISABLE_AUTO_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(box.cwd)
    return box
