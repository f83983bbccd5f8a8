"""The resolver chain as a repository: every call routed to the repository it concerns.

    >>> from pyocm.repository import CTFSpec
    >>> from pyocm.repository.resolvers_repository import UnusableSpec, canonical_key
    >>> canonical_key(CTFSpec("/srv/ctf", "ctf"))
    '{"filePath":"/srv/ctf","type":"CommonTransportFormat/v1"}'
    >>> str(UnusableSpec({"type": "Git/v1"}, "unsupported repository type 'Git/v1'"))
    "unusable repository (unsupported repository type 'Git/v1')"

:class:`ResolvingRepository` is what :func:`pyocm.repository.resolvers.resolver_chain`
returns (that module has the routing rules).  Reads (descriptors, versions, local blobs) go
to the repository that holds the component version, writes to the one the component routes
to.  Repositories are opened by the caller's :data:`Opener` on first use, once each (cached
by :func:`canonical_key`), thread-safely, and closed with the chain; repositories handed in
already open stay the caller's.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from pyocm.errors import NotFound, OCMError
from pyocm.repository.reference import CTF_TYPE, OCI_TYPE, CTFSpec, RepositorySpec

if TYPE_CHECKING:
    from pyocm.blob import Blob
    from pyocm.descriptor.model import AccessSpec, Descriptor, Resource, Source
    from pyocm.repository.base import Repository

__all__ = ["Opener", "ResolvingRepository", "Router", "Target", "UnusableSpec", "canonical_key"]

_log = logging.getLogger("pyocm.repository")

Opener = Callable[[RepositorySpec], "Repository"]
"""Opens a repository for reading (with whatever credentials the caller has for it)."""


@dataclass(frozen=True)
class UnusableSpec:
    """A configured repository specification that names no repository pyocm can open (an
    unknown type, a missing field).  As in Go, it is an error only once a component is
    routed to it: opening it raises :class:`OCMError` with ``reason``."""

    data: Mapping[str, Any] | None
    reason: str

    def __str__(self) -> str:
        return f"unusable repository ({self.reason})"


Target = RepositorySpec | UnusableSpec
"""Where a resolver points: a repository, or a specification that cannot be used."""


def canonical_key(spec: Target) -> str:
    """The cache key of a repository: canonical JSON of its normalised specification."""
    if isinstance(spec, UnusableSpec):
        data: Any = {"unusable": spec.data}
    elif isinstance(spec, CTFSpec):
        data = {"type": CTF_TYPE, "filePath": os.path.abspath(spec.path)}
    else:
        data = {"type": OCI_TYPE, "baseUrl": spec.base_url, "subPath": spec.sub_path}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _name(component: str, version: str) -> str:
    return f"{component}:{version}" if version else component


# --- the chain as a repository ---------------------------------------------------------------


class Router(Protocol):
    """Which repositories a component version routes to, in the order they are asked."""

    probes: bool

    def candidates(self, component: str, version: str) -> list[Target]: ...


class ResolvingRepository:
    """A :class:`pyocm.repository.Repository` that routes every call by component.

    Reads go to the repository that holds the component version; writes to the first
    repository the component routes to.  ``list_components`` lists the base repository.
    """

    def __init__(
        self,
        router: Router,
        opener: Opener,
        shared: Sequence[tuple[RepositorySpec, Repository]] = (),
        base: RepositorySpec | None = None,
    ):
        self._router = router
        self._opener = opener
        self._base = base
        self._lock = threading.Lock()
        self._cache: dict[str, Repository] = {canonical_key(s): r for s, r in shared}
        self._owned: list[Repository] = []
        self._holders: dict[tuple[str, str], Repository] = {}

    # routing

    def specs_for(self, component: str, version: str = "") -> list[Target]:
        """The repositories ``component:version`` routes to, in the order they are asked
        (at most one for path-matching resolvers); :class:`NotFound` when none."""
        specs = self._router.candidates(component, version)
        if not specs:
            raise NotFound(f"no resolver matches component {_name(component, version)}")
        return specs

    def repository_for(self, component: str, version: str) -> Repository:
        """The repository that holds ``component:version`` (deprecated resolvers: the first
        that has it; path matching: the one it routes to, whether it has it or not)."""
        specs = self.specs_for(component, version)
        if not self._router.probes:
            return self.open(specs[0])
        with self._lock:
            found = self._holders.get((component, version))
        if found is not None:
            return found
        for spec in specs:
            repository = self.open(spec)
            if repository.has_component_version(component, version):
                return self._remember(component, version, repository)
        raise self._not_anywhere(component, version, specs)

    def open(self, spec: Target) -> Repository:
        """The repository ``spec`` names, opened on first use and cached."""
        if isinstance(spec, UnusableSpec):
            raise OCMError(f"cannot open resolver repository: {spec.reason}")
        key = canonical_key(spec)
        with self._lock:
            repository = self._cache.get(key)
            if repository is None:
                try:
                    repository = self._opener(spec)
                except NotFound as e:
                    raise OCMError(f"cannot open resolver repository {spec}: {e}") from None
                self._cache[key] = repository
                self._owned.append(repository)
            return repository

    def _remember(self, component: str, version: str, repository: Repository) -> Repository:
        with self._lock:
            self._holders[(component, version)] = repository
        return repository

    @staticmethod
    def _not_anywhere(component: str, version: str, specs: list[Target]) -> NotFound:
        names = ", ".join(str(s) for s in specs)
        return NotFound(f"component version {component}:{version} not found in any of {names}")

    # reading

    def list_components(self) -> list[str]:
        """The components of the base repository (the catch-all)."""
        if self._base is None:
            raise OCMError("a resolver chain without a base repository cannot list components")
        return self.open(self._base).list_components()

    def list_component_versions(self, component: str) -> list[str]:
        """The versions of ``component`` (deprecated resolvers: of every repository covering
        it, without duplicates, sorted)."""
        specs = self.specs_for(component)
        if not self._router.probes:
            return self.open(specs[0]).list_component_versions(component)
        versions: set[str] = set()
        for spec in specs:
            try:
                versions.update(self.open(spec).list_component_versions(component))
            except NotFound:
                continue
        return sorted(versions)

    def has_component_version(self, component: str, version: str) -> bool:
        """Whether ``component:version`` can be resolved."""
        try:
            specs = self.specs_for(component, version)
        except NotFound:
            return False
        if not self._router.probes:
            return self.open(specs[0]).has_component_version(component, version)
        try:
            self.repository_for(component, version)
        except NotFound:
            return False
        return True

    def get_component_version(self, component: str, version: str) -> Descriptor:
        """The descriptor from the repository holding ``component:version``."""
        specs = self.specs_for(component, version)
        if not self._router.probes:
            return self.open(specs[0]).get_component_version(component, version)
        with self._lock:
            found = self._holders.get((component, version))
        if found is not None:
            return found.get_component_version(component, version)
        for spec in specs:
            repository = self.open(spec)
            try:
                descriptor = repository.get_component_version(component, version)
            except NotFound:
                _log.debug(
                    "component version not in repository, trying the next",
                    extra={"component": _name(component, version), "repository": str(spec)},
                )
                continue
            self._remember(component, version, repository)
            return descriptor
        raise self._not_anywhere(component, version, specs)

    def get_local_blob(self, component: str, version: str, access: AccessSpec) -> Blob:
        """The local blob from the repository holding ``component:version``."""
        return self.repository_for(component, version).get_local_blob(component, version, access)

    # writing

    def _target(self, component: str, version: str) -> Repository:
        return self.open(self.specs_for(component, version)[0])

    def add_local_resource(
        self, component: str, version: str, resource: Resource, blob: Blob
    ) -> Resource:
        """Store a local resource where ``component:version`` routes to."""
        target = self._target(component, version)
        return target.add_local_resource(component, version, resource, blob)

    def add_local_source(self, component: str, version: str, source: Source, blob: Blob) -> Source:
        """Store a local source where ``component:version`` routes to."""
        return self._target(component, version).add_local_source(component, version, source, blob)

    def add_artifact(self, resource: Resource, blob: Blob, reference_name: str) -> Resource | None:
        """Store an OCI artifact in the base repository (``None`` without one)."""
        if self._base is None:
            return None
        return self.open(self._base).add_artifact(resource, blob, reference_name)

    def add_component_version(self, descriptor: Descriptor, *, replace: bool = False) -> None:
        """Store ``descriptor`` where its component version routes to."""
        c = descriptor.component
        self._target(c.name, c.version).add_component_version(descriptor, replace=replace)

    # lifetime

    def close(self) -> None:
        """Close the repositories the chain opened (not the shared ones), last first."""
        with self._lock:
            owned, self._owned = self._owned, []
            self._cache.clear()
            self._holders.clear()
        failure: BaseException | None = None
        for repository in reversed(owned):
            try:
                repository.close()
            except Exception as e:
                failure = failure or e
        if failure is not None:
            raise failure

    def __enter__(self) -> ResolvingRepository:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
