"""Building component versions from a constructor file into a repository.

    >>> from pyocm.constructor import construct
    >>> from pyocm.repository import open_repository
    >>> with open_repository("./transport-archive", mode="create") as repo:  # doctest: +SKIP
    ...     added = construct("component-constructor.yaml", repo)
    >>> [(cd.component.name, cd.component.version) for cd in added]          # doctest: +SKIP
    [('github.com/acme.org/helloworld', '1.0.0')]

The algorithm of the Go v2 CLI's ``ocm add component-version``:

1. Components are processed so that a component referenced by another component of the same
   file comes first; otherwise in file order.  Reference cycles are an error.
2. Per component, the conflict policy decides what happens when the version already exists
   in the target: ``abort-and-fail`` (the default) fails with ``component version
   "name=…,version=…" already exists in target repository``; ``skip`` keeps the stored version
   (nothing is uploaded; it still serves references); ``replace`` overwrites it.
3. Resources: an ``input`` is turned into a blob (streamed, never held in memory), stored as a
   local blob, and gets relation ``local`` and the digest ``SHA-256`` /
   ``genericBlobDigest/v1`` of the stored blob (for an OCI artifact: of its manifest).  An
   ``access`` is written as given, relation ``external`` by default.  For ``ociArtifact``
   (``OCIImage/v1`` and its aliases) the image is resolved in its registry with the
   credentials of the access context: the resource gets the manifest digest (``SHA-256`` /
   ``genericBlobDigest/v1``) and the access is pinned to it (``repo:tag@sha256:…``, as Go v2
   does); a pinned digest must be the registry's.  When the registry cannot be reached (or
   refuses the credentials), an access already pinned (``…@sha256:…``) is kept as given with
   that digest and a warning; one that is not pinned is an error, since the version would
   name an image by a tag alone (``skip_digest_processing``, the CLI's
   ``--skip-reference-digest-processing`` as in Go v2, adds it unpinned).  An image the
   registry does not have is an error.  A ``digest`` written in the file must match.
   Elements without ``version`` get the component version.
4. Sources are stored like resources but get no digest (a warning is logged once).
5. References get the digest of the referenced descriptor (``SHA-256`` /
   ``jsonNormalisation/v4alpha1``); the referenced version comes from this run or, when the
   file does not define it, from the ``resolver`` (the CLI's resolver chain with the target
   repository as catch-all; the target itself by default).  Such external versions, and
   everything they reference, are looked up before anything is built, and with
   ``copy_external`` copied into the target with their local blobs
   (:mod:`pyocm.constructor.external`).  A ``digest`` written in the file must match.
6. The descriptor (schema ``v2``) is validated and written.

Input paths resolve against the working directory (by default the constructor file's
directory) and must not leave it.  Unlike the Go CLI, resources, sources and references of a
component are processed one after the other, not concurrently.

``progress`` (an :data:`InputProgress`) watches the content of inputs as it is stored::

    def show(what: str, done: int, total: int) -> None:
        print(f"{what}: {done} of {total} bytes")

    construct("component-constructor.yaml", repo, progress=show)

It is called after each read from an input's content, with what is stored (``resource
'chart' of acme.org/app:1.0.0``), the bytes read so far and the content's size (``-1`` when
unknown, e.g. for a ``compress``-ed file).  A repository that reads content twice (a registry
hashing a blob before its upload) starts again from 0.  Content stored as an OCI artifact
(an OCI image layout) is copied node by node, not through the stream, and is not reported.
"""

from __future__ import annotations

import enum
import io
import logging
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from pyocm.blob import Blob
from pyocm.blob.model import CHUNK_SIZE, ForwardingBlob
from pyocm.constructor.external import copy_externals, find_externals
from pyocm.constructor.inputs import InputContext, InputSpec
from pyocm.constructor.spec import (
    ComponentSpec,
    ConstructorSpec,
    ReferenceSpec,
    ResourceSpec,
    SourceSpec,
    load_constructor,
)
from pyocm.descriptor.model import (
    AccessSpec,
    Component,
    Descriptor,
    Digest,
    Provider,
    Reference,
    Resource,
    Source,
)
from pyocm.digest import GENERIC_BLOB_DIGEST_V1, SHA256, reference_digest
from pyocm.errors import (
    DigestMismatch,
    NotFound,
    OCMError,
    RegistryError,
    RegistryNotFound,
    ValidationError,
)
from pyocm.oci.artifact import GraphBlob
from pyocm.repository.base import Repository
from pyocm.repository.mediatypes import OCI_LAYOUTS

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

    from pyocm.access.context import AccessContext

log = logging.getLogger("pyocm.constructor")

LOCAL_BLOB = "LocalBlob/v1"
OCI_IMAGE_ACCESS_TYPES = frozenset(
    f"{name}{version}"
    for name in ("OCIImage", "ociArtifact", "ociRegistry", "ociImage", "OCIArtifact")
    for version in ("", "/v1")
)
NONE_ACCESS_TYPES = frozenset(("none", "None", "none/v1", "None/v1"))
_HASH_NAMES = {"sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512"}

InputProgress = Callable[[str, int, int], None]
"""Called as the content of an input is stored: with what is stored (``resource 'chart' of
acme.org/app:1.0.0``), the bytes read so far and the content's size (``-1`` when unknown)."""


class ConflictPolicy(enum.StrEnum):
    """What to do when a component version to construct already exists in the target."""

    ABORT_AND_FAIL = "abort-and-fail"
    SKIP = "skip"
    REPLACE = "replace"


def construct(
    constructor: str | os.PathLike[str] | ConstructorSpec,
    repository: Repository,
    *,
    working_directory: str | os.PathLike[str] | None = None,
    conflict_policy: ConflictPolicy | str = ConflictPolicy.ABORT_AND_FAIL,
    env: Mapping[str, str] | None = None,
    skip_digest_processing: bool = False,
    access_context: AccessContext | None = None,
    resolver: Repository | None = None,
    copy_external: bool = False,
    progress: InputProgress | None = None,
) -> list[Descriptor]:
    """Build every component version of ``constructor`` into ``repository``.

    ``constructor`` is a constructor file (expanded with ``env``, by default the process
    environment as it is at the time of the call) or a parsed
    :class:`ConstructorSpec`.  ``working_directory`` confines the input paths; it defaults to
    the directory of the constructor file (or the current directory for a parsed spec).
    ``skip_digest_processing`` keeps access-given resources exactly as written (no registry
    asked, no digest added).  ``access_context`` gives the credentials for resolving image
    references (default: anonymous).  ``resolver`` is where component versions referenced
    but not defined in the file are looked up (default: ``repository``); ``copy_external``
    copies them into ``repository`` (``--external-component-version-copy-policy
    copy-or-fail``).  ``progress`` is told how far the content of each input has been stored
    (see :data:`InputProgress`; called from this thread).  Returns the descriptors of the
    component versions in file order: the ones written, and for ``skip`` the ones already
    stored.
    """
    policy = _policy(conflict_policy)
    if isinstance(constructor, ConstructorSpec):
        spec = constructor
        default_directory = Path.cwd()
    else:
        spec = load_constructor(constructor, env)
        default_directory = Path(constructor).resolve().parent
    directory = Path(working_directory) if working_directory is not None else default_directory
    if not directory.is_dir():
        raise OCMError(f"working directory {str(directory)!r} is not a directory")
    constructed = {(c.name, c.version) for c in spec.components}
    wanted: dict[tuple[str, str], str] = {}
    for component in spec.components:
        for ref in component.references:
            key = (ref.component_name, ref.version)
            if key not in constructed:
                wanted.setdefault(key, f"{ref.where}: reference {ref.name!r}")
    externals = find_externals(resolver or repository, wanted, constructed)
    if copy_external:
        copy_externals(resolver or repository, repository, externals.values())
    with tempfile.TemporaryDirectory(prefix="pyocm-construct-") as scratch:
        builder = _Builder(
            repository,
            InputContext(directory.absolute(), Path(scratch), access_context),
            policy,
            skip_digest_processing,
            access_context,
            progress,
        )
        builder.built.update(externals)
        built = {}
        for component in _processing_order(spec.components):
            built[(component.name, component.version)] = builder.build(component)
    return [built[(c.name, c.version)] for c in spec.components]


def _policy(value: ConflictPolicy | str) -> ConflictPolicy:
    try:
        return ConflictPolicy(value)
    except ValueError:
        allowed = ", ".join(p.value for p in ConflictPolicy)
        raise OCMError(f"unknown conflict policy {value!r} (allowed: {allowed})") from None


def _processing_order(components: list[ComponentSpec]) -> list[ComponentSpec]:
    """File order, except that components referenced from the same file come first."""
    by_key = {(c.name, c.version): c for c in components}
    order: list[ComponentSpec] = []
    state: dict[tuple[str, str], str] = {}

    def visit(c: ComponentSpec, path: list[ComponentSpec]) -> None:
        key = (c.name, c.version)
        if state.get(key) == "done":
            return
        if state.get(key) == "active":
            start = next(i for i, p in enumerate(path) if (p.name, p.version) == key)
            chain = " -> ".join(f"{p.name}:{p.version}" for p in [*path[start:], c])
            raise OCMError(f"component references form a cycle: {chain}")
        state[key] = "active"
        for ref in c.references:
            child = by_key.get((ref.component_name, ref.version))
            if child is not None:
                visit(child, [*path, c])
        state[key] = "done"
        order.append(c)

    for c in components:
        visit(c, [])
    return order


class _Builder:
    """Builds one component version after the other into the target repository."""

    def __init__(
        self,
        repository: Repository,
        context: InputContext,
        policy: ConflictPolicy,
        skip_digest_processing: bool,
        access_context: AccessContext | None,
        progress: InputProgress | None = None,
    ):
        self.repository = repository
        self.context = context
        self.policy = policy
        self.skip_digest_processing = skip_digest_processing
        self.access_context = access_context
        self.progress = progress
        self.built: dict[tuple[str, str], Descriptor] = {}

    def build(self, spec: ComponentSpec) -> Descriptor:
        existing = self._existing(spec)
        if existing is not None:
            self.built[(spec.name, spec.version)] = existing
            return existing
        name, version = spec.name, spec.version
        component = Component(
            name=name,
            version=version,
            provider=Provider(spec.provider.name, list(spec.provider.labels)),
            creation_time=spec.creation_time,
            labels=list(spec.labels),
        )
        component.resources = [self._resource(spec, r) for r in spec.resources]
        if spec.sources:
            log.warning(
                "component %s:%s: source content is recorded without a digest and is not "
                "verifiable; declare the artifact as a resource if content validation is needed",
                name,
                version,
            )
        component.sources = [self._source(spec, s) for s in spec.sources]
        component.references = [self._reference(spec, r) for r in spec.references]
        descriptor = Descriptor(component)
        self._validate(descriptor)
        self.repository.add_component_version(
            descriptor, replace=self.policy is ConflictPolicy.REPLACE
        )
        self.built[(name, version)] = descriptor
        return descriptor

    def _existing(self, spec: ComponentSpec) -> Descriptor | None:
        """The stored version that ``skip`` keeps; fails for ``abort-and-fail``."""
        if not self.repository.has_component_version(spec.name, spec.version):
            return None
        if self.policy is ConflictPolicy.ABORT_AND_FAIL:
            raise OCMError(
                f'component version "{spec.identity}" already exists in target repository'
            )
        if self.policy is ConflictPolicy.SKIP:
            log.warning(
                "component version %s already exists in target repository, skipping construction",
                spec.identity,
            )
            return self.repository.get_component_version(spec.name, spec.version)
        log.warning(
            "REPLACING component version %s in target repository, the old component version "
            "will no longer be available",
            spec.identity,
        )
        return None

    def _validate(self, descriptor: Descriptor) -> None:
        from pyocm.descriptor.validate import validate

        c = descriptor.component
        try:
            validate(descriptor)
        except ValidationError as e:
            raise OCMError(f"component {c.name}:{c.version} failed validation: {e}") from e

    def _blob(self, spec: ComponentSpec, element: ResourceSpec | SourceSpec) -> Blob:
        input_spec: InputSpec | None = element.input
        assert input_spec is not None
        try:
            blob = input_spec.blob(self.context)
        except OCMError as e:
            raise OCMError(f"component {spec.name}:{spec.version}: {e}") from e
        if self.progress is None or isinstance(blob, GraphBlob) or blob.media_type in OCI_LAYOUTS:
            return blob  # an OCI artifact is stored node by node, not read through the blob
        kind = "resource" if isinstance(element, ResourceSpec) else "source"
        what = f"{kind} {element.name!r} of {spec.name}:{spec.version}"
        return _ReportedBlob(blob, what, self.progress)

    def _resource(self, spec: ComponentSpec, r: ResourceSpec) -> Resource:
        if r.ownership_policy == "Always":
            raise OCMError(
                f"{r.where}: resource {r.name!r} opts into ownership (policy 'Always'), which "
                "this repository cannot record"
            )
        resource = Resource(
            name=r.name,
            version=r.version or spec.version,
            extra_identity=dict(r.extra_identity),
            labels=list(r.labels),
            type=r.type,
            src_refs=list(r.src_refs),
            relation=r.relation or ("local" if r.input is not None else "external"),
            access=r.access,
            digest=r.digest,
        )
        if r.input is None:
            return self._access_digest(r, resource)
        blob = self._blob(spec, r)
        pending = replace(
            resource, access=AccessSpec(LOCAL_BLOB, {"mediaType": blob.media_type}), digest=None
        )
        try:
            stored = self.repository.add_local_resource(spec.name, spec.version, pending, blob)
        except OCMError as e:
            raise OCMError(
                f"{r.where}: cannot store resource {r.name!r} of {spec.name}:{spec.version}: {e}"
            ) from e
        digest = stored.digest or _local_blob_digest(stored.access, r.where)
        if r.digest is not None and (
            r.digest.value != digest.value or r.digest.hash_algorithm != digest.hash_algorithm
        ):
            raise DigestMismatch(f"resource {r.name!r} ({r.where})", r.digest.value, digest.value)
        return replace(stored, digest=digest)

    def _access_digest(self, r: ResourceSpec, resource: Resource) -> Resource:
        access = resource.access
        assert access is not None
        if self.skip_digest_processing or access.type in NONE_ACCESS_TYPES:
            return resource
        if access.type in OCI_IMAGE_ACCESS_TYPES:
            return self._image_digest(r, resource)
        from pyocm.access.context import default_context
        from pyocm.access.handlers import DIGEST_PROCESSORS

        processor = DIGEST_PROCESSORS.get(access.type)
        if processor is not None:
            try:
                return processor.process(resource, self.access_context or default_context())
            except OCMError as e:
                raise OCMError(f"{r.where}: {e}") from None
        if r.digest is None:
            log.warning(
                "%s: resource %r: no digest processor for access type %r; the resource is "
                "added without a digest",
                r.where,
                r.name,
                access.type,
            )
        return resource

    def _image_digest(self, r: ResourceSpec, resource: Resource) -> Resource:
        """Resolve the image in its registry: digest and pinned access, or as given."""
        from pyocm.access.context import default_context
        from pyocm.access.oci_artifact import image_reference

        access = resource.access
        assert access is not None
        try:
            reference = image_reference(resource)
        except OCMError as e:
            raise OCMError(f"{r.where}: resource {e}") from None
        context = self.access_context or default_context()
        try:
            root = context.repository(reference).resolve(reference.reference)
        except RegistryNotFound:
            raise NotFound(
                f"{r.where}: resource {r.name!r}: image {reference} not found in its registry"
            ) from None
        except RegistryError as e:
            if not reference.digest:
                raise OCMError(
                    f"{r.where}: resource {r.name!r}: image {reference} cannot be pinned to a "
                    f"digest: {e} (--skip-reference-digest-processing adds it without one)"
                ) from None
            log.warning(
                "%s: resource %r: image %s could not be resolved (%s); the access is kept as "
                "given, with the digest it is pinned to",
                r.where,
                r.name,
                reference,
                e,
            )
            return self._pinned_as_given(r, resource)
        if reference.digest and root.digest != reference.digest:
            raise DigestMismatch(f"resource {r.name!r} ({r.where})", reference.digest, root.digest)
        algorithm, _, value = root.digest.partition(":")
        found = Digest(_HASH_NAMES[algorithm], GENERIC_BLOB_DIGEST_V1, value)
        pinned_access = AccessSpec(
            access.type, {**access.properties, "imageReference": str(reference.pinned(root.digest))}
        )
        resource = replace(resource, access=pinned_access)
        if r.digest is None:
            return replace(resource, digest=found)
        if r.digest.value != found.value or r.digest.hash_algorithm != found.hash_algorithm:
            raise DigestMismatch(f"resource {r.name!r} ({r.where})", r.digest.value, found.value)
        return resource

    def _pinned_as_given(self, r: ResourceSpec, resource: Resource) -> Resource:
        """The resource as written, with the digest its image reference is pinned to."""
        assert resource.access is not None
        pinned = _pinned_digest(resource.access)
        if pinned is None:
            return resource
        if r.digest is None:
            return replace(resource, digest=Digest(SHA256, GENERIC_BLOB_DIGEST_V1, pinned))
        if r.digest.value != pinned or r.digest.hash_algorithm != SHA256:
            raise DigestMismatch(f"resource {r.name!r} ({r.where})", r.digest.value, pinned)
        return resource

    def _source(self, spec: ComponentSpec, s: SourceSpec) -> Source:
        source = Source(
            name=s.name,
            version=s.version or spec.version,
            extra_identity=dict(s.extra_identity),
            labels=list(s.labels),
            type=s.type,
            access=s.access,
        )
        if s.input is None:
            return source
        blob = self._blob(spec, s)
        pending = replace(source, access=AccessSpec(LOCAL_BLOB, {"mediaType": blob.media_type}))
        try:
            return self.repository.add_local_source(spec.name, spec.version, pending, blob)
        except OCMError as e:
            raise OCMError(
                f"{s.where}: cannot store source {s.name!r} of {spec.name}:{spec.version}: {e}"
            ) from e

    def _reference(self, spec: ComponentSpec, r: ReferenceSpec) -> Reference:
        referenced = self._referenced(r)
        reference = Reference(
            name=r.name,
            version=r.version,
            extra_identity=dict(r.extra_identity),
            labels=list(r.labels),
            component_name=r.component_name,
        )
        digest = reference_digest(reference, referenced)
        given = r.digest
        if given is not None and (
            given.hash_algorithm != digest.hash_algorithm
            or given.normalisation_algorithm != digest.normalisation_algorithm
            or given.value != digest.value
        ):
            raise DigestMismatch(
                f"reference {r.name!r} to {r.component_name}:{r.version} ({r.where})",
                f"{given.hash_algorithm}/{given.normalisation_algorithm}/{given.value}",
                f"{digest.hash_algorithm}/{digest.normalisation_algorithm}/{digest.value}",
            )
        return replace(reference, digest=digest)

    def _referenced(self, r: ReferenceSpec) -> Descriptor:
        """Built in this run (references come first) or found as an external version."""
        return self.built[(r.component_name, r.version)]


class _ReportedBlob(ForwardingBlob):
    """An input's content whose reads are reported to an :data:`InputProgress`."""

    def __init__(self, blob: Blob, what: str, progress: InputProgress):
        self.wrapped = blob
        self.media_type = blob.media_type
        self._what = what
        self._progress = progress

    @property
    def size(self) -> int:
        """The content's size."""
        return self.wrapped.size

    @property
    def digest(self) -> str | None:
        """The content's digest, if known in advance."""
        return self.wrapped.digest

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """The content's stream; every read is reported."""
        total = self.wrapped.size
        with self.wrapped.open() as stream:
            self._progress(self._what, 0, total)
            yield io.BufferedReader(
                _ReportedReader(stream, self._what, total, self._progress), CHUNK_SIZE
            )


class _ReportedReader(io.RawIOBase):
    """Passes reads through and reports the bytes read so far."""

    def __init__(self, raw: IO[bytes], what: str, total: int, progress: InputProgress):
        self._raw = raw
        self._what = what
        self._total = total
        self._progress = progress
        self._done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        chunk = self._raw.read(len(view))
        n = len(chunk)
        view[:n] = chunk
        if n:
            self._done += n
            self._progress(self._what, self._done, self._total)
        return n


def _local_blob_digest(access: AccessSpec | None, where: str) -> Digest:
    """The ``genericBlobDigest/v1`` digest named by a local blob's ``localReference``."""
    reference = access.properties.get("localReference") if access is not None else None
    algorithm, _, value = str(reference).partition(":")
    if algorithm != "sha256" or len(value) != 64:
        raise OCMError(
            f"{where}: the repository stored the blob as {reference!r}, which is not a "
            "sha256 digest"
        )
    return Digest(SHA256, GENERIC_BLOB_DIGEST_V1, value)


def _pinned_digest(access: AccessSpec) -> str | None:
    """The hex sha256 digest an ``imageReference`` is pinned to (``…@sha256:<hex>``)."""
    reference = access.properties.get("imageReference")
    if not isinstance(reference, str) or "@" not in reference:
        return None
    algorithm, _, value = reference.rsplit("@", 1)[1].partition(":")
    if algorithm != "sha256" or len(value) != 64 or not all(c in "0123456789abcdef" for c in value):
        log.warning("image reference %r is not pinned by a sha256 digest", reference)
        return None
    return value
