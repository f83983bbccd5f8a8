"""Signing and verification keys: from given files, else from the credentials of a configuration.

    >>> import pyocm
    >>> from cryptography.hazmat.primitives import serialization
    >>> from cryptography.hazmat.primitives.asymmetric import rsa
    >>> pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
    ...     serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
    ...     serialization.NoEncryption()).decode()
    >>> ctx = pyocm.Context.from_documents({"type": "generic.config.ocm.software/v1",
    ...     "configurations": [{"type": "credentials.config.ocm.software", "consumers": [{
    ...         "identity": {"type": "RSA/v1alpha1", "algorithm": "RSASSA-PSS",
    ...                      "signature": "acme"},
    ...         "credentials": [{"type": "Credentials/v1",
    ...                          "properties": {"privateKeyPEM": pem}}]}]}]})
    >>> key, chain = ctx.signing_key("acme")
    >>> key.key_size, chain
    (2048, [])
    >>> public, anchors = ctx.verification_key("acme")   # the public half of the private key
    >>> public.public_numbers() == key.public_key().public_numbers()
    True
    >>> ctx.signing_key("other")
    Traceback (most recent call last):
    ...
    pyocm.configured_keys.MissingKey: no private key for signature 'other': configure \
credentials for the consumer {type: RSA/v1alpha1, algorithm: RSASSA-PSS, signature: other} in \
the OCM configuration, or pass private_key_file

The keys are looked up as the Go v2 CLI looks them up: ``RSA/v1alpha1`` (consumer identity
``algorithm`` + ``signature``) for RSA, ``GPG/v1alpha1`` (``signature``) for GPG
(:mod:`pyocm.config.credentials.lookups`).  A file given as an argument wins over the
configuration.  :class:`pyocm.Context` offers the same as methods; the ``ocm sign`` and
``ocm verify`` commands call these functions with their ``--private-key``, ``--public-key``
and ``--ca-cert`` flags.

:func:`read_spec_file` reads signer and verifier specification files in every form the Go
CLIs use: a bare typed specification (``RSASigningConfiguration/v1alpha1``, GPG; Go v2 0.13.0),
a ``signing.config.ocm.software/v1alpha1`` entry, or a whole configuration file holding such
entries (the newer Go CLIs, which read the signer from the configuration).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pyocm.errors import CredentialsError, OCMError

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

    from pyocm.config.model import Config

__all__ = [
    "MissingKey",
    "gpg_signing_key",
    "gpg_verification_key",
    "read_spec_file",
    "rsa_signing_key",
    "rsa_verification_key",
]

KeyFile = str | Path | None
"""A key file given by the caller; None (or ``""``) for none."""


class MissingKey(CredentialsError):
    """A key that is neither configured nor given: names the consumer identity to configure
    and the argument (``private_key_file`` or ``public_key_file``) that would give it."""

    def __init__(self, what: str, signature: str, consumer: str, argument: str):
        self.what = what
        self.signature = signature
        self.consumer = consumer
        self.argument = argument
        super().__init__(self.explain(argument))

    def explain(self, argument: str) -> str:
        """The message, naming ``argument`` as the way to give the key (the CLI: its flag)."""
        return (
            f"no {self.what} for signature {self.signature!r}: configure credentials for the "
            f"consumer {self.consumer} in the OCM configuration, or pass {argument}"
        )


def _read(path: str | Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise CredentialsError(f"cannot read {what} {path}: {e.strerror or e}") from None


def _rsa_consumer(algorithm: str, signature: str) -> str:
    return f"{{type: RSA/v1alpha1, algorithm: {algorithm}, signature: {signature}}}"


def _gpg_consumer(signature: str) -> str:
    return f"{{type: GPG/v1alpha1, signature: {signature}}}"


def rsa_signing_key(
    config: Config,
    signature: str = "default",
    algorithm: str = "RSASSA-PSS",
    *,
    private_key_file: KeyFile = None,
    certificate_chain_file: KeyFile = None,
) -> tuple[RSAPrivateKey, list[x509.Certificate]]:
    """The private key and the certificate chain (may be empty) to sign ``signature`` with:
    the given files, else the keys configured for ``signature`` and ``algorithm``.

    Raises :class:`MissingKey` when there is no private key, and
    :class:`~pyocm.errors.CredentialsError` when a file cannot be read or holds no key.
    """
    from pyocm.config.credentials.lookups import rsa_signing_keys
    from pyocm.signing.keys import load_certificates, load_private_key

    configured = rsa_signing_keys(config, signature, algorithm)
    private_pem = (
        _read(private_key_file, "private key")
        if private_key_file
        else (configured.private_key_pem if configured else None)
    )
    if private_pem is None:
        raise MissingKey(
            "private key", signature, _rsa_consumer(algorithm, signature), "private_key_file"
        )
    public_pem = (
        _read(certificate_chain_file, "certificate chain")
        if certificate_chain_file
        else (configured.public_key_pem if configured else None)
    )
    chain = load_certificates(public_pem) if public_pem else []
    return load_private_key(private_pem), chain


def rsa_verification_key(
    config: Config,
    signature: str = "default",
    algorithm: str = "RSASSA-PSS",
    *,
    public_key_file: KeyFile = None,
    ca_certificate_files: Sequence[str | Path] = (),
) -> tuple[RSAPublicKey | None, list[x509.Certificate]]:
    """The public key and the trust anchors to verify ``signature`` with: the given files
    first, then the configured public key or certificates (which also serve as anchors for
    PEM signatures), then the public half of a configured private key.

    The key is None when only trust anchors are known (PEM signatures carry their chain).
    Raises :class:`MissingKey` when there is neither key nor anchor.
    """
    from pyocm.config.credentials.lookups import rsa_signing_keys
    from pyocm.signing.keys import load_certificates, load_private_key, load_public_key

    roots = [cert for path in ca_certificate_files for cert in load_certificates(_read(path, "CA"))]
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
    raise MissingKey(
        "public key", signature, _rsa_consumer(algorithm, signature), "public_key_file"
    )


def gpg_signing_key(
    config: Config, signature: str = "default", *, private_key_file: KeyFile = None
) -> tuple[bytes, str]:
    """The armored OpenPGP secret keyring and its passphrase to sign ``signature`` with: the
    given file (no passphrase unless configured), else the configured keyring.

    Raises :class:`MissingKey` when there is none.
    """
    from pyocm.config.credentials.lookups import gpg_signing_keys

    configured = gpg_signing_keys(config, signature)
    private = (
        _read(private_key_file, "GPG private key")
        if private_key_file
        else (configured.private_key if configured else None)
    )
    if private is None:
        raise MissingKey("GPG private key", signature, _gpg_consumer(signature), "private_key_file")
    return private, configured.passphrase if configured else ""


def gpg_verification_key(
    config: Config, signature: str = "default", *, public_key_file: KeyFile = None
) -> bytes:
    """The armored OpenPGP keyring to verify ``signature`` with: the given file, else the
    configured public keyring, else the configured private keyring (its public keys), as Go.

    Raises :class:`MissingKey` when there is none.
    """
    from pyocm.config.credentials.lookups import gpg_signing_keys

    if public_key_file:
        return _read(public_key_file, "GPG public key")
    configured = gpg_signing_keys(config, signature)
    keyring = configured and (configured.public_key or configured.private_key)
    if not keyring:
        raise MissingKey("GPG public key", signature, _gpg_consumer(signature), "public_key_file")
    return keyring


def read_spec_file(
    path: str | Path, signature: str, role: Literal["signer", "verifier"]
) -> Mapping[str, Any]:
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

    path = str(path)
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
