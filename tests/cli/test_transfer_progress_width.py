"""``transfer`` on a narrow terminal: every progress row fits its width; nothing off one."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.cli import ocm_command
from fixtures.terminal import run_in_terminal, visible_lines

RunOcm = Callable[..., subprocess.CompletedProcess[str]]
SIZE = 6 << 20  # a few MB: above the 4 MiB of a blob's own bar
ROW = re.compile(r"[━╸╺].* \d+(\.\d+)?(/\d+ items|( |/\S+ )(bytes|[kMG]B))")
"""A whole progress row: a bar, then its items or bytes (never a row cut into fragments)."""
SOURCE = "./ctf//acme.org/a-component-with-a-rather-long-name:1.0.0-with-a-long-version"


@pytest.fixture
def project(tmp_path: Path, run_ocm: RunOcm) -> Path:
    """A CTF with one component version holding a large and a small resource."""
    (tmp_path / "big.bin").write_bytes(os.urandom(SIZE))
    (tmp_path / "small.txt").write_text("small\n")
    (tmp_path / "component-constructor.yaml").write_text(
        "name: acme.org/a-component-with-a-rather-long-name\n"
        "version: 1.0.0-with-a-long-version\nprovider: {name: acme.org}\nresources:\n"
        "- name: a-large-resource-with-a-long-name\n  type: blob\n"
        "  input: {type: file, path: big.bin}\n"
        "- name: small\n  type: blob\n  input: {type: file, path: small.txt}\n"
    )
    done = run_ocm("add", "cv", "-r", "./ctf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path


@pytest.mark.parametrize("target", ["./copy", "./copy.tgz"])
def test_transfer_progress_fits_60_columns(project: Path, target: str) -> None:
    args = [*ocm_command(), "transfer", "cv", SOURCE, target]
    code, output = run_in_terminal(args, project, 60)
    assert code == 0, output
    assert (project / target).exists()
    visible = visible_lines(output)
    assert any("items" in line for line in visible), visible  # the display was drawn
    assert any("MB" in line for line in visible), visible
    if target.endswith(".tgz"):
        assert any("packing" in line for line in visible), visible
    rows = [line for line in visible if not line.startswith("time=")]
    assert max(len(line) for line in rows) <= 60, visible
    assert [line for line in rows if not ROW.search(line)] == [], visible


def test_off_a_terminal_transfer_logs_lines_only(project: Path, run_ocm: RunOcm) -> None:
    done = run_ocm("transfer", "cv", SOURCE, "./copy", cwd=project, env={"COLUMNS": "60"})
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines and all(line.startswith("time=") for line in lines), lines
    assert "━" not in done.stderr and "items" not in done.stderr
