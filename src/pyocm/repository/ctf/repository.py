"""Component versions in a CTF, stored exactly as the Go v2 library stores them.

    >>> import tempfile
    >>> from pyocm.blob import BytesBlob
    >>> from pyocm.descriptor import Component, Descriptor, Provider, Resource
    >>> from pyocm.repository import open_repository
    >>> repo = open_repository(tempfile.mkdtemp() + "/ctf", mode="create")
    >>> res = repo.add_local_resource("acme.org/app", "1.0.0",
    ...     Resource(name="readme", version="1.0.0", type="plainText"),
    ...     BytesBlob(b"hello", "text/plain"))
    >>> cd = Descriptor(Component("acme.org/app", "1.0.0", Provider("acme"), resources=[res]))
    >>> repo.add_component_version(cd)
    >>> with repo.get_local_blob("acme.org/app", "1.0.0", res.access).open() as f:
    ...     f.read()
    b'hello'
    >>> repo.close()

A component version lives in repository ``component-descriptors/<name>``, tagged with its
version (``+`` written as ``.build-``).  The tag points at an OCI image manifest whose config
is ``{"componentDescriptorLayer": ...}`` and whose layers are the descriptor (JSON by
default) followed by one layer per local blob, or — when a local blob is itself an OCI
artifact — at an OCI image index whose ``manifests[0]`` is that manifest and whose further
entries are the artifacts, copied into the CTF blob by blob.

Within one open repository the index is kept in memory; before each update the file is
re-read only if another writer changed it, then the update is written once, under the
inter-process lock.  Blobs are always written before the manifests that name them, and the
index last.
"""

from __future__ import annotations

import copy
import hashlib
import io
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from filelock import FileLock

from pyocm.blob import Blob
from pyocm.blob.model import CHUNK_SIZE
from pyocm.descriptor.model import AccessSpec, Descriptor, Digest, Resource, Source
from pyocm.errors import DigestMismatch, NotFound, OCMError
from pyocm.oci import digests
from pyocm.oci import mediatypes as oci_types
from pyocm.oci.layout import extract_layout, graph, write_layout
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
from pyocm.oci.tarsafe import DEFAULT_LIMITS, Limits
from pyocm.repository import mapping
from pyocm.repository import mediatypes as ocm_types
from pyocm.repository.ctf.index import INDEX_FILE, ArtifactEntry, ArtifactIndex
from pyocm.repository.ctf.store import LOCK_FILE, BlobStore, atomic_write

GENERIC_BLOB_DIGEST = "genericBlobDigest/v1"
_HASH_NAMES = {"sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512"}
_SPOOL_SIZE = 16 << 20


@dataclass
class _StoredVersion:
    """What the tag of a component version points at, decoded."""

    manifest: Manifest
    index: Index | None


class CTFRepository:
    """A CTF directory holding component versions (see the module documentation).

    Open it with :func:`pyocm.repository.open_repository`; archives (tar, tgz) are unpacked
    into a work directory and packed again by :meth:`close`.
    """

    def __init__(
        self,
        root: Path,
        *,
        writable: bool,
        location: str | None = None,
        creator: str = mapping.DEFAULT_CREATOR,
        descriptor_media_type: str = ocm_types.DESCRIPTOR_JSON,
        temp_dir: Path | None = None,
        limits: Limits = DEFAULT_LIMITS,
        on_close: Callable[[bool], None] | None = None,
    ):
        self.root = root
        self.location = location or str(root)
        self.writable = writable
        self.creator = creator
        self.descriptor_media_type = descriptor_media_type
        self.blobs = BlobStore(root)
        self._temp_dir = temp_dir
        self._limits = limits
        self._on_close = on_close
        self._index = ArtifactIndex()
        self._index_raw: bytes | None = None
        self._lock = FileLock(str(root / LOCK_FILE)) if writable else None
        self._mutex = threading.RLock()
        self._dirty = False
        self._closed = False

    # lifecycle

    def close(self) -> None:
        """Finish: an archive-backed CTF opened for writing is packed again (atomically)."""
        if self._closed:
            return
        self._closed = True
        if self._on_close is not None:
            self._on_close(self._dirty)

    def __enter__(self) -> CTFRepository:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # the index

    def _current_index(self) -> ArtifactIndex:
        """The index as on disk now; parsed again only when the file changed.

        Callers hold ``self._mutex`` while they use the result.
        """
        path = self.root / INDEX_FILE
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raw = b""
        if raw != self._index_raw:
            self._index = ArtifactIndex.parse(raw, f"{INDEX_FILE} of CTF {self.location}")
            self._index_raw = raw
        return self._index

    @contextmanager
    def _updating(self) -> Iterator[ArtifactIndex]:
        """The index to change, under the inter-process lock; written once at the end."""
        self._require_open(writing=True)
        assert self._lock is not None
        with self._mutex, self._lock:
            index = self._current_index()
            try:
                yield index
            except BaseException:
                self._index_raw = None
                raise
            raw = index.to_json()
            if raw != self._index_raw:
                atomic_write(self.root / INDEX_FILE, [raw])
                self._index_raw = raw
                self._dirty = True

    def _require_open(self, *, writing: bool = False) -> None:
        if self._closed:
            raise OCMError(f"CTF {self.location} is closed")
        if writing and not self.writable:
            raise OCMError(f"CTF {self.location} is open read-only")

    def artifacts(self) -> list[ArtifactEntry]:
        """Copies of all index entries, in index order."""
        self._require_open()
        with self._mutex:
            return [copy.copy(e) for e in self._current_index().entries]

    # reading

    def list_components(self) -> list[str]:
        """Names of all components with at least one tagged version here (sorted)."""
        self._require_open()
        prefix = f"{mapping.DESCRIPTOR_PREFIX}/"
        with self._mutex:
            index = self._current_index()
            return sorted(
                repository.removeprefix(prefix)
                for repository in index.repositories()
                if repository.startswith(prefix) and index.tags(repository)
            )

    def list_component_versions(self, component: str) -> list[str]:
        """The versions of ``component``, in index order, each once.

        A tag counts when its manifest's ``software.ocm.componentversion`` annotation names
        ``component`` (the version is taken from it) or, for manifests written before the
        annotation existed, when its config is an OCM component config (the version is the
        tag with ``.build-`` read back as ``+``).  Referrer tags are skipped.
        """
        self._require_open()
        repository = mapping.component_repository(component)
        with self._mutex:
            index = self._current_index()
            tagged = [
                copy.copy(e)
                for e in (index.find_tag(repository, tag) for tag in index.tags(repository))
                if e is not None and not mapping.is_referrer_tag(e.tag)
            ]
        versions: list[str] = []
        for entry in tagged:
            version = self._version_of(component, entry.tag, entry)
            if version is not None and version not in versions:
                versions.append(version)
        return versions

    def _version_of(self, component: str, tag: str, entry: ArtifactEntry) -> str | None:
        raw = self.blobs.read_bytes(entry.digest, MAX_MANIFEST_SIZE)
        data = parse_json_object(raw, f"manifest {entry.digest}")
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
        if oci_types.is_index_type(entry.media_type or sniff_media_type(data)):
            return None
        config = data.get("config")
        if isinstance(config, dict) and config.get("mediaType") in ocm_types.COMPONENT_CONFIGS:
            return mapping.tag_to_version(tag)
        return None

    def has_component_version(self, component: str, version: str) -> bool:
        """Whether ``component:version`` is tagged here."""
        self._require_open()
        try:
            tag = mapping.version_to_tag(version)
        except OCMError:
            return False
        repository = mapping.component_repository(component)
        with self._mutex:
            return self._current_index().find_tag(repository, tag) is not None

    def get_component_version(self, component: str, version: str) -> Descriptor:
        """The descriptor of ``component:version``; :class:`NotFound` when absent."""
        self._require_open()
        stored = self._stored_version(component, version)
        return self._descriptor_of(stored, f"{component}:{version}")

    def _stored_version(self, component: str, version: str) -> _StoredVersion:
        what = f"component version {component}:{version}"
        try:
            tag = mapping.version_to_tag(version)
        except OCMError:
            raise NotFound(f"{what} not found in CTF {self.location}") from None
        repository = mapping.component_repository(component)
        with self._mutex:
            entry = copy.copy(self._current_index().find_tag(repository, tag))
        if entry is None:
            raise NotFound(f"{what} not found in CTF {self.location}")
        raw = self.blobs.read_bytes(entry.digest, MAX_MANIFEST_SIZE)
        data = parse_json_object(raw, f"{what}: manifest {entry.digest}")
        media_type = entry.media_type or sniff_media_type(data)
        if media_type == oci_types.IMAGE_INDEX:
            index = parse_index(raw, f"{what}: index {entry.digest}")
            chosen = mapping.choose_descriptor_manifest(index, f"{what}: index {entry.digest}")
            manifest_raw = self.blobs.read_bytes(chosen.digest, MAX_MANIFEST_SIZE, chosen.size)
            manifest = parse_manifest(manifest_raw, f"{what}: manifest {chosen.digest}")
            return _StoredVersion(manifest, index)
        if media_type == oci_types.IMAGE_MANIFEST:
            return _StoredVersion(parse_manifest(raw, f"{what}: manifest {entry.digest}"), None)
        raise OCMError(f"{what} is not an OCM component version (its tag points at {media_type})")

    def _descriptor_of(self, stored: _StoredVersion, name: str) -> Descriptor:
        what = f"component version {name}"
        config = stored.manifest.config
        config_raw = self.blobs.read_bytes(config.digest, MAX_MANIFEST_SIZE, config.size)
        layer = mapping.descriptor_layer_of(config_raw, f"{what}: config")
        if layer is None:
            if not stored.manifest.layers:
                raise OCMError(f"{what} has no descriptor layer")
            layer = stored.manifest.layers[0]
        data = self.blobs.read_bytes(layer.digest, mapping.MAX_DESCRIPTOR_SIZE, layer.size)
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
        media_type = access.properties.get("mediaType") or oci_types.OCTET_STREAM
        stored = self._stored_version(component, version)
        candidates = [*(stored.index.manifests if stored.index else []), *stored.manifest.layers]
        parts = [part.strip() for part in reference.split(",")]
        found: list[OCIDescriptor] = []
        for part in parts:
            digests.check_digest(part, "localReference")
            match = next((c for c in candidates if c.digest == part), None)
            if match is None:
                if not self.blobs.has(part):
                    raise NotFound(
                        f"local blob {part} of component version {component}:{version} "
                        f"not found in CTF {self.location}"
                    )
                match = OCIDescriptor(str(media_type), part, -1)
            found.append(match)
        if len(found) > 1:
            chunks = [self.blobs.blob(d.digest, str(media_type), d.size) for d in found]
            return _ChainedBlob(chunks, str(media_type))
        artifact = found[0]
        if stored.index is not None and oci_types.is_manifest_type(artifact.media_type):
            descriptor = self._descriptor_of(stored, f"{component}:{version}")
            tag = _version_referencing(descriptor, artifact.digest)
            return _LayoutBlob(self.blobs, artifact, tag, self._temp_dir)
        return self.blobs.blob(
            artifact.digest, artifact.media_type or str(media_type), artifact.size
        )

    # writing

    def add_local_resource(
        self, component: str, version: str, resource: Resource, blob: Blob
    ) -> Resource:
        """Store ``blob`` as a local blob of ``component:version``; returns the updated resource.

        The copy's access is a ``localBlob`` (its type kept when it already was one, else
        ``LocalBlob/v1``) with ``localReference`` = the blob digest, or for an OCI image
        layout blob the digest of the artifact's manifest, whose graph is copied into the CTF
        natively.  The media type is the one the resource's ``localBlob`` access declares,
        else the blob's.  The copy's digest is ``SHA-256``/``genericBlobDigest/v1`` of the
        reference, as Go v2 records it; a resource digest contradicting the content is refused.
        """
        updated = copy.deepcopy(resource)
        digest, media_type = self._store_local_blob(component, resource, blob, "resource")
        updated.access = _local_access(resource.access, digest, media_type)
        updated.digest = Digest(
            _HASH_NAMES[digests.algorithm(digest)], GENERIC_BLOB_DIGEST, digests.encoded(digest)
        )
        return updated

    def add_local_source(self, component: str, version: str, source: Source, blob: Blob) -> Source:
        """Like :meth:`add_local_resource`, for a source (which has no digest)."""
        updated = copy.deepcopy(source)
        digest, media_type = self._store_local_blob(component, source, blob, "source")
        updated.access = _local_access(source.access, digest, media_type)
        return updated

    def _store_local_blob(
        self, component: str, element: Resource | Source, blob: Blob, kind: str
    ) -> tuple[str, str]:
        """Store the blob of ``element``; returns ``(localReference digest, media type)``."""
        self._require_open(writing=True)
        repository = mapping.check_component_repository(component)
        access = element.access
        declared = access.properties.get("mediaType") if mapping.is_local_blob(access) else None
        media_type = str(declared or blob.media_type or oci_types.OCTET_STREAM)
        what = f"local blob of {kind} {element.name!r}"
        if media_type in ocm_types.OCI_LAYOUTS or blob.media_type in ocm_types.OCI_LAYOUTS:
            root, blob_digest = self._store_layout(repository, blob, what)
            _check_declared_digest(element, (root.digest, blob_digest), what)
            return root.digest, root.media_type
        with blob.open() as stream:
            digest, _ = self.blobs.put_stream(stream, blob.digest, what)
        _check_declared_digest(element, (digest,), what)
        return digest, media_type

    def _store_layout(self, repository: str, blob: Blob, what: str) -> tuple[OCIDescriptor, str]:
        """Copy the OCI image layout in ``blob`` into the CTF; returns its root and tar digest."""
        with tempfile.TemporaryDirectory(prefix="pyocm-layout-", dir=self._temp_dir) as work:
            archive = Path(work) / "layout.tar"
            hasher = hashlib.sha256()
            with blob.open() as stream, archive.open("wb") as out:
                while chunk := stream.read(CHUNK_SIZE):
                    hasher.update(chunk)
                    out.write(chunk)
            unpacked = Path(work) / "layout"
            unpacked.mkdir()
            layout = extract_layout(archive, unpacked, f"OCI image layout ({what})", self._limits)
            root = layout.main_descriptor()
            nodes = graph(layout, root)
            for node in nodes:
                with layout.open_blob(node.digest, node.size) as source:
                    self.blobs.put_stream(source, node.digest, f"{what}: blob {node.digest}")
        with self._updating() as index:
            for node in nodes:
                if oci_types.is_manifest_type(node.media_type):
                    index.add(ArtifactEntry(repository, "", node.digest, node.media_type))
        return nodes[-1], f"sha256:{hasher.hexdigest()}"

    def add_component_version(self, descriptor: Descriptor, *, replace: bool = False) -> None:
        """Write the descriptor, config and manifest (or index), then tag the version.

        Every ``localBlob`` of the descriptor must already be stored (see
        :meth:`add_local_resource`).  Raises :class:`OCMError` when the version exists and
        ``replace`` is false; with ``replace`` the tag moves and the old manifest stays
        untagged, as in Go v2.
        """
        self._require_open(writing=True)
        component = descriptor.component.name
        version = descriptor.component.version
        repository = mapping.check_component_repository(component)
        tag = mapping.version_to_tag(version)
        layers, artifacts = self._local_blob_descriptors(descriptor)

        layer_raw = mapping.encode_descriptor(descriptor, self.descriptor_media_type)
        layer = OCIDescriptor(
            self.descriptor_media_type, self.blobs.put_bytes(layer_raw), len(layer_raw)
        )
        config_raw = mapping.component_config(layer)
        config = OCIDescriptor(
            ocm_types.COMPONENT_CONFIG, self.blobs.put_bytes(config_raw), len(config_raw)
        )
        annotations = mapping.manifest_annotations(component, version, self.creator)
        manifest_raw = image_manifest(
            config, [layer, *layers], annotations=annotations, artifact_type=ocm_types.DESCRIPTOR_V2
        )
        top = OCIDescriptor(
            oci_types.IMAGE_MANIFEST,
            self.blobs.put_bytes(manifest_raw),
            len(manifest_raw),
            annotations=annotations,
            artifact_type=ocm_types.DESCRIPTOR_V2,
        )
        entries = [ArtifactEntry(repository, "", top.digest, top.media_type)]
        if artifacts:
            index_annotations = mapping.manifest_annotations(
                component, version, self.creator, index=True
            )
            index_raw = image_index([top, *artifacts], annotations=index_annotations)
            top = OCIDescriptor(
                oci_types.IMAGE_INDEX,
                self.blobs.put_bytes(index_raw),
                len(index_raw),
                annotations=index_annotations,
            )
            entries.append(ArtifactEntry(repository, "", top.digest, top.media_type))
        entries.append(ArtifactEntry(repository, tag, top.digest, top.media_type))

        with self._updating() as index:
            if not replace and index.find_tag(repository, tag) is not None:
                raise OCMError(
                    f"component version {component}:{version} already exists in CTF "
                    f"{self.location} (pass replace=True to overwrite it)"
                )
            for entry in entries:
                index.add(entry)

    def _local_blob_descriptors(
        self, descriptor: Descriptor
    ) -> tuple[list[OCIDescriptor], list[OCIDescriptor]]:
        """The layers and the nested artifacts for the local blobs of ``descriptor``, in order."""
        layers: list[OCIDescriptor] = []
        artifacts: list[OCIDescriptor] = []
        elements: list[Resource | Source] = [
            *descriptor.component.resources,
            *descriptor.component.sources,
        ]
        for element in elements:
            access = element.access
            if not mapping.is_local_blob(access):
                continue
            kind = "resource" if isinstance(element, Resource) else "source"
            what = f"local blob of {kind} {element.name!r}"
            reference = access.properties.get("localReference")
            if not isinstance(reference, str) or "," in reference:
                raise OCMError(f"{what}: localReference must be a single digest, not {reference!r}")
            digests.check_digest(reference, f"{what} localReference")
            if not self.blobs.has(reference):
                raise NotFound(
                    f"{what} ({reference}) is not stored in CTF {self.location}; "
                    f"store it with add_local_{kind} first"
                )
            media_type = str(access.properties.get("mediaType") or "")
            if not media_type:
                repository = mapping.component_repository(descriptor.component.name)
                with self._mutex:
                    entry = self._current_index().find_digest(repository, reference)
                    media_type = entry.media_type if entry else oci_types.OCTET_STREAM
            stored = OCIDescriptor(media_type, reference, self.blobs.blob_size(reference))
            adopted = mapping.adopt(stored, element)
            (artifacts if oci_types.is_manifest_type(media_type) else layers).append(adopted)
        return layers, artifacts


def _local_access(previous: AccessSpec | None, digest: str, media_type: str) -> AccessSpec:
    """The ``localBlob`` access for a stored blob, keeping the type name and ``referenceName``."""
    properties: dict[str, object] = {"localReference": digest, "mediaType": media_type}
    if not mapping.is_local_blob(previous):
        return AccessSpec(ocm_types.LOCAL_BLOB, properties)
    reference_name = previous.properties.get("referenceName")
    if reference_name:
        properties["referenceName"] = reference_name
    return AccessSpec(previous.type, properties)


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


def _version_referencing(descriptor: Descriptor, digest: str) -> str | None:
    """The version of the first resource or source whose local blob is ``digest``."""
    elements: list[Resource | Source] = [
        *descriptor.component.resources,
        *descriptor.component.sources,
    ]
    for element in elements:
        access = element.access
        if mapping.is_local_blob(access) and access.properties.get("localReference") == digest:
            return element.version or None
    return None


class _LayoutBlob:
    """An OCI artifact stored in the CTF, handed out as a gzipped OCI image layout."""

    def __init__(
        self, store: BlobStore, root: OCIDescriptor, tag: str | None, temp_dir: Path | None
    ):
        self.media_type = ocm_types.OCI_LAYOUT_TAR_GZIP
        self._store = store
        self._root = root
        self._tag = tag
        self._temp_dir = temp_dir

    @property
    def size(self) -> int:
        """Unknown until written: ``-1``."""
        return -1

    @property
    def digest(self) -> str | None:
        """Unknown until written: ``None``."""
        return None

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """Build the layout (every blob verified) into a spooled file and stream it."""
        work = str(self._temp_dir) if self._temp_dir is not None else None
        with tempfile.SpooledTemporaryFile(_SPOOL_SIZE, dir=work) as spool:
            write_layout(spool, self._store, self._root, self._tag)
            spool.seek(0)
            yield spool


class _ChainedBlob:
    """Several stored blobs read one after the other (legacy chunked local blobs)."""

    def __init__(self, parts: Sequence[Blob], media_type: str):
        self.media_type = media_type
        self._parts = parts

    @property
    def size(self) -> int:
        """The sum of the chunk sizes."""
        return sum(part.size for part in self._parts)

    @property
    def digest(self) -> str | None:
        """A chunked blob has no digest of its own: ``None``."""
        return None

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """The chunks in order, each verified at its end."""
        with ExitStack() as stack:
            streams = [stack.enter_context(part.open()) for part in self._parts]
            yield io.BufferedReader(_ChainReader(streams), CHUNK_SIZE)


class _ChainReader(io.RawIOBase):
    def __init__(self, streams: list[IO[bytes]]):
        self._streams = streams

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while self._streams:
            data = self._streams[0].read(len(buffer))
            if data:
                buffer[: len(data)] = data
                return len(data)
            self._streams.pop(0)
        return 0
