"""Keys and a small certificate factory shared by the signing tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from fixtures.signing import issue_certificate, x509_name_of

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def data() -> Path:
    """tests/signing/data: golden files from Go and DN tables."""
    return DATA


@pytest.fixture(scope="session")
def keys() -> list[rsa.RSAPrivateKey]:
    """Six 2048-bit RSA keys, generated once per session."""
    return [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(6)]


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
    root = issue_certificate(x509_name_of("test root", O="pyocm"), root_key, ca=True)
    intermediate = issue_certificate(
        x509_name_of("test intermediate", O="pyocm", C="DE"),
        intermediate_key,
        (root, root_key),
        ca=True,
    )
    leaf = issue_certificate(
        x509_name_of("signer", O="pyocm", OU="ocm"), leaf_key, (intermediate, intermediate_key)
    )
    return Pki(root, intermediate, leaf, root_key, intermediate_key, leaf_key)


@pytest.fixture(scope="session")
def issue() -> Callable[..., x509.Certificate]:
    """The certificate factory (:func:`fixtures.signing.issue_certificate`)."""
    return issue_certificate


@pytest.fixture(scope="session")
def x509_name() -> Callable[..., x509.Name]:
    """The X.509 name factory (:func:`fixtures.signing.x509_name_of`)."""
    return x509_name_of
