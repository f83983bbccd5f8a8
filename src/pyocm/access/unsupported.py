"""Access types whose content pyocm cannot fetch (yet), with errors that say why."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from pyocm.access.base import BaseAccessHandler, Content
from pyocm.errors import OCMError

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.descriptor.model import Descriptor, Resource, Source
    from pyocm.repository.base import Repository

NO_CONTENT_TYPES = ("none", "None", "none/v1")
REMOTE_TYPES = (
    "s3",
    "s3/v1",
    "S3",
    "S3/v1",
)


class _NoContent(BaseAccessHandler):
    content: Content = "none"

    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> NoReturn:
        raise OCMError(f"{element.name!r} has access type 'none': it has no content to fetch")


class _Remote(BaseAccessHandler):
    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> NoReturn:
        kind = element.access.type if element.access else "?"
        raise OCMError(
            f"{element.name!r}: fetching content of access type {kind!r} from its remote "
            "location is not supported by pyocm yet"
        )


NO_CONTENT = _NoContent()
REMOTE = _Remote()
