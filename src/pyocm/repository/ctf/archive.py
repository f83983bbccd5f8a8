"""CTF archives: unpacking a tar or tgz CTF safely, and packing a directory CTF atomically.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from pyocm.repository.ctf import open_ctf
    >>> from pyocm.repository.ctf.archive import extract_ctf, write_archive
    >>> work = Path(tempfile.mkdtemp())
    >>> open_ctf(work / "ctf", mode="create").close()
    >>> write_archive(work / "ctf", work / "ctf.tgz", "tgz")
    >>> (work / "copy").mkdir()
    >>> extract_ctf(work / "ctf.tgz", work / "copy")
    >>> (work / "copy" / "artifact-index.json").read_bytes()
    b'{"schemaVersion":1,"artifacts":null}'

Unpacking writes only ``artifact-index.json`` and ``blobs/<algorithm>.<hex>`` into the target
directory, under names pyocm builds itself; every entry is first checked by
:mod:`pyocm.oci.tarsafe` (no absolute paths, no ``..``, no links or devices, bounded
expansion).  A CTF nested under a top directory (``tar czf x.tgz somedir``) is refused with
a hint, as the Go tools cannot read it either.

Packing writes ``artifact-index.json`` first, then the blobs sorted by name, each with mode
0644, uid/gid 0, no owner names and the fixed mtime 2022-01-01 the legacy Go CLI uses, and no
directory entries (Go v2 would create them relative to its working directory).  The archive
is written to a temporary file next to the target (named for its writer, see
:func:`pyocm.repository.ctf.store.temp_prefix`) and renamed over it; ``progress`` hears how
far packing got, as ``(bytes packed, bytes in all)`` of the CTF's files.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, cast

from pyocm.errors import OCMError
from pyocm.oci import digests
from pyocm.oci.tarsafe import DEFAULT_LIMITS, Limits, regular_files
from pyocm.repository.ctf.format import Format
from pyocm.repository.ctf.index import INDEX_FILE, ArtifactIndex
from pyocm.repository.ctf.store import BLOBS_DIR, BlobStore, atomic_write, temp_prefix, writing

ARCHIVE_MTIME = 1640995200
"""2022-01-01T00:00:00Z, the fixed mtime of every archive entry."""

_MAX_INDEX_SIZE = 256 << 20


def extract_ctf(archive: Path, dest: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Unpack the tar or tgz CTF at ``archive`` into the directory ``dest``."""
    what = f"CTF archive {archive}"
    store = BlobStore(dest)
    nested_index: str | None = None
    for name, stream in regular_files(archive, what, limits):
        if name == INDEX_FILE:
            data = stream.read(_MAX_INDEX_SIZE + 1)
            if len(data) > _MAX_INDEX_SIZE:
                raise OCMError(f"{what}: {INDEX_FILE} is larger than {_MAX_INDEX_SIZE} bytes")
            atomic_write(dest / INDEX_FILE, [data])
        elif name.startswith(f"{BLOBS_DIR}/") and name.count("/") == 1:
            digest = digests.digest_from_file_name(name.partition("/")[2])
            if digest is not None:
                store.put_named(stream, digest)
        elif name.endswith(f"/{INDEX_FILE}") and nested_index is None:
            nested_index = name
    if nested_index is not None and not (dest / INDEX_FILE).exists():
        raise OCMError(
            f"{what} has no {INDEX_FILE} at its root but has {nested_index}: a CTF archive must "
            "hold the CTF at its root (create it with 'tar -C <dir> -czf <archive> .')"
        )


Progress = Callable[[int, int], None]
"""Told ``(bytes packed so far, bytes to pack in all)`` while an archive is written."""


def write_archive(
    source: Path, target: Path, fmt: Format, progress: Progress | None = None
) -> None:
    """Pack the directory CTF ``source`` into a ``tar`` or ``tgz`` file at ``target``.

    An error of the operating system is an :class:`OCMError` naming ``target``; whatever
    goes wrong (an interrupt included), no temporary file is left behind.
    """
    if fmt not in ("tar", "tgz"):
        raise OCMError(f"cannot write a CTF archive of format {fmt!r} (expected tar or tgz)")
    with writing(f"CTF {target}", target):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=temp_prefix(target.name), dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                if fmt == "tgz":
                    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=6) as zipped:
                        _write_tar(source, cast(IO[bytes], zipped), progress)
                else:
                    _write_tar(source, out, progress)
            os.chmod(temp, 0o644)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def _write_tar(source: Path, out: IO[bytes], progress: Progress | None) -> None:
    index_path = source / INDEX_FILE
    index_raw = index_path.read_bytes() if index_path.is_file() else ArtifactIndex().to_json()
    store = BlobStore(source)
    paths = [store.path_of(digest) for digest in sorted(store.list(), key=digests.blob_file_name)]
    counter = _Counter(len(index_raw) + sum(path.stat().st_size for path in paths), progress)
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(_entry(INDEX_FILE, len(index_raw)), counter.wrap(io.BytesIO(index_raw)))
        for path in paths:
            with path.open("rb") as blob:
                size = os.fstat(blob.fileno()).st_size
                tar.addfile(_entry(f"{BLOBS_DIR}/{path.name}", size), counter.wrap(blob))


class _Counter:
    """Counts the bytes tar reads from the CTF's files and tells ``progress``."""

    def __init__(self, total: int, progress: Progress | None):
        self.total = total
        self.done = 0
        self.progress = progress
        if progress is not None:
            progress(0, total)

    def wrap(self, stream: IO[bytes]) -> IO[bytes]:
        if self.progress is None:
            return stream
        return cast(IO[bytes], _Counted(stream, self))


class _Counted:
    def __init__(self, stream: IO[bytes], counter: _Counter):
        self._stream = stream
        self._counter = counter

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        counter = self._counter
        if data and counter.progress is not None:
            counter.done += len(data)
            counter.progress(counter.done, counter.total)
        return data


def _entry(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    info.mtime = ARCHIVE_MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info
