"""``.ocmconfig``: discovery, merging and credentials, as the Go v2 ``ocm`` CLI does them.

    >>> import pyocm.config as cfg
    >>> config = cfg.load_config(["~/.ocmconfig"])                                # doctest: +SKIP
    >>> cfg.oci_credentials(config, "ghcr.io", path="acme/components")            # doctest: +SKIP
    OCICredentials(username='acme', password=..., access_token='', refresh_token='')
    >>> cfg.rsa_signing_keys(config, "default", "RSASSA-PSS").private_key_pem     # doctest: +SKIP
    b'-----BEGIN PRIVATE KEY-----...'
    >>> quay = {"type": "OCIRegistry", "hostname": "quay.io"}
    >>> cfg.resolve_credentials(config, quay)                                     # doctest: +SKIP
    {'username': 'me', 'password': '...'}
    >>> cfg.Config().entries
    ()

The pieces: :mod:`~pyocm.config.discovery` (where files are found, reading them),
:mod:`~pyocm.config.merge` (flattening, and each entry type's merge rule),
:mod:`~pyocm.config.httpconfig`, :mod:`~pyocm.config.autoconfig` (first-start docker config
pick-up), :mod:`~pyocm.config.startup` (what ``ocm`` does before a command),
:mod:`~pyocm.config.effective` (``ocm get config``) and :mod:`pyocm.config.credentials`
(identities, the credential store, docker config and credential helpers, typed credentials).
The names below are imported on first use, so ``import pyocm.config`` loads no YAML.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyocm.config.autoconfig import auto_configure
    from pyocm.config.credentials.identity import matches, oci_registry_identity
    from pyocm.config.credentials.lookups import (
        RSAKeys,
        oci_credentials,
        oci_credentials_provider,
        rsa_signing_keys,
    )
    from pyocm.config.credentials.store import CredentialStore, resolve_credentials
    from pyocm.config.credentials.typed import Credentials, OCICredentials
    from pyocm.config.discovery import Environment, discover_config_paths, load_config
    from pyocm.config.effective import effective_config, render_config
    from pyocm.config.httpconfig import http_config
    from pyocm.config.merge import (
        filesystem_config,
        signing_config,
        transfer_config,
        version_check_policy,
    )
    from pyocm.config.model import Config, ConfigEntry
    from pyocm.config.startup import startup_config

_EXPORTS = {
    "Config": "pyocm.config.model",
    "ConfigEntry": "pyocm.config.model",
    "Environment": "pyocm.config.discovery",
    "discover_config_paths": "pyocm.config.discovery",
    "load_config": "pyocm.config.discovery",
    "auto_configure": "pyocm.config.autoconfig",
    "startup_config": "pyocm.config.startup",
    "effective_config": "pyocm.config.effective",
    "render_config": "pyocm.config.effective",
    "http_config": "pyocm.config.httpconfig",
    "filesystem_config": "pyocm.config.merge",
    "signing_config": "pyocm.config.merge",
    "transfer_config": "pyocm.config.merge",
    "version_check_policy": "pyocm.config.merge",
    "CredentialStore": "pyocm.config.credentials.store",
    "resolve_credentials": "pyocm.config.credentials.store",
    "Credentials": "pyocm.config.credentials.typed",
    "OCICredentials": "pyocm.config.credentials.typed",
    "RSAKeys": "pyocm.config.credentials.lookups",
    "oci_credentials": "pyocm.config.credentials.lookups",
    "oci_credentials_provider": "pyocm.config.credentials.lookups",
    "rsa_signing_keys": "pyocm.config.credentials.lookups",
    "matches": "pyocm.config.credentials.identity",
    "oci_registry_identity": "pyocm.config.credentials.identity",
}

__all__ = [
    "Config",
    "ConfigEntry",
    "CredentialStore",
    "Credentials",
    "Environment",
    "OCICredentials",
    "RSAKeys",
    "auto_configure",
    "discover_config_paths",
    "effective_config",
    "filesystem_config",
    "http_config",
    "load_config",
    "matches",
    "oci_credentials",
    "oci_credentials_provider",
    "oci_registry_identity",
    "render_config",
    "resolve_credentials",
    "rsa_signing_keys",
    "signing_config",
    "startup_config",
    "transfer_config",
    "version_check_policy",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
