"""Local blobs that are not one stored blob: OCI artifacts handed out as layouts, chunked blobs.

    >>> from pyocm.blob import BytesBlob
    >>> from pyocm.repository.stored_blobs import ChainedBlob
    >>> blob = ChainedBlob([BytesBlob(b"he"), BytesBlob(b"llo")], "text/plain")
    >>> with blob.open() as f:
    ...     f.read()
    b'hello'

:class:`LayoutBlob` is what a local blob stored as a native OCI artifact (the index form of a
component version) is read as: a gzipped OCI image layout of its whole graph, as Go v2 hands
it out, which another OCI store can also copy node by node.  :class:`ChainedBlob` joins the
layers of a legacy chunked local blob (a comma-separated ``localReference``, written by the v1
CLI above a registry's size limit).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from pyocm.blob import Blob
from pyocm.blob.model import CHUNK_SIZE
from pyocm.oci.artifact import GraphBlob, ReferrerLookup, artifact_graph
from pyocm.oci.layout import BlobSource, write_layout, write_layout_directory
from pyocm.oci.manifest import Descriptor
from pyocm.repository import mediatypes as ocm_types

SPOOL_SIZE = 16 << 20
"""Layouts up to this size are built in memory, larger ones in a temporary file."""


class LayoutBlob(GraphBlob):
    """An OCI artifact of a store, handed out as a gzipped OCI image layout.

    As a :class:`pyocm.oci.artifact.GraphBlob`, a repository that takes OCI content copies
    it node by node (with the referrers ``referrers`` finds) instead of unpacking the layout.
    """

    def __init__(
        self,
        source: BlobSource,
        root: Descriptor,
        tag: str | None,
        temp_dir: Path | None,
        referrers: ReferrerLookup | None = None,
    ):
        self.media_type = ocm_types.OCI_LAYOUT_TAR_GZIP
        self._source = source
        self._root = root
        self._tag = tag
        self._temp_dir = temp_dir
        self._referrers = referrers

    @property
    def root(self) -> Descriptor:
        """The artifact's manifest or index."""
        return self._root

    @property
    def source(self) -> BlobSource:
        """Where its blobs and manifests are read."""
        return self._source

    def nodes(self) -> list[Descriptor]:
        """Its graph (children first) and its referrers' graphs."""
        return artifact_graph(self._source, self._root, self._referrers)

    @property
    def size(self) -> int:
        """Unknown until written: ``-1``."""
        return -1

    @property
    def digest(self) -> str | None:
        """Unknown until written: ``None``."""
        return None

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """Build the layout (every blob verified) into a spooled file and stream it."""
        work = str(self._temp_dir) if self._temp_dir is not None else None
        with tempfile.SpooledTemporaryFile(SPOOL_SIZE, dir=work) as spool:
            write_layout(spool, self._source, self._root, self._tag)
            spool.seek(0)
            yield spool

    def unpack(self, directory: Path) -> None:
        """Write the layout unpacked into the new ``directory`` (what extracting the archive
        :meth:`open` streams gives, without packing and compressing it first)."""
        write_layout_directory(directory, self._source, self._root, self._tag)


class ChainedBlob:
    """Several stored blobs read one after the other (legacy chunked local blobs)."""

    def __init__(self, parts: Sequence[Blob], media_type: str):
        self.media_type = media_type
        self._parts = parts

    @property
    def size(self) -> int:
        """The sum of the chunk sizes."""
        return sum(part.size for part in self._parts)

    @property
    def digest(self) -> str | None:
        """A chunked blob has no digest of its own: ``None``."""
        return None

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """The chunks in order, each verified at its end."""
        with ExitStack() as stack:
            streams = [stack.enter_context(part.open()) for part in self._parts]
            yield io.BufferedReader(_ChainReader(streams), CHUNK_SIZE)


class _ChainReader(io.RawIOBase):
    def __init__(self, streams: list[IO[bytes]]):
        self._streams = streams

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while self._streams:
            data = self._streams[0].read(len(buffer))
            if data:
                buffer[: len(data)] = data
                return len(data)
            self._streams.pop(0)
        return 0
