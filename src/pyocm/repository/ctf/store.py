"""The files of a directory CTF: the flat blob store, atomic writes and the index lock.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from pyocm.repository.ctf.store import BlobStore
    >>> store = BlobStore(Path(tempfile.mkdtemp()))
    >>> digest = store.put_bytes(b"test")
    >>> with store.open_blob(digest) as f:
    ...     f.read()
    b'test'

Blobs live in ``blobs/<algorithm>.<hex>``.  Every file (blob or index) is written to a hidden
temporary name in its final directory, made read-only (``0444``, as Go v2 does) and renamed
into place, so a reader never sees a partial file.  Only names matching
``^[a-z0-9]+\\.[0-9a-f]+$`` are taken for blobs; stale temporary files are ignored.  Every
blob read verifies digest and size at the end of the stream (:func:`pyocm.blob.verified`).

Writers serialise their index updates with an inter-process lock on ``.pyocm.lock`` in the
CTF directory; readers need no lock.  The Go tools only ever look at ``artifact-index.json``
and ``blobs/``, so the lock file is invisible to them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pyocm.blob import verified
from pyocm.blob.model import CHUNK_SIZE
from pyocm.errors import DigestMismatch, NotFound, OCMError
from pyocm.oci import digests

BLOBS_DIR = "blobs"
LOCK_FILE = ".pyocm.lock"
READ_ONLY = 0o444


def atomic_write(target: Path, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``target`` via a temporary file in the same directory and a rename."""
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        os.chmod(temp, READ_ONLY)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class CTFBlob:
    """A blob stored in a CTF; :meth:`open` verifies digest and size while it is read."""

    def __init__(self, path: Path, digest: str, media_type: str, size: int = -1):
        self.path = path
        self.media_type = media_type
        self._digest = digest
        self._size = size

    @property
    def digest(self) -> str:
        """The blob's OCI digest."""
        return self._digest

    @property
    def size(self) -> int:
        """The blob's size in bytes."""
        if self._size < 0:
            self._size = self.path.stat().st_size
        return self._size

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """A stream of the blob that raises :class:`DigestMismatch` at its end if corrupted."""
        try:
            f = self.path.open("rb")
        except FileNotFoundError:
            raise NotFound(f"blob {self._digest} is missing ({self.path})") from None
        with f:
            yield verified(f, self._digest, self._size, f"blob {self._digest} ({self.path})")


class BlobStore:
    """The ``blobs/`` directory of a CTF rooted at ``root``."""

    def __init__(self, root: Path):
        self.root = root
        self.directory = root / BLOBS_DIR

    def path_of(self, digest: str) -> Path:
        """The file holding ``digest`` (which must be a valid digest)."""
        return self.directory / digests.blob_file_name(digest)

    def has(self, digest: str) -> bool:
        """Whether the blob is stored."""
        return self.path_of(digest).is_file()

    def blob_size(self, digest: str) -> int:
        """The size of a stored blob; :class:`NotFound` when absent."""
        try:
            return self.path_of(digest).stat().st_size
        except FileNotFoundError:
            raise NotFound(f"blob {digest} not found in CTF {self.root}") from None

    def blob(self, digest: str, media_type: str, size: int = -1) -> CTFBlob:
        """The stored blob as a :class:`pyocm.blob.Blob`; :class:`NotFound` when absent."""
        path = self.path_of(digest)
        if not path.is_file():
            raise NotFound(f"blob {digest} not found in CTF {self.root}")
        return CTFBlob(path, digest, media_type, size)

    @contextmanager
    def open_blob(self, digest: str, size: int = -1) -> Iterator[IO[bytes]]:
        """A verified stream of a stored blob (see :class:`CTFBlob`)."""
        with self.blob(digest, "application/octet-stream", size).open() as stream:
            yield stream

    def read_bytes(self, digest: str, limit: int, size: int = -1) -> bytes:
        """All bytes of a small stored blob, verified; refuses blobs larger than ``limit``."""
        actual = self.blob_size(digest)
        if actual > limit:
            raise OCMError(f"blob {digest} in CTF {self.root} has {actual} bytes (limit {limit})")
        with self.open_blob(digest, size) as stream:
            return stream.read()

    def list(self) -> list[str]:
        """The digests of all stored blobs (files with well-formed names only), sorted."""
        try:
            names = os.listdir(self.directory)
        except FileNotFoundError:
            return []
        found = (digests.digest_from_file_name(name) for name in names)
        return sorted(d for d in found if d is not None)

    def put_bytes(self, data: bytes) -> str:
        """Store ``data``; returns its digest.  An already stored blob is left as it is."""
        digest = digests.digest_bytes(data)
        if not self.has(digest):
            self.directory.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path_of(digest), [data])
        return digest

    def put_stream(
        self, stream: IO[bytes], expected_digest: str | None = None, what: str = "blob"
    ) -> tuple[str, int]:
        """Store what ``stream`` yields, hashing it on the way; returns ``(digest, size)``.

        With ``expected_digest`` the content must match it (:class:`DigestMismatch` otherwise,
        nothing stored).  Content already stored is not written again.
        """
        algorithm = "sha256"
        if expected_digest is not None:
            algorithm = digests.algorithm(expected_digest)
            if self.has(expected_digest):
                return expected_digest, self.blob_size(expected_digest)
        self.directory.mkdir(parents=True, exist_ok=True)
        hasher = hashlib.new(algorithm)
        size = 0
        fd, temp = tempfile.mkstemp(prefix=".incoming.", dir=self.directory)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK_SIZE):
                    hasher.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            digest = f"{algorithm}:{hasher.hexdigest()}"
            if expected_digest is not None and digest != expected_digest:
                raise DigestMismatch(what, expected_digest, digest)
            os.chmod(temp, READ_ONLY)
            os.replace(temp, self.path_of(digest))
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return digest, size

    def put_named(self, stream: IO[bytes], digest: str) -> None:
        """Store what ``stream`` yields under ``digest`` as it is; reads verify it later.

        Used to unpack archives, whose blobs are checked when they are read, like those of a
        directory CTF.
        """
        target = self.path_of(digest)
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=self.directory)
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(stream, out, CHUNK_SIZE)
            os.chmod(temp, READ_ONLY)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
