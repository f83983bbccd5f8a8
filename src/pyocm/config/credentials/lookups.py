"""Credentials for the consumers pyocm has: OCI registries, RSA and GPG signing keys.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from pyocm.config.credentials.lookups import oci_credentials, rsa_signing_keys
    >>> from pyocm.config.discovery import load_config
    >>> config_file = Path(tempfile.mkdtemp()) / "ocmconfig.yaml"
    >>> _ = config_file.write_text('''
    ... type: generic.config.ocm.software/v1
    ... configurations:
    ... - type: credentials.config.ocm.software
    ...   consumers:
    ...   - identity: {type: OCIRegistry, hostname: localhost, port: 5000, scheme: http}
    ...     credentials: [{type: OCICredentials/v1, username: admin, password: pw}]
    ...   - identity: {type: RSA/v1alpha1, algorithm: RSASSA-PSS, signature: default}
    ...     credentials: [{type: RSACredentials/v1, privateKeyPEM: "-----BEGIN..."}]
    ... ''')
    >>> config = load_config([config_file])
    >>> oci_credentials(config, "localhost", 5000).username
    'admin'
    >>> oci_credentials(config, "localhost", 5001) is None
    True
    >>> rsa_signing_keys(config, "default", "RSASSA-PSS").private_key_pem
    b'-----BEGIN...'

:func:`oci_credentials` asks for the ``OCIRegistry`` identity of a registry request
(``hostname``, and ``port``, ``scheme``, ``path`` when known), as the Go OCI repository does;
the answer may come from the docker config.  :func:`rsa_signing_keys` asks for
``{type: RSA/v1alpha1, algorithm, signature}`` (spec-core §5.7): inline PEM wins over a PEM
file, and relative file paths are relative to the working directory of the process, not to the
configuration file, as in Go.  A missing public key is not derived here; the signer derives it
from the private key.  :func:`gpg_signing_keys` asks for ``{type: GPG/v1alpha1, signature}``
(the Go GPG handler's identity) with the same rules for armored OpenPGP keyrings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pyocm.config.credentials.identity import HOSTNAME, OCI_REGISTRY, PATH, PORT, SCHEME, TYPE
from pyocm.config.credentials.typed import (
    OCICredentials,
    to_gpg_credentials,
    to_oci_credentials,
    to_rsa_credentials,
)
from pyocm.config.model import Config
from pyocm.errors import CredentialsError

__all__ = [
    "GPG_IDENTITY_TYPE",
    "RSA_IDENTITY_TYPE",
    "GPGKeys",
    "RSAKeys",
    "gpg_signing_keys",
    "oci_credentials",
    "oci_credentials_provider",
    "rsa_signing_keys",
]

RSA_IDENTITY_TYPE = "RSA/v1alpha1"
"""The consumer identity type of RSA signing keys (what the Go RSA handler asks for)."""
GPG_IDENTITY_TYPE = "GPG/v1alpha1"
"""The consumer identity type of GPG keys (what the Go GPG handler asks for)."""


def oci_credentials(
    config: Config,
    host: str,
    port: str | int | None = None,
    path: str = "",
    scheme: str = "",
) -> OCICredentials | None:
    """The credentials for the OCI registry ``host`` (None: go on anonymously).

    ``port`` and ``scheme`` only when the reference names them (``https`` matches entries for
    port 443 and vice versa); ``path`` is the repository path below the registry, e.g.
    ``acme/components``.  Raises :class:`~pyocm.errors.CredentialsError` when the credentials
    configuration is malformed or a docker credential helper fails.
    """
    identity = {TYPE: OCI_REGISTRY, HOSTNAME: host}
    if port not in (None, ""):
        identity[PORT] = str(port)
    if scheme:
        identity[SCHEME] = scheme
    if path:
        identity[PATH] = path.removeprefix("/")
    found = config.credentials.resolve(identity)
    return None if found is None else to_oci_credentials(found)


def _split_host(host: str) -> tuple[str, str]:
    """``name`` and ``port`` of ``host[:port]`` (``[v6]:port`` too; port empty when absent)."""
    if host.startswith("["):
        close = host.find("]")
        if close != -1:
            rest = host[close + 1 :]
            return host[1:close], rest[1:] if rest.startswith(":") else ""
    name, colon, port = host.rpartition(":")
    if colon and port.isdigit() and ":" not in name:
        return name, port
    return host, ""


def oci_credentials_provider(
    config: Config, *, path: str = "", scheme: str = ""
) -> Callable[[str], OCICredentials | None]:
    """A credentials provider for the registry client: ``host[:port]`` to credentials.

    ``path`` and ``scheme`` are those of the repository being accessed (they take part in
    matching); the result fits :data:`pyocm.oci.auth.CredentialsProvider`.
    """

    def provide(host: str) -> OCICredentials | None:
        name, port = _split_host(host)
        return oci_credentials(config, name, port or None, path, scheme)

    return provide


@dataclass(frozen=True)
class RSAKeys:
    """PEM bytes of a signing key pair as configured (either may be missing)."""

    private_key_pem: bytes | None = field(default=None, repr=False)
    """A PKCS#1 or PKCS#8 private key."""
    public_key_pem: bytes | None = None
    """A public key or certificate chain (for PEM signatures the chain, or the trust anchor)."""


def _load(inline: str, file: str, what: str, form: str = "PEM") -> bytes | None:
    if inline:
        return inline.encode()
    if not file:
        return None
    try:
        return Path(file).read_bytes()
    except OSError as e:
        raise CredentialsError(
            f"failed loading {what} {form} from {file}: {e.strerror or e}"
        ) from None


def rsa_signing_keys(
    config: Config, signature_name: str = "default", algorithm: str = "RSASSA-PSS"
) -> RSAKeys | None:
    """The RSA keys configured for signature ``signature_name`` and ``algorithm``.

    None when no consumer ``{type: RSA/v1alpha1, algorithm, signature}`` matches.  Raises
    :class:`~pyocm.errors.CredentialsError` when a key file cannot be read or the matching
    credentials are of another kind.
    """
    identity = {TYPE: RSA_IDENTITY_TYPE, "algorithm": algorithm, "signature": signature_name}
    found = config.credentials.resolve(identity)
    if found is None:
        return None
    keys = to_rsa_credentials(found)
    return RSAKeys(
        _load(keys.private_key_pem, keys.private_key_pem_file, "private key"),
        _load(keys.public_key_pem, keys.public_key_pem_file, "public key"),
    )


@dataclass(frozen=True)
class GPGKeys:
    """Armored OpenPGP keyrings as configured (either may be missing) and the passphrase."""

    private_key: bytes | None = field(default=None, repr=False)
    """A secret keyring; its first key signs unless a fingerprint picks another."""
    public_key: bytes | None = None
    """A public keyring for verification."""
    passphrase: str = field(default="", repr=False)
    """Unlocks a passphrase-protected private key."""


def gpg_signing_keys(config: Config, signature_name: str = "default") -> GPGKeys | None:
    """The GPG keys configured for signature ``signature_name``.

    None when no consumer ``{type: GPG/v1alpha1, signature}`` matches.  Raises
    :class:`~pyocm.errors.CredentialsError` when a key file cannot be read or the matching
    credentials are of another kind.
    """
    identity = {TYPE: GPG_IDENTITY_TYPE, "signature": signature_name}
    found = config.credentials.resolve(identity)
    if found is None:
        return None
    keys = to_gpg_credentials(found)
    return GPGKeys(
        _load(keys.private_key_pgp, keys.private_key_pgp_file, "GPG private key", "keyring"),
        _load(keys.public_key_pgp, keys.public_key_pgp_file, "GPG public key", "keyring"),
        keys.passphrase,
    )
