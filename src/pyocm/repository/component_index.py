"""The OCM Component Index: a fixed empty manifest every component version may refer to.

    >>> from pyocm.repository.component_index import CONTENT, DESCRIPTOR
    >>> len(CONTENT), DESCRIPTOR.digest[:19]
    (837, 'sha256:9717cda41c47')

With referrer tracking on (Go v2 ``ReferrerTrackingPolicyByIndexAndSubject``; off by default
and in the CLI), each component repository holds this manifest, and every component-version
manifest and index names it as ``subject``.  The registry's Referrers API (or the referrers
tag ``sha256-<hex>`` where it has none) then lists the versions of the component: the entries
of artifact type ``application/vnd.ocm.software.component-descriptor.v2``, each carrying the
``software.ocm.componentversion`` annotation.  The manifest bytes never change (Go:
``bindings/go/oci/spec/index/component/v1``): 837 bytes, the digest above.
"""

from __future__ import annotations

from pyocm._internal.gojson import marshal
from pyocm.oci import digests
from pyocm.oci import mediatypes as oci_types
from pyocm.oci.manifest import Descriptor

ARTIFACT_TYPE = "application/vnd.ocm.software.component-index.v1+json"
EMPTY_CONTENT = b"{}"
EMPTY = Descriptor(oci_types.EMPTY_JSON, digests.digest_bytes(EMPTY_CONTENT), len(EMPTY_CONTENT))

_EMPTY_JSON = {**EMPTY.to_go(), "data": "e30="}
_DESCRIPTION = (
    "This is an OCM component index. It is an empty json"
    "that can be used as referrer for OCM component descriptors. It is used as a subject"
    "for all OCM Component Version Top-Level Manifests and can be used to reference back all"
    "OCM Component Versions"
)

CONTENT = marshal(
    {
        "schemaVersion": 2,
        "mediaType": oci_types.IMAGE_MANIFEST,
        "artifactType": ARTIFACT_TYPE,
        "config": _EMPTY_JSON,
        "layers": [_EMPTY_JSON],
        "annotations": {
            oci_types.ANNOTATION_DESCRIPTION: _DESCRIPTION,
            oci_types.ANNOTATION_TITLE: "OCM Component Index V1",
        },
    }
)
"""The manifest bytes, as Go's ``json.Marshal`` writes them (the description's missing
spaces included: they are part of the fixed digest)."""

DESCRIPTOR = Descriptor(
    oci_types.IMAGE_MANIFEST,
    digests.digest_bytes(CONTENT),
    len(CONTENT),
    artifact_type=ARTIFACT_TYPE,
)
"""The ``subject`` of tracked component versions."""
