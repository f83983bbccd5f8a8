"""Packing a tgz target after a transfer: a bar on a terminal, nothing extra otherwise, and
"transfer finished" only once the archive is written."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from fixtures.cli import ocm_command
from fixtures.terminal import run_in_terminal
from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.repository.ctf import open_ctf


def _source(path: Path) -> None:
    with open_ctf(path, mode="create") as repo:
        resource = repo.add_local_resource(
            "acme.org/app",
            "1.0.0",
            Resource(name="data", version="1.0.0", type="blob"),
            BytesBlob(os.urandom(6 << 20), "application/octet-stream"),
        )
        repo.add_component_version(
            Descriptor(Component("acme.org/app", "1.0.0", Provider("acme"), resources=[resource]))
        )


def test_packing_a_tgz_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    _source(tmp_path / "source")
    code, shown = run_in_terminal(
        [*ocm_command(), "transfer", "cv", "source//acme.org/app:1.0.0", "out.tgz"], tmp_path, 120
    )
    assert code == 0, shown
    assert "packing out.tgz" in shown
    assert "6.3 MB/6.3 MB" in shown  # the bar reached the whole archive's content
    assert (tmp_path / "out.tgz").is_file()
    assert shown.index("packing out.tgz") < shown.index("transfer finished")


def test_packing_adds_nothing_when_not_a_terminal(tmp_path: Path) -> None:
    _source(tmp_path / "source")
    done = subprocess.run(
        [*ocm_command(), "transfer", "cv", "source//acme.org/app:1.0.0", "out.tgz"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "packing" not in done.stderr
    messages = [line.split(" msg=")[1].split('"')[1] for line in done.stderr.splitlines()]
    assert messages == ["resource copied", "component version transferred", "transfer finished"]
