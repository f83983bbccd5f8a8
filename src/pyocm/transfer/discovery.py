"""Finding the component versions a transfer covers: roots, references, digests, order.

    >>> from pyocm.transfer.discovery import discover, select_versions     # doctest: +SKIP
    >>> versions = select_versions(repo, "acme.org/app")                  # doctest: +SKIP
    >>> roots = [("acme.org/app", v) for v in versions]                     # doctest: +SKIP
    >>> found = discover(repo, None, roots, recursive=True)                 # doctest: +SKIP
    >>> list(found)                                                         # doctest: +SKIP
    [('acme.org/db', '1.0.0'), ('acme.org/app', '1.0.0')]

:func:`discover` reads the descriptors of the roots and, with ``recursive``, of every version
they reference, level by level with a bounded pool of threads.  A reference that records a
digest must match the descriptor it leads to (the normalised hash, computed with the
reference's own algorithms); a mismatch is a :class:`pyocm.errors.DigestMismatch` naming the
reference.  The result is ordered children first, so that every version comes after the
versions it references; a cycle of references is an error naming it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pyocm.digest import reference_digest
from pyocm.errors import DigestMismatch, NotFound, OCMError
from pyocm.semver import filter_and_sort

if TYPE_CHECKING:
    from pyocm.descriptor.model import Descriptor, Reference
    from pyocm.repository.base import Repository

Key = tuple[str, str]
"""A component version: ``(component name, version)``."""

_log = logging.getLogger("pyocm.transfer")


@dataclass
class Discovered:
    """A component version found in the source, and its state in the target."""

    descriptor: Descriptor
    existing: Descriptor | None = None
    """The target's descriptor of the same version, when the target has one."""
    children: list[Key] = field(default_factory=list)
    """The distinct versions it references (filled only with recursion)."""


def select_versions(
    repository: Repository, component: str, constraint: str = "", latest: bool = False
) -> list[str]:
    """The versions of ``component`` a transfer without a version in its reference takes.

    Semantic versions highest first, filtered by ``constraint`` and, with ``latest``, cut to
    the highest.  Without either, versions that are no semantic version are taken as well
    (after the others, as Go v2 does, with a warning); a constraint or ``latest`` leaves them
    out.  :class:`pyocm.errors.NotFound` when nothing is left.
    """
    listed = repository.list_component_versions(component)
    selection = filter_and_sort(listed, constraint, latest)
    versions = list(selection.versions)
    if not constraint and not latest:
        for version in selection.skipped:
            _log.warning(
                "version is no semantic version, transferred after the others",
                extra={"component": component, "version": version},
            )
        versions += selection.skipped
    if not versions:
        message = f'no versions found for component "{component}"'
        if constraint:
            message += f' matching constraint "{constraint}"'
        if latest:
            message += " (latest only)"
        raise NotFound(message)
    return versions


def discover(
    source: Repository,
    target: Repository | None,
    roots: Sequence[Key],
    *,
    recursive: bool,
    concurrency: int = 4,
) -> dict[Key, Discovered]:
    """Every version the transfer covers, children before parents (see the module docs).

    ``target``, when given, is asked for each version too (:attr:`Discovered.existing`).
    """
    found: dict[Key, Discovered] = {}
    pins: dict[Key, list[tuple[Key, Reference]]] = {}
    level = list(dict.fromkeys(roots))
    with ThreadPoolExecutor(max(1, concurrency), thread_name_prefix="pyocm-discover") as pool:
        while level:
            fetched = list(pool.map(lambda key: _fetch(source, target, key), level))
            following: list[Key] = []
            for key, entry in zip(level, fetched, strict=True):
                found[key] = entry
                for parent, reference in pins.get(key, ()):
                    _check_pin(parent, reference, entry.descriptor)
                if not recursive:
                    continue
                for reference in entry.descriptor.component.references:
                    child = (reference.component_name, reference.version)
                    if child not in entry.children:
                        entry.children.append(child)
                    if reference.digest is not None and reference.digest.value:
                        if child in found:
                            _check_pin(key, reference, found[child].descriptor)
                        else:
                            pins.setdefault(child, []).append((key, reference))
                    if child not in found and child not in following:
                        following.append(child)
            level = [key for key in following if key not in found]
    order = _children_first(list(dict.fromkeys(roots)), found)
    return {key: found[key] for key in order}


def _fetch(source: Repository, target: Repository | None, key: Key) -> Discovered:
    component, version = key
    descriptor = source.get_component_version(component, version)
    existing = None
    if target is not None and target.has_component_version(component, version):
        existing = target.get_component_version(component, version)
    return Discovered(descriptor, existing)


def _check_pin(parent: Key, reference: Reference, child: Descriptor) -> None:
    """Fail unless ``child`` has the digest ``reference`` (of ``parent``) records for it."""
    assert reference.digest is not None
    actual = reference_digest(reference, child)
    if actual.value != reference.digest.value:
        raise DigestMismatch(
            f"component reference {reference.name!r} of {parent[0]}:{parent[1]} "
            f"({reference.component_name}:{reference.version})",
            reference.digest.value,
            actual.value,
        )


def _children_first(roots: list[Key], found: dict[Key, Discovered]) -> list[Key]:
    """A depth-first post-order from ``roots``: every version after those it references."""
    order: list[Key] = []
    done: set[Key] = set()
    for root in roots:
        if root in done:
            continue
        path = [root]
        stack = [iter(found[root].children)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                key = path.pop()
                done.add(key)
                order.append(key)
                continue
            if child in path:
                cycle = [*path[path.index(child) :], child]
                chain = " -> ".join(f"{name}:{version}" for name, version in cycle)
                raise OCMError(f"component references form a cycle: {chain}")
            if child not in done:
                path.append(child)
                stack.append(iter(found[child].children))
    return order
