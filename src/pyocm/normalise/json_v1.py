"""``jsonNormalisation/v1`` exactly as the legacy Go library (open-component-model/ocm) does it.

    >>> from pyocm.descriptor import Component, Descriptor, Provider, Resource
    >>> from pyocm.normalise.json_v1 import normalise_v1
    >>> cd = Descriptor(Component("acme.org/app", "1.0.0", Provider("acme")))
    >>> cd.component.resources.append(Resource("readme", "1.0.0", type="plainText"))
    >>> normalise_v1(cd).decode()[:98]
    '[{"component":[{"componentReferences":[]},{"name":"acme.org/app"},{"provider":"acme"},{"resources"'

v1 is the only algorithm whose output depends on the schema version the descriptor was read
from.  The legacy library runs the extra-identity defaulting over the resources
(:mod:`pyocm.normalise.legacy_identity`), converts the descriptor to that schema's Go struct,
applies the schema's rule table and writes the entry-list encoding
(:mod:`pyocm.normalise.entry_list`).

Schema ``v2`` keeps ``meta`` and ``component`` with ``name``, ``version``, ``creationTime``
(UTC, whole seconds), signing ``labels``, ``provider`` (the plain string, or an object with
signing ``labels`` when the provider has labels), ``resources`` and ``componentReferences``;
``sources`` and ``repositoryContexts`` are dropped.  Resources and references always carry an
``extraIdentity`` (``null`` when empty), their labels are signing-filtered, a resource whose
access type is ``none``/``None`` loses its digest.

Schema ``ocm.software/v3alpha1`` keeps ``apiVersion``, ``kind``, ``metadata`` (with signing
``labels`` but *all* provider labels, unfiltered: the rule table files that rule under
``spec.provider``, which does not exist) and ``spec`` with ``resources``, ``sources`` and
``references`` when not empty; empty extra identities are left out there.  Its older spelling
``ocm.gardener.cloud/v3alpha1`` (legacy releases until October 2022) is normalised the same
way, with ``apiVersion`` as read.

Not reproduced: a v2 provider name that is itself JSON object text (only possible by encoding
the provider twice) is parsed once more by the Go code; here it stays a name.
"""

from __future__ import annotations

from typing import Any

from pyocm.descriptor import Descriptor, Reference, Resource, Source
from pyocm.descriptor.model import SCHEMA_V2
from pyocm.descriptor.v3alpha1 import API_VERSIONS
from pyocm.errors import UnsupportedAlgorithm
from pyocm.normalise._fields import (
    digest_dict,
    is_none_access,
    legacy_raw_label,
    legacy_signing_labels,
    reparsed_provider,
)
from pyocm.normalise.creation_time import canonical_creation_time
from pyocm.normalise.entry_list import entry_list_json
from pyocm.normalise.legacy_identity import defaulted_extra_identities


def _element(
    element: Resource | Source | Reference, extra_identity: dict[str, str], null_identity: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {"name": element.name, "version": element.version}
    if extra_identity:
        out["extraIdentity"] = extra_identity
    elif null_identity:
        out["extraIdentity"] = None
    labels = legacy_signing_labels(element.labels)
    if labels:
        out["labels"] = labels
    return out


def _resource(
    resource: Resource, extra_identity: dict[str, str], null_identity: bool
) -> dict[str, Any]:
    out = _element(resource, extra_identity, null_identity)
    out["type"] = resource.type
    if resource.relation:
        out["relation"] = resource.relation
    if resource.digest is not None and not is_none_access(resource.access):
        out["digest"] = digest_dict(resource.digest)
    return out


def _source(source: Source) -> dict[str, Any]:
    out = _element(source, source.extra_identity, False)
    out["type"] = source.type
    return out


def _reference(reference: Reference, null_identity: bool) -> dict[str, Any]:
    out = _element(reference, reference.extra_identity, null_identity)
    out["componentName"] = reference.component_name
    if reference.digest is not None:
        out["digest"] = digest_dict(reference.digest)
    return out


def _v2_document(descriptor: Descriptor, null_identity: bool) -> dict[str, Any]:
    component = descriptor.component
    identities = defaulted_extra_identities(component.resources)
    provider = reparsed_provider(component.provider)
    provider_out: Any = provider.name
    if provider.labels:
        provider_out = {"name": provider.name}
        provider_labels = legacy_signing_labels(provider.labels)
        if provider_labels:
            provider_out["labels"] = provider_labels
    out: dict[str, Any] = {
        "name": component.name,
        "version": component.version,
        "provider": provider_out,
        "resources": [
            _resource(r, eid, null_identity)
            for r, eid in zip(component.resources, identities, strict=True)
        ],
        "componentReferences": [_reference(r, null_identity) for r in component.references],
    }
    if component.creation_time is not None:
        out["creationTime"] = canonical_creation_time(component.creation_time)
    labels = legacy_signing_labels(component.labels)
    if labels:
        out["labels"] = labels
    return {"component": out, "meta": {"schemaVersion": SCHEMA_V2}}


def _v3alpha1_document(descriptor: Descriptor) -> dict[str, Any]:
    component = descriptor.component
    identities = defaulted_extra_identities(component.resources)
    original = reparsed_provider(component.provider)
    provider: dict[str, Any] = {"name": original.name}
    if original.labels:
        provider["labels"] = [legacy_raw_label(label) for label in original.labels]
    metadata: dict[str, Any] = {
        "name": component.name,
        "version": component.version,
        "provider": provider,
    }
    labels = legacy_signing_labels(component.labels)
    if labels:
        metadata["labels"] = labels
    if component.creation_time is not None:
        metadata["creationTime"] = canonical_creation_time(component.creation_time)
    spec: dict[str, Any] = {}
    if component.resources:
        spec["resources"] = [
            _resource(r, eid, False) for r, eid in zip(component.resources, identities, strict=True)
        ]
    if component.sources:
        spec["sources"] = [_source(s) for s in component.sources]
    if component.references:
        spec["references"] = [_reference(r, False) for r in component.references]
    return {
        "apiVersion": descriptor.schema_version,  # as read: legacy releases wrote either spelling
        "kind": "ComponentVersion",
        "metadata": metadata,
        "spec": spec,
    }


def normalise_v1(descriptor: Descriptor, *, null_extra_identity: bool = True) -> bytes:
    """The ``jsonNormalisation/v1`` bytes of ``descriptor`` for its schema version.

    ``null_extra_identity=False`` gives the historic v1 variant that wrote no
    ``"extraIdentity":null`` for schema ``v2`` resources and references; some old signatures
    (e.g. the legacy library's compat test fixture) were made with it.

    Raises :class:`pyocm.errors.UnsupportedAlgorithm` for a schema version v1 does not define.
    """
    if descriptor.schema_version == SCHEMA_V2:
        return entry_list_json(_v2_document(descriptor, null_extra_identity))
    if descriptor.schema_version in API_VERSIONS:
        return entry_list_json(_v3alpha1_document(descriptor))
    raise UnsupportedAlgorithm(
        f"jsonNormalisation/v1 is not defined for schema version {descriptor.schema_version!r}"
    )
