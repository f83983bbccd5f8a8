"""OCI content digests (``sha256:<hex>``): validation, hashing and blob file names.

    >>> from pyocm.oci.digests import blob_file_name, digest_bytes, digest_from_file_name
    >>> d = digest_bytes(b"test")
    >>> d
    'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
    >>> blob_file_name(d)[:12]
    'sha256.9f86d'
    >>> digest_from_file_name(blob_file_name(d)) == d
    True

Only the algorithms pyocm can verify are accepted (``sha256``, ``sha384``, ``sha512``) and the
encoded part must be lowercase hex of the right length, so a digest can never smuggle a path
separator into a file name.
"""

from __future__ import annotations

import hashlib
import re

from pyocm.errors import OCMError, UnsupportedAlgorithm

_HEX_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_SHAPE = re.compile(r"^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$")
_BLOB_NAME = re.compile(r"^[a-z0-9]+\.[0-9a-f]+$")
_LOWER_HEX = re.compile(r"^[0-9a-f]+$")


def check_digest(digest: str, what: str = "digest") -> str:
    """Return ``digest`` if it is a well-formed digest of a supported algorithm, else raise.

    Raises :class:`pyocm.errors.UnsupportedAlgorithm` for a well-formed digest of an algorithm
    pyocm cannot verify, :class:`pyocm.errors.OCMError` for anything else.
    """
    match = _SHAPE.match(digest) if isinstance(digest, str) else None
    if match is None:
        raise OCMError(f"invalid {what} {digest!r}: expected <algorithm>:<hex>")
    algorithm, encoded = match.groups()
    length = _HEX_LENGTHS.get(algorithm)
    if length is None:
        supported = ", ".join(_HEX_LENGTHS)
        raise UnsupportedAlgorithm(
            f"unsupported {what} algorithm {algorithm!r} in {digest!r} (supported: {supported})"
        )
    if len(encoded) != length or not _LOWER_HEX.match(encoded):
        raise OCMError(f"invalid {what} {digest!r}: expected {length} lowercase hex digits")
    return digest


def is_digest(value: str) -> bool:
    """Whether ``value`` is a well-formed digest of a supported algorithm."""
    try:
        check_digest(value)
    except OCMError:
        return False
    return True


def digest_bytes(data: bytes, algorithm: str = "sha256") -> str:
    """The OCI digest of ``data``."""
    return f"{algorithm}:{hashlib.new(algorithm, data).hexdigest()}"


def encoded(digest: str) -> str:
    """The hex part of ``digest``."""
    return check_digest(digest).partition(":")[2]


def algorithm(digest: str) -> str:
    """The algorithm part of ``digest``."""
    return check_digest(digest).partition(":")[0]


def blob_file_name(digest: str) -> str:
    """The flat file name a CTF or artifact set uses for ``digest``: ``sha256.<hex>``."""
    return check_digest(digest).replace(":", ".", 1)


def digest_from_file_name(name: str) -> str | None:
    """The digest a flat blob file name stands for, or ``None`` if the name is not one."""
    if not _BLOB_NAME.match(name):
        return None
    digest = name.replace(".", ":", 1)
    return digest if is_digest(digest) else None
