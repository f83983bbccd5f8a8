"""Component name patterns of resolvers: gobwas/glob syntax, without separators.

    >>> from pyocm.repository.resolvers_glob import compile_glob
    >>> compile_glob("ocm.software/core/*").match("ocm.software/core/a/b")
    True
    >>> compile_glob("acme.org/{app,db}").match("acme.org/db")
    True
    >>> compile_glob("acme.org/[!a]*").match("acme.org/app")
    False

The Go CLI compiles ``componentNamePattern`` with ``github.com/gobwas/glob`` and declares no
separator, so ``*`` matches ``/`` as well (``acme.org/*`` matches ``acme.org/a/b``; this differs
from the ``path.Match`` globs of credential paths).  The syntax, as gobwas reads it:

* ``*`` and ``**``: any run of characters, empty included; ``?``: exactly one character;
* ``[abc]`` one of the characters, ``[a-z]`` one character of the range (a single range per
  bracket), ``[!...]`` the negation of either; ``\\`` escapes inside a bracket too;
* ``{a,b*,c}``: one of the alternatives, each a pattern itself (nesting allowed; a missing
  ``}`` closes at the end of the pattern);
* ``\\c`` is the character ``c``; a trailing ``\\`` is dropped; ``]``, ``}`` and ``,`` outside
  their brackets are plain characters;
* the pattern matches the whole name; the empty pattern matches only the empty name.

Malformed patterns (an unclosed or empty bracket, a reversed range) raise
:class:`GlobError` with gobwas's reason.  Patterns become Python regular expressions here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyocm.errors import OCMError

__all__ = ["Glob", "GlobError", "compile_glob"]


class GlobError(OCMError):
    """A component name pattern that is no valid glob."""


@dataclass(frozen=True)
class Glob:
    """A compiled component name pattern."""

    pattern: str
    regex: re.Pattern[str] = field(repr=False)

    def match(self, name: str) -> bool:
        """Whether the whole of ``name`` matches the pattern."""
        return self.regex.fullmatch(name) is not None


def compile_glob(pattern: str) -> Glob:
    """Compile ``pattern`` (gobwas syntax, no separators); :class:`GlobError` if malformed."""
    try:
        tokens = _lex(pattern)
        regex = _Parser(tokens).parse()
    except GlobError as e:
        raise GlobError(f"invalid glob pattern {pattern!r}: {e}") from None
    return Glob(pattern, re.compile(regex, re.DOTALL))


# --- lexer: token kinds as gobwas's lexer emits them ---------------------------------------

_TEXT_BREAKERS = "?*[{"
_TERMS_BREAKERS = "?*[{},"

Token = tuple[str, str]


def _lex(pattern: str) -> list[Token]:
    tokens: list[Token] = []
    depth = 0
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "{":
            depth += 1
            tokens.append(("{", c))
            i += 1
        elif c == "," and depth:
            tokens.append((",", c))
            i += 1
        elif c == "}" and depth:
            depth -= 1
            tokens.append(("}", c))
            i += 1
        elif c == "[":
            tokens.append(("[", c))
            i = _lex_range(pattern, i + 1, tokens)
        elif c == "?":
            tokens.append(("?", c))
            i += 1
        elif c == "*":
            star = "**" if pattern.startswith("**", i) else "*"
            tokens.append((star, star))
            i += len(star)
        else:
            text, i = _lex_text(pattern, i, _TERMS_BREAKERS if depth else _TEXT_BREAKERS)
            if text:
                tokens.append(("text", text))
    return tokens


def _lex_text(pattern: str, i: int, breakers: str) -> tuple[str, int]:
    """Characters up to the next unescaped breaker; escapes resolved."""
    out: list[str] = []
    escaped = False
    while i < len(pattern):
        c = pattern[i]
        if not escaped:
            if c == "\\":
                escaped = True
                i += 1
                continue
            if c in breakers:
                break
        escaped = False
        out.append(c)
        i += 1
    return "".join(out), i


def _lex_range(pattern: str, i: int, tokens: list[Token]) -> int:
    """The tokens of a bracket after its ``[``; returns the index after its ``]``."""
    want_hi = want_close = seen_not = False
    n = len(pattern)
    while True:
        if i >= n:
            raise GlobError("unexpected end of input")
        c = pattern[i]
        i += 1
        if want_close:
            if c != "]":
                raise GlobError("expected close range character")
            tokens.append(("]", c))
            return i
        if want_hi:
            tokens.append(("hi", c))
            want_close = True
            continue
        if not seen_not and c == "!":
            tokens.append(("not", c))
            seen_not = True
            continue
        if i < n and pattern[i] == "-":
            tokens.append(("lo", c))
            i += 1
            want_hi = True
            continue
        text, i = _lex_text(pattern, i - 1, "]")
        if text:
            tokens.append(("text", text))
        want_close = True


# --- parser: the regular expression gobwas's matcher is equivalent to ----------------------


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0

    def parse(self) -> str:
        # A pattern is a list of parts; braces nest lists of alternatives.
        root: list[str] = []
        stack: list[tuple[list[str], list[list[str]]]] = []
        current = root
        while self.pos < len(self.tokens):
            kind, raw = self.tokens[self.pos]
            self.pos += 1
            if kind == "text":
                current.append(re.escape(raw))
            elif kind in ("*", "**"):
                current.append(".*")
            elif kind == "?":
                current.append(".")
            elif kind == "[":
                current.append(self._bracket())
            elif kind == "{":
                alternatives: list[list[str]] = [[]]
                stack.append((current, alternatives))
                current = alternatives[0]
            elif kind == ",":
                alternatives = stack[-1][1]
                alternatives.append([])
                current = alternatives[-1]
            else:  # "}"
                current = self._close(stack)
        while stack:
            current = self._close(stack)
        return "".join(root)

    @staticmethod
    def _close(stack: list[tuple[list[str], list[list[str]]]]) -> list[str]:
        outer, alternatives = stack.pop()
        outer.append("(?:" + "|".join("".join(a) for a in alternatives) + ")")
        return outer

    def _bracket(self) -> str:
        negated = False
        lo = hi = chars = ""
        while True:
            kind, raw = self.tokens[self.pos]
            self.pos += 1
            if kind == "not":
                negated = True
            elif kind == "lo":
                lo = raw
            elif kind == "hi":
                hi = raw
                if hi < lo:
                    raise GlobError(f"hi character '{hi}' should be greater than lo '{lo}'")
            elif kind == "text":
                chars = raw
            else:  # "]"
                break
        is_range = bool(lo and hi)
        if bool(chars) == is_range:
            raise GlobError("could not parse range")
        body = (
            f"{re.escape(lo)}-{re.escape(hi)}" if is_range else "".join(re.escape(c) for c in chars)
        )
        return f"[{'^' if negated else ''}{body}]"
