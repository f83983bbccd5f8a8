"""The legacy-compatible writer: component versions as the legacy Go CLI (OCM v1) writes them.

    >>> import tempfile
    >>> from pyocm.blob import BytesBlob
    >>> from pyocm.descriptor import Component, Descriptor, Provider, Resource
    >>> from pyocm.repository import open_repository
    >>> with open_repository(tempfile.mkdtemp() + "/ctf", mode="create",
    ...                      compatibility="legacy") as repo:
    ...     res = repo.add_local_resource("acme.org/app", "1.0.0",
    ...         Resource(name="readme", version="1.0.0", type="plainText"),
    ...         BytesBlob(b"hello", "text/plain"))
    ...     repo.add_component_version(
    ...         Descriptor(Component("acme.org/app", "1.0.0", Provider("acme"), resources=[res])))
    ...     [e.media_type for e in repo.artifacts()], res.access.type
    ([''], 'localBlob')

What Go v2 writes and older v1 CLIs cannot read (v1 sources, ``open-component-model/ocm``):

* access type names in UpperCamelCase (``LocalBlob/v1``, ``OCIImage/v1``, ``Helm/v1`` …):
  v1 registered them in v0.41 (#1920) and handles ``LocalBlob`` end-to-end only since v0.46
  (#1992); older CLIs fail with an unknown access type;
* a component version stored as an OCI image index (OCI artifacts as native local blobs):
  read since v0.36 (#1646) only.

What v1 reads in every release but writes differently, and this mode writes as v1 does so
that a v1 reader (or a digest comparison) sees what it would have written itself:

* the descriptor layer ``…component-descriptor.v2+yaml+tar`` (a tar holding
  ``component-descriptor.yaml``, the YAML of ``sigs.k8s.io/yaml``); v1 reads ``+json`` too
  since v0.5.0, v2 writes ``+json``;
* the manifest without ``artifactType`` and with only the ``software.ocm.componentversion``
  and ``software.ocm.creator`` annotations;
* one layer per distinct blob, annotated ``software.ocm.artifact`` with every element stored
  in it, each as ``{"kind", "identity"}`` where the identity holds the ``version`` only when
  another element of the same list shares name and extra identity (v1 ``GetIdentity``);
* ``artifact-index.json`` entries without ``mediaType`` (v1 before v0.36 never wrote it; it
  ignores the property, Go v2 then assumes an image manifest).

OCI artifacts as local blobs (OCI image layouts) are refused in this mode: v1 stores them as
artifact-set blobs, which pyocm does not write.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from typing import Any, Literal

from pyocm._internal.gojson import marshal, sorted_map
from pyocm.descriptor.model import AccessSpec, Descriptor, Resource, Source
from pyocm.oci.manifest import Descriptor as OCIDescriptor
from pyocm.repository import mediatypes as ocm_types

Compatibility = Literal["v2", "legacy"]
"""Whom a repository writes for: Go v2 (the default) or legacy v1 readers."""
COMPATIBILITIES: tuple[Compatibility, ...] = ("v2", "legacy")

LOCAL_BLOB = "localBlob"
"""The access type v1 writes for local blobs."""

_LEGACY_NAMES = {
    "LocalBlob": LOCAL_BLOB,
    "OCIImage": "ociArtifact",
    "OCIArtifact": "ociArtifact",
    "OCIImageLayer": "ociBlob",
    "Helm": "helm",
    "GitHub": "gitHub",
    "NPM": "npm",
    "Wget": "wget",
    "Git": "git",
    "Maven": "maven",
    "None": "none",
}
_VERSIONS = {"Git": "v1alpha1"}


def legacy_access_type(access_type: str) -> str:
    """The name a legacy reader knows for ``access_type`` (unchanged when it knows it already).

    >>> legacy_access_type("Helm/v1"), legacy_access_type("localBlob/v1")
    ('helm', 'localBlob/v1')
    """
    name, _, version = access_type.partition("/")
    legacy = _LEGACY_NAMES.get(name)
    if legacy is None or version not in ("", _VERSIONS.get(name, "v1")):
        return access_type
    return legacy


def legacy_access(access: AccessSpec | None) -> AccessSpec | None:
    """``access`` with its type, and the type of a nested ``globalAccess``, in legacy names."""
    if access is None:
        return None
    properties = dict(access.properties)
    nested = properties.get("globalAccess")
    if isinstance(nested, dict) and isinstance(nested.get("type"), str):
        properties["globalAccess"] = {**nested, "type": legacy_access_type(nested["type"])}
    return AccessSpec(legacy_access_type(access.type), properties)


def legacy_descriptor(descriptor: Descriptor) -> Descriptor:
    """A copy of ``descriptor`` whose accesses use legacy type names.

    Accesses are not part of any normalised digest, so signatures stay valid.
    """
    copied = copy.deepcopy(descriptor)
    elements: list[Resource | Source] = [*copied.component.resources, *copied.component.sources]
    for element in elements:
        element.access = legacy_access(element.access)
    return copied


def manifest_annotations(component: str, version: str, creator: str) -> dict[str, str]:
    """The two annotations v1 puts on a component-version manifest."""
    return {
        ocm_types.ANNOTATION_COMPONENT_VERSION: f"{component}:{version}",
        ocm_types.ANNOTATION_CREATOR: creator,
    }


def artifact_identity(
    element: Resource | Source, siblings: Sequence[Resource | Source]
) -> dict[str, str]:
    """The identity v1 records for ``element`` (``ElementMeta.GetIdentity``).

    Name and extra identity; the version only when at least two elements of ``siblings``
    (the resources, or the sources) have this name and, their version key removed, this extra
    identity.
    """
    identity = dict(element.extra_identity)
    identity["name"] = element.name
    if not identity.get("version"):
        own = element.extra_identity
        matches = 0
        for other in siblings:
            if other.name != element.name:
                continue
            theirs = {k: v for k, v in other.extra_identity.items() if k != "version"}
            if theirs == own:
                matches += 1
                if matches == 2:
                    identity["version"] = element.version
                    break
    return identity


def adopt(
    layer: OCIDescriptor, element: Resource | Source, siblings: Sequence[Resource | Source]
) -> OCIDescriptor:
    """``layer`` with ``element`` appended to its ``software.ocm.artifact`` annotation.

    Written as v1 marshals it: ``[{"kind":…,"identity":{…}}]``, identity keys sorted.
    """
    kind = "resource" if isinstance(element, Resource) else "source"
    annotations = dict(layer.annotations)
    existing = annotations.get(ocm_types.ANNOTATION_ARTIFACT)
    entries: list[Any] = json.loads(existing) if existing else []
    entries.append({"kind": kind, "identity": sorted_map(artifact_identity(element, siblings))})
    annotations[ocm_types.ANNOTATION_ARTIFACT] = marshal(entries).decode("utf-8")
    return OCIDescriptor(layer.media_type, layer.digest, layer.size, annotations=annotations)
