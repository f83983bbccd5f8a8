"""The progress of ``ocm transfer``: log lines without a terminal, the rich display with one,
and ``rich`` loaded only for the display."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from transfertools import product_ctf

from pyocm.cli.transfer_progress import LogProgress, transfer_progress
from pyocm.repository import open_repository
from pyocm.transfer import Event, Item, TransferOptions, TransferPlan, plan_transfer

BIG = Item("acme.org/app", "1.0.0", "resource", "image")
VERSION = Item("acme.org/app", "1.0.0", "componentVersion")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _plan(tmp_path: Path) -> TransferPlan:
    src = product_ctf(tmp_path / "src")
    with open_repository(str(src)) as repo:
        return plan_transfer(repo, None, [("acme.org/product", "1.0.0")], TransferOptions(True))


def test_without_a_terminal_finished_items_are_info_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    plan = _plan(tmp_path)
    with (
        caplog.at_level(logging.DEBUG, "pyocm.transfer"),
        transfer_progress(plan, io.StringIO()) as observer,
    ):
        assert isinstance(observer, LogProgress)
        observer(Event("started", BIG, size=10))
        observer(Event("progressed", BIG, bytes=10))
        observer(Event("finished", BIG, size=10, bytes=10))
        observer(Event("finished", VERSION))
        observer(Event("skipped", Item("acme.org/db", "1.0.0", "componentVersion")))
    lines = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert lines == [
        ("INFO", "resource copied"),
        ("INFO", "component version transferred"),
        ("INFO", "component version skipped"),
    ]
    copied = caplog.records[0]
    assert (copied.component, copied.resource, copied.size) == ("acme.org/app", "image", 10)  # type: ignore[attr-defined]


def test_on_a_terminal_the_display_counts_items_and_bytes(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    terminal = _Terminal()
    with transfer_progress(plan, terminal) as observer:
        assert type(observer).__name__ == "TransferDisplay"
        observer(Event("started", BIG, size=8 << 20))
        observer(Event("progressed", BIG, bytes=8 << 20))
        observer(Event("finished", BIG, size=8 << 20, bytes=8 << 20))
        observer(Event("finished", VERSION))
    shown = terminal.getvalue()
    # four versions and six blobs planned, two of them done; 8 MiB read
    assert "2/10 items" in shown
    assert "8.4 MB" in shown


def test_a_transfer_without_a_terminal_does_not_load_rich(tmp_path: Path) -> None:
    src = product_ctf(tmp_path / "src")
    script = (
        "import io, json, sys, contextlib\n"
        "from pyocm.cli import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        cli.main(['transfer', 'cv', '-r', '{src}//acme.org/product:1.0.0',"
        f" '{tmp_path / 'dst'}'])\n"
        "    except SystemExit as e:\n"
        "        code = e.code\n"
        "print(json.dumps([code, 'rich' in sys.modules]), file=sys.__stdout__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout.splitlines()[-1]) == [0, False], done.stderr
    assert (tmp_path / "dst" / "artifact-index.json").is_file()
