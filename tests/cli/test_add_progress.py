"""``add cv`` of large inputs: a bar per large resource fitted to the terminal, nothing off one."""

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
def project(tmp_path: Path) -> Path:
    """A constructor with two large file inputs and a small one."""
    chunk = os.urandom(1 << 20)
    (tmp_path / "big.bin").write_bytes(chunk * (SIZE >> 20))
    (tmp_path / "other.bin").write_bytes(chunk[::-1] * (SIZE >> 20))
    (tmp_path / "small.txt").write_text("small\n")
    (tmp_path / "component-constructor.yaml").write_text(
        "name: acme.org/app\nversion: 1.0.0\nprovider: {name: acme.org}\nresources:\n"
        "- name: big\n  type: blob\n  input: {type: file, path: big.bin}\n"
        "- name: other\n  type: blob\n  input: {type: file, path: other.bin}\n"
        "- name: small\n  type: blob\n  input: {type: file, path: small.txt}\n"
    )
    return tmp_path


def test_adding_large_inputs_shows_bars_that_fit_60_columns(project: Path) -> None:
    code, output = run_in_terminal([*ocm_command(), "add", "cv", "-r", "./ctf"], project, 60)
    assert code == 0, output
    visible = visible_lines(output)
    bars = [line for line in visible if "MB" in line and "/" in line]
    assert any("big" in line for line in bars), visible  # one bar per large resource
    assert any("other" in line for line in bars), visible
    assert not any("small" in line for line in bars), visible  # small copies stay silent
    assert any("25.2/25.2 MB" in line for line in bars), visible
    assert max(len(line) for line in visible if "time=" not in line) <= 60, visible


def test_off_a_terminal_add_prints_nothing_extra(project: Path, run_ocm: RunOcm) -> None:
    done = run_ocm("add", "cv", "-r", "./ctf", cwd=project, env={"COLUMNS": "60"})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "MB" not in done.stdout and "━" not in done.stdout
    assert "acme.org/app" in done.stdout
