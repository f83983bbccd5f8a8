"""Checking that a descriptor's digests still describe its content, recursively.

    >>> from pyocm.signing.content import check_content                      # doctest: +SKIP
    >>> check_content(cd, digest_of=..., resolve=repo.get_component_version)  # doctest: +SKIP
    []

A signature covers the descriptor; the descriptor covers the content only through the
resource digests and the reference digests in it.  :func:`check_content` recomputes both:
every resource whose content can be fetched is digested again, and every referenced component
version is loaded, checked the same way, and its normalised digest compared with the
reference's.  How content is fetched is the caller's business (``digest_of``), so this module
needs no repository or access code.
"""

from __future__ import annotations

from collections.abc import Callable

from pyocm.descriptor.model import Descriptor, Digest, Resource
from pyocm.digest import NONE_ACCESS_TYPES, reference_digest
from pyocm.errors import DigestMismatch, NotFound, OCMError

DigestOf = Callable[[Descriptor, Resource], Digest]
"""Fetches a resource's content and digests it like its recorded digest; raises
:class:`OCMError` when the content cannot be fetched."""

Resolve = Callable[[str, str], Descriptor]
"""Loads the descriptor of a referenced component version (name, version); raises
:class:`NotFound` when there is none."""


class MissingReference(NotFound):
    """A referenced component version whose digest is to be checked is not there (a version
    copied without its references, for example)."""


def check_content(
    descriptor: Descriptor,
    *,
    digest_of: DigestOf,
    resolve: Resolve,
    recursive: bool = True,
) -> list[str]:
    """Recompute the resource and reference digests of ``descriptor``; raise on a mismatch.

    Raises :class:`DigestMismatch` naming the first resource or reference whose content does
    not match, :class:`MissingReference` when a referenced version cannot be loaded, and
    :class:`OCMError` when a resource has content but no digest.  Returns
    notes about content that could not be checked (fetching it is not possible here), so the
    caller can report them.
    """
    notes: list[str] = []
    _check(descriptor, digest_of, resolve, recursive, notes, set())
    return notes


def _check(
    descriptor: Descriptor,
    digest_of: DigestOf,
    resolve: Resolve,
    recursive: bool,
    notes: list[str],
    seen: set[tuple[str, str]],
) -> None:
    c = descriptor.component
    seen.add((c.name, c.version))
    where = f"{c.name}:{c.version}"
    for resource in c.resources:
        if resource.access is None or resource.access.type in NONE_ACCESS_TYPES:
            continue
        recorded = resource.digest
        if recorded is None:
            raise OCMError(f"resource {resource.name!r} of {where} has no digest")
        try:
            computed = digest_of(descriptor, resource)
        except DigestMismatch as e:
            what = f"resource {resource.name!r} of {where} ({e.what})"
            raise DigestMismatch(what, e.expected, e.actual) from None
        except OCMError as e:
            notes.append(f"content of resource {resource.name!r} of {where} not checked: {e}")
            continue
        if computed.value != recorded.value.lower():
            raise DigestMismatch(
                f"resource {resource.name!r} of {where}", recorded.value, computed.value
            )
    if not recursive:
        return
    for ref in c.references:
        try:
            child = resolve(ref.component_name, ref.version)
        except NotFound as e:
            raise MissingReference(
                f"reference {ref.name!r} of {where} names {ref.component_name}:{ref.version}, "
                f"which is not there to check: {e} (was {where} copied without its "
                "references?)"
            ) from None
        computed = reference_digest(ref, child)
        if ref.digest is None or computed.value != ref.digest.value.lower():
            expected = ref.digest.value if ref.digest else "a digest"
            raise DigestMismatch(
                f"reference {ref.name!r} ({ref.component_name}:{ref.version}) of {where}",
                expected,
                computed.value,
            )
        if (ref.component_name, ref.version) not in seen:
            _check(child, digest_of, resolve, recursive, notes, seen)
