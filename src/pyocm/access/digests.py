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

Helm charts are digested as their resource digest records them:

* a ``helm`` access: the chart archive (the digest the repository index records; it is
  downloaded and hashed), or for an ``oci://`` chart its manifest (every blob read);
* a chart that a transfer converted into an OCI artifact (a local blob, or an image uploaded
  to the target registry): its resource digest still is the digest of the chart archive it
  was made from, because the digest is part of what signatures cover and the conversion must
  not invalidate them.  So when the recorded digest is not the manifest's and the artifact is
  a Helm chart image (Helm config media type), the digest of its chart layer counts - which
  is the chart archive byte for byte, verified like every other blob of the graph.  A chart
  layer changed in storage fails its own digest check; one replaced together with its
  manifest has another digest, which then does not match.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyocm.access import open_blob
from pyocm.access.helm import HelmChartBlob
from pyocm.blob.model import CHUNK_SIZE
from pyocm.descriptor.model import Digest
from pyocm.digest import (
    DEFAULT_HASH,
    GENERIC_BLOB_DIGEST_V1,
    SHA256,
    canonical_hash_name,
    hash_stream,
    oci_artifact_digest,
    oci_layout_manifest_digest,
)
from pyocm.helm.oci import chart_image, is_chart_manifest
from pyocm.oci import digests
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
    if isinstance(blob, HelmChartBlob):
        _, _, value = blob.content_digest().partition(":")
        return Digest(SHA256, normalisation, value)
    if isinstance(blob, GraphBlob):
        for node in blob.nodes():
            with blob.source.open_blob(node.digest, node.size) as stream:
                while stream.read(CHUNK_SIZE):
                    pass
        chart = _converted_chart_digest(blob, recorded)
        if chart is not None:
            return Digest(SHA256, normalisation, chart)
        return oci_artifact_digest(blob.root.digest, normalisation)
    with blob.open() as stream:
        if blob.media_type in OCI_LAYOUTS:
            return oci_artifact_digest(oci_layout_manifest_digest(stream), normalisation)
        value, _ = hash_stream(stream, hash_algorithm)
    return Digest(canonical_hash_name(hash_algorithm), normalisation, value)


def _converted_chart_digest(blob: GraphBlob, recorded: Digest | None) -> str | None:
    """The chart layer's SHA-256 hex when ``blob`` is a Helm chart image whose resource
    digest records its chart archive rather than its manifest (see the module docs)."""
    if recorded is None or recorded.hash_algorithm.replace("-", "").upper() != "SHA256":
        return None
    if digests.encoded(blob.root.digest) == recorded.value:
        return None
    if not is_chart_manifest(blob.source, blob.root):
        return None
    layer = chart_image(blob.source, blob.root).chart.digest
    if digests.algorithm(layer) != "sha256" or digests.encoded(layer) != recorded.value:
        return None
    return digests.encoded(layer)
