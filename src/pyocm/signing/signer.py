"""The signer a signature is made with, and the verifier it is checked with, from typed specs.

    >>> from pyocm.signing.signer import signer_from_spec, verifier_from_spec
    >>> signer_from_spec({"type": "RSASigningConfiguration/v1alpha1",
    ...                   "signatureAlgorithm": "RSASSA-PKCS1-V1_5",
    ...                   "signatureEncodingPolicy": "PEM"})
    RSASigner(algorithm='RSASSA-PKCS1-V1_5', encoding='pem')
    >>> signer_from_spec(None)
    RSASigner(algorithm='RSASSA-PSS', encoding='plain')
    >>> signer_from_spec({"type": "GPGSigningConfiguration/v1alpha1", "hashAlgorithm": "SHA-512"})
    GPGSigner(hash_algorithm='SHA-512', key_fingerprint='')
    >>> verifier_from_spec({"type": "GPGSigningConfiguration", "keyFingerprint": "6F7C3826..."})
    GPGSigner(hash_algorithm='SHA-256', key_fingerprint='6F7C3826...')

A signer specification is the ``signer`` of a ``signing.config.ocm.software/v1alpha1`` entry; no
specification means the Go v2 default, RSASSA-PSS with plain (hex) encoding.  A verifier
specification is what ``ocm verify --verifier-spec`` reads; the same two types are accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pyocm.errors import OCMError
from pyocm.signing import GPG, RSASSA_PKCS1_V1_5, RSASSA_PSS, SHA256, SHA384, SHA512

RSA_SIGNER_TYPES = ("RSASigningConfiguration/v1alpha1", "RSASigningConfiguration")
GPG_SIGNER_TYPES = ("GPGSigningConfiguration/v1alpha1", "GPGSigningConfiguration")
_ENCODINGS: dict[str, Literal["plain", "pem"]] = {"Plain": "plain", "PEM": "pem"}
_GPG_HASHES = (SHA256, SHA384, SHA512)


@dataclass(frozen=True)
class RSASigner:
    """An RSA signature algorithm and the encoding of the signature value."""

    algorithm: str = RSASSA_PSS
    encoding: Literal["plain", "pem"] = "plain"


@dataclass(frozen=True)
class GPGSigner:
    """A GPG (OpenPGP) signature: the hash inside it, and the key to use (empty: the first key
    of the keyring signs; any key of the keyring verifies)."""

    hash_algorithm: str = SHA256
    key_fingerprint: str = ""

    @property
    def algorithm(self) -> str:
        """The signature algorithm recorded in the descriptor, ``GPG``."""
        return GPG


Signer = RSASigner | GPGSigner
"""What signs (or verifies) a signature."""


def signer_from_spec(spec: Mapping[str, Any] | None) -> Signer:
    """The signer a specification describes; :class:`OCMError` for types pyocm cannot sign with."""
    if spec is None:
        return RSASigner()
    return _from_spec(spec, "signer")


def verifier_from_spec(spec: Mapping[str, Any]) -> Signer:
    """The verifier a ``--verifier-spec`` document describes; :class:`OCMError` for other types."""
    return _from_spec(spec, "verifier")


def _from_spec(spec: Mapping[str, Any], role: str) -> Signer:
    kind = spec.get("type")
    if kind in GPG_SIGNER_TYPES:
        return _gpg(spec)
    if kind not in RSA_SIGNER_TYPES:
        raise OCMError(
            f"{role} type {kind!r} is not supported by pyocm (supported: "
            f"{RSA_SIGNER_TYPES[0]}, {GPG_SIGNER_TYPES[0]})"
        )
    algorithm = spec.get("signatureAlgorithm") or RSASSA_PSS
    if algorithm not in (RSASSA_PSS, RSASSA_PKCS1_V1_5):
        raise OCMError(f"unsupported RSA signature algorithm {algorithm!r}")
    policy = spec.get("signatureEncodingPolicy") or "Plain"
    if policy not in _ENCODINGS:
        raise OCMError(f"unsupported signature encoding policy {policy!r} (Plain or PEM)")
    return RSASigner(str(algorithm), _ENCODINGS[policy])


def _gpg(spec: Mapping[str, Any]) -> GPGSigner:
    hash_algorithm = spec.get("hashAlgorithm") or SHA256
    if hash_algorithm not in _GPG_HASHES:
        raise OCMError(
            f"unsupported GPG hash algorithm {hash_algorithm!r} "
            f"(expected one of {', '.join(_GPG_HASHES)})"
        )
    fingerprint = spec.get("keyFingerprint") or ""
    if not isinstance(fingerprint, str):
        raise OCMError(f"GPG keyFingerprint must be a string, not {fingerprint!r}")
    return GPGSigner(str(hash_algorithm), fingerprint)
