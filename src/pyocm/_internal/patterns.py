"""Regular expressions compiled when first used, so importing a module that defines one is cheap.

    >>> from pyocm._internal.patterns import LazyPattern
    >>> word = LazyPattern(r"[a-z]+")
    >>> word.fullmatch("abc") is not None, word.fullmatch("a1") is None
    (True, True)
    >>> [m.group(0) for m in word.finditer("ab, cd")]
    ['ab', 'cd']

A long pattern costs a millisecond or more to compile, paid by every ``ocm`` process that
imports its module at start-up; one used only by some commands (version constraints, registry
challenges) is better a :class:`LazyPattern`.  Patterns every command uses stay ``re.compile``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled on the first match."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled expression."""
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return self._compiled

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As :meth:`re.Pattern.match`."""
        return self.compiled.match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        """As :meth:`re.Pattern.fullmatch`."""
        return self.compiled.fullmatch(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """As :meth:`re.Pattern.finditer`."""
        return self.compiled.finditer(string, pos, endpos)
