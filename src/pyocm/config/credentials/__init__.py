"""Credentials from ``.ocmconfig``: consumer identities, the store, docker config, typed payloads.

    >>> from pyocm.config.credentials import matches
    >>> matches({"type": "OCIRegistry", "hostname": "ghcr.io", "port": "443", "scheme": "https"},
    ...         {"type": "OCIRegistry", "hostname": "ghcr.io", "scheme": "https"})
    True

:mod:`~pyocm.config.credentials.identity` (identities and matching),
:mod:`~pyocm.config.credentials.store` (the store built from the configuration),
:mod:`~pyocm.config.credentials.docker` (``DockerConfig/v1``, credential helpers),
:mod:`~pyocm.config.credentials.typed` (``Credentials/v1`` and typed payloads) and
:mod:`~pyocm.config.credentials.lookups` (OCI registry credentials, RSA and GPG signing keys).
"""

from __future__ import annotations

from pyocm.config.credentials.identity import canonical, matches, oci_registry_identity, path_match
from pyocm.config.credentials.lookups import (
    GPGKeys,
    RSAKeys,
    gpg_signing_keys,
    oci_credentials,
    rsa_signing_keys,
)
from pyocm.config.credentials.store import CredentialStore, resolve_credentials
from pyocm.config.credentials.typed import (
    Credentials,
    GPGCredentials,
    OCICredentials,
    RSACredentials,
)

__all__ = [
    "CredentialStore",
    "Credentials",
    "GPGCredentials",
    "GPGKeys",
    "OCICredentials",
    "RSACredentials",
    "RSAKeys",
    "canonical",
    "gpg_signing_keys",
    "matches",
    "oci_credentials",
    "oci_registry_identity",
    "path_match",
    "resolve_credentials",
    "rsa_signing_keys",
]
