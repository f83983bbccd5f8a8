import hashlib

import pytest

from pyocm.digest import canonical_hash_name, hash_hex
from pyocm.errors import UnsupportedAlgorithm


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("SHA-256", "SHA-256"),
        ("sha256", "SHA-256"),
        ("sha-256", "SHA-256"),
        ("SHA-512", "SHA-512"),
        ("sha512", "SHA-512"),
    ],
)
def test_canonical_and_legacy_spellings(given: str, canonical: str) -> None:
    assert canonical_hash_name(given) == canonical


@pytest.mark.parametrize("name", ["MD5", "SHA-1", "sha384x", ""])
def test_unknown_hash_is_rejected_with_its_name(name: str) -> None:
    with pytest.raises(UnsupportedAlgorithm, match="unsupported hash algorithm"):
        canonical_hash_name(name)


def test_hash_hex_uses_the_named_algorithm() -> None:
    assert hash_hex(b"abc", "SHA-512") == hashlib.sha512(b"abc").hexdigest()
    assert hash_hex(b"abc", "sha256") == hashlib.sha256(b"abc").hexdigest()
