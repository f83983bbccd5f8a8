"""One repository of an OCI registry: blobs, manifests, tags and referrers.

    >>> from pyocm.oci.client import RegistryClient
    >>> repo = RegistryClient("http://127.0.0.1:5000").repository("acme/app")
    >>> repo.scope("pull", "push")
    'repository:acme/app:pull,push'
    >>> repo.client.close()

Against a running registry::

    repo = RegistryClient("http://127.0.0.1:5000").repository("acme/app")
    layer = repo.push_blob(FileBlob("layer.tar", "application/vnd.oci.image.layer.v1.tar"))
    config = repo.push_blob(BytesBlob(b"{}", "application/vnd.oci.empty.v1+json"))
    pushed = repo.put_manifest(image_manifest(config, [layer]), IMAGE_MANIFEST, tag="1.0.0")
    assert repo.resolve("1.0.0").digest == pushed.digest
    with repo.open_blob(layer.digest, layer.size) as stream:   # verified while read
        ...

Every blob and every manifest fetched by digest is checked against it.  Pushing a blob that
the repository already has is a ``HEAD`` and nothing more; from another repository of the
same registry it is mounted.  The descriptor a push returns carries the digest and size of the
bytes pushed, never a size the registry merely claims: a ``HEAD`` whose ``Content-Length``
cannot be true (missing, or ``0`` for a digest that is not the empty blob's, as some proxies
answer) is checked with a ``GET``, and a registry that holds a blob under the digest with
another size is an error.  Pushing a manifest with a ``subject`` to a registry without the
Referrers API keeps the referrers tag (``sha256-<hex>``) up to date, as oras does.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from pyocm.blob import Blob, verified
from pyocm.errors import DigestMismatch, NotFound, OCMError, RegistryError, RegistryNotFound
from pyocm.oci import digests
from pyocm.oci.blob_download import BlobReader
from pyocm.oci.blob_upload import BlobUpload
from pyocm.oci.client import display_url, json_body
from pyocm.oci.manifest import (
    MAX_MANIFEST_SIZE,
    Descriptor,
    image_index,
    parse_index,
    parse_json_object,
    sniff_media_type,
)
from pyocm.oci.mediatypes import (
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
    IMAGE_INDEX,
    IMAGE_MANIFEST,
    OCTET_STREAM,
    is_index_type,
)
from pyocm.oci.reference import REPOSITORY_NAME, TAG

if TYPE_CHECKING:
    from httpx import Response

    from pyocm.oci.client import RegistryClient

MANIFEST_TYPES = (IMAGE_MANIFEST, IMAGE_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST)
"""The manifest media types asked for (``Accept``) unless the caller names others."""

DEFAULT_CHUNK_SIZE = 1 << 30
"""Bytes per ``PATCH`` of a chunked upload.  Each request costs the registry work of its own
(distribution saves its hash state after every ``PATCH``): with 16 MiB chunks a 1 GiB blob
took ~15% longer to copy between two local registries than in one ``PATCH`` (bench
``transfer_image.py``).  An interrupted ``PATCH`` is resumed where the registry stopped, so
large chunks cost no resumability."""

MONOLITHIC_LIMIT = 16 << 20
"""Blobs up to this size (or up to the chunk size, if smaller) go in one ``PUT``."""

_LINK_NEXT = re.compile(r'<([^>]*)>\s*;[^,]*rel="?next"?')


@dataclass(frozen=True)
class FetchedManifest:
    """A manifest or index as the registry served it: its descriptor and its exact bytes."""

    descriptor: Descriptor
    content: bytes


def check_reference(reference: str) -> str:
    """Return ``reference`` if it is a valid tag or digest, else raise :class:`OCMError`."""
    if ":" in reference:
        return digests.check_digest(reference, "manifest digest")
    if not TAG.match(reference):
        raise OCMError(f"invalid tag {reference!r}: expected [A-Za-z0-9_][A-Za-z0-9._-]{{0,127}}")
    return reference


def referrers_tag(digest: str) -> str:
    """The tag of the referrers fallback index of ``digest``: ``<algorithm>-<hex>``."""
    return digests.check_digest(digest).replace(":", "-", 1)


def referrer_descriptor(descriptor: Descriptor, content: bytes) -> Descriptor:
    """The entry of a manifest in a referrers index: its artifact type and annotations.

    The artifact type is the manifest's ``artifactType``, else (image manifests only) its
    config media type, as the distribution specification says.
    """
    data = parse_json_object(content, f"manifest {descriptor.digest}")
    artifact_type = data.get("artifactType")
    if not isinstance(artifact_type, str) or not artifact_type:
        config = data.get("config")
        artifact_type = ""
        if isinstance(config, dict) and not is_index_type(descriptor.media_type):
            artifact_type = str(config.get("mediaType") or "")
    annotations = data.get("annotations")
    return Descriptor(
        media_type=descriptor.media_type,
        digest=descriptor.digest,
        size=descriptor.size,
        annotations=dict(annotations) if isinstance(annotations, dict) else {},
        artifact_type=artifact_type,
    )


class RemoteRepository:
    """A repository (``acme/app``) of the registry behind a :class:`RegistryClient`.

    It is also a :class:`pyocm.oci.layout.BlobSource`, so a graph can be walked and written
    into an image layout straight from the registry.
    """

    def __init__(
        self,
        client: RegistryClient,
        name: str,
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        monolithic_limit: int | None = None,
    ):
        if not REPOSITORY_NAME.match(name):
            raise OCMError(
                f"invalid repository name {name!r}: lowercase path components of letters, "
                "digits and separators (. _ __ -) expected"
            )
        self.client = client
        self.name = name
        self.chunk_size = chunk_size
        if monolithic_limit is None:
            monolithic_limit = min(chunk_size, MONOLITHIC_LIMIT)
        self.monolithic_limit = monolithic_limit
        self.referrers_api: bool | None = None
        self._manifests: set[str] = set()
        self._pushed: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"RemoteRepository({self.client.host}/{self.name})"

    def scope(self, *actions: str) -> str:
        """The token scope for ``actions`` on this repository."""
        return f"repository:{self.name}:{','.join(actions)}"

    def _path(self, kind: str, reference: str = "") -> str:
        return f"/v2/{self.name}/{kind}/{reference}" if reference else f"/v2/{self.name}/{kind}/"

    # -- blobs -------------------------------------------------------------------------------

    def stat_blob(self, digest: str) -> int | None:
        """The size of blob ``digest`` in this repository, or ``None`` if it is not there.

        Asks with ``HEAD``.  A ``Content-Length`` that cannot be the size of ``digest`` (absent,
        or ``0`` though ``digest`` is not the empty blob's) is not believed: the size is then
        the one this repository pushed, else the ``Content-Length`` of a ``GET``; when that
        cannot be had either, :class:`pyocm.errors.RegistryError` says so.
        """
        digests.check_digest(digest)
        path = self._path("blobs", digest)
        try:
            response = self.client.request("HEAD", path, scopes=(self.scope("pull"),))
        except RegistryNotFound:
            self._pushed.pop(digest, None)
            return None
        claimed = _content_length(response)
        pushed = self._pushed.get(digest)
        if _plausible_size(digest, claimed):
            if pushed is not None and claimed != pushed:
                raise RegistryError(
                    "HEAD",
                    display_url(response.request.url),
                    response.status_code,
                    f"registry says blob {digest} has {claimed} bytes, but {pushed} were pushed",
                )
            return claimed
        if pushed is not None:
            return pushed
        return self._size_from_get(digest, claimed)

    def _size_from_get(self, digest: str, claimed: int) -> int:
        """The ``Content-Length`` a ``GET`` of blob ``digest`` announces (the body is not read)."""
        response = self.client.request(
            "GET", self._path("blobs", digest), scopes=(self.scope("pull"),), stream=True
        )
        response.close()
        size = _content_length(response)
        if not _plausible_size(digest, size):
            shown = "none" if claimed < 0 else str(claimed)
            raise RegistryError(
                "HEAD",
                display_url(response.request.url),
                200,
                f"registry gives no usable size for blob {digest} (Content-Length {shown} on "
                "HEAD, and none on GET)",
            )
        return size

    def blob_size(self, digest: str) -> int:
        """The size of blob or manifest ``digest``; raises :class:`pyocm.errors.NotFound`.

        Registries keep manifests apart from blobs; for :class:`pyocm.oci.layout.BlobSource`
        both are content, so a digest that is no blob is looked up as a manifest.
        """
        size = self.stat_blob(digest)
        if size is not None:
            return size
        try:
            manifest = self.resolve(digest)
        except RegistryNotFound:
            raise NotFound(f"blob {digest} not found in {self.client.host}/{self.name}") from None
        self._manifests.add(digest)
        return manifest.size

    @contextmanager
    def open_blob(self, digest: str, size: int = -1) -> Iterator[IO[bytes]]:
        """A stream of blob ``digest``, resumed after breaks and verified as it is read.

        A digest :meth:`blob_size` found to be a manifest is read from the manifests endpoint.

        Reading it to the end raises :class:`pyocm.errors.DigestMismatch` when the bytes do not
        match ``digest`` (or ``size``, when given).
        """
        digests.check_digest(digest)
        if digest in self._manifests:
            content = self.get_manifest(digest).content
            yield verified(io.BytesIO(content), digest, size, f"manifest {digest}")
            return
        reader = BlobReader(self, digest, size)
        try:
            yield verified(
                cast("IO[bytes]", reader),
                digest,
                size,
                f"blob {digest} in {self.client.host}/{self.name}",
            )
        finally:
            reader.close()

    def fetch_blob(self, digest: str, size: int = -1, limit: int = MAX_MANIFEST_SIZE) -> bytes:
        """All bytes of a small blob (at most ``limit``), verified."""
        with self.open_blob(digest, size) as stream:
            data = stream.read(limit + 1)
            if len(data) > limit:
                raise OCMError(f"blob {digest} is larger than the {limit} bytes allowed here")
            stream.read()
        return data

    def download_blob(self, digest: str, destination: str | Path, size: int = -1) -> Path:
        """Write blob ``digest`` to ``destination`` (via a temporary file), verified."""
        target = Path(destination)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out, self.open_blob(digest, size) as stream:
                shutil.copyfileobj(stream, out, 1 << 20)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    def blob(self, descriptor: Descriptor) -> RemoteBlob:
        """The blob of ``descriptor`` as a :class:`pyocm.blob.Blob` read from this repository."""
        return RemoteBlob(self, descriptor)

    def push_blob(
        self,
        blob: Blob,
        *,
        mount_from: Iterable[str] = (),
        chunk_size: int | None = None,
    ) -> Descriptor:
        """Store ``blob`` here unless it already is; returns its descriptor.

        A blob without a known digest or size is read once to learn them.  With
        ``mount_from`` (repository names on the same registry) a cross-repository mount is
        tried first; when the registry does not mount, the bytes are uploaded.
        """
        digest, size = _digest_and_size(blob)
        descriptor = Descriptor(blob.media_type or OCTET_STREAM, digest, size)
        stored = self.stat_blob(digest)
        if stored is not None:
            if stored != size:
                raise RegistryError(
                    "HEAD",
                    display_url(self.client.url(self._path("blobs", digest))),
                    200,
                    f"registry holds blob {digest} with {stored} bytes, but it has {size}",
                )
            return descriptor
        location = None
        for source in mount_from:
            mounted, location = self._mount(digest, source)
            if mounted:
                return descriptor
            if location is not None:
                break
        BlobUpload(
            self,
            blob,
            digest,
            size,
            chunk_size=chunk_size or self.chunk_size,
            monolithic_limit=self.monolithic_limit,
        ).run(location)
        self._pushed[digest] = size
        return descriptor

    def push_bytes(self, data: bytes, media_type: str = OCTET_STREAM) -> Descriptor:
        """Store ``data`` as a blob; returns its descriptor."""
        from pyocm.blob import BytesBlob

        return self.push_blob(BytesBlob(data, media_type))

    def mount_blob(self, digest: str, source: str) -> bool:
        """Mount blob ``digest`` from repository ``source`` of this registry; ``True`` if done.

        When the registry declines (it then opens an upload session), the session is
        cancelled and ``False`` returned.
        """
        mounted, location = self._mount(digest, source)
        if location is not None:
            self._cancel_upload(location)
        return mounted

    def copy_blob(self, source: RemoteRepository, descriptor: Descriptor) -> Descriptor:
        """Copy a blob from ``source``: mounted on the same registry, streamed otherwise."""
        same_registry = source.client.base_url == self.client.base_url
        mount_from = [source.name] if same_registry and source.name != self.name else []
        return self.push_blob(source.blob(descriptor), mount_from=mount_from)

    def delete_blob(self, digest: str) -> None:
        """Delete blob ``digest`` from this repository (the registry must allow deletes)."""
        digests.check_digest(digest)
        self.client.request(
            "DELETE", self._path("blobs", digest), scopes=(self.scope("delete"),), ok=(202,)
        )
        self._pushed.pop(digest, None)

    def _mount(self, digest: str, source: str) -> tuple[bool, str | None]:
        """Try to mount; ``(True, None)`` when mounted, else the upload session it opened."""
        digests.check_digest(digest)
        response = self.client.send(
            "POST",
            self._path("blobs/uploads"),
            scopes=(self.scope("pull", "push"), f"repository:{source}:pull"),
            params={"mount": digest, "from": source},
            headers={"Content-Length": "0"},
        )
        status = response.status_code
        location = response.headers.get("location")
        response.close()
        if status == 201:
            return True, None
        if status == 202 and location:
            return False, str(response.request.url.join(location))
        return False, None

    def _cancel_upload(self, location: str) -> None:
        with suppress(RegistryError):
            self.client.request(
                "DELETE", location, scopes=(self.scope("pull", "push"),), ok=(204, 404)
            )

    # -- manifests ---------------------------------------------------------------------------

    def get_manifest(
        self, reference: str, accept: Sequence[str] = MANIFEST_TYPES
    ) -> FetchedManifest:
        """The manifest or index tagged ``reference`` or with digest ``reference``.

        Fetched by digest, the bytes are verified against it; fetched by tag, against the
        ``Docker-Content-Digest`` the registry sends.  Raises
        :class:`pyocm.errors.RegistryNotFound` when there is no such manifest.
        """
        check_reference(reference)
        response = self.client.request(
            "GET",
            self._path("manifests", reference),
            scopes=(self.scope("pull"),),
            headers={"Accept": ", ".join(accept)},
            stream=True,
        )
        try:
            content = _read_limited(response, MAX_MANIFEST_SIZE, f"manifest {reference}")
        finally:
            response.close()
        digest = _verify_manifest(response, content, reference)
        media_type = _content_type(response)
        if media_type not in accept:
            media_type = sniff_media_type(parse_json_object(content, f"manifest {reference}"))
        return FetchedManifest(Descriptor(media_type, digest, len(content)), content)

    def resolve(self, reference: str, accept: Sequence[str] = MANIFEST_TYPES) -> Descriptor:
        """The descriptor (media type, digest, size) of the manifest at ``reference``.

        Uses ``HEAD``; falls back to fetching the manifest when the registry does not say its
        digest, media type or a size a manifest can have (never ``0``).  Raises
        :class:`pyocm.errors.RegistryNotFound` when there is none.
        """
        check_reference(reference)
        response = self.client.request(
            "HEAD",
            self._path("manifests", reference),
            scopes=(self.scope("pull"),),
            headers={"Accept": ", ".join(accept)},
        )
        digest = response.headers.get("docker-content-digest", "")
        media_type = _content_type(response)
        size = _content_length(response)
        if ":" in reference and digest and digest != reference:
            raise DigestMismatch(f"manifest {reference}", reference, digest)
        if not digest or media_type not in accept or size <= 0:
            return self.get_manifest(reference, accept).descriptor
        return Descriptor(media_type, digests.check_digest(digest), size)

    def put_manifest(
        self, content: bytes, media_type: str | None = None, *, tag: str | None = None
    ) -> Descriptor:
        """Store a manifest or index (by ``tag``, else by its digest); returns its descriptor.

        ``media_type`` defaults to the one the JSON declares.  When the manifest has a
        ``subject`` and the registry does not confirm it (``OCI-Subject`` header), the
        referrers fallback index of the subject is updated.
        """
        data = parse_json_object(content, "manifest")
        if len(content) > MAX_MANIFEST_SIZE:
            raise OCMError(f"manifest has {len(content)} bytes, more than {MAX_MANIFEST_SIZE}")
        kind = media_type or sniff_media_type(data)
        digest = digests.digest_bytes(content)
        reference = digest if tag is None else check_reference(tag)
        response = self.client.request(
            "PUT",
            self._path("manifests", reference),
            scopes=(self.scope("pull", "push"),),
            headers={"Content-Type": kind},
            content=content,
            ok=(201,),
        )
        stored = response.headers.get("docker-content-digest")
        if stored and stored != digest:
            raise RegistryError(
                "PUT",
                display_url(response.request.url),
                201,
                f"registry stored the manifest as {stored}, expected {digest}",
            )
        descriptor = Descriptor(kind, digest, len(content))
        subject = data.get("subject")
        if isinstance(subject, dict) and not response.headers.get("oci-subject"):
            subject_digest = Descriptor.from_dict(subject, "manifest subject").digest
            self.add_referrer(subject_digest, referrer_descriptor(descriptor, content))
        return descriptor

    def tag(self, digest: str, tag: str) -> Descriptor:
        """Point ``tag`` at the manifest ``digest`` already in this repository."""
        fetched = self.get_manifest(digests.check_digest(digest))
        check_reference(tag)
        self.client.request(
            "PUT",
            self._path("manifests", tag),
            scopes=(self.scope("pull", "push"),),
            headers={"Content-Type": fetched.descriptor.media_type},
            content=fetched.content,
            ok=(201,),
        )
        return fetched.descriptor

    def delete_manifest(self, reference: str) -> None:
        """Delete the manifest at ``reference`` (a tag is resolved to its digest first).

        Registries delete by digest, which also removes every tag pointing at it.
        """
        digest = reference if ":" in reference else self.resolve(reference).digest
        self.client.request(
            "DELETE",
            self._path("manifests", digests.check_digest(digest)),
            scopes=(self.scope("delete"),),
            ok=(202,),
        )

    # -- tags --------------------------------------------------------------------------------

    def iter_tag_pages(self, page_size: int | None = None, last: str = "") -> Iterator[list[str]]:
        """The tags page by page as the registry serves them (``n``, ``last``, ``Link``)."""
        params: dict[str, str | int] = {}
        if page_size:
            params["n"] = page_size
        if last:
            params["last"] = last
        url: str | None = self._path("tags/list").rstrip("/")
        seen: set[str] = set()
        while url is not None:
            response = self.client.request(
                "GET", url, scopes=(self.scope("pull"),), params=params or None
            )
            data = json_body(response, "tag list")
            tags = data.get("tags") if isinstance(data, dict) else None
            page = [str(t) for t in tags or ()]
            yield page
            url = _next_link(response)
            if url is not None:
                if url in seen:
                    raise RegistryError("GET", display_url(url), 200, "tag list pages loop")
                seen.add(url)
                url = str(response.request.url.join(url))
                params = {}

    def list_tags(self, page_size: int | None = None) -> list[str]:
        """All tags of this repository, sorted (registries may serve them in any order).

        Raises :class:`pyocm.errors.RegistryNotFound` when the registry does not know the
        repository (distribution also says so for a repository without any tag).
        """
        tags: set[str] = set()
        for page in self.iter_tag_pages(page_size):
            tags.update(page)
        return sorted(tags)

    # -- referrers ---------------------------------------------------------------------------

    def referrers(self, digest: str, artifact_type: str = "") -> list[Descriptor]:
        """The manifests whose ``subject`` is ``digest``, optionally of one artifact type.

        Uses the Referrers API where the registry has it and the referrers tag
        (``sha256-<hex>``) where it does not; which one is remembered for this repository.
        """
        digests.check_digest(digest)
        if self.referrers_api is not False:
            found = self._referrers_api(digest, artifact_type)
            if found is not None:
                self.referrers_api = True
                return found
            self.referrers_api = False
        return [
            d
            for d in self._referrers_from_tag(digest)[1]
            if not artifact_type or d.artifact_type == artifact_type
        ]

    def add_referrer(self, subject: str, referrer: Descriptor) -> Descriptor | None:
        """Add ``referrer`` to the referrers fallback index of ``subject`` (read, add, write).

        Returns the new index descriptor, or ``None`` when the entry was already there.  Two
        writers at once race: the registry has no conditional ``PUT``, the last one wins.
        """
        current, entries = self._referrers_from_tag(subject)
        key = _referrer_key(referrer)
        kept: list[Descriptor] = []
        keys: set[tuple[str, str, str, int]] = set()
        for entry in entries:
            if _referrer_key(entry) not in keys:
                keys.add(_referrer_key(entry))
                kept.append(entry)
        if key in keys and len(kept) == len(entries) and current is not None:
            return None
        if key not in keys:
            kept.append(referrer)
        content = image_index(kept)
        return self.put_manifest(content, IMAGE_INDEX, tag=referrers_tag(subject))

    def _referrers_api(self, digest: str, artifact_type: str) -> list[Descriptor] | None:
        url: str | None = self._path("referrers", digest)
        params: dict[str, str | int] = {"artifactType": artifact_type} if artifact_type else {}
        found: list[Descriptor] = []
        while url is not None:
            response = self.client.send(
                "GET",
                url,
                scopes=(self.scope("pull"),),
                params=params or None,
                headers={"Accept": IMAGE_INDEX},
            )
            if response.status_code == 404 and not found:
                error = self.client.error(response)
                if error.code == "NAME_UNKNOWN":
                    raise error
                return None
            if response.status_code != 200:
                raise self.client.error(response)
            try:
                content = _read_limited(response, MAX_MANIFEST_SIZE, f"referrers of {digest}")
            finally:
                response.close()
            if _content_type(response) not in ("", IMAGE_INDEX):
                return None
            index = parse_index(content, f"referrers of {digest}")
            filtered = "artifactType" in response.headers.get("oci-filters-applied", "")
            found += [
                d
                for d in index.manifests
                if filtered or not artifact_type or d.artifact_type == artifact_type
            ]
            url = _next_link(response)
            if url is not None:
                url = str(response.request.url.join(url))
                params = {}
        return found

    def _referrers_from_tag(self, digest: str) -> tuple[Descriptor | None, list[Descriptor]]:
        try:
            fetched = self.get_manifest(referrers_tag(digest), (IMAGE_INDEX,))
        except RegistryNotFound:
            return None, []
        index = parse_index(fetched.content, f"referrers index of {digest}")
        return fetched.descriptor, index.manifests


class RemoteBlob:
    """A :class:`pyocm.blob.Blob` read from a registry repository (verified while read)."""

    def __init__(self, repository: RemoteRepository, descriptor: Descriptor):
        self.repository = repository
        self.descriptor = descriptor
        self.media_type = descriptor.media_type

    @property
    def size(self) -> int:
        return self.descriptor.size

    @property
    def digest(self) -> str:
        return self.descriptor.digest

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """A fresh verified stream of the blob."""
        with self.repository.open_blob(self.digest, self.size) as stream:
            yield stream


def _digest_and_size(blob: Blob) -> tuple[str, int]:
    digest = blob.digest
    size = blob.size
    if digest is not None and size >= 0:
        return digest, size
    h = hashlib.sha256()
    counted = 0
    with blob.open() as stream:
        while chunk := stream.read(1 << 20):
            h.update(chunk)
            counted += len(chunk)
    return digest or f"sha256:{h.hexdigest()}", counted


def _content_length(response: Response) -> int:
    """The ``Content-Length`` of ``response``, or ``-1`` when it has none that is a number."""
    value = str(response.headers.get("content-length", "")).strip()
    return int(value) if value.isdigit() else -1


def _plausible_size(digest: str, size: int) -> bool:
    """Whether blob ``digest`` can have ``size`` bytes (only the empty blob has none)."""
    if size < 0:
        return False
    if size == 0:
        return digest == digests.digest_bytes(b"", digests.algorithm(digest))
    return True


def _referrer_key(d: Descriptor) -> tuple[str, str, str, int]:
    return d.artifact_type, d.media_type, d.digest, d.size


def _content_type(response: Response) -> str:
    return str(response.headers.get("content-type", "")).split(";")[0].strip()


def _read_limited(response: Response, limit: int, what: str) -> bytes:
    buffer = io.BytesIO()
    for chunk in response.iter_bytes():
        buffer.write(chunk)
        if buffer.tell() > limit:
            raise OCMError(f"{what} is larger than {limit} bytes")
    return buffer.getvalue()


def _verify_manifest(response: Response, content: bytes, reference: str) -> str:
    what = f"manifest {reference}"
    if ":" in reference:
        expected = reference
    else:
        expected = response.headers.get("docker-content-digest", "")
        if not expected or digests.algorithm(expected) not in ("sha256", "sha384", "sha512"):
            return digests.digest_bytes(content)
    actual = digests.digest_bytes(content, digests.algorithm(expected))
    if actual != expected:
        raise DigestMismatch(what, expected, actual)
    return actual


def _next_link(response: Response) -> str | None:
    match = _LINK_NEXT.search(response.headers.get("link", ""))
    return match.group(1) if match else None
