"""Resolvers: routing each component version to the repository that holds it.

    >>> import tempfile
    >>> from pyocm.descriptor import Component, Descriptor, Provider
    >>> from pyocm.repository import CTFSpec, open_repository
    >>> from pyocm.repository.resolvers import Route, resolver_chain
    >>> work = tempfile.mkdtemp()
    >>> for path, name in (("/a", "acme.org/app"), ("/b", "acme.org/lib")):
    ...     with open_repository(work + path, mode="create") as repo:
    ...         repo.add_component_version(
    ...             Descriptor(Component(name, "1.0.0", Provider("acme"))))
    >>> with resolver_chain(
    ...     CTFSpec(work + "/a"), opener=open_repository,
    ...     routes=[Route(CTFSpec(work + "/b"), "acme.org/lib*")],
    ... ) as chain:
    ...     [chain.get_component_version(name, "1.0.0").component.name
    ...      for name in ("acme.org/app", "acme.org/lib")]
    ['acme.org/app', 'acme.org/lib']

A command names one repository, but the versions it reaches through component references
may live elsewhere.  :func:`resolver_chain` builds the chain the Go v2 CLI builds (cli.md
§3.5) from the repository of the command's reference (the *base*) and the configuration:

1. the base, for the components the reference names (its own component; for a bare CTF
   reference, every component listed there);
2. the ``resolvers.config.ocm.software/v1alpha1`` entries in order: a component name glob
   (:mod:`pyocm.repository.resolvers_glob`; ``*`` also matches ``/``) and an optional
   Masterminds ``versionConstraint``, skipped when the version is unknown or no semantic
   version;
3. the base again, for every component (``*``): the catch-all.

The **first matching entry wins**, as in Go: when its repository lacks the version, the
lookup fails; later entries are not tried.  The deprecated ``ocm.config.ocm.software``
resolvers work differently (Go's fallback repository): every repository whose ``prefix``
covers the component name (``acme.org`` covers ``acme.org`` and ``acme.org/...``; empty
covers all) is tried by descending ``priority`` (default 10, the base above all), and the
first that *has* the version serves it.  Configuring both kinds is an error; the deprecated
kind logs a warning with the migration link, as Go does.

Differences from Go, decided here: an entry without ``componentNamePattern`` matches every
component (as the Go documentation says; the Go code compiles the empty glob, which matches
nothing), and repositories are cached by the canonical JSON of their *normalised*
specification (type name canonical, CTF paths absolute), so that the same repository spelled
two ways (``ctf::./a`` and ``{type: CTF, filePath: a}``) is opened once.

:class:`ResolvingRepository` (:mod:`pyocm.repository.resolvers_repository`) is the chain as a
:class:`pyocm.repository.Repository`: reads (descriptors, versions, local blobs) go to the
repository that holds the component version, writes to the one the component routes to, so graph
resolution, transfers, signature checks and the constructor's external references use it
unchanged. Repositories are opened lazily by the caller's ``opener`` (which brings the
credentials), once each, thread-safely, and closed with the chain; repositories handed in
already open (``shared``) stay the caller's.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from pyocm.errors import OCMError
from pyocm.repository.reference import RepositorySpec
from pyocm.repository.resolvers_glob import Glob, GlobError, compile_glob
from pyocm.repository.resolvers_repository import (
    Opener,
    ResolvingRepository,
    Target,
    UnusableSpec,
    canonical_key,
)
from pyocm.semver import Constraint, Version

if TYPE_CHECKING:
    from pyocm.repository.base import Repository

__all__ = [
    "BOTH_KINDS_ERROR",
    "DEFAULT_PRIORITY",
    "MIGRATION_WARNING",
    "ConfiguredFallback",
    "ConfiguredRoute",
    "FallbackRoute",
    "Opener",
    "ResolvingRepository",
    "Route",
    "Target",
    "UnusableSpec",
    "canonical_key",
    "resolver_chain",
]

_log = logging.getLogger("pyocm.repository")

DEFAULT_PRIORITY = 10
"""The priority of a deprecated resolver that sets none (Go's ``DefaultLookupPriority``)."""

BOTH_KINDS_ERROR = (
    "both path matcher and fallback resolvers are configured, only one type is allowed"
)
"""Go's error when ``resolvers.config`` and the deprecated ``ocm.config`` resolvers meet."""

MIGRATION_WARNING = (
    "using deprecated fallback resolvers, consider switching to path matcher resolvers. "
    "Follow our migration guide for more details: "
    "https://ocm.software/docs/how-to/migrate-from-fallback-to-deterministic-repository-resolvers/"
)
"""Go's warning when the deprecated ``ocm.config`` resolvers are used."""

_RESOLVERS_LABEL = "resolvers.config.ocm.software"
_FALLBACK_LABEL = "ocm.config.ocm.software"


@dataclass(frozen=True)
class Route:
    """A path-matching entry: ``repository`` serves the components whose names match the
    glob ``component_name_pattern`` (and, with ``version_constraint``, whose versions satisfy
    it)."""

    repository: Target
    component_name_pattern: str = "*"
    version_constraint: str = ""


@dataclass(frozen=True)
class FallbackRoute:
    """A deprecated resolver: ``repository`` is tried for components under ``prefix`` (empty:
    all), repositories of higher ``priority`` first."""

    repository: Target
    prefix: str = ""
    priority: int = DEFAULT_PRIORITY


class ConfiguredRoute(Protocol):
    """A ``resolvers.config`` entry as :mod:`pyocm.config.merge` reads it."""

    @property
    def repository(self) -> Mapping[str, Any] | None:
        """The typed repository specification (``None`` when missing)."""
        ...

    @property
    def component_name_pattern(self) -> str:
        """The glob on component names (empty: all)."""
        ...

    @property
    def version_constraint(self) -> str:
        """The semantic version constraint (empty: none)."""
        ...


class ConfiguredFallback(Protocol):
    """A deprecated ``ocm.config`` resolver as :mod:`pyocm.config.merge` reads it."""

    @property
    def repository(self) -> Mapping[str, Any] | None:
        """The typed repository specification (``None`` when missing)."""
        ...

    @property
    def prefix(self) -> str:
        """The component name prefix (empty: all)."""
        ...

    @property
    def priority(self) -> int | None:
        """Higher first; ``None`` for the default, 10."""
        ...


# --- the two routing strategies ------------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    route: Route
    glob: Glob
    constraint: Constraint | None


class _PathMatcher:
    """First match wins (``resolvers.config``)."""

    probes = False

    def __init__(self, routes: Sequence[tuple[Route, str]]):
        self._routes: list[_Compiled] = []
        for route, where in routes:
            try:
                glob = compile_glob(route.component_name_pattern)
            except GlobError as e:
                raise OCMError(f"{where}: invalid componentNamePattern ({e})") from None
            constraint = None
            if route.version_constraint:
                try:
                    constraint = Constraint.parse(route.version_constraint)
                except OCMError as e:
                    raise OCMError(f"{where}: invalid versionConstraint ({e})") from None
            self._routes.append(_Compiled(route, glob, constraint))

    def candidates(self, component: str, version: str) -> list[Target]:
        parsed = Version.try_parse(version) if version else None
        for index, compiled in enumerate(self._routes):
            if not compiled.glob.match(component):
                continue
            if compiled.constraint is not None and (
                parsed is None or not compiled.constraint.check(parsed)
            ):
                continue
            _log.debug(
                "component routed",
                extra={
                    "component": component,
                    "version": version,
                    "entry": index,
                    "pattern": compiled.route.component_name_pattern,
                    "repository": str(compiled.route.repository),
                },
            )
            return [compiled.route.repository]
        return []


class _PriorityFallback:
    """Every repository covering the component, by priority (deprecated ``ocm.config``)."""

    probes = True

    def __init__(self, routes: Sequence[FallbackRoute]):
        self._routes = sorted(routes, key=lambda r: -r.priority)  # stable: ties keep order

    def candidates(self, component: str, version: str) -> list[Target]:
        return [r.repository for r in self._routes if _covers(r.prefix, component)]


def _covers(prefix: str, component: str) -> bool:
    if not prefix or prefix == component:
        return True
    return component.startswith(prefix.removesuffix("/") + "/")


# --- building a chain ------------------------------------------------------------------------


def resolver_chain(
    base: RepositorySpec | None,
    *,
    opener: Opener,
    base_repository: Repository | None = None,
    component_patterns: Sequence[str] = (),
    routes: Sequence[Route] = (),
    configured: Sequence[ConfiguredRoute] = (),
    fallbacks: Sequence[ConfiguredFallback] = (),
    shared: Sequence[tuple[RepositorySpec, Repository]] = (),
) -> ResolvingRepository:
    """The resolver chain of a command (see the module documentation).

    ``base`` is the repository of the command's reference (already open as
    ``base_repository``, which the chain then uses and leaves open), ``component_patterns``
    the components it names.  The middle of the chain is ``routes`` followed by the
    ``configured`` ``resolvers.config`` entries; ``fallbacks`` are the deprecated
    ``ocm.config`` resolvers, which replace the path matching.  ``shared`` are further
    repositories the caller has open.  Raises :class:`OCMError` naming the entry for an
    invalid pattern or constraint, and when both kinds of resolvers are given; a repository
    specification that cannot be used is an error only once a component is routed to it
    (:class:`UnusableSpec`), as in Go.
    """
    if (routes or configured) and fallbacks:
        raise OCMError(BOTH_KINDS_ERROR)
    reused = list(shared)
    if base is not None and base_repository is not None:
        reused.append((base, base_repository))
    if fallbacks:
        _log.warning(MIGRATION_WARNING)
        fallback_routes = [FallbackRoute(base, "", 2**63 - 1)] if base is not None else []
        for index, entry in enumerate(fallbacks):
            priority = entry.priority if entry.priority is not None else DEFAULT_PRIORITY
            spec = _spec(entry.repository, f"{_FALLBACK_LABEL} resolver {index}")
            fallback_routes.append(FallbackRoute(spec, entry.prefix, priority))
        return ResolvingRepository(_PriorityFallback(fallback_routes), opener, reused, base)
    chain: list[tuple[Route, str]] = []
    if base is not None:
        chain += [(Route(base, p), f"component pattern {p!r}") for p in component_patterns]
    chain += [(route, f"route {index}") for index, route in enumerate(routes)]
    for index, item in enumerate(configured):
        where = f"{_RESOLVERS_LABEL} resolver {index}"
        spec = _spec(item.repository, where)
        route = Route(spec, item.component_name_pattern or "*", item.version_constraint)
        chain.append((route, where))
    if base is not None:
        chain.append((Route(base, "*"), "base repository"))
    return ResolvingRepository(_PathMatcher(chain), opener, reused, base)


def _spec(data: Mapping[str, Any] | None, where: str) -> Target:
    from pyocm.repository.reference import spec_from_mapping

    if data is None:
        return UnusableSpec(data, f"{where}: no repository given")
    try:
        return spec_from_mapping(data, f"{where}: repository")
    except OCMError as e:
        return UnusableSpec(data, str(e))
