"""Running a transfer plan: blobs first, then descriptors, children before parents, in parallel.

    >>> from pyocm.transfer import execute_plan, plan_transfer, TransferOptions  # doctest: +SKIP
    >>> roots = [("acme.org/app", "1.0.0")]                                     # doctest: +SKIP
    >>> plan = plan_transfer(src, dst, roots, TransferOptions())                # doctest: +SKIP
    >>> result = execute_plan(plan, src, dst, concurrency=4, observer=print)    # doctest: +SKIP
    >>> result.transferred                                                      # doctest: +SKIP
    (('acme.org/app', '1.0.0'),)

Every blob a version copies by value and every descriptor it pushes is one task; a bounded
pool of ``concurrency`` threads runs them (``1``: strictly one after the other).  A
descriptor's task waits for its own blobs and for the versions of the plan it references;
descriptors that can go go first, then blobs in plan order, so versions land as early as
they can.

Blobs stream from source to target in chunks and are verified on the way: the source
repository checks a local blob's digest while it is read, and a resource whose recorded digest
is a ``genericBlobDigest/v1`` of another hash than the blob's is hashed again here.  The
target descriptor is the source descriptor with only the accesses of copied elements
replaced; resource digests, labels and signatures stay as they were, so signatures still
verify (accesses are not part of the normalised form).

OCI artifacts are never packed into an archive on the way when the target takes OCI content:
an image (an ``ociArtifact`` resource, or a local blob stored as a nested artifact) is handed
to the target as a :class:`pyocm.oci.artifact.GraphBlob` and copied node by node, blobs that
the target registry has skipped, blobs of another repository of the same registry mounted,
the rest streamed (:meth:`pyocm.repository.store.OCIStore.put_graph`); plain local blobs are
mounted the same way where they can be.  Elements the plan uploads as OCI artifacts go
through :meth:`pyocm.repository.base.Repository.add_artifact`, or become local blobs where
the target has no registry.

When a task fails (an unreadable or corrupted blob, a target error, an observer that raises)
no further task starts, the running ones are stopped at their next chunk, and
:class:`TransferFailed` names what failed.  A version is visible in the target only after all
its blobs landed, so nothing half-written remains; blobs already copied stay, and a re-run
finds them there and does not copy them again.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import heapq
import io
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from pyocm.access import handler_for, open_blob
from pyocm.blob.model import CHUNK_SIZE, ForwardingBlob
from pyocm.descriptor.model import AccessSpec, Resource, Source
from pyocm.digest import GENERIC_BLOB_DIGEST_V1
from pyocm.errors import DigestMismatch, OCMError
from pyocm.oci.artifact import GraphBlob, ObservedSource
from pyocm.repository.mediatypes import LAYOUT_ARCHIVES
from pyocm.transfer.events import Event, Item, Observer
from pyocm.transfer.plan import DEFAULT_CONCURRENCY, ElementPlan, TransferPlan, VersionPlan

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

    from pyocm.access.context import AccessContext
    from pyocm.blob import Blob
    from pyocm.oci.layout import BlobSource
    from pyocm.oci.manifest import Descriptor
    from pyocm.repository.base import Repository
    from pyocm.transfer.discovery import Key

_HASHES = {"SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


class TransferFailed(OCMError):
    """A step of a transfer failed; ``item`` names it, ``__cause__`` is the original error."""

    def __init__(self, item: Item, cause: BaseException):
        self.item = item
        super().__init__(f"transferring {item} failed: {cause}")


class _Cancelled(OCMError):
    """Raised inside a running task after another task failed."""


@dataclass(frozen=True)
class TransferResult:
    """What a finished transfer did."""

    transferred: tuple[Key, ...]
    """Versions written to the target, in the order they landed."""
    skipped: tuple[Key, ...]
    blobs: int
    """Blobs copied by value (including those the target already held)."""
    bytes: int
    """Blob bytes read from the source."""
    seconds: float


@dataclass
class _Task:
    item: Item
    run: Callable[[], None]
    priority: int
    waiting: int = 0
    dependents: tuple[int, ...] = ()


def execute_plan(
    plan: TransferPlan,
    source: Repository,
    target: Repository,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    observer: Observer | None = None,
    context: AccessContext | None = None,
) -> TransferResult:
    """Carry out ``plan`` from ``source`` into ``target`` (see the module documentation).

    ``context`` gives the credentials for content in registries (``ociArtifact`` images
    copied by value; see :func:`pyocm.access.open_blob`).  Raises :class:`TransferFailed`
    naming the first step that failed.
    """
    if concurrency < 1:
        raise OCMError(f"concurrency must be at least 1, not {concurrency}")
    return _Run(plan, source, target, observer, context).run(concurrency)


class _Run:
    def __init__(
        self,
        plan: TransferPlan,
        source: Repository,
        target: Repository,
        observer: Observer | None,
        context: AccessContext | None = None,
    ):
        self._plan = plan
        self._source = source
        self._target = target
        self._observer = observer
        self._context = context
        self._events = threading.Lock()
        self._cancel = threading.Event()
        self._accesses: dict[tuple[Key, str, int], AccessSpec] = {}
        self._landed: list[Key] = []
        self._blobs = 0
        self._bytes = 0

    def emit(self, event: Event) -> None:
        if self._observer is not None:
            with self._events:
                self._observer(event)

    def run(self, concurrency: int) -> TransferResult:
        start = time.monotonic()
        for version in self._plan.versions:
            if version.action == "skip":
                item = _version_item(version)
                try:
                    self.emit(Event("skipped", item))
                except Exception as e:
                    raise TransferFailed(item, e) from e
        tasks = self._tasks()
        ready = [(t.priority, i) for i, t in enumerate(tasks) if t.waiting == 0]
        heapq.heapify(ready)
        running: dict[Future[None], int] = {}
        failure: TransferFailed | None = None
        finished = 0
        with ThreadPoolExecutor(concurrency, thread_name_prefix="pyocm-transfer") as pool:
            try:
                while running or (ready and failure is None):
                    while ready and failure is None and len(running) < concurrency:
                        _, index = heapq.heappop(ready)
                        running[pool.submit(self._guarded, tasks[index])] = index
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        index = running.pop(future)
                        error = future.exception()
                        if error is not None:
                            if failure is None and not isinstance(error, _Cancelled):
                                failure = TransferFailed(tasks[index].item, error)
                                failure.__cause__ = error
                            self._cancel.set()
                            continue
                        finished += 1
                        for dependent in tasks[index].dependents:
                            tasks[dependent].waiting -= 1
                            if tasks[dependent].waiting == 0:
                                heapq.heappush(ready, (tasks[dependent].priority, dependent))
            except BaseException:
                self._cancel.set()
                raise
        if failure is not None:
            raise failure
        if finished != len(tasks):
            raise OCMError(f"transfer stopped with {len(tasks) - finished} steps not run")
        skipped = tuple(v.key for v in self._plan.versions if v.action == "skip")
        return TransferResult(
            tuple(self._landed), skipped, self._blobs, self._bytes, time.monotonic() - start
        )

    def _tasks(self) -> list[_Task]:
        """One task per copied blob and per pushed descriptor, with their dependencies."""
        tasks: list[_Task] = []
        pushes: dict[Key, int] = {}
        dependents: dict[int, list[int]] = {}
        for version in self._plan.versions:
            if version.action == "skip":
                continue
            blobs = []
            for element in version.copies():
                item = Item(version.component, version.version, element.kind, _name(element))
                blobs.append(len(tasks))
                run = functools.partial(self._copy, version, element)
                tasks.append(_Task(item, run, priority=1))
            push = _Task(_version_item(version), functools.partial(self._push, version), 0)
            needs = blobs + [pushes[ref] for ref in version.references if ref in pushes]
            push.waiting = len(needs)
            pushes[version.key] = len(tasks)
            for need in needs:
                dependents.setdefault(need, []).append(len(tasks))
            tasks.append(push)
        for index, after in dependents.items():
            tasks[index].dependents = tuple(after)
        return tasks

    def _guarded(self, task: _Task) -> None:
        if self._cancel.is_set():
            raise _Cancelled("transfer cancelled")
        try:
            task.run()
        except _Cancelled:
            raise
        except BaseException as e:
            if self._observer is not None:
                # the observer's own failure must not hide the cause
                with contextlib.suppress(Exception):
                    self.emit(Event("failed", task.item, error=str(e)))
            raise

    def _copy(self, version: VersionPlan, plan: ElementPlan) -> None:
        element = version.element(plan)
        blob = open_blob(self._source, version.descriptor, element, self._context)
        # the access type says what its copy is: its content as it is or converted (a helm
        # chart becomes an OCI artifact), the element the target records, its referenceName
        with handler_for(element).copy_form(element, blob) as form:
            self._store(version, plan, element, form.element, form.blob, form.reference_name)

    def _store(
        self,
        version: VersionPlan,
        plan: ElementPlan,
        element: Resource | Source,
        held: Resource | Source,
        blob: Blob,
        reference_name: str,
    ) -> None:
        """Copy ``blob`` (the content of ``element``, handed to the target as ``held``) and
        remember the copy's access; ``reference_name`` names an OCI artifact's copy."""
        item = Item(version.component, version.version, plan.kind, element.name)
        size = _content_size(blob)
        self.emit(Event("started", item, size=size))
        check = _content_check(held, blob)
        watched: _WatchedBlob = (
            _WatchedGraphBlob(blob, item, check, self)
            if isinstance(blob, GraphBlob)
            else _WatchedBlob(blob, item, check, self)
        )
        stored: Resource | Source | None = None
        if plan.upload == "ociArtifact" and isinstance(held, Resource) and reference_name:
            stored = self._target.add_artifact(held, watched, reference_name)
        uploaded = stored is not None
        if stored is None:
            stored = self._store_locally(version, held, watched)
        if stored.access is None:
            raise OCMError(f"{item}: the target stored the blob but returned no access")
        access = stored.access if uploaded else _with_reference_name(stored.access, reference_name)
        with self._events:
            self._accesses[(version.key, plan.kind, plan.index)] = access
            self._blobs += 1
            self._bytes += watched.read
        self.emit(Event("finished", item, size=size, bytes=watched.read))

    def _store_locally(
        self, version: VersionPlan, element: Resource | Source, blob: Blob
    ) -> Resource | Source:
        if isinstance(element, Resource):
            return self._target.add_local_resource(
                version.component, version.version, element, blob
            )
        return self._target.add_local_source(version.component, version.version, element, blob)

    def _push(self, version: VersionPlan) -> None:
        item = _version_item(version)
        self.emit(Event("started", item))
        descriptor = copy.deepcopy(version.descriptor)
        for plan in version.copies():
            elements = (
                descriptor.component.resources
                if plan.kind == "resource"
                else descriptor.component.sources
            )
            elements[plan.index].access = self._accesses[(version.key, plan.kind, plan.index)]
        if self._cancel.is_set():
            raise _Cancelled("transfer cancelled")
        self._target.add_component_version(descriptor, replace=version.action == "replace")
        with self._events:
            self._landed.append(version.key)
        self.emit(Event("finished", item))

    def cancelled(self) -> bool:
        return self._cancel.is_set()


def _version_item(version: VersionPlan) -> Item:
    return Item(version.component, version.version, "componentVersion")


def _name(plan: ElementPlan) -> str:
    return plan.identity["name"]


def _content_check(element: object, blob: Blob) -> tuple[str, str] | None:
    """``(hashlib name, expected hex)`` when the resource digest needs its own hash pass.

    A ``genericBlobDigest/v1`` resource digest is the hash of the bytes; when it uses the
    blob's own algorithm the blob's verification covers it (a different value fails at
    once); otherwise the bytes are hashed again while they stream.
    """
    if not isinstance(element, Resource) or element.digest is None:
        return None
    digest = element.digest
    name = _HASHES.get(digest.hash_algorithm.upper())
    if digest.normalisation_algorithm != GENERIC_BLOB_DIGEST_V1 or name is None:
        return None
    # a layout's digest is its manifest's, not the bytes'
    if blob.media_type in LAYOUT_ARCHIVES:
        return None
    own = blob.digest
    if own is not None and own.partition(":")[0] == name:
        if own.partition(":")[2] != digest.value:
            raise DigestMismatch(f"resource {element.name!r}", digest.value, own.partition(":")[2])
        return None
    return name, digest.value


def _with_reference_name(stored: AccessSpec, name: str) -> AccessSpec:
    """``stored``, with the ``referenceName`` Go v2 gives an OCI artifact copied into a local
    blob (an image: its reference without registry and digest, e.g. ``org/app:1.0``; a helm
    chart: ``<chart>:<version>``; cli.md §4.2), as the access type names its copy
    (:meth:`pyocm.access.base.AccessHandler.copy_form`)."""
    if not name or stored.properties.get("referenceName"):
        return stored
    return AccessSpec(stored.type, {**stored.properties, "referenceName": name})


def _content_size(blob: Blob) -> int:
    """The bytes a copy of ``blob`` reads at most: an artifact's nodes, else the blob."""
    if isinstance(blob, GraphBlob):
        return sum(node.size for node in blob.nodes())
    return blob.size


class _WatchedBlob(ForwardingBlob):
    """A source blob whose reads are counted, reported, cancellable and optionally hashed."""

    def __init__(self, blob: Blob, item: Item, check: tuple[str, str] | None, run: _Run):
        self.media_type = blob.media_type
        self.read = 0
        self.wrapped = blob
        self._blob = blob
        self._item = item
        self._check = check
        self._run = run

    @property
    def size(self) -> int:
        """The source blob's size."""
        return self._blob.size

    @property
    def digest(self) -> str | None:
        """The source blob's digest."""
        return self._blob.digest

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """The source stream, wrapped."""
        with self._blob.open() as stream:
            hashed = hashlib.new(self._check[0]) if self._check else None
            yield io.BufferedReader(_WatchedReader(stream, self, hashed), CHUNK_SIZE)

    def count(self, n: int) -> None:
        if self._run.cancelled():
            raise _Cancelled("transfer cancelled")
        self.read += n
        self._run.emit(Event("progressed", self._item, bytes=n))

    def finish(self, actual: str) -> None:
        assert self._check is not None
        if actual != self._check[1]:
            raise DigestMismatch(f"{self._item}", self._check[1], actual)


class _WatchedGraphBlob(_WatchedBlob, GraphBlob):
    """A watched OCI artifact: copied node by node, the nodes' bytes are counted as read."""

    def __init__(self, blob: GraphBlob, item: Item, check: tuple[str, str] | None, run: _Run):
        super().__init__(blob, item, check, run)
        self._graph = blob
        self._source = ObservedSource(blob.source, self.count)

    @property
    def root(self) -> Descriptor:
        """The artifact's manifest or index."""
        return self._graph.root

    @property
    def source(self) -> BlobSource:
        """The artifact's source, watched."""
        return self._source

    def nodes(self) -> list[Descriptor]:
        """The artifact's graph and referrers."""
        return self._graph.nodes()


class _WatchedReader(io.RawIOBase):
    def __init__(self, raw: IO[bytes], blob: _WatchedBlob, hashed: hashlib._Hash | None):
        self._raw = raw
        self._blob = blob
        self._hash = hashed
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        chunk = self._raw.read(len(view))
        n = len(chunk)
        view[:n] = chunk
        if n:
            if self._hash is not None:
                self._hash.update(chunk)
            self._blob.count(n)
        elif len(view) and not self._done:
            self._done = True
            if self._hash is not None:
                self._blob.finish(self._hash.hexdigest())
        return n
