"""An OCI graph as an uncompressed OCI image layout tar, streamed from where its blobs are.

    >>> import io, tarfile, tempfile
    >>> from pathlib import Path
    >>> from pyocm.oci.layout import graph
    >>> from pyocm.oci.layout_tar import LayoutTar
    >>> from pyocm.oci.manifest import Descriptor, image_manifest
    >>> from pyocm.oci.mediatypes import IMAGE_MANIFEST
    >>> from pyocm.repository.ctf.store import BlobStore
    >>> store = BlobStore(Path(tempfile.mkdtemp()))
    >>> config = Descriptor("application/vnd.oci.empty.v1+json", store.put_bytes(b"{}"), 2)
    >>> raw = image_manifest(config, [])
    >>> root = Descriptor(IMAGE_MANIFEST, store.put_bytes(raw), len(raw))
    >>> layout = LayoutTar(store, graph(store, root), root, tag="1.0.0")
    >>> with layout.open() as stream:
    ...     data = stream.read()
    >>> len(data) == layout.size
    True
    >>> sorted(tarfile.open(fileobj=io.BytesIO(data)).getnames())[-2:]
    ['index.json', 'oci-layout']

The archive holds exactly what :func:`pyocm.oci.layout.write_layout` packs (blobs first, then
``index.json`` and ``oci-layout``, the same tar headers), uncompressed, so its size is known
before the first byte is read and nothing is staged: each blob is read from the source when
the stream reaches it, in 1 MiB pieces, and verified against its digest and size at its end.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import IO

from pyocm.errors import DigestMismatch
from pyocm.oci.layout import INDEX_FILE, LAYOUT_CONTENT, LAYOUT_FILE, BlobSource, layout_index
from pyocm.oci.manifest import Descriptor

PIECE = 1 << 20
"""Bytes read from a blob at a time."""

_BLOCK = tarfile.BLOCKSIZE
_RECORD = tarfile.RECORDSIZE


def tar_header(name: str, size: int) -> bytes:
    """The tar header of a regular file as the layout writers make it (PAX, mode 0644,
    owner 0, mtime 0)."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")


def _padding(size: int) -> int:
    return -size % _BLOCK


class LayoutTar:
    """The layout tar of ``nodes`` (children first, as :func:`pyocm.oci.layout.graph` gives
    them) read from ``source``, with ``root`` first in ``index.json``, tagged ``tag``."""

    def __init__(
        self,
        source: BlobSource,
        nodes: Sequence[Descriptor],
        root: Descriptor,
        tag: str | None = None,
    ):
        self._source = source
        self._nodes = list(nodes)
        self._index = layout_index(self._nodes, root, tag)
        self._headers = [tar_header(_blob_name(node.digest), node.size) for node in self._nodes]
        size = sum(
            len(header) + node.size + _padding(node.size)
            for header, node in zip(self._headers, self._nodes, strict=True)
        )
        for name, data in self._files():
            size += len(tar_header(name, len(data))) + len(data) + _padding(len(data))
        size += 2 * _BLOCK
        self.size = size + -size % _RECORD
        """The exact size of the archive in bytes."""

    def _files(self) -> tuple[tuple[str, bytes], ...]:
        return ((INDEX_FILE, self._index), (LAYOUT_FILE, LAYOUT_CONTENT))

    def chunks(self) -> Generator[bytes, None, None]:
        """The archive in pieces; each blob is checked against its digest and size."""
        written = 0
        for header, node in zip(self._headers, self._nodes, strict=True):
            yield header
            yield from self._blob(node)
            yield bytes(_padding(node.size))
            written += len(header) + node.size + _padding(node.size)
        for name, data in self._files():
            piece = tar_header(name, len(data)) + data + bytes(_padding(len(data)))
            written += len(piece)
            yield piece
        written += 2 * _BLOCK
        yield bytes(2 * _BLOCK + -written % _RECORD)

    def _blob(self, node: Descriptor) -> Generator[bytes, None, None]:
        what = f"blob {node.digest}"
        with self._source.open_blob(node.digest, node.size) as stream:
            left = node.size
            while left:
                piece = stream.read(min(PIECE, left))
                if not piece:
                    raise DigestMismatch(what, f"{node.size} bytes", f"{node.size - left} bytes")
                left -= len(piece)
                yield piece
            if stream.read(1):  # the end of a verified stream checks digest and size
                raise DigestMismatch(what, f"{node.size} bytes", "more bytes")

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """A stream of the archive (blobs are opened as it reaches them)."""
        chunks = self.chunks()
        try:
            yield io.BufferedReader(_ChunkReader(chunks), PIECE)
        finally:
            chunks.close()


class _ChunkReader(io.RawIOBase):
    """A raw stream over an iterator of byte strings."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def _blob_name(digest: str) -> str:
    algorithm, _, hexpart = digest.partition(":")
    return f"blobs/{algorithm}/{hexpart}"
