"""Element identities: ``name`` plus ``extraIdentity``, and ``version`` where needed.

    >>> from pyocm.descriptor.identity import parse_identity
    >>> parse_identity("name=chart,version=1.0.0")
    {'name': 'chart', 'version': '1.0.0'}

The specification makes ``version`` part of an element's identity only when name and extra
identity alone are not unique among elements of the same kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, TypeVar

from pyocm.errors import NotFound


class _Identified(Protocol):
    name: str
    version: str
    extra_identity: dict[str, str]

    def identity(self) -> dict[str, str]: ...


E = TypeVar("E", bound=_Identified)


def identity_key(identity: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """A hashable, order-independent key for an identity map."""
    return tuple(sorted(identity.items()))


def matches(element: _Identified, selector: Mapping[str, str]) -> bool:
    """Whether every attribute of ``selector`` equals the element's (``version`` included)."""
    identity = element.identity()
    for key, value in selector.items():
        actual = element.version if key == "version" and key not in identity else identity.get(key)
        if actual != value:
            return False
    return True


def select(elements: Iterable[E], selector: Mapping[str, str]) -> list[E]:
    """All elements matching ``selector``."""
    return [e for e in elements if matches(e, selector)]


def identity_text(identity: Mapping[str, object]) -> str:
    """An identity as people read it: ``name=chart,arch=amd64`` (name first, the rest sorted)."""
    ordered = sorted(identity.items(), key=lambda kv: (kv[0] != "name", kv[0]))
    return ",".join(f"{k}={v}" for k, v in ordered)


def select_one(elements: Sequence[E], selector: Mapping[str, str], kind: str) -> E:
    """The single element matching ``selector``.

    Raises :class:`NotFound` if none matches and ``ValueError`` if several do.
    """
    found = select(elements, selector)
    shown = identity_text(selector)
    if not found:
        raise NotFound(f"no {kind} found matching identity {shown}")
    if len(found) > 1:
        raise ValueError(
            f"{len(found)} {kind}s match identity {shown}; add version or extra identity"
        )
    return found[0]


def parse_identity(text: str) -> dict[str, str]:
    """Parse ``key=value,key=value`` (the CLI's ``--identity`` form)."""
    identity: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not key:
            raise ValueError(f"invalid identity attribute {part!r}: expected key=value")
        identity[key.strip()] = value.strip()
    return identity
