"""The registry of access types: one handler per type name, aliases included."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from pyocm.access import github, helm, local_blob, oci_artifact, unsupported, wget
from pyocm.errors import OCMError

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.blob import Blob
    from pyocm.descriptor.model import Descriptor, Resource, Source
    from pyocm.repository.base import Repository


class AccessHandler(Protocol):
    """Opens the content an access specification points to."""

    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> Blob:
        """The content of ``element`` (of ``descriptor``, read from ``repository``) as a blob.

        Raises :class:`pyocm.errors.OCMError` when it cannot be had.  Remote content is
        located (and a pinned digest checked) here; its bytes are read when the blob is
        opened, and verified then.
        """
        ...


HANDLERS: dict[str, AccessHandler] = {
    **dict.fromkeys(local_blob.TYPES, local_blob.HANDLER),
    **dict.fromkeys(oci_artifact.ARTIFACT_TYPES, oci_artifact.ARTIFACT),
    **dict.fromkeys(oci_artifact.LAYER_TYPES, oci_artifact.LAYER),
    **dict.fromkeys(unsupported.NO_CONTENT_TYPES, unsupported.NO_CONTENT),
    **dict.fromkeys(unsupported.REMOTE_TYPES, unsupported.REMOTE),
    **dict.fromkeys(wget.TYPES, wget.HANDLER),
    **dict.fromkeys(helm.TYPES, helm.HANDLER),
    **dict.fromkeys(github.TYPES, github.HANDLER),
}
"""Access type name (with and without ``/v1``, in every historic spelling) → handler."""


class DigestProcessor(Protocol):
    """Finds the digest of content an access names when a component version is built."""

    def process(self, resource: Resource, context: AccessContext) -> Resource:
        """``resource`` with the digest of its content: set when it has none, else checked
        (a mismatch raises :class:`pyocm.errors.DigestMismatch`).  The access may come back
        pinned (e.g. to a commit or manifest digest).  Errors name the resource.
        """
        ...


DIGEST_PROCESSORS: dict[str, DigestProcessor] = {
    **dict.fromkeys(wget.TYPES, wget.DIGESTS),
    **dict.fromkeys(helm.TYPES, helm.DIGESTS),
    **dict.fromkeys(github.TYPES, github.DIGESTS),
}
"""Access type name → digest processor, for the types whose digest can be found at add time
(``ociArtifact`` images are resolved by the constructor itself)."""


def handler_for(element: Resource | Source) -> AccessHandler:
    """The handler for ``element``'s access type; :class:`OCMError` for unknown types."""
    access = element.access
    if access is None:
        raise OCMError(f"{element.name!r} has no access specification, so it has no content")
    handler = HANDLERS.get(access.type)
    if handler is None:
        raise OCMError(f"{element.name!r}: unknown access type {access.type!r}")
    return handler
