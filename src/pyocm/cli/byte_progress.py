"""A progress bar for one long copy (``download``), shown on a terminal only.

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


def _ignore(done: int, total: int) -> None:
    """Nothing to show off a terminal."""


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal a live display may be drawn on."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _Bar:
    """The bar of one copy, started when the copy turns out to be large."""

    def __init__(self, description: str, stream: TextIO, threshold: int) -> None:
        self._description = description
        self._stream = stream
        self._threshold = threshold
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._progress is None:
            if max(done, total) <= self._threshold:
                return
            self._start(total)
        assert self._progress is not None and self._task is not None
        self._progress.update(self._task, completed=done, total=total if total >= 0 else None)

    def _start(self, total: int) -> None:
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
        self._task = self._progress.add_task(self._description, total=total if total >= 0 else None)

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
    bar = _Bar(description, out, threshold)
    try:
        yield bar
    finally:
        bar.close()


