"""Go's ``path.Match`` glob patterns, compiled to regular expressions.

    >>> compile_glob("sub/*.txt").fullmatch("sub/a.txt") is not None
    True
    >>> compile_glob("*.txt").fullmatch("sub/a.txt") is None      # "*" stops at "/"
    True
    >>> compile_glob("[^a-c]?").fullmatch("dz") is not None
    True

``*`` matches any run of characters except ``/``, ``?`` one such character, ``[...]`` a
character class (``^`` negates it, ``lo-hi`` ranges, ``\\`` escapes) and ``\\c`` the character
``c``.  A malformed pattern raises :class:`BadPattern`.
"""

from __future__ import annotations

import re


class BadPattern(ValueError):
    """A glob pattern that Go's ``path.Match`` rejects as malformed."""


def compile_glob(pattern: str) -> re.Pattern[str]:
    """The regular expression matching exactly what ``pattern`` matches."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "\\":
            if i + 1 >= len(pattern):
                raise BadPattern(f"{pattern!r}: trailing backslash")
            i += 1
            out.append(re.escape(pattern[i]))
        elif c == "[":
            cls, i = _char_class(pattern, i + 1)
            out.append(cls)
            continue
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    negate = i < len(pattern) and pattern[i] == "^"
    if negate:
        i += 1
    count = 0
    parts: list[str] = []
    while True:
        if i >= len(pattern):
            raise BadPattern(f"{pattern!r}: unterminated character class")
        if pattern[i] == "]" and count:
            break
        lo, i = _class_char(pattern, i)
        hi = lo
        if i < len(pattern) and pattern[i] == "-":
            hi, i = _class_char(pattern, i + 1)
        count += 1
        if lo == hi:
            parts.append(re.escape(lo))
        elif lo < hi:
            parts.append(f"{re.escape(lo)}-{re.escape(hi)}")
    if not parts:  # only empty ranges such as "z-a": Go's class then matches nothing
        return ("." if negate else "(?!)"), i + 1
    return ("[^" if negate else "[") + "".join(parts) + "]", i + 1


def _class_char(pattern: str, i: int) -> tuple[str, int]:
    if i >= len(pattern) or pattern[i] in "-]":
        raise BadPattern(f"{pattern!r}: malformed character class")
    if pattern[i] == "\\":
        i += 1
        if i >= len(pattern):
            raise BadPattern(f"{pattern!r}: trailing backslash")
    return pattern[i], i + 1
