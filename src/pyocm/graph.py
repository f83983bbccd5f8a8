"""Component-version graphs: a version with the versions it references, resolved recursively.

    >>> from pyocm.graph import resolve_graph
    >>> app = repo.get_component_version("acme.org/app", "1.0")      # doctest: +SKIP
    >>> root = resolve_graph(repo, app)                               # doctest: +SKIP
    >>> [child.descriptor.component.name for child in root.children]  # doctest: +SKIP
    ['acme.org/db']

Children are listed in the order of the descriptor's ``componentReferences``, one per distinct
component version, as the Go CLI records them.  A shared child is resolved once and appears
under every parent; a cycle is an error naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pyocm.errors import OCMError

if TYPE_CHECKING:
    from pyocm.descriptor.model import Descriptor
    from pyocm.repository.base import Repository

UNLIMITED = -1


@dataclass
class Node:
    """A component version in a graph, with the component versions it references."""

    descriptor: Descriptor
    children: list[Node] = field(default_factory=list)


def resolve_graph(
    repository: Repository,
    descriptor: Descriptor,
    depth: int = UNLIMITED,
    known: Mapping[tuple[str, str], Descriptor] | None = None,
) -> Node:
    """The graph below ``descriptor``, its references read from ``repository``.

    ``depth`` limits how many levels of references are followed (0: none, -1: all).
    ``known`` holds descriptors to take instead of asking ``repository``, by (name, version)
    (e.g. the ones a constructor run just built).  Raises :class:`pyocm.errors.NotFound` when
    a referenced version is missing.
    """
    resolved: dict[tuple[str, str], Node] = {}
    return _resolve(repository, known or {}, descriptor, depth, resolved, ())


def _resolve(
    repository: Repository,
    known: Mapping[tuple[str, str], Descriptor],
    descriptor: Descriptor,
    depth: int,
    resolved: dict[tuple[str, str], Node],
    path: tuple[tuple[str, str], ...],
) -> Node:
    key = (descriptor.component.name, descriptor.component.version)
    if key in path:
        chain = " -> ".join(f"{n}:{v}" for n, v in (*path, key))
        raise OCMError(f"component references form a cycle: {chain}")
    node = Node(descriptor)
    if depth == 0:
        return node
    seen: set[tuple[str, str]] = set()
    for ref in descriptor.component.references:
        child_key = (ref.component_name, ref.version)
        if child_key in seen:
            continue
        seen.add(child_key)
        child = resolved.get(child_key)
        if child is None:
            child_descriptor = known.get(child_key) or repository.get_component_version(*child_key)
            child = _resolve(repository, known, child_descriptor, depth - 1, resolved, (*path, key))
            resolved[child_key] = child
        node.children.append(child)
    return node
