"""``jsonNormalisation/v3`` and ``v2`` exactly as the legacy Go library (open-component-model/ocm).

    >>> from pyocm.descriptor import Component, Descriptor, Provider
    >>> from pyocm.normalise.json_v3 import normalise_v3
    >>> cd = Descriptor(Component("acme.org/app", "1.0.0", Provider("acme"),
    ...                           creation_time="2024-05-01T10:00:00.7+02:00"))
    >>> normalise_v3(cd)
    b'{"component":{"componentReferences":[],"creationTime":"2024-05-01T08:00:01Z","name":"acme.org/app","provider":{"name":"acme"},"resources":[],"sources":[],"version":"1.0.0"}}'

The legacy library normalises the JSON of its internal model with its rule table and writes
canonical JSON (RFC 8785).  What that keeps, field by field:

* ``component``: ``name``, ``version``, ``creationTime`` (re-written in UTC, whole seconds),
  ``labels`` (signing ones), ``provider`` (always an object: ``name``, signing ``labels``),
  ``resources``, ``sources``, ``componentReferences`` (always lists).
* a label kept by the label rule: ``name``, ``value``, ``version`` (when set), ``signing``;
  ``null`` values stay ``null``.  The ``labels`` key is left out when no label is kept.
* resources: ``name``, ``version``, ``extraIdentity`` (when not empty), ``labels``, ``type``,
  ``relation`` (when not empty), ``digest`` (when set, unless the access type is ``none`` or
  ``None``).  Sources: ``name``, ``version``, ``extraIdentity``, ``labels``, ``type``.
* references: ``name``, ``version``, ``extraIdentity``, ``componentName``, ``digest`` (when set)
  and *all* labels with all their fields, ``merge`` included: the rule table files its
  reference rule under ``references`` while the key is ``componentReferences``.

``v2`` is ``v3`` after the legacy extra-identity defaulting of the resources
(:mod:`pyocm.normalise.legacy_identity`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pyocm.descriptor import Descriptor, Reference, Resource, Source
from pyocm.normalise._fields import (
    digest_dict,
    is_none_access,
    legacy_raw_label,
    legacy_signing_labels,
    reparsed_provider,
)
from pyocm.normalise.creation_time import canonical_creation_time
from pyocm.normalise.jcs import canonical_json
from pyocm.normalise.legacy_identity import defaulted_extra_identities


def _resource(resource: Resource, extra_identity: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": resource.name, "version": resource.version}
    if extra_identity:
        out["extraIdentity"] = extra_identity
    labels = legacy_signing_labels(resource.labels)
    if labels:
        out["labels"] = labels
    out["type"] = resource.type
    if resource.relation:
        out["relation"] = resource.relation
    if resource.digest is not None and not is_none_access(resource.access):
        out["digest"] = digest_dict(resource.digest)
    return out


def _source(source: Source) -> dict[str, Any]:
    out: dict[str, Any] = {"name": source.name, "version": source.version}
    if source.extra_identity:
        out["extraIdentity"] = source.extra_identity
    labels = legacy_signing_labels(source.labels)
    if labels:
        out["labels"] = labels
    out["type"] = source.type
    return out


def _reference(reference: Reference) -> dict[str, Any]:
    out: dict[str, Any] = {"name": reference.name, "version": reference.version}
    if reference.extra_identity:
        out["extraIdentity"] = reference.extra_identity
    if reference.labels:
        out["labels"] = [legacy_raw_label(label) for label in reference.labels]
    out["componentName"] = reference.component_name
    if reference.digest is not None:
        out["digest"] = digest_dict(reference.digest)
    return out


def _document(descriptor: Descriptor, extra_identities: Sequence[dict[str, str]]) -> dict[str, Any]:
    component = descriptor.component
    provider = reparsed_provider(component.provider)
    provider_out: dict[str, Any] = {"name": provider.name}
    provider_labels = legacy_signing_labels(provider.labels)
    if provider_labels:
        provider_out["labels"] = provider_labels
    out: dict[str, Any] = {
        "name": component.name,
        "version": component.version,
        "provider": provider_out,
        "resources": [
            _resource(r, eid) for r, eid in zip(component.resources, extra_identities, strict=True)
        ],
        "sources": [_source(s) for s in component.sources],
        "componentReferences": [_reference(r) for r in component.references],
    }
    if component.creation_time is not None:
        out["creationTime"] = canonical_creation_time(component.creation_time)
    labels = legacy_signing_labels(component.labels)
    if labels:
        out["labels"] = labels
    return {"component": out}


def normalise_v3(descriptor: Descriptor) -> bytes:
    """The ``jsonNormalisation/v3`` bytes of ``descriptor`` (legacy Go semantics)."""
    resources = descriptor.component.resources
    return canonical_json(_document(descriptor, [r.extra_identity for r in resources]))


def normalise_v2(descriptor: Descriptor) -> bytes:
    """The ``jsonNormalisation/v2`` bytes: ``v3`` after the legacy extra-identity defaulting."""
    resources = descriptor.component.resources
    return canonical_json(_document(descriptor, defaulted_extra_identities(resources)))
