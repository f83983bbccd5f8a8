"""PEM signatures with certificate chains: trust anchors, EKU, validity time and issuer rules."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID

from pyocm.descriptor import SignatureSpec
from pyocm.errors import SignatureError
from pyocm.signing import (
    MEDIA_TYPE_PEM,
    RSASSA_PKCS1_V1_5,
    RSASSA_PSS,
    load_certificates,
    sign_digest,
    verify_digest,
)
from pyocm.signing.chain import CertificateError, split_trust, system_roots, verify_chain
from pyocm.signing.dn import from_x509
from pyocm.signing.pem import decode_signature, encode_signature

DIGEST = hashlib.sha256(b"component version").hexdigest()
Issue = Callable[..., x509.Certificate]
Name = Callable[..., x509.Name]


def _pem_spec(
    key: rsa.RSAPrivateKey,
    chain: Sequence[x509.Certificate],
    *,
    algorithm: str = RSASSA_PSS,
    issuer: str | None = None,
) -> SignatureSpec:
    """A PEM signature built without sign_digest's checks, to embed whatever a test needs."""
    raw = sign_digest(DIGEST, "SHA-256", key, algorithm=algorithm).value
    value = encode_signature(
        bytes.fromhex(raw), algorithm, [c.public_bytes(Encoding.DER) for c in chain]
    )
    return SignatureSpec(algorithm, value, MEDIA_TYPE_PEM, issuer)


def _verify(spec: SignatureSpec, **options: Any) -> None:
    verify_digest(DIGEST, "SHA-256", spec, name="sig", **options)


def _gostr(name: x509.Name) -> str:
    return str(from_x509(name))


def test_pem_round_trip_with_generated_chain(pki: Any) -> None:
    spec = sign_digest(
        DIGEST,
        "SHA-256",
        pki.leaf_key,
        encoding="pem",
        certificates=[pki.leaf, pki.intermediate],
    )
    assert spec.media_type == MEDIA_TYPE_PEM
    assert spec.algorithm == RSASSA_PSS
    assert spec.value.startswith("-----BEGIN SIGNATURE-----\nSignature Algorithm: RSASSA-PSS\n\n")
    decoded = decode_signature(spec.value)
    assert decoded.certificates == (
        pki.leaf.public_bytes(Encoding.DER),
        pki.intermediate.public_bytes(Encoding.DER),
    )
    _verify(spec, roots=[pki.root])
    _verify(spec, roots=[pki.root], issuer_semantics="legacy")


def test_pem_pkcs1_round_trip(pki: Any) -> None:
    spec = sign_digest(
        DIGEST,
        "SHA-256",
        pki.leaf_key,
        algorithm=RSASSA_PKCS1_V1_5,
        encoding="PEM",
        certificates=[pki.leaf, pki.intermediate],
    )
    assert "Signature Algorithm: RSASSA-PKCS1-V1_5\n" in spec.value
    _verify(spec, roots=[pki.root])


def test_untrusted_root_fails(
    pki: Any, keys: list[rsa.RSAPrivateKey], issue: Issue, x509_name: Name
) -> None:
    other_root = issue(x509_name("test root", O="pyocm"), keys[3], ca=True)
    spec = _pem_spec(pki.leaf_key, [pki.leaf, pki.intermediate])
    for semantics in ("ng", "legacy"):
        with pytest.raises(
            SignatureError, match=r"untrusted certificate chain: .*unknown authority"
        ):
            _verify(spec, roots=[other_root], issuer_semantics=semantics)


def test_no_trust_anchor_fails(pki: Any) -> None:
    spec = _pem_spec(pki.leaf_key, [pki.leaf, pki.intermediate])
    with pytest.raises(SignatureError, match="no trust anchor"):
        _verify(spec, roots=[pki.intermediate])  # NG never promotes an intermediate
    with pytest.raises(SignatureError, match="no trust anchor"):
        _verify(spec)


def test_embedded_self_signed_certificate_is_rejected_in_ng(pki: Any) -> None:
    spec = _pem_spec(pki.leaf_key, [pki.leaf, pki.intermediate, pki.root])
    with pytest.raises(SignatureError, match="must not be embedded in the signature"):
        _verify(spec, roots=[pki.root])
    # The legacy tool only uses the embedded certificates to build the path.
    _verify(spec, roots=[pki.root], issuer_semantics="legacy")


def test_signing_refuses_to_embed_a_root(pki: Any) -> None:
    with pytest.raises(SignatureError, match="must not be embedded"):
        sign_digest(
            DIGEST,
            "SHA-256",
            pki.leaf_key,
            encoding="pem",
            certificates=[pki.leaf, pki.intermediate, pki.root],
        )


def test_signing_checks_the_leaf_key_and_needs_a_chain(pki: Any) -> None:
    with pytest.raises(SignatureError, match="not the certificate of the signing key"):
        sign_digest(
            DIGEST, "SHA-256", pki.intermediate_key, encoding="pem", certificates=[pki.leaf]
        )
    with pytest.raises(SignatureError, match="needs the signer's certificate chain"):
        sign_digest(DIGEST, "SHA-256", pki.leaf_key, encoding="pem")
    with pytest.raises(SignatureError, match="only be embedded with the PEM encoding"):
        sign_digest(DIGEST, "SHA-256", pki.leaf_key, certificates=[pki.leaf])


@pytest.mark.parametrize(
    ("eku", "ok"),
    [
        ((ExtendedKeyUsageOID.SERVER_AUTH,), False),
        ((ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CODE_SIGNING), True),
        ((ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,), True),
        ((), True),  # no EKU extension: any usage, as in Go
    ],
)
def test_leaf_extended_key_usage(
    pki: Any, keys: list[rsa.RSAPrivateKey], issue: Issue, x509_name: Name, eku: Any, ok: bool
) -> None:
    leaf = issue(x509_name("signer"), keys[4], (pki.intermediate, pki.intermediate_key), eku=eku)
    spec = _pem_spec(keys[4], [leaf, pki.intermediate])
    for semantics in ("ng", "legacy"):
        if ok:
            _verify(spec, roots=[pki.root], issuer_semantics=semantics)
        else:
            with pytest.raises(SignatureError, match="does not allow code signing"):
                _verify(spec, roots=[pki.root], issuer_semantics=semantics)


def test_intermediate_extended_key_usage_constrains_the_leaf(
    pki: Any, keys: list[rsa.RSAPrivateKey], issue: Issue, x509_name: Name
) -> None:
    # Go checks the EKU of every certificate in the path that has one.
    server_ca = issue(
        x509_name("server CA"),
        keys[3],
        (pki.root, pki.root_key),
        ca=True,
        eku=(ExtendedKeyUsageOID.SERVER_AUTH,),
    )
    leaf = issue(x509_name("signer"), keys[4], (server_ca, keys[3]))
    spec = _pem_spec(keys[4], [leaf, server_ca])
    with pytest.raises(SignatureError, match="does not allow code signing"):
        _verify(spec, roots=[pki.root])


def test_expired_leaf_fails_in_ng_but_passes_in_legacy(
    keys: list[rsa.RSAPrivateKey], issue: Issue, x509_name: Name
) -> None:
    now = datetime.now(UTC)
    long_ago = now - timedelta(days=30)
    root = issue(x509_name("root"), keys[0], ca=True, not_before=long_ago)
    intermediate = issue(
        x509_name("intermediate"), keys[1], (root, keys[0]), ca=True, not_before=long_ago
    )
    leaf = issue(
        x509_name("signer"),
        keys[2],
        (intermediate, keys[1]),
        not_before=now - timedelta(days=10),
        not_after=now - timedelta(days=1),
    )
    spec = _pem_spec(keys[2], [leaf, intermediate])
    with pytest.raises(SignatureError, match="is not valid at"):
        _verify(spec, roots=[root])
    _verify(spec, roots=[root], issuer_semantics="legacy")  # checked at the leaf's NotBefore
    with pytest.raises(SignatureError, match="is not valid at"):
        _verify(spec, roots=[root], issuer_semantics="legacy", at=now)


def test_issuer_ng_means_the_leaf_issuer(pki: Any) -> None:
    spec = _pem_spec(pki.leaf_key, [pki.leaf, pki.intermediate])
    intermediate_dn = _gostr(pki.intermediate.subject)
    assert intermediate_dn == "CN=test intermediate,O=pyocm,C=DE"
    for good in (intermediate_dn, "c=DE, o=pyocm, cn=test intermediate"):
        _verify(spec, roots=[pki.root], issuer=good)
    for bad in (
        _gostr(pki.root.subject),
        _gostr(pki.leaf.subject),
        "CN=test intermediate,O=pyocm",  # attributes missing: NG compares both ways
        "test intermediate",
    ):
        with pytest.raises(SignatureError, match="issuer mismatch"):
            _verify(spec, roots=[pki.root], issuer=bad)


def test_issuer_defaults_to_the_signature_field(pki: Any) -> None:
    good = _pem_spec(
        pki.leaf_key, [pki.leaf, pki.intermediate], issuer="CN=test intermediate,O=pyocm,C=DE"
    )
    _verify(good, roots=[pki.root])
    bad = _pem_spec(pki.leaf_key, [pki.leaf, pki.intermediate], issuer="cn=mismatch")
    with pytest.raises(SignatureError) as caught:
        _verify(bad, roots=[pki.root])
    assert caught.value.reason.startswith(
        "issuer mismatch between 'CN=mismatch' and the leaf certificate's issuer "
        "'CN=test intermediate,O=pyocm,C=DE'"
    )


def test_issuer_legacy_means_contained_in_the_leaf_subject(pki: Any) -> None:
    spec = _pem_spec(pki.leaf_key, [pki.leaf, pki.intermediate])
    for good in ("signer", "CN=signer", "CN=signer,O=pyocm", "OU=ocm", _gostr(pki.leaf.subject)):
        _verify(spec, roots=[pki.root], issuer=good, issuer_semantics="legacy")
    for bad in ("other", "CN=signer,O=other", _gostr(pki.intermediate.subject)):
        with pytest.raises(SignatureError, match="issuer mismatch"):
            _verify(spec, roots=[pki.root], issuer=bad, issuer_semantics="legacy")


def test_verifier_chain_rules(pki: Any) -> None:
    leaf_only = _pem_spec(pki.leaf_key, [pki.leaf])
    _verify(leaf_only, roots=[pki.intermediate, pki.root])
    with pytest.raises(SignatureError, match="must be the last"):
        _verify(leaf_only, roots=[pki.root, pki.intermediate])
    with pytest.raises(SignatureError, match="unknown authority"):
        _verify(leaf_only, roots=[pki.root])  # the intermediate is missing
    assert split_trust([pki.intermediate, pki.root]) == ([pki.intermediate], pki.root)


def test_self_signed_leaf_given_as_root_verifies(
    keys: list[rsa.RSAPrivateKey], issue: Issue, x509_name: Name
) -> None:
    # NG handler_test "pem_signature_with_matching_credentials_pub": a self-signed CA as signer.
    certificate = issue(x509_name("signer"), keys[3], ca=True)
    spec = _pem_spec(keys[3], [certificate])
    _verify(spec, roots=[certificate], issuer="CN=signer")


def test_issuer_that_is_not_a_ca_is_refused(
    pki: Any, keys: list[rsa.RSAPrivateKey], issue: Issue, x509_name: Name
) -> None:
    leaf = issue(x509_name("signer"), keys[4], (pki.leaf, pki.leaf_key))
    spec = _pem_spec(keys[4], [leaf, pki.leaf, pki.intermediate])
    with pytest.raises(SignatureError, match="is not a CA"):
        _verify(spec, roots=[pki.root])


def test_path_length_constraint(
    keys: list[rsa.RSAPrivateKey], issue: Issue, x509_name: Name
) -> None:
    root = issue(x509_name("root"), keys[0], ca=True, path_length=0)
    intermediate = issue(x509_name("intermediate"), keys[1], (root, keys[0]), ca=True)
    leaf = issue(x509_name("signer"), keys[2], (intermediate, keys[1]))
    with pytest.raises(CertificateError, match="allows at most 0 intermediates"):
        verify_chain([leaf, intermediate], [root])


def test_pem_with_public_key_and_no_roots_uses_the_key(
    pki: Any, keys: list[rsa.RSAPrivateKey]
) -> None:
    spec = _pem_spec(pki.leaf_key, [pki.leaf])
    _verify(spec, public_key=pki.leaf_key.public_key())
    with pytest.raises(SignatureError, match="does not verify"):
        _verify(spec, public_key=keys[5].public_key())
    with pytest.raises(SignatureError, match="neither the key of the leaf certificate"):
        _verify(spec, public_key=keys[5].public_key(), roots=[pki.intermediate, pki.root])


def test_pem_with_the_root_ca_as_public_key_verifies_the_chain_to_it(
    pki: Any, keys: list[rsa.RSAPrivateKey], issue: Issue, x509_name: Name
) -> None:
    """Go v2 configures the trust anchor as the verifier's public key: the key of a CA on the
    validated path is accepted as well as the leaf's, any other key is not."""
    spec = _pem_spec(pki.leaf_key, [pki.leaf, pki.intermediate])
    _verify(spec, public_key=pki.root_key.public_key(), roots=[pki.root])
    _verify(spec, public_key=pki.intermediate_key.public_key(), roots=[pki.root])
    _verify(spec, public_key=pki.leaf_key.public_key(), roots=[pki.root])
    other_root = issue(x509_name("other root"), keys[5], ca=True)
    with pytest.raises(SignatureError, match="untrusted certificate chain"):
        _verify(spec, public_key=keys[5].public_key(), roots=[other_root])


def test_pem_algorithm_header_and_field(pki: Any) -> None:
    spec = _pem_spec(pki.leaf_key, [pki.leaf, pki.intermediate])
    mismatched = SignatureSpec(RSASSA_PKCS1_V1_5, spec.value, MEDIA_TYPE_PEM)
    with pytest.raises(
        SignatureError, match="algorithm mismatch: the PEM header says 'RSASSA-PSS'"
    ):
        _verify(mismatched, roots=[pki.root])
    _verify(SignatureSpec("", spec.value, MEDIA_TYPE_PEM), roots=[pki.root])

    raw = decode_signature(spec.value)
    no_header = encode_signature(raw.signature, "", raw.certificates)
    _verify(SignatureSpec(RSASSA_PSS, no_header, MEDIA_TYPE_PEM), roots=[pki.root])
    with pytest.raises(SignatureError, match="names no algorithm"):
        _verify(SignatureSpec("", no_header, MEDIA_TYPE_PEM), roots=[pki.root])
    ed = encode_signature(raw.signature, "ED25519", raw.certificates)
    with pytest.raises(SignatureError, match="unsupported signature algorithm 'ED25519'"):
        _verify(SignatureSpec("", ed, MEDIA_TYPE_PEM), roots=[pki.root])


def test_pem_without_chain_needs_a_key(pki: Any) -> None:
    spec = _pem_spec(pki.leaf_key, [])
    with pytest.raises(SignatureError, match="carries no certificate chain"):
        _verify(spec, roots=[pki.root])
    _verify(spec, public_key=pki.leaf_key.public_key())


def test_go_pem_signature_verifies(data: Path) -> None:
    # Written by Go (tests/signing/data/go): chain leaf + intermediate, root kept apart.
    facts = json.loads((data / "go" / "facts.json").read_text())
    (root,) = load_certificates((data / "go" / "root.pem").read_bytes())
    spec = SignatureSpec(
        RSASSA_PSS, (data / "go" / "signature-pss.pem").read_text(), MEDIA_TYPE_PEM
    )
    digest = facts["digest"]
    verify_digest(digest, "SHA-256", spec, roots=[root], issuer=facts["leaf_issuer"])
    legacy = {"roots": [root], "issuer_semantics": "legacy"}
    verify_digest(digest, "SHA-256", spec, issuer="OU=ocm+OU=signing,O=pyocm,C=DE", **legacy)
    # LEG's own parser cannot read an escaped comma, so the Subject string LEG writes as
    # issuer for this leaf is rejected by LEG as well.
    with pytest.raises(SignatureError, match="invalid attribute ' with comma,OU'"):
        verify_digest(digest, "SHA-256", spec, issuer=facts["leaf_subject"], **legacy)
    with pytest.raises(SignatureError, match="does not verify"):
        verify_digest(hashlib.sha256(b"other").hexdigest(), "SHA-256", spec, roots=[root])


def test_system_roots_are_used_only_without_an_anchor(pki: Any) -> None:
    if not system_roots():
        pytest.skip(reason="this machine has no system CA certificates")
    spec = _pem_spec(pki.leaf_key, [pki.leaf, pki.intermediate])
    # No self-signed anchor given: NG falls back to the system roots, which do not know ours.
    with pytest.raises(SignatureError, match="unknown authority"):
        _verify(spec, use_system_roots=True)
    _verify(spec, roots=[pki.root], use_system_roots=True)
