"""SIGINT and SIGTERM stop ``ocm`` with the shell's exit codes (130, 143) and one Error line.

The signals are real, sent to a real ``ocm`` process once it has set up its handlers (its
``SigCgt`` mask in ``/proc`` says so) while it waits for a transfer spec on stdin.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def ocm_command() -> list[str]:
    """``ocm`` as tests/conftest.py runs it (that module is shadowed by tests/cli/conftest.py)."""
    script = Path(sys.executable).with_name("ocm")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from pyocm.cli import main; main()"]


def _catches(pid: int, signum: int) -> bool:
    status = Path(f"/proc/{pid}/status").read_text()
    mask = next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(mask, 16) & (1 << (signum - 1)))


def _waiting_ocm() -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [*ocm_command(), "transfer", "cv", "--transfer-spec", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not _catches(process.pid, signal.SIGTERM):
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("ocm never set up its signal handlers")
        time.sleep(0.01)
    return process


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
@pytest.mark.parametrize(
    ("signum", "code", "line"),
    [
        (signal.SIGINT, 130, "Error: interrupted by SIGINT"),
        (signal.SIGTERM, 143, "Error: interrupted by SIGTERM"),
    ],
)
def test_a_signal_ends_the_run_with_its_exit_code(signum: int, code: int, line: str) -> None:
    process = _waiting_ocm()
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == code
    assert out == ""
    assert err.strip().splitlines() == [line]


def test_a_signal_ignored_by_the_parent_stays_ignored() -> None:
    process = subprocess.Popen(
        [*ocm_command(), "transfer", "cv", "--transfer-spec", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    deadline = time.monotonic() + 60
    while not _catches(process.pid, signal.SIGTERM):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.01)
    assert not _catches(process.pid, signal.SIGINT)
    process.send_signal(signal.SIGINT)
    time.sleep(0.2)
    assert process.poll() is None
    process.terminate()
    process.communicate(timeout=60)
    assert process.returncode == 143
