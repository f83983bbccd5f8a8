"""The digest of a resource's content, computed the way it was recorded.

    >>> from pyocm.access.digests import content_digest                     # doctest: +SKIP
    >>> content_digest(repo, cd, cd.component.resource(name="chart")).value  # doctest: +SKIP
    '58bbb8e7…'

Content that is an OCI artifact (handed out as an OCI image layout) is digested as its
manifest, whatever the recorded normalisation algorithm says (Go v2 records such digests as
``genericBlobDigest/v1``, the legacy tool as ``ociArtifactDigest/v1``, both with the manifest
digest); any other content is hashed byte for byte with the recorded hash algorithm.  An
artifact that knows its root (:class:`pyocm.oci.artifact.GraphBlob`: an image in a registry,
an artifact stored in index form) gives the digest of that manifest without building the
layout, after every blob of its graph was read and verified against its own digest - a
manifest digest alone says nothing about layers that were changed in storage; other layouts
are read up to their ``index.json``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyocm.access import open_blob
from pyocm.blob.model import CHUNK_SIZE
from pyocm.descriptor.model import Digest
from pyocm.digest import (
    DEFAULT_HASH,
    GENERIC_BLOB_DIGEST_V1,
    canonical_hash_name,
    hash_stream,
    oci_artifact_digest,
    oci_layout_manifest_digest,
)
from pyocm.oci.artifact import GraphBlob
from pyocm.repository.mediatypes import OCI_LAYOUTS

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.descriptor.model import Descriptor, Resource
    from pyocm.repository.base import Repository


def content_digest(
    repository: Repository,
    descriptor: Descriptor,
    resource: Resource,
    context: AccessContext | None = None,
) -> Digest:
    """Fetch ``resource``'s content and digest it with the algorithms of its recorded digest.

    ``context`` gives credentials for content in registries (see :func:`pyocm.access.open_blob`).
    """
    recorded = resource.digest
    hash_algorithm = recorded.hash_algorithm if recorded else DEFAULT_HASH
    normalisation = recorded.normalisation_algorithm if recorded else GENERIC_BLOB_DIGEST_V1
    blob = open_blob(repository, descriptor, resource, context)
    if isinstance(blob, GraphBlob):
        for node in blob.nodes():
            with blob.source.open_blob(node.digest, node.size) as stream:
                while stream.read(CHUNK_SIZE):
                    pass
        return oci_artifact_digest(blob.root.digest, normalisation)
    with blob.open() as stream:
        if blob.media_type in OCI_LAYOUTS:
            return oci_artifact_digest(oci_layout_manifest_digest(stream), normalisation)
        value, _ = hash_stream(stream, hash_algorithm)
    return Digest(canonical_hash_name(hash_algorithm), normalisation, value)
