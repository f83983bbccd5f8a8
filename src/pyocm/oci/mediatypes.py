"""OCI and Docker media types and the well-known OCI annotation keys.

>>> from pyocm.oci.mediatypes import DOCKER_MANIFEST, IMAGE_INDEX, is_index_type
>>> is_index_type(IMAGE_INDEX), is_index_type(DOCKER_MANIFEST)
(True, False)
"""

from __future__ import annotations

IMAGE_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
IMAGE_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
EMPTY_JSON = "application/vnd.oci.empty.v1+json"
OCTET_STREAM = "application/octet-stream"

ANNOTATION_REF_NAME = "org.opencontainers.image.ref.name"
ANNOTATION_TITLE = "org.opencontainers.image.title"
ANNOTATION_DESCRIPTION = "org.opencontainers.image.description"
ANNOTATION_AUTHORS = "org.opencontainers.image.authors"
ANNOTATION_URL = "org.opencontainers.image.url"
ANNOTATION_DOCUMENTATION = "org.opencontainers.image.documentation"
ANNOTATION_SOURCE = "org.opencontainers.image.source"
ANNOTATION_VERSION = "org.opencontainers.image.version"

_MANIFEST_TYPES = frozenset({IMAGE_MANIFEST, DOCKER_MANIFEST})
_INDEX_TYPES = frozenset({IMAGE_INDEX, DOCKER_MANIFEST_LIST})


def is_manifest_type(media_type: str) -> bool:
    """Whether ``media_type`` names a manifest or an index (OCI or Docker): a graph node."""
    return media_type in _MANIFEST_TYPES or media_type in _INDEX_TYPES


def is_index_type(media_type: str) -> bool:
    """Whether ``media_type`` names an OCI image index or a Docker manifest list."""
    return media_type in _INDEX_TYPES
