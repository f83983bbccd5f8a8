"""Signing and verifying a component version's descriptor.

    >>> from pathlib import Path
    >>> import pyocm
    >>> from pyocm.signing import load_private_key, load_public_key
    >>> cd = pyocm.load("examples/component-descriptor.yaml")            # doctest: +SKIP
    >>> key = load_private_key(Path("key.pem").read_bytes())              # doctest: +SKIP
    >>> pyocm.sign_component_version(cd, key, name="acme")                # doctest: +SKIP
    >>> pyocm.verify_component_version(cd, key.public_key(), name="acme") # doctest: +SKIP

GPG signatures work the same way with armored OpenPGP keyrings
(:func:`sign_component_version_gpg`, :func:`verify_component_version_gpg`; they need the ``gpg``
program).

A signature covers the digest of the normalised descriptor; the digests of resources and
references inside it cover their content.  Signing refuses descriptors whose digests do not
cover everything (a resource or reference without digest).  Verification recomputes the digest
with the algorithms recorded in each signature and then checks the signature itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pyocm.descriptor.model import Descriptor, Signature
from pyocm.digest import DEFAULT_HASH, component_version_digest, digest_problems
from pyocm.errors import NotFound, SignatureError, UnsupportedAlgorithm
from pyocm.normalise import DEFAULT as DEFAULT_NORMALISATION
from pyocm.signing import SHA256, gpg
from pyocm.signing.rsa import RSASSA_PSS, sign_digest, verify_digest

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

DEFAULT_SIGNATURE_NAME = "default"


def sign_component_version(
    descriptor: Descriptor,
    private_key: RSAPrivateKey,
    *,
    name: str = DEFAULT_SIGNATURE_NAME,
    algorithm: str = RSASSA_PSS,
    hash_algorithm: str = DEFAULT_HASH,
    normalisation: str = DEFAULT_NORMALISATION,
    encoding: Literal["plain", "pem"] = "plain",
    certificates: Sequence[x509.Certificate] = (),
    issuer: str | None = None,
    force: bool = False,
) -> Signature:
    """Sign ``descriptor`` and add (or with ``force``, replace) the signature called ``name``.

    Returns the new signature; the descriptor is changed in place.  Raises
    :class:`SignatureError` when a signature of that name exists and ``force`` is not set, or
    when the descriptor's digests do not cover all of its content.
    """
    index = _slot(descriptor, name, force)
    digest = component_version_digest(descriptor, hash_algorithm, normalisation)
    spec = sign_digest(
        digest.value,
        digest.hash_algorithm,
        private_key,
        algorithm=algorithm,
        encoding=encoding,
        certificates=certificates,
        issuer=issuer,
    )
    return _store(descriptor, Signature(name, digest, spec), index)


def sign_component_version_gpg(
    descriptor: Descriptor,
    private_key: bytes | str,
    *,
    name: str = DEFAULT_SIGNATURE_NAME,
    passphrase: str = "",
    signature_hash: str = SHA256,
    key_fingerprint: str = "",
    hash_algorithm: str = DEFAULT_HASH,
    normalisation: str = DEFAULT_NORMALISATION,
    force: bool = False,
) -> Signature:
    """Sign ``descriptor`` with GPG and add (or with ``force``, replace) the signature ``name``.

    ``private_key`` is an armored OpenPGP secret keyring; its first key signs unless
    ``key_fingerprint`` picks another, ``passphrase`` unlocks it, and ``signature_hash`` is the
    hash inside the OpenPGP signature (see :func:`pyocm.signing.gpg.sign_digest`).  Otherwise as
    :func:`sign_component_version`.
    """
    index = _slot(descriptor, name, force)
    digest = component_version_digest(descriptor, hash_algorithm, normalisation)
    spec = gpg.sign_digest(
        digest.value,
        digest.hash_algorithm,
        private_key,
        passphrase=passphrase,
        signature_hash=signature_hash,
        key_fingerprint=key_fingerprint,
        name=name,
    )
    return _store(descriptor, Signature(name, digest, spec), index)


def _slot(descriptor: Descriptor, name: str, force: bool) -> int | None:
    """Where signature ``name`` goes (None: appended), after checking that it may be made."""
    problems = digest_problems(descriptor)
    if problems:
        detail = "; ".join(str(p) for p in problems[:3])
        raise SignatureError(name, f"descriptor is not safely digestible: {detail}")
    index = next((i for i, s in enumerate(descriptor.signatures) if s.name == name), None)
    if index is not None and not force:
        raise SignatureError(
            name, "a signature with this name already exists (use force to replace it)"
        )
    return index


def _store(descriptor: Descriptor, signature: Signature, index: int | None) -> Signature:
    if index is None:
        descriptor.signatures.append(signature)
    else:
        descriptor.signatures[index] = signature
    return signature


def verify_component_version(
    descriptor: Descriptor,
    public_key: RSAPublicKey | None = None,
    *,
    name: str | None = None,
    roots: Sequence[x509.Certificate] = (),
    issuer_semantics: Literal["ng", "legacy"] = "ng",
    at: datetime | None = None,
) -> list[Signature]:
    """Verify the signature called ``name`` (or every signature) of ``descriptor``.

    For each signature the descriptor is normalised and hashed again with the recorded
    algorithms; the result must equal the signed digest, and the signature must verify with
    ``public_key`` (plain signatures) or with the certificate chain it carries, anchored in
    ``roots`` (PEM signatures).  Returns the verified signatures; raises
    :class:`SignatureError` naming the first signature that fails and why.
    """
    signatures = _selected(descriptor, name)
    for signature in signatures:
        check_signed_digest(descriptor, signature)
        verify_digest(
            signature.digest.value,
            signature.digest.hash_algorithm,
            signature.signature,
            name=signature.name,
            public_key=public_key,
            roots=roots,
            issuer_semantics=issuer_semantics,
            at=at,
        )
    return signatures


def verify_component_version_gpg(
    descriptor: Descriptor,
    public_key: bytes | str,
    *,
    name: str | None = None,
    key_fingerprint: str = "",
) -> list[Signature]:
    """Verify the GPG signature called ``name`` (or every signature) of ``descriptor``.

    ``public_key`` is an armored OpenPGP keyring; with ``key_fingerprint`` only that key of it
    is trusted.  The descriptor digest is checked as in :func:`verify_component_version`.
    Returns the verified signatures; raises :class:`SignatureError` naming the first signature
    that fails and why (a signature that is not a GPG one fails too).
    """
    signatures = _selected(descriptor, name)
    for signature in signatures:
        check_signed_digest(descriptor, signature)
        gpg.verify_digest(
            signature.digest.value,
            signature.digest.hash_algorithm,
            signature.signature,
            public_key,
            key_fingerprint=key_fingerprint,
            name=signature.name,
        )
    return signatures


def check_signed_digest(descriptor: Descriptor, signature: Signature) -> None:
    """Fail unless ``descriptor``, normalised and hashed with the algorithms ``signature``
    records, still has the digest that was signed (:class:`SignatureError` otherwise)."""
    recorded = signature.digest
    try:
        computed = component_version_digest(
            descriptor, recorded.hash_algorithm, recorded.normalisation_algorithm
        )
    except UnsupportedAlgorithm as e:
        raise SignatureError(signature.name, str(e)) from None
    if computed.value != recorded.value.lower():
        raise SignatureError(
            signature.name,
            f"descriptor digest {computed.value} ({recorded.normalisation_algorithm}, "
            f"{recorded.hash_algorithm}) differs from the signed digest {recorded.value}: "
            "the descriptor was changed after signing",
        )


def _selected(descriptor: Descriptor, name: str | None) -> list[Signature]:
    if name is not None:
        signature = descriptor.signature(name)
        if signature is None:
            known = ", ".join(s.name for s in descriptor.signatures) or "none"
            raise NotFound(f"signature {name!r} not found (signatures: {known})")
        return [signature]
    if not descriptor.signatures:
        raise NotFound("the component version has no signatures")
    return list(descriptor.signatures)
