"""A CTF directory as an OCI content store: flat blobs plus ``artifact-index.json``.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from pyocm.oci.digests import digest_bytes
    >>> from pyocm.oci.manifest import Descriptor, image_manifest
    >>> from pyocm.repository.ctf.ocistore import CTFStore
    >>> store = CTFStore(Path(tempfile.mkdtemp()), writable=True)
    >>> raw = image_manifest(store.put_bytes("acme/app", b"{}"), [])
    >>> top = Descriptor("application/vnd.oci.image.manifest.v1+json", digest_bytes(raw), len(raw))
    >>> store.publish("acme/app", [(top, raw)], "1.0.0", replace=False)
    True
    >>> [(e.repository, e.tag) for e in store.artifacts()]
    [('acme/app', '1.0.0')]

Manifests and indexes are blobs like any other; the index records which repository they
belong to and which tag points at them (untagged entries for manifests that are only
referenced, as Go v2 writes them).  Within one open store the index is kept in memory; before
each update the file is read again only if another writer changed it, and the update is
written once, under the inter-process lock (see :mod:`pyocm.repository.ctf.store`).

A store opened with ``create`` for a CTF that is not there yet writes nothing until the first
write (or :meth:`CTFStore.create`): a run that fails before writing anything leaves no empty
CTF behind.  Every write the operating system refuses is an :class:`OCMError` naming the CTF
and the file (``cannot write CTF ./x: permission denied (./x/.pyocm.lock)``).
"""

from __future__ import annotations

import copy
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pyocm.blob import Blob
from pyocm.errors import OCMError
from pyocm.oci.layout import BlobSource
from pyocm.oci.manifest import MAX_MANIFEST_SIZE, Descriptor
from pyocm.oci.mediatypes import OCTET_STREAM, is_manifest_type
from pyocm.repository.ctf.index import INDEX_FILE, ArtifactEntry, ArtifactIndex
from pyocm.repository.ctf.store import (
    LOCK_FILE,
    BlobStore,
    atomic_write,
    is_live_temporary,
    writing,
)
from pyocm.repository.store import Tagged

if TYPE_CHECKING:
    from filelock import FileLock


class CTFStore:
    """The OCI content of the CTF directory ``root`` (an ``OCIStore``).

    ``record_media_types`` false writes index entries without ``mediaType``, as the legacy
    v1 CLI did before 2026.  ``create`` true: ``root`` and its empty index are created at
    the first write (see the module documentation).
    """

    def __init__(
        self,
        root: Path,
        *,
        writable: bool,
        location: str | None = None,
        record_media_types: bool = True,
        create: bool = False,
    ):
        self.root = root
        self.record_media_types = record_media_types
        self.location = location or str(root)
        self.description = f"CTF {self.location}"
        self.writable = writable
        self.blobs = BlobStore(root, self.description)
        self.dirty = False
        self._index = ArtifactIndex()
        self._index_raw: bytes | None = None
        self._lock: FileLock | None = None
        if writable:
            from filelock import FileLock  # imported only to write: reading starts faster

            self._lock = FileLock(str(root / LOCK_FILE))
        self._mutex = threading.RLock()
        self._to_create = create and writable
        self._made: Path | None = None

    def create(self) -> None:
        """Create the CTF's directory and empty index now, if that is still pending."""
        if not self._to_create:
            return
        with self._mutex, writing(self.description, self.root / INDEX_FILE):
            if not self._to_create:
                return
            missing = [d for d in (self.root, *self.root.parents) if not d.exists()]
            self._made = missing[-1] if missing else None
            self.root.mkdir(parents=True, exist_ok=True)
            assert self._lock is not None
            # Checked and written under the writers' lock: another process creating the same
            # CTF may already have added versions, which an unlocked empty index would erase.
            with self._lock:
                if not (self.root / INDEX_FILE).exists():
                    atomic_write(self.root / INDEX_FILE, [ArtifactIndex().to_json()])
            self._to_create = False

    def discard_created(self) -> bool:
        """Remove the CTF directory this store created, if no version was recorded in it and
        no other live writer is storing a blob there (after a failed or interrupted run);
        whether it was removed."""
        if self._made is None or self.dirty or self._lock is None:
            return False
        with self._mutex, self._lock:
            try:
                raw = (self.root / INDEX_FILE).read_bytes()
                if ArtifactIndex.parse(raw, self.description).entries:
                    return False
                if any(is_live_temporary(self.blobs.directory / n) for n in self.blobs.names()):
                    return False
            except (OSError, OCMError):
                return False
            shutil.rmtree(self.root, ignore_errors=True)
        for parent in self.root.parents:  # the folders created for it, if still empty
            if not parent.is_relative_to(self._made):
                break
            try:
                parent.rmdir()
            except OSError:
                break
        self._made = None
        return True

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
        if self._lock is None:
            raise OCMError(f"CTF {self.location} is open read-only")
        self.create()
        with self._mutex, writing(self.description, self.root / INDEX_FILE), self._lock:
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
                self.dirty = True

    def artifacts(self) -> list[ArtifactEntry]:
        """Copies of all index entries, in index order."""
        with self._mutex:
            return [copy.copy(e) for e in self._current_index().entries]

    # reading

    def list_repositories(self) -> list[str]:
        """Every repository with at least one tagged entry, in index order."""
        with self._mutex:
            index = self._current_index()
            return [r for r in index.repositories() if index.tags(r)]

    def has_tag(self, repository: str, tag: str) -> bool:
        """Whether the index has ``tag`` in ``repository``."""
        with self._mutex:
            return self._current_index().find_tag(repository, tag) is not None

    def tag_digest(self, repository: str, tag: str) -> str | None:
        """The digest the index records for ``tag``, or ``None``."""
        with self._mutex:
            entry = self._current_index().find_tag(repository, tag)
            return None if entry is None else entry.digest

    def get_tagged(self, repository: str, tag: str) -> Tagged | None:
        """The entry tagged ``tag`` and its manifest bytes, or ``None``."""
        with self._mutex:
            entry = copy.copy(self._current_index().find_tag(repository, tag))
        return None if entry is None else self._read_entry(entry)

    def tagged(self, repository: str, keep: Callable[[str], bool]) -> Iterator[Tagged]:
        """The tagged entries of ``repository`` in index order (a snapshot of the index)."""
        with self._mutex:
            index = self._current_index()
            entries = [
                copy.copy(e)
                for e in (index.find_tag(repository, tag) for tag in index.tags(repository))
                if e is not None and keep(e.tag)
            ]
        for entry in entries:
            yield self._read_entry(entry)

    def _read_entry(self, entry: ArtifactEntry) -> Tagged:
        raw = self.blobs.read_bytes(entry.digest, MAX_MANIFEST_SIZE)
        return Tagged(entry.tag, Descriptor(entry.media_type, entry.digest, len(raw)), raw)

    def fetch_manifest(self, repository: str, descriptor: Descriptor) -> bytes:
        """The verified bytes of a manifest (a blob of the CTF)."""
        return self.blobs.read_bytes(descriptor.digest, MAX_MANIFEST_SIZE, descriptor.size)

    def read_blob(self, repository: str, descriptor: Descriptor, limit: int) -> bytes:
        """The verified bytes of a small blob."""
        return self.blobs.read_bytes(descriptor.digest, limit, descriptor.size)

    def stat(self, repository: str, digest: str, media_type: str) -> Descriptor | None:
        """The blob ``digest`` if stored; its media type from the caller, the index, or bytes."""
        if not self.blobs.has(digest):
            return None
        if not media_type:
            with self._mutex:
                entry = self._current_index().find_digest(repository, digest)
                media_type = entry.media_type if entry else OCTET_STREAM
        return Descriptor(media_type, digest, self.blobs.blob_size(digest))

    def blob(self, repository: str, descriptor: Descriptor) -> Blob:
        """The stored blob; :class:`pyocm.errors.NotFound` when absent."""
        return self.blobs.blob(descriptor.digest, descriptor.media_type, descriptor.size)

    def graph_source(self, repository: str) -> BlobSource:
        """The flat blob directory (manifests are blobs here too)."""
        return self.blobs

    # writing

    def put_blob(self, repository: str, blob: Blob, what: str) -> tuple[str, int]:
        """Stream ``blob`` into ``blobs/``, hashing it on the way."""
        self.create()
        with blob.open() as stream:
            return self.blobs.put_stream(stream, blob.digest, what)

    def put_bytes(self, repository: str, data: bytes) -> Descriptor:
        """Store a small blob."""
        self.create()
        return Descriptor(OCTET_STREAM, self.blobs.put_bytes(data), len(data))

    def put_graph(
        self, repository: str, source: BlobSource, nodes: Sequence[Descriptor], what: str
    ) -> None:
        """Copy every node into ``blobs/``, then record the manifests as untagged entries."""
        self.create()
        for node in nodes:
            with source.open_blob(node.digest, node.size) as stream:
                self.blobs.put_stream(stream, node.digest, f"{what}: blob {node.digest}")
        with self._updating() as index:
            for node in nodes:
                if is_manifest_type(node.media_type):
                    index.add(ArtifactEntry(repository, "", node.digest, node.media_type))

    def publish(
        self,
        repository: str,
        manifests: Sequence[tuple[Descriptor, bytes]],
        tag: str,
        *,
        replace: bool,
    ) -> bool:
        """Write the manifests as blobs, then record them and the tag in one index update."""
        self.create()
        for _, content in manifests:
            self.blobs.put_bytes(content)
        top = manifests[-1][0]
        with self._updating() as index:
            if not replace and index.find_tag(repository, tag) is not None:
                return False
            for descriptor, _ in manifests:
                index.add(ArtifactEntry(repository, "", descriptor.digest, self._typed(descriptor)))
            index.add(ArtifactEntry(repository, tag, top.digest, self._typed(top)))
        return True

    def _typed(self, descriptor: Descriptor) -> str:
        """The ``mediaType`` an index entry records for ``descriptor``."""
        return descriptor.media_type if self.record_media_types else ""

    def ensure_manifest(self, repository: str, descriptor: Descriptor, content: bytes) -> None:
        """Store the manifest as a blob with an untagged index entry, unless it is there."""
        self.create()
        self.blobs.put_bytes(content)
        with self._updating() as index:
            index.add(ArtifactEntry(repository, "", descriptor.digest, descriptor.media_type))

    def referrers(
        self, repository: str, subject: str, artifact_type: str
    ) -> list[Descriptor] | None:
        """Not supported in a CTF: ``None``."""
        return None

    def global_reference(self, repository: str, tag: str) -> str | None:
        """A CTF is not reachable from elsewhere: ``None``."""
        return None

    def close(self) -> None:
        """Nothing to release."""
