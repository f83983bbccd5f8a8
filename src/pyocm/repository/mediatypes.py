"""OCM media types, annotation keys and access type names used in OCI-based storage.

>>> from pyocm.repository.mediatypes import DESCRIPTOR_JSON, is_descriptor_tar
>>> DESCRIPTOR_JSON
'application/vnd.ocm.software.component-descriptor.v2+json'
>>> is_descriptor_tar("application/vnd.gardener.cloud.cnudie.component-descriptor.v2+yaml+tar")
True
"""

from __future__ import annotations

COMPONENT_CONFIG = "application/vnd.ocm.software.component.config.v1+json"
LEGACY_COMPONENT_CONFIG = "application/vnd.gardener.cloud.cnudie.component.config.v1+json"
LEGACY2_COMPONENT_CONFIG = (
    "application/vnd.oci.gardener.cloud.cnudie.component-descriptor-metadata.config.v2+json"
)
COMPONENT_CONFIGS = frozenset({COMPONENT_CONFIG, LEGACY_COMPONENT_CONFIG, LEGACY2_COMPONENT_CONFIG})

DESCRIPTOR_V2 = "application/vnd.ocm.software.component-descriptor.v2"
"""The ``artifactType`` Go v2 gives a component-descriptor manifest."""
DESCRIPTOR_JSON = DESCRIPTOR_V2 + "+json"
DESCRIPTOR_YAML = DESCRIPTOR_V2 + "+yaml"
DESCRIPTOR_YAML_TAR = DESCRIPTOR_V2 + "+yaml+tar"
LEGACY_DESCRIPTOR_JSON = "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+json"
LEGACY_DESCRIPTOR_YAML = "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+yaml"
LEGACY_DESCRIPTOR_YAML_TAR = LEGACY_DESCRIPTOR_YAML + "+tar"
LEGACY2_DESCRIPTOR_YAML_TAR = (
    "application/vnd.oci.gardener.cloud.cnudie.component-descriptor.config.v2+yaml+tar"
)
DESCRIPTOR_TAR_FILE = "component-descriptor.yaml"

OCI_LAYOUT = "application/vnd.ocm.software.oci.layout.v1"
OCI_LAYOUT_TAR = OCI_LAYOUT + "+tar"
OCI_LAYOUT_TAR_GZIP = OCI_LAYOUT + "+tar+gzip"
OCI_LAYOUTS = frozenset({OCI_LAYOUT_TAR, OCI_LAYOUT_TAR_GZIP})
LAYOUT_ARCHIVES = OCI_LAYOUTS | {
    "application/vnd.oci.image.layout.v1+tar",
    "application/vnd.oci.image.layout.v1+tar+gzip",
}
"""Every media type that names an OCI image layout archive: OCM's and the OCI spec's."""
ARTIFACT_SETS = frozenset(
    f"application/vnd.{kind}+tar{gzip}"
    for kind in (
        "oci.image.manifest.v1",
        "oci.image.index.v1",
        "docker.distribution.manifest.v2",
        "docker.distribution.manifest.list.v2",
    )
    for gzip in ("", "+gzip")
)
"""The media types of the legacy v1 CLI's artifact-set blobs: an OCI artifact in a tar (its
``index.json`` names the main manifest, its blobs are ``blobs/sha256.<hex>``); the resource
digest of such a blob is usually the manifest's (``ociArtifactDigest/v1``), not the tar's."""

ANNOTATION_COMPONENT_VERSION = "software.ocm.componentversion"
ANNOTATION_CREATOR = "software.ocm.creator"
ANNOTATION_ARTIFACT = "software.ocm.artifact"
ANNOTATION_DESCRIPTOR = "software.ocm.descriptor"

LOCAL_BLOB = "LocalBlob/v1"
"""The access type Go v2 writes for new local blobs."""
LOCAL_BLOB_TYPES = frozenset({"LocalBlob/v1", "LocalBlob", "localBlob/v1", "localBlob"})

_JSON_TYPES = frozenset({DESCRIPTOR_JSON, LEGACY_DESCRIPTOR_JSON})
_YAML_TYPES = frozenset({DESCRIPTOR_YAML, LEGACY_DESCRIPTOR_YAML})


def is_descriptor_tar(media_type: str) -> bool:
    """Whether a descriptor layer of ``media_type`` is a tar holding ``component-descriptor.yaml``.

    Besides the three types the Go tools know, any component-descriptor type ending in
    ``+tar`` is read this way (cc-utils writes ``+json+tar``).
    """
    return media_type.endswith("+tar") and "component-descriptor" in media_type


def is_descriptor_layer(media_type: str) -> bool:
    """Whether ``media_type`` is one of the descriptor layer encodings pyocm reads."""
    return media_type in _JSON_TYPES or media_type in _YAML_TYPES or is_descriptor_tar(media_type)
