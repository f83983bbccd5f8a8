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
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pyocm.oci.tarsafe import DEFAULT_LIMITS, Limits
from pyocm.repository import mapping
from pyocm.repository.ctf.index import ArtifactEntry
from pyocm.repository.ctf.ocistore import CTFStore
from pyocm.repository.ctf.store import BlobStore
from pyocm.repository.legacy import Compatibility
from pyocm.repository.ocm import OCMRepository


class CTFRepository(OCMRepository):
    """A CTF directory holding component versions (see the module documentation).

    Open it with :func:`pyocm.repository.open_repository`; archives (tar, tgz) are unpacked
    into a work directory and packed again by :meth:`close`.  With ``compatibility``
    ``"legacy"`` the index entries carry no ``mediaType`` (as the legacy v1 CLI wrote them).
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
        on_close: Callable[[bool], None] | None = None,
        compatibility: Compatibility = "v2",
    ):
        self.ctf = CTFStore(
            root,
            writable=writable,
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

    def close(self) -> None:
        """Finish: an archive-backed CTF opened for writing is packed again (atomically)."""
        if self._closed:
            return
        super().close()
        if self._on_close is not None:
            self._on_close(self.ctf.dirty)

    def __enter__(self) -> CTFRepository:
        return self
