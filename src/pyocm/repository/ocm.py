"""Component versions in OCI content, stored exactly as the Go v2 library stores them.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from pyocm.blob import BytesBlob
    >>> from pyocm.descriptor import Component, Descriptor, Provider, Resource
    >>> from pyocm.repository.ctf.ocistore import CTFStore
    >>> from pyocm.repository.ocm import OCMRepository
    >>> repo = OCMRepository(CTFStore(Path(tempfile.mkdtemp()), writable=True))
    >>> res = repo.add_local_resource("acme.org/app", "1.0.0",
    ...     Resource(name="readme", version="1.0.0", type="plainText"),
    ...     BytesBlob(b"hello", "text/plain"))
    >>> repo.add_component_version(
    ...     Descriptor(Component("acme.org/app", "1.0.0", Provider("acme"), resources=[res])))
    >>> with repo.get_local_blob("acme.org/app", "1.0.0", res.access).open() as f:
    ...     f.read()
    b'hello'

This module is every rule of OCM in OCI, once, over an :class:`pyocm.repository.store.OCIStore`
(a CTF directory or a registry).  A component version lives in the OCI repository
``component-descriptors/<name>`` of the store, tagged with its version (``+`` written as
``.build-``; reading takes the version from the ``software.ocm.componentversion``
annotation).  The tag points at an OCI image manifest whose config is
``{"componentDescriptorLayer": ...}`` and whose layers are the descriptor (JSON by default)
followed by one layer per local blob, or — when a local blob is itself an OCI artifact (an OCI
image layout was stored) — at an OCI image index whose ``manifests[0]`` is that manifest and
whose further entries are the artifacts, copied in blob by blob.

Blobs are always stored before the manifests that name them, the manifests before the tag.
Reading is lenient: every descriptor layer encoding and config media type the reference
tools wrote, indexes, duplicate layers, legacy chunked local blobs; artifact-set local blobs
(v1's ``…+tar+gzip`` manifests) are handed out as they are stored, as Go v2 does.
"""

from __future__ import annotations

import copy
import hashlib
import tarfile
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from pyocm.blob import Blob, FileBlob
from pyocm.blob.model import CHUNK_SIZE
from pyocm.descriptor.model import AccessSpec, Descriptor, Digest, Resource, Source
from pyocm.errors import DigestMismatch, NotFound, OCMError
from pyocm.oci import digests
from pyocm.oci import mediatypes as oci_types
from pyocm.oci.artifact import GraphBlob
from pyocm.oci.layout import (
    BlobSource,
    graph,
    open_layout_archive,
    read_blob,
)
from pyocm.oci.manifest import (
    MAX_MANIFEST_SIZE,
    Index,
    Manifest,
    image_index,
    image_manifest,
    parse_index,
    parse_json_object,
    parse_manifest,
    sniff_media_type,
)
from pyocm.oci.manifest import Descriptor as OCIDescriptor
from pyocm.oci.reference import REPOSITORY_NAME, TAG
from pyocm.oci.tarsafe import DEFAULT_LIMITS, Limits
from pyocm.repository import component_index, legacy, mapping
from pyocm.repository import mediatypes as ocm_types
from pyocm.repository.store import OCIStore, Tagged
from pyocm.repository.stored_blobs import ChainedBlob, LayoutBlob
from pyocm.semver import Version

GENERIC_BLOB_DIGEST = "genericBlobDigest/v1"
OCI_IMAGE_ACCESS = "OCIImage/v1"
OCI_ARTIFACT_ACCESS = "ociArtifact/v1"
"""The access type Go v2's transfer writes for artifacts it uploads (the legacy name)."""
OCI_IMAGE_LAYER_ACCESS = "OCIImageLayer/v1"
_HASH_NAMES = {"sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512"}


_KEPT_VERSIONS = 8
"""How many decoded manifests (by digest) a repository keeps (``OCMRepository._stored_version``)."""


@dataclass
class _StoredVersion:
    """What the tag of a component version points at, decoded.

    ``digest`` is the digest of the tagged manifest or index; the stored content it names never
    changes, so a decoded one can be kept and used again for as long as the tag points at it.
    """

    repository: str
    digest: str
    manifest: Manifest
    index: Index | None
    _by_digest: dict[str, OCIDescriptor] | None = None
    _artifact_versions: dict[str, str | None] | None = None

    def find(self, digest: str) -> OCIDescriptor | None:
        """The first nested artifact or layer with ``digest`` (artifacts first)."""
        if self._by_digest is None:
            found: dict[str, OCIDescriptor] = {}
            for candidate in [*(self.index.manifests if self.index else []), *self.manifest.layers]:
                found.setdefault(candidate.digest, candidate)
            self._by_digest = found
        return self._by_digest.get(digest)


class OCMRepository:
    """Component versions in an OCI store (implements :class:`pyocm.repository.base.Repository`).

    ``creator`` goes into the ``software.ocm.creator`` annotation of new versions;
    ``compatibility`` ``"legacy"`` writes what the legacy v1 CLI writes and reads
    (:mod:`pyocm.repository.legacy`) instead of what Go v2 writes; ``descriptor_media_type``
    chooses the descriptor layer encoding (default: JSON as Go v2, ``+yaml+tar`` as v1);
    ``temp_dir`` and ``limits`` bound the unpacking of OCI image layouts.  Options Go v2 has
    but its CLI leaves off: ``global_access`` records a ``globalAccess`` on every new local
    blob where the store can be reached from elsewhere (policy "auto"); ``referrer_tracking``
    makes every version a referrer of the component index and lists versions through it
    (falling back to tags).  ``semver_versions`` makes version listing keep only semantic
    versions, highest first, one per precedence (Go v2's registry listing).
    """

    def __init__(
        self,
        store: OCIStore,
        *,
        creator: str = mapping.DEFAULT_CREATOR,
        descriptor_media_type: str | None = None,
        temp_dir: Path | None = None,
        limits: Limits = DEFAULT_LIMITS,
        global_access: bool = False,
        referrer_tracking: bool = False,
        semver_versions: bool = False,
        compatibility: legacy.Compatibility = "v2",
    ):
        self.store = store
        self.creator = creator
        self.compatibility: legacy.Compatibility = compatibility
        default_layer = ocm_types.DESCRIPTOR_JSON
        if compatibility == "legacy":
            default_layer = ocm_types.DESCRIPTOR_YAML_TAR
        self.descriptor_media_type = descriptor_media_type or default_layer
        self.global_access = global_access
        self.referrer_tracking = referrer_tracking
        self.semver_versions = semver_versions
        self._temp_dir = temp_dir
        self._limits = limits
        self._closed = False
        self._kept: dict[tuple[str, str], _StoredVersion] = {}
        self._kept_lock = threading.Lock()

    @property
    def writable(self) -> bool:
        """Whether the repository was opened for writing."""
        return self.store.writable

    # lifecycle

    def close(self) -> None:
        """Release the store; the repository is not used afterwards."""
        if self._closed:
            return
        self._closed = True
        self.store.close()

    def __enter__(self) -> OCMRepository:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _require_open(self, *, writing: bool = False) -> None:
        if self._closed:
            raise OCMError(f"{self.store.description} is closed")
        if writing and not self.store.writable:
            raise OCMError(f"{self.store.description} is open read-only")

    # reading

    def list_components(self) -> list[str]:
        """Names of all components with at least one tagged version here (sorted).

        Registries cannot list their repositories; they raise :class:`OCMError` saying so.
        """
        self._require_open()
        prefix = f"{mapping.DESCRIPTOR_PREFIX}/"
        return sorted(
            repository.removeprefix(prefix)
            for repository in self.store.list_repositories()
            if repository.startswith(prefix)
        )

    def list_component_versions(self, component: str) -> list[str]:
        """The versions of ``component``, each once.

        A tag counts when its manifest (or index) has a ``software.ocm.componentversion``
        annotation naming ``component`` (the version is taken from it) or, for manifests
        written before the annotation existed, when its config is an OCM component config
        (the version is the tag with ``.build-`` read back as ``+``).  Referrer tags are
        skipped.  With referrer tracking the component index's referrers are asked first.
        The order is the store's unless ``semver_versions`` is set.
        """
        self._require_open()
        repository = mapping.component_repository(component)
        versions: list[str] = []
        if self.referrer_tracking:
            versions = self._versions_from_referrers(repository, component)
        if not versions:
            for tagged in self.store.tagged(repository, _is_version_tag):
                version = _version_of(component, tagged)
                if version is not None and version not in versions:
                    versions.append(version)
        return _semver_descending(versions) if self.semver_versions else versions

    def _versions_from_referrers(self, repository: str, component: str) -> list[str]:
        try:
            found = self.store.referrers(
                repository, component_index.DESCRIPTOR.digest, ocm_types.DESCRIPTOR_V2
            )
        except OCMError:
            return []
        versions: list[str] = []
        for referrer in found or ():
            value = referrer.annotations.get(ocm_types.ANNOTATION_COMPONENT_VERSION)
            parsed = mapping.parse_component_version_annotation(value) if value else None
            if parsed is not None and parsed[0] == component and parsed[1] not in versions:
                versions.append(parsed[1])
        return versions

    def has_component_version(self, component: str, version: str) -> bool:
        """Whether ``component:version`` is tagged here."""
        self._require_open()
        try:
            tag = mapping.version_to_tag(version)
            repository = mapping.check_component_repository(component)
        except OCMError:
            return False
        return self.store.has_tag(repository, tag)

    def get_component_version(self, component: str, version: str) -> Descriptor:
        """The descriptor of ``component:version``; :class:`NotFound` when absent."""
        self._require_open()
        stored = self._stored_version(component, version)
        return self._descriptor_of(stored, f"{component}:{version}")

    def _stored_version(
        self, component: str, version: str, *, reuse: bool = False
    ) -> _StoredVersion:
        """The manifest (and index) the tag of ``component:version`` points at.

        With ``reuse`` the tag is only resolved to its digest, and a manifest decoded before
        under that digest is used again: reading the local blobs of one version reads its
        manifest once, not once per blob (a manifest lists every blob, so that would be
        quadratic in their number).  A tag that moved resolves to another digest and is read
        afresh.  Every version read is kept, the last few by digest.
        """
        what = f"component version {component}:{version}"
        try:
            tag = mapping.version_to_tag(version)
            repository = mapping.check_component_repository(component)
        except OCMError:
            raise NotFound(f"{what} not found in {self.store.description}") from None
        if reuse:
            current = self.store.tag_digest(repository, tag)
            if current is None:
                raise NotFound(f"{what} not found in {self.store.description}")
            with self._kept_lock:
                kept = self._kept.get((repository, current))
            if kept is not None:
                return kept
        stored = self._read_stored_version(repository, tag, what)
        with self._kept_lock:
            self._kept.pop((repository, stored.digest), None)
            self._kept[(repository, stored.digest)] = stored
            while len(self._kept) > _KEPT_VERSIONS:
                del self._kept[next(iter(self._kept))]
        return stored

    def _read_stored_version(self, repository: str, tag: str, what: str) -> _StoredVersion:
        tagged = self.store.get_tagged(repository, tag)
        if tagged is None:
            raise NotFound(f"{what} not found in {self.store.description}")
        digest = tagged.descriptor.digest
        data = parse_json_object(tagged.content, f"{what}: manifest {digest}")
        media_type = tagged.descriptor.media_type or sniff_media_type(data)
        if media_type == oci_types.IMAGE_INDEX:
            index = parse_index(tagged.content, f"{what}: index {digest}")
            chosen = mapping.choose_descriptor_manifest(index, f"{what}: index {digest}")
            manifest_raw = self.store.fetch_manifest(repository, chosen)
            manifest = parse_manifest(manifest_raw, f"{what}: manifest {chosen.digest}")
            return _StoredVersion(repository, digest, manifest, index)
        if media_type == oci_types.IMAGE_MANIFEST:
            manifest = parse_manifest(tagged.content, f"{what}: manifest {digest}")
            return _StoredVersion(repository, digest, manifest, None)
        raise OCMError(f"{what} is not an OCM component version (its tag points at {media_type})")

    def _descriptor_of(self, stored: _StoredVersion, name: str) -> Descriptor:
        what = f"component version {name}"
        config = stored.manifest.config
        config_raw = self.store.read_blob(stored.repository, config, MAX_MANIFEST_SIZE)
        layer = mapping.descriptor_layer_of(config_raw, f"{what}: config")
        if layer is None:
            if not stored.manifest.layers:
                raise OCMError(f"{what} has no descriptor layer")
            layer = stored.manifest.layers[0]
        data = self.store.read_blob(stored.repository, layer, mapping.MAX_DESCRIPTOR_SIZE)
        return mapping.decode_descriptor(data, layer.media_type, f"{what}: descriptor")

    def get_local_blob(self, component: str, version: str, access: AccessSpec) -> Blob:
        """The local blob a ``localBlob`` access of ``component:version`` points to, verified.

        A blob stored as a nested OCI artifact (index form) is handed out as a gzipped OCI
        image layout (``application/vnd.ocm.software.oci.layout.v1+tar+gzip``) holding its
        whole graph, the root tagged with the version of the element that references it, as
        Go v2 does.  A comma-separated ``localReference`` (legacy chunked blob) yields the
        chunks concatenated.
        """
        self._require_open()
        if not mapping.is_local_blob(access):
            raise OCMError(f"access of type {access.type!r} is not a localBlob access")
        reference = access.properties.get("localReference")
        if not isinstance(reference, str) or not reference:
            raise OCMError("localBlob access has no localReference")
        media_type = str(access.properties.get("mediaType") or oci_types.OCTET_STREAM)
        stored = self._stored_version(component, version, reuse=True)
        repository = stored.repository
        found: list[OCIDescriptor] = []
        for part in (part.strip() for part in reference.split(",")):
            digests.check_digest(part, "localReference")
            match = stored.find(part)
            if match is None:
                match = self.store.stat(repository, part, media_type)
                if match is None:
                    raise NotFound(
                        f"local blob {part} of component version {component}:{version} "
                        f"not found in {self.store.description}"
                    )
            found.append(match)
        if len(found) > 1:
            chunks = [
                self.store.blob(repository, OCIDescriptor(media_type, d.digest, d.size))
                for d in found
            ]
            return ChainedBlob(chunks, media_type)
        artifact = found[0]
        if stored.index is not None and oci_types.is_manifest_type(artifact.media_type):
            if stored._artifact_versions is None:
                descriptor = self._descriptor_of(stored, f"{component}:{version}")
                stored._artifact_versions = _versions_referencing(descriptor)
            tag = stored._artifact_versions.get(artifact.digest)
            source = self.store.graph_source(repository)

            def referrers(digest: str) -> list[OCIDescriptor]:
                return self.store.referrers(repository, digest, "") or []

            return LayoutBlob(source, artifact, tag, self._temp_dir, referrers)
        return self.store.blob(
            repository,
            OCIDescriptor(artifact.media_type or media_type, artifact.digest, artifact.size),
        )

    # writing

    def add_local_resource(
        self, component: str, version: str, resource: Resource, blob: Blob
    ) -> Resource:
        """Store ``blob`` as a local blob of ``component:version``; returns the updated resource.

        The copy's access is a ``localBlob`` (its type kept when it already was one, else
        ``LocalBlob/v1``) with ``localReference`` = the blob digest, or for an OCI artifact
        (an OCI image layout blob, or a :class:`pyocm.oci.artifact.GraphBlob` such as an image
        read from a registry) the digest of the artifact's manifest, whose graph is copied
        into the store natively (a graph blob node by node, without an archive).  The media
        type is the one the resource's ``localBlob`` access declares, else the blob's (for
        an artifact: its manifest's).  The copy's digest is ``SHA-256``/``genericBlobDigest/v1``
        of the reference, as Go v2 records it; a resource digest contradicting the content is
        refused.
        """
        updated = copy.deepcopy(resource)
        stored = self._store_local_blob(component, version, resource, blob, "resource")
        updated.access = self._local_access(component, version, resource.access, stored)
        declared = resource.digest
        if (
            stored.media_type in ocm_types.ARTIFACT_SETS
            and declared is not None
            and declared.value
            and declared.value != digests.encoded(stored.digest)
        ):
            return updated  # the set's manifest digest, checked when stored: kept as it was
        updated.digest = Digest(
            _HASH_NAMES[digests.algorithm(stored.digest)],
            GENERIC_BLOB_DIGEST,
            digests.encoded(stored.digest),
        )
        return updated

    def add_local_source(self, component: str, version: str, source: Source, blob: Blob) -> Source:
        """Like :meth:`add_local_resource`, for a source (which has no digest)."""
        updated = copy.deepcopy(source)
        stored = self._store_local_blob(component, version, source, blob, "source")
        updated.access = self._local_access(component, version, source.access, stored)
        return updated

    def add_artifact(self, resource: Resource, blob: Blob, reference_name: str) -> Resource | None:
        """Store the OCI artifact ``blob`` as an image of this repository's registry.

        ``blob`` is a :class:`pyocm.oci.artifact.GraphBlob` (copied node by node) or an OCI
        image layout; ``reference_name`` (``repository[:tag]``, as a ``referenceName``) says
        where: the image ``<base URL>[/<sub path>]/<repository>:<tag>``, tagged last.  Returns
        a copy of ``resource`` whose access is ``ociArtifact/v1`` with that
        ``imageReference`` (unpinned, as Go v2 writes it) and whose digest is kept, or set to
        the manifest digest (``SHA-256``/``genericBlobDigest/v1``) when it had none.

        Returns ``None``, having stored nothing, where the store cannot be reached from
        elsewhere (a CTF), where ``reference_name`` has no tag, or where ``blob`` is no OCI
        artifact: the caller stores it as a local blob instead (Go v2's fallback).
        """
        self._require_open(writing=True)
        repository, _, tag = reference_name.rpartition(":")
        what = f"OCI artifact of resource {resource.name!r}"
        if not tag or not REPOSITORY_NAME.match(repository) or not TAG.match(tag):
            return None
        image = self.store.global_reference(repository, tag)
        if image is None:
            return None
        if isinstance(blob, GraphBlob):
            root = blob.root
            _check_declared_digest(resource, (root.digest,), what)
            self._put_image(repository, tag, blob.source, root, blob.nodes(), what)
        elif blob.media_type in ocm_types.OCI_LAYOUTS:
            declared = resource.digest is not None and bool(resource.digest.value)
            with self._layout(blob, what, declared) as (layout, root, nodes, archive):
                _check_declared_digest(resource, (root.digest, *archive), what)
                self._put_image(repository, tag, layout, root, nodes, what)
        else:
            return None
        updated = copy.deepcopy(resource)
        updated.access = AccessSpec(OCI_ARTIFACT_ACCESS, {"imageReference": image})
        if updated.digest is None:
            algorithm, _, value = root.digest.partition(":")
            updated.digest = Digest(_HASH_NAMES[algorithm], GENERIC_BLOB_DIGEST, value)
        return updated

    def _put_image(
        self,
        repository: str,
        tag: str,
        source: BlobSource,
        root: OCIDescriptor,
        nodes: Sequence[OCIDescriptor],
        what: str,
    ) -> None:
        """Copy a graph into ``repository`` of the store and tag its root (last)."""
        self.store.put_graph(repository, source, nodes, what)
        raw = read_blob(source, root.digest, MAX_MANIFEST_SIZE, root.size)
        self.store.publish(repository, [(root, raw)], tag, replace=True)

    def _store_local_blob(
        self, component: str, version: str, element: Resource | Source, blob: Blob, kind: str
    ) -> OCIDescriptor:
        """Store the blob of ``element``; returns what ``localReference`` will name."""
        self._require_open(writing=True)
        repository = mapping.check_component_repository(component)
        access = element.access
        declared = access.properties.get("mediaType") if mapping.is_local_blob(access) else None
        media_type = str(declared or blob.media_type or oci_types.OCTET_STREAM)
        what = f"local blob of {kind} {element.name!r}"
        if isinstance(blob, GraphBlob):  # copied node by node, no archive on the way
            self._refuse_artifact_if_legacy(what)
            _check_declared_digest(element, (blob.root.digest,), what)
            self.store.put_graph(repository, blob.source, blob.nodes(), what)
            return blob.root
        if media_type in ocm_types.OCI_LAYOUTS or blob.media_type in ocm_types.OCI_LAYOUTS:
            self._refuse_artifact_if_legacy(what)
            declared = element.digest if isinstance(element, Resource) else None
            root, archive_digest = self._store_layout(
                repository, blob, what, bool(declared and declared.value)
            )
            _check_declared_digest(element, (root.digest, *archive_digest), what)
            return root
        digest, size = self.store.put_blob(repository, blob, what)
        stored = OCIDescriptor(media_type, digest, size)
        accepted: tuple[str, ...] = (digest,)
        declared = element.digest if isinstance(element, Resource) else None
        if (
            media_type in ocm_types.ARTIFACT_SETS
            and declared is not None
            and declared.value not in ("", digests.encoded(digest))
        ):
            with self.store.blob(repository, stored).open() as stream:
                accepted = (digest, *_artifact_set_manifests(stream, what))
        _check_declared_digest(element, accepted, what)
        return stored

    def _refuse_artifact_if_legacy(self, what: str) -> None:
        if self.compatibility == "legacy":
            raise OCMError(
                f"{what} is an OCI artifact, which legacy compatibility cannot store: legacy "
                "OCM CLIs read OCI artifacts only as artifact-set blobs, which pyocm does not "
                "write (write this component version without legacy compatibility)"
            )

    def _store_layout(
        self, repository: str, blob: Blob, what: str, archive_digest: bool
    ) -> tuple[OCIDescriptor, tuple[str, ...]]:
        """Copy the OCI image layout in ``blob`` into the store.

        Returns its root and, with ``archive_digest``, the digest of the archive itself (a
        declared resource digest may name either).
        """
        with self._layout(blob, what, archive_digest) as (layout, root, nodes, archive):
            self.store.put_graph(repository, layout, nodes, what)
        return root, archive

    @contextmanager
    def _layout(
        self, blob: Blob, what: str, archive_digest: bool
    ) -> Iterator[tuple[BlobSource, OCIDescriptor, list[OCIDescriptor], tuple[str, ...]]]:
        """The OCI image layout in ``blob``: ``(source, root, graph, archive digests)``.

        The archive's own digest is given only with ``archive_digest`` (or when it comes for
        free).  A file blob is read where it lies, other blobs are first copied to a temporary
        file; an uncompressed layout is read in place, a compressed one unpacked.
        """
        with tempfile.TemporaryDirectory(prefix="pyocm-layout-", dir=self._temp_dir) as work:
            if isinstance(blob, FileBlob) and blob.digest is None:
                archive = blob.path
                digests_of_archive = (blob.compute_digest(),) if archive_digest else ()
            else:
                archive = Path(work) / "layout.tar"
                hasher = hashlib.sha256()
                with blob.open() as stream, archive.open("wb") as out:
                    while chunk := stream.read(CHUNK_SIZE):
                        hasher.update(chunk)
                        out.write(chunk)
                digests_of_archive = (f"sha256:{hasher.hexdigest()}",)
            layout = open_layout_archive(
                archive, Path(work), f"OCI image layout ({what})", self._limits
            )
            nodes = graph(layout, layout.main_descriptor())
            yield layout, nodes[-1], nodes, digests_of_archive

    def _local_access(
        self, component: str, version: str, previous: AccessSpec | None, stored: OCIDescriptor
    ) -> AccessSpec:
        """The ``localBlob`` access for a stored blob, keeping the type name and
        ``referenceName``; with ``global_access``, where the store has a global reference, a
        ``globalAccess`` as Go v2's ``setGlobalAccess`` writes it."""
        properties: dict[str, object] = {
            "localReference": stored.digest,
            "mediaType": stored.media_type,
        }
        access_type = ocm_types.LOCAL_BLOB
        if mapping.is_local_blob(previous):
            access_type = previous.type
            reference_name = previous.properties.get("referenceName")
            if reference_name:
                properties["referenceName"] = reference_name
        if self.global_access:
            repository = mapping.component_repository(component)
            base = self.store.global_reference(repository, mapping.version_to_tag(version))
            if base is not None:
                properties["globalAccess"] = _global_access(f"{base}@{stored.digest}", stored)
        access = AccessSpec(access_type, properties)
        if self.compatibility == "legacy":
            return legacy.legacy_access(access) or access
        return access

    def add_component_version(self, descriptor: Descriptor, *, replace: bool = False) -> None:
        """Write the descriptor, config and manifest (or index), then tag the version.

        Every ``localBlob`` of the descriptor must already be stored (see
        :meth:`add_local_resource`).  With legacy compatibility the stored descriptor names
        its accesses by their legacy type names and the manifest is written as v1 writes it
        (:mod:`pyocm.repository.legacy`).  Raises :class:`OCMError` when the version exists and
        ``replace`` is false; with ``replace`` the tag moves and the old manifest stays
        untagged, as in Go v2.
        """
        self._require_open(writing=True)
        legacy_mode = self.compatibility == "legacy"
        if legacy_mode:
            descriptor = legacy.legacy_descriptor(descriptor)
        component = descriptor.component.name
        version = descriptor.component.version
        repository = mapping.check_component_repository(component)
        tag = mapping.version_to_tag(version)
        layers, artifacts = self._local_blob_descriptors(repository, descriptor)

        subject = None
        if self.referrer_tracking and not legacy_mode:
            self.store.put_bytes(repository, component_index.EMPTY_CONTENT)
            self.store.ensure_manifest(
                repository, component_index.DESCRIPTOR, component_index.CONTENT
            )
            subject = component_index.DESCRIPTOR

        layer_raw = mapping.encode_descriptor(descriptor, self.descriptor_media_type)
        layer = self.store.put_bytes(repository, layer_raw)
        layer = OCIDescriptor(self.descriptor_media_type, layer.digest, layer.size)
        config_raw = mapping.component_config(layer)
        config = self.store.put_bytes(repository, config_raw)
        config = OCIDescriptor(ocm_types.COMPONENT_CONFIG, config.digest, config.size)
        if legacy_mode:
            annotations = legacy.manifest_annotations(component, version, self.creator)
            artifact_type = ""
        else:
            annotations = mapping.manifest_annotations(component, version, self.creator)
            artifact_type = ocm_types.DESCRIPTOR_V2
        manifest_raw = image_manifest(
            config,
            [layer, *layers],
            annotations=annotations,
            artifact_type=artifact_type,
            subject=subject,
        )
        top = OCIDescriptor(
            oci_types.IMAGE_MANIFEST,
            digests.digest_bytes(manifest_raw),
            len(manifest_raw),
            annotations=annotations,
            artifact_type=artifact_type,
        )
        manifests = [(top, manifest_raw)]
        if artifacts:
            index_annotations = mapping.manifest_annotations(
                component, version, self.creator, index=True
            )
            index_raw = image_index(
                [top, *artifacts], annotations=index_annotations, subject=subject
            )
            top = OCIDescriptor(
                oci_types.IMAGE_INDEX,
                digests.digest_bytes(index_raw),
                len(index_raw),
                annotations=index_annotations,
            )
            manifests.append((top, index_raw))
        if not self.store.publish(repository, manifests, tag, replace=replace):
            raise OCMError(
                f"component version {component}:{version} already exists in "
                f"{self.store.description} (pass replace=True to overwrite it)"
            )

    def _local_blob_descriptors(
        self, repository: str, descriptor: Descriptor
    ) -> tuple[list[OCIDescriptor], list[OCIDescriptor]]:
        """The layers and the nested artifacts for the local blobs of ``descriptor``, in order.

        Go v2 gives every element its own layer (a blob shared by two elements is listed
        twice); legacy compatibility lists each blob once, annotated with all its elements.
        """
        layers: list[OCIDescriptor] = []
        artifacts: list[OCIDescriptor] = []
        legacy_mode = self.compatibility == "legacy"
        layer_of: dict[str, int] = {}
        resources: list[Resource | Source] = list(descriptor.component.resources)
        sources: list[Resource | Source] = list(descriptor.component.sources)
        for element in [*resources, *sources]:
            access = element.access
            if not mapping.is_local_blob(access):
                continue
            kind = "resource" if isinstance(element, Resource) else "source"
            what = f"local blob of {kind} {element.name!r}"
            reference = access.properties.get("localReference")
            if not isinstance(reference, str) or "," in reference:
                raise OCMError(f"{what}: localReference must be a single digest, not {reference!r}")
            digests.check_digest(reference, f"{what} localReference")
            media_type = str(access.properties.get("mediaType") or "")
            stored = self.store.stat(repository, reference, media_type)
            if stored is None:
                raise NotFound(
                    f"{what} ({reference}) is not stored in {self.store.description}; "
                    f"store it with add_local_{kind} first"
                )
            if oci_types.is_manifest_type(stored.media_type):
                self._refuse_artifact_if_legacy(what)
                artifacts.append(mapping.adopt(stored, element))
            elif not legacy_mode:
                layers.append(mapping.adopt(stored, element))
            else:
                siblings = resources if isinstance(element, Resource) else sources
                position = layer_of.setdefault(stored.digest, len(layers))
                if position == len(layers):
                    layers.append(stored)
                layers[position] = legacy.adopt(layers[position], element, siblings)
        return layers, artifacts


def _is_version_tag(tag: str) -> bool:
    return not mapping.is_referrer_tag(tag)


def _version_of(component: str, tagged: Tagged) -> str | None:
    """The version of ``component`` a tag stands for, or ``None`` when it is none."""
    data = parse_json_object(tagged.content, f"manifest {tagged.descriptor.digest}")
    annotations = data.get("annotations")
    value = (
        annotations.get(ocm_types.ANNOTATION_COMPONENT_VERSION)
        if isinstance(annotations, dict)
        else None
    )
    if isinstance(value, str):
        parsed = mapping.parse_component_version_annotation(value)
        if parsed is not None and parsed[0] == component:
            return parsed[1]
        return None
    if oci_types.is_index_type(tagged.descriptor.media_type or sniff_media_type(data)):
        return None
    config = data.get("config")
    if isinstance(config, dict) and config.get("mediaType") in ocm_types.COMPONENT_CONFIGS:
        return mapping.tag_to_version(tagged.tag)
    return None


def _semver_descending(versions: Sequence[str]) -> list[str]:
    """Semantic versions only, highest first, the first of equal precedence kept (Go v2)."""
    parsed = [(v, text) for text in versions if (v := Version.try_parse(text)) is not None]
    parsed.sort(key=lambda pair: pair[0], reverse=True)
    kept: list[tuple[Version, str]] = []
    for version, text in parsed:
        if not kept or kept[-1][0] != version:
            kept.append((version, text))
    return [text for _, text in kept]


def _global_access(reference: str, stored: OCIDescriptor) -> dict[str, object]:
    """``OCIImage/v1`` for a manifest or index, else ``OCIImageLayer/v1`` (Go v2)."""
    if oci_types.is_manifest_type(stored.media_type):
        return {"type": OCI_IMAGE_ACCESS, "imageReference": reference}
    return {
        "type": OCI_IMAGE_LAYER_ACCESS,
        "ref": reference,
        "mediaType": stored.media_type,
        "digest": stored.digest,
        "size": stored.size,
    }


def _artifact_set_manifests(stream: IO[bytes], what: str) -> tuple[str, ...]:
    """The manifests the ``index.json`` of an artifact set (a tar, maybe gzipped) names and
    that the set holds, each verified against its digest (a legacy resource digest names one).
    """
    named: list[str] = []
    held: set[str] = set()
    try:
        with tarfile.open(fileobj=stream, mode="r|*") as tar:
            for member in tar:
                name = member.name.removeprefix("./")
                content = tar.extractfile(member) if member.isfile() else None
                if content is None:
                    continue
                if name == "index.json":
                    raw = content.read(MAX_MANIFEST_SIZE + 1)
                    if len(raw) > MAX_MANIFEST_SIZE:
                        raise OCMError(f"{what}: index.json is larger than {MAX_MANIFEST_SIZE}")
                    index = parse_index(raw, f"{what}: index.json")
                    named.extend(m.digest for m in index.manifests)
                elif name.startswith("blobs/sha256."):
                    hasher = hashlib.sha256()
                    while chunk := content.read(CHUNK_SIZE):
                        hasher.update(chunk)
                    if name == f"blobs/sha256.{hasher.hexdigest()}":
                        held.add(f"sha256:{hasher.hexdigest()}")
    except (tarfile.TarError, OSError, EOFError) as e:
        raise OCMError(f"{what} is not a readable artifact set: {e}") from None
    return tuple(d for d in named if d in held)


def _check_declared_digest(
    element: Resource | Source, accepted: tuple[str, ...], what: str
) -> None:
    """Refuse a resource whose recorded digest matches none of the digests of its content."""
    declared = element.digest if isinstance(element, Resource) else None
    if declared is None or not declared.value:
        return
    comparable = [
        d
        for d in accepted
        if _HASH_NAMES[digests.algorithm(d)].replace("-", "").lower()
        == declared.hash_algorithm.replace("-", "").lower()
    ]
    if not comparable or any(digests.encoded(d) == declared.value for d in comparable):
        return
    raise DigestMismatch(what, declared.value, digests.encoded(accepted[0]))


def _versions_referencing(descriptor: Descriptor) -> dict[str, str | None]:
    """For each local blob digest, the version of the first resource or source storing it."""
    elements: list[Resource | Source] = [
        *descriptor.component.resources,
        *descriptor.component.sources,
    ]
    versions: dict[str, str | None] = {}
    for element in elements:
        access = element.access
        if mapping.is_local_blob(access):
            reference = access.properties.get("localReference")
            if isinstance(reference, str):
                versions.setdefault(reference, element.version or None)
    return versions
