"""Certificate-chain validation for PEM signatures, with the rules of the Go OCM tools.

The path check is Go's ``x509.Certificate.Verify`` with ``ExtKeyUsageCodeSigning``: every
certificate must be valid at the check time, each certificate must be signed by the next one,
issuers must be CAs (basic constraints; key usage, when present, must allow certificate
signing; path length limits hold), and every certificate that has an extended-key-usage
extension must allow code signing or any usage. Name constraints and unknown critical
extensions are not checked.

Which certificates are trusted, and when, depends on the tool (``semantics``):

* ``"ng"`` (Go v2): a self-signed certificate embedded in the signature is rejected; among the
  verifier's certificates a self-signed one may only come last and becomes the *sole* trust
  anchor, the others serve as intermediates. The check time is now.
* ``"legacy"`` (Go v1): every certificate the verifier gives is a trust anchor, and the check
  time is the leaf's NotBefore (so an expired certificate still verifies).

    >>> from pyocm.signing.chain import verify_chain
    >>> path = verify_chain([leaf, intermediate], [root])     # doctest: +SKIP
    >>> [c.subject.rfc4514_string() for c in path]            # doctest: +SKIP
    ['CN=leaf', 'CN=intermediate', 'CN=root']
"""

from __future__ import annotations

import functools
import os
import ssl
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal, TypeVar

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import ExtendedKeyUsageOID

from pyocm.errors import OCMError
from pyocm.signing import dn

Semantics = Literal["ng", "legacy"]
"""Whose certificate rules apply: the Go v2 tools (``ng``) or the legacy Go v1 tool."""

_MAX_SIGNATURE_CHECKS = 100  # as Go's buildChains
_E = TypeVar("_E", bound=x509.ExtensionType)


class CertificateError(OCMError):
    """A certificate chain is malformed or does not lead to a trusted root."""


def verify_chain(
    chain: Sequence[x509.Certificate],
    roots: Sequence[x509.Certificate] = (),
    *,
    semantics: Semantics = "ng",
    at: datetime | None = None,
    use_system_roots: bool = False,
) -> list[x509.Certificate]:
    """Validate a signature's certificate chain (leaf first) against the verifier's ``roots``.

    ``at`` overrides the check time (naive values are UTC); by default it is now (``ng``) or
    the leaf's NotBefore (``legacy``). With ``use_system_roots`` the operating system's CA
    certificates are trusted too where the Go tool would use them: in ``ng`` only when
    ``roots`` holds no self-signed anchor. Returns the validated path, leaf to root; raises
    :class:`CertificateError`.
    """
    if not chain:
        raise CertificateError("the signature carries no certificate chain")
    leaf = chain[0]
    if semantics == "ng":
        for certificate in chain[1:]:
            if is_self_signed(certificate):
                raise CertificateError(
                    f"self-signed certificate {_name(certificate)} must not be embedded in the "
                    "signature; give root CAs to the verifier instead"
                )
        intermediates, anchor = split_trust(roots)
        if anchor is not None:
            anchors = [anchor]
        elif use_system_roots:
            anchors = system_roots()
        else:
            raise CertificateError(
                "no trust anchor: the verifier's certificates hold no self-signed root CA"
            )
        when = at if at is not None else datetime.now(UTC)
        return verify_path(leaf, [*chain[1:], *intermediates], anchors, at=when)
    anchors = [*roots, *(system_roots() if use_system_roots else [])]
    if not anchors:
        raise CertificateError("no trust anchor: no root certificates given")
    when = at if at is not None else leaf.not_valid_before_utc
    return verify_path(leaf, list(chain), anchors, at=when)


def split_trust(
    certificates: Sequence[x509.Certificate],
) -> tuple[list[x509.Certificate], x509.Certificate | None]:
    """NG's reading of the verifier's certificates: (intermediates, self-signed anchor or None).

    A self-signed certificate anywhere but last is an error (:class:`CertificateError`).
    """
    intermediates: list[x509.Certificate] = []
    anchor: x509.Certificate | None = None
    for i, certificate in enumerate(certificates):
        if is_self_signed(certificate):
            if i != len(certificates) - 1:
                raise CertificateError(
                    f"self-signed certificate {_name(certificate)} at position {i} must be the "
                    "last of the verifier's certificates"
                )
            anchor = certificate
        else:
            intermediates.append(certificate)
    return intermediates, anchor


def is_self_signed(certificate: x509.Certificate) -> bool:
    """Whether the certificate may sign certificates and its signature verifies with its own key.

    This is Go's ``cert.CheckSignatureFrom(cert)`` as NG uses it: a self-signed certificate
    that is not a CA does not count.
    """
    return _issue_problem(certificate, certificate) is None


def verify_path(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    anchors: Sequence[x509.Certificate],
    *,
    at: datetime,
) -> list[x509.Certificate]:
    """Build and check a path from ``leaf`` through ``intermediates`` to one of ``anchors``.

    Follows Go's ``Certificate.Verify`` with key usage CodeSigning at time ``at``; a leaf that is
    itself an anchor is a path of its own. Returns the first acceptable path, leaf to anchor.
    """
    when = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    problem = _validity_problem(leaf, when)
    if problem is not None:
        raise CertificateError(f"certificate {_name(leaf)} {problem}")
    leaf_der = _der(leaf)
    if any(_der(a) == leaf_der for a in anchors):
        paths = [[leaf]]
    else:
        paths, hint = _build_paths(leaf, intermediates, anchors, when)
        if not paths:
            detail = f" ({hint})" if hint else ""
            raise CertificateError(
                f"certificate {_name(leaf)} is signed by an unknown authority{detail}"
            )
    for path in paths:
        if all(_allows_code_signing(c) for c in path):
            return path
    raise CertificateError("the certificate chain does not allow code signing (extended key usage)")


@functools.cache
def _system_roots() -> tuple[x509.Certificate, ...]:
    from pyocm.signing.keys import load_certificates

    paths = ssl.get_default_verify_paths()
    files: list[str] = []
    if paths.cafile and os.path.isfile(paths.cafile):
        files.append(paths.cafile)
    elif paths.capath and os.path.isdir(paths.capath):
        files += sorted(
            os.path.join(paths.capath, f)
            for f in os.listdir(paths.capath)
            if os.path.isfile(os.path.join(paths.capath, f))
        )
    roots: list[x509.Certificate] = []
    with warnings.catch_warnings():
        # Some distributed roots break RFC 5280 in ways cryptography warns about.
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        for file in files:
            with open(file, "rb") as f:
                roots += load_certificates(f.read(), skip_invalid=True)
    return tuple(roots)


def system_roots() -> list[x509.Certificate]:
    """The operating system's trusted CA certificates (as OpenSSL finds them), read once."""
    return list(_system_roots())


def _build_paths(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    anchors: Sequence[x509.Certificate],
    at: datetime,
) -> tuple[list[list[x509.Certificate]], str]:
    """Every path from ``leaf`` to an anchor, and a hint why a candidate issuer was refused."""
    paths: list[list[x509.Certificate]] = []
    hints: list[str] = []
    budget = [_MAX_SIGNATURE_CHECKS]

    def extend(path: list[x509.Certificate]) -> None:
        child = path[-1]
        wanted = child.issuer.public_bytes()
        for is_anchor, pool in ((True, anchors), (False, intermediates)):
            for candidate in pool:
                if candidate.subject.public_bytes() != wanted or _in_path(candidate, path):
                    continue
                if budget[0] <= 0:
                    hints.append("too many candidate issuers")
                    return
                budget[0] -= 1
                problem = _issue_problem(child, candidate) or _validity_problem(
                    candidate, at, issuer=not is_anchor, below=len(path) - 1
                )
                if problem is not None:
                    hints.append(f"candidate issuer {_name(candidate)} {problem}")
                elif is_anchor:
                    paths.append([*path, candidate])
                else:
                    extend([*path, candidate])

    extend([leaf])
    return paths, hints[0] if hints else ""


def _issue_problem(child: x509.Certificate, parent: x509.Certificate) -> str | None:
    """Go's ``child.CheckSignatureFrom(parent)``: why ``parent`` cannot have signed ``child``."""
    constraints = _extension(parent, x509.BasicConstraints)
    if constraints is None:
        if parent.version == x509.Version.v3:
            return "is not a CA (no basic constraints)"
    elif not constraints.ca:
        return "is not a CA"
    usage = _extension(parent, x509.KeyUsage)
    if usage is not None and not usage.key_cert_sign:
        return "may not sign certificates (key usage)"
    try:
        key = parent.public_key()
    except UnsupportedAlgorithm:
        return "has a public key of an unsupported type"
    return _signature_problem(child, key)


def _signature_problem(child: x509.Certificate, key: object) -> str | None:
    try:
        digest = child.signature_hash_algorithm
        parameters = child.signature_algorithm_parameters
    except UnsupportedAlgorithm:
        return "uses an unsupported signature algorithm"
    if isinstance(digest, hashes.SHA1 | hashes.MD5):
        return f"uses the insecure signature hash {digest.name}"
    signature, signed = child.signature, child.tbs_certificate_bytes
    try:
        if isinstance(key, rsa.RSAPublicKey) and isinstance(
            parameters, padding.PKCS1v15 | padding.PSS
        ):
            if digest is None:
                return "uses an unsupported signature algorithm"
            key.verify(signature, signed, parameters, digest)
        elif isinstance(key, ec.EllipticCurvePublicKey) and isinstance(parameters, ec.ECDSA):
            key.verify(signature, signed, parameters)
        elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            key.verify(signature, signed)
        else:
            return "uses a signature algorithm that does not fit the issuer's key"
    except InvalidSignature:
        return "did not sign it (signature does not verify)"
    return None


def _validity_problem(
    certificate: x509.Certificate, at: datetime, *, issuer: bool = False, below: int = -1
) -> str | None:
    """Go's ``isValid``: validity period, CA flag of intermediates, path length limits."""
    not_before, not_after = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    if at < not_before or at > not_after:
        return f"is not valid at {_time(at)} (valid from {_time(not_before)} to {_time(not_after)})"
    constraints = _extension(certificate, x509.BasicConstraints)
    if issuer and (constraints is None or not constraints.ca):
        return "is not a CA"
    limit = None if constraints is None else constraints.path_length
    if limit is not None and below > limit:
        return f"allows at most {limit} intermediates below it"
    return None


def _allows_code_signing(certificate: x509.Certificate) -> bool:
    usages = _extension(certificate, x509.ExtendedKeyUsage)
    if usages is None:
        return True
    return any(
        u in (ExtendedKeyUsageOID.CODE_SIGNING, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE)
        for u in usages
    )


def _extension(certificate: x509.Certificate, kind: type[_E]) -> _E | None:
    try:
        return certificate.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None
    except ValueError as e:
        raise CertificateError(f"certificate {_name(certificate)} is malformed: {e}") from None


def _in_path(candidate: x509.Certificate, path: Sequence[x509.Certificate]) -> bool:
    """Go's ``alreadyInChain``: same subject and same public key."""
    key = _public_key_der(candidate)
    return any(
        c.subject.public_bytes() == candidate.subject.public_bytes() and _public_key_der(c) == key
        for c in path
    )


def _public_key_der(certificate: x509.Certificate) -> bytes:
    try:
        key = certificate.public_key()
    except UnsupportedAlgorithm:
        return _der(certificate)
    return key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(Encoding.DER)


def _name(certificate: x509.Certificate) -> str:
    return repr(str(dn.from_x509(certificate.subject)))


def _time(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
