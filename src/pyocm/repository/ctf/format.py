"""Which of the three CTF forms a path holds: a directory, a tar or a gzipped tar.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from pyocm.repository.ctf.format import detect_format, format_from_name
    >>> detect_format(Path(tempfile.mkdtemp()))
    'directory'
    >>> format_from_name("transport-archive.tar.gz")
    'tgz'

Existing paths are classified by their content (a directory; a file starting with the gzip
magic; a file whose first 512 bytes are a valid tar header), never by their name, so a
``.tgz`` renamed to ``archive.ctf`` still opens.  Only a path that does not exist yet is
classified by its name, as Go v2 does for every path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pyocm.errors import OCMError

Format = Literal["directory", "tar", "tgz"]
FORMATS: tuple[Format, ...] = ("directory", "tar", "tgz")

_GZIP_MAGIC = b"\x1f\x8b"
_BLOCK = 512


def format_from_name(path: str | Path) -> Format:
    """The format a new CTF at ``path`` gets from its name: ``.tar``, ``.tgz``/``.tar.gz``."""
    name = str(path).lower()
    if name.endswith((".tgz", ".tar.gz")):
        return "tgz"
    if name.endswith(".tar"):
        return "tar"
    return "directory"


def detect_format(path: Path) -> Format | None:
    """The format of the CTF at ``path`` from its content, or ``None`` if nothing is there.

    Raises :class:`OCMError` for a file that is neither a gzip stream nor a tar archive.
    """
    if path.is_dir():
        return "directory"
    if not path.exists():
        return None
    try:
        with path.open("rb") as f:
            head = f.read(_BLOCK)
    except OSError as e:
        raise OCMError(f"cannot read CTF {path}: {e.strerror}") from None
    if head.startswith(_GZIP_MAGIC):
        return "tgz"
    if is_tar_header(head):
        return "tar"
    raise OCMError(f"{path} is not a CTF: neither a directory nor a tar or tgz archive")


def is_tar_header(block: bytes) -> bool:
    """Whether ``block`` is a tar header block: a correct checksum (or an all-zero end block)."""
    if len(block) < _BLOCK:
        return False
    if block == b"\0" * _BLOCK:
        return True
    field = block[148:156].replace(b"\0", b" ").strip()
    try:
        recorded = int(field, 8)
    except ValueError:
        return False
    outside = block[:148] + block[156:_BLOCK]
    unsigned = sum(outside) + 8 * 0x20
    signed = unsigned - 256 * sum(1 for b in outside if b > 127)  # old writers used signed chars
    return recorded in (unsigned, signed)
