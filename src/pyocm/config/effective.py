"""The effective configuration as ``ocm get config`` shows it, and its YAML/JSON text.

    >>> from pyocm.config.effective import effective_config, render_config
    >>> from pyocm.config.model import Config, ConfigEntry
    >>> config = Config((ConfigEntry.from_data(
    ...     {"type": "filesystem.config.ocm.software/v1alpha1", "tempFolder": "/scratch"}),))
    >>> print(render_config(effective_config(config), "yaml"), end="")
    configurations:
    - tempFolder: /scratch
      type: filesystem.config.ocm.software/v1alpha1
    type: generic.config.ocm.software/v1
    >>> render_config(effective_config(config), "ndjson")
    '{"type":"generic.config.ocm.software/v1","configurations":[{"type":"filesystem.config.ocm.software/v1alpha1","tempFolder":"/scratch"}]}\\n'

One ``generic.config.ocm.software/v1`` object holding, in this order and only when present
(``cli/cmd/get/config/cmd.go``): the merged filesystem entry (always there: ``tempFolder``
defaults to the OS temp directory), http (defaults filled in), the deprecated
``ocm.config.ocm.software`` resolvers, ``resolvers.config.ocm.software``, transfer, plugin,
each extraction entry, and the credentials (all entries merged into one, the legacy single
``identity`` moved into ``identities``).  Signing, version-check and unknown entries are not
shown.  Each entry is written as Go writes its typed form: fields in declaration order, empty
ones left out, durations normalised (``60s`` becomes ``1m0s``), unknown fields of typed entries
dropped; embedded specs (repositories, credentials) are kept as written with their keys sorted.
YAML output sorts all keys, as ``sigs.k8s.io/yaml`` does; the configuration is validated on the
way, so a bad transfer or http entry is an error here as in Go.  Unlike Go, secret values
written inline (passwords, tokens, private keys) are shown as ``<redacted>`` unless asked for.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pyocm.config._fields import MISSING, list_value, lookup, number_text, plain
from pyocm.config.httpconfig import http_config
from pyocm.config.merge import (
    extract_configs,
    filesystem_config,
    legacy_resolvers_config,
    plugin_config,
    resolvers_config,
    transfer_config,
)
from pyocm.config.model import CREDENTIALS, GENERIC, Config

__all__ = ["OUTPUT_FORMATS", "REDACTED", "effective_config", "redact_secrets", "render_config"]

OUTPUT_FORMATS = ("yaml", "json", "ndjson")

REDACTED = "<redacted>"
"""What :func:`redact_secrets` writes in place of a secret value."""

_SECRET_WORDS = ("password", "passphrase", "token", "secret", "privatekey", "apikey")
_SECRET_NAMES = frozenset({"auth", "dockerconfig"})  # docker's base64 user:password, inline


def _is_secret(key: object) -> bool:
    """Whether a field named ``key`` holds a secret (``password``, ``private_key_pem``, ``token``,
    ``accessToken``, ``privateKeyPGP``, docker's ``auth`` …); a field naming a file that holds
    one (``private_key_pem_file``, ``tokenFile``) does not."""
    name = str(key).lower().replace("_", "").replace("-", "")
    if name.endswith("file"):
        return False
    return name in _SECRET_NAMES or any(word in name for word in _SECRET_WORDS)


def redact_secrets(data: Any) -> Any:
    """A copy of ``data`` with the value of every secret field replaced by :data:`REDACTED`.

        >>> redact_secrets({"username": "me", "password": "s3cret", "tokenFile": "t.txt"})
        {'username': 'me', 'password': '<redacted>', 'tokenFile': 't.txt'}

    Secret fields are recognised by name at any depth; an empty value stays empty.
    """
    if isinstance(data, Mapping):
        return {
            key: REDACTED if _is_secret(key) and value not in (None, "") else redact_secrets(value)
            for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [redact_secrets(item) for item in data]
    return data


_GO_JSON_ESCAPES = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029"})


def _identity(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return plain(value)
    return {key: number_text(value[key]) or plain(value[key]) for key in sorted(value)}


def _field(data: Mapping[str, Any], name: str) -> Any:
    found = lookup(data, name)
    return None if found is MISSING else found


def _credentials(config: Config) -> dict[str, Any] | None:
    entries = config.entries_of(CREDENTIALS, "v1", "")
    if not entries:
        return None
    repositories: list[Any] = []
    consumers: list[Any] = []
    for entry in entries:
        for item in list_value(_field(entry.data, "repositories"), f"{entry.where}.repositories"):
            spec = _field(item, "repository") if isinstance(item, Mapping) else None
            repositories.append({"repository": plain(spec)})
        items = list_value(_field(entry.data, "consumers"), f"{entry.where}.consumers")
        for i, item in enumerate(items):
            consumer = item if isinstance(item, Mapping) else {}
            where = f"{entry.where}.consumers[{i}].identities"
            identities = [_identity(x) for x in list_value(_field(consumer, "identities"), where)]
            single = _field(consumer, "identity")
            if single:
                identities.append(_identity(single))
            credentials = _field(consumer, "credentials")
            consumers.append(
                {
                    "identities": identities or None,
                    "credentials": [plain(c) for c in credentials] if credentials else None,
                }
            )
    data: dict[str, Any] = {"type": str(entries[0].type)}
    if repositories:
        data["repositories"] = repositories
    if consumers:
        data["consumers"] = consumers
    return data


def effective_config(config: Config, *, show_secrets: bool = False) -> dict[str, Any]:
    """The merged configuration as one ``generic.config.ocm.software/v1`` object (Go's JSON form).

    Secret values (passwords, tokens, private keys written inline) are replaced by
    :data:`REDACTED` unless ``show_secrets`` is true (see :func:`redact_secrets`).
    Raises :class:`~pyocm.errors.ValidationError` for an entry Go would reject (a bad
    ``copyMode``, a negative http timeout, a field of the wrong type).
    """
    shown: list[dict[str, Any]] = [filesystem_config(config).to_dict()]
    http = http_config(config)
    if http.configured:
        shown.append(http.to_dict())
    for section in (
        legacy_resolvers_config(config),
        resolvers_config(config),
        transfer_config(config),
        plugin_config(config),
        *extract_configs(config),
    ):
        if section is not None:
            shown.append(section.to_dict())
    credentials = _credentials(config)
    if credentials is not None:
        shown.append(credentials)
    data = {"type": f"{GENERIC}/v1", "configurations": shown}
    return data if show_secrets else dict(redact_secrets(data))


def render_config(data: Mapping[str, Any], output: str = "yaml") -> str:
    """``data`` as ``ocm get config -o output`` prints it: ``yaml``, ``json`` or ``ndjson``."""
    if output == "json":
        return json.dumps(data, indent=2, ensure_ascii=False).translate(_GO_JSON_ESCAPES) + "\n"
    if output == "ndjson":
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return text.translate(_GO_JSON_ESCAPES) + "\n"
    if output != "yaml":
        raise ValueError(f"unsupported output format: {output}")
    from pyocm._internal.documents import dump_data

    return dump_data(dict(data), "yaml")
