"""Component versions in a CTF: :class:`pyocm.repository.ocm.OCMRepository` over a CTF directory.

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
    >>> [e.tag for e in repo.artifacts()]
    ['1.0.0']
    >>> repo.close()

Everything about component versions (manifests, indexes, tags, local blobs) is the shared
:mod:`pyocm.repository.ocm`; the CTF adds its files (:mod:`pyocm.repository.ctf.ocistore`:
``blobs/`` and ``artifact-index.json`` under an inter-process lock) and, for tar and tgz
archives, packing the work directory again when the repository is closed.

How it is closed matters: :meth:`CTFRepository.close` (or leaving a ``with`` block without an
error) finishes the CTF — creates a new one that got no writes, packs an archive.  Leaving the
block with an exception packs only what was written, and removes a CTF this run created in
which no version was recorded.  Leaving it with an interrupt (``KeyboardInterrupt`` or another
exception that is not an ``Exception``: the process is being stopped) does the same but packs
nothing, and removes the work directory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Literal

from pyocm.oci.tarsafe import DEFAULT_LIMITS, Limits
from pyocm.repository import mapping
from pyocm.repository.ctf.archive import Progress
from pyocm.repository.ctf.index import ArtifactEntry
from pyocm.repository.ctf.ocistore import CTFStore
from pyocm.repository.ctf.store import BlobStore
from pyocm.repository.legacy import Compatibility
from pyocm.repository.ocm import OCMRepository

Outcome = Literal["ok", "failed", "interrupted"]
"""How a CTF was closed: by :meth:`CTFRepository.close`, after an error, after an interrupt."""

OnClose = Callable[[Outcome, bool, Progress | None], None]
"""Called once at close with the outcome, whether anything was written, and ``progress``."""


class CTFRepository(OCMRepository):
    """A CTF directory holding component versions (see the module documentation).

    Open it with :func:`pyocm.repository.open_repository`; archives (tar, tgz) are unpacked
    into a work directory and packed again by :meth:`close`.  With ``compatibility``
    ``"legacy"`` the index entries carry no ``mediaType`` (as the legacy v1 CLI wrote them).
    ``create`` true: the CTF at ``root`` does not exist yet and is created at the first write
    or at :meth:`close`.
    """

    def __init__(
        self,
        root: Path,
        *,
        writable: bool,
        location: str | None = None,
        creator: str = mapping.DEFAULT_CREATOR,
        descriptor_media_type: str | None = None,
        temp_dir: Path | None = None,
        limits: Limits = DEFAULT_LIMITS,
        on_close: OnClose | None = None,
        compatibility: Compatibility = "v2",
        create: bool = False,
    ):
        self.ctf = CTFStore(
            root,
            writable=writable,
            create=create,
            location=location,
            record_media_types=compatibility != "legacy",
        )
        super().__init__(
            self.ctf,
            creator=creator,
            descriptor_media_type=descriptor_media_type,
            temp_dir=temp_dir,
            limits=limits,
            compatibility=compatibility,
        )
        self._on_close = on_close

    @property
    def root(self) -> Path:
        """The CTF directory (for an archive: the work directory it is unpacked into)."""
        return self.ctf.root

    @property
    def location(self) -> str:
        """The CTF as the user named it (the archive file for tar and tgz CTFs)."""
        return self.ctf.location

    @property
    def blobs(self) -> BlobStore:
        """The ``blobs/`` directory."""
        return self.ctf.blobs

    def artifacts(self) -> list[ArtifactEntry]:
        """Copies of all ``artifact-index.json`` entries, in index order."""
        self._require_open()
        return self.ctf.artifacts()

    @property
    def packs_on_close(self) -> bool:
        """Whether :meth:`close` writes an archive (a tar or tgz CTF opened for writing)."""
        return self._on_close is not None and self.ctf.writable and not self._closed

    def close(self, progress: Progress | None = None) -> None:
        """Finish: a new CTF is created, an archive-backed CTF opened for writing is packed
        again (atomically), ``progress`` hearing how far packing got (see
        :func:`pyocm.repository.ctf.archive.write_archive`)."""
        self._finish("ok", progress)

    def _finish(self, outcome: Outcome, progress: Progress | None = None) -> None:
        if self._closed:
            return
        super().close()
        if outcome == "ok":
            self.ctf.create()
        else:
            self.ctf.discard_created()
        if self._on_close is not None:
            self._on_close(outcome, self.ctf.dirty, progress)

    def __enter__(self) -> CTFRepository:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self._finish("ok")
        elif issubclass(exc_type, Exception):
            self._finish("failed")
        else:
            self._finish("interrupted")
