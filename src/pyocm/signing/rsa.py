"""RSA signatures over digests (RSASSA-PSS, RSASSA-PKCS1-V1_5), byte-compatible with Go OCM.

What is signed is the raw digest (``bytes.fromhex(digest.value)``) as an already hashed
message under the digest's hash. PSS uses MGF1 with the same hash; it signs with the maximum
salt length (as Go's ``rsa.SignPSS`` with no options) and verifies with any salt length.
PKCS #1 v1.5 is deterministic, so the same key and digest give Go's signature byte for byte.

    >>> from pyocm.signing.rsa import sign_digest, verify_digest
    >>> spec = sign_digest(digest_hex, "SHA-256", private_key)               # doctest: +SKIP
    >>> spec.media_type                                                      # doctest: +SKIP
    'application/vnd.ocm.signature.rsa.pss'
    >>> verify_digest(digest_hex, "SHA-256", spec, public_key=public_key)    # doctest: +SKIP

How :func:`verify_digest` picks the algorithm, so that signatures of both Go tools verify:

* plain media types decide by themselves (``…rsa`` is PKCS #1 v1.5, ``…rsa.pss`` is PSS, as in
  the Go v2 tools); a non-empty ``signature.algorithm`` naming the other scheme is rejected (as
  the legacy Go v1 tool rejects it);
* for PEM the ``Signature Algorithm`` header decides (Go v2), else ``signature.algorithm``
  (Go v1); when both are present they must agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
from cryptography.hazmat.primitives.serialization import Encoding

from pyocm.descriptor import SignatureSpec
from pyocm.errors import SignatureError, ValidationError
from pyocm.signing import (
    HASH_ALGORITHMS,
    LEGACY_HASH_ALGORITHMS,
    MEDIA_TYPE_PEM,
    MEDIA_TYPE_RSA,
    MEDIA_TYPE_RSA_PSS,
    RSA_ALGORITHMS,
    RSASSA_PKCS1_V1_5,
    RSASSA_PSS,
    SHA256,
    SHA384,
    SHA512,
    pem,
)
from pyocm.signing._go import decode_hex, trim_space

if TYPE_CHECKING:  # X.509 (cryptography.x509, chains, DNs) is loaded for PEM signatures only
    from cryptography import x509

    from pyocm.signing.chain import Semantics

__all__ = [
    "MEDIA_TYPE_PEM",
    "MEDIA_TYPE_RSA",
    "MEDIA_TYPE_RSA_PSS",
    "RSASSA_PKCS1_V1_5",
    "RSASSA_PSS",
    "SignatureEncoding",
    "sign_digest",
    "verify_digest",
]

SignatureEncoding = Literal["plain", "pem"]
"""``plain``: hex of the raw signature; ``pem``: SIGNATURE block plus certificate chain."""

_Fail = Callable[[str], SignatureError]
"""A per-call error factory: ``raise fail(reason)``."""

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    SHA256: hashes.SHA256,
    SHA384: hashes.SHA384,
    SHA512: hashes.SHA512,
}
_PLAIN_MEDIA_TYPES = {MEDIA_TYPE_RSA: RSASSA_PKCS1_V1_5, MEDIA_TYPE_RSA_PSS: RSASSA_PSS}
_MEDIA_TYPE_OF = {RSASSA_PKCS1_V1_5: MEDIA_TYPE_RSA, RSASSA_PSS: MEDIA_TYPE_RSA_PSS}


def sign_digest(
    digest_hex: str,
    hash_algorithm: str,
    private_key: rsa.RSAPrivateKey,
    *,
    algorithm: str = RSASSA_PSS,
    encoding: str = "plain",
    certificates: Sequence[x509.Certificate] = (),
    issuer: str | None = None,
    name: str = "",
) -> SignatureSpec:
    """Sign the digest ``digest_hex`` (hashed with ``hash_algorithm``) with ``private_key``.

    ``hash_algorithm`` is ``SHA-256``, ``SHA-384`` or ``SHA-512``; ``algorithm`` is
    ``RSASSA-PSS`` or ``RSASSA-PKCS1-V1_5``. ``encoding`` is ``plain`` (lowercase hex; the media
    type follows the algorithm) or ``pem`` (``application/x-pem-file``, embedding
    ``certificates`` leaf first; the leaf must hold the signing key and no later certificate may
    be self-signed, since Go v2 verifiers reject embedded roots).

    ``issuer`` is recorded as given: the Go v2 tools leave it unset and read it as the leaf's
    *Issuer*; the legacy tool writes the leaf's *Subject*,
    ``str(pyocm.signing.dn.from_x509(leaf.subject))``. ``name`` only labels errors.

    Raises :class:`~pyocm.errors.SignatureError`.
    """

    def fail(reason: str) -> SignatureError:
        return SignatureError(name, reason)

    if algorithm not in RSA_ALGORITHMS:
        raise fail(f"unsupported signature algorithm {algorithm!r} (expected {_either()})")
    if hash_algorithm not in _HASHES:
        raise fail(
            f"unsupported hash algorithm {hash_algorithm!r} (expected one of "
            f"{', '.join(HASH_ALGORITHMS)})"
        )
    hash_type = _HASHES[hash_algorithm]
    digest = _digest_bytes(digest_hex, hash_type(), fail)
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise fail("the private key is not an RSA key")
    mode = encoding.lower()
    if mode not in ("plain", "pem"):
        raise fail(f"unknown signature encoding {encoding!r} (expected 'plain' or 'pem')")
    if mode == "plain" and certificates:
        raise fail("certificates can only be embedded with the PEM encoding")
    if mode == "pem":
        _check_signing_chain(certificates, private_key, fail)

    raw = private_key.sign(
        digest, _padding(algorithm, hash_type(), signing=True), utils.Prehashed(hash_type())
    )
    if mode == "plain":
        return SignatureSpec(algorithm, raw.hex(), _MEDIA_TYPE_OF[algorithm], issuer)
    chain = [c.public_bytes(Encoding.DER) for c in certificates]
    value = pem.encode_signature(raw, algorithm, chain)
    return SignatureSpec(algorithm, value, MEDIA_TYPE_PEM, issuer)


def verify_digest(
    digest_hex: str,
    hash_algorithm: str,
    spec: SignatureSpec,
    *,
    name: str = "",
    public_key: rsa.RSAPublicKey | None = None,
    roots: Sequence[x509.Certificate] = (),
    issuer: str | None = None,
    issuer_semantics: Semantics = "ng",
    at: datetime | None = None,
    use_system_roots: bool = False,
) -> None:
    """Check that ``spec`` is a valid RSA signature of the digest ``digest_hex``.

    ``hash_algorithm`` may also use the legacy spellings ``sha256``/``sha512``. The key is:

    * for plain media types, ``public_key`` (required);
    * for PEM with a ``public_key`` and neither ``roots`` nor ``use_system_roots``,
      ``public_key``; the embedded chain is not examined (the legacy tool's rule);
    * otherwise the leaf of the embedded chain, after :func:`pyocm.signing.chain.verify_chain`
      accepted it against ``roots`` with the rules of ``issuer_semantics`` at time ``at``.
      A given ``public_key`` must then be the key of a certificate on the validated path: the
      leaf's, or that of a CA the path runs through, such as the root CA itself (the Go v2
      tools configure the trust anchor as the verifier's "public key").

    When a chain was validated, the issuer constraint (``issuer``, by default
    ``spec.issuer``; an empty one is no constraint) must hold: with ``"ng"`` it must equal the
    leaf's *Issuer* DN (RFC 2253, attribute by attribute); with ``"legacy"`` it must be
    contained in the leaf's *Subject* DN. ``name`` labels the errors. Raises
    :class:`~pyocm.errors.SignatureError` with the reason.
    """

    def fail(reason: str) -> SignatureError:
        return SignatureError(name, reason)

    hash_name = LEGACY_HASH_ALGORITHMS.get(hash_algorithm, hash_algorithm)
    if hash_name not in _HASHES:
        raise fail(
            f"unsupported hash algorithm {hash_algorithm!r} (expected one of "
            f"{', '.join([*HASH_ALGORITHMS, *LEGACY_HASH_ALGORITHMS])})"
        )
    hash_type = _HASHES[hash_name]
    digest = _digest_bytes(digest_hex, hash_type(), fail)
    if spec.media_type in _PLAIN_MEDIA_TYPES:
        algorithm, signature, key = _plain_signature(spec, public_key, fail)
    elif spec.media_type == MEDIA_TYPE_PEM:
        try:
            document = pem.decode_signature(spec.value)
        except ValidationError as e:
            raise fail(str(e)) from None
        algorithm = _pem_algorithm(document.algorithm, spec.algorithm, fail)
        signature = document.signature
        if public_key is not None and not roots and not use_system_roots:
            key = public_key
        else:
            path = _trusted_path(
                document.certificates, roots, issuer_semantics, at, use_system_roots, fail
            )
            leaf = path[0]
            key = _leaf_key(path, public_key, fail)
            wanted = issuer if issuer is not None else spec.issuer
            _check_issuer(wanted or "", leaf, issuer_semantics, fail)
    else:
        raise fail(
            f"unsupported signature media type {spec.media_type!r} (expected "
            f"{MEDIA_TYPE_RSA!r}, {MEDIA_TYPE_RSA_PSS!r} or {MEDIA_TYPE_PEM!r})"
        )

    size = (key.key_size + 7) // 8
    if len(signature) != size:
        raise fail(f"signature has {len(signature)} bytes, but the RSA key needs {size}")
    try:
        key.verify(
            signature,
            digest,
            _padding(algorithm, hash_type(), signing=False),
            utils.Prehashed(hash_type()),
        )
    except InvalidSignature:
        raise fail(f"{algorithm} signature does not verify: wrong key or changed digest") from None


def _plain_signature(
    spec: SignatureSpec, public_key: rsa.RSAPublicKey | None, fail: _Fail
) -> tuple[str, bytes, rsa.RSAPublicKey]:
    """Algorithm (from the media type), raw signature and key of a plain signature."""
    algorithm = _PLAIN_MEDIA_TYPES[spec.media_type]
    if spec.algorithm and spec.algorithm != algorithm:
        raise fail(
            f"algorithm mismatch: signature.algorithm is {spec.algorithm!r} but media type "
            f"{spec.media_type!r} holds {algorithm!r}"
        )
    if public_key is None:
        raise fail("a public key is needed to verify a plain RSA signature")
    try:
        signature = decode_hex(spec.value)
    except ValueError:
        raise fail(f"signature value is not hex, as {spec.media_type!r} needs") from None
    return algorithm, signature, public_key


def _leaf_key(
    path: Sequence[x509.Certificate], public_key: rsa.RSAPublicKey | None, fail: _Fail
) -> rsa.RSAPublicKey:
    """The leaf's key, once a given ``public_key`` is found on the validated ``path`` (leaf to
    anchor): as the leaf's own key, or as the key of a CA that vouches for the leaf."""
    key = path[0].public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise fail("the leaf certificate does not hold an RSA public key")
    if public_key is not None and not any(
        _same_key(certificate, public_key) for certificate in path
    ):
        raise fail(
            "the given public key is neither the key of the leaf certificate nor that of a CA "
            "certificate on its validated chain"
        )
    return key


def _same_key(certificate: x509.Certificate, public_key: rsa.RSAPublicKey) -> bool:
    key = certificate.public_key()
    return isinstance(key, rsa.RSAPublicKey) and key.public_numbers() == public_key.public_numbers()


def _digest_bytes(
    digest_hex: str,
    hash_algorithm: hashes.HashAlgorithm,
    fail: _Fail,
) -> bytes:
    if not digest_hex:
        raise fail("missing digest value")
    try:
        digest = decode_hex(digest_hex)
    except ValueError:
        raise fail(f"digest value {digest_hex[:80]!r} is not hex") from None
    if len(digest) != hash_algorithm.digest_size:
        raise fail(
            f"digest has {len(digest)} bytes, but a {_canonical(hash_algorithm)} digest has "
            f"{hash_algorithm.digest_size}"
        )
    return digest


def _padding(
    algorithm: str, hash_algorithm: hashes.HashAlgorithm, *, signing: bool
) -> padding.AsymmetricPadding:
    if algorithm == RSASSA_PKCS1_V1_5:
        return padding.PKCS1v15()
    salt = padding.PSS.MAX_LENGTH if signing else padding.PSS.AUTO
    return padding.PSS(mgf=padding.MGF1(hash_algorithm), salt_length=salt)


def _pem_algorithm(header: str, declared: str, fail: _Fail) -> str:
    if header and declared and header != declared:
        raise fail(
            f"algorithm mismatch: the PEM header says {header!r}, signature.algorithm says "
            f"{declared!r}"
        )
    algorithm = header or declared
    if not algorithm:
        raise fail(
            "the PEM signature names no algorithm (no 'Signature Algorithm' header and an "
            "empty signature.algorithm)"
        )
    if algorithm not in RSA_ALGORITHMS:
        raise fail(f"unsupported signature algorithm {algorithm!r} (expected {_either()})")
    return algorithm


def _trusted_path(
    certificates: Sequence[bytes],
    roots: Sequence[x509.Certificate],
    semantics: Semantics,
    at: datetime | None,
    use_system_roots: bool,
    fail: _Fail,
) -> list[x509.Certificate]:
    """The embedded chain's validated path, leaf first and trust anchor last."""
    from cryptography import x509

    from pyocm.signing.chain import CertificateError, verify_chain

    if not certificates:
        raise fail("the PEM signature carries no certificate chain")
    chain: list[x509.Certificate] = []
    for i, der in enumerate(certificates):
        try:
            chain.append(x509.load_der_x509_certificate(der))
        except ValueError:
            raise fail(f"embedded certificate {i + 1} is not a valid X.509 certificate") from None
    try:
        return verify_chain(
            chain, roots, semantics=semantics, at=at, use_system_roots=use_system_roots
        )
    except CertificateError as e:
        raise fail(f"untrusted certificate chain: {e}") from None


def _check_issuer(wanted: str, leaf: x509.Certificate, semantics: Semantics, fail: _Fail) -> None:
    from pyocm.signing import dn

    wanted = trim_space(wanted)
    if not wanted:
        return
    try:
        if semantics == "ng":
            want = dn.parse(wanted)
            have = dn.from_x509(leaf.issuer)
            reason = dn.equal(want, have)
            where = "the leaf certificate's issuer"
        else:
            want = dn.parse_legacy(wanted)
            have = dn.from_x509(leaf.subject)
            reason = dn.match_legacy(have, want)
            where = "the leaf certificate's subject"
    except ValidationError as e:
        raise fail(f"issuer {wanted!r}: {e}") from None
    if reason is not None:
        raise fail(f"issuer mismatch between {str(want)!r} and {where} {str(have)!r}: {reason}")


def _check_signing_chain(
    certificates: Sequence[x509.Certificate], private_key: rsa.RSAPrivateKey, fail: _Fail
) -> None:
    from pyocm.signing import dn
    from pyocm.signing.chain import is_self_signed

    if not certificates:
        raise fail("the PEM encoding needs the signer's certificate chain (leaf first)")
    leaf_key = certificates[0].public_key()
    if not isinstance(leaf_key, rsa.RSAPublicKey) or (
        leaf_key.public_numbers() != private_key.public_key().public_numbers()
    ):
        raise fail("the first certificate is not the certificate of the signing key")
    for certificate in certificates[1:]:
        if is_self_signed(certificate):
            subject = str(dn.from_x509(certificate.subject))
            raise fail(
                f"self-signed certificate {subject!r} must not be embedded in the signature; "
                "give root CAs to the verifiers instead"
            )


def _canonical(hash_algorithm: hashes.HashAlgorithm) -> str:
    return {"sha256": SHA256, "sha384": SHA384, "sha512": SHA512}[hash_algorithm.name]


def _either() -> str:
    return " or ".join(repr(a) for a in RSA_ALGORITHMS)
