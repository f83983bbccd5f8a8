"""``DockerConfig/v1`` credential repositories: docker's ``config.json`` and credential helpers.

    >>> from pyocm.config.credentials.docker import DockerConfigRepository
    >>> repo = DockerConfigRepository(docker_config='{"auths": {"https://ghcr.io": '
    ...                               '{"auth": "bWU6czNjcmV0"}}}')
    >>> repo.resolve({"type": "OCIRegistry", "hostname": "ghcr.io"})
    OCICredentials(username='me', password=..., access_token='', refresh_token='')
    >>> repo.resolve({"type": "OCIRegistry", "hostname": "quay.io"}) is None
    True

As the Go v2 CLI resolves them (``bindings/go/oci/credentials/docker_config.go`` over
oras-go v2.6.2's credential store):

* the repository names a file (``dockerConfigFile``; every ``~`` in it is replaced by the home
  directory; a missing file is an empty store, with a warning), inline JSON (``dockerConfig``;
  only its ``auths`` are used), or neither: then docker's own ``$DOCKER_CONFIG/config.json`` or
  ``~/.docker/config.json``, and when that configures nothing, the platform's default helper
  (``pass`` or ``secretservice`` on Linux, ``osxkeychain``, ``wincred``) if it is installed;
* only ``OCIRegistry`` lookups with a ``hostname`` are answered; ``docker.io`` is looked up as
  ``index.docker.io``; when nothing is found and the request has a port, ``host:port`` is
  tried as well;
* for a server, a ``credHelpers`` entry names its helper, else ``credsStore`` names one for all;
  without a helper the ``auths`` entry is used: the key as written, else the first key whose
  host (without ``http(s)://`` and path) is the server.  An entry's ``auth`` is base64 of
  ``user:password`` and overrides ``username``/``password``; ``identitytoken`` becomes the
  refresh token and ``registrytoken`` the access token;
* a helper is the program ``docker-credential-<name>`` on ``PATH``, run as ``<program> get``
  with the server address on stdin; it prints ``{"ServerURL", "Username", "Secret"}`` (a
  ``Username`` of ``<token>`` makes the secret a refresh token) or fails with
  ``credentials not found in native keychain`` for "none".  A missing helper or any other
  failure is an error (Go fails the command too); helpers run one at a time.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import shutil
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyocm.config.credentials.identity import HOSTNAME, OCI_REGISTRY, PORT, TYPE, Identity
from pyocm.config.credentials.typed import OCICredentials
from pyocm.errors import CredentialsError

__all__ = ["DockerConfigRepository", "helper_program"]

_log = logging.getLogger("pyocm.config")

NOT_FOUND_MESSAGE = "credentials not found in native keychain"
_TOKEN_USERNAME = "<token>"
_helper_lock = threading.Lock()


def helper_program(name: str) -> str:
    """The program of the docker credential helper ``name``: ``docker-credential-<name>``."""
    return f"docker-credential-{name}"


def _to_hostname(address: str) -> str:
    address = address.removeprefix("http://").removeprefix("https://")
    return address.split("/", 1)[0]


def _field(entry: Mapping[str, Any], name: str) -> Any:
    """The value Go's JSON decoder puts into field ``name`` (case-insensitive, last wins)."""
    found: Any = None
    for key, value in entry.items():
        if key == name or key.casefold() == name.casefold():
            found = value
    return found


def _string(entry: Mapping[str, Any], name: str, where: str) -> str:
    value = _field(entry, name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CredentialsError(f"{where}: {name} must be a string")
    return value


def _decode_auth(entry: Any, where: str) -> OCICredentials:
    if not isinstance(entry, Mapping):
        raise CredentialsError(f"{where}: must be a JSON object")
    username = _string(entry, "username", where)
    password = _string(entry, "password", where)
    auth = _string(entry, "auth", where)
    if auth:
        try:
            decoded = base64.b64decode(auth.replace("\r", "").replace("\n", ""), validate=True)
        except (binascii.Error, ValueError):
            raise CredentialsError(f"{where}: auth is not valid base64") from None
        text = decoded.decode("utf-8", errors="replace")
        if ":" not in text:
            raise CredentialsError(
                f"{where}: auth does not conform to the base64(username:password) format"
            )
        username, password = text.split(":", 1)
    return OCICredentials(
        username,
        password,
        access_token=_string(entry, "registrytoken", where),
        refresh_token=_string(entry, "identitytoken", where),
    )


@dataclass(frozen=True)
class _DockerStore:
    """A loaded docker config: ``auths`` as written, and the helpers it names."""

    source: str
    auths: Mapping[str, Any] = field(default_factory=dict)
    creds_store: str = ""
    cred_helpers: Mapping[str, str] = field(default_factory=dict)
    default_helper: str = ""

    def helper_for(self, server: str) -> str:
        return self.cred_helpers.get(server) or self.creds_store or self.default_helper

    def get(self, server: str) -> OCICredentials:
        helper = self.helper_for(server)
        if helper:
            return _run_helper(helper, server, self.source)
        if server in self.auths:
            return _decode_auth(self.auths[server], f'{self.source}: auths["{server}"]')
        for key, entry in self.auths.items():
            if _to_hostname(key) == server:
                return _decode_auth(entry, f'{self.source}: auths["{key}"]')
        return OCICredentials()


def _run_helper(helper: str, server: str, source: str) -> OCICredentials:
    """Ask the docker credential helper ``helper`` for ``server`` (the ``get`` protocol)."""
    import subprocess

    program = helper_program(helper)
    found = shutil.which(program)
    if found is None:
        raise CredentialsError(
            f'docker credential helper "{program}" (configured in {source}) was not found on PATH'
        )
    with _helper_lock:
        try:
            done = subprocess.run(
                [found, "get"], input=server.encode(), stdout=subprocess.PIPE, check=False
            )
        except OSError as e:
            raise CredentialsError(
                f'could not run docker credential helper "{program}": {e}'
            ) from None
    output = done.stdout.decode("utf-8", errors="replace").strip()
    if done.returncode != 0:
        if output == NOT_FOUND_MESSAGE:
            return OCICredentials()
        reason = output or f"exit status {done.returncode}"
        raise CredentialsError(
            f'docker credential helper "{program}" failed to get credentials for {server}: {reason}'
        )
    try:
        answer = json.loads(output)
    except ValueError:
        raise CredentialsError(
            f'docker credential helper "{program}" returned invalid JSON for {server}'
        ) from None
    if not isinstance(answer, Mapping):
        raise CredentialsError(
            f'docker credential helper "{program}" returned no JSON object for {server}'
        )
    where = f'docker credential helper "{program}"'
    username, secret = _string(answer, "Username", where), _string(answer, "Secret", where)
    if username == _TOKEN_USERNAME:
        return OCICredentials(refresh_token=secret)
    return OCICredentials(username, secret)


def _home() -> str:
    home = os.environ.get("USERPROFILE" if sys.platform == "win32" else "HOME", "")
    if not home:
        raise CredentialsError("failed to get user home directory: $HOME is not defined")
    return home


def _platform_helper() -> str:
    """The default credential helper of this platform, if it is installed."""
    if sys.platform == "darwin":
        name = "osxkeychain"
    elif sys.platform == "win32":
        name = "wincred"
    elif sys.platform.startswith("linux"):
        name = "pass" if shutil.which("pass") else "secretservice"
    else:
        return ""
    return name if shutil.which(helper_program(name)) else ""


def _parse(text: str, source: str, *, inline: bool) -> _DockerStore:
    stripped = text.lstrip()
    if not stripped:
        return _DockerStore(source)
    try:
        document, _ = json.JSONDecoder().raw_decode(stripped)
    except ValueError as e:
        raise CredentialsError(f"{source}: invalid docker config: {e}") from None
    if not isinstance(document, Mapping):
        raise CredentialsError(f"{source}: invalid docker config: not a JSON object")
    auths = document.get("auths")
    if auths is not None and not isinstance(auths, Mapping):
        raise CredentialsError(f"{source}: invalid docker config: auths must be an object")
    if inline:
        return _DockerStore(source, auths or {})
    creds_store = document.get("credsStore")
    if creds_store is not None and not isinstance(creds_store, str):
        raise CredentialsError(f"{source}: invalid docker config: credsStore must be a string")
    helpers = document.get("credHelpers")
    if helpers is not None and (
        not isinstance(helpers, Mapping) or not all(isinstance(v, str) for v in helpers.values())
    ):
        raise CredentialsError(
            f"{source}: invalid docker config: credHelpers must map registries to helper names"
        )
    return _DockerStore(source, auths or {}, creds_store or "", helpers or {})


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as e:
        raise CredentialsError(f"failed to open docker config file at {path}: {e}") from None


@dataclass(frozen=True)
class DockerConfigRepository:
    """A ``DockerConfig/v1`` repository entry of a ``credentials.config.ocm.software`` config."""

    docker_config_file: str = ""
    """Path of a docker ``config.json``; ``~`` is the home directory."""
    docker_config: str = ""
    """Inline docker config JSON (only ``auths`` are used); wins over the file."""
    where: str = ""
    """The configuration entry this came from, for messages."""

    def _store(self) -> _DockerStore:
        if self.docker_config:
            return _parse(self.docker_config, f"inline docker config of {self.where}", inline=True)
        if self.docker_config_file:
            path = self.docker_config_file
            if "~" in path:
                path = path.replace("~", _home())
            text = _read(Path(path))
            if text is None:
                _log.warning(
                    "failed to find docker config file, thus the config will not offer any "
                    "credentials",
                    extra={"path": path},
                )
                return _DockerStore(path)
            return _parse(text, path, inline=False)
        directory = os.environ.get("DOCKER_CONFIG") or str(Path(_home()) / ".docker")
        path = str(Path(directory) / "config.json")
        text = _read(Path(path))
        store = _parse(text or "", path, inline=False)
        if not (store.auths or store.creds_store or store.cred_helpers):
            return _DockerStore(path, default_helper=_platform_helper())
        return store

    def resolve(self, identity: Identity) -> OCICredentials | None:
        """Credentials for an ``OCIRegistry`` identity; None when there are none.

        Raises :class:`~pyocm.errors.CredentialsError` when the docker config is malformed or
        a credential helper is missing or fails.
        """
        if identity.get(TYPE) != OCI_REGISTRY or not identity.get(HOSTNAME):
            return None
        store = self._store()
        server = identity[HOSTNAME]
        if server == "docker.io":
            server = "index.docker.io"
        found = store.get(server)
        if found.is_empty and identity.get(PORT):
            found = store.get(f"{server}:{identity[PORT]}")
        return None if found.is_empty else found
