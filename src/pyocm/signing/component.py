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

The legacy Go v1 tool does not take reference digests as recorded: when it signs or verifies,
it recomputes every reference's digest with the signature's own algorithms (recursively) and
signs the descriptor with those.  :func:`legacy_reference_digests` records them the same way,
so that a ``jsonNormalisation/v3`` signature pyocm makes verifies with the legacy tool (and
references without a digest get one, as the legacy tool gives them):

    >>> legacy_reference_digests(cd, repo.get_component_version)            # doctest: +SKIP
    >>> pyocm.sign_component_version(cd, key, name="legacy",
    ...                              normalisation="jsonNormalisation/v3")   # doctest: +SKIP
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pyocm.descriptor.model import Descriptor, Digest, Signature
from pyocm.digest import DEFAULT_HASH, component_version_digest, digest_problems
from pyocm.errors import NotFound, SignatureError, UnsupportedAlgorithm
from pyocm.normalise import DEFAULT as DEFAULT_NORMALISATION
from pyocm.normalise import JSON_V1, JSON_V2, JSON_V3
from pyocm.signing import SHA256, gpg
from pyocm.signing.rsa import RSASSA_PSS, sign_digest, verify_digest

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

DEFAULT_SIGNATURE_NAME = "default"
_LEGACY_NORMALISATIONS = (JSON_V1, JSON_V2, JSON_V3)


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


def legacy_reference_digests(
    descriptor: Descriptor,
    resolve: Callable[[str, str], Descriptor],
    *,
    hash_algorithm: str = DEFAULT_HASH,
    normalisation: str = JSON_V3,
) -> None:
    """Record in every reference of ``descriptor`` the digest the legacy Go v1 tool computes
    for it when signing or verifying with ``hash_algorithm`` and ``normalisation``.

    The referenced descriptors come from ``resolve(component, version)``; their own
    references are digested the same way first, in memory (as the legacy tool does, which
    leaves referenced versions unchanged).  ``descriptor`` is changed in place.  Raises
    :class:`~pyocm.errors.NotFound` for a referenced version that cannot be found.
    """
    digests: dict[tuple[str, str], Digest] = {}

    def update(cd: Descriptor, path: tuple[tuple[str, str], ...]) -> None:
        for reference in cd.component.references:
            key = (reference.component_name, reference.version)
            if key in path:
                raise SignatureError("", f"component reference cycle through {key[0]}:{key[1]}")
            if key not in digests:
                child = copy.deepcopy(resolve(*key))
                update(child, (*path, key))
                digests[key] = component_version_digest(child, hash_algorithm, normalisation)
            reference.digest = copy.copy(digests[key])

    update(descriptor, ((descriptor.component.name, descriptor.component.version),))


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
    issuer_semantics: Literal["ng", "legacy", "auto"] = "auto",
    at: datetime | None = None,
) -> list[Signature]:
    """Verify the signature called ``name`` (or every signature) of ``descriptor``.

    For each signature the descriptor is normalised and hashed again with the recorded
    algorithms; the result must equal the signed digest, and the signature must verify with
    ``public_key`` (plain signatures) or with the certificate chain it carries, anchored in
    ``roots`` (PEM signatures).  Certificates and issuers follow the Go v2 rules, or with
    ``issuer_semantics="legacy"`` those of the legacy Go v1 tool; ``"auto"`` takes the legacy
    rules for signatures with a legacy normalisation (``jsonNormalisation/v1``–``v3``, which
    only the legacy tool and pyocm's legacy-compatible signing write).  Returns the verified
    signatures; raises :class:`SignatureError` naming the first signature that fails and why.
    """
    signatures = _selected(descriptor, name)
    for signature in signatures:
        check_signed_digest(descriptor, signature)
        semantics: Literal["ng", "legacy"] = (
            issuer_semantics
            if issuer_semantics != "auto"
            else "legacy"
            if signature.digest.normalisation_algorithm in _LEGACY_NORMALISATIONS
            else "ng"
        )
        verify_digest(
            signature.digest.value,
            signature.digest.hash_algorithm,
            signature.signature,
            name=signature.name,
            public_key=public_key,
            roots=roots,
            issuer_semantics=semantics,
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
