"""Signing and verifying digests with RSASSA-PSS and RSASSA-PKCS1-V1_5 (plain hex encoding)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from pyocm.descriptor import SignatureSpec
from pyocm.errors import SignatureError
from pyocm.signing import (
    MEDIA_TYPE_RSA,
    MEDIA_TYPE_RSA_PSS,
    RSASSA_PKCS1_V1_5,
    RSASSA_PSS,
    load_private_key,
    sign_digest,
    verify_digest,
)

DIGEST = hashlib.sha256(b"normalised component descriptor").hexdigest()
HASHES = {"SHA-256": hashlib.sha256, "SHA-384": hashlib.sha384, "SHA-512": hashlib.sha512}


def _mgf1(seed: bytes, length: int, hash_name: str) -> bytes:
    out = b""
    counter = 0
    while len(out) < length:
        out += hashlib.new(hash_name, seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return out[:length]


def _pss_salt(signature: bytes, public: rsa.RSAPublicKey, message_hash: bytes, name: str) -> bytes:
    """Decode an RSASSA-PSS signature by hand (RFC 8017 §9.1.2) and return its salt."""
    numbers = public.public_numbers()
    em_bits = numbers.n.bit_length() - 1
    em_len = (em_bits + 7) // 8
    em = pow(int.from_bytes(signature, "big"), numbers.e, numbers.n).to_bytes(em_len, "big")
    h_len = hashlib.new(name).digest_size
    assert em[-1] == 0xBC
    masked_db, h = em[: em_len - h_len - 1], em[em_len - h_len - 1 : -1]
    db = bytearray(a ^ b for a, b in zip(masked_db, _mgf1(h, len(masked_db), name), strict=True))
    db[0] &= 0xFF >> (8 * em_len - em_bits)
    separator = db.index(1)
    assert not any(db[:separator])
    salt = bytes(db[separator + 1 :])
    assert hashlib.new(name, bytes(8) + message_hash + salt).digest() == h
    return salt


@pytest.mark.parametrize("hash_name", ["SHA-256", "SHA-384", "SHA-512"])
@pytest.mark.parametrize("algorithm", [RSASSA_PSS, RSASSA_PKCS1_V1_5])
def test_round_trip(keys: list[rsa.RSAPrivateKey], algorithm: str, hash_name: str) -> None:
    digest = HASHES[hash_name](b"payload").hexdigest()
    spec = sign_digest(digest, hash_name, keys[0], algorithm=algorithm)
    assert spec.algorithm == algorithm
    assert (
        spec.media_type
        == {RSASSA_PSS: MEDIA_TYPE_RSA_PSS, RSASSA_PKCS1_V1_5: MEDIA_TYPE_RSA}[algorithm]
    )
    assert spec.issuer is None
    assert spec.value == spec.value.lower() and len(spec.value) == 2 * 256
    verify_digest(digest, hash_name, spec, public_key=keys[0].public_key())


def test_pss_is_the_default(keys: list[rsa.RSAPrivateKey]) -> None:
    spec = sign_digest(DIGEST, "SHA-256", keys[0])
    assert (spec.algorithm, spec.media_type) == (
        "RSASSA-PSS",
        "application/vnd.ocm.signature.rsa.pss",
    )


@pytest.mark.parametrize(
    ("hash_name", "salt_length"), [("SHA-256", 222), ("SHA-384", 206), ("SHA-512", 190)]
)
def test_pss_signs_with_maximum_salt(
    keys: list[rsa.RSAPrivateKey], hash_name: str, salt_length: int
) -> None:
    # 2048-bit modulus: 256 bytes - hash bytes - 2 (Go's rsa.SignPSS with nil options).
    message_hash = HASHES[hash_name](b"payload").digest()
    spec = sign_digest(message_hash.hex(), hash_name, keys[0])
    salt = _pss_salt(
        bytes.fromhex(spec.value), keys[0].public_key(), message_hash, hash_name.replace("-", "")
    )
    assert len(salt) == salt_length


def test_pss_signature_verifies_with_cryptography_directly(keys: list[rsa.RSAPrivateKey]) -> None:
    spec = sign_digest(DIGEST, "SHA-256", keys[0])
    for salt in (padding.PSS.MAX_LENGTH, 222):
        keys[0].public_key().verify(
            bytes.fromhex(spec.value),
            bytes.fromhex(DIGEST),
            padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=salt),
            utils.Prehashed(hashes.SHA256()),
        )


def test_pkcs1_signature_verifies_with_cryptography_directly(
    keys: list[rsa.RSAPrivateKey],
) -> None:
    digest512 = hashlib.sha512(b"payload").hexdigest()
    spec = sign_digest(digest512, "SHA-512", keys[0], algorithm=RSASSA_PKCS1_V1_5)
    keys[0].public_key().verify(
        bytes.fromhex(spec.value),
        bytes.fromhex(digest512),
        padding.PKCS1v15(),
        utils.Prehashed(hashes.SHA512()),
    )


def test_pss_signature_with_32_byte_salt_verifies(keys: list[rsa.RSAPrivateKey]) -> None:
    raw = keys[0].sign(
        bytes.fromhex(DIGEST),
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
        utils.Prehashed(hashes.SHA256()),
    )
    spec = SignatureSpec(RSASSA_PSS, raw.hex(), MEDIA_TYPE_RSA_PSS)
    verify_digest(DIGEST, "SHA-256", spec, public_key=keys[0].public_key())


def test_go_signatures_verify(data: Path) -> None:
    # Signatures written by Go's rsa.SignPSS / rsa.SignPKCS1v15 (tests/signing/data/go).
    facts = json.loads((data / "go" / "facts.json").read_text())
    private = load_private_key((data / "go" / "leaf-key.pem").read_bytes())
    public = private.public_key()
    digest = facts["digest"]
    verify_digest(
        digest,
        "SHA-256",
        SignatureSpec("", facts["pss_signature"], MEDIA_TYPE_RSA_PSS),
        public_key=public,
    )
    verify_digest(
        digest,
        "SHA-256",
        SignatureSpec("", facts["pkcs1_signature"], MEDIA_TYPE_RSA),
        public_key=public,
    )
    again = sign_digest(digest, "SHA-256", private, algorithm=RSASSA_PKCS1_V1_5)
    assert again.value == facts["pkcs1_signature"]


@pytest.mark.parametrize("algorithm", [RSASSA_PSS, RSASSA_PKCS1_V1_5])
def test_any_changed_digest_byte_fails(keys: list[rsa.RSAPrivateKey], algorithm: str) -> None:
    spec = sign_digest(DIGEST, "SHA-256", keys[0], algorithm=algorithm)
    original = bytes.fromhex(DIGEST)
    for i in range(len(original)):
        tampered = bytearray(original)
        tampered[i] ^= 0x01
        with pytest.raises(SignatureError, match="does not verify"):
            verify_digest(bytes(tampered).hex(), "SHA-256", spec, public_key=keys[0].public_key())


def test_changed_signature_fails(keys: list[rsa.RSAPrivateKey]) -> None:
    spec = sign_digest(DIGEST, "SHA-256", keys[0])
    flipped = f"{int(spec.value[-2:], 16) ^ 1:02x}"
    changed = SignatureSpec(spec.algorithm, spec.value[:-2] + flipped, spec.media_type)
    with pytest.raises(SignatureError, match="does not verify"):
        verify_digest(DIGEST, "SHA-256", changed, public_key=keys[0].public_key())


def test_wrong_key_fails(keys: list[rsa.RSAPrivateKey]) -> None:
    spec = sign_digest(DIGEST, "SHA-256", keys[0])
    with pytest.raises(SignatureError, match="does not verify") as caught:
        verify_digest(DIGEST, "SHA-256", spec, public_key=keys[1].public_key(), name="acme")
    assert caught.value.signature == "acme"


def test_unknown_media_type_fails_with_clear_reason(keys: list[rsa.RSAPrivateKey]) -> None:
    spec = sign_digest(DIGEST, "SHA-256", keys[0])
    unknown = SignatureSpec(spec.algorithm, spec.value, "application/unknown")
    with pytest.raises(SignatureError) as caught:
        verify_digest(DIGEST, "SHA-256", unknown, public_key=keys[0].public_key())
    assert "unsupported signature media type 'application/unknown'" in caught.value.reason


def test_media_type_decides_and_contradicting_algorithm_fails(
    keys: list[rsa.RSAPrivateKey],
) -> None:
    pss = sign_digest(DIGEST, "SHA-256", keys[0])
    public = keys[0].public_key()
    # An empty algorithm is inferred from the media type (Go v2).
    verify_digest(
        DIGEST, "SHA-256", SignatureSpec("", pss.value, pss.media_type), public_key=public
    )
    mixed = SignatureSpec(RSASSA_PSS, pss.value, MEDIA_TYPE_RSA)
    with pytest.raises(SignatureError, match="algorithm mismatch"):
        verify_digest(DIGEST, "SHA-256", mixed, public_key=public)


@pytest.mark.parametrize("spelling", ["sha256", "SHA-256"])
def test_verify_accepts_canonical_and_legacy_hash_names(
    keys: list[rsa.RSAPrivateKey], spelling: str
) -> None:
    spec = sign_digest(DIGEST, "SHA-256", keys[0])
    verify_digest(DIGEST, spelling, spec, public_key=keys[0].public_key())


@pytest.mark.parametrize("spelling", ["SHA256", "sha-256", "sha1", ""])
def test_verify_rejects_other_hash_names(keys: list[rsa.RSAPrivateKey], spelling: str) -> None:
    spec = sign_digest(DIGEST, "SHA-256", keys[0])
    with pytest.raises(SignatureError, match="unsupported hash algorithm"):
        verify_digest(DIGEST, spelling, spec, public_key=keys[0].public_key())


@pytest.mark.parametrize("spelling", ["sha256", "sha512", "SHA-1"])
def test_sign_needs_a_canonical_hash_name(keys: list[rsa.RSAPrivateKey], spelling: str) -> None:
    with pytest.raises(SignatureError, match="unsupported hash algorithm"):
        sign_digest(DIGEST, spelling, keys[0])


def test_sign_rejects_unknown_algorithm(keys: list[rsa.RSAPrivateKey]) -> None:
    with pytest.raises(SignatureError, match="unsupported signature algorithm 'RSA'"):
        sign_digest(DIGEST, "SHA-256", keys[0], algorithm="RSA")


@pytest.mark.parametrize(
    ("digest", "reason"),
    [
        ("", "missing digest value"),
        ("xyz", "is not hex"),
        ("ab cd", "is not hex"),
        (DIGEST[:-2], "digest has 31 bytes, but a SHA-256 digest has 32"),
    ],
)
def test_malformed_digests_fail(keys: list[rsa.RSAPrivateKey], digest: str, reason: str) -> None:
    with pytest.raises(SignatureError, match=reason):
        sign_digest(digest, "SHA-256", keys[0])
    spec = sign_digest(DIGEST, "SHA-256", keys[0])
    with pytest.raises(SignatureError, match=reason):
        verify_digest(digest, "SHA-256", spec, public_key=keys[0].public_key())


def test_uppercase_hex_digest_is_accepted(keys: list[rsa.RSAPrivateKey]) -> None:
    spec = sign_digest(DIGEST.upper(), "SHA-256", keys[0])
    verify_digest(DIGEST, "SHA-256", spec, public_key=keys[0].public_key())


def test_plain_signature_needs_a_public_key(keys: list[rsa.RSAPrivateKey]) -> None:
    spec = sign_digest(DIGEST, "SHA-256", keys[0])
    with pytest.raises(SignatureError, match="a public key is needed"):
        verify_digest(DIGEST, "SHA-256", spec)


@pytest.mark.parametrize(
    ("value", "reason"),
    [("not hex", "signature value is not hex"), ("abcd", "signature has 2 bytes")],
)
def test_bad_plain_signature_values_fail(
    keys: list[rsa.RSAPrivateKey], value: str, reason: str
) -> None:
    spec = SignatureSpec(RSASSA_PSS, value, MEDIA_TYPE_RSA_PSS)
    with pytest.raises(SignatureError, match=reason):
        verify_digest(DIGEST, "SHA-256", spec, public_key=keys[0].public_key())


def test_signature_longer_than_the_modulus_is_rejected(keys: list[rsa.RSAPrivateKey]) -> None:
    # Go requires the signature to be exactly as long as the modulus.
    spec = sign_digest(DIGEST, "SHA-256", keys[0], algorithm=RSASSA_PKCS1_V1_5)
    padded = SignatureSpec(spec.algorithm, "00" + spec.value, spec.media_type)
    with pytest.raises(SignatureError, match="signature has 257 bytes, but the RSA key needs 256"):
        verify_digest(DIGEST, "SHA-256", padded, public_key=keys[0].public_key())
