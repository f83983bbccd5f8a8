"""Blobs produced on the fly: chunk generators read as streams, and streaming gzip.

    >>> import gzip
    >>> from pyocm.blob import BytesBlob
    >>> blob = gzipped(BytesBlob(b"hello", "text/plain"))
    >>> blob.media_type, blob.size
    ('text/plain+gzip', -1)
    >>> with blob.open() as f:
    ...     gzip.decompress(f.read())
    b'hello'

Nothing here holds more than one chunk (1 MiB) in memory.  The gzip stream has a fixed
header (no file name, modification time 0, operating system "unknown", as Go's
``compress/gzip`` writes it), so the same input always gives the same bytes.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from pyocm.blob import Blob

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

CHUNK_SIZE = 1 << 20
GZIP_SUFFIX = "+gzip"
_FEXTRA = 0x04
_FCOMMENT = 0x10


def read_chunks(stream: IO[bytes], size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The content of ``stream`` in chunks of at most ``size`` bytes."""
    while chunk := stream.read(size):
        yield chunk


def gzip_chunks(
    chunks: Iterable[bytes], *, level: int = 6, extra: bytes = b"", comment: bytes = b""
) -> Iterator[bytes]:
    """Compress ``chunks`` into one gzip member, streaming; optional header extra/comment."""
    flags = (_FEXTRA if extra else 0) | (_FCOMMENT if comment else 0)
    head = b"\x1f\x8b\x08" + bytes([flags]) + b"\0\0\0\0" + b"\0\xff"
    if extra:
        head += struct.pack("<H", len(extra)) + extra
    if comment:
        head += comment + b"\0"
    yield head
    deflate = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    crc = 0
    size = 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        if out := deflate.compress(chunk):
            yield out
    yield deflate.flush() + struct.pack("<II", crc, size & 0xFFFFFFFF)


class ChunkReader(io.RawIOBase):
    """A readable binary stream over an iterator of byte chunks."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk)
        n = min(len(view), len(self._pending))
        view[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


class StreamBlob:
    """A blob whose bytes are generated anew, chunk by chunk, each time it is opened.

    ``size`` is ``-1`` and ``digest`` ``None`` unless given: the bytes are not known before
    they are produced, so whoever stores the blob measures and hashes them while writing.
    """

    def __init__(
        self,
        chunks: Callable[[], Iterator[bytes]],
        media_type: str,
        *,
        size: int = -1,
        digest: str | None = None,
    ):
        self._chunks = chunks
        self.media_type = media_type
        self._size = size
        self._digest = digest

    @property
    def size(self) -> int:
        return self._size

    @property
    def digest(self) -> str | None:
        return self._digest

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        chunks = self._chunks()
        try:
            yield io.BufferedReader(ChunkReader(chunks), CHUNK_SIZE)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()


def gzipped(blob: Blob) -> StreamBlob:
    """``blob`` compressed with gzip while it is read; the media type gains ``+gzip``.

    A blob without a media type becomes ``application/gzip``.
    """

    def chunks() -> Iterator[bytes]:
        with blob.open() as stream:
            yield from gzip_chunks(read_chunks(stream))

    media_type = blob.media_type + GZIP_SUFFIX if blob.media_type else "application/gzip"
    return StreamBlob(chunks, media_type)
