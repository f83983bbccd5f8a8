"""Progress bars for long copies (``download``, ``add cv``), shown on a terminal only.

    >>> import io
    >>> from pyocm.cli.byte_progress import byte_progress
    >>> out = io.StringIO()
    >>> with byte_progress("resource chart", out) as update:
    ...     update(300 << 20, 300 << 20)
    >>> out.getvalue()  # not a terminal: nothing extra
    ''

On a terminal (``stream.isatty()``) a ``rich`` bar appears once the copy is larger than
:data:`THRESHOLD` (so small copies stay silent): description, bar, bytes done of total and
rate, in one line that fits the terminal's width (``COLUMNS``): the description is cut with an
ellipsis rather than wrapped.  ``rich`` is imported only then.

:func:`byte_progress_by_name` is the same for several copies, one after the other or at once
(the resources of ``add cv``): its callback takes the description first, and each large copy
gets its own line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

THRESHOLD = 4 << 20
"""Copies of at most this many bytes show no bar."""

Update = Callable[[int, int], None]
"""Called with the bytes copied so far and the total (``-1`` when unknown)."""

NamedUpdate = Callable[[str, int, int], None]
"""Called with the description of a copy, its bytes copied so far and its total."""


def _ignore(done: int, total: int) -> None:
    """Nothing to show off a terminal."""


def _ignore_named(description: str, done: int, total: int) -> None:
    """Nothing to show off a terminal."""


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal a live display may be drawn on."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _Bars:
    """The bars of copies by description, each started when its copy turns out to be large."""

    def __init__(self, stream: TextIO, threshold: int) -> None:
        self._stream = stream
        self._threshold = threshold
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}

    def __call__(self, description: str, done: int, total: int) -> None:
        task = self._tasks.get(description)
        if task is None:
            if max(done, total) <= self._threshold:
                return
            known = total if total >= 0 else None  # None: a total the bar does not know
            task = self._tasks[description] = self._start().add_task(description, total=known)
        assert self._progress is not None
        self._progress.update(task, completed=done, total=total if total >= 0 else None)

    def _start(self) -> Progress:
        if self._progress is not None:
            return self._progress
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TransferSpeedColumn,
        )
        from rich.table import Column

        def fixed() -> Column:
            return Column(no_wrap=True)

        self._progress = Progress(
            TextColumn(
                "{task.description}",
                table_column=Column(no_wrap=True, overflow="ellipsis", ratio=2, min_width=8),
            ),
            BarColumn(bar_width=None, table_column=Column(ratio=1, min_width=5)),
            DownloadColumn(table_column=fixed()),
            TransferSpeedColumn(table_column=fixed()),
            console=Console(file=self._stream),
            expand=True,
        )
        self._progress.start()
        return self._progress

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


@contextmanager
def byte_progress(
    description: str, stream: TextIO | None = None, threshold: int = THRESHOLD
) -> Iterator[Update]:
    """An :data:`Update` callback that draws a bar for ``description`` on ``stream``
    (default: stderr) when it is a terminal and the copy is larger than ``threshold``."""
    out = stream if stream is not None else sys.stderr
    if not is_terminal(out):
        yield _ignore
        return
    bars = _Bars(out, threshold)
    try:
        yield lambda done, total: bars(description, done, total)
    finally:
        bars.close()


@contextmanager
def byte_progress_by_name(
    stream: TextIO | None = None, threshold: int = THRESHOLD
) -> Iterator[NamedUpdate]:
    """A :data:`NamedUpdate` callback that draws a bar for each copy (named by its
    description) larger than ``threshold`` on ``stream`` (default: stderr) when it is a
    terminal."""
    out = stream if stream is not None else sys.stderr
    if not is_terminal(out):
        yield _ignore_named
        return
    bars = _Bars(out, threshold)
    try:
        yield bars
    finally:
        bars.close()
