"""Semantic versions and version constraints, as the Go ``ocm`` CLI reads them.

    >>> from pyocm.semver import Constraint, Version, filter_and_sort
    >>> Version.parse("v1.2") < Version.parse("1.2.1-rc.1")
    True
    >>> Constraint.parse(">= 1.2, < 2").check("1.9.0")
    True
    >>> Constraint.parse(">= 1.2, < 2").check("1.9.0-rc.1")  # no prerelease in the constraint
    False
    >>> filter_and_sort(["0.1.0", "latest", "0.10.0", "0.2.0-rc.1"], "> 0.0.0-0", latest=False)
    Selection(versions=['0.10.0', '0.2.0-rc.1', '0.1.0'], skipped=['latest'])

This is the behaviour of ``github.com/Masterminds/semver/v3`` (v3.5.0, the version the Go CLI
is built with), reproduced rule by rule:

* :meth:`Version.parse` is the lenient ``NewVersion``: an optional ``v``, a missing minor or
  patch (``1``, ``1.2``), leading zeros in the numbers (``01.2.3``), a prerelease and build
  metadata.  ``strict=True`` is ``StrictNewVersion``: exactly ``MAJOR.MINOR.PATCH`` as semver
  2.0 says.  Numbers must fit 64 bits; a version is at most 256 bytes long.
* Ordering follows semver 2.0 precedence: a prerelease sorts before its release, prerelease
  identifiers compare numerically when both are numbers and as text otherwise, numbers before
  text.  Build metadata is ignored, so ``1.0.0+a == 1.0.0+b``.
* :class:`Constraint` understands ``=``, ``!=``, ``>``, ``<``, ``>=``, ``<=`` (also ``=>``,
  ``=<``), ``~``/``~>``, ``^``, the wildcards ``x``, ``X`` and ``*``, hyphen ranges
  (``1.2 - 2.3``), ``||`` between alternatives, and commas or spaces between the terms that
  must all hold.  A group of terms without any prerelease in it never matches a prerelease
  version; that is why the CLI default ``> 0.0.0-0`` is what lets prereleases through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from pyocm._internal.patterns import LazyPattern
from pyocm.errors import OCMError

MAX_VERSION_LENGTH = 256
"""Longest version string accepted, in bytes (Masterminds ``MaxVersionLen``)."""

MAX_CONSTRAINT_LENGTH = 512
"""Longest constraint string accepted, in bytes (Masterminds ``MaxConstraintLen``)."""

MAX_CONSTRAINT_GROUPS = 32
"""Most ``||`` alternatives accepted in one constraint (Masterminds ``MaxConstraintGroups``)."""

DEFAULT_CONSTRAINT = "> 0.0.0-0"
"""The default of ``ocm get cv --semver-constraint``: every version, prereleases included."""

_UINT64_MAX = 2**64 - 1
_IDENTIFIER_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789")

# The lenient version grammar.  Go's regexp ``$`` means end of text, hence ``fullmatch``.
_LOOSE_VERSION = re.compile(
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _uint64(text: str) -> int | None:
    """``text`` as Go's ``strconv.ParseUint(text, 10, 64)`` reads it, or None."""
    if not _is_digits(text):
        return None
    value = int(text)
    return value if value <= _UINT64_MAX else None


def _check_prerelease(pre: str) -> str | None:
    for part in pre.split("."):
        if part == "":
            return "invalid prerelease string"
        if _is_digits(part):
            if len(part) > 1 and part[0] == "0":
                return "version segment starts with 0"
        elif not set(part) <= _IDENTIFIER_CHARS:
            return "invalid prerelease string"
    return None


def _check_metadata(meta: str) -> str | None:
    for part in meta.split("."):
        if part == "" or not set(part) <= _IDENTIFIER_CHARS:
            return "invalid metadata string"
    return None


def _compare_prerelease_part(a: str, b: str) -> int:
    if a == b:
        return 0
    if a == "":
        return -1
    if b == "":
        return 1
    a_num, b_num = _uint64(a), _uint64(b)
    if a_num is None and b_num is None:
        return 1 if a > b else -1
    if b_num is None:  # a is a number, b is text: numbers sort first
        return -1
    if a_num is None:
        return 1
    return 1 if a_num > b_num else -1


def _compare_prerelease(a: str, b: str) -> int:
    a_parts, b_parts = a.split("."), b.split(".")
    for i in range(max(len(a_parts), len(b_parts))):
        d = _compare_prerelease_part(
            a_parts[i] if i < len(a_parts) else "", b_parts[i] if i < len(b_parts) else ""
        )
        if d:
            return d
    return 0


@dataclass(frozen=True, eq=False)
class Version:
    """A semantic version: three numbers, an optional prerelease and build metadata.

    Versions compare by semver precedence (build metadata ignored); ``original`` keeps the
    text the version was parsed from, ``str()`` gives the canonical ``MAJOR.MINOR.PATCH`` form.
    """

    major: int
    minor: int
    patch: int
    prerelease: str = ""
    metadata: str = ""
    original: str = ""

    @classmethod
    def parse(cls, text: str, *, strict: bool = False) -> Version:
        """Read ``text`` leniently (``v1``, ``1.2``, ``01.2.3`` are fine) or, with ``strict``,
        as an exact semver 2.0 version.

        Raises :class:`pyocm.errors.OCMError` naming the text when it is no version.
        """
        if len(text.encode("utf-8")) > MAX_VERSION_LENGTH:
            raise _invalid_version(text, f"longer than {MAX_VERSION_LENGTH} bytes")
        version, problem = (_parse_strict if strict else _parse_loose)(text)
        if version is None:
            raise _invalid_version(text, problem)
        return version

    @classmethod
    def try_parse(cls, text: str, *, strict: bool = False) -> Version | None:
        """Like :meth:`parse`, but None instead of an error."""
        try:
            return cls.parse(text, strict=strict)
        except OCMError:
            return None

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += f"-{self.prerelease}"
        if self.metadata:
            text += f"+{self.metadata}"
        return text

    def compare(self, other: Version) -> int:
        """-1, 0 or 1 as this version has lower, equal or higher precedence than ``other``."""
        mine = (self.major, self.minor, self.patch)
        theirs = (other.major, other.minor, other.patch)
        if mine != theirs:
            return -1 if mine < theirs else 1
        if self.prerelease == other.prerelease:
            return 0
        if not self.prerelease:
            return 1
        if not other.prerelease:
            return -1
        return _compare_prerelease(self.prerelease, other.prerelease)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.compare(other) == 0

    def __hash__(self) -> int:
        return hash((self.major, self.minor, self.patch, self.prerelease))

    def __lt__(self, other: Version) -> bool:
        return self.compare(other) < 0

    def __le__(self, other: Version) -> bool:
        return self.compare(other) <= 0

    def __gt__(self, other: Version) -> bool:
        return self.compare(other) > 0

    def __ge__(self, other: Version) -> bool:
        return self.compare(other) >= 0


def _invalid_version(text: str, problem: str) -> OCMError:
    return OCMError(f"invalid semantic version {_quote(text)}: {problem}")


def _parse_loose(text: str) -> tuple[Version | None, str]:
    m = _LOOSE_VERSION.fullmatch(text)
    if m is None:
        return None, "invalid semantic version"
    numbers = [_uint64(g.removeprefix(".")) if g else 0 for g in m.group(1, 2, 3)]
    if any(n is None for n in numbers):
        return None, "version segment does not fit 64 bits"
    pre, meta = m.group(5) or "", m.group(8) or ""
    problem = (_check_prerelease(pre) if pre else None) or (_check_metadata(meta) if meta else None)
    if problem:
        return None, problem
    major, minor, patch = (n or 0 for n in numbers)
    return Version(major, minor, patch, pre, meta, text), ""


def _parse_strict(text: str) -> tuple[Version | None, str]:
    if text == "":
        return None, "version string empty"
    parts = text.split(".", 2)
    if len(parts) != 3:
        return None, "invalid semantic version"
    meta = pre = ""
    if "+" in parts[2]:
        parts[2], meta = parts[2].split("+", 1)
        if problem := _check_metadata(meta):
            return None, problem
    if "-" in parts[2]:
        parts[2], pre = parts[2].split("-", 1)
        if problem := _check_prerelease(pre):
            return None, problem
    numbers: list[int] = []
    for part in parts:
        if part and not _is_digits(part):
            return None, "invalid characters in version"
        if len(part) > 1 and part[0] == "0":
            return None, "version segment starts with 0"
        number = _uint64(part)
        if number is None:
            return None, "version segment is no 64-bit number"
        numbers.append(number)
    return Version(numbers[0], numbers[1], numbers[2], pre, meta, text), ""


# --- constraints -------------------------------------------------------------------------

# Go's RE2 ``\s`` is ASCII whitespace without \v; Python's would take Unicode spaces too.
_WS = r"[\t\n\f\r ]"
_CV = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
# The empty alternative is Masterminds' "no operator" (a plain version or wildcard).
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"

_TERM = LazyPattern(rf"{_WS}*({_OPS}){_WS}*({_CV}){_WS}*")
_FIND_TERM = LazyPattern(rf"({_OPS}){_WS}*({_CV})")
_RANGE = LazyPattern(rf"{_WS}*({_CV}){_WS}+-{_WS}+({_CV}){_WS}*")
# Masterminds validates each ``||`` group with
#   ^(\s*(ops)\s*(cv)\s*)((?:\s+|,\s*)(ops)\s*(cv)\s*)*$
# That pattern is fine for Go's linear-time engine but backtracks exponentially in Python
# on long invalid input.  This one accepts the same strings: whitespace never belongs to a
# version or an operator, so runs of it can be taken possessively (``*+``, ``++``).
_VALID_GROUP = LazyPattern(
    rf"{_WS}*+(?:{_OPS}){_WS}*+{_CV}"
    rf"(?:(?:{_WS}++(?:,{_WS}*+)?|,{_WS}*+)(?:{_OPS}){_WS}*+{_CV})*{_WS}*+"
)


def _quote(text: str) -> str:
    """``text`` in double quotes, as Go's ``%q`` shows ASCII text."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _is_wildcard(text: str) -> bool:
    return text in ("x", "X", "*")


@dataclass(frozen=True)
class _Term:
    """One comparison of a constraint, e.g. ``>=1.2`` or ``~1.x``."""

    op: str
    orig: str
    con: Version
    dirty: bool = False
    minor_dirty: bool = False
    patch_dirty: bool = False

    def __str__(self) -> str:
        return self.op + self.orig

    def failure(self, v: Version, include_pre: bool) -> str | None:
        """Why ``v`` does not satisfy this term, or None when it does."""
        if v.prerelease and not include_pre:
            return (
                f"{_quote(str(v))} is a prerelease version and the constraint is only "
                "looking for release versions"
            )
        match self.op:
            case "" | "=":
                return self._tilde(v) if self.dirty else self._equal(v)
            case "!=":
                return self._not_equal(v)
            case ">":
                return self._greater(v)
            case "<":
                return None if v < self.con else self._says(v, "is greater than or equal to")
            case ">=" | "=>":
                return None if v >= self.con else self._says(v, "is less than")
            case "<=" | "=<":
                return self._less_equal(v)
            case "~" | "~>":
                return self._tilde(v)
            case _:  # "^", the only operator left in the grammar
                return self._caret(v)

    def _says(self, v: Version, relation: str, tail: str = "") -> str:
        return f"{_quote(str(v))} {relation} {_quote(self.orig)}{tail}"

    def _equal(self, v: Version) -> str | None:
        return None if v == self.con else self._says(v, "is not equal to")

    def _not_equal(self, v: Version) -> str | None:
        con = self.con
        if self.dirty:
            if con.major != v.major:
                return None
            if con.minor != v.minor and not self.minor_dirty:
                return None
            if self.minor_dirty:
                return self._says(v, "is equal to")
            if con.patch != v.patch and not self.patch_dirty:
                return None
            if self.patch_dirty:
                if (v.prerelease or con.prerelease) and _compare_prerelease(
                    v.prerelease, con.prerelease
                ):
                    return None
                return self._says(v, "is equal to")
        return self._says(v, "is equal to") if v == con else None

    def _greater(self, v: Version) -> str | None:
        con = self.con
        if self.dirty:
            if v.major != con.major:
                return None if v.major > con.major else self._says(v, "is less than or equal to")
            if self.minor_dirty:  # >11 is not met by 11.1.0
                return self._says(v, "is less than or equal to")
            if self.patch_dirty:  # >11.1 is not met by 11.1.1
                return None if v.minor > con.minor else self._says(v, "is less than or equal to")
        return None if v > con else self._says(v, "is less than or equal to")

    def _less_equal(self, v: Version) -> str | None:
        con = self.con
        if not self.dirty:
            return None if v <= con else self._says(v, "is greater than")
        if v.major > con.major or (
            v.major == con.major and v.minor > con.minor and not self.minor_dirty
        ):
            return self._says(v, "is greater than")
        return None

    def _tilde(self, v: Version) -> str | None:
        con = self.con
        if v < con:
            return self._says(v, "is less than")
        if (con.major, con.minor, con.patch) == (0, 0, 0) and not (
            self.minor_dirty or self.patch_dirty
        ):
            return None  # ~0.0.0 accepts everything
        if v.major != con.major:
            return self._says(v, "does not have same major version as")
        if v.minor != con.minor and not self.minor_dirty:
            return self._says(v, "does not have same major and minor version as")
        return None

    def _caret(self, v: Version) -> str | None:
        con = self.con
        if v < con:
            return self._says(v, "is less than")
        if con.major > 0 or self.minor_dirty:
            return (
                None
                if v.major == con.major
                else self._says(v, "does not have same major version as")
            )
        if v.major > 0:
            return self._says(v, "does not have same major version as")
        if con.minor > 0 or self.patch_dirty:
            if v.minor == con.minor:
                return None
            return self._says(
                v,
                "does not have same minor version as",
                ". Expected minor versions to match when constraint major version is 0",
            )
        if v.minor > 0:
            return self._says(v, "does not have same minor version as")
        if v.patch == con.patch:
            return None
        return self._says(
            v,
            "does not equal",
            ". Expect version and constraint to equal when major and minor versions are 0",
        )


def _parse_term(text: str) -> _Term | None:
    """One comparison; None when the text is not one (Masterminds ``parseConstraint``)."""
    if text == "":  # the same as "*" or ">=0.0.0"
        return _Term("", "", Version(0, 0, 0, original="0.0.0"), dirty=True)
    m = _TERM.fullmatch(text)
    if m is None:
        return None
    op, orig = m.group(1), m.group(2)
    major, minor, patch, pre = m.group(3), m.group(4) or "", m.group(5) or "", m.group(6) or ""
    version_text, dirty, minor_dirty, patch_dirty = orig, False, False, False
    if _is_wildcard(major):
        version_text, dirty = f"0.0.0{pre}", True
    elif minor == "" or _is_wildcard(minor[1:]):
        version_text, dirty, minor_dirty = f"{major}.0.0{pre}", True, True
    elif patch == "" or _is_wildcard(patch[1:]):
        version_text, dirty, patch_dirty = f"{major}{minor}.0{pre}", True, True
    con = Version.try_parse(version_text)
    if con is None:
        return None
    return _Term(op, orig, con, dirty, minor_dirty, patch_dirty)


def _rewrite_ranges(text: str) -> str:
    """Hyphen ranges ``A - B`` become ``>= A, <= B `` (Masterminds ``rewriteRange``)."""
    for m in list(_RANGE.finditer(text)):
        text = text.replace(m.group(0), f">= {m.group(1)}, <= {m.group(11)} ", 1)
    return text


class Constraint:
    """A version constraint such as ``>= 1.2, < 2 || ^3.1``.

    A version satisfies it when it satisfies every term of at least one ``||`` group.
    """

    def __init__(
        self,
        text: str,
        groups: tuple[tuple[_Term, ...], ...],
        *,
        include_prerelease: bool = False,
    ):
        self.text = text
        self._groups = groups
        self._group_has_prerelease = tuple(any(t.con.prerelease for t in g) for g in groups)
        self.include_prerelease = include_prerelease

    @classmethod
    def parse(cls, text: str, *, include_prerelease: bool = False) -> Constraint:
        """Read a constraint in the Masterminds syntax.

        ``include_prerelease`` lets prerelease versions match groups that name no prerelease.
        Raises :class:`pyocm.errors.OCMError` naming ``text`` when it is not a constraint.
        """
        if len(text.encode("utf-8")) > MAX_CONSTRAINT_LENGTH:
            raise _invalid_constraint(text, f"longer than {MAX_CONSTRAINT_LENGTH} bytes")
        alternatives = _rewrite_ranges(text).split("||")
        if len(alternatives) > MAX_CONSTRAINT_GROUPS:
            raise _invalid_constraint(text, f"more than {MAX_CONSTRAINT_GROUPS} || groups")
        groups: list[tuple[_Term, ...]] = []
        for alternative in alternatives:
            if not _VALID_GROUP.fullmatch(alternative):
                raise _invalid_constraint(text, f"improper constraint: {_quote(alternative)}")
            found = [m.group(0) for m in _FIND_TERM.finditer(alternative)] or [alternative]
            terms: list[_Term] = []
            for term_text in found:
                term = _parse_term(term_text)
                if term is None:
                    raise _invalid_constraint(text, f"improper constraint: {_quote(term_text)}")
                terms.append(term)
            groups.append(tuple(terms))
        return cls(text, tuple(groups), include_prerelease=include_prerelease)

    @property
    def groups(self) -> tuple[tuple[str, ...], ...]:
        """The ``||`` alternatives, each as its terms in canonical form (``>=1.2``)."""
        return tuple(tuple(str(t) for t in g) for g in self._groups)

    def check(self, version: Version | str) -> bool:
        """Whether ``version`` (a :class:`Version` or text read leniently) satisfies this.

        Text that is no version raises :class:`pyocm.errors.OCMError`.
        """
        v = version if isinstance(version, Version) else Version.parse(version)
        for group, has_pre in zip(self._groups, self._group_has_prerelease, strict=True):
            include_pre = self.include_prerelease or has_pre
            if all(term.failure(v, include_pre) is None for term in group):
                return True
        return False

    def validate(self, version: Version | str) -> tuple[bool, list[str]]:
        """Like :meth:`check`, plus the reasons why each failing term rejects ``version``."""
        v = version if isinstance(version, Version) else Version.parse(version)
        reasons: list[str] = []
        prerelease_noted = False
        for group, has_pre in zip(self._groups, self._group_has_prerelease, strict=True):
            include_pre = self.include_prerelease or has_pre
            ok = True
            for term in group:
                if v.prerelease and not include_pre:
                    if not prerelease_noted:
                        reasons.append(
                            f"{_quote(str(v))} is a prerelease version and the constraint is "
                            "only looking for release versions"
                        )
                        prerelease_noted = True
                    ok = False
                elif (reason := term.failure(v, include_pre)) is not None:
                    reasons.append(reason)
                    ok = False
            if ok:
                return True, []
        return False, reasons

    def __str__(self) -> str:
        return " || ".join(" ".join(str(t) for t in g) for g in self._groups)

    def __repr__(self) -> str:
        return f"Constraint({self.text!r})"


def _invalid_constraint(text: str, problem: str) -> OCMError:
    return OCMError(f"invalid semantic version constraint {_quote(text)}: {problem}")


class Selection(NamedTuple):
    """The result of :func:`filter_and_sort`."""

    versions: list[str]
    """The versions kept, highest first, as given (not normalised)."""
    skipped: list[str]
    """The inputs that are no semantic version, in input order; callers may log them."""


def filter_and_sort(
    versions: Iterable[str], constraint: str | None, latest: bool = False
) -> Selection:
    """Select versions the way ``ocm get cv`` does when the reference names none.

    Text that is no semantic version is skipped; the rest is filtered by ``constraint``
    (none when it is None or empty), sorted highest first and, with ``latest``, cut to the
    first.  Versions of equal precedence (``1.0.0`` and ``v1.0.0+build``) keep their input
    order.  Go sorts with an unstable sort here and, without a constraint, keeps the
    non-semver tags in an undefined place; pyocm returns them in ``skipped`` instead.

    Raises :class:`pyocm.errors.OCMError` naming the constraint when it is invalid, even if
    ``versions`` is empty.
    """
    parsed_constraint = Constraint.parse(constraint) if constraint else None
    kept: list[tuple[Version, str]] = []
    skipped: list[str] = []
    for text in versions:
        version = Version.try_parse(text)
        if version is None:
            skipped.append(text)
        elif parsed_constraint is None or parsed_constraint.check(version):
            kept.append((version, text))
    kept.sort(key=lambda pair: pair[0], reverse=True)
    selected = [text for _, text in kept]
    return Selection(selected[:1] if latest else selected, skipped)
