"""Component-version digests: the hash of the normalised descriptor, references included.

    >>> from pyocm.descriptor import load
    >>> from pyocm.digest import component_version_digest
    >>> cd = load("examples/component-descriptor.yaml")          # doctest: +SKIP
    >>> component_version_digest(cd).value                        # doctest: +SKIP
    '5e3c…'

A reference's digest is the digest of the referenced version's normalised descriptor, computed
with the algorithms recorded in the reference's own digest (SHA-256 and
``jsonNormalisation/v4alpha1`` when it has none).  The referenced descriptor's resource and
reference digests are part of its normalised form, so digests chain down the graph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from pyocm.descriptor.model import Descriptor, Digest, Reference
from pyocm.digest.algorithms import DEFAULT_HASH, canonical_hash_name, hash_hex
from pyocm.errors import DigestMismatch, OCMError
from pyocm.normalise import DEFAULT as DEFAULT_NORMALISATION
from pyocm.normalise import normalise

Resolver = Callable[[str, str], Descriptor]
"""Returns the descriptor of a component version given its name and version."""

NONE_ACCESS_TYPES = ("none", "None")


def component_version_digest(
    descriptor: Descriptor,
    hash_algorithm: str = DEFAULT_HASH,
    normalisation_algorithm: str = DEFAULT_NORMALISATION,
) -> Digest:
    """The digest of ``descriptor`` normalised with ``normalisation_algorithm``."""
    name = canonical_hash_name(hash_algorithm)
    value = hash_hex(normalise(descriptor, normalisation_algorithm), name)
    return Digest(name, normalisation_algorithm, value)


def reference_digest(reference: Reference, referenced: Descriptor) -> Digest:
    """The digest ``reference`` must carry for the referenced descriptor.

    Uses the algorithms recorded in ``reference.digest`` (keeping their spelling), or the
    defaults when the reference has no digest yet.
    """
    recorded = reference.digest
    hash_algorithm = recorded.hash_algorithm if recorded else DEFAULT_HASH
    normalisation = recorded.normalisation_algorithm if recorded else DEFAULT_NORMALISATION
    value = hash_hex(normalise(referenced, normalisation), hash_algorithm)
    return Digest(hash_algorithm, normalisation, value)


@dataclass(frozen=True)
class DigestProblem:
    """A reason a descriptor cannot be digested safely (its digests do not cover everything)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def digest_problems(descriptor: Descriptor) -> list[DigestProblem]:
    """What keeps ``descriptor`` from being safely digestible (empty when it is).

    Every reference needs a complete digest; every resource with content needs a digest; a
    resource whose access is ``none`` (or missing) must have none.
    """
    problems: list[DigestProblem] = []
    for i, ref in enumerate(descriptor.component.references):
        d = ref.digest
        if d is None or not (d.hash_algorithm and d.normalisation_algorithm and d.value):
            path = f"component.componentReferences[{i}]"
            problems.append(DigestProblem(path, f"reference {ref.name!r} has no digest"))
    for i, res in enumerate(descriptor.component.resources):
        path = f"component.resources[{i}]"
        no_content = res.access is None or res.access.type in NONE_ACCESS_TYPES
        if no_content and res.digest is not None:
            problems.append(
                DigestProblem(path, f"resource {res.name!r} has no content but a digest")
            )
        if not no_content and res.digest is None:
            problems.append(DigestProblem(path, f"resource {res.name!r} has no digest"))
    return problems


def update_reference_digests(
    descriptor: Descriptor, resolve: Resolver, *, check: bool = True
) -> Descriptor:
    """Compute the digest of every reference, recursively, and return an updated copy.

    ``resolve`` loads a referenced descriptor.  Children are digested bottom up, so a child's
    own reference digests are filled before its digest is taken.  With ``check``, a reference
    that already carries a digest must match the computed one, else :class:`DigestMismatch`.
    Cycles raise :class:`OCMError`.
    """
    done: dict[tuple[str, str], Descriptor] = {}
    return _update(descriptor, resolve, check, done, ())


def _update(
    descriptor: Descriptor,
    resolve: Resolver,
    check: bool,
    done: dict[tuple[str, str], Descriptor],
    stack: tuple[tuple[str, str], ...],
) -> Descriptor:
    c = descriptor.component
    key = (c.name, c.version)
    if key in stack:
        chain = " -> ".join(f"{n}:{v}" for n, v in (*stack, key))
        raise OCMError(f"component references form a cycle: {chain}")
    if key in done:
        return done[key]
    references = []
    for ref in c.references:
        child = _update(
            resolve(ref.component_name, ref.version), resolve, check, done, (*stack, key)
        )
        computed = reference_digest(ref, child)
        if check and ref.digest is not None and ref.digest.value != computed.value:
            what = f"reference {ref.name!r} ({ref.component_name}:{ref.version})"
            raise DigestMismatch(what, ref.digest.value, computed.value)
        references.append(replace(ref, digest=computed))
    updated = replace(descriptor, component=replace(c, references=references))
    done[key] = updated
    return updated
