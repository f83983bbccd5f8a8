"""Interrupted runs leave nothing behind: real signals sent to a real ``ocm`` mid-write, and
what killed writers left is swept when the CTF is next opened for writing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.cli import ocm_command
from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.repository.ctf import open_ctf
from pyocm.repository.ctf.store import temp_prefix

BIG = 1 << 30
"""A sparse input file this large takes seconds to store: the signal lands during the write."""


def _constructor(directory: Path, name: str, version: str, path: str) -> Path:
    constructor = directory / f"{name}-{version}.yaml"
    constructor.write_text(
        f"""components:
- name: acme.org/{name}
  version: {version}
  provider: {{name: acme}}
  resources:
  - name: data
    type: blob
    input: {{type: file, path: {path}}}
""",
        encoding="utf-8",
    )
    return constructor


def _start(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*ocm_command(), *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def _wait_for(found: Callable[[], list[Path]], process: subprocess.Popen[str]) -> list[Path]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        paths = found()
        if paths:
            return paths
        if process.poll() is not None:
            pytest.fail(f"ocm ended before the write began: {process.communicate()[1]}")
        time.sleep(0.005)
    process.kill()
    pytest.fail("the write never began")


def _stop(process: subprocess.Popen[str], signum: int) -> tuple[int, str]:
    process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def _hidden(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob(".*") if p.name != ".pyocm.lock")


@pytest.fixture
def big_input(tmp_path: Path) -> Path:
    (tmp_path / "big.bin").touch()
    os.truncate(tmp_path / "big.bin", BIG)
    (tmp_path / "small.txt").write_text("small\n")
    return tmp_path


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_during_add_removes_the_temporary_and_keeps_the_ctf(
    big_input: Path, signum: int, code: int
) -> None:
    ctf = big_input / "ctf"
    small = _constructor(big_input, "small", "1.0.0", "small.txt")
    done = subprocess.run(
        [*ocm_command(), "add", "cv", "-r", str(ctf), "-c", str(small)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    before = sorted(n for n in os.listdir(ctf / "blobs") if not n.startswith("."))
    big = _constructor(big_input, "big", "1.0.0", "big.bin")
    process = _start(["add", "cv", "-r", str(ctf), "-c", str(big)], big_input)

    def writing_the_big_blob() -> list[Path]:
        # a temporary, and the big blob not stored yet: on a loaded machine a poll can come so
        # late that the temporary seen is the descriptor's, written after the big blob
        names = os.listdir(ctf / "blobs")
        if sorted(n for n in names if not n.startswith(".")) != before:
            return []
        return [ctf / "blobs" / n for n in names if n.startswith(".incoming.")]

    _wait_for(writing_the_big_blob, process)
    returncode, err = _stop(process, signum)
    assert returncode == code, err
    assert err.splitlines()[-1] == f"Error: interrupted by {signal.Signals(signum).name}"
    assert sorted(os.listdir(ctf / "blobs")) == before  # nor a temporary
    assert _hidden(ctf) == []


def test_sigterm_during_add_into_a_new_ctf_leaves_no_ctf(big_input: Path) -> None:
    ctf = big_input / "new"
    big = _constructor(big_input, "big", "1.0.0", "big.bin")
    process = _start(["add", "cv", "-r", str(ctf), "-c", str(big)], big_input)
    _wait_for(lambda: list((ctf / "blobs").glob(".incoming.*")), process)
    returncode, err = _stop(process, signal.SIGTERM)
    assert returncode == 143, err
    assert not ctf.exists()


def test_temporary_of_a_killed_add_is_swept_by_the_next_write(big_input: Path) -> None:
    """SIGKILL cannot be handled: the next writer removes what the dead one left."""
    ctf = big_input / "ctf"
    big = _constructor(big_input, "big", "1.0.0", "big.bin")
    process = _start(["add", "cv", "-r", str(ctf), "-c", str(big)], big_input)
    left = _wait_for(lambda: list((ctf / "blobs").glob(".incoming.*")), process)
    process.kill()
    process.communicate()
    assert all(p.exists() for p in left)
    small = _constructor(big_input, "small", "1.0.0", "small.txt")
    done = subprocess.run(
        [*ocm_command(), "add", "cv", "-r", str(ctf), "-c", str(small)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert _hidden(ctf / "blobs") == []


def _source_ctf(path: Path, size: int) -> None:
    content = os.urandom(size)  # incompressible: packing takes a while
    with open_ctf(path, mode="create") as repo:
        resource = repo.add_local_resource(
            "acme.org/big",
            "1.0.0",
            Resource(name="data", version="1.0.0", type="blob"),
            BytesBlob(content, "application/octet-stream"),
        )
        repo.add_component_version(
            Descriptor(Component("acme.org/big", "1.0.0", Provider("acme"), resources=[resource]))
        )


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_while_packing_a_tgz_leaves_nothing(tmp_path: Path, signum: int, code: int) -> None:
    _source_ctf(tmp_path / "source", 48 << 20)
    work = tmp_path / "tmp"
    work.mkdir()
    target = tmp_path / "out" / "x.tgz"
    target.parent.mkdir()
    process = _start(
        ["transfer", "cv", f"{tmp_path / 'source'}//acme.org/big:1.0.0", str(target)],
        tmp_path,
        env={"TMPDIR": str(work)},
    )
    _wait_for(lambda: list(target.parent.glob(".x.tgz.*")), process)
    assert os.listdir(work)  # the unpacked work directory is there while packing
    returncode, err = _stop(process, signum)
    assert returncode == code, err
    assert "transfer finished" not in err
    assert err.splitlines()[-1] == f"Error: interrupted by {signal.Signals(signum).name}"
    assert os.listdir(target.parent) == []
    assert os.listdir(work) == []


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _tagged(name: str, pid: int, hidden: bool = True) -> str:
    live = temp_prefix(name, hidden=hidden)
    return live.replace(f".{os.getpid()}@", f".{pid}@") + "abc123"


def test_opening_for_writing_sweeps_only_dead_writers_temporaries(tmp_path: Path) -> None:
    ctf = tmp_path / "ctf"
    open_ctf(ctf, mode="create").close()
    dead = _dead_pid()
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as live:
        try:
            blobs = ctf / "blobs"
            blobs.mkdir()
            stale = [blobs / _tagged("incoming", dead), ctf / _tagged("artifact-index.json", dead)]
            kept = [
                blobs / _tagged("incoming", live.pid),
                ctf / _tagged("artifact-index.json", live.pid),
                blobs / _tagged("incoming", dead).replace("@", "@x"),  # not our name shape
                blobs / ".incoming.untagged-but-fresh",
            ]
            foreign = blobs / f".incoming.{dead}@00000000.abc"  # another machine's writer
            for path in [*stale, *kept, foreign]:
                Path(path).write_bytes(b"partial")
            old = blobs / ".incoming.untagged-and-old"
            old.write_bytes(b"partial")
            os.utime(old, (time.time() - 7200, time.time() - 7200))

            open_ctf(ctf, mode="r").close()
            assert all(Path(p).exists() for p in [*stale, old])  # readers sweep nothing

            open_ctf(ctf, mode="rw").close()
            assert not any(Path(p).exists() for p in [*stale, old])
            assert all(Path(p).exists() for p in [*kept, foreign])
        finally:
            live.kill()


def test_opening_an_archive_for_writing_sweeps_dead_writers_temporaries(tmp_path: Path) -> None:
    archive = tmp_path / "x.tgz"
    work = tmp_path / "work"
    work.mkdir()
    open_ctf(archive, mode="create").close()
    dead = _dead_pid()
    stale_archive = tmp_path / _tagged("x.tgz", dead)
    stale_archive.write_bytes(b"partial")
    stale_work = work / _tagged("pyocm-ctf", dead, hidden=False)
    (stale_work / "blobs").mkdir(parents=True)
    other_archive = tmp_path / _tagged("y.tgz", dead)  # another archive's: not this open's
    other_archive.write_bytes(b"partial")
    mine = tmp_path / _tagged("x.tgz", os.getpid())
    mine.write_bytes(b"partial")

    open_ctf(archive, mode="rw", temp_dir=work).close()

    assert not stale_archive.exists()
    assert not stale_work.exists()
    assert other_archive.exists()
    assert mine.exists()
    assert os.listdir(work) == []
