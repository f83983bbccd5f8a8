"""Planning a transfer: which component versions go, and which blobs are copied by value.

    >>> from pyocm.repository import open_repository                     # doctest: +SKIP
    >>> from pyocm.transfer import TransferOptions, plan_transfer         # doctest: +SKIP
    >>> with open_repository("./src-ctf") as src, open_repository("./dst", mode="create") as dst:
    ...     plan = plan_transfer(src, dst, [("acme.org/app", "1.0.0")],
    ...                          TransferOptions(recursive=True))         # doctest: +SKIP
    >>> [(v.component, v.action) for v in plan.versions]                 # doctest: +SKIP
    [('acme.org/db', 'add'), ('acme.org/app', 'add')]

A plan lists component versions children first (:mod:`pyocm.transfer.discovery`), each with
an *action* and, per resource and source, whether its content is copied *by value* (into a
local blob of the target) or kept *by reference* (its access unchanged), as its access type
says where its content lives (:attr:`pyocm.access.base.AccessHandler.content`):

* ``localBlob`` content is always copied: its access means nothing outside the source;
* with ``copy_resources``, a resource with any other access is copied by value: pyocm checks
  that it can fetch the content (:func:`pyocm.access.open_blob`).  Content it cannot fetch (an
  unreachable registry, a missing image, an access type it does not know) fails the plan,
  naming every such resource and why, before anything is copied: a delivery that was asked to
  carry its content must not arrive without it and report success.  With
  ``allow_by_reference`` such resources keep their access instead, with a warning each.
  Content whose access does not pin it (:class:`pyocm.errors.NotReproducible`, e.g. a
  ``gitHub`` access without a commit) fails the plan either way; a ``none`` access has no
  content and stays as it is;
* sources other than local blobs are always kept by reference (Go v2 copies none).

A ``helm`` chart copied by value lands as an OCI artifact (Helm config, chart and provenance
layers; :mod:`pyocm.access.helm`): a local blob of the image manifest's media type with
``referenceName: <chart>:<version>``.

With ``upload_as="ociArtifact"`` (and ``copy_resources``) a resource copied by value is
*uploaded* as an OCI image of the target's registry instead of a local blob (cli.md §4.2)
when its access type says the copy is an OCI artifact
(:meth:`pyocm.access.base.AccessHandler.uploadable`): an ``ociArtifact`` resource at
``<target>/<its repository>:<tag>``, a helm chart at ``<target>/<chart>:<version>``, a local
blob that is an OCI manifest or index and has a ``referenceName`` at
``<target>/<referenceName>``; the copy's access becomes
``ociArtifact/v1``.  A target that has no such place (a CTF) stores the copy as a local blob
after all, as Go v2 does.

Conflicts with versions already in the target follow ``conflict_policy``.  A version whose
target descriptor normalises to the same digest as the source's (``jsonNormalisation/v4alpha1``,
which leaves out access specifications), carries every signature of the source and holds as
local blobs (or, uploaded, as OCI artifacts) what this plan would copy is *up to date*:

* ``abort-and-fail`` (the default): up-to-date versions are skipped, so re-running a transfer
  (or resuming an interrupted one) does nothing twice; a version that differs fails the plan
  before anything is copied;
* ``skip``: every version already in the target is skipped, whatever it holds;
* ``replace``: every version already in the target is transferred again and its tag moved
  (what the Go v2 CLI always does).

The plan's document form (:meth:`TransferPlan.to_dict`, printed by ``ocm transfer cv
--dry-run``) is pyocm's own, ``type: transferplan.pyocm.software/v1alpha1``::

    type: transferplan.pyocm.software/v1alpha1
    source: ./ctf                      # as the caller names them
    target: ./archive.tgz
    options: {recursive: true, copyResources: false, allowByReference: false,
              uploadAs: localBlob, conflictPolicy: abort-and-fail}
    componentVersions:                 # children before parents
    - component: acme.org/db
      version: 1.0.0
      action: add                      # add | replace | skip
      reason: ...                      # why skipped or replaced (absent for add)
      digest: {hashAlgorithm: SHA-256, normalisationAlgorithm: ..., value: ...}
      references: [{component: ..., version: ...}]
      resources:                       # likewise sources
      - identity: {name: chart, version: 1.0.0}
        access: {type: localBlob/v1, localReference: ..., mediaType: ...}
        copy: byValue                  # byValue | byReference
        upload: ociArtifact            # only when uploaded as an OCI artifact
        note: ...                      # why kept by reference, when it is
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pyocm.access import HANDLERS, open_blob
from pyocm.access.handlers import content_of
from pyocm.descriptor.model import Descriptor, Digest, Resource, Source
from pyocm.digest import component_version_digest
from pyocm.errors import NotReproducible, OCMError
from pyocm.transfer.discovery import Discovered, Key, discover

if TYPE_CHECKING:
    from pyocm.access.base import Content
    from pyocm.access.context import AccessContext
    from pyocm.repository.base import Repository

PLAN_TYPE = "transferplan.pyocm.software/v1alpha1"
"""The ``type`` of a plan document."""

ABORT_AND_FAIL = "abort-and-fail"
REPLACE = "replace"
SKIP = "skip"
CONFLICT_POLICIES = (ABORT_AND_FAIL, REPLACE, SKIP)
"""The values of ``conflict_policy``; the first is the default."""

UPLOAD_TYPES = ("localBlob", "ociArtifact")
DEFAULT_CONCURRENCY = 4
"""Threads that read, copy and push at the same time unless told otherwise."""

Action = Literal["add", "replace", "skip"]
Copy = Literal["byValue", "byReference"]
Upload = Literal["localBlob", "ociArtifact"]
Kind = Literal["resource", "source"]

_log = logging.getLogger("pyocm.transfer")


@dataclass(frozen=True)
class TransferOptions:
    """What a transfer copies and how it treats versions already in the target."""

    recursive: bool = False
    """Follow component references (any depth)."""
    copy_resources: bool = False
    """Copy resources with remote accesses by value too (local blobs are always copied)."""
    upload_as: str = "localBlob"
    """``localBlob`` or ``ociArtifact``: how copied OCI artifacts land in an OCI registry
    target (see the module documentation)."""
    conflict_policy: str = ABORT_AND_FAIL
    """``abort-and-fail``, ``replace`` or ``skip`` (see the module documentation)."""
    allow_by_reference: bool = False
    """With ``copy_resources``: keep resources whose content cannot be fetched by reference
    (a warning each) instead of failing the plan."""

    def __post_init__(self) -> None:
        if self.conflict_policy not in CONFLICT_POLICIES:
            raise OCMError(
                f"invalid conflict policy {self.conflict_policy!r} "
                f"(expected one of {', '.join(CONFLICT_POLICIES)})"
            )
        if self.upload_as not in UPLOAD_TYPES:
            raise OCMError(
                f"invalid upload type {self.upload_as!r} "
                f"(expected one of {', '.join(UPLOAD_TYPES)})"
            )

    def to_dict(self) -> dict[str, Any]:
        """The options as the plan document shows them."""
        return {
            "recursive": self.recursive,
            "copyResources": self.copy_resources,
            "allowByReference": self.allow_by_reference,
            "uploadAs": self.upload_as,
            "conflictPolicy": self.conflict_policy,
        }


@dataclass(frozen=True)
class ElementPlan:
    """What happens to the content of one resource or source."""

    kind: Kind
    index: int
    """Position in the descriptor's ``resources`` or ``sources``."""
    identity: dict[str, str]
    """Name, extra identity and version."""
    copy: Copy
    note: str = ""
    """Why the content is kept by reference (empty when copied)."""
    unfetchable: bool = False
    """Kept by reference because the content, asked to be copied, could not be fetched."""
    upload: Upload = "localBlob"
    """How a copy lands: ``localBlob``, or ``ociArtifact`` (an image of the target's
    registry, where it has one)."""

    @property
    def by_value(self) -> bool:
        """Whether the content is copied into the target."""
        return self.copy == "byValue"


@dataclass(frozen=True)
class VersionPlan:
    """One component version of the plan."""

    component: str
    version: str
    descriptor: Descriptor
    """The source descriptor, copied to the target with only accesses changed."""
    digest: Digest
    """The source descriptor's digest (SHA-256, ``jsonNormalisation/v4alpha1``), or, when
    it cannot be normalised, a digest with an empty value."""
    action: Action
    reason: str
    references: tuple[Key, ...]
    """The versions of this plan it references (each listed before it)."""
    elements: tuple[ElementPlan, ...]

    @property
    def key(self) -> Key:
        """``(component, version)``."""
        return (self.component, self.version)

    def element(self, plan: ElementPlan) -> Resource | Source:
        """The source descriptor's resource or source ``plan`` is about."""
        component = self.descriptor.component
        elements: Sequence[Resource | Source] = (
            component.resources if plan.kind == "resource" else component.sources
        )
        return elements[plan.index]

    def copies(self) -> list[ElementPlan]:
        """The elements whose content is copied by value."""
        return [e for e in self.elements if e.by_value]

    def to_dict(self) -> dict[str, Any]:
        """The version as the plan document shows it."""
        out: dict[str, Any] = {
            "component": self.component,
            "version": self.version,
            "action": self.action,
        }
        if self.reason:
            out["reason"] = self.reason
        if self.digest.value:
            out["digest"] = self.digest.to_dict()
        out["references"] = [{"component": c, "version": v} for c, v in self.references]
        for kind, key in (("resource", "resources"), ("source", "sources")):
            out[key] = [self._element_dict(e) for e in self.elements if e.kind == kind]
        return out

    def _element_dict(self, plan: ElementPlan) -> dict[str, Any]:
        access = self.element(plan).access
        out: dict[str, Any] = {
            "identity": plan.identity,
            "access": access.to_dict() if access is not None else None,
            "copy": plan.copy,
        }
        if plan.upload != "localBlob":
            out["upload"] = plan.upload
        if plan.note:
            out["note"] = plan.note
        return out


@dataclass(frozen=True)
class TransferPlan:
    """The component versions of a transfer, children before parents."""

    options: TransferOptions
    versions: tuple[VersionPlan, ...]
    source: str = ""
    target: str = ""

    def transferred(self) -> list[VersionPlan]:
        """The versions that will be written to the target (not skipped)."""
        return [v for v in self.versions if v.action != "skip"]

    def blob_count(self) -> int:
        """How many blobs the transfer copies."""
        return sum(len(v.copies()) for v in self.transferred())

    def to_dict(self) -> dict[str, Any]:
        """The plan document (see the module documentation)."""
        return {
            "type": PLAN_TYPE,
            "source": self.source,
            "target": self.target,
            "options": self.options.to_dict(),
            "componentVersions": [v.to_dict() for v in self.versions],
        }


def plan_transfer(
    source: Repository,
    target: Repository | None,
    roots: Sequence[Key],
    options: TransferOptions,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    source_name: str = "",
    target_name: str = "",
    context: AccessContext | None = None,
) -> TransferPlan:
    """Plan the transfer of ``roots`` (and, with recursion, what they reference).

    ``target`` is asked which versions it holds already (``None``: an empty target, e.g. one
    that does not exist yet).  Raises :class:`pyocm.errors.OCMError` when the conflict policy
    forbids the transfer, a reference digest does not match, or references form a cycle.
    ``source_name`` and ``target_name`` only label the plan document.  ``context`` gives the
    credentials for content in registries (checked to be reachable with
    ``copy_resources``; see :func:`pyocm.access.open_blob`).  Content ``copy_resources`` asks
    for that cannot be fetched raises :class:`OCMError` naming each resource, unless
    ``allow_by_reference``.
    """
    found = discover(source, target, roots, recursive=options.recursive, concurrency=concurrency)
    planned = [_plan_version(source, key, entry, options, context) for key, entry in found.items()]
    if not options.allow_by_reference:
        _refuse_unfetchable([version for version, _ in planned])
    conflicts = [(version, conflict) for version, conflict in planned if conflict]
    if conflicts:
        first, conflict = conflicts[0]
        more = f" (and {len(conflicts) - 1} more)" if len(conflicts) > 1 else ""
        raise OCMError(
            f"component version {first.component}:{first.version} already exists in target "
            f"repository and {conflict}{more}; the conflict policy replace overwrites it, skip "
            "leaves it (--component-version-conflict-policy)"
        )
    return TransferPlan(options, tuple(version for version, _ in planned), source_name, target_name)


def _refuse_unfetchable(versions: Sequence[VersionPlan]) -> None:
    """Raise :class:`OCMError` naming every resource whose content could not be fetched."""
    missing = [
        f"{e.kind} {e.identity['name']!r} of {v.component}:{v.version} ({e.note})"
        for v in versions
        if v.action != "skip"
        for e in v.elements
        if e.unfetchable
    ]
    if not missing:
        return
    count = "1 resource" if len(missing) == 1 else f"{len(missing)} resources"
    raise OCMError(
        f"--copy-resources cannot copy {count}: {'; '.join(missing)}; nothing was transferred "
        "(--allow-by-reference keeps such resources by reference)"
    )


def _plan_version(
    source: Repository,
    key: Key,
    entry: Discovered,
    options: TransferOptions,
    context: AccessContext | None,
) -> tuple[VersionPlan, str]:
    """The plan of one version and, when the policy forbids transferring it, the conflict."""
    descriptor = entry.descriptor
    component = descriptor.component
    elements = [
        *(
            _plan_element(source, descriptor, "resource", i, r, options, context)
            for i, r in enumerate(component.resources)
        ),
        *(
            _plan_element(source, descriptor, "source", i, s, options, context)
            for i, s in enumerate(component.sources)
        ),
    ]
    digest = _digest(descriptor)
    action: Action = "add"
    reason = conflict = ""
    if entry.existing is not None:
        difference = _difference(descriptor, digest, entry.existing, elements)
        if options.conflict_policy == REPLACE:
            action = "replace"
            reason = "exists in target" + (f" and {difference}" if difference else ", unchanged")
        elif difference and options.conflict_policy == ABORT_AND_FAIL:
            action, reason, conflict = "skip", difference, difference
        elif difference:
            action, reason = "skip", f"exists in target and {difference}"
        else:
            action, reason = "skip", "exists in target, up to date"
    plan = VersionPlan(
        key[0], key[1], descriptor, digest, action, reason, tuple(entry.children), tuple(elements)
    )
    return plan, conflict


def _plan_element(
    source: Repository,
    descriptor: Descriptor,
    kind: Kind,
    index: int,
    element: Resource | Source,
    options: TransferOptions,
    context: AccessContext | None,
) -> ElementPlan:
    identity = {**element.identity(), "version": element.version}

    def keep(note: str) -> ElementPlan:
        return ElementPlan(kind, index, identity, "byReference", note)

    access = element.access
    content = content_of(access.type) if access is not None else "none"
    if access is None or content == "none":
        return keep("no content")
    if content == "local":
        return ElementPlan(kind, index, identity, "byValue", upload=_upload(element, options))
    of = descriptor.component
    what = f"{kind} {element.name!r} of {of.name}:{of.version}"
    if kind == "source":
        return keep("sources are copied by value only as local blobs")
    if not options.copy_resources:
        return keep("remote access (copy it with --copy-resources)")

    def unfetchable(note: str) -> ElementPlan:
        if options.allow_by_reference:
            _log.warning("resource kept by reference", extra={"resource": what, "reason": note})
        return ElementPlan(kind, index, identity, "byReference", note, unfetchable=True)

    if content is None:
        return unfetchable(f"pyocm cannot fetch access type {access.type!r}")
    try:
        open_blob(source, descriptor, element, context)
    except NotReproducible:
        raise
    except OCMError as e:
        return unfetchable(str(e))
    return ElementPlan(kind, index, identity, "byValue", upload=_upload(element, options))


def _upload(element: Resource | Source, options: TransferOptions) -> Upload:
    """``ociArtifact`` for a resource copied by value that is to land as an OCI image: one
    whose access type says its copy is an OCI artifact (an image, a helm chart, a local blob
    that is a manifest or index and has a ``referenceName``; cli.md §4.2)."""
    access = element.access
    if options.upload_as != "ociArtifact" or not options.copy_resources or access is None:
        return "localBlob"
    if not isinstance(element, Resource):
        return "localBlob"
    handler = HANDLERS.get(access.type)
    if handler is not None and handler.uploadable(element):
        return "ociArtifact"
    return "localBlob"


def _digest(descriptor: Descriptor) -> Digest:
    try:
        return component_version_digest(descriptor)
    except OCMError:
        return Digest("SHA-256", "", "")


def _difference(
    source: Descriptor,
    digest: Digest,
    existing: Descriptor,
    elements: Sequence[ElementPlan],
) -> str:
    """Why ``existing`` (in the target) is not an up-to-date copy of ``source``; "" when it is."""
    if digest.value:
        if _digest(existing).value != digest.value:
            return "differs from the source (another digest)"
    elif _without_accesses(existing) != _without_accesses(source):
        return "differs from the source"
    for signature in source.signatures:
        present = existing.signature(signature.name)
        if present is None or present.to_dict() != signature.to_dict():
            return f"differs from the source (signature {signature.name!r})"
    for plan in elements:
        if plan.by_value and not _stored_locally(existing, plan):
            name = plan.identity["name"]
            return f"differs from the source ({plan.kind} {name!r} is not a local blob there)"
    return ""


def _stored_locally(existing: Descriptor, plan: ElementPlan) -> bool:
    """Whether the target holds the copy of ``plan``'s element (local, or uploaded)."""
    elements: Sequence[Resource | Source] = (
        existing.component.resources if plan.kind == "resource" else existing.component.sources
    )
    held: tuple[Content, ...] = ("local",)
    if plan.upload == "ociArtifact":  # uploaded as an image, or a local blob in a CTF
        held = ("local", "image")
    for element in elements:
        if {**element.identity(), "version": element.version} == plan.identity:
            return element.access is not None and content_of(element.access.type) in held
    return False


def _without_accesses(descriptor: Descriptor) -> dict[str, Any]:
    data = descriptor.to_dict()
    for key in ("resources", "sources"):
        for element in data["component"].get(key) or []:
            element.pop("access", None)
    data.pop("signatures", None)
    return data
