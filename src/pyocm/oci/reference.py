"""OCI image references as OCM access specifications write them.

    >>> from pyocm.oci.reference import parse_image_reference
    >>> ref = parse_image_reference("http://127.0.0.1:5000/acme/app:1.0")
    >>> ref.scheme, ref.registry, ref.repository, ref.tag, ref.digest
    ('http', '127.0.0.1:5000', 'acme/app', '1.0', '')
    >>> ref.reference_name, ref.registry_url
    ('acme/app:1.0', 'http://127.0.0.1:5000')
    >>> pinned = ref.pinned("sha256:" + "a" * 64)
    >>> str(pinned) == "http://127.0.0.1:5000/acme/app:1.0@sha256:" + "a" * 64
    True
    >>> pinned.reference == pinned.digest
    True

The grammar is Go v2's loose reference (``[scheme://]registry/repository[:tag][@digest]``):
the scheme is optional (``http``, ``https`` or ``oci``) and only says how to reach the
registry; the part before the first ``/`` is always the registry; a tag is kept beside a
digest (``repo:tag@sha256:…``, the form Go v2 pins accesses to).  A reference must name a
registry and a repository; Docker Hub short names (``nginx:1``) are not expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pyocm.errors import OCMError
from pyocm.oci.digests import check_digest

REPOSITORY_NAME = re.compile(
    r"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$"
)
"""A repository name of the distribution specification (``acme/app``)."""

TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")
"""A tag of the distribution specification."""

SCHEMES = ("http", "https", "oci")
_REGISTRY = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?$")


@dataclass(frozen=True)
class ImageReference:
    """``[scheme://]registry/repository[:tag][@digest]``, each part as written."""

    registry: str
    """``host[:port]``."""
    repository: str
    """The repository path below the registry (``acme/app``)."""
    tag: str = ""
    digest: str = ""
    scheme: str = ""
    """``http``, ``https``, ``oci`` or empty (the caller's default: TLS)."""

    def __str__(self) -> str:
        text = f"{self.scheme}://" if self.scheme else ""
        text += f"{self.registry}/{self.repository}"
        if self.tag:
            text += f":{self.tag}"
        if self.digest:
            text += f"@{self.digest}"
        return text

    @property
    def reference(self) -> str:
        """What to ask the registry for: the digest when pinned, else the tag."""
        return self.digest or self.tag

    @property
    def reference_name(self) -> str:
        """``repository[:tag]``: the reference without registry and digest (Go v2's
        ``referenceName`` of an image copied into a local blob)."""
        return f"{self.repository}:{self.tag}" if self.tag else self.repository

    @property
    def registry_url(self) -> str:
        """The registry as a :class:`pyocm.oci.client.RegistryClient` takes it (scheme kept)."""
        return f"{self.scheme}://{self.registry}" if self.scheme else self.registry

    def pinned(self, digest: str) -> ImageReference:
        """The same reference pinned to ``digest`` (the tag is kept)."""
        return replace(self, digest=check_digest(digest, "image digest"))


def parse_image_reference(text: str, *, require_reference: bool = True) -> ImageReference:
    """Parse ``[scheme://]registry/repository[:tag][@digest]``; :class:`OCMError` if invalid.

    With ``require_reference`` (the default) a reference naming neither tag nor digest is
    refused; without, it names a repository.
    """
    if not isinstance(text, str) or not text.strip():
        raise OCMError("invalid image reference: it is empty")
    rest = text.strip()
    scheme = ""
    if "://" in rest:
        scheme, _, rest = rest.partition("://")
        if scheme not in SCHEMES:
            raise OCMError(
                f"invalid image reference {text!r}: unsupported scheme {scheme!r} "
                f"(expected one of {', '.join(SCHEMES)})"
            )
    registry, slash, path = rest.partition("/")
    if not slash or not _REGISTRY.match(registry):
        raise OCMError(
            f"invalid image reference {text!r}: expected [scheme://]host[:port]/repository"
            "[:tag][@digest]"
        )
    path, at, digest = path.partition("@")
    if at:
        check_digest(digest, f"digest of image reference {text!r}")
    repository, colon, tag = path.partition(":")
    if colon and not TAG.match(tag):
        raise OCMError(f"invalid image reference {text!r}: invalid tag {tag!r}")
    if not REPOSITORY_NAME.match(repository):
        raise OCMError(
            f"invalid image reference {text!r}: invalid repository {repository!r} (lowercase "
            "path components of letters, digits and separators expected)"
        )
    if require_reference and not tag and not digest:
        raise OCMError(f"invalid image reference {text!r}: it names neither a tag nor a digest")
    return ImageReference(registry, repository, tag, digest, scheme)
