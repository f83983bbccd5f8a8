"""Consumer identities, and whether a requested identity matches a configured one.

    >>> from pyocm.config.credentials.identity import canonical, matches, oci_registry_identity
    >>> request = oci_registry_identity("http://localhost:5000", "acme/components")
    >>> sorted(request.items())  # doctest: +NORMALIZE_WHITESPACE
    [('hostname', 'localhost'), ('path', 'acme/components'), ('port', '5000'),
     ('scheme', 'http'), ('type', 'OCIRegistry')]
    >>> canonical(request)
    'hostname=localhost,path=acme/components,port=5000,scheme=http,type=OCIRegistry'
    >>> matches(request, {"type": "OCIRegistry", "hostname": "localhost", "port": "5000",
    ...                   "path": "acme/*"})
    True
    >>> matches({"type": "OCIRegistry", "hostname": "ghcr.io", "path": "a/b/c"},
    ...         {"type": "OCIRegistry", "hostname": "ghcr.io", "path": "a/*"})
    False

An identity is a mapping of string attributes; ``type`` names the kind of consumer
(``OCIRegistry``, ``RSA/v1alpha1``, ...).  A request matches a configured identity, as Go's
``runtime.Identity.Match`` decides (``bindings/go/runtime/identity_match.go``), when all of:

* **path**: the configured entry has no (or an empty) ``path``, or its ``path`` is a
  ``path.Match`` glob matching the requested path: ``*`` and ``?`` never cross ``/``,
  ``[a-z]``/``[^x]`` classes, ``\\`` escapes; a malformed pattern matches nothing.  There is no
  prefix matching: ``acme/*`` matches ``acme/x`` but not ``acme/x/y`` or ``acme``.
* **URL**: equal ``hostname``; schemes differ only if both are set (``oci`` counts as
  ``https``); ports are equal after defaulting 443 for https and 80 for http, from whichever
  side has a scheme.
* every other attribute, ``type`` included, is equal.

Go tries an exact match of the whole identity first and then scans the configured identities
in map order, which is random.  pyocm scans deterministically, **most specific first**
(:func:`specificity`): an exact path before a glob before no path, among globs the one with more
literal segments and characters, then the one with more attributes, and finally the order in
the configuration.  This is what the Go documentation promises ("more specific identities are
checked first") and what Go does by luck.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote

__all__ = [
    "Identity",
    "canonical",
    "identity_from_url",
    "matches",
    "oci_registry_identity",
    "path_match",
    "specificity",
]

Identity = Mapping[str, str]
"""A consumer identity: attribute name to value; ``type`` names the consumer kind."""

TYPE, HOSTNAME, SCHEME, PORT, PATH = "type", "hostname", "scheme", "port", "path"
OCI_REGISTRY = "OCIRegistry"
_META = frozenset("*?[\\")


def canonical(identity: Identity) -> str:
    """The identity as ``key=value`` pairs sorted by key, joined by commas (Go's ``String``)."""
    return ",".join(f"{key}={identity[key]}" for key in sorted(identity))


# --- path.Match ------------------------------------------------------------------------------


class BadPattern(ValueError):
    """A ``path.Match`` pattern that is malformed (Go's ``ErrBadPattern``)."""

    def __init__(self) -> None:
        super().__init__("syntax error in pattern")


def _rune(data: bytes, at: int) -> tuple[int, int]:
    """The code point at byte ``at`` and its length; U+FFFD and 1 for invalid UTF-8."""
    first = data[at]
    if first < 0x80:
        return first, 1
    for size in (2, 3, 4):
        chunk = data[at : at + size]
        try:
            return ord(chunk.decode("utf-8")), size
        except UnicodeDecodeError:
            continue
    return 0xFFFD, 1


def _scan_chunk(pattern: bytes) -> tuple[bool, bytes, bytes]:
    """Leading stars, then the chunk up to the next star outside a class, then the rest."""
    star = False
    while pattern[:1] == b"*":
        pattern, star = pattern[1:], True
    in_class, i = False, 0
    while i < len(pattern):
        c = pattern[i : i + 1]
        if c == b"\\":
            if i + 1 < len(pattern):
                i += 1
        elif c == b"[":
            in_class = True
        elif c == b"]":
            in_class = False
        elif c == b"*" and not in_class:
            break
        i += 1
    return star, pattern[:i], pattern[i:]


def _class_char(chunk: bytes) -> tuple[int, bytes]:
    """One (possibly escaped) character of a class and the rest; BadPattern when impossible."""
    if not chunk or chunk[:1] in (b"-", b"]"):
        raise BadPattern
    if chunk[:1] == b"\\":
        chunk = chunk[1:]
        if not chunk:
            raise BadPattern
    rune, size = _rune(chunk, 0)
    if rune == 0xFFFD and size == 1:
        raise BadPattern
    rest = chunk[size:]
    if not rest:
        raise BadPattern
    return rune, rest


def _match_chunk(chunk: bytes, name: bytes) -> bytes | None:
    """The rest of ``name`` after ``chunk`` matched its start, or None; BadPattern if malformed.

    Like Go, the whole chunk is checked for well-formedness even after a mismatch.
    """
    failed = False
    while chunk:
        if not failed and not name:
            failed = True
        head = chunk[:1]
        if head == b"[":
            rune = 0
            if not failed:
                rune, size = _rune(name, 0)
                name = name[size:]
            chunk = chunk[1:]
            negated = chunk[:1] == b"^"
            if negated:
                chunk = chunk[1:]
            matched, ranges = False, 0
            while True:
                if chunk[:1] == b"]" and ranges > 0:
                    chunk = chunk[1:]
                    break
                low, chunk = _class_char(chunk)
                high = low
                if chunk[:1] == b"-":
                    high, chunk = _class_char(chunk[1:])
                if low <= rune <= high:
                    matched = True
                ranges += 1
            if matched == negated:
                failed = True
        elif head == b"?":
            if not failed:
                if name[:1] == b"/":
                    failed = True
                _, size = _rune(name, 0)
                name = name[size:]
            chunk = chunk[1:]
        else:
            if head == b"\\":
                chunk = chunk[1:]
                if not chunk:
                    raise BadPattern
            if not failed:
                if chunk[:1] != name[:1]:
                    failed = True
                name = name[1:]
            chunk = chunk[1:]
    return None if failed else name


def _check_rest(pattern: bytes) -> None:
    while pattern:
        _, chunk, pattern = _scan_chunk(pattern)
        _match_chunk(chunk, b"")


def path_match(pattern: str, name: str) -> bool:
    """Whether ``name`` matches the shell pattern ``pattern`` as Go's ``path.Match`` decides.

    Raises :class:`BadPattern` (a ValueError) for a malformed pattern, as Go does whenever it
    reads that far.
    """
    pat, rest = pattern.encode(), name.encode()
    while pat:
        star, chunk, pat = _scan_chunk(pat)
        if star and not chunk:
            return b"/" not in rest  # a trailing * matches the rest unless it has a /
        after = _match_chunk(chunk, rest)
        if after is not None and (not after or pat):
            rest = after
            continue
        if star:
            found = False
            i = 0
            while i < len(rest) and rest[i : i + 1] != b"/":
                after = _match_chunk(chunk, rest[i + 1 :])
                i += 1
                if after is not None:
                    if not pat and after:
                        continue
                    rest, found = after, True
                    break
            if found:
                continue
        _check_rest(pat)
        return False
    return not rest


# --- matching --------------------------------------------------------------------------------


def _path_matches(request: dict[str, str], configured: dict[str, str]) -> bool:
    requested = request.pop(PATH, "")
    pattern = configured.pop(PATH, "")
    if not pattern:
        return True
    try:
        return path_match(pattern, requested)
    except BadPattern:
        return False


def _scheme(value: str) -> str:
    return "https" if value == "oci" else value


def _default_port(scheme: str, port: str) -> str:
    if port:
        return port
    return {"https": "443", "http": "80"}.get(scheme, "")


def _url_matches(request: dict[str, str], configured: dict[str, str]) -> bool:
    values = []
    for side in (request, configured):
        values.append((_scheme(side.pop(SCHEME, "")), side.pop(HOSTNAME, ""), side.pop(PORT, "")))
    (r_scheme, r_host, r_port), (c_scheme, c_host, c_port) = values
    if r_scheme and c_scheme and r_scheme != c_scheme:
        return False
    if r_host != c_host:
        return False
    scheme = r_scheme or c_scheme
    return _default_port(scheme, r_port) == _default_port(scheme, c_port)


def matches(request: Identity, configured: Identity) -> bool:
    """Whether ``request`` matches the ``configured`` identity (path glob, URL, the rest equal)."""
    left, right = dict(request), dict(configured)
    return _path_matches(left, right) and _url_matches(left, right) and left == right


def specificity(configured: Identity) -> tuple[int, int, int, int]:
    """How specific a configured identity is; larger sorts first among several matches.

    (exact path 2 / glob 1 / no path 0, literal path segments, literal path characters,
    number of attributes).
    """
    path = configured.get(PATH, "")
    if not path:
        kind = 0
    elif _META.isdisjoint(path):
        kind = 2
    else:
        kind = 1
    segments = path.split("/") if path else []
    literal_segments = sum(1 for segment in segments if _META.isdisjoint(segment))
    literal_chars = sum(1 for c in path if c not in _META)
    return kind, literal_segments, literal_chars, len(configured)


# --- identities from URLs --------------------------------------------------------------------


def identity_from_url(url: str) -> dict[str, str]:
    """``scheme``, ``port``, ``hostname`` and ``path`` of ``url`` (Go's ``ParseURLToIdentity``).

    A URL without ``://`` is read as if it had one (``ghcr.io/acme`` has no scheme); only the
    attributes present are set, the path without its leading ``/``.  Raises ValueError for a
    port that is not a number.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    end = len(rest)
    for stop in "/?#":
        found = rest.find(stop)
        if found != -1:
            end = min(end, found)
    authority, remainder = rest[:end], rest[end:]
    path = unquote(remainder.split("?", 1)[0].split("#", 1)[0])
    host = authority.rpartition("@")[2]
    port = ""
    if host.startswith("["):
        close = host.find("]")
        if close == -1:
            raise ValueError(f"invalid URL {url!r}: missing ']' in host")
        host, tail = host[1:close], host[close + 1 :]
        if tail:
            if not tail.startswith(":") or not tail[1:].isdigit():
                raise ValueError(f"invalid URL {url!r}: invalid port {tail!r}")
            port = tail[1:]
    elif ":" in host:
        host, _, port = host.rpartition(":")
        if port and not port.isdigit():
            raise ValueError(f"invalid URL {url!r}: invalid port {':' + port!r}")
    identity: dict[str, str] = {}
    if scheme:
        identity[SCHEME] = scheme
    if port:
        identity[PORT] = port
    if host:
        identity[HOSTNAME] = host
    if path:
        identity[PATH] = path.removeprefix("/")
    return identity


def oci_registry_identity(base_url: str, sub_path: str = "") -> dict[str, str]:
    """The ``OCIRegistry`` consumer identity of an OCI repository ``base_url`` (+ ``sub_path``).

    As Go's ``IdentityFromOCIRepository``: the URL's attributes, ``path`` replaced by
    ``sub_path`` when one is given, and ``type: OCIRegistry``.
    """
    identity = identity_from_url(base_url)
    if sub_path:
        identity[PATH] = sub_path.removeprefix("/")
    identity[TYPE] = OCI_REGISTRY
    return identity
