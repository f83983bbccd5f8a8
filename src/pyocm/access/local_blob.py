"""``localBlob``: content stored with the component version in the same repository."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.blob import Blob
    from pyocm.descriptor.model import Descriptor, Resource, Source
    from pyocm.repository.base import Repository

TYPES = ("localBlob", "localBlob/v1", "LocalBlob", "LocalBlob/v1")


class _LocalBlob:
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


HANDLER = _LocalBlob()
