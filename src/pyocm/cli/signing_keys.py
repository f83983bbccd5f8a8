"""Keys for ``ocm sign`` and ``ocm verify``: from key files given as flags, else from the
credentials of the configuration, as the Go v2 CLI looks them up: ``RSA/v1alpha1`` (consumer
identity ``algorithm`` + ``signature``) for RSA, ``GPG/v1alpha1`` (``signature``) for GPG.

    >>> from pyocm.cli.signing_keys import signing_keys          # doctest: +SKIP
    >>> key, chain = signing_keys(config, "default", "RSASSA-PSS", "", "")  # doctest: +SKIP
    >>> private, passphrase = gpg_signing_key(config, "default", "")       # doctest: +SKIP
    >>> spec_file("rsassa-pkcs1.yaml", "default", "signer")                # doctest: +SKIP
    {'type': 'RSASigningConfiguration/v1alpha1', 'signatureAlgorithm': 'RSASSA-PKCS1-V1_5'}

:func:`spec_file` reads ``--signer-spec`` and ``--verifier-spec`` files in every form the Go
CLIs use: a bare typed specification (``RSASigningConfiguration/v1alpha1``, GPG; Go v2 0.13.0),
a ``signing.config.ocm.software/v1alpha1`` entry, or a whole configuration file holding such
entries (the newer Go CLIs, which read the signer from the configuration).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pyocm.errors import CredentialsError, OCMError

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

    from pyocm.config.model import Config


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise CredentialsError(f"cannot read {what} {path}: {e.strerror or e}") from None


def _rsa_consumer(algorithm: str, signature: str) -> str:
    return f"{{type: RSA/v1alpha1, algorithm: {algorithm}, signature: {signature}}}"


def _gpg_consumer(signature: str) -> str:
    return f"{{type: GPG/v1alpha1, signature: {signature}}}"


def _no_key(what: str, signature: str, consumer: str, flag: str) -> CredentialsError:
    """The error for a key that is neither configured nor given by ``flag``."""
    return CredentialsError(
        f"no {what} for signature {signature!r}: configure credentials for the consumer "
        f"{consumer} in the OCM configuration, or pass {flag}"
    )


def signing_keys(
    config: Config, signature: str, algorithm: str, private_key_file: str, public_key_file: str
) -> tuple[RSAPrivateKey, list[x509.Certificate]]:
    """The private key and the certificate chain (may be empty) to sign ``signature`` with."""
    from pyocm.config.credentials.lookups import rsa_signing_keys
    from pyocm.signing.keys import load_certificates, load_private_key

    configured = rsa_signing_keys(config, signature, algorithm)
    private_pem = (
        _read(private_key_file, "private key")
        if private_key_file
        else (configured.private_key_pem if configured else None)
    )
    if private_pem is None:
        raise _no_key(
            "private key", signature, _rsa_consumer(algorithm, signature), "--private-key"
        )
    public_pem = (
        _read(public_key_file, "certificate chain")
        if public_key_file
        else (configured.public_key_pem if configured else None)
    )
    chain = load_certificates(public_pem) if public_pem else []
    return load_private_key(private_pem), chain


def verification_keys(
    config: Config,
    signature: str,
    algorithm: str,
    public_key_file: str,
    ca_cert_files: tuple[str, ...],
) -> tuple[RSAPublicKey | None, list[x509.Certificate]]:
    """The public key and the trust anchors to verify ``signature`` with: flags first, then the
    configured public key or certificates (which also serve as anchors for PEM signatures),
    then the public half of a configured private key."""
    from pyocm.config.credentials.lookups import rsa_signing_keys
    from pyocm.signing.keys import load_certificates, load_private_key, load_public_key

    roots = [cert for path in ca_cert_files for cert in load_certificates(_read(path, "CA"))]
    if public_key_file:
        public, certificates = load_public_key(_read(public_key_file, "public key"))
        return public, roots or certificates
    configured = rsa_signing_keys(config, signature, algorithm)
    if configured is not None and configured.public_key_pem:
        public, certificates = load_public_key(configured.public_key_pem)
        return public, roots or certificates
    if configured is not None and configured.private_key_pem:
        return load_private_key(configured.private_key_pem).public_key(), roots
    if roots:
        return None, roots
    raise _no_key("public key", signature, _rsa_consumer(algorithm, signature), "--public-key")


def gpg_signing_key(config: Config, signature: str, private_key_file: str) -> tuple[bytes, str]:
    """The armored OpenPGP secret keyring and its passphrase to sign ``signature`` with."""
    from pyocm.config.credentials.lookups import gpg_signing_keys

    configured = gpg_signing_keys(config, signature)
    private = (
        _read(private_key_file, "GPG private key")
        if private_key_file
        else (configured.private_key if configured else None)
    )
    if private is None:
        raise _no_key("GPG private key", signature, _gpg_consumer(signature), "--private-key")
    return private, configured.passphrase if configured else ""


def gpg_verification_key(config: Config, signature: str, public_key_file: str) -> bytes:
    """The armored OpenPGP keyring to verify ``signature`` with: the flag's file, else the
    configured public keyring, else the configured private keyring (its public keys), as Go."""
    from pyocm.config.credentials.lookups import gpg_signing_keys

    if public_key_file:
        return _read(public_key_file, "GPG public key")
    configured = gpg_signing_keys(config, signature)
    keyring = configured and (configured.public_key or configured.private_key)
    if not keyring:
        raise _no_key("GPG public key", signature, _gpg_consumer(signature), "--public-key")
    return keyring


def spec_file(path: str, signature: str, role: Literal["signer", "verifier"]) -> Mapping[str, Any]:
    """The typed signer or verifier specification (``role``) that the file ``path`` gives for
    signature ``signature``.

    The file holds a typed specification, a ``signing.config.ocm.software/v1alpha1`` entry, or
    a ``generic.config.ocm.software/v1`` document with such entries; entries are merged as in
    the OCM configuration (unscoped first, then those for ``signature``).  Raises
    :class:`~pyocm.errors.OCMError` naming the file when it is unreadable or gives no
    specification.
    """
    from pyocm._internal.documents import parse_document
    from pyocm.config.merge import flatten_document, signing_config
    from pyocm.config.model import GENERIC, SIGNING, Config, ConfigEntry, parse_type

    try:
        text = Path(path).read_bytes()
    except OSError as e:
        raise OCMError(
            f"reading {role} specification file {path!r} failed: {e.strerror or e}"
        ) from None
    document = parse_document(text, path)
    if not isinstance(document, Mapping):
        raise OCMError(f"{role} specification file {path!r} is not a typed object (no type)")
    kind = document.get("type")
    if not isinstance(kind, str) or not kind:
        raise OCMError(f"{role} specification file {path!r} is not a typed object (no type)")
    typ = parse_type(kind, f"{path}: type")
    if typ is None or not (typ.matches(GENERIC, "v1", "") or typ.matches(SIGNING, "v1alpha1", "")):
        return document  # a signer/verifier specification itself
    entries = (
        flatten_document(document, path)
        if typ.matches(GENERIC, "v1", "")
        else [ConfigEntry.from_data(document, path, "")]
    )
    configured = signing_config(Config(tuple(entries), (path,)), signature)
    spec: Mapping[str, Any] | None = None
    if configured is not None:
        spec = configured.signer if role == "signer" else configured.verifier
    if spec is None:
        raise OCMError(
            f"{role} specification file {path!r} configures no {role} for signature "
            f"{signature!r} ({SIGNING}/v1alpha1 entries with a {role!r} field)"
        )
    return spec
