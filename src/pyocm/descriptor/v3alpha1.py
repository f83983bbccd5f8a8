"""The legacy ``ocm.software/v3alpha1`` schema: read into the v2 model, and its JSON shape.

    >>> from pyocm.descriptor import loads
    >>> cd = loads('''
    ... apiVersion: ocm.software/v3alpha1
    ... kind: ComponentVersion
    ... metadata: {name: acme.org/app, version: 1.0.0, provider: {name: acme}}
    ... repositoryContexts: []
    ... spec: {}
    ... ''')
    >>> cd.schema_version, cd.component.provider.name
    ('ocm.software/v3alpha1', 'acme')

Only the legacy Go CLI writes this schema; pyocm reads it and writes v2.  The v3alpha1 shape
is still needed for ``jsonNormalisation/v1``, whose output depends on the schema version.
``schema_version`` keeps the ``apiVersion`` as written: legacy releases before October 2022
wrote ``ocm.gardener.cloud/v3alpha1`` and normalised with that spelling.

Fields under ``spec`` other than ``resources``, ``sources`` and ``references`` are dropped on
reading, on purpose: the legacy Go CLI decodes ``spec`` into a struct that has no room for
them (and its schema rejects them), so they never reach its digests.  Keeping them would put
fields into the v2 ``component`` that the Go tools never see.
:func:`pyocm.descriptor.validate_document` reports them.  Unknown ``metadata`` fields are kept
in the component's ``extra``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyocm.descriptor.model import (
    Component,
    Descriptor,
    Provider,
    Reference,
    Resource,
    Signature,
    Source,
    _labels,
    _nested_digests,
    _Reader,
    read_contexts,
    read_elements,
)
from pyocm.errors import Violation

API_VERSIONS = ("ocm.software/v3alpha1", "ocm.gardener.cloud/v3alpha1")
"""The v3alpha1 ``apiVersion`` spellings: today's, and the one legacy releases wrote until 2022."""
SCHEMA_V3ALPHA1 = API_VERSIONS[0]


def is_v3alpha1(data: Mapping[str, Any]) -> bool:
    """Whether a parsed document uses the v3alpha1 layout (``apiVersion`` instead of ``meta``)."""
    return data.get("apiVersion") in API_VERSIONS


def read_v3alpha1(r: _Reader) -> Descriptor:
    """Read a v3alpha1 document into the (v2) model."""
    api_version = r.string("apiVersion")
    kind = r.string("kind")
    if kind and kind != "ComponentVersion":
        r.violations.append(Violation("kind", f"must be ComponentVersion, not {kind!r}"))
    md = _Reader(r.get("metadata"), "metadata", r.violations)
    spec = _Reader(r.get("spec") or {}, "spec", r.violations)
    component = Component(
        name=md.string("name"),
        version=md.string("version"),
        provider=Provider.read(md.get("provider"), md.at("provider"), r.violations),
        creation_time=md.optional_string("creationTime"),
        labels=_labels(md, "labels"),
        repository_contexts=read_contexts(r),
        resources=read_elements(spec, "resources", Resource),
        sources=read_elements(spec, "sources", Source),
        references=read_elements(spec, "references", Reference),
        extra=md.rest(),
    )
    return Descriptor(
        component=component,
        signatures=[Signature.read(_Reader(x, p, r.violations)) for p, x in r.items("signatures")],
        nested_digests=_nested_digests(r),
        schema_version=api_version,
        extra=r.rest(),
    )


def to_v3alpha1_dict(descriptor: Descriptor) -> dict[str, Any]:
    """The v3alpha1 JSON shape of a descriptor (empty spec lists omitted, as the Go writer does)."""
    c = descriptor.component
    provider: dict[str, Any] = {"name": c.provider.name}
    if c.provider.labels:
        provider["labels"] = [label.to_dict() for label in c.provider.labels]
    metadata: dict[str, Any] = {"name": c.name, "version": c.version}
    if c.labels:
        metadata["labels"] = [label.to_dict() for label in c.labels]
    metadata["provider"] = provider
    if c.creation_time is not None:
        metadata["creationTime"] = c.creation_time
    spec: dict[str, Any] = {}
    if c.sources:
        spec["sources"] = [s.to_dict() for s in c.sources]
    if c.references:
        spec["references"] = [r.to_dict() for r in c.references]
    if c.resources:
        spec["resources"] = [r.to_dict() for r in c.resources]
    out: dict[str, Any] = {
        "apiVersion": SCHEMA_V3ALPHA1,
        "kind": "ComponentVersion",
        "metadata": metadata,
        "repositoryContexts": [dict(x) for x in c.repository_contexts],
        "spec": spec,
    }
    if descriptor.signatures:
        out["signatures"] = [s.to_dict() for s in descriptor.signatures]
    if descriptor.nested_digests is not None:
        out["nestedDigests"] = descriptor.nested_digests
    return out
