"""The digest a resource records for its content, in the form a download checks.

    >>> from pyocm.access.recorded import recorded_sha256
    >>> from pyocm.descriptor.model import Digest, Resource
    >>> resource = Resource(name="app", version="1.0", type="blob",
    ...     digest=Digest("SHA-256", "genericBlobDigest/v1", "ab" * 32))
    >>> recorded_sha256(resource) == "sha256:" + "ab" * 32
    True

Content fetched from its remote location (``wget``, ``helm``, ``gitHub``) is verified against
this digest while it streams, so content that changed behind the location is refused.
"""

from __future__ import annotations

from pyocm.descriptor.model import Resource, Source
from pyocm.digest import GENERIC_BLOB_DIGEST_V1


def recorded_sha256(element: Resource | Source) -> str | None:
    """The resource digest as ``sha256:<hex>`` when it is a SHA-256 of the content itself
    (``genericBlobDigest/v1``, or no normalisation named); None otherwise (sources record no
    digest)."""
    recorded = element.digest if isinstance(element, Resource) else None
    if recorded is None or not recorded.value:
        return None
    if recorded.hash_algorithm.replace("-", "").upper() != "SHA256":
        return None
    if recorded.normalisation_algorithm.lower() not in (GENERIC_BLOB_DIGEST_V1.lower(), ""):
        return None
    return f"sha256:{recorded.value.lower()}"
