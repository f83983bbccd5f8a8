"""Repository and component references, parsed exactly as the Go v2 CLI parses them.

    >>> from pyocm.repository.reference import parse_component_reference, parse_repository
    >>> ref = parse_component_reference("./transport-archive//github.com/acme.org/helloworld:1.0.0")
    >>> ref.repository, ref.component, ref.version
    (CTFSpec(file_path='./transport-archive', type='CommonTransportFormat/v1'), \
'github.com/acme.org/helloworld', '1.0.0')
    >>> parse_repository("ghcr.io/acme/ocm")
    OCISpec(base_url='ghcr.io', sub_path='acme/ocm', type='OCIRepository/v1')
    >>> parse_repository("ctf::my.dir").file_path
    'my.dir'

A repository reference is ``[<type>::]<repository>``; a component reference is
``[<type>::]<repository>/[component-descriptors]/<component>[:<version>][@<digest>]``.
Without a type the kind is guessed (Go v2 ``compref.guessType``), first hit wins:

1. Windows absolute path (``C:\\`` or ``C:/``): CTF
2. a URL with scheme ``file``: CTF; any other scheme (``http``, ``https``, ``oci``): OCI
3. an absolute path: CTF
4. a relative path whose cleaned form starts with ``..``, or text starting with ``./``: CTF
5. contains ``:`` or is ``localhost``: OCI
6. ends with ``.tar``, ``.tgz`` or ``.tar.gz`` (any case): CTF
7. contains a dot and a letter (``ghcr.io``, ``my.dir``): OCI
8. anything else: CTF

Configuration files name repositories by typed specifications instead
(``{type: OCIRepository/v1, baseUrl: ghcr.io, subPath: acme}``): :func:`spec_from_mapping`
reads one, :func:`spec_to_mapping` writes one.

Malformed references raise :class:`InvalidReference` with one line naming the input.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from pyocm.errors import OCMError

CTF_TYPE = "CommonTransportFormat/v1"
OCI_TYPE = "OCIRepository/v1"
DEFAULT_PREFIX = "component-descriptors"

_CTF_NAMES = ("CommonTransportFormat", "CTF", "ctf")
_OCI_NAMES = ("OCIRepository", "OCI", "oci", "OCIRegistry", "ociRegistry")
_TYPE_KINDS = {
    **{name: "ctf" for name in _CTF_NAMES},
    **{name: "oci" for name in _OCI_NAMES},
}
_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar")

COMPONENT_PATTERN = (
    r"^[a-z][-a-z0-9]*([.][a-z][-a-z0-9]*)*[.][a-z]{2,}(/[a-z][-a-z0-9_]*([.][a-z][-a-z0-9_]*)*)+$"
)
VERSION_PATTERN = (
    r"^[v]?(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?(?:\.(0|[1-9][0-9]*))?"
    r"(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
DIGEST_PATTERN = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}"

_COMPONENT = re.compile(COMPONENT_PATTERN)
_VERSION = re.compile(VERSION_PATTERN)
_DIGEST = re.compile(DIGEST_PATTERN)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PORT = re.compile(r"^[0-9]*$")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


class InvalidReference(OCMError):
    """A repository or component reference that cannot be parsed.

    ``repository`` is the parsed repository part of a component reference whose component part
    (name, version or digest) is malformed, so that a caller can say first when that repository
    is missing or is no repository at all; ``None`` otherwise.
    """

    def __init__(self, message: str, *, repository: RepositorySpec | None = None) -> None:
        super().__init__(message)
        self.repository = repository


class _NoComponentPart(InvalidReference):
    """The reference has no ``//`` or ``/component-descriptors/`` after its repository."""


@dataclass(frozen=True)
class CTFSpec:
    """A Common Transport Format archive: a directory, tar or tgz at ``file_path``."""

    file_path: str
    type: str = CTF_TYPE

    @property
    def path(self) -> str:
        """The file system path (``file_path`` without a ``file://`` prefix)."""
        return self.file_path.removeprefix("file://")

    def __str__(self) -> str:
        return self.file_path


@dataclass(frozen=True)
class OCISpec:
    """An OCI registry: ``base_url`` (optional scheme, host, optional port) and a sub path."""

    base_url: str
    sub_path: str = ""
    type: str = OCI_TYPE

    @property
    def scheme(self) -> str:
        """``http``, ``https`` or ``oci`` when ``base_url`` names one, else ``""``."""
        scheme, sep, _ = self.base_url.partition("://")
        return scheme if sep else ""

    @property
    def host(self) -> str:
        """Host and optional port, without scheme."""
        return self.base_url.partition("://")[2] if self.scheme else self.base_url

    @property
    def insecure(self) -> bool:
        """Whether the registry is spoken to over plain HTTP (scheme ``http``)."""
        return self.scheme == "http"

    def __str__(self) -> str:
        return f"{self.base_url}/{self.sub_path}" if self.sub_path else self.base_url


RepositorySpec = CTFSpec | OCISpec


@dataclass(frozen=True)
class ComponentRef:
    """A parsed component reference.

    ``type`` is the repository type as written, or the canonical type when it was guessed;
    ``prefix`` is ``""`` (the ``//`` form) or ``component-descriptors``.
    """

    repository: RepositorySpec
    component: str
    version: str | None = None
    digest: str | None = None
    prefix: str = ""
    type: str = ""

    def __str__(self) -> str:
        head = f"{self.type}::" if self.type else ""
        if isinstance(self.repository, OCISpec):
            repo = str(self.repository)
        else:
            repo = self.repository.file_path
        out = f"{head}{repo}/{self.prefix}/{self.component}"
        if self.version:
            out += f":{self.version}"
        if self.digest:
            out += f"@{self.digest}"
        return out


def spec_from_mapping(data: Mapping[str, Any], where: str = "repository") -> RepositorySpec:
    """The repository a typed specification names, as configuration files write one.

    ``{type: OCIRepository/v1, baseUrl: ..., subPath: ...}`` (type also ``OCI``, ``oci``,
    ``OCIRegistry`` or ``ociRegistry``, each with or without ``/v1``) or ``{type:
    CommonTransportFormat/v1, filePath: ...}`` (also ``CTF``, ``ctf``).  As in Go, a path in
    ``baseUrl`` becomes the sub path unless ``subPath`` is set.  Other fields are ignored.
    :class:`InvalidReference` naming ``where`` when the specification is unusable.
    """
    repo_type = data.get("type")
    if not isinstance(repo_type, str) or not repo_type:
        raise InvalidReference(f"{where}: a repository specification needs a type")
    name, slash, version = repo_type.partition("/")
    kind = _TYPE_KINDS.get(name)
    if kind is None or (slash and version != "v1"):
        known = ", ".join((*_CTF_NAMES, *_OCI_NAMES))
        raise InvalidReference(
            f"{where}: unsupported repository type {repo_type!r} (expected one of {known}, "
            "optionally followed by /v1)"
        )
    field = "baseUrl" if kind == "oci" else "filePath"
    value = data.get(field)
    if not isinstance(value, str) or not value:
        raise InvalidReference(f"{where}: repository type {repo_type!r} needs {field}")
    if kind == "ctf":
        return CTFSpec(value, repo_type)
    base_url, sub_path = _split_registry_url(value.removesuffix("/"), f"{where}.baseUrl")
    explicit = data.get("subPath")
    if explicit is not None and not isinstance(explicit, str):
        raise InvalidReference(f"{where}: subPath must be a string")
    return OCISpec(base_url, explicit.strip("/") if explicit else sub_path, repo_type)


def spec_to_mapping(spec: RepositorySpec) -> dict[str, str]:
    """The typed specification of ``spec`` (the inverse of :func:`spec_from_mapping`)."""
    if isinstance(spec, CTFSpec):
        return {"type": spec.type, "filePath": spec.file_path}
    data = {"type": spec.type, "baseUrl": spec.base_url}
    if spec.sub_path:
        data["subPath"] = spec.sub_path
    return data


def parse_repository(reference: str) -> RepositorySpec:
    """Parse ``[<type>::]<repository>`` into a :class:`CTFSpec` or :class:`OCISpec`."""
    return _parse_repository(reference, reference)


def _parse_repository(reference: str, original: str) -> RepositorySpec:
    repo_type, sep, rest = reference.partition("::")
    if not sep:
        repo_type, rest = "", reference
    if not rest:
        raise InvalidReference(f"invalid reference {original!r}: the repository is empty")
    kind = _kind_of(repo_type, original) if repo_type else guess_kind(rest)
    if kind == "oci":
        base_url, sub_path = _split_registry_url(rest, original)
        return OCISpec(base_url, sub_path, repo_type or OCI_TYPE)
    return CTFSpec(rest, repo_type or CTF_TYPE)


def parse_component_reference(reference: str, *, strict_version: bool = True) -> ComponentRef:
    """Parse ``[<type>::]<repository>/[component-descriptors]/<component>[:<version>][@<digest>]``.

    With ``strict_version=False`` a version that is not loose semver is accepted (as the Go
    CLI's ``get cv`` and ``transfer`` do); otherwise it is an error.  Problems are reported
    left to right: an unknown repository type, an empty or malformed repository, then the
    component part (with the parsed repository in :attr:`InvalidReference.repository`).
    """
    original = reference
    repo_type, sep, rest = reference.partition("::")
    if not sep:
        repo_type, rest = "", reference
    if repo_type:
        _kind_of(repo_type, original)
    if not rest:
        raise InvalidReference(f"invalid reference {original!r}: the repository is empty")
    if _is_windows_abs(rest):
        rest = rest.replace("\\", "/")

    digest = None
    at = rest.rfind("@")
    if at != -1 and "/" not in rest[at:]:
        digest = rest[at + 1 :]
        rest = rest[:at]

    version = None
    colon = rest.rfind(":")
    if colon != -1 and "/" not in rest[colon:]:
        version = rest[colon + 1 :]
        rest = rest[:colon]

    repository, prefix, component = _split_component(rest, original)
    spec = _parse_repository(f"{repo_type}::{repository}" if repo_type else repository, original)
    if not component:
        raise InvalidReference(f"missing component after prefix in {original!r}", repository=spec)
    if not _COMPONENT.match(component):
        raise InvalidReference(
            f"invalid component name {component!r} in {original!r}: expected a lowercase "
            "DNS-like name with a path, such as acme.org/app",
            repository=spec,
        )
    if version is not None and strict_version and not _VERSION.match(version):
        raise InvalidReference(
            f"invalid version {version!r} in {original!r}: expected a semantic version "
            "such as 1.0.0 or v1.2.3-rc.1",
            repository=spec,
        )
    if digest is not None and not _DIGEST.search(digest):
        raise InvalidReference(
            f"invalid digest {digest!r} in {original!r}: expected <algorithm>:<hex>",
            repository=spec,
        )
    ref_type = repo_type or spec.type
    return ComponentRef(spec, component, version, digest, prefix, ref_type)


def parse_reference(
    reference: str, *, strict_version: bool = True
) -> ComponentRef | RepositorySpec:
    """A component reference, or a repository reference when ``reference`` has no component part.

        >>> parse_reference("./archive//acme.org/app:1.0.0").component
        'acme.org/app'
        >>> parse_reference("oci::http://localhost:5000/ocm")
        OCISpec(base_url='http://localhost:5000', sub_path='ocm', type='oci')

    Only a reference without ``//`` or ``/component-descriptors/`` after its repository is read
    as a repository: one whose component part is malformed (``./archive//Bad_Name``) is an
    :class:`InvalidReference`, never taken for a repository of that whole name.
    """
    try:
        return parse_component_reference(reference, strict_version=strict_version)
    except _NoComponentPart:
        return parse_repository(reference)


def guess_kind(repository: str) -> str:
    """``"ctf"`` or ``"oci"`` for an untyped repository string (the eight rules above)."""
    if _is_windows_abs(repository):
        return "ctf"
    scheme = _url_scheme(repository)
    if scheme is not None:
        return "ctf" if scheme == "file" else "oci"
    cleaned = _go_clean(repository)
    if cleaned.startswith("/"):
        return "ctf"
    parts = cleaned.split("/")
    if (len(parts) > 1 and parts[0] == "..") or repository.startswith("./"):
        return "ctf"
    if ":" in cleaned or cleaned == "localhost":
        return "oci"
    if cleaned.lower().endswith(_ARCHIVE_SUFFIXES):
        return "ctf"
    if "." in cleaned and any(c.isalpha() for c in cleaned.replace(".", "")):
        return "oci"
    return "ctf"


def _kind_of(repo_type: str, original: str) -> str:
    name, slash, version = repo_type.partition("/")
    kind = _TYPE_KINDS.get(name)
    known = ", ".join((*_CTF_NAMES, *_OCI_NAMES))
    if kind is None:
        raise InvalidReference(
            f"unsupported repository type {repo_type!r} in {original!r}: {name!r} is not a known "
            f"type (known: {known}, each optionally followed by /v1)"
        )
    if slash and version != "v1":
        raise InvalidReference(
            f"unsupported repository type {repo_type!r} in {original!r} "
            f"(expected one of {known}, optionally followed by /v1)"
        )
    return kind


def _split_component(rest: str, original: str) -> tuple[str, str, str]:
    """(repository, prefix, component) of ``rest``; the component may be empty."""
    for prefix in (DEFAULT_PREFIX, ""):
        token = f"/{prefix}/"
        index = rest.rfind(token)
        if index == -1 or (not prefix and _SCHEME.fullmatch(rest[:index])):
            continue  # the "//" of a URL scheme ("http://host") separates no component
        repository = rest[:index]
        if not repository:
            raise InvalidReference(
                f"invalid reference {original!r}: the repository is empty (nothing before "
                f"{token!r})"
            )
        return repository, prefix, rest[index + len(token) :]
    raise _NoComponentPart(
        f"invalid component reference {original!r}: expected <repository>//<component> or "
        f"<repository>/{DEFAULT_PREFIX}/<component>"
    )


def _split_registry_url(text: str, original: str) -> tuple[str, str]:
    """Go's ``ParseURLAndAllowNoScheme`` followed by the base URL / sub path split."""
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "", text
    elif not _SCHEME.match(scheme + ":"):
        raise InvalidReference(f"invalid repository URL {text!r} in {original!r}")
    rest, _, fragment = rest.partition("#")
    authority, slash, path = rest.split("?", 1)[0].partition("/")
    host = authority.rpartition("@")[2]
    path = slash + path
    bad_escape = any(_BAD_ESCAPE.search(part) for part in (path, host, fragment))
    if bad_escape or not _valid_port(host):
        raise InvalidReference(f"invalid repository URL {text!r} in {original!r}")
    path = unquote(path)
    base_url = f"{scheme.lower()}://{host}" if scheme else host
    sub_path = path.removeprefix("/") if path not in ("", "/") else ""
    return base_url, sub_path


def _valid_port(host: str) -> bool:
    if host.startswith("["):
        close = host.find("]")
        if close == -1:
            return False
        rest = host[close + 1 :]
        return rest == "" or (rest.startswith(":") and bool(_PORT.match(rest[1:])))
    _, colon, port = host.rpartition(":")
    return not colon or bool(_PORT.match(port))


def _url_scheme(text: str) -> str | None:
    """The scheme Go's ``url.Parse`` finds in ``text``, or ``None`` if none or a parse error."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return None
    match = _SCHEME.match(text)
    if match is None:
        return None
    scheme = match.group(0)[:-1].lower()
    rest, _, fragment = text[match.end() :].partition("#")
    if _BAD_ESCAPE.search(fragment):
        return None
    rest = rest.split("?", 1)[0]
    if not rest.startswith("/"):
        return scheme
    path = rest
    if rest.startswith("//"):
        authority, slash, tail = rest[2:].partition("/")
        if not _valid_port(authority.rpartition("@")[2]):
            return None
        path = slash + tail
    if _BAD_ESCAPE.search(path):
        return None
    return scheme


def _go_clean(path: str) -> str:
    """Go's ``filepath.Clean`` on a POSIX system."""
    if not path:
        return "."
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("/") else cleaned


def _is_windows_abs(text: str) -> bool:
    return (
        len(text) >= 3
        and text[0].isascii()
        and text[0].isalpha()
        and text[1] == ":"
        and (text[2] in "\\/")
    )
