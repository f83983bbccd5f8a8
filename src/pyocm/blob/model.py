"""The :class:`Blob` protocol and its in-memory and file implementations."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

from pyocm.errors import DigestMismatch, OCMError

CHUNK_SIZE = 1 << 20


@runtime_checkable
class Blob(Protocol):
    """A byte source with a media type and, where known, its size and OCI digest.

    ``digest`` is the OCI form ``sha256:<hex>`` (or ``None`` when not known in advance);
    ``size`` is ``-1`` when unknown.  ``open()`` yields a fresh binary stream each time; when
    the digest is known, reading the stream to its end verifies it.
    """

    media_type: str

    @property
    def size(self) -> int: ...

    @property
    def digest(self) -> str | None: ...

    def open(self) -> AbstractContextManager[IO[bytes]]: ...


class _VerifyingReader(io.RawIOBase):
    """Hashes what is read and checks digest and size when the end is reached."""

    def __init__(self, raw: IO[bytes], digest: str, size: int, what: str):
        algorithm, _, self._expected = digest.partition(":")
        self._hash = hashlib.new(algorithm)
        self._raw = raw
        self._size = size
        self._read = 0
        self._what = what
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        chunk = self._raw.read(len(view))
        n = len(chunk)
        view[:n] = chunk
        self._hash.update(chunk)
        self._read += n
        if n == 0 and len(view) > 0:
            self._finish()
        return n

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        actual = self._hash.hexdigest()
        if actual != self._expected:
            raise DigestMismatch(self._what, self._expected, actual)
        if self._size >= 0 and self._read != self._size:
            raise DigestMismatch(self._what, f"{self._size} bytes", f"{self._read} bytes")


def verified(stream: IO[bytes], digest: str, size: int = -1, what: str = "blob") -> IO[bytes]:
    """Wrap ``stream`` so that reading it to the end checks ``digest`` (and ``size`` if >= 0)."""
    if ":" not in digest:
        raise OCMError(f"invalid digest {digest!r}: expected <algorithm>:<hex>")
    reader = _VerifyingReader(stream, digest, size, what)
    return io.BufferedReader(reader, CHUNK_SIZE)


class ForwardingBlob:
    """Base of blobs that read through another one (to watch, count or check what is read).

    ``wrapped`` is that blob; :func:`unwrapped` looks through any number of them, e.g. to see
    that the bytes need not be read at all (a registry can mount a blob it already has).
    """

    wrapped: Blob


def unwrapped(blob: Blob) -> Blob:
    """The blob under any :class:`ForwardingBlob` wrappers."""
    while isinstance(blob, ForwardingBlob):
        blob = blob.wrapped
    return blob


class BytesBlob:
    """A blob held in memory (small content: descriptors, manifests, text inputs)."""

    def __init__(self, data: bytes, media_type: str = "application/octet-stream"):
        self.data = data
        self.media_type = media_type
        self._digest = "sha256:" + hashlib.sha256(data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def digest(self) -> str:
        return self._digest

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        yield io.BytesIO(self.data)


class FileBlob:
    """A blob backed by a file; with ``digest`` given, reads are verified against it."""

    def __init__(
        self,
        path: str | Path,
        media_type: str = "application/octet-stream",
        digest: str | None = None,
        size: int | None = None,
    ):
        self.path = Path(path)
        self.media_type = media_type
        self._digest = digest
        self._size = size

    @property
    def size(self) -> int:
        if self._size is None:
            self._size = self.path.stat().st_size
        return self._size

    @property
    def digest(self) -> str | None:
        return self._digest

    def compute_digest(self) -> str:
        """Hash the file (once) and remember the result as this blob's digest."""
        if self._digest is None:
            h = hashlib.sha256()
            with self.path.open("rb") as f:
                while chunk := f.read(CHUNK_SIZE):
                    h.update(chunk)
            self._digest = "sha256:" + h.hexdigest()
        return self._digest

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        try:
            f = self.path.open("rb")
        except OSError as e:
            raise OCMError(f"cannot read {self.path}: {e.strerror}") from None
        with f:
            if self._digest is None:
                yield f
            else:
                yield verified(f, self._digest, self.size, str(self.path))
