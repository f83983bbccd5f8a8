"""An OCI registry as the store of component versions: repositories below a sub path.

    >>> from pyocm.oci.client import RegistryClient
    >>> from pyocm.repository.oci.store import RegistryStore
    >>> store = RegistryStore(RegistryClient("http://127.0.0.1:5000"), "http://127.0.0.1:5000",
    ...                       "acme/ocm", writable=False)
    >>> store.description
    'registry http://127.0.0.1:5000/acme/ocm'
    >>> store.global_reference("component-descriptors/acme.org/app", "1.0.0")
    'http://127.0.0.1:5000/acme/ocm/component-descriptors/acme.org/app:1.0.0'
    >>> store.close()

Repository ``component-descriptors/acme.org/app`` of the store is the registry repository
``acme/ocm/component-descriptors/acme.org/app``.  Blobs go through the blobs endpoints
(``HEAD`` first: a blob already there is not sent again; a blob read from another repository
of the same registry is mounted from there, not uploaded), manifests and indexes through the
manifests endpoints, by digest, and the tag of a component version is the last request of
its push.  Tags are validated by fetching what they point at, several at a time.  A
registry cannot list its repositories, so :meth:`RegistryStore.list_repositories` says so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

from pyocm.blob import Blob
from pyocm.blob.model import unwrapped
from pyocm.errors import NotFound, OCMError, RegistryNotFound
from pyocm.oci.artifact import origin
from pyocm.oci.client import RegistryClient
from pyocm.oci.layout import BlobSource, read_blob
from pyocm.oci.manifest import MAX_MANIFEST_SIZE, Descriptor
from pyocm.oci.mediatypes import OCTET_STREAM, is_manifest_type
from pyocm.oci.remote import MANIFEST_TYPES, RemoteBlob, RemoteRepository
from pyocm.repository.store import SourceBlob, Tagged

WORKERS = 8
"""Requests in flight at once when validating tags or uploading the blobs of a graph."""


class RegistryStore:
    """Component repositories of one registry below ``sub_path`` (an ``OCIStore``).

    ``base_url`` is the registry as the repository specification names it (scheme kept); it
    begins the global references of local blobs.  The store owns ``client`` and closes it.
    """

    def __init__(
        self, client: RegistryClient, base_url: str, sub_path: str = "", *, writable: bool
    ):
        self.client = client
        self.sub_path = sub_path.strip("/")
        self.writable = writable
        base = base_url.rstrip("/")
        self.reference_base = f"{base}/{self.sub_path}" if self.sub_path else base
        self.description = f"registry {self.reference_base}"
        self._repositories: dict[str, RemoteRepository] = {}
        self._mutex = threading.Lock()

    def remote(self, repository: str) -> RemoteRepository:
        """The registry repository behind ``repository`` (sub path in front)."""
        with self._mutex:
            found = self._repositories.get(repository)
            if found is None:
                name = f"{self.sub_path}/{repository}" if self.sub_path else repository
                found = self._repositories[repository] = self.client.repository(name)
            return found

    # reading

    def list_repositories(self) -> list[str]:
        """Registries cannot list repositories: :class:`OCMError`, as in the Go CLI."""
        raise OCMError(
            f"component listing in repositories of type OCIRepository is not supported "
            f"({self.description}): name the component, as in <repository>//<component>"
        )

    def has_tag(self, repository: str, tag: str) -> bool:
        """Whether ``tag`` resolves (``HEAD``)."""
        try:
            self.remote(repository).resolve(tag)
        except RegistryNotFound:
            return False
        return True

    def tag_digest(self, repository: str, tag: str) -> str | None:
        """The digest ``tag`` resolves to (``HEAD``), or ``None``."""
        try:
            return self.remote(repository).resolve(tag).digest
        except RegistryNotFound:
            return None

    def get_tagged(self, repository: str, tag: str) -> Tagged | None:
        """The manifest or index ``tag`` points at, fetched in one request."""
        try:
            fetched = self.remote(repository).get_manifest(tag)
        except RegistryNotFound:
            return None
        return Tagged(tag, fetched.descriptor, fetched.content)

    def tagged(self, repository: str, keep: Callable[[str], bool]) -> Iterator[Tagged]:
        """The tags (sorted) with what they point at; tags gone meanwhile are left out."""
        try:
            tags = [t for t in self.remote(repository).list_tags() if keep(t)]
        except RegistryNotFound:
            return
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for found in pool.map(lambda tag: self.get_tagged(repository, tag), tags):
                if found is not None:
                    yield found

    def fetch_manifest(self, repository: str, descriptor: Descriptor) -> bytes:
        """The manifest ``descriptor`` names, fetched by digest and verified."""
        return self.remote(repository).get_manifest(descriptor.digest).content

    def read_blob(self, repository: str, descriptor: Descriptor, limit: int) -> bytes:
        """A small blob, verified."""
        return self.remote(repository).fetch_blob(descriptor.digest, descriptor.size, limit)

    def stat(self, repository: str, digest: str, media_type: str) -> Descriptor | None:
        """The blob or manifest ``digest``: manifest media types are looked up as manifests,
        others as blobs; without a media type, a blob first and then a manifest."""
        remote = self.remote(repository)
        if not is_manifest_type(media_type):
            size = remote.stat_blob(digest)
            if size is not None:
                return Descriptor(media_type or OCTET_STREAM, digest, size)
            if media_type:
                return None
        try:
            found = remote.resolve(digest)
        except RegistryNotFound:
            return None
        return Descriptor(media_type or found.media_type, digest, found.size)

    def blob(self, repository: str, descriptor: Descriptor) -> Blob:
        """The blob, read from the registry when opened (and verified while read)."""
        if descriptor.size < 0:
            found = self.stat(repository, descriptor.digest, descriptor.media_type)
            if found is None:
                raise NotFound(f"blob {descriptor.digest} not found in {self.description}")
            descriptor = Descriptor(descriptor.media_type, descriptor.digest, found.size)
        return RemoteBlob(self.remote(repository), descriptor)

    def graph_source(self, repository: str) -> BlobSource:
        """The registry repository (blobs and manifests by digest)."""
        return self.remote(repository)

    # writing

    def put_blob(self, repository: str, blob: Blob, what: str) -> tuple[str, int]:
        """Upload ``blob`` unless the registry has it (a blob of unknown digest is read twice).

        A blob read from another repository of this registry is mounted from there.
        """
        remote = self.remote(repository)
        origin = unwrapped(blob)
        mount_from: list[str] = []
        if isinstance(origin, RemoteBlob):
            mount_from = self._mountable(origin.repository, remote)
        stored = remote.push_blob(blob, mount_from=mount_from)
        return stored.digest, stored.size

    def put_bytes(self, repository: str, data: bytes) -> Descriptor:
        """Upload a small blob unless the registry has it."""
        return self.remote(repository).push_bytes(data)

    def put_graph(
        self, repository: str, source: BlobSource, nodes: Sequence[Descriptor], what: str
    ) -> None:
        """Upload the blobs of the graph (several at once), then its manifests, children first.

        What the repository has already is not sent again (``HEAD`` first, blobs and
        manifests); from another repository of this registry, blobs are mounted, else
        streamed from ``source`` and verified on the way.
        """
        remote = self.remote(repository)
        found = origin(source)
        mount_from: list[str] = []
        if isinstance(found, RemoteRepository):
            mount_from = self._mountable(found, remote)
        leaves = [n for n in nodes if not is_manifest_type(n.media_type)]

        def push(node: Descriptor) -> None:
            remote.push_blob(SourceBlob(source, node), mount_from=mount_from)

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for _ in pool.map(push, leaves):
                pass
        for node in nodes:
            if not is_manifest_type(node.media_type):
                continue
            try:
                remote.resolve(node.digest, MANIFEST_TYPES)
                continue
            except RegistryNotFound:
                pass
            content = read_blob(source, node.digest, MAX_MANIFEST_SIZE, node.size)
            remote.put_manifest(content, node.media_type)

    def _mountable(self, source: RemoteRepository, target: RemoteRepository) -> list[str]:
        """``[source name]`` when ``source`` is another repository of this registry."""
        same = source.client.base_url == self.client.base_url and source.name != target.name
        return [source.name] if same else []

    def publish(
        self,
        repository: str,
        manifests: Sequence[tuple[Descriptor, bytes]],
        tag: str,
        *,
        replace: bool,
    ) -> bool:
        """Push the manifests by digest, then the last one by ``tag``.

        Without ``replace`` an existing tag is refused first; two writers racing for the same
        new tag both succeed and the last one wins, as registries offer no conditional write.
        """
        remote = self.remote(repository)
        if not replace and self.has_tag(repository, tag):
            return False
        *children, (top, content) = manifests
        for descriptor, raw in children:
            remote.put_manifest(raw, descriptor.media_type)
        remote.put_manifest(content, top.media_type, tag=tag)
        return True

    def ensure_manifest(self, repository: str, descriptor: Descriptor, content: bytes) -> None:
        """Push the manifest by digest unless it resolves already."""
        remote = self.remote(repository)
        try:
            remote.resolve(descriptor.digest, MANIFEST_TYPES)
        except RegistryNotFound:
            remote.put_manifest(content, descriptor.media_type)

    def referrers(
        self, repository: str, subject: str, artifact_type: str
    ) -> list[Descriptor] | None:
        """The Referrers API, or the referrers tag where the registry has none."""
        try:
            return self.remote(repository).referrers(subject, artifact_type)
        except RegistryNotFound:
            return []

    def global_reference(self, repository: str, tag: str) -> str:
        """``<base url>[/<sub path>]/<repository>:<tag>``, as Go v2 builds the base reference."""
        return f"{self.reference_base}/{repository}:{tag}"

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()
