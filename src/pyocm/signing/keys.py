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

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
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
        # OpenSSL's own check (RSA_check_key) proves p and q prime: ~55 ms for a 2048-bit
        # key, more than the rest of a signing.  _consistent checks the rest of what it does.
        key = load_der_private_key(der, password=None, unsafe_skip_rsa_key_validation=True)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None
    if not isinstance(key, rsa.RSAPrivateKey) or not _consistent(key):
        return None
    return key


def _consistent(key: rsa.RSAPrivateKey) -> bool:
    """Whether the parts of ``key`` fit together, as Go's ``PrivateKey.Validate`` checks them:
    ``n = p·q``, the CRT values derive from ``d``, ``e·d ≡ 1`` modulo ``p-1`` and ``q-1``, and a
    pairwise test (``(m^d)^e ≡ m (mod n)``) holds, so the key signs what its public half
    verifies.  Primality of ``p`` and ``q`` is not proven (Go does not prove it either)."""
    numbers = key.private_numbers()
    p, q, d = numbers.p, numbers.q, numbers.d
    n, e = numbers.public_numbers.n, numbers.public_numbers.e
    if p <= 1 or q <= 1 or p * q != n or e < 3 or not 1 < d < n:
        return False
    if numbers.dmp1 != d % (p - 1) or numbers.dmq1 != d % (q - 1):
        return False
    if (e * d) % (p - 1) != 1 or (e * d) % (q - 1) != 1 or (numbers.iqmp * q) % p != 1:
        return False
    message = b"OCM pairwise test"
    try:
        key.public_key().verify(
            key.sign(message, padding.PKCS1v15(), hashes.SHA256()),
            message,
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except InvalidSignature:
        return False
    return True


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
