"""Packing a tgz target after a transfer: a bar on a terminal, nothing extra otherwise, and
"transfer finished" only once the archive is written."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.repository.ctf import open_ctf


def ocm_command() -> list[str]:
    """``ocm`` as tests/conftest.py runs it (that module is shadowed by tests/cli/conftest.py)."""
    script = Path(sys.executable).with_name("ocm")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from pyocm.cli import main; main()"]


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


def _run_on_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run ``ocm`` with stderr on a pseudo-terminal; its exit code and what it showed there."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*ocm_command(), *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
    )
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return process.wait(timeout=60), shown.decode(errors="replace")


def test_packing_a_tgz_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    _source(tmp_path / "source")
    code, shown = _run_on_terminal(
        ["transfer", "cv", "source//acme.org/app:1.0.0", "out.tgz"], tmp_path
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
