"""Credential payloads: ``Credentials/v1`` properties and the typed forms the Go v2 CLI knows.

    >>> from pyocm.config.credentials.typed import (
    ...     Credentials, to_oci_credentials, to_rsa_credentials)
    >>> direct = Credentials("Credentials/v1", {"username": "me", "password": "secret"})
    >>> to_oci_credentials(direct)
    OCICredentials(username='me', password=..., access_token='', refresh_token='')
    >>> keys = Credentials("Credentials/v1", {"private_key_pem_file": "key.pem"})
    >>> to_rsa_credentials(keys).private_key_pem_file
    'key.pem'

A consumer's credentials are either ``Credentials/v1`` (alias ``Credentials``,
``DirectCredentials/v1``, ``DirectCredentials``) with free-form string ``properties``, or one of
the typed payloads below whose fields sit beside ``type`` (each also accepted unversioned):

==============================  ==================================================================
``OCICredentials/v1``           ``username password accessToken refreshToken``
``HelmHTTPCredentials/v1``      ``username password certFile keyFile keyring``
``WgetCredentials/v1``          ``username password identityToken certificate privateKey
                                certificateAuthority``
``GitHubCredentials/v1``        ``token``
``RSACredentials/v1``           ``publicKeyPEM publicKeyPEMFile privateKeyPEM privateKeyPEMFile``
``GPGCredentials/v1alpha1``     ``privateKeyPGP privateKeyPGPFile publicKeyPGP publicKeyPGPFile
                                passphrase``
``OIDCIdentityToken/v1alpha1``  ``token tokenFile``
``TrustedRoot/v1alpha1``        ``trustedRootJSON trustedRootJSONFile``
==============================  ==================================================================

A consumer reads ``Credentials/v1`` properties under the same names (RSA also under the legacy
``private_key_pem``, ``private_key_pem_file``, ``public_key_pem``, ``public_key_pem_file``,
the camelCase name winning when both are set).  The ``to_*`` functions convert resolved
credentials for one consumer as Go's ``ConvertTo...Credentials`` do, and fail for credentials
of another typed kind.  The repr of every payload hides secrets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pyocm.errors import CredentialsError

__all__ = [
    "CREDENTIAL_PLUGIN_TYPES",
    "DIRECT_TYPES",
    "PROPERTY_KEYS",
    "TYPED_CREDENTIALS",
    "Credentials",
    "CredentialsKind",
    "GPGCredentials",
    "GitHubCredentials",
    "HelmHTTPCredentials",
    "OCICredentials",
    "RSACredentials",
    "WgetCredentials",
    "to_github_credentials",
    "to_gpg_credentials",
    "to_helm_http_credentials",
    "to_oci_credentials",
    "to_rsa_credentials",
    "to_wget_credentials",
]


@dataclass(frozen=True)
class CredentialsKind:
    """A typed credential payload: its type and the string fields beside ``type``."""

    name: str
    version: str
    fields: tuple[str, ...]

    @property
    def type(self) -> str:
        """The canonical type string, e.g. ``OCICredentials/v1``."""
        return f"{self.name}/{self.version}"


_KINDS = (
    CredentialsKind(
        "OCICredentials", "v1", ("username", "password", "accessToken", "refreshToken")
    ),
    CredentialsKind(
        "HelmHTTPCredentials", "v1", ("username", "password", "certFile", "keyFile", "keyring")
    ),
    CredentialsKind(
        "WgetCredentials",
        "v1",
        (
            "username",
            "password",
            "identityToken",
            "certificate",
            "privateKey",
            "certificateAuthority",
        ),
    ),
    CredentialsKind("GitHubCredentials", "v1", ("token",)),
    CredentialsKind(
        "RSACredentials",
        "v1",
        ("publicKeyPEM", "publicKeyPEMFile", "privateKeyPEM", "privateKeyPEMFile"),
    ),
    CredentialsKind(
        "GPGCredentials",
        "v1alpha1",
        ("privateKeyPGP", "privateKeyPGPFile", "publicKeyPGP", "publicKeyPGPFile", "passphrase"),
    ),
    CredentialsKind("OIDCIdentityToken", "v1alpha1", ("token", "tokenFile")),
    CredentialsKind("TrustedRoot", "v1alpha1", ("trustedRootJSON", "trustedRootJSONFile")),
)

TYPED_CREDENTIALS: Mapping[str, CredentialsKind] = MappingProxyType(
    {alias: kind for kind in _KINDS for alias in (kind.type, kind.name)}
)
"""Typed payloads by every type string they are accepted under."""

DIRECT = "Credentials/v1"
DIRECT_TYPES = frozenset(
    {"Credentials/v1", "Credentials", "DirectCredentials/v1", "DirectCredentials"}
)
"""The type strings of ``Credentials/v1`` (free-form ``properties``)."""

CREDENTIAL_PLUGIN_TYPES = frozenset(
    {"OIDCIdentityTokenProvider", "OIDCIdentityTokenProvider/v1alpha1"}
)
"""Credential entries that name a credential plugin of the Go CLI, which pyocm does not have."""

_OCI = ("username", "password", "accessToken", "refreshToken")
_RSA_LEGACY = ("public_key_pem", "public_key_pem_file", "private_key_pem", "private_key_pem_file")
_RSA = (*TYPED_CREDENTIALS["RSACredentials"].fields, *_RSA_LEGACY)
_GPG = TYPED_CREDENTIALS["GPGCredentials"].fields

PROPERTY_KEYS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "OCIRegistry": frozenset(_OCI),
        "OCIRegistry/v1": frozenset(_OCI),
        "HelmChartRepository": frozenset((*TYPED_CREDENTIALS["HelmHTTPCredentials"].fields, *_OCI)),
        "HelmChartRepository/v1": frozenset(
            (*TYPED_CREDENTIALS["HelmHTTPCredentials"].fields, *_OCI)
        ),
        "Wget": frozenset(TYPED_CREDENTIALS["WgetCredentials"].fields),
        "Wget/v1": frozenset(TYPED_CREDENTIALS["WgetCredentials"].fields),
        "GitHubRepository": frozenset(("token",)),
        "RSA": frozenset(_RSA),
        "RSA/v1": frozenset(_RSA),
        "RSA/v1alpha1": frozenset(_RSA),
        "GPG": frozenset(_GPG),
        "GPG/v1alpha1": frozenset(_GPG),
        "SigstoreSigner": frozenset(("token", "tokenFile")),
        "SigstoreSigner/v1alpha1": frozenset(("token", "tokenFile")),
        "SigstoreVerifier": frozenset(("trustedRootJSON", "trustedRootJSONFile")),
        "SigstoreVerifier/v1alpha1": frozenset(("trustedRootJSON", "trustedRootJSONFile")),
    }
)
"""The ``Credentials/v1`` property names each consumer identity type reads."""


@dataclass(frozen=True)
class Credentials:
    """Resolved credentials: the payload type and its string properties (JSON field names)."""

    type: str
    """``Credentials/v1`` for properties, else the canonical typed type (``OCICredentials/v1``)."""
    properties: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def is_direct(self) -> bool:
        """Whether these are ``Credentials/v1`` properties rather than a typed payload."""
        return self.type == DIRECT


def _convert(credentials: Credentials, kind: str, purpose: str) -> Mapping[str, str]:
    if credentials.is_direct or credentials.type == TYPED_CREDENTIALS[kind].type:
        return credentials.properties
    raise CredentialsError(f"unsupported credential type {credentials.type} for {purpose}")


@dataclass(frozen=True)
class OCICredentials:
    """Credentials for an OCI registry: basic auth, or tokens (which take precedence)."""

    username: str = ""
    password: str = field(default="", repr=False)
    access_token: str = field(default="", repr=False)
    """A registry (bearer) token, sent as is."""
    refresh_token: str = field(default="", repr=False)
    """An identity / OAuth2 refresh token, exchanged for an access token."""

    def __repr__(self) -> str:
        hidden = ", ".join(
            f"{name}={'...' if getattr(self, name) else repr('')}"
            for name in ("password", "access_token", "refresh_token")
        )
        return f"OCICredentials(username={self.username!r}, {hidden})"

    @property
    def is_empty(self) -> bool:
        """Whether no field is set (anonymous access)."""
        return not (self.username or self.password or self.access_token or self.refresh_token)


def to_oci_credentials(credentials: Credentials) -> OCICredentials:
    """``OCICredentials/v1`` or ``Credentials/v1`` as OCI registry credentials."""
    p = _convert(credentials, "OCICredentials", "OCI registry access")
    return OCICredentials(
        p.get("username", ""),
        p.get("password", ""),
        p.get("accessToken", ""),
        p.get("refreshToken", ""),
    )


@dataclass(frozen=True)
class RSACredentials:
    """RSA key material: inline PEM or PEM file paths (inline wins)."""

    public_key_pem: str = ""
    public_key_pem_file: str = ""
    private_key_pem: str = field(default="", repr=False)
    private_key_pem_file: str = ""


def _either(properties: Mapping[str, str], key: str, legacy: str) -> str:
    return properties.get(key) or properties.get(legacy, "")


def to_rsa_credentials(credentials: Credentials) -> RSACredentials:
    """``RSACredentials/v1`` or ``Credentials/v1`` (camelCase or legacy snake_case keys)."""
    p = _convert(credentials, "RSACredentials", "RSA signing")
    return RSACredentials(
        _either(p, "publicKeyPEM", "public_key_pem"),
        _either(p, "publicKeyPEMFile", "public_key_pem_file"),
        _either(p, "privateKeyPEM", "private_key_pem"),
        _either(p, "privateKeyPEMFile", "private_key_pem_file"),
    )


@dataclass(frozen=True)
class HelmHTTPCredentials:
    """Credentials for a helm chart repository over HTTP(S)."""

    username: str = ""
    password: str = field(default="", repr=False)
    cert_file: str = ""
    key_file: str = ""
    keyring: str = ""


def to_helm_http_credentials(credentials: Credentials) -> HelmHTTPCredentials:
    """``HelmHTTPCredentials/v1`` or ``Credentials/v1`` as helm repository credentials."""
    p = _convert(credentials, "HelmHTTPCredentials", "helm HTTP transport")
    return HelmHTTPCredentials(
        p.get("username", ""),
        p.get("password", ""),
        p.get("certFile", ""),
        p.get("keyFile", ""),
        p.get("keyring", ""),
    )


@dataclass(frozen=True)
class WgetCredentials:
    """Credentials for a ``wget`` access: basic auth, a token, or a client certificate."""

    username: str = ""
    password: str = field(default="", repr=False)
    identity_token: str = field(default="", repr=False)
    certificate: str = ""
    private_key: str = field(default="", repr=False)
    certificate_authority: str = ""


def to_wget_credentials(credentials: Credentials) -> WgetCredentials:
    """``WgetCredentials/v1`` or ``Credentials/v1`` as wget credentials."""
    p = _convert(credentials, "WgetCredentials", "wget access")
    return WgetCredentials(
        p.get("username", ""),
        p.get("password", ""),
        p.get("identityToken", ""),
        p.get("certificate", ""),
        p.get("privateKey", ""),
        p.get("certificateAuthority", ""),
    )


@dataclass(frozen=True)
class GitHubCredentials:
    """A GitHub token."""

    token: str = field(default="", repr=False)


def to_github_credentials(credentials: Credentials) -> GitHubCredentials:
    """``GitHubCredentials/v1`` or ``Credentials/v1`` as a GitHub token."""
    return GitHubCredentials(
        _convert(credentials, "GitHubCredentials", "github access").get("token", "")
    )


@dataclass(frozen=True)
class GPGCredentials:
    """OpenPGP key material: inline armored keyrings or file paths (inline wins), and the
    passphrase of a protected private key."""

    private_key_pgp: str = field(default="", repr=False)
    private_key_pgp_file: str = ""
    public_key_pgp: str = ""
    public_key_pgp_file: str = ""
    passphrase: str = field(default="", repr=False)


def to_gpg_credentials(credentials: Credentials) -> GPGCredentials:
    """``GPGCredentials/v1alpha1`` or ``Credentials/v1`` as GPG key material."""
    p = _convert(credentials, "GPGCredentials", "GPG signing")
    return GPGCredentials(
        p.get("privateKeyPGP", ""),
        p.get("privateKeyPGPFile", ""),
        p.get("publicKeyPGP", ""),
        p.get("publicKeyPGPFile", ""),
        p.get("passphrase", ""),
    )
