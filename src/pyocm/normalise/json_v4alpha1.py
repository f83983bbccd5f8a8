"""``jsonNormalisation/v4alpha1`` exactly as the Go v2 monorepo (open-component-model) does it.

    >>> import json
    >>> from pyocm.descriptor import Component, Descriptor, Provider, Reference
    >>> from pyocm.normalise.json_v4alpha1 import normalise_v4alpha1
    >>> cd = Descriptor(Component("acme.org/app", "1.0.0", Provider("acme")))
    >>> cd.component.references.append(Reference("lib", "1.0.0", component_name="acme.org/lib"))
    >>> json.loads(normalise_v4alpha1(cd))["component"]["componentReferences"][0]["digest"]
    {'hashAlgorithm': '', 'normalisationAlgorithm': '', 'value': ''}

The Go code converts its runtime model to the v2 struct, marshals it, decodes the JSON into
generic maps and runs its rule table, then writes canonical JSON (RFC 8785).  The result has
the same fields as the legacy ``jsonNormalisation/v3`` (see :mod:`pyocm.normalise.json_v3`)
with these differences, all of them consequences of that pipeline:

* map entries whose value is ``null`` are dropped at every depth (label values included);
  ``null`` list elements stay;
* labels carry only ``name``, ``value`` and ``signing``: the runtime model has no ``version``
  and no ``merge``, also on reference labels (which are not signing-filtered either);
* a reference without a digest gets ``{"hashAlgorithm":"","normalisationAlgorithm":"","value":""}``;
* ``relation`` is always written, ``""`` when empty;
* ``creationTime`` is copied verbatim (left out when empty);
* the provider string ``null`` (JSON whitespace around it allowed) is read as JSON: the
  provider is written as ``{}``;
* an empty provider name, a provider string that starts with ``{`` but is not valid JSON, and a
  resource or source without an access are errors.

Not reproduced: a provider name that is itself JSON object text (only possible by encoding the
provider twice) is parsed once more by the Go code; here it stays a name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pyocm.descriptor import Descriptor, Label, Reference, Resource, Source
from pyocm.errors import ValidationError, Violation
from pyocm.normalise._fields import (
    digest_dict,
    is_none_access,
    is_null_provider,
    reparsed_provider,
)
from pyocm.normalise.jcs import canonical_json

_EMPTY_DIGEST = {"hashAlgorithm": "", "normalisationAlgorithm": "", "value": ""}


def _without_nulls(value: Any) -> Any:
    """``value`` with every ``null`` map entry removed, at any depth (list elements stay)."""
    if type(value) is str:
        return value
    if isinstance(value, Mapping):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_without_nulls(v) for v in value]
    return value


def _labels(labels: Iterable[Label], signing_only: bool) -> list[dict[str, Any]]:
    out = []
    for label in labels:
        if signing_only and not label.signing:
            continue
        item: dict[str, Any] = {"name": label.name}
        if label.value is not None:
            item["value"] = _without_nulls(label.value)
        if label.signing:
            item["signing"] = True
        out.append(item)
    return out


def _element(element: Resource | Source | Reference, signing_only: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"name": element.name, "version": element.version}
    if element.extra_identity:
        out["extraIdentity"] = element.extra_identity
    labels = _labels(element.labels, signing_only)
    if labels:
        out["labels"] = labels
    return out


def _no_access(kind: str, index: int, name: str) -> ValidationError:
    message = f"{name!r} has no access; jsonNormalisation/v4alpha1 needs one"
    return ValidationError([Violation(f"component.{kind}[{index}].access", message)])


def _resource(index: int, resource: Resource) -> dict[str, Any]:
    if resource.access is None:
        raise _no_access("resources", index, resource.name)
    out = _element(resource, True)
    out["type"] = resource.type
    out["relation"] = resource.relation
    if resource.digest is not None and not is_none_access(resource.access):
        out["digest"] = digest_dict(resource.digest)
    return out


def _source(index: int, source: Source) -> dict[str, Any]:
    if source.access is None:
        raise _no_access("sources", index, source.name)
    out = _element(source, True)
    out["type"] = source.type
    return out


def _reference(reference: Reference) -> dict[str, Any]:
    out = _element(reference, False)
    out["componentName"] = reference.component_name
    digest = reference.digest
    out["digest"] = _EMPTY_DIGEST.copy() if digest is None else digest_dict(digest)
    return out


def _provider(descriptor: Descriptor) -> dict[str, Any]:
    if is_null_provider(descriptor.component.provider):
        return {}  # Go v2 decodes the provider string "null" to an empty provider, no error
    provider = reparsed_provider(descriptor.component.provider)
    if not provider.name:
        raise ValidationError([Violation("component.provider", "provider name is empty")])
    if not provider.labels and provider.name.lstrip().startswith("{"):
        try:
            json.loads(provider.name)
        except ValueError:
            reason = f"{provider.name!r} starts with '{{' but is not valid JSON"
            raise ValidationError([Violation("component.provider", reason)]) from None
    out: dict[str, Any] = {"name": provider.name}
    labels = _labels(provider.labels, True)
    if labels:
        out["labels"] = labels
    return out


def normalise_v4alpha1(descriptor: Descriptor) -> bytes:
    """The ``jsonNormalisation/v4alpha1`` bytes of ``descriptor`` (Go v2 monorepo semantics).

    Raises :class:`pyocm.errors.ValidationError` where the Go code fails: an empty provider
    name, a provider string that is broken JSON, a resource or source without an access.
    """
    component = descriptor.component
    out: dict[str, Any] = {
        "name": component.name,
        "version": component.version,
        "provider": _provider(descriptor),
        "resources": [_resource(i, r) for i, r in enumerate(component.resources)],
        "sources": [_source(i, s) for i, s in enumerate(component.sources)],
        "componentReferences": [_reference(r) for r in component.references],
    }
    if component.creation_time:
        out["creationTime"] = component.creation_time
    labels = _labels(component.labels, True)
    if labels:
        out["labels"] = labels
    return canonical_json({"component": out})
