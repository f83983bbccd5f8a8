"""Component versions and their resources as objects: find a version, list, read, download.

    >>> import tempfile
    >>> import pyocm
    >>> from pyocm.blob import BytesBlob
    >>> from pyocm.descriptor import Component, Descriptor, Provider, Resource
    >>> ctf = tempfile.mkdtemp() + "/transport-archive"
    >>> with pyocm.Context() as ctx, ctx.open(ctf, mode="create") as repo:
    ...     config = repo.add_local_resource("acme.org/shop/web", "1.4.2",
    ...         Resource(name="config", version="1.4.2", type="plainText"),
    ...         BytesBlob(b"port: 8080", "text/plain"))
    ...     repo.add_component_version(Descriptor(
    ...         Component("acme.org/shop/web", "1.4.2", Provider("acme"), resources=[config])))
    ...     cv = repo.component_version("acme.org/shop/web", ">=1.4, <2")
    ...     [(res.name, res.type) for res in cv.resources]
    ...     with cv.resource("config").open() as f:
    ...         f.read()
    [('config', 'plainText')]
    b'port: 8080'

A repository a :class:`~pyocm.context.Context` opens is a :class:`ContextRepository`: the
:class:`~pyocm.repository.ocm.OCMRepository` every other part of pyocm uses, plus
:meth:`ContextRepository.component_version`, which finds a version by its exact name,
``"latest"`` or a semantic-version constraint (the selection ``ocm get cv`` makes,
:func:`pyocm.semver.filter_and_sort`).  A :class:`ComponentVersion` is its descriptor plus where
it was read from; its :attr:`~ComponentVersion.resources` are :class:`ResourceHandle` objects
whose content is opened as a verified stream (:meth:`ResourceHandle.open`: reading to the end
checks digest and size, a mismatch raises :class:`~pyocm.errors.DigestMismatch`) or written to
disk as ``ocm download resource`` writes it (:meth:`ResourceHandle.download`).  Content
outside the repository (an ``ociArtifact`` in another registry, a helm repository, a URL) is
reached with the context's credentials.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, ClassVar

from pyocm.descriptor.identity import identity_text, select
from pyocm.errors import NotFound, OCMError
from pyocm.repository.ocm import OCMRepository

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.blob import Blob
    from pyocm.context import Context
    from pyocm.descriptor.model import AccessSpec, Descriptor, Digest, Label, Resource
    from pyocm.download import ExtractionPolicy, Progress
    from pyocm.repository.base import Repository

__all__ = ["ComponentVersion", "ContextRepository", "ResourceHandle", "resolve_version"]

LATEST = "latest"
"""The version that names the highest semantic version of a component."""


def resolve_version(repository: Repository, component: str, version: str = LATEST) -> str:
    """The version of ``component`` in ``repository`` that ``version`` names.

    ``"latest"`` is the highest semantic version; a constraint (``>=1.2, <2``, ``^1.4``,
    ``1.x``) the highest version satisfying it; anything that reads as a version (``1.4.2``,
    ``v1.4``) or is no constraint (``main``) is taken as it is, without listing.  Versions that
    are no semantic version are never chosen by ``latest`` or a constraint.  Raises
    :class:`~pyocm.errors.NotFound` naming the component and the constraint when no version
    fits.
    """
    from pyocm.semver import Constraint, Version, filter_and_sort

    constraint: str | None = None
    if version != LATEST:
        if Version.try_parse(version) is not None:
            return version
        try:
            Constraint.parse(version)
        except OCMError:
            return version
        constraint = version
    versions = repository.list_component_versions(component)
    chosen = filter_and_sort(versions, constraint, latest=True).versions
    if chosen:
        return chosen[0]
    if not versions:
        raise NotFound(f"component {component} not found: the repository has no versions of it")
    if constraint is None:
        raise NotFound(f"component {component} has no semantic version: {', '.join(versions)}")
    raise NotFound(f"no versions of {component} match the constraint {constraint!r}")


class ContextRepository(OCMRepository):
    """A repository opened by a :class:`~pyocm.context.Context` (:meth:`Context.open
    <pyocm.context.Context.open>`): an :class:`~pyocm.repository.ocm.OCMRepository` that also
    hands out :class:`ComponentVersion` objects reaching content with the context's
    credentials.

    The repository layer knows nothing of contexts or access types, so the context extends the
    repository it opened instead of wrapping it: the repository's class (``OCMRepository``, or
    a kind of it such as :class:`~pyocm.repository.ctf.repository.CTFRepository`) is replaced
    by a subclass of both it and this class, so whatever takes the repository takes it
    unchanged and its own behaviour (an archive CTF written back when closed) stays.
    """

    _context: Context
    _extended: ClassVar[dict[type[OCMRepository], type[ContextRepository]]] = {}
    _extended_lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def extending(cls, repository: OCMRepository, context: Context) -> ContextRepository:
        """``repository`` (opened by ``context``), extended by this class; returns it."""
        kind = type(repository)
        if not issubclass(kind, cls):
            with cls._extended_lock:
                extended = cls._extended.get(kind)
                if extended is None:
                    name = f"Context{kind.__name__}"
                    extended = cls._extended[kind] = type(name, (cls, kind), {})
            repository.__class__ = extended
        assert isinstance(repository, cls)
        repository._context = context
        return repository

    def __enter__(self) -> ContextRepository:
        return self

    @property
    def context(self) -> Context:
        """The context that opened this repository."""
        return self._context

    def component_version(self, component: str, version: str = LATEST) -> ComponentVersion:
        """The component version ``component`` at ``version``: an exact version, ``"latest"``
        or a semantic-version constraint (:func:`resolve_version`).

        Raises :class:`~pyocm.errors.NotFound` when no such version is stored here.
        """
        found = resolve_version(self, component, version)
        return ComponentVersion(self, self.get_component_version(component, found), self._context)


class ComponentVersion:
    """A component version: its descriptor and the repository it was read from.

    ``context`` gives credentials for content outside ``repository`` (default: anonymous).
    With ``owns_repository`` closing the component version (or leaving its ``with`` block)
    closes ``repository``; :meth:`Context.component_version
    <pyocm.context.Context.component_version>` hands out such ones.
    """

    def __init__(
        self,
        repository: Repository,
        descriptor: Descriptor,
        context: Context | None = None,
        *,
        owns_repository: bool = False,
    ):
        self.repository = repository
        self.descriptor = descriptor
        self.context = context
        self._owns_repository = owns_repository

    @property
    def name(self) -> str:
        """The component name (``acme.org/shop/web``)."""
        return self.descriptor.component.name

    @property
    def version(self) -> str:
        """The component version (``1.4.2``)."""
        return self.descriptor.component.version

    @property
    def resources(self) -> list[ResourceHandle]:
        """The resources, in descriptor order."""
        return [ResourceHandle(self, r) for r in self.descriptor.component.resources]

    def resource(
        self,
        name: str,
        *,
        version: str | None = None,
        extra_identity: Mapping[str, str] | None = None,
    ) -> ResourceHandle:
        """The resource called ``name`` whose identity contains ``extra_identity`` (and whose
        version is ``version``, when given).

        When several match, the one whose identity is exactly ``name`` plus ``extra_identity``
        is taken; otherwise the choice is ambiguous.  Raises :class:`~pyocm.errors.NotFound`
        when none matches and :class:`~pyocm.errors.OCMError` when it is ambiguous; both name
        the identity asked for and the identities there are.
        """
        wanted = {**(extra_identity or {}), "name": name}
        selector = {**wanted, "version": version} if version is not None else wanted
        resources = self.descriptor.component.resources
        found = select(resources, selector)
        if len(found) > 1:
            found = [r for r in found if r.identity() == wanted] or found
        if len(found) == 1:
            return ResourceHandle(self, found[0])
        shown = identity_text(selector)
        if not found:
            there = "; ".join(identity_text(r.identity()) for r in resources) or "none"
            raise NotFound(f"{self}: no resource with identity {shown} (its resources: {there})")
        candidates = "; ".join(identity_text(r.identity()) for r in found)
        raise OCMError(
            f"{self}: {len(found)} resources match identity {shown} ({candidates}); "
            "give extra_identity or version to choose one"
        )

    def close(self) -> None:
        """Close the repository when this component version owns it; else nothing."""
        if self._owns_repository:
            self.repository.close()

    def __enter__(self) -> ComponentVersion:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __str__(self) -> str:
        return f"component version {self.name}:{self.version}"

    def __repr__(self) -> str:
        return f"<ComponentVersion {self.name}:{self.version}>"

    def _access_context(self) -> AccessContext | None:
        return self.context.shared_access_context() if self.context is not None else None


class ResourceHandle:
    """A resource of a component version: its descriptor entry (``element``) and the way to
    its content."""

    def __init__(self, component_version: ComponentVersion, element: Resource):
        self.component_version = component_version
        self.element = element

    @property
    def name(self) -> str:
        """The resource name."""
        return self.element.name

    @property
    def version(self) -> str:
        """The resource version."""
        return self.element.version

    @property
    def type(self) -> str:
        """The resource type (``helmChart``, ``ociImage``, ``plainText``, …)."""
        return self.element.type

    @property
    def relation(self) -> str:
        """``local`` or ``external``."""
        return self.element.relation

    @property
    def digest(self) -> Digest | None:
        """The digest the descriptor records (None when it records none)."""
        return self.element.digest

    @property
    def access(self) -> AccessSpec | None:
        """The access specification (None for a resource without content)."""
        return self.element.access

    @property
    def identity(self) -> dict[str, str]:
        """Name plus extra identity."""
        return self.element.identity()

    @property
    def labels(self) -> list[Label]:
        """The resource's labels."""
        return self.element.labels

    def blob(self) -> Blob:
        """The content as a :class:`~pyocm.blob.Blob` (media type, size, digest; each
        :meth:`~pyocm.blob.Blob.open` gives a fresh stream verified at its end)."""
        from pyocm.access import open_blob

        cv = self.component_version
        return open_blob(cv.repository, cv.descriptor, self.element, cv._access_context())

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """A stream of the content.  Reading it to the end verifies digest and size
        (:class:`~pyocm.errors.DigestMismatch` names the blob when they differ)."""
        with self.blob().open() as stream:
            yield stream

    def download(
        self,
        output: str | Path | None = None,
        *,
        transformer: str | None = None,
        extraction: ExtractionPolicy = "auto",
        progress: Progress | None = None,
    ) -> Path:
        """Write the content to ``output`` (default: the resource name in the current
        directory) as ``ocm download resource`` does: transformed by ``transformer``
        (:data:`pyocm.transformers.TRANSFORMERS`, e.g. ``"helm"``), then, with ``extraction``
        ``"auto"``, archives unpacked into the directory ``output`` and gzip decompressed
        (:func:`pyocm.download.write_blob`).  Nothing appears at ``output`` unless the content
        was complete and verified.  Returns the path written.
        """
        from pyocm.download import download_blob

        return download_blob(
            self.blob(),
            Path(output) if output is not None else Path(self.name),
            transformer=transformer or "",
            extraction=extraction,
            progress=progress,
            what=f"resource {self.name!r} of {self.component_version}",
        )

    def __repr__(self) -> str:
        return f"<ResourceHandle {identity_text(self.identity)} of {self.component_version}>"
