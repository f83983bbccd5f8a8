"""Errors raised by pyocm.

Every error pyocm raises on purpose derives from :class:`OCMError`.  The CLI prints
``Error: <str(err)>`` and exits 1; :meth:`OCMError.diagnostics` gives a longer,
multi-line explanation where one exists.

    >>> from pyocm.errors import ValidationError, Violation
    >>> err = ValidationError([Violation("component.name", "must not be empty")])
    >>> str(err)
    'invalid component descriptor: component.name: must not be empty'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class OCMError(Exception):
    """Base class of all pyocm errors."""

    def diagnostics(self) -> str:
        """A human explanation of the error; by default the message itself."""
        return str(self)


class NotFound(OCMError):
    """A component version, resource, blob or other named thing does not exist."""


class UnsupportedAlgorithm(OCMError):
    """A hash, normalisation or signature algorithm that pyocm does not implement."""


@dataclass(frozen=True)
class Violation:
    """One rule broken by a document, with the path to the offending field."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ValidationError(OCMError):
    """A document (descriptor, constructor, config) breaks one or more rules."""

    def __init__(self, violations: Sequence[Violation], what: str = "component descriptor"):
        self.violations = list(violations)
        self.what = what
        shown = "; ".join(str(v) for v in self.violations[:3])
        more = len(self.violations) - 3
        suffix = f" (and {more} more)" if more > 0 else ""
        super().__init__(f"invalid {what}: {shown}{suffix}")

    def diagnostics(self) -> str:
        lines = [f"invalid {self.what}:"]
        lines += [f"  - {v}" for v in self.violations]
        return "\n".join(lines)


class DigestMismatch(OCMError):
    """Content does not match the digest recorded for it."""

    def __init__(self, what: str, expected: str, actual: str):
        self.what = what
        self.expected = expected
        self.actual = actual
        super().__init__(f"digest mismatch for {what}: expected {expected}, got {actual}")


class SignatureError(OCMError):
    """A signature cannot be created or does not verify."""

    def __init__(self, signature: str, reason: str):
        self.signature = signature
        self.reason = reason
        super().__init__(f"signature {signature!r}: {reason}")


class NotReproducible(OCMError):
    """Content whose location does not pin it (a branch rather than a commit): it must not be
    copied by value, nor silently kept by reference where a copy was asked for."""


class CredentialsError(OCMError):
    """Credentials or keys are missing or malformed."""


class RegistryError(OCMError):
    """An OCI registry request failed for good: what was done to which URL, and why.

    ``status`` is the HTTP status (``None`` when no answer came), ``code`` and ``detail`` the
    first entry of the registry's error body where it sent one.  The URL carries no query
    string and no credentials.
    """

    def __init__(
        self,
        method: str,
        url: str,
        status: int | None,
        reason: str,
        code: str = "",
        detail: str = "",
    ):
        self.method = method
        self.url = url
        self.status = status
        self.reason = reason
        self.code = code
        self.detail = detail
        parts = [f"{method} {url}: "]
        parts.append(reason if status is None else f"{status} {reason}".rstrip())
        if code:
            parts.append(f": {code}")
        if detail:
            parts.append(f": {detail}")
        super().__init__("".join(parts))


class RegistryNotFound(RegistryError, NotFound):
    """The registry answered 404: the repository, manifest, tag or blob does not exist."""
