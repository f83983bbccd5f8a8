"""Registry credentials, ``WWW-Authenticate`` challenges, token scopes and the token cache.

    >>> from pyocm.oci.auth import Credentials, parse_challenge, repository_scope
    >>> creds = Credentials(username="user", password="secret")
    >>> creds
    Credentials(username='user', password=***)
    >>> challenge = parse_challenge(
    ...     'Bearer realm="https://auth.example/token",service="registry",scope="a:b:pull"'
    ... )
    >>> challenge.scheme, challenge.params["service"]
    ('bearer', 'registry')
    >>> repository_scope("acme/app", "pull", "push")
    'repository:acme/app:pull,push'

The client asks a :data:`CredentialsProvider` (``host -> credentials or None``) once per
registry host.  Anything with the four attributes of :class:`RegistryCredentials` will do, so the
credentials model of :mod:`pyocm.config` can be handed over as it is.  Secrets never appear in a
``repr``, a message or a log line.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from pyocm._internal.patterns import LazyPattern


class RegistryCredentials(Protocol):
    """What the registry client reads from a credentials object (empty string = not set)."""

    @property
    def username(self) -> str: ...

    @property
    def password(self) -> str: ...

    @property
    def access_token(self) -> str: ...

    @property
    def refresh_token(self) -> str: ...


@dataclass(frozen=True)
class Credentials:
    """Credentials for one registry: basic (username/password) and/or tokens.

    ``access_token`` is sent as a bearer token as it is; ``refresh_token`` is exchanged for an
    access token at the registry's token service (OAuth2 ``refresh_token`` grant).
    """

    username: str = ""
    password: str = field(default="", repr=False)
    access_token: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)

    def __repr__(self) -> str:
        shown = [f"username={self.username!r}"]
        shown += [
            f"{name}=***"
            for name in ("password", "access_token", "refresh_token")
            if getattr(self, name)
        ]
        return f"Credentials({', '.join(shown)})"


CredentialsProvider = Callable[[str], RegistryCredentials | None]
"""Looks up the credentials for a registry host (``host[:port]``); ``None`` means anonymous."""


def no_credentials(host: str) -> None:
    """The default :data:`CredentialsProvider`: anonymous access everywhere."""
    return None


@dataclass(frozen=True)
class Challenge:
    """One ``WWW-Authenticate`` challenge: scheme (lowercase) and its parameters."""

    scheme: str
    params: dict[str, str]


_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_PARAM = LazyPattern(rf'\s*({_TOKEN})\s*=\s*(?:"((?:[^"\\]|\\.)*)"|({_TOKEN}))\s*(?:,|$)')
_SCHEME = LazyPattern(rf"\s*({_TOKEN})(?:\s+|$)")


def parse_challenge(header: str) -> Challenge:
    """Parse a ``WWW-Authenticate`` value (``Bearer realm="…",service="…"`` or ``Basic …``).

    Unparseable parameters are skipped; a header without a scheme gives scheme ``""``.
    """
    match = _SCHEME.match(header)
    if match is None:
        return Challenge("", {})
    params: dict[str, str] = {}
    pos = match.end()
    while pos < len(header):
        param = _PARAM.match(header, pos)
        if param is None:
            break
        name, quoted, bare = param.groups()
        value = bare if quoted is None else re.sub(r"\\(.)", r"\1", quoted)
        params[name.lower()] = value
        pos = param.end()
    return Challenge(match.group(1).lower(), params)


def repository_scope(name: str, *actions: str) -> str:
    """The token scope for ``actions`` (``pull``, ``push``, ``delete``) on repository ``name``."""
    return f"repository:{name}:{','.join(actions)}"


def merge_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    """Scopes with the actions of one resource merged, sorted: a stable token cache key.

    ``repository:a:pull`` and ``repository:a:push`` become ``repository:a:pull,push``; a scope
    that is not ``type:name:actions`` is kept as it is.
    """
    actions: dict[str, set[str]] = {}
    other: set[str] = set()
    for scope in scopes:
        for item in scope.split(" "):
            resource, sep, acts = item.rpartition(":")
            if not item:
                continue
            if not sep or resource.count(":") < 1:
                other.add(item)
                continue
            actions.setdefault(resource, set()).update(a for a in acts.split(",") if a)
    merged = {f"{res}:{','.join(sorted(acts))}" for res, acts in actions.items() if acts}
    return tuple(sorted(merged | other))


@dataclass
class _Token:
    value: str
    expires_at: float


class TokenCache:
    """Bearer tokens by (host, scopes), dropped when they expire; safe across threads."""

    EXPIRY_MARGIN = 5.0
    """Seconds before its stated expiry that a token is no longer handed out."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._tokens: dict[tuple[str, tuple[str, ...]], _Token] = {}
        self._lock = threading.Lock()

    def get(self, host: str, scopes: tuple[str, ...]) -> str | None:
        """The cached token for ``scopes`` on ``host`` if it is still valid."""
        with self._lock:
            token = self._tokens.get((host, scopes))
            if token is None:
                return None
            if token.expires_at - self.EXPIRY_MARGIN <= self._clock():
                del self._tokens[(host, scopes)]
                return None
            return token.value

    def put(self, host: str, scopes: tuple[str, ...], token: str, expires_in: float) -> None:
        """Remember ``token`` for ``expires_in`` seconds."""
        with self._lock:
            self._tokens[(host, scopes)] = _Token(token, self._clock() + expires_in)

    def drop(self, host: str, scopes: tuple[str, ...]) -> None:
        """Forget the token for ``scopes`` on ``host`` (the registry refused it)."""
        with self._lock:
            self._tokens.pop((host, scopes), None)
