"""Reading untrusted tar and tgz archives without letting them escape or explode.

    >>> import io, tarfile, tempfile, pathlib
    >>> from pyocm.oci.tarsafe import regular_files
    >>> buf = io.BytesIO()
    >>> with tarfile.open(fileobj=buf, mode="w") as tar:
    ...     info = tarfile.TarInfo("hello.txt"); info.size = 2
    ...     tar.addfile(info, io.BytesIO(b"hi"))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.tar"
    >>> _ = path.write_bytes(buf.getvalue())
    >>> [(name, f.read()) for name, f in regular_files(path, "example")]
    [('hello.txt', b'hi')]

Gzip compression is detected from the content (magic ``1f 8b``), never from the file name.
Every entry is checked before anything is read from it: absolute names, ``..`` components,
and any entry that is not a regular file or a directory (symlinks, hard links, devices, FIFOs,
sparse files) make the whole archive refused with :class:`UnsafeArchive`.  The decompressed
size is bounded by :class:`Limits`; entries are never extracted by this module, callers write
what they accept to names they choose.
"""

from __future__ import annotations

import gzip
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from pyocm.errors import OCMError

GZIP_MAGIC = b"\x1f\x8b"

_KIND_NAMES = {
    tarfile.SYMTYPE: "a symbolic link",
    tarfile.LNKTYPE: "a hard link",
    tarfile.CHRTYPE: "a character device",
    tarfile.BLKTYPE: "a block device",
    tarfile.FIFOTYPE: "a FIFO",
    tarfile.CONTTYPE: "a contiguous file",
    tarfile.GNUTYPE_SPARSE: "a sparse file",
}


class UnsafeArchive(OCMError):
    """An archive holds an entry that could write outside its target or exhaust the disk."""


@dataclass(frozen=True)
class Limits:
    """How far an archive may expand.

    An archive is refused once its decompressed tar stream exceeds ``max_ratio`` times the
    archive's own size *and* ``min_bytes`` (so small, highly compressible archives still work).
    """

    max_ratio: int = 100
    min_bytes: int = 1 << 30

    def budget(self, archive_size: int) -> int:
        """The largest decompressed size allowed for an archive of ``archive_size`` bytes."""
        return max(self.max_ratio * archive_size, self.min_bytes)


DEFAULT_LIMITS = Limits()


def is_gzip(path: Path) -> bool:
    """Whether the file at ``path`` starts with the gzip magic bytes."""
    with path.open("rb") as f:
        return f.read(2) == GZIP_MAGIC


def check_entry(member: tarfile.TarInfo, what: str) -> str:
    """The entry's name (``./`` prefixes removed) if the entry is safe to read, else raise."""
    name = member.name
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise UnsafeArchive(f"refusing {what}: entry {name!r} has an absolute path")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts or any("\\" in p for p in parts):
        raise UnsafeArchive(f"refusing {what}: entry {name!r} points outside the archive")
    kind = _KIND_NAMES.get(member.type)
    if kind is None and member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.DIRTYPE):
        kind = f"of unsupported type {member.type!r}"
    if kind is not None:
        raise UnsafeArchive(
            f"refusing {what}: entry {name!r} is {kind}; only regular files and directories "
            "are allowed"
        )
    return "/".join(parts)


def regular_files(
    path: Path, what: str, limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[str, IO[bytes]]]:
    """Yield ``(name, stream)`` for each regular file of the tar or tgz at ``path``, in order.

    Directory entries are checked and skipped.  Each stream must be consumed (or dropped)
    before the next item is requested.  Raises :class:`UnsafeArchive` for hostile content and
    :class:`OCMError` for archives that are not valid tar streams.
    """
    archive_size = path.stat().st_size
    budget = limits.budget(archive_size)
    with path.open("rb") as raw:
        compressed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        stream = cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb")) if compressed else raw
        try:
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for member in tar:
                    name = check_entry(member, what)
                    end = member.offset_data + member.size
                    if end > budget:
                        raise UnsafeArchive(
                            f"refusing {what}: it expands to more than {budget} bytes "
                            f"(the archive has {archive_size} bytes)"
                        )
                    if member.isdir():
                        continue
                    fileobj = tar.extractfile(member)
                    if fileobj is None:
                        continue
                    yield name, fileobj
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as e:
            raise OCMError(f"{what} is not a valid tar archive: {e}") from None
