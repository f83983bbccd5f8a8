"""Loading keys and certificates from PEM: the block types the Go tools accept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from pyocm.errors import CredentialsError
from pyocm.signing import load_certificates, load_private_key, load_public_key


def _numbers(key: rsa.RSAPrivateKey | rsa.RSAPublicKey) -> rsa.RSAPublicNumbers:
    public = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
    return public.public_numbers()


@pytest.mark.parametrize("file", ["leaf-key.pem", "leaf-key-pkcs8.pem"])
def test_go_private_keys_load(data: Path, file: str) -> None:
    # Written by Go's x509.MarshalPKCS1PrivateKey / MarshalPKCS8PrivateKey.
    pkcs1 = load_private_key((data / "go" / "leaf-key.pem").read_bytes())
    assert _numbers(load_private_key((data / "go" / file).read_bytes())) == _numbers(pkcs1)


def test_public_key_forms_give_the_same_key(data: Path) -> None:
    private = load_private_key((data / "go" / "leaf-key.pem").read_bytes())
    pkcs1 = private.public_key().public_bytes(Encoding.PEM, PublicFormat.PKCS1)
    assert pkcs1.startswith(b"-----BEGIN RSA PUBLIC KEY-----")
    for pem_data in (
        (data / "go" / "leaf-pub-pkix.pem").read_bytes(),
        pkcs1,
        (data / "go" / "leaf-key.pem").read_bytes(),  # a private key yields its public key
    ):
        public, chain = load_public_key(pem_data)
        assert _numbers(public) == _numbers(private)
        assert chain == []


def test_certificate_gives_key_and_chain(data: Path) -> None:
    text = (data / "go" / "signature-pss.pem").read_text()
    public, chain = load_public_key(text)
    private = load_private_key((data / "go" / "leaf-key.pem").read_bytes())
    assert _numbers(public) == _numbers(private)
    assert [c.subject.rfc4514_string() for c in chain] == [
        "CN=signer\\, with comma,OU=ocm+OU=signing,O=pyocm,C=DE",
        "CN=pyocm test intermediate,O=pyocm,L=Walldorf,C=DE",
    ]


def test_first_usable_block_wins(keys: list[rsa.RSAPrivateKey]) -> None:
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_pem = ec_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    first = keys[0].private_bytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, NoEncryption())
    second = keys[1].private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    garbage = b"-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"
    loaded = load_private_key(b"comment\n" + ec_pem + garbage + first + second)
    assert _numbers(loaded) == _numbers(keys[0])
    ec_public = ec_key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    rsa_public = keys[1].public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    public, _ = load_public_key(ec_public + rsa_public)
    assert _numbers(public) == _numbers(keys[1])


def test_missing_keys_fail_with_credentials_error(keys: list[rsa.RSAPrivateKey]) -> None:
    public_only = keys[0].public_key().public_bytes(Encoding.PEM, PublicFormat.PKCS1)
    with pytest.raises(
        CredentialsError, match=r"no RSA private key in PEM data .*'RSA PUBLIC KEY'"
    ):
        load_private_key(public_only)
    with pytest.raises(CredentialsError, match="found no PEM blocks"):
        load_public_key(b"not pem at all")


def _tampered(key: rsa.RSAPrivateKey, **changes: int) -> bytes:
    """``key`` in PEM with some of its private numbers replaced (no validation on the way)."""
    n = key.private_numbers()
    values = {"p": n.p, "q": n.q, "d": n.d, "dmp1": n.dmp1, "dmq1": n.dmq1, "iqmp": n.iqmp}
    values.update(changes)
    broken = rsa.RSAPrivateNumbers(**values, public_numbers=n.public_numbers).private_key(
        unsafe_skip_rsa_key_validation=True
    )
    return broken.private_bytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, NoEncryption())


def test_inconsistent_private_keys_are_refused(keys: list[rsa.RSAPrivateKey]) -> None:
    # Loading skips OpenSSL's primality proof; what else it checks is checked by pyocm.
    n = keys[0].private_numbers()
    for changes in (
        {"d": n.d + 2},  # e·d ≢ 1, pairwise test fails
        {"dmp1": n.dmp1 ^ 2},  # CRT value not derived from d
        {"iqmp": n.iqmp + 1},
    ):
        with pytest.raises(CredentialsError, match="no RSA private key in PEM data"):
            load_private_key(_tampered(keys[0], **changes))
    assert _numbers(load_private_key(_tampered(keys[0]))) == _numbers(keys[0])


def test_load_certificates_rejects_a_malformed_certificate() -> None:
    bad = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    with pytest.raises(CredentialsError, match=r"PEM block 1 is not a valid X\.509 certificate"):
        load_certificates(bad)


def test_certificate_chain_order_is_kept(pki: Any) -> None:
    text = b"".join(c.public_bytes(Encoding.PEM) for c in (pki.leaf, pki.intermediate))
    public, chain = load_public_key(text)
    assert chain == [pki.leaf, pki.intermediate]
    assert _numbers(public) == _numbers(pki.leaf_key)


def test_importing_pyocm_signing_does_not_load_cryptography() -> None:
    code = "import sys, pyocm.signing; print('cryptography' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
