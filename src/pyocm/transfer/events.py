"""Progress events of a running transfer: what started, how many bytes moved, what finished.

    >>> from pyocm.transfer.events import Event, Item
    >>> seen: list[str] = []
    >>> def observer(event: Event) -> None:
    ...     seen.append(f"{event.type} {event.item}")
    >>> observer(Event("started", Item("acme.org/app", "1.0.0", "resource", "chart"), size=42))
    >>> seen
    ["started acme.org/app:1.0.0 resource 'chart'"]

:func:`pyocm.transfer.execute_plan` calls its observer with one :class:`Event` at a time (never
from two threads at once, though from worker threads), so an observer needs no lock of its
own.  An observer that raises stops the transfer as any failed step does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

ItemKind = Literal["componentVersion", "resource", "source"]
EventType = Literal["started", "progressed", "finished", "skipped", "failed"]


@dataclass(frozen=True)
class Item:
    """One unit of work: a component version (its descriptor) or the blob of one element."""

    component: str
    version: str
    kind: ItemKind
    name: str = ""
    """The resource or source name; empty for a component version."""

    def __str__(self) -> str:
        head = f"{self.component}:{self.version}"
        return head if self.kind == "componentVersion" else f"{head} {self.kind} {self.name!r}"


@dataclass(frozen=True)
class Event:
    """Something that happened to an :class:`Item`.

    * ``started``: work on the item began; ``size`` is the blob size in bytes (``-1`` when
      unknown, and for component versions);
    * ``progressed``: ``bytes`` more bytes of the blob were read from the source;
    * ``finished``: the item landed in the target; ``bytes`` is the number of blob bytes read
      (0 when the target already held the blob);
    * ``skipped``: the component version is not transferred (see the plan for why);
    * ``failed``: the item failed; ``error`` says why.
    """

    type: EventType
    item: Item
    size: int = -1
    bytes: int = 0
    error: str = ""


Observer = Callable[[Event], None]
"""Receives the events of a transfer, one at a time."""
