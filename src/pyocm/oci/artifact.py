"""OCI artifacts as blobs: a root manifest or index, everything it reaches, and its referrers.

    >>> import tarfile, tempfile
    >>> from pathlib import Path
    >>> from pyocm.oci.artifact import ArtifactBlob, GraphBlob
    >>> from pyocm.oci.manifest import Descriptor, image_manifest
    >>> from pyocm.oci.mediatypes import IMAGE_MANIFEST
    >>> from pyocm.repository.ctf.store import BlobStore
    >>> store = BlobStore(Path(tempfile.mkdtemp()))
    >>> config = Descriptor("application/vnd.oci.empty.v1+json", store.put_bytes(b"{}"), 2)
    >>> raw = image_manifest(config, [])
    >>> root = Descriptor(IMAGE_MANIFEST, store.put_bytes(raw), len(raw))
    >>> blob = ArtifactBlob(store, root, media_type="application/x-tar", tag="1.0")
    >>> isinstance(blob, GraphBlob), [n.digest == root.digest for n in blob.nodes()]
    (True, [False, True])
    >>> with blob.open() as stream:
    ...     "index.json" in tarfile.open(fileobj=stream, mode="r|").getnames()
    True

An artifact is handed out as an OCI image layout tar (:class:`ArtifactBlob`, streamed by
:class:`pyocm.oci.layout_tar.LayoutTar`, never held in memory), but whoever can copy OCI
content node by node should: a :class:`GraphBlob` exposes its source, its root and its nodes,
so a registry can take the blobs one by one (mounted when they are on the same registry) and
the manifests after them, with no archive built at all.

Referrers (manifests whose ``subject`` is a node of the graph) ride along when a
:data:`ReferrerLookup` is given, with their own graphs, at any depth, as Go v2 copies them.
:class:`ObservedSource` wraps a source to watch the bytes read from it; :func:`origin` looks
through such wrappers, e.g. to see that a blob can be mounted rather than copied.
"""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import IO, cast

from pyocm.oci.layout import BlobSource, graph
from pyocm.oci.layout_tar import LayoutTar
from pyocm.oci.manifest import Descriptor
from pyocm.oci.mediatypes import is_manifest_type

ReferrerLookup = Callable[[str], list[Descriptor]]
"""The manifests whose ``subject`` is the given digest (e.g.
:meth:`pyocm.oci.remote.RemoteRepository.referrers`)."""


class GraphBlob(ABC):
    """A blob whose content is an OCI artifact, readable node by node as well.

    Besides the :class:`pyocm.blob.Blob` members (``open()`` yields the artifact as an OCI
    image layout, tar, maybe gzipped), ``root`` is its manifest or index, ``source`` where its
    nodes are read (each verified), and :meth:`nodes` its graph, children first, then any
    referrers.  A nominal base class: checking for it reads nothing.
    """

    media_type: str

    @property
    @abstractmethod
    def size(self) -> int:
        """The size of the layout archive (``-1`` when not known)."""

    @property
    @abstractmethod
    def digest(self) -> str | None:
        """The digest of the layout archive, when known."""

    @abstractmethod
    def open(self) -> AbstractContextManager[IO[bytes]]:
        """The artifact as an OCI image layout archive."""

    @property
    @abstractmethod
    def root(self) -> Descriptor:
        """The artifact's manifest or index."""

    @property
    @abstractmethod
    def source(self) -> BlobSource:
        """Where the nodes are read, each verified against its digest."""

    @abstractmethod
    def nodes(self) -> list[Descriptor]:
        """The graph of :attr:`root` (children first, root among them) and its referrers."""


def artifact_graph(
    source: BlobSource, root: Descriptor, referrers: ReferrerLookup | None = None
) -> list[Descriptor]:
    """The graph of ``root`` (see :func:`pyocm.oci.layout.graph`) followed by the graphs of
    its referrers and theirs, each digest once, every referrer after its subject."""
    nodes = graph(source, root)
    if referrers is None:
        return nodes
    seen = {node.digest for node in nodes}
    position = 0
    while position < len(nodes):
        node = nodes[position]
        position += 1
        if not is_manifest_type(node.media_type):
            continue
        for referrer in referrers(node.digest):
            if referrer.digest in seen:
                continue
            for found in graph(source, referrer):
                if found.digest not in seen:
                    seen.add(found.digest)
                    nodes.append(found)
    return nodes


class ArtifactBlob(GraphBlob):
    """An OCI artifact of ``source`` as an uncompressed OCI image layout tar.

    ``tag`` names the root in ``index.json``; ``referrers`` (when given) adds the referrers of
    every manifest.  The graph is read once, on first need; the size is then exact.
    """

    def __init__(
        self,
        source: BlobSource,
        root: Descriptor,
        *,
        media_type: str,
        tag: str | None = None,
        referrers: ReferrerLookup | None = None,
    ):
        self.media_type = media_type
        self._source = source
        self._root = root
        self._tag = tag
        self._referrers = referrers
        self._layout: LayoutTar | None = None
        self._nodes: list[Descriptor] | None = None

    @property
    def root(self) -> Descriptor:
        """The artifact's manifest or index."""
        return self._root

    @property
    def source(self) -> BlobSource:
        """Where its blobs and manifests are read."""
        return self._source

    def nodes(self) -> list[Descriptor]:
        """Its graph and referrers (read on the first call)."""
        if self._nodes is None:
            self._nodes = artifact_graph(self._source, self._root, self._referrers)
        return list(self._nodes)

    def _tar(self) -> LayoutTar:
        if self._layout is None:
            self._layout = LayoutTar(self._source, self.nodes(), self._root, self._tag)
        return self._layout

    @property
    def size(self) -> int:
        """The size of the layout tar."""
        return self._tar().size

    @property
    def digest(self) -> str | None:
        """Not known without reading the whole archive: ``None``."""
        return None

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """The layout tar, streamed from the source."""
        with self._tar().open() as stream:
            yield stream


class ObservedSource:
    """A :class:`pyocm.oci.layout.BlobSource` that reports every byte read through it.

    ``on_read`` is called with the number of bytes of each read (it may raise to stop the
    reading); ``inner`` is the source observed.
    """

    def __init__(self, inner: BlobSource, on_read: Callable[[int], None]):
        self.inner = inner
        self._on_read = on_read

    def blob_size(self, digest: str) -> int:
        """The size the inner source gives."""
        return self.inner.blob_size(digest)

    @contextmanager
    def open_blob(self, digest: str, size: int = -1) -> Iterator[IO[bytes]]:
        """The inner source's stream, counted."""
        with self.inner.open_blob(digest, size) as stream:
            yield cast("IO[bytes]", _Counted(stream, self._on_read))


class _Counted(io.RawIOBase):
    """Passes reads through and reports their sizes."""

    def __init__(self, stream: IO[bytes], on_read: Callable[[int], None]):
        self._stream = stream
        self._on_read = on_read

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if data:
            self._on_read(len(data))
        return data

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def origin(source: BlobSource) -> BlobSource:
    """The source under any :class:`ObservedSource` wrappers."""
    while isinstance(source, ObservedSource):
        source = source.inner
    return source
