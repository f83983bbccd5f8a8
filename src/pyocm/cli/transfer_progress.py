"""The progress of ``ocm transfer``: a live display on a terminal, log lines otherwise.

    >>> import io
    >>> from pyocm.cli.transfer_progress import transfer_progress
    >>> from pyocm.transfer import TransferOptions, TransferPlan
    >>> plan = TransferPlan(TransferOptions(), ())
    >>> with transfer_progress(plan, io.StringIO()) as observer:   # not a terminal: log lines
    ...     type(observer).__name__
    'LogProgress'

On a terminal (``stream.isatty()``) the display of :mod:`pyocm.cli.transfer_display` shows
items done, bytes and rate, with a bar per large blob in flight; it imports ``rich``, which
is loaded only then.  Otherwise each finished blob and component version, and each skipped
version, is one INFO line of the ``pyocm.transfer`` logger.

:func:`close_target` closes the target after the transfer: packing a tar or tgz CTF, which
takes a while for large archives, is shown as a bar of bytes packed on a terminal, and adds
nothing otherwise.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from pyocm.repository.base import Repository
    from pyocm.transfer import Event, Observer, TransferPlan

_log = logging.getLogger("pyocm.transfer")


class LogProgress:
    """An observer that logs what landed in the target and what was skipped."""

    def __init__(self, plan: TransferPlan):
        self._reasons = {v.key: v.reason for v in plan.versions}

    def __call__(self, event: Event) -> None:
        """Log ``event`` if it is worth a line."""
        item = event.item
        where = {"component": item.component, "version": item.version}
        if event.type == "skipped":
            reason = self._reasons.get((item.component, item.version), "")
            _log.info("component version skipped", extra={**where, "reason": reason})
        elif event.type == "finished" and item.kind == "componentVersion":
            _log.info("component version transferred", extra=where)
        elif event.type == "finished":
            _log.info(
                f"{item.kind} copied",
                extra={**where, item.kind: item.name, "size": event.size, "read": event.bytes},
            )


@contextmanager
def transfer_progress(plan: TransferPlan, stream: TextIO | None = None) -> Iterator[Observer]:
    """An observer for ``plan``'s events, shown on ``stream`` (default: stderr)."""
    out = stream if stream is not None else sys.stderr
    if _is_terminal(out):
        from pyocm.cli.transfer_display import TransferDisplay

        with TransferDisplay(plan, out) as display:
            yield display
    else:
        yield LogProgress(plan)


def close_target(target: Repository, stream: TextIO | None = None) -> None:
    """Close ``target``; packing an archive CTF shows its progress on a terminal ``stream``
    (default: stderr)."""
    from pyocm.repository.ctf import CTFRepository

    out = stream if stream is not None else sys.stderr
    if not isinstance(target, CTFRepository) or not target.packs_on_close:
        target.close()
        return
    if not _is_terminal(out):
        target.close()
        return
    from pyocm.cli.transfer_display import PackingDisplay

    with PackingDisplay(f"packing {target.location}", out) as display:
        target.close(progress=display)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
