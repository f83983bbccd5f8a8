"""``gitHub``: the source archive of a GitHub repository at a commit.

    >>> from pyocm.access.github import api_base, repository_of
    >>> repository_of({"repoUrl": "github.com/acme/shop.git", "commit": "a" * 40})
    ('https://github.com/acme/shop.git', 'acme', 'shop')
    >>> api_base("https://github.com/acme/shop", ""), api_base("https://git.acme.org/a/b", "")
    ('https://api.github.com', 'https://git.acme.org/api/v3')

The access (Go v2's ``GitHub/v1``; ``github``, ``gitHub`` and their ``/v1`` forms too) has
``repoUrl`` (``[https://]host/<owner>/<repo>``), ``commit`` (40 hex digits), ``ref`` (a branch
or tag, informational once a commit is set) and ``apiHostname``.  Repositories outside
``github.com`` (or with ``apiHostname``) are GitHub Enterprise: the REST API lives under
``<scheme>://<apiHostname or host>/api/v3``, as in the Go client.

The content is the ``.tar.gz`` GitHub serves for the commit (``application/x-tgz``): the API
answers ``GET /repos/<owner>/<repo>/tarball/<commit>`` with a redirect to a signed link,
which is fetched without the token (the link carries its own; it is never logged).  A ref
without a commit cannot be fetched reproducibly and is refused (``no pinned commit``).

At add time a ref-only access is pinned: ``GET /repos/<owner>/<repo>/commits/<ref>`` (media
type ``application/vnd.github.sha``) gives the commit, which is written into the access; the
archive is downloaded once and hashed (``SHA-256`` / ``genericBlobDigest/v1``).  A token
comes from the consumer identity ``{type: GitHubRepository, hostname, ...}`` of ``repoUrl``
(``GitHubCredentials/v1`` ``token``).
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import IO, TYPE_CHECKING, Any

from pyocm.access.base import BaseAccessHandler
from pyocm.access.handlers import GITHUB_TYPES
from pyocm.access.http import GITHUB, HTTPRequest, open_response, response_stream
from pyocm.access.recorded import recorded_sha256
from pyocm.blob import verified
from pyocm.blob.model import CHUNK_SIZE
from pyocm.descriptor.model import AccessSpec, Digest, Resource
from pyocm.digest import GENERIC_BLOB_DIGEST_V1, SHA256
from pyocm.errors import DigestMismatch, NotReproducible, OCMError

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.blob import Blob
    from pyocm.descriptor.model import Descriptor, Source
    from pyocm.repository.base import Repository

TYPES = GITHUB_TYPES
"""Every spelling of the type (registered in :mod:`pyocm.access.handlers`)."""

MEDIA_TYPE = "application/x-tgz"
"""The media type of a commit archive (what the legacy tool recorded too)."""

_COMMIT = re.compile(r"[0-9a-fA-F]{40}")
_API_HEADERS = {"Accept": ["application/vnd.github+json"], "X-GitHub-Api-Version": ["2022-11-28"]}


def repository_of(properties: Mapping[str, Any]) -> tuple[str, str, str]:
    """The repository URL (with a scheme), owner and name of a ``gitHub`` specification.

    Also checks ``commit`` and ``ref``; raises :class:`OCMError` naming what is wrong.
    """
    repo_url = properties.get("repoUrl")
    if not isinstance(repo_url, str) or not repo_url:
        raise OCMError("invalid GitHub access: repoUrl must not be empty")
    commit, ref = properties.get("commit") or "", properties.get("ref") or ""
    if not isinstance(commit, str) or not isinstance(ref, str):
        raise OCMError("invalid GitHub access: commit and ref must be strings")
    if not commit and not ref:
        raise OCMError("invalid GitHub access: either commit or ref must be set")
    if commit and not _COMMIT.fullmatch(commit):
        raise OCMError(
            f"invalid GitHub access: commit {commit!r} must be a 40-character hexadecimal SHA"
        )
    url = repo_url if repo_url.startswith(("http://", "https://")) else f"https://{repo_url}"
    parts = urllib.parse.urlsplit(url).path.strip("/").split("/")
    if len(parts) != 2 or not all(parts):
        raise OCMError(f"repository url {repo_url!r} must have the form <host>/<owner>/<repo>")
    return url, parts[0], parts[1].removesuffix(".git")


def api_base(repo_url: str, api_hostname: str) -> str:
    """The REST API root for a repository: api.github.com, or GitHub Enterprise's ``/api/v3``."""
    parts = urllib.parse.urlsplit(repo_url)
    if not api_hostname and parts.hostname == "github.com":
        return "https://api.github.com"
    return f"{parts.scheme}://{api_hostname or parts.netloc}/api/v3"


class _Spec:
    """A checked ``gitHub`` access."""

    def __init__(self, element: Resource | Source):
        assert element.access is not None  # handler_for only dispatches elements with access
        properties = element.access.properties
        try:
            self.url, self.owner, self.name = repository_of(properties)
        except OCMError as e:
            raise OCMError(f"{element.name!r}: {e}") from None
        self.commit = str(properties.get("commit") or "")
        self.ref = str(properties.get("ref") or "")
        self.api = api_base(self.url, str(properties.get("apiHostname") or ""))
        self.element = element

    def endpoint(self, *path: str) -> str:
        quoted = "/".join(urllib.parse.quote(p, safe="") for p in (self.owner, self.name, *path))
        return f"{self.api}/repos/{quoted}"

    @property
    def what(self) -> str:
        return f"resource {self.element.name!r} ({self.owner}/{self.name})"

    def resolve_commit(self, context: AccessContext) -> str:
        """The commit ``ref`` points at now."""
        headers = {"Accept": ["application/vnd.github.sha"]}
        request = HTTPRequest(self.endpoint("commits", self.ref), headers=headers)
        with open_response(context, request, GITHUB, what=self.what, auth_url=self.url) as r:
            sha = r.read().decode(errors="replace").strip()
        if not _COMMIT.fullmatch(sha):
            raise OCMError(f"{self.what}: ref {self.ref!r} did not resolve to a commit: {sha!r}")
        return sha.lower()

    @contextmanager
    def archive(self, context: AccessContext) -> Iterator[IO[bytes]]:
        """The commit archive, streamed from the link the API redirects to."""
        request = HTTPRequest(
            self.endpoint("tarball", self.commit), headers=_API_HEADERS, follow_redirects=False
        )
        with open_response(
            context, request, GITHUB, what=self.what, auth_url=self.url, redirects=True
        ) as answer:
            location = answer.headers.get("location")
            if answer.status_code == 200 or not location:
                if answer.status_code != 200:
                    raise OCMError(f"{self.what}: the archive request was not redirected")
                yield response_stream(answer)
                return
        link = urllib.parse.urljoin(request.url, location)
        with open_response(context, HTTPRequest(link), "", what=self.what) as download:
            yield response_stream(download)


class _ArchiveBlob:
    """The archive of a pinned commit; each :meth:`open` asks the API for a fresh link."""

    media_type = MEDIA_TYPE
    size = -1

    def __init__(self, spec: _Spec, context: AccessContext, digest: str | None):
        self._spec = spec
        self._context = context
        self._digest = digest

    @property
    def digest(self) -> str | None:
        """The recorded digest of the archive (``sha256:<hex>``), when there is one."""
        return self._digest

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """Stream the archive; reading it to the end checks the recorded digest."""
        with self._spec.archive(self._context) as stream:
            if self._digest is not None:
                stream = verified(stream, self._digest, -1, self._spec.what)
            yield stream


class _GitHub(BaseAccessHandler):
    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> Blob:
        spec = _Spec(element)
        if not spec.commit:
            raise NotReproducible(
                f"github resource {element.name!r} has no pinned commit: pin ref {spec.ref!r} "
                "to a commit before transferring it by value"
            )
        return _ArchiveBlob(spec, context, recorded_sha256(element))

    def reference_name(self, element: Resource | Source) -> str:
        """The element's name (the ``referenceName`` Go v2 gives downloaded content)."""
        return element.name


class _GitHubDigests:
    """Pins a ref-only access to its commit, then hashes the archive of that commit."""

    def process(self, resource: Resource, context: AccessContext) -> Resource:
        spec = _Spec(resource)
        if not spec.commit:
            assert resource.access is not None
            spec.commit = spec.resolve_commit(context)
            pinned = {**resource.access.properties, "commit": spec.commit}
            resource = replace(resource, access=AccessSpec(resource.access.type, pinned))
        hashed = hashlib.sha256()
        with spec.archive(context) as stream:
            while chunk := stream.read(CHUNK_SIZE):
                hashed.update(chunk)
        found = Digest(SHA256, GENERIC_BLOB_DIGEST_V1, hashed.hexdigest())
        recorded = resource.digest
        if recorded is None:
            return replace(resource, digest=found)
        # Spellings are not conflicts (Go compares case-insensitively and writes the
        # canonical forms); an unset algorithm means "what was computed".
        for given, expected in (
            (recorded.hash_algorithm, SHA256),
            (recorded.normalisation_algorithm, GENERIC_BLOB_DIGEST_V1),
        ):
            if given and given.lower() != expected.lower():
                raise OCMError(
                    f"{spec.what}: digest algorithm mismatch: expected {expected}, got {given}"
                )
        if recorded.value.lower() != found.value:
            raise DigestMismatch(spec.what, recorded.value, found.value)
        return replace(resource, digest=found)


HANDLER = _GitHub()
DIGESTS = _GitHubDigests()
