"""The ``dir`` input: a directory packed into a tar archive, reproducibly.

    >>> from pyocm.constructor._fields import Fields
    >>> f = Fields({"type": "dir", "path": "site", "excludeFiles": ["*.bak"]}, "in", [])
    >>> spec = parse(f, "dir")
    >>> spec.path, spec.reproducible, spec.exclude_files
    ('site', True, ('*.bak',))

The archive is written as the Go v2 CLI writes it with ``reproducible: true``, byte for byte:
a pre-order walk with the entries of each directory sorted by name, the top directory as
``./`` (or as ``<name>/`` with ``preserveDir``), ustar headers with modification time 0,
owner and group 0 without names, and only the permission bits of the mode.  So the same tree
always gives the same archive and digest.  Unlike Go (where the default is ``false``), pyocm
is reproducible unless the file says ``reproducible: false``; then real times, owners and
mode bits are recorded.

``includeFiles`` and ``excludeFiles`` are Go ``path.Match`` patterns over the slash-separated
path inside the archive (``*`` does not cross ``/``); an excluded directory is skipped with
everything below it, and excludes win over includes.  Symbolic links are an error unless
``followSymlinks`` is set; followed links are stored as the file or directory they lead to,
which must lie inside the working directory.  If ``path`` names a file, that file is the
blob (``application/octet-stream`` unless ``mediaType`` is set).
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyocm._internal.gopathmatch import BadPattern, compile_glob
from pyocm._internal.sandbox import is_inside
from pyocm._internal.streams import CHUNK_SIZE, StreamBlob, gzipped
from pyocm._internal.tarformat import DIRECTORY, END, REGULAR, header, padding
from pyocm.blob import Blob, FileBlob
from pyocm.constructor._fields import Fields
from pyocm.constructor.inputs.base import InputContext, InputType, type_names
from pyocm.errors import OCMError, Violation

TAR_MEDIA_TYPE = "application/x-tar"
FILE_MEDIA_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class _Entry:
    name: str
    source: Path | None
    size: int
    mode: int
    mtime: int
    uid: int = 0
    gid: int = 0
    uname: str = ""
    gname: str = ""


@dataclass(frozen=True)
class DirInput:
    """A ``dir`` input."""

    type: str
    where: str
    path: str
    media_type: str | None = None
    compress: bool = False
    preserve_dir: bool = False
    reproducible: bool = True
    follow_symlinks: bool = False
    include_files: tuple[str, ...] = ()
    exclude_files: tuple[str, ...] = ()

    def blob(self, context: InputContext) -> Blob:
        """The tar of the directory (gzipped when ``compress``), or the single file named."""
        real = context.path(self.path, self.where)
        blob: Blob
        if real.is_file():
            if self.include_files or self.exclude_files:
                raise OCMError(
                    f"{self.where}: includeFiles/excludeFiles cannot be used for the single "
                    f"file {self.path!r}"
                )
            blob = FileBlob(real, self.media_type or FILE_MEDIA_TYPE)
        elif real.is_dir():
            entries = self._plan(context, real)
            media_type = self.media_type or TAR_MEDIA_TYPE
            blob = StreamBlob(lambda: _tar_chunks(entries, self.where), media_type)
        else:
            raise OCMError(f"{self.where}: {self.path!r} is neither a directory nor a file")
        return gzipped(blob) if self.compress else blob

    def _plan(self, context: InputContext, real: Path) -> list[_Entry]:
        """Every entry of the archive, in order: the tree is walked before anything is read."""
        root = context.working_directory.resolve()
        entries: list[_Entry] = []
        if self.preserve_dir:
            given = os.path.normpath(os.path.join(root, self.path))
            top = os.path.basename(given) or "."
        else:
            top = "."
        self._walk(top, real, root, entries, (real,))
        return entries

    def _walk(
        self, name: str, real: Path, root: Path, out: list[_Entry], stack: tuple[Path, ...]
    ) -> None:
        info = real.stat()
        if self.exclude_files and _matches_any(name, self.exclude_files):
            return
        if self._included(name):
            out.append(self._entry(name if name.endswith("/") else name + "/", None, info))
        for child in sorted(os.scandir(real), key=lambda e: e.name):
            child_name = child.name if name == "." else f"{name}/{child.name}"
            path = Path(child.path)
            if child.is_symlink():
                if not self.follow_symlinks:
                    raise OCMError(
                        f"{self.where}: {child_name!r} is a symbolic link; set followSymlinks "
                        "to store what it points to"
                    )
                path = path.resolve()
                if not is_inside(path, root):
                    raise OCMError(
                        f"{self.where}: symbolic link {child_name!r} leads outside the working "
                        f"directory (to {path})"
                    )
                if path in stack:
                    raise OCMError(f"{self.where}: symbolic link {child_name!r} forms a loop")
            try:
                mode = path.stat().st_mode
            except FileNotFoundError:
                raise OCMError(f"{self.where}: {child_name!r} is a dangling link") from None
            if stat.S_ISDIR(mode):
                self._walk(child_name, path, root, out, (*stack, path))
            elif stat.S_ISREG(mode):
                if self._included(child_name):
                    out.append(self._entry(child_name, path, path.stat()))
            else:
                raise OCMError(f"{self.where}: {child_name!r} is not a regular file or directory")

    def _included(self, name: str) -> bool:
        if _matches_any(name, self.exclude_files):
            return False
        return not self.include_files or _matches_any(name, self.include_files)

    def _entry(self, name: str, source: Path | None, info: os.stat_result) -> _Entry:
        size = info.st_size if source is not None else 0
        if self.reproducible:
            return _Entry(name, source, size, info.st_mode & 0o777, 0)
        seconds, rest = divmod(info.st_mtime_ns, 1_000_000_000)
        mtime = seconds + (1 if rest >= 500_000_000 else 0)
        uname, gname = _owner_names(info.st_uid, info.st_gid)
        mode = info.st_mode & 0o7777
        return _Entry(name, source, size, mode, mtime, info.st_uid, info.st_gid, uname, gname)


def _tar_chunks(entries: list[_Entry], where: str) -> Iterator[bytes]:
    for e in entries:
        yield header(
            e.name,
            size=e.size,
            mode=e.mode,
            mtime=e.mtime,
            uid=e.uid,
            gid=e.gid,
            uname=e.uname,
            gname=e.gname,
            typeflag=DIRECTORY if e.source is None else REGULAR,
        )
        if e.source is not None:
            yield from _content(e.source, e.size, e.name, where)
            yield padding(e.size)
    yield END


def _content(path: Path, size: int, name: str, where: str) -> Iterator[bytes]:
    left = size
    with path.open("rb") as f:
        while left:
            chunk = f.read(min(CHUNK_SIZE, left))
            if not chunk:
                raise OCMError(f"{where}: {name!r} shrank while it was being archived")
            left -= len(chunk)
            yield chunk


@cache
def _owner_names(uid: int, gid: int) -> tuple[str, str]:
    """User and group names as Go's tar looks them up (empty when unknown)."""
    try:
        uname = pwd.getpwuid(uid).pw_name
    except KeyError:
        uname = ""
    try:
        gname = grp.getgrgid(gid).gr_name
    except KeyError:
        gname = ""
    return uname, gname


def _matches_any(name: str, patterns: tuple[str, ...]) -> bool:
    normalised = _normalise(name)
    return any(compile_glob(_normalise(p)).fullmatch(normalised) for p in patterns)


def _normalise(text: str) -> str:
    return text.removeprefix("./").removeprefix("/")


def parse(f: Fields, type_name: str) -> DirInput:
    """Read a ``dir`` input object; malformed patterns are violations."""
    include = tuple(f.strings("includeFiles"))
    exclude = tuple(f.strings("excludeFiles"))
    for key, patterns in (("includeFiles", include), ("excludeFiles", exclude)):
        for i, pattern in enumerate(patterns):
            try:
                compile_glob(_normalise(pattern))
            except BadPattern as e:
                f.violations.append(Violation(f"{f.at(key)}[{i}]", f"bad pattern: {e}"))
    reproducible = f.raw("reproducible")
    return DirInput(
        type=type_name,
        where=f.path,
        path=f.string("path", required=True, non_empty=True) or "",
        media_type=f.string("mediaType") or None,
        compress=f.boolean("compress"),
        preserve_dir=f.boolean("preserveDir"),
        reproducible=True if reproducible is None else f.boolean("reproducible"),
        follow_symlinks=f.boolean("followSymlinks"),
        include_files=include,
        exclude_files=exclude,
    )


TYPE = InputType(type_names("Dir", "dir"), parse)
