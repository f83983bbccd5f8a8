"""The signer a signature is made with, from a typed signer specification.

    >>> from pyocm.signing.signer import signer_from_spec
    >>> signer_from_spec({"type": "RSASigningConfiguration/v1alpha1",
    ...                   "signatureAlgorithm": "RSASSA-PKCS1-V1_5",
    ...                   "signatureEncodingPolicy": "PEM"})
    RSASigner(algorithm='RSASSA-PKCS1-V1_5', encoding='pem')
    >>> signer_from_spec(None)
    RSASigner(algorithm='RSASSA-PSS', encoding='plain')

The specification is the ``signer`` of a ``signing.config.ocm.software/v1alpha1`` entry; no
specification means the Go v2 default, RSASSA-PSS with plain (hex) encoding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pyocm.errors import OCMError
from pyocm.signing import RSASSA_PKCS1_V1_5, RSASSA_PSS

RSA_SIGNER_TYPES = ("RSASigningConfiguration/v1alpha1", "RSASigningConfiguration")
_ENCODINGS: dict[str, Literal["plain", "pem"]] = {"Plain": "plain", "PEM": "pem"}


@dataclass(frozen=True)
class RSASigner:
    """An RSA signature algorithm and the encoding of the signature value."""

    algorithm: str = RSASSA_PSS
    encoding: Literal["plain", "pem"] = "plain"


def signer_from_spec(spec: Mapping[str, Any] | None) -> RSASigner:
    """The signer a specification describes; :class:`OCMError` for types pyocm cannot sign with."""
    if spec is None:
        return RSASigner()
    kind = spec.get("type")
    if kind not in RSA_SIGNER_TYPES:
        raise OCMError(f"signer type {kind!r} is not supported by pyocm (supported: RSA)")
    algorithm = spec.get("signatureAlgorithm") or RSASSA_PSS
    if algorithm not in (RSASSA_PSS, RSASSA_PKCS1_V1_5):
        raise OCMError(f"unsupported RSA signature algorithm {algorithm!r}")
    policy = spec.get("signatureEncodingPolicy") or "Plain"
    if policy not in _ENCODINGS:
        raise OCMError(f"unsupported signature encoding policy {policy!r} (Plain or PEM)")
    return RSASigner(str(algorithm), _ENCODINGS[policy])
