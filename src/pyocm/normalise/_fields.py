"""JSON shapes of model parts, as the Go structs of the reference tools marshal them.

Shared by the normalisation modules; the algorithms pick the shapes their implementation
produces (the legacy library's ``metav1.Label`` keeps ``version`` and ``merge``, the v2
monorepo's runtime label keeps only ``name``, ``value`` and ``signing``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pyocm.descriptor import AccessSpec, Digest, Label, Provider

NONE_ACCESS_TYPES = frozenset({"none", "None"})


def is_none_access(access: AccessSpec | None) -> bool:
    """Whether an access has type ``none`` (or ``None``); such resources lose their digest."""
    return access is not None and access.type in NONE_ACCESS_TYPES


def digest_dict(digest: Digest) -> dict[str, Any]:
    """A digest spec's JSON object."""
    return {
        "hashAlgorithm": digest.hash_algorithm,
        "normalisationAlgorithm": digest.normalisation_algorithm,
        "value": digest.value,
    }


def legacy_signing_labels(labels: Iterable[Label]) -> list[dict[str, Any]]:
    """The labels the legacy label rule keeps: signing ones, with name, version, value, signing."""
    out = []
    for label in labels:
        if label.signing:
            item: dict[str, Any] = {"name": label.name, "value": label.value, "signing": True}
            if label.version:
                item["version"] = label.version
            out.append(item)
    return out


def legacy_raw_label(label: Label) -> dict[str, Any]:
    """A label as the legacy library's ``metav1.Label`` marshals it, ``merge`` included."""
    item: dict[str, Any] = {"name": label.name, "value": label.value}
    if label.version:
        item["version"] = label.version
    if label.signing:
        item["signing"] = True
    if label.merge is not None:
        algorithm = label.merge.get("algorithm")
        merge: dict[str, Any] = {"algorithm": algorithm if isinstance(algorithm, str) else ""}
        if "config" in label.merge:
            merge["config"] = label.merge["config"]
        item["merge"] = merge
    return item


_JSON_WHITESPACE = " \t\n\r"


def is_null_provider(provider: Provider) -> bool:
    """Whether a v2 provider string is the JSON text ``null`` (JSON whitespace around it allowed).

    Both Go readers decode a provider string as JSON first and take the string as the name only
    when that fails; ``null`` decodes without error to an empty provider (Go v2 normalises it
    to ``"provider":{}``, the legacy library to the empty name).
    """
    return not provider.labels and provider.name.strip(_JSON_WHITESPACE) == "null"


def reparsed_provider(provider: Provider) -> Provider:
    """The provider a Go reader makes of a v2 provider string that pyocm's reader kept as a name.

    pyocm's reader parses a v2 provider string as JSON only when it starts with ``{``; both Go
    readers skip leading whitespace first, and read ``null`` as an empty provider (see
    :func:`is_null_provider`).  Other providers are returned unchanged.
    """
    name = provider.name
    if is_null_provider(provider):
        return Provider("")
    if provider.labels or name.startswith("{") or not name.lstrip(_JSON_WHITESPACE).startswith("{"):
        return provider
    try:
        data = json.loads(name)
    except ValueError:
        return provider
    return Provider.read(data, "component.provider", [])
