"""Signing and verifying a component version's descriptor.

    >>> from pathlib import Path
    >>> import pyocm
    >>> from pyocm.signing import load_private_key, load_public_key
    >>> cd = pyocm.load("examples/component-descriptor.yaml")            # doctest: +SKIP
    >>> key = load_private_key(Path("key.pem").read_bytes())              # doctest: +SKIP
    >>> pyocm.sign_component_version(cd, key, name="acme")                # doctest: +SKIP
    >>> pyocm.verify_component_version(cd, key.public_key(), name="acme") # doctest: +SKIP

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
    problems = digest_problems(descriptor)
    if problems:
        detail = "; ".join(str(p) for p in problems[:3])
        raise SignatureError(name, f"descriptor is not safely digestible: {detail}")
    index = next((i for i, s in enumerate(descriptor.signatures) if s.name == name), None)
    if index is not None and not force:
        raise SignatureError(
            name, "a signature with this name already exists (use force to replace it)"
        )
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
    signature = Signature(name, digest, spec)
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
    if name is not None:
        signature = descriptor.signature(name)
        if signature is None:
            known = ", ".join(s.name for s in descriptor.signatures) or "none"
            raise NotFound(f"signature {name!r} not found (signatures: {known})")
        signatures = [signature]
    else:
        signatures = list(descriptor.signatures)
        if not signatures:
            raise NotFound("the component version has no signatures")
    for signature in signatures:
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
        verify_digest(
            recorded.value,
            recorded.hash_algorithm,
            signature.signature,
            name=signature.name,
            public_key=public_key,
            roots=roots,
            issuer_semantics=issuer_semantics,
            at=at,
        )
    return signatures
