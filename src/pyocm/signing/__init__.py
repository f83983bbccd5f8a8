"""Signing and verifying component-descriptor digests, compatible with the Go OCM tools.

    >>> from pyocm.signing import load_private_key, load_public_key, sign_digest, verify_digest
    >>> key = load_private_key(open("rsa.priv", "rb").read())             # doctest: +SKIP
    >>> spec = sign_digest(digest_hex, "SHA-256", key)                      # doctest: +SKIP
    >>> spec.media_type                                                     # doctest: +SKIP
    'application/vnd.ocm.signature.rsa.pss'
    >>> public, _ = load_public_key(open("rsa.pub", "rb").read())          # doctest: +SKIP
    >>> verify_digest(digest_hex, "SHA-256", spec, public_key=public)       # doctest: +SKIP

:func:`sign_component_version` and :func:`verify_component_version` (module ``component``)
work on whole descriptors on top of these.

GPG signatures (made and checked by the ``gpg`` program) are in module ``gpg``.

Importing this package is cheap: the functions live in submodules (``rsa``, ``keys``,
``chain``, ``dn``, ``pem``) that load ``cryptography`` and are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from pyocm.signing.chain import CertificateError, verify_chain
    from pyocm.signing.component import (
        legacy_reference_digests,
        sign_component_version,
        sign_component_version_gpg,
        verify_component_version,
        verify_component_version_gpg,
    )
    from pyocm.signing.keys import load_certificates, load_private_key, load_public_key
    from pyocm.signing.rsa import sign_digest, verify_digest

RSASSA_PSS: Final = "RSASSA-PSS"
"""RSA signature with PSS padding (the Go v2 default)."""
RSASSA_PKCS1_V1_5: Final = "RSASSA-PKCS1-V1_5"
"""RSA signature with PKCS #1 v1.5 padding (the legacy Go v1 default)."""
RSA_ALGORITHMS: Final = (RSASSA_PSS, RSASSA_PKCS1_V1_5)

MEDIA_TYPE_RSA: Final = "application/vnd.ocm.signature.rsa"
"""Plain (hex) encoding of an RSASSA-PKCS1-V1_5 signature."""
MEDIA_TYPE_RSA_PSS: Final = "application/vnd.ocm.signature.rsa.pss"
"""Plain (hex) encoding of an RSASSA-PSS signature."""
MEDIA_TYPE_PEM: Final = "application/x-pem-file"
"""PEM encoding: a SIGNATURE block and the signer's certificate chain."""
GPG: Final = "GPG"
"""OpenPGP detached signature made with GnuPG (module ``gpg``)."""
MEDIA_TYPE_GPG: Final = "application/vnd.ocm.signature.gpg"
"""An ASCII-armored OpenPGP detached signature."""

SHA256: Final = "SHA-256"
SHA384: Final = "SHA-384"
SHA512: Final = "SHA-512"
HASH_ALGORITHMS: Final = (SHA256, SHA384, SHA512)
"""Hash names accepted for signing (Go ``crypto.Hash.String()``, case-sensitive)."""
LEGACY_HASH_ALGORITHMS: Final = {"sha256": SHA256, "sha512": SHA512}
"""Old spellings the legacy Go v1 tool wrote; accepted when verifying."""

_LAZY = {
    "CertificateError": "pyocm.signing.chain",
    "legacy_reference_digests": "pyocm.signing.component",
    "sign_component_version": "pyocm.signing.component",
    "sign_component_version_gpg": "pyocm.signing.component",
    "verify_component_version": "pyocm.signing.component",
    "verify_component_version_gpg": "pyocm.signing.component",
    "verify_chain": "pyocm.signing.chain",
    "load_certificates": "pyocm.signing.keys",
    "load_private_key": "pyocm.signing.keys",
    "load_public_key": "pyocm.signing.keys",
    "sign_digest": "pyocm.signing.rsa",
    "verify_digest": "pyocm.signing.rsa",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "GPG",
    "HASH_ALGORITHMS",
    "LEGACY_HASH_ALGORITHMS",
    "MEDIA_TYPE_GPG",
    "MEDIA_TYPE_PEM",
    "MEDIA_TYPE_RSA",
    "MEDIA_TYPE_RSA_PSS",
    "RSASSA_PKCS1_V1_5",
    "RSASSA_PSS",
    "RSA_ALGORITHMS",
    "SHA256",
    "SHA384",
    "SHA512",
    "CertificateError",
    "legacy_reference_digests",
    "load_certificates",
    "load_private_key",
    "load_public_key",
    "sign_component_version",
    "sign_component_version_gpg",
    "sign_digest",
    "verify_chain",
    "verify_component_version",
    "verify_component_version_gpg",
    "verify_digest",
]
