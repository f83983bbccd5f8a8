"""The merged ``.ocmconfig``: a flat list of typed entries, each remembering where it came from.

    >>> from pyocm.config.model import Config, ConfigEntry
    >>> entry = ConfigEntry.from_data(
    ...     {"type": "filesystem.config.ocm.software/v1alpha1", "tempFolder": "/scratch"},
    ...     source="/home/me/.ocmconfig", location="configurations[0]")
    >>> str(entry.type), entry.where
    ('filesystem.config.ocm.software/v1alpha1', '/home/me/.ocmconfig: configurations[0]')
    >>> config = Config((entry,))
    >>> [e.data["tempFolder"] for e in config.entries_of(FILESYSTEM, "v1alpha1", "")]
    ['/scratch']

A configuration file is a ``generic.config.ocm.software/v1`` document whose ``configurations``
list holds typed entries; nested generic documents are flattened into one list
(:mod:`pyocm.config.merge`).  Entries of types pyocm does not know are kept verbatim and
ignored, as the Go CLI does.  Each entry type has its own merge rule, applied when it is looked
up (:mod:`pyocm.config.merge`, :mod:`pyocm.config.httpconfig`), and credentials are resolved
through :attr:`Config.credentials`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pyocm.config._fields import MISSING, invalid, lookup

if TYPE_CHECKING:
    from pyocm.config.credentials.store import CredentialStore

__all__ = [
    "CREDENTIALS",
    "EXTRACT",
    "FILESYSTEM",
    "GENERIC",
    "HTTP",
    "OCM_RESOLVERS",
    "PLUGIN",
    "RESOLVERS",
    "SIGNING",
    "TRANSFER",
    "VERSION_CHECK",
    "Config",
    "ConfigEntry",
    "TypeName",
]

GENERIC = "generic.config.ocm.software"
CREDENTIALS = "credentials.config.ocm.software"
FILESYSTEM = "filesystem.config.ocm.software"
HTTP = "http.config.ocm.software"
OCM_RESOLVERS = "ocm.config.ocm.software"
RESOLVERS = "resolvers.config.ocm.software"
TRANSFER = "transfer.config.ocm.software"
PLUGIN = "plugin.config.ocm.software"
EXTRACT = "extract.oci.artifact.ocm.software"
SIGNING = "signing.config.ocm.software"
VERSION_CHECK = "versioncheck.cli.config.ocm.software"


@dataclass(frozen=True)
class TypeName:
    """A type string ``name`` or ``name/version``, as Go's ``runtime.Type`` parses it."""

    name: str
    version: str = ""

    @classmethod
    def parse(cls, text: str) -> TypeName:
        """Parse ``name[/version]``; ValueError for an empty name or more than one ``/``."""
        parts = text.split("/")
        if len(parts) > 2:
            raise ValueError(f'invalid type "{text}", too many segments')
        if not parts[0]:
            raise ValueError(f'invalid type "{text}", missing name')
        return cls(parts[0], parts[1] if len(parts) == 2 else "")

    def __str__(self) -> str:
        return f"{self.name}/{self.version}" if self.version else self.name

    def matches(self, name: str, *versions: str) -> bool:
        """Whether this is ``name`` with one of ``versions`` (``""`` meaning unversioned)."""
        return self.name == name and self.version in versions


def parse_type(value: Any, where: str) -> TypeName | None:
    """The ``type`` value of an entry (None when it has none); ValidationError when malformed."""
    if value is MISSING or value is None:
        return None
    if not isinstance(value, str):
        raise invalid(where, "must be a type string such as credentials.config.ocm.software")
    try:
        return TypeName.parse(value)
    except ValueError as e:
        raise invalid(where, str(e)) from None


@dataclass(frozen=True)
class ConfigEntry:
    """One typed entry of the configuration, as it was read."""

    type: TypeName | None
    """The entry's ``type`` (None when it has none; such an entry is ignored)."""
    data: Mapping[str, Any]
    """The whole entry as read, ``type`` included."""
    source: str = ""
    """The file it came from; empty for entries made in memory (the effective filesystem one)."""
    location: str = ""
    """Where in ``source`` it sits, e.g. ``configurations[1].configurations[0]``."""

    @classmethod
    def from_data(
        cls, data: Mapping[str, Any], source: str = "", location: str = ""
    ) -> ConfigEntry:
        """An entry for ``data``; ValidationError when its ``type`` is malformed."""
        here = f"{source}: {location}" if source else location
        return cls(parse_type(lookup(data, "type"), f"{here}.type"), data, source, location)

    @property
    def where(self) -> str:
        """``source: location``, for messages."""
        if self.source and self.location:
            return f"{self.source}: {self.location}"
        return self.source or self.location or "configuration"

    def is_a(self, name: str, *versions: str) -> bool:
        """Whether the entry has type ``name`` with one of ``versions`` (``""``: unversioned)."""
        return self.type is not None and self.type.matches(name, *versions)


@dataclass(frozen=True)
class Config:
    """The effective configuration: every entry of every file read, in priority order.

    Later entries have higher priority; how entries of one type combine depends on the type.
    """

    entries: tuple[ConfigEntry, ...] = ()
    sources: tuple[str, ...] = ()
    """The files that were read, in order."""

    def entries_of(self, name: str, *versions: str) -> list[ConfigEntry]:
        """The entries of type ``name`` with one of ``versions`` (``""``: unversioned)."""
        return [entry for entry in self.entries if entry.is_a(name, *versions)]

    def with_entry(self, entry: ConfigEntry) -> Config:
        """This configuration with ``entry`` appended (highest priority)."""
        return Config((*self.entries, entry), self.sources)

    @cached_property
    def credentials(self) -> CredentialStore:
        """The credential store built from the ``credentials.config.ocm.software`` entries.

        Built on first use; raises :class:`~pyocm.errors.CredentialsError` when an entry is
        malformed (a misspelt key, an unknown credential type).
        """
        from pyocm.config.credentials.store import CredentialStore

        return CredentialStore.from_config(self)
