"""The Common Transport Format (CTF): an OCI registry in a directory, tar or tgz.

    >>> import tempfile
    >>> from pyocm.repository.ctf import open_ctf
    >>> with open_ctf(tempfile.mkdtemp() + "/archive.tgz", mode="create") as repo:
    ...     repo.list_components()
    []

A CTF is ``artifact-index.json`` plus a flat ``blobs/`` directory.  :func:`open_ctf` detects
the form of an existing CTF from its content; a tar or tgz is unpacked into a private work
directory (refusing hostile archives) and, when opened for writing, packed again atomically
on :meth:`CTFRepository.close`.  Modules: :mod:`.index` (``artifact-index.json``),
:mod:`.store` (blobs, atomic writes, lock), :mod:`.ocistore` (the CTF as an OCI content
store), :mod:`.archive` (tar/tgz), :mod:`.format` (detection), :mod:`.repository` (component
versions: :mod:`pyocm.repository.ocm` over the CTF store).
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from filelock import FileLock

from pyocm.errors import NotFound, OCMError
from pyocm.oci.tarsafe import DEFAULT_LIMITS, Limits
from pyocm.repository import mapping
from pyocm.repository.ctf.archive import extract_ctf, write_archive
from pyocm.repository.ctf.format import FORMATS, Format, detect_format, format_from_name
from pyocm.repository.ctf.index import INDEX_FILE, ArtifactEntry, ArtifactIndex
from pyocm.repository.ctf.repository import CTFRepository
from pyocm.repository.ctf.store import LOCK_FILE, atomic_write
from pyocm.repository.legacy import Compatibility

Mode = Literal["r", "rw", "create"]
MODES: tuple[Mode, ...] = ("r", "rw", "create")

__all__ = [
    "FORMATS",
    "MODES",
    "ArtifactEntry",
    "ArtifactIndex",
    "CTFRepository",
    "Format",
    "Mode",
    "open_ctf",
]


def open_ctf(
    path: str | Path,
    *,
    mode: Mode = "r",
    archive_format: Format | None = None,
    creator: str = mapping.DEFAULT_CREATOR,
    descriptor_media_type: str | None = None,
    temp_dir: str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    compatibility: Compatibility = "v2",
) -> CTFRepository:
    """Open the CTF at ``path``.

    ``mode`` is ``"r"`` (read only), ``"rw"`` (must exist) or ``"create"`` (created when
    missing).  The form of an existing CTF comes from its content; ``archive_format``
    (``directory``, ``tar``, ``tgz``) chooses the form of a new one (default: from the name,
    ``.tar``, ``.tgz``/``.tar.gz``, else a directory) and, for an existing one, must agree.
    ``temp_dir`` is where archives are unpacked; ``limits`` bounds their expansion.
    ``compatibility`` and ``descriptor_media_type``: see
    :class:`pyocm.repository.ocm.OCMRepository`.
    """
    if mode not in MODES:
        raise OCMError(f"invalid CTF access mode {mode!r} (expected one of {', '.join(MODES)})")
    if archive_format is not None and archive_format not in FORMATS:
        raise OCMError(
            f"invalid CTF format {archive_format!r} (expected one of {', '.join(FORMATS)})"
        )
    target = Path(path)
    detected = detect_format(target)
    if detected is None:
        if mode != "create":
            raise NotFound(f"CTF {str(path)!r} does not exist")
        fmt = archive_format or format_from_name(target)
    else:
        if archive_format is not None and archive_format != detected:
            raise OCMError(f"CTF {target} is a {detected} CTF, not {archive_format}")
        fmt = detected
    work_root = Path(temp_dir) if temp_dir is not None else None

    def make(
        root: Path, location: str | None = None, on_close: Callable[[bool], None] | None = None
    ) -> CTFRepository:
        return CTFRepository(
            root,
            writable=mode != "r",
            location=location,
            creator=creator,
            descriptor_media_type=descriptor_media_type,
            temp_dir=work_root,
            limits=limits,
            on_close=on_close,
            compatibility=compatibility,
        )

    if fmt == "directory":
        if mode == "create":
            target.mkdir(parents=True, exist_ok=True)
            # Checked and written under the writers' lock: another process creating the same
            # CTF may already have added versions, which an unlocked empty index would erase.
            with FileLock(str(target / LOCK_FILE)):
                if not (target / INDEX_FILE).exists():
                    atomic_write(target / INDEX_FILE, [ArtifactIndex().to_json()])
        return make(target)

    created = detected is None
    work = Path(tempfile.mkdtemp(prefix="pyocm-ctf-", dir=work_root))
    try:
        if not created:
            extract_ctf(target, work, limits)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise

    def finish(dirty: bool) -> None:
        try:
            if mode != "r" and (dirty or created):
                write_archive(work, target, fmt)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    repo = make(work, location=str(target), on_close=finish)
    weakref.finalize(repo, shutil.rmtree, work, True)
    return repo
