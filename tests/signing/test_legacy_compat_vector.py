"""The legacy Go v1 signing fixture (open-component-model/ocm signingtest/testdata/compat)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyocm.descriptor import Signature, load
from pyocm.errors import SignatureError
from pyocm.signing import (
    RSASSA_PKCS1_V1_5,
    load_private_key,
    load_public_key,
    sign_digest,
    verify_digest,
)


@pytest.fixture
def compat(vectors: Path) -> Path:
    return vectors / "signing" / "legacy-compat"


@pytest.fixture
def signature(compat: Path) -> Signature:
    descriptor = load(compat / "component-archive" / "component-descriptor.yaml")
    (test,) = [s for s in descriptor.signatures if s.name == "test"]
    return test


def test_recorded_signature_verifies_with_rsa_pub(compat: Path, signature: Signature) -> None:
    public, chain = load_public_key((compat / "rsa.pub").read_bytes())
    assert chain == []
    assert signature.digest.hash_algorithm == "sha256"  # the legacy spelling
    verify_digest(
        signature.digest.value,
        signature.digest.hash_algorithm,
        signature.signature,
        name=signature.name,
        public_key=public,
    )


def test_resigning_reproduces_the_recorded_pkcs1_signature(
    compat: Path, signature: Signature
) -> None:
    private = load_private_key((compat / "rsa.priv").read_bytes())
    spec = sign_digest(signature.digest.value, "SHA-256", private, algorithm=RSASSA_PKCS1_V1_5)
    assert spec.value == signature.signature.value
    assert spec.media_type == signature.signature.media_type == "application/vnd.ocm.signature.rsa"
    assert spec.algorithm == signature.signature.algorithm


def test_recorded_signature_fails_for_another_digest(compat: Path, signature: Signature) -> None:
    public, _ = load_public_key((compat / "rsa.pub").read_bytes())
    other = "00" + signature.digest.value[2:]
    with pytest.raises(SignatureError, match="does not verify"):
        verify_digest(other, "sha256", signature.signature, public_key=public)
