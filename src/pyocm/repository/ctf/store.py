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
``^[a-z0-9]+\\.[0-9a-f]+$`` are taken for blobs; temporary files are ignored.  Every blob read
verifies digest and size at the end of the stream (:func:`pyocm.blob.verified`).

A temporary name carries its writer (:func:`temp_prefix`: ``.<name>.<pid>@<host>.``), so
that :func:`sweep_stale` can remove what a killed writer left behind — only when that process
is gone, never a live writer's file.  A write the operating system refuses (permissions, a
read-only or full file system) is an :class:`OCMError` naming the file meant, not the
temporary (:func:`writing`).

Writers serialise their index updates with an inter-process lock on ``.pyocm.lock`` in the
CTF directory; readers need no lock.  The Go tools only ever look at ``artifact-index.json``
and ``blobs/``, so the lock file is invisible to them.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, Any

from pyocm.blob import verified
from pyocm.blob.model import CHUNK_SIZE
from pyocm.errors import DigestMismatch, NotFound, OCMError
from pyocm.oci import digests

BLOBS_DIR = "blobs"
LOCK_FILE = ".pyocm.lock"
READ_ONLY = 0o444
INCOMING = "incoming"
"""The name part of a blob's temporary file while its digest is not yet known."""

UNTAGGED_STALE_AFTER = 3600.0
"""Seconds without a change after which a temporary without a writer tag (written by pyocm
before names carried one) counts as abandoned."""

_TAGGED = re.compile(r"^\.?(?P<name>.+)\.(?P<pid>[0-9]+)@(?P<host>[0-9a-f]{8})\.[^.]+$")


def _host_tag() -> str:
    """Eight hex digits naming this machine, so that only its own dead writers are swept."""
    return f"{zlib.crc32(socket.gethostname().encode()):08x}"


def temp_prefix(name: str, *, hidden: bool = True) -> str:
    """The prefix of a temporary file for ``name`` written by this process (see the module);
    ``hidden`` false leaves out the leading dot (for work directories in the temp folder)."""
    return f"{'.' if hidden else ''}{name}.{os.getpid()}@{_host_tag()}."


def _writer_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by someone else
        return False
    return False


def is_stale(path: Path, name: str | None = None, now: float | None = None) -> bool:
    """Whether ``path`` is a temporary (of ``name``, if given) whose writer is gone.

    Tagged temporaries are stale when their process no longer runs on this machine; those of
    other machines are never touched.  Untagged ones (``.incoming.<random>``, written before
    names carried a writer) only when unchanged for :data:`UNTAGGED_STALE_AFTER` seconds.
    """
    match = _TAGGED.match(path.name)
    if match is not None:
        if name is not None and match["name"] != name:
            return False
        return match["host"] == _host_tag() and _writer_gone(int(match["pid"]))
    if name is None or not path.name.startswith(f".{name}."):
        return False
    try:
        changed = path.lstat().st_mtime
    except OSError:
        return False
    return (now if now is not None else time.time()) - changed > UNTAGGED_STALE_AFTER


def is_live_temporary(path: Path) -> bool:
    """Whether ``path`` is a temporary that another process, still running (or running on
    another machine), is writing."""
    match = _TAGGED.match(path.name)
    if match is None:
        return False
    if match["host"] != _host_tag():
        return True
    return int(match["pid"]) != os.getpid() and not _writer_gone(int(match["pid"]))


def sweep_stale(directory: Path, names: Iterable[str | None] = (None,)) -> list[Path]:
    """Remove the stale temporaries (see :func:`is_stale`) in ``directory``; returns them.

    ``names``: temporaries of which names, ``None`` for any tagged one.  Files that cannot be
    removed are left alone.
    """
    wanted = list(names)
    try:
        entries = os.listdir(directory)
    except OSError:
        return []
    removed = []
    now = time.time()
    for entry in entries:
        path = directory / entry
        if any(is_stale(path, name, now) for name in wanted):
            try:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
            except OSError:
                continue
            removed.append(path)
    return removed


@contextmanager
def writing(what: str, path: Path) -> Iterator[None]:
    """Turn an operating-system error while writing into an :class:`OCMError`.

    The message says what could not be written and why, naming the file the error is about,
    or ``path`` — the file meant, never a temporary (the final name stands for it):
    ``cannot write CTF ./x: permission denied (./x/artifact-index.json)``.
    """
    try:
        yield
    except OSError as e:
        raise OCMError(f"cannot write {what}: {os_reason(e)} ({_meant(e, path)})") from e


def _meant(error: OSError, default: Path) -> Path:
    # absolute, whatever the caller gave: filelock reports the lock as given before 4.3 and
    # absolute since, and the message should not change with the installed filelock
    named = Path(os.path.abspath(os.fsdecode(error.filename) if error.filename else default))
    match = _TAGGED.match(named.name)
    if match is None:
        return named
    return named.parent if match["name"] == INCOMING else named.parent / match["name"]


def os_reason(error: OSError) -> str:
    """The operating system's reason for ``error`` in lower case: ``permission denied``."""
    reason = error.strerror or str(error)
    return reason[:1].lower() + reason[1:]


def atomic_write(target: Path, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``target`` via a temporary file in the same directory and a rename."""
    fd, temp = tempfile.mkstemp(prefix=temp_prefix(target.name), dir=target.parent)
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
    """The ``blobs/`` directory of a CTF rooted at ``root``.

    ``description`` names the CTF in write errors (default ``CTF <root>``); errors reading the
    stream being stored pass through unchanged.
    """

    def __init__(self, root: Path, description: str | None = None):
        self.root = root
        self.directory = root / BLOBS_DIR
        self.description = description or f"CTF {root}"

    def _writing(self, path: Path | None = None) -> AbstractContextManager[None]:
        return writing(self.description, path or self.directory)

    def _temp(self, name: str) -> tuple[int, str]:
        """A new temporary file for ``name`` in ``blobs/`` (created if missing)."""
        with self._writing():
            self.directory.mkdir(parents=True, exist_ok=True)
            return tempfile.mkstemp(prefix=temp_prefix(name), dir=self.directory)

    def _fill(self, fd: int, temp: str, stream: IO[bytes], hasher: Any = None) -> int:
        """Copy ``stream`` into the open temporary ``fd``; returns the size."""
        size = 0
        try:
            with self._writing(Path(temp)), os.fdopen(fd, "wb") as out:
                while chunk := _read(stream):
                    if hasher is not None:
                        hasher.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
        except _SourceError as e:
            raise e.error from None
        return size

    def _settle(self, temp: str, target: Path) -> None:
        """Make the complete temporary read-only and rename it to ``target``."""
        with self._writing(target):
            os.chmod(temp, READ_ONLY)
            os.replace(temp, target)

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

    def names(self) -> list[str]:
        """The names of everything in ``blobs/`` (blobs and temporaries)."""
        try:
            return os.listdir(self.directory)
        except FileNotFoundError:
            return []

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
            with self._writing(self.path_of(digest)):
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
        hasher = hashlib.new(algorithm)
        fd, temp = self._temp(INCOMING)
        try:
            size = self._fill(fd, temp, stream, hasher)
            digest = f"{algorithm}:{hasher.hexdigest()}"
            if expected_digest is not None and digest != expected_digest:
                raise DigestMismatch(what, expected_digest, digest)
            self._settle(temp, self.path_of(digest))
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
        fd, temp = self._temp(target.name)
        try:
            self._fill(fd, temp, stream)
            self._settle(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


class _SourceError(Exception):
    """An error reading the stream being stored: not a write error (see :func:`_read`)."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


def _read(stream: IO[bytes]) -> bytes:
    try:
        return stream.read(CHUNK_SIZE)
    except OSError as e:
        raise _SourceError(e) from e
