"""Bounded retries with exponential back-off, jitter and ``Retry-After``.

    >>> from pyocm.oci.retry import RetryPolicy, parse_retry_after
    >>> policy = RetryPolicy(attempts=3, initial_delay=0.5, max_delay=4.0, jitter=0.0)
    >>> [policy.delay(n) for n in (1, 2, 3, 4)]
    [0.5, 1.0, 2.0, 4.0]
    >>> policy.delay(1, retry_after=3.0)
    3.0
    >>> parse_retry_after("2")
    2.0
    >>> attempts = policy.start()
    >>> [attempts.next_wait() is not None for _ in range(3)]
    [True, True, False]

A request is tried at most ``attempts`` times, and never longer than ``total`` seconds counted
from the first try.  Which failures are worth another try (429, most 5xx, dropped connections)
is decided by the client; this module only says how long to wait and when to stop.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
"""HTTP statuses that a later try may cure."""


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date), or ``None``."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a request that failed for a passing reason.

    The n-th wait is ``initial_delay * multiplier**(n-1)``, capped at ``max_delay``, shortened
    by up to ``jitter`` (a fraction) at random so that clients do not retry in lockstep.  A
    ``Retry-After`` from the registry wins when it asks for longer.
    """

    attempts: int = 5
    initial_delay: float = 0.25
    multiplier: float = 2.0
    max_delay: float = 8.0
    total: float = 120.0
    jitter: float = 0.5
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the first retry)."""
        base = min(self.max_delay, self.initial_delay * self.multiplier ** (retry - 1))
        if self.jitter:
            base *= 1.0 - self.jitter * random.random()
        if retry_after is not None:
            base = max(base, retry_after)
        return base

    def start(self) -> Attempts:
        """A fresh attempt counter for one operation."""
        return Attempts(self)


class Attempts:
    """Counts the tries of one operation against a :class:`RetryPolicy`."""

    def __init__(self, policy: RetryPolicy):
        self.policy = policy
        self.tries = 1
        self._started = time.monotonic()

    def next_wait(self, retry_after: float | None = None) -> float | None:
        """Seconds to wait before the next try, or ``None`` when the budget is spent."""
        if self.tries >= self.policy.attempts:
            return None
        wait = self.policy.delay(self.tries, retry_after)
        if time.monotonic() - self._started + wait > self.policy.total:
            return None
        self.tries += 1
        return wait

    def backoff(self, retry_after: float | None = None) -> bool:
        """Wait before the next try and return ``True``, or return ``False`` when spent."""
        wait = self.next_wait(retry_after)
        if wait is None:
            return False
        self.policy.sleep(wait)
        return True
