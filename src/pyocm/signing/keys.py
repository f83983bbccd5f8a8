"""Loading RSA keys and certificates from PEM data, as the Go OCM tools accept them.

Private keys: ``RSA PRIVATE KEY`` (PKCS#1) or ``PRIVATE KEY`` (PKCS#8). Public keys:
``PUBLIC KEY`` (PKIX), ``RSA PUBLIC KEY`` (PKCS#1) or ``CERTIFICATE``; a private key block
yields its public half. In each case the first usable block wins; blocks of other types and
blocks that do not hold an RSA key are skipped.

    >>> from pyocm.signing.keys import load_private_key, load_public_key
    >>> private = load_private_key(open("rsa.priv", "rb").read())      # doctest: +SKIP
    >>> public, chain = load_public_key(open("cert.pem", "rb").read())  # doctest: +SKIP
    >>> [c.subject.rfc4514_string() for c in chain]                     # doctest: +SKIP
    ['CN=signer']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    load_der_private_key,
    load_der_public_key,
)

from pyocm.errors import CredentialsError
from pyocm.signing import pem

if TYPE_CHECKING:  # cryptography.x509 is loaded when a certificate is read
    from cryptography import x509

_PRIVATE_BLOCKS = ("RSA PRIVATE KEY", "PRIVATE KEY")
_PUBLIC_BLOCKS = ("PUBLIC KEY", "RSA PUBLIC KEY")


def load_private_key(data: bytes | str) -> rsa.RSAPrivateKey:
    """The first RSA private key in ``data`` (PKCS#1 or PKCS#8, unencrypted).

    Raises :class:`~pyocm.errors.CredentialsError` when there is none.
    """
    blocks = pem.decode(data)
    for block in blocks:
        if block.type in _PRIVATE_BLOCKS:
            key = _private_key(block.data)
            if key is not None:
                return key
    raise CredentialsError(
        "no RSA private key in PEM data (expected an 'RSA PRIVATE KEY' or 'PRIVATE KEY' block; "
        f"found {_found(blocks)})"
    )


def load_public_key(data: bytes | str) -> tuple[rsa.RSAPublicKey, list[x509.Certificate]]:
    """The first RSA public key in ``data`` and, when it comes from a certificate, the chain.

    The chain is every ``CERTIFICATE`` block in ``data``, in order (leaf first); it is empty
    for a bare public key. A private key block yields its public key. Raises
    :class:`~pyocm.errors.CredentialsError` when no block holds an RSA key.
    """
    blocks = pem.decode(data)
    for block in blocks:
        if block.type in _PUBLIC_BLOCKS:
            public = _public_key(block.data)
            if public is not None:
                return public, []
        elif block.type == pem.CERTIFICATE_BLOCK:
            certificate = _certificate(block.data)
            certified = None if certificate is None else _certified_key(certificate)
            if certified is not None:
                return certified, load_certificates(data)
        elif block.type in _PRIVATE_BLOCKS:
            private = _private_key(block.data)
            if private is not None:
                return private.public_key(), []
    raise CredentialsError(
        "no RSA public key in PEM data (expected a 'PUBLIC KEY', 'RSA PUBLIC KEY' or "
        f"'CERTIFICATE' block; found {_found(blocks)})"
    )


def load_certificates(data: bytes | str, *, skip_invalid: bool = False) -> list[x509.Certificate]:
    """Every certificate in ``data``, in order.

    Raises CredentialsError for a malformed one, unless ``skip_invalid`` leaves it out.
    """
    out: list[x509.Certificate] = []
    for i, block in enumerate(pem.decode(data)):
        if block.type != pem.CERTIFICATE_BLOCK:
            continue
        certificate = _certificate(block.data)
        if certificate is not None:
            out.append(certificate)
        elif not skip_invalid:
            raise CredentialsError(f"PEM block {i + 1} is not a valid X.509 certificate")
    return out


def _private_key(der: bytes) -> rsa.RSAPrivateKey | None:
    try:
        key = load_der_private_key(der, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None
    return key if isinstance(key, rsa.RSAPrivateKey) else None


def _public_key(der: bytes) -> rsa.RSAPublicKey | None:
    try:
        key = load_der_public_key(der)
    except (ValueError, UnsupportedAlgorithm):
        return None
    return key if isinstance(key, rsa.RSAPublicKey) else None


def _certified_key(certificate: x509.Certificate) -> rsa.RSAPublicKey | None:
    try:
        key = certificate.public_key()
    except (ValueError, UnsupportedAlgorithm):
        return None
    return key if isinstance(key, rsa.RSAPublicKey) else None


def _certificate(der: bytes) -> x509.Certificate | None:
    from cryptography import x509

    try:
        return x509.load_der_x509_certificate(der)
    except ValueError:
        return None


def _found(blocks: list[pem.PemBlock]) -> str:
    return ", ".join(repr(b.type) for b in blocks) if blocks else "no PEM blocks"
