"""The Common Transport Format (CTF): an OCI registry in a directory, tar or tgz.

    >>> import tempfile
    >>> from pyocm.repository.ctf import open_ctf
    >>> with open_ctf(tempfile.mkdtemp() + "/archive.tgz", mode="create") as repo:
    ...     repo.list_components()
    []

A CTF is ``artifact-index.json`` plus a flat ``blobs/`` directory.  :func:`open_ctf` detects
the form of an existing CTF from its content; a tar or tgz is unpacked into a private work
directory (refusing hostile archives) and, when opened for writing, packed again atomically
on :meth:`CTFRepository.close`.

Opening for writing never turns a directory that holds something else into a CTF; a new CTF
is created at its first write (or at a clean close), so a run that fails before writing
leaves nothing behind; and what writers that were killed left behind (temporary files next to
the blobs, the index or the archive, work directories) is removed first.  Modules:
:mod:`.index` (``artifact-index.json``), :mod:`.store` (blobs, atomic writes, lock),
:mod:`.ocistore` (the CTF as an OCI content store), :mod:`.archive` (tar/tgz), :mod:`.format`
(detection), :mod:`.repository` (component versions: :mod:`pyocm.repository.ocm` over the CTF
store).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Literal

from pyocm.errors import NotFound, OCMError
from pyocm.oci.tarsafe import DEFAULT_LIMITS, Limits
from pyocm.repository import mapping
from pyocm.repository.ctf.archive import Progress, extract_ctf, write_archive
from pyocm.repository.ctf.format import FORMATS, Format, detect_format, format_from_name
from pyocm.repository.ctf.index import INDEX_FILE, ArtifactEntry, ArtifactIndex
from pyocm.repository.ctf.repository import CTFRepository, OnClose, Outcome
from pyocm.repository.ctf.store import (
    BLOBS_DIR,
    INCOMING,
    LOCK_FILE,
    os_reason,
    sweep_stale,
    temp_prefix,
)
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

    Opened for writing, a directory that is not empty and holds no ``artifact-index.json``
    is refused (:class:`OCMError`); a CTF that does not exist yet is created at the first
    write, or when the repository is closed without an error.
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
    writable = mode != "r"

    def make(
        root: Path,
        location: str | None = None,
        on_close: OnClose | None = None,
        create: bool = False,
    ) -> CTFRepository:
        return CTFRepository(
            root,
            writable=writable,
            create=create,
            location=location,
            creator=creator,
            descriptor_media_type=descriptor_media_type,
            temp_dir=work_root,
            limits=limits,
            on_close=on_close,
            compatibility=compatibility,
        )

    if fmt == "directory":
        if not writable:
            return make(target)
        if detected is not None:
            _refuse_foreign(target)
            sweep_stale(target, [INDEX_FILE])
            sweep_stale(target / BLOBS_DIR, [None, INCOMING])
        return make(target, create=not (target / INDEX_FILE).is_file())

    created = detected is None
    if writable:
        sweep_stale(target.parent, [target.name])
        sweep_stale(work_root or Path(tempfile.gettempdir()), [_WORK])
    work = Path(tempfile.mkdtemp(prefix=temp_prefix(_WORK, hidden=False), dir=work_root))
    try:
        if not created:
            extract_ctf(target, work, limits)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise

    def finish(outcome: Outcome, dirty: bool, progress: Progress | None) -> None:
        # What a failed run wrote is kept (as in a directory CTF); an interrupted run stops
        # at once, and a failed run that wrote nothing creates nothing.
        try:
            if writable and outcome != "interrupted" and (dirty or (created and outcome == "ok")):
                write_archive(work, target, fmt, progress)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    repo = make(work, location=str(target), on_close=finish)
    weakref.finalize(repo, shutil.rmtree, work, True)
    return repo


_WORK = "pyocm-ctf"
"""The name of the work directories archives are unpacked into (with the writer's tag)."""


def _refuse_foreign(target: Path) -> None:
    """Refuse to write into the directory ``target`` unless it is a CTF or empty."""
    if (target / INDEX_FILE).exists():
        return
    try:
        entries = os.listdir(target)
    except OSError as e:
        raise OCMError(f"cannot write CTF {target}: {os_reason(e)}") from None
    ours = (BLOBS_DIR, LOCK_FILE)
    others = sorted(e for e in entries if e not in ours and not e.startswith(f".{INDEX_FILE}."))
    if others:
        shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
        raise OCMError(
            f"cannot write CTF {target}: the directory is not empty and is not a CTF "
            f"(no {INDEX_FILE}; found {shown})"
        )
