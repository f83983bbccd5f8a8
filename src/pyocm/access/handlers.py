"""The registry of access types: one handler per type name, aliases included.

    >>> from pyocm.access.handlers import HANDLERS, HELM_TYPES
    >>> "helm/v1" in HELM_TYPES and "helm/v1" in HANDLERS
    True

The types read over HTTP or from chart repositories (``wget``, ``helm``, ``gitHub``) are
registered here by name and module: a module is imported when its type is first looked up, so
a command that meets none of them does not pay for their HTTP and chart code.  Each handler
keeps the contract of :class:`pyocm.access.base.AccessHandler`; a new type is one module and
one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Protocol, TypeVar

from pyocm.access import local_blob, oci_artifact, unsupported
from pyocm.access.base import AccessHandler, Content
from pyocm.errors import OCMError

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.descriptor.model import Resource, Source


WGET_TYPES = ("wget", "wget/v1", "Wget", "Wget/v1")
"""Every spelling of ``wget`` (Go v2 writes what the constructor says, ``wget/v1`` usually)."""

HELM_TYPES = ("Helm/v1", "Helm", "helm/v1", "helm")
"""Every spelling of ``helm`` (Go v2 writes what the constructor says, ``helm/v1`` usually)."""

GITHUB_TYPES = tuple(
    f"{name}{version}" for name in ("GitHub", "github", "gitHub") for version in ("", "/v1")
)
"""Every spelling of ``gitHub``."""

_ON_DEMAND = {
    **dict.fromkeys(WGET_TYPES, "pyocm.access.wget"),
    **dict.fromkeys(HELM_TYPES, "pyocm.access.helm"),
    **dict.fromkeys(GITHUB_TYPES, "pyocm.access.github"),
}
"""Access type name → the module serving it (its ``HANDLER`` and ``DIGESTS``), imported when
the type is first looked up."""

_ON_DEMAND_CONTENT: Content = "remote"
"""Where the content of every type of :data:`_ON_DEMAND` lives (their handlers say so too)."""

_T = TypeVar("_T")


class _Registry(MutableMapping[str, _T]):
    """Type name → what serves it: registered values, and for the types of ``on_demand`` the
    attribute ``attribute`` of their module, imported on first lookup."""

    def __init__(self, registered: dict[str, _T], on_demand: Mapping[str, str], attribute: str):
        self._registered = registered
        self._on_demand = dict(on_demand)
        self._attribute = attribute

    def loaded(self, name: str) -> _T | None:
        """What serves ``name`` if it is registered or its module was imported; never
        imports."""
        return self._registered.get(name)

    def __getitem__(self, name: str) -> _T:
        found = self._registered.get(name)
        if found is None:
            module = importlib.import_module(self._on_demand[name])
            found = self._registered[name] = getattr(module, self._attribute)
        return found

    def __setitem__(self, name: str, value: _T) -> None:
        self._registered[name] = value

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._registered.pop(name, None)
        self._on_demand.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._registered or name in self._on_demand

    def __iter__(self) -> Iterator[str]:
        yield from self._registered
        yield from (name for name in self._on_demand if name not in self._registered)

    def __len__(self) -> int:
        return len(self._registered.keys() | self._on_demand.keys())


_HANDLERS: _Registry[AccessHandler] = _Registry(
    {
        **dict.fromkeys(local_blob.TYPES, local_blob.HANDLER),
        **dict.fromkeys(oci_artifact.ARTIFACT_TYPES, oci_artifact.ARTIFACT),
        **dict.fromkeys(oci_artifact.LAYER_TYPES, oci_artifact.LAYER),
        **dict.fromkeys(unsupported.NO_CONTENT_TYPES, unsupported.NO_CONTENT),
        **dict.fromkeys(unsupported.REMOTE_TYPES, unsupported.REMOTE),
    },
    _ON_DEMAND,
    "HANDLER",
)
HANDLERS: MutableMapping[str, AccessHandler] = _HANDLERS
"""Access type name (with and without ``/v1``, in every historic spelling) → handler."""


class DigestProcessor(Protocol):
    """Finds the digest of content an access names when a component version is built."""

    def process(self, resource: Resource, context: AccessContext) -> Resource:
        """``resource`` with the digest of its content: set when it has none, else checked
        (a mismatch raises :class:`pyocm.errors.DigestMismatch`).  The access may come back
        pinned (e.g. to a commit or manifest digest).  Errors name the resource.
        """
        ...


DIGEST_PROCESSORS: MutableMapping[str, DigestProcessor] = _Registry({}, _ON_DEMAND, "DIGESTS")
"""Access type name → digest processor, for the types whose digest can be found at add time
(``ociArtifact`` images are resolved by the constructor itself)."""


def content_of(access_type: str) -> Content | None:
    """Where the content of an access of ``access_type`` lives
    (:attr:`pyocm.access.base.AccessHandler.content`); ``None`` for an unknown type.

    The types served on demand all name remote content, so asking about them imports
    nothing: a transfer that keeps a chart by reference does not load the chart code.
    """
    handler = _HANDLERS.loaded(access_type)
    if handler is None and access_type in _ON_DEMAND:
        return _ON_DEMAND_CONTENT
    handler = HANDLERS.get(access_type)
    return handler.content if handler is not None else None


def handler_for(element: Resource | Source) -> AccessHandler:
    """The handler for ``element``'s access type; :class:`OCMError` for unknown types."""
    access = element.access
    if access is None:
        raise OCMError(f"{element.name!r} has no access specification, so it has no content")
    handler = HANDLERS.get(access.type)
    if handler is None:
        raise OCMError(f"{element.name!r}: unknown access type {access.type!r}")
    return handler
