"""Digests: hash algorithms, resource (blob) digests and component-version digests.

>>> import io
>>> from pyocm.digest import generic_blob_digest
>>> generic_blob_digest(io.BytesIO(b"test")).value[:12]
'9f86d081884c'
"""

from pyocm.digest.algorithms import DEFAULT_HASH, SHA256, SHA512, canonical_hash_name, hash_hex
from pyocm.digest.blob import (
    GENERIC_BLOB_DIGEST_V1,
    OCI_ARTIFACT_DIGEST_V1,
    generic_blob_digest,
    hash_stream,
    oci_artifact_digest,
    oci_layout_manifest_digest,
)
from pyocm.digest.component import (
    NONE_ACCESS_TYPES,
    DigestProblem,
    component_version_digest,
    digest_problems,
    reference_digest,
    update_reference_digests,
)

__all__ = [
    "DEFAULT_HASH",
    "GENERIC_BLOB_DIGEST_V1",
    "NONE_ACCESS_TYPES",
    "OCI_ARTIFACT_DIGEST_V1",
    "SHA256",
    "SHA512",
    "DigestProblem",
    "canonical_hash_name",
    "component_version_digest",
    "digest_problems",
    "generic_blob_digest",
    "hash_hex",
    "hash_stream",
    "oci_artifact_digest",
    "oci_layout_manifest_digest",
    "reference_digest",
    "update_reference_digests",
]
