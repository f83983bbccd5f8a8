"""Flattening configuration files into one entry list, and each entry type's merge rule.

    >>> from pyocm.config.merge import flatten_document, transfer_config
    >>> from pyocm.config.model import Config
    >>> entries = flatten_document({
    ...     "type": "generic.config.ocm.software/v1",
    ...     "configurations": [
    ...         {"type": "generic.config.ocm.software/v1", "configurations": [
    ...             {"type": "transfer.config.ocm.software/v1alpha1", "copyMode": "localBlob"}]},
    ...         {"type": "transfer.config.ocm.software/v1alpha1", "copyMode": "allResources"},
    ...     ]}, "a.yaml")
    >>> [e.location for e in entries]
    ['configurations[1]', 'configurations[0].configurations[0]']
    >>> transfer_config(Config(tuple(entries))).copy_mode
    'localBlob'

Flattening follows Go's ``FlatMap``: within one document the direct entries come first and the
entries of nested generic documents after them (so nested ones win, a rule kept for the v1
config format); documents are concatenated in file order, later ones winning.

The merge rules, as the Go v2 bindings define them:

* ``filesystem.config.ocm.software/v1alpha1``: each field is taken from the last entry, even an
  empty value; ``tempFolder`` then defaults to the OS temp directory (Go's ``os.TempDir``).
* ``transfer.config.ocm.software/v1alpha1``: the last non-empty ``copyMode``/``uploadType``
  and non-zero ``recursive``; every entry is validated first.
* ``plugin.config.ocm.software/v2alpha1``: the longest ``idleTimeout``; ``locations``
  concatenated.
* ``resolvers.config.ocm.software/v1alpha1`` and the deprecated ``ocm.config.ocm.software``:
  resolvers concatenated (the merged type is the first entry's); aliases of the latter keep
  the first definition of a name.
* ``extract.oci.artifact.ocm.software/v1alpha1``: the last non-empty ``rules``.
* ``signing.config.ocm.software/v1alpha1``: entries without ``signature`` first, then those for
  the requested signature; the last non-empty ``signature``, ``signer`` and ``verifier`` win.
* ``versioncheck.cli.config.ocm.software/v1alpha1``: the first entry with a ``policy``.
* credentials: consumers and repositories concatenated (:mod:`pyocm.config.credentials`);
  http: :mod:`pyocm.config.httpconfig`.

One deliberate difference: the unversioned spellings of the filesystem and plugin types are
accepted here; Go's filter admits them but its decoder then fails on them.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pyocm.config._fields import (
    MISSING,
    duration_value,
    int_value,
    invalid,
    list_value,
    lookup,
    mapping_value,
    optional_string,
    plain,
    string_list,
    string_map,
    unknown_keys,
)
from pyocm.config.durations import format_duration
from pyocm.config.model import (
    EXTRACT,
    FILESYSTEM,
    GENERIC,
    OCM_RESOLVERS,
    PLUGIN,
    RESOLVERS,
    SIGNING,
    TRANSFER,
    VERSION_CHECK,
    Config,
    ConfigEntry,
    parse_type,
)
from pyocm.errors import ValidationError

__all__ = [
    "ExtractConfig",
    "FilesystemConfig",
    "LegacyResolversConfig",
    "PluginConfig",
    "ResolversConfig",
    "SigningConfig",
    "TransferConfig",
    "extract_config",
    "extract_configs",
    "filesystem_config",
    "flatten_document",
    "go_temp_dir",
    "legacy_resolvers_config",
    "plugin_config",
    "resolvers_config",
    "signing_config",
    "transfer_config",
    "version_check_policy",
]

_log = logging.getLogger("pyocm.config")

_GENERIC_VERSIONS = ("v1", "")


# --- flattening ------------------------------------------------------------------------------


def _entries(document: Mapping[str, Any], source: str, prefix: str) -> list[ConfigEntry]:
    """The entries of one generic document, unflattened; ValidationError when malformed."""
    where = f"{source}: {prefix}" if source else prefix
    items = list_value(lookup(document, "configurations"), where)
    entries = []
    for i, item in enumerate(items):
        location = f"{prefix}[{i}]"
        if not isinstance(item, Mapping):
            raise invalid(f"{source}: {location}", "must be a mapping with a type")
        entries.append(ConfigEntry.from_data(item, source, location))
    return entries


def _flatten(entries: list[ConfigEntry]) -> list[ConfigEntry]:
    direct: list[ConfigEntry] = []
    nested: list[list[ConfigEntry]] = []
    for entry in entries:
        if not entry.is_a(GENERIC, *_GENERIC_VERSIONS):
            direct.append(entry)
            continue
        try:
            nested.append(_entries(entry.data, entry.source, f"{entry.location}.configurations"))
        except ValidationError as e:
            _log.warning("nested generic configuration ignored", extra={"error": str(e)})
            direct.append(entry)
    for children in nested:
        direct.extend(_flatten(children))
    return direct


def flatten_document(document: Any, source: str) -> list[ConfigEntry]:
    """The entries of a parsed configuration file, nested generic documents flattened.

    ``document`` must be a ``generic.config.ocm.software[/v1]`` mapping (an empty file, read as
    null, has no entries).  Go accepts any top-level type and then finds no entries in, say, a
    bare ``credentials.config.ocm.software`` document; pyocm rejects it, as its credentials
    would otherwise be ignored without a word.
    """
    if document is None:
        return []
    if not isinstance(document, Mapping):
        raise invalid(
            source, "a configuration file must be a mapping (generic.config.ocm.software/v1)"
        )
    typ = parse_type(lookup(document, "type"), f"{source}: type")
    if typ is not None and not typ.matches(GENERIC, *_GENERIC_VERSIONS):
        raise invalid(
            f"{source}: type",
            f'"{typ}" is not a configuration file type: wrap the entry as '
            f"type: {GENERIC}/v1 with configurations: [...]",
        )
    for key in unknown_keys(document, ("type", "configurations")):
        _log.warning(
            "unknown top-level key in configuration file ignored",
            extra={"path": source, "key": key},
        )
    return _flatten(_entries(document, source, "configurations"))


# --- filesystem ------------------------------------------------------------------------------


def go_temp_dir() -> str:
    """The OS temp directory as Go's ``os.TempDir`` returns it (``$TMPDIR`` or ``/tmp``)."""
    if sys.platform == "win32":
        import tempfile

        return tempfile.gettempdir()
    return os.environ.get("TMPDIR") or "/tmp"


@dataclass(frozen=True)
class FilesystemConfig:
    """``filesystem.config.ocm.software/v1alpha1``: where temporary files go, where inputs are."""

    temp_folder: str = ""
    working_directory: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The entry as Go writes it (empty fields left out)."""
        data: dict[str, Any] = {"type": f"{FILESYSTEM}/v1alpha1"}
        if self.temp_folder:
            data["tempFolder"] = self.temp_folder
        if self.working_directory:
            data["workingDirectory"] = self.working_directory
        return data


def filesystem_entries(config: Config) -> list[ConfigEntry]:
    """The filesystem entries of ``config`` (versioned or not)."""
    return config.entries_of(FILESYSTEM, "v1alpha1", "")


def filesystem_config(config: Config, *, default_temp_folder: bool = True) -> FilesystemConfig:
    """The merged filesystem configuration, ``tempFolder`` defaulted to the OS temp dir."""
    temp_folder = working_directory = ""
    for entry in filesystem_entries(config):
        temp_folder = optional_string(entry.data, "tempFolder", entry.where)
        working_directory = optional_string(entry.data, "workingDirectory", entry.where)
    if default_temp_folder and not temp_folder:
        temp_folder = go_temp_dir()
    return FilesystemConfig(temp_folder, working_directory)


# --- transfer --------------------------------------------------------------------------------

_COPY_MODES = ("localBlob", "allResources")
_UPLOAD_TYPES = ("localBlob", "ociArtifact")


@dataclass(frozen=True)
class TransferConfig:
    """``transfer.config.ocm.software/v1alpha1``: the defaults of ``ocm transfer``."""

    recursive: int = 0
    """``-1`` for unlimited recursion, ``0`` for none."""
    copy_mode: str = ""
    """``localBlob``, ``allResources`` or empty (the default, ``localBlob``)."""
    upload_type: str = ""
    """``localBlob``, ``ociArtifact`` or empty (the default, ``localBlob``)."""

    def to_dict(self) -> dict[str, Any]:
        """The entry as Go writes it (zero fields left out)."""
        data: dict[str, Any] = {"type": f"{TRANSFER}/v1alpha1"}
        if self.recursive:
            data["recursive"] = self.recursive
        if self.copy_mode:
            data["copyMode"] = self.copy_mode
        if self.upload_type:
            data["uploadType"] = self.upload_type
        return data


def _transfer_entry(entry: ConfigEntry) -> TransferConfig:
    where = entry.where
    parsed = TransferConfig(
        int_value(lookup(entry.data, "recursive"), f"{where}.recursive"),
        optional_string(entry.data, "copyMode", where),
        optional_string(entry.data, "uploadType", where),
    )
    problem = ""
    if parsed.recursive < -1:
        problem = (
            f"invalid recursive {parsed.recursive} "
            "(must be -1 for infinite recursion or 0 for none)"
        )
    elif parsed.recursive > 0:
        problem = (
            f"recursive depth {parsed.recursive} is not implemented yet "
            "(use -1 for infinite recursion or 0 for none)"
        )
    elif parsed.upload_type and parsed.upload_type not in _UPLOAD_TYPES:
        problem = (
            f'invalid uploadType "{parsed.upload_type}" '
            '(must be one of ["localBlob" "ociArtifact"])'
        )
    elif parsed.copy_mode and parsed.copy_mode not in _COPY_MODES:
        problem = (
            f'invalid copyMode "{parsed.copy_mode}" (must be one of "localBlob", "allResources")'
        )
    if problem:
        raise invalid(where, f"invalid transfer config: {problem}")
    return parsed


def transfer_config(config: Config) -> TransferConfig | None:
    """The merged transfer configuration (None when there is no transfer entry)."""
    entries = config.entries_of(TRANSFER, "v1alpha1", "")
    if not entries:
        return None
    recursive, copy_mode, upload_type = 0, "", ""
    for parsed in [_transfer_entry(entry) for entry in entries]:
        recursive = parsed.recursive or recursive
        copy_mode = parsed.copy_mode or copy_mode
        upload_type = parsed.upload_type or upload_type
    return TransferConfig(recursive, copy_mode, upload_type)


# --- plugins ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PluginConfig:
    """``plugin.config.ocm.software/v2alpha1``: plugin idle timeout and search locations."""

    idle_timeout: int = 0
    """Nanoseconds; 0 means unset (the CLI then uses one hour)."""
    locations: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The entry as Go writes it (``idleTimeout`` always, ``locations`` null when unset)."""
        return {
            "type": f"{PLUGIN}/v2alpha1",
            "idleTimeout": format_duration(self.idle_timeout),
            "locations": list(self.locations) if self.locations is not None else None,
        }


def plugin_config(config: Config) -> PluginConfig | None:
    """The merged plugin configuration (None when there is no plugin entry)."""
    entries = config.entries_of(PLUGIN, "v2alpha1", "")
    if not entries:
        return None
    idle, locations = 0, None
    for entry in entries:
        value = lookup(entry.data, "idleTimeout")
        if value is not MISSING and value is not None:
            idle = max(idle, duration_value(value, f"{entry.where}.idleTimeout"))
        found = string_list(lookup(entry.data, "locations"), f"{entry.where}.locations")
        if found:
            locations = (*(locations or ()), *found)
    return PluginConfig(idle, locations)


# --- resolvers -------------------------------------------------------------------------------


def _raw(value: Any, where: str) -> Mapping[str, Any] | None:
    """A nested typed spec (Go's ``*runtime.Raw``): a mapping with a valid type, or null."""
    if value is MISSING or value is None:
        return None
    spec = mapping_value(value, where)
    parse_type(lookup(spec, "type"), f"{where}.type")
    return spec


@dataclass(frozen=True)
class Resolver:
    """A repository that resolves the components whose names match a glob."""

    repository: Mapping[str, Any] | None
    component_name_pattern: str = ""
    version_constraint: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The resolver as Go writes it."""
        data: dict[str, Any] = {"repository": plain(self.repository)}
        if self.component_name_pattern:
            data["componentNamePattern"] = self.component_name_pattern
        if self.version_constraint:
            data["versionConstraint"] = self.version_constraint
        return data


@dataclass(frozen=True)
class ResolversConfig:
    """``resolvers.config.ocm.software/v1alpha1``: glob-based repository routing."""

    type: str
    resolvers: tuple[Resolver, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The merged entry as Go writes it."""
        data: dict[str, Any] = {"type": self.type}
        if self.resolvers:
            data["resolvers"] = [r.to_dict() for r in self.resolvers]
        return data


def resolvers_config(config: Config) -> ResolversConfig | None:
    """The merged resolver configuration (None when there is no resolvers entry)."""
    entries = config.entries_of(RESOLVERS, "v1alpha1", "")
    if not entries:
        return None
    resolvers: list[Resolver] = []
    for entry in entries:
        items = list_value(lookup(entry.data, "resolvers"), f"{entry.where}.resolvers")
        for i, item in enumerate(items):
            where = f"{entry.where}.resolvers[{i}]"
            data = mapping_value(item, where)
            resolvers.append(
                Resolver(
                    _raw(lookup(data, "repository"), f"{where}.repository"),
                    optional_string(data, "componentNamePattern", where),
                    optional_string(data, "versionConstraint", where),
                )
            )
    return ResolversConfig(str(entries[0].type), tuple(resolvers))


@dataclass(frozen=True)
class LegacyResolver:
    """A resolver of the deprecated ``ocm.config.ocm.software`` type."""

    repository: Mapping[str, Any] | None
    prefix: str = ""
    priority: int | None = None
    """None means the default priority, 10."""

    def to_dict(self) -> dict[str, Any]:
        """The resolver as Go writes it."""
        data: dict[str, Any] = {"repository": plain(self.repository)}
        if self.prefix:
            data["prefix"] = self.prefix
        if self.priority is not None:
            data["priority"] = self.priority
        return data


@dataclass(frozen=True)
class LegacyResolversConfig:
    """``ocm.config.ocm.software[/v1]`` (deprecated): prioritised fallback repositories."""

    type: str
    aliases: Mapping[str, Any] = field(default_factory=dict)
    """Ignored by the Go v2 CLI, shown by ``get config``."""
    resolvers: tuple[LegacyResolver, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The merged entry as Go writes it."""
        data: dict[str, Any] = {"type": self.type}
        if self.aliases:
            data["aliases"] = {k: plain(v) for k, v in sorted(self.aliases.items())}
        if self.resolvers:
            data["resolvers"] = [r.to_dict() for r in self.resolvers]
        return data


def legacy_resolvers_config(config: Config) -> LegacyResolversConfig | None:
    """The merged deprecated resolver configuration (None when there is no such entry)."""
    entries = config.entries_of(OCM_RESOLVERS, "v1", "")
    if not entries:
        return None
    aliases: dict[str, Any] = {}
    resolvers: list[LegacyResolver] = []
    for entry in entries:
        found = mapping_value(lookup(entry.data, "aliases"), f"{entry.where}.aliases")
        for name, spec in found.items():
            value = _raw(spec, f"{entry.where}.aliases.{name}")
            if name in aliases and aliases[name] is not None and value is not None:
                continue  # the first definition of an alias stays
            aliases[name] = value
        items = list_value(lookup(entry.data, "resolvers"), f"{entry.where}.resolvers")
        for i, item in enumerate(items):
            where = f"{entry.where}.resolvers[{i}]"
            data = mapping_value(item, where)
            priority = lookup(data, "priority")
            resolvers.append(
                LegacyResolver(
                    _raw(lookup(data, "repository"), f"{where}.repository"),
                    optional_string(data, "prefix", where),
                    None
                    if priority is MISSING or priority is None
                    else int_value(priority, f"{where}.priority"),
                )
            )
    return LegacyResolversConfig(str(entries[0].type), aliases, tuple(resolvers))


# --- extraction rules ------------------------------------------------------------------------


def _selector(value: Any, where: str) -> dict[str, Any] | None:
    if value is None:
        return None
    data = mapping_value(value, where)
    out: dict[str, Any] = {}
    properties = string_map(lookup(data, "matchProperties"), f"{where}.matchProperties")
    if properties:
        out["matchProperties"] = dict(sorted(properties.items()))
    expressions = []
    items = list_value(lookup(data, "matchExpressions"), f"{where}.matchExpressions")
    for i, item in enumerate(items):
        here = f"{where}.matchExpressions[{i}]"
        requirement = mapping_value(item, here)
        expression: dict[str, Any] = {
            "key": optional_string(requirement, "key", here),
            "operator": optional_string(requirement, "operator", here),
        }
        values = string_list(lookup(requirement, "values"), f"{here}.values")
        if values:
            expression["values"] = values
        expressions.append(expression)
    if expressions:
        out["matchExpressions"] = expressions
    return out


@dataclass(frozen=True)
class ExtractConfig:
    """``extract.oci.artifact.ocm.software/v1alpha1``: which OCI layers go to which file."""

    type: str
    rules: tuple[Mapping[str, Any], ...] = ()
    """Rules in Go's JSON form: ``filename``, ``layerSelectors`` (``matchProperties``,
    ``matchExpressions`` of ``key``/``operator``/``values``)."""

    def to_dict(self) -> dict[str, Any]:
        """The entry as Go writes it."""
        data: dict[str, Any] = {"type": self.type}
        if self.rules:
            data["rules"] = [dict(rule) for rule in self.rules]
        return data


def _extract_entry(entry: ConfigEntry) -> ExtractConfig:
    rules = []
    for i, item in enumerate(list_value(lookup(entry.data, "rules"), f"{entry.where}.rules")):
        where = f"{entry.where}.rules[{i}]"
        data = mapping_value(item, where)
        rule: dict[str, Any] = {}
        filename = optional_string(data, "filename", where)
        if filename:
            rule["filename"] = filename
        selectors = list_value(lookup(data, "layerSelectors"), f"{where}.layerSelectors")
        if selectors:
            rule["layerSelectors"] = [
                _selector(s, f"{where}.layerSelectors[{j}]") for j, s in enumerate(selectors)
            ]
        rules.append(rule)
    return ExtractConfig(str(entry.type), tuple(rules))


def extract_configs(config: Config) -> list[ExtractConfig]:
    """Every extraction entry on its own, as ``ocm get config`` shows them."""
    return [_extract_entry(e) for e in config.entries_of(EXTRACT, "v1alpha1", "")]


def extract_config(config: Config) -> ExtractConfig | None:
    """The merged extraction rules: the last entry with rules wins (None without entries)."""
    entries = extract_configs(config)
    if not entries:
        return None
    rules: tuple[Mapping[str, Any], ...] = ()
    for entry in entries:
        rules = entry.rules or rules
    return ExtractConfig(f"{EXTRACT}/v1alpha1", rules)


# --- signing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningConfig:
    """``signing.config.ocm.software/v1alpha1``: the signer and verifier for a signature."""

    signature: str = ""
    signer: Mapping[str, Any] | None = None
    """A typed signer spec, e.g. ``{type: RSASigningConfiguration/v1alpha1, ...}``."""
    verifier: Mapping[str, Any] | None = None


def _signing_entry(entry: ConfigEntry) -> SigningConfig:
    where = entry.where
    parsed = SigningConfig(
        optional_string(entry.data, "signature", where),
        _raw(lookup(entry.data, "signer"), f"{where}.signer"),
        _raw(lookup(entry.data, "verifier"), f"{where}.verifier"),
    )
    for name, spec in (("signer", parsed.signer), ("verifier", parsed.verifier)):
        if spec is not None and lookup(spec, "type") in (MISSING, None):
            raise invalid(
                f"{where}.{name}",
                f"invalid signing config: {name} specification must have a type",
            )
    return parsed


def signing_config(config: Config, signature: str = "") -> SigningConfig | None:
    """The signing configuration for ``signature`` (None when no entry applies).

    Entries without a ``signature`` apply to every signature and are merged first; entries for
    ``signature`` follow, so they win whatever the file order.
    """
    unscoped: list[SigningConfig] = []
    scoped: list[SigningConfig] = []
    for entry in config.entries_of(SIGNING, "v1alpha1", ""):
        parsed = _signing_entry(entry)
        if not parsed.signature:
            unscoped.append(parsed)
        elif parsed.signature == signature:
            scoped.append(parsed)
    chosen = unscoped + scoped
    if not chosen:
        return None
    name, signer, verifier = "", None, None
    for parsed in chosen:
        name = parsed.signature or name
        signer = parsed.signer if parsed.signer is not None else signer
        verifier = parsed.verifier if parsed.verifier is not None else verifier
    return SigningConfig(name, signer, verifier)


# --- version check ---------------------------------------------------------------------------


def version_check_policy(config: Config) -> str:
    """``auto`` or ``disable``: the policy of the first version-check entry that sets one."""
    for entry in config.entries_of(VERSION_CHECK, "v1alpha1"):
        policy = optional_string(entry.data, "policy", entry.where)
        if policy:
            if policy not in ("auto", "disable"):
                raise invalid(
                    f"{entry.where}.policy",
                    f'invalid versioncheck policy "{policy}": must be "auto" or "disable"',
                )
            return policy
    return "auto"
