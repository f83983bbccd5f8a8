"""``download`` of a large resource: a bar fitted to the terminal, nothing extra off one."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.cli import ocm_command
from fixtures.terminal import run_in_terminal, visible_lines

RunOcm = Callable[..., subprocess.CompletedProcess[str]]
SIZE = 24 << 20  # above the 4 MiB threshold


@pytest.fixture
def ctf(tmp_path: Path, run_ocm: RunOcm) -> Path:
    (tmp_path / "big.bin").write_bytes(os.urandom(1 << 20) * (SIZE >> 20))
    (tmp_path / "component-constructor.yaml").write_text(
        "name: acme.org/app\nversion: 1.0.0\nprovider: {name: acme.org}\n"
        "resources:\n- name: big\n  type: blob\n  input: {type: file, path: big.bin}\n"
    )
    done = run_ocm("add", "cv", "-r", "./ctf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "ctf"


def test_a_large_download_shows_a_bar_that_fits_60_columns(ctf: Path) -> None:
    args = [*ocm_command(), "download", "resource", f"{ctf}//acme.org/app:1.0.0"]
    args += ["--identity", "name=big", "--output", "out.bin"]
    code, output = run_in_terminal(args, ctf.parent, 60)
    assert code == 0, output
    assert (ctf.parent / "out.bin").stat().st_size == SIZE
    visible = visible_lines(output)
    bars = [line for line in visible if "MB" in line and "/" in line]
    assert bars, output  # the bar was drawn
    assert "25.2/25.2 MB" in bars[-1]
    assert max(len(line) for line in visible if "time=" not in line) <= 60, visible


def test_off_a_terminal_a_download_prints_nothing_extra(ctf: Path, run_ocm: RunOcm) -> None:
    done = run_ocm(
        "download",
        "resource",
        f"{ctf}//acme.org/app:1.0.0",
        "--identity",
        "name=big",
        "--output",
        "out.bin",
        cwd=ctf.parent,
        env={"COLUMNS": "60"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and 'msg="resource downloaded successfully"' in lines[0]
