"""``localBlob``: content stored with the component version in the same repository."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyocm.access.base import BaseAccessHandler, Content

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.blob import Blob
    from pyocm.descriptor.model import Descriptor, Resource, Source
    from pyocm.repository.base import Repository

TYPES = ("localBlob", "localBlob/v1", "LocalBlob", "LocalBlob/v1")


class _LocalBlob(BaseAccessHandler):
    """Content held by the repository of the component version: always copied by a
    transfer, in this form."""

    content: Content = "local"

    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> Blob:
        assert element.access is not None  # handler_for only dispatches elements with access
        c = descriptor.component
        return repository.get_local_blob(c.name, c.version, element.access)

    def uploadable(self, element: Resource) -> bool:
        """An OCI manifest or index with a ``referenceName`` (cli.md §4.2)."""
        from pyocm.oci.mediatypes import is_manifest_type

        access = element.access
        if access is None:
            return False
        media_type = str(access.properties.get("mediaType") or "")
        return is_manifest_type(media_type) and bool(access.properties.get("referenceName"))


HANDLER = _LocalBlob()
