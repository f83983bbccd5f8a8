"""Keys for ``ocm sign`` and ``ocm verify``: the library's :mod:`pyocm.configured_keys`, with
the command's flags as the key files and named in its messages.

    >>> from pyocm.cli.signing_keys import signing_keys          # doctest: +SKIP
    >>> key, chain = signing_keys(config, "default", "RSASSA-PSS", "", "")  # doctest: +SKIP
    >>> private, passphrase = gpg_signing_key(config, "default", "")       # doctest: +SKIP
    >>> spec_file("rsassa-pkcs1.yaml", "default", "signer")                # doctest: +SKIP
    {'type': 'RSASigningConfiguration/v1alpha1', 'signatureAlgorithm': 'RSASSA-PKCS1-V1_5'}

Keys come from the key files given as flags, else from the credentials of the configuration
(``RSA/v1alpha1`` with ``algorithm`` + ``signature`` for RSA, ``GPG/v1alpha1`` with
``signature`` for GPG); a missing key is an error naming the consumer to configure and the flag
(``--private-key``, ``--public-key``) that would give it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

    from pyocm.config.model import Config

_FLAGS = {"private_key_file": "--private-key", "public_key_file": "--public-key"}


@contextmanager
def _named_by_flags() -> Iterator[None]:
    """A missing key's error names the flag that gives it instead of the library argument."""
    from pyocm.configured_keys import MissingKey
    from pyocm.errors import CredentialsError

    try:
        yield
    except MissingKey as e:
        raise CredentialsError(e.explain(_FLAGS.get(e.argument, e.argument))) from None


def signing_keys(
    config: Config, signature: str, algorithm: str, private_key_file: str, public_key_file: str
) -> tuple[RSAPrivateKey, list[x509.Certificate]]:
    """The private key and the certificate chain (may be empty) to sign ``signature`` with."""
    from pyocm.configured_keys import rsa_signing_key

    with _named_by_flags():
        return rsa_signing_key(
            config,
            signature,
            algorithm,
            private_key_file=private_key_file,
            certificate_chain_file=public_key_file,
        )


def verification_keys(
    config: Config,
    signature: str,
    algorithm: str,
    public_key_file: str,
    ca_cert_files: tuple[str, ...],
) -> tuple[RSAPublicKey | None, list[x509.Certificate]]:
    """The public key and the trust anchors to verify ``signature`` with."""
    from pyocm.configured_keys import rsa_verification_key

    with _named_by_flags():
        return rsa_verification_key(
            config,
            signature,
            algorithm,
            public_key_file=public_key_file,
            ca_certificate_files=ca_cert_files,
        )


def gpg_signing_key(config: Config, signature: str, private_key_file: str) -> tuple[bytes, str]:
    """The armored OpenPGP secret keyring and its passphrase to sign ``signature`` with."""
    from pyocm.configured_keys import gpg_signing_key as library_gpg_signing_key

    with _named_by_flags():
        return library_gpg_signing_key(config, signature, private_key_file=private_key_file)


def gpg_verification_key(config: Config, signature: str, public_key_file: str) -> bytes:
    """The armored OpenPGP keyring to verify ``signature`` with."""
    from pyocm.configured_keys import gpg_verification_key as library_gpg_verification_key

    with _named_by_flags():
        return library_gpg_verification_key(config, signature, public_key_file=public_key_file)


def spec_file(path: str, signature: str, role: Literal["signer", "verifier"]) -> Mapping[str, Any]:
    """The typed signer or verifier specification (``role``) that the file ``path`` gives for
    signature ``signature`` (:func:`pyocm.configured_keys.read_spec_file`)."""
    from pyocm.configured_keys import read_spec_file

    return read_spec_file(path, signature, role)
