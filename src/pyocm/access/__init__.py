"""Access types: turning a resource's access specification into a readable :class:`Blob`.

    >>> from pyocm.access import open_blob                                       # doctest: +SKIP
    >>> blob = open_blob(repo, cd, cd.component.resource(name="chart"))          # doctest: +SKIP
    >>> with blob.open() as f:                                                   # doctest: +SKIP
    ...     data = f.read()

Each access type lives in its own module and is registered once, in :data:`HANDLERS`; the
rest of pyocm never switches on type strings.  ``localBlob`` content is read from the
repository of the descriptor; ``ociArtifact`` and ``ociBlob`` content from the registry the
access names, with the credentials of an :class:`pyocm.access.context.AccessContext`
(anonymous when none is given).  Types pyocm cannot fetch yet raise
:class:`pyocm.errors.OCMError` saying so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyocm.access.context import AccessContext
from pyocm.access.handlers import HANDLERS, handler_for

if TYPE_CHECKING:
    from pyocm.blob import Blob
    from pyocm.descriptor.model import Descriptor, Resource, Source
    from pyocm.repository.base import Repository

__all__ = ["HANDLERS", "AccessContext", "handler_for", "open_blob"]


def open_blob(
    repository: Repository,
    descriptor: Descriptor,
    element: Resource | Source,
    context: AccessContext | None = None,
) -> Blob:
    """The content of ``element`` (a resource or source of ``descriptor``) as a verified blob.

    ``repository`` is where ``descriptor`` was read from; local blobs are read from it.
    ``context`` gives credentials and settings for content in registries (default: a shared
    anonymous context).
    """
    from pyocm.access.context import default_context

    return handler_for(element).open(
        repository, descriptor, element, context if context is not None else default_context()
    )
