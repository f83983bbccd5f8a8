"""The one protocol every access type implements, and a base class with its defaults.

    >>> from pyocm.access.base import BaseAccessHandler, CopyForm
    >>> from pyocm.blob import BytesBlob
    >>> from pyocm.descriptor.model import AccessSpec, Resource
    >>> class Notes(BaseAccessHandler):
    ...     def open(self, repository, descriptor, element, context):
    ...         return BytesBlob(b"hello", "text/plain")
    >>> notes = Resource(name="notes", version="1.0", type="plainText",
    ...                  access=AccessSpec("notes/v1", {}))
    >>> handler = Notes()
    >>> handler.content, handler.uploadable(notes)
    ('remote', False)
    >>> with handler.copy_form(notes, BytesBlob(b"hello", "text/plain")) as form:
    ...     form.reference_name
    ''

An access type is one object behind :class:`AccessHandler`, registered once in
:mod:`pyocm.access.handlers`.  Everything pyocm does with an access of that type asks it:
opening the content, where that content lives (and so whether a transfer copies it), and
the form a copy by value takes (a local blob or an OCI artifact, its ``referenceName``).  The
rest of pyocm never switches on type names or on the blob classes of an access module.
Most types need only :meth:`AccessHandler.open`; :class:`BaseAccessHandler` gives the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.blob import Blob
    from pyocm.descriptor.model import Descriptor, Resource, Source
    from pyocm.repository.base import Repository

Content = Literal["none", "local", "image", "remote"]
"""Where the content of an access lives:

* ``none``: there is none (a transfer keeps such an access as it is);
* ``local``: with the component version, in the repository that holds it (a transfer always
  copies it, and a copy by value is stored in this form);
* ``image``: an OCI image in a registry (what a copy uploaded as an OCI artifact becomes);
* ``remote``: anywhere else (copied by value only when a transfer is asked to copy resources).
"""


@dataclass(frozen=True)
class CopyForm:
    """What a transfer hands to its target for a copy by value of one element."""

    blob: Blob
    """The content as it is stored (e.g. a helm chart converted into an OCI artifact)."""
    element: Resource | Source
    """The element as the target is to record it (e.g. without a digest the stored content
    no longer is)."""
    reference_name: str
    """Where an OCI artifact's copy goes below a target registry, and the ``referenceName``
    of its local blob ("" for none)."""


class AccessHandler(Protocol):
    """One access type: what pyocm needs to know about content an access names."""

    @property
    def content(self) -> Content:
        """Where the content lives (see :data:`Content`); decides whether a transfer copies
        it by value on its own (``local``), when asked (``remote``), or never (``none``)."""
        ...

    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> Blob:
        """The content of ``element`` (of ``descriptor``, read from ``repository``) as a blob.

        Raises :class:`pyocm.errors.OCMError` when it cannot be had, and
        :class:`pyocm.errors.NotReproducible` when the access does not pin its content.
        Remote content is located (and a pinned digest checked) here; its bytes are read
        when the blob is opened, and verified then.
        """
        ...

    def uploadable(self, element: Resource) -> bool:
        """Whether a copy by value of ``element`` is an OCI artifact, so that a transfer asked
        to upload such copies (``upload_as="ociArtifact"``) pushes it as an image of the
        target's registry (named by :attr:`CopyForm.reference_name`) rather than storing it
        as a local blob.  Decided from the access alone, without fetching the content."""
        ...

    def copy_form(self, element: Resource | Source, blob: Blob) -> AbstractContextManager[CopyForm]:
        """The form a copy by value of ``element`` takes, ``blob`` being its content as
        :meth:`open` gave it.  Valid while the context is open (a conversion may keep files
        until the copy is stored); raises :class:`pyocm.errors.OCMError` naming the element
        when the content cannot be put into that form."""
        ...


class BaseAccessHandler:
    """The defaults of :class:`AccessHandler`: remote content, copied by value as it is into
    a local blob that keeps the access's own ``referenceName``, never uploaded as an image.
    A subclass implements :meth:`open` and overrides what differs."""

    content: Content = "remote"
    """Where the content lives (see :data:`Content`)."""

    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> Blob:
        """See :meth:`AccessHandler.open`."""
        raise NotImplementedError

    def uploadable(self, element: Resource) -> bool:
        """Not an OCI artifact: ``False``."""
        return False

    def reference_name(self, element: Resource | Source) -> str:
        """The name of ``element``'s copy: the access's ``referenceName``, else ""."""
        access = element.access
        if access is None:
            return ""
        return str(access.properties.get("referenceName") or "")

    def copy_form(self, element: Resource | Source, blob: Blob) -> AbstractContextManager[CopyForm]:
        """``blob`` as it is, ``element`` unchanged, named by :meth:`reference_name`."""
        return _as_it_is(CopyForm(blob, element, self.reference_name(element)))


@contextmanager
def _as_it_is(form: CopyForm) -> Iterator[CopyForm]:
    yield form
