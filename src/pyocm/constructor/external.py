"""External component versions: referenced by a constructor file but not defined in it.

    >>> import tempfile
    >>> from pyocm.blob import BytesBlob
    >>> from pyocm.descriptor import Component, Descriptor, Provider, Resource
    >>> from pyocm.repository import open_repository
    >>> from pyocm.constructor.external import copy_externals, find_externals
    >>> work = tempfile.mkdtemp()
    >>> with open_repository(work + "/lib", mode="create") as lib:
    ...     res = lib.add_local_resource("acme.org/lib", "1.0.0",
    ...         Resource(name="so", version="1.0.0", type="blob"), BytesBlob(b"\\x7fELF"))
    ...     lib.add_component_version(Descriptor(
    ...         Component("acme.org/lib", "1.0.0", Provider("acme"), resources=[res])))
    ...     found = find_externals(lib, {("acme.org/lib", "1.0.0"): "app.yaml"}, set())
    ...     with open_repository(work + "/target", mode="create") as target:
    ...         copied = copy_externals(lib, target, found.values())
    ...         target.list_component_versions("acme.org/lib")
    ['1.0.0']

The Go v2 CLI looks external component versions up through the resolver chain, with the
target repository as the catch-all (cli.md §2.6), and follows their own references too, so
a version missing anywhere below is an error before anything is built.  With
``--external-component-version-copy-policy copy-or-fail`` they are copied into the target,
children first, with their local blobs (resources and, unlike Go, sources too, so that the
copy is complete).  A version the target already holds with the same normalised digest is
left alone; one that differs is replaced (as Go replaces it), with a warning.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Container, Iterable, Mapping
from typing import TYPE_CHECKING

from pyocm.digest import component_version_digest
from pyocm.errors import NotFound, OCMError
from pyocm.repository.mapping import is_local_blob

if TYPE_CHECKING:
    from pyocm.descriptor.model import Descriptor
    from pyocm.repository.base import Repository

__all__ = ["copy_externals", "find_externals"]

log = logging.getLogger("pyocm.constructor")

Key = tuple[str, str]


def find_externals(
    resolver: Repository, wanted: Mapping[Key, str], constructed: Container[Key]
) -> dict[Key, Descriptor]:
    """The descriptors of the ``wanted`` versions and of everything they reference, read from
    ``resolver``, children before parents.

    ``wanted`` maps each version to what references it (for error messages); versions in
    ``constructed`` (defined in the constructor file) are not looked up.  Raises
    :class:`pyocm.errors.NotFound` naming the first version that cannot be resolved, and
    :class:`OCMError` for a reference cycle.
    """
    found: dict[Key, Descriptor] = {}

    def visit(key: Key, referrer: str, path: tuple[Key, ...]) -> None:
        if key in found or key in constructed:
            return
        if key in path:
            cycle = [*path[path.index(key) :], key]
            chain = " -> ".join(f"{name}:{version}" for name, version in cycle)
            raise OCMError(f"component references form a cycle: {chain}")
        name, version = key
        try:
            descriptor = resolver.get_component_version(name, version)
        except NotFound as e:
            raise NotFound(
                f"{referrer}: component version {name}:{version} is neither in the constructor "
                f"file nor in the target repository or its resolvers ({e})"
            ) from None
        for reference in descriptor.component.references:
            child = (reference.component_name, reference.version)
            visit(child, f"reference {reference.name!r} of {name}:{version}", (*path, key))
        found[key] = descriptor

    for key, referrer in wanted.items():
        visit(key, referrer, ())
    return found


def copy_externals(
    resolver: Repository, target: Repository, descriptors: Iterable[Descriptor]
) -> list[Descriptor]:
    """Copy ``descriptors`` (children first) with their local blobs from ``resolver`` into
    ``target``; returns the descriptors written (those the target did not hold already)."""
    written = []
    for descriptor in descriptors:
        c = descriptor.component
        what = f"{c.name}:{c.version}"
        if target.has_component_version(c.name, c.version):
            existing = target.get_component_version(c.name, c.version)
            if component_version_digest(existing) == component_version_digest(descriptor):
                log.info("external component version already in the target", extra={"cv": what})
                continue
            log.warning(
                "external component version differs from the one in the target, replacing it",
                extra={"cv": what},
            )
        written.append(_copy(resolver, target, descriptor))
        log.info("external component version copied into the target", extra={"cv": what})
    return written


def _copy(resolver: Repository, target: Repository, descriptor: Descriptor) -> Descriptor:
    copied = copy.deepcopy(descriptor)
    c = copied.component
    try:
        for i, resource in enumerate(c.resources):
            if is_local_blob(resource.access):
                blob = resolver.get_local_blob(c.name, c.version, resource.access)
                stored = target.add_local_resource(c.name, c.version, resource, blob)
                c.resources[i].access = stored.access
        for i, source in enumerate(c.sources):
            if is_local_blob(source.access):
                blob = resolver.get_local_blob(c.name, c.version, source.access)
                c.sources[i].access = target.add_local_source(
                    c.name, c.version, source, blob
                ).access
    except OCMError as e:
        raise OCMError(
            f"copying external component version {c.name}:{c.version} into the target: {e}"
        ) from e
    target.add_component_version(copied, replace=True)
    return copied
