"""``ociArtifact`` (an image in a registry) and ``ociBlob`` (one blob of a registry repository).

    >>> from pyocm.access.oci_artifact import ARTIFACT_TYPES, image_reference
    >>> from pyocm.descriptor.model import AccessSpec, Resource
    >>> image = Resource(name="app", version="1.0", type="ociImage", access=AccessSpec(
    ...     "OCIImage/v1", {"imageReference": "ghcr.io/acme/app:1.0"}))
    >>> image.access.type in ARTIFACT_TYPES, image_reference(image).reference_name
    (True, 'acme/app:1.0')

An ``ociArtifact`` access (Go v2's ``OCIImage/v1`` and every older spelling) names an image by
``imageReference`` (``[http://]host[:port]/repo[:tag][@sha256:…]``).  Opening it resolves the
reference in the registry (the digest when pinned, else the tag): a pinned digest the registry
does not have, or a resource digest (``genericBlobDigest/v1`` or ``ociArtifactDigest/v1``, the
manifest digest) the image does not match, is an error naming the resource.  The content is
the image as an OCI image layout tar (``application/vnd.ocm.software.oci.layout.v1+tar``)
streamed from the registry: its graph and its referrers, the root tagged with the image
reference (as Go v2 tags it), every blob verified while read.  The blob is a
:class:`pyocm.oci.artifact.GraphBlob`, so a repository can also copy it node by node, and its
content digest is the manifest digest.

An ``ociBlob`` access (``OCIImageLayer/v1``) names a repository by ``ref`` (``imageReference``
is accepted too: the specification calls it so) and one blob by ``digest``, ``size`` and
``mediaType``; its content is that blob, verified against digest and size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyocm.access.base import BaseAccessHandler, Content
from pyocm.descriptor.model import Resource
from pyocm.errors import DigestMismatch, NotFound, OCMError, RegistryNotFound
from pyocm.oci import digests
from pyocm.oci.artifact import ArtifactBlob
from pyocm.oci.manifest import Descriptor as OCIDescriptor
from pyocm.oci.mediatypes import OCTET_STREAM
from pyocm.oci.reference import ImageReference, parse_image_reference
from pyocm.repository.mediatypes import OCI_LAYOUT_TAR

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.blob import Blob
    from pyocm.descriptor.model import Descriptor, Source
    from pyocm.repository.base import Repository

ARTIFACT_TYPES = tuple(
    f"{name}{version}"
    for name in ("ociArtifact", "OCIImage", "ociRegistry", "ociImage", "OCIArtifact")
    for version in ("", "/v1")
)
"""Every spelling of the image access type (Go v2 writes ``OCIImage/v1``)."""

LAYER_TYPES = ("ociBlob", "ociBlob/v1", "OCIImageLayer", "OCIImageLayer/v1")
"""Every spelling of the single-blob access type (Go v2 writes ``OCIImageLayer/v1``)."""

_ARTIFACT_DIGESTS = ("genericBlobDigest/v1", "ociArtifactDigest/v1", "ociArtefactDigest/v1")
_HASHES = {"sha256": "SHA256", "sha384": "SHA384", "sha512": "SHA512"}


def image_reference(element: Resource | Source) -> ImageReference:
    """The parsed ``imageReference`` of ``element``'s ``ociArtifact`` access."""
    access = element.access
    value = access.properties.get("imageReference") if access is not None else None
    if not isinstance(value, str) or not value:
        raise OCMError(f"{element.name!r}: the ociArtifact access has no imageReference")
    try:
        return parse_image_reference(value)
    except OCMError as e:
        raise OCMError(f"{element.name!r}: {e}") from None


class _Artifact(BaseAccessHandler):
    """An image in a registry, handed out as an OCI image layout tar; copied by value under
    its repository and tag (its ``referenceName``), or uploaded as an image."""

    content: Content = "image"

    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> Blob:
        reference = image_reference(element)
        remote = context.repository(reference)
        try:
            root = remote.resolve(reference.reference)
        except RegistryNotFound:
            raise NotFound(f"{element.name!r}: image {reference} not found") from None
        if reference.digest and root.digest != reference.digest:
            raise DigestMismatch(
                f"{element.name!r}: image {reference}", reference.digest, root.digest
            )
        _check_recorded_digest(element, root.digest, reference)
        return ArtifactBlob(
            remote,
            root,
            media_type=OCI_LAYOUT_TAR,
            tag=str(reference) if reference.tag else None,
            referrers=remote.referrers,
        )

    def uploadable(self, element: Resource) -> bool:
        """An image: ``True``."""
        return True

    def reference_name(self, element: Resource | Source) -> str:
        """The image's repository and tag, without registry and digest ("" when the
        reference cannot be read)."""
        try:
            return image_reference(element).reference_name
        except OCMError:
            return ""


def _check_recorded_digest(
    element: Resource | Source, manifest_digest: str, reference: ImageReference
) -> None:
    """Refuse an image whose manifest is not the one the resource's digest records."""
    recorded = element.digest if isinstance(element, Resource) else None
    if recorded is None or not recorded.value:
        return
    if recorded.normalisation_algorithm not in _ARTIFACT_DIGESTS:
        return
    algorithm = digests.algorithm(manifest_digest)
    if recorded.hash_algorithm.replace("-", "").upper() != _HASHES[algorithm]:
        return
    actual = digests.encoded(manifest_digest)
    if actual != recorded.value:
        raise DigestMismatch(
            f"resource {element.name!r} (image {reference})", recorded.value, actual
        )


class _Layer(BaseAccessHandler):
    """One blob of a registry repository."""

    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> Blob:
        access = element.access
        assert access is not None  # handler_for only dispatches elements with access
        properties = access.properties
        text = properties.get("ref") or properties.get("imageReference")
        if not isinstance(text, str) or not text:
            raise OCMError(f"{element.name!r}: the ociBlob access has no ref")
        digest = properties.get("digest")
        if not isinstance(digest, str):
            raise OCMError(f"{element.name!r}: the ociBlob access has no digest")
        try:
            reference = parse_image_reference(text, require_reference=False)
            digests.check_digest(digest, "ociBlob digest")
        except OCMError as e:
            raise OCMError(f"{element.name!r}: {e}") from None
        if reference.digest and reference.digest != digest:
            raise DigestMismatch(f"{element.name!r}: ociBlob ref {text}", digest, reference.digest)
        size = properties.get("size", -1)
        if not isinstance(size, int) or isinstance(size, bool):
            raise OCMError(f"{element.name!r}: the ociBlob size must be an integer")
        remote = context.repository(reference)
        stored = remote.stat_blob(digest)
        if stored is None:
            raise NotFound(f"{element.name!r}: blob {digest} not found in {reference}")
        if size >= 0 and stored != size:
            raise DigestMismatch(
                f"{element.name!r}: blob {digest}", f"{size} bytes", f"{stored} bytes"
            )
        media_type = str(properties.get("mediaType") or OCTET_STREAM)
        return remote.blob(OCIDescriptor(media_type, digest, stored))


ARTIFACT = _Artifact()
LAYER = _Layer()
