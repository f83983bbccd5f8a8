"""Running a real ``ocm`` on a pseudo-terminal of a given width (for the progress tests)."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def ocm_command() -> list[str]:
    """The installed ``ocm`` beside this Python, or the CLI run through it."""
    script = Path(sys.executable).with_name("ocm")
    return (
        [str(script)]
        if script.is_file()
        else [sys.executable, "-c", "from pyocm.cli import main; main()"]
    )


def run_in_terminal(args: list[str], cwd: Path, columns: int) -> tuple[int, str]:
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


def visible_lines(output: str) -> list[str]:
    """The non-blank lines a terminal shows, each redraw of a line on its own."""
    return [line for line in re.split(r"[\r\n]", ANSI.sub("", output)) if line.strip()]
