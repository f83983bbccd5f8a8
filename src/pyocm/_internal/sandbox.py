"""Input paths confined to the working directory.

    >>> import tempfile, pathlib
    >>> wd = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (wd / "a.txt").write_text("x")
    >>> resolve_input_path(wd, "a.txt", "resources[0].input").name
    'a.txt'
    >>> resolve_input_path(wd, "../etc/passwd", "resources[0].input")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pyocm.errors.OCMError: resources[0].input: path '../etc/passwd' is outside the working ...

A relative path is taken relative to the working directory; an absolute path must point into
it.  Symbolic links are followed, and the real path they lead to must lie inside the working
directory too (as Go's ``os.OpenInRoot`` demands in the v2 CLI).
"""

from __future__ import annotations

import os
from pathlib import Path

from pyocm.errors import OCMError


def is_inside(path: Path, root: Path) -> bool:
    """Whether the real ``path`` is ``root`` or below it (both already resolved)."""
    return path == root or root in path.parents


def resolve_input_path(working_directory: Path, path: str, where: str) -> Path:
    """The real path of input ``path``; :class:`OCMError` naming ``where`` when it escapes."""
    if not path:
        raise OCMError(f"{where}: path must not be empty")
    root = working_directory.resolve()
    outside = f"{where}: path {path!r} is outside the working directory {root}"
    relative = _relative(working_directory, root, path)
    if relative is None:
        raise OCMError(outside)
    try:
        real = (root / relative).resolve(strict=True)
    except FileNotFoundError:
        raise OCMError(f"{where}: path {path!r} does not exist in {root}") from None
    except OSError as e:
        raise OCMError(f"{where}: cannot access {path!r}: {e.strerror}") from None
    if not is_inside(real, root):
        raise OCMError(f"{outside} (a symbolic link leads to {real})")
    return real


def _relative(working_directory: Path, root: Path, path: str) -> str | None:
    """``path`` relative to the working directory, or ``None`` when ``..`` leaves it."""
    if os.path.isabs(path):
        for base in (Path(os.path.abspath(working_directory)), root):
            relative = os.path.relpath(os.path.normpath(path), base)
            if relative != ".." and not relative.startswith("../"):
                return relative
        return None
    relative = os.path.normpath(path)
    return None if relative == ".." or relative.startswith("../") else relative
