"""Access types: turning a resource's access specification into a readable :class:`Blob`.

    >>> from pyocm.access import open_blob                                       # doctest: +SKIP
    >>> blob = open_blob(repo, cd, cd.component.resource(name="chart"))          # doctest: +SKIP
    >>> with blob.open() as f:                                                   # doctest: +SKIP
    ...     data = f.read()

Each access type lives in its own module and is registered once, in :data:`HANDLERS`; the
rest of pyocm never switches on type strings.  Types pyocm cannot fetch yet raise
:class:`pyocm.errors.OCMError` saying so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyocm.access.handlers import HANDLERS, handler_for

if TYPE_CHECKING:
    from pyocm.blob import Blob
    from pyocm.descriptor.model import Descriptor, Resource, Source
    from pyocm.repository.base import Repository

__all__ = ["HANDLERS", "handler_for", "open_blob"]


def open_blob(repository: Repository, descriptor: Descriptor, element: Resource | Source) -> Blob:
    """The content of ``element`` (a resource or source of ``descriptor``) as a verified blob.

    ``repository`` is where ``descriptor`` was read from; local blobs are read from it.
    """
    return handler_for(element).open(repository, descriptor, element)
