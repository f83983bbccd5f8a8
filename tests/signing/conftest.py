"""Keys and a small certificate factory shared by the signing tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def data() -> Path:
    """tests/signing/data: golden files from Go and DN tables."""
    return DATA


@pytest.fixture(scope="session")
def keys() -> list[rsa.RSAPrivateKey]:
    """Six 2048-bit RSA keys, generated once per session."""
    return [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(6)]


def _name(cn: str, **more: str) -> x509.Name:
    """An X.509 name with the common name and optional O, OU, C, L attributes."""
    oids = {
        "O": NameOID.ORGANIZATION_NAME,
        "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
        "C": NameOID.COUNTRY_NAME,
        "L": NameOID.LOCALITY_NAME,
    }
    attributes = [x509.NameAttribute(oids[k], v) for k, v in more.items()]
    return x509.Name([*attributes, x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _issue(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: tuple[x509.Certificate, rsa.RSAPrivateKey] | None = None,
    *,
    ca: bool = False,
    eku: Sequence[x509.ObjectIdentifier] | None = None,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    path_length: int | None = None,
) -> x509.Certificate:
    """A certificate for ``key``, self-signed unless ``issuer`` (certificate, key) is given.

    ``eku``: None gives CodeSigning to a leaf and nothing to a CA; ``()`` adds no extension.
    """
    now = datetime.now(UTC)
    issuer_name, signer = (subject, key) if issuer is None else (issuer[0].subject, issuer[1])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(hours=1))
        .not_valid_after(not_after or now + timedelta(days=7))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    if eku is None and not ca:
        eku = (ExtendedKeyUsageOID.CODE_SIGNING,)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
    return builder.sign(signer, hashes.SHA256())


@dataclass
class Pki:
    """A root CA, an intermediate CA and a code-signing leaf, with their keys."""

    root: x509.Certificate
    intermediate: x509.Certificate
    leaf: x509.Certificate
    root_key: rsa.RSAPrivateKey
    intermediate_key: rsa.RSAPrivateKey
    leaf_key: rsa.RSAPrivateKey


@pytest.fixture
def pki(keys: list[rsa.RSAPrivateKey]) -> Pki:
    """A fresh root → intermediate → leaf chain (leaf EKU CodeSigning)."""
    root_key, intermediate_key, leaf_key = keys[0], keys[1], keys[2]
    root = _issue(_name("test root", O="pyocm"), root_key, ca=True)
    intermediate = _issue(
        _name("test intermediate", O="pyocm", C="DE"), intermediate_key, (root, root_key), ca=True
    )
    leaf = _issue(_name("signer", O="pyocm", OU="ocm"), leaf_key, (intermediate, intermediate_key))
    return Pki(root, intermediate, leaf, root_key, intermediate_key, leaf_key)


@pytest.fixture(scope="session")
def issue() -> Callable[..., x509.Certificate]:
    """The certificate factory (see ``_issue``)."""
    return _issue


@pytest.fixture(scope="session")
def x509_name() -> Callable[..., x509.Name]:
    """The X.509 name factory (see ``_name``)."""
    return _name
