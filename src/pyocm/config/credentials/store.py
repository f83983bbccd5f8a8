"""The credential store: configured consumers, then docker credential repositories.

    >>> from pyocm.config.credentials.store import CredentialStore
    >>> from pyocm.config.model import Config, ConfigEntry
    >>> entry = ConfigEntry.from_data({
    ...     "type": "credentials.config.ocm.software",
    ...     "consumers": [{
    ...         "identity": {"type": "OCIRegistry", "hostname": "ghcr.io", "path": "acme/*"},
    ...         "credentials": [{"type": "Credentials/v1",
    ...                          "properties": {"username": "acme", "password": "s3cret"}}]}]},
    ...     source="demo.yaml", location="configurations[0]")
    >>> store = CredentialStore.from_config(Config((entry,)))
    >>> store.resolve({"type": "OCIRegistry", "hostname": "ghcr.io", "path": "acme/app"}).type
    'Credentials/v1'
    >>> store.resolve({"type": "OCIRegistry", "hostname": "ghcr.io", "path": "other/app"}) is None
    True

Built from every ``credentials.config.ocm.software[/v1]`` entry (consumers and repositories
concatenated in configuration order), as the Go v2 credential graph is
(``bindings/go/credentials``):

* a consumer lists its identities (``identities``, plus the legacy single ``identity`` after
  them) and ``credentials``.  Several ``Credentials/v1`` entries merge key by key, later ones
  winning; a typed payload (``OCICredentials/v1``, ...) wins over them.  Consumers with the same
  identity merge the same way (the last typed payload wins);
* :meth:`CredentialStore.resolve` needs a ``type``.  The identity equal to the request wins;
  else the matching identities (:func:`~pyocm.config.credentials.identity.matches`) are tried
  most specific first; else, for ``OCIRegistry`` requests only, each ``DockerConfig/v1``
  repository in order (the first that has credentials wins; if none has any and one failed,
  that failure is raised).  Nothing found is None, and the caller goes on anonymously.

Entries are checked strictly, so that a typing mistake is an error rather than anonymous
access: an unknown key anywhere in a credentials entry, a ``Credentials/v1`` property the
consumer's identity type never reads, a credential type that does not exist, a non-string
value, and a credential repository other than ``DockerConfig/v1`` are
:class:`~pyocm.errors.CredentialsError` naming the file, the entry and the key.  (Go ignores
unknown keys.)  Properties of identity types pyocm does not know are not checked; an identity
type that looks like a misspelt known one is logged as a warning.
"""

from __future__ import annotations

import difflib
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pyocm.config._fields import MISSING, lookup, number_text, unknown_keys
from pyocm.config.credentials.docker import DockerConfigRepository
from pyocm.config.credentials.identity import (
    OCI_REGISTRY,
    TYPE,
    Identity,
    canonical,
    matches,
    specificity,
)
from pyocm.config.credentials.typed import (
    CREDENTIAL_PLUGIN_TYPES,
    DIRECT,
    DIRECT_TYPES,
    PROPERTY_KEYS,
    TYPED_CREDENTIALS,
    Credentials,
)
from pyocm.config.model import CREDENTIALS, Config
from pyocm.errors import CredentialsError

__all__ = ["REQUESTED_TYPES", "Consumer", "CredentialStore", "resolve_credentials"]

_log = logging.getLogger("pyocm.config")

REQUESTED_TYPES = frozenset(
    {
        "OCIRegistry",
        "HelmChartRepository",
        "Wget",
        "GitHubRepository",
        "RSA/v1alpha1",
        "GPG/v1alpha1",
        "SigstoreSigner/v1alpha1",
        "SigstoreVerifier/v1alpha1",
    }
)
"""The consumer identity types the Go CLI (and pyocm) look credentials up for."""

_DOCKER_CONFIG_TYPES = ("DockerConfig/v1", "DockerConfig")
_DOCKER_CONFIG_KEYS = ("type", "dockerConfigFile", "dockerConfig", "propagateConsumerIdentity")


@dataclass(frozen=True)
class Consumer:
    """The credentials configured for one consumer identity (merged over all its entries)."""

    identity: Mapping[str, str]
    credentials: Credentials | None
    """None when the identity only has credentials of a credential plugin."""
    plugin: str = ""
    """That credential plugin's type."""
    where: str = ""
    """The first configuration entry that names this identity."""


def _value(data: Mapping[str, Any], name: str) -> Any:
    """Field ``name`` of ``data`` as Go's decoder finds it (None when absent)."""
    found = lookup(data, name)
    return None if found is MISSING else found


def _string(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    text = number_text(value)
    if text is not None:
        return text
    raise CredentialsError(f"{where}: must be a string (quote it)")


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise CredentialsError(f"{where}: must be a mapping")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise CredentialsError(f"{where}: must be a list")
    return value


def _reject_unknown(data: Mapping[str, Any], known: tuple[str, ...], where: str, what: str) -> None:
    unknown = unknown_keys(data, known)
    if unknown:
        raise CredentialsError(
            f'{where}: unknown key "{unknown[0]}" in {what} (known: {", ".join(known)})'
        )


def _identity(value: Any, where: str) -> dict[str, str]:
    data = _mapping(value, where)
    return {str(key): _string(item, f"{where}.{key}") for key, item in data.items()}


def _check_identity_type(identity: Mapping[str, str], where: str) -> None:
    kind = identity.get(TYPE, "")
    if not kind or kind in REQUESTED_TYPES:
        return
    suggestion = next(
        (
            t
            for t in REQUESTED_TYPES
            if t.casefold() == kind.casefold() or t.split("/")[0] == kind.split("/")[0]
        ),
        None,
    ) or next(iter(difflib.get_close_matches(kind, sorted(REQUESTED_TYPES), n=1, cutoff=0.8)), None)
    if suggestion is not None:
        _log.warning(
            f'consumer identity type "{kind}" is never looked up (did you mean "{suggestion}"?)',
            extra={"entry": where},
        )


def _allowed_properties(identities: Sequence[Mapping[str, str]]) -> frozenset[str] | None:
    """The property names the consumer's identity types read (None: unknown types, no check)."""
    allowed: set[str] = set()
    for identity in identities:
        keys = PROPERTY_KEYS.get(identity.get(TYPE, ""))
        if keys is None:
            return None
        allowed |= keys
    return frozenset(allowed)


def _credential(
    value: Any, where: str, identities: Sequence[Mapping[str, str]]
) -> Credentials | str:
    """A credential entry as resolved credentials, or the type of a credential plugin."""
    data = _mapping(value, where)
    kind = _string(_value(data, "type"), f"{where}.type")
    if not kind:
        raise CredentialsError(f"{where}: credential type is empty")
    typed = TYPED_CREDENTIALS.get(kind)
    if typed is not None:
        _reject_unknown(data, ("type", *typed.fields), where, f"{kind} credentials")
        values = {}
        for name in typed.fields:
            text = _string(_value(data, name), f"{where}.{name}")
            if text:
                values[name] = text
        return Credentials(typed.type, values)
    if kind in DIRECT_TYPES:
        _reject_unknown(data, ("type", "properties"), where, f"{kind} credentials")
        properties = _mapping(_value(data, "properties"), f"{where}.properties")
        allowed = _allowed_properties(identities)
        result = {}
        for key, item in properties.items():
            if allowed is not None and key not in allowed:
                types = ", ".join(sorted({i.get(TYPE, "") for i in identities}))
                raise CredentialsError(
                    f'{where}.properties: unknown property "{key}" for {types} credentials '
                    f"(known: {', '.join(sorted(allowed))})"
                )
            result[str(key)] = _string(item, f"{where}.properties.{key}")
        return Credentials(DIRECT, result)
    if kind in CREDENTIAL_PLUGIN_TYPES:
        return kind
    known = sorted({DIRECT, *(k.type for k in TYPED_CREDENTIALS.values())})
    raise CredentialsError(f'{where}: unknown credential type "{kind}" (known: {", ".join(known)})')


class _Builder:
    """Collects consumers per identity, merging as Go's graph ingestion does."""

    def __init__(self) -> None:
        self.identities: dict[str, Mapping[str, str]] = {}
        self.where: dict[str, str] = {}
        self.typed: dict[str, Credentials] = {}
        self.direct: dict[str, dict[str, str]] = {}
        self.plugins: dict[str, str] = {}

    def add(self, identity: Mapping[str, str], where: str) -> str:
        key = canonical(identity)
        if key not in self.identities:
            self.identities[key] = identity
            self.where[key] = where
        return key

    def consumer(self, data: Any, where: str) -> None:
        spec = _mapping(data, where)
        _reject_unknown(spec, ("identity", "identities", "credentials"), where, "consumer")
        identities = [
            _identity(item, f"{where}.identities[{i}]")
            for i, item in enumerate(_list(_value(spec, "identities"), f"{where}.identities"))
        ]
        single = _value(spec, "identity")
        if single is not None:
            identities.append(_identity(single, f"{where}.identity"))
        for identity in identities:
            _check_identity_type(identity, where)
        typed: Credentials | None = None
        direct: dict[str, str] | None = None
        plugin = ""
        items = _list(_value(spec, "credentials"), f"{where}.credentials")
        for i, item in enumerate(items):
            here = f"{where}.credentials[{i}]"
            found = _credential(item, here, identities)
            if isinstance(found, str):
                plugin = plugin or found
            elif found.is_direct:
                direct = {**(direct or {}), **found.properties}
            elif typed is None:
                typed = found
            else:
                raise CredentialsError(
                    f"{here}: a consumer takes one typed credential, but has {typed.type} and "
                    f"{found.type} (merge them, or list several Credentials/v1 entries)"
                )
        if typed is None and direct is None and not plugin:
            return  # no credentials: the identities are not part of the store (as in Go)
        if typed is not None and direct is not None:
            _log.warning(
                "Credentials/v1 properties ignored beside a typed credential",
                extra={"entry": where, "typed": typed.type},
            )
        for identity in identities:
            key = self.add(identity, where)
            if typed is not None:
                self.typed[key] = typed
            elif direct is not None:
                self.direct[key] = {**self.direct.get(key, {}), **direct}
            if plugin:
                self.plugins.setdefault(key, plugin)

    def consumers(self) -> list[Consumer]:
        result = []
        for key, identity in self.identities.items():
            credentials = self.typed.get(key)
            if credentials is None and key in self.direct:
                credentials = Credentials(DIRECT, self.direct[key])
            result.append(
                Consumer(identity, credentials, self.plugins.get(key, ""), self.where[key])
            )
        return result


def _repository(data: Any, where: str) -> DockerConfigRepository:
    entry = _mapping(data, where)
    _reject_unknown(entry, ("repository",), where, "repository entry")
    here = f"{where}.repository"
    spec = _mapping(_value(entry, "repository"), here)
    kind = _string(_value(spec, "type"), f"{here}.type")
    if kind not in _DOCKER_CONFIG_TYPES:
        raise CredentialsError(
            f'{here}: credential repository type "{kind}" is not supported '
            f"(pyocm knows DockerConfig/v1)"
        )
    _reject_unknown(spec, _DOCKER_CONFIG_KEYS, here, "DockerConfig/v1 repository")
    return DockerConfigRepository(
        _string(_value(spec, "dockerConfigFile"), f"{here}.dockerConfigFile"),
        _string(_value(spec, "dockerConfig"), f"{here}.dockerConfig"),
        here,
    )


class CredentialStore:
    """Resolves consumer identities to credentials, as the Go credential graph does.

    Safe to use from several threads; results from docker repositories are cached.
    """

    def __init__(
        self,
        consumers: Sequence[Consumer] = (),
        repositories: Sequence[DockerConfigRepository] = (),
    ) -> None:
        self.consumers = tuple(consumers)
        """Every configured identity with its merged credentials, in configuration order."""
        self.repositories = tuple(repositories)
        """The ``DockerConfig/v1`` repositories, in configuration order."""
        self._exact = {canonical(c.identity): c for c in self.consumers}
        self._cache: dict[str, Credentials | None] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: Config) -> CredentialStore:
        """The store of ``config``'s credentials entries; CredentialsError when one is malformed."""
        builder = _Builder()
        repositories: list[DockerConfigRepository] = []
        for entry in config.entries_of(CREDENTIALS, "v1", ""):
            where = entry.where
            _reject_unknown(
                entry.data, ("type", "consumers", "repositories"), where, f"{entry.type} entry"
            )
            for i, item in enumerate(_list(_value(entry.data, "consumers"), f"{where}.consumers")):
                builder.consumer(item, f"{where}.consumers[{i}]")
            items = _list(_value(entry.data, "repositories"), f"{where}.repositories")
            repositories += [
                _repository(item, f"{where}.repositories[{i}]") for i, item in enumerate(items)
            ]
        return cls(builder.consumers(), repositories)

    def _consumer_for(self, identity: Identity) -> Consumer | None:
        exact = self._exact.get(canonical(identity))
        if exact is not None:
            return exact
        candidates = [
            (specificity(c.identity), -order, c)
            for order, c in enumerate(self.consumers)
            if matches(identity, c.identity)
        ]
        if not candidates:
            return None
        return max(candidates, key=lambda item: (item[0], item[1]))[2]

    def _from_repositories(self, identity: Identity) -> Credentials | None:
        failures: list[str] = []
        for repository in self.repositories:
            try:
                found = repository.resolve(identity)
            except CredentialsError as e:
                failures.append(str(e))
                continue
            if found is not None:
                properties = {
                    "username": found.username,
                    "password": found.password,
                    "accessToken": found.access_token,
                    "refreshToken": found.refresh_token,
                }
                return Credentials(
                    TYPED_CREDENTIALS["OCICredentials"].type,
                    {k: v for k, v in properties.items() if v},
                )
        if failures:
            raise CredentialsError(
                f"resolving credentials for {canonical(identity)} failed: {'; '.join(failures)}"
            )
        return None

    def resolve(self, identity: Identity) -> Credentials | None:
        """The credentials for ``identity``, or None when none are configured.

        Raises :class:`~pyocm.errors.CredentialsError` when ``identity`` has no ``type``, when
        the matching consumer needs a credential plugin, or when a docker credential helper is
        missing or fails.
        """
        if not identity.get(TYPE):
            raise CredentialsError(
                "a consumer identity type is required to resolve credentials "
                f"({canonical(identity)})"
            )
        consumer = self._consumer_for(identity)
        if consumer is not None:
            if consumer.credentials is None:
                raise CredentialsError(
                    f"{consumer.where}: credentials of type {consumer.plugin} need a credential "
                    "plugin, which pyocm does not support"
                )
            return consumer.credentials
        if identity.get(TYPE) != OCI_REGISTRY or not self.repositories:
            _log.debug("no credentials found", extra={"identity": canonical(identity)})
            return None
        key = canonical(identity)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = self._from_repositories(identity)
            found = self._cache[key]
        if found is None:
            _log.debug("no credentials found", extra={"identity": key})
        return found


def resolve_credentials(config: Config, identity: Identity) -> dict[str, str] | None:
    """The credential properties for ``identity`` in ``config`` (None when there are none).

    Typed payloads come back under their JSON field names (``username``, ``password``,
    ``accessToken``, ``refreshToken``, ``privateKeyPEMFile``, ...), ``Credentials/v1`` as
    configured.  Raises :class:`~pyocm.errors.CredentialsError` as
    :meth:`CredentialStore.resolve` does, or when the credentials configuration is malformed.
    """
    found = config.credentials.resolve(identity)
    return None if found is None else dict(found.properties)
