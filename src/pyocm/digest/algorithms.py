"""Hash algorithms by their OCM names.

    >>> from pyocm.digest.algorithms import canonical_hash_name, new_hash
    >>> canonical_hash_name("sha256")
    'SHA-256'
    >>> new_hash("SHA-256").name
    'sha256'

The canonical names are Go's ``crypto.Hash`` names, ``SHA-256`` and ``SHA-512``; the legacy
spellings ``sha256`` and ``sha512`` are accepted when reading (the legacy Go CLI wrote them).
"""

from __future__ import annotations

import hashlib
from typing import Any

from pyocm.errors import UnsupportedAlgorithm

SHA256 = "SHA-256"
SHA512 = "SHA-512"
DEFAULT_HASH = SHA256

_HASHLIB_NAMES = {SHA256: "sha256", SHA512: "sha512"}
_ALIASES = {"sha256": SHA256, "sha512": SHA512, "sha-256": SHA256, "sha-512": SHA512}


def canonical_hash_name(name: str) -> str:
    """The canonical OCM name for ``name``; raises :class:`UnsupportedAlgorithm` if unknown."""
    if name in _HASHLIB_NAMES:
        return name
    canonical = _ALIASES.get(name.lower())
    if canonical is None:
        supported = ", ".join(_HASHLIB_NAMES)
        raise UnsupportedAlgorithm(f"unsupported hash algorithm {name!r} (supported: {supported})")
    return canonical


def new_hash(name: str) -> Any:
    """A fresh :mod:`hashlib` object for the OCM hash algorithm ``name``."""
    return hashlib.new(_HASHLIB_NAMES[canonical_hash_name(name)])


def hash_hex(data: bytes, name: str = DEFAULT_HASH) -> str:
    """Lowercase hex digest of ``data`` under the OCM hash algorithm ``name``."""
    h = new_hash(name)
    h.update(data)
    return str(h.hexdigest())
