"""The live terminal display of ``ocm transfer``, drawn with ``rich`` on stderr.

    >>> import io
    >>> from pyocm.cli.transfer_display import TransferDisplay
    >>> from pyocm.transfer import Event, Item, TransferOptions, TransferPlan
    >>> out = io.StringIO()
    >>> with TransferDisplay(TransferPlan(TransferOptions(), ()), out) as display:
    ...     display(Event("skipped", Item("acme.org/app", "1.0.0", "componentVersion")))
    >>> "skipped acme.org/app:1.0.0" in out.getvalue()
    True

Two rows: the items (blobs and component versions) done out of those planned, and the bytes
read with their rate; below them one bar per blob of at least :data:`LARGE_BLOB` bytes while it
is copied.  Skipped versions are printed above the display.  Only imported when stderr is a
terminal (see :mod:`pyocm.cli.transfer_progress`), so ``rich`` loads only then.

Every row is one line that fits the terminal's width (``COLUMNS``): descriptions are cut with
an ellipsis and bars shortened, never wrapped into fragments.

:class:`PackingDisplay` is the bar of bytes packed while a tar or tgz CTF is written after the
transfer.
"""

from __future__ import annotations

from types import TracebackType
from typing import TextIO

from rich import filesize
from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskID, TextColumn
from rich.table import Column
from rich.text import Text

from pyocm.transfer import Event, Item, TransferPlan

LARGE_BLOB = 4 << 20
"""Blobs at least this large get a bar of their own while they are copied."""


class _Status(ProgressColumn):
    """``done/total items`` for the item row, bytes and rate for byte rows."""

    def __init__(self) -> None:
        super().__init__(table_column=Column(no_wrap=True, overflow="ellipsis"))

    def render(self, task: Task) -> Text:
        if task.fields.get("unit") == "items":
            return Text(f"{int(task.completed)}/{int(task.total or 0)} items")
        done = filesize.decimal(int(task.completed))
        total = f"/{filesize.decimal(int(task.total))}" if task.total else ""
        speed = f" at {filesize.decimal(int(task.speed))}/s" if task.speed else ""
        return Text(f"{done}{total}{speed}")


def _progress(console: Console) -> Progress:
    """A display whose rows each fit one line of ``console``: the description takes what the
    status leaves (cut with an ellipsis), the bar a third of it."""
    return Progress(
        TextColumn(
            "{task.description}",
            table_column=Column(no_wrap=True, overflow="ellipsis", ratio=2, min_width=8),
        ),
        BarColumn(bar_width=None, table_column=Column(no_wrap=True, ratio=1, min_width=5)),
        _Status(),
        console=console,
        transient=False,
        expand=True,
    )


class TransferDisplay:
    """An observer drawing the transfer's progress; use it as a context manager."""

    def __init__(self, plan: TransferPlan, stream: TextIO):
        self._console = Console(file=stream, stderr=True)
        self._progress = _progress(self._console)
        transferred = plan.transferred()
        total = len(transferred) + sum(len(v.copies()) for v in transferred)
        self._items = self._progress.add_task("transferring", total=total, unit="items")
        self._bytes = self._progress.add_task("bytes read", total=None, unit="bytes")
        self._blobs: dict[Item, TaskID] = {}
        self._reasons = {v.key: v.reason for v in plan.versions}

    def __enter__(self) -> TransferDisplay:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for task in self._blobs.values():
            self._progress.remove_task(task)
        self._progress.stop()

    def __call__(self, event: Event) -> None:
        """Update the display for ``event``."""
        item = event.item
        if event.type == "skipped":
            reason = self._reasons.get((item.component, item.version), "")
            self._console.print(f"skipped {item}" + (f": {reason}" if reason else ""))
        elif event.type == "started" and item.kind != "componentVersion":
            if event.size >= LARGE_BLOB:
                label = f"  {item.name} of {item.component}:{item.version}"
                self._blobs[item] = self._progress.add_task(label, total=event.size, unit="bytes")
        elif event.type == "progressed":
            self._progress.advance(self._bytes, event.bytes)
            if item in self._blobs:
                self._progress.advance(self._blobs[item], event.bytes)
        elif event.type == "finished":
            self._progress.advance(self._items, 1)
            if item in self._blobs:
                self._progress.remove_task(self._blobs.pop(item))
        elif event.type == "failed" and item in self._blobs:
            self._progress.remove_task(self._blobs.pop(item))


class PackingDisplay:
    """A bar of the bytes packed into an archive, labelled ``label``; a context manager and a
    :data:`pyocm.repository.ctf.archive.Progress` callback."""

    def __init__(self, label: str, stream: TextIO):
        self._progress = _progress(Console(file=stream, stderr=True))
        self._task = self._progress.add_task(label, total=None, unit="bytes")

    def __enter__(self) -> PackingDisplay:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def __call__(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` bytes packed."""
        self._progress.update(self._task, completed=done, total=total)
