"""The JSON schemas of component descriptors (``v2`` and ``ocm.software/v3alpha1``) as data.

    >>> from pyocm.descriptor._schema import PATTERNS, V2_SCHEMA
    >>> V2_SCHEMA["required"]
    ['meta', 'component']
    >>> import re
    >>> bool(re.search(PATTERNS["component name"], "acme.org/app"))
    True
    >>> bool(re.search(PATTERNS["component name"], "acme.org"))
    False

The rules follow the OCM specification as the reference tools state it (the v2 schema of
the Go v2 bindings and the v2/v3 schemas of the legacy Go library), written here in our own
structure.  Deliberate choices:

* Nullable lists and digests are ``{"type": [..., "null"]}`` rather than ``anyOf``, so every
  violation is reported at the field that breaks it instead of as "matches no alternative".
* The ``type`` of resources, sources, access specs and repository contexts only has to start
  with a letter or digit.  The reference pattern has no end anchor, so that is all it checks;
  stricter checking would reject real types such as ``landscaper.gardener.cloud/blueprint``.
* ``extraIdentity`` and ``identitySelector`` values must be strings (the specification's
  string-to-string map; the reference schema checks only the keys).
* Patterns are written with ``[0-9]`` for digits and a final ``$``; the validator in
  :mod:`pyocm.descriptor.validate` gives ``$`` its JSON Schema (ECMA 262) meaning, the end of
  the text, not "before a final newline" as in Python.
* ``format: date-time`` (``creationTime``, signature timestamps) is asserted: RFC 3339.

Each named rule carries a ``title`` that validation messages quote ("does not match the
component name pattern ...").
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

_NUMBER = "(0|[1-9][0-9]*)"
_PRERELEASE_PART = "(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
_BUILD_PART = "[0-9a-zA-Z-]+"
_DOMAIN_PART = "[a-z][-a-z0-9]*"
_PATH_PART = "[a-z][-a-z0-9_]*"

PATTERNS: dict[str, str] = {
    # a DNS-like domain with at least two labels, then one or more path segments
    "component name": (
        f"^{_DOMAIN_PART}([.]{_DOMAIN_PART})*[.][a-z]{{2,}}(/{_PATH_PART}([.]{_PATH_PART})*)+$"
    ),
    # semver, with an optional leading "v" and optional minor and patch numbers
    "relaxed semver": (
        f"^v?{_NUMBER}([.]{_NUMBER})?([.]{_NUMBER})?"
        f"(-{_PRERELEASE_PART}([.]{_PRERELEASE_PART})*)?"
        f"([+]{_BUILD_PART}([.]{_BUILD_PART})*)?$"
    ),
    "identity attribute key": "^[a-z0-9]([-_+a-z0-9]*[a-z0-9])?$",
    "type name": "^[a-zA-Z0-9]",
    "label version": "^v[0-9]+$",
    "merge algorithm": "^[a-z][a-z0-9/_-]+$",
    "schema version": "^v2",
}
"""The patterns of the specification by the name validation messages use for them."""


def _pattern(title: str, **more: Any) -> Schema:
    return {"title": title, "type": "string", "pattern": PATTERNS[title], **more}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def _list(item: Schema, *, nullable: bool = True) -> Schema:
    return {"type": ["array", "null"] if nullable else "array", "items": item}


def _object(
    properties: Schema,
    required: tuple[str, ...] = (),
    *,
    closed: bool = False,
    nullable: bool = False,
) -> Schema:
    schema: Schema = {"type": ["object", "null"] if nullable else "object"}
    if required:
        schema["required"] = list(required)
    schema["properties"] = properties
    if closed:
        schema["additionalProperties"] = False
    return schema


_STRING: Schema = {"type": "string"}
_ANY: Schema = {}
_DATE_TIME: Schema = {"type": "string", "format": "date-time"}

_SHARED_DEFS: dict[str, Schema] = {
    "nonEmptyString": {"title": "non-empty string", "type": "string", "minLength": 1},
    "componentName": _pattern("component name", maxLength=255),
    "relaxedSemver": _pattern("relaxed semver"),
    "identityKey": _pattern("identity attribute key", minLength=2),
    "ocmType": _pattern("type name"),
    "identity": {
        "type": "object",
        "propertyNames": _ref("identityKey"),
        "additionalProperties": _STRING,
    },
    "merge": _object(
        {"algorithm": _pattern("merge algorithm"), "config": _ANY},
        closed=True,
    ),
}


def _digest(*, nullable: bool = False, closed: bool = False) -> Schema:
    fields = ("hashAlgorithm", "normalisationAlgorithm", "value")
    return _object(dict.fromkeys(fields, _STRING), fields, nullable=nullable, closed=closed)


def _typed(type_rule: Schema) -> Schema:
    """An access spec or repository context: an object with a ``type``, anything else goes."""
    return _object({"type": type_rule}, ("type",))


def _v2_defs() -> dict[str, Schema]:
    labels = _list(_ref("label"))
    element = {
        "name": _ref("identityKey"),
        "version": _ref("relaxedSemver"),
        "extraIdentity": _ref("identity"),
        "labels": labels,
    }
    return {
        **_SHARED_DEFS,
        "label": _object(
            {
                "name": _ref("nonEmptyString"),
                "value": _ANY,
                "version": _pattern("label version", type=["string", "null"]),
                "signing": {"type": "boolean"},
                "merge": _ref("merge"),
            },
            ("name", "value"),
        ),
        "typed": _typed(_ref("ocmType")),
        "source": _object(
            {**element, "type": _ref("ocmType"), "access": _ref("typed")},
            ("name", "version", "type", "access"),
        ),
        "srcRef": _object(
            {"identitySelector": _ref("identity"), "labels": labels},
            closed=True,
        ),
        "resource": _object(
            {
                **element,
                "type": _ref("ocmType"),
                "relation": {"type": "string", "enum": ["local", "external"]},
                "srcRefs": _list(_ref("srcRef")),
                "access": _ref("typed"),
                "digest": _digest(nullable=True),
            },
            ("name", "version", "type", "relation", "access"),
        ),
        "reference": _object(
            {
                **element,
                "componentName": _ref("componentName"),
                "digest": _digest(nullable=True),
            },
            ("name", "componentName", "version"),
            closed=True,
        ),
        "signature": _object(
            {
                "name": _ref("nonEmptyString"),
                "digest": _digest(),
                "signature": _object(
                    {
                        "algorithm": _ref("nonEmptyString"),
                        "value": _ref("nonEmptyString"),
                        "mediaType": _ref("nonEmptyString"),
                        "issuer": _ref("nonEmptyString"),
                    },
                    ("algorithm", "value", "mediaType"),
                ),
                "timestamp": _object({"value": _ref("nonEmptyString"), "time": _DATE_TIME}),
            },
            ("name", "digest", "signature"),
            closed=True,
        ),
        "nestedDigests": _object(
            {
                "name": _ref("componentName"),
                "version": _ref("relaxedSemver"),
                "digest": _digest(),
                "resourceDigests": _list(
                    _object(
                        {
                            "name": _ref("nonEmptyString"),
                            "version": _STRING,
                            "extraIdentity": _ref("identity"),
                            "digest": _digest(),
                        },
                        ("name",),
                    )
                ),
            },
            ("name", "version"),
        ),
    }


V2_SCHEMA: Schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "OCM component descriptor, schema v2",
    "$defs": _v2_defs(),
    **_object(
        {
            "meta": _object({"schemaVersion": _pattern("schema version")}, ("schemaVersion",)),
            "component": _object(
                {
                    "name": _ref("componentName"),
                    "version": _ref("relaxedSemver"),
                    "creationTime": {"type": ["string", "null"], "format": "date-time"},
                    "provider": _ref("nonEmptyString"),
                    "labels": _list(_ref("label")),
                    "repositoryContexts": _list(_ref("typed")),
                    "resources": _list(_ref("resource")),
                    "sources": _list(_ref("source")),
                    "componentReferences": _list(_ref("reference")),
                },
                (
                    "name",
                    "version",
                    "repositoryContexts",
                    "provider",
                    "sources",
                    "componentReferences",
                    "resources",
                ),
            ),
            "signatures": _list(_ref("signature")),
            "nestedDigests": _list(_ref("nestedDigests")),
        },
        ("meta", "component"),
    ),
}
"""Schema ``v2``: the format the Go v2 tools read and write, and the one pyocm writes."""

LABELS_SCHEMA: Schema = {
    "$schema": V2_SCHEMA["$schema"],
    "$defs": V2_SCHEMA["$defs"],
    **_object({"labels": _list(_ref("label"))}),
}
"""The v2 label rules alone, for labels that the v2 shape hides in a string (provider labels)."""


def _v3_defs() -> dict[str, Schema]:
    labels = _list(_ref("label"), nullable=False)
    element = {
        "name": _ref("identityKey"),
        "version": _ref("relaxedSemver"),
        "extraIdentity": _ref("identity"),
        "labels": labels,
    }
    return {
        **_SHARED_DEFS,
        "label": _object(
            {
                "name": _ref("nonEmptyString"),
                "value": _ANY,
                "version": _pattern("label version", type=["string", "null"]),
                "signing": {"type": "boolean"},
                "merge": _ref("merge"),
            },
            ("name", "value"),
            closed=True,
        ),
        "typed": _typed(_STRING),
        "source": _object(
            {**element, "type": _ref("nonEmptyString"), "access": _ref("typed")},
            ("name", "version", "type", "access"),
        ),
        "srcRef": _object(
            {"identitySelector": _ref("identity"), "labels": labels},
            closed=True,
        ),
        "resource": _object(
            {
                **element,
                "type": _ref("nonEmptyString"),
                "relation": {"type": "string", "enum": ["local", "external"]},
                "srcRefs": _list(_ref("srcRef"), nullable=False),
                "access": _ref("typed"),
                "digest": _digest(nullable=True, closed=True),
            },
            ("name", "version", "type", "relation", "access"),
        ),
        "reference": _object(
            {
                **element,
                "componentName": _ref("componentName"),
                "digest": _digest(nullable=True, closed=True),
            },
            ("name", "componentName", "version"),
            closed=True,
        ),
        "signature": _object(
            {
                "name": _ref("nonEmptyString"),
                "digest": _digest(closed=True),
                "signature": _object(
                    dict.fromkeys(("algorithm", "value", "mediaType"), _STRING),
                    ("algorithm", "value", "mediaType"),
                    closed=True,
                ),
                "timestamp": _object({"value": _STRING, "time": _DATE_TIME}),
            },
            ("name", "digest", "signature"),
            closed=True,
        ),
        "nestedDigests": _object(
            {
                "name": _ref("componentName"),
                "version": _ref("relaxedSemver"),
                "digest": _digest(closed=True),
                "resourceDigests": _list(
                    _object(
                        {
                            "name": _STRING,
                            "version": _STRING,
                            "extraIdentity": _ref("identity"),
                            "digest": _digest(closed=True),
                        },
                        ("name", "digest"),
                    ),
                    nullable=False,
                ),
            },
            ("name", "version", "digest", "resourceDigests"),
            closed=True,
        ),
    }


V3ALPHA1_SCHEMA: Schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "OCM component descriptor, schema ocm.software/v3alpha1",
    "$defs": _v3_defs(),
    **_object(
        {
            "apiVersion": {
                "type": "string",
                "enum": ["ocm.software/v3alpha1", "ocm.gardener.cloud/v3alpha1"],
            },
            "kind": {"type": "string", "const": "ComponentVersion"},
            "metadata": _object(
                {
                    "name": _ref("componentName"),
                    "version": _ref("relaxedSemver"),
                    "labels": _list(_ref("label"), nullable=False),
                    "provider": _object(
                        {
                            "name": _ref("nonEmptyString"),
                            "labels": _list(_ref("label"), nullable=False),
                        },
                        ("name",),
                        closed=True,
                    ),
                    "creationTime": _DATE_TIME,
                },
                ("name", "version", "provider"),
                closed=True,
            ),
            "repositoryContexts": _list(_ref("typed"), nullable=False),
            "spec": _object(
                {
                    "sources": _list(_ref("source"), nullable=False),
                    "references": _list(_ref("reference"), nullable=False),
                    "resources": _list(_ref("resource"), nullable=False),
                },
                closed=True,
            ),
            "signatures": _list(_ref("signature"), nullable=False),
            "nestedDigests": _list(_ref("nestedDigests"), nullable=False),
        },
        ("apiVersion", "kind", "metadata", "spec"),
    ),
}
"""Schema ``ocm.software/v3alpha1`` (legacy Go tools only): stricter than v2 in many places.

Unlike the legacy schema file, ``metadata.provider`` is required: the legacy validation
rejects a descriptor without a provider, so a document without one is never usable.
"""
