"""``download`` of a large resource: a bar fitted to the terminal, nothing extra off one."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

RunOcm = Callable[..., subprocess.CompletedProcess[str]]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
SIZE = 24 << 20  # above the 4 MiB threshold


def ocm_command() -> list[str]:
    script = Path(sys.executable).with_name("ocm")
    return (
        [str(script)]
        if script.is_file()
        else [sys.executable, "-c", "from pyocm.cli import main; main()"]
    )


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


def _run_in_terminal(args: list[str], cwd: Path, columns: int) -> tuple[int, str]:
    """Run ``args`` with stdout and stderr on a pseudo-terminal; its exit code and output."""
    main, secondary = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "24", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    with subprocess.Popen(
        args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary, env=env
    ) as process:
        os.close(secondary)
        chunks: list[bytes] = []
        while True:
            ready, _, _ = select.select([main], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = process.wait(timeout=60)
    os.close(main)
    return code, b"".join(chunks).decode("utf-8", errors="replace")


def test_a_large_download_shows_a_bar_that_fits_60_columns(ctf: Path) -> None:
    args = [*ocm_command(), "download", "resource", f"{ctf}//acme.org/app:1.0.0"]
    args += ["--identity", "name=big", "--output", "out.bin"]
    code, output = _run_in_terminal(args, ctf.parent, 60)
    assert code == 0, output
    assert (ctf.parent / "out.bin").stat().st_size == SIZE
    visible = [line for line in re.split(r"[\r\n]", ANSI.sub("", output)) if line.strip()]
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
