"""The OCI content store under a component-version repository: the one seam between OCM and OCI.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from pyocm.repository.ctf.ocistore import CTFStore
    >>> from pyocm.repository.store import OCIStore
    >>> store: OCIStore = CTFStore(Path(tempfile.mkdtemp()), writable=True)
    >>> stored = store.put_bytes("component-descriptors/acme.org/app", b"{}")
    >>> store.read_blob("component-descriptors/acme.org/app", stored, 1024)
    b'{}'

:class:`pyocm.repository.ocm.OCMRepository` holds every rule of OCM in OCI (repository names,
tags, manifests, indexes, local blobs); an :class:`OCIStore` only keeps OCI content.  Every
method names the OCI repository it works in, relative to the store's root
(``component-descriptors/<component>``); a registry store puts its sub path in front, a CTF
records it in ``artifact-index.json``.  Two stores exist: the CTF directory
(:class:`pyocm.repository.ctf.ocistore.CTFStore`) and a registry
(:class:`pyocm.repository.oci.store.RegistryStore`).

Contract shared by the stores:

* blobs and manifests fetched are verified against their digest (and size, when known);
* :meth:`OCIStore.publish` writes the manifests it is given before the tag, so a reader never
  sees a tag pointing at something missing;
* absent things are ``None`` or raise :class:`pyocm.errors.NotFound`, as each method says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pyocm.blob import Blob
    from pyocm.oci.layout import BlobSource
    from pyocm.oci.manifest import Descriptor


@dataclass(frozen=True)
class Tagged:
    """A tag and the manifest or index it points at (its descriptor and verified bytes).

    The descriptor's media type is empty when the store does not record it (old CTFs); the
    JSON then says what it is.
    """

    tag: str
    descriptor: Descriptor
    content: bytes


class OCIStore(Protocol):
    """OCI content (blobs, manifests, tags) in named repositories; see the module docs."""

    description: str
    """What the store is, for messages: ``CTF ./archive``, ``registry http://host/sub``."""

    writable: bool
    """Whether the store was opened for writing."""

    def list_repositories(self) -> list[str]:
        """Every repository with at least one tag; :class:`OCMError` where impossible."""
        ...

    def has_tag(self, repository: str, tag: str) -> bool:
        """Whether ``tag`` exists in ``repository``."""
        ...

    def get_tagged(self, repository: str, tag: str) -> Tagged | None:
        """What ``tag`` points at, or ``None`` when there is no such tag."""
        ...

    def tag_digest(self, repository: str, tag: str) -> str | None:
        """The digest of what ``tag`` points at, or ``None``: cheaper than :meth:`get_tagged`
        (a CTF looks in its index, a registry answers a ``HEAD``), so that a caller can keep
        what it parsed of a manifest by digest and still see a moved tag."""
        ...

    def tagged(self, repository: str, keep: Callable[[str], bool]) -> Iterator[Tagged]:
        """Every tag of ``repository`` for which ``keep`` is true, with what it points at.

        An unknown repository has no tags.  The order is the store's (a CTF keeps index
        order; registries serve tags sorted).
        """
        ...

    def fetch_manifest(self, repository: str, descriptor: Descriptor) -> bytes:
        """The verified bytes of the manifest or index ``descriptor`` names."""
        ...

    def read_blob(self, repository: str, descriptor: Descriptor, limit: int) -> bytes:
        """The verified bytes of a small blob; refuses blobs larger than ``limit``."""
        ...

    def stat(self, repository: str, digest: str, media_type: str) -> Descriptor | None:
        """The stored blob or manifest ``digest`` as a descriptor, or ``None`` when absent.

        ``media_type`` is what the caller knows of it (may be empty); the descriptor carries
        it, else what the store recorded, else ``application/octet-stream``.
        """
        ...

    def blob(self, repository: str, descriptor: Descriptor) -> Blob:
        """The stored blob as a :class:`pyocm.blob.Blob` that verifies itself while read."""
        ...

    def graph_source(self, repository: str) -> BlobSource:
        """``repository`` as a source of blobs and manifests for walking an OCI graph."""
        ...

    def put_blob(self, repository: str, blob: Blob, what: str) -> tuple[str, int]:
        """Store ``blob`` (verified against its digest when it has one): ``(digest, size)``."""
        ...

    def put_bytes(self, repository: str, data: bytes) -> Descriptor:
        """Store a small blob; returns its descriptor (media type octet-stream)."""
        ...

    def put_graph(
        self, repository: str, source: BlobSource, nodes: Sequence[Descriptor], what: str
    ) -> None:
        """Copy an OCI graph (``nodes`` children first, as :func:`pyocm.oci.layout.graph`
        gives them) from ``source``: blobs as blobs, manifests and indexes untagged.

        Node by node, every node read verified; what the store holds already is skipped.
        ``source`` may be another store's repository (a registry repository, possibly
        wrapped in :class:`pyocm.oci.artifact.ObservedSource`): a registry mounts blobs from
        another repository of itself instead of reading them."""
        ...

    def publish(
        self,
        repository: str,
        manifests: Sequence[tuple[Descriptor, bytes]],
        tag: str,
        *,
        replace: bool,
    ) -> bool:
        """Store ``manifests`` (children first) and point ``tag`` at the last one.

        Returns ``False``, having tagged nothing, when ``tag`` exists and ``replace`` is
        false.  The tag is written last.
        """
        ...

    def ensure_manifest(self, repository: str, descriptor: Descriptor, content: bytes) -> None:
        """Store a fixed manifest (untagged) unless it is there; its blobs must be stored."""
        ...

    def referrers(
        self, repository: str, subject: str, artifact_type: str
    ) -> list[Descriptor] | None:
        """The manifests whose ``subject`` is ``subject``, or ``None`` where not supported."""
        ...

    def global_reference(self, repository: str, tag: str) -> str | None:
        """The reference others reach ``repository:tag`` by, or ``None`` (a CTF has none)."""
        ...

    def close(self) -> None:
        """Release connections; the store is not used afterwards."""
        ...


class SourceBlob:
    """One blob of a :class:`pyocm.oci.layout.BlobSource`, as a :class:`pyocm.blob.Blob`."""

    def __init__(self, source: BlobSource, descriptor: Descriptor):
        self.media_type = descriptor.media_type
        self._source = source
        self._descriptor = descriptor

    @property
    def size(self) -> int:
        """The size the descriptor records."""
        return self._descriptor.size

    @property
    def digest(self) -> str:
        """The digest the descriptor records."""
        return self._descriptor.digest

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """A verified stream of the blob."""
        with self._source.open_blob(self._descriptor.digest, self._descriptor.size) as stream:
            yield stream
